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


class OrangTuaAsuh(TimestampedModel):
    """A foster parent (sponsor): a resident, an ASN, a volunteer or an institution, with
    capacity, preferences and the support offered. ``user`` is its own login (a sponsor
    sees only pseudonymous profiles of the children it sponsors)."""

    class JenisOta(models.TextChoices):
        WARGA = "warga", "Warga"
        ASN = "asn", "ASN"
        RELAWAN = "relawan", "Relawan"
        LEMBAGA = "lembaga", "Lembaga (Baznas, perusahaan, ...)"

    class Jangkauan(models.TextChoices):
        DESA = "desa", "Desa yang sama"
        KECAMATAN = "kecamatan", "Kecamatan yang sama"
        KABUPATEN = "kabupaten", "Kabupaten/kota yang sama"
        PROVINSI = "provinsi", "Seluruh Jawa Tengah"

    class StatusOta(models.TextChoices):
        CALON = "calon", "Calon (menunggu verifikasi)"
        AKTIF = "aktif", "Aktif"
        BERHENTI = "berhenti", "Berhenti"

    jenis = models.CharField("jenis", max_length=10, choices=JenisOta.choices)
    nama = models.CharField("nama", max_length=255)
    kode_desa = models.CharField("kode desa domisili", max_length=13, db_index=True)
    kontak = models.CharField("kontak", max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="orang_tua_asuh",
    )  # fmt: skip
    kapasitas = models.PositiveSmallIntegerField("sanggup mengasuh (anak)", default=1)
    jangkauan = models.CharField(
        "jangkauan", max_length=10, choices=Jangkauan.choices, default=Jangkauan.KABUPATEN
    )
    kebutuhan = models.JSONField("kebutuhan yang dibantu", default=list, blank=True)
    jumlah_per_bulan = models.PositiveIntegerField("bantuan per bulan (Rp)", default=0)
    status = models.CharField(max_length=10, choices=StatusOta.choices, default=StatusOta.CALON)

    class Meta:
        verbose_name = "orang tua asuh"
        verbose_name_plural = "orang tua asuh"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama


class Asuhan(TimestampedModel):
    """A sponsorship confirmed by a person: a child, a foster parent, the need it covers and
    the pledge (rupiah per month, start, end); ended with a reason."""

    class StatusAsuhan(models.TextChoices):
        AKTIF = "aktif", "Aktif"
        BERAKHIR = "berakhir", "Berakhir"

    anak = models.ForeignKey(Anak, on_delete=models.PROTECT, related_name="asuhan")
    ota = models.ForeignKey(OrangTuaAsuh, on_delete=models.PROTECT, related_name="asuhan")
    kebutuhan = models.CharField("kebutuhan", max_length=30)
    jumlah_per_bulan = models.PositiveIntegerField("janji per bulan (Rp)")
    mulai = models.DateField("mulai")
    selesai = models.DateField("berakhir", null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=StatusAsuhan.choices, default=StatusAsuhan.AKTIF
    )
    alasan_berakhir = models.CharField("alasan berakhir", max_length=200, blank=True)
    dikonfirmasi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "asuhan"
        verbose_name_plural = "asuhan"

    def __str__(self) -> str:
        return f"{self.ota} → {self.anak} ({self.kebutuhan})"


class Penyaluran(TimestampedModel):
    """One disbursement of a sponsorship, with its receipt, to the guardian's account."""

    asuhan = models.ForeignKey(Asuhan, on_delete=models.PROTECT, related_name="penyaluran")
    tanggal = models.DateField("tanggal")
    jumlah = models.PositiveIntegerField("jumlah (Rp)")
    bukti = models.FileField("bukti terima", upload_to="asuh/bukti/%Y/%m/")
    rekening = models.CharField("rekening wali", max_length=100, blank=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "penyaluran"
        verbose_name_plural = "penyaluran"
        ordering = ["-tanggal"]

    def __str__(self) -> str:
        return f"{self.asuhan} {self.tanggal}: Rp {self.jumlah}"


class Pemantauan(TimestampedModel):
    """A monitoring visit to a sponsored child: still in school, grade, condition."""

    anak = models.ForeignKey(Anak, on_delete=models.CASCADE, related_name="pemantauan")
    tanggal = models.DateField("tanggal")
    masih_sekolah = models.BooleanField("masih sekolah")
    kelas = models.CharField("kelas", max_length=20, blank=True)
    kondisi = models.CharField("kondisi", max_length=500, blank=True)
    petugas = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "pemantauan anak"
        verbose_name_plural = "pemantauan anak"
        ordering = ["-tanggal"]

    def __str__(self) -> str:
        return f"{self.anak} {self.tanggal}"
