"""Checksums shared by several identifiers, and the digit-run scanning their recognizers share.

* ``mod11_two_pass`` — the check digit of the Kazakh ИИН/ЖСН and БИН (weights 1..11, then
  3..11,1,2 when the first pass gives 10).
* ``luhn_is_valid`` — the Luhn (mod 10) check of payment card numbers (``stdnum.luhn``).
* ``mod97_is_valid`` — the ISO 7064 mod 97-10 check of IBANs (``stdnum.iso7064.mod_97_10``).

>>> mod11_two_pass('90010130012')
6
>>> luhn_is_valid('4111111111111111'), luhn_is_valid('4111111111111112')
(True, False)
>>> mod97_is_valid('KZ86125KZT5004100100')
True

``digit_runs`` finds numbers that stand on their own in text and ``context_evidence`` names the
context word (in the text or in the field name) that backs a finding.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache

from stdnum import luhn
from stdnum.iso7064 import mod_97_10

from recognizers.base import find_context

_FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def mod11_two_pass(digits: str) -> int | None:
    """The check digit over the first 11 digits of an ИИН/БИН, or ``None`` if none exists.

    A number whose second pass also gives 10 is never issued.

    >>> mod11_two_pass('90010130080') is None
    True
    >>> mod11_two_pass('abc') is None
    True
    """
    if not isinstance(digits, str) or len(digits) < 11 or not digits[:11].isascii():
        return None
    if not digits[:11].isdigit():
        return None
    values = [int(d) for d in digits[:11]]
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        check = sum(w * v for w, v in zip(weights, values, strict=True)) % 11
        if check != 10:
            return check
    return None


def luhn_is_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check."""
    return isinstance(digits, str) and digits.isascii() and luhn.is_valid(digits)


def mod97_is_valid(iban: str) -> bool:
    """Whether a compact IBAN passes the mod 97-10 check (country and check digits moved last)."""
    if not isinstance(iban, str) or len(iban) < 5 or not iban.isascii() or not iban.isalnum():
        return False
    return mod_97_10.is_valid(iban[4:] + iban[:4])


@dataclass(frozen=True)
class DigitRun:
    """A number found in text: its span and its digits without separators."""

    start: int
    end: int
    digits: str

    @property
    def grouped(self) -> bool:
        """Whether the number was written with separators between digit groups."""
        return self.end - self.start != len(self.digits)


# Groups of ASCII digits joined by one space, non-breaking space or hyphen.
_RUN = re.compile(r"[0-9]+(?:[ \u00a0\-][0-9]+)*")
# Characters that glue a number to a longer token: "ORD-123", "№123", "A/123", "12*", "x@1".
_GLUE = frozenset("_/#№+*@\\•")
_SOFT_GLUE = frozenset("-.,")


def is_glued(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is part of a longer token (order number, masked value, file).

    >>> is_glued("ORD-900101300123", 4, 16), is_glued("ИИН: 900101300123.", 5, 17)
    (True, False)
    """
    if start > 0:
        before = text[start - 1]
        if before.isalnum() or before in _GLUE:
            return True
        if (
            before in _SOFT_GLUE
            and start > 1
            and (text[start - 2].isalnum() or text[start - 2] in _GLUE)
        ):
            return True
    if end < len(text):
        after = text[end]
        if after.isalnum() or after in _GLUE:
            return True
        if after in _SOFT_GLUE and end + 1 < len(text):
            nxt = text[end + 1]
            if nxt.isalnum() or nxt in _GLUE:
                return True
    return False


def digit_runs(text: str, lengths: Collection[int]) -> Iterator[DigitRun]:
    """Numbers of one of ``lengths`` digits, plain or grouped, that stand on their own in ``text``.

    A number is either one unbroken group ("900101300123") or a whole run of groups joined by
    single separators ("900 101 300 123"); a group taken out of a longer grouped run is still
    a candidate only if it has no separator of its own, so digits never come out of the middle
    of a longer number.

    >>> [(r.start, r.end, r.digits) for r in digit_runs("ИИН 900 101 300 123", {12})]
    [(4, 19, '900101300123')]
    >>> list(digit_runs("ORD-900101300123 12345678901234", {12}))
    []
    """
    if not isinstance(text, str):
        return
    for begin, finish, run, digits in _number_runs(text):
        if len(digits) in lengths and not is_glued(text, begin, finish):
            yield DigitRun(begin, finish, digits)
            continue
        if len(digits) == len(run):
            continue
        # A long grouped run may hold separate numbers side by side ("ИНН 7707083893 870112...").
        for group in re.finditer(r"[0-9]+", run):
            start, end = begin + group.start(), begin + group.end()
            if len(group.group()) in lengths and not _glued_outside(text, start, end):
                yield DigitRun(start, end, group.group())


# Several recognizers look for numbers in the same texts, one after the other over a batch.
@lru_cache(maxsize=4096)
def _number_runs(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """Every run of digit groups in ``text``: start, end, the run, its digits."""
    return tuple(
        (
            m.start(),
            m.end(),
            m.group(),
            m.group().replace(" ", "").replace("\u00a0", "").replace("-", ""),
        )
        for m in _RUN.finditer(text)
    )


def _glued_outside(text: str, start: int, end: int) -> bool:
    """Like ``is_glued`` but a hyphen or space to a neighbouring digit group does not glue."""
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in _GLUE):
        return True
    if start > 0 and text[start - 1] == "-":
        return True
    if end < len(text) and (text[end].isalnum() or text[end] in _GLUE):
        return True
    return end < len(text) and text[end] == "-"


def context_evidence(
    text: str, start: int, end: int, words: Collection[str], field: Collection[str] | None
) -> str | None:
    """``"context: <word>"`` for a context word near the span, ``"field name: <word>"`` for one in
    the field name tokens, else ``None``.

    >>> context_evidence("ИИН 900101300126", 4, 16, ["иин"], None)
    'context: иин'
    >>> context_evidence("900101300126", 0, 12, ["iin"], ["client", "iin"])
    'field name: iin'
    """
    # Longest word first: the most specific one names the evidence, the same on every run
    # (a frozenset's order changes with the hash seed).
    words = sorted(words, key=lambda w: (-len(w), w))
    word = find_context(text, start, end, words)
    if word:
        return f"context: {word}"
    if field:
        word = find_context("", 0, 0, words, extra=field)
        if word:
            return f"field name: {word}"
    return None
