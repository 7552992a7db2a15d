# Sourced by gen.sh and run-scenario: install pinned dependencies and compile, both idempotently.
# Everything goes to stderr: run-scenario's stdout is the transcript.

# `npm ci` unless node_modules matches package-lock.json (by content, not timestamps).
ensure_deps() {
  local want have=""
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  [[ -f node_modules/.lock.sha256 ]] && have=$(<node_modules/.lock.sha256)
  if [[ $want != "$have" || ! -x node_modules/.bin/tsc ]]; then
    npm ci --no-audit --no-fund --loglevel=error >&2
    echo "$want" > node_modules/.lock.sha256
  fi
}

# Compile src/, test/ and scenario/ to dist/ unless dist/ was built from exactly these sources.
ensure_built() {
  local want have=""
  want=$(find src test scenario -type f -name '*.ts' -print0 | LC_ALL=C sort -z |
    xargs -0 sha256sum tsconfig.json package-lock.json | sha256sum | cut -d' ' -f1)
  [[ -f dist/.sources.sha256 ]] && have=$(<dist/.sources.sha256)
  if [[ $want != "$have" || ! -f dist/scenario/run.js ]]; then
    node_modules/.bin/tsc -p tsconfig.json >&2
    echo "$want" > dist/.sources.sha256
  fi
}

# Serialize concurrent runs in this directory (npm ci and tsc write shared files).
lock_dir() {
  exec 9<package.json
  flock 9
}
