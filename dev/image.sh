#!/usr/bin/env bash
# Build the proxy's container image from ./Dockerfile without a Docker daemon, then prove it serves.
#
#   dev/image.sh [all|build|smoke]     all (default): build, then smoke
#   dev/image.sh buildah|podman ARGS   run buildah/podman on this script's image store, e.g.
#                                      `dev/image.sh podman images`, `dev/image.sh podman push IMAGE DEST`
#
# build: debootstraps a minbase Debian bookworm once (a tarball cached in $DATAACCESS_CACHE, default
#        ~/.cache/dataaccess), imports it with podman as localhost/debian-base:bookworm (our stand-in
#        for debian:bookworm-slim, which no registry here serves) and runs
#        `buildah bud --isolation chroot` with the Dockerfile's BASE pointed at it. Layers are cached,
#        so after a source change only the app layers are rebuilt.
# smoke: starts the image's entrypoint command (embedded SQLite config) in a working container with
#        `buildah run --isolation chroot` (podman run cannot set rlimits here) on free loopback ports,
#        asks grpc.health.v1 from inside the image (`dataaccess health`, the HEALTHCHECK's command)
#        until it answers SERVING, reads /metrics, then stops the proxy with SIGTERM and expects a clean
#        drain.
#
# The image store is this project's own ($DATAACCESS_CACHE/containers/DRIVER), so it never clashes
# with other users of /var/lib/containers. DRIVER is overlay where the kernel mounts overlayfs (fast:
# layers are not copied), else vfs; BUILDAH_STORAGE_DRIVER=vfs|overlay forces one.
# Needs root (debootstrap, chroot, mounts). Installs debootstrap, buildah and podman with apt-get if
# missing. IMAGE names the result (default localhost/dataaccess-proxy:dev).
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-localhost/dataaccess-proxy:dev}
BASE_IMAGE=localhost/debian-base:bookworm
BUILDER_IMAGE=localhost/dataaccess-proxy-builder:cache
CACHE=${DATAACCESS_CACHE:-$HOME/.cache/dataaccess}
ROOTFS_TAR=$CACHE/debian-bookworm-minbase.tar

log() { printf '[image %3ds] %s\n' "$SECONDS" "$*" >&2; }

overlay_works() {
  local d ok=1
  mkdir -p "$CACHE"
  d=$(mktemp -d "$CACHE/overlay-probe.XXXXXX")
  mkdir -p "$d/lower" "$d/upper" "$d/work" "$d/merged"
  if mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/upper,workdir=$d/work" "$d/merged" 2>/dev/null; then
    umount "$d/merged" && ok=0
  fi
  rm -rf "$d"
  return $ok
}

DRIVER=${BUILDAH_STORAGE_DRIVER:-}
if [[ -z $DRIVER ]]; then
  if overlay_works; then DRIVER=overlay; else DRIVER=vfs; fi
fi
STORE=(--storage-driver "$DRIVER" --root "$CACHE/containers/$DRIVER" --runroot "/run/dataaccess-containers/$DRIVER")

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

# The first Debian archive URI that the host's apt sources name: the main archive, or "security".
apt_uri() {
  local want=$1 files=() uri
  [[ -f /etc/apt/sources.list ]] && files+=(/etc/apt/sources.list)
  files+=(/etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  uri=$(for f in "${files[@]}"; do [[ -f $f ]] && cat "$f"; done | awk '
    /^[[:space:]]*#/ { next }
    /^deb[[:space:]]/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }
    /^URIs:/ { for (i = 2; i <= NF; i++) print $i }' |
    awk -v want="$want" '/debian/ && (want == "security") == ($0 ~ /security/) { print; exit }')
  if [[ -z $uri ]]; then
    [[ $want == security ]] && uri=http://deb.debian.org/debian-security || uri=http://deb.debian.org/debian
  fi
  echo "${uri%/}"
}

base() {
  if podman "${STORE[@]}" image exists "$BASE_IMAGE"; then
    return
  fi
  if [[ ! -s $ROOTFS_TAR ]]; then
    local mirror security dir
    mirror=$(apt_uri main) security=$(apt_uri security)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/debian-rootfs.XXXXXX")
    chmod 755 "$dir"  # it becomes the image's / : mktemp's 0700 would lock every non-root user out
    log "debootstrap --variant=minbase bookworm from $mirror (once; cached as $ROOTFS_TAR)"
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
  podman "${STORE[@]}" import -q \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' "$ROOTFS_TAR" "$BASE_IMAGE" >/dev/null
}

build() {
  tools
  base
  log "buildah bud -t $IMAGE (FROM debian:bookworm-slim → $BASE_IMAGE; $DRIVER storage)"
  # The host's CA bundle goes in as a build secret (pip's downloads only; never in a layer), for hosts
  # whose way out re-signs TLS. Override with BUILD_CA_BUNDLE.
  local ca=${BUILD_CA_BUNDLE:-${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}} secret=()
  [[ -s $ca ]] && secret=(--secret "id=ca,src=$ca")
  # --format docker: HEALTHCHECK and STOPSIGNAL exist only in the Docker image config.
  local bud=(bud --isolation chroot --layers --force-rm --pull=never --format docker
             --build-arg BASE="$BASE_IMAGE" "${secret[@]}" -f Dockerfile)
  # The builder stage gets a tag of its own, so that pruning superseded images below keeps its
  # cached layers (the dependency install) alive; then the image itself.
  buildah "${STORE[@]}" "${bud[@]}" --target builder -t "$BUILDER_IMAGE" . >&2
  buildah "${STORE[@]}" "${bud[@]}" -t "$IMAGE" . >&2
  # Each source change leaves the previous app layers untagged: drop them (our store only).
  podman "${STORE[@]}" image prune -f >/dev/null
  log "built $IMAGE"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

smoke() {
  local ctr port metrics logfile pid status="" leaf child rc=0
  ctr=$(buildah "${STORE[@]}" from --pull=never "$IMAGE")
  logfile=$(mktemp "${TMPDIR:-/tmp}/dataaccess-image-smoke.XXXXXX")
  pid=""
  # shellcheck disable=SC2064  # expand now: this run's container and log; $pid when it fires
  trap "[[ -n \${pid:-} ]] && kill \$pid 2>/dev/null; buildah ${STORE[*]} rm $ctr >/dev/null 2>&1; rm -f $logfile" EXIT
  port=$(free_port) metrics=$(free_port)
  # The chroot isolation shares the host's network: listen on loopback, on ports free right now.
  local env=(--env "DATAACCESS_LISTEN=127.0.0.1:$port" --env "DATAACCESS_METRICS=127.0.0.1:$metrics")
  log "running the image's entrypoint (embedded config) on 127.0.0.1:$port"
  buildah "${STORE[@]}" run --isolation chroot "${env[@]}" "$ctr" -- python -m proxy serve >"$logfile" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    if status=$(buildah "${STORE[@]}" run --isolation chroot "${env[@]}" "$ctr" -- dataaccess health --timeout 2 2>&1)
    then
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
assert "dataaccess_" in body, body[:500]
EOF
  # What a container runtime does on stop: STOPSIGNAL to the container's process. buildah itself
  # answers SIGTERM with SIGKILL, so signal our proxy directly: the leaf of the process chain that this
  # run started (buildah run → buildah-chroot-runtime → buildah-chroot-exec → python).
  leaf=$pid
  while child=$(pgrep -P "$leaf" | head -n 1) && [[ -n $child ]]; do leaf=$child; done
  tr '\0' ' ' <"/proc/$leaf/cmdline" | grep -q 'proxy serve' || { log "no proxy process under $pid"; return 1; }
  log "metrics served on 127.0.0.1:$metrics; stopping the proxy (pid $leaf) with SIGTERM"
  kill -TERM "$leaf"
  wait "$pid" || rc=$?
  pid=""
  grep -q '"event": "stopped"' "$logfile" || { log "no clean stop (exit $rc); log:"; cat "$logfile" >&2; return 1; }
  log "image $IMAGE: SERVING, metrics, clean stop on SIGTERM (exit $rc)"
}

case ${1:-all} in
  build) build ;;
  smoke) smoke ;;
  all) build; smoke ;;
  buildah | podman) tool=$1; shift; exec "$tool" "${STORE[@]}" "$@" ;;
  *) echo "usage: $0 [all|build|smoke] | $0 buildah|podman ARGS..." >&2; exit 2 ;;
esac
