#!/usr/bin/env bash
# Regenerate src/gen/ from the repository's proto/ with pinned tools: buf (via dev/gotool.sh) and
# ts-proto (exact version in package.json / package-lock.json). Deterministic; safe to run from anywhere.
# Usage: clients/typescript/gen.sh    (dev/proto.sh calls it; BUF=/path/to/buf overrides the binary)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$here"
source scripts/prepare.sh
lock_dir
ensure_deps
buf=${BUF:-$("$root/dev/gotool.sh" buf github.com/bufbuild/buf/cmd/buf v1.75.0)}
rm -rf src/gen
"$buf" generate "$root/proto" --template buf.gen.yaml
