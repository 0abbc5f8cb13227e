"""Russian internal passport (паспорт гражданина РФ): series and number, 4 + 6 digits.

The series is two digits of the region (ОКАТО) and the last two digits of the year the blank was
printed (1997 on), written ``45 06 123456``, ``4506 123456`` or ``4506123456``. There is no
checksum, so the recognizer reports a number only next to a passport word in the text or in the
field name.

>>> validate("45 06 № 123456")
'4506123456'
>>> format("4506123456")
'45 06 123456'
>>> validate("4596123456")
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidComponent: One of the parts of the number are invalid or unknown.
"""

from __future__ import annotations

import datetime
import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength

from recognizers.base import LANGUAGE, find_context, load_words, make_result

ENTITY = "RU_PASSPORT"

CANDIDATE = re.compile(
    r"(?<![\w-])\d{2}\s?\d{2}(?:\s*(?:№|N|No\.?|номер)\s*|[\s-]?)\d{6}(?![\w-])", re.IGNORECASE
)
FIRST_BLANK_YEAR = 1997

SCORE_BOTH = 0.95
SCORE_TEXT = 0.9
SCORE_FIELD = 0.85


def compact(number: str) -> str:
    """Keep the digits only (spaces, dashes, № and the word номер go).

    >>> compact("45 06 номер 123456")
    '4506123456'
    """
    return re.sub(r"\D", "", str(number))


def _blank_year_ok(yy: int, today: datetime.date | None = None) -> bool:
    this_year = (today or datetime.date.today()).year
    year = 1900 + yy if yy >= FIRST_BLANK_YEAR % 100 else 2000 + yy
    return FIRST_BLANK_YEAR <= year <= this_year + 1


def validate(number: str) -> str:
    """Return the 10 digits or raise an ``stdnum.exceptions`` error.

    >>> validate("00 06 123456")
    Traceback (most recent call last):
        ...
    stdnum.exceptions.InvalidComponent: One of the parts of the number are invalid or unknown.
    """
    if not isinstance(number, str):
        raise InvalidFormat()
    if re.search(r"[^\d\s\-№Nn]", re.sub(r"(?i)номер|no\.?", "", number)):
        raise InvalidFormat()
    number = compact(number)
    if len(number) != 10:
        raise InvalidLength()
    if number[:2] == "00" or number[4:] == "000000" or not _blank_year_ok(int(number[2:4])):
        raise InvalidComponent()
    return number


def is_valid(number: str) -> bool:
    """Whether the number can be a Russian passport series and number.

    >>> is_valid("4506 123456"), is_valid("1234 567890"), is_valid(None)
    (True, False, False)
    """
    try:
        return bool(validate(number))
    except ValueError:
        return False


def format(number: str) -> str:  # noqa: A001 (stdnum's name)
    """Print series and number as the passport does: ``45 06 123456``."""
    number = compact(number)
    return f"{number[:2]} {number[2:4]} {number[4:]}"


class RuPassportRecognizer(EntityRecognizer):
    """Russian passport series and number next to a passport word."""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[ENTITY], name="RuPassportRecognizer", supported_language=LANGUAGE
        )

    def load(self) -> None:
        self.words = sorted(load_words("context_ru_passport"), key=len, reverse=True)
        self.field_words = sorted(load_words("context_ru_passport_field"), key=len, reverse=True)

    def analyze(
        self,
        text: str,
        entities: list[str] | None = None,
        nlp_artifacts: object = None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """RU_PASSPORT results in ``text``; ``context`` holds field-name tokens."""
        if not isinstance(text, str) or not text or (entities and ENTITY not in entities):
            return []
        named = find_context("", 0, 0, self.field_words, extra=context) if context else None
        results = []
        for match in CANDIDATE.finditer(text):
            if not is_valid(match.group()):
                continue
            said = find_context(text, match.start(), match.end(), self.words)
            if not said and not named:
                continue
            evidence = ([f"context: {said}"] if said else []) + (
                [f"field name: {named}"] if named else []
            )
            score = SCORE_BOTH if said and named else SCORE_TEXT if said else SCORE_FIELD
            results.append(
                make_result(ENTITY, match.start(), match.end(), score, self.name, evidence)
            )
        return results
