"""Payment card number (PAN; номер банковской карты / төлем картасының нөмірі).

13 to 19 digits (ISO/IEC 7812): an issuer identification prefix that names the payment system,
the account number and a Luhn check digit. People write it in groups of four (Amex 4-6-5)
separated by spaces or hyphens.

>>> validate('4400 4301 2345 6789')
'4400430123456789'
>>> get_brand('4400430123456789')
'visa'
>>> format('4400430123456789')
'4400 4301 2345 6789'
>>> validate('4400 4301 2345 6781')  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidChecksum: ...
"""

from __future__ import annotations

from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
from stdnum.util import isdigits

from pdaudit.recognizers.base import Candidate, ValidatedRecognizer
from pdaudit.recognizers.checksums import compact_digits, luhn_is_valid

ENTITY = "CREDIT_CARD"

#: (brand, lowest prefix, highest prefix, lengths): issuer ranges met in Kazakhstan, Russia and
#: Uzbekistan.
_BRANDS = (
    ("visa", "4", "4", (13, 16, 19)),
    ("mastercard", "51", "55", (16,)),
    ("mastercard", "2221", "2720", (16,)),
    ("mir", "2200", "2204", (16, 17, 18, 19)),
    ("amex", "34", "34", (15,)),
    ("amex", "37", "37", (15,)),
    ("unionpay", "62", "62", (16, 17, 18, 19)),
    ("jcb", "3528", "3589", (16, 17, 18, 19)),
    ("discover", "6011", "6011", (16, 19)),
    ("discover", "644", "649", (16, 19)),
    ("discover", "65", "65", (16, 19)),
    ("diners", "300", "305", (14, 16)),
    ("diners", "36", "36", (14, 16)),
    ("maestro", "50", "50", (12, 13, 16, 18, 19)),
    ("maestro", "56", "58", (12, 13, 16, 18, 19)),
    ("maestro", "67", "67", (12, 13, 16, 18, 19)),
    ("uzcard", "8600", "8600", (16,)),
    ("humo", "9860", "9860", (16,)),
)


def compact(number: str) -> str:
    """Strip spaces and hyphens.

    >>> compact('4400-4301-2345-6789')
    '4400430123456789'
    """
    return compact_digits(number)


def get_brand(number: str) -> str | None:
    """The payment system whose issuer range and length fit the number, or ``None``."""
    number = compact(number)
    for brand, low, high, lengths in _BRANDS:
        if len(number) in lengths and low <= number[: len(low)] <= high:
            return brand
    return None


def validate(number: str) -> str:
    """Check the length and the Luhn check digit; return the compact number."""
    number = compact(number)
    if not isdigits(number):
        raise InvalidFormat()
    if not 13 <= len(number) <= 19:
        raise InvalidLength()
    if not luhn_is_valid(number):
        raise InvalidChecksum()
    return number


def is_valid(number: str) -> bool:
    """Whether the number is a Luhn-valid card number.

    >>> is_valid('4400430123456789'), is_valid(None), is_valid('€')
    (True, False, False)
    """
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:  # noqa: A001 - the python-stdnum name
    """Groups of four digits (Amex 4-6-5)."""
    number = compact(number)
    if len(number) == 15 and get_brand(number) == "amex":
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


class CreditCardRecognizer(ValidatedRecognizer):
    """Finds card numbers: Luhn plus a known issuer range 1.0; Luhn plus a context word 0.9.

    A Luhn-valid number outside every issuer range and without context is not reported: one
    random number in ten passes the Luhn check. Masked numbers ("4400 43** **** 1234") never are.
    """

    ENTITY = ENTITY
    LENGTHS = range(13, 20)
    CONTEXT = "context_credit_card"

    def validate_result(self, value: str) -> bool:
        """A Luhn-valid number is proven."""
        return luhn_is_valid(value)

    def score(self, text: str, found: Candidate, word: str | None) -> float | None:
        """1.0 in a known issuer range, else 0.9 with a context word."""
        if get_brand(found.value):
            return 1.0
        return 0.9 if word else None

    def evidence(
        self, text: str, found: Candidate, proven: bool | None, word: str | None
    ) -> list[str]:
        """The checksum, the issuer, the context word."""
        brand = get_brand(found.value)
        return ["checksum"] + ([f"issuer: {brand}"] if brand else []) + ([word] if word else [])
