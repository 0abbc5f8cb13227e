"""Postal and home addresses written the Kazakh and Russian way (мекенжай, адрес).

An address is a run of parts separated by commas or spaces: a postal code (``050000`` or Kazpost's
``A05C9X8``), a country, a region (``Алматинская обл.``), a district (``Бостандыкский р-н``), a
city (``г. Алматы``, ``Алматы қаласы``), a microdistrict (``мкр. Самал-2``), a street (``ул. Абая``,
``Абай даңғылы``), a house (``д. 10``, ``10 үй``), a building and a flat (``кв. 5``, ``5 пәтер``).
A city or a region alone is not an address: a run counts when it has a street (or microdistrict)
and a house or a place above it, or a settlement and a house. A name before the address stays out
of it: in "Иванов И.И., г. Алматы, ул. Абая 10, кв. 5" the span starts at "г.".

>>> [p.kind for p in parts("г. Алматы, ул. Абая 10, кв. 5")]
['city', 'street', 'house', 'flat']
>>> is_address("г. Алматы"), is_address("ул. Абая 10")
(False, True)
>>> is_kazpost_code("A05C9X8"), is_kazpost_code("A05C9X")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import ClassVar, NamedTuple

from presidio_analyzer import RecognizerResult

from pdaudit.recognizers.base import (
    ContextRecognizer,
    EntityTuple,
    Search,
    find_context,
    fold,
    load_words,
    make_result,
    remember,
    score2,
)

ENTITY = "ADDRESS"

_LETTER = r"[^\W\d_]"
TOKEN = re.compile(
    rf"(?P<kazpost>[A-Z]\d{{2}}[A-Z]\d[A-Z]\d)(?!\w)"
    rf"|(?P<num>\d+(?:[/-]\d+)?(?:-?{_LETTER}{{1,2}}(?!{_LETTER}))?)(?!\d)"
    rf"|(?P<word>{_LETTER}+(?:-{_LETTER}+)*(?:-\d+)?\.?)"
    rf"|(?P<punct>[^\w\s])"
)
KAZPOST = re.compile(r"[A-Z]\d{2}[A-Z]\d[A-Z]\d")
POSTAL = re.compile(r"\d{6}")
GAP = re.compile(r"[\s,;]{0,4}")  # what may stand between two parts of one address

PLACE = frozenset({"postal", "country", "region", "district", "city", "settlement"})
STREET = frozenset({"street", "micro"})
HOUSE = frozenset({"house", "building", "flat"})
MARKED_PLACE = frozenset({"city", "settlement"})

SCORE_FULL = 0.85  # street + house
SCORE_STREET_PLACE = 0.7  # street + city, no house
SCORE_SETTLEMENT_HOUSE = 0.75
SCORE_STREET_ONLY = 0.65  # only in a field named as an address
BONUS = 0.05  # for a place above the street, a flat, a field named as an address
MAX_SCORE = 0.95


def is_kazpost_code(code: str) -> bool:
    """Whether ``code`` is a Kazpost postal code (2018 on): letter, 2 digits, then letter/digit."""
    return isinstance(code, str) and bool(KAZPOST.fullmatch(code.strip()))


class Token:
    """One token of a text: its kind (kazpost, num, word, punct), text and span.

    The folded form, the word's shape and the marker it is are worked out once per token text
    (``_looks``): the parser asks for them again and again, and a parse takes a few microseconds.
    """

    __slots__ = ("kind", "text", "start", "end", "low", "capital", "initial", "marker", "two")

    def __init__(self, kind: str, text: str, start: int, end: int) -> None:
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
        looks = _LOOKS.get(text) or _looks(kind, text)
        self.low, self.capital, self.initial, self.marker, self.two = looks


class Part(NamedTuple):
    """One part of an address: its kind and where it is in the text."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class _Marker:
    kind: str
    where: str  # pre, post, both
    needs_dot: bool


# How each token text looks, worked out once per text: street, city and house numbers repeat from
# one address to the next. A text's kind follows from the text itself (a number starts with a
# digit, a Kazpost code has a digit second, a word has none before a hyphen, punctuation is one
# character), so the text alone is the key.
_Looks = tuple[str, bool, bool, tuple[_Marker, int] | None, bool]
_LOOKS: dict[str, _Looks] = {}
_LOOKS_MAX = 20_000  # words and numbers of one column; cleared when full


def _looks(kind: str, text: str) -> _Looks:
    """A token's folded form without its dot, whether it is a capitalised word, an initial, the
    marker it is by itself (with its width, 1) and whether it may start a two-word marker."""
    low = fold(text.rstrip("."))
    word = kind == "word"
    capital = word and text[0].isupper()
    initial = word and len(text) == 2 and text.endswith(".")  # "И." of "Иванов И.И."
    marker = _markers().get(low) if word else None
    if marker is not None and marker.needs_dot and not text.endswith("."):
        marker = None
    two = word and low in _two_word_starts()
    looks = (low, capital, initial, (marker, 1) if marker else None, two)
    return remember(_LOOKS, text, looks, _LOOKS_MAX)


@cache
def _markers() -> dict[str, _Marker]:
    table = {}
    for line in load_words("address_markers"):
        word, kind, where, *flags = line.split()
        key = " ".join(word.replace(".", " ").replace("_", " ").split())
        table[key] = _Marker(kind, where, "dot" in flags)
    return table


@cache
def _places() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    return (
        load_words("address_cities"),
        load_words("address_countries"),
        load_words("address_name_links"),
    )


_GLUED = re.compile(rf"(\d+(?:/\d+)?)-({_LETTER}+)")


def _tokens(text: str) -> list[Token]:
    tokens = []
    markers = _markers()
    for m in TOKEN.finditer(text):
        kind = m.lastgroup or ""
        value = m.group()
        start, end = m.span()
        if kind == "num" and "-" in value:
            glued = _GLUED.fullmatch(value)
            marker = markers.get(fold(glued.group(2))) if glued else None
            if glued and marker and marker.where == "post" and marker.kind in HOUSE:
                # "62-үй": the number, then its marker (a letter suffix "10-а" stays in the number)
                cut = start + len(glued.group(1))
                tokens.append(Token("num", glued.group(1), start, cut))
                tokens.append(Token("punct", "-", cut, cut + 1))
                tokens.append(Token("word", glued.group(2), cut + 1, end))
                continue
        tokens.append(Token(kind, value, start, end))
    return tokens


@cache
def _marker_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words that are a marker by themselves, and those that are one only before a dot."""
    plain, dotted = set(), set()
    for key, marker in _markers().items():
        words = key.split()
        if len(words) > 1 or not marker.needs_dot:
            plain.add(words[0])  # the first word of a two-word marker ("шағын ауданы") too
        else:
            dotted.add(words[0])
    return frozenset(plain), frozenset(dotted)


@cache
def _marker_search() -> re.Pattern[str]:
    """Finds, in a folded text, a marker word standing on its own (dotted ones before a dot).

    The alternatives are grouped by their first letter and the word-start test comes after that
    letter, so that the regex engine skips from one possible first letter to the next.
    """
    plain, dotted = _marker_words()
    by_first: dict[str, tuple[list[str], list[str]]] = {}
    for words, slot in ((plain, 0), (dotted, 1)):
        for word in words:
            by_first.setdefault(word[0], ([], []))[slot].append(word[1:])

    def either(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    # Neither the parser's words nor the house markers it cuts off a number ("62-үй-…") touch a
    # letter on either side; a hyphen may stand there ("62-үй-кв. 5").
    end = rf"(?!{_LETTER})"
    branches = []
    for first, (ends, dotted_ends) in sorted(by_first.items()):
        tails = [f"(?:{either(ends)}){end}"] if ends else []
        tails += [rf"(?:{either(dotted_ends)})\."] if dotted_ends else []
        branches.append(rf"{re.escape(first)}(?<!{_LETTER}.)(?:{'|'.join(tails)})")
    return re.compile("|".join(branches))


def has_marker(text: str) -> bool:
    """False only when ``text`` holds no address marker, so no address (a quick test).

    Every address has a street, a microdistrict or a house, and each comes from a marker word:
    a word token of the parser (``_tokens``) whose folded form is a marker; no letter stands
    right before or after it. Lower-casing maps a non-letter to non-letters and no marker holds
    a Greek sigma (the one letter whose lower case depends on its neighbours), so the marker
    stands between non-letters in the folded text too.

    >>> has_marker("Иванов Иван, +7 701 123 45 67"), has_marker("ул. Абая 10")
    (False, True)
    """
    if not isinstance(text, str) or (text.isascii() and _markers_outside_ascii()):
        return False  # ids, numbers, dates, e-mails: told in one step, without a search
    folded = fold(text)
    at_start, after_space, after_other = _marker_searches()
    return (
        at_start(folded) is not None
        or after_space(folded) is not None
        or after_other(folded) is not None
    )


@cache
def _marker_searches() -> tuple[Callable[[str], re.Match[str] | None], ...]:
    """``_marker_search`` of a folded text in three parts that scan prose faster.

    A marker opens the text or follows a non-letter: mostly a space, which a search that opens
    with a space finds at the speed of a plain character search, else some other character
    that is no Latin or Cyrillic letter (``_SURE_LETTERS``), which a class of a few ranges tells
    apart with one look-up. The marker pattern's own test that no letter stands before it still
    decides, so the three together find a marker exactly where the one search does.
    """
    marker = _marker_search()
    after_space = re.compile(f" (?:{marker.pattern})")
    after_other = re.compile(f"[^ {_SURE_LETTERS}](?:{marker.pattern})")
    return marker.match, after_space.search, after_other.search


#: Letters for ``_LETTER``, each of them: the Latin alphabet and the Cyrillic block but for its
#: signs and combining marks (U+0482-U+0489).
_SURE_LETTERS = "A-Za-z\u0400-\u0481\u048a-\u04ff"


@cache
def _markers_outside_ascii() -> bool:
    """Whether every marker word holds a letter outside ASCII (so an ASCII text holds none).

    Lower-casing keeps an ASCII text ASCII.
    """
    plain, dotted = _marker_words()
    return not any(word.isascii() for word in plain | dotted)


def _marker_at(tokens: list[Token], i: int) -> tuple[_Marker, int] | None:
    """The marker starting at token ``i`` and how many tokens it takes."""
    tok = tokens[i]
    if tok.two and i + 1 < len(tokens) and tokens[i + 1].kind == "word":
        found = _markers().get(tok.low + " " + tokens[i + 1].low)
        if found:
            return found, 2
    return tok.marker


@cache
def _two_word_starts() -> frozenset[str]:
    """The first words of two-word markers ("шағын ауданы"): only they need the next word."""
    return frozenset(key.split()[0] for key in _markers() if " " in key)


def _adjacent(text: str, a: Token, b: Token) -> bool:
    """Whether only spaces (no line break) stand between two tokens."""
    if b.start - a.end < 2:  # most tokens are glued or one space apart
        return b.start == a.end or (text[a.end] != "\n" and text[a.end].isspace())
    gap = text[a.end : b.start]
    return "\n" not in gap and not gap.strip()


def _name_after(text: str, tokens: list[Token], j: int, kind: str) -> int:
    """Index after the name that starts at token ``j`` (``j`` itself if there is none)."""
    links = _places()[2]
    k = j
    while k < len(tokens) and k - j < 4:
        tok = tokens[k]
        if k > j and not _adjacent(text, tokens[k - 1], tok):
            break
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        next_is_word = (
            nxt is not None
            and nxt.kind == "word"
            and _adjacent(text, tok, nxt)
            and _marker_at(tokens, k + 1) is None
        )
        if tok.kind == "num":
            # "ул. 8 Марта", "мкр. 5": a number is part of the name, else it is the house
            if next_is_word or (k == j and kind in ("micro", "district")):
                k += 1
                if tokens[k - 1].text.endswith("."):
                    break
                continue
            break
        if tok.kind != "word" or tok.initial or _marker_at(tokens, k) is not None:
            break
        if not (tok.capital or tok.low in links or (k == j and tok.low.isalpha())):
            break
        k += 1
        if tok.text.endswith(".") and tok.low not in links:
            return k  # a sentence ends
    return _name_tail(text, tokens, j, k)


def _name_tail(text: str, tokens: list[Token], j: int, k: int) -> int:
    """Extend a name ``tokens[j:k]`` by up to two lower-case words that run to a comma or number.

    "пр-т Абилкайыр хана, 56": the words up to the comma or house number belong to the street;
    "ул. Абая рядом с рынком" ends at "Абая" (nothing closes the lower-case words), and so does
    "ул. Абая с 1990 по 2000 год" (a preposition, a year).
    """
    if k == j:
        return k
    m = k
    while m < len(tokens) and m - k < 2:
        tok = tokens[m]
        if (
            tok.kind != "word"
            or tok.text.endswith(".")
            or not tok.low.isalpha()
            or len(tok.low) < 3
        ):
            break  # prepositions ("с", "по", "на") end a name
        if not _adjacent(text, tokens[m - 1], tok) or _marker_at(tokens, m) is not None:
            break
        m += 1
    if m == k or m >= len(tokens) or not _adjacent(text, tokens[m - 1], tokens[m]):
        return k
    house = tokens[m].kind == "num" and len(tokens[m].text) < 4  # "с 1990" is a year
    return m if tokens[m].text == "," or house else k


def _name_before(text: str, tokens: list[Token], i: int, used: int, kind: str) -> int:
    """Index where the name that ends before marker token ``i`` starts (``i`` if none)."""
    links = _places()[2]
    k = i
    while k - 1 >= used and i - k < 3:
        tok = tokens[k - 1]
        if not _adjacent(text, tok, tokens[k]) or tok.initial or tok.text.endswith("."):
            break
        if _marker_at(tokens, k - 1) is not None:
            break
        if tok.kind == "num" and kind in ("micro", "district", "house", "flat"):
            k -= 1
            break
        if tok.kind != "word" or not (tok.capital or tok.low in links):
            break
        k -= 1
    while k < i and tokens[k].low in links:
        k += 1
    return k


def parts(text: str) -> list[Part]:
    """Every address part found in ``text``, in order."""
    if not isinstance(text, str) or not text:
        return []
    tokens = _tokens(text)
    cities, countries, _ = _places()
    found: list[Part] = []
    used = 0  # tokens before this index belong to a part already
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind == "kazpost" or (tok.kind == "num" and POSTAL.fullmatch(tok.text)):
            found.append(Part("postal", tok.start, tok.end))
            i = used = i + 1
            continue
        marker = _marker_at(tokens, i)
        if marker is None:
            if tok.kind == "word":
                two = tok.low + " " + tokens[i + 1].low if i + 1 < len(tokens) else tok.low
                if two in countries and len(tokens) > i + 1:
                    found.append(Part("country", tok.start, tokens[i + 1].end))
                    i = used = i + 2
                    continue
                if tok.low in countries and (tok.capital or tok.text.isupper()):
                    found.append(Part("country", tok.start, tok.end))
                elif tok.low in cities and tok.capital:
                    found.append(Part("city", tok.start, tok.end))
                    used = i + 1
            i += 1
            continue
        mark, width = marker
        after = i + width
        if mark.kind in HOUSE:
            if mark.where == "pre" and after < len(tokens) and tokens[after].kind == "num":
                found.append(Part(mark.kind, tok.start, tokens[after].end))
                i = used = after + 1
                continue
            num = i - 1
            if (
                num - 1 >= used
                and tokens[num].text == "-"
                and tokens[num].start == tokens[num - 1].end
            ):
                num -= 1  # "14-пәтер"
            if mark.where == "post" and num >= used and tokens[num].kind == "num":
                found.append(Part(mark.kind, tokens[num].start, tokens[after - 1].end))
            i = used = after
            continue
        end = after
        if mark.where in ("pre", "both"):
            end = _name_after(text, tokens, after, mark.kind)
        if end > after:
            found.append(Part(mark.kind, tok.start, tokens[end - 1].end))
        elif mark.where in ("post", "both"):
            begin = _name_before(text, tokens, i, used, mark.kind)
            if begin < i:
                found.append(Part(mark.kind, tokens[begin].start, tokens[after - 1].end))
            elif found and i > 0 and found[-1].end == tokens[i - 1].end:
                # "Алматы қаласы": the city was already taken by name
                found[-1] = Part(mark.kind, found[-1].start, tokens[after - 1].end)
        else:
            i += width
            continue
        i = used = max(end, after)
        if mark.kind in STREET:
            i = used = _house_number(tokens, i, found)
    return found


def _house_number(tokens: list[Token], i: int, found: list[Part]) -> int:
    """Take a bare house number after a street ("ул. Абая 10", "Абай даңғылы, 10")."""
    j = i + 1 if i < len(tokens) and tokens[i].text == "," else i
    if j < len(tokens) and tokens[j].kind == "num" and not POSTAL.fullmatch(tokens[j].text):
        k = j + 1
        if k + 1 < len(tokens) and tokens[k].text == "-" and tokens[k].start == tokens[j].end:
            k += 1  # "53-үй": the marker after the hyphen takes the number itself
        nxt = _marker_at(tokens, k) if k < len(tokens) else None
        if nxt is None or nxt[0].kind not in HOUSE or nxt[0].where != "post":
            found.append(Part("house", tokens[j].start, tokens[j].end))
            return j + 1
    return i


def _runs(text: str, found: list[Part]) -> list[list[Part]]:
    runs: list[list[Part]] = []
    for part in found:
        if runs and GAP.fullmatch(text[runs[-1][-1].end : part.start]):
            if "\n" not in text[runs[-1][-1].end : part.start]:
                runs[-1].append(part)
                continue
        runs.append([part])
    return runs


# The order the evidence names the parts in: from the widest place down to the flat.
_ORDER = ("postal", "country", "region", "district", "city", "settlement", "micro", "street",
          "house", "building", "flat")  # fmt: skip


def score_run(kinds: set[str], named: bool = False) -> float:
    """The score of a run of address parts of these kinds, 0.0 when it is not an address.

    ``named`` is true when the text or the field name says "address": a street alone counts then.

    >>> score_run({"city", "street", "house", "flat"}), score_run({"city"}), score_run({"street"}, True)
    (0.95, 0.0, 0.7)
    """
    street, house, place = kinds & STREET, kinds & HOUSE, kinds & PLACE
    if street and house:
        score = SCORE_FULL + (BONUS if place else 0.0) + (BONUS if "flat" in kinds else 0.0)
    elif street and place:
        score = SCORE_STREET_PLACE
    elif kinds & MARKED_PLACE and house:
        score = SCORE_SETTLEMENT_HOUSE
    elif street and named:
        score = SCORE_STREET_ONLY
    else:
        return 0.0
    return round(min(MAX_SCORE, score + (BONUS if named else 0.0)), 2)


def is_address(text: str) -> bool:
    """Whether ``text`` holds a postal or home address (not just a city or a street name)."""
    return isinstance(text, str) and any(run[2] for run in scored_runs(text))


# The parser tells one digit from another nowhere: it looks at a number's length and at what
# stands around it, and no marker, place or link word holds a digit. So a text with its digits
# turned into "0" parses into the same parts, and a column of addresses ("г. Алматы, ул. Абая,
# д. 58, кв. 10") has far fewer such shapes than values.
_DIGIT = re.compile(r"[1-9]")
_SHAPE_MAX = 160  # a longer text seldom repeats its shape and would hold the cache's memory

#: A run of parts that may be an address: start, end, score without and with an address word
#: (the text's or the field name's), and its "address parts: ..." evidence.
ScoredRun = tuple[int, int, float, float, str]


def shape(text: str) -> str:
    """``text`` with every digit but ``0`` turned into ``0``: it parses into the same parts.

    >>> shape("г. Алматы, ул. Абая, д. 58, кв. 10")
    'г. Алматы, ул. Абая, д. 00, кв. 00'
    """
    return _DIGIT.sub("0", text)


def scored_runs(text: str) -> tuple[ScoredRun, ...]:
    """The runs of address parts in ``text`` that score with an address word or without one.

    >>> scored_runs("Иванов И.И., г. Алматы, ул. Абая 10, кв. 5")
    ((13, 42, 0.95, 0.95, 'address parts: city, street, house, flat'),)
    >>> scored_runs("ул. Абая"), scored_runs("г. Алматы")
    (((0, 8, 0.0, 0.7, 'address parts: street'),), ())
    """
    if len(text) > _SHAPE_MAX or not _words_without_digits():
        return _scored_runs(text) if has_marker(text) else ()
    # ``shape`` as UTF-8 (whose bytes 1-9 are those digits and nothing else): a byte
    # translation is a few times cheaper than the substitution.
    key = text.encode("utf-8", "surrogatepass").translate(_DIGIT_BYTES)
    found = _SHAPE_RUNS.get(key)
    if found is not None:
        return found
    # No marker, no address (``has_marker``); a marker word holds no digit and no digit is a
    # letter, so the shape holds one where the text does. Only texts with one are remembered:
    # a column of names between two batches of addresses does not push the addresses out.
    if not has_marker(text):
        return ()
    return remember(_SHAPE_RUNS, key, _scored_runs(shape(text)), _SHAPE_RUNS_MAX)


@cache
def _words_without_digits() -> bool:
    """Whether no marker, place or link word holds a digit: the shape of a text relies on it."""
    words = [*_markers(), *(word for table in _places() for word in table)]
    return not any(char.isdigit() for word in words for char in word)


def _scored_runs(text: str) -> tuple[ScoredRun, ...]:
    found = []
    for run in _runs(text, parts(text)):
        scored = _score_kinds(frozenset(p.kind for p in run))
        if scored:  # no address word makes the others an address, nor needs looking for
            found.append((run[0].start, run[-1].end, *scored))
    return tuple(found)


@cache
def _score_kinds(kinds: frozenset[str]) -> tuple[float, float, str] | None:
    """The scores of a run of these kinds without and with an address word (as the scanner
    keeps them, ``score2``), and its evidence."""
    if_said = score_run(set(kinds), True)
    if not if_said:
        return None
    evidence = "address parts: " + ", ".join(k for k in _ORDER if k in kinds)
    return score2(score_run(set(kinds), False)), score2(if_said), evidence


#: The runs of a short text with a marker, by its shape as UTF-8 (``scored_runs``).
_SHAPE_RUNS: dict[bytes, tuple[ScoredRun, ...]] = {}
_SHAPE_RUNS_MAX = 4096
_DIGIT_BYTES = bytes.maketrans(b"123456789", b"000000000")


def marker_search() -> Search:
    """``has_marker`` as a declared search, for the scanner's vectorised pass: a marker word in
    any case, with no Latin or Cyrillic letter (``_SURE_LETTERS``) right before or after it (a
    dotted one before its dot).

    It selects every text ``has_marker`` does: the marker is found in the folded text, whose
    letters are the text's in lower case (``ё`` as ``е``); ``(?i)`` reads a letter as any of its
    cases, and ``е`` in a marker as ``[её]``. A character the folded text has as no letter
    before or after the marker is no letter in the text either, so none of ``_SURE_LETTERS``
    (``İ``, lower-cased to ``i`` and a combining dot, is none of them). And it selects no ASCII
    text: no marker is ASCII (``_markers_outside_ascii``).

    >>> import re
    >>> [bool(re.search(marker_search().pattern, t)) for t in ("УЛ. АБАЯ 10", "ул.Абая", "гул")]
    [True, True, False]
    """
    plain, dotted = _marker_words()

    def either(words: frozenset[str]) -> str:
        spelled = ("".join("[её]" if c == "е" else re.escape(c) for c in w) for w in words)
        return "|".join(sorted(spelled, key=len, reverse=True))

    not_letter = f"[^{_SURE_LETTERS}]"
    tails = [f"(?:{either(plain)})(?:$|{not_letter})"] if plain else []
    tails += [rf"(?:{either(dotted)})\."] if dotted else []
    return Search(f"(?i)(?:^|{not_letter})(?:{'|'.join(tails)})")


class AddressRecognizer(ContextRecognizer):
    """Kazakh and Russian postal and home addresses, from their marked parts."""

    ENTITY = ENTITY
    CONTEXT = "context_address"
    FIELD_CONTEXT = "context_address_field"
    #: A marker word: every address has one (``has_marker``, which ``find`` asks too).
    SEARCH = marker_search()
    _BYPASSED: ClassVar[tuple[str, ...]] = ("analyze", "wants", "find")

    def find(
        self, text: str, named: str | None, context: list[str] | None
    ) -> list[RecognizerResult]:
        """ADDRESS results in a non-empty ``text``; ``named`` is the field-name word, if any."""
        return [
            make_result(ENTITY, start, end, score, self.name, evidence)
            for start, end, score, evidence in self._parts(text, named)
        ]

    def findings(
        self, texts: Sequence[str], entities: list[str] | None, context: list[str] | None
    ) -> list[list[EntityTuple]]:
        """``analyze`` of each text as entity tuples, without a ``RecognizerResult`` each."""
        if entities and ENTITY not in entities:
            return [[] for _ in texts]
        named = self.field_word(context)
        ascii_unmarked = _markers_outside_ascii()
        out: list[list[EntityTuple]] = []
        append = out.append
        # Runs that all start at the text's start have no word before them to look for, so
        # ``_scored`` reads only the runs and ``named``: texts of one shape (which share their
        # runs) share their findings within the batch (an address column: 0.55 against 1.2 us).
        shared: dict[tuple[ScoredRun, ...], list[EntityTuple]] = {}
        for text in texts:
            runs = () if ascii_unmarked and text.isascii() else scored_runs(text)
            if not runs:
                append([])
                continue
            found = shared.get(runs)
            if found is not None:
                append(found.copy())
                continue
            # the scores of ``scored_runs`` are rounded as the scanner keeps them (``score2``)
            found = [
                (ENTITY, start, end, score, tuple(evidence), ())
                for start, end, score, evidence in self._scored(text, runs, named)
            ]
            if all(run[0] == 0 for run in runs):
                shared[runs] = found.copy()
            append(found)
        return out

    def _parts(self, text: str, named: str | None) -> list[tuple[int, int, float, list[str]]]:
        """Start, end, score and evidence of each address in ``text``."""
        return self._scored(text, scored_runs(text), named)

    def _scored(
        self, text: str, runs: tuple[ScoredRun, ...], named: str | None
    ) -> list[tuple[int, int, float, list[str]]]:
        """Start, end, score and evidence of each address of the runs ``scored_runs`` found."""
        found = []
        for start, end, plain, if_said, parts_evidence in runs:
            # An address word is looked for only before the address: none stands before the start.
            said = find_context(text, start, end, self.words, before=30, after=0) if start else None
            score = if_said if named or said else plain
            if not score:
                continue
            found.append((start, end, score, [parts_evidence, *self.evidence(said, named)]))
        return found
