#!/usr/bin/env bash
# Regenerate the Java protobuf and gRPC code in src/gen/java from ../../proto (dev/proto.sh calls this).
# Deterministic: pinned protoc and protoc-gen-grpc-java from Maven Central, cached once per version in
# ${DATAACCESS_CACHE:-~/.cache/dataaccess}/bin; inputs are relative paths in sorted order.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# PROTOC_VERSION must equal protobuf.version in pom.xml (generated code checks its runtime). The gRPC
# plugin may be older than grpc.version (1.85.1): stubs from 1.83.1 run on newer runtimes, and it is
# the newest protoc-gen-grpc-java whose linux-x86_64 build Maven Central serves (1.84.x, 1.85.x: none).
PROTOC_VERSION=4.36.2
GRPC_PLUGIN_VERSION=1.83.1
DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
classifier=linux-x86_64
cache=${DATAACCESS_CACHE:-$HOME/.cache/dataaccess}/bin
protoc=$cache/protoc-$PROTOC_VERSION
plugin=$cache/protoc-gen-grpc-java-$GRPC_PLUGIN_VERSION

fetch() {  # $1 = groupId:artifactId:version, $2 = target file
  local gav=$1 target=$2 tmp
  [[ -x $target ]] && return
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
  trap "rm -rf '$tmp'" EXIT
  # Run outside the project so no pom is read; the artifact comes from Maven Central (checksum-verified).
  (cd "$tmp" && mvn -q -B -Dstyle.color=never "$DEP_PLUGIN:copy" -Dartifact="$gav:exe:$classifier" \
     -DoutputDirectory="$tmp/out" >&2)
  chmod +x "$tmp"/out/*.exe
  mv "$tmp"/out/*.exe "$target"
  rm -rf "$tmp"
}
fetch "com.google.protobuf:protoc:$PROTOC_VERSION" "$protoc"
fetch "io.grpc:protoc-gen-grpc-java:$GRPC_PLUGIN_VERSION" "$plugin"

proto=$here/../../proto
out=$here/src/gen/java
rm -rf "$out" && mkdir -p "$out"
files=$(cd "$proto" && find . -name '*.proto' | sed 's|^\./||' | LC_ALL=C sort)
# @generated=omit: no javax.annotation.Generated, so no extra runtime dependency (and no timestamp).
(cd "$proto" && "$protoc" -I . --plugin=protoc-gen-grpc-java="$plugin" \
   --java_out="$out" --grpc-java_out=@generated=omit:"$out" $files)
