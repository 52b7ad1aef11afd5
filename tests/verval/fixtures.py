"""Shared setup of the verval tests: the access world, an open December 2026 period of
Blora, and the day of each stage inside its window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from padu.verval.models import Periode
from padu.verval.services.periode import periode_create
from tests.access_fixtures import World, build_world

DAY = {
    "desa": dt.date(2026, 12, 10),
    "musdes": dt.date(2026, 12, 19),
    "kecamatan": dt.date(2026, 12, 21),
    "dinsos": dt.date(2026, 12, 24),
    "pengesahan": dt.date(2026, 12, 28),
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class Cycle:
    world: World
    periode: Periode

    def user(self, role: str) -> Any:
        return self.world.users[role]


def open_cycle() -> Cycle:
    world = build_world()
    periode = periode_create(
        actor=world.users["dinsos-kabupaten"], kode_kabupaten="33.16", year=2026, month=12
    )
    return Cycle(world, periode)
