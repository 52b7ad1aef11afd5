"""Proposing a column mapping from a file's headers to DTKS-CSV v1 columns (no Django).

Each target column is matched to a header by exact name, by a listed synonym
(``headers.yaml``) or, less confidently, by string similarity (RapidFuzz). Only exact and
synonym matches are *confident*; a required column without a confident match is reported
with its candidates, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml
from rapidfuzz import fuzz, process

from padu.engine import schema

FUZZY_MIN = 80  # similarity (0-100) to list a header as a candidate


def normalise_header(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper())


@cache
def synonyms(table: schema.TableName) -> dict[str, list[str]]:
    """Normalised synonyms per target column, the column's own name and label included."""
    raw = yaml.safe_load(
        resources.files("padu.engine.intake").joinpath("headers.yaml").read_text("utf-8")
    )
    result: dict[str, list[str]] = {}
    for name, column in schema.columns(table).items():
        words = [name, column.label, *raw.get(table, {}).get(name, [])]
        result[name] = list(dict.fromkeys(normalise_header(w) for w in words if w))
    return result


def is_known_header(text: str) -> bool:
    """Whether a cell looks like a column name of either table (for header-row detection)."""
    key = normalise_header(text)
    return bool(key) and any(
        key in words for table in ("keluarga", "art") for words in synonyms(table).values()
    )


@dataclass
class MappingProposal:
    table: schema.TableName
    mapping: dict[str, str]  # target column -> file header (confident matches)
    candidates: dict[str, list[str]] = field(default_factory=dict)  # unmatched -> headers
    unmapped_headers: list[str] = field(default_factory=list)

    def missing_required(self) -> list[str]:
        return [
            n for n, c in schema.columns(self.table).items() if c.required and n not in self.mapping
        ]

    def problems(self) -> list[str]:
        """Bahasa Indonesia sentences for each required column without a confident match."""
        out = []
        for name in self.missing_required():
            found = self.candidates.get(name, [])
            hint = f" Kandidat: {', '.join(found)}." if found else " Tidak ada kolom yang mirip."
            out.append(
                f"Kolom wajib '{name}' ({schema.columns(self.table)[name].label}) tidak ditemukan "
                f"dengan pasti di berkas.{hint} Tentukan pemetaannya (mis. --map berkas.yaml)."
            )
        return out


def propose_mapping(
    headers: list[str], table: schema.TableName, saved: dict[str, str] | None = None
) -> MappingProposal:
    """Saved mapping first (where its header is present), then exact/synonym matches, then
    fuzzy candidates for what is left."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for target, header in (saved or {}).items():
        if header in headers and target in schema.columns(table):
            mapping[target] = header
            used.add(header)
    by_key = {normalise_header(h): h for h in headers if h}
    for target, words in synonyms(table).items():
        if target in mapping:
            continue
        for word in words:
            found = by_key.get(word)
            if found is not None and found not in used:
                mapping[target] = found
                used.add(found)
                break
    free = [h for h in headers if h and h not in used]
    candidates: dict[str, list[str]] = {}
    for target, words in synonyms(table).items():
        if target in mapping or not free:
            continue
        scored: dict[str, float] = {}
        for word in words:
            for header, score, _ in process.extract(
                word, free, scorer=fuzz.ratio, processor=normalise_header, limit=3
            ):
                if score >= FUZZY_MIN:
                    scored[header] = max(score, scored.get(header, 0.0))
        if scored:
            candidates[target] = sorted(scored, key=lambda h: -scored[h])
    return MappingProposal(table, mapping, candidates, list(free))
