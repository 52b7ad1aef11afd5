"""Family composition: head, spouse, children, married child with in-law and grandchildren,
parents, other relatives and household help, with ages, sexes and marital status.

Everything is drawn with array operations over all families at once. Children are born
to their mother between ages 17 and 45 with cohort-dependent parity (higher for older
cohorts and poorer families); older children leave home with rising odds, and at most
one married child stays with their spouse and children (a three-generation family).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# Head types.
COUPLE, WIDOW, DIVORCED_F, WIDOWER, DIVORCED_M, SINGLE_M, SINGLE_F = range(7)
HEAD_TYPE_P = np.array([0.775, 0.105, 0.03, 0.03, 0.015, 0.028, 0.017])
HEAD_FEMALE = np.array([False, True, True, False, False, False, True])
HEAD_MARITAL = np.array([2, 4, 3, 4, 3, 1, 1])
# Head age: mean, sd, min, max by head type.
HEAD_AGE = np.array(
    [
        [48.0, 13.5, 20.0, 90.0],
        [66.0, 11.0, 30.0, 97.0],
        [44.0, 11.0, 22.0, 80.0],
        [68.0, 11.0, 35.0, 97.0],
        [45.0, 11.0, 22.0, 80.0],
        [29.0, 7.0, 19.5, 60.0],
        [34.0, 12.0, 19.5, 80.0],
    ]
)
# Roles, in the order members are listed on the KK; ``HUB`` gives hub_kepala_keluarga.
HEAD, SPOUSE, CHILD, INLAW, GRANDCHILD, PARENT, OTHER, HELP = range(8)
HUB = np.array([1, 2, 3, 4, 5, 6, 7, 8], dtype=np.int64)


def group_cumsum(values: FloatArray, counts: IntArray) -> FloatArray:
    """Cumulative sum restarting at each group of ``counts`` consecutive values."""
    cs = np.cumsum(values)
    before = np.concatenate(([0.0], cs))[np.cumsum(counts) - counts]
    return cs - np.repeat(before, counts)


def first_in_group(groups: IntArray) -> BoolArray:
    """True for the first element of each run of equal values in a sorted array."""
    first = np.ones(len(groups), dtype=np.bool_)
    first[1:] = groups[1:] != groups[:-1]
    return first


@dataclass
class Block:
    """Members of one or more roles, before they are merged and sorted."""

    fam: IntArray
    role: IntArray
    sex: IntArray
    age: FloatArray
    marital: IntArray
    tag: IntArray  # child: 1 the married child who stays; grandchild: 1 skipped generation;
    # parent: 0 the head's parent, 1 the spouse's parent
    alive: BoolArray
    death_years: FloatArray


def block(
    fam: IntArray,
    role: int,
    sex: IntArray | int,
    age: FloatArray,
    marital: IntArray | int,
    tag: IntArray | int = 0,
) -> Block:
    n = len(fam)

    def full(v: IntArray | int) -> IntArray:
        return np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)).copy()

    return Block(
        fam=fam.astype(np.int64),
        role=full(role),
        sex=full(sex),
        age=np.asarray(age, dtype=np.float64),
        marital=full(marital),
        tag=full(tag),
        alive=np.ones(n, dtype=np.bool_),
        death_years=np.full(n, np.nan),
    )


@dataclass
class Composition:
    htype: IntArray
    head_age: FloatArray
    situation: IntArray  # per family: -1 no married child; 0 with spouse, 1 divorced, 2 away
    people: Block  # sorted by family, then KK order (role, oldest first)


def merge(blocks: list[Block]) -> Block:
    """Concatenate blocks and sort by family, role, then age (oldest first)."""
    fields = ("fam", "role", "sex", "age", "marital", "tag", "alive", "death_years")
    cat = {f: np.concatenate([getattr(b, f) for b in blocks]) for f in fields}
    order = np.lexsort((-cat["age"], cat["role"], cat["fam"]))
    return Block(**{f: v[order] for f, v in cat.items()})


def _stay_probability(age: FloatArray, female: BoolArray) -> FloatArray:
    grid = [0.0, 15.0, 18.0, 21.0, 24.0, 27.0, 30.0, 35.0, 45.0]
    male = np.interp(age, grid, [0.99, 0.96, 0.86, 0.72, 0.52, 0.36, 0.26, 0.15, 0.08])
    fem = np.interp(age, grid, [0.99, 0.95, 0.80, 0.60, 0.40, 0.28, 0.20, 0.12, 0.06])
    return np.where(female, fem, male)


def births(
    rng: np.random.Generator, mother_age: FloatArray, lam: FloatArray
) -> tuple[IntArray, FloatArray]:
    """Children ever born and still alive per mother: (index of the mother, age now)."""
    m = len(mother_age)
    childless = rng.random(m) < 0.06
    extra = rng.poisson(np.maximum(lam - 1.0, 0.0))
    parity = np.where(childless | ~(lam > 0), 0, 1 + extra)
    parity = np.minimum(parity, 10).astype(np.int64)
    mother = np.repeat(np.arange(m), parity)
    order = np.arange(len(mother)) - np.repeat(np.cumsum(parity) - parity, parity)
    first = np.minimum(17.0 + rng.gamma(2.2, 2.1, m), 36.0)  # mother's age at first birth
    gaps = 1.2 + rng.gamma(2.0, 1.1, len(mother))
    gaps[order == 0] = 0.0
    at_birth = first[mother] + group_cumsum(gaps, parity)
    age = np.nan_to_num(mother_age[mother], nan=-1.0) - at_birth
    keep = (at_birth <= 45.0) & (age >= 0.0)
    return mother[keep], age[keep]


def _parity_lambda(birth_year: FloatArray, wz: FloatArray) -> FloatArray:
    years = [1935.0, 1950.0, 1960.0, 1970.0, 1980.0, 1990.0, 2005.0]
    base = np.interp(birth_year, years, [4.8, 4.3, 3.5, 2.8, 2.4, 2.2, 2.1])
    return base * np.exp(-0.12 * wz)


def _gap(rng: np.random.Generator, n: int) -> FloatArray:
    """Husband's age minus wife's: mostly 0-10 years."""
    return np.clip(rng.normal(4.5, 3.5, n), -6.0, 18.0)


def _sex(rng: np.random.Generator, n: int, p_female: float = 0.488) -> IntArray:
    return np.where(rng.random(n) < p_female, 2, 1).astype(np.int64)


def compose(
    rng: np.random.Generator, wz: FloatArray, urban: BoolArray, ref_year: float
) -> Composition:
    """Draw every family's members. ``wz`` is the family's standard-normal welfare index."""
    n = len(wz)
    fams = np.arange(n)
    htype = rng.choice(len(HEAD_TYPE_P), size=n, p=HEAD_TYPE_P)
    mean, sd, lo, hi = (HEAD_AGE[htype, k] for k in range(4))
    head_age = np.clip(rng.normal(mean, sd), lo, hi)
    blocks = [block(fams, HEAD, np.where(HEAD_FEMALE[htype], 2, 1), head_age, HEAD_MARITAL[htype])]

    # Spouse (the wife) of a married head.
    couple = htype == COUPLE
    gap = _gap(rng, n)
    spouse_age = np.where(couple, np.maximum(head_age - gap, 17.0 + 2.0 * rng.random(n)), np.nan)
    blocks.append(block(fams[couple], SPOUSE, 2, spouse_age[couple], 2))

    # Children of the head: the mother is the wife, the head herself, or an absent mother.
    mother_age = np.select(
        [couple, np.isin(htype, [WIDOW, DIVORCED_F]), np.isin(htype, [WIDOWER, DIVORCED_M])],
        [spouse_age, head_age, head_age - gap],
        np.nan,
    )
    lam = np.where(np.isnan(mother_age), 0.0, _parity_lambda(ref_year - mother_age, wz))
    c_fam, c_age = births(rng, mother_age, lam)
    c_sex = _sex(rng, len(c_fam))
    c_female = c_sex == 2
    # Fathers alone keep fewer young children; a widowed parent keeps an adult child near.
    widowed = np.isin(htype[c_fam], [WIDOW, WIDOWER]) & (c_age >= 18.0)
    stay = _stay_probability(c_age, c_female) * np.select(
        [widowed, np.isin(htype[c_fam], [WIDOWER, DIVORCED_M]), htype[c_fam] == DIVORCED_F],
        [1.4, 0.7, 0.95],
        1.0,
    )
    keep = rng.random(len(c_fam)) < stay
    # Married children: the oldest stays with the family, the others have moved out.
    married_p = np.where(
        c_female,
        np.interp(c_age, [18.0, 22.0, 25.0, 30.0, 40.0], [0.0, 0.45, 0.7, 0.85, 0.9]),
        np.interp(c_age, [19.0, 22.0, 25.0, 30.0, 40.0], [0.0, 0.2, 0.45, 0.75, 0.85]),
    )
    married = keep & (rng.random(len(c_fam)) < married_p)
    idx_married = np.flatnonzero(married)
    chosen_idx = idx_married[first_in_group(c_fam[idx_married])]
    chosen = np.zeros(len(c_fam), dtype=np.bool_)
    chosen[chosen_idx] = True
    keep &= ~married | chosen
    situation = np.full(n, -1, dtype=np.int64)
    u = rng.random(len(chosen_idx))
    situation[c_fam[chosen_idx]] = np.where(u < 0.8, 0, np.where(u < 0.9, 1, 2))
    c_marital = np.where(chosen, np.where(situation[c_fam] == 1, 3, 2), 1)
    blocks.append(
        block(
            c_fam[keep],
            CHILD,
            c_sex[keep],
            c_age[keep],
            c_marital[keep],
            chosen[keep].astype(np.int64),
        )
    )

    # The married child's spouse (menantu) and their children (cucu).
    ch_fam, ch_age, ch_female = c_fam[chosen_idx], c_age[chosen_idx], c_female[chosen_idx]
    ch_gap = _gap(rng, len(chosen_idx))
    floor = 17.0 + 2.0 * rng.random(len(chosen_idx))
    inlaw_age = np.maximum(np.where(ch_female, ch_age + ch_gap, ch_age - ch_gap), floor)
    il = situation[ch_fam] == 0
    blocks.append(block(ch_fam[il], INLAW, np.where(ch_female[il], 1, 2), inlaw_age[il], 2))
    gc_mother_age = np.where(ch_female, ch_age, np.where(il, inlaw_age, ch_age - ch_gap))
    g_src, g_age = births(rng, gc_mother_age, _parity_lambda(ref_year - gc_mother_age, wz[ch_fam]))
    g_fam = ch_fam[g_src]
    g_sex = _sex(rng, len(g_fam))
    g_stay = _stay_probability(g_age, g_sex == 2)
    g_stay *= np.where(~ch_female[g_src] & (situation[g_fam] == 1), 0.5, 1.0)
    gk = rng.random(len(g_fam)) < g_stay
    blocks.append(block(g_fam[gk], GRANDCHILD, g_sex[gk], g_age[gk], 1))

    # Grandparents raising grandchildren whose parents work away (skipped generation).
    minors = np.zeros(n, dtype=np.bool_)
    minors[c_fam[keep & (c_age < 18.0)]] = True
    skip = (
        np.isin(htype, [COUPLE, WIDOW, WIDOWER])
        & (head_age >= 45.0)
        & (head_age <= 80.0)
        & ~minors
        & (situation < 0)
        & (rng.random(n) < 0.07)
    )
    s_fam = np.repeat(fams[skip], 1 + (rng.random(int(skip.sum())) < 0.3))
    s_age = rng.uniform(0.5, 16.0, len(s_fam))
    blocks.append(block(s_fam, GRANDCHILD, _sex(rng, len(s_fam)), s_age, 1, 1))

    people = merge(blocks)
    _deaths(rng, people, htype, head_age)
    people = _add_parents_and_others(rng, people, htype, head_age, spouse_age, wz, urban)
    return Composition(htype, head_age, situation, people)


def _deaths(rng: np.random.Generator, people: Block, htype: IntArray, head_age: FloatArray) -> None:
    """Deceased members still on the KK: a parent of minors (orphans), an old spouse."""
    n = len(htype)
    young = np.full(n, np.inf)
    minor_child = (people.role == CHILD) & (people.age < 18.0)
    np.minimum.at(young, people.fam[minor_child], people.age[minor_child])
    has_minor = np.isfinite(young)
    u = rng.random(n)
    couple = htype == COUPLE
    father = couple & has_minor & (u < 0.018)
    mother = couple & has_minor & (u >= 0.018) & (u < 0.026)
    both = couple & has_minor & (u >= 0.026) & (u < 0.0266)
    old = couple & ~has_minor & (head_age >= 60.0)
    head_dies = father | both | (old & (u < 0.015))
    spouse_dies = mother | both | (old & (u >= 0.015) & (u < 0.04))
    when = rng.random(n) * np.where(has_minor, np.minimum(6.0, young), 4.0)
    f = people.fam
    dead = ((people.role == HEAD) & head_dies[f]) | ((people.role == SPOUSE) & spouse_dies[f])
    people.alive[dead] = False
    people.death_years[dead] = np.minimum(when[f[dead]], people.age[dead] - 0.01)


def _add_parents_and_others(
    rng: np.random.Generator,
    people: Block,
    htype: IntArray,
    head_age: FloatArray,
    spouse_age: FloatArray,
    wz: FloatArray,
    urban: BoolArray,
) -> Block:
    n = len(htype)
    fams = np.arange(n)
    # A family with no living adult gets the head's mother (the orphans' grandmother).
    adult_alive = np.zeros(n, dtype=np.bool_)
    adult_alive[people.fam[people.alive & (people.age >= 18.0)]] = True
    need = ~adult_alive
    eligible = (head_age >= 22.0) & (head_age <= 65.0)
    add = need | (eligible & (rng.random(n) < np.where(urban, 0.055, 0.085)))
    spouse_side = ~need & ~np.isnan(spouse_age) & (rng.random(n) < 0.4)
    child_age = np.where(spouse_side, spouse_age, head_age)
    u = rng.random(n)
    m_age = child_age + np.clip(rng.normal(27.0, 5.0, n), 17.0, 45.0)
    f_age = m_age + _gap(rng, n)
    mother_p = add & (need | (u < 0.65) | (u >= 0.82)) & (need | (m_age <= 98.0))
    father_p = add & ~need & (u >= 0.65) & (f_age <= 96.0)
    both = mother_p & father_p
    side = spouse_side.astype(np.int64)
    blocks = [people]
    for mask, sex, ages in ((mother_p, 2, m_age), (father_p, 1, f_age)):
        fam = fams[mask]
        blocks.append(
            block(
                fam, PARENT, sex, np.minimum(ages[fam], 99.0), np.where(both[fam], 2, 4), side[fam]
            )
        )
    # Other relatives (nephews, nieces, siblings) and, in rich families, household help.
    o_fam = fams[rng.random(n) < 0.035]
    k = len(o_fam)
    o_age = np.where(rng.random(k) < 0.5, rng.uniform(3, 25, k), rng.uniform(20, 75, k))
    blocks.append(block(o_fam, OTHER, _sex(rng, k, 0.5), o_age, _adult_marital(rng, o_age)))
    h_fam = fams[rng.random(n) < np.where(wz > 2.0, 0.05, 0.0008)]
    h_age = rng.uniform(18, 55, len(h_fam))
    blocks.append(
        block(h_fam, HELP, _sex(rng, len(h_fam), 0.85), h_age, _adult_marital(rng, h_age))
    )
    merged = merge(blocks)
    # Some elderly parents died and are still on the KK.
    gone = (merged.role == PARENT) & ~need[merged.fam] & (rng.random(len(merged.fam)) < 0.04)
    merged.alive[gone] = False
    merged.death_years[gone] = rng.random(int(gone.sum())) * 4.0
    return merged


def _adult_marital(rng: np.random.Generator, age: FloatArray) -> IntArray:
    u = rng.random(len(age))
    young = np.where(u < 0.92, 1, 2)
    adult = np.where(u < 0.45, 1, np.where(u < 0.75, 2, np.where(u < 0.85, 3, 4)))
    old = np.where(u < 0.1, 1, np.where(u < 0.4, 2, np.where(u < 0.5, 3, 4)))
    return np.where(
        age < 19.0, 1, np.where(age < 20.0, young, np.where(age < 60.0, adult, old))
    ).astype(np.int64)
