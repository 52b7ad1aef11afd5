"""Large loads: secondary indexes (and, on PostgreSQL, foreign keys) rebuilt once, not kept
row by row (decision 0007).

Inside the loading transaction, :func:`indexes_rebuilt_after` drops a table's secondary
indexes, unique constraints and foreign keys, and when the block ends recreates each from
its saved definition: one sort per index and one join per foreign key, instead of an index
insertion and a trigger for every row. DDL is transactional, so a failure or a kill rolls
the drops back with the rows (SQLite's DDL is transactional too). The price on PostgreSQL:
from the first drop to the commit, the table is locked against readers too (ACCESS
EXCLUSIVE), so callers use it only when a load is as large as the table it goes into (the
first load of a region, typically). SQLite's readers keep reading the last commit (WAL).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class _Saved:
    table: str
    name: str
    definition: str
    kind: str  # "index", "unique" or "foreign"

    def drop_sql(self) -> str:
        q = connection.ops.quote_name
        if self.kind == "index":
            return f"DROP INDEX {q(self.name)}"
        return f"ALTER TABLE {q(self.table)} DROP CONSTRAINT {q(self.name)}"

    def create_sql(self) -> str:
        q = connection.ops.quote_name
        if self.kind == "index":
            return self.definition
        return f"ALTER TABLE {q(self.table)} ADD CONSTRAINT {q(self.name)} {self.definition}"


def holds_at_most(table: str, rows: int) -> bool:
    """Does ``table`` hold no more than ``rows`` rows? (Reads at most ``rows + 1``.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {connection.ops.quote_name(table)} "
            "LIMIT %s) AS head",
            [rows + 1],
        )
        return int(cursor.fetchone()[0]) <= rows


def _sqlite_indexes(table: str, keep_columns: Sequence[str]) -> list[_Saved]:
    """SQLite: the table's indexes created by a statement of their own (those of constraints
    written into the table, and foreign keys, stay: SQLite cannot drop them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL ORDER BY name",
            [table],
        )
        found = cursor.fetchall()
        saved = []
        for name, definition in found:
            cursor.execute(f"PRAGMA index_info({connection.ops.quote_name(name)})")
            columns = {row[2] for row in cursor.fetchall()}
            if not columns & set(keep_columns):
                saved.append(_Saved(table, name, definition, "index"))
    return saved


def _secondary(table: str, keep_columns: Sequence[str]) -> list[_Saved]:
    """The table's foreign keys, unique constraints and indexes other than the primary key,
    except indexes on ``keep_columns`` (wanted by queries during the load)."""
    if connection.vendor != "postgresql":
        return _sqlite_indexes(table, keep_columns)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname",
            [table],
        )
        constraints = [
            _Saved(table, name, definition, "foreign" if kind == "f" else "unique")
            for name, definition, kind in cursor.fetchall()
        ]
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid), "
            "ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = i.indrelid "
            "      AND a.attnum = ANY(i.indkey)) "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
            "ORDER BY c.relname",
            [table],
        )
        indexes = [
            _Saved(table, name, definition, "index")
            for name, definition, columns in cursor.fetchall()
            if not set(columns) & set(keep_columns)
        ]
    return constraints + indexes


@contextmanager
def indexes_rebuilt_after(
    tables: Sequence[str], *, keep_columns: Sequence[str] = ()
) -> Iterator[list[str]]:
    """Within the caller's transaction: the tables' secondary indexes and constraints
    (on SQLite, the indexes it can drop) are dropped, and rebuilt when the block ends without
    an error (with an error, the transaction's rollback restores them). Yields the names
    dropped."""
    if not tables:
        yield []
        return
    saved = [item for table in tables for item in _secondary(table, keep_columns)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for item in saved:
            cursor.execute(item.drop_sql())
    yield [item.name for item in saved]
    order = {"index": 0, "unique": 1, "foreign": 2}
    with connection.cursor() as cursor:
        for item in sorted(saved, key=lambda s: order[s.kind]):
            cursor.execute(item.create_sql())
