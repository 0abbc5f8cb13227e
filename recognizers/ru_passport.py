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

from presidio_analyzer import RecognizerResult
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength

from pdaudit.recognizers.base import WORDISH, ContextRecognizer, Search

ENTITY = "RU_PASSPORT"

CANDIDATE = re.compile(
    r"(?<![\w-])\d{2}\s?\d{2}(?:\s*(?:№|N|No\.?|номер)\s*|[\s-]?)\d{6}(?![\w-])", re.IGNORECASE
)
# ``CANDIDATE`` for the regex crate: the look-arounds as the text's edge or a character that is
# no word character (``WORDISH``) nor "-"; Python's ``\s`` also holds \x1c-\x1f. A phone's
# eleven digits ("+77011234567") are no candidate.
_SPACE = r"[\s\x1c-\x1f]"
_SEARCH = (
    rf"(?:^|[^{WORDISH}\-])\d{{2}}{_SPACE}?\d{{2}}"
    rf"(?:{_SPACE}*(?i:№|N|No\.?|номер){_SPACE}*|[\s\x1c-\x1f\-]?)\d{{6}}(?:$|[^{WORDISH}\-])"
)
FIRST_BLANK_YEAR = 1997


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


class RuPassportRecognizer(ContextRecognizer):
    """Russian passport series and number next to a passport word."""

    ENTITY = ENTITY
    CONTEXT = "context_ru_passport"
    FIELD_CONTEXT = "context_ru_passport_field"
    CANDIDATE = CANDIDATE
    #: ``CANDIDATE`` with its look-arounds written as the characters around (``_SEARCH``).
    SEARCH = Search(_SEARCH, min_len=10)

    def find(
        self, text: str, named: str | None, context: list[str] | None
    ) -> list[RecognizerResult]:
        """Passport numbers in a non-empty ``text``; ``named`` is the field-name word, if any.

        The scanner hands over every text with ten digits, most of them time stamps and ИИН:
        every result is a match of ``CANDIDATE``, so one search turns those away (a text of
        ASCII digits alone is one candidate when it has ten of them).

        >>> r = RuPassportRecognizer(); r.load()
        >>> r.analyze("2024-03-05 12:34:56", None, context=["pasport"])
        []
        >>> [(x.start, x.end, x.score) for x in r.analyze("4506123456", None, context=["pasport"])]
        [(0, 10, 0.85)]
        """
        if text.isascii() and text.isdigit():
            if len(text) != 10:
                return []
        elif CANDIDATE.search(text) is None:
            return []
        return super().find(text, named, context)

    def validate_result(self, value: str) -> bool:
        """A series and number that can be a Russian passport's."""
        return is_valid(value)
