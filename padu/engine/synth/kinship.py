"""Names of members and of their parents, kept consistent inside each family.

A child's nama_ayah/nama_ibu is the name of the head or spouse on the same KK; a
grandchild's is the married child's and the in-law's; the head's and the spouse's are
their own parents' when those live in the family. Parents who are not on the KK (an
absent or deceased father, the head's mother, ...) get invented names, the same for all
siblings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from padu.engine.synth.households import CHILD, GRANDCHILD, HEAD, INLAW, PARENT, SPOUSE, Block
from padu.engine.synth.names import make_names

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Names:
    nama: pl.Series
    nama_ayah: pl.Series
    nama_ibu: pl.Series


class _Outsiders:
    """Invented parents who are not on the KK: (sex, birth year) requests."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.sex: list[IntArray] = []
        self.year: list[FloatArray] = []
        self.count = 0

    def add(self, sex: int, year: FloatArray) -> IntArray:
        idx = self.offset + self.count + np.arange(len(year), dtype=np.int64)
        self.sex.append(np.full(len(year), sex, dtype=np.int64))
        self.year.append(year)
        self.count += len(year)
        return idx


def _position(people: Block, mask: npt.NDArray[np.bool_], n_fam: int) -> IntArray:
    """Row of the (last) member matching ``mask`` in each family, -1 if none."""
    pos = np.full(n_fam, -1, dtype=np.int64)
    rows = np.flatnonzero(mask)
    pos[people.fam[rows]] = rows
    return pos


def family_names(rng: np.random.Generator, people: Block, n_fam: int, ref_year: float) -> Names:
    p = len(people.fam)
    fam, role, sex = people.fam, people.role, people.sex
    year = ref_year - people.age
    fam_year = np.full(n_fam, np.nan)
    fam_year[fam[role == HEAD]] = year[role == HEAD]
    head = _position(people, role == HEAD, n_fam)
    spouse = _position(people, role == SPOUSE, n_fam)
    chosen = _position(people, (role == CHILD) & (people.tag == 1), n_fam)
    inlaw = _position(people, role == INLAW, n_fam)
    parent = {
        (side, s): _position(people, (role == PARENT) & (people.tag == side) & (sex == s), n_fam)
        for side in (0, 1)
        for s in (1, 2)
    }
    out = _Outsiders(offset=p)
    head_male = sex[head] == 1
    gap = np.clip(rng.normal(4.5, 3.5, n_fam), -4, 15)
    has_gc = np.zeros(n_fam, dtype=np.bool_)
    has_gc[fam[role == GRANDCHILD]] = True
    chosen_year = np.where(chosen >= 0, year[np.maximum(chosen, 0)], fam_year + 25.0)

    def per_family(mask: npt.NDArray[np.bool_], s: int, when: FloatArray) -> IntArray:
        idx = np.full(n_fam, -1, dtype=np.int64)
        idx[mask] = out.add(s, when[mask])
        return idx

    # Absent parents shared by siblings: of the head's children, and of the grandchildren.
    absent_father = per_family(~head_male, 1, fam_year - gap)
    absent_mother = per_family(head_male & (spouse < 0), 2, fam_year + gap)
    gc_father = per_family(has_gc, 1, chosen_year - 3.0)
    gc_mother = per_family(has_gc, 2, chosen_year + 3.0)
    # Everyone else's parents are outside the family: one invented pair per person.
    own = ~np.isin(role, [CHILD, GRANDCHILD])
    father = np.full(p, -1, dtype=np.int64)
    mother = np.full(p, -1, dtype=np.int64)
    father[own] = out.add(1, year[own] - np.clip(rng.normal(30.0, 6.0, int(own.sum())), 18, 50))
    mother[own] = out.add(2, year[own] - np.clip(rng.normal(26.0, 5.0, int(own.sum())), 16, 45))

    child = role == CHILD
    hm = head_male[fam]
    father = np.where(child, np.where(hm, head[fam], absent_father[fam]), father)
    mother = np.where(
        child,
        np.where(hm, np.where(spouse[fam] >= 0, spouse[fam], absent_mother[fam]), head[fam]),
        mother,
    )
    gc = role == GRANDCHILD
    skipped = gc & (people.tag == 1)
    ch = chosen[fam]
    ch_male = (ch >= 0) & (sex[np.maximum(ch, 0)] == 1)
    il = inlaw[fam]
    gc_f = np.where(ch_male, ch, np.where(il >= 0, il, gc_father[fam]))
    gc_m = np.where(ch_male, np.where(il >= 0, il, gc_mother[fam]), ch)
    of_chosen = gc & ~skipped & (ch >= 0)
    father = np.where(of_chosen, gc_f, np.where(gc, gc_father[fam], father))
    mother = np.where(of_chosen, gc_m, np.where(gc, gc_mother[fam], mother))
    for r, side in ((HEAD, 0), (SPOUSE, 1)):
        f_row, m_row = parent[(side, 1)][fam], parent[(side, 2)][fam]
        father = np.where((role == r) & (f_row >= 0), f_row, father)
        mother = np.where((role == r) & (m_row >= 0), m_row, mother)

    all_sex = np.concatenate([sex, *out.sex])
    all_year = np.concatenate([year, *out.year])
    all_year = np.nan_to_num(all_year, nan=1970.0)
    everyone = make_names(rng, all_sex, np.floor(all_year).astype(np.int64))
    return Names(
        nama=everyone.head(p),
        nama_ayah=everyone.gather(father),
        nama_ibu=everyone.gather(mother),
    )
