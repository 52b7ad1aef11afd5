"""Finding orphans (anak yatim, piatu, yatim piatu) in the register: children under the age
limit whose father, mother or both died, with the evidence of each finding (framework-free,
one polars pass over the whole register).

A child's parents are the persons named on its own record (``nama_ayah``, ``nama_ibu``,
compared after the linkage engine's name normalisation), looked for in three places:

1. **keluarga**: a member of the child's own KK of the right sex, at least 12 years older;
2. **lintas_keluarga**: a couple in another KK of the same kabupaten, the man named as the
   child's father and the woman as its mother, both old enough (a child living with its
   grandparents while its parents' own KK records them as deceased). One name alone is never
   enough across families: common names would make false orphans;
3. **kematian**: a parent found by (1) or (2) whose NIK is in the death records of another
   source (Dukcapil), although the register still counts them alive.

A parent is dead when the register says so (``status_hidup`` 2) or a death record does. A
parent who is not found, or is found alive (also divorced and living elsewhere), makes no
orphan: divorce is not orphanhood. Every finding waits for a person to confirm it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from padu.engine.dates import years_before
from padu.engine.linkage.normalise import normalise_name

AGE_LIMIT = 18
MIN_GAP_YEARS = 12
COLUMNS = (
    "id_art", "id_keluarga", "kode_desa", "nik", "nama", "jenis_kelamin", "tgl_lahir",
    "hub_kepala_keluarga", "status_hidup", "tgl_meninggal", "nama_ayah", "nama_ibu",
)  # fmt: skip
JENIS = {(True, False): "yatim", (False, True): "piatu", (True, True): "yatim_piatu"}
CONFIDENCE = {"keluarga": 0.95, "lintas_keluarga": 0.8, "kematian": 0.9}


def _keys(frame: pl.DataFrame, column: str, alias: str) -> pl.Series:
    return normalise_name(frame[column].fill_null("")).fill_null("").alias(alias)


def _parents_in_family(
    children: pl.DataFrame, people: pl.DataFrame, sex: int, key: str
) -> pl.DataFrame:
    """One parent of each child found on its own KK: (child, parent id, dead, nik)."""
    candidates = people.filter(pl.col("jenis_kelamin") == sex).select(
        pl.col("id_keluarga"),
        pl.col("nama_kunci").alias(key),
        pl.col("id_art").alias("parent"),
        pl.col("tgl_lahir").alias("parent_lahir"),
        pl.col("mati").alias("parent_mati"),
        pl.col("nik").alias("parent_nik"),
        pl.col("tgl_meninggal").alias("parent_tgl"),
    )
    joined = children.select("id_art", "id_keluarga", key, "tgl_lahir").join(
        candidates, on=["id_keluarga", key], how="inner"
    )
    return _old_enough(joined).unique("id_art", keep="first", maintain_order=True)


def _old_enough(joined: pl.DataFrame) -> pl.DataFrame:
    gap = pl.col("tgl_lahir").dt.year() - pl.col("parent_lahir").dt.year()
    return joined.filter(pl.col("parent_lahir").is_null() | (gap >= MIN_GAP_YEARS)).filter(
        pl.col("parent") != pl.col("id_art")
    )


def _couples_elsewhere(children: pl.DataFrame, people: pl.DataFrame) -> pl.DataFrame:
    """Children whose father and mother (by name) are a couple on another KK of the same
    kabupaten: (child, father, mother and their states)."""
    men = people.filter(pl.col("jenis_kelamin") == 1).select(
        "id_keluarga", "kabupaten",
        ayah_kunci="nama_kunci", ayah="id_art", ayah_lahir="tgl_lahir", ayah_mati="mati",
        ayah_nik="nik", ayah_tgl="tgl_meninggal",
    )  # fmt: skip
    women = people.filter(pl.col("jenis_kelamin") == 2).select(
        "id_keluarga",
        ibu_kunci="nama_kunci", ibu="id_art", ibu_lahir="tgl_lahir", ibu_mati="mati",
        ibu_nik="nik", ibu_tgl="tgl_meninggal",
    )  # fmt: skip
    couples = men.join(women, on="id_keluarga", how="inner").rename(
        {"id_keluarga": "keluarga_ortu"}
    )
    joined = children.select(
        "id_art", "id_keluarga", "kabupaten", "ayah_kunci", "ibu_kunci", "tgl_lahir"
    ).join(couples, on=["kabupaten", "ayah_kunci", "ibu_kunci"], how="inner")
    year = pl.col("tgl_lahir").dt.year()
    old = (year - pl.col("ayah_lahir").dt.year() >= MIN_GAP_YEARS) & (
        year - pl.col("ibu_lahir").dt.year() >= MIN_GAP_YEARS
    )
    return (
        joined.filter((pl.col("keluarga_ortu") != pl.col("id_keluarga")) & old.fill_null(True))
        .unique("id_art", keep="first", maintain_order=True)
        .drop("id_keluarga", "kabupaten", "ayah_kunci", "ibu_kunci", "tgl_lahir")
    )


def find_orphans(
    art: pl.DataFrame,
    reference: dt.date,
    *,
    deaths: pl.DataFrame | None = None,
    age_limit: int = AGE_LIMIT,
) -> pl.DataFrame:
    """Findings, one row per child: id_art, id_keluarga, kode_desa, jenis (yatim / piatu /
    yatim_piatu), jalur (keluarga / lintas_keluarga / kematian), keyakinan (0-1), bukti
    (Indonesian text), ayah and ibu (the parents' id_art). ``art`` has the DTKS columns of
    ``COLUMNS`` (``kode_desa`` from the family); ``deaths``: ``nik`` and ``tgl_meninggal``."""
    missing = [c for c in COLUMNS if c not in art.columns]
    if missing:
        raise ValueError(f"Kolom {', '.join(missing)} tidak ada pada data anggota keluarga.")
    people = art.select(COLUMNS).with_columns(
        pl.col("tgl_lahir").cast(pl.Date),
        pl.col("tgl_meninggal").cast(pl.Date),
        kabupaten=pl.col("kode_desa").str.slice(0, 5),
    )
    dead_nik = (
        deaths.select(pl.col("nik").cast(pl.String), pl.col("tgl_meninggal").cast(pl.Date))
        .drop_nulls("nik")
        .unique("nik")
        .rename({"tgl_meninggal": "tgl_kematian"})
        if deaths is not None
        else pl.DataFrame(schema={"nik": pl.String, "tgl_kematian": pl.Date})
    )
    people = people.with_columns(
        _keys(people, "nama", "nama_kunci"),
        _keys(people, "nama_ayah", "ayah_kunci"),
        _keys(people, "nama_ibu", "ibu_kunci"),
        mati=(pl.col("status_hidup") == 2).fill_null(False),
    )
    born_after = years_before(reference, age_limit)
    children = people.filter(
        (pl.col("tgl_lahir") > born_after)
        & (pl.col("tgl_lahir") <= reference)
        & ~pl.col("mati")
        & ((pl.col("ayah_kunci") != "") | (pl.col("ibu_kunci") != ""))
    )
    if children.height == 0:
        return _empty()
    father = _parents_in_family(children, people, 1, "ayah_kunci").select(
        "id_art", ayah="parent", ayah_mati="parent_mati", ayah_nik="parent_nik",
        ayah_tgl="parent_tgl",
    )  # fmt: skip
    mother = _parents_in_family(children, people, 2, "ibu_kunci").select(
        "id_art", ibu="parent", ibu_mati="parent_mati", ibu_nik="parent_nik",
        ibu_tgl="parent_tgl",
    )  # fmt: skip
    found = (
        children.select("id_art", "id_keluarga", "kode_desa")
        .join(father, on="id_art", how="left")
        .join(mother, on="id_art", how="left")
    )
    neither = found.filter(pl.col("ayah").is_null() & pl.col("ibu").is_null()).select("id_art")
    elsewhere = _couples_elsewhere(children.join(neither, on="id_art", how="semi"), people)
    found = found.join(elsewhere, on="id_art", how="left", suffix="_lain")
    for who in ("ayah", "ibu"):
        lain = f"{who}_lain"
        found = found.with_columns(
            pl.when(pl.col(who).is_null() & pl.col(lain).is_not_null())
            .then(pl.lit("lintas_keluarga"))
            .when(pl.col(who).is_not_null())
            .then(pl.lit("keluarga"))
            .alias(f"{who}_jalur"),
            *[
                pl.coalesce(pl.col(c), pl.col(f"{c}_lain")).alias(c)
                for c in (who, f"{who}_mati", f"{who}_nik", f"{who}_tgl")
            ],
        ).drop(lain, f"{who}_mati_lain", f"{who}_nik_lain", f"{who}_tgl_lain")
        found = found.join(
            dead_nik.rename({"nik": f"{who}_nik", "tgl_kematian": f"{who}_kematian"}),
            on=f"{who}_nik",
            how="left",
        ).with_columns(
            pl.when(
                ~pl.col(f"{who}_mati").fill_null(False) & pl.col(f"{who}_kematian").is_not_null()
            )
            .then(pl.lit("kematian"))
            .otherwise(pl.col(f"{who}_jalur"))
            .alias(f"{who}_jalur"),
            (
                pl.col(f"{who}_mati").fill_null(False) | pl.col(f"{who}_kematian").is_not_null()
            ).alias(f"{who}_wafat"),
        )
    found = found.filter(pl.col("ayah_wafat") | pl.col("ibu_wafat"))
    return _describe(found)


def _parent_text(who: str) -> pl.Expr:
    label = "ayah" if who == "ayah" else "ibu"
    where = (
        pl.when(pl.col(f"{who}_jalur") == "keluarga")
        .then(pl.lit(f"{label} di KK yang sama"))
        .otherwise(pl.lit(f"{label} di KK lain (pasangan dengan nama orang tua yang sama)"))
    )
    how = (
        pl.when(pl.col(f"{who}_jalur") == "kematian")
        .then(
            pl.lit("tercatat meninggal di data kematian (Dukcapil) ")
            + pl.col(f"{who}_kematian").cast(pl.String)
        )
        .otherwise(
            pl.lit("tercatat meninggal di register")
            + pl.when(pl.col(f"{who}_tgl").is_not_null())
            .then(pl.lit(" ") + pl.col(f"{who}_tgl").cast(pl.String))
            .otherwise(pl.lit(""))
        )
    )
    return pl.when(pl.col(f"{who}_wafat")).then(where + pl.lit(" ") + how)


def _describe(found: pl.DataFrame) -> pl.DataFrame:
    path_rank = {"kematian": 2, "lintas_keluarga": 1, "keluarga": 0}
    dead_paths = pl.concat_list(
        pl.when(pl.col("ayah_wafat")).then(pl.col("ayah_jalur")),
        pl.when(pl.col("ibu_wafat")).then(pl.col("ibu_jalur")),
    ).list.drop_nulls()
    out = found.with_columns(
        jenis=pl.when(pl.col("ayah_wafat") & pl.col("ibu_wafat"))
        .then(pl.lit("yatim_piatu"))
        .when(pl.col("ayah_wafat"))
        .then(pl.lit("yatim"))
        .otherwise(pl.lit("piatu")),
        jalur=dead_paths.list.eval(
            pl.element().replace_strict(path_rank, return_dtype=pl.Int8)
        ).list.max(),
        bukti=pl.concat_str(
            [_parent_text("ayah"), _parent_text("ibu")], separator="; ", ignore_nulls=True
        ),
    )
    names = {v: k for k, v in path_rank.items()}
    out = out.with_columns(
        jalur=pl.col("jalur").replace_strict(names, return_dtype=pl.String),
    ).with_columns(keyakinan=pl.col("jalur").replace_strict(CONFIDENCE, return_dtype=pl.Float64))
    return out.select(
        "id_art", "id_keluarga", "kode_desa", "jenis", "jalur", "keyakinan", "bukti",
        "ayah", "ibu",
    ).sort("id_art")  # fmt: skip


def _empty() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "id_art": pl.String, "id_keluarga": pl.String, "kode_desa": pl.String,
            "jenis": pl.String, "jalur": pl.String, "keyakinan": pl.Float64,
            "bukti": pl.String, "ayah": pl.String, "ibu": pl.String,
        }
    )  # fmt: skip
