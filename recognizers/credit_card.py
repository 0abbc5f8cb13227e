"""Payment card number (PAN; номер банковской карты / төлем картасының нөмірі).

13 to 19 digits (ISO/IEC 7812): an issuer identification prefix that names the payment system,
the account number and a Luhn check digit. People write it in groups of four (Amex 4-6-5)
separated by spaces or hyphens; several numbers may follow one another in a row
("4400 4301 2345 6789 5469 3800 1234 5670").

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

from collections.abc import Iterable

from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
from stdnum.util import isdigits

from pdaudit.recognizers.base import (
    Candidate,
    ValidatedRecognizer,
    _number_runs,
    digits_search,
    is_glued,
)
from pdaudit.recognizers.checksums import compact_digits, luhn_is_valid

ENTITY = "CREDIT_CARD"

#: (brand, lowest prefix, highest prefix, lengths): issuer ranges met in Kazakhstan, Russia and
#: Uzbekistan, and the 15-digit schemes Presidio's card tests hold (UATP, JCB's and Diners
#: enRoute's old ranges).
_BRANDS = (
    ("visa", "4", "4", (13, 16, 19)),
    ("mastercard", "51", "55", (16,)),
    ("mastercard", "2221", "2720", (16,)),
    ("mir", "2200", "2204", (16, 17, 18, 19)),
    ("amex", "34", "34", (15,)),
    ("amex", "37", "37", (15,)),
    ("jcb", "1800", "1800", (15,)),
    ("jcb", "2131", "2131", (15,)),
    ("enroute", "2014", "2014", (15,)),
    ("enroute", "2149", "2149", (15,)),
    ("uatp", "1", "1", (15,)),  # after JCB's 1800: the first range that fits names the brand
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


_LENGTHS = frozenset(range(13, 20))
_MOST_GROUPS = 5  # a card is written in at most five groups (4-4-4-4-3)
_MOST_CARDS = 10  # of 19 digits in one run: a longer run is some other long number
#: The digit counts of the runs ``cards_in_a_row`` looks at: two cards to ten of 19 digits.
_ROW_MIN = 2 * min(_LENGTHS)
ROW_LENGTHS = frozenset(range(_ROW_MIN, _MOST_CARDS * max(_LENGTHS) + 1))


def _is_card(digits: str) -> bool:
    return digits[0] != "0" and luhn_is_valid(digits) and get_brand(digits) is not None


def cards_in_a_row(text: str) -> list[Candidate]:
    """Card numbers written one after another in one run of digit groups, found only where
    the whole run splits into Luhn-valid numbers of known issuers (whole groups each).

    >>> [(c.start, c.end) for c in cards_in_a_row("4012-8888-8888-1881 4012 8888 8888 1881")]
    [(0, 19), (20, 39)]
    >>> cards_in_a_row("4012 8888 8888 1881 1234")  # a longer number: nothing comes out of it
    []
    """
    found: list[Candidate] = []
    # The runs ``number_candidates`` read a moment before (remembered per text).
    for begin, finish, digits, groups in _number_runs(text):
        if len(digits) not in ROW_LENGTHS or is_glued(text, begin, finish):
            continue
        split = _split(text, [(start, end) for start, end, _ in groups] or [(begin, finish)])
        if split:
            found += split
    return found


def _split(text: str, groups: list[tuple[int, int]]) -> list[Candidate] | None:
    """Cards covering ``groups`` one after another, the longest first at each step, or None."""
    memo: dict[int, list[Candidate] | None] = {}

    def rest(i: int) -> list[Candidate] | None:
        if i == len(groups):
            return []
        if i in memo:
            return memo[i]
        memo[i] = None
        for j in range(min(len(groups), i + _MOST_GROUPS), i, -1):
            digits = "".join(text[a:b] for a, b in groups[i:j])
            if len(digits) in _LENGTHS and _is_card(digits):
                after = rest(j)
                if after is not None:
                    memo[i] = [Candidate(groups[i][0], groups[j - 1][1], digits), *after]
                    break
        return memo[i]

    return rest(0)


class CreditCardRecognizer(ValidatedRecognizer):
    """Finds card numbers: Luhn plus a known issuer range 1.0; Luhn plus a context word 0.9.

    A Luhn-valid number outside every issuer range and without context is not reported: one
    random number in ten passes the Luhn check. Masked numbers ("4400 43** **** 1234") never are.
    """

    ENTITY = ENTITY
    LENGTHS = range(13, 20)
    #: Cards written in a row (``cards_in_a_row``) are one run of 26 digits or more.
    SEARCH = digits_search(*LENGTHS, at_least=min(ROW_LENGTHS))
    CONTEXT = "context_credit_card"

    def candidates(self, text: str) -> Iterable[Candidate]:
        """Numbers of 13-19 digits standing on their own, and cards written in a row."""
        found = super().candidates(text)
        more = cards_in_a_row(text) if len(text) >= _ROW_MIN else []
        if not more:
            return found
        taken = {(c.start, c.end) for c in found}
        merged = list(found) + [c for c in more if (c.start, c.end) not in taken]
        return sorted(merged, key=lambda c: c.start)

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
