# The DataAccess proxy image: Debian bookworm's own Python 3.11, a virtualenv holding only the runtime
# dependencies and the app (generated gRPC code included), run as UID 10001.
#
#   docker build -t dataaccess-proxy .            (or `make image`: no Docker daemon, see dev/image.sh)
#   docker run -p 50051:50051 dataaccess-proxy    (embedded SQLite config; give --config FILE for yours)
#
# BASE is an argument only so that dev/image.sh can point it at a locally bootstrapped bookworm;
# everyone else builds on the default.
ARG BASE=debian:bookworm-slim

# ---- builder: a venv with the runtime dependencies, then the app -------------------------------------
# (Few instructions on purpose: each one is a layer, and a layer is a full copy on vfs storage.)
FROM ${BASE} AS builder
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && python3 -m venv /opt/venv
# The download step takes an optional build secret `ca`, a CA bundle for builds behind a TLS-inspecting
# proxy (dev/image.sh passes the host's): used for the downloads only, it never lands in a layer.
# Dependencies first, from pyproject.toml alone ([project].dependencies: no dev extras; and the
# build backend), so this slow layer is reused until pyproject.toml changes.
COPY pyproject.toml /src/pyproject.toml
RUN --mount=type=secret,id=ca,target=/run/secrets/ca \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi \
 && export PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
 && python3 -c 'import tomllib; p = tomllib.load(open("/src/pyproject.toml", "rb")); \
      print("\n".join(p["project"]["dependencies"] + p["build-system"]["requires"]))' > /src/requirements.txt \
 && /opt/venv/bin/pip install -q -r /src/requirements.txt
# The app, built from the source offline (proxy/_gen is committed and packaged with it). Then pip and
# the build backend leave the venv: the runtime installs nothing.
COPY proxy /src/proxy
RUN export PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
 && /opt/venv/bin/pip install -q --no-deps --no-build-isolation --no-index /src \
 && /opt/venv/bin/pip uninstall -q -y pip setuptools \
 && rm -rf /src/build \
 && /opt/venv/bin/python -c 'import proxy._gen.dataaccess.v1.data_access_pb2, proxy.server, proxy.cli.health'

# ---- runtime: the interpreter, CA certificates, the venv; nothing else -------------------------------
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && groupadd --gid 10001 dataaccess \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin dataaccess \
 && mkdir -p /var/lib/dataaccess \
 && chown 10001:10001 /var/lib/dataaccess
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATAACCESS_LISTEN=0.0.0.0:50051 \
    DATAACCESS_METRICS=0.0.0.0:9090 \
    DATAACCESS_DATA=/var/lib/dataaccess
WORKDIR /var/lib/dataaccess
USER 10001:10001
# 50051: gRPC (DataAccess, Admin, grpc.health.v1, reflection); 9090: Prometheus /metrics.
EXPOSE 50051 9090
# The proxy drains calls in flight on SIGTERM (--grace seconds, default 10) and then exits.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=3 \
  CMD ["dataaccess", "health", "--timeout", "3"]
ENTRYPOINT ["python", "-m", "proxy", "serve"]
# Last, so that a source change rebuilds only this layer: everything above stays cached.
COPY --from=builder /opt/venv /opt/venv
