"""Values -> findings: runs the recognizers over batches of texts, fast.

The Presidio ``AnalyzerEngine`` (``pdaudit.scanner.engine``) tokenises every text with spaCy and calls
each recognizer per text. Database cells repeat a lot and are short, so this module calls the
recognizers directly: it deduplicates the batch, keeps a cache of recent texts (two generations
of plain dicts), hands the whole batch to recognizers that can take one (the PERSON recognizer
batches its NER), and resolves overlaps between types the same way for every caller.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from presidio_analyzer import EntityRecognizer, RecognizerResult

from pdaudit.recognizers.base import (
    ATTRIBUTES,
    EVIDENCE,
    LANGUAGE,
    candidate_lengths,
    score2,
)
from pdaudit.recognizers.registry import all_recognizers

if TYPE_CHECKING:
    from pdaudit.scanner.custom import AllowList

#: Types that describe a business, not a person: reported, never counted as personal data.
NON_PERSONAL_TYPES = frozenset({"KZ_BIN"})

_LETTER = re.compile(r"[^\W\d_]")
#: What an empty text holds (the analysis hands out copies).
_NOTHING: list = []


def _digits(n: int) -> re.Pattern[str]:
    """Matches (with ``search``) a text holding at least ``n`` digits, anywhere."""
    # \D and \d are disjoint, so this never backtracks.
    pattern = re.compile(rf"^(?:\D*+\d){{{n}}}")
    _DIGIT_FLOORS[pattern] = n
    return pattern


#: The ``_digits(n)`` patterns and their ``n``: recognizers whose types all need digits are
#: prefiltered by the smallest floor among them.
_DIGIT_FLOORS: dict[re.Pattern[str], int] = {}


class _AtLeastDigits:
    """A prefilter: the text holds at least ``floor`` digits (what ``_digits(floor)`` tests)."""

    __slots__ = ("floor", "_search")

    def __init__(self, floor: int) -> None:
        self.floor = floor
        # One possessive search: faster than counting the digits (0.3 against 0.4-0.9 us).
        self._search = re.compile(rf"^(?:\D*+\d){{{floor}}}").search

    def __call__(self, text: str) -> bool:
        return self._search(text) is not None


class _NumberOfLength:
    """A prefilter: ``digit_runs`` can find a number of one of ``lengths`` digits in the text."""

    __slots__ = ("lengths",)

    def __init__(self, lengths: Iterable[int]) -> None:
        self.lengths = frozenset(lengths)

    def __call__(self, text: str) -> bool:
        return not self.lengths.isdisjoint(candidate_lengths(text))


#: What a text must contain before a type can be found in it: a cheap regex search that skips a
#: recognizer on texts where it cannot find anything. Each entry is a lower bound read off the
#: built-in recognizer's candidate patterns: an ИИН/БИН is a run of 12 digits, a card 13-19, an
#: ИНН 10 or 12, a СНИЛС 11, a passport 10, an ID document 7-9; a phone, a birth date need a
#: digit; an e-mail an "@"; an IPv4 address four numbers joined by dots, an IPv6 one two colons
#: with at most four hex digits between them; names and addresses a letter. A phone has at least
#: seven digits (``PhoneRecognizer`` returns nothing below that). A birth date lies in
#: 1900..today, so its year is written ``19xx``/``20xx`` or as two digits after a day and a month
#: (``12.03.95``), and no digit touches the year in any of ``DateOfBirthRecognizer``'s patterns
#: ("заказ № 20345" holds none); non-ASCII digits are let through, they slip past ``19|20``.
#: Patterns open with ``\d`` where they can, so that the regex engine jumps from digit to digit.
#: (OCR look-alikes are folded before the text reaches the analysis.)
#: ``tests/test_fastpath.py`` checks that the prefilter never changes a result. A recognizer may
#: declare its own ``might_contain(text) -> bool``, which takes the place of its entry here (the
#: built-in PHONE_NUMBER, IP_ADDRESS, KZ_ID_DOCUMENT, IBAN_CODE, DATE_OF_BIRTH and ADDRESS
#: recognizers do: their tests are tighter; the entries stay for recognizers of those types
#: without one; the built-in RU_PASSPORT keeps its 10-digit floor). A ``ValidatedRecognizer``
#: whose candidates are digit runs is prefiltered by the lengths of the text's runs instead
#: (``candidate_lengths``). Types not listed here are never prefiltered.
PREFILTERS: dict[str, re.Pattern[str]] = {
    "EMAIL_ADDRESS": re.compile("@"),
    "PHONE_NUMBER": _digits(7),
    "KZ_IIN": _digits(12),
    "KZ_BIN": _digits(12),
    "KZ_ID_DOCUMENT": _digits(7),
    "CREDIT_CARD": _digits(13),
    "IBAN_CODE": _digits(2),
    "RU_INN": _digits(10),
    "RU_SNILS": _digits(11),
    "RU_PASSPORT": _digits(10),
    "DATE_OF_BIRTH": re.compile(
        r"\d(?:(?<!\d\d)(?:(?<=1)9|(?<=2)0)\d\d(?!\d)|[./-]\d{1,2}[./-]\d\d(?!\d)|(?<![0-9]))"
    ),
    "IP_ADDRESS": re.compile(r"\d\.\d{1,3}\.\d{1,3}\.\d|:[0-9A-Fa-f]{0,4}:"),
    "PERSON": _LETTER,
    "ADDRESS": _LETTER,
}


#: What ``PREFILTERS`` asks of a text, as RE2 patterns that match wherever the entry matches (they
#: may match more: RE2 has no look-arounds). One ``re2.Set`` pass over a text tells every
#: recognizer at once whether its entry matches: about 0.8 us a text, where the entries' own
#: searches, one after the other, cost 0.1-1.3 us each (the regex engine walks the text once per
#: pattern). ``\p{Nd}`` is what ``\d`` means in a ``str`` pattern (RE2's Unicode tables must
#: hold every digit Python's do: ``tests/test_fastpath.py`` checks every code point, so a Python
#: that knows newer digits fails loudly); ``[^\P{Nd}0-9]`` a digit other than 0-9. IBAN_CODE asks
#: for what every candidate of the built-in IBAN recognizer opens with
#: (``pdaudit.recognizers.iban._CANDIDATE``, also tested), not for its two-digit floor: the IBAN
#: recognizer is the only built-in one of that type.
RE2_PREFILTERS: dict[str, str] = {
    "EMAIL_ADDRESS": "@",
    "DATE_OF_BIRTH": (
        r"(?:19|20)\p{Nd}\p{Nd}|\p{Nd}[./-]\p{Nd}{1,2}[./-]\p{Nd}\p{Nd}|[^\P{Nd}0-9]"
    ),
    "IP_ADDRESS": r"\p{Nd}\.\p{Nd}{1,3}\.\p{Nd}{1,3}\.\p{Nd}|:[0-9A-Fa-f]{0,4}:",
    "PERSON": r"[A-Za-z]|[^\x00-\x7F]",
    "ADDRESS": r"[A-Za-z]|[^\x00-\x7F]",
    "IBAN_CODE": "[A-Z][A-Z][0-9][0-9]",
}


def _re2_digits(n: int) -> str:
    """At least ``n`` digits anywhere (``_digits(n)``)."""
    return r"\p{Nd}" if n <= 1 else rf"\p{{Nd}}(?:\P{{Nd}}*\p{{Nd}}){{{n - 1}}}"


def _re2_prefilter(recognizer: EntityRecognizer, wanted: list[str]) -> str | None:
    """The RE2 pattern that a text must match before a built-in recognizer can find ``wanted``
    in it (``None``: none is known, the text goes to the recognizer's own test)."""
    if not type(recognizer).__module__.startswith("pdaudit.recognizers."):
        return None
    own = getattr(recognizer, "RE2_PREFILTER", None)
    if isinstance(own, str):
        # A recognizer of several types that knows a tighter test (the MRZ's filler run).
        return own
    number_lengths = getattr(recognizer, "number_lengths", None)
    lengths = number_lengths() if callable(number_lengths) else None
    if lengths:
        # Each candidate length counts digits of the text: it needs at least the fewest.
        return _re2_digits(min(lengths))
    floors: list[int] = []
    searches: list[str] = []
    for entity in wanted:
        if entity in RE2_PREFILTERS:
            searches.append(RE2_PREFILTERS[entity])
        elif PREFILTERS.get(entity) in _DIGIT_FLOORS:
            floors.append(_DIGIT_FLOORS[PREFILTERS[entity]])
        else:
            return None
    if floors:
        searches.append(_re2_digits(min(floors)))
    if not searches:
        return None
    return "|".join(f"(?:{s})" for s in dict.fromkeys(searches))


class _PrefilterSet:
    """The RE2 prefilters of several recognizers, matched together: ``hits(texts)`` lists, per
    pattern, the indexes of the texts it matches."""

    def __init__(self, patterns: list[str]) -> None:
        import re2

        options = re2.Options()
        options.max_mem = 64 << 20  # the DFA's state cache; small patterns never come near it
        built = re2.Set.SearchSet(options)
        for pattern in patterns:
            built.Add(pattern)
        built.Compile()
        self.size = len(patterns)
        # Bytes in (encoded once per text by ``hits``), the matching patterns' indexes or None out.
        self._match: Callable[[bytes], Sequence[int] | None] = built.Match

    def hits(self, texts: Sequence[str]) -> list[list[int]]:
        """Per pattern, the indexes of the ``texts`` it matches, in order."""
        hits: list[list[int]] = [[] for _ in range(self.size)]
        match = self._match
        try:
            matched = list(map(match, map(str.encode, texts)))
        except UnicodeEncodeError:  # a lone surrogate: such a text passes every prefilter
            everything = list(range(self.size))
            matched = [everything if _unencodable(t) else match(t.encode()) for t in texts]
        for i, found in enumerate(matched):
            if found:
                for k in found:
                    hits[k].append(i)
        return hits


def _unencodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return True
    return False


def _prefilter_set(patterns: list[str | None]) -> tuple[_PrefilterSet | None, list[int | None]]:
    """One ``_PrefilterSet`` for the distinct patterns, and each recognizer's index in it."""
    unique = list(dict.fromkeys(p for p in patterns if p is not None))
    if not unique:
        return None, [None] * len(patterns)
    try:
        prefilters = _PrefilterSet(unique)
    except ImportError:  # google-re2 is not installed: the per-text tests do the work alone
        return None, [None] * len(patterns)
    return prefilters, [None if p is None else unique.index(p) for p in patterns]


class Entity(NamedTuple):
    """One detected entity in one text: code-point offsets into that text.

    A named tuple, not a frozen dataclass: a full scan builds one per finding, and a frozen
    dataclass's ``__init__`` costs five times as much (1.4 us against 0.26 us here).
    """

    type: str
    start: int
    end: int
    score: float
    evidence: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict:
        """The public ``detect`` shape."""
        return {"type": self.type, "start": self.start, "end": self.end, "score": self.score}


_new_entity = tuple.__new__  # Entity's own __new__ is a Python function: one call less


def _to_entity(result: RecognizerResult) -> Entity:
    score = score2(result.score)
    metadata = result.recognition_metadata
    if not metadata:
        return _new_entity(Entity, (result.entity_type, result.start, result.end, score, (), ()))
    # evidence_of() and attributes_of() without their copies: this runs once per finding.
    evidence = metadata.get(EVIDENCE)
    attributes = metadata.get(ATTRIBUTES)
    if attributes:
        attributes = tuple(
            attributes.items() if len(attributes) == 1 else sorted(attributes.items())
        )
    return _new_entity(
        Entity,
        (
            result.entity_type,
            result.start,
            result.end,
            score,
            tuple(evidence) if evidence else (),
            attributes or (),
        ),
    )


def resolve_overlaps(entities: Iterable[Entity], text: str | None = None) -> list[Entity]:
    """Keep one entity per overlapping group.

    A span that contains another wins (an IBAN over the phone-like digits inside it, an address
    over the street named after a person); between spans that only partly overlap the higher
    score wins, then the longer, then the earlier. Given the ``text``, a PERSON span that
    contains an entity with digits (a name field's whole cell read as a name, IIN included)
    first gives way to it: the PERSON keeps the words around it (``unswallow``).

    >>> a = Entity("IBAN_CODE", 0, 20, 1.0); b = Entity("PHONE_NUMBER", 4, 15, 0.7)
    >>> resolve_overlaps([b, a]) == [a]
    True
    """
    if text is not None:
        entities = unswallow(text, list(entities))
    ranked = sorted(entities, key=lambda e: (-(e.end - e.start), -e.score, e.start, e.type))
    kept: list[Entity] = []
    for cand in ranked:
        clash = None
        for other in kept:
            if cand.start < other.end and other.start < cand.end:
                clash = other
                break
        if clash is None:
            kept.append(cand)
            continue
        contains = clash.start <= cand.start and cand.end <= clash.end
        if not contains and cand.score > clash.score:
            kept.remove(clash)
            if not any(cand.start < o.end and o.start < cand.end for o in kept):
                kept.append(cand)
    return sorted(kept, key=lambda e: (e.start, e.end, e.type))


def unswallow(text: str, entities: list[Entity]) -> list[Entity]:
    """``entities`` with every PERSON span that contains an entity holding digits cut around it:
    the PERSON keeps each run of words between them that holds two letters or more.

    >>> text = "Жумабеков 900101300126 Арман"
    >>> found = [Entity("PERSON", 0, 28, 0.9), Entity("KZ_IIN", 10, 22, 1.0)]
    >>> [(e.type, text[e.start : e.end]) for e in unswallow(text, found)]
    [('KZ_IIN', '900101300126'), ('PERSON', 'Жумабеков'), ('PERSON', 'Арман')]
    """
    persons = [e for e in entities if e.type == "PERSON"]
    if not persons or len(entities) < 2:
        return entities
    out = [e for e in entities if e.type != "PERSON"]
    for p in persons:
        inner = sorted(
            (
                e
                for e in out
                if p.start <= e.start
                and e.end <= p.end
                and (e.start, e.end) != (p.start, p.end)
                and any(ch.isdigit() for ch in text[e.start : e.end])
            ),
            key=lambda e: e.start,
        )
        if not inner:
            out.append(p)
            continue
        cuts = [p.start]
        for e in inner:
            cuts += [e.start, e.end]
        cuts.append(p.end)
        for a, b in zip(cuts[::2], cuts[1::2], strict=True):
            letters = [i for i in range(a, b) if text[i].isalpha()]
            if len(letters) < 2:
                continue
            start, end = letters[0], letters[-1] + 1
            if end < b and text[end] == ".":  # an initial: "Жумабеков А.Н."
                end += 1
            out.append(_new_entity(Entity, (p.type, start, end, p.score, p.evidence, p.attributes)))
    return out


class Analyzer:
    """Runs pdaudit's recognizers over many texts with deduplication and a cache."""

    def __init__(
        self,
        recognizers: Sequence[EntityRecognizer] | None = None,
        entities: Iterable[str] | None = None,
        min_score: float = 0.0,
        cache_size: int = 200_000,
        prefilter: bool = True,
        phone_regions: str | Sequence[str] | None = None,
        allow: AllowList | None = None,
    ) -> None:
        #: values never reported (``pdaudit.scanner.custom.AllowList``)
        self.allow = allow if allow else None
        self.recognizers = list(recognizers) if recognizers is not None else all_recognizers()
        if phone_regions is not None:
            # Recognizers that read national phone forms take the regions (``with_regions``).
            self.recognizers = [
                r.with_regions(phone_regions) if hasattr(r, "with_regions") else r
                for r in self.recognizers
            ]
        self.entities = set(entities) if entities else None
        if self.entities:
            self.recognizers = [
                r for r in self.recognizers if set(r.supported_entities) & self.entities
            ]
        self.min_score = min_score
        self.cache_size = cache_size
        self.prefilter = prefilter
        self._wanted = [
            [e for e in r.supported_entities if not self.entities or e in self.entities]
            for r in self.recognizers
        ]
        self._might = [
            _might_contain(r, wanted) if prefilter else None
            for r, wanted in zip(self.recognizers, self._wanted, strict=True)
        ]
        # One RE2 pass per text in front of the recognizers' own prefilters.
        self._prefilters, self._gates = _prefilter_set(
            [
                _re2_prefilter(r, wanted) if might is not None else None
                for r, wanted, might in zip(
                    self.recognizers, self._wanted, self._might, strict=True
                )
            ]
        )
        # Two generations of remembered texts, per field context: lookups try the newer one
        # first, a hit in the older one moves the text up, and once the newer one holds half of
        # ``cache_size`` texts (all contexts together) it becomes the older one and the oldest
        # texts are forgotten. Plain dicts keyed by the text itself: an LRU ``OrderedDict``
        # keyed by ``(text, context)`` cost a tuple, its hash and a reordering per value.
        self._new: dict[tuple[str, ...], dict[str, list[Entity]]] = {}
        self._old: dict[tuple[str, ...], dict[str, list[Entity]]] = {}
        self._new_size = 0

    @property
    def supported_entities(self) -> list[str]:
        """Every entity type the loaded recognizers can report."""
        names = {e for r in self.recognizers for e in r.supported_entities}
        return sorted(names & self.entities if self.entities else names)

    def analyze(self, text: str, context: Sequence[str] | None = None) -> list[Entity]:
        """Entities found in one text."""
        return self.analyze_batch([text], context)[0]

    def analyze_batch(
        self, texts: Sequence[str], context: Sequence[str] | None = None
    ) -> list[list[Entity]]:
        """Entities found in each text; ``context`` holds words of the field the texts come from."""
        ctx = tuple(context or ())
        new = self._new.get(ctx)
        if new is None:
            new = self._new[ctx] = {}
        old = self._old.get(ctx) or {}
        size = len(new)
        # Looked up in C over the whole batch; only the texts the newer generation lacks (and
        # empty ones, never analysed) are looked at one by one.
        found: list[list[Entity] | None] = list(map(new.get, texts))
        todo: dict[str, int] = {}  # a text to analyse -> where it first stands in ``texts``
        again: list[tuple[int, str]] = []  # where it stands again in this batch
        for i in [i for i, ents in enumerate(found) if ents is None]:
            text = texts[i]
            if not text:
                found[i] = _NOTHING
                continue
            ents = old.get(text)
            if ents is not None:
                new[text] = found[i] = ents
            elif text in todo:
                again.append((i, text))
            else:
                todo[text] = i
        if todo:
            missing = list(todo)
            results = self._run(missing, list(ctx))
            if self.min_score > 0:
                # Filtered once per distinct text, before the cache keeps it: not per value.
                floor = self.min_score
                results = [
                    [e for e in ents if e.score >= floor] if ents else ents for ents in results
                ]
            if self.allow is not None:
                allows = self.allow.allows
                results = [
                    [e for e in ents if not allows(e.type, text[e.start : e.end])] if ents else ents
                    for text, ents in zip(missing, results, strict=True)
                ]
            for i, ents in zip(todo.values(), results, strict=True):
                found[i] = ents
            for i, text in again:
                found[i] = found[todo[text]]
            if self.cache_size > 0:
                new.update(zip(missing, results, strict=True))
        self._new_size += len(new) - size
        if self._new_size * 2 >= self.cache_size:
            self._old, self._new, self._new_size = self._new, {}, 0
        # Copies: the cached lists must not change under a caller.
        return list(map(list.copy, found))  # type: ignore[arg-type]

    def cached_texts(self) -> int:
        """How many texts the cache holds now (all field contexts together)."""
        return sum(len(d) for gen in (self._new, self._old) for d in gen.values())

    def _run(self, texts: list[str], context: list[str]) -> list[list[Entity]]:
        per_text: list[list[Entity]] = [[] for _ in texts]
        # Each text's candidate number lengths, worked out when a recognizer first needs them.
        lengths: list[set[int] | None] | None = None
        everyone = range(len(texts))
        hits = self._prefilters.hits(texts) if self._prefilters is not None else None
        for recognizer, wanted, might, gate in zip(
            self.recognizers, self._wanted, self._might, self._gates, strict=True
        ):
            # Only the texts that can hold one of the recognizer's types reach it: those its RE2
            # prefilter matches, then those its own test lets through.
            if might is None:
                index: Sequence[int] = everyone
                subset = texts
            else:
                candidates = everyone if hits is None or gate is None else hits[gate]
                if not candidates:
                    continue
                if isinstance(might, _NumberOfLength):
                    if lengths is None:
                        lengths = [None] * len(texts)
                    want = might.lengths
                    index = []
                    for i in candidates:
                        found = lengths[i]
                        if found is None:
                            found = lengths[i] = candidate_lengths(texts[i])
                        if not want.isdisjoint(found):
                            index.append(i)
                else:
                    index = [i for i in candidates if might(texts[i])]
                if not index:
                    continue
                subset = [texts[i] for i in index]
            direct = getattr(recognizer, "entities_batch", None)
            tuples = direct(subset, wanted, context=context) if direct is not None else None
            if tuples is not None:
                # A built-in recognizer's own tuples: no ``RecognizerResult`` to convert, and
                # every one is of a wanted type (the recognizer was told which).
                for i, found in zip(index, tuples, strict=True):
                    if found:
                        if len(found) == 1:
                            per_text[i].append(_new_entity(Entity, found[0]))
                        else:
                            per_text[i].extend(_new_entity(Entity, f) for f in found)
                continue
            batch = getattr(recognizer, "analyze_batch", None)
            if batch is not None:
                results = batch(subset, wanted, context=context)
            else:
                results = [_analyze_one(recognizer, t, wanted, context) for t in subset]
            for i, res in zip(index, results, strict=True):
                if not res:
                    continue
                if len(res) == 1:  # the common case, without a generator
                    if res[0].entity_type in wanted:
                        per_text[i].append(_to_entity(res[0]))
                else:
                    per_text[i].extend(_to_entity(r) for r in res if r.entity_type in wanted)
        return [
            resolve_overlaps(ents, text) if len(ents) > 1 else ents
            for ents, text in zip(per_text, texts, strict=True)
        ]


def _might_contain(recognizer: EntityRecognizer, wanted: list[str]) -> Callable[[str], bool] | None:
    """A cheap test that is False only for texts where the recognizer cannot find ``wanted``."""
    own = getattr(recognizer, "might_contain", None)
    if callable(own):
        return own
    if not type(recognizer).__module__.startswith("pdaudit.recognizers."):
        # The prefilters encode what pdaudit's own recognizers need; a plugin may find its
        # type in any text.
        return None
    number_lengths = getattr(recognizer, "number_lengths", None)
    lengths = number_lengths() if callable(number_lengths) else None
    if lengths:
        return _NumberOfLength(lengths)
    prefilters = [PREFILTERS.get(e) for e in wanted]
    patterns = [p for p in prefilters if p is not None]
    if not patterns or len(patterns) < len(prefilters):
        return None
    unique = list(dict.fromkeys(patterns))
    if all(p in _DIGIT_FLOORS for p in unique):
        return _AtLeastDigits(min(_DIGIT_FLOORS[p] for p in unique))
    if len(unique) == 1:
        search = unique[0].search
        return lambda text: search(text) is not None
    searches = [p.search for p in unique]
    return lambda text: any(s(text) is not None for s in searches)


@cache
def _takes_context(cls: type[EntityRecognizer]) -> bool:
    return "context" in inspect.signature(cls.analyze).parameters


def _analyze_one(
    recognizer: EntityRecognizer, text: str, entities: list[str], context: list[str]
) -> list[RecognizerResult]:
    # Presidio annotates ``nlp_artifacts`` as required (its recognizers take ``None``) and its
    # ``analyze`` has no ``context``: pdaudit's recognizers have it, as ``_takes_context`` checks.
    # (mypy reads the class's ``__hash__`` as its instances' and calls the class unhashable.)
    if _takes_context(type(recognizer)):  # type: ignore[arg-type]
        return recognizer.analyze(text, entities, None, context=context) or []  # type: ignore[call-arg, arg-type]
    # A third-party recognizer without pdaudit's ``context`` argument.
    return recognizer.analyze(text, entities, None) or []  # type: ignore[arg-type]


__all__ = [
    "Analyzer",
    "Entity",
    "LANGUAGE",
    "NON_PERSONAL_TYPES",
    "PREFILTERS",
    "resolve_overlaps",
]
