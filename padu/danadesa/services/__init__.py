"""Every write of Dana Desa and BLT-DD (DESIGN.md rule 1): one module per step, each in a
transaction with an audit row."""

from __future__ import annotations

from typing import Any

from padu.accounts import access


class DanadesaError(ValueError):
    """A BLT-DD action that cannot be done; the message (Bahasa Indonesia) says why and how."""


class DanadesaForbidden(PermissionError):
    """The user may not change data of this desa."""


def require_writer(actor: Any, kode_desa: str) -> None:
    if not access.can_write_region(actor, kode_desa):
        raise DanadesaForbidden(f"Anda tidak berwenang mengubah data BLT-DD desa {kode_desa}.")
