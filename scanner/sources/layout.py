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
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from pdaudit.recognizers.base import fold, load_words

if TYPE_CHECKING:
    from pdaudit.scanner.sources.documents import Word

#: A zone line reads at least this many characters (a TD1 line is 30, a TD3 line 44).
MIN_ZONE_LINE = 20
_ZONE_READING = re.compile(r"[A-Z0-9<]+")


def _same_line(a: Word, b: Word) -> bool:
    """Whether two boxes overlap vertically by at least half of the smaller height."""
    overlap = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    return overlap * 2 >= min(a.height, b.height)


def _union(words: Sequence[Word]) -> Word:
    from pdaudit.scanner.sources.documents import Word

    left = min(w.left for w in words)
    top = min(w.top for w in words)
    right = max(w.left + w.width for w in words)
    bottom = max(w.top + w.height for w in words)
    return Word(" ".join(w.text for w in words), left, top, right - left, bottom - top)


def zone_lines(words: Sequence[Word]) -> list[tuple[int, int, Word]]:
    """The lines of a machine-readable zone among ``words``: (first index, last index, box).

    A zone line is a run of consecutive words on one line, one of which holds a ``<`` filler
    (or a guillemet, OCR's reading of two), with at least ``MIN_ZONE_LINE`` characters in all;
    a closing ``»`` or ``>`` makes it a quotation in a line of text (``5 «А» класса``).

    >>> from pdaudit.scanner.sources.documents import Word
    >>> ws = [Word("Фамилия", 0, 0, 80, 20), Word("IDKAZ0123456784880419", 0, 50, 300, 20),
    ...       Word("302718<<<", 310, 52, 120, 20)]
    >>> [(a, b, box.left, box.width) for a, b, box in zone_lines(ws)]
    [(1, 2, 0, 430)]
    >>> zone_lines([Word("РАСПИСАНИЕ", 0, 0, 300, 20), Word("УРОКОВ", 310, 0, 200, 20),
    ...             Word("«А»", 520, 0, 60, 20), Word("КЛАССА", 590, 0, 200, 20)])
    []
    """
    out: list[tuple[int, int, Word]] = []
    index = 0
    while index < len(words):
        last = index
        while last + 1 < len(words) and _same_line(words[last], words[last + 1]):
            last += 1
        line = words[index : last + 1]
        texts = [w.text for w in line]
        if (
            any("<" in t or "«" in t for t in texts)
            and not any("»" in t or ">" in t for t in texts)
            and sum(map(len, texts)) >= MIN_ZONE_LINE
        ):
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


# --- labels and their values ---------------------------------------------------------------

#: The word lists whose entries, alone or joined by "/", make a phrase a label: birth date,
#: document and ИИН words, and the name labels of the PERSON recognizer.
LABEL_LISTS = ("context_date_of_birth", "context_kz_id_document", "context_kz_iin")
_EXTRA_LABELS = (
    "фамилия", "имя", "отчество", "тегі", "аты", "әкесінің аты", "surname", "given names",
    "name", "дата выдачи", "берілген күні", "date of issue", "срок действия",
    "қолданылу мерзімі", "date of expiry", "место рождения", "туған жері", "place of birth",
    "national", "гражданство", "азаматтығы", "nationality", "номер документа",
    "құжат нөмірі", "document no", "passport no", "паспорт №", "№", "номер", "нөмірі",
    "жынысы", "пол", "sex", "ұлты", "национальность",
)  # fmt: skip
#: A value stands at most this many label heights below its label.
BELOW = 3.0
#: Words of one phrase are at most this many heights apart on their line.
WORD_GAP = 1.5


@cache
def _labels() -> frozenset[str]:
    words = set(_EXTRA_LABELS)
    for name in LABEL_LISTS:
        words |= load_words(name)
    for line in load_words("person_labels"):
        # "full фамилия, имя" -> "фамилия, имя" (the first word names the kind of label)
        words.add(line.split(" ", 1)[1] if " " in line else line)
    return frozenset(fold(w) for w in words)


_SPLIT = re.compile(r"\s*/\s*")


def is_label(text: str) -> bool:
    """Whether a phrase is a label alone: its parts split by ``/`` are all label words.

    >>> is_label("Туған күні / Дата рождения"), is_label("ТЕГІ / ФАМИЛИЯ / SURNAME:")
    (True, True)
    >>> is_label("Дата рождения: 14.03.1991"), is_label("АХМЕТОВА")
    (False, False)
    """
    parts = _parts(text)
    labels = _labels()
    return bool(parts) and all(p and p in labels for p in parts)


def _parts(text: str) -> list[str]:
    # "!" is OCR's reading of a capital І ("ТЕГ!" for "ТЕГІ").
    text = fold(text).replace("!", "і").strip(" :")
    return [p.strip(" :.") for p in _SPLIT.split(text)]


def is_labelish(text: str) -> bool:
    """Whether any ``/``-separated part of a phrase is a label word (never a value then).

    >>> is_labelish("/ Surname"), is_labelish("ТЕГ! / ФАМИЛИЯ"), is_labelish("САПАРОВА")
    (True, True, False)
    """
    labels = _labels()
    return any(p in labels for p in _parts(text) if p)


@dataclass(frozen=True)
class Phrase:
    """Consecutive words of one line, close together: indexes into the page's words, a box."""

    first: int
    last: int
    box: Word

    @property
    def text(self) -> str:
        return self.box.text


def phrases(words: Sequence[Word]) -> list[Phrase]:
    """The page's words cut into phrases: a new one where the line changes or a wide gap opens."""
    out: list[Phrase] = []
    start = 0
    for i in range(1, len(words) + 1):
        if i < len(words):
            a, b = words[i - 1], words[i]
            gap = b.left - (a.left + a.width)
            # A slash between bilingual labels may stand further off.
            room = (3 if "/" in (a.text, b.text) else WORD_GAP) * max(a.height, b.height)
            # Boxes may overlap (Tesseract widens a word's box); a word left of the one before
            # starts another column.
            if _same_line(a, b) and b.left > a.left and gap <= room:
                continue
        out.append(Phrase(start, i - 1, _union(words[start:i])))
        start = i
    return out


def pair_labels(words: Sequence[Word]) -> list[tuple[Phrase, Phrase]]:
    """Each label phrase with the value that belongs to it: beside it on its line, else below.

    A value beside stands right of the label on the same line; a value below starts within
    ``BELOW`` label heights under it and overlaps its columns. The nearest phrase is taken (one
    beside before one below), and only if no label word is in it; a phrase is the value of one
    label at most.

    >>> from pdaudit.scanner.sources.documents import Word
    >>> ws = [Word("Туған", 500, 100, 90, 20), Word("күні", 600, 100, 70, 20),
    ...       Word("/", 680, 100, 8, 20), Word("Дата", 700, 100, 70, 20),
    ...       Word("рождения", 780, 100, 140, 20), Word("14.03.1991", 500, 130, 200, 26),
    ...       Word("ИИН", 100, 300, 60, 20), Word("910314412344", 400, 300, 230, 20)]
    >>> [(label.text, value.text) for label, value in pair_labels(ws)]
    [('Туған күні / Дата рождения', '14.03.1991'), ('ИИН', '910314412344')]
    """
    found = phrases(words)
    labelish = {p.first for p in found if is_labelish(p.text)}
    taken: set[int] = set()
    pairs = []
    for label in found:
        if not is_label(label.text):
            continue
        box = label.box
        # The nearest phrase beside or below; a label there means the value is not written.
        best: tuple[float, Phrase] | None = None
        for value in found:
            if value is label:
                continue
            v = value.box
            if _same_line(box, v) and v.left >= box.left + box.width:
                distance = float(v.left - box.left - box.width)
            elif (
                0 <= v.top - (box.top + box.height) <= BELOW * box.height
                and v.left < box.left + box.width
                and box.left < v.left + v.width
            ):
                # Below: ranked after any value on the label's own line.
                distance = 10_000.0 + v.top - box.top
            else:
                continue
            if best is None or distance < best[0]:
                best = (distance, value)
        if best is not None and best[1].first not in labelish and best[1].first not in taken:
            taken.add(best[1].first)
            pairs.append((label, best[1]))
    return pairs


def _locate(text: str, words: Sequence[Word]) -> list[int | None]:
    """Where each word stands in ``text`` (words in reading order; ``None`` if not found)."""
    spots: list[int | None] = []
    pos = 0
    for word in words:
        at = text.find(word.text, pos)
        if at < 0:
            spots.append(None)
            continue
        spots.append(at)
        pos = at + len(word.text)
    return spots


_BANG_I = re.compile(r"(?<=\w)!")


def _as_printed(label: str) -> str:
    """A label as printed: without its colon, OCR's "!" for a Kazakh І put back.

    >>> _as_printed("ТЕГ! / ФАМИЛИЯ:"), _as_printed("Тег! / Фамилия")
    ('ТЕГІ / ФАМИЛИЯ', 'Тегі / Фамилия')
    """
    return _BANG_I.sub(lambda m: "І" if label[m.start() - 1].isupper() else "і", label).rstrip(" :")


def reflow(text: str, words: Sequence[Word]) -> str:
    r"""``text`` with each label's value moved right after the label (``label: value``).

    OCR writes a value under its label, or in another column, where the recognizers look for
    their keyword on the value's own line; here the value is taken from where it was read and
    put after its label, on the label's line. Nothing is added or dropped but the ``: `` after
    a label and the line breaks left empty. A word the OCR text does not hold (re-read since)
    leaves its pair where it was.

    >>> from pdaudit.scanner.sources.documents import Word
    >>> ws = [Word("Дата", 500, 100, 70, 20), Word("рождения", 580, 100, 140, 20),
    ...       Word("14.03.1991", 500, 130, 200, 26)]
    >>> reflow("Дата рождения\n\n14.03.1991\n", ws)
    'Дата рождения: 14.03.1991\n\n\n'
    """
    return reflow_labels(text, words)[0]


def reflow_labels(text: str, words: Sequence[Word]) -> tuple[str, list[tuple[int, int, str]]]:
    r"""``reflow``, and where each paired value stands in the new text with its label as
    printed: ``(start, end, label)`` (a trailing colon left out).

    >>> from pdaudit.scanner.sources.documents import Word
    >>> ws = [Word("ЖСН", 100, 100, 60, 20), Word("/", 170, 100, 8, 20), Word("ИИН", 190, 100, 60, 20),
    ...       Word("930907450126", 500, 100, 230, 20), Word("Дата", 100, 200, 70, 20),
    ...       Word("рождения", 180, 200, 140, 20), Word("07.09.1993", 100, 230, 200, 26)]
    >>> reflow_labels("ЖСН / ИИН 930907450126\nДата рождения\n07.09.1993", ws)
    ('ЖСН / ИИН 930907450126\nДата рождения: 07.09.1993\n', [(10, 22, 'ЖСН / ИИН'), (38, 48, 'Дата рождения')])
    """
    spots = _locate(text, words)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in ``text``
    # Values moved: the edit that inserts them, the offset of the value in that insertion.
    moved: list[tuple[tuple[int, int, str], int, int, str]] = []
    in_place: list[tuple[int, int, str]] = []
    for label, value in pair_labels(words):
        label_end_word = words[label.last]
        ends = spots[label.last]
        first, last = spots[value.first], spots[value.last]
        if ends is None or first is None or last is None:
            continue
        printed = _as_printed(label.text)
        label_end = ends + len(label_end_word.text)
        value_end = last + len(words[value.last].text)
        between = text[label_end:first]
        if first > label_end and not between.strip(" :") and "\n" not in between:
            in_place.append((first, value_end, printed))
            continue  # already on the label's line, after it
        piece = text[first:value_end]
        if "\n" in piece or "\f" in piece:
            continue
        head = "" if text[label_end - 1] == ":" else ":"
        insert = (label_end, label_end, f"{head} {piece}")
        edits.append(insert)
        edits.append((first, value_end, ""))
        moved.append((insert, len(head) + 1, len(piece), printed))
    edits.sort()
    for (_, e1, _), (s2, _, _) in zip(edits, edits[1:], strict=False):
        if s2 < e1:
            # Overlapping moves: the page is not what the pairing assumed.
            return text, sorted(in_place)
    out, pos, length = [], 0, 0
    placed: dict[tuple[int, int, str], int] = {}  # an edit -> where its text starts in out
    shifts: list[tuple[int, int]] = []  # (offset in text, shift from there on)
    for edit in edits:
        start, end, new = edit
        out.append(text[pos:start])
        length += start - pos
        placed[edit] = length
        out.append(new)
        length += len(new)
        pos = end
        shifts.append((end, length - end))
    out.append(text[pos:])

    def shifted(offset: int) -> int:
        delta = 0
        for at, shift in shifts:
            if at <= offset:
                delta = shift
        return offset + delta

    spans = [(shifted(s), shifted(s) + (e - s), lab) for s, e, lab in in_place]
    for edit, offset, size, printed in moved:
        begin = placed[edit] + offset
        spans.append((begin, begin + size, printed))
    return "".join(out), sorted(spans)


__all__ = [
    "accept_zone_line",
    "is_label",
    "is_labelish",
    "pair_labels",
    "phrases",
    "reflow",
    "reflow_labels",
    "zone_lines",
]
