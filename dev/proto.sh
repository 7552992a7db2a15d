#!/usr/bin/env bash
# Regenerate every language's code from proto/ (`make proto`). Deterministic: pinned generators only.
# Usage: dev/proto.sh [python|go|typescript|java|all]   (default all)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}; PY=$(cd "$(dirname "$PY")" && pwd)/$(basename "$PY")
what=${1:-all}
export PATH="$(dirname "$PY"):$PATH"
protos=$(cd proto && find . -name '*.proto' | sed 's|^\./||' | sort)

gen_python() {  # $1 = output dir, $2 = python package prefix of that dir
  local out=$1 prefix=$2
  rm -rf "$out" && mkdir -p "$out"
  (cd proto && "$PY" -m grpc_tools.protoc -I . --python_out="$OLDPWD/$out" --grpc_python_out="$OLDPWD/$out" \
     --mypy_out="$OLDPWD/$out" --mypy_grpc_out="$OLDPWD/$out" $protos)
  # grpc_tools emits absolute imports of the proto package; anchor them inside our package.
  find "$out" -name '*.py*' -print0 | xargs -0 sed -i -E \
    -e "s/^from dataaccess\.(v1|admin)/from ${prefix}.dataaccess.\1/" \
    -e "s/^import dataaccess\.(v1|admin)(\.[a-z0-9_.]+)?/import ${prefix}.dataaccess.\1\2/" \
    -e "s/([^.a-z_])dataaccess\.(v1|admin)\.([a-z0-9_]+_pb2)/\1${prefix}.dataaccess.\2.\3/g"
  find "$out" -type d -exec sh -c 'for d; do [ -f "$d/__init__.py" ] || : > "$d/__init__.py"; done' _ {} +
}

if [[ $what == python || $what == all ]]; then
  gen_python proxy/_gen proxy._gen
  gen_python clients/python/src/dataaccess_client/_gen dataaccess_client._gen
fi
for lang in go typescript java; do
  if [[ ($what == "$lang" || $what == all) && -x clients/$lang/gen.sh ]]; then
    clients/$lang/gen.sh
  fi
done
