"""Site settings, routing and process entry points (ASGI, Celery).

The Celery app lives in `dynamicflow_site.celery`; Django processes load it in
`flows.apps.FlowsConfig.ready` (so tasks are sent through it), and `celery -A
dynamicflow_site` finds it there. Importing this package sets no environment variables.
"""
