"""First-start set-up for `make run`: an admin account, with its login printed.

The account is also put in the `managers` group: the planner assigns "a manager
approves" steps to that group, so on a fresh install they reach the admin's inbox.
"""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser

from approvals.selectors import APPROVERS_GROUP


class Command(BaseCommand):
    help = "Create the admin account (once) and print its login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        password_file = settings.VAR_DIR / f"{username}-password.txt"
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = user_model.objects.create_superuser(
                username, f"{username}@localhost", password
            )
            Group.objects.get_or_create(name=APPROVERS_GROUP)[0].user_set.add(user)
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        elif password_file.exists():
            password = password_file.read_text().strip()
        else:
            password = "(unchanged; set it with: python manage.py changepassword admin)"
        self.stdout.write(f"admin login: {username} / {password}")
        if user.groups.filter(name=APPROVERS_GROUP).exists():
            self.stdout.write(
                f"{username} is in group '{APPROVERS_GROUP}': its approvals reach the inbox"
            )
