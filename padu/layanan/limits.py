"""Abuse limits of the citizen service: attempts per window and a lockout that doubles with
every failure, per IP and per NIK. Counters live in the database (:class:`Hitungan`) so
every worker process sees the same counts; keys are HMACs, never an address or a NIK."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction

from padu.layanan.models import Hitungan


def secret_hash(kind: str, value: str) -> str:
    """A keyed hash of an IP address or a NIK (32 hex characters): stable, not reversible
    without the server's secret key."""
    key = hashlib.sha256(f"padu.layanan:{django_settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def _locked_row(kunci: str, now: dt.datetime) -> Hitungan:
    """The counter row of ``kunci``, locked for this transaction (created when new)."""
    row = Hitungan.objects.select_for_update().filter(kunci=kunci).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return Hitungan.objects.create(kunci=kunci, jumlah=0, mulai=now, terakhir=now)
    except IntegrityError:  # another worker created it first
        return Hitungan.objects.select_for_update().get(kunci=kunci)


@transaction.atomic
def allow(kunci: str, limit: dict[str, Any], now: dt.datetime) -> bool:
    """Count one attempt of ``kunci``; False (and not counted) once ``limit["jumlah"]``
    attempts were made within ``limit["detik"]`` seconds of the window's start."""
    row = _locked_row(kunci, now)
    if now - row.mulai >= dt.timedelta(seconds=int(limit["detik"])):
        row.jumlah, row.mulai = 0, now
    if row.jumlah >= int(limit["jumlah"]):
        return False
    row.jumlah += 1
    row.terakhir = now
    row.save(update_fields=["jumlah", "mulai", "terakhir"])
    return True


def locked_until(kunci: str, now: dt.datetime) -> dt.datetime | None:
    """When the lockout of ``kunci`` ends, or None when it is not locked."""
    until = Hitungan.objects.filter(kunci=kunci).values_list("terkunci_sampai", flat=True).first()
    return until if until is not None and until > now else None


@transaction.atomic
def fail(kunci: str, conf: dict[str, Any], now: dt.datetime) -> None:
    """Count a failure of ``kunci``: past ``conf["bebas"]`` failures it is locked for
    ``kunci_awal_detik`` seconds, doubled with each further failure (at most
    ``kunci_maks_detik``). Failures are forgotten ``lupa_detik`` after the last one."""
    row = _locked_row(kunci, now)
    if now - row.terakhir >= dt.timedelta(seconds=int(conf["lupa_detik"])):
        row.jumlah, row.mulai = 0, now
    row.jumlah += 1
    row.terakhir = now
    over = row.jumlah - int(conf["bebas"])
    if over > 0:
        seconds = min(int(conf["kunci_awal_detik"]) * 2 ** min(over - 1, 30),
                      int(conf["kunci_maks_detik"]))  # fmt: skip
        row.terkunci_sampai = now + dt.timedelta(seconds=seconds)
    row.save(update_fields=["jumlah", "mulai", "terakhir", "terkunci_sampai"])


def prune(now: dt.datetime, keep_seconds: int = 2 * 86400) -> int:
    """Delete counters untouched for ``keep_seconds`` whose lockout has ended (they hold no
    window any more); returns how many went."""
    cutoff = now - dt.timedelta(seconds=keep_seconds)
    stale = Hitungan.objects.filter(terakhir__lt=cutoff).exclude(terkunci_sampai__gt=now)
    deleted, _ = stale.delete()
    return deleted
