"""Resolving a resident's usul or sanggah task (``Tugas`` of jenis usul/sanggah): the
outcome and the note the resident reads on the tracking page (padu.layanan)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from padu.core.audit import audit_write
from padu.verval.models import Tugas
from padu.verval.services import VervalError
from padu.verval.services.usulan import require_desa_actor

WARGA = (Tugas.Jenis.USUL, Tugas.Jenis.SANGGAH)


@transaction.atomic
def tugas_resolve(*, actor: Any, tugas: Tugas, keputusan: str, catatan: str) -> Tugas:
    """Close a usul/sanggah task with an outcome and a note for the resident. A task a field
    visit already completed may still get its outcome, once."""
    require_desa_actor(actor, tugas.kode_desa)
    tugas = Tugas.objects.select_for_update().get(pk=tugas.pk)
    if tugas.jenis not in WARGA:
        raise VervalError("Hanya tugas usul atau sanggah warga yang diselesaikan dengan keputusan.")
    if keputusan not in Tugas.Keputusan.values:
        raise VervalError("Pilih keputusan: ditindaklanjuti, diterima, atau ditolak.")
    if tugas.keputusan or tugas.status == Tugas.Status.BATAL:
        raise VervalError("Tugas ini sudah diputuskan.")
    note = " ".join(catatan.split())[:500]
    if not note:
        raise VervalError("Tulis catatan untuk warga: apa hasilnya dan apa langkah berikutnya.")
    tugas.status = Tugas.Status.SELESAI
    tugas.keputusan = keputusan
    tugas.hasil = note
    tugas.selesai_pada = tugas.selesai_pada or timezone.now()
    tugas.save(update_fields=["status", "keputusan", "hasil", "selesai_pada", "updated_at"])
    audit_write(actor=actor, action="verval.tugas_resolve", obj=tugas, region_code=tugas.kode_desa,
                detail={"keputusan": keputusan, "jenis": tugas.jenis})  # fmt: skip
    return tugas
