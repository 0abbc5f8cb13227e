"""СНИЛС (Страховой номер индивидуального лицевого счёта, the Russian insurance number).

Assigned by the Social Fund of Russia to every insured person: 11 digits written
"123-456-789 01", a nine-digit number and a two-digit check number. The check is the sum of the
nine digits weighted 9..1; below 100 it is the sum itself, 100 and 101 give 00, above that the
sum mod 101 (100 again giving 00). Numbers up to 001-001-998 were issued before the check
existed and are accepted with any check number.

>>> validate('112-233-445 95')
'11223344595'
>>> format('11223344595')
'112-233-445 95'
>>> validate('112-233-445 96')  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidChecksum: ...
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import phonenumbers
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
from stdnum.util import isdigits

from pdaudit.recognizers.base import (
    Candidate,
    ValidatedRecognizer,
    free_digits_search,
)
from pdaudit.recognizers.checksums import by_index, compact_digits, plain_numbers

ENTITY = "RU_SNILS"
#: The highest number issued without a check number.
_UNCHECKED_MAX = 1_001_998
_WRITTEN = re.compile(r"[0-9]{3}[- ][0-9]{3}[- ][0-9]{3}[- ]?[0-9]{2}")


def compact(number: str) -> str:
    """Strip spaces and hyphens.

    >>> compact('112-233-445 95')
    '11223344595'
    """
    return compact_digits(number)


def calc_check_digits(number: str) -> str:
    """The two check digits for the first nine digits.

    >>> calc_check_digits('112233445')
    '95'
    """
    total = sum(int(d) * w for d, w in zip(number[:9], range(9, 0, -1), strict=True))
    if total > 101:
        total %= 101
    return "00" if total in (100, 101) else f"{total:02d}"


def _check_digits(number: str) -> str:
    """``calc_check_digits`` of ASCII digits, summed over character codes (digit + 48)."""
    d = number.encode()
    # weights 9..1 add up to 45
    total = (
        9 * d[0] + 8 * d[1] + 7 * d[2] + 6 * d[3] + 5 * d[4]
        + 4 * d[5] + 3 * d[6] + 2 * d[7] + d[8] - 48 * 45
    )  # fmt: skip
    if total > 101:
        total %= 101
    return "00" if total in (100, 101) else _TWO_DIGITS[total]


_TWO_DIGITS = [f"{n:02d}" for n in range(100)]


def validate(number: str) -> str:
    """Check the length and the check number; return the compact number."""
    number = compact(number)
    if not isdigits(number):
        raise InvalidFormat()
    if len(number) != 11:
        raise InvalidLength()
    if int(number[:9]) > _UNCHECKED_MAX and calc_check_digits(number) != number[9:]:
        raise InvalidChecksum()
    return number


def is_valid(number: str) -> bool:
    """Whether the number is a valid СНИЛС.

    >>> is_valid('11223344595'), is_valid(None), is_valid('€')
    (True, False, False)
    """
    if isinstance(number, str) and len(number) == 11 and number.isascii() and number.isdigit():
        # ``validate`` without its exceptions: it runs on every 11-digit number in a text.
        return int(number[:9]) <= _UNCHECKED_MAX or _check_digits(number) == number[9:]
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def plain_validity(texts: Sequence[str]) -> list[bool | None]:
    """Per text, ``is_valid`` of the number of a text that is exactly 11 ASCII digits, plain or
    in groups joined by single spaces or hyphens; ``None`` for any other. The check numbers
    are worked out for the whole batch at once (numpy).

    >>> plain_validity(["11223344595", "11223344596", "00100199812", "112-233-445 95", "х"])
    [True, False, True, True, None]
    """
    import numpy as np

    index, d = plain_numbers(texts, 11, grouped=True)
    total = d[:, :9] @ np.arange(9, 0, -1)
    check = np.where(total > 101, total % 101, total)
    check = np.where(check >= 100, 0, check)
    unchecked = d[:, :9] @ 10 ** np.arange(8, -1, -1) <= _UNCHECKED_MAX
    valid = unchecked | (check == d[:, 9] * 10 + d[:, 10])
    return by_index(len(texts), index, valid)


def format(number: str) -> str:  # noqa: A001 - the python-stdnum name
    """The usual written form ``123-456-789 01``."""
    number = compact(number)
    return f"{number[:3]}-{number[3:6]}-{number[6:9]} {number[9:]}"


class RuSnilsRecognizer(ValidatedRecognizer):
    """Finds СНИЛС: written in 3-3-3-2 groups or next to a context word it scores 1.0.

    A plain 11-digit number without context scores 0.9, unless it starts with 7 or 8 and is a
    valid phone number ("87011234567"): one such number in a hundred passes the check.
    Numbers issued before the check existed are only reported with context.
    """

    ENTITY = ENTITY
    LENGTHS = (11,)
    #: Eleven digits that stand on their own: not "+77011234567" nor "+7 701 123 45 67".
    SEARCH = free_digits_search(*LENGTHS)
    CONTEXT = "context_ru_snils"

    def validate_result(self, value: str) -> bool | None:
        """A valid number is proven by its check number, unless it was issued before the check."""
        if not is_valid(value):
            return False
        return True if int(value[:9]) > _UNCHECKED_MAX else None

    def plain_validity(self, texts: Sequence[str]) -> list[bool | None]:
        """A wrong plain number (11 ASCII digits, plain or grouped) holds no СНИЛС; the valid
        ones are read as usual (scored by context and by the phone-number test)."""
        return plain_validity(texts)

    def score(self, text: str, found: Candidate, word: str | None) -> float | None:
        """1.0 with a context word or in the written form; 0.9 plain and not a phone number."""
        if word or _WRITTEN.fullmatch(text[found.start : found.end]):
            return 1.0
        if not found.grouped and not _looks_like_phone(found.value):
            return 0.9
        return None

    def evidence(
        self, text: str, found: Candidate, proven: bool | None, word: str | None
    ) -> list[str]:
        """The checksum and the context word, or the written form that speaks instead."""
        evidence = super().evidence(text, found, proven, word)
        if not word and _WRITTEN.fullmatch(text[found.start : found.end]):
            evidence.append("written as 123-456-789 01")
        return evidence


def _looks_like_phone(digits: str) -> bool:
    if digits[0] not in "78":
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(digits, "KZ"))
    except phonenumbers.NumberParseException:
        return False
