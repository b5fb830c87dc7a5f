# One image, three processes: web (Daphne), worker (Celery), beat (Celery beat).
# Run each against external Postgres and Redis:
#   docker run -e DATABASE_URL=... -e REDIS_URL=... -e SECRET_KEY=... \
#              -e DYNAMICFLOW_ENCRYPTION_KEYS=... IMAGE web
#   docker run ... IMAGE worker
#   docker run ... IMAGE beat

# The web app, built once; only its output goes into the image.
FROM node:20-slim AS web
WORKDIR /frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=dynamicflow_site.settings.base \
    DYNAMICFLOW_ENV=production \
    STATIC_ROOT=/app/static \
    PORT=8000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY dynamicflow_site ./dynamicflow_site
COPY flows ./flows
COPY tools_registry ./tools_registry
COPY approvals ./approvals
COPY templates ./templates
COPY manage.py ./
COPY --from=web /frontend/dist ./frontend/dist
# Static files are collected at build time and served by WhiteNoise from the image.
RUN pip install --no-cache-dir . \
    && SECRET_KEY=build DYNAMICFLOW_ENCRYPTION_KEYS="build:$(python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')" \
       python manage.py collectstatic --no-input -v 0 \
    && useradd --create-home dynamicflow \
    && mkdir -p /app/var && chown dynamicflow /app/var
COPY docker-entrypoint.sh /usr/local/bin/dynamicflow
USER dynamicflow
EXPOSE 8000
ENTRYPOINT ["dynamicflow"]
CMD ["web"]
