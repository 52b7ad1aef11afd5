"""Model fields shared by the apps."""

from __future__ import annotations

from typing import Any

from django.db import models


class CodeField(models.CharField):
    """Text that is a code rather than words: NIK, No. KK, region codes, a source's own ids.

    Compared byte by byte (collation "C" on PostgreSQL; SQLite's default is already binary):
    keeping its index is about half the work of a locale-aware one, and that one index also
    serves prefix searches (``LIKE '3316%'``), so no second pattern index is needed. Index it
    through ``Meta.indexes``: ``db_index=True`` would make Django add that pattern index.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("db_index") or kwargs.get("unique"):
            raise ValueError("CodeField: index it through Meta.indexes (see the docstring)")
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params
