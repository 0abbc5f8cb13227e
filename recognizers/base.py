"""Shared pieces of the pdaudit recognizers: word lists, context windows, number runs, results.

Every pdaudit recognizer is an ordinary Presidio ``EntityRecognizer``; it also accepts an optional
``context`` argument (words from the field name, e.g. ``["udostoverenie", "no"]``) that the pdaudit
analysis passes and a plain Presidio ``AnalyzerEngine`` leaves out.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeVar, cast

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

#: Key under ``RecognizerResult.recognition_metadata`` holding the evidence strings of a result.
EVIDENCE = "pdaudit_evidence"
#: Key holding extra attributes of a result (e.g. the phone region).
ATTRIBUTES = "pdaudit_attributes"

LANGUAGE = "ru"

# ``RecognizerResult``'s explanation defaults to ``None``, but Presidio annotates it as an
# ``AnalysisExplanation``: the results written out below pass this ``None`` instead.
NO_EXPLANATION = cast(AnalysisExplanation, None)


@cache
def load_words(name: str) -> frozenset[str]:
    """Read ``recognizers/data/<name>.txt``: one word or phrase a line, ``#`` starts a comment.

    Words are lower-cased and ``ё`` is folded to ``е``.
    """
    text = resources.files("pdaudit.recognizers").joinpath("data", f"{name}.txt").read_text("utf-8")
    words = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(fold(line))
    return frozenset(words)


def fold(text: str) -> str:
    """Lower-case and fold ``ё`` to ``е`` (same length as the input)."""
    return text.lower().replace("ё", "е")


_WORD = re.compile(r"\w+", re.UNICODE)


def find_context(
    text: str,
    start: int,
    end: int,
    words: Iterable[str],
    before: int = 60,
    after: int = 20,
    extra: Iterable[str] | None = None,
) -> str | None:
    """Return the first context word found near ``text[start:end]`` or among ``extra``.

    A word matches at a word start in the ``before`` characters before the span or the ``after``
    characters after it; ``extra`` holds already tokenised words (a field name) that must equal
    a context word or start with it.

    >>> find_context("Уд. личности: 012345678", 14, 23, ["уд. личности"])
    'уд. личности'
    >>> find_context("Заказ 012345678", 6, 15, ["уд. личности"]) is None
    True
    >>> find_context("012345678", 0, 9, ["udostoverenie"], extra=["udostoverenie", "no"])
    'udostoverenie'
    """
    words = tuple(words)
    if not words:
        return None
    if text:
        window = fold(text[max(0, start - before) : start]) + " " + fold(text[end : end + after])
        # One regex pass tells whether any word occurs at all, which it usually does not.
        if _any_of(words).search(window):
            word = _first_whole_word(window, words)
            if word is not None:
                return word
    if extra:
        return _field_word(words, tuple(extra))
    return None


def _first_whole_word(window: str, words: Iterable[str]) -> str | None:
    """The first of ``words`` that occurs in ``window`` starting a word and ending one."""
    for word in words:
        idx = window.find(word)
        while idx != -1:
            if idx == 0 or not window[idx - 1].isalnum():
                tail = idx + len(word)
                if tail >= len(window) or not window[tail].isalnum() or not word[-1].isalnum():
                    return word
            idx = window.find(word, idx + 1)
    return None


@lru_cache(maxsize=512)
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """Matches wherever one of ``words`` occurs (a necessary condition of a context match)."""
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


# Field names repeat for every value of a column: their context word is looked up once.
@lru_cache(maxsize=4096)
def _field_word(words: tuple[str, ...], extra: tuple[str, ...]) -> str | None:
    for token in extra:
        token = fold(token)
        for word in words:
            if token == word or (len(word) >= 4 and token.startswith(word)):
                return word
    return None


def longest_first(name: str) -> list[str]:
    """The words of ``recognizers/data/<name>.txt``, longest first (the longest match names it)."""
    return sorted(load_words(name), key=len, reverse=True)


def nearest_before(window: str, words: Iterable[str]) -> tuple[int, str] | None:
    """The word of ``words`` that ends last in ``window`` (whole words only), with its end.

    >>> nearest_before("паспорт n1, номер заказа ", ["паспорт", "заказа"])
    (24, 'заказа')
    """
    best: tuple[int, str] | None = None
    for word in words:
        idx = window.rfind(word)
        while idx != -1:
            tail = idx + len(word)
            starts = idx == 0 or not window[idx - 1].isalnum() or not word[0].isalnum()
            ends = tail >= len(window) or not window[tail].isalnum() or not word[-1].isalnum()
            if starts and ends:
                if best is None or tail > best[0]:
                    best = (tail, word)
                break
            idx = window.rfind(word, 0, idx)
    return best


class Candidate(NamedTuple):
    """A value found in text: its span and the value (a number's digits without separators).

    A named tuple: it is made for every number in every text, and a frozen dataclass takes
    several times as long to build.
    """

    start: int
    end: int
    value: str

    @property
    def grouped(self) -> bool:
        """Whether the value was written with separators between its groups."""
        return self.end - self.start != len(self.value)


# Groups of ASCII digits joined by one space, non-breaking space or hyphen. The pattern opens
# with one digit, not ``[0-9]+``: so ``re`` skips to the next digit in one fast scan instead of
# trying the pattern at every character (twice as fast over a message).
_RUN = re.compile(r"[0-9][0-9]*(?:[ \u00a0\-][0-9]+)*")
# Characters that glue a number to a longer token: "ORD-123", "№123", "A/123", "12*", "x@1".
_GLUE = frozenset("_/#№+*@\\•")
_SOFT_GLUE = frozenset("-.,")


def is_glued(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is part of a longer token (order number, masked value, file).

    >>> is_glued("ORD-900101300123", 4, 16), is_glued("ИИН: 900101300123.", 5, 17)
    (True, False)
    """
    if start > 0:
        before = text[start - 1]
        if before.isalnum() or before in _GLUE:
            return True
        if (
            before in _SOFT_GLUE
            and start > 1
            and (text[start - 2].isalnum() or text[start - 2] in _GLUE)
        ):
            return True
    if end < len(text):
        after = text[end]
        if after.isalnum() or after in _GLUE:
            return True
        if after in _SOFT_GLUE and end + 1 < len(text):
            nxt = text[end + 1]
            if nxt.isalnum() or nxt in _GLUE:
                return True
    return False


def digit_runs(text: str, lengths: Collection[int]) -> Iterator[Candidate]:
    """Numbers of one of ``lengths`` digits, plain or grouped, that stand on their own in ``text``.

    A number is either one unbroken group ("900101300123") or a whole run of groups joined by
    single separators ("900 101 300 123"); a group taken out of a longer grouped run is still
    a candidate only if it has no separator of its own, so digits never come out of the middle
    of a longer number.

    >>> [(r.start, r.end, r.value) for r in digit_runs("ИИН 900 101 300 123", {12})]
    [(4, 19, '900101300123')]
    >>> list(digit_runs("ORD-900101300123 12345678901234", {12}))
    []
    """
    if not isinstance(text, str):
        return iter(())
    return iter(number_candidates(text, lengths))


def number_candidates(text: str, lengths: Collection[int]) -> list[Candidate]:
    """``digit_runs`` of a string as a list (what the recognizers iterate over once)."""
    if text.isascii():
        if text.isdigit():
            # One unbroken run with nothing around it (most ID columns): the run is the number.
            return [Candidate(0, len(text), text)] if len(text) in lengths else []
        shape = _shape(text)
        if shape is not None:
            key = (shape, lengths)
            try:
                spans = _SPANS_OF_SHAPE.get(key)
            except TypeError:  # lengths that cannot be a key (a set)
                return _number_candidates(text, lengths)
            if spans is None:
                spans = tuple(
                    (c.start, c.end, c.grouped) for c in _number_candidates(shape, lengths)
                )
                remember(_SPANS_OF_SHAPE, key, spans)
            return [
                Candidate(s, e, text[s:e].replace(" ", "").replace("-", "") if g else text[s:e])
                for s, e, g in spans
            ]
    return _number_candidates(text, lengths)


def _number_candidates(text: str, lengths: Collection[int]) -> list[Candidate]:
    found = []
    for begin, finish, digits, groups in _number_runs(text):
        if len(digits) in lengths and not is_glued(text, begin, finish):
            found.append(Candidate(begin, finish, digits))
            continue
        # A long grouped run may hold separate numbers side by side ("ИНН 7707083893 870112...").
        for start, end, group in groups:
            if end - start in lengths and not _glued_outside(text, start, end):
                found.append(Candidate(start, end, group))
    return found


_GROUP = re.compile(r"[0-9]+")


T = TypeVar("T")


def shape_table(kept: str = "", capitals: bool = False) -> bytes:
    """A ``bytes.translate`` table that turns an ASCII text into its *shape*: digits become "0",
    the characters of ``kept`` stay, letters become "a" (capitals "A" when ``capitals``) and
    anything else "~".

    >>> "+7 (701) Abc-12".encode().translate(shape_table(" -+")).decode()
    '+0 ~000~ aaa-00'
    """

    def byte(code: int) -> int:
        char = chr(code)
        if "0" <= char <= "9":
            return ord("0")
        if char in kept:
            return code
        if "A" <= char <= "Z":
            return ord("A" if capitals else "a")
        return ord("a") if "a" <= char <= "z" else ord("~")

    return bytes(map(byte, range(256)))


# The shape of an ASCII text as far as digit runs and their glue can tell: digits become "0",
# letters "a", the separators and the glue characters stay, anything else becomes "~". A
# column's values share a handful of shapes ("0000-00-00 00:00:00", "+0 000 000 00 00"), so
# the runs and lengths of each shape are worked out once; the digits are read off the text.
_SHAPE_TABLE = shape_table(" -.,_/#+*@\\")
_SHAPE_MAX = 64  # longer texts (messages) seldom share a shape
_SPANS_OF_SHAPE: dict[tuple[str, Collection[int]], tuple[tuple[int, int, bool], ...]] = {}


def _shape(text: str) -> str | None:
    """The shape of an ASCII ``text`` short enough to share it with others, else ``None``."""
    if len(text) > _SHAPE_MAX:
        return None
    return text.encode().translate(_SHAPE_TABLE).decode()


def remember(memo: dict, key: object, value: T, size: int = 4096) -> T:
    """``memo[key] = value`` in a memo of at most ``size`` entries (all forgotten when full);
    returns ``value``. The caps of pdaudit's per-field and per-shape memos."""
    if len(memo) >= size:
        memo.clear()
    memo[key] = value
    return value


#: A digit group of a run: start, end, its digits.
_Group = tuple[int, int, str]
#: A run of digit groups: start, end, its digits, its groups (none when it has only one).
_Run = tuple[int, int, str, tuple[_Group, ...]]


# Several recognizers look for numbers in the same texts, one after the other over a batch.
@lru_cache(maxsize=4096)
def _number_runs(text: str) -> tuple[_Run, ...]:
    """Every run of digit groups in ``text``: start, end, its digits, and the start, end and
    digits of each of its groups when it has more than one (none when it has one)."""
    runs: list[_Run] = []
    for m in _RUN.finditer(text):
        begin = m.start()
        run = m.group()
        if run.isdigit():  # one group: the run holds only ASCII digits and separators
            runs.append((begin, m.end(), run, ()))
        else:
            groups = tuple(
                (begin + g.start(), begin + g.end(), g.group()) for g in _GROUP.finditer(run)
            )
            runs.append((begin, m.end(), "".join(g[2] for g in groups), groups))
    return tuple(runs)


def _glued_outside(text: str, start: int, end: int) -> bool:
    """Like ``is_glued`` but a hyphen or space to a neighbouring digit group does not glue."""
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in _GLUE):
        return True
    if start > 0 and text[start - 1] == "-":
        return True
    if end < len(text) and (text[end].isalnum() or text[end] in _GLUE):
        return True
    return end < len(text) and text[end] == "-"


def context_evidence(
    text: str, start: int, end: int, words: Collection[str], field: Collection[str] | None
) -> str | None:
    """``"context: <word>"`` for a context word near the span, ``"field name: <word>"`` for one in
    the field name tokens, else ``None``.

    >>> context_evidence("ИИН 900101300126", 4, 16, ["иин"], None)
    'context: иин'
    >>> context_evidence("900101300126", 0, 12, ["iin"], ["client", "iin"])
    'field name: iin'
    """
    # Longest word first: the most specific one names the evidence, the same on every run
    # (a frozenset's order changes with the hash seed).
    words = _by_length(frozenset(words))
    word = find_context(text, start, end, words)
    if word:
        return f"context: {word}"
    if field:
        word = find_context("", 0, 0, words, extra=field)
        if word:
            return f"field name: {word}"
    return None


@lru_cache(maxsize=256)
def _by_length(words: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


class ContextWords:
    """A recognizer's context words made ready for ``context_evidence`` on every value.

    ``evidence(text, start, end, field)`` equals ``context_evidence(text, start, end, words,
    field)``, with the sorted words, their pattern and each field name's word worked out once.

    >>> ContextWords(["иин"]).evidence("ИИН 900101300126", 4, 16, None)
    'context: иин'
    >>> ContextWords(["iin"]).evidence("900101300126", 0, 12, ["client", "iin"])
    'field name: iin'
    """

    __slots__ = ("words", "_any", "_blank", "_fields")

    def __init__(self, words: Collection[str]) -> None:
        self.words = _by_length(frozenset(words))
        self._any = _any_of(self.words) if self.words else None
        # A value that is the whole text has the window " " around it, which no listed word
        # matches; were one to, the window is searched as usual.
        self._blank = self._any is not None and self._any.search(" ") is not None
        self._fields: dict[tuple[str, ...], str | None] = {}

    def evidence(
        self, text: str, start: int, end: int, field: Collection[str] | None
    ) -> str | None:
        """``"context: <word>"``, ``"field name: <word>"`` or ``None``, as ``context_evidence``."""
        if self._any is None:
            return None
        if text and (start or end != len(text) or self._blank):
            window = fold(text[max(0, start - 60) : start]) + " " + fold(text[end : end + 20])
            if self._any.search(window):
                word = _first_whole_word(window, self.words)
                if word is not None:
                    return f"context: {word}"
        if not field:
            return None
        key = tuple(field)
        named = self._fields.get(key, self)
        if named is self:
            word = _field_word(self.words, key)
            named = remember(self._fields, key, f"field name: {word}" if word else None)
        # ``named`` is no longer the sentinel ``self`` here: a cast would cost a call per value.
        return named  # type: ignore[return-value]


@cache
def context_words(name: str) -> ContextWords:
    """The words of ``recognizers/data/<name>.txt`` as a ``ContextWords``."""
    return ContextWords(load_words(name))


def make_result(
    entity: str,
    start: int,
    end: int,
    score: float,
    recognizer: str,
    evidence: Iterable[str],
    **attributes: str,
) -> RecognizerResult:
    """Build a ``RecognizerResult`` that carries pdaudit evidence and attributes.

    The recognizer *identifier* is left out on purpose: Presidio's engine fills in the instance's
    ``recognizer.id`` and keeps only results whose identifier matches it.
    """
    metadata = {
        RecognizerResult.RECOGNIZER_NAME_KEY: recognizer,
        EVIDENCE: list(evidence),
        ATTRIBUTES: dict(attributes),
    }
    return RecognizerResult(entity, start, end, round(score, 2), recognition_metadata=metadata)


def score2(score: float) -> float:
    """A score as the scanner keeps it: rounded to two places, always a ``float``.

    >>> score2(0.9500000001), score2(1)
    (0.95, 1.0)
    """
    return round(score if type(score) is float else float(score), 2)


#: What ``findings`` gives for one finding: the fields of ``pdaudit.scanner.analysis.Entity``
#: (type, start, end, score, evidence, sorted attribute pairs).
EntityTuple = tuple[str, int, int, float, tuple[str, ...], tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Search:
    """What a text must hold before a recognizer can find anything in it.

    ``pattern`` is a regular expression in the syntax that Rust's ``regex`` crate and RE2 share
    (no look-arounds, no back-references; ``\\d`` and ``\\w`` are Unicode classes, as in a Python
    ``str`` pattern); ``None`` asks for no pattern. ``min_len`` and ``max_len`` bound the text's
    length in code points (``None``: no upper bound); ``also`` is a second pattern the text must
    hold, ``unless`` one it must not. The scanner's analysis runs every
    recognizer's search over a batch's distinct texts in vectorised passes and hands the
    recognizer only the texts it selects, so a search may select more than the recognizer finds
    something in, never less (``tests/test_search.py`` holds each built-in one to that).
    """

    pattern: str | None = None
    min_len: int = 0
    max_len: int | None = None
    #: A second pattern the text must hold as well (``None``: none); a regex cannot say "and".
    also: str | None = None
    #: A pattern the text must not hold (``None``: none), e.g. a whole-text shape turned away.
    unless: str | None = None


#: A separator that ``digit_runs`` reads between the groups of a number.
_SEP = "[ \u00a0-]"
# Where a run of digit groups (``_RUN``) starts and ends: at the text's edge, next to a character
# that is neither a digit nor a separator, or at a separator with no digit beyond it.
_RUN_START = rf"(?:^|[^0-9 \u00a0-]|(?:^|[^0-9]){_SEP})"
_RUN_END = rf"(?:$|[^0-9 \u00a0-]|{_SEP}(?:$|[^0-9]))"


#: Characters that Python's ``\w`` (``str.isalnum``) reads as word characters in every
#: Unicode version, written out for a character class: ASCII letters and digits, ``_``, the
#: Russian and the Kazakh letters. The regex crate's ``\w`` holds marks and more that Python's
#: does not, so a search's ``[^\w]`` would turn away texts a look-behind ``(?<!\w)`` lets
#: through; ``[^WORDISH]`` stands for "no word character" a little loosely, never too tightly.
WORDISH = (
    "0-9A-Za-z_\u0401\u0410-\u044f\u0451"
    "\u0406\u0456\u0492\u0493\u049a\u049b\u04a2\u04a3\u04ae\u04af"
    "\u04b0\u04b1\u04ba\u04bb\u04d8\u04d9\u04e8\u04e9"
)
#: What ``is_glued`` reads as gluing a number to a longer token, written out the same way
#: (word characters and ``_GLUE``); ``-``, ``.`` and ``,`` glue only before a word character.
_GLUED = WORDISH + "/#\u2116+*@\\\\\u2022"
# Where a run of digit groups that ``is_glued`` lets through starts and ends: at the text's edge;
# next to a character neither a digit, a separator, ``.``/``,`` nor glue; at a space with no
# digit beyond it; at ``-``, ``.`` or ``,`` with no word character or glue beyond it.
_FREE_START = rf"(?:^|[^{_GLUED} \u00a0.,\-]|(?:^|[^0-9])[ \u00a0]|(?:^|[^{_GLUED}])[.,\-])"
_FREE_END = rf"(?:$|[^{_GLUED} \u00a0.,\-]|[ \u00a0](?:$|[^0-9])|[.,\-](?:$|[^{_GLUED}]))"


def free_digits_search(
    *lengths: int, grouped: bool = True, digits: dict[int, str] | None = None
) -> Search:
    """The search of a recognizer whose candidates are ``number_candidates(text, lengths)``
    (``digit_runs``): like ``digits_search`` but without the runs that ``is_glued`` turns away
    ("+77011234567" is no 11-digit number) and the groups that ``_glued_outside`` does.

    ``grouped=False`` for candidates of one unbroken group only (a whole run without
    separators, or one group of a grouped run); ``digits`` maps a length to the character
    classes of its digits, one a digit ("[0-9][0-9][01]..."), for candidates that must have
    those (the type digit of a БИН).

    >>> texts = ["ИИН 900 101 300 126", "900101300126", "+900101300126", "ORD-900101300126"]
    >>> [bool(re.search(free_digits_search(12).pattern, t)) for t in texts]
    [True, True, False, False]
    """
    branches = []
    for n in sorted(set(lengths)):
        classes = re.findall(r"\[[^\]]*\]", (digits or {}).get(n, "")) or ["[0-9]"] * n
        if len(classes) != n:
            raise ValueError(f"{n} digit classes wanted, not {len(classes)}")
        unbroken = "".join(classes)
        if grouped:
            body = classes[0] + "".join(f"{_SEP}?{c}" for c in classes[1:])
            branches.append(f"{_FREE_START}{body}{_FREE_END}")
        else:
            branches.append(f"{_FREE_START}{unbroken}{_FREE_END}")
        # One group of a grouped run: a space or no-break space joins it to a next or previous
        # group (a hyphen there glues it).
        branches.append(rf"(?:^|[^{_GLUED}\-]){unbroken}[ \u00a0][0-9]")
        branches.append(rf"[0-9][ \u00a0]{unbroken}(?:$|[^{_GLUED}\-])")
    return Search("|".join(branches), min_len=min(lengths))


def digits_search(*lengths: int, at_least: int | None = None) -> Search:
    """The search of a recognizer whose candidates are ``digit_runs(text, lengths)``: a whole
    run of digit groups with one of ``lengths`` digits, or one group of that many digits (in a
    longer run); with ``at_least``, also any run of at least that many digits.

    >>> texts = ["ИИН 900 101 300 126", "900101300126", "+7 701 123 45 67", "9001013001267"]
    >>> [bool(re.search(digits_search(12).pattern, t)) for t in texts]
    [True, True, False, False]
    """
    branches = []
    for n in sorted(set(lengths)):
        branches.append(rf"{_RUN_START}[0-9](?:{_SEP}?[0-9]){{{n - 1}}}{_RUN_END}")
        branches.append(rf"(?:^|[^0-9])[0-9]{{{n}}}(?:$|[^0-9])")
    if at_least is not None:
        branches.append(rf"{_RUN_START}[0-9](?:{_SEP}?[0-9]){{{at_least - 1}}}")
    fewest = min([*lengths, *([at_least] if at_least is not None else [])])
    return Search("|".join(branches), min_len=fewest)


def as_tuple(result: RecognizerResult) -> EntityTuple:
    """A Presidio result as the scanner's entity tuple (see ``EntityTuple``)."""
    metadata = result.recognition_metadata
    score = score2(result.score)
    if not metadata:
        return (result.entity_type, result.start, result.end, score, (), ())
    evidence = metadata.get(EVIDENCE)
    attributes = metadata.get(ATTRIBUTES)
    return (
        result.entity_type,
        result.start,
        result.end,
        score,
        tuple(evidence) if evidence else (),
        tuple(sorted(attributes.items())) if attributes else (),
    )


@cache
def _takes_context(cls: Any) -> bool:
    return "context" in inspect.signature(cls.analyze).parameters


def findings_of(
    recognizer: EntityRecognizer,
    texts: Sequence[str],
    entities: list[str] | None,
    context: list[str] | None,
) -> list[list[EntityTuple]]:
    """``analyze`` of each text as entity tuples of the ``entities`` types: the contract's
    default, and how the scanner reads any ``EntityRecognizer`` (a plugin's too).

    ``context`` (the field-name tokens) goes to an ``analyze`` that takes it; Presidio's own
    signature has no such argument.
    """
    # Presidio annotates ``nlp_artifacts`` as required (its recognizers take ``None``).
    # (mypy reads the class's ``__hash__`` as its instances' and calls the class unhashable.)
    if _takes_context(type(recognizer)):  # type: ignore[arg-type]
        analyze = recognizer.analyze
        found = [analyze(t, entities, None, context=context) for t in texts]  # type: ignore[call-arg, arg-type]
    else:
        found = [recognizer.analyze(t, entities, None) for t in texts]  # type: ignore[arg-type]
    wanted = set(entities or ())
    return [
        [as_tuple(r) for r in results if not wanted or r.entity_type in wanted] if results else []
        for results in found
    ]


class Findings:
    """The one contract between a recognizer and the scanner's analysis.

    ``SEARCH`` declares which texts the recognizer can find anything in (``None``: any);
    ``findings(texts, entities, context)`` returns, per text, what ``analyze`` would report
    there as entity tuples. A class may implement ``findings`` over the whole batch (the PERSON
    recognizer runs its NER once); by default it calls ``analyze`` text by text. A subclass that
    overrides ``analyze`` without its own ``findings`` gets that default when the class is made,
    and, without its own ``SEARCH``, searches every text: what its ``analyze`` finds decides.
    """

    SEARCH: ClassVar[Search | None] = None

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        own = set(cls.__dict__)
        if "findings" not in own and not own.isdisjoint(cls._BYPASSED):
            cls.findings = Findings.findings  # type: ignore[method-assign]
        if "SEARCH" not in own and not own.isdisjoint(cls._SEARCHED):
            cls.SEARCH = None

    #: What a class's own ``findings`` does not call: a subclass that overrides one of these
    #: reads its texts with ``analyze``.
    _BYPASSED: ClassVar[tuple[str, ...]] = ("analyze",)
    #: What makes the candidates: a subclass that overrides one of these without declaring its
    #: own ``SEARCH`` searches every text.
    _SEARCHED: ClassVar[tuple[str, ...]] = ("analyze", "findings")

    def findings(
        self, texts: Sequence[str], entities: list[str] | None, context: list[str] | None
    ) -> list[list[EntityTuple]]:
        """Per non-empty text, the entity tuples of the ``entities`` types (``None``: every
        type) found in it."""
        return findings_of(self, texts, entities, context)  # type: ignore[arg-type]


def evidence_of(result: RecognizerResult) -> list[str]:
    """The evidence strings of a result (empty for foreign recognizers)."""
    return list((result.recognition_metadata or {}).get(EVIDENCE, []))


def attributes_of(result: RecognizerResult) -> dict[str, str]:
    """The extra attributes of a result (empty for foreign recognizers)."""
    return dict((result.recognition_metadata or {}).get(ATTRIBUTES, {}))


class PdauditRecognizer(Findings, EntityRecognizer):
    """A recognizer of one entity type, ``ENTITY``, in Russian and Kazakh text.

    Its Presidio name is its class name; ``analyze`` takes the field-name tokens as ``context``.
    """

    ENTITY: ClassVar[str]
    name: str  # set by ``EntityRecognizer.__init__``

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.ENTITY], supported_language=LANGUAGE)

    if TYPE_CHECKING:
        # pdaudit's recognizers' ``analyze`` takes ``context``; Presidio's abstract one does not.
        def analyze(
            self,
            text: str,
            entities: list[str] | None,
            nlp_artifacts: object = None,
            context: list[str] | None = None,
        ) -> list[RecognizerResult]: ...

    def wants(self, text: object, entities: list[str] | None) -> bool:
        """Whether ``text`` is a non-empty string and ``entities`` (if given) ask for ``ENTITY``."""
        return (
            isinstance(text, str) and bool(text) and not (entities and self.ENTITY not in entities)
        )


def read_where(
    texts: Sequence[str], wanted: Sequence[bool], read: Callable[[list[str]], list[list[T]]]
) -> list[list[T]]:
    """Per text, what ``read`` gives for it where ``wanted`` says so, else nothing (``read``
    takes those texts at once): how a recognizer turns away the texts a cheap test over the
    batch proves empty (a plain number whose checksum fails, a text without a birth word).

    >>> read_where(["a", "b", "c"], [False, True, True], lambda ts: [[t] for t in ts])
    [[], ['b'], ['c']]
    """
    out: list[list[T]] = [[] for _ in texts]
    rest = [i for i, want in enumerate(wanted) if want] if any(wanted) else []
    if rest:
        for i, found in zip(rest, read([texts[i] for i in rest]), strict=True):
            out[i] = found
    return out


class _ByLength(dict[int, EntityTuple]):
    """The finding of each length of text, made by ``make(length)`` when first asked for."""

    def __init__(self, make: Callable[[int], EntityTuple]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, length: int) -> EntityTuple:
        found = self[length] = self.make(length)
        return found


#: What ``ValidatedRecognizer.plain_validity`` stands for: a subclass that changes one reads
#: every text its own way.
_PLAIN_READS = ("validate_result", "candidates", "score", "evidence", "_parts")


class ValidatedRecognizer(PdauditRecognizer):
    """Candidates that a validator proves (a checksum, an address syntax), scored by context.

    A subclass names ``CONTEXT`` (the data file of its context words) and either ``LENGTHS``
    (numbers of that many digits) or its own ``candidates()``. ``validate_result()`` answers
    ``True`` (proven: ``PROOF`` is the evidence), ``False`` (wrong: dropped) or ``None`` (cannot
    tell: reported only next to a context word); ``score()`` returns ``None`` to drop a candidate.
    """

    CONTEXT: ClassVar[str]
    LENGTHS: ClassVar[Collection[int]] = ()
    _BYPASSED: ClassVar[tuple[str, ...]] = ("analyze", "wants", "_results")
    _SEARCHED: ClassVar[tuple[str, ...]] = (
        "analyze",
        "findings",
        "candidates",
        "_parts",
        "LENGTHS",
    )
    PROOF: ClassVar[str] = "checksum"
    SCORE: ClassVar[float] = 1.0  # a proven value with no context word

    def load(self) -> None:
        """Nothing to load: the context words are read lazily."""

    def candidates(self, text: str) -> Iterable[Candidate]:
        """Numbers of ``LENGTHS`` digits that stand on their own in ``text``."""
        return number_candidates(text, self.LENGTHS)

    def validate_result(self, value: str) -> bool | None:
        """Whether the candidate's value is proven (``True``), wrong (``False``) or unproven."""
        raise NotImplementedError

    def score(self, text: str, found: Candidate, word: str | None) -> float | None:
        """1.0 with a context word (``word`` is its evidence string), else ``SCORE``."""
        return 1.0 if word else self.SCORE

    def evidence(
        self, text: str, found: Candidate, proven: bool | None, word: str | None
    ) -> list[str]:
        """The proof, then the context word."""
        return ([self.PROOF] if proven else []) + ([word] if word else [])

    def analyze(
        self,
        text: str,
        entities: list[str] | None,
        nlp_artifacts: object = None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """``ENTITY`` spans in ``text``; ``context`` holds the field name tokens."""
        if not self.wants(text, entities):
            return []
        return self._results(text, context_words(self.CONTEXT), context)

    #: Whether the valid texts of ``plain_validity`` share one finding.
    PLAIN_SHARED: ClassVar[bool] = False

    def plain_validity(self, texts: Sequence[str]) -> list[bool | None] | None:
        """The plain-column hook: per text that is its own one candidate and nothing else
        (exactly N ASCII digits, one address), whether that candidate is valid; ``None`` for
        any other text. ``findings`` gives a wrong one (``False``) nothing and reads the rest
        as usual, but with ``PLAIN_SHARED`` (a value that is the whole text has no words around
        it: its finding comes from the field name alone) the valid ones share the first one's.
        The default answers ``None``: no plain texts. It is not asked in a subclass that finds,
        proves, scores or describes candidates otherwise than the class that declares it."""
        return None

    def findings(
        self, texts: Sequence[str], entities: list[str] | None, context: list[str] | None
    ) -> list[list[EntityTuple]]:
        """``analyze`` of each text as entity tuples, without a ``RecognizerResult`` each; the
        plain texts read by ``plain_validity``."""
        if entities and self.ENTITY not in entities:
            return [[] for _ in texts]
        validity = self.plain_validity(texts) if self._reads_as_declared() else None
        if validity is None:
            return self._read(texts, context)
        first = (
            next((i for i, ok in enumerate(validity) if ok), None) if self.PLAIN_SHARED else None
        )
        shared = [] if first is None else self._read([texts[first]], context)[0]
        if len(shared) == 1:
            # The valid texts share the first one's finding: the whole text, start to end (one
            # tuple for all the texts of a length).
            ((entity, start, _, score, evidence, attributes),) = shared
            whole = _ByLength(lambda end: (entity, start, end, score, evidence, attributes))
            out = [
                [whole[len(text)]] if valid else []
                for text, valid in zip(texts, validity, strict=True)
            ]
            rest = (
                [i for i, valid in enumerate(validity) if valid is None] if None in validity else []
            )
        else:
            out = [[] for _ in texts]
            rest = [i for i, valid in enumerate(validity) if valid is not False]
        if rest:
            for i, found in zip(rest, self._read([texts[i] for i in rest], context), strict=True):
                out[i] = found
        return out

    def _reads_as_declared(self) -> bool:
        """Whether the class finds, proves, scores and describes candidates as the class that
        declares its ``plain_validity`` does."""
        cls = type(self)
        owner = next(c for c in cls.__mro__ if "plain_validity" in c.__dict__)
        return all(getattr(cls, name) is getattr(owner, name) for name in _PLAIN_READS)

    def _read(self, texts: Sequence[str], context: list[str] | None) -> list[list[EntityTuple]]:
        """Each text's findings by ``_parts``: the general path."""
        words = context_words(self.CONTEXT)
        entity = self.ENTITY
        parts = self._parts
        return [
            [
                (entity, start, end, score2(score), tuple(evidence), ())
                for start, end, score, evidence in parts(text, words, context)
            ]
            for text in texts
        ]

    def _parts(
        self, text: str, words: ContextWords, context: list[str] | None
    ) -> list[tuple[int, int, float, list[str]]]:
        """Start, end, score and evidence of each result in ``text``."""
        found_parts = []
        for found in self.candidates(text):
            proven = self.validate_result(found.value)
            if proven is False:
                continue
            word = words.evidence(text, found.start, found.end, context)
            score = self.score(text, found, word) if proven or word else None
            if score is None:
                continue
            found_parts.append(
                (found.start, found.end, score, self.evidence(text, found, proven, word))
            )
        return found_parts

    def _results(
        self, text: str, words: ContextWords, context: list[str] | None
    ) -> list[RecognizerResult]:
        # ``make_result()`` written out: this runs for every value of a column.
        name = self.name
        return [
            RecognizerResult(
                self.ENTITY,
                start,
                end,
                round(score, 2),
                NO_EXPLANATION,
                {
                    RecognizerResult.RECOGNIZER_NAME_KEY: name,
                    EVIDENCE: list(evidence),
                    ATTRIBUTES: {},
                },
            )
            for start, end, score, evidence in self._parts(text, words, context)
        ]


class ContextRecognizer(PdauditRecognizer):
    """Values without a checksum, reported where a context word in the text or field name says so.

    A subclass names ``CONTEXT`` and ``FIELD_CONTEXT`` (data files of the words in the text and
    in field names). ``analyze`` looks up the field-name word and calls ``find()``, which by
    default takes the ``CANDIDATE`` matches that pass ``validate_result()`` and that ``said()``
    or the field name speaks for; recognizers with their own reading of the text override
    ``find()`` and use the helpers.
    """

    CONTEXT: ClassVar[str]
    FIELD_CONTEXT: ClassVar[str]
    CANDIDATE: ClassVar[re.Pattern[str]]
    _BYPASSED: ClassVar[tuple[str, ...]] = ("analyze", "wants")
    _SEARCHED: ClassVar[tuple[str, ...]] = ("analyze", "findings", "find", "CANDIDATE")
    SCORE_BOTH: ClassVar[float] = 0.95  # a context word in the text and in the field name
    SCORE_TEXT: ClassVar[float] = 0.9
    SCORE_FIELD: ClassVar[float] = 0.85
    words: Collection[str]  # the context words, set by ``load()``

    def load(self) -> None:
        """Read the context words, longest first."""
        self.words = longest_first(self.CONTEXT)
        self.field_words = longest_first(self.FIELD_CONTEXT)

    def field_word(self, context: list[str] | None) -> str | None:
        """The field-name context word among the field-name tokens ``context``, if any.

        Looked up once per field name: every value of a column comes with the same one.
        """
        if not context:
            return None
        seen = self.__dict__.setdefault("_field_word_of", {})
        key = tuple(context)
        if key in seen:
            return seen[key]
        return remember(seen, key, self.find_field_word(context))

    def find_field_word(self, context: list[str]) -> str | None:
        """The field-name word among the tokens ``context`` (``field_word`` remembers it)."""
        return find_context("", 0, 0, self.field_words, extra=context)

    def said(self, text: str, start: int, end: int) -> str | None:
        """The context word near ``text[start:end]`` that speaks for it, if any."""
        return find_context(text, start, end, self.words)

    def validate_result(self, value: str) -> bool:
        """Whether a candidate has the shape of the value (there is no checksum to prove it)."""
        raise NotImplementedError

    def attributes(self, value: str) -> dict[str, str]:
        """Extra attributes of a result for a valid ``value``."""
        return {}

    def evidence(self, said: str | None, named: str | None) -> list[str]:
        """``"context: <word>"`` and ``"field name: <word>"`` for the words found."""
        return ([f"context: {said}"] if said else []) + ([f"field name: {named}"] if named else [])

    def score(self, said: str | None, named: str | None) -> float:
        """``SCORE_BOTH`` with both words, else ``SCORE_TEXT`` or ``SCORE_FIELD``."""
        if said and named:
            return self.SCORE_BOTH
        return self.SCORE_TEXT if said else self.SCORE_FIELD

    def result(
        self,
        start: int,
        end: int,
        said: str | None,
        named: str | None,
        penalty: float = 0.0,
        **attributes: str,
    ) -> RecognizerResult:
        """A result for ``text[start:end]`` scored and explained by the words found."""
        score = self.score(said, named) - penalty
        # ``make_result`` written out (``attributes`` is a new dict already).
        metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            EVIDENCE: list(self.evidence(said, named)),
            ATTRIBUTES: attributes,
        }
        return RecognizerResult(self.ENTITY, start, end, round(score, 2), NO_EXPLANATION, metadata)

    def analyze(
        self,
        text: str,
        entities: list[str] | None = None,
        nlp_artifacts: object = None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """``ENTITY`` results in ``text``; ``context`` holds field-name tokens."""
        if not self.wants(text, entities):
            return []
        return self.find(text, self.field_word(context), context)

    def findings(
        self, texts: Sequence[str], entities: list[str] | None, context: list[str] | None
    ) -> list[list[EntityTuple]]:
        """``analyze`` of each text, the field name's word looked up once for the batch."""
        if entities and self.ENTITY not in entities:
            return [[] for _ in texts]
        named = self.field_word(context)
        find = self.find
        return [[as_tuple(r) for r in find(text, named, context)] for text in texts]

    def find(
        self, text: str, named: str | None, context: list[str] | None
    ) -> list[RecognizerResult]:
        """Results in a non-empty ``text``; ``named`` is the field-name word, if any."""
        results = []
        for match in self.CANDIDATE.finditer(text):
            value = match.group()
            if not self.validate_result(value):
                continue
            said = self.said(text, match.start(), match.end())
            if said or named:
                attributes = self.attributes(value)
                results.append(
                    self.result(match.start(), match.end(), said, named, 0.0, **attributes)
                )
        return results
