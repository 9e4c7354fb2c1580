# newsworker image: one image for every service (worker, beat, consumers, api, flower).
# Build: docker compose build   (or: docker build -t newsworker .)
FROM python:3.11-slim AS deps

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NEWSWORKER_DATA_DIR=/data \
    NEWSWORKER_CONFIG=/app/config/newsworker.toml

# Unprivileged user with a fixed uid, so volume ownership is predictable across rebuilds.
RUN groupadd --system --gid 10001 newsworker \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin newsworker

WORKDIR /app

# Dependencies in their own layer: it is rebuilt only when pyproject.toml changes, not on
# every code edit. The list is read from pyproject.toml so there is one source of truth.
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
print('\n'.join(p['dependencies'] + p['optional-dependencies']['monitoring']))" \
      > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt
COPY README.md ./

# The normaliser compiled with mypyc (tools/build_speedups.py) in a throw-away stage, so the
# compiler and mypy stay out of the image. A Debian-packaged Python without its headers gets
# them from python3-dev. Where no compiler can be had (no package mirror) the stage leaves
# the sources as they are: the same code, in pure Python.
FROM deps AS speedups
COPY worker ./worker
COPY tools/build_speedups.py ./tools/
RUN (apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
     && { python -c "import pathlib, sys, sysconfig; sys.exit(not pathlib.Path( \
            sysconfig.get_paths()['include'], 'Python.h').exists())" \
          || apt-get install -y --no-install-recommends python3-dev; } \
     && pip install 'mypy>=1.10,<2' 'setuptools>=77' \
     && python tools/build_speedups.py) \
  || (python tools/build_speedups.py --clean \
      && echo "speedups: not compiled; the normaliser stays pure Python")

FROM deps
# The code (with the compiled normaliser when the stage built it), installed without
# touching the dependency layer (puts `newsworker` on PATH).
COPY --from=speedups /app/worker ./worker
RUN pip install --no-deps . && rm -rf build ./*.egg-info
COPY config ./config
COPY seeds ./seeds

# /data: archive, uploads, beat schedule, logs (each made by its own code). A named volume
# mounted here inherits this ownership. Left empty on purpose: Docker copies an image's
# directories into a fresh volume for every container created at once, and two doing so
# in parallel failed with "mkdir .../_data/inbox: file exists" (the compose test saw it).
RUN mkdir -p /data && chown newsworker:newsworker /data

USER 10001:10001

# Generic liveness: the event store answers. Services override it in docker-compose.yml
# (the worker pings itself through the broker, the api answers HTTP).
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import redis; from worker.settings import load_settings, with_recorded_redis; redis.Redis.from_url(with_recorded_redis(load_settings()).store_url, socket_timeout=5).ping()"]

CMD ["newsworker", "--help"]
