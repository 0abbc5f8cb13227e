"""Texts that provably hold no name, told cheaply: no blank and no word that a label or a
particle starts (e-mails, URLs). Each test says why nothing it skips could be a name; the
tests in ``tests/test_person_fastpath.py`` compare them with the full path on random texts.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pdaudit.recognizers.person.lexicons import _LOOKALIKE_FOLD, _label_first_words, _lexicons
from pdaudit.recognizers.person.tokens import _ALL, MAX_SHORT_WORDS, _word_info, _words_re

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
