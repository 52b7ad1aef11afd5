from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from padu.accounts.services import user_upsert
from padu.intake.models import Source
from padu.linkage.models import LinkageRun
from padu.linkage.runs import linkage_run_create, linkage_run_execute
from tests.linkage.world import load_sources, source_frames


@dataclass
class World:
    records: pl.DataFrame
    truth: pl.DataFrame
    sources: dict[str, Source]
    folder: Path


@pytest.fixture
def world(tmp_path: Path) -> World:
    """About 415 register persons of 60 families from DTKS, Dukcapil and P3KE (Blora);
    the village lists (BLT_DD) are left for an incremental import."""
    records, truth = source_frames(60, 11)
    sources = load_sources(tmp_path, records, ("DTKS", "DUKCAPIL", "P3KE"))
    return World(records, truth, sources, tmp_path)


@pytest.fixture
def kab_user() -> Any:
    return user_upsert(
        actor=None,
        username="dinsos-blora",
        password="x",
        assignments=[("dinsos-kabupaten", "33.16")],
    )


def full_run(actor: Any, region: str = "33.16", **kwargs: Any) -> LinkageRun:
    return linkage_run_execute(run=linkage_run_create(actor=actor, region_prefix=region, **kwargs))


@pytest.fixture
def linked(world: World, kab_user: Any) -> LinkageRun:
    return full_run(kab_user)
