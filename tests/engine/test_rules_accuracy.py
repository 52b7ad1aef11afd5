"""Accuracy on the project's generator with injected labelled errors (issue 5 acceptance):
every injected kind found with recall >= 0.99, and fewer than 0.5% of clean records with
an error-severity finding. The same check at 300,000 families is benchmarks/bench_rules.py."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from padu.engine import synth
from padu.engine.rules.engine import check_files
from padu.engine.rules.reference import default_reference
from padu.engine.rules.scoring import score
from padu.engine.synth.errors import ART_ERRORS, KELUARGA_ERRORS


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> synth.SynthResult:
    out = tmp_path_factory.mktemp("synth")
    return synth.generate(kabupaten="33.16", n_keluarga=5_000, seed=11, out_dir=out, errors=True)


def test_every_injected_kind_is_found_and_clean_records_stay_clean(
    generated: synth.SynthResult,
) -> None:
    result = check_files(
        generated.keluarga_path,
        generated.art_path,
        reference=default_reference(synth.REFERENCE_DATE),
    )
    assert generated.labels_path is not None
    labels = pl.read_csv(generated.labels_path, infer_schema=False)
    found = score(result.issues, labels, n_keluarga=result.n_keluarga, n_art=result.n_art)
    assert set(found.recall["error"]) == set(ART_ERRORS + KELUARGA_ERRORS)
    assert found.recall["labelled"].min() >= 10  # every kind really injected
    low = found.recall.filter(pl.col("recall") < 0.99)
    assert low.height == 0, low
    assert found.false_alarm_rate < 0.005
    assert found.clean_records > 20_000


def test_the_unchanged_clean_data_gets_almost_no_error(tmp_path: Path) -> None:
    result = synth.generate(kabupaten="33.16", n_keluarga=2_000, seed=12, out_dir=tmp_path)
    issues = check_files(
        result.keluarga_path, result.art_path, reference=default_reference(synth.REFERENCE_DATE)
    ).issues
    errors = issues.filter(pl.col("severity") == "error")["record_id"].n_unique()
    assert errors / (result.n_keluarga + result.n_art) < 0.005
