"""Official region reference (Kemendagri codes, dotted: ``33``, ``33.16``, ``33.16.01``,
``33.16.01.2001``). Codes are never deleted: a code missing from a newer list is flagged
inactive, so every record that refers to it keeps its meaning."""

from __future__ import annotations

from django.db import models


class Region(models.Model):
    code = models.CharField("kode", max_length=13, primary_key=True)
    name = models.CharField("nama", max_length=120)
    active = models.BooleanField(
        "aktif", default=True, help_text="Tidak aktif: kode tidak ada lagi di daftar terbaru."
    )
    vanished_at = models.DateTimeField("hilang sejak", null=True, blank=True)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def plain_code(self) -> str:
        return self.code.replace(".", "")


class Provinsi(Region):
    class Meta(Region.Meta):
        verbose_name = "provinsi"
        verbose_name_plural = "provinsi"


class Kabupaten(Region):
    """Kabupaten (01-69) or kota (71-99)."""

    provinsi = models.ForeignKey(Provinsi, on_delete=models.PROTECT, related_name="kabupaten")

    class Meta(Region.Meta):
        verbose_name = "kabupaten/kota"
        verbose_name_plural = "kabupaten/kota"

    @property
    def is_kota(self) -> bool:
        return int(self.code[3:5]) >= 71


class Kecamatan(Region):
    kabupaten = models.ForeignKey(Kabupaten, on_delete=models.PROTECT, related_name="kecamatan")

    class Meta(Region.Meta):
        verbose_name = "kecamatan"
        verbose_name_plural = "kecamatan"


class Desa(Region):
    """Desa or kelurahan: the first of the last four code digits is 1 (kelurahan) or 2 (desa)."""

    class Jenis(models.TextChoices):
        DESA = "desa", "Desa"
        KELURAHAN = "kelurahan", "Kelurahan"

    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="desa")
    jenis = models.CharField("jenis", max_length=10, choices=Jenis.choices)

    class Meta(Region.Meta):
        verbose_name = "desa/kelurahan"
        verbose_name_plural = "desa/kelurahan"


def desa_jenis(code: str) -> str:
    """Desa or kelurahan, read from the code (``33.16.01.1001`` kelurahan, ``...2001`` desa)."""
    marker = code.replace(".", "")[6:7]
    return Desa.Jenis.KELURAHAN if marker == "1" else Desa.Jenis.DESA
