"""Shared model bases and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TimestampedModel(models.Model):
    """Base for domain records: when a row was created and last changed."""

    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        abstract = True


class AuditLog(models.Model):
    """One row per accountable action: a change, a view of personal data, an export."""

    at = models.DateTimeField("waktu", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pelaku",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("tindakan", max_length=64, db_index=True)
    object_type = models.CharField("jenis objek", max_length=64, blank=True)
    object_id = models.CharField("ID objek", max_length=64, blank=True)
    region_code = models.CharField("kode wilayah", max_length=13, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField("alamat IP", null=True, blank=True)
    detail = models.JSONField("rincian", default=dict, blank=True)

    class Meta:
        verbose_name = "catatan audit"
        verbose_name_plural = "catatan audit"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
