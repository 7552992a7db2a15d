#!/usr/bin/env bash
# Build the proxy's container image from ./Dockerfile without a Docker daemon, then prove it serves.
#
#   dev/image.sh [all|build|smoke]     (default all: build, then smoke)
#
# build: debootstraps a minbase Debian bookworm once (a tarball cached under $DATAACCESS_CACHE,
#        default ~/.cache/dataaccess), imports it with podman as localhost/debian-base:bookworm (our
#        stand-in for debian:bookworm-slim, which no registry here serves), and runs
#        `buildah bud --isolation chroot` with the Dockerfile's BASE pointed at it. Layers are cached,
#        so a rebuild after a source change redoes only the app layer.
# smoke: starts the image's own entrypoint command (embedded SQLite config) in a working container
#        with `buildah run --isolation chroot` (podman run cannot set rlimits here), on free loopback
#        ports, and asks grpc.health.v1 from inside the image (`dataaccess health`, the HEALTHCHECK's
#        command) until it answers SERVING; then checks /metrics and a clean exit on SIGTERM.
#
# Needs root (debootstrap, chroot). Installs debootstrap, buildah and podman with apt-get if missing.
# Env: IMAGE (default localhost/dataaccess-proxy:dev), BUILDAH_STORAGE_DRIVER (default vfs).
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-localhost/dataaccess-proxy:dev}
BASE_IMAGE=localhost/debian-base:bookworm
CACHE=${DATAACCESS_CACHE:-$HOME/.cache/dataaccess}
ROOTFS_TAR=$CACHE/debian-bookworm-minbase.tar
DRIVER=${BUILDAH_STORAGE_DRIVER:-vfs}

log() { printf '[image] %s\n' "$*" >&2; }

tools() {
  local missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v buildah >/dev/null || missing+=(buildah)
  command -v podman >/dev/null || missing+=(podman)
  if ((${#missing[@]})); then
    log "installing ${missing[*]} with apt-get"
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi
}

# The first Debian archive URI (not -security) that the host's apt sources name for bookworm.
apt_uri() {  # $1: "main" or "security"
  local want=$1 files=() uri
  [[ -f /etc/apt/sources.list ]] && files+=(/etc/apt/sources.list)
  files+=(/etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  uri=$(for f in "${files[@]}"; do [[ -f $f ]] && cat "$f"; done | awk -v want="$want" '
    /^[[:space:]]*#/ { next }
    /^deb[[:space:]]/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }
    /^URIs:/ { for (i = 2; i <= NF; i++) print $i }' |
    awk -v want="$want" '(want == "security") == ($0 ~ /security/) { print; exit }')
  if [[ -z $uri ]]; then
    [[ $want == security ]] && uri=http://deb.debian.org/debian-security || uri=http://deb.debian.org/debian
  fi
  echo "${uri%/}"
}

base() {
  if podman --storage-driver "$DRIVER" image exists "$BASE_IMAGE"; then
    return
  fi
  if [[ ! -s $ROOTFS_TAR ]]; then
    local mirror security dir
    mirror=$(apt_uri main) security=$(apt_uri security)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/debian-rootfs.XXXXXX")
    log "debootstrap --variant=minbase bookworm from $mirror (once; cached in $ROOTFS_TAR)"
    debootstrap --variant=minbase bookworm "$dir" "$mirror" >&2
    # Like the official image: updates and security too, and no package caches.
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' \
      "$mirror" "$mirror" "$security" >"$dir/etc/apt/sources.list"
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/var/log/*.log
    mkdir -p "$CACHE"
    tar --numeric-owner -C "$dir" -cf "$ROOTFS_TAR.tmp" .
    mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
    rm -rf "$dir"
  fi
  log "importing $ROOTFS_TAR as $BASE_IMAGE"
  podman --storage-driver "$DRIVER" import -q \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' "$ROOTFS_TAR" "$BASE_IMAGE" >/dev/null
}

build() {
  tools
  base
  log "buildah bud -t $IMAGE (FROM debian:bookworm-slim → $BASE_IMAGE)"
  # --format docker: HEALTHCHECK and STOPSIGNAL exist only in the Docker image config.
  buildah --storage-driver "$DRIVER" bud --isolation chroot --layers --pull=never --format docker \
    --build-arg BASE="$BASE_IMAGE" -t "$IMAGE" -f Dockerfile . >&2
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

smoke() {
  local ctr port metrics logfile pid status="" i
  ctr=$(buildah --storage-driver "$DRIVER" from --pull=never "$IMAGE")
  logfile=$(mktemp "${TMPDIR:-/tmp}/dataaccess-image-smoke.XXXXXX")
  pid=""
  # shellcheck disable=SC2064  # expand now: these are this run's container, log and process
  trap "[[ -n \${pid:-} ]] && kill \$pid 2>/dev/null; buildah --storage-driver $DRIVER rm $ctr >/dev/null 2>&1; rm -f $logfile" EXIT
  port=$(free_port) metrics=$(free_port)
  # The chroot isolation shares the host's network: listen on loopback, on ports free right now.
  local env=(--env "DATAACCESS_LISTEN=127.0.0.1:$port" --env "DATAACCESS_METRICS=127.0.0.1:$metrics")
  log "running the image's entrypoint (embedded config) on 127.0.0.1:$port"
  buildah --storage-driver "$DRIVER" run --isolation chroot "${env[@]}" "$ctr" -- python -m proxy serve \
    >"$logfile" 2>&1 &
  pid=$!
  for i in $(seq 1 120); do
    if status=$(buildah --storage-driver "$DRIVER" run --isolation chroot "${env[@]}" "$ctr" -- \
        dataaccess health --timeout 2 2>&1); then
      break
    fi
    kill -0 "$pid" 2>/dev/null || { log "the proxy exited:"; cat "$logfile" >&2; return 1; }
    sleep 0.5
  done
  log "health from inside the image: $status"
  [[ $status == *SERVING ]] || { log "never SERVING; log:"; cat "$logfile" >&2; return 1; }
  python3 - "$metrics" <<'EOF' || { log "no /metrics"; return 1; }
import sys, urllib.request
body = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode()
assert "dataaccess" in body, body[:500]
EOF
  log "metrics served on 127.0.0.1:$metrics; stopping with SIGTERM"
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  pid=""
  grep -q '"event": "stopped"' "$logfile" || { log "no clean stop (exit $rc); log:"; cat "$logfile" >&2; return 1; }
  log "image $IMAGE: SERVING, metrics, clean stop on SIGTERM (exit $rc)"
}

case ${1:-all} in
  build) build ;;
  smoke) smoke ;;
  all) build; smoke ;;
  *) echo "usage: $0 [all|build|smoke]" >&2; exit 2 ;;
esac
