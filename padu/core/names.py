"""Name keys for search tolerant of spelling variants (Muhammad/Moch./M., Siti/St., old
spelling such as Djoko/Joko, Soekarno/Sukarno, Jusuf/Yusuf). The variants are data
(``name_variants.yaml``). ``name_key`` works in Python; ``sql_name_key`` builds the same
key (without aliases) as a database expression, for filtering before ranking."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml
from django.db.models import Value
from django.db.models.functions import Lower, Replace


@cache
def _variants() -> dict[str, Any]:
    text = resources.files("padu.core").joinpath("name_variants.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    alias = {form: key for key, forms in data["aliases"].items() for form in forms}
    return {"alias": alias, "old": data["old_spelling"], "doubled": data["doubled"]}


_NON_LETTER = re.compile(r"[^a-z]+")


def spelling_key(word: str) -> str:
    """One word in today's spelling, lower case, doubled letters single: ``Djoko`` -> ``yoko``
    (the old and new ``j`` both become ``y``, so both spellings give one key)."""
    text = _NON_LETTER.sub("", word.lower())
    v = _variants()
    for old, new in v["old"]:
        text = text.replace(old, new)
    for pair in v["doubled"]:
        text = text.replace(pair, pair[0])
    return text


def name_tokens(name: str) -> list[str]:
    """Keys of a name's words; titles and their abbreviations become one alias key."""
    v = _variants()
    words = [w for w in _NON_LETTER.split(name.lower()) if w]
    return [v["alias"].get(w, spelling_key(w)) for w in words]


def alias_keys() -> set[str]:
    return set(_variants()["alias"].values())


def name_key(name: str) -> str:
    return " ".join(name_tokens(name))


def sql_name_key(field: str) -> Any:
    """The database expression of ``spelling_key`` applied to a whole name column (letters
    other than a-z and spaces stay; aliases are not applied: ranking does that)."""
    v = _variants()
    expr: Any = Lower(field)
    for old, new in v["old"]:
        expr = Replace(expr, Value(old), Value(new))
    for pair in v["doubled"]:
        expr = Replace(expr, Value(pair), Value(pair[0]))
    return expr
