"""Verval periods and their stage windows: a closed window refuses new input."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from padu.accounts import access
from padu.core.audit import audit_write
from padu.core.formatting import BULAN, tanggal
from padu.verval.config import settings, stage_roles
from padu.verval.models import Periode, Tahap
from padu.verval.services import VervalError, VervalForbidden

STAGES = [t.value for t in Tahap]


def _closing_day(year: int, month: int, value: Any) -> dt.date:
    last = calendar.monthrange(year, month)[1]
    if value == "akhir":
        return dt.date(year, month, last)
    return dt.date(year, month, min(int(value), last))


def default_dates(year: int, month: int) -> dict[str, dt.date]:
    """The stage closing dates of a monthly period from ``pengaturan.yaml``."""
    schedule = settings()["jadwal"]
    return {f"batas_{t}": _closing_day(year, month, schedule[t]) for t in STAGES}


def _check_order(dates: dict[str, dt.date], mulai: dt.date) -> None:
    previous, label = mulai, "tanggal mulai"
    for tahap in STAGES:
        day = dates[f"batas_{tahap}"]
        if day < previous:
            raise VervalError(
                f"Batas tahap {Tahap(tahap).label.lower()} ({tanggal(day)}) lebih awal dari "
                f"{label} ({tanggal(previous)}). Urutan tahap: desa, musdes, kecamatan, "
                "Dinas Sosial, pengesahan; setiap batas tidak boleh mendahului batas sebelumnya."
            )
        previous, label = day, f"batas tahap {Tahap(tahap).label.lower()}"


@transaction.atomic
def periode_create(
    *,
    actor: Any,
    kode_kabupaten: str,
    year: int,
    month: int,
    dates: dict[str, dt.date] | None = None,
) -> Periode:
    """A monthly period for one kabupaten/kota, with the default schedule unless ``dates``
    (``batas_desa`` ... ``batas_pengesahan``) say otherwise."""
    kode = kode_kabupaten.strip().rstrip(".")
    if not access.can_act_as(actor, stage_roles("periode"), kode + "."):
        raise VervalForbidden(
            f"Anda tidak berwenang membuka periode verval untuk kabupaten/kota {kode}: "
            "periode dibuka oleh Dinas Sosial kabupaten/kota atau admin provinsi."
        )
    mulai = dt.date(year, month, 1)
    chosen = {**default_dates(year, month), **(dates or {})}
    _check_order(chosen, mulai)
    if Periode.objects.filter(kode_kabupaten=kode, mulai=mulai).exists():
        raise VervalError(
            f"Periode {BULAN[month - 1]} {year} untuk {kode} sudah ada; ubah tanggalnya di "
            "halaman periode bila perlu."
        )
    periode = Periode.objects.create(
        kode_kabupaten=kode,
        nama=f"Verval {BULAN[month - 1]} {year}",
        mulai=mulai,
        dibuat_oleh=actor if getattr(actor, "is_authenticated", False) else None,
        **chosen,
    )
    audit_write(
        actor=actor,
        action="verval.periode_create",
        obj=periode,
        region_code=kode + ".",
        detail={k: v.isoformat() for k, v in chosen.items()},
    )
    return periode


def periode_current(kode_wilayah: str, today: dt.date | None = None) -> Periode | None:
    """The period of the region's kabupaten running on ``today`` (the latest started)."""
    today = today or timezone.localdate()
    return (
        Periode.objects.filter(
            kode_kabupaten=kode_wilayah[:5], mulai__lte=today, batas_pengesahan__gte=today
        )
        .order_by("-mulai")
        .first()
    )


def window_check(periode: Periode, tahap: str, today: dt.date | None = None) -> None:
    """Refuse input for ``tahap`` before the period starts or after the stage closed."""
    today = today or timezone.localdate()
    closing: dt.date = periode.batas(tahap)  # type: ignore[assignment]
    label = Tahap(tahap).label.lower()
    if today < periode.mulai:
        raise VervalError(
            f"{periode.nama} belum dimulai: tahap {label} dibuka {tanggal(periode.mulai)}."
        )
    if today > closing:
        raise VervalError(
            f"Jendela tahap {label} pada {periode.nama} sudah ditutup pada {tanggal(closing)}. "
            "Masukan baru tidak diterima lagi untuk periode ini; catat untuk periode berikutnya "
            "atau minta Dinas Sosial mengubah jadwal periode."
        )


def window_state(periode: Periode, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Each stage with its closing date and whether it is open, due soon or closed."""
    today = today or timezone.localdate()
    rows = []
    for tahap in STAGES:
        closing: dt.date = periode.batas(tahap)  # type: ignore[assignment]
        days = (closing - today).days
        state = "tutup" if days < 0 else ("segera" if days <= 2 else "buka")
        rows.append(
            {"tahap": tahap, "label": Tahap(tahap).label, "batas": closing, "sisa": days,
             "keadaan": state}
        )  # fmt: skip
    return rows
