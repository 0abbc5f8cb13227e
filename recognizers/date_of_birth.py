"""Birth dates (дата рождения, туған күні): a date reported only where text or field name says birth.

Dates are read as ``12.03.1995``, ``12/03/1995``, ``1995-03-12``, ``12.03.95``, ``12 марта 1995``,
``12 March 1995``, ``March 12, 1995``, ``1995 жылғы 12 наурыз`` and, as OCR leaves them,
``12 03 1995``; a bare year counts next to "год рождения" / "туған жылы". A birth date lies
between 1900-01-01 and today. The label nearest before a date decides: in "Урок 12.03.2024" the
date is a lesson's. A birth word speaks for the first date after it (and a list of dates right
behind it), not across another date, a sentence end or a ";": in "Born: March 4, 2010; enrolled:
September 1, 2023" only the first date is a birth date. A greeting ("С днём рождения!") is not a
label at all.

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
import time
from collections.abc import Iterable, Sequence
from functools import cache

from presidio_analyzer import RecognizerResult
from stdnum.exceptions import InvalidComponent, InvalidFormat

from pdaudit.recognizers.base import (
    WORDISH,
    ContextRecognizer,
    EntityTuple,
    Search,
    fold,
    load_words,
    longest_first,
    nearest_before,
    read_where,
)

ENTITY = "DATE_OF_BIRTH"
EARLIEST = datetime.date(1900, 1, 1)

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
        # OCR of a printed date: "16 02 1997", never a piece of a longer run of spaced digits
        re.compile(r"(?<![\w./-])(?<!\d )(?P<day>\d{1,2})[ \u00a0]{1,2}(?P<mon>\d{1,2})[ \u00a0]{1,2}"
                   r"(?P<year>(?:19|20)\d{2})(?![\w]|[./-]\d|[ \u00a0]\d)"),
    ]  # fmt: skip


@cache
def _spelled() -> list[tuple[re.Pattern[str], str]]:
    """Each pattern and what a text needs for it to match: a "letter" (a month's name, "жылғы"),
    a "separator" of a date (``.``, ``/``, ``-``) or a "space" (the OCR form "16 02 1997").

    Even case-insensitively only a letter matches a letter: no other character lower-cases to one.
    """
    needs = []
    for pattern in _patterns():
        if "(?P<month>" in pattern.pattern:
            needs.append((pattern, "letter"))
        elif "(?P<sep>[./-])" in pattern.pattern:
            needs.append((pattern, "separator"))
        else:
            needs.append((pattern, "space"))
    return needs


_LETTER = re.compile(r"[^\W\d_]")
# Something every date the patterns read has: a birth date lies in 1900..today, so its year is
# written 19xx/20xx with no word character (``WORDISH``) on either side (every pattern has a
# separator, a space or the text's edge there: no ИИН or phone holds one), or as two digits
# after a day and a month ("12.03.95", not "063-61-33" of a phone); a date of digits other than
# 0-9 slips past "19|20" and is let through.
_SEARCH = (
    rf"(?:^|[^{WORDISH}])(?:19|20)\d\d(?:$|[^{WORDISH}])"
    rf"|(?:^|[^{WORDISH}./-])\d{{1,2}}[./-]\d{{1,2}}[./-]\d\d(?:\d\d)?(?:$|[^{WORDISH}])"
    r"|[^\D0-9]"
)
YEAR = re.compile(r"(?<![\w./-])(?:19|20)\d{2}(?![\w]|[./-]\d)")


def _full_year(year: str, today: datetime.date) -> int:
    if len(year) == 4:
        return int(year)
    yy = int(year)  # 12.03.95 -> 1995, 12.03.07 -> 2007
    return 2000 + yy if 2000 + yy <= today.year else 1900 + yy


def _to_date(match: re.Match[str], today: datetime.date) -> datetime.date:
    # The groups one by one, not ``groupdict()``: this runs for every date-like span.
    names = match.re.groupindex
    year = _full_year(match["year"], today)
    day = int(match["day"])
    mon = match["mon"] if "mon" in names else None
    month = int(mon) if mon else months()[fold(match["month"])]
    try:
        return datetime.date(year, month, day)
    except ValueError:
        if mon and "sep" in names and match["sep"] == "/":
            try:  # 12/25/1995 written the American way
                return datetime.date(year, day, month)
            except ValueError:
                pass
        raise InvalidComponent() from None


#: Today's date and the span of clock time it lasts (local midnight to midnight).
_TODAY: list = [None, 0.0, 0.0]


def _today() -> datetime.date:
    """``datetime.date.today()``; the calendar is worked out again only when the clock leaves
    the day it was last worked out for (reading the clock costs a tenth as much)."""
    now = time.time()
    if not _TODAY[1] <= now < _TODAY[2]:
        today = datetime.date.today()
        midnight = datetime.datetime.combine(today, datetime.time())
        _TODAY[:] = [
            today,
            midnight.timestamp(),
            (midnight + datetime.timedelta(days=1)).timestamp(),
        ]
        if not _TODAY[1] <= now < _TODAY[2]:
            _TODAY[2] = 0.0  # the clock moved while the date was read: read it again next time
    return _TODAY[0]


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


# Latin letters that look Cyrillic ("родилcя" typed with a Latin c): matched as one letter.
_LOOKALIKES = str.maketrans("aceopxyk", "асеорхук")
# What ends the reach of a birth word: a clause or sentence end ("…неизвестна. Оплата 12.03.2024").
_CUT = re.compile(r"[;!?\n]|(?<=\w\w\w)\.\s+[^\W\d_]")
# What may stand between two dates of one list ("12.03.2010, 05.06.2012 и 01.01.2015").
_LIST_GAP = re.compile(r"[\s,;/]*(?:(?:и|and|&)[\s,]*)?")
# What may stand between a date and a birth word written after it ("12.03.1995 г.р.").
_AFTER_GAP = re.compile(r"[\s(),:\-–—]*")


def _skeleton(text: str) -> str:
    """Fold case, ``ё`` and Latin look-alike letters (same length as the input)."""
    return fold(text).translate(_LOOKALIKES)


# The skeleton of an ASCII text is its lower case with the look-alike letters made Cyrillic,
# character by character, one-to-one: each character an ASCII text's skeleton can hold, and
# the lower-case ASCII character it comes from.
_FROM_SKELETON = {_skeleton(c): c for c in map(chr, range(128)) if not "A" <= c <= "Z"}


def _ascii_any_of(skeletons: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern that finds in the lower case of an ASCII text what ``_any_of(skeletons)``
    finds in its skeleton: the words the skeleton of an ASCII text can hold, turned back into
    ASCII (``None``: no such word)."""
    back = str.maketrans(_FROM_SKELETON)
    found = [w.translate(back) for w in skeletons if set(w) <= _FROM_SKELETON.keys()]
    return _any_of(found) if found else None


def _any_of(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern that finds any of ``words`` as a plain substring (a quick test before the scans)."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


class DateOfBirthRecognizer(ContextRecognizer):
    """Dates next to a birth word (text or field name) that fall between 1900 and today."""

    ENTITY = ENTITY
    CONTEXT = "context_date_of_birth"
    FIELD_CONTEXT = "context_date_of_birth_field"
    SEARCH = Search(_SEARCH)
    words: dict[str, str]  # the birth words by spelling skeleton, set by ``load()``

    def load(self) -> None:
        """Read the birth words (as spelling skeletons), the other labels and the field words."""

        def words(name: str) -> dict[str, str]:
            # skeleton -> the word as listed, longest first (the evidence names the listed word)
            listed = sorted(load_words(name), key=len, reverse=True)
            return {_skeleton(w): w for w in listed}

        self.words = words(self.CONTEXT)
        self.negative = words("context_date_of_birth_negative")
        self.greetings = words("context_date_of_birth_greeting")
        self.year_words = words("context_date_of_birth_year")
        self.field_words = longest_first(self.FIELD_CONTEXT)
        # One search per list answers "is any of these words in there at all?": most windows hold
        # none, and then the word-by-word scans (whole words, nearest, longest) cannot find one.
        self._any_birth = _any_of([*self.words, *self.year_words])
        self._any_birth_ascii = _ascii_any_of([*self.words, *self.year_words])
        self._scans: dict[int, tuple[dict[str, str], list[str], re.Pattern[str]]] = {}
        self._negative = list(self.negative)
        self._any_negative = _any_of(self.negative)
        self._any_greeting = _any_of(self.greetings)

    def _saying_birth(self, texts: Sequence[str]) -> list[bool]:
        """Per text, whether its skeleton holds a birth word (or a year word) anywhere: an
        ASCII text (a time stamp, an id) is looked at in lower case, without its skeleton."""
        search = self._any_birth.search
        ascii_words = self._any_birth_ascii
        if ascii_words is None:
            return [not t.isascii() and search(_skeleton(t)) is not None for t in texts]
        search_ascii = ascii_words.search
        # The words are plain substrings (``_any_of``): a word in one text is one in all the
        # texts joined, so a batch of ASCII texts (time stamps) without one is told at once.
        whole = "\n".join(texts)
        if whole.isascii() and search_ascii(whole.lower()) is None:
            return [False] * len(texts)
        return [
            search_ascii(t.lower()) is not None if t.isascii() else search(_skeleton(t)) is not None
            for t in texts
        ]

    def findings(
        self, texts: Sequence[str], entities: list[str] | None, context: list[str] | None
    ) -> list[list[EntityTuple]]:
        """``ContextRecognizer.findings``; without a birth word in the field name only one in
        the text reports a date, so the texts without one (``_saying_birth``: most time
        stamps) are turned away for the whole batch before ``find``."""
        read = super().findings
        if (
            (entities and ENTITY not in entities)
            or self.field_word(context)
            or type(self).find is not DateOfBirthRecognizer.find
        ):
            return read(texts, entities, context)
        wanted = self._saying_birth(texts)
        return read_where(texts, wanted, lambda rest: read(rest, entities, context))

    def _scan(self, words: dict[str, str]) -> tuple[list[str], re.Pattern[str]]:
        """``words`` as a list and as one pattern, made once per word table."""
        made = self._scans.get(id(words))
        if made is None or made[0] is not words:
            made = self._scans[id(words)] = (words, list(words), _any_of(words))
        return made[1], made[2]

    def _before(self, text: str, start: int) -> str:
        window = _skeleton(text[max(0, start - BEFORE) : start])
        if self._any_greeting.search(window):
            for greeting in self.greetings:  # "С днём рождения!" labels no date
                window = window.replace(greeting, " " * len(greeting))
        return window

    def _decide(
        self,
        text: str,
        span: tuple[int, int],
        words: dict[str, str],
        dates: list[tuple[int, int]],
        accepted: set[tuple[int, int]],
    ) -> tuple[str | None, bool]:
        """The birth word that speaks for ``span``, and whether the text says it is not a birth date.

        ``dates`` are every date-like span of the text; ``accepted`` those already reported.
        """
        start, end = span
        if not start and end == len(text):
            # The date is the whole text: no word before it or after it (no listed word is
            # empty), which is what the scans below find out.
            return None, False
        before = self._before(text, start) if start else ""
        listed, any_word = self._scan(words)
        good = nearest_before(before, listed) if any_word.search(before) else None
        bad = nearest_before(before, self._negative) if self._any_negative.search(before) else None
        if bad and (not good or bad[0] >= good[0]):
            return None, True
        if good:
            said = words[good[1]]
            reach = start - len(before) + good[0]  # where the birth word ends
            between = [d for d in dates if reach <= d[0] and d[1] <= start]
            if between:
                last = max(between)
                if last in accepted and _LIST_GAP.fullmatch(text[last[1] : start]):
                    return said, False  # the next date of a list after one birth word
                return None, True
            if _CUT.search(text[reach:start]):
                return None, True
            return said, False
        return self._said_after(text, end, words), False

    def _said_after(self, text: str, end: int, words: dict[str, str]) -> str | None:
        """A birth word written right after the date ("12.03.1995 г.р."), not one of a next date."""
        after = _skeleton(text[end : end + AFTER])
        gap = _AFTER_GAP.match(after)
        assert gap is not None  # the gap may be empty: the pattern matches every text
        rest = after[gap.end() :]
        if not self._scan(words)[1].match(rest):
            return None
        for word, listed in words.items():
            tail = rest[len(word) :]
            if not rest.startswith(word) or (tail[:1].isalnum() and word[-1].isalnum()):
                continue
            if not re.match(r"[\s:\-–—]*\d", tail):
                return listed
        return None

    def find(
        self, text: str, named: str | None, context: list[str] | None
    ) -> list[RecognizerResult]:
        """DATE_OF_BIRTH results in a non-empty ``text``; ``named`` is the field-name word, if any."""
        if not named and not self._saying_birth([text])[0]:
            # Without the field name only a birth word in the text reports a date, and every
            # window the words are looked for in is a piece of the text's skeleton.
            return []
        today = _today()
        # Every date-like span, in text order: "date" and "year" can be birth dates, "other"
        # (a future or pre-1900 date) cannot, yet still stands between a birth word and a date.
        candidates: list[tuple[int, int, str]] = []
        holds = {
            "letter": _LETTER.search(text) is not None,
            "separator": "." in text or "/" in text or "-" in text,
            "space": " " in text or "\u00a0" in text,
        }
        for pattern, needs in _spelled():
            if not holds[needs]:
                continue
            for match in pattern.finditer(text):
                start, end = match.span()
                if candidates and any(start < e and s < end for s, e, _ in candidates):
                    continue
                try:
                    date = _to_date(match, today)
                except ValueError:
                    continue
                candidates.append((start, end, "date" if EARLIEST <= date <= today else "other"))
        for match in YEAR.finditer(text):
            start, end = match.span()
            if not (candidates and any(start < e and s < end for s, e, _ in candidates)):
                year = int(match.group())
                candidates.append(
                    (start, end, "year" if EARLIEST.year <= year <= today.year else "other")
                )
        candidates.sort()
        dates = [(s, e) for s, e, _ in candidates]
        accepted: set[tuple[int, int]] = set()
        results: list[RecognizerResult] = []
        for start, end, what in candidates:
            if what == "other":
                continue
            words = self.words if what == "date" else self.year_words
            said, blocked = self._decide(text, (start, end), words, dates, accepted)
            # a bare year counts by the field name only when it is the whole value
            by_name = named and (what == "date" or text.strip() == text[start:end])
            if blocked or not (said or by_name):
                continue
            accepted.add((start, end))
            penalty = YEAR_ONLY_PENALTY if what == "year" else 0.0
            results.append(self.result(start, end, said, named, penalty))
        return results
