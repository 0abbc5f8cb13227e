"""Telephone numbers (номер телефона / телефон нөмірі), Kazakh ones in every written form.

Kazakhstan shares country code +7 with Russia: +7 6xx and +7 7xx are Kazakh, the rest Russian.
Numbers are found and validated against the numbering plans by ``phonenumbers`` (leniency
VALID), which also names the region recorded on each result. A number written with its country
code ("+90 532 123 45 67") is found whatever the region; one in national form ("0532 123 45
67", "8 701 123 45 67") only where a region of its country code is listed (``regions``, by
default ``DEFAULT_REGIONS``: KZ and RU, one plan). Regions that share a country code are read
together (KZ with RU, US with CA), the listed order decides between two readings of the same
digits. Digits inside a longer number (an ИИН, IBAN, card or order number), masked numbers and
URL query values (``?utm_campaign=77011234567``) are not phones; a ``key=value`` pair is a phone only when the key
says so (``phone=87011234567``). An extension ("доб. 105", "ext. 12") is left out of the span:
the span is the number that reaches a person, and it then equals what the number alone would give.

>>> [(r.start, r.end, r.score) for r in PhoneRecognizer().analyze("тел. +7 (701) 123-45-67", None)]
[(5, 23, 0.95)]
>>> PhoneRecognizer().analyze("+7 7** *** ** 70", None)
[]
>>> [(r.start, r.end) for r in PhoneRecognizer().analyze("8 727 356 05 60 доб. 12", None)]
[(0, 15)]
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache, partial
from typing import ClassVar, NamedTuple

import numpy as np
import phonenumbers
from presidio_analyzer import EntityRecognizer, RecognizerResult

from pdaudit.recognizers.base import (
    ATTRIBUTES,
    EVIDENCE,
    LANGUAGE,
    NO_EXPLANATION,
    WORDISH,
    EntityTuple,
    Findings,
    Search,
    context_words,
    fold,
    load_words,
)

ENTITY = "PHONE_NUMBER"

_SEPARATORS = " \u00a0-.\t"
_MASKS = frozenset("*•")
_MOBILE = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
#: The fewest digits of a valid number, country code included (+43 1110, +49 1640: a two-digit
#: country code and a four-digit number). ``phonenumbers`` turns each character of a candidate
#: into at most one digit, so shorter candidates (order numbers, "№ 39408") are skipped unparsed.
MIN_DIGITS = 6


_PLAN = ("numbering plan",)  # the evidence of a number without a context word

#: The regions whose national forms are read when nothing else is said: a Mirum user's number is
#: Kazakh or Russian (+7, one numbering plan). Other countries' national forms look like order
#: numbers too often to be searched unasked (two random ten-digit numbers in five are valid US
#: ones); their numbers written with "+" and the country code are found anyway.
DEFAULT_REGIONS = ("KZ", "RU")
#: Names people use that are not ISO 3166 codes (Presidio's own tests write UK).
_REGION_ALIASES = {"UK": "GB"}


class PhoneRegionError(ValueError):
    """A phone region that ``phonenumbers`` does not know."""


def phone_regions(regions: str | Sequence[str] | None) -> tuple[str, ...]:
    """Region codes checked and upper-cased, from a list or a comma-separated string.

    >>> phone_regions("kz, ru,UK"), phone_regions(None)
    (('KZ', 'RU', 'GB'), ('KZ', 'RU'))
    >>> phone_regions("XX")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
        ...
    PhoneRegionError: unknown phone region 'XX': use ISO 3166 codes such as KZ, RU, US
    """
    if regions is None:
        return DEFAULT_REGIONS
    items = regions.split(",") if isinstance(regions, str) else list(regions)
    out: list[str] = []
    for item in items:
        code = str(item).strip().upper()
        code = _REGION_ALIASES.get(code, code)
        if not code:
            continue
        if code not in phonenumbers.SUPPORTED_REGIONS:
            raise PhoneRegionError(
                f"unknown phone region {str(item).strip()!r}: use ISO 3166 codes such as KZ, RU, US"
            )
        if code not in out:
            out.append(code)
    if not out:
        raise PhoneRegionError("no phone region given: name at least one, such as KZ")
    return tuple(out)


def _plans(regions: Sequence[str]) -> tuple[str, ...]:
    """One region per country code, in the listed order; +7 is read as KZ (``_PLAIN_SHAPES``).

    >>> _plans(("RU", "US", "KZ", "CA", "TR"))
    ('KZ', 'US', 'TR')
    """
    plans: dict[int, str] = {}
    for region in regions:
        code = phonenumbers.country_code_for_region(region)
        plans.setdefault(code, "KZ" if code == 7 else region)
    return tuple(plans.values())


_SEARCH = Search(
    "|".join(
        [
            "^[0-9]{10,11}$",  # ASCII digits alone
            r"^\d*[^\D0-9]\d*$",  # digits alone, one of them not ASCII
            # Seven digits and a non-digit: before the first digit, after the k-th, or after
            # the seventh.
            r"\D(?:\D*\d){7}",
            *(rf"\d(?:\D*\d){{{k - 1}}}\D(?:\D*\d){{{7 - k}}}" for k in range(1, 7)),
            r"\d(?:\D*\d){6}\d*\D",
        ]
    ),
    min_len=7,
    # ``_TIMESTAMP``, the whole text (which then is ASCII).
    unless=r"^[12][0-9]{3}-[01][0-9]-[0-3][0-9] [0-2][0-9](?::[0-5][0-9]){2}$",
)
# What the matcher may read as punctuation inside a number, loosely (never too tightly): any
# character but a digit 0-9, "_" or a Russian, Kazakh or Latin letter other than "x" and "X"
# (``phonenumbers`` takes both for punctuation: ``test_matcher_reads_letters_apart``).
_JOINED = "[^" + WORDISH.replace("A-Za-z", "A-WYZa-wyz") + "]"
_OPENING_BRACKETS = "[(\\[\uff08\uff3b]"
#: Where national forms are read as +7 only, what a text holds when ``analyze`` finds a number
#: in it: a plus sign; nine digits joined by ``_JOINED`` characters, with a gap among them or
#: after an opening bracket (the matcher's candidate is digits and punctuation from a digit, a
#: plus sign or an opening bracket on, and a number without a plus sign has nine digits or
#: more, ``_holds_no_number``); a run of exactly 10 or 11 digits (a bare number); an "x" or "X"
#: joined to a digit (``phonenumbers`` may read one as a digit). "ИИН 900101300126. Заказ №
#: 6839. Карта 4400430123456789" holds none of these, and no number: each run of digits stands
#: alone among letters, so a candidate there is a whole run, which ``_bare_number_fits`` turns
#: away unless it has 10 or 11 digits, or part of one, which ``_inside_longer_number`` turns
#: away. ``tests/test_phone_search.py`` holds it to ``analyze``.
_PLUS7_NUMBER = "|".join(
    [
        "[+\uff0b]",
        *(
            rf"\d(?:{_JOINED}*\d){{{k - 1}}}{_JOINED}+\d(?:{_JOINED}*\d){{{8 - k}}}"
            for k in range(1, 9)
        ),
        rf"{_OPENING_BRACKETS}{_JOINED}*\d(?:{_JOINED}*\d){{8}}",
        # Edged by "not 0-9", not ``\D``: the regex crate knows digits (Unicode 15 and on) that
        # this Python does not, and a run of ASCII digits beside one is still a bare number here.
        r"(?:^|[^0-9])\d{10,11}(?:[^0-9]|$)",
        rf"[xX]{_JOINED}*\d|\d{_JOINED}*[xX]",
    ]
)
#: ``_SEARCH`` where national forms are read as +7 numbers only: also ``_PLUS7_NUMBER``.
_KZ_SEARCH = Search(
    _SEARCH.pattern, min_len=_SEARCH.min_len, also=_PLUS7_NUMBER, unless=_SEARCH.unless
)


class PhoneRecognizer(Findings, EntityRecognizer):
    """Finds telephone numbers and records their region.

    Scores: a context word ("тел", "телефон", field ``phone``) 0.95; a number written with "+",
    brackets or separators 0.85; a bare 11-digit number with trunk prefix 8 or 7 0.75; a bare
    10-digit mobile number 0.5 (bare 10-digit landlines are not reported: too many order
    numbers look like them).
    """

    name: str  # set by ``EntityRecognizer.__init__``
    #: Seven ``\\d`` digits (``analyze`` reports nothing in a text with fewer), a text of ASCII
    #: digits alone only with 10 or 11 of them, and no time stamp (``_holds_no_number``); where
    #: national forms are read as +7 only, a "+" or a number's digits (``_PLUS7_NUMBER``).
    SEARCH = _SEARCH
    _BYPASSED: ClassVar[tuple[str, ...]] = ("analyze", "_result")

    def __init__(self, regions: str | Sequence[str] | None = None) -> None:
        super().__init__(
            supported_entities=[ENTITY], name="PhoneRecognizer", supported_language=LANGUAGE
        )
        self._configure(regions)

    def _configure(self, regions: str | Sequence[str] | None) -> None:
        self.regions = phone_regions(regions)
        plans = _plans(self.regions)
        #: The region the matcher reads national forms in first; ``_more`` the others.
        self.region, self._more = plans[0], plans[1:]
        if type(self).SEARCH == _SEARCH:  # not a subclass's own search, nor none
            # An instance's search: ``search_of`` reads it before the class's.
            self.__dict__["SEARCH"] = _KZ_SEARCH if plans == ("KZ",) else _SEARCH

    def with_regions(self, regions: str | Sequence[str] | None) -> PhoneRecognizer:
        """A copy that reads national forms in ``regions`` (``phone_regions`` checks them)."""
        twin = copy.copy(self)
        twin._configure(regions)
        return twin

    def load(self) -> None:
        """Nothing to load: the context words are read lazily."""

    def analyze(
        self,
        text: str,
        entities: list[str] | None,
        nlp_artifacts: object = None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Phone number spans in ``text``; ``context`` holds the field name tokens."""
        if not isinstance(text, str) or not text or (entities and ENTITY not in entities):
            return []
        return [self._result(text, *found, context) for found in self._found(text)]

    def _found(self, text: str) -> list[tuple[int, int, str]]:
        """Start, end and region of each number reported in a non-empty ``text``."""
        found = self._found_in(text, self.region, self._matches)
        for region in self._more:
            # Presidio's way with several regions: the first reading of some digits stays.
            more = self._found_in(text, region, partial(self._matches_in, region=region))
            taken = found
            found = found + [m for m in more if not any(m[0] < o[1] and o[0] < m[1] for o in taken)]
        if self._more and len(found) > 1:
            found.sort()
        return found

    def _found_in(
        self, text: str, region: str, matches: Callable[[str], Iterator[tuple]]
    ) -> list[tuple[int, int, str]]:
        """``_found`` for national forms of one region's country code."""
        plain = _PLAIN_SHAPES.fullmatch(text) if region == "KZ" else None
        if plain:
            # The shapes ``_matches`` parses itself (most of a phone column): the one candidate
            # is the whole text, which none of the tests below turns away (nothing stands
            # around it; it holds no mask, dot or extension; a bare one is 8 and ten digits).
            found_region = _plus7_region(_national(text))
            return [] if found_region is None else [(0, len(text), found_region)]
        # Numbers are reported from seven digits in the text on (a six-digit international
        # number such as +43 1110 is too short to tell from other numbers). Seven ``\d`` digits
        # settle it at regex speed; below that the ``isdigit`` count (superscripts too) decides.
        if not _SEVEN_DIGITS.match(text) and sum(map(str.isdigit, text)) < 7:
            return []
        if _holds_no_number(text, plus7=region == "KZ"):
            return []
        found = []
        for start, end, raw, number, where in matches(text):
            if _inside_longer_number(text, start, end) or _masked_nearby(text, start, end):
                continue
            if _query_value(text, start):
                continue
            if number is None:  # ``_plain_match``'s: no extension or dot; if bare, 8 + 10 digits
                found.append((start, end, where or "ZZ"))
                continue
            if number.extension:
                end = _main_number_end(text, start, end, len(number.extension))
                raw = text[start:end]
            if _DOTTED_QUAD.fullmatch(raw):
                continue  # an IPv4 address ("87.255.194.16"), not a phone ("532.123.45.67" is)
            if raw.isdigit() and not _bare_number_fits(raw, number):
                continue
            found.append((start, end, where or phonenumbers.region_code_for_number(number) or "ZZ"))
        return found

    def findings(
        self, texts: Sequence[str], entities: list[str] | None, context: list[str] | None
    ) -> list[list[EntityTuple]]:
        """``analyze`` of each text as entity tuples, without a ``RecognizerResult`` each."""
        if entities and ENTITY not in entities:
            return [[] for _ in texts]
        if self.region != "KZ":
            return [self._tuples(text, context) for text in texts]
        # A text of one of ``_PLAIN_SHAPES`` (most of a phone column) that is a valid number is
        # one number, the whole text, as in ``_found_in``. Its score and evidence depend on the
        # field name and on how it is written (its length, which tells its form and whether it
        # is digits alone), not on its digits: the texts of one key share one finding, read once.
        keys = _plain_keys(texts)
        kinds, first, kind_of = np.unique(keys, return_index=True, return_inverse=True)
        shared = [
            [] if key < 0 else self._tuples(texts[at], context)
            for key, at in zip(kinds.tolist(), first.tolist(), strict=True)
        ]
        # Each text its own list: a caller may change one.
        out = [shared[kind].copy() for kind in kind_of.tolist()]
        for at in np.flatnonzero(keys < 0).tolist():
            out[at] = self._tuples(texts[at], context)
        return out

    def _tuples(self, text: str, context: list[str] | None) -> list[EntityTuple]:
        """What ``findings`` gives for one ``text``: the general path."""
        scored = self._scored
        return [
            (ENTITY, start, end, *scored(text, start, end, context), (("region", region),))
            for start, end, region in self._found(text)
        ]

    def _scored(
        self, text: str, start: int, end: int, context: list[str] | None
    ) -> tuple[float, tuple[str, ...]]:
        """The score (rounded) and evidence of the number ``text[start:end]``, by how it is
        written and the words around it."""
        raw = text[start:end]
        word = context_words("context_phone_number").evidence(text, start, end, context)
        if word:
            return 0.95, ("numbering plan", word)
        if not raw.isdigit():
            return 0.85, _PLAN
        return (0.75 if len(raw) == 11 else 0.5), _PLAN

    def _result(
        self, text: str, start: int, end: int, region: str, context: list[str] | None
    ) -> RecognizerResult:
        """The result for the number ``text[start:end]``, scored by how it is written."""
        score, evidence = self._scored(text, start, end, context)
        # ``make_result`` written out: a phone column reports one result per value.
        metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            EVIDENCE: list(evidence),
            ATTRIBUTES: {"region": region},
        }
        return RecognizerResult(ENTITY, start, end, score, NO_EXPLANATION, metadata)

    def _matches(
        self, text: str
    ) -> Iterator[tuple[int, int, str, phonenumbers.PhoneNumber | None, str | None]]:
        """Start, end, raw string, number and region (``None``: not worked out yet) of each
        number ``phonenumbers``' matcher finds in ``text``, national forms read in ``region``,
        but those in a lone run of digits that ``_found_in`` turns away (``_number_islands``).
        A number ``_plain_match`` reads is left unmade (``None``): +7 and its ten digits."""
        return self._matches_in(text, self.region)

    def _matches_in(
        self, text: str, region: str
    ) -> Iterator[tuple[int, int, str, phonenumbers.PhoneNumber | None, str | None]]:
        """``_matches`` with national forms read in ``region``."""
        size = len(text)
        # The library's own matcher (its public interface: no copy of its private loop), handed
        # the islands of the text that can hold a number ``_found_in`` keeps, each with one
        # character before it and four after it (``_number_islands``).
        for start, end in _number_islands(text):
            if region == "KZ" and _PLAIN_SHAPES.fullmatch(text, start, end):
                if (start == 0 or text[start - 1] in _PLAIN_BEFORE) and (
                    end == size or text[end] in _PLAIN_AFTER
                ):
                    yield from _plain_match(text, start, end)
                    continue
            low = start - 1 if start else 0
            matcher = phonenumbers.PhoneNumberMatcher(
                text[low : end + 4],
                region,
                phonenumbers.Leniency.VALID,
                min_candidate_length=MIN_DIGITS,
            )
            for match in matcher:
                yield match.start + low, match.end + low, match.raw_string, match.number, None


def _plain_match(
    text: str, start: int, end: int
) -> Iterator[tuple[int, int, str, None, str | None]]:
    """What the matcher gives for an island ``text[start:end]`` of one of ``_PLAIN_SHAPES``,
    national forms read as +7, with white space or the text's edge before it and white space,
    punctuation that ends a sentence or the text's edge after it.

    Such an island is one candidate for the matcher (the island alone has one: its digit
    groups joined by single spaces, brackets or dashes, without an extension; the wall after
    it holds no digit to go on with), parsed as +7 and its ten digits. Without a plus sign the
    ten digits start with 7, so the 8 or 7 before them is the trunk prefix or country code (not
    810, the international prefix), and +7's formats for 7xx make the trunk prefix optional, so
    the matcher's check that it was written passes. The characters around it are no Latin
    letter, percent or currency sign, which would make the matcher turn the candidate away. The
    matcher thus gives the whole island when that number is valid; when it is not, its fallback
    candidates are single digit groups or the same ten digits, none of them valid. That
    number, +7 and the ten digits, is left unmade (``None``: 2 us): ``_found_in`` reads nothing
    of it. ``test_plain_shapes_equal_the_matcher`` and ``tests/test_phone_pieces.py`` hold this
    against the matcher.
    """
    raw = text[start:end]
    plus7 = _plus7_region(_national(raw))
    if plus7 is not None:
        yield start, end, raw, None, plus7


#: What ``_plain_match`` takes before and after an island.
_PLAIN_BEFORE = frozenset(" \t\n\r\u00a0:,;")
_PLAIN_AFTER = frozenset(" \t\n\r\u00a0.,;:!?")
#: A stretch of five or more characters none of which can start a candidate of ``phonenumbers``'
#: matcher (a digit, an opening bracket or a plus sign start each: ``PhoneNumberMatcher``'s
#: documented pattern); it is a wall (``_number_islands``) when it holds a letter, then white
#: space, then a letter.
_NO_START = re.compile(r"[^\d(\[\uff08\uff3b+\uff0b]{5,}")
#: A letter, then white space, then a letter (the first of each, possessively: linear time).
_WORDS_APART = re.compile(r"[\W\d_]*+[^\W\d_]\S*+\s[\W\d_]*+[^\W\d_]")
_DIGITS = re.compile(r"\d+")
_LEADS = re.compile(r"[(\[\uff08\uff3b+\uff0b]")
#: The longest text ``_number_islands`` splits: the matcher gives up on a text after 65,535
#: tries (parses of a candidate or of a part of one), fewer than 13 a character of text.
_MAX_SPLIT = 5000


def _number_islands(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` to hand ``phonenumbers``' matcher (with one character before each
    and four after it), which finds the same numbers in them (shifted by their starts) as in
    the whole text, but those ``_found_in`` turns away.

    A wall is a stretch of five or more characters without a digit, an opening bracket or a
    plus sign, holding a letter (``\\w`` but digits and "_"), then white space, then a letter.
    The matcher's candidate starts with one of those three characters and is digits and
    punctuation, up to four punctuation characters between two digits, and then perhaps an
    extension: white space and commas, one word ("доб", "ext", "x", "#"), a dot or colon, white
    space and dashes, digits, perhaps a "#". So a candidate cannot start in a wall nor reach
    across it (no letter sits in its white space, nor white space in its word), and it ends in
    a digit or a "#": it reaches at most the wall's first character. The matcher reads, around
    a candidate, the character before it, the one after it and the three after it (":30" after
    "2024-01-02 12" makes a time stamp; its third character is a digit, never in a wall). So
    the text between two walls (an island), with one character before it and four after it,
    gives the matcher the same candidates and answers as the whole text, from its start on as
    the whole text's search arrives there (nothing starts in the wall before it).

    An island that holds no digit has no candidate. In one whose digits are a single run and
    which holds no opening bracket or plus sign, a candidate is digits of that run alone (more
    digits or an extension need a second run), and a number found there is the whole run, a
    bare number that ``_bare_number_fits`` turns away unless it has 10 or 11 digits, or part of
    the run, which ``_inside_longer_number`` turns away (``tests/test_phone_pieces.py``). Those
    islands ("ИИН 900101300126.", "карта 4400430123456789", "№ 6839") are left out. A text
    longer than ``_MAX_SPLIT`` is one island: the matcher counts its tries over the whole text.

    >>> text = "ИИН ученика 900101300126. Перезвоните по номеру 8 701 123 45 67, спасибо вам"
    >>> [text[start:end] for start, end in _number_islands(text)]
    ['8 701 123 45 67']
    """
    size = len(text)
    if size > _MAX_SPLIT:
        return [(0, size)]
    islands = []
    at = 0  # where the island starts
    for wall in _NO_START.finditer(text):
        start, end = wall.span()
        if _WORDS_APART.match(text, start, end) is None:
            continue
        if _may_hold_number(text, at, start):
            islands.append((at, start))
        at = end
    if at == 0:
        return [(0, size)]
    if _may_hold_number(text, at, size):
        islands.append((at, size))
    return islands


def _may_hold_number(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a run of 10 or 11 digits, two runs, or one run and an
    opening bracket or plus sign (``_number_islands``)."""
    run = _DIGITS.search(text, start, end)
    if run is None:
        return False
    if 10 <= run.end() - run.start() <= 11 or _DIGITS.search(text, run.end(), end):
        return True
    return _LEADS.search(text, start, end) is not None


def _plus7_region(national: str) -> str | None:
    """The region of the valid number +7 ``national``, or ``None`` where it is no valid number.

    ``phonenumbers.is_valid_number`` (``region_code_for_number``, then
    ``is_valid_number_for_region``) with the numbering plans' patterns compiled once: the region
    is the first of +7's regions whose leading digits start the number (or, for a region without
    them, whose plan knows the number), and the number is valid when its length and digits match
    the plan's general pattern and those of one type of number.
    ``test_plus7_region_equals_phonenumbers`` holds the two against each other.

    >>> _plus7_region("7011234567"), _plus7_region("9161234567"), _plus7_region("7001")
    ('KZ', 'RU', None)
    """
    for region, leading, valid in _plus7_plans():
        if leading is None:
            if valid(national):
                return region
        elif leading.match(national):
            return region if valid(national) else None
    return None


@cache
def _plus7_plans() -> tuple[tuple[str, re.Pattern[str] | None, Callable[[str], bool]], ...]:
    """Each region of +7: its name, leading digits and a test of a national number's validity."""
    return tuple(
        (region, None if leading is None else re.compile(leading), _plan_test(metadata))
        for region, leading, metadata in _plus7_metadata()
    )


@cache
def _plus7_metadata() -> tuple[tuple[str, str | None, phonenumbers.PhoneMetadata], ...]:
    """Each region of +7 in ``phonenumbers``' order: its name, leading digits (a pattern, or
    ``None``) and its metadata (the public ``PhoneMetadata``)."""
    plans = []
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[7]:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region(region.upper(), None)
        if metadata is not None:
            plans.append((region, metadata.leading_digits, metadata))
    return tuple(plans)


def _plan_patterns(metadata: phonenumbers.PhoneMetadata, size: int) -> tuple[str, list[str]] | None:
    """What makes a national number of ``size`` digits valid in a plan: it matches the general
    pattern (the first) and one of the types' patterns of that length (the second) from start
    to end; ``None`` where no number of that size is valid. This is ``phonenumbers``'
    ``_number_type_helper`` giving a number a known type.

    >>> kz = phonenumbers.PhoneMetadata.metadata_for_region("KZ")
    >>> general, types = _plan_patterns(kz, 10)
    >>> re.fullmatch(general, "7011234567") is not None, re.fullmatch(types[0], "7011234567")
    (True, <re.Match object; span=(0, 10), match='7011234567'>)
    >>> _plan_patterns(kz, 9) is None
    True
    """

    def desc(number_desc: phonenumbers.PhoneNumberDesc | None) -> tuple | None:
        if number_desc is None or not number_desc.national_number_pattern:
            return None
        return tuple(number_desc.possible_length), number_desc.national_number_pattern

    general = desc(metadata.general_desc)
    if general is None or (general[0] and size not in general[0]):
        return None
    # Mobile and fixed-line numbers first: the order of an alternation does not change whether
    # it matches, and those are the numbers people write down.
    kinds = [metadata.fixed_line]
    if not metadata.same_mobile_and_fixed_line_pattern:
        kinds.insert(0, metadata.mobile)
    kinds += [
        metadata.premium_rate,
        metadata.toll_free,
        metadata.shared_cost,
        metadata.voip,
        metadata.personal_number,
        metadata.pager,
        metadata.uan,
        metadata.voicemail,
    ]
    fitting = [
        pattern
        for lengths, pattern in filter(None, map(desc, kinds))
        if not lengths or size in lengths
    ]
    if not fitting:
        return None
    return general[1], fitting


def _plan_test(metadata: phonenumbers.PhoneMetadata) -> Callable[[str], bool]:
    """Whether ``phonenumbers``' ``_number_type_helper`` gives a national number a known type."""
    # For each length of number, one pattern: the general pattern matches the whole number (a
    # look-ahead) and so does the pattern of one type of that length (an alternation).
    by_length: dict[int, Callable[[str], re.Match[str] | None] | None] = {}

    def valid(number: str) -> bool:
        size = len(number)
        if size not in by_length:
            patterns = _plan_patterns(metadata, size)
            by_length[size] = (
                None
                if patterns is None
                else re.compile(
                    rf"(?=(?:{patterns[0]})\Z)(?:{'|'.join(f'(?:{p})' for p in patterns[1])})"
                ).fullmatch
            )
        match = by_length[size]
        return match is not None and match(number) is not None

    return valid


def _holds_no_number(text: str, plus7: bool = True) -> bool:
    """Whether ``analyze`` provably reports nothing in ``text``, told without ``phonenumbers``;
    ``plus7``: where national forms are read as +7 numbers only (the count of nine digits).

    A text of ASCII digits alone holds a phone only as the whole text (any part of it touches
    another digit), and a bare number has 10 or 11 digits: an ИИН or a 12-digit ID holds none.
    "2024-03-05 12:34:56" is a time stamp that ``phonenumbers`` skips itself ("2024-03-05 12"
    is followed by ":34"), and ":34", ":56" are too short to be candidates. A number written
    without a plus sign has at least nine digits: ten national ones (every Russian and Kazakh
    number has 10 or 14 after the trunk prefix 8 or the country code 7) or the international
    prefix 810 and at least six more, so "1990-01-15" and "12.03.2024" hold none. A Latin
    letter counts as a digit there, since ``phonenumbers`` reads "1-800-FLOWERS" as digits
    (and ``ı``, ``ſ``, which upper-case to Latin letters).

    >>> _holds_no_number("900101300126"), _holds_no_number("ИИН 900101300126")
    (True, False)
    """
    if text.isascii():
        if text.isdigit():
            return not 10 <= len(text) <= 11
        if _TIMESTAMP.fullmatch(text):
            return True
    if not plus7 or "+" in text or "\uff0b" in text:
        return False
    return _NINE_DIGITS_OR_LETTERS.match(text) is None


_SEVEN_DIGITS = re.compile(r"(?:\D*+\d){7}")
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_DOTTED_QUAD = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
# The shape of ``phonenumbers``' own time stamp rule (a date, a space and an hour followed by
# ":" and minutes), with the seconds after it.
_TIMESTAMP = re.compile(r"[12][0-9]{3}-[01][0-9]-[0-3][0-9] [0-2][0-9](?::[0-5][0-9]){2}")
#: The commonest ways a phone column writes a Kazakh number, which ``_matches`` parses without
#: the matcher, a character a position: "D" an ASCII digit, "N" one but 0 and 8 (+7 8... may be
#: read with 8 as the trunk prefix), any other character itself. +77011234567, +7 701 123 45 67,
#: 87011234567, 8(701)1234567, 8 701 123 4567, 7 (701) 123-45-67: each form has its own length.
_PLAIN_FORMS = (
    "+7NDDDDDDDDD",
    "+7 NDD DDD DD DD",
    "87DDDDDDDDD",
    "8(7DD)DDDDDDD",
    "8 7DD DDD DDDD",
    "7 (7DD) DDD-DD-DD",
)
_FORM_DIGITS = {"D": "0123456789", "N": "12345679"}
_PLAIN_SHAPES = re.compile(
    "|".join(
        "".join(f"[{_FORM_DIGITS[c]}]" if c in _FORM_DIGITS else re.escape(c) for c in form)
        for form in _PLAIN_FORMS
    )
)
#: What ``_PLAIN_SHAPES`` allows besides ASCII digits.
_NON_DIGITS = b"+ ()-"
#: The longest text of one of ``_PLAIN_SHAPES``.
_PLAIN_MAX = max(map(len, _PLAIN_FORMS))
#: How many national digits a text of one of ``_PLAIN_SHAPES`` holds.
_PLAIN_NATIONAL = 10
#: The fewest texts ``_plain_keys`` judges as a column (a dozen NumPy steps), not one by one.
_COLUMN_MIN = 256


def _plain_keys(texts: Sequence[str]) -> np.ndarray:
    """Per text, -1 unless it is a text of one of ``_PLAIN_SHAPES`` and a valid number; for
    those, ``len(text) + (_PLAIN_MAX + 1) * i``, the ``i``-th region of ``_plus7_metadata`` being
    the number's (``_plus7_region(_national(text))``): texts of one key are written alike.

    >>> _plain_keys(["+7 701 123 45 67", "+79161234567", "87001", "тел. 87011234567"]).tolist()
    [34, 12, -1, -1]
    """
    if len(texts) >= _COLUMN_MIN and _head_digits() is not None:
        return _plain_keys_column(texts)
    return np.array([_plain_key(text) for text in texts], dtype=np.intp)


def _plain_key(text: str) -> int:
    """``_plain_keys`` of one text, with ``_PLAIN_SHAPES`` and ``_plus7_region``."""
    if len(text) > _PLAIN_MAX or _PLAIN_SHAPES.fullmatch(text) is None:
        return -1
    region = _plus7_region(_national(text))
    if region is None:
        return -1
    return len(text) + (_PLAIN_MAX + 1) * _plus7_names().index(region)


@cache
def _plus7_names() -> tuple[str, ...]:
    """The regions of +7 in ``_plus7_metadata``'s order."""
    return tuple(name for name, _, _ in _plus7_metadata())


def _plain_keys_column(texts: Sequence[str]) -> np.ndarray:
    """``_plain_keys`` in NumPy, the texts as a table of characters: each text's form (by its
    length), whether each character is one its form allows there, and the region of the
    number by its first ``_head_digits()`` national digits, found once per distinct start
    (``_head_regions``). ``test_plain_keys_column_equals_plain_key`` holds it to
    ``_plain_key``. 0.3 against 2.0 us a text (batches of 4,096 phone column values).
    """
    forms = _form_tables()
    head = _head_digits()
    assert head is not None  # noqa: S101 (``_plain_keys`` asked)
    size = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=size)
    form = forms.by_length[np.minimum(lengths, _PLAIN_MAX + 1)]
    # Longer texts are cut, but their form is none; a character past the end is 0.
    chars = np.array(texts, dtype=f"U{_PLAIN_MAX}").view(np.uint32).reshape(size, _PLAIN_MAX)
    allowed = forms.allowed.take(forms.at[form] + np.minimum(chars, 128))
    plain = np.flatnonzero(allowed.all(axis=1))
    at = plain[:, None] * _PLAIN_MAX + forms.national_at[form[plain], :head]
    starts = (chars.take(at).astype(np.int64) - ord("0")) @ (10 ** np.arange(head - 1, -1, -1))
    table = _head_regions(head)
    region = table[starts]
    if (region == _UNREAD).any():
        for start in np.unique(starts[region == _UNREAD]).tolist():
            found = _plus7_region(f"{start:0{head}d}".ljust(_PLAIN_NATIONAL, "0"))
            table[start] = -1 if found is None else _plus7_names().index(found)
        region = table[starts]
    keys = np.full(size, -1, dtype=np.intp)
    keys[plain] = np.where(
        region < 0, -1, lengths[plain] + (_PLAIN_MAX + 1) * region.astype(np.intp)
    )
    return keys


class _FormTables(NamedTuple):
    """``_PLAIN_FORMS`` as NumPy tables, and one form more that allows nothing (no form)."""

    #: The form of each length up to ``_PLAIN_MAX`` and of any longer text (no form).
    by_length: np.ndarray
    #: Whether a form allows a character (at most 128: 128 for any non-ASCII one) at a
    #: position, ``allowed[at[form, position] + character]``; past a form's end only 0 (a NumPy
    #: string's padding).
    allowed: np.ndarray
    at: np.ndarray
    #: Where a form has each national digit (all its digits but the first).
    national_at: np.ndarray


@cache
def _form_tables() -> _FormTables:
    """``_PLAIN_FORMS`` as NumPy tables (their lengths differ: a test holds it)."""
    count = len(_PLAIN_FORMS)
    by_length = np.full(_PLAIN_MAX + 2, count, dtype=np.intp)
    allowed = np.zeros((count + 1, _PLAIN_MAX, 129), dtype=bool)
    national_at = np.zeros((count + 1, _PLAIN_NATIONAL), dtype=np.intp)
    for i, form in enumerate(_PLAIN_FORMS):
        by_length[len(form)] = i
        allowed[i, len(form) :, 0] = True
        for at, c in enumerate(form):
            allowed[i, at, [ord(d) for d in _FORM_DIGITS.get(c, c)]] = True
        digits = [at for at, c in enumerate(form) if c in _FORM_DIGITS or c.isdigit()]
        national_at[i] = digits[1:]
    rows = np.arange(allowed[:, :, 0].size).reshape(count + 1, _PLAIN_MAX) * allowed.shape[2]
    return _FormTables(by_length, allowed.reshape(-1), rows, national_at)


#: A start of a national number ``_head_regions`` has not read yet.
_UNREAD = -2


@cache
def _head_regions(head: int) -> np.ndarray:
    """Per start of ``head`` digits of a ten-digit national number, the index of its region in
    ``_plus7_names`` (-1: no valid number), filled in as starts are met (``_UNREAD``). What
    ``_plus7_region`` says of a number depends on its first ``head`` digits alone
    (``_head_digits``), so each entry, read from one number of that start, holds for every
    number of that start; the metadata does not change while the process runs."""
    return np.full(10**head, _UNREAD, dtype=np.int8)


#: The most digits ``_head_digits`` lets decide: a table of 10**6 regions is 1 MB.
_HEAD_MAX = 6


@cache
def _head_digits() -> int | None:
    """How many first digits of a ten-digit national number decide what ``_plus7_region``
    says of it, read from the patterns it matches (``None``: more than ``_HEAD_MAX``, or
    patterns of a form this does not read).

    Each region's leading digits must match at its start: a pattern without a repetition
    matches at most as many digits as it has characters and classes. The general and type
    patterns must match all of it: each of their alternatives has to end in ``\\d{m}``, which
    any last ``m`` digits match, so whether a number matches depends on its first ``10 - m``
    digits alone. (KZ and RU: 1 digit for the leading ones, up to 6 for the types.)

    >>> _head_digits()
    6
    """
    most = 0
    for _, leading, metadata in _plus7_metadata():
        if leading is not None:
            size = _longest_match(leading)
            if size is None:
                return None
            most = max(most, size)
        patterns = _plan_patterns(metadata, _PLAIN_NATIONAL)
        for pattern in [] if patterns is None else [patterns[0], *patterns[1]]:
            for alternative in _alternatives(pattern):
                tail = _TAIL.fullmatch(alternative)
                if tail is None or tail.group(1).endswith("\\") or _UNREAD_SYNTAX.search(tail[1]):
                    return None
                most = max(most, _PLAIN_NATIONAL - int(tail.group(2)))
    return most if most <= _HEAD_MAX else None


#: An alternative that ends in ``\d{m}``: what comes before, and ``m``.
_TAIL = re.compile(r"(.*)\\d\{([0-9]+)\}", re.DOTALL)
#: What may make a pattern read past what it matches, or repeat: ``_head_digits`` does not
#: read patterns with one of these.
_UNREAD_SYNTAX = re.compile(r"\(\?[^:]|[$^]|\\[bBAZz]")


def _longest_match(pattern: str) -> int | None:
    """The most characters ``pattern`` matches, at most: without a repetition (nor an escape
    or a look-around), each of its characters and classes is at most one (``None``: it has
    one of those).

    >>> _longest_match("[3489]"), _longest_match("7(?:0[0-2]|47)"), _longest_match("7[0-9]*")
    (1, 5, None)
    """
    bare = pattern.replace("(?:", "(")
    if re.search(r"[*+?{}\\$^]", bare):
        return None
    return len(re.sub(r"\[[^\]]*\]", "0", bare).translate(str.maketrans("", "", "()|")))


def _alternatives(pattern: str) -> list[str]:
    """The alternatives of ``pattern`` at its top level (its "|" outside groups and classes).

    >>> _alternatives("8[0-9]{13}|[78](?:1|2)[0-9]|[|]")
    ['8[0-9]{13}', '[78](?:1|2)[0-9]', '[|]']
    """
    parts, depth, start, in_class, escaped = [], 0, 0, False, False
    for at, c in enumerate(pattern):
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:at])
            start = at + 1
    return [*parts, pattern[start:]]


def _national(plain: str) -> str:
    """The ten national digits of a text of one of ``_PLAIN_SHAPES`` (ASCII): its digits are the
    trunk prefix or country code and those ten. As bytes: ``str.translate`` reads a dict.

    >>> _national("7 (701) 123-45-67"), _national("87011234567")
    ('7011234567', '7011234567')
    """
    return plain.encode().translate(None, _NON_DIGITS)[1:].decode()


_NINE_DIGITS_OR_LETTERS = re.compile(r"(?:[^\dA-Za-z\u0131\u017f]*+[\dA-Za-z\u0131\u017f]){9}")


def _inside_longer_number(text: str, start: int, end: int) -> bool:
    """Whether the match continues a longer token or a grouped number on either side.

    A short digit group across one separator ("4400 4301 2345 6789", "900 101 300 126") glues;
    a whole number there ("87011234567 87021234567") is only a neighbour.
    """
    if start > 0:
        before = text[start - 1]
        if before.isalnum() or before in "+/_@":
            return True
        if text[start] != "+" and before in _SEPARATORS and _short_group(text, start - 2, -1):
            return True
    if end < len(text):
        after = text[end]
        if after.isalnum() or after in "/_@":
            return True
        if after in _SEPARATORS and _short_group(text, end + 1, 1):
            return True
    return False


_KEY = re.compile(r"([\w.\-\[\]]+)=$")
_KEY_PARTS = re.compile(r"[^\W\d_]+")


def _query_value(text: str, start: int) -> bool:
    """Whether the number is a URL query or ``key=value`` value whose key does not say phone.

    >>> _query_value("utm_campaign=77011234567", 13), _query_value("phone=87011234567", 6)
    (True, False)
    """
    if start == 0:
        return False
    before = text[start - 1]
    if before != "=":  # ``_KEY`` ends in "=": no search for it (4 us in a message)
        return before in "?&#"
    key = _KEY.search(text[max(0, start - 40) : start])
    if not key:
        return False
    words = load_words("context_phone_number")
    return not any(fold(part) in words for part in _KEY_PARTS.findall(key.group(1)))


def _main_number_end(text: str, start: int, end: int, extension_digits: int) -> int:
    """End of the number before its extension: one past the last digit before the extension's.

    >>> _main_number_end("+7 701 123 45 67 доб. 105", 0, 25, 3)
    16
    """
    digits = [i for i in range(start, end) if text[i].isdigit()]
    if extension_digits <= 0 or extension_digits >= len(digits):
        return end
    return digits[-extension_digits - 1] + 1


def _short_group(text: str, pos: int, step: int) -> bool:
    """Whether a run of one to four digits starts at ``pos`` going in direction ``step``."""
    count = 0
    while 0 <= pos < len(text) and text[pos].isdigit():
        count += 1
        pos += step
    return 1 <= count <= 4


def _masked_nearby(text: str, start: int, end: int) -> bool:
    """Whether mask characters sit inside or right next to the match ("+7 701 *** 45 67")."""
    return not _MASKS.isdisjoint(text[max(0, start - 3) : end + 3])


def _bare_number_fits(digits: str, number: phonenumbers.PhoneNumber) -> bool:
    """A bare digit run is a phone only with 10 or 11 digits; a +7 one only as 11 digits with a
    trunk prefix or as a 10-digit mobile (other +7 runs are order numbers too often). Regions
    listed beside KZ and RU take any valid number of those lengths ("2121234567", Istanbul)."""
    if number.country_code != 7:
        return 10 <= len(digits) <= 11
    if len(digits) == 11:
        return digits[0] in "78"
    if len(digits) == 10:
        return phonenumbers.number_type(number) in _MOBILE
    return False
