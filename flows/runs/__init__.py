"""Runs: executing flow versions durably on Celery, with live events over Channels.

Package map:
- ``conf``      run settings (Django settings first, then the environment, then a default)
- ``catalog``   the tool catalogue runs use (``run_catalog()``), injectable for tests
- ``store``     the Postgres checkpoint store and the per-run writer that fences every write
- ``events``    the event sink: stores events, then broadcasts them to the run's group
- ``limits``    Redis-backed per-tool concurrency and rate limits across workers
- ``runner``    executes one run: claim, compile (cached), engine, heartbeat, finish
- ``services``  writes: run_create, run_cancel, run_resume, batch_create, runs_recover
- ``selectors`` reads: run lists, details, events after a sequence number, batch progress
- ``errors``    the one error type of these services, with a code and an HTTP status
"""
