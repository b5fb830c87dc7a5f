"""Site settings, routing and process entry points (ASGI, Celery)."""

from dynamicflow_site.celery import app as celery_app

__all__ = ["celery_app"]
