"""Shared setup of the citizen service tests: the verval world of Blora with a family whose
head knows her mother's name, a second member, a PKH participation, and a client that
posts from a chosen IP address."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import time_machine
from django.test import Client
from django.urls import reverse

from padu.registry.models import Keluarga, Participation, Person, Program
from tests.access_fixtures import OWN
from tests.verval.fixtures import Cycle, open_cycle

NIK = "3316010101000011"  # the head of the "own" family (tests/access_fixtures.py)
UNKNOWN_NIK = "3316010101999999"
IBU = "Sri Rahayu"
OTHER_MEMBER = "Wartini Sumarno"


@dataclass
class Setup:
    cycle: Cycle
    family: Keluarga
    head: Person


def build() -> Setup:
    cycle = open_cycle()
    family = cycle.world.families["own"]
    head = cycle.world.persons["own"]
    head.nama_ibu = IBU
    head.save()
    family.alamat = "Dusun Krajan Kidul 7"
    family.save()
    Person.objects.create(keluarga=family, nama=OTHER_MEMBER, nik="3316010101000099",
                          hub_kepala_keluarga=2, jenis_kelamin=2)  # fmt: skip
    Participation.objects.create(
        keluarga=family, program=Program.objects.get(code="pkh"), start=dt.date(2025, 1, 1)
    )
    return Setup(cycle, family, head)


def at_desa_day() -> Any:
    return time_machine.travel("2026-12-10 12:00 +0700", tick=False)


def cek(client: Client, nik: str, fakta: str, jenis: str = "kepala", ip: str = "10.0.0.1") -> Any:
    return client.post(reverse("layanan:cek"), {"nik": nik, "fakta_jenis": jenis, "fakta": fakta},
                       REMOTE_ADDR=ip)  # fmt: skip


def main_text(response: Any) -> str:
    """The page between <main> and </main> (the answer, without the CSRF token)."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', main)


__all__ = ["OWN"]
