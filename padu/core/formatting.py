"""Formatting numbers the Indonesian way for command-line output (templates use humanize)."""


def angka(value: int | float) -> str:
    """``20000`` -> ``20.000`` (dot as the thousands separator)."""
    return f"{value:,.0f}".replace(",", ".")
