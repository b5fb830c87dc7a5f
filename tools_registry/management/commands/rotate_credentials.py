"""`manage.py rotate_credentials`: the former name of `rotate_keys`, which reseals
credentials and suspended approval state alike."""

from __future__ import annotations

from tools_registry.management.commands.rotate_keys import Command as RotateKeys


class Command(RotateKeys):
    help = "Same as rotate_keys: " + RotateKeys.help
