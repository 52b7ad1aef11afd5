"""Synthetic DTKS generator: reproducibility, file format, and realism (no database)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from padu.engine import schema
from padu.engine.synth import REFERENCE_DATE, generate, generate_frames, generate_survey
from padu.engine.synth.regions import load_kabupaten
from padu.engine.synth.survey import person_aggregates, survey_columns

POVERTY_LINE = 570_870
N = 20_000


@pytest.fixture(scope="module")
def frames() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    return generate_frames(kabupaten="33.16", n_keluarga=N, seed=11)


@pytest.fixture(scope="module")
def art(frames: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]) -> pl.DataFrame:
    ref = pl.lit(REFERENCE_DATE)
    return frames[1].with_columns(umur=(ref - pl.col("tgl_lahir")).dt.total_days() / 365.2425)


@pytest.fixture(scope="module")
def living(art: pl.DataFrame) -> pl.DataFrame:
    return art.filter(pl.col("status_hidup") == 1)


@pytest.fixture(scope="module")
def population(frames: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]) -> pl.DataFrame:
    """Families with person aggregates and truth: the whole population as a 'census'."""
    keluarga, art, truth = frames
    return keluarga.join(person_aggregates(art, REFERENCE_DATE), on="id_keluarga").join(
        truth, on="id_keluarga"
    )


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    args = {"kabupaten": "3316", "n_keluarga": 400, "truth": True, "survey": 60}
    generate(seed=5, out_dir=tmp_path / "a", **args)  # type: ignore[arg-type]
    generate(seed=5, out_dir=tmp_path / "b", **args)  # type: ignore[arg-type]
    generate(seed=6, out_dir=tmp_path / "c", **args)  # type: ignore[arg-type]
    a, b, c = (_files(tmp_path / x) for x in "abc")
    assert sorted(a) == ["art.csv", "keluarga.csv", "survey.csv", "truth.csv"]
    assert a == b
    assert all(a[name] != c[name] for name in a)


def test_written_files_follow_dtks_csv_v1(tmp_path: Path) -> None:
    result = generate(kabupaten="33.16", n_keluarga=300, seed=2, out_dir=tmp_path)
    assert result.truth_path is None and result.survey_path is None
    keluarga = pl.read_csv(result.keluarga_path, infer_schema=False)
    art = pl.read_csv(result.art_path, infer_schema=False)
    assert keluarga.columns == schema.column_names("keluarga")
    assert art.columns == schema.column_names("art")
    assert keluarga.height == result.n_keluarga == 300
    assert art.height == result.n_art
    assert keluarga["rt"].str.contains(r"^\d{3}$").all()
    assert keluarga["rw"].str.contains(r"^\d{3}$").all()
    assert keluarga["kode_desa"].str.contains(r"^33\.16\.\d{2}\.[12]\d{3}$").all()
    assert art["tgl_lahir"].str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    assert art["nik"].str.contains(r"^\d{16}$").all()
    assert art["hub_kepala_keluarga"].str.contains(r"^\d$").all()
    # Blank, not "null" or "NaN", for missing values.
    assert art["tgl_meninggal"].is_null().sum() == (art["status_hidup"] == "1").sum()
    assert not result.art_path.read_text("utf-8").count("null")


def test_unknown_kabupaten_is_refused_in_bahasa() -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        generate_frames(kabupaten="35.22", n_keluarga=10, seed=1)
    with pytest.raises(ValueError, match="tidak dikenal"):
        generate_frames(kabupaten="blora", n_keluarga=10, seed=1)


def test_columns_and_codes_follow_the_schema(
    frames: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame],
) -> None:
    keluarga, art, _ = frames
    for table, df in (("keluarga", keluarga), ("art", art)):
        assert df.columns == schema.column_names(table)  # type: ignore[arg-type]
        for name, column in schema.columns(table).items():  # type: ignore[arg-type]
            values = set(df[name].drop_nulls().unique().to_list())
            if column.type == "code":
                assert values <= set(column.codes), (table, name, values - set(column.codes))
            elif column.type == "flag":
                assert values <= {0, 1}, (table, name, values)
    assert keluarga["id_keluarga"].n_unique() == N
    assert art["id_art"].n_unique() == art.height
    assert set(art["id_keluarga"].unique().to_list()) == set(keluarga["id_keluarga"].to_list())


def test_kode_desa_are_real_desa_of_the_kabupaten(
    frames: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame],
) -> None:
    keluarga = frames[0]
    kab = load_kabupaten("33.16")
    used = set(keluarga["kode_desa"].unique().to_list())
    assert used <= set(kab.desa_codes)
    assert len(used) > 0.9 * len(kab.desa_codes)  # families spread over the desa
    urban = keluarga["kode_desa"].str.slice(9, 1) == "1"
    assert (keluarga["perkotaan"] == urban.cast(pl.Int64)).all()


def test_family_size_and_sex_ratio(living: pl.DataFrame) -> None:
    mean_size = living.height / N
    assert 3.0 <= mean_size <= 4.5
    male = int((living["jenis_kelamin"] == 1).sum())
    female = int((living["jenis_kelamin"] == 2).sum())
    assert 0.9 <= male / female <= 1.1


def test_heads_ages_and_marital_status(art: pl.DataFrame, living: pl.DataFrame) -> None:
    heads = living.filter(pl.col("hub_kepala_keluarga") == 1)
    assert ((heads["umur"] >= 20) & (heads["umur"] <= 85)).mean() >= 0.95
    assert 0.08 <= (heads["jenis_kelamin"] == 2).mean() <= 0.25
    spouses = art.filter(pl.col("hub_kepala_keluarga") == 2)
    assert (spouses["status_kawin"] == 2).all()
    # A female head with no husband on the KK is widowed, divorced or never married.
    lone_women = heads.filter(
        (pl.col("jenis_kelamin") == 2)
        & ~pl.col("id_keluarga").is_in(spouses["id_keluarga"].implode())
    )
    assert (lone_women["status_kawin"] != 2).all()
    assert (lone_women["status_kawin"] == 4).mean() > 0.5
    children = living.filter((pl.col("hub_kepala_keluarga") == 3) & (pl.col("umur") < 16))
    assert (children["status_kawin"] == 1).all()


def test_spouse_gap_and_mothers_age_at_birth(art: pl.DataFrame) -> None:
    cols = ["id_keluarga", "umur", "nama", "jenis_kelamin"]
    head = art.filter(pl.col("hub_kepala_keluarga") == 1).select(cols)
    wife = art.filter(pl.col("hub_kepala_keluarga") == 2).select(cols)
    couples = head.join(wife, on="id_keluarga", suffix="_istri")
    gap = couples["umur"] - couples["umur_istri"]
    assert ((gap >= 0) & (gap <= 10)).mean() > 0.7
    kids = art.filter(pl.col("hub_kepala_keluarga") == 3).join(
        couples.select(
            "id_keluarga", "umur_istri", "nama_istri", pl.col("nama").alias("nama_suami")
        ),
        on="id_keluarga",
    )
    at_birth = kids["umur_istri"] - kids["umur"]
    # Born when the mother was 17-45 (older people's registered birthdays are approximate:
    # 1 January, 1 July or 31 December of the year, so allow a year either side).
    assert ((at_birth >= 16.0) & (at_birth <= 46.0)).all()
    assert ((at_birth >= 16.95) & (at_birth <= 45.05)).mean() > 0.995
    # Parents' names follow the parents on the KK.
    assert (kids["nama_ibu"] == kids["nama_istri"]).all()
    assert (kids["nama_ayah"] == kids["nama_suami"]).all()


def test_some_orphans_on_the_kk(art: pl.DataFrame) -> None:
    parents = art.filter(pl.col("hub_kepala_keluarga").is_in([1, 2]))
    dead = parents.filter(pl.col("status_hidup") == 2)
    minors = art.filter(
        (pl.col("hub_kepala_keluarga") == 3) & (pl.col("status_hidup") == 1) & (pl.col("umur") < 18)
    )
    orphan = minors["id_keluarga"].is_in(dead["id_keluarga"].implode())
    share = orphan.mean()
    assert share is not None and 0.002 < share < 0.08
    deceased = art.filter(pl.col("status_hidup") == 2)
    assert deceased["tgl_meninggal"].is_not_null().all()
    assert (deceased["tgl_meninggal"] > deceased["tgl_lahir"]).all()
    assert (deceased["tgl_meninggal"] < REFERENCE_DATE).all()
    assert art.filter(pl.col("status_hidup") == 1)["tgl_meninggal"].is_null().all()


def test_nik_and_kk_are_unique_16_digits(
    frames: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame],
) -> None:
    keluarga, art, _ = frames
    for series in (art["nik"], keluarga["no_kk"]):
        assert series.str.contains(r"^\d{16}$").all()
        assert series.n_unique() == series.len()
    assert (
        keluarga["no_kk"]
        .str.slice(0, 6)
        .eq(keluarga["kode_desa"].str.replace_all(".", "", literal=True).str.slice(0, 6))
        .all()
    )
    # Most NIKs were issued in the family's kabupaten, some elsewhere in Jawa Tengah.
    own = art["nik"].str.starts_with("3316").mean()
    assert own is not None and 0.85 < own < 0.995
    assert art["nik"].str.starts_with("33").all()


def test_nik_decodes_to_birth_date_and_sex(art: pl.DataFrame) -> None:
    day = art["nik"].str.slice(6, 2).cast(pl.Int32)
    female = art["jenis_kelamin"] == 2
    assert ((day > 40) == female).all()
    born = art["tgl_lahir"]
    assert ((day - 40 * female.cast(pl.Int32)) == born.dt.day()).all()
    assert (art["nik"].str.slice(8, 2).cast(pl.Int32) == born.dt.month()).all()
    assert (art["nik"].str.slice(10, 2).cast(pl.Int32) == born.dt.year() % 100).all()
    assert (art["nik"].str.slice(12, 4).cast(pl.Int32) >= 1).all()


def test_poverty_rate_and_desil(population: pl.DataFrame) -> None:
    w = population["jumlah_art"].to_numpy()
    poor = (population["pengeluaran_per_kapita"] < POVERTY_LINE).to_numpy()
    assert (population["miskin"].to_numpy() == poor).all()
    rate = (w * poor).sum() / w.sum()
    assert 0.08 <= rate <= 0.20
    per_desil = (
        population.group_by("desil_benar").agg(pl.col("jumlah_art").sum()).sort("desil_benar")
    )
    assert per_desil["desil_benar"].to_list() == list(range(1, 11))
    shares = per_desil["jumlah_art"].to_numpy() / w.sum()
    assert np.abs(shares - 0.1).max() < 0.01
    means = (
        population.group_by("desil_benar")
        .agg(pl.col("pengeluaran_per_kapita").mean())
        .sort("desil_benar")
    )
    assert (np.diff(means["pengeluaran_per_kapita"].to_numpy()) > 0).all()


def test_welfare_drives_housing_assets_and_programmes(population: pl.DataFrame) -> None:
    poor = population.filter(pl.col("miskin") == 1)
    rich = population.filter(pl.col("desil_benar") >= 8)
    assert (poor["jenis_lantai"] == 9).mean() > 3 * (rich["jenis_lantai"] == 9).mean()
    assert (poor["bahan_bakar_memasak"] == 8).mean() > 2 * (rich["bahan_bakar_memasak"] == 8).mean()
    assert rich["aset_mobil"].mean() > 5 * poor["aset_mobil"].mean()
    pkh = population["penerima_pkh"] == 1
    is_poor = population["miskin"] == 1
    exclusion = 1 - int((pkh & is_poor).sum()) / int(is_poor.sum())
    assert 0.3 <= exclusion <= 0.7
    assert (pkh & ~is_poor).sum() > 0  # some leakage
    # PIP only in families with a member still in school.
    pip = population.filter(pl.col("penerima_pip") == 1)
    assert (pip["art_sekolah"] > 0).all()


def test_housing_items_are_consistent(
    frames: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame],
) -> None:
    k = frames[0]
    no_toilet = k.filter(pl.col("fasilitas_bab") == 4)
    assert no_toilet.height > 0 and (no_toilet["jenis_kloset"] == 4).all()
    assert ((k["sumber_penerangan"] == 3) == k["daya_listrik"].is_null()).all()
    assert (k.filter(pl.col("sumber_penerangan") == 3)["aset_kulkas"] == 0).all()
    assert (k.filter(pl.col("daya_listrik").is_in([1, 2, 6]))["aset_ac"] == 0).all()
    assert ((k["aset_lahan"] == 1) == k["luas_lahan"].is_not_null()).all()


def test_person_attributes_are_plausible(living: pl.DataFrame) -> None:
    pregnant = living.filter(pl.col("hamil") == 1)
    assert pregnant.height > 0
    assert (pregnant["jenis_kelamin"] == 2).all()
    assert ((pregnant["umur"] >= 15) & (pregnant["umur"] < 50)).all()
    women = living.filter((pl.col("jenis_kelamin") == 2) & pl.col("umur").is_between(15, 49))
    assert women["hamil"].mean() < 0.08
    workers = living.filter(pl.col("bekerja") == 1)
    assert workers["lapangan_usaha"].is_not_null().all()
    assert living.filter(pl.col("bekerja") == 0)["lapangan_usaha"].is_null().all()
    assert 0.005 < (workers["lapangan_usaha"] == 9).mean() < 0.06
    school_age = living.filter(pl.col("umur").is_between(7, 12))
    assert (school_age["partisipasi_sekolah"] == 1).mean() > 0.9
    assert (living.filter(pl.col("umur") < 5)["partisipasi_sekolah"] == 0).all()
    assert 0.005 < living["disabilitas"].mean() < 0.06
    names = living["nama"]
    assert names.n_unique() > 0.3 * names.len()
    assert (names.str.split(" ").list.len() == 1).mean() > 0.1
    assert (living["tempat_lahir"] == "BLORA").mean() > 0.7


def test_survey_weights_represent_the_population(
    frames: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame], population: pl.DataFrame
) -> None:
    keluarga, art, truth = frames
    survey = generate_survey(keluarga, art, truth, n=3000, kabupaten="3316", seed=11)
    assert survey.columns == survey_columns()
    assert survey.height == 3000
    weight = survey["bobot"].to_numpy()
    assert (weight > 0).all()
    assert weight.std() > 0.1 * weight.mean()  # unequal sampling rates
    assert abs(weight.sum() / population["jumlah_art"].sum() - 1) < 0.05
    poor = (survey["pengeluaran_per_kapita"] < POVERTY_LINE).to_numpy()
    w = population["jumlah_art"].to_numpy()
    true_rate = (w * population["miskin"].to_numpy()).sum() / w.sum()
    assert abs((weight * poor).sum() / weight.sum() - true_rate) < 0.03
    assert (survey["kode_kabupaten"] == "33.16").all()


def test_a_linear_pmt_explains_part_of_welfare(population: pl.DataFrame) -> None:
    proxies = [
        c
        for c in survey_columns()
        if c not in ("kode_desa", "kode_kabupaten", "pengeluaran_per_kapita", "bobot")
    ]
    x = population.select(proxies).fill_null(0).to_numpy().astype(np.float64)
    x = np.column_stack([np.ones(len(x)), x, np.log(population["jumlah_art"].to_numpy())])
    y = np.log(population["pengeluaran_per_kapita"].to_numpy())
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    r2 = 1 - (y - x @ beta).var() / y.var()
    assert 0.3 <= r2 <= 0.7


def test_reference_date_moves_ages_not_the_clock() -> None:
    _, a1, _ = generate_frames(kabupaten="33.16", n_keluarga=50, seed=3)
    _, a2, _ = generate_frames(
        kabupaten="33.16", n_keluarga=50, seed=3, reference_date=date(2020, 1, 1)
    )
    assert a1["tgl_lahir"].max() < REFERENCE_DATE
    assert a2["tgl_lahir"].max() < date(2020, 1, 1)
    assert a2["tgl_lahir"].min() < date(1960, 1, 1)
