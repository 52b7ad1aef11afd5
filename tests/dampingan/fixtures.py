"""Shared setup of the dampingan tests: the access world (one family in each of four desa),
an OPD of the province with one team member (a user with no region of its own), assigned to
the operator's desa."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from padu.accounts.services import user_upsert
from padu.dampingan import services
from padu.dampingan.models import Mitra, Penugasan
from tests.access_fixtures import OWN, World, build_world

TODAY = dt.date(2026, 12, 7)


@dataclass
class Dampingan:
    world: World
    mitra: Mitra
    penugasan: Penugasan
    anggota: Any
    tkpk: Any


def assisted() -> Dampingan:
    world = build_world()
    tkpk = world.users["tkpk-provinsi"]
    member = user_upsert(actor=None, username="u-tim-opd", password="x", assignments=[])
    mitra = services.mitra_create(
        actor=tkpk, kode="dinas-pu", nama="Dinas PU Bina Marga", jenis="opd-provinsi"
    )
    services.anggota_add(actor=tkpk, mitra=mitra, user=member, jabatan="Ketua tim")
    penugasan = services.penugasan_create(
        actor=tkpk,
        mitra=mitra,
        kode_desa=OWN,
        tahun=2026,
        dasar_hukum="SK Gubernur 400/12/2026",
        today=TODAY,
    )
    return Dampingan(world, mitra, penugasan, member, tkpk)
