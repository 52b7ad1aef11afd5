"""What residents send (usul, sanggah) and the counters that limit how often anyone may ask.

A :class:`Laporan` becomes a verval task (``Tugas`` with the same ``kunci``) in its desa's
running period, or waits until the next period's worklist picks it up. Its outcome is read
from that task; the resident follows it with the tracking code.
"""

from __future__ import annotations

from django.db import models

from padu.core.models import TimestampedModel


class Laporan(TimestampedModel):
    """One usul (propose a family) or sanggah (object to a recipient) from a resident."""

    class Jenis(models.TextChoices):
        USUL = "usul", "Usul"
        SANGGAH = "sanggah", "Sanggah"

    jenis = models.CharField("jenis", max_length=10, choices=Jenis.choices)
    kode_lacak = models.CharField("kode lacak", max_length=16, unique=True)
    kunci = models.CharField(
        "kunci tugas", max_length=40, unique=True, help_text="Kunci Tugas verval: warga:<kode>."
    )
    kode_desa = models.CharField("kode desa/kelurahan", max_length=13, db_index=True)
    data = models.JSONField("isian warga", default=dict)
    alasan = models.CharField("kode alasan sanggah", max_length=40, blank=True)
    keluarga = models.ForeignKey(
        "registry.Keluarga", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    idem = models.CharField("kunci idempotensi", max_length=64, null=True, blank=True, unique=True)
    ip_hash = models.CharField("HMAC alamat IP", max_length=32, blank=True)

    class Meta:
        verbose_name = "usul/sanggah warga"
        verbose_name_plural = "usul/sanggah warga"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kode_desa", "jenis", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.kode_lacak}"


class Hitungan(models.Model):
    """A counter of attempts (or failures) for one key in a time window, shared by every
    worker process through the database (docs/decisions/0009-layanan-limits-in-database.md).
    Keys hold HMACs of IP addresses and NIKs, never the values themselves."""

    kunci = models.CharField("kunci", max_length=80, unique=True)
    jumlah = models.PositiveIntegerField("jumlah", default=0)
    mulai = models.DateTimeField("awal jendela")
    terakhir = models.DateTimeField("terakhir")
    terkunci_sampai = models.DateTimeField("terkunci sampai", null=True, blank=True)

    class Meta:
        verbose_name = "hitungan batas"
        verbose_name_plural = "hitungan batas"

    def __str__(self) -> str:
        return f"{self.kunci}: {self.jumlah}"
