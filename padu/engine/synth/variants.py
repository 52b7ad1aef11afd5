"""Name variants as Indonesian sources write them (no Django).

Each function takes a Polars string Series of names and a numpy boolean ``mask`` of the
rows to change, and returns a new Series of the same length; rows outside the mask are
returned unchanged. Work is per column; Python only loops over the *distinct tokens* of the
names (a few thousand at most), never over rows.

- :func:`abbreviate`: Muhammad -> M./Moch./Moh./Muh., Siti -> St., Abdul -> Abd.,
  Ahmad -> A./Achmad, Nur/Nurul/Noer interchanged;
- :func:`old_spelling`: pre-1972 spelling (u -> oe, j -> dj, c -> tj, kh -> ch, y -> j);
- :func:`typo`: one letter substituted, dropped or doubled in one token;
- :func:`swap_tokens`: first token moved to the end (``Siti Suparmi`` -> ``Suparmi Siti``);
- :func:`add_title`: H./Hj./Drs./Dra./Ir. before, S.Pd./S.E./A.Md./S.Ag. after;
- :func:`add_patronym`: ``bin``/``binti`` and the father's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import polars as pl

__all__ = [
    "abbreviate",
    "add_patronym",
    "add_title",
    "old_spelling",
    "swap_tokens",
    "typo",
]

# Lower-case token -> spellings a source may use instead.
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ["muhammad", "muhamad", "mohammad", "mohamad", "mochammad", "mochamad", "muchammad"],
        ("M.", "Moch.", "Moh.", "Muh.", "Mochamad"),
    ),
    "ahmad": ("A.", "Achmad", "Ach."),
    "achmad": ("A.", "Ahmad", "Ach."),
    "siti": ("St.", "St"),
    "abdul": ("Abd.", "Abdoel"),
    "abdoel": ("Abd.", "Abdul"),
    "nur": ("Nurul", "Noer"),
    "nurul": ("Nur", "Noerul"),
    "noer": ("Nur", "Nurul"),
}
_OLD_SPELLING = {"kh": "ch", "c": "tj", "j": "dj", "u": "oe", "y": "j"}
_OLD_SPELLING_RE = re.compile("kh|[cjuy]", re.IGNORECASE)
_PREFIX_MALE = ["H.", "H.", "H.", "Drs.", "Ir."]
_PREFIX_FEMALE = ["Hj.", "Hj.", "Hj.", "Dra."]
_SUFFIX = [", S.Pd.", ", S.E.", ", A.Md.", ", S.Ag.", " S.Pd", " SE"]
_VOWEL_SWAP = {"a": "e", "e": "i", "i": "e", "o": "u", "u": "o"}
_NEIGHBOURS = {
    "b": "vn", "c": "xv", "d": "sf", "f": "dg", "g": "fh", "h": "gj", "j": "hk", "k": "jl",
    "l": "k", "m": "n", "n": "mb", "p": "o", "q": "w", "r": "et", "s": "ad", "t": "ry",
    "v": "cb", "w": "qe", "x": "zc", "y": "tu", "z": "x",
}  # fmt: skip
_TYPO_VARIANTS = 4


def _match_case(template: str, text: str) -> str:
    """``text`` in the case of ``template`` (all upper, capitalised or lower)."""
    if len(template) > 1 and template.isupper():
        return text.upper()
    if template[:1].isupper():
        return text[:1].upper() + text[1:]
    return text


def _old_spelling_token(token: str) -> str:
    upper = len(token) > 1 and token.isupper()

    def repl(match: re.Match[str]) -> str:
        new = _OLD_SPELLING[match.group(0).lower()]
        if upper:
            return new.upper()
        return _match_case(match.group(0), new)

    return _OLD_SPELLING_RE.sub(repl, token)


def _typo_token(token: str, rng: np.random.Generator) -> str:
    """One letter substituted, dropped or doubled (never the first letter)."""
    if len(token) < 3 or not token.isalpha():
        return token
    pos = int(rng.integers(1, len(token)))
    char = token[pos]
    kind = int(rng.integers(0, 3))
    if kind == 1 and len(token) > 3:
        return token[:pos] + token[pos + 1 :]
    if kind == 2:
        return token[:pos] + char + token[pos:]
    low = char.lower()
    choices = _VOWEL_SWAP.get(low) or _NEIGHBOURS.get(low, "a")
    new = choices[int(rng.integers(0, len(choices)))]
    return token[:pos] + (new.upper() if char.isupper() else new) + token[pos:][1:]


def _tokens(names: pl.Series, mask: np.ndarray) -> pl.DataFrame:
    """One row per token of the masked names: ``row``, ``pos``, ``tok``."""
    frame = pl.DataFrame({"name": names, "mask": mask}).with_row_index("row")
    return (
        frame.filter(pl.col("mask") & pl.col("name").is_not_null())
        .select("row", tok=pl.col("name").str.split(" "))
        .explode("tok")
        .with_columns(pos=pl.int_range(pl.len()).over("row"))
    )


def _reassemble(names: pl.Series, tokens: pl.DataFrame) -> pl.Series:
    joined = tokens.group_by("row").agg(pl.col("tok").sort_by("pos").str.join(" ").alias("new"))
    frame = pl.DataFrame({"name": names}).with_row_index("row")
    out = frame.join(joined, on="row", how="left").sort("row")
    return out.select(pl.coalesce("new", "name"))[:, 0].alias(names.name)


def _variant_table(tokens: pl.Series, make: Callable[[str], list[str]]) -> pl.DataFrame:
    """Distinct token -> its variants (``tok``, ``k``, ``variant``): the only Python loop."""
    rows: dict[str, list[object]] = {"tok": [], "k": [], "variant": []}
    for token in tokens.drop_nulls().unique().sort().to_list():
        for k, variant in enumerate(make(token)):
            rows["tok"].append(token)
            rows["k"].append(k)
            rows["variant"].append(variant)
    return pl.DataFrame(rows, schema={"tok": pl.String, "k": pl.Int64, "variant": pl.String})


def _replace_tokens(
    names: pl.Series,
    mask: np.ndarray,
    make: Callable[[str], list[str]],
    rng: np.random.Generator,
    *,
    one_token: bool,
) -> pl.Series:
    """Replace tokens of masked names by one of their variants (chosen at random per row).

    With ``one_token`` only one token with variants is changed per row; otherwise every
    token with variants is (each row picks one variant index for all its tokens).
    """
    tokens = _tokens(names, mask)
    if tokens.is_empty():
        return names
    table = _variant_table(tokens["tok"], make)
    counts = table.group_by("tok").agg(n=pl.len())
    row_pick = pl.DataFrame({"row": np.arange(len(names)), "row_pick": rng.random(len(names))})
    tokens = (
        tokens.join(counts, on="tok", how="left")
        .join(row_pick.cast({"row": pl.UInt32}), on="row", how="left")
        .with_columns(pick=pl.Series(rng.random(tokens.height)))
    )
    has = pl.col("n").is_not_null()
    if one_token:
        score = pl.when(has).then(pl.col("pick")).otherwise(-1.0)
        chosen = has & (score == score.max().over("row"))
    else:
        chosen = has
    tokens = tokens.with_columns(
        k=pl.when(chosen).then((pl.col("row_pick") * pl.col("n")).floor().cast(pl.Int64))
    ).join(table, on=["tok", "k"], how="left")
    tokens = tokens.with_columns(tok=pl.coalesce("variant", "tok"))
    return _reassemble(names, tokens)


def abbreviate(names: pl.Series, mask: np.ndarray, rng: np.random.Generator) -> pl.Series:
    """Abbreviate or respell common Islamic/Arabic name parts (every one in the name)."""

    def make(token: str) -> list[str]:
        return [_match_case(token, v) for v in _ABBREVIATIONS.get(token.lower(), ())]

    return _replace_tokens(names, mask, make, rng, one_token=False)


def old_spelling(names: pl.Series, mask: np.ndarray, rng: np.random.Generator) -> pl.Series:
    """Write the masked names in the old (Van Ophuijsen/Soewandi) spelling."""

    def make(token: str) -> list[str]:
        old = _old_spelling_token(token)
        return [old] if old != token else []

    return _replace_tokens(names, mask, make, rng, one_token=False)


def typo(names: pl.Series, mask: np.ndarray, rng: np.random.Generator) -> pl.Series:
    """One typing slip in one token of each masked name."""

    def make(token: str) -> list[str]:
        variants = {_typo_token(token, rng) for _ in range(_TYPO_VARIANTS)} - {token}
        return sorted(variants)

    return _replace_tokens(names, mask, make, rng, one_token=True)


def swap_tokens(names: pl.Series, mask: np.ndarray) -> pl.Series:
    """Move the first token to the end (``Siti Suparmi`` -> ``Suparmi Siti``)."""
    parts = names.str.split(" ")
    swapped = pl.DataFrame({"p": parts}).select(
        pl.concat_list(pl.col("p").list.slice(1), pl.col("p").list.slice(0, 1)).list.join(" ")
    )[:, 0]
    return _where(mask, swapped, names)


def add_title(
    names: pl.Series, female: np.ndarray, mask: np.ndarray, rng: np.random.Generator
) -> pl.Series:
    """Religious titles and academic degrees (prefix for H./Hj./Drs./Dra./Ir., else suffix)."""
    n = len(names)
    male_prefix = np.array(_PREFIX_MALE)[rng.integers(0, len(_PREFIX_MALE), n)]
    female_prefix = np.array(_PREFIX_FEMALE)[rng.integers(0, len(_PREFIX_FEMALE), n)]
    prefix = np.where(female, female_prefix, male_prefix)
    suffix = np.array(_SUFFIX)[rng.integers(0, len(_SUFFIX), n)]
    use_suffix = rng.random(n) < 0.3
    with_prefix = pl.Series(prefix) + " " + names
    with_suffix = names + pl.Series(suffix)
    return _where(mask, _where(use_suffix, with_suffix, with_prefix), names)


def add_patronym(
    names: pl.Series, fathers: pl.Series, female: np.ndarray, mask: np.ndarray
) -> pl.Series:
    """``<name> bin <father>`` / ``<name> binti <father>`` where the father is known."""
    link = pl.Series(np.where(female, " binti ", " bin "))
    with_father = names + link + fathers
    return _where(mask & fathers.is_not_null().to_numpy(), with_father, names)


def _where(mask: np.ndarray, yes: pl.Series, no: pl.Series) -> pl.Series:
    frame = pl.DataFrame({"m": mask, "yes": yes, "no": no})
    return frame.select(
        pl.when(pl.col("m") & pl.col("yes").is_not_null()).then("yes").otherwise("no")
    )[:, 0].alias(no.name)
