# One image for every IGNY8 service; the command picks the service, e.g.
#   docker run igny8/igny8 python -m igny8_billing serve
#   docker run igny8/igny8 python -m igny8_billing migrate
# No secrets are baked in: DATABASE_URL, NATS_URL and the gateway's JWT keys come from the runtime.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1 \
    UV_COMPILE_BYTECODE=1

# Sources are copied to a scratch folder, installed as regular (non-editable) packages with the
# exact pins from constraints.txt, then removed; libs/devtools (make run, embedded NATS and
# PostgreSQL, the pytest plugin) is not installed, so none of it ends up in the image.
COPY constraints.txt /build/constraints.txt
COPY libs/ /build/libs/
COPY services/ /build/services/
WORKDIR /build
RUN pip install -c constraints.txt uv \
 && uv pip install --system -c constraints.txt --build-constraint constraints.txt \
      libs/contracts libs/runtime services/* \
 && pip uninstall --yes uv \
 && rm -rf /build

# Unprivileged user with a fixed uid (matches runAsUser in deploy/k8s). /var/lib/igny8 is the only
# writable place the image prepares (e.g. docker-compose mounts a volume there for the gateway's
# JWT keys); Kubernetes runs with a read-only root filesystem and an emptyDir at /tmp.
RUN groupadd --system --gid 10001 igny8 \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/igny8 --create-home \
      --shell /usr/sbin/nologin igny8 \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/igny8 /app

WORKDIR /app
USER 10001:10001

# Inside a container the service must listen on every interface; the port is per service
# (gateway 8000, planner 8001, writer 8002, billing 8003, publisher 8004, automation 8005).
ENV IGNY8_HTTP_HOST=0.0.0.0 \
    OTEL_TRACES_EXPORTER=none
EXPOSE 8000 8001 8002 8003 8004 8005

# No ENTRYPOINT: the whole command line is the service to run.
CMD ["python", "-m", "igny8_gateway", "serve"]
