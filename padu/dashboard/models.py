"""Precomputed aggregates of the TKPK dashboards: one row per region with the counts every
indicator is computed from (``padu/dashboard/indicators.py``). Pages read only these rows;
``padu dasbor refresh`` and the background task rewrite them."""

from __future__ import annotations

from django.db import models


class Agregat(models.Model):
    """The counts of one region (province 33, a kabupaten, kecamatan or desa) in one month:
    the month's last refresh replaces its row, earlier months stay for the trend charts."""

    kode = models.CharField("kode wilayah", max_length=13)
    bulan = models.DateField("bulan (tanggal 1)")
    tingkat = models.PositiveSmallIntegerField("panjang kode (2, 5, 8, 13)", db_index=True)
    induk = models.CharField("kode wilayah induk", max_length=13, blank=True, db_index=True)
    nilai = models.JSONField("hitungan", default=dict)
    dihitung = models.DateTimeField("dihitung")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kode", "bulan"], name="one_aggregate_per_month")
        ]
        indexes = [models.Index(fields=["bulan", "induk"])]
        verbose_name = "agregat dasbor"
        verbose_name_plural = "agregat dasbor"

    def __str__(self) -> str:
        return f"{self.kode} ({self.dihitung:%Y-%m-%d %H:%M})"
