"""The ``padu`` console script: Django's management commands and Padu's own, one entry point.

``padu migrate``, ``padu runserver``, ``padu createsuperuser`` ... and Padu's commands
(``padu wilayah load``, ``padu synth``, ``padu demo``, ``padu worker``). ``padu help``
lists them all.
"""

from __future__ import annotations

import os
import sys

# Commands that only read and write the files they are given: no secret, no database.
FILE_COMMANDS = {"pmt", "link", "synth"}
# ``check`` is a file command with these options, Django's system check without them.
CHECK_FILE_OPTIONS = ("--keluarga", "--art", "--out")


def is_file_command(args: list[str]) -> bool:
    """Whether ``padu ARGS`` only works on files (and so needs no configuration)."""
    if not args:
        return False
    name, rest = args[0], args[1:]
    if name in FILE_COMMANDS:
        return True
    if name == "check":
        return any(a.split("=", 1)[0] in CHECK_FILE_OPTIONS for a in rest)
    if name == "kemiskinan":
        return bool(rest) and rest[0] == "estimate" and "--as-user" not in rest
    return False


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "worker":
        # The background worker of the database task queue (django-tasks-db).
        args[0] = "db_worker"
    if args and args[0] == "demo":
        # The demo is a development server on this machine: debug on unless told otherwise.
        os.environ.setdefault("PADU_DEBUG", "1")
    if is_file_command(args):
        os.environ["PADU_FILES_ONLY"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "padu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["padu", *args])


if __name__ == "__main__":
    main()
