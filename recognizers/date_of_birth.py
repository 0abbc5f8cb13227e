"""Birth dates (дата рождения, туған күні): a date reported only where text or field name says birth.

Dates are read as ``12.03.1995``, ``12/03/1995``, ``1995-03-12``, ``12.03.95``, ``12 марта 1995``,
``12 March 1995``, ``March 12, 1995``, ``1995 жылғы 12 наурыз``; a bare year counts next to
"год рождения" / "туған жылы". A birth date lies between 1900-01-01 and today. The keyword nearest
before a date decides: in "Урок 12.03.2024" the date is a lesson's, not a birth date.

>>> parse("12 марта 1995 г.")
datetime.date(1995, 3, 12)
>>> parse("1995 жылғы 12 наурыз")
datetime.date(1995, 3, 12)
>>> is_valid("31.02.1995"), is_valid("12.03.2099"), is_valid("12.03.1995")
(False, False, True)
"""

from __future__ import annotations

import datetime
import re
from functools import cache

from presidio_analyzer import EntityRecognizer, RecognizerResult
from stdnum.exceptions import InvalidComponent, InvalidFormat

from recognizers.base import LANGUAGE, find_context, fold, load_words, make_result

ENTITY = "DATE_OF_BIRTH"
EARLIEST = datetime.date(1900, 1, 1)

SCORE_BOTH = 0.95
SCORE_TEXT = 0.9
SCORE_FIELD = 0.85
YEAR_ONLY_PENALTY = 0.1  # a year narrows a person down less than a full date

BEFORE = 60
AFTER = 25


@cache
def months() -> dict[str, int]:
    """Month names and abbreviations (Russian, Kazakh, English) with the month's number."""
    table = {}
    for line in load_words("date_of_birth_months"):
        word, number = line.split()
        table[word] = int(number)
    return table


@cache
def _patterns() -> list[re.Pattern[str]]:
    month = "|".join(sorted((re.escape(m) for m in months()), key=len, reverse=True))
    end_month = rf"(?P<month>(?:{month}))(?!\w)"  # last in the date: a dot ends the sentence
    month = rf"(?P<month>(?:{month}))\.?(?!\w)"
    end = r"(?![\w]|[./-]\d)"
    return [
        re.compile(rf"(?<![\w./-])(?P<day>\d{{1,2}})(?P<sep>[./-])(?P<mon>\d{{1,2}})(?P=sep)"
                   rf"(?P<year>\d{{4}}|\d{{2}}){end}"),
        re.compile(rf"(?<![\w./-])(?P<year>\d{{4}})(?P<sep>[./-])(?P<mon>\d{{1,2}})(?P=sep)"
                   rf"(?P<day>\d{{1,2}})(?:{end}|(?=T\d))"),
        re.compile(rf"(?<![\w.])(?P<day>\d{{1,2}})\s+{month}\s+(?P<year>\d{{4}}){end}",
                   re.IGNORECASE),
        re.compile(rf"(?<![\w.]){month}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}){end}",
                   re.IGNORECASE),
        re.compile(rf"(?<![\w.])(?P<year>\d{{4}})\s+(?:жылғы|жылы|ж\.)\s+(?P<day>\d{{1,2}})\s+"
                   rf"{end_month}", re.IGNORECASE),
    ]  # fmt: skip


YEAR = re.compile(r"(?<![\w./-])(?:19|20)\d{2}(?![\w]|[./-]\d)")


def _full_year(year: str, today: datetime.date) -> int:
    if len(year) == 4:
        return int(year)
    yy = int(year)  # 12.03.95 -> 1995, 12.03.07 -> 2007
    return 2000 + yy if 2000 + yy <= today.year else 1900 + yy


def _to_date(match: re.Match[str], today: datetime.date) -> datetime.date:
    parts = match.groupdict()
    year = _full_year(parts["year"], today)
    day = int(parts["day"])
    month = int(parts["mon"]) if parts.get("mon") else months()[fold(parts["month"])]
    try:
        return datetime.date(year, month, day)
    except ValueError:
        if parts.get("sep") == "/" and parts.get("mon"):
            try:  # 12/25/1995 written the American way
                return datetime.date(year, day, month)
            except ValueError:
                pass
        raise InvalidComponent() from None


def parse(text: str, today: datetime.date | None = None) -> datetime.date:
    """The date that ``text`` (one date, nothing else but a trailing "г.") spells.

    >>> parse("1995-03-12")
    datetime.date(1995, 3, 12)
    >>> parse("версия 1.2.3")
    Traceback (most recent call last):
        ...
    stdnum.exceptions.InvalidFormat: The number has an invalid format.
    """
    if not isinstance(text, str):
        raise InvalidFormat()
    today = today or datetime.date.today()
    text = re.sub(r"\s*(?:г\.|года|ж\.)$", "", text.strip())
    for pattern in _patterns():
        match = pattern.fullmatch(text)
        if match:
            return _to_date(match, today)
    raise InvalidFormat()


def validate(text: str, today: datetime.date | None = None) -> datetime.date:
    """The date, if it can be somebody's birth date (1900-01-01 .. today), else an error.

    >>> validate("01.01.1899")
    Traceback (most recent call last):
        ...
    stdnum.exceptions.InvalidComponent: One of the parts of the number are invalid or unknown.
    """
    today = today or datetime.date.today()
    date = parse(text, today)
    if not EARLIEST <= date <= today:
        raise InvalidComponent()
    return date


def is_valid(text: str, today: datetime.date | None = None) -> bool:
    """Whether ``text`` is a date that can be a birth date."""
    try:
        return bool(validate(text, today))
    except ValueError:
        return False


def format(date: datetime.date) -> str:  # noqa: A001 (stdnum's name)
    """Print a date the Russian way: ``12.03.1995``."""
    return date.strftime("%d.%m.%Y")


def _nearest_before(window: str, words: list[str]) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for word in words:
        idx = window.rfind(word)
        while idx != -1:
            tail = idx + len(word)
            starts = idx == 0 or not window[idx - 1].isalnum()
            ends = tail >= len(window) or not window[tail].isalnum() or not word[-1].isalnum()
            if starts and ends:
                if best is None or tail > best[0]:
                    best = (tail, word)
                break
            idx = window.rfind(word, 0, idx)
    return best


class DateOfBirthRecognizer(EntityRecognizer):
    """Dates next to a birth word (text or field name) that fall between 1900 and today."""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=[ENTITY], name="DateOfBirthRecognizer", supported_language=LANGUAGE
        )

    def load(self) -> None:
        def words(name: str) -> list[str]:
            return sorted(load_words(name), key=len, reverse=True)

        self.words = words("context_date_of_birth")
        self.negative = words("context_date_of_birth_negative")
        self.year_words = words("context_date_of_birth_year")
        self.field_words = words("context_date_of_birth_field")

    def _decide(self, text: str, start: int, end: int, words: list[str]) -> tuple[str | None, bool]:
        """The birth word that speaks for this span, and whether a nearer other word blocks it."""
        before = fold(text[max(0, start - BEFORE) : start])
        good = _nearest_before(before, words)
        bad = _nearest_before(before, self.negative)
        if bad and (not good or bad[0] > good[0]):
            return None, True
        if good:
            return good[1], False
        return find_context(text, start, end, words, before=0, after=AFTER), False

    def analyze(
        self,
        text: str,
        entities: list[str] | None = None,
        nlp_artifacts: object = None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """DATE_OF_BIRTH results in ``text``; ``context`` holds field-name tokens."""
        if not isinstance(text, str) or not text or (entities and ENTITY not in entities):
            return []
        today = datetime.date.today()
        named = find_context("", 0, 0, self.field_words, extra=context) if context else None
        results: list[RecognizerResult] = []
        taken: list[tuple[int, int]] = []
        for pattern in _patterns():
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(start < e and s < end for s, e in taken):
                    continue
                try:
                    date = _to_date(match, today)
                except ValueError:
                    continue
                if not EARLIEST <= date <= today:
                    continue
                taken.append((start, end))
                said, blocked = self._decide(text, start, end, self.words)
                if blocked or not (said or named):
                    continue
                results.append(self._result(start, end, said, named, 0.0))
        for match in YEAR.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            if not EARLIEST.year <= int(match.group()) <= today.year:
                continue
            said, blocked = self._decide(text, start, end, self.year_words)
            whole = text.strip() == match.group()
            if not blocked and (said or (named and whole)):
                results.append(self._result(start, end, said, named, YEAR_ONLY_PENALTY))
        return sorted(results, key=lambda r: r.start)

    def _result(
        self, start: int, end: int, said: str | None, named: str | None, penalty: float
    ) -> RecognizerResult:
        evidence = ([f"context: {said}"] if said else []) + (
            [f"field name: {named}"] if named else []
        )
        score = SCORE_BOTH if said and named else SCORE_TEXT if said else SCORE_FIELD
        return make_result(ENTITY, start, end, score - penalty, self.name, evidence)
