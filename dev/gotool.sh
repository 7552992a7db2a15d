#!/usr/bin/env bash
# Print the path of a Go command, installing it with `go install` into the cache once per version.
# Usage: dev/gotool.sh NAME MODULE/PATH VERSION    e.g. dev/gotool.sh buf github.com/bufbuild/buf/cmd/buf v1.75.0
set -euo pipefail
name=$1 module=$2 version=$3
cache=${DATAACCESS_CACHE:-$HOME/.cache/dataaccess}
target=$cache/bin/$name-$version
if [[ ! -x $target ]]; then
  build=$cache/gobuild/$name-$version
  mkdir -p "$build" "$cache/bin"
  GOBIN=$build CGO_ENABLED=0 go install "$module@$version" >&2
  mv "$build/$name" "$target"
fi
echo "$target"
