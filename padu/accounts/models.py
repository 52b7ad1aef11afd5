"""Users, roles (as data) and region assignments.

Who may see or change what is decided only in ``access.py``; these models hold the facts it
reads: a user's roles, each with the region code prefixes it covers.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A Padu user. Personal data access comes from role assignments, never from this row."""

    class Meta(AbstractUser.Meta):
        verbose_name = "pengguna"
        verbose_name_plural = "pengguna"


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
