"""The field verdict model: what the whole field says, beyond which values matched.

``pdaudit.scanner.verdicts.field_verdict`` asks this module three questions about a field:

1. **Does a type beat chance?** (:func:`chance_verdict`) A random 11-digit number passes the SNILS
   check about 1 time in 100, a random 16-digit one the Luhn check 1 time in 10. For a field
   whose values are mostly bare numbers, the share of values of type ``T`` is compared with the
   share expected by chance for numbers of the field's lengths (:func:`chance_rates`, measured
   from the current recognizers on seeded random digit strings, not a stored memo). ``T`` is
   reported only when the 95% Wilson lower bound of its share exceeds ``CHANCE_FACTOR`` times
   that expectation, or when the field name names ``T``; otherwise it is *dismissed* as chance.
2. **Is it a column of single name parts?** (:func:`name_part_kind`, :func:`name_part`) A field
   named for a first name, surname or patronymic (``aty``, ``tegi``, ``akesinin_aty``,
   ``imya``, ``familiya``, ``otchestvo``, ``first_name``...) whose values are, in the main,
   single names from the lexicons of ``recognizers/data/person_*.txt`` (Kazakh letters and Latin
   transliteration folded) or have a surname or patronymic ending, holds PERSON.
3. **Is it an organisation's contact?** (:func:`org_contact`) Role mailboxes (``info@``,
   ``support@``, ``school12@``), and addresses, phones and mailboxes in an organisations' table
   or under an organisation's field name are reported as ``ORG_CONTACT``, a non-personal type
   (as ``KZ_BIN``), never as a person's ADDRESS, PHONE_NUMBER or EMAIL_ADDRESS.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import repeat
from operator import contains, itemgetter, sub
from typing import Any

import yaml

from pdaudit.recognizers.base import fold, load_words
from pdaudit.scanner.masking import mask

#: How many times the chance share a type's share (its 95% lower bound) must exceed.
CHANCE_FACTOR = 2.0
#: Digit strings per length the chance rates are measured on, and their seed.
CHANCE_SAMPLE = 2000
CHANCE_SEED = 19
#: Lengths of bare numbers counted in a field's shape (longer ones are not identifiers).
MAX_DIGITS = 19
#: The share of a field's values that must be bare numbers for the chance test to apply.
NUMERIC_FIELD = 0.5
#: The share (95% lower bound) of a field's values that must be single name parts.
NAME_PART_SHARE = 0.6
#: Neighbouring numbers at most this far apart are a step of a sequence (batch numbers).
SEQ_STEP = 10
#: The share (95% lower bound) of neighbouring pairs that must be steps, and the fewest pairs.
SEQUENCE_SHARE = 0.5
SEQUENCE_PAIRS = 10
#: Template text: at least this many words of a value around the name it holds, and at most
#: this many distinct texts.
PROSE_WORDS = 3
TEMPLATE_TEXTS = 12
ORG_CONTACT = "ORG_CONTACT"
#: Types an organisation's contact is reported instead of.
CONTACT_TYPES = ("EMAIL_ADDRESS", "PHONE_NUMBER", "ADDRESS")

_SEPARATOR_LIST = (" ", "-", "(", ")", "+", ".", "\u00a0")
_SEPARATORS = str.maketrans("", "", "".join(_SEPARATOR_LIST))
_NUMBER_START = frozenset("0123456789+(")


def digit_shape(text: str) -> int:
    """The number of digits of a value that is a bare number (separators allowed), else 0.

    >>> digit_shape("12345678901"), digit_shape("4509 123456"), digit_shape("+7 (701) 1")
    (11, 10, 5)
    >>> digit_shape("ул. Абая 5"), digit_shape(""), digit_shape("1" * 20)
    (0, 0, 0)
    """
    if text.isdigit():
        n = len(text)
        return n if n <= MAX_DIGITS and text.isascii() else 0
    if not text or len(text) > 2 * MAX_DIGITS or text[0] not in _NUMBER_START:
        return 0
    if not text.isdigit():
        text = text.translate(_SEPARATORS)
        if not text.isdigit():
            return 0
    n = len(text)
    return n if n <= MAX_DIGITS and text.isascii() else 0


_FIRST_CHAR = itemgetter(slice(0, 1))  # "" for an empty text


def digit_shapes(texts: Sequence[str]) -> tuple[list[int], list[int]]:
    """``digit_shape`` of each text, and the bare numbers among them as ``bare_numbers`` reads
    them (in order): a batch of one field's values at once.

    A column none of whose values starts as a number can (names, e-mails, addresses) is told
    by one pass over the first characters; a column of plain ASCII numbers (IINs, ids) by one
    test of all of them joined; other values one by one, each read once for both answers.

    >>> digit_shapes(["7000000001", "+7 (701) 1", "ул. Абая 5", "", "1" * 20, "٣"])
    ([10, 5, 0, 0, 0, 0], [7000000001, 77011])
    >>> digit_shapes(["Ким", "Ли"]), digit_shapes(["12", "345"])
    (([0, 0], []), ([2, 3], [12, 345]))
    """
    if _no_number_start(texts):
        return [0] * len(texts), []  # a bare number starts with a digit, "+" or "("
    joined = "".join(texts)
    if joined.isdigit() and joined.isascii():
        lengths = list(map(len, texts))
        if 0 < min(lengths) and max(lengths) <= MAX_DIGITS:
            return lengths, list(map(int, texts))
    return _shapes_one_by_one(texts)


def _shapes_one_by_one(texts: Iterable[str]) -> tuple[list[int], list[int]]:
    """``digit_shapes`` without the shortcuts."""
    shapes: list[int] = []
    numbers: list[int] = []
    for text in texts:  # digit_shape and bare_numbers, inlined
        if not text.isdigit():
            if not text or len(text) > 2 * MAX_DIGITS or text[0] not in _NUMBER_START:
                shapes.append(0)
                continue
            text = text.translate(_SEPARATORS)
            if not text.isdigit():
                shapes.append(0)
                continue
        n = len(text)
        if n <= MAX_DIGITS and text.isascii():
            shapes.append(n)
            numbers.append(int(text))
        else:
            shapes.append(0)
    return shapes, numbers


#: Batches at least this long are read a column at a time by ``number_column`` (polars); a
#: shorter one costs less one text at a time than polars' set-up.
COLUMN_MIN = 256
#: A text ``digit_shape`` may count: it starts as a number can, holds only digits and
#: separators, and is at most ``2 * MAX_DIGITS`` characters long (Rust's regex, polars: ``[0-9]``
#: is ASCII only, ``$`` the end of the text).
_BARE_NUMBER = f"^[0-9+(][0-9 ()+.\u00a0-]{{0,{2 * MAX_DIGITS - 1}}}$"


def number_column(texts: Sequence[str]) -> tuple[dict[int, int], Any]:
    """What ``digit_shapes`` says of a batch, counted a column at a time: each digit shape with
    how many texts have it (in the order first seen, as ``Counter.update`` of the shapes would
    add them), and the bare numbers in order (a NumPy ``uint64`` array: 19 digits fit).

    A batch of plain ASCII numbers (ids, IINs) is cast as it is. Otherwise polars reads it: one
    regex says which texts are bare numbers (``_BARE_NUMBER``), and their digits
    (``str.replace_many`` drops the separators) give the shapes (``len_bytes``) and numbers
    (``cast``). A batch polars cannot hold (a lone surrogate: no UTF-8) goes one text at a time.

    >>> shapes, numbers = number_column(["+7 (701) 1", "1" * 20, "2023-01-05", "٣", "12", "7"])
    >>> shapes, numbers.tolist()
    ({5: 1, 8: 1, 2: 1, 1: 1}, [77011, 20230105, 12, 7])
    """
    import numpy as np

    if _no_number_start(texts) or _shared_non_number_char(texts):
        return {}, np.zeros(0, dtype=np.uint64)  # no text is a bare number
    same = _same_width_numbers(texts)
    if same is not None:  # ASCII numbers of one number of digits (IINs, phones, dates)
        width, numbers = same
        return {width: len(texts)}, numbers
    joined = "".join(texts)
    if joined.isdigit() and joined.isascii():  # plain ASCII numbers (ids, IINs): no regex
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        if 0 < lengths.min() and lengths.max() <= MAX_DIGITS:
            import polars as pl

            numbers = pl.Series("t", texts, dtype=pl.String).cast(pl.UInt64).to_numpy()
            return _first_seen_counts(lengths), numbers
    read = _number_series(texts)
    if read is None:
        shapes, found = digit_shapes(texts)
        lengths = np.fromiter(filter(None, shapes), dtype=np.int64)
        numbers = np.array(found, dtype=np.uint64)
    else:
        lengths, numbers = read
    return _first_seen_counts(lengths), numbers


def _no_number_start(texts: Sequence[str]) -> bool:
    """Whether no text starts as a bare number can (a digit, "+" or "("). The smallest text's
    first character is the smallest first character: when it comes after "9" (letters), so
    does every text's, and none is one of those (all of which come before it); else each
    text's first character is looked at.

    >>> _no_number_start(["Ким", "a@b.kz"]), _no_number_start(["Ким", "+7 701"])
    (True, False)
    >>> _no_number_start(["Ким", ""]), _no_number_start(["Ким", " 7"]), _no_number_start([])
    (True, True, True)
    """
    if not texts or texts[0][:1] in _NUMBER_START:
        return not texts
    return min(texts)[:1] > "9" or _NUMBER_START.isdisjoint(map(_FIRST_CHAR, texts))


#: The separators a bare number may hold that are ASCII, and those of them no bare number
#: starts with (``_same_width_numbers``).
_ASCII_SEPARATORS = "".join(s for s in _SEPARATOR_LIST if s.isascii()).encode()
_NOT_FIRST = bytes(ord(s) for s in _SEPARATOR_LIST if s.isascii() and s not in _NUMBER_START)


def _same_width_numbers(texts: Sequence[str]) -> tuple[int, Any] | None:
    """``(width, numbers)`` when every text is an ASCII bare number of ``width`` digits (IINs,
    phones, dates in one format; ``numbers`` as ``number_column`` gives them), else None.

    The texts joined by line breaks, as bytes, without their separators (``bytes.translate``)
    must be digits, ``width`` of them between line breaks; then the texts' digits are a NumPy
    table, summed times powers of ten. Where there were separators, no text may start with
    one that no number starts with, or be longer than ``2 * MAX_DIGITS``.

    >>> phones = ["+7 (701) 123-45-67", "87011234567", "1-2-3-4-5-6-7-8-9-0-1"]
    >>> width, numbers = _same_width_numbers(phones)
    >>> width, numbers.tolist()
    (11, [77011234567, 87011234567, 12345678901])
    >>> [_same_width_numbers(t) for t in (["12", "3"], ["12", " 34"], ["1\\n2"], ["٣"])]
    [None, None, None, None]
    """
    import numpy as np

    n = len(texts)
    joined = "\n".join(texts)
    if not n or not joined.isascii() or joined.count("\n") != n - 1:
        return None  # (a text holding a line break is no bare number)
    data = joined.encode()
    digits = data.translate(None, _ASCII_SEPARATORS)
    width, rest = divmod(len(digits) + 1, n)
    width -= 1
    if rest or not 1 <= width <= MAX_DIGITS or digits[width :: width + 1] != b"\n" * (n - 1):
        return None
    bare = digits.replace(b"\n", b"")
    if not bare.isdigit():
        return None
    if len(digits) < len(data):  # separators: each text's first character and length
        codes = np.frombuffer(data, dtype=np.uint8)
        starts = np.flatnonzero(codes == ord("\n")) + 1
        lengths = np.diff(starts, prepend=0, append=len(data) + 1) - 1
        firsts = np.concatenate((codes[:1], codes[starts]))
        if lengths.max() > 2 * MAX_DIGITS or np.isin(firsts, list(_NOT_FIRST)).any():
            return None
    table = np.frombuffer(bare, dtype=np.uint8).reshape(n, width) - np.uint8(ord("0"))
    powers = np.array([10**k for k in range(width - 1, -1, -1)], dtype=np.uint64)
    return width, table.astype(np.uint64) @ powers


#: The characters a bare number may hold (``digit_shape``): ASCII digits and separators.
_NUMBER_CHARS = frozenset("0123456789" + "".join(_SEPARATOR_LIST))


def _shared_non_number_char(texts: Sequence[str]) -> bool:
    """Whether one character no bare number holds stands in every text (the ":" of time
    stamps): then none of them is a bare number. The character tried is the first text's first
    one outside ``_NUMBER_CHARS``; a pass of ``in`` over the texts at C speed tells the rest.

    >>> _shared_non_number_char(["2024-05-28 13:37:56", "2023-01-05 00:00:01"])
    True
    >>> _shared_non_number_char(["2024-05-28 13:37:56", "2023-01-05"])
    False
    >>> _shared_non_number_char(["+7 701 123", "a:b"]), _shared_non_number_char([""])
    (False, False)
    """
    for char in texts[0] if texts else "":
        if char not in _NUMBER_CHARS:
            return all(map(contains, texts, repeat(char)))
    return False


def _first_seen_counts(lengths: Any) -> dict[int, int]:
    """How many times each value of a NumPy array occurs, in the order first seen."""
    import numpy as np

    if not lengths.size:
        return {}
    values, first, times = np.unique(lengths, return_index=True, return_counts=True)
    seen = np.argsort(first)
    return dict(zip(values[seen].tolist(), times[seen].tolist(), strict=True))


def _number_series(texts: Sequence[str]) -> tuple[Any, Any] | None:
    """The digit shapes (``int64``) and numbers (``uint64``) of the bare numbers among
    ``texts``, in order, read by polars; None when polars cannot hold a text."""
    import polars as pl

    try:
        column = pl.Series("t", texts, dtype=pl.String)
    except Exception:  # noqa: BLE001 - a lone surrogate (no UTF-8): one text at a time
        return None
    numeric = column.filter(column.str.contains(_BARE_NUMBER))
    digits = numeric.str.replace_many(list(_SEPARATOR_LIST), [""] * len(_SEPARATOR_LIST))
    lengths = digits.str.len_bytes()
    kept = (lengths >= 1) & (lengths <= MAX_DIGITS)
    numbers = digits.filter(kept).cast(pl.UInt64)
    return lengths.filter(kept).cast(pl.Int64).to_numpy(), numbers.to_numpy()


def count_array_steps(numbers: Any, before: int | None = None) -> tuple[int, int]:
    """``count_steps`` of numbers in a NumPy ``uint64`` array, with NumPy (Python integers for
    numbers of 2**62 or more, whose differences ``int64`` may not hold).

    >>> import numpy as np
    >>> count_array_steps(np.array([7000000001, 7000000002, 7000000004, 87015550000], np.uint64))
    (3, 2)
    >>> count_array_steps(np.array([5, 5], np.uint64), before=4)
    (2, 1)
    """
    import numpy as np

    if not numbers.size or int(numbers.max()) >= 1 << 62 or (before or 0) >= 1 << 62:
        return count_steps(numbers.tolist(), before)
    seq = numbers.astype(np.int64)
    if before is not None:
        seq = np.concatenate((np.array([before], dtype=np.int64), seq))
    apart = np.abs(np.diff(seq))
    return int(apart.size), int(np.count_nonzero((apart >= 1) & (apart <= SEQ_STEP)))


def count_shapes(shapes: Counter, texts: Iterable[str]) -> int:
    """Add the digit shapes of ``texts`` (bare numbers only) to ``shapes``; how many there were."""
    found = list(filter(None, map(digit_shape, texts)))
    shapes.update(found)
    return len(found)


def bare_numbers(numbers: Iterable[str]) -> list[int]:
    """Bare numbers (texts ``digit_shape`` counts) as integers, in order.

    >>> bare_numbers(["7000000001", "+7 (701) 1", "12"])
    [7000000001, 77011, 12]
    """
    texts = list(numbers)
    if all(map(str.isdigit, texts)):
        return list(map(int, texts))
    return [int(t if t.isdigit() else t.translate(_SEPARATORS)) for t in texts]


def count_steps(numbers: list[int], before: int | None = None) -> tuple[int, int]:
    """Pairs of neighbouring numbers (``before`` the first, when given, then each with the
    next), and how many of them are 1 to ``SEQ_STEP`` apart.

    >>> count_steps([7000000001, 7000000002, 7000000004, 87015550000])
    (3, 2)
    >>> count_steps([5, 5], before=4)
    (2, 1)
    """
    seq = numbers if before is None else [before, *numbers]
    if len(seq) < 2:
        return 0, 0
    apart = list(map(abs, map(sub, seq[1:], seq)))
    return len(apart), sum(map(SEQ_STEP.__ge__, apart)) - apart.count(0)


@cache
def chance_rates() -> dict[str, dict[int, float]]:
    """Per type, per number length: the share of random digit strings the recognizers report.

    Measured once per process from the current recognizers (every registry recognizer but
    PERSON, no field-name context, the scanner's default score floor) on ``CHANCE_SAMPLE``
    seeded random numbers of each length from 6 to ``MAX_DIGITS`` digits, without a leading 0.
    """
    from pdaudit.recognizers.registry import all_recognizers
    from pdaudit.scanner.analysis import Analyzer

    numeric = [r for r in all_recognizers() if "PERSON" not in r.supported_entities]
    analyzer = Analyzer(numeric, min_score=0.4)
    rng = random.Random(CHANCE_SEED)
    rates: dict[str, dict[int, float]] = {}
    for length in range(6, MAX_DIGITS + 1):
        texts = [str(rng.randint(10 ** (length - 1), 10**length - 1)) for _ in range(CHANCE_SAMPLE)]
        hits: Counter = Counter()
        for found in analyzer.analyze_batch(texts):
            hits.update({e.type for e in found})
        for etype, k in hits.items():
            rates.setdefault(etype, {})[length] = k / CHANCE_SAMPLE
    return rates


def expected_by_chance(etype: str, shapes: Counter) -> float:
    """How many of a field's bare numbers would be reported as ``etype`` by chance."""
    rates = chance_rates().get(etype, {})
    return sum(count * rates.get(length, 0.0) for length, count in shapes.items())


# ---------------------------------------------------------------- single name parts

#: The model's vocabulary (field-name, table-name and mailbox words): ``configs/fieldmodel.yaml``.
VOCABULARY = "fieldmodel.yaml"


@dataclass(frozen=True)
class Vocabulary:
    """The words of ``configs/fieldmodel.yaml`` (see its comments), folded as field-name tokens."""

    #: field-name word -> the part of a name it names (``first``, ``surname``, ``patronymic``,
    #: ``name``)
    part_words: dict[str, str]
    #: ``<word>_name`` -> the part (``first_name``, ``last_name``)
    part_pairs: dict[str, str]
    owners: frozenset[str]
    full_name_fields: frozenset[str]
    org_name_fields: frozenset[str]
    org_containers: frozenset[str]
    org_fields: frozenset[str]
    person_fields: frozenset[str]
    #: the role mailboxes' words, longest first, and the pattern of a role's address
    role_words: tuple[str, ...]
    role_mailbox: re.Pattern[str]


def _words(items: Iterable[object]) -> frozenset[str]:
    return frozenset(fold(str(w)) for w in items)


@cache
def vocabulary() -> Vocabulary:
    """``configs/fieldmodel.yaml``, read once (package data, never written at run time)."""
    data = yaml.safe_load(files("pdaudit.configs").joinpath(VOCABULARY).read_text("utf-8"))
    parts = {fold(str(w)): part for part, words in data["name_parts"].items() for w in words}
    roles = sorted(_words(data["role_mailboxes"]), key=lambda w: (-len(w), w))
    return Vocabulary(
        part_words=parts,
        part_pairs={fold(str(k)): str(v) for k, v in data["name_part_pairs"].items()},
        owners=_words(data["name_part_owners"]),
        full_name_fields=_words(data["full_name_fields"]),
        org_name_fields=_words(data["org_name_fields"]),
        org_containers=_words(data["org_containers"]),
        org_fields=_words(data["org_fields"]),
        person_fields=_words(data["person_fields"]),
        role_words=tuple(roles),
        role_mailbox=re.compile(rf"^{_prefix_tree(roles)}(?:[-_.]?\d+)?@", re.IGNORECASE),
    )


def _prefix_tree(words: Sequence[str]) -> str:
    """A regex group matching exactly ``words``, written as their prefix tree: the same
    language as ``(?:w1|w2|...)`` letter for letter (each letter is escaped and matched under
    the pattern's flags as it would be there), but Python's ``re`` tries one branch per
    distinct letter, not one per word (a role mailbox test: about 3x faster).

    >>> _prefix_tree(["pr", "press", "info"])
    '(?:p(?:r(?:|e(?:s(?:s))))|i(?:n(?:f(?:o))))'
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[:1], []).append(word[1:])
    branches = [
        "" if first == "" else re.escape(first) + _prefix_tree(rest)
        for first, rest in groups.items()
    ]
    return "" if branches == [""] else f"(?:{'|'.join(branches)})"


_PATRONYMIC = re.compile(
    r"(ович|евич|ич|овна|евна|ична|инична|улы|ұлы|кызы|қызы|uly|kyzy|ovich|evich|ovna|evna)$"
)
_SURNAME = re.compile(
    r"(ов|ова|ев|ева|ин|ина|ын|ына|ский|ская|цкий|цкая|енко|ко|баев|баева|бек|бекова|беков|"
    r"ов|ova|ov|ev|eva|in|ina|sky|skaya|enko|bayev|bayeva|bekov|bekova|uly|kyzy)$"
)
_KZ_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")
_LATIN = [
    ("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"), ("ts", "ц"), ("yu", "ю"),
    ("ya", "я"), ("yo", "е"), ("ye", "е"), ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"),
    ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"),
    ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"),
    ("u", "у"), ("v", "в"), ("w", "у"), ("x", "кс"), ("y", "ы"), ("z", "з"),
]  # fmt: skip
_LATIN_RE = re.compile("|".join(re.escape(a) for a, _ in _LATIN))
_LATIN_MAP = dict(_LATIN)
_DOUBLED = re.compile(r"(.)\1+")
_WORD = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)?$")


def _key(word: str) -> str:
    """A lexicon key: lower case, ё as е, Kazakh letters as their Russian neighbours, Latin
    transliterated to Cyrillic, no soft or hard sign, doubled letters once.

    >>> _key("Zhuldyz") == _key("Жұлдыз"), _key("Assel") == _key("Асель")
    (True, True)
    """
    word = fold(word).translate(_KZ_FOLD)
    if word.isascii():
        word = _LATIN_RE.sub(lambda m: _LATIN_MAP[m.group(0)], word)
    word = word.replace("ы", "и").replace("й", "и").replace("ь", "").replace("ъ", "")
    # Latin spelling doubles letters Cyrillic writes once (Assel, Асель): one of each run.
    return _DOUBLED.sub(r"\1", word)


@cache
def _first_names() -> frozenset[str]:
    return frozenset(_key(w) for w in load_words("person_first_names"))


@cache
def _surnames() -> frozenset[str]:
    words = load_words("person_surnames") | load_words("person_korean_surnames")
    return frozenset(_key(w) for w in words)


def name_part_kind(tokens: list[str]) -> str | None:
    """Which part of a name a field's name says it holds (``first``, ``surname``,
    ``patronymic`` or ``name``), or None: every other token must say whose name it is.

    >>> name_part_kind(["aty"]), name_part_kind(["akesinin", "aty"]), name_part_kind(["tauar", "aty"])
    ('first', 'patronymic', None)
    >>> name_part_kind(["user", "first", "name"]), name_part_kind(["imya", "faila"])
    ('first', None)
    """
    vocab = vocabulary()
    kind = None
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok in vocab.part_pairs and nxt in ("name", "names"):
            kind = kind or vocab.part_pairs[tok]
            continue
        part = vocab.part_words.get(tok)
        if part is not None:
            if part == "first" and kind == "patronymic":  # akesinin aty: the father's name
                continue
            kind = part if kind in (None, "name") else kind
        elif tok not in vocab.owners:
            return None
    return kind


def name_part(value: str) -> str | None:
    """What part of a name a value is when it is one name word (``first``, ``surname``,
    ``patronymic``), or None.

    >>> name_part("Жұлдыз"), name_part("Zhumabekov"), name_part("Нұрланқызы"), name_part("Абай!")
    ('first', 'surname', 'patronymic', None)
    """
    value = value.strip()
    if not (2 <= len(value) <= 30) or not _WORD.match(value) or not value[0].isupper():
        return None
    key = _key(value)
    if _PATRONYMIC.search(fold(value)) and len(value) > 6:
        return "patronymic"
    if key in _first_names():
        return "first"
    if key in _surnames() or _SURNAME.search(fold(value)):
        return "surname"
    return None


def count_name_parts(
    parts: Counter,
    texts: Iterable[str],
    examples: list[str],
    counts: Iterable[int] | None = None,
) -> None:
    """Count the values that are one name word, or two or three (``Erlan Zhumabekov``), and
    keep up to three masked examples; ``counts``: how many values each text stands for."""
    for text, count in zip(texts, counts if counts is not None else repeat(1), strict=False):
        words = text.split()
        if not 1 <= len(words) <= 3:
            continue
        kinds = [name_part(w) for w in words]
        if all(kinds):
            parts[kinds[0] if len(kinds) == 1 else "full"] += count
            if len(examples) < 3:
                example = mask(text.strip(), "PERSON")
                if example not in examples:
                    examples.append(example)


# ---------------------------------------------------------------- organisation contacts


def is_role_mailbox(email: str) -> bool:
    """Whether an e-mail address is a role's mailbox, not a person's.

    >>> is_role_mailbox("info@mektep.kz"), is_role_mailbox("school12@edu.kz")
    (True, True)
    >>> is_role_mailbox("aigul.k12@gmail.com")
    False
    """
    return bool(vocabulary().role_mailbox.match(email.strip()))


def role_mailboxes(emails: Iterable[str]) -> int:
    """How many of ``emails`` are a role's mailbox (``is_role_mailbox``).

    >>> role_mailboxes(["info@mektep.kz", "aigul.k12@gmail.com", " school12@edu.kz"])
    2
    """
    return len(list(filter(None, map(vocabulary().role_mailbox.match, map(str.strip, emails)))))


def org_context(container_tokens: list[str], field_tokens: list[str]) -> str | None:
    """Why a field belongs to an organisation (its table's or its own name), or None when the
    field's name says it is a person's.

    >>> org_context(["organisations"], ["phone"]), org_context(["users"], ["office", "phone"])
    ('organisation table: organisations', 'field name: office')
    >>> org_context(["schools"], ["teacher", "phone"]) is None
    True
    """
    vocab = vocabulary()
    if any(t in vocab.person_fields for t in field_tokens):
        return None
    said = next((t for t in field_tokens if t in vocab.org_fields), None)
    if said:
        return f"field name: {said}"
    said = next((t for t in container_tokens if t in vocab.org_containers), None)
    return f"organisation table: {said}" if said else None


# ---------------------------------------------------------------- the decisions


def _wilson_low(k: int, n: int, z: float = 1.959964) -> float:
    if n <= 0:
        return 0.0
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5 / denom
    return round(max(0.0, centre - half), 4)


def chance_verdict(etype: str, matches: int, n: int, shapes: Counter) -> str | None:
    """Why ``etype`` is dismissed as chance in a field of ``n`` values, or None when it beats
    chance (or the test does not apply: under half the values are bare numbers, or no number
    of the field's lengths passes for ``etype`` by chance).

    The share of ``etype`` (its 95% Wilson lower bound) must exceed ``CHANCE_FACTOR`` times the
    share expected by chance: ``sum(numbers of length L * chance rate of L) / n``.
    """
    numbers = sum(shapes.values())
    if n <= 0 or numbers < NUMERIC_FIELD * n:
        return None
    expected = expected_by_chance(etype, shapes)
    if expected <= 0:
        return None
    low = _wilson_low(matches, n)
    if low > CHANCE_FACTOR * expected / n:
        return None
    return (
        f"chance: {matches} of {n} values, {expected:.1f} expected by chance for "
        f"{numbers} numbers of these lengths"
    )


def repetition_verdict(matches: int, distinct: Collection[str], tokens: list[str]) -> str | None:
    """Why PERSON is dismissed for repetition: at least 20 matches of at most 12 distinct
    single words, at most one in five matches new (a column of stream names, cities, eponyms),
    unless the field's name says it holds a part of a name (first names repeat). Full names
    repeat too (the six teachers of a lessons table): a fragment of two words keeps PERSON.

    >>> repetition_verdict(40, {"Жұлдыз", "Арман"}, ["stream", "name"])
    'repetition: 40 matches of 2 distinct words'
    >>> repetition_verdict(40, {"Жұлдыз", "Арман"}, ["aty"]) is None
    True
    >>> repetition_verdict(40, {"Ахметов Ерлан", "Арман"}, ["teacher"]) is None
    True
    """
    if matches < 20 or len(distinct) > 12 or len(distinct) * 5 > matches:
        return None
    if name_part_kind(tokens) is not None or any(len(f.split()) > 1 for f in distinct):
        return None
    return f"repetition: {matches} matches of {len(distinct)} distinct words"


def in_prose(text: str, start: int, end: int) -> bool:
    """Whether the name ``text[start:end]`` stands in prose: ``PROSE_WORDS`` words around it.

    >>> in_prose("Пушкин и Лермонтов: готовимся к сочинению", 0, 6)
    True
    >>> in_prose("С уважением, Цой Аружан", 13, 23), in_prose("Ахметов Ерлан", 0, 13)
    (False, False)
    """
    return len(text[:start].split()) + len(text[end:].split()) >= PROSE_WORDS


def template_verdict(matches: int, texts: Collection[str], prose: int) -> str | None:
    """Why PERSON is dismissed as template text: at least 20 values with a name, at most 12
    distinct ones (one in five new at most), nine in ten of them prose around the name. Marketing
    and news texts about historical figures repeat across rows; a person's own text (a support
    message, a signature with each user's name) does not, and a column of a few teachers' names
    is names, not prose.

    >>> template_verdict(60, {"Пушкин и Лермонтов: готовимся к сочинению"}, 60)
    'template text: 60 values with a name, 1 distinct text'
    >>> template_verdict(60, {"С уважением, Цой Аружан", "С уважением, Ким Инжу"}, 0) is None
    True
    """
    if matches < 20 or len(texts) > TEMPLATE_TEXTS or len(texts) * 5 > matches:
        return None
    if prose * 10 < matches * 9:
        return None
    said = "1 distinct text" if len(texts) == 1 else f"{len(texts)} distinct texts"
    return f"template text: {matches} values with a name, {said}"


def sequence_verdict(etype: str, steps: int, pairs: int, n: int, shapes: Counter) -> str | None:
    """Why ``etype`` is dismissed in a field of sequential numbers (batch, lot, receipt numbers
    counting up): most values are bare numbers, at least half of the neighbouring pairs (95%
    lower bound) are 1 to ``SEQ_STEP`` apart, and numbers of these lengths pass for ``etype`` by
    chance. Random numbers, and a type's real values (phones, IINs: sorted or not), are almost
    never that close.

    >>> sequence_verdict("PHONE_NUMBER", 79, 79, 80, Counter({11: 80}))
    'sequence: 79 of 79 neighbouring numbers 1 to 10 apart'
    >>> sequence_verdict("PHONE_NUMBER", 3, 79, 80, Counter({11: 80})) is None
    True
    """
    numbers = sum(shapes.values())
    if n <= 0 or numbers < NUMERIC_FIELD * n or pairs < SEQUENCE_PAIRS:
        return None
    if _wilson_low(steps, pairs) < SEQUENCE_SHARE or expected_by_chance(etype, shapes) <= 0:
        return None
    return f"sequence: {steps} of {pairs} neighbouring numbers 1 to {SEQ_STEP} apart"


def person_context_verdict(
    evidence: Iterable[str], tokens: list[str], container: str
) -> str | None:
    """Why PERSON is dismissed by what surrounds the values, or None: the name column of an
    organisations' table names the organisation; a PERSON that only the field name argued for,
    in a field whose name is not a person's (``imya_faila``: a file's name), is the name's doing.

    >>> person_context_verdict(["field name: name"], ["name"], "organisations")
    'organisation table: organisations'
    >>> person_context_verdict(["field name: imya"], ["imya", "faila"], "t")
    'only the field name: imya_faila'
    >>> person_context_verdict(["lexicon", "field name: imya"], ["imya", "faila"], "t") is None
    True
    >>> person_context_verdict(["field name: fio"], ["fio"], "t") is None  # a full name's field
    True
    """
    from pdaudit.scanner.fieldnames import tokenize

    vocab = vocabulary()
    if tokens and all(t in vocab.org_name_fields for t in tokens):
        table = tokenize(container.rsplit("/", 1)[-1])
        said = next((t for t in table if t in vocab.org_containers), None)
        if said:
            return f"organisation table: {said}"
    words = list(evidence)
    if vocab.full_name_fields.intersection(tokens) or tokens[-2:] == ["full", "name"]:
        return None  # the field says it holds a person's full name: its names are persons'
    if words and all(w.startswith("field name") for w in words) and name_part_kind(tokens) is None:
        return f"only the field name: {'_'.join(tokens)}"
    return None


def name_part_verdict(parts: Counter, n: int, tokens: list[str]) -> tuple[int, list[str]] | None:
    """PERSON's matches and evidence in a field of single name parts, or None."""
    kind = name_part_kind(tokens)
    k = sum(parts.values())
    if kind is None or k == 0 or _wilson_low(k, n) < NAME_PART_SHARE:
        return None
    said = " ".join(f"{part} {count}" for part, count in parts.most_common())
    return k, [f"name parts: {said} of {n}", f"field name: {'_'.join(tokens)}"]


def org_contact_verdict(
    etype: str, matches: int, roles: int, container: str, field_name: str
) -> str | None:
    """Why a contact (``CONTACT_TYPES``) is an organisation's, or None."""
    from pdaudit.scanner.fieldnames import tokenize

    if etype not in CONTACT_TYPES:
        return None
    if etype == "EMAIL_ADDRESS" and roles and _wilson_low(roles, matches) >= 0.5:
        return f"role mailboxes: {roles} of {matches}"
    return org_context(tokenize(container.rsplit("/", 1)[-1]), tokenize(field_name))


def person_contact_note(etype: str, container: str, field_name: str) -> str | None:
    """Why a contact where an organisation's would be expected (an organisations' table, an
    organisation's word in the field name) stays a person's: the field's name names a person
    (``contact_person_phone``, ``kontaktnoe_litso_telefon``), or None.

    >>> person_contact_note("PHONE_NUMBER", "db/organizations", "contact_person_phone")
    "person's field: person"
    >>> person_contact_note("PHONE_NUMBER", "db/users", "contact_person_phone") is None
    True
    """
    from pdaudit.scanner.fieldnames import tokenize

    if etype not in CONTACT_TYPES:
        return None
    vocab = vocabulary()
    field_tokens = tokenize(field_name)
    said = next((t for t in field_tokens if t in vocab.person_fields), None)
    if said is None:
        return None
    table = tokenize(container.rsplit("/", 1)[-1])
    if vocab.org_fields.intersection(field_tokens) or vocab.org_containers.intersection(table):
        return f"person's field: {said}"
    return None


__all__ = [
    "CHANCE_FACTOR",
    "ORG_CONTACT",
    "chance_rates",
    "chance_verdict",
    "name_part_verdict",
    "org_contact_verdict",
    "person_context_verdict",
    "repetition_verdict",
    "sequence_verdict",
    "template_verdict",
    "in_prose",
    "bare_numbers",
    "count_steps",
    "vocabulary",
    "count_name_parts",
    "count_shapes",
    "digit_shape",
    "digit_shapes",
    "number_column",
    "count_array_steps",
    "expected_by_chance",
    "is_role_mailbox",
    "role_mailboxes",
    "name_part",
    "name_part_kind",
    "org_context",
    "person_contact_note",
]
