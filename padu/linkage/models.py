"""Linkage in the app: runs, clusters of records of one person with their golden record,
the clerical review queue, reviewers' decisions, and the history of merges and splits.

A *member* is one register person (``registry.Person``, itself one source's record of a
person). Clusters, members and review items are written in bulk at the end of a run;
merges, splits and reviews change them through ``services.py``, each change kept in
:class:`ClusterChange` so it can be undone exactly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LinkageRun(models.Model):
    """One linkage run over chosen sources and a region, full or incremental."""

    class Kind(models.TextChoices):
        PENUH = "penuh", "Penuh (semua data terpilih)"
        INKREMENTAL = "inkremental", "Inkremental (data baru terhadap klaster yang ada)"

    class Status(models.TextChoices):
        ANTRE = "antre", "Menunggu giliran"
        BERJALAN = "berjalan", "Berjalan"
        SELESAI = "selesai", "Selesai"
        GAGAL = "gagal", "Gagal"

    kind = models.CharField("jenis", max_length=12, choices=Kind.choices, default=Kind.PENUH)
    status = models.CharField("status", max_length=10, choices=Status.choices, default="antre")
    region_prefix = models.CharField(
        "wilayah (awalan kode)",
        max_length=14,
        blank=True,
        help_text="Kosong: seluruh wilayah (hanya peran tingkat provinsi).",
    )
    sources = models.ManyToManyField(
        "intake.Source",
        verbose_name="sumber",
        blank=True,
        related_name="+",
        help_text="Kosong: semua sumber.",
    )
    import_run = models.ForeignKey(
        "intake.ImportRun",
        verbose_name="impor baru (inkremental)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    base_run = models.ForeignKey(
        "self",
        verbose_name="proses penuh acuan (model)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    threshold = models.FloatField("ambang tautan", default=0.99)
    review_lower = models.FloatField("batas bawah tinjauan", default=0.5)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oleh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    stage = models.CharField("tahap", max_length=60, blank=True)
    percent = models.PositiveSmallIntegerField("kemajuan (%)", default=0)
    counts = models.JSONField("jumlah", default=dict, blank=True)
    seconds = models.JSONField("waktu (detik)", default=dict, blank=True)
    model_path = models.CharField("berkas model", max_length=500, blank=True)
    error_message = models.TextField("pesan galat", blank=True)
    started_at = models.DateTimeField("dibuat", auto_now_add=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)

    class Meta:
        verbose_name = "proses linkage"
        verbose_name_plural = "proses linkage"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.region_prefix or 'semua'}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SELESAI, self.Status.GAGAL)


class Cluster(models.Model):
    """The records of one person, with the golden record chosen by survivorship rules."""

    run = models.ForeignKey(
        LinkageRun, verbose_name="proses", on_delete=models.PROTECT, related_name="clusters"
    )
    active = models.BooleanField("berlaku", default=True)
    kode_desa = models.CharField("kode desa (rekaman emas)", max_length=13, blank=True)
    size = models.PositiveIntegerField("jumlah rekaman", default=0)
    golden = models.JSONField(
        "rekaman emas",
        default=dict,
        blank=True,
        help_text='{kolom: {"nilai": ..., "orang": id, "baris_sumber": id, "sumber": nama}}',
    )
    created_at = models.DateTimeField("dibuat", auto_now_add=True)

    class Meta:
        verbose_name = "klaster orang"
        verbose_name_plural = "klaster orang"
        indexes = [models.Index(fields=["active", "kode_desa"])]

    def __str__(self) -> str:
        return f"Klaster #{self.pk} ({self.size})"


class Member(models.Model):
    """One register person in a cluster, with its strongest link and what agreed on it."""

    cluster = models.ForeignKey(
        Cluster, verbose_name="klaster", on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name="orang",
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the register never hard-deletes; written in bulk
        related_name="+",
    )
    kode_desa = models.CharField("kode desa", max_length=13, blank=True, db_index=True)
    source_name = models.CharField("sumber", max_length=100, blank=True)
    match_probability = models.FloatField("peluang cocok", null=True, blank=True)
    linked_to = models.BigIntegerField("tautan terkuat ke orang", null=True, blank=True)
    gammas = models.JSONField(
        "tingkat kecocokan per kolom", default=dict, blank=True, help_text='{"nik": 4, ...}'
    )
    identity = models.CharField(
        "sidik identitas saat ditautkan",
        max_length=16,
        blank=True,
        help_text="Hash NIK, nama, tanggal lahir, jenis kelamin, nama ibu, No. KK dan desa; "
        "bila berubah, proses inkremental menautkan ulang orang ini.",
    )

    class Meta:
        verbose_name = "anggota klaster"
        verbose_name_plural = "anggota klaster"
        indexes = [models.Index(fields=["person"])]

    def __str__(self) -> str:
        return f"{self.cluster_id}:{self.person_id}"


class ClusterChange(models.Model):
    """A merge, split or review decision applied to clusters, and how to undo it exactly."""

    class Kind(models.TextChoices):
        GABUNG = "gabung", "Gabung klaster"
        PISAH = "pisah", "Pisah klaster"
        BATAL = "batal", "Pembatalan"
        PROSES = "proses", "Perubahan oleh proses linkage"

    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    run = models.ForeignKey(
        LinkageRun,
        verbose_name="proses linkage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
        help_text="Untuk perubahan oleh proses: sisa klaster lama, rekaman yang ditautkan ulang.",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oleh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("waktu", auto_now_add=True)
    reason = models.CharField("alasan", max_length=500, blank=True)
    before = models.JSONField("susunan sebelum", default=dict, help_text="{klaster: [orang]}")
    after = models.JSONField("susunan sesudah", default=dict, help_text="{klaster: [orang]}")
    undoes = models.OneToOneField(
        "self",
        verbose_name="membatalkan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="undone_by",
    )

    class Meta:
        verbose_name = "perubahan klaster"
        verbose_name_plural = "riwayat perubahan klaster"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ChangedCluster(models.Model):
    """Which clusters a change touched (the cluster page's history is one indexed query)."""

    change = models.ForeignKey(ClusterChange, on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey(
        Cluster, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        verbose_name = "klaster dalam perubahan"
        verbose_name_plural = "klaster dalam perubahan"
        constraints = [
            models.UniqueConstraint(fields=["cluster", "change"], name="linkage_changed_cluster")
        ]

    def __str__(self) -> str:
        return f"{self.change_id}:{self.cluster_id}"


class Decision(models.Model):
    """A reviewer's word on two records: the same person or different people. Later runs
    respect active decisions (a rejected pair is never merged again)."""

    class Verdict(models.TextChoices):
        SAMA = "sama", "Orang yang sama"
        BEDA = "beda", "Orang berbeda"

    person_a = models.BigIntegerField("orang A")  # the smaller id
    person_b = models.BigIntegerField("orang B")
    verdict = models.CharField("keputusan", max_length=4, choices=Verdict.choices)
    change = models.ForeignKey(
        ClusterChange,
        verbose_name="perubahan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    active = models.BooleanField("berlaku", default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="oleh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("waktu", auto_now_add=True)

    class Meta:
        verbose_name = "keputusan peninjau"
        verbose_name_plural = "keputusan peninjau"
        indexes = [models.Index(fields=["person_a", "person_b"])]

    def __str__(self) -> str:
        return f"{self.person_a}-{self.person_b}: {self.verdict}"


class ReviewItem(models.Model):
    """A pair in the uncertain band (or an ambiguous incremental join) waiting for a person."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", "Menunggu"
        SAMA = "sama", "Sama"
        BEDA = "beda", "Beda"
        LEWATI = "lewati", "Dilewati"

    run = models.ForeignKey(
        LinkageRun, verbose_name="proses", on_delete=models.CASCADE, related_name="review_items"
    )
    person_l = models.BigIntegerField("orang kiri")
    person_r = models.BigIntegerField("orang kanan")
    kode_desa_l = models.CharField("desa kiri", max_length=13, blank=True)
    kode_desa_r = models.CharField("desa kanan", max_length=13, blank=True)
    match_probability = models.FloatField("peluang cocok")
    gammas = models.JSONField("tingkat kecocokan per kolom", default=dict, blank=True)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.MENUNGGU
    )
    decision = models.ForeignKey(
        Decision, verbose_name="keputusan", null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="diputuskan oleh",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("diputuskan", null=True, blank=True)

    class Meta:
        verbose_name = "butir tinjauan"
        verbose_name_plural = "antrean tinjauan"
        indexes = [
            models.Index(fields=["status", "kode_desa_l"]),
            models.Index(fields=["status", "kode_desa_r"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_l}-{self.person_r} ({self.match_probability:.2f})"
