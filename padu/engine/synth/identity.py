"""Identity: synthetic ids, dates of birth and death, birthplaces, NIK and No. KK.

NIK = issuing kecamatan (6 digits) + DDMMYY of birth (day + 40 for women) + a 4-digit
serial, unique within (kecamatan, birth date, sex), so every NIK in one output is unique.
The issuing kecamatan is mostly the family's own; people born elsewhere often carry a NIK
issued in another kecamatan or kabupaten of Jawa Tengah. No. KK = the family's kecamatan
+ DDMMYY of issue + serial, unique.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from padu.engine.synth.households import (
    CHILD,
    GRANDCHILD,
    HELP,
    INLAW,
    SPOUSE,
    Block,
    first_in_group,
)
from padu.engine.synth.regions import Kabupaten, all_kecamatan, regency_place_names

IntArray = npt.NDArray[np.int64]
DateArray = npt.NDArray[np.datetime64]
DAYS_PER_YEAR = 365.2425


@dataclass(frozen=True)
class Identity:
    id_keluarga: pl.Series
    id_art: pl.Series
    no_kk: pl.Series  # per family
    nik: pl.Series
    tgl_lahir: DateArray
    tgl_meninggal: DateArray  # NaT while alive
    tempat_lahir: pl.Series


def sequence_ids(prefix: str, n: int, width: int) -> pl.Series:
    width = max(width, len(str(n)))
    df = pl.DataFrame({"i": np.arange(1, n + 1, dtype=np.int64)})
    return df.select(pl.lit(prefix) + pl.col("i").cast(pl.String).str.zfill(width)).to_series()


def serials(rng: np.random.Generator, key: IntArray) -> IntArray:
    """1-based serial within each key, in row order, plus a small random start per key."""
    order = np.argsort(key, kind="stable")
    first = first_in_group(key[order])
    group = np.cumsum(first) - 1
    starts = np.flatnonzero(first)
    offset = np.minimum(rng.geometric(0.6, len(starts)) - 1, 20)
    out = np.empty(len(key), dtype=np.int64)
    out[order] = np.arange(len(key)) - starts[group] + 1 + offset[group]
    return out


def ddmmyy(days: DateArray, plus40: npt.NDArray[np.bool_] | None = None) -> IntArray:
    s = pl.Series(days.astype("datetime64[D]"))
    day = s.dt.day().to_numpy().astype(np.int64)
    if plus40 is not None:
        day = day + 40 * plus40
    month = s.dt.month().to_numpy().astype(np.int64)
    year = s.dt.year().to_numpy().astype(np.int64) % 100
    return day * 10000 + month * 100 + year


def birth_dates(
    rng: np.random.Generator, age: npt.NDArray[np.float64], ref: np.datetime64
) -> DateArray:
    days = np.maximum(np.floor(age * DAYS_PER_YEAR).astype(np.int64), 1)
    born = ref - days.astype("timedelta64[D]")
    # Older people often have a registered birthday of 1 January, 1 July or 31 December.
    year = born.astype("datetime64[Y]")
    u = rng.random(len(age))
    old = year < np.datetime64("1970", "Y")
    jan1 = year.astype("datetime64[D]")
    jul1 = (year.astype("datetime64[M]") + 6).astype("datetime64[D]")
    dec31 = (year + 1).astype("datetime64[D]") - 1
    fixed = np.where(u < 0.1, jan1, np.where(u < 0.2, jul1, dec31))
    return np.where(old & (u < 0.28), fixed, born).astype("datetime64[D]")


def _birthplaces(
    rng: np.random.Generator, kab: Kabupaten, people: Block, family_kec6: IntArray
) -> tuple[pl.Series, IntArray]:
    """Birthplace name and NIK-issuing kecamatan (6-digit int) per person."""
    n = len(people.fam)
    kec = all_kecamatan()
    own_kec = kec.filter(pl.col("regency_code") == kab.code)["kode6"].to_numpy()
    neighbours = list(kab.neighbours)
    names = regency_place_names()
    home_p = np.select(
        [
            np.isin(people.role, [CHILD, GRANDCHILD]),
            people.role == SPOUSE,
            people.role == INLAW,
            people.role == HELP,
        ],
        [0.94, 0.76, 0.7, 0.6],
        0.8,
    )
    u = rng.random(n)
    v = rng.random(n)
    home = u < home_p
    near = ~home & (u < home_p + (1 - home_p) * 0.7)
    near_names = [names[c] for c in neighbours] + list(kab.outside_birthplaces)
    far_names = [p for p in kab.far_birthplaces if p != kab.place_name]
    nb = (rng.random(n) * max(len(near_names), 1)).astype(np.int64)
    far = (rng.random(n) * len(far_names)).astype(np.int64)
    near &= len(near_names) > 0
    vocab = pl.Series([kab.place_name, *near_names, *far_names])
    place = np.where(home, 0, np.where(near, 1 + nb, 1 + len(near_names) + far))
    # Issuing kecamatan: own kecamatan, another in the kabupaten, or where they were born.
    other_own = own_kec[(rng.random(n) * len(own_kec)).astype(np.int64)]
    issue = np.where(home & (v >= 0.88), other_own, family_kec6)
    if neighbours:
        codes = kec["regency_code"].to_numpy()
        kode6 = kec["kode6"].to_numpy()
        pools = [kode6[codes == c] for c in neighbours]
        pick = rng.random(n)
        nb_kec = np.zeros(n, dtype=np.int64)
        for i, pool in enumerate(pools):
            m = nb == i
            nb_kec[m] = pool[(pick[m] * len(pool)).astype(np.int64)]
        issue = np.where(near & (nb < len(neighbours)) & (v < 0.6), nb_kec, issue)
    anywhere = kec["kode6"].to_numpy()[(rng.random(n) * kec.height).astype(np.int64)]
    issue = np.where(~home & ~near & (v < 0.25), anywhere, issue)
    return vocab.gather(place), issue.astype(np.int64)


def identity(
    rng: np.random.Generator,
    kab: Kabupaten,
    people: Block,
    family_kec6: IntArray,
    ref_date: date,
) -> Identity:
    n_fam = len(family_kec6)
    ref = np.datetime64(ref_date, "D")
    born = birth_dates(rng, people.age, ref)
    death_days = np.maximum(np.floor(np.nan_to_num(people.death_years) * DAYS_PER_YEAR), 1).astype(
        np.int64
    )
    died = np.maximum(ref - death_days.astype("timedelta64[D]"), born + 1)
    died = np.where(people.alive, np.datetime64("NaT", "D"), died)
    tempat, issue_kec = _birthplaces(rng, kab, people, family_kec6[people.fam])
    key = issue_kec * 1_000_000 + ddmmyy(born, people.sex == 2)
    nik = key * 10_000 + serials(rng, key)

    # KK issue date: after the last birth in the family and after the head turned 17,
    # before any death still on the card, and before the reference date.
    fam = people.fam
    born_i = born.astype(np.int64)
    last_birth = np.full(n_fam, np.iinfo(np.int64).min)
    np.maximum.at(last_birth, fam[people.alive], born_i[people.alive])
    head_17 = born_i[first_in_group(fam)] + int(17 * DAYS_PER_YEAR)
    ref_i = int(ref.astype(np.int64))
    since = int(np.datetime64("2006-01-01", "D").astype(np.int64))
    issue = np.maximum(
        last_birth + rng.integers(0, 730, n_fam),
        since + (rng.random(n_fam) * (ref_i - since)).astype(np.int64),
    )
    issue = np.maximum(issue, head_17)
    first_death = np.full(n_fam, np.iinfo(np.int64).max)
    dead = ~people.alive
    np.minimum.at(first_death, fam[dead], died[dead].astype(np.int64))
    issue = np.minimum(issue, first_death - rng.integers(1, 200, n_fam))
    issue = np.clip(np.maximum(issue, last_birth), None, ref_i - 1)
    kk_key = family_kec6 * 1_000_000 + ddmmyy(issue.astype("datetime64[D]"))
    no_kk = kk_key * 10_000 + serials(rng, kk_key)

    digits = kab.digits
    return Identity(
        id_keluarga=sequence_ids("K" + digits, n_fam, 6),
        id_art=sequence_ids("A" + digits, len(fam), 7),
        no_kk=pl.Series(no_kk).cast(pl.String),
        nik=pl.Series(nik).cast(pl.String),
        tgl_lahir=born,
        tgl_meninggal=died,
        tempat_lahir=tempat,
    )
