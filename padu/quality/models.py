"""The rule catalogue as stored (defaults from ``padu/engine/rules/catalogue.yaml``), check
runs, and the findings per record and rule. Findings are written in bulk (COPY /
executemany), never row by row through the ORM."""

from __future__ import annotations

from django.conf import settings
from django.db import models

SEVERITY_CHOICES = [("error", "Galat"), ("warning", "Peringatan"), ("info", "Info")]


class Rule(models.Model):
    """One rule of the catalogue: what the YAML says, as changed by administrators."""

    code = models.SlugField("kode", max_length=60, unique=True)
    group = models.CharField("kelompok", max_length=40)
    tables = models.JSONField("tabel", default=list)
    severity = models.CharField("tingkat", max_length=10, choices=SEVERITY_CHOICES)
    fields = models.JSONField("kolom", default=list, blank=True)
    message = models.TextField("pesan")
    hint = models.TextField("saran perbaikan")
    params = models.JSONField("parameter", default=dict, blank=True)
    active = models.BooleanField("aktif", default=True)
    order = models.PositiveSmallIntegerField("urutan", default=100)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        verbose_name = "aturan kualitas"
        verbose_name_plural = "aturan kualitas"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code


class CheckRun(models.Model):
    """One run of the rules over the register: all of it, or the records that changed."""

    class Kind(models.TextChoices):
        FULL = "penuh", "Seluruh register"
        INCREMENTAL = "perubahan", "Hanya yang berubah"

    class Status(models.TextChoices):
        RUNNING = "berjalan", "Berjalan"
        DONE = "selesai", "Selesai"
        FAILED = "gagal", "Gagal"

    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    status = models.CharField("status", max_length=10, choices=Status.choices, default="berjalan")
    started_at = models.DateTimeField("mulai", auto_now_add=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)
    reference_date = models.DateField("tanggal acuan")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oleh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    counts = models.JSONField("jumlah", default=dict, blank=True)
    skipped = models.JSONField("aturan tidak dijalankan", default=dict, blank=True)

    class Meta:
        verbose_name = "pemeriksaan kualitas"
        verbose_name_plural = "pemeriksaan kualitas"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"


class Finding(models.Model):
    """One problem of one record (a family, or a member of it) found by one rule.

    Foreign keys carry no database constraint: findings are replaced in bulk per family and
    the register never hard-deletes a family or person (deletion is soft)."""

    run = models.ForeignKey(
        CheckRun, verbose_name="pemeriksaan", on_delete=models.CASCADE, related_name="findings"
    )
    keluarga = models.ForeignKey(
        "registry.Keluarga",
        verbose_name="keluarga",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="quality_findings",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name="anggota",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="quality_findings",
    )
    kode_desa = models.CharField("kode desa/kelurahan", max_length=13, blank=True)
    rule = models.CharField("aturan", max_length=60)
    severity = models.CharField("tingkat", max_length=10, choices=SEVERITY_CHOICES)
    field = models.CharField("kolom", max_length=60, blank=True)
    message = models.TextField("pesan")

    class Meta:
        verbose_name = "temuan kualitas"
        verbose_name_plural = "temuan kualitas"
        indexes = [
            models.Index(fields=["kode_desa", "severity"]),
            models.Index(fields=["rule"]),
        ]

    def __str__(self) -> str:
        return f"{self.rule} ({self.severity})"
