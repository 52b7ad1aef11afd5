"""Synthetic DTKS data for a Jawa Tengah kabupaten/kota (no Django).

``generate_frames`` builds keluarga, art and truth frames in memory; ``generate`` writes
them as DTKS-CSV v1 files (``keluarga.csv``, ``art.csv``, optionally ``truth.csv``, a
SUSENAS-like ``survey.csv``, the same people as seen by several sources for linkage
(``persons.csv`` + ``persons_truth.csv``), and labelled validation errors injected into
keluarga/art (``labels.csv``)). The same seed always gives byte-identical files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from padu.engine.synth.errors import inject_errors
from padu.engine.synth.frames import build_frames, streams
from padu.engine.synth.regions import load_kabupaten, normalise_kabupaten
from padu.engine.synth.sources import make_source_views
from padu.engine.synth.survey import draw_survey
from padu.engine.synth.writer import write_csv

__all__ = ["REFERENCE_DATE", "SynthResult", "generate", "generate_frames", "generate_survey"]

REFERENCE_DATE = date(2026, 1, 1)


@dataclass(frozen=True)
class SynthResult:
    kabupaten: str  # dotted code, "33.16"
    keluarga_path: Path
    art_path: Path
    truth_path: Path | None
    survey_path: Path | None
    n_keluarga: int
    n_art: int
    n_art_hidup: int
    n_survey: int
    sources_path: Path | None = None
    sources_truth_path: Path | None = None
    labels_path: Path | None = None
    n_errors: int = 0

    @property
    def paths(self) -> list[Path]:
        """Every file written, in a stable order."""
        candidates = [
            self.keluarga_path,
            self.art_path,
            self.truth_path,
            self.survey_path,
            self.sources_path,
            self.sources_truth_path,
            self.labels_path,
        ]
        return [p for p in candidates if p is not None]


def _derived_seed(seed: int, purpose: int) -> int:
    """An independent seed per optional output, so adding one never shifts another."""
    return int(np.random.SeedSequence([seed, purpose]).generate_state(1)[0])


def _check(n_keluarga: int, seed: int) -> None:
    if n_keluarga < 1:
        raise ValueError("Jumlah keluarga harus paling sedikit 1.")
    if seed < 0:
        raise ValueError("Seed harus bilangan bulat tidak negatif.")


def generate_frames(
    *, kabupaten: str, n_keluarga: int, seed: int, reference_date: date = REFERENCE_DATE
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(keluarga, art, truth) frames; keluarga and art have the DTKS-CSV v1 columns."""
    _check(n_keluarga, seed)
    kab = load_kabupaten(kabupaten)
    frames = build_frames(kab, n_keluarga, seed, reference_date)
    return frames.keluarga, frames.art, frames.truth


def generate_survey(
    keluarga: pl.DataFrame,
    art: pl.DataFrame,
    truth: pl.DataFrame,
    *,
    n: int,
    kabupaten: str,
    seed: int,
    reference_date: date = REFERENCE_DATE,
) -> pl.DataFrame:
    """A stratified sample of ``n`` families with survey weights (see ``survey.py``)."""
    code = normalise_kabupaten(kabupaten)
    return draw_survey(streams(seed, code)["survey"], keluarga, art, truth, n, code, reference_date)


def step_count(*, truth: bool, survey: int, sources: bool, errors: bool) -> int:
    """How many times :func:`generate` calls ``progress`` with these options."""
    return 2 + int(truth) + int(survey > 0) + int(sources) + int(errors)


def generate(
    *,
    kabupaten: str,
    n_keluarga: int,
    seed: int,
    out_dir: Path,
    truth: bool = False,
    survey: int = 0,
    sources: bool = False,
    errors: bool = False,
    reference_date: date = REFERENCE_DATE,
    progress: Callable[[str], None] | None = None,
) -> SynthResult:
    """Generate and write ``keluarga.csv``, ``art.csv`` and the optional files.

    ``sources``: ``persons.csv`` (linkage input: DTKS, DUKCAPIL, P3KE and BLT_DD records of
    the same people with each source's errors) and ``persons_truth.csv`` (record_id,
    person_id). ``errors``: keluarga.csv and art.csv carry about 3% labelled validation
    errors, listed in ``labels.csv`` (table, record_id, error, field); truth, survey and
    sources are made from the clean data. ``progress`` is called with the name of each
    finished step (:func:`step_count` of them).
    """
    done = progress or (lambda _name: None)
    if survey < 0:
        raise ValueError("Ukuran sampel survei tidak boleh negatif.")
    if survey > n_keluarga:
        raise ValueError(
            f"Sampel survei ({survey}) lebih besar dari jumlah keluarga ({n_keluarga}). "
            "Kecilkan sampel survei atau tambah jumlah keluarga."
        )
    code = normalise_kabupaten(kabupaten)
    keluarga, art, truth_df = generate_frames(
        kabupaten=code, n_keluarga=n_keluarga, seed=seed, reference_date=reference_date
    )
    done("keluarga dan anggota")
    out_dir = Path(out_dir)
    clean_keluarga, clean_art = keluarga, art
    labels_path = None
    n_errors = 0
    if errors:
        keluarga, art, labels = inject_errors(
            keluarga, art, seed=_derived_seed(seed, 2), today=reference_date
        )
        labels_path = write_csv(labels, out_dir / "labels.csv")
        n_errors = labels.height
        done("labels.csv")
    k_path = write_csv(keluarga, out_dir / "keluarga.csv")
    a_path = write_csv(art, out_dir / "art.csv")
    done("keluarga.csv, art.csv")
    sources_path = sources_truth_path = None
    if sources:
        records, record_truth = make_source_views(
            clean_keluarga, clean_art, seed=_derived_seed(seed, 1), today=reference_date
        )
        sources_path = write_csv(records, out_dir / "persons.csv")
        sources_truth_path = write_csv(record_truth, out_dir / "persons_truth.csv")
        done("persons.csv")
    t_path = write_csv(truth_df, out_dir / "truth.csv") if truth else None
    if truth:
        done("truth.csv")
    s_path = None
    n_survey = 0
    if survey:
        sample = generate_survey(
            clean_keluarga,
            clean_art,
            truth_df,
            n=survey,
            kabupaten=code,
            seed=seed,
            reference_date=reference_date,
        )
        s_path = write_csv(sample, out_dir / "survey.csv")
        n_survey = sample.height
        done("survey.csv")
    return SynthResult(
        kabupaten=code,
        keluarga_path=k_path,
        art_path=a_path,
        truth_path=t_path,
        survey_path=s_path,
        n_keluarga=keluarga.height,
        n_art=art.height,
        n_art_hidup=int((art["status_hidup"] == 1).sum()),
        n_survey=n_survey,
        sources_path=sources_path,
        sources_truth_path=sources_truth_path,
        labels_path=labels_path,
        n_errors=n_errors,
    )
