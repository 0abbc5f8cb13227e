"""Values -> findings: runs the recognizers over batches of texts, fast.

The Presidio ``AnalyzerEngine`` (``pdaudit.scanner.engine``) tokenises every text with spaCy and calls
each recognizer per text. Database cells repeat a lot and are short, so this module calls the
recognizers directly: it deduplicates the batch, keeps a cache of recent texts (two generations
of plain dicts), runs every recognizer's declared search (``pdaudit.recognizers.base.Search``)
over the batch's distinct texts in vectorised polars passes (the long patterns behind their
union: ``Searches._run_whole``), hands each recognizer the texts
its search selected (``findings``, the one contract: ``pdaudit.recognizers.base.Findings``), and
resolves overlaps between types the same way for every caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from itertools import compress, pairwise
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from presidio_analyzer import EntityRecognizer

from pdaudit.recognizers.base import (
    LANGUAGE,
    EntityTuple,
    Findings,
    Search,
    findings_of,
)
from pdaudit.recognizers.registry import all_recognizers
from pdaudit.scanner.digit_blind import (
    digit_blind_parts,
    digit_superset,
    distinct_shapes,
    reads_digits,
)

if TYPE_CHECKING:
    from pdaudit.scanner.custom import AllowList

#: Types that describe a business, not a person: reported, never counted as personal data.
NON_PERSONAL_TYPES = frozenset({"KZ_BIN"})

#: What an empty text holds (the analysis hands out copies).
_NOTHING: list = []
#: How many texts of a field the cache is asked for before it decides whether to go on
#: remembering the field's texts, and the share of them it must have held (``analyze_batch``).
PROBE_TEXTS = 20_000
MIN_HELD_SHARE = 0.01

Finder = Callable[[Sequence[str], list[str], "list[str] | None"], list[list[EntityTuple]]]


def search_of(recognizer: EntityRecognizer) -> Search | None:
    """The recognizer's declared search; ``None`` (every text) when it declares none or one that
    asks for nothing."""
    search = getattr(recognizer, "SEARCH", None)
    if not isinstance(search, Search):
        return None
    if (
        search.pattern is None
        and search.min_len <= 0
        and search.max_len is None
        and search.also is None
        and search.unless is None
    ):
        return None
    return search


def finder_of(recognizer: EntityRecognizer) -> Finder:
    """How the analysis reads a batch with the recognizer: its ``findings``, or ``analyze``
    text by text for a recognizer outside the contract (a plain Presidio one)."""
    if isinstance(recognizer, Findings):
        return recognizer.findings
    return partial(findings_of, recognizer)


class _Test(NamedTuple):
    """One pattern of a search, split by ``digit_blind_parts``: its columns among the patterns
    run over the digit shapes and among those run over the texts (``None``: no such part)."""

    blind: int | None
    reading: int | None
    #: the text must not hold it (``Search.unless``)
    negated: bool


#: Texts longer than this on average (messages) are searched as they are: their digit shapes
#: seldom repeat, and shaping them costs more than it saves.
LONG_TEXTS = 100
#: How many digit shapes ``Searches`` remembers the answers for (cleared when full).
SHAPES_KEPT = 50_000
#: How many texts of a field ``Searches.hits`` shapes before it decides whether the field's
#: shapes repeat; a field whose shapes do not (e-mails, names: over ``shape_share`` of its texts'
#: shapes distinct) is searched as ``hits_direct`` from then on, without shaping its texts.
PROBE_SHAPES = 4_000
#: Patterns longer than this run over the texts only where their union holds
#: (``Searches._run_whole``); the shorter ones (a letter, "@") hold in most texts. A long one
#: that held in over ``FREQUENT_SHARE`` of the texts of a field's last batch runs by itself.
GATED_PATTERN = 40
FREQUENT_SHARE = 0.25
#: How many fields ``Searches`` remembers the often-holding long patterns of (cleared when full).
FIELDS_KEPT = 10_000


class Searches:
    """Several recognizers' searches, run together: ``select(texts)`` tells, per recognizer,
    the indexes of the texts its search selects (``None``: every text).

    Most values of a column differ only in their digits (time stamps, phones, ИИН, addresses),
    and most patterns cannot tell one ASCII digit from another (``digit_blind_parts`` decides
    that from each pattern's text): those run over the batch's distinct digit shapes, whose
    answers are remembered from batch to batch (they depend on the shape alone); the others run
    over the texts themselves, but only over those whose shape a digit-blind superset of the
    pattern (``digit_superset``) selects. ``hits_direct`` runs every pattern over the texts:
    so do batches whose shapes barely repeat, and, once its first ``PROBE_SHAPES`` texts have
    shown that, every batch of a field (``select(texts, context)``) whose shapes do not repeat.
    """

    def __init__(
        self,
        searches: Sequence[Search | None],
        shape_share: float = 0.5,
        long_texts: float = LONG_TEXTS,
    ) -> None:
        #: the digit shapes are searched when there are at most this share of the texts of
        #: distinct ones and the texts are no longer than ``long_texts`` on average (else
        #: every pattern runs over the texts, as ``hits_direct``)
        self.shape_share = shape_share
        self.long_texts = long_texts
        unique = list(dict.fromkeys(s for s in searches if s is not None))
        self.searches = unique
        #: per recognizer, its column among ``unique`` (``None``: no search)
        self.columns = [None if s is None else unique.index(s) for s in searches]
        blind: dict[str, int] = {}
        reading: dict[str, int] = {}
        #: per search, its patterns' tests, all of which a selected text passes
        self._tests: list[list[_Test]] = []
        for search in unique:
            tests = []
            for pattern, negated in (
                (search.pattern, False),
                (search.also, False),
                (search.unless, True),
            ):
                if pattern is not None:
                    b, r = digit_blind_parts(pattern)
                    tests.append(
                        _Test(
                            None if b is None else blind.setdefault(b, len(blind)),
                            None if r is None else reading.setdefault(r, len(reading)),
                            negated,
                        )
                    )
            self._tests.append(tests)
        #: per digit-reading pattern, the column of its digit-blind superset (``None``: none)
        self._supersets: list[int | None] = []
        for pattern in reading:
            superset = digit_superset(pattern)
            if superset is None or reads_digits(superset):
                self._supersets.append(None)
            else:
                self._supersets.append(blind.setdefault(superset, len(blind)))
        #: the patterns run over the digit shapes, and those run over the texts
        self.blind = list(blind)
        self.reading = list(reading)
        self._exprs: tuple[list, list] | None = None
        self._whole: list[str] | None = None
        #: digit shape -> its row of ``blind`` answers (as bytes)
        self._known: dict[str, bytes] = {}
        #: per field (its context), how many texts were shaped and how many distinct shapes
        #: their batches had, until ``PROBE_SHAPES`` texts; the fields whose shapes do not repeat
        self._probed: dict[tuple[str, ...], tuple[int, int]] = {}
        self._unshaped: set[tuple[str, ...]] = set()
        #: how many shapes and texts the patterns were run over, and how many texts were shaped
        #: (what the tests count)
        self.shapes_searched = 0
        self.texts_searched = 0
        #: how many texts the long patterns ran over (where their union held: ``_run_whole``)
        self.texts_gated = 0
        #: per field (its context), the long patterns that held often in its last batch
        self._frequent: dict[tuple[str, ...] | None, frozenset[str]] = {}
        #: whether the long patterns are united (not once their union proved too big)
        self._unions = True
        self.texts_shaped = 0

    def _expressions(self) -> tuple[list, list]:
        if self._exprs is None:
            import polars as pl

            text = pl.col("t")
            blind = [text.str.contains(p).alias(f"b{k}") for k, p in enumerate(self.blind)]
            reading = [text.str.contains(p).alias(f"r{k}") for k, p in enumerate(self.reading)]
            self._exprs = blind, reading
        return self._exprs

    def hits(self, texts: Sequence[str], context: Sequence[str] | None = None) -> list[list[int]]:
        """Per distinct search, the indexes of the ``texts`` it selects, in order. ``context``
        names the field the texts come from: a field whose shapes do not repeat is searched
        as ``hits_direct`` once ``PROBE_SHAPES`` of its texts have shown it."""
        if not self.searches or not texts:
            return [[] for _ in self.searches]
        field = None if context is None else tuple(context)
        if field in self._unshaped:
            return self.hits_direct(texts, context)
        n = len(texts)
        if len("".join(texts)) > self.long_texts * n:  # messages: their shapes seldom repeat
            return self.hits_direct(texts, context)
        try:
            shapes, codes = distinct_shapes(texts)
        except UnicodeEncodeError:  # a lone surrogate (no UTF-8): such texts pass every search
            return self._hits_apart(texts, partial(self.hits, context=context))
        self.texts_shaped += n
        if field is not None:
            self._probe(field, n, len(shapes))
        if len(shapes) > self.shape_share * n:  # few texts share a shape (names, messages)
            return self._run_whole(texts, field)  # type: ignore[return-value]
        table = self._shape_answers(shapes)
        # A row per pattern, a column per text (each pattern's answers contiguous).
        blind = table.T if codes is None else table.T[:, codes]
        reading = self._reading_answers(texts, blind)
        lengths = np.fromiter(map(len, shapes), dtype=np.int64, count=len(shapes))
        if codes is not None:
            lengths = lengths[codes]
        return [
            np.flatnonzero(self._mask(search, tests, blind, reading, lengths)).tolist()
            for search, tests in zip(self.searches, self._tests, strict=True)
        ]

    def _probe(self, field: tuple[str, ...], texts: int, shapes: int) -> None:
        """Count a batch of a field's texts and its distinct shapes; once ``PROBE_SHAPES``
        texts are counted, a field with more than ``shape_share`` of them distinct is no longer
        shaped."""
        before = self._probed.get(field, (0, 0))
        if before[0] >= PROBE_SHAPES:
            return
        texts, shapes = before[0] + texts, before[1] + shapes
        self._probed[field] = (texts, shapes)
        if texts >= PROBE_SHAPES and shapes > self.shape_share * texts:
            self._unshaped.add(field)

    def _shape_answers(self, keys: list[str]) -> np.ndarray:
        """The ``blind`` patterns' answers, a row per shape (remembered ones are not run)."""
        known = self._known
        rows = list(map(known.get, keys))
        missing = [i for i, row in enumerate(rows) if row is None]
        if missing:
            fresh = self._run_blind([keys[i] for i in missing])
            if len(known) + len(missing) > SHAPES_KEPT:
                known.clear()
            for i, row in zip(missing, fresh, strict=True):
                rows[i] = known[keys[i]] = row.tobytes()
        table = np.frombuffer(b"".join(rows), dtype=np.uint8)  # type: ignore[arg-type]
        return table.view(bool).reshape(len(keys), len(self.blind))

    def _run_blind(self, shapes: list[str]) -> np.ndarray:
        import polars as pl

        self.shapes_searched += len(shapes)
        exprs = self._expressions()[0]
        if not exprs:
            return np.zeros((len(shapes), 0), dtype=bool)
        frame = pl.DataFrame({"t": shapes}, schema={"t": pl.String})
        return np.ascontiguousarray(frame.select(exprs).to_numpy(), dtype=bool)

    def _reading_answers(self, texts: Sequence[str], blind: np.ndarray) -> list[np.ndarray]:
        """The digit-reading patterns' answers per text, run only where they can decide a test:
        where the pattern's superset holds and its test's digit-blind part does not (``False``
        elsewhere, which leaves every test as it is)."""
        if not self.reading:
            return []
        import polars as pl

        n = len(texts)
        needed = [np.zeros(n, dtype=bool) for _ in self.reading]
        for tests in self._tests:
            for test in tests:
                if test.reading is None:
                    continue
                superset = self._supersets[test.reading]
                need = np.ones(n, dtype=bool) if superset is None else blind[superset]
                if test.blind is not None:
                    need = need & ~blind[test.blind]
                needed[test.reading] |= need
        answers = [np.zeros(n, dtype=bool) for _ in self.reading]
        run = [k for k, need in enumerate(needed) if need.any()]
        if run:
            # One pass over the texts any of them needs; a pattern no text needs is not run
            # (polars compiles each pattern per call: that costs more than the texts).
            rows = np.flatnonzero(np.logical_or.reduce([needed[k] for k in run]))
            self.texts_searched += rows.size
            part = texts if rows.size == n else list(map(texts.__getitem__, rows.tolist()))
            frame = pl.DataFrame({"t": part}, schema={"t": pl.String})
            exprs = self._expressions()[1]
            columns = frame.select([exprs[k] for k in run]).get_columns()
            for k, column in zip(run, columns, strict=True):
                answers[k][rows] = column.to_numpy()
        return answers

    @staticmethod
    def _mask(
        search: Search,
        tests: list[_Test],
        blind: np.ndarray,
        reading: list[np.ndarray],
        lengths: np.ndarray,
    ) -> np.ndarray:
        mask = np.ones(len(lengths), dtype=bool)
        for test in tests:
            if test.blind is None:
                part = reading[test.reading]  # type: ignore[index]
            elif test.reading is None:
                part = blind[test.blind]
            else:
                part = blind[test.blind] | reading[test.reading]
            mask &= ~part if test.negated else part
        if search.min_len > 0:
            mask &= lengths >= search.min_len
        if search.max_len is not None:
            mask &= lengths <= search.max_len
        return mask

    def hits_direct(
        self, texts: Sequence[str], context: Sequence[str] | None = None
    ) -> list[list[int]]:
        """``hits`` with every search's patterns run over the texts themselves (the general
        path that the shapes must agree with; the tests hold them to that). ``context`` names
        the field, whose last batch tells which long patterns hold often (``_run_whole``)."""
        if not self.searches or not texts:
            return [[] for _ in self.searches]
        field = None if context is None else tuple(context)
        found = self._run_whole(texts, field)
        if found is None:  # a lone surrogate (no UTF-8): such texts pass every search
            return self._hits_apart(texts, partial(self.hits_direct, context=context))
        return found

    def _run_whole(
        self, texts: Sequence[str], field: tuple[str, ...] | None
    ) -> list[list[int]] | None:
        """Every search over the texts themselves (``None``: a text has no UTF-8).

        Each distinct pattern runs once. Most texts of a field hold none of the long patterns
        (digit runs, dates, addresses in an e-mail, a name or most messages), and a pattern
        that holds nowhere still costs a call per text (and a scan of a long one): those
        longer than ``GATED_PATTERN`` run first as one union, then one by one only over the
        texts where the union held (a second pass); elsewhere each of them fails, as the
        union does. A long pattern that held in over ``FREQUENT_SHARE`` of the field's last
        batch (the address pattern in addresses) runs by itself over every text instead:
        which ones do changes only the cost, never an answer.
        """
        import polars as pl

        whole = self._whole_patterns()
        try:
            frame = pl.DataFrame({"t": texts}, schema={"t": pl.String})
        except Exception:  # noqa: BLE001 - a lone surrogate
            return None
        n = len(texts)
        text = pl.col("t")
        frequent = self._frequent.get(field, frozenset())
        alone = [p for p in whole if len(p) <= GATED_PATTERN or p in frequent or not self._unions]
        gated = [p for p in whole if p not in alone]
        exprs = [text.str.contains(p).alias(f"p{k}") for k, p in enumerate(alone)]
        exprs.append(text.str.len_chars().alias("len"))
        if gated:
            union = "|".join(f"(?:{p})" for p in gated)
            try:
                selected = frame.select([*exprs, text.str.contains(union).alias("gate")])
            except pl.exceptions.ComputeError:  # the union exceeds the regex size limit
                self._unions = False
                return self._run_whole(texts, field)
        else:
            selected = frame.select(exprs)
        # numpy, not ``Series.arg_true``: that one runs a ``select`` of its own per column.
        columns = [c.to_numpy() for c in selected.get_columns()]
        gate = columns.pop() if gated else None
        lengths = columns.pop()
        answers = dict(zip(alone, columns, strict=True))
        if gate is not None:
            rows = np.flatnonzero(gate)
            self.texts_gated += rows.size
            for pattern in gated:
                answers[pattern] = np.zeros(n, dtype=bool)
            if rows.size:
                part = frame[rows].select(
                    [text.str.contains(p).alias(f"g{k}") for k, p in enumerate(gated)]
                )
                for pattern, column in zip(gated, part.get_columns(), strict=True):
                    answers[pattern][rows] = column.to_numpy()
        self.texts_searched += n
        if len(self._frequent) >= FIELDS_KEPT:
            self._frequent.clear()
        self._frequent[field] = frozenset(
            p
            for p in whole
            if len(p) > GATED_PATTERN and np.count_nonzero(answers[p]) > FREQUENT_SHARE * n
        )
        found = []
        for search in self.searches:
            mask = np.ones(n, dtype=bool)
            for held in (search.pattern, search.also):
                if held is not None:
                    mask &= answers[held]
            if search.unless is not None:
                mask &= ~answers[search.unless]
            if search.min_len > 0:
                mask &= lengths >= search.min_len
            if search.max_len is not None:
                mask &= lengths <= search.max_len
            found.append(np.flatnonzero(mask).tolist())
        return found

    def _whole_patterns(self) -> list[str]:
        """The distinct patterns of the searches (``pattern``, ``also``, ``unless``)."""
        if self._whole is None:
            patterns: dict[str, None] = {}
            for search in self.searches:
                for pattern in (search.pattern, search.also, search.unless):
                    if pattern is not None:
                        patterns[pattern] = None
            self._whole = list(patterns)
        return self._whole

    @staticmethod
    def _hits_apart(
        texts: Sequence[str], hits: Callable[[Sequence[str]], list[list[int]]]
    ) -> list[list[int]]:
        good = [i for i, t in enumerate(texts) if _encodable(t)]
        bad = set(range(len(texts))) - set(good)
        found = hits([texts[i] for i in good])
        return [sorted([good[j] for j in hit] + list(bad)) for hit in found]

    def select(
        self, texts: Sequence[str], context: Sequence[str] | None = None
    ) -> list[list[int] | None]:
        """Per recognizer, the indexes of the ``texts`` its search selects (``None``: all);
        ``context`` names their field (``hits``)."""
        hits = self.hits(texts, context)
        return [None if c is None else hits[c] for c in self.columns]


def search_selects(recognizer: EntityRecognizer, texts: Sequence[str]) -> list[bool]:
    """Whether the recognizer's search selects each of ``texts`` (tests, diagnostics)."""
    (chosen,) = Searches([search_of(recognizer)]).select(texts)
    picked = set(range(len(texts)) if chosen is None else chosen)
    return [i in picked for i in range(len(texts))]


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


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
    entities = list(entities)
    ordered = sorted(entities, key=_position)
    if all(a.end <= b.start and a.start < b.start for a, b in pairwise(ordered)):
        # Nothing overlaps (a message's name, phone and e-mail): every entity stays, and no
        # PERSON holds another one.
        return ordered
    return _resolve_clashes(entities, text)


def _position(entity: Entity) -> tuple[int, int, str]:
    return entity.start, entity.end, entity.type


def _resolve_clashes(entities: list[Entity], text: str | None) -> list[Entity]:
    """``resolve_overlaps`` the general way, for entities that may overlap."""
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
    return sorted(kept, key=_position)


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
        # ``prefilter=False`` hands every text to every recognizer (what the searches must not
        # change, as the tests check).
        self._searches = Searches([search_of(r) if prefilter else None for r in self.recognizers])
        self._finders = [finder_of(r) for r in self.recognizers]
        # Two generations of remembered texts per field context: lookups try the newer one
        # first and a hit in the older one moves the text up. The field being read has the
        # room the other fields leave of ``cache_size`` texts: once its newer generation holds
        # half of that room it becomes its older one, and the field's oldest texts are
        # forgotten. So a field's texts do not push out another's: a Dask worker's pieces of
        # a column of mostly distinct e-mails no longer cost it the names of its last piece.
        # While all fields together hold more than ``cache_size`` texts (fields read before,
        # the tables scanned earlier, keep theirs), the field holding the most texts steps
        # its generations on (twice: all it holds). Plain dicts keyed by the text itself: an
        # LRU ``OrderedDict`` keyed by ``(text, context)`` cost a tuple, its hash and a
        # reordering per value.
        self._new: dict[tuple[str, ...], dict[str, list[Entity]]] = {}
        self._old: dict[tuple[str, ...], dict[str, list[Entity]]] = {}
        # Whether a field's texts repeat: the cache counts how many of a field's first
        # ``PROBE_TEXTS`` texts (two batches at least) it held; a field of (nearly) distinct
        # values (ids, phones, time stamps) is not remembered after that, so its lookups and
        # entries cost nothing and leave the room to the fields whose values repeat.
        # context -> (asked, held, analysed, batches)
        self._probed: dict[tuple[str, ...], tuple[int, int, int, int]] = {}
        self._distinct: set[tuple[str, ...]] = set()
        # The fields of distinct values whose batches barely repeat a text within themselves
        # either: analysed as they come, without a dict of their texts.
        self._unrepeated: set[tuple[str, ...]] = set()

    @property
    def supported_entities(self) -> list[str]:
        """Every entity type the loaded recognizers can report."""
        names = {e for r in self.recognizers for e in r.supported_entities}
        return sorted(names & self.entities if self.entities else names)

    def analyze(self, text: str, context: Sequence[str] | None = None) -> list[Entity]:
        """Entities found in one text."""
        return self.analyze_batch([text], context)[0]

    def analyze_batch(
        self, texts: Sequence[str], context: Sequence[str] | None = None, *, fresh: bool = True
    ) -> list[list[Entity]]:
        """Entities found in each text; ``context`` holds words of the field the texts come from.

        Each list is the caller's own, unless ``fresh=False``: then the lists are the ones the
        analysis holds (texts that repeat, and texts without entities, share one; the cache
        keeps them), for a caller that only reads them (the scan: a copy per value costs).
        """
        ctx = tuple(context or ())
        if ctx in self._unrepeated and all(texts):  # (no empty text)
            # A field of distinct values: its batches are analysed as they come, without
            # looking for the texts that repeat (a repeat now and then is analysed again).
            results = self._analysed(texts if isinstance(texts, list) else list(texts), ctx)
            return results if not fresh else list(map(list.copy, results))
        remember = self.cache_size > 0 and ctx not in self._distinct
        if remember:
            new = self._new.get(ctx)
            if new is None:
                new = self._new[ctx] = {}
            old = self._old.get(ctx) or {}
        else:
            new, old = {}, {}
        # Looked up in C over the whole batch; only the texts the newer generation lacks are
        # looked for one by one in the older one (none when it is empty: a field of distinct
        # values, or the first batch).
        n = len(texts)
        found: list[list[Entity] | None] = list(map(new.get, texts)) if new else [None] * n
        held = n - found.count(None)
        if held == n:
            todo: dict[str, None] = {}  # the texts to analyse, in order
        elif held or old:
            todo = {}
            for i in [i for i, ents in enumerate(found) if ents is None]:
                text = texts[i]
                ents = old.get(text)
                if ents is None:
                    todo[text] = None
                else:
                    new[text] = found[i] = ents
                    held += 1
        else:
            todo = dict.fromkeys(texts)
        todo.pop("", None)  # an empty text holds nothing: never analysed, never remembered
        analysed: dict[str, list[Entity]] = {"": _NOTHING}
        if todo:
            missing = list(todo)
            results = self._analysed(missing, ctx)
            if remember:
                new.update(zip(missing, results, strict=True))
            if len(missing) == n:  # distinct texts, none empty: the results in their order
                found = results  # type: ignore[assignment]
            else:
                analysed.update(zip(missing, results, strict=True))
        if len(todo) < n:
            if held == 0:
                found = list(map(analysed.__getitem__, texts))
            elif held < n:
                for i in [i for i, ents in enumerate(found) if ents is None]:
                    found[i] = analysed[texts[i]]
        if remember:
            probed = self._probed.get(ctx)
            if probed is None or probed[0] < PROBE_TEXTS or probed[3] < 2:
                self._probe(ctx, len(texts), held, len(todo))
            if ctx in self._new:
                self._rotate(ctx)
        if not fresh:
            return found  # type: ignore[return-value]
        # Copies: the cached lists must not change under a caller.
        return list(map(list.copy, found))  # type: ignore[arg-type]

    def _probe(self, ctx: tuple[str, ...], asked: int, held: int, analysed: int) -> None:
        """Count a batch of a field's texts that the cache held, and how many were analysed
        (distinct, new, not empty); once ``PROBE_TEXTS`` have been asked for in two batches
        at least, a field whose texts the cache held less than ``MIN_HELD_SHARE`` of is no
        longer remembered (its entries are dropped), and if nearly all of them (all but
        ``MIN_HELD_SHARE``) were analysed, its batches are no longer searched for repeats
        either. No text of a field's first batch can have been held before it: a batch of a
        column's distinct texts over many rows (``scanner.windows``) alone tells nothing."""
        before = self._probed.get(ctx, (0, 0, 0, 0))
        asked, held = before[0] + asked, before[1] + held
        analysed += before[2]
        batches = before[3] + 1
        self._probed[ctx] = (asked, held, analysed, batches)
        if batches >= 2 and asked >= PROBE_TEXTS and held < MIN_HELD_SHARE * asked:
            self._distinct.add(ctx)
            self._new.pop(ctx, None)
            self._old.pop(ctx, None)
            if analysed >= (1 - MIN_HELD_SHARE) * asked:
                self._unrepeated.add(ctx)

    def _analysed(self, texts: list[str], ctx: tuple[str, ...]) -> list[list[Entity]]:
        """``_run`` of non-empty texts, and the allowed values left out."""
        results = self._run(texts, list(ctx))
        if self.allow is None:
            return results
        allows = self.allow.allows
        return [
            [e for e in ents if not allows(e.type, text[e.start : e.end])] if ents else ents
            for text, ents in zip(texts, results, strict=True)
        ]

    def _rotate(self, ctx: tuple[str, ...]) -> None:
        """Step the generations of the field holding the most on while the cache holds more
        than its size, then those of the field just read (``ctx``) if its newer one holds half
        of the room the others leave, as ``__init__``'s comment on the cache says."""
        cached = self.cached_texts()
        while cached > self.cache_size:  # the field holding the most, the first met
            most = max(self._new, key=lambda c: len(self._new[c]) + len(self._old.get(c, ())))
            cached -= len(self._old.get(most, ()))
            self._step(most)
        new = self._new.get(ctx)
        if new:
            old = self._old.get(ctx)
            others = cached - len(new) - (len(old) if old is not None else 0)
            if len(new) * 2 >= self.cache_size - others:
                self._step(ctx)

    def _step(self, ctx: tuple[str, ...]) -> None:
        """Field ``ctx``'s older generation is forgotten, its newer one becomes the older (a
        field left with no text is forgotten itself)."""
        self._old.pop(ctx, None)
        if self._new[ctx]:
            self._old[ctx], self._new[ctx] = self._new[ctx], {}
        else:
            del self._new[ctx]

    def remembers(self, context: Sequence[str] | None = None) -> bool:
        """Whether the cache remembers the texts of a field (its name's words, ``context``)."""
        return self.cache_size > 0 and tuple(context or ()) not in self._distinct

    def cached_texts(self) -> int:
        """How many texts the cache holds now (all field contexts together)."""
        return sum(len(d) for gen in (self._new, self._old) for d in gen.values())

    def _run(self, texts: list[str], context: list[str]) -> list[list[Entity]]:
        """The entities of each of ``texts`` (distinct ones, or nearly: ``_unrepeated``
        fields), overlaps resolved, those under ``min_score`` left out (once per text, before
        the cache keeps it); the texts without any share one empty list."""
        n = len(texts)
        per_text: list[list[Entity]] = [_NOTHING] * n
        crowded: set[int] = set()  # texts with two entities or more: overlaps to resolve
        low: list[int] = []  # texts whose first entity scores under the floor
        floor = self.min_score
        # One vectorised pass of every declared search over the distinct texts.
        selected = self._searches.select(texts, context)
        for find, wanted, chosen in zip(self._finders, self._wanted, selected, strict=True):
            # The texts in which the recognizer finds one and the same finding (a column's
            # values: the same type, span, score, evidence and attributes) share one list of
            # one Entity, made once: the counting then reads a few objects, not one a value.
            # Per recognizer: its equal findings are one finding. A text a later recognizer
            # finds something in too gets its own list (``crowded``).
            shared: dict[EntityTuple, list[Entity]] = {}
            index: Sequence[int]
            if chosen is None or len(chosen) == n:  # every text (the hits are distinct indexes)
                subset: Sequence[str] = texts
                index = range(n)
            elif not chosen:
                continue
            else:
                index = chosen
                subset = list(map(texts.__getitem__, index))
            results = find(subset, wanted, context)
            for i, found in compress(zip(index, results, strict=True), results):
                ents = per_text[i]
                if ents is _NOTHING and len(found) == 1:  # the common case
                    first = found[0]
                    try:
                        one = shared.get(first)
                        if one is None:
                            one = [_new_entity(Entity, first)]
                            if first[3]:  # 0.0 == -0.0: a zero score is not shared
                                shared[first] = one
                    except TypeError:  # a plugin's evidence or attribute is a list: not shared
                        one = [_new_entity(Entity, first)]
                    per_text[i] = one
                    if first[3] < floor:
                        low.append(i)
                    continue
                if ents is _NOTHING:
                    ents = per_text[i] = []
                elif i not in crowded:  # perhaps a shared list: the text's own copy
                    ents = per_text[i] = list(ents)
                ents.extend(_new_entity(Entity, f) for f in found)
                crowded.add(i)
        for i in low:
            if i not in crowded:
                per_text[i] = _NOTHING
        for i in crowded:
            ents = resolve_overlaps(per_text[i], texts[i])
            per_text[i] = [e for e in ents if e.score >= floor] if floor > 0 else ents
        return per_text


__all__ = [
    "Analyzer",
    "Entity",
    "LANGUAGE",
    "NON_PERSONAL_TYPES",
    "Searches",
    "resolve_overlaps",
]
