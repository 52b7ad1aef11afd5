"""Orphan detection on fixed small registers: each path (same KK, a couple on another KK,
a death record) finds exactly the expected children with the right kind; divorce, an
unknown parent, a common name alone and a child of 18 find nothing."""

from __future__ import annotations

import datetime as dt

import polars as pl

from padu.engine.asuh.detect import find_orphans

REF = dt.date(2026, 12, 1)
DESA = "33.16.01.2001"


def born(age: int) -> dt.date:
    return REF.replace(year=REF.year - age) - dt.timedelta(days=30)


rows: list[dict[str, object]] = []


def person(
    pid: str, kk: str, nama: str, sex: int, age: int, hub: int, *, dead: bool = False,
    ayah: str = "", ibu: str = "", nik: str | None = None, desa: str = DESA,
) -> None:  # fmt: skip
    rows.append(
        {
            "id_art": pid, "id_keluarga": kk, "kode_desa": desa,
            "nik": nik or f"3316{len(rows):012d}", "nama": nama, "jenis_kelamin": sex,
            "tgl_lahir": born(age), "hub_kepala_keluarga": hub,
            "status_hidup": 2 if dead else (None if pid.endswith("3") else 1),  # unknown = alive
            "tgl_meninggal": dt.date(2025, 3, 2) if dead else None,
            "nama_ayah": ayah, "nama_ibu": ibu,
        }
    )  # fmt: skip


def register() -> pl.DataFrame:
    rows.clear()
    # A: the father (head) died; three children of 10, 17 and exactly 18 (not a child).
    person("A1", "KA", "Sugeng Riyadi", 1, 45, 1, dead=True)
    person("A2", "KA", "Tri Wahyuni", 2, 40, 2)
    person("A3", "KA", "Dwi Lestari", 2, 10, 3, ayah="SUGENG RIYADI", ibu="Tri Wahyuni")
    person("A4", "KA", "Agus Riyadi", 1, 17, 3, ayah="Sugeng Riyadi", ibu="Tri Wahyuni")
    person("A5", "KA", "Eko Riyadi", 1, 18, 3, ayah="Sugeng Riyadi", ibu="Tri Wahyuni")
    # B: divorced mother heads the KK; the father lives, remarried, on KK C: not an orphan.
    person("B1", "KB", "Siti Aminah", 2, 35, 1)
    person("B2", "KB", "Rudi Hartono", 1, 8, 3, ayah="Budi Santoso", ibu="Siti Aminah")
    person("C1", "KC", "Budi Santoso", 1, 38, 1)
    person("C2", "KC", "Ratna Sari", 2, 30, 2)
    # D: grandparents raise a grandchild of 6; its parents, both dead, are a couple on KK E.
    person("D1", "KD", "Karto Wiyono", 1, 68, 1)
    person("D2", "KD", "Painem", 2, 64, 2)
    person("D3", "KD", "Bagus Prasetyo", 1, 6, 5, ayah="Slamet Prasetyo", ibu="Sri Rahayu")
    person("E1", "KE", "Slamet Prasetyo", 1, 36, 1, dead=True, desa="33.16.02.2001")
    person("E2", "KE", "Sri Rahayu", 2, 33, 2, dead=True, desa="33.16.02.2001")
    # F: the register says the father lives; Dukcapil has his death: yatim.
    person("F1", "KF", "Joko Susilo", 1, 50, 1, nik="3316010101700001")
    person("F2", "KF", "Wartini", 2, 44, 2)
    person("F3", "KF", "Nur Hidayah", 2, 12, 3, ayah="Joko Susilo", ibu="Wartini")
    # G: the mother died: piatu.
    person("G1", "KG", "Bambang Wijaya", 1, 42, 1)
    person("G2", "KG", "Yuliana", 2, 39, 2, dead=True)
    person("G3", "KG", "Rina Wijaya", 2, 9, 3, ayah="Bambang Wijaya", ibu="Yuliana")
    # H: only the father's (common) name matches a dead man on KK I, whose wife is someone
    # else: not an orphan; and a child with no parents' names at all.
    person("H1", "KH", "Sumini", 2, 60, 1)
    person("H2", "KH", "Andi", 1, 11, 5, ayah="Slamet Prasetyo", ibu="Warsini")
    person("H3", "KH", "Tono", 1, 7, 5)
    person("I1", "KI", "Slamet Prasetyo", 1, 40, 1, dead=True)
    person("I2", "KI", "Maryati", 2, 38, 2)
    # J: in another kabupaten, the same couple names as D's parents: never matched there.
    person("J1", "KJ", "Sri Rahayu", 2, 33, 2, desa="33.17.01.2001")
    return pl.DataFrame(rows)


def test_each_path_finds_exactly_the_expected_children() -> None:
    deaths = pl.DataFrame({"nik": ["3316010101700001"], "tgl_meninggal": [dt.date(2026, 6, 9)]})
    found = find_orphans(register(), REF, deaths=deaths)
    got = {r["id_art"]: (r["jenis"], r["jalur"]) for r in found.iter_rows(named=True)}
    assert got == {
        "A3": ("yatim", "keluarga"),
        "A4": ("yatim", "keluarga"),
        "D3": ("yatim_piatu", "lintas_keluarga"),
        "F3": ("yatim", "kematian"),
        "G3": ("piatu", "keluarga"),
    }
    d3 = found.filter(pl.col("id_art") == "D3").row(0, named=True)
    assert (d3["ayah"], d3["ibu"]) == ("E1", "E2") and "KK lain" in d3["bukti"]
    f3 = found.filter(pl.col("id_art") == "F3").row(0, named=True)
    assert "Dukcapil" in f3["bukti"] and "2026-06-09" in f3["bukti"]
    assert f3["keyakinan"] < 1 and set(found["kode_desa"]) == {DESA}


def test_without_death_records_the_register_alone_decides() -> None:
    found = find_orphans(register(), REF)
    assert set(found["id_art"]) == {"A3", "A4", "D3", "G3"}


def test_the_age_limit_is_configurable() -> None:
    found = find_orphans(register(), REF, age_limit=11)
    assert set(found["id_art"]) == {"A3", "D3", "G3"}  # 10, 6 and 9 years old


def test_suggestions_nearest_first_within_reach_and_capacity() -> None:
    from padu.engine.asuh.match import Sponsor, suggest

    child = "33.16.01.2001"
    sponsors = [
        Sponsor(1, "33.16.02.2001", "kabupaten", 2, frozenset({"pendidikan"})),
        Sponsor(2, "33.16.01.2002", "kecamatan", 1, frozenset()),
        Sponsor(3, "33.16.01.2001", "desa", 0, frozenset()),  # full
        Sponsor(4, "33.17.01.2001", "kabupaten", 5, frozenset()),  # out of its reach
        Sponsor(5, "33.17.01.2001", "provinsi", 5, frozenset({"gizi"})),  # no need covered
        Sponsor(6, "33.16.02.2002", "kabupaten", 1, frozenset({"pendidikan", "kesehatan"})),
        Sponsor(7, "33.18.01.2001", "provinsi", 1, frozenset()),
    ]
    got = suggest(child, ["pendidikan", "kesehatan"], sponsors)
    assert [s.sponsor.id for s in got] == [2, 6, 1, 7]
    assert got[0].alasan.startswith("kecamatan yang sama")
    assert got[1].dibantu == ("pendidikan", "kesehatan")
