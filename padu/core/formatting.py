"""Formatting numbers the Indonesian way for command-line output (templates use humanize)."""


def angka(value: int | float) -> str:
    """``20000`` -> ``20.000`` (dot as the thousands separator)."""
    return f"{value:,.0f}".replace(",", ".")


BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def tanggal(day: object) -> str:
    """``date(2026, 12, 17)`` -> ``17 Desember 2026`` (independent of the server locale)."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"  # type: ignore[attr-defined]


def bulan_tahun(day: object) -> str:
    """``date(2026, 12, 1)`` -> ``Desember 2026``."""
    return f"{BULAN[day.month - 1]} {day.year}"  # type: ignore[attr-defined]
