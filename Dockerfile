# The DataAccess proxy image: Debian bookworm's own Python 3.11, a virtualenv holding only the runtime
# dependencies and the app (generated gRPC code included), run as UID 10001.
#
#   docker build -t dataaccess-proxy .            (or `make image`: no Docker daemon, see dev/image.sh)
#   docker run -p 50051:50051 dataaccess-proxy    (embedded SQLite config; give --config FILE for yours)
#
# BASE is an argument only so that dev/image.sh can point it at a locally bootstrapped bookworm;
# everyone else builds on the default.
ARG BASE=debian:bookworm-slim

# ---- builder: a venv with the runtime dependencies, then the app wheel -------------------------------
FROM ${BASE} AS builder
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install -q --upgrade pip
# Dependencies first, from pyproject.toml alone ([project].dependencies — no dev extras), so this slow
# layer is reused until the dependency list changes.
COPY pyproject.toml /src/pyproject.toml
RUN python3 -c 'import tomllib; print("\n".join(tomllib.load(open("/src/pyproject.toml", "rb"))["project"]["dependencies"]))' \
      > /src/requirements.txt \
 && /opt/venv/bin/pip install -q -r /src/requirements.txt
# The app itself: a wheel built from the source (proxy/_gen is committed and packaged with it).
COPY proxy /src/proxy
RUN /opt/venv/bin/pip wheel -q --no-deps --wheel-dir /wheels /src \
 && /opt/venv/bin/pip install -q --no-deps /wheels/*.whl \
 && /opt/venv/bin/pip uninstall -q -y pip setuptools \
 && /opt/venv/bin/python -c 'import proxy._gen.dataaccess.v1.data_access_pb2, proxy.server, proxy.cli.health'

# ---- runtime: the interpreter, CA certificates, the venv; nothing else -------------------------------
FROM ${BASE}
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 ca-certificates \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && groupadd --gid 10001 dataaccess \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin dataaccess \
 && mkdir -p /var/lib/dataaccess \
 && chown 10001:10001 /var/lib/dataaccess
COPY --from=builder /opt/venv /opt/venv
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
