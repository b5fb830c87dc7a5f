"""Print the IR's JSON Schema (the one planners, the API and the editor use)."""

from django.core.management.base import BaseCommand

from flows.core.ir import ir_json_schema_text


class Command(BaseCommand):
    help = "Print the JSON Schema of the flow IR."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(ir_json_schema_text())
