"""Person attributes: education and school participation, work, disability, illness,
pregnancy. Each follows age, sex, birth cohort and the family's welfare index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from padu.engine.synth.households import HELP, SPOUSE, Block

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# Education: latent cut points (0 none ... 6 S2/S3) and the age at which a level is done.
EDU_CUTS = np.array([-1.45, -0.05, 0.93, 2.05, 2.15, 3.3])
EDU_DONE_AGE = np.array([0.0, 12.5, 15.5, 18.5, 21.5, 22.5, 25.0])
GOVERNMENT = 9
# Employment status (1..6) odds by sector (1..10).
STATUS_ODDS = np.array(
    [
        [35, 25, 1, 4, 17, 18],  # agriculture
        [40, 10, 1, 15, 20, 14],  # fishery
        [5, 3, 1, 55, 35, 1],  # mining
        [14, 5, 2, 72, 2, 5],  # industry
        [8, 2, 1, 40, 48, 1],  # construction
        [45, 14, 3, 18, 3, 17],  # trade
        [48, 2, 1, 38, 10, 1],  # transport
        [25, 4, 1, 58, 8, 4],  # services
        [0, 0, 0, 100, 0, 0],  # government
        [45, 3, 1, 40, 8, 3],  # other
    ],
    dtype=np.float64,
)
STATUS_CUM = np.cumsum(STATUS_ODDS / STATUS_ODDS.sum(axis=1, keepdims=True), axis=1)


@dataclass(frozen=True)
class PersonAttributes:
    pendidikan: IntArray
    partisipasi_sekolah: IntArray
    bekerja: IntArray
    lapangan_usaha: IntArray  # -1: blank
    status_pekerjaan: IntArray  # -1: blank
    disabilitas: IntArray
    penyakit_kronis: IntArray
    hamil: IntArray


def _education(
    rng: np.random.Generator, people: Block, wz: FloatArray, urban: BoolArray, ref_year: float
) -> tuple[IntArray, IntArray]:
    n = len(people.fam)
    age = people.age
    birth_year = ref_year - age
    cohort = np.interp(
        birth_year,
        [1930, 1945, 1960, 1975, 1985, 1995, 2005, 2015],
        [-1.9, -1.45, -0.8, 0.1, 0.5, 1.05, 1.5, 1.65],
    )
    latent = 0.5 * wz[people.fam] + cohort + 0.3 * urban[people.fam] + rng.normal(0.0, 0.85, n)
    latent -= np.where(people.role == HELP, 0.6, 0.0)
    final = np.searchsorted(EDU_CUTS, latent)
    reached = np.searchsorted(EDU_DONE_AGE, age, side="right") - 1
    level = np.minimum(final, reached)
    u = rng.random(n)
    never = (
        (final == 0)
        & (age >= 7.0)
        & (u < np.interp(birth_year, [1940, 1970, 1990], [0.75, 0.5, 0.1]))
    )
    studying = (age >= 6.5) & ((level < final) | ((final == 0) & (age < 12.0))) & ~never
    participation = np.where(age < 6.5, 0, np.where(never, 0, np.where(studying, 1, 2)))
    participation = np.where(people.alive | (participation != 1), participation, 2)
    return level.astype(np.int64), participation.astype(np.int64)


def _sector(
    rng: np.random.Generator,
    edu: IntArray,
    wz: FloatArray,
    urban: FloatArray,
    male: FloatArray,
    age: FloatArray,
    coastal: bool,
) -> IntArray:
    rural = 1.0 - urban
    female = 1.0 - male
    scores = np.stack(
        [
            1.7 * rural - 0.55 * wz - 0.35 * edu + 0.5 * (age > 50) - 0.6 * urban,  # 1 agriculture
            (-1.6 - 0.3 * wz) if coastal else np.full(len(edu), -12.0),  # 2 fishery
            -3.4 + 0.6 * male,  # 3 mining
            0.2 + 0.2 * urban + 0.05 * edu,  # 4 industry
            -0.4 + 1.0 * male - 0.2 * edu - 1.5 * female,  # 5 construction
            0.4 + 0.5 * urban + 0.3 * female,  # 6 trade
            -1.4 + 0.8 * male - 1.8 * female,  # 7 transport
            -0.3 + 0.5 * urban + 0.3 * edu,  # 8 services
            np.where((age >= 20) & (age < 58), -7.5 + 1.7 * edu + 0.45 * wz, -12.0),  # 9 government
            np.full(len(edu), -2.6),  # 10 other
        ],
        axis=1,
    )
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    cum = np.cumsum(p, axis=1)
    u = rng.random(len(edu)) * cum[:, -1]
    return (cum < u[:, None]).sum(axis=1).astype(np.int64) + 1


def person_attributes(
    rng: np.random.Generator,
    people: Block,
    wz: FloatArray,
    urban: BoolArray,
    coastal: bool,
    ref_year: float,
) -> PersonAttributes:
    n = len(people.fam)
    age, alive, fam = people.age, people.alive, people.fam
    female = people.sex == 2
    edu, school = _education(rng, people, wz, urban, ref_year)

    # Health: disability and chronic illness rise with age and are commoner among the poor.
    poor = np.exp(-0.2 * wz[fam])
    disabled = rng.random(n) < (0.008 + 0.0011 * np.maximum(age - 30.0, 0.0)) * poor
    chronic = rng.random(n) < (0.008 + 0.0033 * np.maximum(age - 30.0, 0.0)) * poor

    # Work last week.
    grid = [15.0, 18.0, 20.0, 25.0, 30.0, 55.0, 60.0, 65.0, 70.0, 75.0, 85.0]
    p_male = np.interp(age, grid, [0.3, 0.55, 0.7, 0.88, 0.94, 0.93, 0.85, 0.75, 0.6, 0.45, 0.2])
    p_female = np.interp(age, grid, [0.2, 0.38, 0.5, 0.57, 0.6, 0.63, 0.55, 0.45, 0.32, 0.2, 0.08])
    p_work = np.where(female, p_female, p_male) * np.where(school == 1, 0.08, 1.0)
    p_work *= np.where(disabled, 0.4, 1.0) * (1.0 - 0.03 * wz[fam])
    works = alive & (age >= 15.0) & (rng.random(n) < p_work)
    works |= alive & (people.role == HELP)
    sector = _sector(rng, edu, wz[fam], urban[fam].astype(np.float64), 1.0 - female, age, coastal)
    sector = np.where(people.role == HELP, 8, sector)
    status = (STATUS_CUM[sector - 1] < rng.random(n)[:, None]).sum(axis=1) + 1
    status = np.minimum(status, 6)
    # Wives in farming and trade often help unpaid; well-off owners employ permanent staff.
    helper = female & (people.role == SPOUSE) & np.isin(sector, [1, 6]) & (rng.random(n) < 0.35)
    status = np.where(helper, 6, status)
    boss = np.isin(status, [1, 2]) & (wz[fam] > 1.2) & (sector != 1) & (rng.random(n) < 0.3)
    status = np.where(boss, 3, status)
    # The young do not yet employ others: they help in the family business or are employees.
    young_boss = (age < 25.0) & np.isin(status, [2, 3])
    status = np.where(young_boss, np.where(np.isin(sector, [1, 6]), 6, 4), status)
    status = np.where(people.role == HELP, 4, status)

    # Pregnancy: married women 15-49 only, and rare.
    p_preg = np.interp(
        age,
        [15, 19, 22, 27, 32, 37, 42, 47, 49.9],
        [0.02, 0.07, 0.09, 0.08, 0.06, 0.035, 0.015, 0.003, 0.0],
    )
    pregnant = alive & female & (people.marital == 2) & (age >= 15.0) & (age < 50.0)
    pregnant &= rng.random(n) < p_preg

    blank = np.int64(-1)
    return PersonAttributes(
        pendidikan=edu,
        partisipasi_sekolah=school,
        bekerja=works.astype(np.int64),
        lapangan_usaha=np.where(works, sector, blank),
        status_pekerjaan=np.where(works, status, blank),
        disabilitas=(disabled & alive).astype(np.int64),
        penyakit_kronis=(chronic & alive).astype(np.int64),
        hamil=pregnant.astype(np.int64),
    )
