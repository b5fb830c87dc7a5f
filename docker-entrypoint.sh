#!/bin/sh
# Process roles for the production image: web | worker | beat | migrate | manage ARGS...
set -e
case "$1" in
  web)
    python manage.py migrate --no-input
    exec daphne -b 0.0.0.0 -p "${PORT:-8000}" dynamicflow_site.asgi:application ;;
  worker)
    # WORKER_POOL=threads runs every run of the process on its one run loop, where runs side
    # by side share their commits (docs/runs.md); prefork gives each run a process.
    exec celery -A dynamicflow_site worker --loglevel "${LOG_LEVEL:-INFO}" --pool "${WORKER_POOL:-prefork}" --concurrency "${WORKER_CONCURRENCY:-4}" --without-gossip --without-mingle --without-heartbeat ;;
  beat)
    exec celery -A dynamicflow_site beat --loglevel "${LOG_LEVEL:-INFO}" --schedule /app/var/celerybeat-schedule ;;
  migrate)
    exec python manage.py migrate --no-input ;;
  manage)
    shift; exec python manage.py "$@" ;;
  *)
    exec "$@" ;;
esac
