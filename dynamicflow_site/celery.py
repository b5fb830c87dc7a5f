"""The Celery application: runs execute here; beat drives timers (approval timeouts).

No process outlives its worker: a prefork pool child asks the kernel to kill it when the
worker's main process dies (PR_SET_PDEATHSIG), and every process kills the child processes
that evaluate costly expressions (flows/core/bounded.py) when it stops.
"""

import functools
import logging
import os
import signal

from celery import Celery
from celery.signals import worker_process_init, worker_process_shutdown, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dynamicflow_site.settings.base")

app = Celery("dynamicflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class QuietHousekeeping(logging.Filter):
    """Drops the INFO lines (received, succeeded, sent) of the tasks beat sends every few
    seconds, which would bury the lines that matter; their warnings and errors still show."""

    @functools.cached_property
    def tasks(self) -> frozenset[str]:
        # read when the first line comes: the settings are loaded by then
        return frozenset(entry["task"] for entry in app.conf.beat_schedule.values())

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        tasks = self.tasks
        args = record.args
        if isinstance(args, dict):
            return args.get("name") not in tasks
        return not any(isinstance(arg, str) and arg in tasks for arg in args or ())


for _name in ("celery.app.trace", "celery.worker.strategy", "celery.beat"):
    logging.getLogger(_name).addFilter(QuietHousekeeping())


def _die_with_parent(sig: int = signal.SIGKILL) -> None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, sig)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@worker_process_init.connect
def _pool_child_started(**_: object) -> None:
    _die_with_parent()
    if os.getppid() == 1:  # the worker died while this child started
        os._exit(1)


@worker_shutdown.connect
@worker_process_shutdown.connect
def _stop_sandboxes(**_: object) -> None:
    from flows.core.bounded import close_sandboxes

    close_sandboxes()
