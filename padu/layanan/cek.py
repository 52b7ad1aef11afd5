"""Cek status: is a family registered, given a NIK and a second fact only the family knows.

The answer for a wrong second fact is the answer for an unknown NIK, and both take the same
work: the same queries run (against id 0 when nothing was found) and the facts are compared
as HMACs with ``hmac.compare_digest``, also against a random value when nothing is known.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from padu.core.formatting import BULAN
from padu.layanan.config import settings
from padu.registry.models import Keluarga, Participation, Person, Program, Status
from padu.verval.models import Usulan
from padu.wilayah.models import Desa

FAKTA = {"kepala": "Nama kepala keluarga (sesuai KK)", "ibu": "Nama ibu kandung"}
_WORD = re.compile(r"[^\W\d_]+")


def normal(text: str) -> str:
    """A name as compared: lower case, letters only, words separated by one space."""
    return " ".join(_WORD.findall((text or "").casefold()))


def _digest(key: bytes, text: str) -> bytes:
    return hmac.new(key, normal(text).encode(), hashlib.sha256).digest()


@dataclass
class Jawaban:
    """All a resident learns: registered, the desa, the verval status, programmes yes/no."""

    desa: str
    aktif: bool
    verval: list[str] = field(default_factory=list)
    program: list[tuple[str, bool]] = field(default_factory=list)


def _month(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{BULAN[local.month - 1]} {local.year}"


def lookup(nik: str, fakta_jenis: str, fakta: str, today: dt.date | None = None) -> Jawaban | None:
    """The answer for ``nik`` when ``fakta`` matches, else None (unknown and wrong alike)."""
    today = today or timezone.localdate()
    found = list(
        Person.objects.filter(nik=nik, keluarga__deleted_at__isnull=True)
        .order_by("id")
        .values_list("keluarga_id", "nama_ibu")[:1]
    )
    keluarga_id, nama_ibu = found[0] if found else (0, "")
    head = (
        Person.objects.filter(keluarga_id=keluarga_id, hub_kepala_keluarga=1)
        .order_by("id")
        .values_list("nama", flat=True)
        .first()
    )
    expected = (head or "") if fakta_jenis == "kepala" else nama_ibu
    key = secrets.token_bytes(32)
    # An empty or missing fact never matches: compare with a random value instead.
    target = expected if normal(expected) else secrets.token_hex(16)
    matched = hmac.compare_digest(_digest(key, fakta), _digest(key, target))
    family = Keluarga.objects.filter(pk=keluarga_id).values("kode_desa", "status", "verified_at")
    row = family.first() or {"kode_desa": "", "status": "", "verified_at": None}
    codes = list(settings()["cek_status"]["program"])
    programmes = dict(Program.objects.filter(code__in=codes).values_list("code", "nama"))
    received = set(
        Participation.objects.filter(keluarga_id=keluarga_id, program__code__in=codes)
        .filter(Q(end__isnull=True) | Q(end__gte=today), start__lte=today)
        .values_list("program__code", flat=True)
    )
    last = (
        Usulan.objects.filter(keluarga_id=keluarga_id)
        .order_by("-updated_at", "-id")
        .values_list("jenis", "status", "updated_at")
        .first()
    )
    desa = Desa.objects.filter(code=row["kode_desa"]).values_list("name", flat=True).first()
    if not (found and matched):
        return None
    answer = Jawaban(desa=desa or row["kode_desa"], aktif=row["status"] == Status.AKTIF)
    if row["verified_at"] is not None:
        answer.verval.append(f"Diverifikasi {_month(row['verified_at'])}")
    if last is not None:
        jenis, status, when = last
        answer.verval.append(
            f"Usulan {Usulan.Jenis(jenis).label.lower()}: {Usulan.Status(status).label.lower()}"
            f" ({_month(when)})"
        )
    if not answer.verval:
        answer.verval.append("Belum diverifikasi")
    answer.program = [(programmes[c], c in received) for c in codes if c in programmes]
    return answer
