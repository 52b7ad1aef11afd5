"""Where data comes from: sources, import runs, and every input row kept as it was read.

The intake issue builds column mapping, staging, quarantine and promotion on these.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models

from padu.core.fields import CodeField


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
    column_mapping = models.JSONField(
        "pemetaan kolom",
        default=dict,
        blank=True,
        help_text='Per tabel: {"art": {"nik": "NO NIK", ...}}; disimpan dari impor terakhir.',
    )
    code_mapping = models.JSONField(
        "pemetaan kode",
        default=dict,
        blank=True,
        help_text='Per tabel dan kolom: {"art": {"jenis_kelamin": {"L": 1, "P": 2}}}.',
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
        PEMETAAN = "pemetaan", "Menunggu pemeriksaan pemetaan kolom"
        BERJALAN = "berjalan", "Membaca berkas"
        SIAP = "siap", "Siap dipromosikan"
        PROMOSI = "promosi", "Memasukkan ke register"
        SELESAI = "selesai", "Selesai"
        GAGAL = "gagal", "Gagal"
        DIBATALKAN = "dibatalkan", "Dibatalkan"

    source = models.ForeignKey(Source, verbose_name="sumber", on_delete=models.PROTECT)
    table = models.CharField(
        "jenis data",
        max_length=10,
        choices=[("keluarga", "Keluarga"), ("art", "Anggota keluarga")],
        default="keluarga",
    )
    file_name = models.CharField("nama berkas", max_length=255)
    file_path = models.CharField("berkas tersimpan", max_length=500, blank=True)
    layout = models.JSONField("susunan berkas", default=dict, blank=True)
    mapping = models.JSONField("pemetaan kolom dipakai", default=dict, blank=True)
    code_mapping = models.JSONField("pemetaan kode dipakai", default=dict, blank=True)
    rows_done = models.PositiveIntegerField("baris terbaca", default=0)
    rows_total = models.PositiveIntegerField("perkiraan jumlah baris", default=0)
    staged_upto = models.PositiveIntegerField(
        "baris terakhir yang sudah disimpan", default=0, help_text="Untuk melanjutkan impor."
    )
    chunks = models.PositiveIntegerField("jumlah potongan tersimpan", default=0)
    error_message = models.TextField("pesan galat", blank=True)
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

    class Status(models.TextChoices):
        SAH = "sah", "Sah (masuk register bila impornya selesai)"
        KARANTINA = "karantina", "Karantina"
        KOSONG = "kosong", "Baris kosong"

    # Indexed through the unique (import_run, table, row_number) constraint.
    import_run = models.ForeignKey(
        ImportRun,
        verbose_name="proses impor",
        on_delete=models.PROTECT,
        related_name="records",
        db_index=False,
        db_constraint=False,  # integrity by the writer: see docs/decisions/0003
    )
    table = CodeField("tabel", max_length=10, choices=Table.choices)
    row_number = models.PositiveIntegerField("nomor baris")
    source_key = CodeField("ID di sumber", max_length=64, blank=True)
    # The row's values as read are kept with its chunk's (SourceChunk): decision 0005.
    status = models.CharField("status", max_length=12, choices=Status.choices, default="sah")
    problems = models.TextField("masalah (JSON)", blank=True)
    repairs = models.TextField("perbaikan (JSON)", blank=True)

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

    @property
    def values(self) -> dict[str, Any]:
        """The row as read: file header -> text (from its chunk, see ``SourceChunk``)."""
        from padu.intake.raw import raw_values

        return raw_values(self.import_run_id, [self.row_number]).get(self.row_number, {})

    @property
    def problem_list(self) -> list[dict[str, Any]]:
        return list(json.loads(self.problems)) if self.problems else []

    @property
    def repair_list(self) -> list[dict[str, Any]]:
        return list(json.loads(self.repairs)) if self.repairs else []


class SourceChunk(models.Model):
    """The rows of one staged chunk of a run exactly as read, as one compressed Parquet
    file (column ``_baris`` is the row number, the others the file's headers, all text).

    Each row still has its own ``SourceRecord`` (status, problems, repairs); its values live
    here, written and read a chunk at a time: per row they were most of what an import wrote
    (decision 0005). Written in the transaction that writes the chunk's records.
    """

    import_run = models.ForeignKey(
        ImportRun, verbose_name="proses impor", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField("nomor potongan")
    first_row = models.PositiveIntegerField("baris pertama")
    last_row = models.PositiveIntegerField("baris terakhir")
    rows = models.BinaryField("isi baris (Parquet)")

    class Meta:
        verbose_name = "potongan baris sumber"
        verbose_name_plural = "potongan baris sumber"
        constraints = [
            models.UniqueConstraint(fields=["import_run", "number"], name="unique_source_chunk")
        ]

    def __str__(self) -> str:
        return f"{self.import_run_id}:{self.number} ({self.first_row}-{self.last_row})"


class EntityLink(models.Model):
    """Which register record a source's own id stands for: re-imports update, not duplicate."""

    # Indexed as the first column of the unique (source, table, source_key) constraint.
    # Its source is the run's, never deleted (PROTECT, checked by Django): no per-row
    # check of every link at commit (decision 0006).
    source = models.ForeignKey(
        Source,
        verbose_name="sumber",
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
    )
    table = CodeField("tabel", max_length=10, choices=SourceRecord.Table.choices)
    source_key = CodeField("ID di sumber", max_length=64)
    entity_id = models.BigIntegerField("ID di register")

    class Meta:
        verbose_name = "tautan ID sumber"
        verbose_name_plural = "tautan ID sumber"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "table", "source_key"], name="unique_entity_link"
            )
        ]
        indexes = [models.Index(fields=["table", "entity_id"])]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.table}:{self.source_key} -> {self.entity_id}"
