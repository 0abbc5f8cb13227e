"""Words of a text as ``Token``s: position, roles (``lexicons.word_roles``), case and the
pattern roles (``F S P I X``) the word can fill; runs of words that may form one name.

``tokenize`` reads every word; ``_tokenize_lean`` leaves out the words that cannot change what
the rules and the NER test read (most words of prose: lower-case words that cannot be a name
part, a label, a particle or a place cue; dictionary words opening a sentence) and counts them.
What a spelling means is computed once (``_word_info``, a cache of a pure function of the word
and the lexicons, which load once per process).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate, compress

from pdaudit.recognizers.base import (
    fold,
)
from pdaudit.recognizers.person.lexicons import (
    COMMON,
    FIRST,
    INIT,
    PART,
    PATR,
    STOP,
    SURN,
    _common_word,
    _lexicons,
    _may_start_label,
    word_roles,
)

#: Short values of at most this many words are decided by rules alone.
MAX_SHORT_WORDS = 5

_LETTER = r"[^\W\d_]"
# Possessive: a word never gives letters back (nothing follows it in the pattern), so re may
# skip the bookkeeping of backtracking (``_tokenize_lean``'s split ~5-10% less CPU).
_WORD = re.compile(rf"{_LETTER}++(?:[-‐'’]{_LETTER}+)*+")


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
_BMP_WORD = re.compile(rf"{_BMP_LETTER}++(?:[-‐'’]{_BMP_LETTER}+)*+")
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
        #: The pattern roles (``F S P I X A``) this word fits.
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
    return frozenset(r for r in "FSPIXA" if _fits(r, roles, case, long))


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
# cue: "ул. абая" is read as a place whatever the next word), a reason to read every word, and
# three kinds of word that are left out or kept by where they stand:
# * ``_WEAK``: a lower-case word that fits a pattern role but not a first name's ("по" and "нам"
#   are pymorphy3 surnames). Every pattern a lower-case run may use holds a first name, so such
#   a word is left out unless a lower-case word of the text may be one (``_LOWER_FIRST``).
# * ``_OPENER``: a capitalised word that fits no pattern role, is no first name and that
#   ``_wants_ner`` explains where it opens a sentence (``_explained_opening``: "Здравствуйте",
#   "Оплатил"): left out there.
# A word right after a place cue is always kept (``_wants_ner`` reads the place that follows).
_LEAVE, _KEEP, _CUE, _ALL, _WEAK, _OPENER, _LOWER_FIRST = range(7)


def _tokenize_lean(text: str) -> tuple[list[Token], int] | None:
    """The words of ``text`` that matter when it has no label word, and how many were left out.

    Left out are lower-case words that cannot be a name part, a label, a particle or a place cue
    (most words of prose), lower-case surname-like words in a text without a lower-case first
    name (``_WEAK``) and capitalised dictionary words opening a sentence (``_OPENER``). None of
    them can be part of a rule's match, none is a first name, and the NER test explains each of
    them; a left-out word between two words splits their run as the word itself did (the gap is
    not blank), and so it breaks a place named after a cue (``_wants_ner``). The NER test needs
    only their number (none is in capitals). None when a word may start a label or is a Kazakh
    particle (the values and ``Серик улы`` need the neighbouring words): read them all.
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
    drop_weak = _LOWER_FIRST not in leans
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
                if after_cue or not (
                    (lean == _WEAK and drop_weak)
                    or (lean == _OPENER and _sentence_start(text, start))
                ):
                    append(Token(start, end, roles, case, folded, can))
                after_cue = lean == _CUE
            if not (after_cue and i < last and leans[i + 1] == _LEAVE):
                break
            i += 1  # "ул. абая": the word after a cue is read whatever it is
    return tokens, len(words) - len(tokens)


def _sentence_start(text: str, start: int) -> bool:
    """Whether a word at ``start`` opens the text or a sentence as ``_wants_ner`` reads it: only
    blanks, quotes and brackets between it and the text's start or one of ``.!?\n:`` within
    three characters before it."""
    before = text[max(0, start - 3) : start].rstrip(" \t\"«'(")
    return not before or before[-1] in ".!?\n:"


def _explained_opening(roles: frozenset[str], folded: str) -> bool:
    """Whether a capitalised word needs no NER where it opens a sentence: a common word, or a
    dictionary word that is no name in any reading ("Здравствуйте", "Видео")."""
    return COMMON in roles or (not roles & {FIRST, SURN, PATR} and _common_word(folded))


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
    elif case == "lower":
        lean = _LOWER_FIRST if FIRST in can else _WEAK
    elif (
        case in ("title", "mixed")
        and not can
        and FIRST not in roles
        and _explained_opening(roles, folded)
    ):
        lean = _OPENER
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
