"""Section 2.4: personal data of third parties, entered by users about someone else.

A field's types are judged against 2.3 elsewhere (``pdaudit.scanner.verdicts``); this module says whose
data a field holds. Three kinds of evidence, each with its own ``basis``:

- ``field role``: the field's or its table's name says the value is another person's
  (``parent_fio``, ``guardianPhone``, ``ata_ana_aty``, every personal field of ``guardians``).
  Vocabulary: ``recognizers/data/thirdparty_roles.txt``.
- ``second person in record``: a row holds the account holder's own identifiers (the table's
  main name/IIN field) and another field with a different person's name or IIN (:class:`RowCheck`).
  A person has one IIN, so a second valid IIN in a row is another person's; a name is another
  person's unless it is the holder's in another spelling (:func:`same_person`).
- ``other person in text``: a writer names a relative ("мой сын Арман", "ұлым Нұрлан", "бұл
  менің інімнің нөмірі ...") next to a name, phone or IIN (:func:`relatives_in_text`).

A finding needs personal data in the field: a role name alone (``parent_id``) is not one.

>>> role_of("parent_fio"), role_of("guardianPhone"), role_of("form.mother.phone")
('parent', 'guardian', 'mother')
>>> role_of("fio") is None, role_of("ata_ana_aty")
(True, 'ata_ana')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, compress
from operator import itemgetter, not_
from typing import Any

from pdaudit.recognizers import kz_iin
from pdaudit.recognizers.base import fold, load_words
from pdaudit.scanner.fieldnames import hints, tokenize
from pdaudit.scanner.masking import mask
from pdaudit.scanner.verdicts import MAX_EXAMPLES, wilson

CLAUSE = "2.4"
TYPE = "THIRD_PARTY"  # the type name of a third-party finding in triage, baselines and SARIF
ROLE = "field role"
ROW = "second person in record"
TEXT = "other person in text"
DOCUMENT = "document holder differs"
BASES = (ROLE, ROW, DOCUMENT, TEXT)
#: Types whose presence makes a field "hold personal data of that person" for a role finding.
IDENTIFYING = ("PERSON", "KZ_IIN", "PHONE_NUMBER", "EMAIL_ADDRESS")
_IDENTIFYING = frozenset(IDENTIFYING)
_TYPE = itemgetter(0)
#: Fewest rows and smallest share of compared rows for a "second person" finding.
MIN_ROWS = 2
MIN_ROW_SHARE = 0.01
#: A child is born at least this many years after a parent (a simple, stated rule).
CHILD_GAP_YEARS = 14


# -- way 1: the field's role -------------------------------------------------------------------


@cache
def _roles() -> tuple[tuple[tuple[str, ...], bool], ...]:
    entries = []
    for line in load_words("thirdparty_roles"):
        entries.append((tuple(line.rstrip("*").split("_")), line.endswith("*")))
    entries.sort(key=lambda e: (-len(e[0]), e[1], e[0]))
    return tuple(entries)


def _role_in(tokens: list[str]) -> str | None:
    for at in range(len(tokens)):
        for words, prefix in _roles():
            n = len(words)
            if at + n > len(tokens) or list(words[:-1]) != tokens[at : at + n - 1]:
                continue
            last = tokens[at + n - 1]
            if last.startswith(words[-1]) if prefix else last == words[-1]:
                return "_".join(tokens[at : at + n])
    return None


@cache
def role_of(name: str | None) -> str | None:
    """The word of a field or table name that says its value is another person's, or None.

    >>> role_of("kontakt_rodstvennika"), role_of("zakonnye_predstaviteli"), role_of("PayerIIN")
    ('rodstvennika', 'zakonnye', 'payer')
    >>> role_of("user_phone") is None, role_of("balance") is None, role_of("analysis") is None
    (True, True, True)
    """
    return _role_in(tokenize(name))


# -- way 3: relatives named in free text ---------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
#: How many words may stand between a relation word and the name or number it introduces.
WINDOW_WORDS = 4
_SENTENCE_END = re.compile(r"[.!?;\n]\s")


def _prefix_set(name: str) -> tuple[frozenset[str], tuple[str, ...]]:
    words = load_words(name)
    return (
        frozenset(w for w in words if not w.endswith("*")),
        tuple(w[:-1] for w in words if w.endswith("*")),
    )


@cache
def _relations() -> tuple[frozenset[str], tuple[str, ...]]:
    return _prefix_set("thirdparty_relations")


@cache
def _staff() -> frozenset[str]:
    return load_words("thirdparty_staff")


def _is_relation(word: str) -> bool:
    exact, prefixes = _relations()
    w = fold(word)
    return w in exact or w.startswith(prefixes)


#: Punctuation stripped from the ends of words for ``relation_texts``.
_PUNCTUATION = "!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~«»—–…“”„-"
#: The characters ``str.split()`` splits at, spelled out: Python's ``\\s`` and Rust's differ.
_BLANKS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _char_class(chars: str) -> str:
    """``chars`` as a regex character class of Rust's ``regex`` (polars): every character
    written as ``\\uXXXX`` (all of them below U+10000), so none needs escaping."""
    return "[" + "".join(f"\\u{ord(ch):04x}" for ch in chars) + "]"


@cache
def relation_pattern() -> str:
    """A regex (Rust's syntax, polars) that matches a text when one of its words, split at
    blanks, stripped of ``_PUNCTUATION`` at both ends and folded, is a relation word or starts
    with a relation prefix (``recognizers/data/thirdparty_relations.txt``). It matches without
    regard to case and reads ё as е, so the texts need no folding (which cost polars more than
    the search itself)."""
    exact, prefixes = _relations()
    blank, punct = _char_class(_BLANKS), _char_class(_PUNCTUATION)

    def alternatives(words: Iterable[str]) -> str:
        ordered = sorted(words, key=lambda w: (-len(w), w))
        return "|".join(re.escape(w).replace("е", "[её]") for w in ordered)

    return (
        rf"(?i)(?:^|{blank}){punct}*"
        rf"(?:(?:{alternatives(exact)}){punct}*(?:{blank}|$)|(?:{alternatives(prefixes)}))"
    )


@cache
def relations_need_non_ascii() -> bool:
    """Whether every relation word and prefix holds a letter that no ASCII letter matches
    without regard to case (Cyrillic ones do): then no ASCII text holds a relation word."""

    def foreign(ch: str) -> bool:
        return not any(v.isascii() for v in (ch, ch.lower(), ch.upper(), ch.casefold()))

    exact, prefixes = _relations()
    return all(any(map(foreign, word)) for word in (*exact, *prefixes))


def relation_texts(texts: Sequence[str]) -> list[bool]:
    """Per text, whether it holds a relation word at all (most texts do not): one of its
    words, split at blanks and stripped of punctuation at both ends, is one
    (``relation_pattern``); a vectorised pass (polars) over the texts that may hold one.

    ASCII texts (e-mails, phones, IINs, dates: most texts with findings) hold none when every
    relation word has a non-ASCII letter (``relations_need_non_ascii``): they are not searched.

    >>> relation_texts(["Мой сын, Арман", "Сейітов Арман", "(бабушке)", "Ұлымның", "syn"])
    [True, False, True, True, False]
    """
    marked = [False] * len(texts)
    for i in relation_indices(texts):
        marked[i] = True
    return marked


def relation_indices(texts: Sequence[str]) -> list[int]:
    """The indices of the texts ``relation_texts`` says hold a relation word, in order: the
    same search, without a Python list of one answer per text (most batches hold none).

    >>> relation_indices(["Мой сын, Арман", "Сейітов Арман", "a@b.kz", "(бабушке)", "syn"])
    [0, 3]
    """
    if not texts:
        return []
    if relations_need_non_ascii():
        ascii_ = list(map(str.isascii, texts))
        if any(ascii_):
            if all(ascii_):
                return []
            where = list(compress(range(len(texts)), map(not_, ascii_)))
            found = _relation_hits([texts[i] for i in where])
            return [where[i] for i in found.arg_true().to_list()] if found.any() else []
    found = _relation_hits(texts)
    return found.arg_true().to_list() if found.any() else []


def _relation_search(texts: Sequence[str]) -> list[bool]:
    """``relation_texts`` without the ASCII shortcut: every text goes through polars."""
    if not texts:
        return []
    return _relation_hits(texts).to_list()


def _relation_hits(texts: Sequence[str]) -> Any:
    """Per text, whether ``relation_pattern`` matches it: a polars Boolean Series."""
    import polars as pl

    try:
        column = pl.Series("t", texts, dtype=pl.String)
    except Exception:  # noqa: BLE001 - a lone surrogate (no UTF-8) is no letter of a word
        column = pl.Series("t", [_SURROGATE.sub("\ufffd", t) for t in texts], dtype=pl.String)
    return column.str.contains(relation_pattern())


def relatives_in_text(text: str, entities: Iterable[Any]) -> list[tuple[str, int, int]]:
    """The entities of ``text`` that a relation word introduces: ``(type, start, end)``.

    An entity counts when a relation word stands within ``WINDOW_WORDS`` words before it in the
    same sentence (or opens the entity's own span: "Ұлым Нұрлан"), and no staff word ("учитель",
    "имени") stands right before it.

    >>> from pdaudit.scanner.analysis import Entity
    >>> t = "Здравствуйте, мой сын Арман Сейітов не может войти"
    >>> relatives_in_text(t, [Entity("PERSON", 22, 35, 0.9)])
    [('PERSON', 22, 35)]
    >>> t = "Мой сын не понимает, что сказала учитель Ахметова"
    >>> relatives_in_text(t, [Entity("PERSON", 41, 49, 0.9)])
    []
    """
    out = []
    for ent in entities:
        etype, start, end = ent[0], ent[1], ent[2]
        if etype not in IDENTIFYING:
            continue
        before = text[max(0, start - 160) : start]
        ends = [m.end() for m in _SENTENCE_END.finditer(before)]
        if ends:
            before = before[ends[-1] :]
        words = _WORD.findall(before)
        if words and fold(words[-1]) in _staff():
            continue
        own = _WORD.findall(text[start:end])
        if (own and _is_relation(own[0])) or any(
            _is_relation(w) for w in words[-WINDOW_WORDS - 1 :]
        ):
            out.append((etype, start, end))
    return out


# -- way 2: a second person in the same row ------------------------------------------------------

_TRANSLIT = str.maketrans(
    {
        "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
        "ж": "zh", "з": "z", "и": "i", "і": "i", "й": "y", "к": "k", "қ": "k", "л": "l",
        "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s",
        "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya",
    }
)  # fmt: skip
_VOWELS = str.maketrans("", "", "aeiouyj'")
_ORGANISATION = frozenset(
    "тоо ооо ао зао пао ип too llp llc ltd inc jsc школа школы гимназия лицей колледж "
    "университет фонд центр компания банк мектеп мектебі".split()
)


def _skeleton(word: str) -> str:
    """A spelling-blind key of a name word: Latin letters, no vowels, no doubled letters.

    >>> _skeleton("Сейітов"), _skeleton("Seyitov"), _skeleton("Сейитова")
    ('stv', 'stv', 'stv')
    """
    latin = fold(word).translate(_TRANSLIT).replace("kh", "h").replace("x", "ks")
    bare = latin.translate(_VOWELS)
    return re.sub(r"(.)\1+", r"\1", bare)


def _initial(word: str) -> str:
    return fold(word).translate(_TRANSLIT)[:1]


def name_words(value: str) -> list[str] | None:
    """The words of a value shaped like a person's name (1-4 capitalised or upper-case words of
    letters, no organisation word), else None.

    >>> name_words("Сейітов Арман Ерланұлы"), name_words("ТОО Ромашка"), name_words("A1")
    (['Сейітов', 'Арман', 'Ерланұлы'], None, None)
    """
    words = value.replace(".", ". ").split()
    if not 1 <= len(words) <= 4:
        return None
    out = []
    for w in words:
        bare = w.strip(".,")
        if not bare or not all(ch.isalpha() or ch in "-'" for ch in bare):
            return None
        if fold(bare) in _ORGANISATION or not (bare[0].isupper() or bare.isupper()):
            return None
        out.append(bare)
    return out


def _covers(x: Sequence[str], y: Sequence[str]) -> bool:
    full = {_skeleton(w) for w in y if len(w) > 1}
    initials = {_initial(w) for w in y}
    short = {_initial(w) for w in y if len(w) == 1}
    for w in x:
        if len(w) == 1:
            if _initial(w) not in initials:
                return False
        elif _skeleton(w) not in full and _initial(w) not in short:
            return False
    return True


def same_person(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two names may be one person's: every word of one has a word of the same
    skeleton in the other (an initial, the first letter of a word), one way or the other.

    >>> same_person(["Сейітов", "Арман"], ["SEYITOV", "ARMAN"])
    True
    >>> same_person(["Сейітов", "Арман"], ["Сейітов", "А"])
    True
    >>> same_person(["Арман", "Сейитов"], ["Сейітов", "Арман", "Ерланұлы"])
    True
    >>> same_person(["Сейітов", "Арман"], ["Сейітова", "Дана"])
    False
    """
    return _covers(a, b) or _covers(b, a)


def _iin(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if len(text) > 20:
        return None
    digits = kz_iin.compact(text)
    return digits if kz_iin.is_valid(digits) else None


@dataclass
class RowPlan:
    """Which columns of a container hold the holder's identifiers and which may hold another's."""

    main_name: str | None = None
    main_iin: str | None = None
    #: candidate column -> its kind ("PERSON", "KZ_IIN" or "PHONE_NUMBER") and its group word
    candidates: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)


def row_plan(container: str, columns: Sequence[str]) -> RowPlan | None:
    """The plan for a table, from its column names; None when rows cannot be compared (no main
    name or IIN, no candidate and no IIN for documents, or a table whose name already gives
    every field a role).

    >>> p = row_plan("forms", ["id", "fio", "iin", "phone", "phone_alt", "second_fio",
    ...                        "second_iin", "second_phone"])
    >>> p.main_name, p.main_iin, sorted(p.candidates)
    ('fio', 'iin', ['second_fio', 'second_iin', 'second_phone'])
    """
    if role_of(container):
        return None
    plan = RowPlan()
    kinds: dict[str, tuple[str, frozenset[str]]] = {}
    for col in columns:
        if "." in col or role_of(col):
            continue
        h = hints(col)
        for kind in ("KZ_IIN", "PERSON", "PHONE_NUMBER"):
            if kind in h.boost:
                said = set(h.boost[kind].split("_"))
                group = frozenset(t for t in h.tokens if t not in said and not t.isdigit())
                kinds[col] = (kind, group)
                break
    for col, (kind, group) in kinds.items():
        if kind == "PERSON" and plan.main_name is None and not group:
            plan.main_name = col
        elif kind == "KZ_IIN" and plan.main_iin is None and not group:
            plan.main_iin = col
    for col, (kind, group) in kinds.items():
        if col in (plan.main_name, plan.main_iin):
            continue
        if kind == "PHONE_NUMBER":
            # A phone alone says nothing about its owner (the holder's second phone): it counts
            # only beside a name or IIN column of the same group ("second_fio", "second_phone").
            if not group or not any(
                g == group and k != "PHONE_NUMBER" for c, (k, g) in kinds.items() if c != col
            ):
                continue
        elif kind == "PERSON" and plan.main_name is None:
            continue
        elif kind == "KZ_IIN" and plan.main_iin is None:
            continue
        plan.candidates[col] = (kind, group)
    if not plan.candidates and plan.main_iin is None:
        return None
    return plan


@dataclass
class RowCounts:
    """Per candidate column: rows compared, rows holding another person, and why."""

    compared: int = 0
    other: int = 0
    #: IINs born ``CHILD_GAP_YEARS`` or more after the holder; IINs of the other sex
    child_iin: int = 0
    other_sex: int = 0
    #: rows whose value is a document (a scan), compared by the IINs read from it
    documents: int = 0
    #: documents holding several persons' IINs
    several: int = 0

    def merge(self, other: RowCounts) -> None:
        """Add another part's counts."""
        self.documents += other.documents
        self.several += other.several
        self.compared += other.compared
        self.other += other.other
        self.child_iin += other.child_iin
        self.other_sex += other.other_sex


def check_rows(plan: RowPlan, rows: Iterable[dict[str, Any]]) -> dict[str, RowCounts]:
    """Compare each row's candidate columns with its main name and IIN.

    A phone column counts a row as another person's when a name or IIN column of its group does.
    """
    out = {col: RowCounts() for col in plan.candidates}
    groups: dict[frozenset[str], list[str]] = {}
    for col, (kind, group) in plan.candidates.items():
        if kind == "PHONE_NUMBER":
            groups.setdefault(group, []).append(col)
    for row in rows:
        name = row.get(plan.main_name) if plan.main_name else None
        main_words = name_words(str(name)) if isinstance(name, str) else None
        main_iin = _iin(row.get(plan.main_iin)) if plan.main_iin else None
        other_groups: dict[frozenset[str], bool] = {}
        for col, (kind, group) in plan.candidates.items():
            if kind == "PHONE_NUMBER":
                continue
            value = row.get(col)
            verdict = None
            if kind == "PERSON" and main_words and isinstance(value, str):
                words = name_words(value)
                if words:
                    verdict = not same_person(main_words, words)
            elif kind == "KZ_IIN" and main_iin:
                theirs = _iin(value)
                if theirs:
                    verdict = theirs != main_iin
                    if verdict:
                        counts = out[col]
                        born, mine = kz_iin.get_birth_date(theirs), kz_iin.get_birth_date(main_iin)
                        if born.year - mine.year >= CHILD_GAP_YEARS:
                            counts.child_iin += 1
                        if kz_iin.get_gender(theirs) != kz_iin.get_gender(main_iin):
                            counts.other_sex += 1
            if verdict is None:
                continue
            out[col].compared += 1
            out[col].other += verdict
            other_groups[group] = other_groups.get(group, False) or verdict
        for group, cols in groups.items():
            if group not in other_groups:
                continue
            for col in cols:
                if row.get(col) not in (None, ""):
                    out[col].compared += 1
                    out[col].other += other_groups[group]
    return out


_IIN_IN_TEXT = re.compile(r"(?<!\d)\d{6}[ -]?\d{6}(?!\d)")


def iins_in(texts: Iterable[str]) -> frozenset[str]:
    """The valid IINs written in a document's texts.

    >>> sorted(iins_in(["IIN 900101 300126", "No 123456789012"]))
    ['900101300126']
    """
    found = set()
    for text in texts:
        for m in _IIN_IN_TEXT.finditer(text):
            digits = kz_iin.compact(m.group())
            if kz_iin.is_valid(digits):
                found.add(digits)
    return frozenset(found)


def check_documents(
    plan: RowPlan, rows: Iterable[dict[str, Any]], documents: dict[Any, frozenset[str]]
) -> dict[str, RowCounts]:
    """Way 4: each row's documents (``documents``: a document's key -> the IINs read from it)
    against the row's own IIN. A document holding IINs none of which is the holder's is someone
    else's document; one holding several IINs holds several persons' identifiers."""
    out: dict[str, RowCounts] = {}
    for row in rows:
        main_iin = _iin(row.get(plan.main_iin)) if plan.main_iin else None
        for col, value in row.items():
            if col == plan.main_iin or not isinstance(value, bytes | bytearray | memoryview):
                continue
            iins = documents.get(document_key(value))
            if not iins:
                continue
            counts = out.setdefault(col, RowCounts())
            counts.documents += 1
            if len(iins) > 1:
                counts.several += 1
            if main_iin is None:
                continue
            counts.compared += 1
            if main_iin not in iins or len(iins) > 1:
                counts.other += 1
    return out


def document_key(data: bytes | bytearray | memoryview) -> bytes:
    """A document's identity within one batch (a digest: values come as bytes or memoryview)."""
    import hashlib

    return hashlib.blake2b(bytes(data), digest_size=16).digest()


def batch_rows(batch: Any, columns: Sequence[str]) -> Iterable[dict[str, Any]]:
    """The rows of a batch, restricted to ``columns``, whether it is read by column or by row."""
    by_column = getattr(batch, "columns", None)
    if by_column is not None:
        present = [c for c in columns if c in by_column]
        for values in zip(*(by_column[c] for c in present), strict=True):
            yield dict(zip(present, values, strict=True))
        return
    for record in batch:
        yield {c: record.get(c) for c in columns}


# -- per-field counts carried with FieldStats ----------------------------------------------------


@dataclass
class TextCounts:
    """Values of a field naming another person in text, with a few masked examples."""

    values: int = 0
    examples: list[str] = field(default_factory=list)
    #: document pages holding several persons' IINs (way 4, for scans with no record to compare)
    several: int = 0

    def merge(self, other: TextCounts) -> None:
        """Add another part's counts; examples stay in reading order."""
        self.values += other.values
        self.several += other.several
        for ex in other.examples:
            if len(self.examples) < MAX_EXAMPLES and ex not in self.examples:
                self.examples.append(ex)


def count_texts(
    counts: TextCounts,
    texts: Sequence[str],
    found: Sequence[Sequence[Any]],
    pages: Sequence[int | None] | None = None,
    weights: Sequence[int] | None = None,
) -> None:
    """Count the texts (with their entities) that name another person by relation, and the
    document pages (texts with a page number) that hold several persons' IINs; ``weights``:
    how many values each text stands for (distinct texts, ``FieldStats.add_counts``)."""
    hits = list(compress(texts, found))  # the texts with findings
    if not hits:
        return
    if pages is not None:
        for text, entities, page in zip(texts, found, pages, strict=True):
            if page is None or not entities:
                continue
            iins = {kz_iin.compact(text[e[1] : e[2]]) for e in entities if e[0] == "KZ_IIN"}
            if len(iins) > 1:
                counts.several += 1
    # Only an identifying entity names a relative: a batch without one (an address column's)
    # needs no relation search. That search costs where texts are not ASCII (ASCII texts are
    # not searched, ``relation_indices``), so a batch whose first text is ASCII is not asked.
    if not hits[0].isascii() and _IDENTIFYING.isdisjoint(map(_TYPE, chain.from_iterable(found))):
        return
    chosen = relation_indices(hits)
    if not chosen:
        return
    weight = dict(zip(texts, weights, strict=True)) if weights is not None else {}
    hit_found = list(compress(found, found))
    for i in chosen:
        text, entities = hits[i], hit_found[i]
        named = relatives_in_text(text, entities)
        if not named:
            continue
        counts.values += weight.get(text, 1) if weights is not None else 1
        if len(counts.examples) < MAX_EXAMPLES:
            etype, start, end = named[0]
            example = mask(text[start:end], etype)
            if example not in counts.examples:
                counts.examples.append(example)


# -- the finding ---------------------------------------------------------------------------------


def _interval(k: int, n: int) -> tuple[float, list[float]]:
    return (round(k / n, 4) if n else 0.0), list(wilson(k, n))


def finding(entry: dict, stats: Any, policy: Any) -> dict | None:
    """The ``third_party`` block of one field's report entry, or None.

    ``entry`` is the field's verdict (``pdaudit.scanner.verdicts.field_verdict``); ``stats`` its
    ``FieldStats`` with ``third_party_rows`` and ``third_party_text`` counts.
    """
    if not any(e["personal"] for e in entry["entities"]):
        return None  # a role name alone (parent_id) or a row of no one's data is no finding
    # A role finding needs the person's identifying data (a name, IIN, phone, e-mail).
    personal = [e for e in entry["entities"] if e["personal"] and e["type"] in IDENTIFYING]
    evidence: list[str] = []
    basis = None
    share, interval = 0.0, [0.0, 0.0]
    role = role_of(entry["field"]) or role_of(entry["container"])
    if role and personal:
        basis = ROLE
        top = max(personal, key=lambda e: e["share"])
        share, interval = top["share"], list(top["share_interval"])
        where = "field" if role_of(entry["field"]) else "table"
        evidence.append(f"{where} name: {role}")
    rows: RowCounts | None = getattr(stats, "third_party_rows", None)
    if rows and rows.documents:
        # Way 4: documents stored with a record, read for the IINs they hold.
        if rows.other or rows.several:
            evidence.append(f"document holder differs: {rows.other}/{rows.compared}")
            if rows.several:
                evidence.append(f"several persons in one document: {rows.several}")
            if basis is None:
                basis = DOCUMENT
                share, interval = _interval(rows.other, rows.compared)
    elif rows and rows.other >= MIN_ROWS and rows.other >= MIN_ROW_SHARE * rows.compared:
        evidence.append(f"second person in row: {rows.other}/{rows.compared}")
        if rows.child_iin:
            evidence.append(f"child's IIN: {rows.child_iin}")
        if rows.other_sex:
            evidence.append(f"IIN of the other sex: {rows.other_sex}")
        if basis is None:
            basis = ROW
            share, interval = _interval(rows.other, rows.compared)
    texts: TextCounts | None = getattr(stats, "third_party_text", None)
    if texts and texts.values:
        n = entry["values_scanned"]
        evidence.append(f"relative named in text: {texts.values}/{n}")
        if basis is None:
            basis = TEXT
            share, interval = _interval(texts.values, n)
    if texts and texts.several:
        evidence.append(f"several persons in one document: {texts.several}")
        if basis is None:
            basis = DOCUMENT
            share, interval = _interval(texts.several, entry["values_scanned"])
    if basis is None:
        return None
    block: dict = {
        "clause": CLAUSE,
        "share": share,
        "share_interval": interval,
        "evidence": evidence,
        "basis": basis,
        "status": "open",
    }
    if texts and texts.examples and basis == TEXT:
        block["examples"] = list(texts.examples)
    exc = policy.third_party_exception_for(entry["source"], entry["container"], entry["field"])
    if exc is not None:
        block["status"] = "accepted"
        block["exception"] = {"field": exc.field, "basis": exc.reason}
    return block


def counted(report: dict) -> dict[str, int]:
    """The report's third-party counts: fields with a finding (not dismissed) and open ones."""
    blocks = [f["third_party"] for f in report.get("fields", []) if f.get("third_party")]
    live = [b for b in blocks if b.get("status") != "dismissed"]
    return {
        "third_party_fields": len(live),
        "third_party_open": sum(b.get("status") == "open" for b in live),
    }


def worst_first(report: dict) -> list[dict]:
    """Fields with a live third-party finding: open before accepted, larger share first."""
    fields = [
        f
        for f in report.get("fields", [])
        if f.get("third_party") and f["third_party"].get("status") != "dismissed"
    ]
    order = {"open": 0, "accepted": 1}
    return sorted(
        fields,
        key=lambda f: (
            order.get(f["third_party"].get("status"), 2),
            BASES.index(f["third_party"]["basis"]) if f["third_party"]["basis"] in BASES else 9,
            -f["third_party"]["share"],
            f["source"],
            f["container"],
            f["field"],
        ),
    )
