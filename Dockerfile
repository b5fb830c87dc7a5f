# One image, three processes: web (Daphne), worker (Celery), beat (Celery beat).
# Run each against external Postgres and Redis:
#   docker run -e DATABASE_URL=... -e REDIS_URL=... -e SECRET_KEY=... IMAGE web
#   docker run ... IMAGE worker
#   docker run ... IMAGE beat
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=dynamicflow_site.settings.base \
    PORT=8000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY dynamicflow_site ./dynamicflow_site
COPY flows ./flows
COPY tools_registry ./tools_registry
COPY approvals ./approvals
COPY templates ./templates
COPY manage.py ./
RUN pip install --no-cache-dir . \
    && useradd --create-home dynamicflow \
    && mkdir -p /app/var && chown dynamicflow /app/var
COPY docker-entrypoint.sh /usr/local/bin/dynamicflow
USER dynamicflow
EXPOSE 8000
ENTRYPOINT ["dynamicflow"]
CMD ["web"]
