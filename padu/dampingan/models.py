"""Satu OPD Satu Desa Dampingan: partners (OPD, BUMD, Baznas, ...), their teams, their
assignments to desa per year, the measured poverty level of every desa per month, the
interventions they make, and their monthly reports to TKPK."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from padu.core.models import TimestampedModel


class Mitra(TimestampedModel):
    """An OPD or another partner that assists desa. ``wilayah`` is the programme it belongs
    to: "33" for the province's, a kabupaten code (e.g. "33.16") for a kabupaten's own."""

    kode = models.SlugField("kode", max_length=40, unique=True)
    nama = models.CharField("nama", max_length=200)
    jenis = models.CharField("jenis mitra", max_length=30)
    wilayah = models.CharField("program wilayah", max_length=5, default="33")
    aktif = models.BooleanField("aktif", default=True)

    class Meta:
        verbose_name = "mitra pendamping"
        verbose_name_plural = "mitra pendamping"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama


class AnggotaTim(TimestampedModel):
    """A user on a partner's team: sees the families of the desa the partner assists."""

    mitra = models.ForeignKey(Mitra, on_delete=models.CASCADE, related_name="anggota")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tim_dampingan"
    )
    jabatan = models.CharField("jabatan dalam tim", max_length=100, blank=True)

    class Meta:
        verbose_name = "anggota tim"
        verbose_name_plural = "anggota tim"
        constraints = [models.UniqueConstraint(fields=["mitra", "user"], name="anggota_unik")]

    def __str__(self) -> str:
        return f"{self.user} ({self.mitra})"


class Penugasan(TimestampedModel):
    """A partner assigned to a desa for a year, on a legal basis (SK/SE), with the desa's
    poverty level measured at assignment (``baseline``)."""

    class Zona(models.TextChoices):
        MERAH = "merah", "Merah"
        KUNING = "kuning", "Kuning"
        HIJAU = "hijau", "Hijau"

    mitra = models.ForeignKey(Mitra, on_delete=models.PROTECT, related_name="penugasan")
    kode_desa = models.CharField("kode desa/kelurahan", max_length=13, db_index=True)
    tahun = models.PositiveSmallIntegerField("tahun")
    dasar_hukum = models.CharField("dasar (nomor SK/SE)", max_length=200)
    zona = models.CharField("zona", max_length=10, choices=Zona.choices)
    baseline = models.JSONField("indikator saat penugasan", default=dict)
    baseline_bulan = models.DateField("bulan baseline")
    aktif = models.BooleanField("aktif", default=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "penugasan desa dampingan"
        verbose_name_plural = "penugasan desa dampingan"
        ordering = ["kode_desa", "mitra__nama"]
        constraints = [
            models.UniqueConstraint(fields=["mitra", "kode_desa", "tahun"], name="penugasan_unik")
        ]

    def __str__(self) -> str:
        return f"{self.mitra} · {self.kode_desa} ({self.tahun})"


class IndikatorDesa(models.Model):
    """The measured poverty level of one desa in one month (computed from the register,
    its PMT desil and the month's visits; never typed)."""

    kode_desa = models.CharField("kode desa/kelurahan", max_length=13)
    bulan = models.DateField("bulan")
    nilai = models.JSONField("indikator", default=dict)
    dihitung = models.DateTimeField("dihitung")

    class Meta:
        verbose_name = "indikator desa"
        verbose_name_plural = "indikator desa"
        constraints = [
            models.UniqueConstraint(fields=["kode_desa", "bulan"], name="indikator_desa_unik")
        ]

    def __str__(self) -> str:
        return f"{self.kode_desa} {self.bulan:%Y-%m}"


class JenisIntervensi(models.Model):
    """Catalogue: the kinds of intervention, and the register change a finished one makes."""

    kode = models.SlugField("kode", max_length=40, unique=True)
    nama = models.CharField("nama", max_length=200)
    perubahan = models.JSONField("perubahan register bila selesai", default=dict, blank=True)
    per_desa = models.BooleanField("untuk desa (bukan keluarga)", default=False)
    aktif = models.BooleanField("dipakai", default=True)

    class Meta:
        verbose_name = "jenis intervensi"
        verbose_name_plural = "jenis intervensi"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama


class SumberDana(models.Model):
    kode = models.SlugField("kode", max_length=40, unique=True)
    nama = models.CharField("nama", max_length=200)
    aktif = models.BooleanField("dipakai", default=True)

    class Meta:
        verbose_name = "sumber dana"
        verbose_name_plural = "sumber dana"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama


class Intervensi(TimestampedModel):
    """Something a partner does for a family (or for the whole desa when ``keluarga`` is
    empty), with its fund, rupiah and status. Finishing one with ``perubahan`` writes a
    versioned change to the register (``versi``)."""

    class Status(models.TextChoices):
        RENCANA = "rencana", "Rencana"
        BERJALAN = "berjalan", "Berjalan"
        SELESAI = "selesai", "Selesai"
        BATAL = "batal", "Batal"

    penugasan = models.ForeignKey(Penugasan, on_delete=models.PROTECT, related_name="intervensi")
    kode_desa = models.CharField("kode desa/kelurahan", max_length=13, db_index=True)
    keluarga = models.ForeignKey(
        "registry.Keluarga",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intervensi",
    )
    jenis = models.ForeignKey(JenisIntervensi, on_delete=models.PROTECT, related_name="+")
    sumber_dana = models.ForeignKey(SumberDana, on_delete=models.PROTECT, related_name="+")
    jumlah = models.BigIntegerField("jumlah (rupiah)", default=0)
    status = models.CharField("status", max_length=10, choices=Status.choices)
    mulai = models.DateField("tanggal mulai")
    selesai = models.DateField("tanggal selesai", null=True, blank=True)
    uraian = models.CharField("uraian", max_length=500, blank=True)
    bukti = models.FileField("foto bukti", upload_to="dampingan/bukti/%Y/%m/", blank=True)
    versi = models.ForeignKey(
        "registry.Version",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="perubahan register",
    )
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "intervensi"
        verbose_name_plural = "intervensi"
        ordering = ["-mulai", "-pk"]

    def __str__(self) -> str:
        return f"{self.jenis} · {self.kode_desa} ({self.status})"


class LaporanBulanan(TimestampedModel):
    """A partner's monthly report on one assisted desa, submitted to TKPK; ``isi`` keeps the
    figures as they were when submitted."""

    penugasan = models.ForeignKey(Penugasan, on_delete=models.CASCADE, related_name="laporan")
    bulan = models.DateField("bulan")
    tenggat = models.DateField("tenggat")
    isi = models.JSONField("isi saat dikirim", default=dict)
    catatan = models.TextField("catatan", blank=True)
    dikirim_pada = models.DateTimeField("dikirim")
    dikirim_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "laporan bulanan OPD"
        verbose_name_plural = "laporan bulanan OPD"
        constraints = [
            models.UniqueConstraint(fields=["penugasan", "bulan"], name="laporan_bulan_unik")
        ]

    def __str__(self) -> str:
        return f"{self.penugasan} {self.bulan:%Y-%m}"
