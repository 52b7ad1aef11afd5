"""Staging beside promotion (PostgreSQL): a second thread, with its own connection, stages
the file chunk by chunk (committing each, as always) while the promotion transaction takes
each chunk as soon as it is committed. The database server then works on two connections,
one per core, instead of first the one and then the other.

The promotion is still one transaction and staging still resumable: if staging fails, the
promotion fails with its error and rolls back; if the promotion fails, staging stops after
the chunk it is writing. SQLite has one writer at a time, so it stages, then promotes.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import connection

from padu.intake.models import ImportRun
from padu.intake.promote import FailHook, promote_run
from padu.intake.staging import Progress, chunk_path, stage_run

# Staging never needs a lock the promotion holds; if it ever waited for one, the two would
# wait for each other. The wait ends in an error instead, and the promotion fails with it.
STAGING_LOCK_TIMEOUT = "60s"
_DONE = None


class _Stopped(Exception):
    """The promotion ended first: staging stops after the chunk it was writing."""


class _Stager(threading.Thread):
    """Stages one run in its own thread and database connection, announcing each chunk."""

    def __init__(self, run_id: int, progress: Progress | None) -> None:
        super().__init__(name=f"padu-stage-{run_id}", daemon=True)
        self.run_id = run_id
        self.progress = progress
        self.ready: queue.Queue[int | BaseException | None] = queue.Queue()
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = '{STAGING_LOCK_TIMEOUT}'")
            run = ImportRun.objects.get(pk=self.run_id)

            def staged(done: int) -> None:
                self.ready.put(run.chunks - 1)  # the chunk just committed
                if self.progress:
                    self.progress(done)
                if self.stop.is_set():
                    raise _Stopped

            stage_run(run, progress=staged)
            self.ready.put(_DONE)
        except BaseException as exc:  # handed to the promotion, which raises it
            self.ready.put(exc)
        finally:
            connection.close()

    def next_chunk(self) -> int | None:
        item = self.ready.get()
        if isinstance(item, BaseException):
            raise item
        return item


def _chunks(
    run: ImportRun, staged_before: int, first: int | None, stager: _Stager
) -> Iterator[Path]:
    for index in range(staged_before):  # staged by an earlier, stopped execution
        yield chunk_path(run, index)
    index_or_done = first
    while index_or_done is not _DONE:
        yield chunk_path(run, index_or_done)
        index_or_done = stager.next_chunk()


def stage_and_promote(
    run: ImportRun, *, actor: Any, progress: Progress | None, fail_hook: FailHook | None
) -> None:
    """Stage what is left of the run beside its promotion (see the module's docstring)."""
    staged_before = run.chunks
    expected = int(run.counts.get("sah", 0)) + max(run.rows_total - run.rows_done, 0)
    stager = _Stager(run.pk, progress)
    stager.start()
    try:
        # The promotion locks register tables; it starts once staging has read what it reads
        # from them (before its first chunk is committed).
        first = stager.next_chunk()
        promote_run(
            run,
            actor=actor,
            fail_hook=fail_hook,
            chunks=_chunks(run, staged_before, first, stager),
            expected_rows=expected,
        )
    finally:
        stager.stop.set()
        stager.join()
