"""Copy the Jawa Tengah boundaries (../shared/data/batas, MIT) into padu/dashboard/batas/:
kabupaten and kecamatan whole, desa sliced per kabupaten, all gzipped, so a map page reads
only the slice it draws. Run: python scripts/slice_batas.py [SOURCE_DIR]."""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "padu" / "dashboard" / "batas"


def _write(path: Path, features: list[dict]) -> None:
    data = {"type": "FeatureCollection", "features": features}
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    with gzip.GzipFile(path, "wb", mtime=0) as handle:  # mtime 0: the same bytes every run
        handle.write(text.encode("utf-8"))


def main(source: Path) -> None:
    (OUT / "desa").mkdir(parents=True, exist_ok=True)
    for level in ("kabupaten", "kecamatan"):
        features = json.loads((source / f"{level}.geojson").read_text("utf-8"))["features"]
        _write(OUT / f"{level}.geojson.gz", features)
    per_kab: dict[str, list[dict]] = defaultdict(list)
    for feature in json.loads((source / "desa.geojson").read_text("utf-8"))["features"]:
        per_kab[feature["properties"]["kode"][:5]].append(feature)
    for kab, features in sorted(per_kab.items()):
        _write(OUT / "desa" / f"{kab}.geojson.gz", features)
    shutil.copy(source / "LICENSE", OUT / "LICENSE")
    print(f"{len(per_kab)} potongan desa ditulis ke {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "batas")
