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
from collections.abc import Iterator

from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError
from stdnum.ru import inn as std_inn

from recognizers import kz_bin, kz_iin
from recognizers.base import Candidate, ValidatedRecognizer, digit_runs
from recognizers.checksums import compact_digits

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
    try:
        return bool(validate(number))
    except ValidationError:
        return False


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
    CONTEXT = "context_ru_inn"

    def candidates(self, text: str) -> Iterator[Candidate]:
        """Unbroken 10- and 12-digit numbers, and the ИНН of an "ИНН/КПП" pair."""
        yield from (run for run in digit_runs(text, self.LENGTHS) if not run.grouped)
        for m in _INN_KPP.finditer(text):
            yield Candidate(m.start(1), m.end(1), m.group(1))

    def number_lengths(self) -> tuple[int, ...]:
        """10 and 12: the number of an "ИНН/КПП" pair is a digit group of its own as well."""
        return self.LENGTHS

    def validate_result(self, value: str) -> bool:
        """A valid ИНН is proven."""
        return is_valid(value)

    def score(self, text: str, found: Candidate, word: str | None) -> float | None:
        """1.0 with a context word; 0.9 for a 12-digit number that is no ИИН or БИН."""
        if word:
            return 1.0
        number = found.value
        if len(number) == 12 and not (kz_iin.is_valid(number) or kz_bin.is_valid(number)):
            return 0.9
        return None
