"""БИН / БСН (Бизнес-идентификационный номер / Бизнес сәйкестендіру нөмірі).

The Kazakh business identification number of legal entities, their branches and of
individual entrepreneurs in joint ventures (Law "On national registers of identification
numbers", 2007). It has 12 digits: the year and month of registration (YYMM), the type of
entity (4 resident legal entity, 5 non-resident legal entity, 6 individual entrepreneur in a
joint venture), a division digit (0 head office, 1 branch, 2 representative office, 3 peasant
farm), five serial digits and the same two-pass mod 11 check digit as the ИИН. A БИН is not
personal data; pdaudit reports it so reviewers see why a 12-digit column is not an ИИН.

>>> validate('050140000656')
'050140000656'
>>> get_entity_type('050140000656')
'resident legal entity'
>>> validate('050140000657')  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidChecksum: ...
>>> validate('051370000656')  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidComponent: ...
"""

from __future__ import annotations

from stdnum.exceptions import (
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from stdnum.util import isdigits

from pdaudit.recognizers.base import ValidatedRecognizer, free_digits_search
from pdaudit.recognizers.checksums import check_mod11, compact_digits, mod11_is_valid

ENTITY = "KZ_BIN"
_TYPES = {
    "4": "resident legal entity",
    "5": "non-resident legal entity",
    "6": "individual entrepreneur (joint venture)",
}
_MONTHS = frozenset(f"{month:02d}" for month in range(1, 13))


def compact(number: str) -> str:
    """Strip spaces and hyphens.

    >>> compact('0501 4000 0656')
    '050140000656'
    """
    return compact_digits(number)


def get_entity_type(number: str) -> str:
    """What kind of business the fifth digit says the number belongs to."""
    number = compact(number)
    if not isdigits(number) or len(number) < 5 or number[4] not in _TYPES:
        raise InvalidComponent()
    return _TYPES[number[4]]


def validate(number: str) -> str:
    """Check the length, month, type and division digits and the check digit."""
    number = compact(number)
    if not isdigits(number):
        raise InvalidFormat()
    if len(number) != 12:
        raise InvalidLength()
    if not 1 <= int(number[2:4]) <= 12 or number[4] not in _TYPES or number[5] not in "0123":
        raise InvalidComponent()
    check_mod11(number)
    return number


def is_valid(number: str) -> bool:
    """Whether the number is a valid БИН.

    >>> is_valid('050140000656'), is_valid(None), is_valid('')
    (True, False, False)
    """
    if isinstance(number, str) and len(number) == 12 and number.isascii() and number.isdigit():
        # ``validate`` without its exceptions: it runs on every 12-digit number in a text.
        return (
            number[2:4] in _MONTHS
            and number[4] in _TYPES
            and number[5] in "0123"
            and mod11_is_valid(number)
        )
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:  # noqa: A001 - the python-stdnum name
    """The number as it is usually written: 12 digits without separators."""
    return compact(number)


class KzBinRecognizer(ValidatedRecognizer):
    """Finds БИН in text: 0.95 for a valid number, 1.0 with a context word ("БИН", ``bin``)."""

    ENTITY = ENTITY
    LENGTHS = (12,)
    #: Twelve digits that stand on their own, with a type digit 4-6 and a division digit 0-3 (an
    #: ИИН has the tens of a day there, 0-3, so no ИИН is selected) and a month 0x or 1x.
    SEARCH = free_digits_search(
        *LENGTHS, digits={12: "[0-9][0-9][01][0-9][4-6][0-3]" + "[0-9]" * 6}
    )
    CONTEXT = "context_kz_bin"
    SCORE = 0.95

    def validate_result(self, value: str) -> bool:
        """A valid БИН is proven."""
        return is_valid(value)
