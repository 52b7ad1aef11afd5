"""Dana Desa and BLT-DD: budgets, yearly rules, candidate lists (versioned), musdesus
decisions and monthly payments per KPM."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from padu.core.models import TimestampedModel

USER = settings.AUTH_USER_MODEL


class AturanTahun(TimestampedModel):
    """The BLT-DD rule of one year as data (see ``padu/engine/danadesa/aturan.yaml``)."""

    tahun = models.PositiveSmallIntegerField("tahun", unique=True)
    dasar_hukum = models.CharField("dasar hukum", max_length=300)
    data = models.JSONField("isi aturan", help_text="batas, persen, nilai, bulan, tingkat, ...")

    class Meta:
        verbose_name = "aturan BLT-DD"
        verbose_name_plural = "aturan BLT-DD"
        ordering = ["tahun"]

    def __str__(self) -> str:
        return f"BLT-DD {self.tahun} ({self.dasar_hukum})"


class Impor(TimestampedModel):
    """A file imported (pagu of a kabupaten, payments of a desa), accepted or refused, with
    every row as read and the problems found: nothing is lost (DESIGN.md rule 5)."""

    class Jenis(models.TextChoices):
        PAGU = "pagu", "Pagu Dana Desa"
        PEMBAYARAN = "pembayaran", "Pembayaran BLT-DD"

    class Status(models.TextChoices):
        DITERIMA = "diterima", "Diterima"
        DITOLAK = "ditolak", "Ditolak"

    jenis = models.CharField(max_length=12, choices=Jenis.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    nama_berkas = models.CharField("nama berkas", max_length=255)
    sha256 = models.CharField("sidik berkas (SHA-256)", max_length=64)
    tahun = models.PositiveSmallIntegerField("tahun")
    wilayah = models.CharField("wilayah", max_length=13, blank=True, db_index=True)
    baris = models.JSONField("baris sebagaimana dibaca", default=list)
    pesan = models.TextField("masalah", blank=True)
    dicatat_oleh = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "impor BLT-DD"
        verbose_name_plural = "impor BLT-DD"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.nama_berkas} ({self.get_status_display()})"


class Pagu(TimestampedModel):
    """Dana Desa of one desa in one year, with the share planned for BLT-DD."""

    class Sumber(models.TextChoices):
        ISIAN = "isian", "Diisi"
        IMPOR = "impor", "Impor berkas"

    kode_desa = models.CharField("kode desa", max_length=13)
    tahun = models.PositiveSmallIntegerField("tahun")
    pagu = models.BigIntegerField("pagu Dana Desa (Rp)")
    persen_blt = models.DecimalField(
        "porsi BLT-DD (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    sumber = models.CharField(max_length=10, choices=Sumber.choices, default=Sumber.ISIAN)
    berkas = models.CharField("berkas impor", max_length=255, blank=True)
    impor = models.ForeignKey(
        Impor, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dicatat_oleh = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "pagu Dana Desa"
        verbose_name_plural = "pagu Dana Desa"
        constraints = [
            models.UniqueConstraint(fields=["kode_desa", "tahun"], name="danadesa_pagu_desa_tahun")
        ]

    def __str__(self) -> str:
        return f"{self.kode_desa} {self.tahun}: Rp {self.pagu:,}"


class Daftar(TimestampedModel):
    """One version of a desa's BLT-DD list: computed (``usulan``) or set by a musdesus
    (``penetapan``). Versions are never changed; a later musdesus makes a new one."""

    class Jenis(models.TextChoices):
        USULAN = "usulan", "Daftar calon (hasil hitung)"
        PENETAPAN = "penetapan", "Hasil musdesus"

    kode_desa = models.CharField("kode desa", max_length=13)
    tahun = models.PositiveSmallIntegerField("tahun")
    versi = models.PositiveIntegerField("versi")
    jenis = models.CharField(max_length=10, choices=Jenis.choices)
    aturan = models.JSONField("aturan yang dipakai")
    pagu = models.BigIntegerField("pagu Dana Desa (Rp)")
    persen = models.DecimalField("porsi BLT-DD (%)", max_digits=5, decimal_places=2)
    kuota = models.PositiveIntegerField("kuota keluarga")
    dasar = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="versi asal",
    )
    dibuat_oleh = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    kunci = models.CharField(
        "kunci idempotensi",
        max_length=64,
        blank=True,
        help_text="Dari formulir: mengirim ulang tidak membuat versi kedua.",
    )

    class Meta:
        verbose_name = "daftar BLT-DD"
        verbose_name_plural = "daftar BLT-DD"
        ordering = ["kode_desa", "tahun", "-versi"]
        constraints = [
            models.UniqueConstraint(
                fields=["kode_desa", "tahun", "versi"], name="danadesa_daftar_versi"
            ),
            models.UniqueConstraint(
                fields=["kunci"], condition=~models.Q(kunci=""), name="danadesa_daftar_kunci"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kode_desa} {self.tahun} v{self.versi} ({self.get_jenis_display()})"


class Baris(models.Model):
    """A family on one version of a list."""

    class Status(models.TextChoices):
        KPM = "kpm", "Dalam kuota / KPM"
        CADANGAN = "cadangan", "Memenuhi syarat, di luar kuota"
        DIHAPUS = "dihapus", "Dihapus musdesus"

    daftar = models.ForeignKey(Daftar, on_delete=models.CASCADE, related_name="baris")
    keluarga = models.ForeignKey("registry.Keluarga", on_delete=models.PROTECT, related_name="+")
    peringkat = models.PositiveIntegerField("peringkat")
    tingkat = models.PositiveSmallIntegerField("tingkat prioritas", null=True)
    alasan = models.CharField("alasan masuk", max_length=300)
    keterangan = models.CharField("keterangan urutan", max_length=500, blank=True)
    desil = models.PositiveSmallIntegerField("desil", null=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    konflik = models.JSONField("konflik", default=list, blank=True)

    class Meta:
        verbose_name = "baris daftar BLT-DD"
        verbose_name_plural = "baris daftar BLT-DD"
        ordering = ["daftar", "peringkat"]
        constraints = [
            models.UniqueConstraint(fields=["daftar", "keluarga"], name="danadesa_baris_unik")
        ]

    def __str__(self) -> str:
        return f"{self.peringkat}. keluarga {self.keluarga_id} ({self.get_status_display()})"


class Musdesus(TimestampedModel):
    """A special village deliberation deciding a list version; its result is ``hasil``."""

    kode_desa = models.CharField("kode desa", max_length=13)
    tahun = models.PositiveSmallIntegerField("tahun")
    nomor = models.CharField("nomor berita acara", max_length=120)
    tanggal = models.DateField("tanggal")
    tempat = models.CharField("tempat", max_length=200)
    pimpinan = models.CharField("pimpinan musdesus", max_length=120)
    peserta = models.JSONField("peserta", default=list, help_text="[{nama, jabatan}]")
    penandatangan = models.JSONField("penandatangan", default=list, help_text="[{nama, jabatan}]")
    nomor_perkades = models.CharField("nomor Perkades/SK", max_length=120)
    tanggal_perkades = models.DateField("tanggal Perkades/SK", null=True, blank=True)
    catatan = models.TextField("catatan", blank=True)
    daftar_asal = models.ForeignKey(Daftar, on_delete=models.PROTECT, related_name="+")
    hasil = models.OneToOneField(Daftar, on_delete=models.PROTECT, related_name="musdesus")
    dicatat_oleh = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    kunci = models.CharField(
        "kunci idempotensi",
        max_length=64,
        blank=True,
        help_text="Dari formulir: mengirim ulang tidak mencatat musdesus kedua.",
    )

    class Meta:
        verbose_name = "musdesus BLT-DD"
        verbose_name_plural = "musdesus BLT-DD"
        ordering = ["kode_desa", "tahun", "-tanggal", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kunci"], condition=~models.Q(kunci=""), name="danadesa_musdesus_kunci"
            )
        ]


class Keputusan(models.Model):
    """A change decided at a musdesus: a family added or removed, with the reason."""

    class Tindakan(models.TextChoices):
        TAMBAH = "tambah", "Ditambahkan"
        HAPUS = "hapus", "Dihapus"

    musdesus = models.ForeignKey(Musdesus, on_delete=models.CASCADE, related_name="keputusan")
    keluarga = models.ForeignKey("registry.Keluarga", on_delete=models.PROTECT, related_name="+")
    tindakan = models.CharField(max_length=10, choices=Tindakan.choices)
    alasan = models.CharField("alasan", max_length=300)

    class Meta:
        verbose_name = "keputusan musdesus"
        verbose_name_plural = "keputusan musdesus"

    def __str__(self) -> str:
        return f"{self.get_tindakan_display()} keluarga {self.keluarga_id}: {self.alasan}"


class Pembayaran(TimestampedModel):
    """BLT-DD paid to one KPM for one month."""

    class Cara(models.TextChoices):
        TUNAI = "tunai", "Tunai"
        TRANSFER = "transfer", "Transfer"

    kode_desa = models.CharField("kode desa", max_length=13)
    tahun = models.PositiveSmallIntegerField("tahun")
    bulan = models.PositiveSmallIntegerField("bulan")
    keluarga = models.ForeignKey("registry.Keluarga", on_delete=models.PROTECT, related_name="+")
    tanggal = models.DateField("tanggal salur")
    cara = models.CharField("cara salur", max_length=10, choices=Cara.choices)
    jumlah = models.PositiveIntegerField("jumlah (Rp)")
    sumber = models.CharField("sumber", max_length=255, blank=True)
    impor = models.ForeignKey(
        Impor, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dicatat_oleh = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "pembayaran BLT-DD"
        verbose_name_plural = "pembayaran BLT-DD"
        ordering = ["kode_desa", "tahun", "bulan", "keluarga_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["keluarga", "tahun", "bulan"], name="danadesa_bayar_sekali_sebulan"
            )
        ]
        indexes = [models.Index(fields=["kode_desa", "tahun", "bulan"])]


class Perangkat(TimestampedModel):
    """A family with a village official (perangkat desa): excluded where the year's rule says."""

    keluarga = models.OneToOneField(
        "registry.Keluarga", on_delete=models.PROTECT, related_name="+", verbose_name="keluarga"
    )
    kode_desa = models.CharField("kode desa", max_length=13, db_index=True)
    jabatan = models.CharField("jabatan", max_length=120)
    dicatat_oleh = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "keluarga perangkat desa"
        verbose_name_plural = "keluarga perangkat desa"
