"""Person records of one synthetic population as several sources see it (no Django).

:func:`make_source_views` turns the true ``keluarga``/``art`` frames (DTKS-CSV v1 columns)
into the linkage input of ``padu link`` (``record_id, source, nik, no_kk, nama, tgl_lahir,
jenis_kelamin, tempat_lahir, nama_ibu, kode_desa, alamat, rt, rw``, all text as the source
writes it) plus the truth (``record_id, person_id``; ``person_id`` is the true ``id_art``).

Sources (see :data:`PROFILES` for the numbers):

- ``DTKS``: SIKS-NG export of the poorer half of families, all their members; stale (moved
  families at the old desa with the old KK, deceased members kept), duplicate records of a
  person, NIK typos and float damage (``3.31601E+15``), names in capitals, some with titles;
- ``DUKCAPIL``: civil registry; every living person (and deceased ones whose death was not
  reported); clean NIK and KK, names as registered, ISO dates, ``LAKI-LAKI``/``PEREMPUAN``;
- ``P3KE``: the poorest ~40% (snapshot three years back: no one born since, deceased shown if
  alive then); abbreviations (M., Moch., St., Abd.), old spelling, DD-MM-YYYY, ``L``/``P``;
- ``BLT_DD``: village lists of heads of families receiving BLT-DD or very poor; swapped
  tokens, typos, titles and degrees, bin/binti, DD/MM/YYYY with default and swapped dates,
  often no NIK, unpadded RT/RW.

Everything is vectorised (numpy/Polars); the same ``seed`` gives the same frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from padu.engine.synth import variants

__all__ = ["PROFILES", "RECORD_COLUMNS", "SourceProfile", "make_source_views"]

RECORD_COLUMNS = [
    "record_id", "source", "nik", "no_kk", "nama", "tgl_lahir", "jenis_kelamin",
    "tempat_lahir", "nama_ibu", "kode_desa", "alamat", "rt", "rw",
]  # fmt: skip

MOVED_SHARE = 0.06  # families that moved to another desa: their old address shows in stale views


@dataclass(frozen=True)
class SourceProfile:
    """Coverage and writing habits of one source (shares are of records unless stated)."""

    name: str
    family_share: float  # share of families covered (poorest by the source's own ranking)
    rank_noise: float  # noise on the welfare ranking, in standard deviations of the index
    deceased_kept: float  # share of deceased members still listed
    stale: float  # share of moved families shown at their old address and old KK
    duplicates: float  # share of records written a second time
    date_format: str
    sex: tuple[str, str]  # how male and female are written
    dotted_desa: bool
    rt_width: int  # zero padding of RT/RW (0: none)
    upper: bool  # names, places and addresses in capitals
    missing: dict[str, float] = field(default_factory=dict)  # column -> share left blank
    names: dict[str, float] = field(default_factory=dict)  # name variant -> share of records


PROFILES: dict[str, SourceProfile] = {
    p.name: p
    for p in [
        SourceProfile(  # SIKS-NG export
            name="DTKS", family_share=0.50, rank_noise=0.9, deceased_kept=0.7, stale=0.85,
            duplicates=0.015, date_format="%Y-%m-%d", sex=("1", "2"), dotted_desa=True,
            rt_width=3, upper=True,
            missing={"nik": 0.01, "no_kk": 0.02, "tempat_lahir": 0.05, "nama_ibu": 0.15,
                     "tgl_lahir": 0.01, "alamat": 0.03, "rt": 0.03, "rw": 0.03},
            names={"typo": 0.02, "title": 0.04},
        ),
        SourceProfile(  # civil registry extract
            name="DUKCAPIL", family_share=1.0, rank_noise=0.0, deceased_kept=0.25, stale=0.3,
            duplicates=0.0, date_format="%Y-%m-%d", sex=("LAKI-LAKI", "PEREMPUAN"),
            dotted_desa=False, rt_width=3, upper=False,
        ),
        SourceProfile(  # BKKBN family data ranked by PMT, a snapshot three years back
            name="P3KE", family_share=0.40, rank_noise=0.7, deceased_kept=1.0, stale=0.4,
            duplicates=0.005, date_format="%d-%m-%Y", sex=("L", "P"), dotted_desa=False,
            rt_width=3, upper=False,
            missing={"nik": 0.08, "no_kk": 0.05, "tempat_lahir": 0.3, "nama_ibu": 0.6,
                     "tgl_lahir": 0.02, "alamat": 0.05},
            names={"abbreviate": 0.7, "old_spelling": 0.12},
        ),
        SourceProfile(  # village BLT-DD lists typed by operators: heads only
            name="BLT_DD", family_share=0.12, rank_noise=0.8, deceased_kept=0.0, stale=0.0,
            duplicates=0.02, date_format="%d/%m/%Y", sex=("L", "P"), dotted_desa=True,
            rt_width=0, upper=False,
            missing={"nik": 0.45, "no_kk": 0.6, "tempat_lahir": 0.8, "nama_ibu": 1.0,
                     "tgl_lahir": 0.04, "jenis_kelamin": 0.3, "alamat": 0.1},
            names={"titlecase": 0.5, "swap": 0.06, "typo": 0.1, "title": 0.1, "patronym": 0.1},
        ),
    ]
}  # fmt: skip

# Housing and asset codes that mark a poorer family (DTKS-CSV v1 codes).
_POOR_CODES: dict[str, tuple[int, ...]] = {
    "jenis_lantai": (7, 8, 9, 10), "jenis_dinding": (4, 5, 6, 7), "kondisi_dinding": (2,),
    "jenis_atap": (8, 9, 10), "kondisi_atap": (2,), "sumber_penerangan": (2, 3),
    "daya_listrik": (1, 6), "bahan_bakar_memasak": (5, 6, 7, 8), "fasilitas_bab": (3, 4),
    "sumber_air_minum": (7, 9, 10, 11, 12), "status_bangunan": (3, 5),
}  # fmt: skip
_ASSETS = ["aset_kulkas", "aset_tv", "aset_sepeda_motor", "aset_mobil", "aset_smartphone",
           "aset_emas", "aset_komputer", "aset_ac", "aset_tabung_gas"]  # fmt: skip
_AID = ["penerima_pkh", "penerima_bpnt", "penerima_pbi"]


def make_source_views(
    keluarga: pl.DataFrame, art: pl.DataFrame, *, seed: int, today: date = date(2026, 1, 1)
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Records of every source (linkage input) and their truth (``record_id, person_id``)."""
    families = _families(keluarga, np.random.default_rng([seed, 0]))
    people = art.join(families, on="id_keluarga", how="left")
    parts = []
    for i, profile in enumerate(PROFILES.values(), start=1):
        rng = np.random.default_rng([seed, i])
        chosen = _select(people, profile, rng, today)
        parts.append(_render(chosen, profile, rng))
    both = pl.concat(parts)
    return both.select(RECORD_COLUMNS), both.select("record_id", "person_id")


def _families(keluarga: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Per family: address, welfare index, and a former address for families that moved."""
    cols = keluarga.columns
    poor = [
        pl.col(c).is_in(codes).fill_null(False) for c, codes in _POOR_CODES.items() if c in cols
    ]
    assets = [pl.col(c).fill_null(0) for c in _ASSETS if c in cols]
    aid = [pl.col(c).fill_null(0) for c in _AID if c in cols]
    index = pl.sum_horizontal(pl.lit(0.0), *poor) - pl.sum_horizontal(pl.lit(0), *assets)
    index = index + 1.5 * pl.sum_horizontal(pl.lit(0), *aid)
    blt = (
        pl.col("penerima_blt_dd").fill_null(0) == 1 if "penerima_blt_dd" in cols else pl.lit(False)
    )
    fam = keluarga.select(
        "id_keluarga",
        kk_keluarga=pl.col("no_kk"),
        desa=_digits_only(pl.col("kode_desa")),
        alamat=pl.col("alamat"),
        rt=pl.col("rt").cast(pl.String),
        rw=pl.col("rw").cast(pl.String),
        index=index.cast(pl.Float64),
        blt=blt,
    )
    n = fam.height
    donor = rng.integers(0, max(n, 1), n)
    old = fam.select("desa", "alamat", "rt", "rw")[donor].rename(lambda c: f"old_{c}")
    serial = pl.Series(rng.integers(0, 10**10, n)).cast(pl.String).str.zfill(10)
    fam = pl.concat([fam, old], how="horizontal").with_columns(
        moved=pl.Series(rng.random(n) < MOVED_SHARE) & (pl.col("old_desa") != pl.col("desa")),
        old_kk=pl.col("old_desa").str.slice(0, 6) + serial,
    )
    return fam


def _select(
    people: pl.DataFrame, profile: SourceProfile, rng: np.random.Generator, today: date
) -> pl.DataFrame:
    """The persons this source lists (duplicates included), with its view of their family."""
    fam = people.group_by("id_keluarga").agg(pl.first("index"), pl.first("blt"), pl.first("moved"))
    fam = fam.sort("id_keluarga")
    index = fam["index"].to_numpy()
    spread = float(index.std()) or 1.0
    score = (
        index
        + profile.rank_noise * spread * rng.normal(size=fam.height)
        + 1e-6 * rng.random(fam.height)
    )
    rank = (-score).argsort().argsort() / max(fam.height, 1)
    fam = fam.with_columns(
        covered=pl.Series(rank < profile.family_share),
        stale=pl.col("moved") & pl.Series(rng.random(fam.height) < profile.stale),
    )
    alive = (pl.col("status_hidup") != 2).fill_null(True)
    listed = pl.col("covered") & (
        alive | pl.Series(rng.random(people.height) < profile.deceased_kept)
    )
    if profile.name == "BLT_DD":  # heads of BLT-DD or very poor families, alive
        listed = (pl.col("covered") | pl.col("blt")) & (pl.col("hub_kepala_keluarga") == 1) & alive
    elif profile.name == "P3KE":  # a snapshot three years back
        snapshot = today - timedelta(days=3 * 365)
        born = pl.col("tgl_lahir").fill_null(snapshot) <= snapshot
        alive_then = alive | (pl.col("tgl_meninggal").fill_null(snapshot) > snapshot)
        listed = pl.col("covered") & born & alive_then
    chosen = (
        people.drop("moved")
        .join(fam.select("id_keluarga", "covered", "stale"), on="id_keluarga", how="left")
        .filter(listed)
    )
    twice = chosen.filter(pl.Series(rng.random(chosen.height) < profile.duplicates))
    return pl.concat([chosen, twice])


def _render(people: pl.DataFrame, profile: SourceProfile, rng: np.random.Generator) -> pl.DataFrame:
    """Write the chosen persons as the source writes them, shuffled, with record ids."""
    n = people.height
    female = (people["jenis_kelamin"] == 2).fill_null(False).to_numpy()
    stale = pl.col("stale")
    desa = pl.when(stale).then("old_desa").otherwise("desa")
    frame = people.select(
        person_id=pl.col("id_art"),
        nik=pl.col("nik"),
        no_kk=pl.when(stale).then("old_kk").otherwise(pl.coalesce("no_kk", "kk_keluarga")),
        nama=_render_names(people, profile, female, rng),
        tgl_lahir=pl.col("tgl_lahir").dt.strftime(profile.date_format),
        jenis_kelamin=pl.col("jenis_kelamin").replace_strict(
            {1: profile.sex[0], 2: profile.sex[1]}, default=None, return_dtype=pl.String
        ),
        tempat_lahir=pl.col("tempat_lahir"),
        nama_ibu=pl.col("nama_ibu"),
        kode_desa=_dotted(desa) if profile.dotted_desa else desa,
        alamat=pl.when(stale).then("old_alamat").otherwise("alamat"),
        rt=_pad(pl.when(stale).then("old_rt").otherwise("rt"), profile.rt_width),
        rw=_pad(pl.when(stale).then("old_rw").otherwise("rw"), profile.rt_width),
    )
    if profile.upper:
        frame = frame.with_columns(
            pl.col("nama", "tempat_lahir", "nama_ibu", "alamat").str.to_uppercase()
        )
    if profile.name == "DTKS":
        frame = frame.with_columns(nik=_damage_nik(frame["nik"], rng))
    if profile.name == "BLT_DD":
        frame = frame.with_columns(tgl_lahir=_village_dates(people["tgl_lahir"], rng))
        apostrophe = pl.Series(rng.random(n) < 0.05)
        frame = frame.with_columns(
            nik=pl.when(apostrophe).then("'" + pl.col("nik")).otherwise("nik")
        )
    blanks = {
        c: pl.when(pl.Series(rng.random(n) < s)).then(None).otherwise(c)
        for c, s in profile.missing.items()
    }
    frame = frame.with_columns(**blanks)
    frame = frame[rng.permutation(n)]
    number = pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(6)
    return frame.with_columns(
        record_id=pl.lit(f"{profile.name}-") + number, source=pl.lit(profile.name)
    ).with_columns(pl.exclude("person_id").cast(pl.String))


def _render_names(
    people: pl.DataFrame, profile: SourceProfile, female: np.ndarray, rng: np.random.Generator
) -> pl.Series:
    names = people["nama"]
    n = len(names)
    shares = profile.names
    if "abbreviate" in shares:
        names = variants.abbreviate(names, rng.random(n) < shares["abbreviate"], rng)
    if "old_spelling" in shares:
        names = variants.old_spelling(names, rng.random(n) < shares["old_spelling"], rng)
    if "titlecase" in shares:
        titled = names.str.to_titlecase()
        names = pl.select(
            pl.when(pl.lit(rng.random(n) < shares["titlecase"])).then(titled).otherwise(names)
        ).to_series()
    if "swap" in shares:
        names = variants.swap_tokens(names, rng.random(n) < shares["swap"])
    if "typo" in shares:
        names = variants.typo(names, rng.random(n) < shares["typo"], rng)
    if "patronym" in shares and "nama_ayah" in people.columns:
        names = variants.add_patronym(
            names, people["nama_ayah"], female, rng.random(n) < shares["patronym"]
        )
    if "title" in shares:
        names = variants.add_title(names, female, rng.random(n) < shares["title"], rng)
    return names


def _damage_nik(nik: pl.Series, rng: np.random.Generator) -> pl.Series:
    """SIKS-NG damage: one digit wrong (1.5%), adjacent digits swapped (1%), float (2%)."""
    n = len(nik)
    ok = nik.str.contains(r"^[0-9]{16}$").fill_null(False).to_numpy()
    clean = np.where(ok, nik.fill_null("").to_numpy(), "0" * 16).astype("S16")
    digits = clean.view(np.uint8).reshape(n, 16).copy()
    draw = rng.random(n)
    pos = rng.integers(0, 15, n)
    rows = np.flatnonzero(ok & (draw >= 0.015) & (draw < 0.025))
    left, right = digits[rows, pos[rows]].copy(), digits[rows, pos[rows] + 1].copy()
    digits[rows, pos[rows]], digits[rows, pos[rows] + 1] = right, left
    # a swap of two equal digits changes nothing: those get one wrong digit instead
    rows = np.concatenate([np.flatnonzero(ok & (draw < 0.015)), rows[left == right]])
    wrong = (digits[rows, pos[rows]] - 48 + rng.integers(1, 10, rows.size)) % 10 + 48
    digits[rows, pos[rows]] = wrong
    typed = pl.Series(digits.view("S16").ravel().astype("U16"))
    floated = pl.format(
        "{}E+15", (nik.cast(pl.Int64, strict=False) / 1e15).round(5).cast(pl.String)
    )
    is_float = ok & (draw >= 0.025) & (draw < 0.045)
    return _choose(nik, [(ok & (draw < 0.025), typed), (is_float, pl.select(floated)[:, 0])])


def _choose(default: pl.Series, options: list[tuple[np.ndarray, pl.Series]]) -> pl.Series:
    out = default
    for mask, values in options:
        out = pl.DataFrame({"m": mask, "v": values, "d": out}).select(
            pl.when("m").then("v").otherwise("d")
        )[:, 0]
    return out.alias(default.name)


def _village_dates(born: pl.Series, rng: np.random.Generator) -> pl.Series:
    """DD/MM/YYYY; 8% a default 01/01 or 01/07 of the true year, 5% day and month swapped."""
    n = len(born)
    draw = rng.random(n)
    frame = pl.DataFrame({"d": born, "draw": draw, "july": rng.random(n) < 0.5})
    d = pl.col("d")
    default = pl.format(
        "01/{}/{}", pl.when("july").then(pl.lit("07")).otherwise(pl.lit("01")), d.dt.year()
    )
    swappable = (d.dt.day() <= 12) & (d.dt.day() != d.dt.month())
    return frame.select(
        pl.when(pl.col("draw") < 0.08)
        .then(default)
        .when((pl.col("draw") < 0.13) & swappable)
        .then(d.dt.strftime("%m/%d/%Y"))
        .otherwise(d.dt.strftime("%d/%m/%Y"))
    )[:, 0]


def _digits_only(code: pl.Expr) -> pl.Expr:
    return code.cast(pl.String).str.replace_all(r"[^0-9]", "")


def _dotted(code: pl.Expr) -> pl.Expr:
    s = code.str
    return pl.concat_str(s.slice(0, 2), s.slice(2, 2), s.slice(4, 2), s.slice(6, 4), separator=".")


def _pad(value: pl.Expr, width: int) -> pl.Expr:
    bare = value.cast(pl.String).str.strip_chars_start("0")
    bare = pl.when(bare == "").then(pl.lit("0")).otherwise(bare)
    return bare.str.zfill(width) if width else bare


_SEX_CODES = {"1": "1", "L": "1", "LAKI-LAKI": "1", "2": "2", "P": "2", "PEREMPUAN": "2"}


def write_intake_files(records: pl.DataFrame, folder: Path, name: str) -> tuple[Path, Path]:
    """One source's records (``make_source_views``) as the keluarga.csv and art.csv an
    import reads: families by No. KK (or the record alone when it has none), sex as a code."""
    frame = records.with_columns(
        id_keluarga=pl.concat_str(pl.lit(name + "-"), pl.coalesce("no_kk", "record_id")),
        jenis_kelamin=pl.col("jenis_kelamin").replace_strict(_SEX_CODES, default=None),
    )
    families = frame.group_by("id_keluarga", maintain_order=True).first()
    keluarga_csv = folder / f"{name}-keluarga.csv"
    art_csv = folder / f"{name}-art.csv"
    families.select("id_keluarga", "no_kk", "kode_desa", "alamat", "rt", "rw").write_csv(
        keluarga_csv
    )
    frame.select(
        id_art="record_id", id_keluarga="id_keluarga", nik="nik", no_kk="no_kk", nama="nama",
        tgl_lahir="tgl_lahir", jenis_kelamin="jenis_kelamin", tempat_lahir="tempat_lahir",
        nama_ibu="nama_ibu",
    ).write_csv(art_csv)  # fmt: skip
    return keluarga_csv, art_csv
