"""Reading a scanned page by where its words stand: zone lines, labels and their values.

Tesseract's TSV gives every word a box. On identity documents the reading order of the plain
text is not the order a person reads: a value stands under its label or in a column beside it,
the labels are bilingual (``Туған күні / Дата рождения``), and the machine-readable zone is three
or two lines of Latin capitals and ``<`` fillers that the ``rus+kaz+eng`` model reads as Cyrillic
look-alikes. This module finds those places from the word boxes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scanner.sources.documents import Word

#: A zone line reads at least this many characters (a TD1 line is 30, a TD3 line 44).
MIN_ZONE_LINE = 20
_ZONE_READING = re.compile(r"[A-Z0-9<]+")


def _same_line(a: Word, b: Word) -> bool:
    """Whether two boxes overlap vertically by at least half of the smaller height."""
    overlap = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    return overlap * 2 >= min(a.height, b.height)


def _union(words: Sequence[Word]) -> Word:
    from scanner.sources.documents import Word

    left = min(w.left for w in words)
    top = min(w.top for w in words)
    right = max(w.left + w.width for w in words)
    bottom = max(w.top + w.height for w in words)
    return Word(" ".join(w.text for w in words), left, top, right - left, bottom - top)


def zone_lines(words: Sequence[Word]) -> list[tuple[int, int, Word]]:
    """The lines of a machine-readable zone among ``words``: (first index, last index, box).

    A zone line is a run of consecutive words on one line, one of which holds a ``<`` filler
    (or a guillemet, OCR's reading of two), with at least ``MIN_ZONE_LINE`` characters in all.

    >>> from scanner.sources.documents import Word
    >>> ws = [Word("Фамилия", 0, 0, 80, 20), Word("IDKAZ0123456784880419", 0, 50, 300, 20),
    ...       Word("302718<<<", 310, 52, 120, 20)]
    >>> [(a, b, box.left, box.width) for a, b, box in zone_lines(ws)]
    [(1, 2, 0, 430)]
    """
    out: list[tuple[int, int, Word]] = []
    index = 0
    while index < len(words):
        last = index
        while last + 1 < len(words) and _same_line(words[last], words[last + 1]):
            last += 1
        line = words[index : last + 1]
        texts = [w.text for w in line]
        if any("<" in t or "«" in t for t in texts) and sum(map(len, texts)) >= MIN_ZONE_LINE:
            out.append((index, last, _union(line)))
        index = last + 1
    return out


def accept_zone_line(old: str, new: str) -> str | None:
    """The second reading of a zone line to use instead of ``old``, or ``None`` to keep it.

    The reading must be of the zone's alphabet (capitals, digits, ``<``) and about as long as
    the first reading without its spaces, fillers at the end of the line left out.

    >>> accept_zone_line("Р<КА7КОУДАІ ЕУА<<МАВҺІМА<<<", "P<KAZKOVALEVA<<MARINA<<<<<<")
    'P<KAZKOVALEVA<<MARINA<<<<<<'
    >>> accept_zone_line("IDKAZ0123456784<<<", "IDKAZ") is None
    True
    """
    new = new.replace(" ", "")
    if not _ZONE_READING.fullmatch(new):
        return None
    # Fillers closing a line are often counted differently: the rest must be about as long.
    before = len(old.replace(" ", "").replace("«", "<<").rstrip("<"))
    if abs(len(new.rstrip("<")) - before) > max(4, before // 5):
        return None
    return new


__all__ = ["accept_zone_line", "zone_lines"]
