"""The Celery application: runs execute here; beat drives timers (approval timeouts)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dynamicflow_site.settings.base")

app = Celery("dynamicflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
