"""PMT model registry, active model per region, family scores, programme eligibility rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from padu.core.models import TimestampedModel


class PmtModel(TimestampedModel):
    """A fitted (or fitting) PMT artifact; the artifact folder itself is immutable."""

    class Status(models.TextChoices):
        ANTRE = "antre", "Dalam antrean"
        SIAP = "siap", "Siap"
        GAGAL = "gagal", "Gagal"

    nama = models.CharField("nama", max_length=120)
    status = models.CharField("status", max_length=10, choices=Status.choices, default="antre")
    versi = models.CharField("versi", max_length=40, blank=True, db_index=True)
    hash = models.CharField("hash isi", max_length=64, blank=True)
    folder = models.CharField("folder artefak", max_length=500, blank=True)
    survei = models.CharField("berkas survei", max_length=500)
    kandidat = models.CharField("kandidat terpilih", max_length=40, blank=True)
    cv = models.JSONField("hasil validasi silang", default=dict, blank=True)
    manifest = models.JSONField("manifest", default=dict, blank=True)
    pesan = models.TextField("pesan kesalahan", blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "model PMT"
        verbose_name_plural = "model PMT"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.nama} ({self.versi or self.get_status_display()})"


class Activation(TimestampedModel):
    """A model in force for a region (a code prefix; "" = the whole province)."""

    model = models.ForeignKey(PmtModel, on_delete=models.PROTECT, related_name="activations")
    wilayah = models.CharField("wilayah (awalan kode)", max_length=13, blank=True)
    aktif = models.BooleanField("aktif", default=True)
    oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "aktivasi model"
        verbose_name_plural = "aktivasi model"
        constraints = [
            models.UniqueConstraint(
                fields=["wilayah"],
                condition=models.Q(aktif=True),
                name="one_active_model_per_region",
            )
        ]


class KeluargaScore(models.Model):
    """The current score and desil of a family (written in bulk by the scoring task)."""

    keluarga = models.OneToOneField(
        "registry.Keluarga", on_delete=models.CASCADE, related_name="skor_pmt"
    )
    model = models.ForeignKey(PmtModel, on_delete=models.PROTECT, related_name="+")
    versi = models.CharField("versi model", max_length=40)
    score = models.FloatField("skor (log pengeluaran per kapita prakiraan)")
    desil = models.PositiveSmallIntegerField("desil", db_index=True)
    desil_kabupaten = models.PositiveSmallIntegerField("desil dalam kabupaten/kota")
    wilayah = models.CharField("wilayah penghitungan", max_length=13, blank=True)
    dihitung = models.DateTimeField("dihitung")

    class Meta:
        verbose_name = "skor keluarga"
        verbose_name_plural = "skor keluarga"

    def __str__(self) -> str:
        return f"desil {self.desil} ({self.versi})"


class EligibilityRule(TimestampedModel):
    """A programme's desil limits, exclusions and quota in a region (configuration as data)."""

    program = models.ForeignKey("registry.Program", on_delete=models.PROTECT, related_name="+")
    wilayah = models.CharField("wilayah (awalan kode)", max_length=13, blank=True)
    desil_min = models.PositiveSmallIntegerField("desil terendah", default=1)
    desil_maks = models.PositiveSmallIntegerField("desil tertinggi")
    kecuali = models.JSONField(
        "pengecualian",
        default=list,
        blank=True,
        help_text='mis. [{"kolom": "asn", "nilai": true}]',
    )
    kuota = models.PositiveIntegerField("kuota keluarga", null=True, blank=True)
    aktif = models.BooleanField("aktif", default=True)

    class Meta:
        verbose_name = "aturan kelayakan"
        verbose_name_plural = "aturan kelayakan"
        ordering = ["program__code", "wilayah"]

    def __str__(self) -> str:
        return f"{self.program} desil {self.desil_min}-{self.desil_maks} {self.wilayah}".strip()

    def as_rule(self) -> dict[str, object]:
        return {
            "program": self.program.code,
            "wilayah": self.wilayah,
            "desil_min": self.desil_min,
            "desil_maks": self.desil_maks,
            "kecuali": self.kecuali,
            "kuota": self.kuota,
        }


class EstimasiKemiskinan(models.Model):
    """A small-area estimate of poverty (P0/P1/P2, percent; P1 and P2 as indices x 100) of
    one area, from a PMT model, its survey and the register: an estimate with its 90%
    interval, never a count. The latest run over a region replaces its areas' rows."""

    kode = models.CharField("kode wilayah", max_length=13, unique=True)
    tingkat = models.CharField("tingkat", max_length=10)
    p0 = models.FloatField("P0 (persen)")
    p0_bawah = models.FloatField("P0 batas bawah 90%")
    p0_atas = models.FloatField("P0 batas atas 90%")
    p1 = models.FloatField("P1")
    p1_bawah = models.FloatField("P1 batas bawah 90%")
    p1_atas = models.FloatField("P1 batas atas 90%")
    p2 = models.FloatField("P2")
    p2_bawah = models.FloatField("P2 batas bawah 90%")
    p2_atas = models.FloatField("P2 batas atas 90%")
    p0_ekstrem = models.FloatField("P0 kemiskinan ekstrem (persen)")
    keluarga = models.PositiveIntegerField("keluarga")
    orang = models.PositiveIntegerField("orang")
    model = models.ForeignKey(PmtModel, on_delete=models.PROTECT, related_name="+")
    versi_model = models.CharField("versi model PMT", max_length=40)
    survei = models.CharField("survei", max_length=200)
    garis_kemiskinan = models.FloatField("garis kemiskinan (Rp/kapita/bulan)")
    garis_ekstrem = models.FloatField("garis kemiskinan ekstrem (Rp/kapita/bulan)")
    garis_periode = models.CharField("periode garis kemiskinan", max_length=20)
    garis_sumber = models.CharField("sumber garis kemiskinan", max_length=200)
    jumlah_simulasi = models.PositiveIntegerField("jumlah simulasi")
    kalibrasi = models.JSONField("kalibrasi ke angka BPS", default=dict, blank=True)
    dihitung = models.DateTimeField("dihitung")

    class Meta:
        verbose_name = "estimasi kemiskinan"
        verbose_name_plural = "estimasi kemiskinan"
        ordering = ["kode"]

    def __str__(self) -> str:
        return f"{self.kode}: P0 {self.p0:.2f} ({self.p0_bawah:.2f}-{self.p0_atas:.2f})"


class AngkaKemiskinanBps(TimestampedModel):
    """A figure BPS published for a kabupaten/kota or the province: its own versioned series
    (a correction is a new version; earlier versions stay), never mixed with estimates."""

    kode = models.CharField("kode wilayah (provinsi atau kabupaten/kota)", max_length=5)
    periode = models.CharField("periode (TTTT-BB, mis. 2025-03)", max_length=7)
    versi = models.PositiveIntegerField("versi")
    p0 = models.FloatField("P0 (persen)")
    p1 = models.FloatField("P1", null=True, blank=True)
    p2 = models.FloatField("P2", null=True, blank=True)
    garis_kemiskinan = models.FloatField(
        "garis kemiskinan (Rp/kapita/bulan)", null=True, blank=True
    )
    sumber = models.CharField("sumber", max_length=300)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "angka kemiskinan BPS"
        verbose_name_plural = "angka kemiskinan BPS"
        ordering = ["kode", "-periode", "-versi"]
        constraints = [
            models.UniqueConstraint(
                fields=["kode", "periode", "versi"], name="one_bps_figure_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.periode} v{self.versi}: P0 {self.p0:.2f}"
