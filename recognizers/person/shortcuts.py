"""Texts decided cheaply: those that provably hold no name (no blank and no word that a label
or a particle starts: e-mails, URLs) and values that are one plain name ("Иванов Иван
Иванович"). Each test says why the full path finds the same; the tests in
``tests/test_person_fastpath.py`` compare them with the full path on random texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

from pdaudit.recognizers.person.lexicons import _LOOKALIKE_FOLD, _label_first_words, _lexicons
from pdaudit.recognizers.person.patterns import Match, _match_roles
from pdaudit.recognizers.person.rules import _not_a_person
from pdaudit.recognizers.person.tokens import (
    _ALL,
    _BMP_LETTER,
    _INFO,
    MAX_SHORT_WORDS,
    _info,
    _word_info,
    _words_re,
)

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


def _ascii_nameless_each(texts: Sequence[str]) -> list[bool]:
    """``_ascii_nameless`` of each text (False for what is no ``str``), told over the batch's
    texts joined when they are all ASCII: a column of e-mails is cleared in a few C calls.

    The texts are joined by a NUL, which is no letter and no blank: it ends a letter run as any
    other separator does, so the joined texts' runs are the texts' runs. When no run of the
    whole is active and no character became a NUL (a capital or a blank), every text is
    cleared; else each text's runs are read apart, cut at the joining NULs (written as 0x80,
    which no ASCII text holds).
    """
    try:
        ascii_texts = list(map(str.isascii, texts))
    except TypeError:  # a text that is no str
        return [isinstance(t, str) and _ascii_nameless(t) for t in texts]
    if not any(ascii_texts):  # Cyrillic addresses, names, messages
        return ascii_texts
    if not all(ascii_texts):
        return [a and _ascii_nameless(t) for a, t in zip(ascii_texts, texts, strict=True)]
    joined = "\0".join(texts).encode()
    runs = joined.translate(_ASCII_RUNS)
    if b"\0" not in runs and _ascii_active().isdisjoint(runs.split()):
        return [True] * len(texts)
    parts = joined.translate(_ASCII_RUNS_CUT).split(b"\x80")
    if len(parts) != len(texts):  # a text holds a NUL of its own
        return [_ascii_nameless(t) for t in texts]
    active = _ascii_active()
    return [b"\0" not in part and active.isdisjoint(part.split()) for part in parts]


def _ascii_runs_table(cut: bool = False) -> bytes:
    """``_ascii_nameless``'s table: letters stay, capitals and blanks become a NUL, the rest
    a blank; with ``cut``, a NUL becomes 0x80 (``_ascii_nameless_each``)."""
    table = bytearray(b" " * 256)
    for code in range(128):
        ch = chr(code)
        if ch.isspace() or ch.isupper():  # str.isspace is re's \s
            table[code] = 0
        elif ch.isalpha():
            table[code] = code
    if cut:
        table[0] = 0x80
    return bytes(table)


_ASCII_RUNS = _ascii_runs_table()
_ASCII_RUNS_CUT = _ascii_runs_table(cut=True)


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


#: A short value of plain words and single blanks ("Иванов Иван Иванович", "ким анна мараткызы"):
#: two to five runs of letters (``tokens._BMP_LETTER``), nothing else.
_PLAIN_WORDS = re.compile(rf"{_BMP_LETTER}+(?: {_BMP_LETTER}+){{1,{MAX_SHORT_WORDS - 1}}}")


def _plain_name(text: str) -> Match | None:
    """The one name of a value that is a name pattern over all of its plain words (most cells of
    a name column: "Фамилия Имя Отчество" in any case), or None: the full path decides.

    Such a value's words are its tokens (no hyphen, dot or initial) and, with no label word and
    no particle among them (``_ALL``) and one case style (lower case or not), they make one run;
    five words or fewer never go to natasha. When the patterns match that run as one name, the
    full path keeps the match unless it starts with a cue word or is no person (the same tests
    here), and the addressed names find nothing outside it. The place and title test never drops
    it: it reads the words before and after the name, and a value that is the name has none.
    """
    if not _PLAIN_WORDS.fullmatch(text):
        return None
    words = text.split(" ")
    infos = [_INFO.get(w) or _info(w) for w in words]
    if any(info[5] == _ALL for info in infos):
        return None
    lower = [info[2] == "lower" for info in infos]
    if any(lower) and not all(lower):
        return None  # two runs
    cans = tuple(info[3] for info in infos)
    first = tuple(info[0] in _lexicons()["first"] for info in infos) if lower[0] else None
    found = _match_roles(cans, first)
    if len(found) != 1 or found[0][:2] != (0, len(words) - 1):
        return None
    _, _, score, evidence = found[0]
    end = len(text)
    if infos[0][0] in _lexicons()["name_before"] or _not_a_person(text, 0, end):
        return None  # "Атым Ерлан": ``_trim_cue`` cuts the cue word
    return Match(0, end, score, evidence)
