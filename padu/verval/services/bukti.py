"""Evidence (photos and documents from a phone camera) for an usulan: size-limited, checked
by content rather than by name, photos scaled down and re-encoded without their metadata;
the photo's location is kept (in the database, not the file) only with consent."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from padu.core.audit import audit_write
from padu.verval.config import settings
from padu.verval.models import Bukti, Usulan
from padu.verval.services import VervalError
from padu.verval.services.usulan import require_desa_actor

OPEN = (Usulan.Status.DIAJUKAN, Usulan.Status.DIKEMBALIKAN)
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def _degrees(value: Any, ref: Any) -> float | None:
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError):
        return None
    sign = -1 if str(ref).upper() in ("S", "W") else 1
    return sign * (d + m / 60 + s / 3600)


def _location(image: Image.Image) -> tuple[float | None, float | None]:
    gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
    lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return round(lat, 6), round(lon, 6)


def _photo(raw: bytes, name: str) -> tuple[bytes, str, str, tuple[float | None, float | None]]:
    """The photo upright, scaled to the configured longest side, re-encoded with no metadata
    (EXIF, GPS, maker notes); its content type, extension and the EXIF location."""
    try:
        image = Image.open(io.BytesIO(raw))
        kind = image.format or ""
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise VervalError(
            f"Berkas {name} bukan foto atau PDF yang dapat dibaca. Unggah foto JPG/PNG atau PDF."
        ) from exc
    if kind not in FORMATS:
        raise VervalError(
            f"Berkas {name} berjenis {kind or 'tak dikenal'}; unggah JPG, PNG atau PDF."
        )
    where = _location(image)
    upright: Image.Image = ImageOps.exif_transpose(image)
    side = int(settings()["bukti"]["sisi_terpanjang"])
    upright.thumbnail((side, side))
    out = io.BytesIO()
    if kind == "PNG":
        upright.save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png", "png", where
    upright.convert("RGB").save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue(), "image/jpeg", "jpg", where


@dataclass(frozen=True)
class Berkas:
    """An uploaded file made safe to keep: its bytes (a photo re-encoded without metadata),
    content type and extension, and the photo's EXIF location (to keep only with consent)."""

    name: str
    content: bytes
    content_type: str
    ext: str
    lintang: float | None
    bujur: float | None

    def save_to(self, field: Any, folder: str, *, save: bool = True) -> None:
        """Store the content in a FileField under a random name in ``folder`` (never the
        uploader's file name)."""
        field.save(f"{folder}/{uuid.uuid4().hex}.{self.ext}", ContentFile(self.content), save=save)


def cleaned(berkas: Any) -> Berkas:
    """Any evidence from a phone camera (verval, dampingan, asuh receipts): size-limited,
    a PDF or a photo by content (not by name), photos upright, scaled down and re-encoded
    with no metadata. Raises VervalError saying what is wrong and how to fix it."""
    conf = settings()["bukti"]
    name = str(getattr(berkas, "name", "berkas"))[:200]
    limit = int(conf["maks_bita"])
    size = int(getattr(berkas, "size", 0) or 0)
    if size > limit:
        raise VervalError(
            f"Berkas {name} {size / 1e6:.1f} MB; batasnya {limit / 1e6:.1f} MB. Kecilkan foto "
            "(resolusi kamera lebih rendah) atau pindai ulang dokumen."
        )
    raw = berkas.read(limit + 1)
    if len(raw) > limit:
        raise VervalError(f"Berkas {name} melebihi batas {limit / 1e6:.1f} MB.")
    lat = lon = None
    if raw.startswith(b"%PDF"):
        content, content_type, ext = raw, "application/pdf", "pdf"
    else:
        content, content_type, ext, (lat, lon) = _photo(raw, name)
    if content_type not in conf["jenis"]:
        raise VervalError(f"Jenis berkas {content_type} tidak diterima untuk bukti.")
    return Berkas(name, content, content_type, ext, lat, lon)


def bukti_add(*, actor: Any, usulan: Usulan, berkas: Any, izin_lokasi: bool = False) -> Bukti:
    """Attach one file to an usulan still open at the desa (diajukan or dikembalikan)."""
    require_desa_actor(actor, usulan.kode_desa)
    if usulan.status not in OPEN:
        raise VervalError(
            f"Usulan #{usulan.pk} berstatus '{usulan.get_status_display()}'; bukti hanya dapat "
            "ditambahkan selama usulan masih di desa."
        )
    clean = cleaned(berkas)
    name, content, content_type, ext = clean.name, clean.content, clean.content_type, clean.ext
    lat, lon = clean.lintang, clean.bujur
    keep = bool(izin_lokasi) and lat is not None
    bukti = Bukti(
        usulan=usulan, nama_asli=name, jenis_isi=content_type, ukuran=len(content),
        lokasi_disetujui=bool(izin_lokasi), lintang=lat if keep else None,
        bujur=lon if keep else None, diunggah_oleh=actor,
    )  # fmt: skip
    bukti.berkas.save(f"{usulan.kode_desa}/{uuid.uuid4().hex}.{ext}", ContentFile(content),
                      save=False)  # fmt: skip
    try:
        with transaction.atomic():
            bukti.save()
            audit_write(
                actor=actor, action="verval.bukti_add", obj=bukti, region_code=usulan.kode_desa,
                detail={"usulan": usulan.pk, "jenis": content_type, "lokasi": keep},
            )  # fmt: skip
    except Exception:
        bukti.berkas.delete(save=False)  # no stored file without its row
        raise
    return bukti
