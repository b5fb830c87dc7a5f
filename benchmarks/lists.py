"""The lists people open most, as the data grows: the flows list and the runs list.

    python benchmarks/lists.py [--sizes 1000,100000]

At each size (the number of runs stored), it stores flows of two versions each (one flow
per 20 runs) and that many runs across them, half of them on one flow (a batch of a busy
flow), then ANALYZE. It reads the first page of each list through the API (Django's test
client: the view, its queries and the serializer, no network), as staff and as a user who
sees only their own, and prints the median milliseconds and the queries per page. A list
that reads its page off an index costs about the same at every size; one that sorts or
scans every row grows with the table.

It needs DATABASE_URL (make bench starts an embedded Postgres when unset); it creates and
drops its own database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SESSION = uuid.uuid4().hex[:8]

#: The pages read at every size (as staff, then as the owner of half the runs).
PAGES = [
    "/api/v1/flows/",
    "/api/v1/runs/",
    "/api/v1/runs/?status=failed",
    "/api/v1/runs/?flow={busy}",
]
REPEAT = 9


def seed(runs: int) -> dict[str, Any]:
    """Store `runs` runs over runs // 20 flows, half of them on the busiest flow."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from flows.models import Flow, FlowVersion, Run

    users = get_user_model().objects
    staff = users.create_user(f"staff{runs}", password="bench-pw-123456", is_staff=True)
    owner = users.create_user(f"owner{runs}", password="bench-pw-123456")
    ir = {"name": "bench", "nodes": [{"id": "a", "type": "tool", "tool": "t_noop"}]}
    flows = Flow.objects.bulk_create(
        Flow(name=f"flow {i}", owner=owner) for i in range(max(1, runs // 20))
    )
    versions = FlowVersion.objects.bulk_create(
        FlowVersion(flow=flow, number=n, ir=ir, is_valid=True) for flow in flows for n in (1, 2)
    )
    statuses = [status for status, _ in Run.Status.choices]
    busy = versions[-1]  # the newest flow's second version
    rows = (
        Run(
            flow_version=(version := busy if i % 2 else versions[i % len(versions)]),
            flow_id=version.flow_id,
            requested_by=owner if i % 2 else staff,
            status=statuses[i % len(statuses)],
        )
        for i in range(runs)
    )
    Run.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"staff": staff, "owner": owner, "busy": busy.flow_id}


def read(user: Any, url: str) -> tuple[float, int]:
    """Median ms of reading `url` as `user`, and the queries one read takes."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    assert client.get(url).status_code == 200, url  # warm: the session, the plan cache
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.content[:200])
    return statistics.median(times) * 1e3, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000", help="runs stored, comma-separated")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dynamicflow_site.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from flows.models import Flow, FlowVersion, Run

    original_name = settings.DATABASES["default"]["NAME"]
    settings.DATABASES["default"].setdefault("TEST", {})
    settings.DATABASES["default"]["TEST"]["NAME"] = f"bench_dynamicflow_lists_{SESSION}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    figures: dict[tuple[str, str], dict[int, float]] = {}
    try:
        print("first page of each list, median ms (queries per page)")
        for size in sizes:
            Run.objects.all().delete()
            FlowVersion.objects.all().delete()
            Flow.objects.all().delete()
            data = seed(size)
            print(f"  {size:,} runs over {max(1, size // 20):,} flows:")
            for who in ("staff", "owner"):
                for page in PAGES:
                    url = page.format(busy=data["busy"])
                    ms, queries = read(data[who], url)
                    figures.setdefault((who, page), {})[size] = ms
                    print(f"    {who:5s} {url:34s} {ms:7.1f} ms ({queries} queries)")
        if len(sizes) > 1:
            small, large = sizes[0], sizes[-1]
            worst = max(f[large] / f[small] for f in figures.values())
            print(f"  {large:,} runs against {small:,}: worst page {worst:.2f}x (flat: about 1x)")
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)


if __name__ == "__main__":
    main()
