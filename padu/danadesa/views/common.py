"""Shared pieces of the BLT-DD pages."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest

from padu.accounts import access
from padu.wilayah.models import Desa


def desa_or_404(user: Any, kode: str) -> Desa:
    desa = Desa.objects.select_related("kecamatan__kabupaten").filter(code=kode).first()
    if desa is None or not access.can_see_region(user, kode):
        raise Http404("Desa/kelurahan tidak ditemukan atau di luar wilayah Anda.")
    return desa


def writer_or_403(user: Any, kode: str) -> Desa:
    desa = desa_or_404(user, kode)
    if not access.can_write_region(user, kode):
        raise PermissionDenied("Anda tidak berwenang mengubah data BLT-DD desa ini.")
    return desa


class Upload:
    """An uploaded file saved to a temporary folder (the readers take paths)."""

    def __init__(self, request: HttpRequest, field: str) -> None:
        upload = request.FILES.get(field)
        self.file = upload if isinstance(upload, UploadedFile) else None
        self.folder = Path(tempfile.mkdtemp(prefix="padu-danadesa-"))

    def __enter__(self) -> tuple[Path, str] | None:
        if self.file is None:
            return None
        name = Path(self.file.name or "berkas").name
        path = self.folder / name
        with path.open("wb") as out:
            for chunk in self.file.chunks():
                out.write(chunk)
        return path, name

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
