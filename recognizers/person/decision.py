"""``PersonRecognizer``: the decision that merges rules, labels and natasha.

Per batch: each text is tokenized and read by the rules and labels (``_prepare``); the texts the
rules leave open (``_wants_ner``: free text with a capitalised word nothing explains) go to
natasha in one ``map``; then ``_decide_parts`` keeps natasha's spans (its boundaries stand, an
agreeing rule raises the score), adds the strong rule matches it missed, the lone addressed
names, the labelled values and the field-name evidence, and drops what is no person.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from itertools import pairwise, repeat

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pdaudit.recognizers.base import (
    LANGUAGE,
    EntityTuple,
    Findings,
    Search,
    evidence_of,
    fold,
    make_result,
    remember,
    score2,
)
from pdaudit.recognizers.person.labels import NO_LABELS, Labels, _label_hits, _labels_from
from pdaudit.recognizers.person.lexicons import (
    COMMON,
    FIRST,
    PATR,
    STOP,
    SURN,
    _common_word,
    _lexicons,
    compound_abbreviation,
    not_a_noun,
    word_roles,
)
from pdaudit.recognizers.person.ner import _ner, _outside, clean_ner_span
from pdaudit.recognizers.person.patterns import STRONG, Match
from pdaudit.recognizers.person.rules import (
    _cue_written_as_cue,
    _field_cue,
    _field_only,
    _headline_subjects,
    _inside,
    _not_a_person,
    _trim_cue,
    addressed_names,
    is_place_or_title,
    rule_matches,
)
from pdaudit.recognizers.person.shortcuts import (
    _ascii_nameless_each,
    _plain_name,
    _spaceless_nameless,
)
from pdaudit.recognizers.person.tokens import (
    _HAS_LETTERS,
    MAX_SHORT_WORDS,
    Token,
    _explained_opening,
    _sentence_start,
    _tokenize,
    _tokenize_lean,
    tokenize,
)

ENTITY = "PERSON"
NAME = "PersonRecognizer"
_CUE_GAP = re.compile(r"\.?[ \t]*")
_UNKNOWN_WITH_INITIALS = ("initials",)  # the evidence of "X I I", "I I X"
#: A text's digit shape: its UTF-8 with every ASCII digit written as 0 (``_batch_parts``;
#: ``bytes.translate`` is ~16x faster than ``str.translate`` on Cyrillic text).
_DIGIT_SHAPE = bytes.maketrans(b"123456789", b"000000000")
#: The longest digit shape (UTF-8 bytes) kept from one batch to the next: longer texts (prose)
#: seldom repeat theirs. And how many shapes a field cue keeps (all forgotten when full).
_SHAPE_MAX = 200
_SHAPES_MAX = 4096


def _digit_shapes(texts: Sequence[object]) -> list[bytes | None]:
    """Each text's digit shape (``_DIGIT_SHAPE``; None for what is no ``str``), the batch's
    texts joined by a NUL and translated at once when they are all ``str`` without a NUL.

    >>> _digit_shapes(["Abay 12", "a7"]), _digit_shapes(["a\\0b 5", None])
    ([b'Abay 00', b'a0'], [b'a\\x00b 0', None])
    """
    try:
        joined = "\0".join(texts)  # type: ignore[arg-type]
    except TypeError:  # a value that is no str
        joined = None
    if joined is not None:
        shapes: list[bytes | None] = list(
            joined.encode("utf-8", "surrogatepass").translate(_DIGIT_SHAPE).split(b"\0")
        )
        if len(shapes) == len(texts):  # no text holds a NUL of its own
            return shapes
    return [
        t.encode("utf-8", "surrogatepass").translate(_DIGIT_SHAPE) if isinstance(t, str) else None
        for t in texts
    ]


def needs_ner(text: str) -> bool:
    """Whether ``text`` goes to natasha: free text with a capitalised word the rules leave open.

    >>> needs_ner("Здравствуйте! Видео не грузится, подскажите, что делать с уроком.")
    False
    >>> needs_ner("Вчера Медведев провёл совещание с губернаторами в Сочи.")
    True
    """
    if not isinstance(text, str) or not _HAS_LETTERS.search(text):
        return False
    tokens, rules, labels, skipped = _prepare(text, lean=True)
    return _wants_ner(text, tokens, [*rules, *labels.values], labels.spans, skipped)


def _prepare(text: str, lean: bool = False) -> tuple[list[Token], list[Match], Labels, int]:
    """The words of ``text``, the names the rules find, the labelled name parts and how many
    words were left out of the tokens (``lean``: see ``_tokenize_lean``; 0 otherwise)."""
    found = _tokenize_lean(text) if lean else None
    if found is not None:
        tokens, skipped = found
        # A name needs two neighbouring name-capable words at most three blanks apart (``_runs``,
        # ``_match_run``; the lean tokens hold no particle to merge): most prose has none.
        if not any(a.can and b.can and b.start - a.end <= 3 for a, b in pairwise(tokens)):
            return tokens, [], NO_LABELS, skipped
        return tokens, rule_matches(text, tokens), NO_LABELS, skipped
    tokens, may_label = _tokenize(text)
    hits = _label_hits(text, tokens, may_label)
    rules = rule_matches(text, tokens, [m.span() for m in hits])
    labels = _labels_from(text, tokens, hits, rules) if hits else NO_LABELS
    return tokens, rules, labels, 0


def _wants_ner(
    text: str,
    tokens: list[Token],
    rules: list[Match],
    blocked: Sequence[tuple[int, int]] = (),
    skipped: int = 0,
) -> bool:
    """Free text with a capitalised word the rules do not explain: only there can NER help.

    Explained are words inside a rule match or a label, stop words (cities, organisations),
    dictionary words opening a sentence ("Здравствуйте", "Видео") and the words of a place named
    after a cue ("ул. Абая", "мкр. Самал"), where a name is dropped anyway. All-caps text is left
    to the rules.
    """
    cases = [t.case for t in tokens]
    count = len(cases) - cases.count("init") + skipped  # no word left out is in capitals
    if count <= MAX_SHORT_WORDS:
        return False
    if cases.count("upper") * 2 >= count:
        return False
    # Matches begin and end at token boundaries: a word is explained when its start is covered.
    covered: set[int] = set()
    if rules:
        starts = [t.start for t in tokens]
        for m in rules:
            i = bisect.bisect_left(starts, m.start)
            while i < len(starts) and starts[i] < m.end:
                covered.add(starts[i])
                i += 1
    place_before = _lexicons()["place_before"]
    prev: Token | None = None
    placed = False  # the word belongs to a place named after a cue word
    for tok in tokens:
        if prev is not None and prev.folded in place_before and _after_cue(text, prev, tok):
            placed = True
        else:
            placed = (
                placed
                and prev is not None
                and text[prev.end : tok.start] == " "
                and tok.case != "lower"
            )
        prev = tok
        if tok.case not in ("title", "mixed"):
            continue
        if placed or STOP in tok.roles or tok.start in covered:
            continue
        if blocked and _inside(tok.start, tok.end, blocked):
            continue
        if _sentence_start(text, tok.start) and _explained_opening(tok.roles, tok.folded):
            continue
        return True
    return False


def _after_cue(text: str, cue: Token, tok: Token) -> bool:
    """Whether ``tok`` follows the cue word as ``is_place_or_title`` reads it ("ул. Абая")."""
    before = text[cue.start - 1] if cue.start else " "
    if before.isalnum() or before in "_-" or not _CUE_GAP.fullmatch(text, cue.end, tok.start):
        return False
    dotted = text[cue.end : cue.end + 1] == "."
    return _cue_written_as_cue(text, cue.start, cue.folded, dotted)


class PersonRecognizer(Findings, EntityRecognizer):
    """Full names (ФИО) in Russian, Kazakh and passport Latin: rules first, natasha's NER for prose."""

    #: A letter (Latin or any beyond ASCII): a text without one holds no name.
    SEARCH = Search(r"[A-Za-z]|[^\x00-\x7F]")

    def __init__(self, supported_language: str = LANGUAGE) -> None:
        super().__init__(
            supported_entities=[ENTITY], name=NAME, supported_language=supported_language
        )
        #: Per field cue, the names found in a short text the rules decide alone, by its digit
        #: shape (``_batch_parts``): kept from batch to batch, since a column of addresses
        #: repeats a few hundred shapes over a million values.
        self._shapes: dict[str | None, dict[bytes, list[EntityTuple]]] = {}

    def load(self) -> None:
        """Nothing to load up front: lexicons, pymorphy3 and natasha load on first use."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Names in one text; ``context`` holds the lower-case words of the field's name."""
        return [
            make_result(kind, start, end, score, NAME, ev)
            for kind, start, end, score, ev, _ in self._batch_parts([text], entities, context)[0]
        ]

    def findings(
        self,
        texts: Sequence[str],
        entities: Sequence[str] | None,
        context: Sequence[str] | None = None,
    ) -> list[list[EntityTuple]]:
        """Names in each text as entity tuples; natasha runs once over the texts that need it."""
        return self._batch_parts(texts, entities or (), context)

    def _batch_parts(
        self,
        texts: Sequence[str],
        entities: Sequence[str],
        context: Sequence[str] | None,
    ) -> list[list[EntityTuple]]:
        """The names in each text as the scanner's entity tuples."""
        if entities and ENTITY not in entities:
            return [[] for _ in texts]
        field = _field_cue(context)
        # Each text's names; a text the rules read (``prepared``) has a place held until natasha
        # has read the texts that need it.
        pending: list[int] = []
        prepared: dict[int, tuple[list[Token], list[Match], Labels]] = {}
        need_ner: list[int] = []
        # A field cue reads every word of a short value (``_field_only``).
        lean = field is None
        # The rules read a digit only as a digit (``test_rules_read_digits_as_digits``): texts
        # they decide alone that differ only in their digits (addresses, order and form texts:
        # a batch of 4,096 addresses holds ~10% distinct shapes, the 1M benchmark's 829,615
        # addresses 432) are read once and share the names found; the short ones' names are
        # kept for later batches too (``self._shapes``). natasha's texts are read one by one.
        by_shape: dict[bytes, int] = {}  # a digit shape -> its first text the rules decide alone
        same: list[tuple[int, int]] = []  # (text, the earlier text of its shape)
        # A subclass's own ``_decide`` may read more than the rules do.
        share = type(self)._decide is PersonRecognizer._decide
        # The names of the short texts of that shape read in earlier batches with this field
        # cue: the rules' answer depends on nothing else (the lexicons load once per process).
        known = self._shapes.setdefault(field, {}) if share else {}
        # A value that is one plain name is told without the decision (``_plain_name``).
        plain = share and type(self)._decide_parts is PersonRecognizer._decide_parts
        # Blank-less ASCII texts first: e-mails are the commonest, and a batch of them is
        # cleared at once (``_ascii_nameless_each``).
        cleared = _ascii_nameless_each(texts) if lean else [False] * len(texts)
        if all(cleared):
            return [[] for _ in texts]
        out: list[list[EntityTuple]] = [[] for _ in texts]
        todo: Sequence[int] = (
            [i for i, gone in enumerate(cleared) if not gone] if any(cleared) else range(len(texts))
        )
        # The digit shapes of the batch at once (``_digit_shapes``); the short texts of a shape
        # read before (an address column's nearly all) take its names.
        shapes = _digit_shapes(texts if len(todo) == len(texts) else [texts[i] for i in todo])
        for i, shape in zip(todo, shapes, strict=True):
            if shape is None:  # no str
                continue
            names = known.get(shape)  # a text that passed the tests below
            if names is not None:
                out[i] = list(names)
                continue
            text = texts[i]
            if not _HAS_LETTERS.search(text) or (
                lean and " " not in text and _spaceless_nameless(text)
            ):
                continue
            if plain and (name := _plain_name(text)) is not None:
                out[i] = [_as_entity(name, field)]  # "Иванов Иван Иванович": one name
                continue
            # out[i] is held until the rules (and natasha) have read the text
            first = by_shape.get(shape) if share else None
            if first is not None:
                same.append((i, first))
                continue
            pending.append(i)
            tokens, rules, labels, skipped = _prepare(text, lean)
            if _wants_ner(text, tokens, [*rules, *labels.values], labels.spans, skipped):
                need_ner.append(i)
                if skipped:  # the headline test reads the word after a surname
                    tokens = tokenize(text)
            else:
                by_shape[shape] = i
            prepared[i] = (tokens, rules, labels)
        ner_spans: dict[int, list[tuple[int, int, str]]] = {}
        if need_ner:
            markups = _ner().map([texts[i] for i in need_ner])
            for i, markup in zip(need_ner, markups, strict=True):
                ner_spans[i] = [(s.start, s.stop, s.type) for s in markup.spans]
        for i in pending:  # in the texts' order
            tokens, rules, labels = prepared[i]
            out[i] = (
                self._decided(texts[i], tokens, rules, labels, ner_spans.get(i), field)
                if tokens
                else []
            )
        for i, first in same:
            out[i] = list(out[first])
        for shape, i in by_shape.items():
            if len(shape) <= _SHAPE_MAX:
                remember(known, shape, list(out[i]), _SHAPES_MAX)
        return out

    def _decide(
        self,
        text: str,
        tokens: list[Token],
        rules: list[Match],
        labels: Labels,
        ner: list[tuple[int, int, str]] | None,
        field: str | None,
    ) -> list[RecognizerResult]:
        """The names in a text, from its tokens, the rules' and labels' names and natasha's."""
        found = self._decide_parts(text, tokens, rules, labels, ner, field)
        return [make_result(ENTITY, s, e, sc, NAME, ev) for s, e, sc, ev in found]

    def _decided(
        self,
        text: str,
        tokens: list[Token],
        rules: list[Match],
        labels: Labels,
        ner: list[tuple[int, int, str]] | None,
        field: str | None,
    ) -> list[EntityTuple]:
        """``_decide_parts`` as entity tuples, or what a subclass's own ``_decide`` finds, read
        as its spans, scores and evidence."""
        if type(self)._decide is PersonRecognizer._decide:
            if (
                not rules
                and ner is None
                and not labels.values
                and field is None
                and not any(FIRST in t.roles for t in tokens)
            ):
                return []  # most prose: nothing to decide
            found = self._decide_parts(text, tokens, rules, labels, ner, field)
            return [(ENTITY, s, e, score2(sc), tuple(ev), ()) for s, e, sc, ev in found]
        return [
            (ENTITY, r.start, r.end, score2(r.score), tuple(evidence_of(r)), ())
            for r in self._decide(text, tokens, rules, labels, ner, field)
        ]

    def _decide_parts(
        self,
        text: str,
        tokens: list[Token],
        rules: list[Match],
        labels: Labels,
        ner: list[tuple[int, int, str]] | None,
        field: str | None,
    ) -> list[tuple[int, int, float, list[str]]]:
        found: list[tuple[int, int, float, list[str]]] = []
        others: list[tuple[int, int]] = []  # natasha's ORG and LOC spans
        if labels.spans:
            tokens = [t for t in tokens if not _inside(t.start, t.end, labels.spans)]
        if ner is None:
            found = [(m.start, m.end, m.score, list(m.evidence)) for m in rules]
        else:
            others = [(s, e) for s, e, t in ner if t != "PER"]
            for s0, e0, kind in ner:
                if kind != "PER":
                    continue
                for s, e in _outside(text, clean_ner_span(text, s0, e0), labels.spans):
                    if is_place_or_title(text, s, e):
                        continue
                    one_word = not re.search(r"[\s.]", text[s:e].strip("."))
                    if one_word and _no_name_word(text[s:e]):
                        continue  # "Царицыно", "Мособлдума": natasha's one-word guesses
                    if one_word and not_a_noun(fold(text[s:e]), not _opens_line(text, s)):
                        continue  # "Сегодня", "Отметим" opening a sentence; "Подана" anywhere
                    if one_word and _PLURAL_ADJECTIVE.search(text, s, e) and _lower_after(text, e):
                        continue  # "на Тлеуовских чтениях": an adjective before its noun
                    if one_word and _opens_line(text, s) and _common_noun(text[s:e]):
                        # "Супруга", "Адвокат" opening a sentence; a surname that is also a
                        # common word ("Дудка") is found again where the text names it in full
                        continue
                    score, evidence = (0.6, ["ner", "single word"]) if one_word else (0.85, ["ner"])
                    for m in rules:
                        # natasha's boundaries stand (it reads the case endings); an agreeing
                        # rule only raises the score.
                        if m.start < e and s < m.end and not one_word:
                            score = max(score, m.score, 0.9)
                            evidence = ["ner", *m.evidence]
                            if "initials" in m.evidence:  # natasha drops an initial's dot
                                s, e = min(s, m.start), max(e, m.end)
                    found.append((s, e, score, evidence))
            heads = _headline_subjects(text, tokens)
            for m in rules + heads:
                if m.score >= STRONG and m.evidence != _UNKNOWN_WITH_INITIALS and m not in heads:
                    # A strong pattern of name words stands against natasha's ORG/LOC reading
                    # ("Бронислав Коморовский") and joins its one-word pieces ("Сидоренко" +
                    # "Олег"); an unknown word with initials ("U.S. Bancorp") does not.
                    pieces = [f for f in found if m.start < f[1] and f[0] < m.end]
                    if all(
                        m.start <= f[0] and f[1] <= m.end and "single word" in f[3] for f in pieces
                    ):
                        found = [f for f in found if f not in pieces]
                        evidence = ["ner", *m.evidence] if pieces else list(m.evidence)
                        found.append((m.start, m.end, m.score, evidence))
                    continue
                clash = any(m.start < e and s < m.end for s, e, *_ in found) or any(
                    m.start < e and s < m.end for s, e in others
                )
                if (m.score >= STRONG or m in heads) and not clash:
                    found.append((m.start, m.end, m.score, list(m.evidence)))
        found = [f for f in map(_trim_cue, repeat(text), found) if f is not None]
        found = [f for f in found if not _not_a_person(text, f[0], f[1])]
        if ner is not None and found:
            found = _surnames_again(text, tokens, found, ner)
        found += [
            (m.start, m.end, m.score, list(m.evidence))
            for m in addressed_names(text, tokens, [(s, e) for s, e, *_ in found])
        ]
        if labels.values:  # a labelled value is a name part whatever else was guessed there
            values = labels.values
            found = [f for f in found if not any(f[0] < v.end and v.start < f[1] for v in values)]
            found += [(v.start, v.end, v.score, list(v.evidence)) for v in values]
        if field:
            found = [
                (s, e, min(0.95, sc + 0.05), [*ev, f"field name: {field}"])
                for s, e, sc, ev in found
            ]
            if not found:
                found = _field_only(tokens, field)
        return _dedupe(found)


def _as_entity(match: Match, field: str | None) -> EntityTuple:
    """A rule's name that is all ``_decide_parts`` finds in a text, as it reports it."""
    score, evidence = match.score, match.evidence
    if field:
        score, evidence = min(0.95, score + 0.05), (*evidence, f"field name: {field}")
    return (ENTITY, match.start, match.end, score2(score), evidence, ())


#: The shortest surname looked for again on its own (``_surnames_again``).
_SURNAME_MIN = 4


def _surnames_again(
    text: str,
    tokens: list[Token],
    found: list[tuple[int, int, float, list[str]]],
    ner: list[tuple[int, int, str]],
) -> list[tuple[int, int, float, list[str]]]:
    """``found`` and the surname of a person named in full where the text names them again by
    it ("Егор Тлеуов ... о Тлеуове", "Маркос Понтес ... Понтеса спросили"), or by the first
    name ("... без Егора"), and natasha did not see a person there or read it as part of an
    organisation.

    A surname is a word of a span of two or more words that is no first name or patronymic;
    another word is the same surname in another case when the two share all but at most two
    closing letters of each. The capitalised words and initials just before it on its line
    join it ("М.Тлеуов", "Ерлан-Хаджи Тлеуова"), and so does a name found right next to it
    ("Тлеуов" + "Ерлан Серикович"); the whole must pass the place and title tests ("фонда
    имени Алены Тлеуовой" is no person).
    """
    surnames: set[str] = set()
    firsts: set[str] = set()
    spans = [(s, e) for s, e, *_ in found]
    starts = [t.start for t in tokens]
    for s, e in spans:
        i, j = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
        words = tokens[i:j]
        if len(words) < 2:
            continue
        head = words[0]
        if FIRST in head.roles and head.case == "title" and not head.roles & {COMMON, SURN}:
            firsts.add(head.folded)  # "Егор Тлеуов ... без Егора"
        for k, tok in enumerate(words):
            if tok.case != "title" or len(tok.folded) < _SURNAME_MIN or tok.roles & {FIRST, PATR}:
                continue
            if COMMON in tok.roles and not (
                k and (FIRST in words[0].roles or words[0].case == "init")
            ):
                continue  # "Академик Е.Тлеуов"; a common word is a surname after a first name
            surnames.add(tok.folded)
    if not surnames and not firsts:
        return found
    orgs = [(s, e) for s, e, kind in ner if kind == "ORG"]
    out = list(found)
    for i, tok in enumerate(tokens):
        if tok.case != "title" or STOP in tok.roles or len(tok.folded) < _SURNAME_MIN:
            continue
        first = FIRST in tok.roles and SURN not in tok.roles
        if first:
            # "Иваном" is no case of "Иванов"; a first name is one of a first name
            if COMMON in tok.roles or not any(_same_surname(tok.folded, f) for f in firsts):
                continue
        elif not any(_same_surname(tok.folded, name) for name in surnames):
            continue
        if any(s < tok.end and tok.start < e for s, e in spans + orgs):
            continue
        start, end, j = tok.start, tok.end, i
        while j and _joins(text, tokens[j - 1], start):
            j -= 1
            start = tokens[j].start
        if first and i + 1 < len(tokens) and _joins(text, tokens[i + 1], end, after=True):
            end = tokens[i + 1].end  # the surname after a first name: "Ерлан Шухно"
        if any(s < end and start < e for s, e in orgs):
            continue
        item = (start, end, 0.6, ["surname", "named in full elsewhere"])
        # a name found right before or after: one span
        near = [f for f in out if f[1] in range(start - 1, start + 1) or f[0] in (end, end + 1)]
        near = [f for f in near if text[min(f[1], end) : max(f[0], start)] in ("", " ")]
        for f in near:
            out.remove(f)
            item = (min(f[0], start), max(f[1], end), max(f[2], 0.6), f[3])
            start, end = item[0], item[1]
        if near or (
            not is_place_or_title(text, start, end) and not _not_a_person(text, start, end)
        ):
            out.append(item)
    return out


def _joins(text: str, prev: Token, start: int, after: bool = False) -> bool:
    """Whether ``prev`` is an initial or a capitalised word (no stop or common word) written
    right before ``start`` on its line, as a part of the same name; ``after``: whether the
    capitalised word ``prev`` is written right after ``start``."""
    gap = text[start : prev.start] if after else text[prev.end : start]
    if prev.case == "init":
        return not after and gap in ("", " ")
    return gap == " " and prev.case == "title" and not prev.roles & {STOP, COMMON}


#: What case endings are made of: a surname's forms differ only in these letters at the end.
_ENDING_LETTERS = frozenset("аяуюоеыийьмх")


def _same_surname(word: str, name: str) -> bool:
    """Whether ``word`` is ``name`` in another case: the two differ in at most two closing
    letters of each, all of them letters of case endings ("Тлеуове" and "Тлеуова", "Понтеса"
    and "Понтес"; not "Новая" and "Новак")."""
    if word[:3] != name[:3]:
        return False
    n = 0
    for a, b in zip(word, name, strict=False):
        if a != b:
            break
        n += 1
    return (
        n >= _SURNAME_MIN - 1
        and len(word) - n <= 2
        and len(name) - n <= 2
        and (n >= min(len(word), len(name)) - 1)
        and _ENDING_LETTERS.issuperset(word[n:] + name[n:])
    )


def _opens_line(text: str, start: int) -> bool:
    """Whether a word at ``start`` opens the text, a line or a sentence (quotes aside)."""
    before = text[max(0, start - 4) : start].rstrip(" \t\"«'(")
    return not before or before[-1] in ".!?\n"


#: A plural adjective of a name ("Королёвских", "Тлеуовских"): a surname only as a family after
#: a first name ("Михаил Болотских"), which a one-word span is not.
_PLURAL_ADJECTIVE = re.compile(r"(?:ск|цк)(?:их|ими)$")


def _lower_after(text: str, end: int) -> bool:
    """Whether a lower-case word follows ``end`` after one blank."""
    return text[end : end + 1] == " " and text[end + 1 : end + 2].islower()


def _common_noun(word: str) -> bool:
    """A word whose likeliest reading is a common word ("Адвокат"; "Маэстро", whose readings
    are many cases of one word), and no name in any reading."""
    folded = fold(word)
    roles = word_roles(folded)
    return not roles & {FIRST, SURN, PATR} and (COMMON in roles or _common_word(folded))


def _no_name_word(word: str) -> bool:
    """A word that no reading makes a name part and that is a stop word or a city or country of
    the address lists (a dictionary word or one of pymorphy3's many small places is not enough:
    "Дудка", "Каган" are surnames in the news)."""
    folded = fold(word)
    roles = word_roles(folded)
    if roles & {FIRST, SURN, PATR}:
        return False
    return STOP in roles or folded in _lexicons()["places"] or compound_abbreviation(folded)


def _dedupe(
    found: list[tuple[int, int, float, list[str]]],
) -> list[tuple[int, int, float, list[str]]]:
    """Keep the longest of overlapping spans (then the higher score)."""
    if len(found) < 2:  # a cell's one name: nothing to overlap
        return found
    kept: list[tuple[int, int, float, list[str]]] = []  # sorted by start, never overlapping
    for item in sorted(found, key=lambda f: (-(f[1] - f[0]), -f[2], f[0])):
        i = bisect.bisect_left(kept, item[0], key=lambda k: k[0])
        if (i and kept[i - 1][1] > item[0]) or (i < len(kept) and kept[i][0] < item[1]):
            continue
        kept.insert(i, item)
    return kept
