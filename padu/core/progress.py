"""Progress bars for long commands: one bar advanced step by step (tqdm).

Engine functions stay pure: they take an optional ``progress`` callable that is called with
the name of each finished step; :func:`steps` gives commands such a callable backed by a
tqdm bar on the terminal (silent when the output is not a terminal, as in tests and CI).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm

Progress = Callable[[str], None]


@contextmanager
def steps(total: int, description: str) -> Iterator[Progress]:
    """A bar of ``total`` steps; each call of the yielded function advances it by one."""
    bar = tqdm(total=total, desc=description, unit=" langkah", disable=None, leave=False)

    def advance(name: str) -> None:
        bar.set_postfix_str(name, refresh=False)
        bar.update(1)

    try:
        yield advance
    finally:
        bar.close()
