"""A small fixed register of Desa 33.16.01.2001 with PMT desil, for the BLT-DD tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from padu.registry.models import Keluarga, Person
from padu.welfare.models import KeluargaScore, PmtModel
from tests.access_fixtures import OWN, World, build_world

# (name, desil, score, extra person fields)
FAMILIES: list[tuple[str, int, float, dict[str, Any]]] = [
    ("Sarmi", 1, 11.20, {}),
    ("Tukiyo", 1, 11.10, {"lapangan_usaha": 9, "bekerja": True}),  # ASN: excluded
    ("Painem", 1, 11.40, {}),
    ("Wagiyo", 2, 11.60, {"bekerja": True}),
    ("Sumini", 3, 11.80, {"bekerja": True}),
    ("Karto", 4, 11.90, {"bekerja": True}),
    ("Mbah Rejo", 6, 12.30, {"bekerja": False}),  # elderly alone: criteria tier
    ("Joko", 9, 13.50, {"bekerja": True}),
]


@dataclass
class Register:
    world: World
    families: dict[str, Keluarga]

    def user(self, role: str) -> Any:
        return self.world.users[role]

    def pk(self, name: str) -> int:
        return self.families[name].pk


def build_register() -> Register:
    world = build_world()
    model = PmtModel.objects.create(nama="uji", survei="x.csv", status="siap", versi="uji")
    families = {}
    for i, (name, desil, score, extra) in enumerate(FAMILIES, start=1):
        k = Keluarga.objects.create(
            id_keluarga=f"BLT{i}",
            no_kk=f"331601{i:010d}",
            kode_desa=OWN,
            alamat=f"Dukuh {i}",
            rt="001",
            rw="001",
        )
        born = dt.date(1950, 1, 1) if name == "Mbah Rejo" else dt.date(1980, 1, 1)
        Person.objects.create(
            keluarga=k,
            nama=name,
            nik=f"3316014101{i:06d}",
            no_kk=k.no_kk,
            hub_kepala_keluarga=1,
            jenis_kelamin=1,
            tgl_lahir=born,
            **{"bekerja": True, **extra},
        )
        if name != "Mbah Rejo":
            Person.objects.create(
                keluarga=k,
                nama=f"Anak {name}",
                nik=f"3316010101{i:06d}",
                no_kk=k.no_kk,
                hub_kepala_keluarga=3,
                jenis_kelamin=1,
                tgl_lahir=dt.date(2010, 1, 1),
            )
        KeluargaScore.objects.create(
            keluarga=k,
            model=model,
            versi="uji",
            score=score,
            desil=desil,
            desil_kabupaten=desil,
            dihitung=timezone.now(),
        )
        families[name] = k
    return Register(world, families)
