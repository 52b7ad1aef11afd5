"""The ``padu`` console script: Django's management commands and Padu's own, one entry point.

``padu migrate``, ``padu runserver``, ``padu createsuperuser`` ... and Padu's commands
(``padu wilayah load``, ``padu synth``, ``padu demo``, ``padu worker``). ``padu help``
lists them all.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "worker":
        # The background worker of the database task queue (django-tasks-db).
        args[0] = "db_worker"
    if args and args[0] == "demo":
        # The demo is a development server on this machine: debug on unless told otherwise.
        os.environ.setdefault("PADU_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "padu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["padu", *args])


if __name__ == "__main__":
    main()
