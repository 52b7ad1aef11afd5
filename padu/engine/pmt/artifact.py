"""Immutable PMT model artifacts: a folder with ``manifest.json`` and ``model.json``.

The content hash covers everything that decides a score (model parameters, feature schema,
settings, cross-validation results, training-data fingerprint) and nothing that does not
(the creation time), so fitting twice with the same data and seed gives the same hash. The
version is ``pmt-`` + the first 12 hex digits of the hash. Files are written read-only and
never overwritten; loading re-checks the hash.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from padu.engine.pmt import features, models
from padu.engine.pmt.fit import Fitted

FORMAT = "padu-pmt/1"
UNHASHED = ("hash", "versi", "dibuat")


class ArtifactError(ValueError):
    """A model folder that is missing, damaged or would be overwritten."""


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _clean(value: Any) -> Any:
    """JSON-able copy with floats rounded to 12 significant digits."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(f"{float(value):.12g}")
    if isinstance(value, np.integer):
        return int(value)
    return value


def content_hash(manifest: dict[str, Any], model_bytes: bytes) -> str:
    body = {k: v for k, v in manifest.items() if k not in UNHASHED}
    return hashlib.sha256(_canonical(body) + b"\n" + model_bytes).hexdigest()


def save(fitted: Fitted, out_dir: Path, *, created: datetime | None = None) -> dict[str, Any]:
    """Write the artifact; returns its manifest. Refuses to overwrite another artifact."""
    model_bytes = _canonical(_clean(fitted.model.payload()))
    manifest: dict[str, Any] = _clean(
        {
            "format": FORMAT,
            "model": fitted.chosen,
            "jenis": fitted.model.kind,
            "skema_fitur": fitted.schema,
            "sidik_data_latih": fitted.fingerprint,
            "jumlah_survei": fitted.n_survey,
            "pengaturan": fitted.settings,
            "cv": fitted.cv,
            "garis_kemiskinan": fitted.settings["garis_kemiskinan"],
            "catatan": fitted.notes,
        }
    )
    digest = content_hash(manifest, model_bytes)
    manifest["hash"] = digest
    manifest["versi"] = f"pmt-{digest[:12]}"
    manifest["dibuat"] = (created or datetime.now(UTC)).isoformat(timespec="seconds")
    if out_dir.exists() and any(out_dir.iterdir()):
        existing = out_dir / "manifest.json"
        if existing.is_file() and json.loads(existing.read_text("utf-8")).get("hash") == digest:
            return load_manifest(out_dir)
        raise ArtifactError(
            f"Folder {out_dir} sudah berisi berkas lain. Artefak model tidak boleh ditimpa: "
            "pilih folder baru untuk --out."
        )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pmt-", dir=out_dir.parent))
    (staging / "model.json").write_bytes(model_bytes)
    (staging / "manifest.json").write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True), "utf-8"
    )
    for path in staging.iterdir():
        path.chmod(0o444)
    if out_dir.exists():
        out_dir.rmdir()
    staging.replace(out_dir)
    return manifest


def load_manifest(model_dir: Path) -> dict[str, Any]:
    path = model_dir / "manifest.json"
    if not path.is_file():
        raise ArtifactError(
            f"{model_dir} bukan folder model PMT (manifest.json tidak ada). "
            "Buat dengan `padu pmt fit survey.csv --out FOLDER`."
        )
    manifest: dict[str, Any] = json.loads(path.read_text("utf-8"))
    if manifest.get("format") != FORMAT:
        raise ArtifactError(f"{model_dir}: format artefak {manifest.get('format')} tidak dikenal.")
    return manifest


@dataclass
class Artifact:
    manifest: dict[str, Any]
    model: models.Model

    @property
    def version(self) -> str:
        return str(self.manifest["versi"])

    def design(self, frame: pl.DataFrame, where: str = "data") -> features.Design:
        d = features.design(frame, where)
        features.check_schema(self.manifest["skema_fitur"], d.names)
        return d

    def predict(self, frame: pl.DataFrame, where: str = "data") -> np.ndarray:
        return self.model.predict(self.design(frame, where))


def load(model_dir: Path) -> Artifact:
    manifest = load_manifest(model_dir)
    model_bytes = (model_dir / "model.json").read_bytes()
    if content_hash(manifest, model_bytes) != manifest.get("hash"):
        raise ArtifactError(
            f"{model_dir}: isi artefak tidak cocok dengan hash di manifest (berkas diubah atau "
            "rusak). Latih ulang atau salin ulang folder model."
        )
    return Artifact(manifest, models.from_payload(json.loads(model_bytes)))


def remove_staging(parent: Path) -> None:
    """Delete staging folders left by an interrupted save."""
    for path in parent.glob(".pmt-*"):
        shutil.rmtree(path, ignore_errors=True)
