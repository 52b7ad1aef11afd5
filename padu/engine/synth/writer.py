"""Write the generator's frames as DTKS-CSV v1 files (UTF-8, comma, header, blank = missing)."""

from __future__ import annotations

from pathlib import Path

import polars as pl


def write_csv(df: pl.DataFrame, path: Path) -> Path:
    """Dates as YYYY-MM-DD, nulls as empty cells, identity numbers as plain digit strings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.write_csv(path, separator=",", include_header=True, null_value="", date_format="%Y-%m-%d")
    return path
