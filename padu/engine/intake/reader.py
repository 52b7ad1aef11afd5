"""Reading source files of any shape: encoding, delimiter and header-row detection, then
streaming the rows as text chunks with their line numbers (no Django).

Every chunk is a Polars frame of text columns named as in the file's header, plus ``_baris``:
the row's line number in the file (for CSV) or row number in the sheet (for XLSX), as users
see it in a spreadsheet. Nothing is dropped: blank rows come through (all cells empty) and
are counted by the caller.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

ROW = "_baris"
SNIFF_LINES = 40
EXCEL_EXACT = 2**53
EXCEL_DIGITS_LOST = 1e15  # 16 digits and more


class FileReadError(ValueError):
    """A file that cannot be read; the message says why and how to fix it."""


@dataclass(frozen=True)
class FileLayout:
    """What was detected about a file; the mapping page shows it to the user."""

    path: Path
    kind: str  # "csv" or "xlsx"
    encoding: str  # "utf-8", "utf-8-sig", "cp1252" (CSV only)
    delimiter: str
    header_line: int  # 1-based line (CSV) or row (XLSX) of the header
    headers: list[str]
    sheet: str = ""


def _is_xlsx(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def detect_encoding(path: Path) -> str:
    """UTF-8 with BOM, UTF-8, or Windows-1252 (which decodes every byte)."""
    with path.open("rb") as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            for block in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def _head_lines(path: Path, encoding: str) -> list[str]:
    lines: list[str] = []
    with path.open(encoding=encoding, newline="") as handle:
        for line in handle:
            lines.append(line.rstrip("\r\n"))
            if len(lines) >= SNIFF_LINES:
                break
    return lines


def detect_delimiter(lines: list[str]) -> str:
    """The separator that splits the most non-blank lines into the same number of cells."""
    best, best_score = ",", -1
    for candidate in [",", ";", "\t", "|"]:
        widths = [len(next(csv.reader([ln], delimiter=candidate))) for ln in lines if ln.strip()]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = widths.count(common) * (common - 1)
        if common > 1 and score > best_score:
            best, best_score = candidate, score
    return best


def find_header(rows: list[list[str]], is_known: Callable[[str], bool]) -> int:
    """Index of the header row: the first row with the most cells that look like known
    column names (title rows above the table have few cells and none known)."""
    best, best_hits = 0, 0
    for index, row in enumerate(rows):
        hits = sum(1 for cell in row if cell.strip() and is_known(cell))
        if hits > best_hits:
            best, best_hits = index, hits
    if best_hits == 0:
        for index, row in enumerate(rows):
            if sum(1 for cell in row if cell.strip()) >= 2:
                return index
    return best


def inspect_file(path: Path, is_known: Callable[[str], bool]) -> FileLayout:
    if not path.is_file():
        raise FileReadError(f"Berkas {path.name} tidak ditemukan.")
    if path.stat().st_size == 0:
        raise FileReadError(f"Berkas {path.name} kosong.")
    if _is_xlsx(path):
        return _inspect_xlsx(path, is_known)
    encoding = detect_encoding(path)
    lines = _head_lines(path, encoding)
    delimiter = detect_delimiter(lines)
    rows = [next(csv.reader([ln], delimiter=delimiter)) if ln.strip() else [] for ln in lines]
    header_index = find_header(rows, is_known)
    headers = [h.strip().lstrip("\ufeff") for h in rows[header_index]]
    _check_headers(path, headers, header_index + 1)
    return FileLayout(path, "csv", encoding, delimiter, header_index + 1, headers)


def _check_headers(path: Path, headers: list[str], line: int) -> None:
    blank = [i + 1 for i, h in enumerate(headers) if not h]
    seen: set[str] = set()
    double = sorted({h for h in headers if h and (h in seen or seen.add(h))})  # type: ignore[func-returns-value]
    if double:
        raise FileReadError(
            f"{path.name} baris {line}: judul kolom ganda: {', '.join(double)}. "
            "Beri setiap kolom judul yang berbeda."
        )
    if blank and len(blank) == len(headers):
        raise FileReadError(f"{path.name}: baris judul kolom tidak ditemukan.")


def iter_chunks(layout: FileLayout, chunk_rows: int = 100_000) -> Iterator[pl.DataFrame]:
    """The data rows below the header as text chunks with their ``_baris`` numbers."""
    if layout.kind == "xlsx":
        yield from _xlsx_chunks(layout, chunk_rows)
        return
    source: Path | io.BytesIO = layout.path
    if layout.encoding == "cp1252":
        source = _transcoded(layout.path)
    names = [h or f"kolom_{i + 1}" for i, h in enumerate(layout.headers)]
    frame = pl.scan_csv(
        source,
        separator=layout.delimiter,
        has_header=False,
        skip_lines=layout.header_line,
        infer_schema=False,
        new_columns=names,
        truncate_ragged_lines=True,
        encoding="utf8",
        row_index_name=ROW,
        row_index_offset=layout.header_line + 1,
    )
    strip = [pl.col(n).str.strip_chars() for n in names]
    try:
        for chunk in frame.collect_batches(chunk_size=chunk_rows):
            yield chunk.with_columns(strip).with_columns(pl.col(ROW).cast(pl.Int64))
    except pl.exceptions.NoDataError:
        return  # a header and no data rows: nothing to import, not a failure


def _transcoded(path: Path) -> io.BytesIO:
    # Polars reads UTF-8 only; Windows-1252 files (usually small exports) are transcoded.
    return io.BytesIO(path.read_bytes().decode("cp1252").encode("utf-8"))


def _cell_text(value: object) -> str | None:
    """XLSX cells to text: numbers that are whole and exact lose the '.0' Excel gives them;
    dates become ISO dates."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= EXCEL_DIGITS_LOST and int(value) % 10 == 0:
            # Excel keeps 15 significant digits: a 16-digit number ending in 0 may have lost
            # its last digit. Keep it in scientific form so identity checks flag it.
            return f"{value:.15E}"
        if value.is_integer() and abs(value) < EXCEL_EXACT:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _inspect_xlsx(path: Path, is_known: Callable[[str], bool]) -> FileLayout:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # the library raises its own error types
        raise FileReadError(f"{path.name} bukan berkas XLSX yang dapat dibaca: {exc}") from exc
    sheet_name = book.sheet_names[0]
    rows = []
    for row in book.get_sheet_by_name(sheet_name).iter_rows():
        rows.append([_cell_text(v) or "" for v in row])
        if len(rows) >= SNIFF_LINES:
            break
    if not rows:
        raise FileReadError(f"{path.name}: lembar '{sheet_name}' kosong.")
    header_index = find_header(rows, is_known)
    headers = [h.strip() for h in rows[header_index]]
    while headers and not headers[-1]:
        headers.pop()
    _check_headers(path, headers, header_index + 1)
    return FileLayout(path, "xlsx", "", "", header_index + 1, headers, sheet_name)


def _xlsx_chunks(layout: FileLayout, chunk_rows: int) -> Iterator[pl.DataFrame]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(layout.path))
    names = [h or f"kolom_{i + 1}" for i, h in enumerate(layout.headers)]
    width = len(names)
    buffer: list[list[str | None]] = []
    numbers: list[int] = []
    for index, row in enumerate(book.get_sheet_by_name(layout.sheet).iter_rows(), start=1):
        if index <= layout.header_line:
            continue
        cells = [_cell_text(v) for v in row[:width]]
        buffer.append(cells + [None] * (width - len(cells)))
        numbers.append(index)
        if len(buffer) >= chunk_rows:
            yield _frame(names, buffer, numbers)
            buffer, numbers = [], []
    if buffer:
        yield _frame(names, buffer, numbers)


def _frame(names: list[str], rows: list[list[str | None]], numbers: list[int]) -> pl.DataFrame:
    columns = {name: [r[i] for r in rows] for i, name in enumerate(names)}
    return pl.DataFrame(
        {ROW: numbers, **columns}, schema={ROW: pl.Int64, **dict.fromkeys(names, pl.String)}
    )
