#!/usr/bin/env bash
# Regenerate clients/go/gen/ from proto/ with pinned generators; the output is byte-for-byte reproducible.
# Usage: clients/go/gen.sh   (from anywhere; dev/proto.sh calls it from the repo root)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUF_VERSION=v1.75.0
PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2

gotool() { "$root/dev/gotool.sh" "$@"; }
buf=$(gotool buf github.com/bufbuild/buf/cmd/buf "$BUF_VERSION")
plugins=$(mktemp -d)
trap 'rm -rf "$plugins"' EXIT
# buf.gen.yaml names the plugins by their plain names; point those names at the pinned binaries.
ln -s "$(gotool protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go "$PROTOC_GEN_GO_VERSION")" \
  "$plugins/protoc-gen-go"
ln -s "$(gotool protoc-gen-go-grpc google.golang.org/grpc/cmd/protoc-gen-go-grpc "$PROTOC_GEN_GO_GRPC_VERSION")" \
  "$plugins/protoc-gen-go-grpc"

cd "$here"
PATH="$plugins:$PATH" "$buf" generate --template buf.gen.yaml
