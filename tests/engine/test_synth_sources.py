"""Source views of a synthetic population (padu.engine.synth.sources)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from padu.engine import schema
from padu.engine.synth import generate_frames
from padu.engine.synth.sources import PROFILES, RECORD_COLUMNS, make_source_views

TODAY = date(2026, 1, 1)
VILLAGES = Path(__file__).parents[2] / "padu" / "wilayah" / "data" / "villages.csv"
# fmt: off
_MALE = ["Muhammad", "Ahmad", "Abdul", "Joko", "Sutrisno", "Budi", "Slamet", "Nur", "Agus",
         "Suparman", "Karto", "Cahyo", "Khoirul", "Yusuf", "Bambang", "Wahyu", "Rahman", "Eko"]
_FEMALE = ["Siti", "Suparmi", "Sri", "Nurul", "Juminten", "Sumiyati", "Dewi", "Yuli", "Tri",
           "Endang", "Aminah", "Khotimah", "Wartini", "Lestari", "Rahayu", "Ning", "Umi"]
# fmt: on


def _names(rng: np.random.Generator, female: np.ndarray) -> pl.Series:
    n = female.size
    parts = []
    for share in (1.0, 0.7, 0.2):  # first, second and third token
        pick = np.where(
            female,
            np.array(_FEMALE)[rng.integers(0, len(_FEMALE), n)],
            np.array(_MALE)[rng.integers(0, len(_MALE), n)],
        )
        parts.append(pl.Series(np.where(rng.random(n) < share, pick, "")))
    joined = pl.select(pl.concat_str(parts, separator=" ")).to_series()
    return joined.str.replace_all(" +", " ").str.strip_chars()


def demo_frames(n_keluarga: int = 5000, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Small clean keluarga/art frames with the DTKS-CSV v1 columns (stand-in for the core)."""
    rng = np.random.default_rng(seed)
    desa = pl.read_csv(VILLAGES, columns=["code"]).filter(pl.col("code").str.starts_with("33.16."))
    codes = desa["code"].head(40).to_numpy()
    n = n_keluarga
    u = rng.normal(size=n)  # welfare
    kode_desa = codes[rng.integers(0, codes.size, n)]
    kec = np.char.replace(kode_desa.astype("U8"), ".", "")
    kk = np.char.add(kec, np.char.zfill(rng.choice(10**10, n, replace=False).astype(str), 10))
    fam = pl.DataFrame({"id_keluarga": [f"K{i:06d}" for i in range(n)], "u": u})
    fam = fam.with_columns(
        no_kk=pl.Series(kk), kode_desa=pl.Series(kode_desa), kec=pl.Series(kec),
        alamat=pl.format("Dukuh {}", pl.Series(rng.integers(1, 30, n))),
        rt=pl.Series(rng.integers(1, 12, n)).cast(pl.String).str.zfill(3),
        rw=pl.Series(rng.integers(1, 6, n)).cast(pl.String).str.zfill(3),
        head_age=pl.Series(rng.integers(22, 80, n)),
        spouse=pl.Series(rng.random(n) < 0.8), children=pl.Series(rng.integers(0, 5, n)),
        parent=pl.Series(rng.random(n) < 0.1), head_female=pl.Series(rng.random(n) < 0.15),
    )  # fmt: skip
    slots = []
    for slot in range(7):  # 0 head, 1 spouse, 2-5 children, 6 parent
        mask = {0: pl.lit(True), 1: pl.col("spouse"), 6: pl.col("parent")}.get(
            slot, pl.col("children") > slot - 2
        )
        part = fam.filter(mask).with_columns(slot=pl.lit(slot))
        slots.append(part)
    art = pl.concat(slots).sort("id_keluarga", "slot")
    m = art.height
    slots_of = art["slot"].to_numpy()
    head_female = art["head_female"].to_numpy()
    female = np.where(
        slots_of == 0, head_female, np.where(slots_of == 1, ~head_female, rng.random(m) < 0.5)
    )
    age = art["head_age"].to_numpy() + np.select(
        [slots_of == 1, (slots_of >= 2) & (slots_of <= 5), slots_of == 6],
        [rng.integers(-5, 3, m), -rng.integers(18, 40, m), rng.integers(20, 30, m)], 0
    )  # fmt: skip
    age = np.clip(age, 0, 105)
    born = np.array([TODAY], dtype="datetime64[D]") - (
        age * 365.25 + rng.integers(1, 360, m)
    ).astype(int)
    tgl = pl.Series(born).cast(pl.Date)
    dead = (slots_of > 0) & (rng.random(m) < 0.04)
    names = _names(rng, female)
    art = art.with_columns(
        id_art=pl.format("A{}", pl.int_range(pl.len()).cast(pl.String).str.zfill(7)),
        nama=names, tgl_lahir=tgl, jenis_kelamin=pl.Series(np.where(female, 2, 1)),
        hub_kepala_keluarga=pl.Series(np.select([slots_of == 0, slots_of == 1, slots_of == 6], [1, 2, 6], 3)),
        tempat_lahir=pl.lit("Blora"),
        status_hidup=pl.Series(np.where(dead, 2, 1)),
        tgl_meninggal=pl.when(pl.Series(dead)).then(
            pl.min_horizontal(pl.lit(TODAY - timedelta(days=1)), tgl + timedelta(days=20000))
        ),
    )  # fmt: skip
    mother = art.filter(pl.col("slot") <= 1).filter(pl.col("jenis_kelamin") == 2)
    father = art.filter(pl.col("slot") <= 1).filter(pl.col("jenis_kelamin") == 1)
    parents = mother.group_by("id_keluarga").agg(ibu=pl.first("nama")).join(
        father.group_by("id_keluarga").agg(ayah=pl.first("nama")), on="id_keluarga", how="full",
        coalesce=True,
    )  # fmt: skip
    art = art.join(parents, on="id_keluarga", how="left")
    other = _names(rng, np.ones(m, bool))
    child = pl.col("slot").is_between(2, 5)
    day = pl.col("tgl_lahir").dt.day() + 40 * (pl.col("jenis_kelamin") == 2)
    rank = pl.int_range(pl.len()).over("kec", "tgl_lahir", "jenis_kelamin")
    serial = (rank * 1000 + pl.Series(rng.integers(1, 1000, m))).cast(pl.String).str.zfill(4)
    art = art.with_columns(
        nama_ibu=pl.when(child).then("ibu").otherwise(other),
        nama_ayah=pl.when(child).then("ayah").otherwise(_names(rng, np.zeros(m, bool))),
        nik=pl.concat_str(
            "kec", day.cast(pl.String).str.zfill(2),
            pl.col("tgl_lahir").dt.strftime("%m%y"), serial,
        ),
        status_kawin=pl.when(pl.col("slot") <= 1).then(2).otherwise(1),
        pendidikan=pl.Series(rng.integers(0, 5, m)), partisipasi_sekolah=pl.lit(2),
        bekerja=pl.when(pl.col("slot") <= 1).then(1).otherwise(0),
        lapangan_usaha=pl.when(pl.col("slot") <= 1).then(
            pl.when(pl.col("u") > 1.2).then(9).otherwise(1)
        ),
        status_pekerjaan=pl.when(pl.col("slot") <= 1).then(4),
        disabilitas=pl.lit(0), penyakit_kronis=pl.lit(0), hamil=pl.lit(0),
    )  # fmt: skip
    assert art["nik"].n_unique() == m
    poor = pl.col("u") < -0.5
    keluarga = fam.with_columns(
        perkotaan=pl.lit(0), status_bangunan=pl.lit(1), status_lahan=pl.lit(1),
        jenis_lantai=pl.when(poor).then(9).otherwise(2),
        jenis_dinding=pl.when(poor).then(4).otherwise(1), kondisi_dinding=pl.lit(1),
        jenis_atap=pl.lit(4), kondisi_atap=pl.lit(1), jumlah_kamar=pl.lit(2),
        sumber_air_minum=pl.when(poor).then(7).otherwise(5),
        sumber_penerangan=pl.when(pl.col("u") < -2).then(3).otherwise(1),
        fasilitas_bab=pl.when(pl.col("u") < -1.5).then(4).otherwise(1),
        jenis_kloset=pl.when(pl.col("u") < -1.5).then(4).otherwise(1),
        pembuangan_tinja=pl.when(pl.col("u") < -1.5).then(4).otherwise(1),
        bahan_bakar_memasak=pl.when(poor).then(8).otherwise(3),
        **{c: (pl.col("u") + pl.Series(rng.normal(size=n)) > 0.5).cast(pl.Int64)
           for c in ["aset_kulkas", "aset_tv", "aset_sepeda_motor", "aset_smartphone"]},
        penerima_pkh=(pl.col("u") < -0.8).cast(pl.Int64),
        penerima_bpnt=(pl.col("u") < -0.5).cast(pl.Int64),
        penerima_pbi=(pl.col("u") < -0.3).cast(pl.Int64),
        penerima_blt_dd=((pl.col("u") < -1.3) & pl.Series(rng.random(n) < 0.5)).cast(pl.Int64),
        luas_lantai=pl.Series(rng.uniform(8, 30, n)) * (2 + pl.col("children")),
    ).with_columns(
        daya_listrik=pl.when(pl.col("sumber_penerangan") == 1).then(pl.lit(2)),
        luas_lantai=pl.col("luas_lantai").round(1),
    )  # fmt: skip
    for name, column in schema.columns("keluarga").items():
        if name not in keluarga.columns:
            keluarga = keluarga.with_columns(
                pl.lit(0 if column.type != "text" else None).alias(name)
            )
    art_cols = schema.column_names("art")
    return keluarga.select(schema.column_names("keluarga")), art.select(art_cols)


def core_frames(n_keluarga: int = 5000, seed: int = 2) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The generator core's clean frames."""
    keluarga, art, _truth = generate_frames(kabupaten="33.16", n_keluarga=n_keluarga, seed=seed)
    return keluarga, art


def some_frames(kind: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``demo``: the small stand-in above; ``core``: the generator's own output."""
    return demo_frames(5000, seed=7) if kind == "demo" else core_frames()


SOURCES = list(PROFILES)
_FAMILY = ["id_keluarga", "hub_kepala_keluarga", "status_hidup", "nik", "nama", "tgl_lahir"]


@pytest.fixture(scope="module", params=["demo", "core"])
def frames(request: pytest.FixtureRequest) -> tuple[pl.DataFrame, pl.DataFrame]:
    return some_frames(request.param)


@pytest.fixture(scope="module")
def views(frames: tuple[pl.DataFrame, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    return make_source_views(*frames, seed=1)


@pytest.fixture(scope="module")
def joined(frames, views) -> pl.DataFrame:
    """Each record with the true person behind it."""
    records, truth = views
    true = frames[1].select("id_art", *[pl.col(c).alias(f"true_{c}") for c in _FAMILY])
    return records.join(truth, on="record_id").join(true, left_on="person_id", right_on="id_art")


def _by(joined: pl.DataFrame, source: str) -> pl.DataFrame:
    return joined.filter(pl.col("source") == source)


def test_columns_ids_and_truth(frames, views) -> None:
    records, truth = views
    assert records.columns == RECORD_COLUMNS
    assert all(dtype == pl.String for dtype in records.schema.values())
    assert records["record_id"].is_unique().all()
    assert records["record_id"].str.contains(r"^(DTKS|DUKCAPIL|P3KE|BLT_DD)-[0-9]{6}$").all()
    assert (records["record_id"].str.extract("^([A-Z_0-9]+)-") == records["source"]).all()
    assert truth["record_id"].equals(records["record_id"])
    assert truth["person_id"].is_in(frames[1]["id_art"].implode()).all()
    assert set(records["source"]) == set(SOURCES)


def test_deterministic(frames, views) -> None:
    again = make_source_views(*frames, seed=1)
    assert again[0].equals(views[0]) and again[1].equals(views[1])
    other = make_source_views(*frames, seed=2)
    assert not other[0].equals(views[0])


def test_dukcapil_has_every_living_person_cleanly(frames, joined) -> None:
    art = frames[1]
    duk = _by(joined, "DUKCAPIL")
    living = art.filter(pl.col("status_hidup") != 2)["id_art"]
    assert living.is_in(duk["person_id"].implode()).all()
    assert duk["person_id"].is_unique().all()
    assert (duk["nik"] == duk["true_nik"]).all() and (duk["nama"] == duk["true_nama"]).all()
    assert duk["tgl_lahir"].str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    assert set(duk["jenis_kelamin"]) == {"LAKI-LAKI", "PEREMPUAN"}
    dead = art.filter(pl.col("status_hidup") == 2)["id_art"]
    assert 0 < dead.is_in(duk["person_id"].implode()).mean() < 0.5  # deaths not all reported


def test_coverage_shares(frames, joined) -> None:
    n_fam = frames[0].height
    share = {s: _by(joined, s)["true_id_keluarga"].n_unique() / n_fam for s in SOURCES}
    assert 0.45 < share["DTKS"] < 0.55
    assert 0.36 < share["P3KE"] < 0.44
    assert 0.08 < share["BLT_DD"] < 0.25
    blt = _by(joined, "BLT_DD")
    assert (blt["true_hub_kepala_keluarga"] == 1).all()
    # the same poor families: most P3KE families are in DTKS too, not all
    dtks_fam = _by(joined, "DTKS")["true_id_keluarga"].unique().implode()
    overlap = _by(joined, "P3KE")["true_id_keluarga"].unique().is_in(dtks_fam).mean()
    assert 0.6 < overlap < 0.98
    # DTKS lists all members of its families (deceased ones mostly kept)
    dtks = _by(joined, "DTKS")
    members = frames[1].filter(pl.col("id_keluarga").is_in(dtks_fam))
    assert (
        members.filter(pl.col("status_hidup") != 2)["id_art"]
        .is_in(dtks["person_id"].implode())
        .all()
    )


def test_dtks_profile(joined) -> None:
    dtks = _by(joined, "DTKS")
    nik = dtks["nik"].drop_nulls()
    assert nik.str.contains(r"^\d\.\d{1,5}E\+15$").mean() == pytest.approx(0.02, abs=0.008)
    typed = dtks.filter(
        pl.col("nik").str.contains(r"^\d{16}$") & (pl.col("nik") != pl.col("true_nik"))
    )
    assert typed.height / dtks.height == pytest.approx(0.025, abs=0.01)
    assert (dtks["nama"] == dtks["nama"].str.to_uppercase()).all()
    assert dtks["nama"].str.contains(r"^(H|HJ|DRS|DRA|IR)\. |, S\.|S\.PD$").sum() > 0
    assert dtks["person_id"].is_duplicated().sum() > 0  # one person, two DTKS ids
    assert dtks["rt"].drop_nulls().str.len_chars().min() == 3


def test_p3ke_profile(joined) -> None:
    p3ke = _by(joined, "P3KE")
    name, true = p3ke["nama"], p3ke["true_nama"]
    new = [name.str.contains(f"(?i){p}") & ~true.str.contains(f"(?i){p}") for p in
           [r"\b(M|Moch|Moh|Muh)\. ", r"\bSt\.? |\bAbd\. ", "oe|dj|tj"]]  # fmt: skip
    assert all(found.sum() > 0 for found in new)  # abbreviations, old spelling
    assert p3ke["tgl_lahir"].drop_nulls().str.contains(r"^\d{2}-\d{2}-\d{4}$").all()
    assert set(p3ke["jenis_kelamin"].drop_nulls()) == {"L", "P"}
    assert p3ke["nik"].null_count() / p3ke.height == pytest.approx(0.08, abs=0.02)
    assert p3ke["true_tgl_lahir"].max() <= TODAY - timedelta(days=3 * 365)  # snapshot


def test_blt_dd_profile(joined) -> None:
    blt = _by(joined, "BLT_DD")
    dates = blt["tgl_lahir"].drop_nulls()
    assert dates.str.contains(r"^\d{2}/\d{2}/\d{4}$").all()
    written = blt.filter(pl.col("tgl_lahir").is_not_null())
    true = written["true_tgl_lahir"].dt.strftime("%d/%m/%Y")
    default = written["tgl_lahir"].str.contains(r"^01/0[17]/") & (written["tgl_lahir"] != true)
    assert 0.03 < default.mean() < 0.15
    swapped = written["tgl_lahir"] == written["true_tgl_lahir"].dt.strftime("%m/%d/%Y")
    assert (swapped & (written["tgl_lahir"] != true)).sum() > 0
    assert 0.35 < blt["nik"].null_count() / blt.height < 0.55
    assert blt["nik"].str.starts_with("'").sum() > 0
    assert blt["nama"].str.contains(r" bin | binti ").sum() > 0
    assert blt["nama"].str.contains(r"^(H|Hj|Drs|Dra|Ir)\. |S\.Pd|S\.E\.|A\.Md|SE$").sum() > 0
    first = blt["true_nama"].str.split(" ").list.first()
    last = blt["nama"].str.split(" ").list.last()
    assert (
        (last == first) & blt["true_nama"].str.contains(" ") & (blt["nama"] != blt["true_nama"])
    ).sum() > 0
    assert not blt["rt"].drop_nulls().str.starts_with("0").any()
    assert (blt["nama"] != blt["true_nama"]).mean() > 0.2


def test_moved_families_differ_between_sources(joined) -> None:
    desa = (
        joined.with_columns(desa=pl.col("kode_desa").str.replace_all(r"\.", ""))
        .group_by("person_id")
        .agg(n=pl.col("desa").drop_nulls().n_unique())
    )
    assert (desa["n"] > 1).mean() > 0.005


def test_family_members_stay_distinguishable(joined) -> None:
    for source in ["DTKS", "DUKCAPIL", "P3KE"]:
        rows = _by(joined, source).filter(pl.col("tgl_lahir").is_not_null())
        keys = rows.group_by("true_id_keluarga", "nama", "tgl_lahir").agg(
            pl.col("person_id").n_unique()
        )
        assert (keys["person_id"] == 1).mean() > 0.999
