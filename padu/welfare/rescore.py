"""Queueing the PMT re-scoring after the register changed (verval pengesahan, a finished
dampingan intervention): desil are relative to the whole region of the model in force, so
the region is re-scored in bulk by the worker once the change is committed; a page never
waits for it."""

from __future__ import annotations

from django.db import transaction

from padu.dashboard.tasks import refresh_after_commit
from padu.welfare.models import Activation
from padu.welfare.tasks import score_register


def rescore_after_commit(kode_kabupaten: str) -> list[str]:
    """Queue the re-scoring of the region of the model in force for ``kode_kabupaten`` (its
    dashboards follow); returns the notes to show."""
    prefix = kode_kabupaten + "."
    activations = [
        a
        for a in Activation.objects.filter(aktif=True).select_related("model")
        if prefix.startswith(a.wilayah) or a.wilayah == ""
    ]
    if not activations:
        refresh_after_commit()  # no re-scoring to wait for: the dashboards follow now
        return [f"Tidak ada model PMT aktif untuk {kode_kabupaten}: skor tidak dihitung ulang."]
    chosen = max(activations, key=lambda a: len(a.wilayah))
    model_id, wilayah = chosen.model.pk, chosen.wilayah
    transaction.on_commit(lambda: score_register.enqueue(model_id, wilayah))
    return [
        f"Skor PMT dan desil {wilayah.rstrip('.') or 'Jawa Tengah'} dihitung ulang di latar "
        f"({chosen.model.versi}); hasilnya tampil setelah pekerja latar selesai."
    ]
