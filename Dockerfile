# syntax=docker/dockerfile:1
#
# leadflow worker image.
#   docker build -t leadflow:0.1.0 .
#   docker run --rm --read-only --tmpfs /tmp leadflow:0.1.0 run replies
#
# Stage 1 builds the project wheel and installs it with its dependencies into a
# virtualenv at /opt/leadflow; stage 2 copies only that virtualenv onto the same
# slim base. The runtime image has no build tools, runs as uid 10001 and never
# writes outside /tmp, so it runs with a read-only root filesystem. Only workers/
# and schemas/ are copied: the development tree (tools/: benchmark, demo, local
# Kafka/PostgreSQL with Maven and pg_ctl) never enters the image
# (tests/deploy/test_package.py).

ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/leadflow
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY workers ./workers
RUN python -m pip wheel --no-deps --wheel-dir /wheels . \
 && /opt/leadflow/bin/pip install /wheels/*.whl \
 && /opt/leadflow/bin/pip uninstall --yes pip \
 && /opt/leadflow/bin/python -m compileall -q -j 0 /opt/leadflow/lib \
 && /opt/leadflow/bin/leadflow --help >/dev/null

FROM ${PYTHON_IMAGE} AS runtime
ARG APP_UID=10001
LABEL org.opencontainers.image.title="leadflow" \
      org.opencontainers.image.description="Kafka worker fleet: sales-outreach automation rules and send timing" \
      org.opencontainers.image.version="0.1.0"
RUN groupadd --system --gid ${APP_UID} leadflow \
 && useradd --system --uid ${APP_UID} --gid ${APP_UID} --no-create-home \
            --home-dir /tmp --shell /usr/sbin/nologin leadflow
COPY --from=builder /opt/leadflow /opt/leadflow
# Bytecode was compiled at install time in the builder; at run time nothing is
# written next to the code (read-only root filesystem), temp files go to /tmp.
ENV PATH=/opt/leadflow/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    TMPDIR=/tmp \
    LEADFLOW_METRICS_PORT=9108
USER ${APP_UID}:${APP_UID}
WORKDIR /tmp
EXPOSE 9108
# Liveness of a worker process; `leadflow setup` and the CLI verbs serve no
# metrics, so run them with --no-healthcheck (compose disables it for setup).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('LEADFLOW_METRICS_PORT', '9108'), timeout=4)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["leadflow"]
CMD ["run", "all"]
