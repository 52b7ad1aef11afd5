"""Masking identity numbers for roles that do not need them in full."""

from __future__ import annotations


def mask_number(value: str | None) -> str:
    """``3316010101900001`` -> ``3316********0001``; short or empty values stay hidden."""
    if not value:
        return ""
    if len(value) < 9:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
