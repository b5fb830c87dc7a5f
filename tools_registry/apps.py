"""App config: registers the code tools when Django starts."""

from django.apps import AppConfig


class ToolsRegistryConfig(AppConfig):
    name = "tools_registry"
    verbose_name = "Tool registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Importing the pack registers its tools in CODE_TOOLS (once: modules import once).
        import tools_registry.demo  # noqa: F401
