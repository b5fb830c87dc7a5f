from django.apps import AppConfig


class FlowsConfig(AppConfig):
    name = "flows"
    verbose_name = "Flows and runs"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        import dynamicflow_site.celery  # noqa: F401 - tasks are sent through this app
        from flows.runs.catalog import forget_snapshot
        from tools_registry.models import Join, Tool

        def forget(**_: object) -> None:
            forget_snapshot()

        # This process sees its own registry edits at once; others within the TTL.
        for model in (Tool, Join):
            post_save.connect(forget, sender=model, weak=False, dispatch_uid=f"forget-{model}")
            post_delete.connect(forget, sender=model, weak=False, dispatch_uid=f"del-{model}")

        # The warnings versions store follow the groups, accounts and approval tools they
        # name (flows/api/signals.py).
        from flows.api.signals import connect

        connect()
