"""The address approval emails link to follows where `make run` serves the site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = "import django; django.setup(); from django.conf import settings; " \
    "print(settings.DYNAMICFLOW_SITE_URL)"


def site_url(**env: str) -> str:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DYNAMICFLOW_SITE_URL", "DYNAMICFLOW_HOST", "DYNAMICFLOW_PORT")}
    environment.update(DJANGO_SETTINGS_MODULE="dynamicflow_site.settings.base",
                       DYNAMICFLOW_DEV="1", **env)
    result = subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.strip().splitlines()[-1]


def test_the_email_link_follows_the_port_and_host_the_site_is_served_on():
    assert site_url() == "http://127.0.0.1:8000"
    # `DYNAMICFLOW_PORT=8893 make run` emailed links to port 8000, where nothing answered
    assert site_url(DYNAMICFLOW_PORT="8893") == "http://127.0.0.1:8893"
    assert site_url(DYNAMICFLOW_HOST="flows.example.net", DYNAMICFLOW_PORT="80") == \
        "http://flows.example.net:80"
    # served on every address: the link names this machine
    assert site_url(DYNAMICFLOW_HOST="0.0.0.0") == "http://127.0.0.1:8000"
    assert site_url(DYNAMICFLOW_SITE_URL="https://flows.example.com",
                    DYNAMICFLOW_PORT="8893") == "https://flows.example.com"
