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

from presidio_analyzer import EntityRecognizer, RecognizerResult
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength

from recognizers.base import LANGUAGE, find_context, fold, load_words, make_result

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

BEFORE = 60
AFTER = 20

SCORE_BOTH = 0.95
SCORE_TEXT = 0.9
SCORE_FIELD = 0.85


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


def nearest_before(window: str, words: list[str]) -> tuple[int, str] | None:
    """The word of ``words`` that ends last in ``window`` (whole words only), with its end.

    >>> nearest_before("паспорт n1, номер заказа ", ["паспорт", "заказа"])
    (24, 'заказа')
    """
    best: tuple[int, str] | None = None
    for word in words:
        idx = window.rfind(word)
        while idx != -1:
            tail = idx + len(word)
            starts = idx == 0 or not window[idx - 1].isalnum() or not word[0].isalnum()
            ends = tail >= len(window) or not window[tail].isalnum() or not word[-1].isalnum()
            if starts and ends:
                if best is None or tail > best[0]:
                    best = (tail, word)
                break
            idx = window.rfind(word, 0, idx)
    return best


class KzIdDocumentRecognizer(EntityRecognizer):
    """KZ identity card (9 digits) and passport (N + 8 digits) numbers next to a document word."""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[ENTITY], name="KzIdDocumentRecognizer", supported_language=LANGUAGE
        )

    def load(self) -> None:
        self.words = sorted(load_words("context_kz_id_document"), key=len, reverse=True)
        self.field_words = sorted(load_words("context_kz_id_document_field"), key=len, reverse=True)
        self.negative = sorted(load_words("context_kz_id_document_negative"), key=len, reverse=True)

    def _said(self, text: str, start: int, end: int) -> str | None:
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

    def analyze(
        self,
        text: str,
        entities: list[str] | None = None,
        nlp_artifacts: object = None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """KZ_ID_DOCUMENT results in ``text``; ``context`` holds field-name tokens."""
        if not isinstance(text, str) or not text or (entities and ENTITY not in entities):
            return []
        named = None
        if context:
            # "id_card_number": phrases of two tokens count as well as single tokens
            tokens = [fold(t) for t in context]
            pairs = [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
            named = find_context("", 0, 0, self.field_words, extra=tokens + pairs)
        results = []
        for match in CANDIDATE.finditer(text):
            if not is_valid(match.group()):
                continue
            said = self._said(text, match.start(), match.end())
            if not said and not named:
                continue
            evidence = ([f"context: {said}"] if said else []) + (
                [f"field name: {named}"] if named else []
            )
            score = SCORE_BOTH if said and named else SCORE_TEXT if said else SCORE_FIELD
            results.append(
                make_result(
                    ENTITY,
                    match.start(),
                    match.end(),
                    score,
                    self.name,
                    evidence,
                    document=kind(match.group()),
                )
            )
        return results
