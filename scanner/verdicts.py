"""Findings -> per-field verdicts: matches, shares with Wilson intervals, confidence, examples.

Also the sample's early-stop rule (:func:`settled`): when a sampled field's verdict is settled,
its remaining values need no analysis.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, groupby, repeat
from operator import itemgetter, mul
from typing import Any

from pdaudit.scanner import fieldmodel
from pdaudit.scanner.analysis import Entity
from pdaudit.scanner.fieldnames import tokenize as _tokenize
from pdaudit.scanner.masking import mask
from pdaudit.scanner.policy import BEYOND, NONE, WITHIN, Policy

MAX_EXAMPLES = 3
#: Distinct PERSON fragments kept per field: enough to tell a few repeated words from names.
MAX_DISTINCT = 64
_TYPE = itemgetter(0)
_SCORE = itemgetter(3)
_EVIDENCE = itemgetter(4)
#: How much a field name that names the type raises the confidence, and how much one that argues
#: against it lowers it.
NAME_BOOST = 0.1
NAME_PENALTY = 0.5
#: The confidence of PERSON found by the field-level model in a column of single name parts.
NAME_PART_CONFIDENCE = 0.8


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The 95% Wilson score interval of a share ``k/n``.

    >>> wilson(0, 0)
    (0.0, 0.0)
    >>> wilson(40, 120)
    (0.2553, 0.4217)
    """
    if n <= 0:
        return (0.0, 0.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4))


def best_per_type(entities: Sequence[Entity]) -> Sequence[Entity]:
    """What one value counts for: one entity per type, the highest score (the first of equal
    ones), in the order the types first appear.

    >>> a = Entity("PERSON", 0, 3, 0.85); b = Entity("PERSON", 5, 9, 0.95)
    >>> [(e.type, e.start) for e in best_per_type([a, b, Entity("KZ_IIN", 10, 22, 1.0), a])]
    [('PERSON', 5), ('KZ_IIN', 10)]
    """
    if len(entities) == 1:
        return entities
    best: dict[str, Entity] = {}
    for ent in entities:
        if ent.type not in best or ent.score > best[ent.type].score:
            best[ent.type] = ent
    return list(best.values())


#: Scores are summed exactly, in whole units of 2**-1074 (every finite float is a whole number of
#: them): the total does not depend on the order or the grouping of the values, so a field
#: counted value by value, over distinct texts with counts (``add_counts``) or in Dask pieces
#: merged later has the very same ``score_sum``, to the last bit.
_SCORE_BITS = 1074


def exact_score(score: float) -> int:
    """``score`` as a whole number of 2**-1074 (``TypeStats.score_total``'s unit).

    >>> exact_score(0.5) == 1 << 1073
    True
    >>> sum([0.1, 0.2, 0.3]) == sum([0.3, 0.2, 0.1])
    False
    >>> exact_scores([0.1, 0.2, 0.3]) == exact_scores([0.3, 0.2, 0.1])
    True
    """
    try:
        numerator, denominator = float(score).as_integer_ratio()  # denominator: a power of 2
    except (OverflowError, ValueError):
        raise ValueError(
            f"a recognizer gave the score {score!r}: scores are finite numbers"
        ) from None
    return numerator << (_SCORE_BITS + 1 - denominator.bit_length())


def exact_scores(scores: Iterable[float], weights: Iterable[int] | None = None) -> int:
    """The exact sum (``exact_score`` units) of ``scores``, each counted ``weights`` times."""
    counted: Counter[float] = Counter()
    if weights is None:
        counted.update(scores)
    else:
        for score, weight in zip(scores, weights, strict=True):
            counted[score] += weight
    # int(): weights may be NumPy integers, which cannot hold a product this large
    return sum(int(times) * exact_score(score) for score, times in counted.items())


@dataclass
class TypeStats:
    """What one field holds of one entity type."""

    matches: int = 0
    #: the sum of the matches' scores, exact (``exact_score``); ``score_sum`` is its float
    score_total: int = 0
    examples: list[str] = field(default_factory=list)
    evidence: Counter = field(default_factory=Counter)
    pages: set[int] = field(default_factory=set)
    #: e-mail addresses that are a role's mailbox (``info@``), for EMAIL_ADDRESS
    roles: int = 0
    #: the first distinct PERSON fragments, up to ``MAX_DISTINCT`` (repetition evidence)
    distinct: set[str] = field(default_factory=set)
    #: the first distinct whole values holding PERSON (up to one more than a template may have)
    #: and whether the name stands in prose in each; how many PERSON matches do (template text)
    texts: dict[str, bool] = field(default_factory=dict)
    in_prose: int = 0

    @property
    def score_sum(self) -> float:
        """The sum of the matches' scores, the float nearest the exact sum."""
        return self.score_total / (1 << _SCORE_BITS)  # int / int: correctly rounded


@dataclass
class FieldStats:
    """Running totals for one field of one container."""

    source: str
    container: str
    field: str
    values_scanned: int = 0
    documents: int = 0
    binary_skipped: int = 0
    #: documents (or pages of them) that could not be read, and the first few reasons
    documents_failed: int = 0
    # ``dataclasses.field``: mypy reads ``field`` here as the attribute ``field`` above.
    document_errors: list[str] = dataclasses.field(default_factory=list)
    types: dict[str, TypeStats] = dataclasses.field(default_factory=dict)
    #: the number of analysed values after which the field stopped early (see ``settled``)
    stopped_after: int | None = None
    #: section 2.4 counts (``pdaudit.scanner.thirdparty``): texts naming a relative, and rows holding a
    #: second person (None until counted)
    third_party_text: Any = None
    third_party_rows: Any = None
    #: bare numbers by their number of digits (``pdaudit.scanner.fieldmodel.digit_shape``)
    shapes: Counter = dataclasses.field(default_factory=Counter)
    #: values that are single name parts (``first``, ``surname``, ``patronymic``, ``full``),
    #: counted only in fields whose name says they hold a part of a name, and a few examples
    name_parts: Counter = dataclasses.field(default_factory=Counter)
    name_part_examples: list[str] = dataclasses.field(default_factory=list)
    #: pairs of bare numbers next to each other in reading order, and those of them a small
    #: step apart (``pdaudit.scanner.fieldmodel.count_steps``); the first and last bare number
    #: (a merge counts the pair across the boundary)
    pairs: int = 0
    steps: int = 0
    first_number: int | None = None
    last_number: int | None = None

    def __post_init__(self) -> None:
        from pdaudit.scanner.fieldnames import tokenize

        self._part_field = fieldmodel.name_part_kind(tokenize(self.field)) is not None

    def _add_numbers(self, numbers: list[int]) -> None:
        """Count the steps between bare numbers, in reading order, after those seen before."""
        if self.first_number is None:
            self.first_number = numbers[0]
        pairs, steps = fieldmodel.count_steps(numbers, self.last_number)
        self.pairs += pairs
        self.steps += steps
        self.last_number = numbers[-1]

    def _add_number_column(self, counts: dict[int, int], column: Any) -> None:
        """Count a batch's bare numbers as ``fieldmodel.number_column`` gave them (``counts``
        per number of digits, ``column`` the numbers in reading order): shapes and steps."""
        if not counts:
            return
        self.shapes.update(counts)
        if self.first_number is None:
            self.first_number = int(column[0])
        pairs, steps = fieldmodel.count_array_steps(column, self.last_number)
        self.pairs += pairs
        self.steps += steps
        self.last_number = int(column[-1])

    def _profile(self, texts: Sequence[str]) -> None:
        """Count what the field-level model weighs: number shapes and steps, single name parts.

        A long batch is read a column at a time (``fieldmodel.number_column``), a short one
        (``add``: one value) a text at a time; both count the same."""
        if len(texts) >= fieldmodel.COLUMN_MIN:
            self._add_number_column(*fieldmodel.number_column(texts))
        else:
            shapes, numbers = fieldmodel.digit_shapes(texts)
            if numbers:
                self.shapes.update(filter(None, shapes))
                self._add_numbers(numbers)
        if self._part_field:
            fieldmodel.count_name_parts(self.name_parts, texts, self.name_part_examples)

    def document_failed(self, reason: str) -> None:
        """Count a document or page that could not be read, keeping a few reasons."""
        self.documents_failed += 1
        if len(self.document_errors) < MAX_EXAMPLES and reason not in self.document_errors:
            self.document_errors.append(reason)

    def add(self, text: str, entities: list[Entity], page: int | None = None) -> None:
        """Count one scanned value and what was found in it."""
        self.values_scanned += 1
        self._profile((text,))
        if entities:
            self._found(text, entities, page)

    def add_all(
        self,
        texts: Sequence[str],
        found: Sequence[list[Entity]],
        pages: Sequence[int | None] | None = None,
    ) -> None:
        """``add(text, entities, page)`` for every text of ``texts``, its entities and its page.

        Counted a batch at once, with the totals of ``add`` one value at a time: each type's
        score sum is exact (``exact_scores``), and evidence words enter their counter in the
        order they are first seen (``most_common`` breaks ties by it).
        """
        if len(texts) != len(found):
            raise ValueError(f"{len(texts)} values but {len(found)} results")
        if pages is not None:
            if len(pages) != len(texts):
                raise ValueError(f"{len(texts)} values but {len(pages)} pages")
            self.values_scanned += len(texts)
            self._profile(texts)
            for text, entities, page in zip(texts, found, pages, strict=True):
                if entities:
                    self._found(text, entities, page)
            return
        self.values_scanned += len(texts)
        self._profile(texts)
        hits = list(compress(found, found))  # the values with findings
        if not hits:
            return
        every = list(chain.from_iterable(hits))
        if len(every) == len(hits):  # one entity a value (each of them has one at least)
            self._add_singles(
                texts if len(hits) == len(texts) else list(compress(texts, found)), every
            )
            return
        # One entity per type and value, the highest score, in the order ``_found`` counts them.
        flat_texts: list[str] = []
        flat: list[Entity] = []
        for text, entities in compress(zip(texts, found, strict=True), found):
            if len(entities) == 1:
                flat_texts.append(text)
                flat.append(entities[0])
                continue
            best = best_per_type(entities)
            flat_texts += [text] * len(best)
            flat += best
        self._add_singles(flat_texts, flat)

    def add_counts(
        self,
        texts: Sequence[str],
        counts: Sequence[int],
        found: Sequence[list[Entity]],
        order: Any,
    ) -> None:
        """``add_all`` of a batch's values given as distinct texts (``scan.counted_texts``):
        ``texts[i]`` stands for ``counts[i]`` values, and ``order`` (a NumPy integer array) holds
        the index into ``texts`` of each value in reading order; ``texts`` come in the order
        they first appear.

        The totals are those of ``add_all`` over the values: what depends on the order (the
        first examples, the order evidence words and types are first seen) follows the first
        appearances; the steps between bare numbers are replayed over ``order`` with NumPy, not
        a Python loop per value, and each type's score sum adds each text's score ``counts``
        times (exact: ``exact_scores``).
        """
        if not len(texts) == len(counts) == len(found):
            raise ValueError(f"{len(texts)} texts, {len(counts)} counts, {len(found)} results")
        self.values_scanned += int(len(order))
        self._profile_counts(texts, counts, order)
        hits = list(compress(range(len(texts)), found))  # the texts with findings
        if not hits:
            return
        hit_found = list(compress(found, found))
        every = list(chain.from_iterable(hit_found))
        if len(every) == len(hits):  # one entity a text
            self._add_counted(texts, counts, hits, every)
            return
        # One entity per type and text, the highest score, in the order ``_found`` counts them.
        indices: list[int] = []
        flat: list[Entity] = []
        for i, entities in zip(hits, hit_found, strict=True):
            if len(entities) == 1:
                indices.append(i)
                flat.append(entities[0])
                continue
            best = best_per_type(entities)
            indices += [i] * len(best)
            flat += best
        self._add_counted(texts, counts, indices, flat)

    def _profile_counts(self, texts: Sequence[str], counts: Sequence[int], order: Any) -> None:
        """``_profile`` of the values ``add_counts`` is given.

        A long batch of mostly distinct texts has its bare numbers read as ``_profile`` reads
        them, a column at a time (``fieldmodel.number_column``) over the values in reading
        order: it does not say which text each number came from, and the distinct texts one by
        one would cost more. Other batches' are read per distinct text and replayed over
        ``order`` (a window of a million dates: 16,000 texts, not a list of the million)."""
        import numpy as np

        if len(order) >= fieldmodel.COLUMN_MIN and 2 * len(texts) > len(order):
            # ``number_column``'s first test, over the distinct texts: a text that starts as no
            # bare number can is none (names, e-mails, addresses need no list of the values).
            numeric = not fieldmodel._NUMBER_START.isdisjoint(map(fieldmodel._FIRST_CHAR, texts))
            values = list(map(texts.__getitem__, order.tolist())) if numeric else []
            self._add_number_column(*fieldmodel.number_column(values))
            if self._part_field:
                fieldmodel.count_name_parts(self.name_parts, texts, self.name_part_examples, counts)
            return
        shapes, numbers = fieldmodel.digit_shapes(texts)
        if numbers:
            for shape, count in zip(shapes, counts, strict=True):
                if shape:
                    self.shapes[shape] += count
            numbered = [i for i, shape in enumerate(shapes) if shape]
            has = np.zeros(len(texts), dtype=bool)
            has[numbered] = True
            rows = order[has[order]]  # the values that are bare numbers, in reading order
            if max(numbers) < 1 << 62 and (self.last_number or 0) < 1 << 62:
                number_of = np.zeros(len(texts), dtype=np.int64)
                number_of[numbered] = numbers
                seq = number_of[rows]
                if self.first_number is None:
                    self.first_number = int(seq[0])
                if self.last_number is not None:
                    seq = np.concatenate(([self.last_number], seq))
                apart = np.abs(np.diff(seq))
                self.pairs += int(apart.size)
                self.steps += int(np.count_nonzero((apart >= 1) & (apart <= fieldmodel.SEQ_STEP)))
                self.last_number = int(seq[-1])
            else:  # 19-digit numbers: Python integers
                by_index = dict(zip(numbered, numbers, strict=True))
                self._add_numbers([by_index[i] for i in rows.tolist()])
        if self._part_field:
            fieldmodel.count_name_parts(self.name_parts, texts, self.name_part_examples, counts)

    def _add_singles(self, texts: Sequence[str], entities: list[Entity]) -> None:
        """Count the entities chosen in a batch, in reading order (``entities[i]`` is in
        ``texts[i]``; a text with several types stands once per type).

        Each type's values are counted at C speed in their reading order: ``Counter`` counts
        the scores (summed exactly, ``exact_scores``) and the evidence words one by one;
        examples are looked for only while a type has too few.
        """
        types = self.types
        seen_types = dict.fromkeys(map(_TYPE, entities))  # in the order first seen
        for etype in seen_types:
            if etype not in types:
                types[etype] = TypeStats()
        if len(seen_types) == 1:
            groups: Iterable[tuple[str, Iterable[Entity]]] = ((next(iter(seen_types)), entities),)
        else:
            groups = groupby(sorted(entities, key=_TYPE), _TYPE)  # sorted() keeps their order
        for etype, group in groups:
            same = group if isinstance(group, list) else list(group)
            stats = types[etype]
            stats.matches += len(same)
            stats.score_total += exact_scores(map(_SCORE, same))
            # Word by word in reading order, as ``_found`` counts them: a new word enters the
            # counter where it is first seen. The values' evidence tuples repeat: each distinct
            # one is counted first (in the order first seen), then its words.
            evidence = stats.evidence
            for words, times in Counter(map(_EVIDENCE, same)).items():
                for word in words:
                    evidence[word] += times
            if etype in _WHOLE_FRAGMENT:
                if len(seen_types) == 1:
                    group_texts = texts
                else:
                    group_texts = [
                        t for t, e in zip(texts, entities, strict=True) if e.type == etype
                    ]
                if etype == "EMAIL_ADDRESS":  # what _note_fragment counts, a batch at once
                    stats.roles += fieldmodel.role_mailboxes(
                        [t[e.start : e.end] for t, e in zip(group_texts, same, strict=True)]
                    )
                else:
                    _note_person_fragments(stats, group_texts, same)
        wanted: dict[str, set[str]]
        wanted = {t: set() for t in seen_types if len(types[t].examples) < MAX_EXAMPLES}
        if not wanted:
            return
        for text, (etype, start, end, *_) in zip(texts, entities, strict=True):
            tried = wanted.get(etype)
            if tried is None:
                continue
            # The same fragment masks the same way: its example is already listed.
            fragment = text[start:end]
            if fragment in tried:
                continue
            tried.add(fragment)
            examples = types[etype].examples
            example = mask(fragment, etype)
            if example not in examples:
                examples.append(example)
                if len(examples) >= MAX_EXAMPLES:
                    del wanted[etype]
                    if not wanted:
                        return

    def _found(self, text: str, entities: list[Entity], page: int | None) -> None:
        types = self.types
        for ent in best_per_type(entities):
            etype = ent.type
            stats = types.get(etype)
            if stats is None:  # not setdefault: a TypeStats per call costs more than the rest
                stats = types[etype] = TypeStats()
            stats.matches += 1
            stats.score_total += exact_score(ent.score)
            if etype in _WHOLE_FRAGMENT:
                _note_fragment(stats, etype, text, ent.start, ent.end)
            if ent.evidence:
                evidence = stats.evidence
                for word in ent.evidence:
                    evidence[word] = evidence.get(word, 0) + 1
            if page is not None:
                stats.pages.add(page)
            if len(stats.examples) < MAX_EXAMPLES:
                example = mask(text[ent.start : ent.end], etype)
                if example not in stats.examples:
                    stats.examples.append(example)

    def merge(self, other: FieldStats) -> None:
        """Add another partial count of the same field (from a worker or a later batch)."""
        self.values_scanned += other.values_scanned
        self.documents += other.documents
        self.binary_skipped += other.binary_skipped
        self.documents_failed += other.documents_failed
        for reason in other.document_errors:
            if len(self.document_errors) < MAX_EXAMPLES and reason not in self.document_errors:
                self.document_errors.append(reason)
        self.shapes.update(other.shapes)
        if other.first_number is not None:
            pairs, steps = fieldmodel.count_steps([other.first_number], self.last_number)
            self.pairs += pairs + other.pairs
            self.steps += steps + other.steps
            if self.first_number is None:
                self.first_number = other.first_number
            self.last_number = other.last_number
        self.name_parts.update(other.name_parts)
        for ex in other.name_part_examples:
            if len(self.name_part_examples) < MAX_EXAMPLES and ex not in self.name_part_examples:
                self.name_part_examples.append(ex)
        for etype, theirs in other.types.items():
            mine = self.types.setdefault(etype, TypeStats())
            mine.matches += theirs.matches
            mine.score_total += theirs.score_total
            mine.evidence.update(theirs.evidence)
            mine.pages |= theirs.pages
            mine.roles += theirs.roles
            mine.in_prose += theirs.in_prose
            for fragment in theirs.distinct:
                if len(mine.distinct) >= MAX_DISTINCT:
                    break
                mine.distinct.add(fragment)
            for text, prose in theirs.texts.items():
                if len(mine.texts) > fieldmodel.TEMPLATE_TEXTS and text not in mine.texts:
                    break
                mine.texts[text] = prose
            for ex in theirs.examples:
                if len(mine.examples) < MAX_EXAMPLES and ex not in mine.examples:
                    mine.examples.append(ex)
        for name in ("third_party_text", "third_party_rows"):
            theirs = getattr(other, name)
            if theirs is None:
                continue
            if getattr(self, name) is None:
                setattr(self, name, type(theirs)())
            getattr(self, name).merge(theirs)

    def _add_counted(
        self,
        texts: Sequence[str],
        counts: Sequence[int],
        indices: list[int],
        entities: list[Entity],
    ) -> None:
        """``_add_singles`` of distinct texts (``add_counts``): ``entities[k]`` is chosen in
        ``texts[indices[k]]``, which stands for ``counts[indices[k]]`` values; a text with
        several types stands once per type, in the order they first appear.

        What ``_add_singles`` counts value by value is counted per distinct text, weighted by
        its count.
        """
        import numpy as np

        types = self.types
        seen_types = dict.fromkeys(map(_TYPE, entities))  # in the order first seen
        for etype in seen_types:
            if etype not in types:
                types[etype] = TypeStats()
        groups: dict[str, tuple[list[int], list[Entity]]]
        if len(seen_types) == 1:
            groups = {next(iter(seen_types)): (indices, entities)}
        else:
            groups = {etype: ([], []) for etype in seen_types}
            for i, ent in zip(indices, entities, strict=True):
                group = groups[ent[0]]
                group[0].append(i)
                group[1].append(ent)
        for etype, (where, same) in groups.items():
            stats = types[etype]
            every = len(where) == len(texts)  # each text holds the type
            weights = counts if every else list(map(counts.__getitem__, where))
            stats.matches += sum(weights)
            stats.score_total += exact_scores(map(_SCORE, same), weights)
            # Evidence words enter the counter in the order ``_add_singles`` adds them: each
            # distinct evidence tuple in the order first seen, then its words.
            evidence = stats.evidence
            kinds = list(map(_EVIDENCE, same))
            distinct = dict.fromkeys(kinds)
            if len(distinct) == 1:
                totals: Iterable[int] = (sum(weights),)
            else:
                index = dict(zip(distinct, range(len(distinct)), strict=True))
                ids = np.fromiter(map(index.__getitem__, kinds), np.int64, len(kinds))
                totals = np.bincount(ids, weights=weights, minlength=len(distinct)).tolist()
            for words, times in zip(distinct, totals, strict=True):
                for word in words or ():
                    evidence[word] += int(times)
            if etype == "EMAIL_ADDRESS":
                fragments = [texts[i][e.start : e.end] for i, e in zip(where, same, strict=True)]
                roles = map(fieldmodel.is_role_mailbox, fragments)
                stats.roles += sum(compress(weights, roles))
            elif etype in _WHOLE_FRAGMENT:
                _note_person_counts(stats, [texts[i] for i in where], same, weights)
            if len(stats.examples) >= MAX_EXAMPLES:
                continue
            tried: set[str] = set()
            examples = stats.examples
            for i, (_, start, end, *_rest) in zip(where, same, strict=True):
                # The same fragment masks the same way: its example is already listed.
                fragment = texts[i][start:end]
                if fragment in tried:
                    continue
                tried.add(fragment)
                example = mask(fragment, etype)
                if example not in examples:
                    examples.append(example)
                    if len(examples) >= MAX_EXAMPLES:
                        break


#: Types whose matched fragments the field-level model looks at.
_WHOLE_FRAGMENT = frozenset({"PERSON", "EMAIL_ADDRESS"})


def _note_fragment(
    stats: TypeStats, etype: str, text: str, start: int, end: int, count: int = 1
) -> None:
    """Keep what the field-level model needs of one fragment ``text[start:end]`` matched
    (in ``count`` values)."""
    fragment = text[start:end]
    if etype == "EMAIL_ADDRESS":
        stats.roles += fieldmodel.is_role_mailbox(fragment) * count
        return
    if len(stats.distinct) < MAX_DISTINCT:
        stats.distinct.add(fragment)
    texts = stats.texts
    prose = texts.get(text)
    if prose is None:
        if len(texts) > fieldmodel.TEMPLATE_TEXTS:
            return  # too many distinct texts for a template: no need to count more
        prose = texts[text] = fieldmodel.in_prose(text, start, end)
    stats.in_prose += prose * count


def _note_person_fragments(stats: TypeStats, texts: Sequence[str], entities: list[Entity]) -> None:
    """``_note_fragment`` of the PERSON entities ``entities[i]`` in ``texts[i]``, in order.

    One at a time while the distinct fragments or the template texts may still grow; once
    both are full (``MAX_DISTINCT`` fragments, more than ``TEMPLATE_TEXTS`` texts) a value only
    adds its text's prose flag when its text is one of them: the rest is counted at once.
    """
    known = stats.texts
    distinct = stats.distinct
    for i, (text, ent) in enumerate(zip(texts, entities, strict=True)):
        if len(distinct) >= MAX_DISTINCT and len(known) > fieldmodel.TEMPLATE_TEXTS:
            stats.in_prose += sum(map(known.get, texts[i:], repeat(False)))
            return
        _note_fragment(stats, "PERSON", text, ent.start, ent.end)


def settled(stats: FieldStats, min_values: int = 1000, min_share: float = 0.9) -> bool:
    """Whether a sampled field may stop being analysed: its verdict is settled.

    The rule: at least ``min_values`` analysed values, exactly one entity type seen in them, and
    that type's share has a 95% Wilson lower bound of at least ``min_share``. A field with no
    findings, or with two types, never stops: a rare identifier in a comment column is only found
    by reading the whole sample. With no other type among the first 1,000 values, any other type
    holds less than 0.3% of the field (the 95% "rule of three" bound).

    >>> fs = FieldStats("s", "t", "iin", values_scanned=1000)
    >>> fs.types["KZ_IIN"] = TypeStats(matches=920)
    >>> settled(fs), wilson(920, 1000)[0]
    (True, 0.9015)
    >>> fs.types["KZ_IIN"].matches = 910
    >>> settled(fs), wilson(910, 1000)[0]
    (False, 0.8907)
    >>> fs.types["KZ_IIN"].matches = 1000
    >>> fs.types["PHONE_NUMBER"] = TypeStats(matches=1)
    >>> settled(fs)
    False
    """
    n = stats.values_scanned
    if n < min_values or len(stats.types) != 1:
        return False
    (only,) = stats.types.values()
    return wilson(only.matches, n)[0] >= min_share


def field_verdict(
    stats: FieldStats,
    policy: Policy,
    hints: object | None = None,
    min_confidence: float = 0.5,
    sampling_method: str = "",
) -> dict:
    """The report entry of one field: entities with shares and confidence, and its status.

    ``hints`` is a ``pdaudit.scanner.fieldnames.FieldHints`` (types the name names, types it argues
    against); the name only moves the confidence, it never creates a finding.
    """
    boost = getattr(hints, "boost", {}) or {}
    suppress = getattr(hints, "suppress", {}) or {}
    tokens = getattr(hints, "tokens", None) or _tokenize(stats.field)
    n = stats.values_scanned
    entities = []
    #: types the field-level model did not report, and why (``pdaudit.scanner.fieldmodel``)
    dismissed = []
    for etype in sorted(stats.types, key=lambda t: (-stats.types[t].matches, t)):
        ts = stats.types[etype]
        confidence = ts.score_sum / ts.matches
        evidence = [e for e, _ in ts.evidence.most_common(4)]
        if etype in boost:
            confidence = min(0.99, confidence + NAME_BOOST)
            if not any(e.startswith("field name:") for e in evidence):
                evidence.append(f"field name: {boost[etype]}")
        if etype in suppress:
            # A checksum outweighs a name ("order_id" holding real IINs is still IINs).
            # Only a strong checksum (score >= 0.95: IIN date + check digit, Luhn + brand, IBAN)
            # counts; a bare INN's single check digit passes for one random number in eleven.
            proven = "checksum" in ts.evidence and ts.score_sum / ts.matches >= 0.95
            confidence = confidence - 0.1 if proven else confidence * NAME_PENALTY
            evidence.append(f"field name against: {suppress[etype]}")
        confidence = round(confidence, 2)
        if confidence < min_confidence:
            continue
        reason = None
        if stats.shapes and etype not in boost:
            reason = fieldmodel.chance_verdict(etype, ts.matches, n, stats.shapes)
        if reason is None and stats.shapes and etype not in boost:
            reason = fieldmodel.sequence_verdict(etype, stats.steps, stats.pairs, n, stats.shapes)
        if reason is None and etype == "PERSON":
            reason = (
                fieldmodel.repetition_verdict(ts.matches, ts.distinct, tokens)
                or fieldmodel.template_verdict(ts.matches, ts.texts, ts.in_prose)
                or fieldmodel.person_context_verdict(ts.evidence, tokens, stats.container)
            )
        if reason is not None:
            dismissed.append({"type": etype, "matches": ts.matches, "reason": reason})
            continue
        contact = fieldmodel.org_contact_verdict(
            etype, ts.matches, ts.roles, stats.container, stats.field
        )
        if contact is not None:
            evidence.append(contact)
        else:
            note = fieldmodel.person_contact_note(etype, stats.container, stats.field)
            if note is not None:
                evidence.append(note)
        entities.append(
            _entry(
                stats,
                policy,
                etype,
                ts,
                n,
                confidence,
                evidence,
                contact_of=etype if contact else None,
            )
        )
    if not any(e["type"] == "PERSON" for e in entities):
        parts = fieldmodel.name_part_verdict(stats.name_parts, n, tokens)
        if parts is not None:
            k, evidence = parts
            ts = TypeStats(matches=k, examples=list(stats.name_part_examples))
            entities.append(_entry(stats, policy, "PERSON", ts, n, NAME_PART_CONFIDENCE, evidence))
            entities.sort(key=lambda e: (-e["matches"], e["type"]))
    beyond = [e["type"] for e in entities if not e["allowed"]]
    personal_found = [e for e in entities if e["personal"]]
    status = BEYOND if beyond else WITHIN if personal_found else NONE
    out = {
        "source": stats.source,
        "container": stats.container,
        "field": stats.field,
        "values_scanned": n,
        "documents": stats.documents,
        "sampling_method": sampling_method,
        "entities": entities,
        "beyond_policy": beyond,
        "status": status,
    }
    if dismissed:
        out["dismissed"] = dismissed
    if stats.binary_skipped:
        out["binary_values_skipped"] = stats.binary_skipped
    if stats.stopped_after is not None:
        out["early_stop"] = {"after": stats.stopped_after}
    return out


def _entry(
    stats: FieldStats,
    policy: Policy,
    etype: str,
    ts: TypeStats,
    n: int,
    confidence: float,
    evidence: list[str],
    contact_of: str | None = None,
) -> dict:
    """One type's entry in a field's verdict; an organisation's contact is ``ORG_CONTACT``
    (non-personal whatever the policy lists) with the type it was found as in ``contact_type``."""
    if contact_of:
        etype = fieldmodel.ORG_CONTACT
    personal = etype not in policy.non_personal and etype != fieldmodel.ORG_CONTACT
    clause = policy.clause(etype)
    entry = {
        "type": etype,
        "matches": ts.matches,
        "share": round(ts.matches / n, 4) if n else 0.0,
        "share_interval": list(wilson(ts.matches, n)),
        "confidence": confidence,
        "examples": list(ts.examples),
        "evidence": evidence,
        "allowed": clause is not None or not personal,
        "clause": clause,
        "personal": personal,
    }
    if ts.pages:
        entry["pages"] = sorted(ts.pages)
    if contact_of:
        entry["contact_type"] = contact_of
    exc = policy.exception_for(stats.source, stats.container, stats.field, etype)
    if exc is not None and personal and clause is None:
        entry["allowed"] = True
        entry["exception"] = {"field": exc.field, "reason": exc.reason}
    return entry


def _note_person_counts(
    stats: TypeStats, texts: Sequence[str], entities: list[Entity], counts: Sequence[int]
) -> None:
    """``_note_person_fragments`` of distinct texts: ``texts[i]`` stands for ``counts[i]``
    values. Once the distinct fragments and the template texts are full, a text only adds its
    prose flag (when it is one of them) times its count."""
    known = stats.texts
    distinct = stats.distinct
    for i, (text, ent) in enumerate(zip(texts, entities, strict=True)):
        if len(distinct) >= MAX_DISTINCT and len(known) > fieldmodel.TEMPLATE_TEXTS:
            prose = map(known.get, texts[i:], repeat(False))
            stats.in_prose += sum(map(mul, prose, counts[i:]))
            return
        _note_fragment(stats, "PERSON", text, ent.start, ent.end, counts[i])
