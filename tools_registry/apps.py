"""App config: registers the code tools, and syncs them into the database after `migrate`."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ToolsRegistryConfig(AppConfig):
    name = "tools_registry"
    verbose_name = "Tool registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Importing the pack registers its tools in CODE_TOOLS (once: modules import once).
        import tools_registry.demo  # noqa: F401

        # Never touch the database here (ready also runs for makemigrations, shells, ...):
        # the rows are synced after each migrate (and by `manage.py sync_tools`).
        post_migrate.connect(_sync_after_migrate, sender=self, dispatch_uid="tools_registry.sync")


def _sync_after_migrate(
    sender: AppConfig, *, using: str = "default", verbosity: int = 1, **kwargs: object
) -> None:
    from tools_registry.services import tools_sync_after_migrate

    tools_sync_after_migrate(using=using, verbosity=verbosity)
