"""ИНН (Идентификационный номер налогоплательщика, the Russian taxpayer number).

Assigned by the Federal Tax Service (Tax Code of the RF, art. 84): 10 digits for organisations
(four digits of the tax office, five serial digits, one check digit) and 12 digits for natural
persons and individual entrepreneurs (four digits of the tax office, six serial digits, two
check digits). The check digits are weighted sums mod 11 mod 10; ``stdnum.ru.inn`` computes them.

>>> validate('7707083893')
'7707083893'
>>> validate('500100732259')
'500100732259'
>>> is_personal('500100732259')
True
>>> validate('7707083894')  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidChecksum: ...
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
from stdnum.ru import inn as std_inn

from pdaudit.recognizers import kz_bin, kz_iin
from pdaudit.recognizers.base import (
    WORDISH,
    Candidate,
    Search,
    ValidatedRecognizer,
    free_digits_search,
    number_candidates,
)
from pdaudit.recognizers.checksums import by_index, compact_digits, plain_numbers

ENTITY = "RU_INN"
# Companies write ИНН and КПП (nine digits) as one token: "ИНН/КПП 7707083893/770701001".
_INN_KPP = re.compile(r"(?<![\w/-])([0-9]{10}|[0-9]{12})/[0-9]{9}(?![\w/-])")


def compact(number: str) -> str:
    """Strip spaces and hyphens.

    >>> compact(' 7707 083893 ')
    '7707083893'
    """
    return compact_digits(number)


def validate(number: str) -> str:
    """Check the length (10 or 12) and the check digits; return the compact number."""
    number = compact(number)
    if not (number.isascii() and number.isdigit()):
        raise InvalidFormat()
    # stdnum's own validate() would clean the number a second time.
    if len(number) == 10:
        if std_inn.calc_company_check_digit(number) != number[-1]:
            raise InvalidChecksum()
    elif len(number) == 12:
        if std_inn.calc_personal_check_digits(number) != number[-2:]:
            raise InvalidChecksum()
    else:
        raise InvalidLength()
    return number


def is_valid(number: str) -> bool:
    """Whether the number is a valid ИНН.

    >>> is_valid('7707083893'), is_valid(None), is_valid('€')
    (True, False, False)
    """
    if isinstance(number, str) and number.isascii() and number.isdigit():
        # ``validate`` without its exceptions: it runs on every 10- and 12-digit number.
        d = number.encode()
        if len(number) == 12:
            # Most 12-digit numbers fail the first check digit: the second is not worked out.
            first = _personal_first(d)
            return first == d[10] - 48 and _personal_second(d, first) == d[11] - 48
        return len(number) == 10 and _company_check(d) == d[9] - 48
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def _check_digits(number: str) -> str:
    """The last two digits a valid ИНН of ASCII digits (10 or 12) would have.

    The company check digit is the one after the ninth digit, the personal ones the two after
    the tenth: ``stdnum.ru.inn``'s sums, taken over character codes (a digit's code is the
    digit plus 48; the ``48 * weights`` they add are taken off before the remainder).

    >>> _check_digits('7707083893'), _check_digits('500100732259')
    ('93', '59')
    """
    d = number.encode()
    if len(number) == 10:
        return number[8] + _DIGITS[_company_check(d)]
    first = _personal_first(d)
    return _DIGITS[first] + _DIGITS[_personal_second(d, first)]


def _company_check(d: bytes) -> int:
    # weights 2, 4, 10, 3, 5, 9, 4, 6, 8 add up to 51
    return (
        2 * d[0] + 4 * d[1] + 10 * d[2] + 3 * d[3] + 5 * d[4]
        + 9 * d[5] + 4 * d[6] + 6 * d[7] + 8 * d[8] - 48 * 51
    ) % 11 % 10  # fmt: skip


def _personal_first(d: bytes) -> int:
    # weights 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 add up to 58
    return (
        7 * d[0] + 2 * d[1] + 4 * d[2] + 10 * d[3] + 3 * d[4]
        + 5 * d[5] + 9 * d[6] + 4 * d[7] + 6 * d[8] + 8 * d[9] - 48 * 58
    ) % 11 % 10  # fmt: skip


def _personal_second(d: bytes, first: int) -> int:
    # weights 3, 7, 2, 4, 10, 3, 5, 9, 4, 6 add up to 53, then 8 times the first check digit
    return (
        3 * d[0] + 7 * d[1] + 2 * d[2] + 4 * d[3] + 10 * d[4]
        + 3 * d[5] + 5 * d[6] + 9 * d[7] + 4 * d[8] + 6 * d[9] - 48 * 53 + 8 * first
    ) % 11 % 10  # fmt: skip


_DIGITS = "0123456789"


# The weights of the check digits, as in ``_company_check``, ``_personal_first`` and
# ``_personal_second`` (the last weight of the second one multiplies the first check digit).
_COMPANY_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_FIRST_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_SECOND_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def plain_validity(texts: Sequence[str]) -> list[bool | None]:
    """Per text, ``is_valid`` of a text that is exactly 10 or 12 ASCII digits; ``None`` for any
    other. The check digits are worked out for the whole batch at once (numpy): 0.25 against
    1.1 us a number in Python, over 4,096 random 12-digit numbers.

    >>> plain_validity(["7707083893", "500100732259", "500100732250", "ИНН 7707083893"])
    [True, True, False, None]
    """
    import numpy as np

    index: list[int] = []
    valid: list[np.ndarray] = []
    for length in (10, 12):
        found, d = plain_numbers(texts, length)
        index += found
        if length == 10:
            valid.append(d[:, :9] @ np.array(_COMPANY_WEIGHTS) % 11 % 10 == d[:, 9])
        else:
            first = d[:, :10] @ np.array(_FIRST_WEIGHTS) % 11 % 10
            second = d[:, :11] @ np.array(_SECOND_WEIGHTS) % 11 % 10
            valid.append((first == d[:, 10]) & (second == d[:, 11]))
    return by_index(len(texts), index, np.concatenate(valid))


def is_personal(number: str) -> bool:
    """Whether the number is a valid 12-digit ИНН of a natural person or entrepreneur."""
    return is_valid(number) and len(compact(number)) == 12


def format(number: str) -> str:  # noqa: A001 - the python-stdnum name
    """The number as it is written: digits without separators."""
    return compact(number)


class RuInnRecognizer(ValidatedRecognizer):
    """Finds ИНН: a valid number next to a context word ("ИНН", field ``inn``) scores 1.0.

    Without context only a 12-digit personal ИНН is reported (0.9): one random 10-digit number
    in ten passes the company check, one 12-digit number in a hundred the personal one. A
    12-digit number that is also a valid Kazakh ИИН or БИН is left to those recognizers.
    """

    ENTITY = ENTITY
    LENGTHS = (10, 12)
    #: An unbroken group of ten or twelve digits that stands on its own (the candidates are
    #: never grouped: "2024-03-05 12:34:56" holds none), or the ИНН of an "ИНН/КПП" pair.
    SEARCH = Search(
        f"{free_digits_search(*LENGTHS, grouped=False).pattern}"
        rf"|(?:^|[^{WORDISH}/\-])(?:[0-9]{{10}}|[0-9]{{12}})/[0-9]{{9}}(?:$|[^{WORDISH}/\-])",
        min_len=min(LENGTHS),
    )
    CONTEXT = "context_ru_inn"

    def candidates(self, text: str) -> list[Candidate]:
        """Unbroken 10- and 12-digit numbers, and the ИНН of an "ИНН/КПП" pair."""
        found = [run for run in number_candidates(text, self.LENGTHS) if not run.grouped]
        if "/" in text:
            found.extend(
                Candidate(m.start(1), m.end(1), m.group(1)) for m in _INN_KPP.finditer(text)
            )
        return found

    def validate_result(self, value: str) -> bool:
        """A valid ИНН is proven."""
        return is_valid(value)

    def plain_validity(self, texts: Sequence[str]) -> list[bool | None]:
        """A wrong plain number (10 or 12 ASCII digits) holds no ИНН; the valid ones are read
        as usual (scored by context and by ИИН/БИН)."""
        return plain_validity(texts)

    def score(self, text: str, found: Candidate, word: str | None) -> float | None:
        """1.0 with a context word; 0.9 for a 12-digit number that is no ИИН or БИН."""
        if word:
            return 1.0
        number = found.value
        if len(number) == 12 and not (kz_iin.is_valid(number) or kz_bin.is_valid(number)):
            return 0.9
        return None
