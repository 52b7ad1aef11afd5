"""Every write of the verval cycle (DESIGN.md rule 1): one module per step."""

from __future__ import annotations


class VervalError(ValueError):
    """A verval action that cannot be done; the message (Bahasa Indonesia) says why and how
    to proceed."""


class VervalForbidden(PermissionError):
    """The user may not act here (another region, or a role without this stage)."""
