"""Synthetic Indonesian (mostly Javanese) personal names, built with array operations.

A name is one to three words drawn from the lists in ``names.yaml`` following a pattern
(single Javanese name, prefix + name, modern first name + second name, ...) whose odds
depend on the birth cohort: older people mostly have one Javanese word, young people two
or three modern words. Every combination is random: no real person is listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np
import numpy.typing as npt
import polars as pl
import yaml

LISTS = ("jawa", "arab", "modern", "awalan", "kedua", "urutan", "populer")
_J, _A, _M, _W, _K, _U, _P = range(7)

# Patterns: the list of each of up to three words (-1: no word).
PATTERNS = np.array(
    [
        [_J, -1, -1],  # 0 Sutrisno
        [_A, -1, -1],  # 1 Fatimah
        [_M, -1, -1],  # 2 Putri
        [_W, _J, -1],  # 3 Siti Suparmi, Moh. Slamet
        [_W, _A, -1],  # 4 Muhammad Sholeh
        [_W, _M, -1],  # 5 Muhammad Rizky
        [_J, _K, -1],  # 6 Budi Santoso
        [_M, _K, -1],  # 7 Putri Rahayu
        [_A, _K, -1],  # 8 Ahmad Hidayat
        [_M, _M, -1],  # 9 Aditya Fajar
        [_M, _M, _K],  # 10 Nabila Putri Lestari
        [_W, _M, _K],  # 11 Muhammad Rafi Saputra
        [_U, _M, -1],  # 12 Dwi Aditya
        [_U, _J, -1],  # 13 Eko Sutrisno
        [_U, _M, _K],  # 14 Tri Aditya Nugroho
        [_P, -1, -1],  # 15 Budi, Endang
        [_P, _K, -1],  # 16 Agus Santoso, Sri Wahyuni
        [_W, _P, -1],  # 17 Moh. Agus, Siti Rini
        [_U, _P, -1],  # 18 Eko Budi, Dwi Yanti
        [_P, _P, _K],  # 19 Agus Budi Santoso
    ],
    dtype=np.int64,
)

# Birth-cohort bounds and the odds of each pattern per cohort (rows are normalised).
COHORT_BOUNDS = np.array([1955, 1975, 1990, 2005])
_ODDS = np.array(
    [
        # 0   1   2   3   4   5   6   7   8   9  10  11  12  13  14  15  16  17  18  19
        [62, 12, 0, 10, 6, 0, 5, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0],  # born before 1955
        [32, 9, 0, 10, 5, 0, 12, 0, 4, 0, 0, 0, 0, 4, 0, 12, 6, 3, 3, 0],  # 1955-1974
        [6, 5, 4, 4, 4, 2, 5, 8, 5, 2, 0, 0, 2, 1, 1, 14, 18, 6, 8, 6],  # 1975-1989
        [2, 3, 10, 0, 2, 10, 0, 25, 4, 12, 12, 8, 6, 0, 7, 0, 3, 0, 0, 0],  # 1990-2004
        [0, 0, 5, 0, 0, 10, 0, 20, 3, 22, 25, 8, 3, 0, 4, 0, 0, 0, 0, 0],  # 2005 onwards
    ],
    dtype=np.float64,
)
PATTERN_CUM = np.cumsum(_ODDS / _ODDS.sum(axis=1, keepdims=True), axis=1)


@dataclass(frozen=True)
class Vocabulary:
    words: pl.Series  # every word, upper case, with a final null
    start: npt.NDArray[np.int64]  # [list, sex-1] -> first index in words
    size: npt.NDArray[np.int64]  # [list, sex-1] -> number of words


@cache
def _raw() -> dict[str, dict[str, list[str]] | list[str]]:
    text = (files("padu.engine.synth") / "names.yaml").read_text("utf-8")
    raw: dict[str, dict[str, list[str]] | list[str]] = yaml.safe_load(text)
    return raw


@cache
def vocabulary() -> Vocabulary:
    raw = _raw()
    words: list[str] = []
    start = np.zeros((len(LISTS), 2), dtype=np.int64)
    size = np.zeros((len(LISTS), 2), dtype=np.int64)
    for s, sex in enumerate(("laki", "perempuan")):
        parts = raw[sex]
        assert isinstance(parts, dict)
        for li, name in enumerate(LISTS):
            start[li, s] = len(words)
            size[li, s] = len(parts[name])
            words.extend(w.upper() for w in parts[name])
    return Vocabulary(pl.Series("w", [*words, None], dtype=pl.String), start, size)


def word_list(name: str) -> list[str]:
    """A plain list from ``names.yaml`` (``dukuh``, ``jalan``)."""
    value = _raw()[name]
    assert isinstance(value, list)
    return [str(v) for v in value]


def make_names(
    rng: np.random.Generator,
    sex: npt.NDArray[np.integer],
    birth_year: npt.NDArray[np.integer],
) -> pl.Series:
    """One upper-case full name per person, sex-appropriate and typical of the birth year."""
    vocab = vocabulary()
    n = len(sex)
    cohort = np.searchsorted(COHORT_BOUNDS, birth_year, side="right")
    u = rng.random(n)
    pattern = np.empty(n, dtype=np.int64)
    for c in range(len(PATTERN_CUM)):
        mask = cohort == c
        pattern[mask] = np.searchsorted(PATTERN_CUM[c], u[mask], side="right")
    np.minimum(pattern, len(PATTERNS) - 1, out=pattern)
    s = (np.asarray(sex) == 2).astype(np.int64)
    null_index = len(vocab.words) - 1
    slots: list[pl.Series] = []
    for k in range(3):
        lst = PATTERNS[pattern, k]
        has = lst >= 0
        li = np.where(has, lst, 0)
        idx = vocab.start[li, s] + (rng.random(n) * vocab.size[li, s]).astype(np.int64)
        slots.append(vocab.words.gather(np.where(has, idx, null_index)))
    df = pl.DataFrame({"a": slots[0], "b": slots[1], "c": slots[2]})
    out = df.select(
        pl.concat_str(
            pl.col("a"),
            pl.when(pl.col("b") != pl.col("a")).then(pl.col("b")),
            pl.when((pl.col("c") != pl.col("b")) & (pl.col("c") != pl.col("a"))).then(pl.col("c")),
            separator=" ",
            ignore_nulls=True,
        ).alias("nama")
    )
    return out.to_series()
