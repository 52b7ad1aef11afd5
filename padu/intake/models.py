"""Where data comes from: sources, import runs, and every input row kept as it was read.

The intake issue builds column mapping, staging, quarantine and promotion on these.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Source(models.Model):
    """A registered data source (SIKS-NG export, Dukcapil extract, a village list, ...)."""

    class Kind(models.TextChoices):
        SIKS_NG = "siks_ng", "SIKS-NG (DTKS)"
        DTSEN = "dtsen", "DTSEN"
        DUKCAPIL = "dukcapil", "Dukcapil"
        P3KE = "p3ke", "P3KE"
        DT_JATENG = "dt_jateng", "DT Jateng"
        KABUPATEN = "kabupaten", "Aplikasi kabupaten/kota"
        DESA = "desa", "Daftar desa (BLT-DD dll.)"
        SURVEI = "survei", "Survei"
        SINTETIS = "sintetis", "Data sintetis"
        LAINNYA = "lainnya", "Lainnya"

    name = models.CharField("nama", max_length=100, unique=True)
    kind = models.CharField("jenis", max_length=20, choices=Kind.choices)
    owner_region = models.CharField("wilayah pemilik (awalan kode)", max_length=14, blank=True)
    trusted_for_identity = models.BooleanField(
        "dipercaya untuk identitas",
        default=False,
        help_text="NIK dari sumber ini dipakai untuk mencocokkan orang yang sama.",
    )
    created_at = models.DateTimeField("dibuat", auto_now_add=True)

    class Meta:
        verbose_name = "sumber data"
        verbose_name_plural = "sumber data"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    """One file (or pair of files) read from a source, with its outcome counts."""

    class Status(models.TextChoices):
        BERJALAN = "berjalan", "Berjalan"
        SELESAI = "selesai", "Selesai"
        GAGAL = "gagal", "Gagal"
        DIBATALKAN = "dibatalkan", "Dibatalkan"

    source = models.ForeignKey(Source, verbose_name="sumber", on_delete=models.PROTECT)
    file_name = models.CharField("nama berkas", max_length=255)
    file_sha256 = models.CharField("sidik berkas (SHA-256)", max_length=64, blank=True)
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.BERJALAN
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pengimpor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField("mulai", auto_now_add=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)
    counts = models.JSONField("jumlah", default=dict, blank=True)

    class Meta:
        verbose_name = "proses impor"
        verbose_name_plural = "proses impor"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source} {self.file_name}"


class SourceRecord(models.Model):
    """One input row exactly as read, with its source and import run: nothing is lost."""

    class Table(models.TextChoices):
        KELUARGA = "keluarga", "Keluarga"
        ART = "art", "Anggota keluarga"

    import_run = models.ForeignKey(
        ImportRun, verbose_name="proses impor", on_delete=models.PROTECT, related_name="records"
    )
    table = models.CharField("tabel", max_length=10, choices=Table.choices)
    row_number = models.PositiveIntegerField("nomor baris")
    source_key = models.CharField("ID di sumber", max_length=64, blank=True, db_index=True)
    data = models.JSONField("isi baris", default=dict)

    class Meta:
        verbose_name = "baris sumber"
        verbose_name_plural = "baris sumber"
        constraints = [
            models.UniqueConstraint(
                fields=["import_run", "table", "row_number"], name="unique_source_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.import_run_id}:{self.table}:{self.row_number}"
