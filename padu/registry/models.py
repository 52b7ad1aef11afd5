"""The family register: keluarga (KK unit), their members, programme participation.

Attribute columns follow DTKS-CSV v1 (``padu/engine/dtks_csv_v1.yaml``), with the same
names, so files, engine frames and tables line up. Every change goes through
``services.py`` and is versioned in :class:`Version`; deletion is soft.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from padu.core.fields import CodeField
from padu.core.models import TimestampedModel
from padu.core.names import name_key
from padu.engine import schema

NAMA_KUNCI_LENGTH = 255


def nama_kunci_of(nama: str | None) -> str:
    """The stored search key of a name (``Person.nama_kunci``): ``name_key``, cut to fit."""
    return name_key(nama or "")[:NAMA_KUNCI_LENGTH]


def codes(table: schema.TableName, column: str) -> list[tuple[int, str]]:
    return sorted(schema.columns(table)[column].codes.items())


class Program(models.Model):
    """A social programme (PKH, BPNT/Sembako, PBI-JK, BLT-DD, PIP, or any added by users)."""

    code = models.SlugField("kode", max_length=40, unique=True)
    nama = models.CharField("nama", max_length=120)
    keterangan = models.TextField("keterangan", blank=True)
    per_person = models.BooleanField(
        "per orang", default=False, help_text="Bantuan untuk orang (mis. PIP), bukan keluarga."
    )
    flag_column = models.CharField(
        "kolom penanda di keluarga.csv", max_length=40, blank=True, help_text="mis. penerima_pkh"
    )
    active = models.BooleanField("aktif", default=True)

    class Meta:
        verbose_name = "program"
        verbose_name_plural = "program"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.nama


class NonaktifReason(models.Model):
    """A configurable reason for making a family or person inactive."""

    code = models.SlugField("kode", max_length=40, unique=True)
    label = models.CharField("alasan", max_length=200)
    active = models.BooleanField("dipakai", default=True)
    order = models.PositiveSmallIntegerField("urutan", default=100)

    class Meta:
        verbose_name = "alasan nonaktif"
        verbose_name_plural = "alasan nonaktif"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.label


class Status(models.TextChoices):
    AKTIF = "aktif", "Aktif"
    NONAKTIF = "nonaktif", "Nonaktif"
    MENINGGAL = "meninggal", "Meninggal"
    PINDAH = "pindah", "Pindah"


class RegisterRecord(TimestampedModel):
    """What families and persons share: status, provenance, soft deletion."""

    status = models.CharField("status", max_length=10, choices=Status.choices, default="aktif")
    status_reason = models.ForeignKey(
        NonaktifReason,
        verbose_name="alasan nonaktif",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        # Reference data, never deleted while used (PROTECT, checked by Django): no per-row
        # check of every bulk-written row at commit (decisions 0003, 0006).
        db_constraint=False,
    )
    source_record = models.ForeignKey(
        "intake.SourceRecord",
        verbose_name="baris sumber asal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # provenance: written in bulk, read one record at a time
        db_constraint=False,  # integrity by the writer: see docs/decisions/0003
    )
    import_run = models.ForeignKey(
        "intake.ImportRun",
        verbose_name="proses impor asal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # provenance: written in bulk, read one record at a time
        db_constraint=False,  # integrity by the writer: see docs/decisions/0003
    )
    verified_at = models.DateTimeField("terakhir diverifikasi", null=True, blank=True)
    deleted_at = models.DateTimeField("dihapus", null=True, blank=True)
    deleted_reason = models.CharField("alasan dihapus", max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class LiveManager(models.Manager):
    """Records not soft-deleted."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Keluarga(RegisterRecord):
    """A family: the KK unit, with housing, assets and programme flags as last reported."""

    id_keluarga = CodeField("ID keluarga", max_length=64, blank=True)
    no_kk = CodeField("Nomor KK", max_length=16, blank=True)
    # Indexed with the status (Meta.indexes), which also serves prefix searches by region.
    kode_desa = CodeField("Kode desa/kelurahan", max_length=13, blank=True)
    alamat = models.CharField("Alamat", max_length=255, blank=True)
    rt = models.CharField("RT", max_length=5, blank=True)
    rw = models.CharField("RW", max_length=5, blank=True)
    perkotaan = models.BooleanField("Perkotaan", null=True, blank=True)
    status_bangunan = models.PositiveSmallIntegerField(
        "Status kepemilikan bangunan",
        null=True,
        blank=True,
        choices=codes("keluarga", "status_bangunan"),
    )
    status_lahan = models.PositiveSmallIntegerField(
        "Status lahan", null=True, blank=True, choices=codes("keluarga", "status_lahan")
    )
    luas_lantai = models.FloatField("Luas lantai (m2)", null=True, blank=True)
    jenis_lantai = models.PositiveSmallIntegerField(
        "Jenis lantai terluas", null=True, blank=True, choices=codes("keluarga", "jenis_lantai")
    )
    jenis_dinding = models.PositiveSmallIntegerField(
        "Jenis dinding terluas", null=True, blank=True, choices=codes("keluarga", "jenis_dinding")
    )
    kondisi_dinding = models.PositiveSmallIntegerField(
        "Kondisi dinding", null=True, blank=True, choices=codes("keluarga", "kondisi_dinding")
    )
    jenis_atap = models.PositiveSmallIntegerField(
        "Jenis atap terluas", null=True, blank=True, choices=codes("keluarga", "jenis_atap")
    )
    kondisi_atap = models.PositiveSmallIntegerField(
        "Kondisi atap", null=True, blank=True, choices=codes("keluarga", "kondisi_atap")
    )
    jumlah_kamar = models.PositiveIntegerField("Jumlah kamar tidur", null=True, blank=True)
    sumber_air_minum = models.PositiveSmallIntegerField(
        "Sumber air minum", null=True, blank=True, choices=codes("keluarga", "sumber_air_minum")
    )
    sumber_penerangan = models.PositiveSmallIntegerField(
        "Sumber penerangan utama",
        null=True,
        blank=True,
        choices=codes("keluarga", "sumber_penerangan"),
    )
    daya_listrik = models.PositiveSmallIntegerField(
        "Daya listrik terpasang", null=True, blank=True, choices=codes("keluarga", "daya_listrik")
    )
    bahan_bakar_memasak = models.PositiveSmallIntegerField(
        "Bahan bakar memasak",
        null=True,
        blank=True,
        choices=codes("keluarga", "bahan_bakar_memasak"),
    )
    fasilitas_bab = models.PositiveSmallIntegerField(
        "Fasilitas buang air besar",
        null=True,
        blank=True,
        choices=codes("keluarga", "fasilitas_bab"),
    )
    jenis_kloset = models.PositiveSmallIntegerField(
        "Jenis kloset", null=True, blank=True, choices=codes("keluarga", "jenis_kloset")
    )
    pembuangan_tinja = models.PositiveSmallIntegerField(
        "Tempat pembuangan akhir tinja",
        null=True,
        blank=True,
        choices=codes("keluarga", "pembuangan_tinja"),
    )
    aset_tabung_gas = models.BooleanField("Tabung gas 5,5 kg atau lebih", null=True, blank=True)
    aset_kulkas = models.BooleanField("Lemari es/kulkas", null=True, blank=True)
    aset_ac = models.BooleanField("AC", null=True, blank=True)
    aset_pemanas_air = models.BooleanField("Pemanas air", null=True, blank=True)
    aset_telepon_rumah = models.BooleanField("Telepon rumah", null=True, blank=True)
    aset_tv = models.BooleanField("Televisi layar datar 30 inci atau lebih", null=True, blank=True)
    aset_emas = models.BooleanField(
        "Emas/perhiasan/tabungan 10 gram atau lebih", null=True, blank=True
    )
    aset_komputer = models.BooleanField("Komputer/laptop", null=True, blank=True)
    aset_sepeda = models.BooleanField("Sepeda", null=True, blank=True)
    aset_sepeda_motor = models.BooleanField("Sepeda motor", null=True, blank=True)
    aset_mobil = models.BooleanField("Mobil", null=True, blank=True)
    aset_perahu = models.BooleanField("Perahu", null=True, blank=True)
    aset_motor_tempel = models.BooleanField("Motor tempel", null=True, blank=True)
    aset_perahu_motor = models.BooleanField("Perahu motor", null=True, blank=True)
    aset_kapal = models.BooleanField("Kapal", null=True, blank=True)
    aset_smartphone = models.BooleanField("Telepon seluler pintar", null=True, blank=True)
    aset_lahan = models.BooleanField("Memiliki lahan di tempat lain", null=True, blank=True)
    luas_lahan = models.FloatField("Luas lahan (m2)", null=True, blank=True)
    aset_rumah_lain = models.BooleanField("Memiliki rumah di tempat lain", null=True, blank=True)
    ternak_sapi = models.PositiveIntegerField("Jumlah sapi", null=True, blank=True)
    ternak_kerbau = models.PositiveIntegerField("Jumlah kerbau", null=True, blank=True)
    ternak_kuda = models.PositiveIntegerField("Jumlah kuda", null=True, blank=True)
    ternak_babi = models.PositiveIntegerField("Jumlah babi", null=True, blank=True)
    ternak_kambing = models.PositiveIntegerField("Jumlah kambing/domba", null=True, blank=True)
    usaha_art = models.BooleanField(
        "Ada anggota keluarga yang memiliki usaha", null=True, blank=True
    )
    penerima_pkh = models.BooleanField("Penerima PKH", null=True, blank=True)
    penerima_bpnt = models.BooleanField("Penerima BPNT/Sembako", null=True, blank=True)
    penerima_pbi = models.BooleanField("Penerima PBI-JK", null=True, blank=True)
    penerima_blt_dd = models.BooleanField("Penerima BLT-DD", null=True, blank=True)
    penerima_pip = models.BooleanField("Penerima PIP", null=True, blank=True)

    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = "keluarga"
        verbose_name_plural = "keluarga"
        base_manager_name = "all_objects"
        indexes = [
            models.Index(fields=["kode_desa", "status"]),
            models.Index(fields=["id_keluarga"], name="keluarga_id_keluarga"),
            models.Index(fields=["no_kk"], name="keluarga_no_kk"),
        ]

    def __str__(self) -> str:
        return f"{self.no_kk or self.id_keluarga} ({self.kode_desa})"


class Person(RegisterRecord):
    """A member of a family (anggota rumah tangga)."""

    keluarga = models.ForeignKey(
        Keluarga, verbose_name="keluarga", on_delete=models.PROTECT, related_name="members"
    )
    id_art = models.CharField("ID anggota keluarga", max_length=64, blank=True)
    nik = CodeField("NIK", max_length=16, blank=True)  # indexed in Meta
    no_kk = CodeField("Nomor KK", max_length=16, blank=True)
    nama = models.CharField("Nama lengkap", max_length=255, blank=True)
    # name_key(nama) (padu.core.names), set by save() and by bulk writers (nama_kunci_of);
    # searched through a trigram index on PostgreSQL (migration 0005).
    nama_kunci = models.CharField(
        "Kunci ejaan nama", max_length=NAMA_KUNCI_LENGTH, blank=True, editable=False
    )
    tempat_lahir = models.CharField("Tempat lahir", max_length=100, blank=True)
    tgl_lahir = models.DateField("Tanggal lahir", null=True, blank=True)
    jenis_kelamin = models.PositiveSmallIntegerField(
        "Jenis kelamin", null=True, blank=True, choices=codes("art", "jenis_kelamin")
    )
    hub_kepala_keluarga = models.PositiveSmallIntegerField(
        "Hubungan dengan kepala keluarga",
        null=True,
        blank=True,
        choices=codes("art", "hub_kepala_keluarga"),
    )
    status_kawin = models.PositiveSmallIntegerField(
        "Status perkawinan", null=True, blank=True, choices=codes("art", "status_kawin")
    )
    nama_ayah = models.CharField("Nama ayah", max_length=255, blank=True)
    nama_ibu = models.CharField("Nama ibu kandung", max_length=255, blank=True)
    pendidikan = models.PositiveSmallIntegerField(
        "Pendidikan tertinggi", null=True, blank=True, choices=codes("art", "pendidikan")
    )
    partisipasi_sekolah = models.PositiveSmallIntegerField(
        "Partisipasi sekolah", null=True, blank=True, choices=codes("art", "partisipasi_sekolah")
    )
    bekerja = models.BooleanField("Bekerja seminggu terakhir", null=True, blank=True)
    lapangan_usaha = models.PositiveSmallIntegerField(
        "Lapangan usaha utama", null=True, blank=True, choices=codes("art", "lapangan_usaha")
    )
    status_pekerjaan = models.PositiveSmallIntegerField(
        "Status kedudukan dalam pekerjaan",
        null=True,
        blank=True,
        choices=codes("art", "status_pekerjaan"),
    )
    disabilitas = models.BooleanField("Penyandang disabilitas", null=True, blank=True)
    penyakit_kronis = models.BooleanField("Penyakit kronis/menahun", null=True, blank=True)
    hamil = models.BooleanField("Sedang hamil", null=True, blank=True)
    status_hidup = models.PositiveSmallIntegerField(
        "Status hidup", null=True, blank=True, choices=codes("art", "status_hidup")
    )
    tgl_meninggal = models.DateField("Tanggal meninggal", null=True, blank=True)

    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = "anggota keluarga"
        verbose_name_plural = "anggota keluarga"
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["nik"], name="person_nik")]

    def __str__(self) -> str:
        return self.nama or self.id_art

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.nama_kunci = nama_kunci_of(self.nama)
        fields = kwargs.get("update_fields")
        if fields is not None and "nama" in fields:
            kwargs["update_fields"] = {*fields, "nama_kunci"}
        super().save(*args, **kwargs)


class Participation(TimestampedModel):
    """A family (or, for per-person programmes, a person) in a programme over a period."""

    keluarga = models.ForeignKey(
        Keluarga, verbose_name="keluarga", on_delete=models.PROTECT, related_name="participations"
    )
    person = models.ForeignKey(
        Person,
        verbose_name="anggota",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    # Looked up through the (program, end) index, which leads with it.
    program = models.ForeignKey(
        Program, verbose_name="program", on_delete=models.PROTECT, db_index=False
    )
    start = models.DateField("mulai")
    end = models.DateField("berakhir", null=True, blank=True)
    source_record = models.ForeignKey(
        "intake.SourceRecord",
        verbose_name="baris sumber",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # provenance: written in bulk, read one record at a time
        db_constraint=False,  # integrity by the writer: see docs/decisions/0003
    )

    class Meta:
        verbose_name = "kepesertaan program"
        verbose_name_plural = "kepesertaan program"
        indexes = [models.Index(fields=["program", "end"])]

    def __str__(self) -> str:
        return f"{self.program} {self.start}-{self.end or ''}"


class Version(models.Model):
    """One change to a family, person or participation: who, when, why, from where, and the
    old and new value of every field that changed."""

    class Action(models.TextChoices):
        CREATE = "create", "Dibuat"
        UPDATE = "update", "Diubah"
        STATUS = "status", "Status diubah"
        DELETE = "delete", "Dihapus"
        RESTORE = "restore", "Dipulihkan"

    entity = models.CharField("jenis", max_length=20)
    entity_id = models.BigIntegerField("ID")
    keluarga = models.ForeignKey(
        Keluarga,
        verbose_name="keluarga",
        on_delete=models.PROTECT,
        related_name="versions",
        help_text="Keluarga yang terkait, untuk linimasa keluarga dan anggotanya.",
    )
    action = models.CharField("tindakan", max_length=10, choices=Action.choices)
    at = models.DateTimeField("waktu", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oleh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # provenance: written in bulk, read one record at a time
    )
    reason = models.CharField("alasan", max_length=500, blank=True)
    source_record = models.ForeignKey(
        "intake.SourceRecord",
        verbose_name="baris sumber",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # provenance: written in bulk, read one record at a time
        db_constraint=False,  # integrity by the writer: see docs/decisions/0003
    )
    import_run = models.ForeignKey(
        "intake.ImportRun",
        verbose_name="proses impor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # provenance: written in bulk, read one record at a time
        db_constraint=False,  # integrity by the writer: see docs/decisions/0003
    )
    changes = models.JSONField("perubahan", default=dict, help_text="{kolom: [lama, baru]}")

    class Meta:
        verbose_name = "versi"
        verbose_name_plural = "riwayat versi"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["entity", "entity_id"])]

    def __str__(self) -> str:
        return f"{self.entity}:{self.entity_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
