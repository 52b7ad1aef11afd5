"""Users, roles (as data) and region assignments.

Who may see or change what is decided only in ``access.py``; these models hold the facts it
reads: a user's roles, each with the region code prefixes it covers.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


class User(AbstractUser):
    """A Padu user. Personal data access comes from role assignments, never from this row."""

    class Meta(AbstractUser.Meta):
        verbose_name = "pengguna"
        verbose_name_plural = "pengguna"


class NikAccess(models.TextChoices):
    FULL = "penuh", "Nomor lengkap"
    REVEAL = "buka", "Tersamar, boleh dibuka"
    MASKED = "tidak", "Tersamar saja"


class Role(models.Model):
    """A role such as operator desa or Dinas Sosial kabupaten; defaults seeded by migration."""

    code = models.SlugField("kode", max_length=40, unique=True)
    nama = models.CharField("nama", max_length=100)
    keterangan = models.TextField("keterangan", blank=True)
    province_wide = models.BooleanField(
        "seluruh provinsi", default=False, help_text="Peran ini berlaku untuk semua wilayah."
    )
    sees_personal_data = models.BooleanField(
        "melihat data pribadi", default=True, help_text="Jika tidak, hanya data agregat."
    )
    can_write = models.BooleanField("boleh mengubah data", default=False)
    sees_children = models.BooleanField(
        "melihat data anak (perlindungan anak)",
        default=False,
        help_text="Data anak yatim/piatu dan wali (UU PDP 27/2022 pasal 25): izin tersendiri.",
    )
    nik_access = models.CharField(
        "akses NIK dan No. KK",
        max_length=8,
        choices=NikAccess.choices,
        default=NikAccess.MASKED,
        help_text="Penuh: nomor lengkap. Buka: tersamar, boleh dibuka (tercatat di audit).",
    )
    manages_users = models.BooleanField(
        "mengelola pengguna", default=False, help_text="Pengguna, penugasan dan catatan audit."
    )
    requires_2fa = models.BooleanField(
        "wajib verifikasi dua langkah",
        default=False,
        help_text="Setelah kata sandi, pengguna memasukkan kode dari aplikasi autentikator.",
    )
    order = models.PositiveSmallIntegerField("urutan", default=100)

    class Meta:
        verbose_name = "peran"
        verbose_name_plural = "peran"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.nama


class RoleAssignment(models.Model):
    """A user holds a role over a region: a code prefix such as ``33.16.`` (all of Blora)."""

    user = models.ForeignKey(
        User, verbose_name="pengguna", on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.ForeignKey(Role, verbose_name="peran", on_delete=models.PROTECT)
    region_prefix = models.CharField(
        "wilayah (awalan kode)",
        max_length=14,
        blank=True,
        help_text="Contoh: 33.16. untuk seluruh Kabupaten Blora; kosong untuk peran provinsi.",
    )

    class Meta:
        verbose_name = "penugasan peran"
        verbose_name_plural = "penugasan peran"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region_prefix"], name="unique_role_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.role} {self.region_prefix}".strip()

    def clean(self) -> None:
        from padu.accounts.access import RegionCodeError, normalise_prefix

        if self.role_id and self.role.province_wide:
            self.region_prefix = ""
            return
        if not self.region_prefix:
            raise ValidationError(
                {"region_prefix": "Isi kode wilayah untuk peran ini, misalnya 33.16.01.2001."}
            )
        try:
            self.region_prefix = normalise_prefix(self.region_prefix)
        except RegionCodeError as exc:
            raise ValidationError({"region_prefix": str(exc)}) from exc


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 hash is stored; the token is shown once."""

    user = models.ForeignKey(
        User, verbose_name="pengguna", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("nama", max_length=100)
    prefix = models.CharField("awalan", max_length=12, help_text="Untuk mengenali token.")
    key_hash = models.CharField("hash", max_length=64, unique=True)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    last_used_at = models.DateTimeField("terakhir dipakai", null=True, blank=True)
    revoked_at = models.DateTimeField("dicabut", null=True, blank=True)

    class Meta:
        verbose_name = "token API"
        verbose_name_plural = "token API"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
