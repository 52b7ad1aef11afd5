"""Orphans (anak yatim, piatu, yatim piatu): findings from the register waiting for a person
to confirm them, and the confirmed children with their guardian, schooling, needs and the
support they already receive. Children's records need their own permission (access.py,
``Role.sees_children``) and every read is audited."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from padu.core.models import TimestampedModel


class Jenis(models.TextChoices):
    YATIM = "yatim", "Yatim (ayah meninggal)"
    PIATU = "piatu", "Piatu (ibu meninggal)"
    YATIM_PIATU = "yatim_piatu", "Yatim piatu (ayah dan ibu meninggal)"


class Temuan(TimestampedModel):
    """A child the detection found, with its evidence; confirmed or rejected in the field."""

    class Jalur(models.TextChoices):
        KELUARGA = "keluarga", "Orang tua di KK yang sama"
        LINTAS = "lintas_keluarga", "Orang tua di KK lain"
        KEMATIAN = "kematian", "Data kematian sumber lain"

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", "Menunggu konfirmasi"
        DIKONFIRMASI = "dikonfirmasi", "Dikonfirmasi"
        DITOLAK = "ditolak", "Ditolak"

    person = models.OneToOneField(
        "registry.Person", on_delete=models.CASCADE, related_name="temuan_yatim"
    )
    keluarga = models.ForeignKey("registry.Keluarga", on_delete=models.CASCADE, related_name="+")
    kode_desa = models.CharField("kode desa/kelurahan", max_length=13, db_index=True)
    jenis = models.CharField("jenis", max_length=12, choices=Jenis.choices)
    jalur = models.CharField("jalur temuan", max_length=16, choices=Jalur.choices)
    keyakinan = models.FloatField("keyakinan")
    bukti = models.TextField("bukti")
    ayah = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ibu = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.MENUNGGU)
    catatan = models.TextField("catatan", blank=True)
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    diputuskan_pada = models.DateTimeField("diputuskan", null=True, blank=True)

    class Meta:
        verbose_name = "temuan anak yatim"
        verbose_name_plural = "temuan anak yatim"
        ordering = ["kode_desa", "pk"]

    def __str__(self) -> str:
        return f"temuan {self.person_id} ({self.jenis})"


class Anak(TimestampedModel):
    """A confirmed orphan (from a finding, or added in the field when the register lacks
    the child, which also raises a verval usulan baru)."""

    class Sekolah(models.TextChoices):
        BELUM = "belum", "Belum sekolah"
        SD = "sd", "SD/sederajat"
        SMP = "smp", "SMP/sederajat"
        SMA = "sma", "SMA/SMK/sederajat"
        PUTUS = "putus", "Putus sekolah"

    person = models.OneToOneField(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="anak_yatim",
    )
    temuan = models.OneToOneField(
        Temuan, null=True, blank=True, on_delete=models.SET_NULL, related_name="anak"
    )
    kode_desa = models.CharField("kode desa/kelurahan", max_length=13, db_index=True)
    nama = models.CharField("nama", max_length=255)
    tgl_lahir = models.DateField("tanggal lahir", null=True, blank=True)
    jenis_kelamin = models.PositiveSmallIntegerField("jenis kelamin", null=True, blank=True)
    jenis = models.CharField("jenis", max_length=12, choices=Jenis.choices)
    wali_nama = models.CharField("nama wali", max_length=255, blank=True)
    wali_hubungan = models.CharField("hubungan wali", max_length=100, blank=True)
    sekolah = models.CharField("sekolah", max_length=10, choices=Sekolah.choices, blank=True)
    kebutuhan = models.JSONField("kebutuhan", default=list, blank=True)
    dukungan = models.JSONField("dukungan yang sudah diterima", default=list, blank=True)
    persetujuan_wali = models.DateField(
        "persetujuan wali untuk berbagi data", null=True, blank=True,
        help_text="Tanpa persetujuan wali, data anak tidak dibagikan kepada orang tua asuh.",
    )  # fmt: skip
    aktif = models.BooleanField("aktif", default=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "anak yatim"
        verbose_name_plural = "anak yatim"
        ordering = ["kode_desa", "nama"]

    def __str__(self) -> str:
        return f"{self.nama} ({self.get_jenis_display()})"
