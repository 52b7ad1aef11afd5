"""The approval chain after the musdes: kecamatan check, then Dinas Sosial verification.

Each step approves, rejects (with a reason) or returns for revision (with notes). A batch
(e.g. 500 usulan of one kecamatan) is one transaction: one refused usulan refuses the batch
and nothing of it is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from padu.accounts import access
from padu.core.audit import audit_write
from padu.verval.config import stage_roles
from padu.verval.models import Langkah, Tahap, Usulan
from padu.verval.services import VervalError, VervalForbidden
from padu.verval.services.periode import window_check

# Stage -> (status it acts on, status on approval).
CHAIN = {
    Tahap.KECAMATAN: (Usulan.Status.DITERIMA_MUSDES, Usulan.Status.DISETUJUI_KECAMATAN),
    Tahap.DINSOS: (Usulan.Status.DISETUJUI_KECAMATAN, Usulan.Status.DIVERIFIKASI),
}
DECISIONS = {
    "setuju": Langkah.Keputusan.SETUJU,
    "tolak": Langkah.Keputusan.TOLAK,
    "kembalikan": Langkah.Keputusan.KEMBALIKAN,
}


def _id_list(ids: Sequence[int], limit: int = 64) -> str:
    """As many ids as fit in the audit row's object id (64 characters), then "..."."""
    text = ",".join(map(str, ids))
    return text if len(text) <= limit else text[: limit - 3].rsplit(",", 1)[0] + "..."


def _check_one(actor: Any, usulan: Usulan, tahap: str, today: dt.date | None) -> None:
    if not access.can_act_as(actor, stage_roles(tahap), usulan.kode_desa):
        raise VervalForbidden(
            f"Usulan #{usulan.pk} (desa {usulan.kode_desa}) berada di luar wilayah atau peran "
            f"Anda untuk tahap {Tahap(tahap).label.lower()}."
        )
    waiting, _ = CHAIN[tahap]  # type: ignore[index]
    if usulan.status != waiting:
        raise VervalError(
            f"Usulan #{usulan.pk} berstatus '{usulan.get_status_display()}', bukan "
            f"'{Usulan.Status(waiting).label}'; tahap {Tahap(tahap).label.lower()} tidak "
            "dapat memutusnya sekarang."
        )
    if tahap == Tahap.KECAMATAN:
        musdes = getattr(getattr(usulan, "keputusan_musdes", None), "musdes", None)
        if musdes is None or not musdes.terkunci:
            raise VervalError(
                f"Berita acara musdes desa {usulan.kode_desa} untuk usulan #{usulan.pk} belum "
                "diunggah dengan tanda tangan; desa mengunggah pindaian berita acara dulu."
            )
    window_check(usulan.periode, tahap, today)


@transaction.atomic
def usulan_decide(
    *,
    actor: Any,
    usulan_ids: Sequence[int],
    tahap: str,
    keputusan: str,
    catatan: str = "",
    today: dt.date | None = None,
) -> int:
    """Approve (``setuju``), reject (``tolak``) or return (``kembalikan``) usulan at the
    kecamatan or Dinas Sosial stage; all of them or none. Returns how many were decided."""
    if tahap not in CHAIN:
        raise VervalError(
            f"Tahap '{tahap}' tidak memutus usulan di sini; pilih kecamatan atau dinsos."
        )
    if keputusan not in DECISIONS:
        raise VervalError("Keputusan harus setuju, tolak atau kembalikan.")
    if keputusan != "setuju" and not catatan.strip():
        raise VervalError(
            "Tuliskan alasan penolakan atau catatan perbaikan: desa perlu tahu apa yang salah."
        )
    ids = sorted(set(usulan_ids))
    if not ids:
        raise VervalError("Pilih minimal satu usulan.")
    rows = list(
        Usulan.objects.select_for_update(of=("self",))
        .select_related("periode", "keputusan_musdes__musdes")
        .filter(pk__in=ids)
    )
    missing = set(ids) - {u.pk for u in rows}
    if missing:
        raise VervalError(f"Usulan {', '.join(map(str, sorted(missing)))} tidak ditemukan.")
    for usulan in rows:
        _check_one(actor, usulan, tahap, today)
    _, approved = CHAIN[tahap]  # type: ignore[index]
    status = {
        "setuju": approved,
        "tolak": Usulan.Status.DITOLAK,
        "kembalikan": Usulan.Status.DIKEMBALIKAN,
    }[keputusan]
    user = actor if getattr(actor, "is_authenticated", False) else None
    note = catatan.strip()
    Usulan.objects.filter(pk__in=ids).update(status=status, catatan_terakhir=note)
    Langkah.objects.bulk_create(
        Langkah(usulan_id=pk, tahap=tahap, keputusan=DECISIONS[keputusan], catatan=note, oleh=user)
        for pk in ids
    )
    regions = sorted({u.kode_desa[:8] for u in rows})
    audit_write(
        actor=actor,
        action=f"verval.usulan_{keputusan}",
        object_type="verval.usulan",
        object_id=_id_list(ids),
        region_code=regions[0] if len(regions) == 1 else rows[0].kode_desa[:5],
        detail={"tahap": tahap, "jumlah": len(ids), "catatan": note[:200]},
    )
    return len(ids)
