from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals"

    def ready(self) -> None:
        from approvals.models import ApprovalStep, StepDecision
        from tools_registry.crypto import SealedTable, sealed_tables

        # What `rotate_keys` reseals besides credentials.
        for label, model in (("approval steps", ApprovalStep), ("decisions", StepDecision)):
            if label not in sealed_tables:
                sealed_tables.register(
                    label,
                    SealedTable(
                        label=label,
                        model=model,
                        open=lambda row: row.open_bytes(),
                        seal=lambda row, plaintext: row.seal_bytes(plaintext),
                    ),
                )
