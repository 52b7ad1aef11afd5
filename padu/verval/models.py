"""The verval cycle: periods with stage windows, worklist tasks, field visits, usulan,
musdes and their decisions, approval steps and pengesahan (the bupati's SK).

A usulan never edits the register until it is approved (``services/apply.py``); every
step of its way is a :class:`Langkah` row and an audit row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from padu.core.models import TimestampedModel


class Tahap(models.TextChoices):
    """The stages of a period, each with its own closing date."""

    DESA = "desa", "Input desa/kelurahan"
    MUSDES = "musdes", "Musyawarah desa/kelurahan"
    KECAMATAN = "kecamatan", "Pemeriksaan kecamatan"
    DINSOS = "dinsos", "Verifikasi Dinas Sosial"
    PENGESAHAN = "pengesahan", "Pengesahan bupati/wali kota"


class Periode(TimestampedModel):
    """One verval period of a kabupaten/kota (monthly by default), with a closing date per
    stage: input for a stage is refused after its date (configuration: ``jadwal.yaml``)."""

    kode_kabupaten = models.CharField("kode kabupaten/kota", max_length=5, db_index=True)
    nama = models.CharField("nama periode", max_length=80)
    mulai = models.DateField("mulai")
    batas_desa = models.DateField("batas input desa")
    batas_musdes = models.DateField("batas musdes")
    batas_kecamatan = models.DateField("batas pemeriksaan kecamatan")
    batas_dinsos = models.DateField("batas verifikasi Dinas Sosial")
    batas_pengesahan = models.DateField("batas pengesahan")
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "periode verval"
        verbose_name_plural = "periode verval"
        ordering = ["-mulai", "kode_kabupaten"]
        constraints = [
            models.UniqueConstraint(
                fields=["kode_kabupaten", "mulai"], name="one_period_per_kabupaten_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.kode_kabupaten})"

    def batas(self, tahap: str) -> object:
        return getattr(self, f"batas_{tahap}")


class Tugas(TimestampedModel):
    """One worklist item of a desa: something to verify, with an assignee and a due date."""

    class Jenis(models.TextChoices):
        TEMUAN = "temuan", "Temuan kualitas data (galat)"
        GANDA = "ganda", "Kemungkinan data ganda (tinjauan tautan)"
        MENINGGAL = "meninggal", "Dilaporkan meninggal oleh sumber lain"
        BELUM_DIVERIFIKASI = "belum_diverifikasi", "Belum diverifikasi"
        DESIL = "desil", "Perubahan desil"
        SANGGAH = "sanggah", "Sanggahan warga"
        USUL = "usul", "Usulan warga"

    class Status(models.TextChoices):
        TERBUKA = "terbuka", "Terbuka"
        SELESAI = "selesai", "Selesai"
        BATAL = "batal", "Dibatalkan"

    class Keputusan(models.TextChoices):
        """The outcome of a resident's usul or sanggah, shown on the tracking page."""

        DITINDAKLANJUTI = "ditindaklanjuti", "Ditindaklanjuti"
        DITERIMA = "diterima", "Diterima"
        DITOLAK = "ditolak", "Ditolak"

    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="tugas")
    kode_desa = models.CharField("kode desa/kelurahan", max_length=13)
    jenis = models.CharField("jenis", max_length=20, choices=Jenis.choices)
    keluarga = models.ForeignKey(
        "registry.Keluarga", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kunci = models.CharField(
        "kunci", max_length=120, help_text="Satu tugas per hal per periode (dibuat ulang aman)."
    )
    uraian = models.CharField("uraian", max_length=500)
    penanggung = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="penanggung jawab",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    batas = models.DateField("batas waktu")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TERBUKA)
    hasil = models.CharField("hasil", max_length=500, blank=True)
    selesai_pada = models.DateTimeField("selesai", null=True, blank=True)
    keputusan = models.CharField(
        "keputusan (usul/sanggah warga)", max_length=20, choices=Keputusan.choices, blank=True,
        default="", db_default="",
    )  # fmt: skip

    class Meta:
        verbose_name = "tugas verval"
        verbose_name_plural = "daftar kerja verval"
        ordering = ["batas", "kode_desa", "id"]
        constraints = [
            models.UniqueConstraint(fields=["periode", "kunci"], name="one_task_per_key")
        ]
        indexes = [models.Index(fields=["kode_desa", "status"])]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()}: {self.uraian}"


class Kunjungan(TimestampedModel):
    """A home visit recorded with the field form (offline first): one per idempotency key."""

    class Hasil(models.IntegerChoices):
        TERVERIFIKASI = 1, "1 Terverifikasi"
        TIDAK_DITEMUKAN = 2, "2 Rumah tangga tidak ditemukan"
        PINDAH = 3, "3 Pindah / bangunan tidak ada"
        SEBAGIAN = 4, "4 Sebagian anggota rumah tangga tercatat"
        GANDA = 5, "5 Data ganda"

    kunci = models.CharField("kunci idempotensi", max_length=64, unique=True)
    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="kunjungan")
    tugas = models.ForeignKey(
        Tugas, null=True, blank=True, on_delete=models.SET_NULL, related_name="kunjungan"
    )
    keluarga = models.ForeignKey("registry.Keluarga", on_delete=models.PROTECT, related_name="+")
    kode_desa = models.CharField("kode desa/kelurahan", max_length=13, db_index=True)
    hasil = models.PositiveSmallIntegerField("hasil kunjungan", choices=Hasil.choices)
    data = models.JSONField("isian formulir", default=dict)
    catatan = models.TextField("catatan", blank=True)
    lintang = models.FloatField("lintang", null=True, blank=True)
    bujur = models.FloatField("bujur", null=True, blank=True)
    akurasi = models.FloatField("akurasi GPS (m)", null=True, blank=True)
    dikunjungi_pada = models.DateTimeField("waktu kunjungan")
    petugas = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "kunjungan lapangan"
        verbose_name_plural = "kunjungan lapangan"
        ordering = ["-dikunjungi_pada"]

    def __str__(self) -> str:
        return f"kunjungan {self.keluarga_id} ({self.get_hasil_display()})"


class Musdes(TimestampedModel):
    """The village deliberation of one desa in one period (or the SPTJM in its place)."""

    class Jenis(models.TextChoices):
        MUSDES = "musdes", "Musyawarah desa"
        MUSKEL = "muskel", "Musyawarah kelurahan"
        SPTJM = "sptjm", "SPTJM (tanpa musyawarah)"

    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="musdes")
    kode_desa = models.CharField("kode desa/kelurahan", max_length=13)
    jenis = models.CharField(max_length=10, choices=Jenis.choices, default=Jenis.MUSDES)
    nomor = models.CharField("nomor berita acara", max_length=80)
    tanggal = models.DateField("tanggal")
    tempat = models.CharField("tempat", max_length=200)
    pimpinan = models.CharField("pimpinan musyawarah", max_length=120)
    peserta = models.JSONField("peserta", default=list, help_text="[{nama, jabatan}]")
    penandatangan = models.JSONField("penandatangan", default=list, help_text="[{nama, jabatan}]")
    catatan = models.TextField("catatan", blank=True)
    alasan_tanpa_musdes = models.TextField("alasan tanpa musyawarah (SPTJM)", blank=True)
    scan = models.FileField("pindaian bertanda tangan", upload_to="verval/musdes/", blank=True)
    dikunci_pada = models.DateTimeField("dikunci", null=True, blank=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "musyawarah desa"
        verbose_name_plural = "musyawarah desa"
        constraints = [
            models.UniqueConstraint(fields=["periode", "kode_desa"], name="one_musdes_per_desa")
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.kode_desa} {self.tanggal}"

    @property
    def terkunci(self) -> bool:
        return self.dikunci_pada is not None


class Pengesahan(TimestampedModel):
    """The bupati/wali kota's decree (SK) approving a period's verified usulan, recorded by
    the Dinas Sosial with the signed PDF."""

    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="pengesahan")
    nomor_sk = models.CharField("nomor SK", max_length=120)
    tanggal_sk = models.DateField("tanggal SK")
    berkas = models.FileField("SK bertanda tangan (PDF)", upload_to="verval/sk/")
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    jumlah_usulan = models.PositiveIntegerField("jumlah usulan disahkan", default=0)
    ringkasan = models.JSONField("hasil penerapan", default=dict)

    class Meta:
        verbose_name = "pengesahan"
        verbose_name_plural = "pengesahan"

    def __str__(self) -> str:
        return f"SK {self.nomor_sk} ({self.tanggal_sk})"


class Usulan(TimestampedModel):
    """A proposed change to the register: a new family, corrections, a removal or a return
    to active. It waits, stage by stage, until approved, and only then is applied."""

    class Jenis(models.TextChoices):
        BARU = "baru", "Baru"
        PERBAIKAN = "perbaikan", "Perbaikan data"
        NONAKTIF = "nonaktif", "Penonaktifan"
        AKTIF_KEMBALI = "aktif_kembali", "Aktif kembali"

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", "Diajukan desa"
        DITERIMA_MUSDES = "diterima_musdes", "Diterima musdes"
        DISETUJUI_KECAMATAN = "disetujui_kecamatan", "Disetujui kecamatan"
        DIVERIFIKASI = "diverifikasi", "Diverifikasi Dinas Sosial"
        DITERAPKAN = "diterapkan", "Disahkan dan diterapkan"
        DIKEMBALIKAN = "dikembalikan", "Dikembalikan untuk perbaikan"
        DITOLAK = "ditolak", "Ditolak"

    class Asal(models.TextChoices):
        OPERATOR = "operator", "Operator"
        KUNJUNGAN = "kunjungan", "Kunjungan lapangan"
        WARGA = "warga", "Usul/sanggah warga"

    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="usulan")
    kode_desa = models.CharField("kode desa/kelurahan", max_length=13)
    jenis = models.CharField(max_length=15, choices=Jenis.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DIAJUKAN)
    asal = models.CharField(max_length=10, choices=Asal.choices, default=Asal.OPERATOR)
    keluarga = models.ForeignKey(
        "registry.Keluarga", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(
        "perubahan",
        default=dict,
        help_text="baru: {keluarga: {...}, anggota: [{...}]}; perbaikan: {keluarga: {kolom: "
        "nilai}, anggota: {id: {kolom: nilai}}}",
    )
    alasan_nonaktif = models.ForeignKey(
        "registry.NonaktifReason", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    alasan = models.TextField("alasan / keterangan")
    tugas = models.ForeignKey(
        Tugas, null=True, blank=True, on_delete=models.SET_NULL, related_name="usulan"
    )
    kunjungan = models.ForeignKey(
        Kunjungan, null=True, blank=True, on_delete=models.SET_NULL, related_name="usulan"
    )
    diusulkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    catatan_terakhir = models.TextField("catatan langkah terakhir", blank=True)
    pengesahan = models.ForeignKey(
        Pengesahan, null=True, blank=True, on_delete=models.PROTECT, related_name="usulan"
    )
    diterapkan_pada = models.DateTimeField("diterapkan", null=True, blank=True)

    class Meta:
        verbose_name = "usulan"
        verbose_name_plural = "usulan"
        ordering = ["kode_desa", "id"]
        indexes = [
            models.Index(fields=["periode", "status", "kode_desa"]),
            models.Index(fields=["kode_desa", "status"]),
        ]

    def __str__(self) -> str:
        return f"usulan {self.pk} {self.get_jenis_display()} ({self.get_status_display()})"


class Bukti(TimestampedModel):
    """A photo or document supporting a usulan; the location in a photo is kept only when
    the person recording it consented (otherwise it is stripped before storing)."""

    usulan = models.ForeignKey(Usulan, on_delete=models.CASCADE, related_name="bukti")
    berkas = models.FileField("berkas", upload_to="verval/bukti/")
    nama_asli = models.CharField("nama berkas", max_length=200)
    jenis_isi = models.CharField("jenis isi", max_length=80)
    ukuran = models.PositiveIntegerField("ukuran (bita)")
    lokasi_disetujui = models.BooleanField("lokasi boleh disimpan", default=False)
    lintang = models.FloatField(null=True, blank=True)
    bujur = models.FloatField(null=True, blank=True)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "bukti"
        verbose_name_plural = "bukti"

    def __str__(self) -> str:
        return self.nama_asli


class KeputusanMusdes(models.Model):
    """The musdes decision on one usulan."""

    class Keputusan(models.TextChoices):
        DITERIMA = "diterima", "Diterima"
        DITOLAK = "ditolak", "Ditolak"

    musdes = models.ForeignKey(Musdes, on_delete=models.CASCADE, related_name="keputusan")
    usulan = models.OneToOneField(Usulan, on_delete=models.CASCADE, related_name="keputusan_musdes")
    keputusan = models.CharField(max_length=10, choices=Keputusan.choices)
    alasan = models.CharField("alasan", max_length=500, blank=True)

    class Meta:
        verbose_name = "keputusan musdes"
        verbose_name_plural = "keputusan musdes"

    def __str__(self) -> str:
        return f"usulan {self.usulan_id}: {self.keputusan}"


class Langkah(models.Model):
    """One step of a usulan's way: who decided what at which stage, with the note."""

    class Keputusan(models.TextChoices):
        AJUKAN = "ajukan", "Diajukan"
        SETUJU = "setuju", "Disetujui"
        TOLAK = "tolak", "Ditolak"
        KEMBALIKAN = "kembalikan", "Dikembalikan"
        SAHKAN = "sahkan", "Disahkan"

    usulan = models.ForeignKey(Usulan, on_delete=models.CASCADE, related_name="langkah")
    tahap = models.CharField(max_length=12, choices=Tahap.choices)
    keputusan = models.CharField(max_length=12, choices=Keputusan.choices)
    catatan = models.TextField("catatan", blank=True)
    oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    pada = models.DateTimeField("waktu", auto_now_add=True)

    class Meta:
        verbose_name = "langkah persetujuan"
        verbose_name_plural = "langkah persetujuan"
        ordering = ["pada", "id"]

    def __str__(self) -> str:
        return f"{self.tahap}: {self.keputusan}"


class DesilAcuan(models.Model):
    """The desil of a family when the worklist was last generated: a later desil that moved
    by the configured threshold from it makes a task (``selisih_desil``)."""

    keluarga = models.OneToOneField(
        "registry.Keluarga", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    desil = models.PositiveSmallIntegerField("desil")
    dicatat = models.DateTimeField("dicatat")

    class Meta:
        verbose_name = "desil acuan"
        verbose_name_plural = "desil acuan"

    def __str__(self) -> str:
        return f"{self.keluarga_id}: desil {self.desil}"
