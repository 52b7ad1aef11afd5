"""Shared test data for the access tests: one family in each of four desa, a user per role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from padu.accounts.services import api_token_create, user_upsert
from padu.registry.models import Keluarga, Person

OWN = "33.16.01.2001"
TARGETS = {
    "own": OWN,  # the operator's desa
    "same_kec": "33.16.01.2002",
    "other_kec": "33.16.02.2001",
    "other_kab": "33.17.01.2001",
}
ROLES: dict[str, tuple[str, str]] = {
    "admin-provinsi": ("admin-provinsi", ""),
    "tkpk-provinsi": ("tkpk-provinsi", ""),
    "dinsos-kabupaten": ("dinsos-kabupaten", "33.16"),
    "tkpk-kabupaten": ("tkpk-kabupaten", "33.16"),
    "operator-kecamatan": ("operator-kecamatan", "33.16.01"),
    "operator-desa": ("operator-desa", OWN),
    "opd-pendamping": ("opd-pendamping", OWN),
    "viewer": ("viewer", ""),
}
# The specification, written independently of access.py: which families each role sees.
ALL = set(TARGETS)
VISIBLE = {
    "admin-provinsi": ALL,
    "tkpk-provinsi": ALL,
    "dinsos-kabupaten": {"own", "same_kec", "other_kec"},
    "tkpk-kabupaten": {"own", "same_kec", "other_kec"},
    "operator-kecamatan": {"own", "same_kec"},
    "operator-desa": {"own"},
    "opd-pendamping": {"own"},
    "viewer": set(),
}
MAY_REVEAL = {"admin-provinsi", "tkpk-provinsi", "dinsos-kabupaten", "tkpk-kabupaten",
              "operator-kecamatan", "operator-desa"}  # fmt: skip
ADMINS = {"admin-provinsi"}
NAMES = {
    "own": "Sumarno Wiryo",
    "same_kec": "Wagiman Harjo",
    "other_kec": "Suparmi Lestari",
    "other_kab": "Djoko Susilo",
}


@dataclass
class World:
    families: dict[str, Keluarga]
    persons: dict[str, Person]
    users: dict[str, Any]
    tokens: dict[str, str]


def build_world() -> World:
    families, persons = {}, {}
    for i, (name, code) in enumerate(TARGETS.items(), start=1):
        k = Keluarga.objects.create(
            id_keluarga=f"K{i}", no_kk=f"{code.replace('.', '')[:6]}0101{i:06d}", kode_desa=code,
            alamat="Jl. Uji", rt="001", rw="002",
        )  # fmt: skip
        families[name] = k
        persons[name] = Person.objects.create(
            keluarga=k, nama=NAMES[name], nik=f"{code.replace('.', '')[:6]}0101{i + 10:06d}",
            no_kk=k.no_kk, hub_kepala_keluarga=1, jenis_kelamin=1,
        )  # fmt: skip
    users, tokens = {}, {}
    for role, (code, prefix) in ROLES.items():
        user = user_upsert(
            actor=None, username=f"u-{role}", password="x", assignments=[(code, prefix)]
        )
        users[role] = user
        tokens[role] = api_token_create(actor=user, user=user, name="uji")[1]
    return World(families, persons, users, tokens)


def logged_in(user: Any) -> Client:
    """A client logged in as ``user``, past the second factor where the role requires it."""
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="uji", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
