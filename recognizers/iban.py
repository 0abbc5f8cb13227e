"""IBAN (International Bank Account Number; ИИК / ЖСК — индивидуальный идентификационный код счёта).

ISO 13616: a two-letter country code, two check digits (mod 97-10 over the whole number) and a
country-specific account part. A Kazakh IBAN has 20 characters: KZ, the check digits, a
three-digit bank code and a 13-character account number. People write it plain or in groups
of four, separated by spaces or hyphens. Country lengths and account formats come from
``stdnum.iban``; a bank code missing from ``stdnum``'s bank lists does not make an IBAN invalid
(``BE68 5390 0754 7034``: the structure and both check digits hold, the list lags behind).

>>> validate('KZ86 125K ZT50 0410 0100')
'KZ86125KZT5004100100'
>>> format('KZ86125KZT5004100100')
'KZ86 125K ZT50 0410 0100'
>>> validate('DE89 3704 0044 0532 0130 00')
'DE89370400440532013000'
>>> validate('AL47-2121-1009-0000-0002-3569-8741'), validate('BE68539007547034')
('AL47212110090000000235698741', 'BE68539007547034')
>>> validate('KZ87 125K ZT50 0410 0100')  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidChecksum: ...
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban as std_iban
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, ValidationError
from stdnum.util import clean

from pdaudit.recognizers.base import Candidate, Search, ValidatedRecognizer
from pdaudit.recognizers.checksums import mod97_is_valid

ENTITY = "IBAN_CODE"

_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
# Upper-case only: a lower-case run of letters and digits is far more often a hash or a token.
_CANDIDATE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:[ \u00a0\-]?[A-Z0-9]){11,30}")


def compact(number: str) -> str:
    """Strip spaces and hyphens and upper-case.

    >>> compact('kz86 125k zt50 0410 0100')
    'KZ86125KZT5004100100'
    """
    return clean(number, " -\u00a0").strip().upper()


def validate(number: str) -> str:
    """Check the shape, the mod 97-10 check digits and the country's length and format."""
    number = compact(number)
    if not _SHAPE.fullmatch(number):
        raise InvalidFormat()
    if not mod97_is_valid(number):
        raise InvalidChecksum()
    number = std_iban.validate(number, check_country=False)
    try:
        return std_iban.validate(number)  # the country's own checks (national check digits)
    except InvalidComponent:
        return number  # a bank the country module's list does not know yet


def is_valid(number: str) -> bool:
    """Whether the number is a valid IBAN.

    >>> is_valid('KZ86125KZT5004100100'), is_valid(None), is_valid('€')
    (True, False, False)
    """
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:  # noqa: A001 - the python-stdnum name
    """Groups of four characters."""
    return std_iban.format(compact(number))


class IbanRecognizer(ValidatedRecognizer):
    """Finds IBANs, plain or grouped; a valid one scores 1.0 (context adds evidence only)."""

    ENTITY = ENTITY
    CONTEXT = "context_iban_code"
    #: What every candidate (``_CANDIDATE``) opens with; it has 15 characters at least.
    SEARCH = Search("[A-Z][A-Z][0-9][0-9]", min_len=15)

    def candidates(self, text: str) -> Iterator[Candidate]:
        """The longest valid IBAN at each upper-case candidate's start."""
        for match in _CANDIDATE.finditer(text):
            end = _valid_end(text, match.start(), match.end())
            if end is not None:
                yield Candidate(match.start(), end, text[match.start() : end])

    def validate_result(self, value: str) -> bool:
        """A valid IBAN is proven."""
        return is_valid(value)


def _valid_end(text: str, start: int, end: int) -> int | None:
    """The end of the longest valid IBAN starting at ``start`` and ending at or before ``end``.

    A grouped IBAN may be followed by an upper-case word ("KZ86 125K ZT50 0410 0100 KZT"), so
    shorter candidates are tried at each group boundary; a candidate must end a token.
    """
    ends = [end] + [i for i in range(end - 1, start, -1) if text[i] in " \u00a0-"]
    for stop in ends:
        if stop < len(text) and (text[stop].isalnum() or text[stop] in "_@/"):
            continue
        if is_valid(text[start:stop]):
            return stop
    return None
