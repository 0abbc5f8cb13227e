"""Kazakhstan identity documents: ЖК (жеке куәлік, удостоверение личности) and төлқұжат (passport).

An identity card number is 9 digits (``012345678``, on scans often ``012 345 678``); a passport
number is the letter N and 8 digits (``N12345678``), older passports a letter and 7 digits. Neither
carries a checksum, so the recognizer reports a number only where the label nearest before it names
the document ("паспорт N…, номер заказа 043812766": the order label speaks for the second number),
or where the field name does.

>>> validate("№ 012 345 678")
'012345678'
>>> validate("н12345678")
'N12345678'
>>> validate("12345678")
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidLength: The number has an invalid length.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength

from pdaudit.recognizers.base import (
    WORDISH,
    ContextRecognizer,
    Search,
    find_context,
    fold,
    longest_first,
    nearest_before,
)

ENTITY = "KZ_ID_DOCUMENT"

ID_CARD = re.compile(r"\d{9}")
PASSPORT = re.compile(r"N\d{8}")
OLD_PASSPORT = re.compile(r"[A-Z]\d{7}")
# Cyrillic Н is typed for Latin N as often as not. Groups of three ("043 812 765") must not be a
# piece of a longer grouped run (an IIN "900 101 300 126", a phone "8 701 123 456 78").
CANDIDATE = re.compile(
    r"(?<!\w)(?:\d{9}|[NnНн] ?\d{8}|[A-Z]\d{7})(?!\w)"
    r"|(?<![\w\-])(?<!\d[ \u00a0\-])\d{3}(?P<sep>[ \u00a0\-])\d{3}(?P=sep)\d{3}(?![\w\-])"
    r"(?![ \u00a0\-]\d)"
)

# Every CANDIDATE match opens just before a run of exactly 3, 7, 8 or 9 digits: nine digits
# alone (at the run), eight after N and maybe a space (one or two characters before it), seven
# after a capital (one before), or the first group of three (at the run). The pattern is tried
# only there, so the prose between the numbers is skipped at the speed of a digit search.
_RUN = re.compile(r"\d\d\d+")
_OPENS_BEFORE_RUN = {3: (0,), 7: (1,), 8: (1, 2), 9: (0,)}


def _searched(text: str) -> bool:
    """Whether ``CANDIDATE`` matches in ``text``, tried before each run of digits it needs.

    >>> _searched("ИИН 900101300126, заказ 43617"), _searched("паспорт N 12345678")
    (False, True)
    """
    match = CANDIDATE.match
    for run in _RUN.finditer(text):
        start = run.start()
        for back in _OPENS_BEFORE_RUN.get(run.end() - start, ()):
            if back <= start and match(text, start - back) is not None:
                return True
    return False


# ``CANDIDATE`` for the regex crate: ``(?<!\w)`` as the text's start or a character of no word
# (``WORDISH``), ``(?<!\d[ \u00a0\-])`` as no ASCII digit before the separator, the two
# separators of a grouped number as any two. No ИИН (twelve digits) nor phone is selected.
_NOT_WORD = f"[^{WORDISH}]"
_SEARCH = (
    rf"(?:^|{_NOT_WORD})(?:\d{{9}}|[NnНн] ?\d{{8}}|[A-Z]\d{{7}})(?:$|{_NOT_WORD})"
    rf"|(?:^|[^{WORDISH} \u00a0\-]|(?:^|[^0-9])[ \u00a0])"
    r"\d{3}[ \u00a0\-]\d{3}[ \u00a0\-]\d{3}"
    rf"(?:$|[^{WORDISH} \u00a0\-]|[ \u00a0](?:$|[^0-9]))"
)

BEFORE = 60
AFTER = 20


def compact(number: str) -> str:
    """Drop spaces, dashes and the № sign; upper-case; Cyrillic Н becomes Latin N.

    >>> compact(" № н-1234 5678 ")
    'N12345678'
    """
    number = re.sub(r"[\s\-№]", "", str(number)).upper()
    return "N" + number[1:] if number.startswith("Н") else number


def kind(number: str) -> str:
    """``"id_card"``, ``"passport"`` or ``"old_passport"``: which document a valid number is.

    >>> kind("N12345678")
    'passport'
    """
    number = validate(number)
    if ID_CARD.fullmatch(number):
        return "id_card"
    return "passport" if PASSPORT.fullmatch(number) else "old_passport"


def validate(number: str) -> str:
    """Return the compact number or raise an ``stdnum.exceptions`` error.

    >>> validate("000000000")
    Traceback (most recent call last):
        ...
    stdnum.exceptions.InvalidComponent: One of the parts of the number are invalid or unknown.
    """
    if not isinstance(number, str):
        raise InvalidFormat()
    number = compact(number)
    if not number:
        raise InvalidLength()
    if not (
        ID_CARD.fullmatch(number) or PASSPORT.fullmatch(number) or OLD_PASSPORT.fullmatch(number)
    ):
        if number.isdigit() or (number[:1].isalpha() and number[1:].isdigit()):
            # an identity card has 9 digits; a passport 8 (letter N) or 7 after its letter
            raise InvalidFormat() if len(number) == 9 else InvalidLength()
        raise InvalidFormat()
    digits = number[1:] if number[0].isalpha() else number
    if set(digits) == {"0"}:
        raise InvalidComponent()  # an all-zero number is a placeholder
    return number


def is_valid(number: str) -> bool:
    """Whether the number has the shape of a KZ identity card or passport number.

    >>> is_valid("N12345678"), is_valid("4506123456"), is_valid(None)
    (True, False, False)
    """
    try:
        return bool(validate(number))
    except ValueError:
        return False


def format(number: str) -> str:  # noqa: A001 (stdnum's name)
    """Print the number the way the document shows it.

    >>> format("n 1234 5678")
    'N12345678'
    """
    return compact(number)


class KzIdDocumentRecognizer(ContextRecognizer):
    """KZ identity card (9 digits) and passport (N + 8 digits) numbers next to a document word."""

    ENTITY = ENTITY
    CONTEXT = "context_kz_id_document"
    FIELD_CONTEXT = "context_kz_id_document_field"
    CANDIDATE = CANDIDATE
    #: ``CANDIDATE`` with its look-arounds written as the characters around (``_SEARCH``).
    SEARCH = Search(_SEARCH, min_len=8)

    def load(self) -> None:
        """Read the document words, the field-name words and the labels of other numbers."""
        super().load()
        self.negative = longest_first("context_kz_id_document_negative")

    def said(self, text: str, start: int, end: int) -> str | None:
        """The document word that speaks for ``text[start:end]``, if the nearest label is one.

        A non-document label ("заказ", "invoice") nearer before the number than the document
        word takes the number away from it; without a label before, a word right after counts.
        """
        before = fold(text[max(0, start - BEFORE) : start])
        good = nearest_before(before, self.words)
        bad = nearest_before(before, self.negative)
        if bad and (not good or bad[0] >= good[0]):
            return None
        if good:
            return good[1]
        return find_context(text, start, end, self.words, before=0, after=AFTER)

    def find(
        self, text: str, named: str | None, context: list[str] | None
    ) -> list[RecognizerResult]:
        """Document numbers in ``text``: ``CANDIDATE`` is tried only before runs of digits."""
        if not _searched(text):
            return []
        return super().find(text, named, context)

    def find_field_word(self, context: list[str]) -> str | None:
        """The field-name word; pairs of tokens count too ("id_card_number")."""
        tokens = [fold(t) for t in context]
        pairs = [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
        return find_context("", 0, 0, self.field_words, extra=tokens + pairs)

    def validate_result(self, value: str) -> bool:
        """A number of the shape of an identity card or passport number."""
        return is_valid(value)

    def attributes(self, value: str) -> dict[str, str]:
        """Which document the number is (``document``: id_card, passport, old_passport)."""
        return {"document": kind(value)}
