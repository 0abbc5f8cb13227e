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

from presidio_analyzer import EntityRecognizer, RecognizerResult
from stdnum.exceptions import ValidationError
from stdnum.ru import inn as std_inn
from stdnum.util import clean

from recognizers import kz_bin, kz_iin
from recognizers.base import LANGUAGE, load_words, make_result
from recognizers.checksums import context_evidence, digit_runs

ENTITY = "RU_INN"
# Companies write ИНН and КПП (nine digits) as one token: "ИНН/КПП 7707083893/770701001".
_INN_KPP = re.compile(r"(?<![\w/-])([0-9]{10}|[0-9]{12})/[0-9]{9}(?![\w/-])")


def compact(number: str) -> str:
    """Strip spaces and hyphens.

    >>> compact(' 7707 083893 ')
    '7707083893'
    """
    return clean(number, " -\u00a0").strip()


def validate(number: str) -> str:
    """Check the length (10 or 12) and the check digits; return the compact number."""
    return std_inn.validate(compact(number))


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


class RuInnRecognizer(EntityRecognizer):
    """Finds ИНН: a valid number next to a context word ("ИНН", field ``inn``) scores 1.0.

    Without context only a 12-digit personal ИНН is reported (0.9): one random 10-digit number
    in ten passes the company check, one 12-digit number in a hundred the personal one. A
    12-digit number that is also a valid Kazakh ИИН or БИН is left to those recognizers.
    """

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[ENTITY], name="RuInnRecognizer", supported_language=LANGUAGE
        )

    def load(self) -> None:
        """Nothing to load: the context words are read lazily."""

    def analyze(
        self,
        text: str,
        entities: list[str] | None,
        nlp_artifacts: object = None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """ИНН spans in ``text``; ``context`` holds the field name tokens."""
        if not isinstance(text, str) or (entities and ENTITY not in entities):
            return []
        results = []
        runs = [
            (run.start, run.end, run.value) for run in digit_runs(text, {10, 12}) if not run.grouped
        ]
        runs += [(m.start(1), m.end(1), m.group(1)) for m in _INN_KPP.finditer(text)]
        for start, end, number in runs:
            if not is_valid(number):
                continue
            evidence = ["checksum"]
            word = context_evidence(text, start, end, load_words("context_ru_inn"), context)
            if word:
                evidence.append(word)
                score = 1.0
            elif len(number) == 12 and not (kz_iin.is_valid(number) or kz_bin.is_valid(number)):
                score = 0.9
            else:
                continue
            results.append(make_result(ENTITY, start, end, score, self.name, evidence))
        return results
