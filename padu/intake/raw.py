"""The values of source rows as read, kept a chunk at a time (``SourceChunk``, decision 0005):
written once per staged chunk as compressed Parquet, read back for a row or for a run."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import polars as pl

from padu.engine.intake.reader import ROW
from padu.intake.models import SourceChunk


def encode_rows(raw: pl.DataFrame) -> bytes:
    """A chunk as read (``_baris`` and the file's columns) as Parquet bytes."""
    buffer = io.BytesIO()
    raw.write_parquet(buffer, compression="zstd", compression_level=1, statistics=False)
    return buffer.getvalue()


def decode_rows(data: bytes | memoryview) -> pl.DataFrame:
    return pl.read_parquet(io.BytesIO(bytes(data)))


def rows_as_dicts(frame: pl.DataFrame) -> dict[int, dict[str, Any]]:
    columns = [c for c in frame.columns if c != ROW]
    return {int(row[ROW]): {c: row[c] for c in columns} for row in frame.iter_rows(named=True)}


def raw_values(run_id: int, row_numbers: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Row number -> {file header: value as read} for the given rows of one run."""
    wanted = sorted(set(row_numbers))
    if not wanted:
        return {}
    chunks = SourceChunk.objects.filter(
        import_run_id=run_id, first_row__lte=wanted[-1], last_row__gte=wanted[0]
    ).order_by("number")
    found: dict[int, dict[str, Any]] = {}
    for data in chunks.values_list("rows", flat=True):
        frame = decode_rows(data).filter(pl.col(ROW).is_in(wanted))
        found.update(rows_as_dicts(frame))
    return found


def chunk_rows(chunk_id: int) -> pl.DataFrame:
    """One chunk's rows as read (``_baris`` and the file's columns)."""
    return decode_rows(SourceChunk.objects.filter(pk=chunk_id).values_list("rows", flat=True).get())
