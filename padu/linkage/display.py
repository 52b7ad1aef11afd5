"""What the pages show of a person record and a golden record: labelled values, numbers
masked as access.py says, coded values as their labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from padu.accounts import access
from padu.core.masking import mask_number
from padu.registry.models import Person

# (field, label) in the order pages show them
FIELDS: list[tuple[str, str]] = [
    ("nama", "Nama"),
    ("nik", "NIK"),
    ("no_kk", "No. KK"),
    ("tgl_lahir", "Tanggal lahir"),
    ("jenis_kelamin", "Jenis kelamin"),
    ("tempat_lahir", "Tempat lahir"),
    ("nama_ibu", "Nama ibu"),
    ("kode_desa", "Kode desa"),
    ("alamat", "Alamat"),
    ("rt_rw", "RT/RW"),
]
NUMBERS = {"nik", "no_kk"}
GOLDEN_EXTRA = [
    ("nama_ayah", "Nama ayah"),
    ("hub_kepala_keluarga", "Hubungan dengan kepala keluarga"),
    ("status_kawin", "Status perkawinan"),
    ("pendidikan", "Pendidikan"),
    ("bekerja", "Bekerja"),
    ("disabilitas", "Disabilitas"),
    ("status_hidup", "Status hidup"),
]


def _choice(field: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    if str(value) in ("true", "false"):
        return "Ya" if str(value) == "true" else "Tidak"
    try:
        model_field = Person._meta.get_field(field)
    except Exception:
        return str(value)
    choices = dict(getattr(model_field, "choices", None) or [])
    try:
        return str(choices.get(int(value), value)) if choices else str(value)
    except (TypeError, ValueError):
        return str(value)


def person_values(user: Any, person: Person | None) -> dict[str, str]:
    if person is None:
        return {}
    k = person.keluarga
    code = k.kode_desa
    full = access.nik_access(user, code) == access.NIK_FULL
    values = {
        "nama": person.nama,
        "nik": person.nik if full else mask_number(person.nik),
        "no_kk": person.no_kk if full else mask_number(person.no_kk),
        "tgl_lahir": person.tgl_lahir.isoformat() if person.tgl_lahir else "",
        "jenis_kelamin": _choice("jenis_kelamin", person.jenis_kelamin),
        "tempat_lahir": person.tempat_lahir,
        "nama_ibu": person.nama_ibu,
        "kode_desa": code,
        "alamat": k.alamat,
        "rt_rw": f"{k.rt}/{k.rw}" if k.rt or k.rw else "",
    }
    return {key: value or "" for key, value in values.items()}


@dataclass
class Row:
    label: str
    left: str
    right: str
    differs: bool


def side_by_side(left: dict[str, str], right: dict[str, str]) -> list[Row]:
    rows = []
    for field, label in FIELDS:
        a, b = left.get(field, ""), right.get(field, "")
        differs = bool(a and b) and a.strip().upper() != b.strip().upper()
        rows.append(Row(label, a, b, differs))
    return rows


@dataclass
class GoldenRow:
    label: str
    value: str
    person: int | None
    source: str
    visible: bool


def golden_rows(user: Any, golden: dict[str, Any], visible_persons: set[int]) -> list[GoldenRow]:
    """Golden fields whose source record the user may see (others say where they are)."""
    rows = []
    desa = (golden.get("kode_desa") or {}).get("nilai") or ""
    full = access.nik_access(user, desa) == access.NIK_FULL
    for field, label in [*FIELDS, *GOLDEN_EXTRA]:
        if field == "rt_rw":
            rt, rw = golden.get("rt") or {}, golden.get("rw") or {}
            entry = (
                {**rt, "nilai": f"{rt.get('nilai') or ''}/{rw.get('nilai') or ''}"}
                if rt or rw
                else None
            )
        else:
            entry = golden.get(field)
        if not entry:
            continue
        person = entry.get("orang")
        visible = person in visible_persons
        value = _choice(field, entry.get("nilai")) if visible else ""
        if field in NUMBERS and visible and not full:
            value = mask_number(value)
        rows.append(GoldenRow(label, value, person, entry.get("sumber") or "", visible))
    return rows
