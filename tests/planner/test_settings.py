"""The planner settings come from the environment (docs/planner.md lists them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SHOW = """
import json, django
django.setup()
from flows.planning import build_planner, cache_ttl_s, plan_cache
planner = build_planner("openai")
print(json.dumps({
    "max_attempts": planner.max_attempts, "max_retries": planner.max_retries,
    "timeout_s": planner.timeout_s, "stream": planner.stream,
    "response_format": planner.response_format,
    "max_retry_after_s": planner.max_retry_after_s,
    "cache_ttl_s": cache_ttl_s(), "cache": plan_cache() is not None,
}))
"""


def run_settings(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dynamicflow_site.settings.base",
        "DYNAMICFLOW_DEV": "1",
        "OPENAI_API_KEY": "test-key",
        "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_planner_setting_is_read_from_the_environment():
    done = run_settings(
        DYNAMICFLOW_PLANNER_MAX_ATTEMPTS="5",
        DYNAMICFLOW_PLANNER_MAX_RETRIES="0",
        DYNAMICFLOW_PLANNER_TIMEOUT_S="12.5",
        DYNAMICFLOW_PLANNER_STREAM="false",
        DYNAMICFLOW_PLANNER_RESPONSE_FORMAT="json_object",
        DYNAMICFLOW_PLANNER_MAX_RETRY_AFTER_S="7",
        DYNAMICFLOW_PLAN_CACHE_TTL_S="0",
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "max_attempts": 5,
        "max_retries": 0,
        "timeout_s": 12.5,
        "stream": False,
        "response_format": "json_object",
        "max_retry_after_s": 7.0,
        "cache_ttl_s": 0,
        "cache": False,
    }


def test_a_bad_planner_setting_stops_start_up_naming_the_variable():
    done = run_settings(DYNAMICFLOW_PLANNER_TIMEOUT_S="soon")

    assert done.returncode != 0
    assert "DYNAMICFLOW_PLANNER_TIMEOUT_S" in done.stderr
