"""ФИО / аты-жөні: full names of people in Russian and Kazakh text, cells and forms.

A name is found by rules first and by natasha's NER only where the rules cannot decide:

* Short values (database cells, form fields: up to five words) and texts written all in capitals
  or all in lower case are decided by rules alone. Each word gets roles from the lexicons in
  ``recognizers/data/person_*.txt``, from pymorphy3's dictionary tags (``Name``, ``Surn``,
  ``Patr``) and from its shape (patronymic suffixes ``-ович/-евна/-ична/-улы/-ұлы/-кызы/-қызы``,
  surname suffixes ``-ов/-ева/-ин/-ский/-енко/-баев...``, initials ``И.``). A run of such words
  is matched against the orders people write: ``Фамилия Имя Отчество``, ``Имя Отчество
  Фамилия``, ``Фамилия Имя``, ``Имя Фамилия``, ``Фамилия И. О.``, ``И.О. Фамилия``, ``Имя
  Отчество``, a Kazakh particle written apart (``Серик улы``), Latin passport and card spellings
  (``SAGINTAYEVA AIGERIM``) compared through a transliteration skeleton.
* Longer free text with capitalised words also goes through ``NewsNERTagger`` (loaded lazily,
  once per process, run in one ``map`` over the batch). Its PER spans are cleaned (split at line
  breaks and brackets, initials before or after joined) and the strong rule matches it missed
  are added.

* Labelled layouts (ID cards, passports, forms) are read by their labels first
  (``recognizers/data/person_labels.txt``: ``Фамилия``, ``Тегі``, ``Surname``, ``Имя``, ``Аты``,
  ``Given names``, ``Отчество``, ``Әкесінің аты``, ``ФИО``, ``Аты-жөні``..., bilingual groups
  such as ``ТЕГІ / ФАМИЛИЯ``, OCR's look-alike letters). The value after a label's colon, or on
  the next line under a label standing alone on its line, is a name part whatever the lexicons
  say: one or two words (up to four after a whole-name label), capitalised, in capitals, or
  lower-case name words, ending its line or column. Without a colon, a value on the label's own
  line (OCR's one-line reading of a card) must be made of words that may be names. Each
  labelled part is its own PERSON span, so that no label between the parts ever lies inside a
  name; a whole-name label ("ФИО:") gives one span. Label words split the rules' runs and are
  cut out of natasha's spans.

Judgements (what is *not* a full name):

* A single word is not a full name in a short value: "Спасибо, Айгерим!" and "Иванов" give
  nothing, unless the field's name says it holds names (``fio``, ``name``, ``familiya``...), then
  a lone first name, surname or patronymic is reported at 0.7. In running text natasha's
  one-word person mentions ("Медведев заявил") are reported at 0.6: prose names people that way.
* Places and institutions named after people are not people: a name right after ``ул.``,
  ``пр.``, ``им.``, ``г.``, ``мкр`` ... or right before ``көшесі``, ``даңғылы``, ``атындағы``,
  ``университет`` is dropped ("ул. Мухтара Ауэзова", "Назарбаев Университет").
* Course, lesson and book titles are not people: a name next to a title word (``курс``,
  ``лирика``, ``творчество``...) or followed by a colon in a text holding such a word is dropped
  ("Абай Кунанбаев: жизнь и творчество").
* Words of the stop list (cities, regions, organisations, months, placeholders such as "нет",
  "admin") never count as name parts, labelled or not. A label followed by another word is not
  a label ("Имя файла:", "Имя пользователя:") unless that word says whose name it is ("ФИО
  ребёнка:"); the English "Name:" needs a value with a known name word ("Name: Mirum
  Education LLP" is not a person). A value followed by anything but the end of its line, a
  comma or a column gap is not a form value ("Имя: report.pdf").

Scores: patronymic patterns 0.95 (``Имя Отчество`` 0.9), lexicon first name with a surname 0.9,
initials with a surname 0.85-0.9, NER spans 0.85 (0.6 for one word), two first names (a Kazakh
surname taken from the father's name) 0.75, a first name next to an unknown capitalised word 0.6;
a labelled part 0.85 (0.9 when the text labels two or more different parts), a whole-name label's
value 0.85 or the rules' score for it if higher. Evidence names the label: ``"label: фамилия"``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, compress, pairwise, repeat
from typing import NamedTuple

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from pdaudit.recognizers.base import (
    LANGUAGE,
    EntityTuple,
    evidence_of,
    find_context,
    fold,
    load_words,
    make_result,
    overrides,
    score2,
)

ENTITY = "PERSON"
NAME = "PersonRecognizer"

#: Short values of at most this many words are decided by rules alone.
MAX_SHORT_WORDS = 5

# Roles a word can play.
FIRST, SURN, PATR, INIT, PART, STOP, COMMON = "F", "S", "P", "I", "K", "STOP", "COMMON"

_LETTER = r"[^\W\d_]"
_WORD = re.compile(rf"{_LETTER}+(?:[-‐'’]{_LETTER}+)*")


def _bmp_letters() -> str:
    r"""``_LETTER`` spelled out over the Basic Multilingual Plane as code point ranges.

    re tests ``[^\W\d_]`` with three Unicode category look-ups per character; a class of
    ranges below U+10000 compiles to one bitmap look-up, so words are found about a third
    faster. ``str.isalnum`` and ``str.isdecimal`` are the very tests re's ``\w`` and ``\d``
    make (``test_bmp_letters_are_letter``).
    """
    ranges: list[list[int]] = []
    for code in range(0x10000):
        ch = chr(code)
        if ch.isalnum() and not ch.isdecimal():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "]"


_BMP_LETTER = _bmp_letters()
#: ``_WORD`` for texts without characters beyond U+FFFF (``_words_re``).
_BMP_WORD = re.compile(rf"{_BMP_LETTER}+(?:[-‐'’]{_BMP_LETTER}+)*")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _beyond_bmp(text: str) -> bool:
    """Whether ``text`` holds a character beyond U+FFFF (``_ASTRAL``), told without a search.

    UTF-16 spends two code units on such a character and one on any other (a lone surrogate
    too, with ``surrogatepass``); encoding a text is cheaper than a regex scan of it.
    """
    return not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def _words_re(text: str) -> re.Pattern[str]:
    """``_WORD`` or its faster twin ``_BMP_WORD``, which finds the same words in ``text``."""
    return _WORD if _beyond_bmp(text) else _BMP_WORD


_HAS_LETTERS = re.compile(rf"{_LETTER}{{2}}")
_CYRILLIC = re.compile(r"^[а-яёәғқңөұүһі\-‐'’]+$")
_LATIN = re.compile(r"^[a-z\-‐'’]+$")

SURNAME_SHAPE = re.compile(
    r"(?:[оеё]в|[иы]н)(?:а|у|ым|ой|ою|ом|е|ых|ыми|ы)?$"
    r"|(?:ск|цк)(?:ий|ого|ому|им|ом|ая|ой|ую|ие|их)$"
    r"|(?:енко|ченко|ук|юк|чук|вич|ян|янц|дзе|швили|их|ых)$"
)
PATRONYMIC_SHAPE = re.compile(
    r"(?:ович|евич|ьич)(?:а|у|ем|е)?$"
    r"|(?:овн|евн|ичн)(?:а|ы|е|у|ой)$"
    r"|(?:улы|ұлы|уулу|оглы|кызы|қызы)$"
)
LATIN_SURNAME_SHAPE = re.compile(
    r"(?:ov|ev|yev|iev|in|yn)a?$|(?:sky|skiy|skii|skaya|enko|chuk|ovich|evich|yan|dze|shvili)$"
)
LATIN_PATRONYMIC_SHAPE = re.compile(r"(?:ovich|evich|ovna|evna|ichna|uly|kyzy|qyzy|ogly)$")

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch - y - e yu ya a g k n o u u"
        " h i".split(),
        strict=True,
    )
)
_TRANSLIT["ъ"] = _TRANSLIT["ь"] = ""

#: Patterns over word roles, tried longest first: (roles, score, evidence, allowed in lower case).
#: ``X`` is a capitalised word that is neither a dictionary word nor a stop word.
PATTERNS: tuple[tuple[tuple[str, ...], float, tuple[str, ...], bool], ...] = (
    (("S", "F", "P"), 0.95, ("surname", "lexicon: first name", "patronymic"), True),
    (("F", "P", "S"), 0.95, ("lexicon: first name", "patronymic", "surname"), True),
    (("F", "S", "P"), 0.95, ("lexicon: first name", "surname", "patronymic"), True),
    (("F", "F", "P"), 0.9, ("lexicon: first name", "patronymic"), True),
    (("X", "F", "P"), 0.9, ("lexicon: first name", "patronymic"), False),
    (("F", "P", "X"), 0.9, ("lexicon: first name", "patronymic"), False),
    (("S", "X", "P"), 0.9, ("surname", "patronymic"), False),
    (("X", "X", "P"), 0.85, ("patronymic",), False),
    (("S", "I", "I"), 0.9, ("surname", "initials"), False),
    (("I", "I", "S"), 0.9, ("initials", "surname"), False),
    (("X", "I", "I"), 0.85, ("initials",), False),
    (("I", "I", "X"), 0.85, ("initials",), False),
    (("F", "P"), 0.9, ("lexicon: first name", "patronymic"), True),
    (("S", "F"), 0.9, ("surname", "lexicon: first name"), True),
    (("F", "S"), 0.9, ("lexicon: first name", "surname"), True),
    (("X", "P"), 0.8, ("patronymic",), False),
    (("S", "I"), 0.85, ("surname", "initials"), False),
    (("I", "S"), 0.85, ("initials", "surname"), False),
    (("X", "I"), 0.7, ("initials",), False),
    (("I", "X"), 0.7, ("initials",), False),
    (("F", "F"), 0.75, ("lexicon: first name", "surname from a first name"), False),
    (("F", "X"), 0.6, ("lexicon: first name",), False),
    (("X", "F"), 0.6, ("lexicon: first name",), False),
)
#: A name found: start, end, score (not yet rounded) and evidence.
_Part = tuple[int, int, float, list[str]]
#: Rule matches at least this strong are added to natasha's spans in free text.
STRONG = 0.85


class Token:
    """One word (or an initial with its dot) of a text."""

    __slots__ = ("start", "end", "roles", "case", "folded", "can")

    def __init__(
        self,
        start: int,
        end: int,
        roles: frozenset[str],
        case: str,  # "title", "upper", "lower", "mixed" or "init"
        folded: str,
        can: frozenset[str] | None = None,
    ) -> None:
        self.start, self.end, self.roles, self.case, self.folded = start, end, roles, case, folded
        #: The pattern roles (``F S P I X``) this word fits.
        self.can = _fitting(roles, case, len(folded) > 1) if can is None else can

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {sorted(self.roles)}, {self.case!r})"

    def fits(self, role: str) -> bool:
        """Whether the word can play ``role`` in a name pattern."""
        return _fits(role, self.roles, self.case, len(self.folded) > 1)


def _fits(role: str, roles: frozenset[str], case: str, long: bool) -> bool:
    if role == "X":
        return (
            case in ("title", "upper", "mixed") and not roles & {STOP, COMMON, INIT, PART} and long
        )
    if STOP in roles and role != INIT:
        return False
    return role in roles


@lru_cache(maxsize=1024)
def _fitting(roles: frozenset[str], case: str, long: bool) -> frozenset[str]:
    return frozenset(r for r in "FSPIX" if _fits(r, roles, case, long))


# ---------------------------------------------------------------- lexicons and word roles


@cache
def _lexicons() -> dict[str, frozenset[str]]:
    first = load_words("person_first_names")
    surnames = load_words("person_surnames") | load_words("person_korean_surnames")
    stop = load_words("person_stop_words")
    return {
        "first": first,
        "surnames": surnames,
        "stop": stop,
        "particles": load_words("person_kz_particles"),
        "place_before": load_words("person_place_cues"),
        "place_after": load_words("person_place_cues_after"),
        "title": load_words("person_title_cues"),
        "fields": load_words("person_field_names"),
        "name_before": load_words("person_name_cues"),
        "name_after": load_words("person_name_cues_after"),
        "figures": frozenset(load_words("person_public_figures")),
        "first_latin": frozenset(skeleton(_translit(w)) for w in first),
        "first_kz": frozenset(w.translate(_KZ_FOLD) for w in first),
        "surnames_latin": frozenset(skeleton(_translit(w)) for w in surnames),
        "stop_latin": frozenset(skeleton(_translit(w)) for w in stop),
    }


# Kazakh letters to the Russian ones names are also spelled with ("Айгерім" / "Айгерим").
_KZ_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")


def _translit(word: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in word)


def skeleton(word: str) -> str:
    """A spelling-insensitive key of a Latin name, so that passport spellings meet.

    >>> skeleton("SAGINTAYEVA") == skeleton("sagintaeva") == skeleton(_translit("сагинтаева"))
    True
    >>> skeleton("Yerlan") == skeleton("Erlan")
    True
    """
    s = word.lower().replace("-", "")
    for a, b in (("kh", "h"), ("gh", "g"), ("q", "k"), ("w", "v"), ("x", "ks"), ("ph", "f")):
        s = s.replace(a, b)
    s = s.replace("j", "zh").replace("y", "i")
    s = re.sub(r"(.)\1+", r"\1", s)
    return re.sub(r"i(?=[aeou])", "", s)


@cache
def _morph():  # noqa: ANN202
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def word_roles(word: str) -> frozenset[str]:
    """Roles a folded (lower-case) word can play: first name, surname, patronymic, stop word...

    >>> sorted(word_roles("иванович"))  # -вич is also a surname ending (Янукович)
    ['P', 'S']
    >>> sorted(word_roles("сагинтаева"))
    ['S']
    >>> sorted(word_roles("магазин"))
    ['COMMON']
    """
    lex = _lexicons()
    roles: set[str] = set()
    if word in lex["particles"]:
        return frozenset({PART})
    if _LATIN.match(word):
        key = skeleton(word)
        if key in lex["first_latin"]:
            roles.add(FIRST)
        if key in lex["surnames_latin"] or LATIN_SURNAME_SHAPE.search(word):
            roles.add(SURN)
        if LATIN_PATRONYMIC_SHAPE.search(word):
            roles.add(PATR)
        if word in lex["stop"] or (key in lex["stop_latin"] and not roles):
            roles.add(STOP)
        return frozenset(roles)
    if not _CYRILLIC.match(word):
        return frozenset()
    if word in lex["first"] or (
        # "Айгерім", "Нұрлан": a Kazakh spelling of a name the lexicon writes the Russian way
        word != (kz := word.translate(_KZ_FOLD)) and kz in lex["first_kz"]
    ):
        roles.add(FIRST)
    if word in lex["surnames"]:
        roles.add(SURN)
    parses = _morph().parse(word)
    known = parses if _morph().word_is_known(word) else []
    if not known:
        parses = []  # pymorphy3's guesses for unknown words ("Нурланова" as an adjective) mislead
    tags: set[str] = set()
    for p in known:
        grammemes = p.tag.grammemes
        if "Name" in grammemes and len(word) > 2:
            tags.add(FIRST)
            if p.normal_form in lex["first"]:
                roles.add(FIRST)
        if "Surn" in grammemes:
            tags.add(SURN)
        if "Patr" in grammemes:
            tags.add(PATR)
    top = parses[0].tag.grammemes if parses else frozenset()
    common = bool(known) and not top & {"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"}
    place = bool(known) and bool(top & {"Geox", "Orgn"})
    if common and parses[0].score >= 0.5:
        roles.add(COMMON)
    roles |= tags
    if (not common and not place) or SURN in tags:
        if SURNAME_SHAPE.search(word):
            roles.add(SURN)
    if PATRONYMIC_SHAPE.search(word) and (not known or PATR in tags or SURN in tags):
        roles.add(PATR)
    if word in lex["stop"] or (known and top & {"Geox", "Orgn"} and not roles & {FIRST, SURN}):
        if word not in lex["first"] and word not in lex["surnames"]:
            roles.add(STOP)
    if roles & {FIRST, SURN, PATR} and COMMON in roles and word not in lex["first"]:
        # "вера", "слава", "роза": a common word first; a name only next to strong evidence.
        roles.discard(FIRST)
    return frozenset(roles)


def _case(word: str) -> str:
    if word.isupper():
        return "upper" if len(word) > 1 else "title"
    if word.islower():
        return "lower"
    parts = re.split(r"[-‐'’]", word)
    if all(p[:1].isupper() and p[1:].islower() for p in parts if p):
        return "title"
    return "mixed"


def tokenize(text: str) -> list[Token]:
    """Words of ``text`` with their roles; a capital letter followed by a dot is an initial."""
    return _tokenize(text)[0]


def _tokenize(text: str) -> tuple[list[Token], bool]:
    """The words of ``text`` and whether one of them may start a name label ("Фамилия")."""
    tokens: list[Token] = []
    append = tokens.append
    label = False
    for m in _words_re(text).finditer(text):
        word = m.group()
        start, end = m.span()
        if len(word) == 1 and word.isupper() and text[end : end + 1] == ".":
            folded = fold(word)
            append(Token(start, end + 1, _INIT_ROLES, "init", folded, _INIT_CAN))
            label = label or _may_start_label(folded)  # "Ф.И.О."
            continue
        folded, roles, case, can, may_label, _ = _word_info(word)
        append(Token(start, end, roles, case, folded, can))
        label = label or may_label
    return tokens, label


# What a word means to the lean tokenizer: left out, kept, kept with the word after it (a place
# cue: "ул. абая" is read as a place whatever the next word), or a reason to read every word.
_LEAVE, _KEEP, _CUE, _ALL = 0, 1, 2, 3


def _tokenize_lean(text: str) -> tuple[list[Token], int] | None:
    """The words of ``text`` that matter when it has no label word, and how many were left out.

    Left out are lower-case words that cannot be a name part, a label, a particle or a place cue
    (most words of prose): such a word only splits a run, and a gap that is not blank splits it
    the same way; the NER test needs only their number. None when a word may start a label or is
    a Kazakh particle (the values and ``Серик улы`` need the neighbouring words): read them all.
    """
    # re.split with the word group: gap, word, gap, word... gap; their running lengths give
    # each word's start and end without a Python step per word.
    parts = (_WORD_SPLIT if _beyond_bmp(text) else _BMP_WORD_SPLIT).split(text)
    words = parts[1::2]
    bounds = list(accumulate(map(len, parts)))  # word k spans bounds[2k]:bounds[2k + 1]
    leans = list(map(_LEANS.get, words))
    if None in leans:
        leans = [
            _info(w)[5] if lean is None else lean for w, lean in zip(words, leans, strict=True)
        ]
    tokens: list[Token] = []
    append = tokens.append
    known = _INFO.get
    after_cue = False
    last = len(words) - 1
    # Only the words that are not left out (``_LEAVE`` is 0) and the word after a place cue are
    # read one by one; the others only count.
    for i in compress(range(len(words)), leans):
        while True:
            word = words[i]
            start, end = bounds[2 * i], bounds[2 * i + 1]
            if len(word) == 1 and word.isupper() and text[end : end + 1] == ".":
                folded = fold(word)
                if _may_start_label(folded):
                    return None
                append(Token(start, end + 1, _INIT_ROLES, "init", folded, _INIT_CAN))
                after_cue = folded in _lexicons()["place_before"]  # "Г. Алматы"
            else:
                folded, roles, case, can, _, lean = known(word) or _info(word)
                if lean == _ALL:
                    return None
                append(Token(start, end, roles, case, folded, can))
                after_cue = lean == _CUE
            if not (after_cue and i < last and leans[i + 1] == _LEAVE):
                break
            i += 1  # "ул. абая": the word after a cue is read whatever it is
    return tokens, len(words) - len(tokens)


_WORD_SPLIT = re.compile(f"({_WORD.pattern})")
_BMP_WORD_SPLIT = re.compile(f"({_BMP_WORD.pattern})")

#: ``_word_info`` and its lean-tokenizer meaning by spelling: plain dicts are cheaper to read
#: than the LRU cache (and ``map`` reads them without a Python step); emptied when full.
_INFO: dict[str, tuple[str, frozenset[str], str, frozenset[str], bool, int]] = {}
_LEANS: dict[str, int] = {}
_INFO_MAX = 200_000


def _info(word: str) -> tuple[str, frozenset[str], str, frozenset[str], bool, int]:
    if len(_INFO) >= _INFO_MAX:
        _INFO.clear()
        _LEANS.clear()
    info = _INFO[word] = _word_info(word)
    _LEANS[word] = info[5]
    return info


_INIT_ROLES = frozenset({INIT})
_INIT_CAN = frozenset({INIT})


@lru_cache(maxsize=200_000)
def _word_info(word: str) -> tuple[str, frozenset[str], str, frozenset[str], bool, int]:
    """A word's folded form, roles, case, pattern roles, whether it may start a label and what
    it means to the lean tokenizer, computed once per spelling."""
    folded = fold(word)
    roles = word_roles(folded)
    case = _case(word)
    can = _fitting(roles, case, len(folded) > 1)
    may_label = _may_start_label(folded)
    if may_label or PART in roles:
        lean = _ALL
    elif folded in _lexicons()["place_before"]:
        lean = _CUE
    elif case == "lower" and not can:
        lean = _LEAVE
    else:
        lean = _KEEP
    return folded, roles, case, can, may_label, lean


def _runs(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Split tokens into runs that may form one name: spaces only between them, one case style."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for tok in tokens:
        if current:
            prev = current[-1]
            width = tok.start - prev.end
            if width == 1:  # the usual case: one character between two words
                joined = text[prev.end] != "\n" and text[prev.end].isspace()
            elif width == 0:
                joined = prev.case == "init"
            else:
                gap = text[prev.end : tok.start]
                joined = width <= 3 and gap.isspace() and "\n" not in gap
            lower_switch = (prev.case == "lower") != (tok.case == "lower") and PART not in tok.roles
            if joined and not lower_switch:
                current.append(tok)
                continue
            runs.append(current)
        current = [tok]
    if current:
        runs.append(current)
    return runs


def _merge_particles(run: list[Token]) -> list[Token]:
    """Join a Kazakh particle written apart with the father's name before it (``Серик улы``)."""
    out: list[Token] = []
    for tok in run:
        if PART in tok.roles and out and out[-1].case != "init" and PART not in out[-1].roles:
            prev = out.pop()
            out.append(Token(prev.start, tok.end, frozenset({PATR}), prev.case, prev.folded))
        else:
            out.append(tok)
    return out


class Match(NamedTuple):
    """A name found by the rules."""

    start: int
    end: int
    score: float
    evidence: tuple[str, ...]


_RunMatches = tuple[tuple[int, int, float, tuple[str, ...]], ...]


def _match_run(run: list[Token]) -> _RunMatches:
    """Greedy, longest-first pattern matches inside one run: (first, last index, score, evidence)."""
    if not any(a.can and b.can for a, b in pairwise(run)):
        return ()  # no two neighbours that may both be name parts
    lower = run[0].case == "lower"
    if lower:
        first_names = _lexicons()["first"]
        # Only a lower-case run reads the words themselves (lexicon first names).
        return _match_roles(tuple(t.can for t in run), tuple(t.folded in first_names for t in run))
    return _match_roles(tuple(t.can for t in run), None)


@lru_cache(maxsize=4096)
def _match_roles(cans: tuple[frozenset[str], ...], first: tuple[bool, ...] | None) -> _RunMatches:
    """``_match_run`` on what it reads of a run: each word's pattern roles and, for a lower-case
    run (``first`` given), whether each word is a lexicon first name; few distinct keys."""
    found: list[tuple[int, int, float, tuple[str, ...]]] = []
    lower = first is not None
    i = 0
    while i < len(cans):
        if not cans[i]:
            i += 1
            continue
        for roles, score, evidence, in_lower in PATTERNS:
            n = len(roles)
            if i + n > len(cans) or (lower and not in_lower):
                continue
            if not all(r in cans[i + k] for k, r in enumerate(roles)):
                continue
            if first is not None and any(
                r == FIRST and not first[i + k] for k, r in enumerate(roles)
            ):
                continue
            found.append((i, i + n - 1, score, evidence))
            i += n
            break
        else:
            i += 1
    return tuple(found)


_PREVIOUS_WORD = re.compile(rf"(?<![\w-])({_LETTER}[\w\-]*)(\.?)[ \t]*$")
_NEXT_WORD = re.compile(rf"[ \t]*({_LETTER}[\w\-]*)")


def _previous_word(text: str, start: int) -> str:
    # The word just before, on the same line ("ул. Абая"), not a year's "г." ("2008г. В.Путин").
    if not start:  # a name opening the text (most cells)
        return ""
    window = text[max(0, start - 30) : start]
    m = _PREVIOUS_WORD.search(window)
    if not m:
        return ""
    word = fold(m.group(1))
    if not _cue_written_as_cue(window, m.start(1), word, bool(m.group(2))):
        return ""
    return word


#: One- and two-letter place cues that are also prepositions or parts of dates: "с" (село) is
#: "with" ("поговорил с Айгерим"), "г." after a number is a year ("В 2008 г. Путин").
_SHORT_CUES = frozenset({"с", "г", "ш", "п", "д"})


def _cue_written_as_cue(text: str, start: int, word: str, dotted: bool) -> bool:
    """Whether a short cue word is written as an abbreviation ("с. Каскелен", "г. Алматы")."""
    if word not in _SHORT_CUES:
        return True
    if not dotted:
        return False
    return not re.search(r"\d[ \t]*$", text[max(0, start - 8) : start])


def _next_word(text: str, end: int) -> str:
    if end >= len(text):  # a name closing the text (most cells)
        return ""
    m = _NEXT_WORD.match(text[end : end + 30])
    return fold(m.group(1)) if m else ""


#: Longest text whose "Name: ..." may be a course or book title.
_TITLE_TEXT_MAX = 300


def is_place_or_title(text: str, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` names a street, a city, an institution or a course.

    >>> is_place_or_title("ул. Мухтара Ауэзова 12", 4, 19)
    True
    >>> is_place_or_title("Абай Кунанбаев: жизнь и творчество", 0, 14)
    True
    >>> is_place_or_title("Клиент Абай Кунанбаев", 7, 21)
    False
    """
    lex = _lexicons()
    before, after = _previous_word(text, start), _next_word(text, end)
    if before in lex["place_before"] or after in lex["place_after"]:
        return True
    if before in lex["title"]:
        return True
    if text[end : end + 1] == ":" and len(text) <= _TITLE_TEXT_MAX:
        # "Абай Кунанбаев: жизнь и творчество" is a title; in a long text a name before a colon
        # is a speaker ("Мустафа Джемилев: Да, всё верно").
        words = {fold(w) for w in _WORD.findall(text)}
        return bool(words & lex["title"])
    return False


def rule_matches(
    text: str,
    tokens: list[Token] | None = None,
    blocked: Sequence[tuple[int, int]] = (),
) -> list[Match]:
    """Names the rules find in ``text``, places and titles removed; ``blocked`` spans (labels
    such as "Аты:") split runs and are never part of a name.

    >>> [(m.start, m.end, m.score) for m in rule_matches("Иванов И.И., +7 701 123 45 67")]
    [(0, 11, 0.9)]
    """
    tokens = tokenize(text) if tokens is None else tokens
    runs = _runs(text, tokens)
    if blocked:
        runs = [piece for run in runs for piece in _split_at(run, blocked)]
    out = []
    for run in runs:
        if len(run) < 2:  # every pattern takes two words or more
            continue
        run = _merge_particles(run)
        for first, last, score, evidence in _match_run(run):
            start, end = run[first].start, run[last].end
            if not is_place_or_title(text, start, end):
                out.append(Match(start, end, score, evidence))
    return out


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether ``start:end`` overlaps one of ``spans`` (sorted, not overlapping each other)."""
    i = bisect.bisect_left(spans, (end,)) - 1
    return i >= 0 and spans[i][1] > start


def _split_at(run: list[Token], blocked: Sequence[tuple[int, int]]) -> list[list[Token]]:
    """Pieces of a run between the blocked tokens."""
    pieces: list[list[Token]] = [[]]
    for tok in run:
        if _inside(tok.start, tok.end, blocked):
            pieces.append([])
        else:
            pieces[-1].append(tok)
    return [p for p in pieces if p]


# ---------------------------------------------------------------- labelled forms

#: Label kinds in the order they are tried at one position: a whole-name label before the part
#: labels it starts with ("Фамилия, имя, отчество" before "Фамилия"), "Name" last.
LABEL_KINDS = ("full", "patronymic", "surname", "first", "name")
#: Kinds whose value is one part of a name.
NAME_PARTS = ("surname", "first", "patronymic")
LABEL_SCORE = 0.85
#: Two or more different parts labelled in one text (surname and first name...): a whole name.
LABEL_PARTS_SCORE = 0.9

# OCR reads Kazakh letters as their Russian or Latin look-alikes ("ӘКЕСIНIН АТЫ").
_LOOKALIKES = {
    "і": "[іi]",
    "ә": "[әэе]",
    "ң": "[ңн]",
    "қ": "[қк]",
    "ғ": "[ғг]",
    "ұ": "[ұүу]",
    "ү": "[үұу]",
    "ө": "[өо]",
    "һ": "[һх]",
    "е": "[её]",
}
_LABEL_SEP = re.compile(r"[ \t]*[/|\\][ \t]*")
_LABEL_PAREN = re.compile(r"[ \t]*\([^()\n]{0,40}\)")
_LABEL_COLON = re.compile(r"[ \t]*[:：]")
_VALUE_GAP = re.compile(r"[ \t]*(?:\r?\n\s*)?")
#: What may follow a labelled value: the end of its line, a comma, a full stop, a column gap.
_VALUE_END = re.compile(r"[ \t]*(?:[\r\n,;]|$)|[ \t]{2,}|\t|\.(?:\s|$)")


def _label_pattern(label: str) -> str:
    out = []
    for i, ch in enumerate(label):
        if ch == " ":
            out.append(r"[ \t]+")
        elif ch == ",":
            out.append(r"[ \t]*,")
        elif ch == ".":  # "Ф.И.О.", "Ф. И. О.", "ФИО"
            out.append(r"\.?" if i == len(label) - 1 else r"\.?[ \t]*")
        elif ch in "-‐":
            out.append(r"[-‐]?[ \t]*")
        elif ch in "'’":
            out.append("['’]")
        else:
            out.append(_LOOKALIKES.get(ch, re.escape(ch)))
    return "".join(out)


@cache
def _label_regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The label regex (one named group per kind) and the qualifier regex ("ребёнка")."""
    by_kind: dict[str, list[str]] = {k: [] for k in (*LABEL_KINDS, "qualifier")}
    for line in load_words("person_labels"):
        kind, _, word = line.partition(" ")
        by_kind[kind].append(word.strip())

    def alternatives(labels: list[str]) -> str:
        return "|".join(_label_pattern(w) for w in sorted(labels, key=len, reverse=True))

    kinds = "|".join(f"(?P<{k}>{alternatives(by_kind[k])})" for k in LABEL_KINDS)
    label = re.compile(rf"(?<!\w)(?:{kinds})(?!\w)", re.IGNORECASE)
    qualifier = re.compile(
        rf"(?:[ \t]+(?:{alternatives(by_kind['qualifier'])})(?!\w)){{1,2}}", re.IGNORECASE
    )
    return label, qualifier


@dataclass(frozen=True)
class Labels:
    """Label words found in a text and the name parts they introduce."""

    spans: tuple[tuple[int, int], ...]
    values: tuple[Match, ...]


NO_LABELS = Labels((), ())


# Folds OCR's look-alikes to one letter, for the quick test of whether a text may hold a label.
_LOOKALIKE_FOLD = str.maketrans("әэёiңқғұүөһ", "ееeінкгууох")


def _label_key(word: str) -> str:
    return re.split(r"[-‐'’.]", word.translate(_LOOKALIKE_FOLD), maxsplit=1)[0]


@cache
def _label_first_words() -> frozenset[str]:
    words = set()
    for line in load_words("person_labels"):
        kind, _, label = line.partition(" ")
        if kind != "qualifier":
            words.add(_label_key(re.split(r"[\s,]", label.strip(), maxsplit=1)[0]))
    return frozenset(words)


@lru_cache(maxsize=100_000)
def _may_start_label(folded: str) -> bool:
    return _label_key(folded) in _label_first_words()


def _label_hits(text: str, tokens: list[Token], may: bool | None = None) -> list[re.Match[str]]:
    """Label words in ``text``; the regex runs only when a word may start a label (fast path).

    ``may`` is that test's answer when the caller already has it (``_tokenize``'s second value).
    """
    if may is None:
        may = any(_may_start_label(t.folded) for t in tokens)
    if not may:
        return []
    return list(_label_regexes()[0].finditer(text))


def find_labels(
    text: str, tokens: list[Token] | None = None, rules: list[Match] | None = None
) -> Labels:
    """Name labels in ``text`` ("Фамилия:", "ТЕГІ / ФАМИЛИЯ", "Given names:") and their values.

    A value follows its label after a colon on the same line, or on the next line when the label
    stands alone on its line. It is one or two words (up to four after a whole-name label such
    as "ФИО"), capitalised, in capitals, or lower-case name words, ending its line or column.

    >>> labels = find_labels("Фамилия: АХМЕТОВА\\nИмя: АЙГЕРИМ")
    >>> labels.spans
    ((0, 7), (18, 21))
    >>> [(m.start, m.end, m.score, m.evidence) for m in labels.values]
    [(9, 17, 0.9, ('label: фамилия',)), (23, 30, 0.9, ('label: имя',))]
    """
    tokens = tokenize(text) if tokens is None else tokens
    return _labels_from(text, tokens, _label_hits(text, tokens), rules)


def _labels_from(
    text: str, tokens: list[Token], hits: list[re.Match[str]], rules: list[Match] | None
) -> Labels:
    if not hits:
        return NO_LABELS
    qualifier_re = _label_regexes()[1]
    spans = tuple(m.span() for m in hits)
    groups: list[list[re.Match[str]]] = []
    for m in hits:  # "ТЕГІ / ФАМИЛИЯ / SURNAME" is one label in three languages
        if groups and _LABEL_SEP.fullmatch(text, groups[-1][-1].end(), m.start()):
            groups[-1].append(m)
        else:
            groups.append([m])
    starts = [t.start for t in tokens]
    found: list[tuple[str, int, int, str]] = []
    for group in groups:
        kinds = [m.lastgroup or "" for m in group]
        kind = next((k for k in kinds if k != "name"), "name")
        value = _label_value(text, tokens, starts, spans, group, qualifier_re, kind)
        if value:
            name = " / ".join(" ".join(fold(m.group()).split()) for m in group)
            found.append((kind, *value, name))
    parts = {kind for kind, *_ in found if kind in NAME_PARTS}
    if rules is None:
        rules = rule_matches(text, tokens, spans) if found else []
    values = []
    evidence: tuple[str, ...]
    for _kind, start, end, name in found:
        score, evidence = (LABEL_PARTS_SCORE if len(parts) > 1 else LABEL_SCORE), ()
        inner = [m for m in rules if start <= m.start and m.end <= end]
        best = max(inner, key=lambda m: (m.score, m.end - m.start), default=None)
        if best and best.score >= score:  # "Имя Айгерим Сагинтаева": the rules see a whole name
            score, evidence = best.score, best.evidence
        values.append(Match(start, end, score, (*evidence, f"label: {name}")))
    return Labels(spans, tuple(values))


def _label_value(
    text: str,
    tokens: list[Token],
    starts: list[int],
    spans: tuple[tuple[int, int], ...],
    group: list[re.Match[str]],
    qualifier_re: re.Pattern[str],
    kind: str,
) -> tuple[int, int] | None:
    """The span of the value a label group introduces, or None."""
    pos = group[-1].end()
    for extra in (qualifier_re, _LABEL_PAREN):  # "ФИО ребёнка:", "Отчество (при наличии):"
        m = extra.match(text, pos)
        if m:
            pos = m.end()
    colon = _LABEL_COLON.match(text, pos)
    # Without a colon ("ТЕГІ / ФАМИЛИЯ ЖУМАБЕКОВА АТЫ / ИМЯ АЛИЯ", OCR's one-line reading of a
    # card) a value on the label's line must be made of name words only, so that "Имя
    # пользователя" is no name; a label alone on its line has its value below.
    strict = False
    if colon:
        pos = colon.end()
    else:
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end == -1 else line_end
        strict = bool(text[pos:line_end].strip())
        if strict and not text[pos : pos + 1].isspace():
            return None
    pos = _VALUE_GAP.match(text, pos).end()  # type: ignore[union-attr]
    i = bisect.bisect_left(starts, pos)
    if i == len(tokens) or starts[i] != pos or _inside(pos, pos + 1, spans):
        return None
    chosen = [tokens[i]]
    for tok in tokens[i + 1 :]:
        prev = chosen[-1]
        gap = text[prev.end : tok.start]
        if _inside(tok.start, tok.end, spans) or not (
            gap == " " or (gap == "" and prev.case == "init")
        ):
            break
        chosen.append(tok)
    end = chosen[-1].end
    follows = _VALUE_END.match(text, end)
    after = len(text[end:]) - len(text[end:].lstrip(" \t"))
    if not follows and not _inside(end + after, end + after + 1, spans):
        return None
    words = [t for t in chosen if t.case != "init" and PART not in t.roles]
    if not words or len(words) > (2 if kind in NAME_PARTS else 4):
        return None
    lower = [t.case == "lower" for t in words]
    if any(lower) and not all(lower):  # "Не указано"
        return None
    for t in words:
        if STOP in t.roles or len(t.folded) < 2:
            return None
        # A lower-case value is a name only as a name word, or a Cyrillic word no dictionary has.
        named = bool(t.roles & {FIRST, SURN, PATR})
        if t.case == "lower" and not (named or (_CYRILLIC.match(t.folded) and not t.roles)):
            return None
        if strict and not (named or not t.roles):
            return None
    if kind == "name" and not any(t.roles & {FIRST, SURN, PATR} for t in words):
        return None  # "Name: Mirum Education LLP"
    return chosen[0].start, end


# ---------------------------------------------------------------- natasha


@cache
def _ner():  # noqa: ANN202
    from natasha import NewsEmbedding, NewsNERTagger

    return NewsNERTagger(NewsEmbedding())


_INITIALS_BEFORE = re.compile(r"(?:(?<![\w.])[A-ZА-ЯЁ]\.\s?){1,2}$")
_INITIALS_AFTER = re.compile(r"^\s?[A-ZА-ЯЁ]\.(?:\s?[A-ZА-ЯЁ]\.)?(?!\w)(?!\s?[A-ZА-ЯЁ][a-zа-яё])")
_CUE_GAP = re.compile(r"\.?[ \t]*")
_TRIM = " \t\r\n.,;:!?\"'«»()[]{}—–-/\\|"
#: Where natasha's PER span holds two names or a name and the next line's first word: a line
#: break, a comma, a list bullet or a dash between blanks ("Овечкин, Фёдоров", "Топалов —
#: Нисипяну 1:0"). A bracket stays inside: a name with
#: its spelling in brackets, "Джордж Осборн (George Osborne)", is one span in Collection5.
_NER_SPLIT = re.compile(r"\n|[ \t]*[,;•][ \t]*|[ \t]+[—–][ \t]+")


def clean_ner_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a natasha PER span at line breaks, trim it, join the initials next to it.

    >>> clean_ner_span("Сказал С.Чемезов.", 9, 16)
    [(7, 16)]
    """
    pieces = []
    pos = start
    m: re.Match[str] | None
    for m in _NER_SPLIT.finditer(text[start:end]):
        pieces.append((pos, start + m.start()))
        pos = start + m.end()
    pieces.append((pos, end))
    out = []
    for s, e in pieces:
        while s < e and text[s] in _TRIM:
            s += 1
        while e > s and text[e - 1] in _TRIM and not _keeps_last(text, s, e):
            e -= 1
        if e - s < 2 or len(text[s:e].split()) > 8:  # no name runs longer than 8 words
            continue
        if len(pieces) > 1 and not re.search(r"[\s.]", text[s:e]):
            # One word split off: a name unless a dictionary word, a place or an abbreviation
            # ("Сергей Романов\nГОРНО-АЛТАЙСК", "Мандела Мандла\nСуд в ЮАР").
            word = fold(text[s:e])
            if word_roles(word) & {STOP, COMMON} or text[s:e].isupper() or _common_word(word):
                continue
        m = _INITIALS_BEFORE.search(text[max(0, s - 6) : s])
        if m:
            s -= len(m.group())
        m = _INITIALS_AFTER.match(text[e : e + 6])
        if m and not text[s:e].count(" ") > 1:
            e += len(m.group())
        out.append((s, e))
    return out


def _keeps_last(text: str, start: int, end: int) -> bool:
    """A closing bracket that opened inside the span, or the dot of an initial (``И.Ф.``)."""
    last = text[end - 1]
    if last == ")":
        return "(" in text[start:end]
    return (
        last == "."
        and end - start >= 2
        and text[end - 2].isupper()
        and (end - start == 2 or not text[end - 3].isalpha())
    )


def _outside(
    text: str, pieces: list[tuple[int, int]], blocked: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """NER pieces with the label words cut out ("Аты Айгерим" -> "Айгерим")."""
    if not blocked:
        return pieces
    out = []
    for s, e in pieces:
        bounds = [s]
        for bs, be in sorted(blocked):
            if bs < e and s < be:
                bounds += [bs, be]
        bounds.append(e)
        for a, b in zip(bounds[::2], bounds[1::2], strict=True):
            a, b = max(a, s), min(b, e)
            while a < b and text[a] in _TRIM:
                a += 1
            while b > a and text[b - 1] in _TRIM and not _keeps_last(text, a, b):
                b -= 1
            if b - a >= 2:
                out.append((a, b))
    return out


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
    count = len(cases) - cases.count("init") + skipped  # the words left out are lower case
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
        before = text[max(0, tok.start - 3) : tok.start].rstrip(" \t\"«'(")
        sentence_start = not before or before[-1] in ".!?\n:"
        if sentence_start and (COMMON in tok.roles or _opens_sentence(tok)):
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


def _opens_sentence(tok: Token) -> bool:
    """A dictionary word that is no name in any reading, capitalised only for opening a sentence."""
    return not tok.roles & {FIRST, SURN, PATR} and _common_word(tok.folded)


@lru_cache(maxsize=100_000)
def _common_word(word: str) -> bool:
    """Whether pymorphy3 knows ``word`` and its likeliest reading is a common word ("видео")."""
    if not _CYRILLIC.match(word) or not _morph().word_is_known(word):
        return False
    return not _morph().parse(word)[0].tag.grammemes & {"Name", "Surn", "Patr"}


# ---------------------------------------------------------------- the recognizer


class PersonRecognizer(EntityRecognizer):
    """Full names (ФИО) in Russian, Kazakh and passport Latin: rules first, natasha's NER for prose."""

    def __init__(self, supported_language: str = LANGUAGE) -> None:
        super().__init__(
            supported_entities=[ENTITY], name=NAME, supported_language=supported_language
        )

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
        return self.analyze_batch([text], entities, context=context)[0]

    def analyze_batch(
        self,
        texts: Sequence[str],
        entities: Sequence[str],
        context: Sequence[str] | None = None,
    ) -> list[list[RecognizerResult]]:
        """Names in each text; natasha runs once over the texts that need it."""
        return [
            [
                make_result(kind, start, end, score, NAME, ev)
                for kind, start, end, score, ev, _ in found
            ]
            for found in self._batch_parts(texts, entities, context)
        ]

    def entities_batch(
        self,
        texts: Sequence[str],
        entities: Sequence[str],
        context: Sequence[str] | None = None,
    ) -> list[list[EntityTuple]] | None:
        """``analyze_batch`` as the scanner's entity tuples (``pdaudit.recognizers.base.EntityTuple``),
        without a ``RecognizerResult`` per name; ``None`` where a subclass changed how results
        are made (the scanner then calls ``analyze_batch``)."""
        if overrides(self, PersonRecognizer, "analyze_batch", "analyze", "_decide"):
            return None
        return self._batch_parts(texts, entities, context)

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
        out: list[list[EntityTuple]] = []
        append = out.append
        pending: list[int] = []
        prepared: dict[int, tuple[list[Token], list[Match], Labels]] = {}
        need_ner: list[int] = []
        # A field cue reads every word of a short value (``_field_only``).
        lean = field is None
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                append([])
                continue
            # Blank-less texts first: e-mails are the commonest, and the cheapest to clear.
            spaceless = " " not in text
            if lean and spaceless and _ascii_nameless(text):
                append([])
                continue
            if not _HAS_LETTERS.search(text) or (lean and spaceless and _spaceless_nameless(text)):
                append([])
                continue
            append([])  # held
            pending.append(i)
            tokens, rules, labels, skipped = _prepare(text, lean)
            if _wants_ner(text, tokens, [*rules, *labels.values], labels.spans, skipped):
                need_ner.append(i)
                if skipped:  # the headline test reads the word after a surname
                    tokens = tokenize(text)
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
                clash = any(m.start < e and s < m.end for s, e, *_ in found) or any(
                    m.start < e and s < m.end for s, e in others
                )
                if (m.score >= STRONG or m in heads) and not clash:
                    found.append((m.start, m.end, m.score, list(m.evidence)))
        found = [f for f in map(_trim_cue, repeat(text), found) if f is not None]
        found = [f for f in found if not _not_a_person(text, f[0], f[1])]
        for m in addressed_names(text, tokens):
            if not any(m.start < e and s < m.end for s, e, *_ in found):
                found.append((m.start, m.end, m.score, list(m.evidence)))
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


_SPACE = re.compile(r"\s")


def _spaceless_nameless(text: str) -> bool:
    """Whether a text with no field cue provably holds no name because it has no blank at all
    ("ivan_petrov84@mail.kz", "https://...").

    Without a blank no two words join into a run, save an initial glued to the next word
    ("И.Петров"), so the rules find nothing; five words or fewer never go to natasha; and what
    is left, a labelled value ("фио:петров"), needs a label word. A one-letter capital (a
    possible initial) or a label or particle word (the lean tokenizer's reason to read every
    word) sends the text down the full path.
    """
    if _SPACE.search(text):
        return False
    words = _words_re(text).findall(text)
    return len(words) <= MAX_SHORT_WORDS and all(map(_inert, words))


def _ascii_nameless(text: str) -> bool:
    """Whether a text with no field cue provably holds no name because it is ASCII without
    blanks or capitals and none of its letter runs may open a label word or be a particle
    ("tomiris_kudaibergenova84@yandex.kz"): ``_spaceless_nameless`` told in a few C calls.

    Without blanks no two words join into a run and, without capitals, there is no initial;
    every word is in lower case, so natasha is never asked, however many there are; a label or
    a particle word (``_inert``) is told by its first letter run (``_ascii_active``), which is
    one of the runs compared here. The runs are the text's letters with every other character
    a blank; capitals and blanks become a NUL byte, which sends the text down the usual path.
    """
    if not text.isascii():
        return False
    runs = text.encode().translate(_ASCII_RUNS)
    return b"\0" not in runs and _ascii_active().isdisjoint(runs.split())


def _ascii_runs_table() -> bytes:
    table = bytearray(b" " * 256)
    for code in range(128):
        ch = chr(code)
        if ch.isspace() or ch.isupper():  # str.isspace is re's \s
            table[code] = 0
        elif ch.isalpha():
            table[code] = code
    return bytes(table)


_ASCII_RUNS = _ascii_runs_table()


@cache
def _ascii_active() -> frozenset[bytes]:
    """The lower-case ASCII letter runs that open a word the lean tokenizer must read
    (``_ALL``): a possible label's first word (``_may_start_label``: the word's folded form
    before its first hyphen or apostrophe, i.e. its first run, with OCR's look-alikes folded) or
    a particle's first run."""
    # An ASCII run's look-alike fold is one-to-one (only "i" changes, to the Cyrillic "і").
    unfold = {ch.translate(_LOOKALIKE_FOLD): ch for ch in "abcdefghijklmnopqrstuvwxyz"}
    runs = {
        "".join(unfold[ch] for ch in key)
        for key in _label_first_words()
        if all(ch in unfold for ch in key)
    }
    runs |= {re.split("[^a-z]", w)[0] for w in _lexicons()["particles"] if w.isascii()}
    return frozenset(run.encode() for run in runs)


@lru_cache(maxsize=100_000)
def _inert(word: str) -> bool:
    """Neither a possible initial nor a word that makes the lean tokenizer read every word."""
    return not (len(word) == 1 and word.isupper()) and _word_info(word)[5] != _ALL


#: An age after a lone first name: "Ерасыл 8 жаста", "Тимур, 9 лет".
_AGE_AFTER = re.compile(r"[ \t]*,?[ \t]*\d{1,2}[ \t]*(?:жаста|жас|лет|года|годика)(?!\w)")
#: A first name set off as an addressee: "Гульназ, здравствуйте!", "Спасибо, Асель!" (not
#: before a colon: "Абай: қара сөздер" is a course title as often as "Карина:" is a speaker).
_ADDRESSEE_AFTER = re.compile(r"[ \t]*(?:[,!?)]|\.?$)")


def _addressee_before(text: str, start: int) -> bool:
    """The text starts here or a comma, a bracket or the end of a sentence comes just before."""
    before = text[max(0, start - 40) : start].rstrip(" \t")
    return (
        start == 0
        or (not before and start <= 40)
        or before[-1:] in (",", "!", "?", ":", ";", "(", "\n")
    )


def addressed_names(text: str, tokens: list[Token]) -> list[Match]:
    """Lone first names that a message addresses or introduces, which no pattern of two words
    finds: after a cue word ("меня зовут Асель", "сын Тимур", "оқушы Айбек",
    ``person_name_cues.txt``), before a form of address or an age ("Жанар апай", "Ерасыл 8
    жаста"), or set off by punctuation as an addressee ("Гульназ, здравствуйте!").
    In lower case ("это ерасыл") only a lexicon first name after a cue word counts.

    >>> [(m.start, m.end) for m in addressed_names("Спасибо, Асель!", tokenize("Спасибо, Асель!"))]
    [(9, 14)]
    """
    if " " not in text or not any(FIRST in t.roles for t in tokens):
        return []  # a single word is no name without a field name saying so
    lex = _lexicons()
    out = []
    for tok in tokens:
        roles = tok.roles
        if FIRST not in roles or roles & {STOP, COMMON, INIT, PART} or len(tok.folded) < 3:
            continue
        if tok.folded in lex["name_before"]:  # "Здрасте", "Рахмет"
            continue
        before = _previous_word(text, tok.start)
        cue = before in lex["name_before"]
        if tok.case == "lower":
            if (
                not cue
                or tok.folded not in lex["first"]
                and (tok.folded.translate(_KZ_FOLD) not in lex["first_kz"])
            ):
                continue
        elif tok.case not in ("title", "upper"):
            continue
        elif not (
            cue
            or _next_word(text, tok.end) in lex["name_after"]
            or _AGE_AFTER.match(text, tok.end)
            or (_addressee_before(text, tok.start) and _ADDRESSEE_AFTER.match(text, tok.end))
        ):
            continue
        if is_place_or_title(text, tok.start, tok.end):
            continue
        out.append(Match(tok.start, tok.end, 0.6, ("first name", "addressed")))
    return out


def _trim_cue(
    text: str, item: tuple[int, int, float, list[str]]
) -> tuple[int, int, float, list[str]] | None:
    """A span without the cue word it starts with ("Я Ерлан" -> "Ерлан", "Оқушы Төлеген")."""
    s, e, score, evidence = item
    cues = _lexicons()["name_before"]
    while (m := _WORD.match(text, s)) and fold(m.group()) in cues:
        s = m.end()
        while s < e and not text[s].isalpha():
            s += 1
        if e - s < 2:
            return None
    return s, e, score, evidence


def _not_a_person(text: str, start: int, end: int) -> bool:
    """A title in guillemets («Евгений Онегин», «Алдар Көсе») or a historical or public figure
    named in a short text that a title word or a quoted work marks as teaching material
    (``person_public_figures.txt``, ``person_title_cues.txt``): "Клиент Абай Кунанбаев" is a
    client, "Абай Кунанбаев «Қара сөздер»" a lesson."""
    if text[start - 1 : start] == "«" and text[end : end + 1] == "»":
        return True
    if len(text) > _TITLE_TEXT_MAX:  # an article, not a lesson title or course description
        return False
    # Teaching material says so: a title word ("стихи", "роман", "әңгімелері") or a quoted work.
    if "«" not in text and not {fold(w) for w in _WORD.findall(text)} & _lexicons()["title"]:
        return False
    words = [fold(w) for w in _WORD.findall(text, start, end)]
    for entry in _lexicons()["figures"]:
        parts = entry.split()
        if all(any(w.startswith(p) and len(w) - len(p) <= 2 for w in words) for p in parts):
            return True
    return False


def _headline_subjects(text: str, tokens: list[Token]) -> list[Match]:
    """A surname opening a headline ("Обама назначил ...") that natasha's news model skips."""
    found = []
    for i, tok in enumerate(tokens[:-1]):
        line_start = text.rfind("\n", 0, tok.start) + 1
        line_end = text.find("\n", tok.end)
        line_end = len(text) if line_end == -1 else line_end
        if text[line_start : tok.start].strip() or line_end - line_start > 150:
            continue
        nxt = tokens[i + 1]
        if (
            tok.case == "title"
            and tok.fits(SURN)
            and not tok.roles & {FIRST, COMMON}
            and (nxt.case == "lower" or text[tok.end : tok.end + 1] == ":")
            and nxt.start < line_end
        ):
            found.append(Match(tok.start, tok.end, 0.6, ("surname", "headline subject")))
    return found


def _field_cue(context: Sequence[str] | None) -> str | None:
    if not context:
        return None
    return find_context("", 0, 0, _lexicons()["fields"], extra=list(context))


def _field_only(tokens: list[Token], field: str) -> list[tuple[int, int, float, list[str]]]:
    """In a name field, a short value of name-like words is a name even without a pattern."""
    words = [t for t in tokens if t.case != "init"]
    if not 1 <= len(words) <= 4 or any({STOP, COMMON} & t.roles for t in words):
        return []
    if len(words) == 1:
        if not words[0].roles & {FIRST, SURN, PATR}:
            return []
        return [(tokens[0].start, tokens[-1].end, 0.7, ["lexicon", f"field name: {field}"])]
    return [(tokens[0].start, tokens[-1].end, 0.8, [f"field name: {field}"])]


def _dedupe(
    found: list[tuple[int, int, float, list[str]]],
) -> list[tuple[int, int, float, list[str]]]:
    """Keep the longest of overlapping spans (then the higher score)."""
    kept: list[tuple[int, int, float, list[str]]] = []  # sorted by start, never overlapping
    for item in sorted(found, key=lambda f: (-(f[1] - f[0]), -f[2], f[0])):
        i = bisect.bisect_left(kept, item[0], key=lambda k: k[0])
        if (i and kept[i - 1][1] > item[0]) or (i < len(kept) and kept[i][0] < item[1]):
            continue
        kept.insert(i, item)
    return kept


__all__ = [
    "ENTITY",
    "PersonRecognizer",
    "clean_ner_span",
    "find_labels",
    "is_place_or_title",
    "needs_ner",
    "rule_matches",
    "skeleton",
    "tokenize",
    "word_roles",
]
