#!/usr/bin/env python
"""Django's command-line entry point.

In a source checkout with no DATABASE_URL / REDIS_URL set, commands use the same embedded
Postgres and Redis as `make run`: the running ones when `make run` is up (it writes their
addresses to var/services.env), else ones started for the command. So the README's
commands work as written in a plain shell. Outside production (DYNAMICFLOW_ENV, which the
Docker image sets), a checkout is a development install: keys are made under var/.
"""

import os
import sys

from dynamicflow_site.embedded import services_env_for_command


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dynamicflow_site.settings.base")
    if os.environ.get("DYNAMICFLOW_ENV") != "production":
        os.environ.setdefault("DYNAMICFLOW_DEV", "1")
    with services_env_for_command() as (env, started):
        os.environ.update(env)
        from django.core.management import execute_from_command_line

        if started and sys.argv[1:2] not in (["migrate"], ["makemigrations"]):
            # A database started for this command alone: bring it up to date first.
            execute_from_command_line([sys.argv[0], "migrate", "--no-input", "-v", "0"])
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
