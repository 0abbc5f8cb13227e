"""A column's distinct texts over many batches, with their reading order: a full scan analyses
and counts a column whose values repeat once per distinct text, not once per value.

A batch of 8,000 rows barely shows that a column repeats: the 1M-user benchmark's ``fio``
batches are 74% distinct, the whole column 3%. ``Windows`` gathers the plain texts of such a
column batch after batch (``take``): each distinct text once, in the order it first appears,
and for every value the index of its text (``Window.add``). A window is handed over
(``ready``) as ``Pending`` texts with their counts and order, which ``Scanner.apply`` counts
with ``FieldStats.add_counts``: the same totals as counting its values one by one in reading
order. A column whose values are nearly all distinct (ids, phones, e-mails) is refused after
its first batch, one still mostly distinct after ``PROBE_ROWS`` values after those; both go
on batch by batch, as does a batch that repeats within itself (``scan.repeated_texts``). What
a window holds is bounded: ``MAX_DISTINCT`` texts, ``MAX_CHARS`` characters, ``MAX_ROWS``
values, and all of a container's windows ``MAX_HELD`` values together.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import filterfalse
from typing import Any

import numpy as np

#: A window refuses its field after the first batch when more than this share of it is distinct.
FIRST_SHARE = 0.95
#: ... and once it holds this many values, when more than ``SHARE`` of them are distinct.
PROBE_ROWS = 65_536
SHARE = 0.5
#: A window is handed over once it holds this many distinct texts, this many characters in
#: them (long texts: what the window keeps alive) or this many values.
MAX_DISTINCT = 65_536
MAX_CHARS = 1 << 24
MAX_ROWS = 1 << 20
#: All open windows of a container are handed over once together they hold this many values
#: (a wide table of repeating columns: their orders' memory, 8 bytes a value).
MAX_HELD = 1 << 22


class Window:
    """One field's distinct texts (in order of first appearance) and the reading order."""

    __slots__ = ("index", "orders", "rows", "chars")

    def __init__(self) -> None:
        #: distinct text -> its number, in order of first appearance
        self.index: dict[str, int] = {}
        #: per batch taken, each value's number (NumPy arrays)
        self.orders: list[Any] = []
        self.rows = 0
        #: how many characters the distinct texts hold
        self.chars = 0

    def add(self, texts: Sequence[str]) -> None:
        """Take a batch's texts, in reading order."""
        index = self.index
        # The texts not numbered yet, each once, in order: looked for in C.
        new = dict.fromkeys(filterfalse(index.__contains__, texts))
        index.update(zip(new, range(len(index), len(index) + len(new)), strict=True))
        self.chars += sum(map(len, new))
        self.orders.append(np.fromiter(map(index.__getitem__, texts), np.int64, len(texts)))
        self.rows += len(texts)

    def counted(self) -> tuple[list[str], list[int], Any]:
        """``(distinct, counts, order)`` as ``scan.counted_texts`` gives a column."""
        order = self.orders[0] if len(self.orders) == 1 else np.concatenate(self.orders)
        texts = list(self.index)
        return texts, np.bincount(order, minlength=len(texts)).tolist(), order


class Windows:
    """The open windows of one container's fields, and the fields they refused."""

    def __init__(self) -> None:
        self.open: dict[str, Window] = {}
        self.full: set[str] = set()
        self.refused: set[str] = set()
        #: how many values the open windows hold together
        self.held = 0

    def take(self, field: str, texts: Sequence[str]) -> bool:
        """Whether ``field``'s window took this batch's ``texts`` (its plain texts, in reading
        order); if not, the batch goes on as before. A window that is full, or that refuses
        its field with this batch, holds the batch and is handed over by ``ready``."""
        if field in self.refused:
            return False
        window = self.open.get(field)
        first = window is None
        if window is None:
            window = self.open[field] = Window()
        window.add(texts)
        self.held += len(texts)
        distinct, rows = len(window.index), window.rows
        if (first and distinct > FIRST_SHARE * rows) or (
            rows >= PROBE_ROWS and distinct > SHARE * rows
        ):
            self.refused.add(field)
            self.full.add(field)
        elif distinct >= MAX_DISTINCT or window.chars >= MAX_CHARS or rows >= MAX_ROWS:
            self.full.add(field)
        if self.held >= MAX_HELD:
            self.full.update(self.open)
        return True

    def ready(self, before: Collection[str] = (), every: bool = False) -> dict[str, Any]:
        """The windows to count now, as ``{field: (distinct, counts, order)}`` in the order
        their fields opened them: the full ones, those of the fields in ``before`` (a batch's
        texts counted the usual way, which come after the window's), or ``every`` one."""
        out = {}
        for name in [f for f in self.open if every or f in self.full or f in before]:
            window = self.open.pop(name)
            self.held -= window.rows
            out[name] = window.counted()
            self.full.discard(name)
        return out
