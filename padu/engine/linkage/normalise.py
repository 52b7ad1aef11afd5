"""Indonesian name normalisation for record linkage, as vectorised Polars expressions.

A name goes through, in order:

1. lower case; everything after the first comma dropped (degrees: ``Sumardi, S.Pd.``);
   dots and apostrophes removed (``S.Pd.`` -> ``spd``, ``Ma'ruf`` -> ``maruf``), any other
   non-letter becomes a space;
2. titles before the name (``H.``, ``Hj.``, ``Drs.``, ...) and degrees after it (``S.Pd``,
   ``SE``, ...) removed, as long as a word remains; ``bin``/``binti`` and the father's name
   after it removed;
3. each word respelt to one canonical form: old spelling (``oe`` -> ``u``, ``dj`` -> ``j``,
   ``tj`` -> ``c``, ``ch`` -> ``kh``), ``y`` written ``j`` (old ``j`` is new ``y``), doubled
   letters single (``Muhammad`` -> ``muhamad``); then spelling families and abbreviations
   (``Moch.``, ``M.``, ``Mohammad`` -> ``muhamad``; ``St.`` -> ``siti``; ``Noer``,
   ``Nurul`` -> ``nur``; ...) from ``names.yaml``.

The phonetic key of a word keeps its first letter, its consonants (``kh``/``q``/``c`` as
``k``, ``z`` as ``j``, ``v``/``ph`` as ``f``, ``h`` inside a word dropped) and its last vowel
(``e``/``i`` alike, ``o``/``u`` alike), so ``Suparmi`` and ``Suparmo`` stay apart while
``Slamet``/``Selamet`` and ``Rohman``/``Rahman`` meet.

:func:`name_columns` returns, for a name column, the canonical words in order (``_norm``),
sorted (``_urut``: names in any token order compare equal), the first identifying word
(``_depan``: skips common words like Muhammad or Siti), the last word (``_akhir``), and
the phonetic keys of the sorted words and of the first identifying word.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

import polars as pl
import yaml

__all__ = ["NameRules", "canonical_token", "name_columns", "name_rules", "normalise_name"]

# Canonical respelling, applied in this order to every word (literal replacements).
_RESPELL: tuple[tuple[str, str], ...] = (
    ("oe", "u"),
    ("dj", "j"),
    ("tj", "c"),
    ("y", "j"),
    ("ch", "kh"),
)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Phonetic key: sound-alike letters written alike (after the canonical respelling).
_SOUND: tuple[tuple[str, str], ...] = (
    ("kh", "k"),
    ("dh", "d"),
    ("th", "t"),
    ("sh", "s"),
    ("ph", "f"),
    ("v", "f"),
    ("z", "j"),
    ("q", "k"),
    ("c", "k"),
    ("x", "ks"),
    ("e", "i"),
    ("o", "u"),
)


class NameRules:
    """The word lists of ``names.yaml`` (or of a dict of the same shape)."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.titles: list[str] = list(raw["gelar_depan"])
        self.degrees: list[str] = list(raw["gelar_belakang"])
        self.patronyms: list[str] = list(raw["patronim"])
        self.common: list[str] = [canonical_token(w) for w in raw["umum"]]
        families: dict[str, list[str]] = raw["keluarga_ejaan"]
        self.raw_family: dict[str, str] = {}
        self.canonical_family: dict[str, str] = {}
        for name, spellings in families.items():
            target = canonical_token(name)
            for spelling in [name, *spellings]:
                self.raw_family[spelling] = target
                self.canonical_family[canonical_token(spelling)] = target


@cache
def name_rules() -> NameRules:
    """The packaged rules (``padu/engine/linkage/names.yaml``)."""
    text = (files("padu.engine.linkage") / "names.yaml").read_text("utf-8")
    return NameRules(yaml.safe_load(text))


def canonical_token(word: str) -> str:
    """One word respelt to its canonical form (pure Python twin of the Polars steps)."""
    out = word.lower()
    for old, new in _RESPELL:
        out = out.replace(old, new)
    return re.sub(r"([a-z])\1+", r"\1", out)


def _respell(word: pl.Expr) -> pl.Expr:
    for old, new in _RESPELL:
        word = word.str.replace_all(old, new, literal=True)
    for letter in _LETTERS:  # Rust regex has no back-references: one pass per letter
        word = word.str.replace_all(f"{letter}{letter}+", letter)
    return word


def _phonetic(word: pl.Expr) -> pl.Expr:
    for old, new in _SOUND:
        word = word.str.replace_all(old, new, literal=True)
    first, rest = word.str.slice(0, 1), word.str.slice(1)
    consonants = rest.str.replace_all("[aiuh]", "")
    last_vowel = pl.when(rest.str.contains("[aiu]$")).then(rest.str.slice(-1)).otherwise(pl.lit(""))
    key = pl.concat_str(first, consonants, last_vowel)
    for letter in _LETTERS:
        key = key.str.replace_all(f"{letter}{letter}+", letter)
    return key


def _clean(name: pl.Expr) -> pl.Expr:
    return (
        name.str.to_lowercase()
        .str.replace(r",.*$", "")
        .str.replace_all(r"[.'`’]", "")
        .str.replace_all(r"[^a-z]+", " ")
        .str.strip_chars()
    )


def _words(names: pl.Series, rules: NameRules) -> pl.DataFrame:
    """One row per kept canonical word: ``row`` (position in ``names``), ``pos``, ``word``.

    Work is on a long table of words with window expressions, and the respelling runs once
    per distinct word: no Python loop over rows.
    """
    frame = pl.DataFrame({"name": names}).with_row_index("row")
    long = (
        frame.select("row", word=_clean(pl.col("name")).str.split(" "))
        .explode("word")
        .filter(pl.col("word").is_not_null() & (pl.col("word") != ""))
        .with_columns(pos=pl.int_range(pl.len()).over("row"))
    )
    word, pos = pl.col("word"), pl.col("pos")
    # bin/binti and everything after it (never the first word)
    after_patronym = (word.is_in(rules.patronyms) & (pos > 0)).cast(pl.Int32).cum_sum()
    long = long.filter(after_patronym.over("row") == 0)
    title = (word.is_in(rules.titles).cast(pl.Int32).cum_prod() == 1).over("row")
    long = long.with_columns(title=title).filter(
        ~pl.col("title") | pl.col("title").all().over("row")
    )
    degree = (word.is_in(rules.degrees) & (pos > 0)).cast(pl.Int32)
    degree = (degree.reverse().cum_prod().reverse() == 1).over("row")
    long = long.with_columns(degree=degree).filter(
        ~pl.col("degree") | pl.col("degree").all().over("row")
    )
    distinct = long.select("word").unique()
    respelt = _respell(word)
    distinct = distinct.with_columns(
        canonical=pl.coalesce(
            word.replace_strict(rules.raw_family, default=None, return_dtype=pl.String),
            respelt.replace_strict(rules.canonical_family, default=respelt, return_dtype=pl.String),
        )
    )
    long = long.join(distinct, on="word", how="left")
    return long.select("row", pos=pl.int_range(pl.len()).over("row"), word="canonical")


def normalise_name(names: pl.Series, rules: NameRules | None = None) -> pl.Series:
    """The canonical words of each name joined by spaces, in their original order."""
    words = _words(names, rules or name_rules())
    joined = words.group_by("row").agg(pl.col("word").sort_by("pos").str.join(" "))
    out = pl.DataFrame({"row": pl.int_range(len(names), eager=True, dtype=pl.UInt32)})
    return out.join(joined, on="row", how="left").sort("row")["word"].alias(names.name)


def name_columns(names: pl.Series, prefix: str, rules: NameRules | None = None) -> pl.DataFrame:
    """Columns ``{prefix}_norm``, ``_urut``, ``_depan``, ``_akhir``, ``_kunci``,
    ``_depan_kunci`` and ``_kata`` (the sorted canonical words as a list), one row per name.

    Each distinct name is normalised once.
    """
    rules = rules or name_rules()
    distinct = names.unique().drop_nulls()
    words = _words(distinct, rules)
    distinct_words = words.select("word").unique()
    words = words.join(
        distinct_words.with_columns(key=_phonetic(pl.col("word"))), on="word", how="left"
    )
    word, key = pl.col("word"), pl.col("key")
    identifying = ~word.is_in(rules.common)
    first_identifying = word.filter(identifying).sort_by(pl.col("pos").filter(identifying))
    per_name = words.group_by("row").agg(
        pl.col("word").sort_by("pos").str.join(" ").alias(f"{prefix}_norm"),
        word.sort().str.join(" ").alias(f"{prefix}_urut"),
        pl.coalesce(first_identifying.first(), word.sort_by("pos").first()).alias(
            f"{prefix}_depan"
        ),
        word.sort_by("pos").last().alias(f"{prefix}_akhir"),
        key.sort_by(word).str.join(" ").alias(f"{prefix}_kunci"),
        word.sort().alias(f"{prefix}_kata"),
    )
    per_name = per_name.with_columns(
        _phonetic(pl.col(f"{prefix}_depan")).alias(f"{prefix}_depan_kunci")
    )
    lookup = (
        pl.DataFrame({"_name": distinct}).with_row_index("row").join(per_name, on="row", how="left")
    )
    out = pl.DataFrame({"_name": names}).join(lookup, on="_name", how="left", maintain_order="left")
    return out.drop("_name", "row")
