"""The natasha adapter: its ``NewsNERTagger`` (loaded once per process, on first use) and
the cleaning of its PER spans: split at line breaks, commas, bullets and spaced dashes, trimmed,
initials next to a span joined, one-word pieces that are dictionary words or places dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from pdaudit.recognizers.base import (
    fold,
)
from pdaudit.recognizers.person.lexicons import COMMON, STOP, _common_word, word_roles


@cache
def _ner():  # noqa: ANN202
    from natasha import NewsEmbedding, NewsNERTagger

    return NewsNERTagger(NewsEmbedding())


_INITIALS_BEFORE = re.compile(r"(?:(?<![\w.])[A-ZА-ЯЁ]\.\s?){1,2}$")
_INITIALS_AFTER = re.compile(r"^\s?[A-ZА-ЯЁ]\.(?:\s?[A-ZА-ЯЁ]\.)?(?!\w)(?!\s?[A-ZА-ЯЁ][a-zа-яё])")
_TRIM = " \t\r\n.,;:!?\"'«»()[]{}—–-/\\|"
#: Where natasha's PER span holds two names or a name and the next line's first word: a line
#: break, a comma, a list bullet or a dash between blanks ("Овечкин, Фёдоров", "Топалов —
#: Нисипяну 1:0"). A bracket stays inside: a name with
#: its spelling in brackets, "Джордж Осборн (George Osborne)", is one span in Collection5.
#: Also at a conjunction between two names ("Бекжан мен Аслан",
#: "Петров и Сидоров"), at an abbreviation in brackets ("(ЧСР)") and at a word with a digit ("Формулы-1").
#: A one-word name and a Cyrillic word in brackets: two people ("Хитли (Гецлаф)"); "Сергей
#: Евгеньевич (Нарышкин)" and a Latin spelling in brackets ("(George Osborne)") stay one span.
_BRACKETED = re.compile(r"[^\W\d_][\w-]*([ \t]*\()[а-яёА-ЯЁәғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_NER_SPLIT = re.compile(
    r"\n|[ \t]*[,;•][ \t]*|[ \t]+[—–][ \t]+"
    r"|[ \t]+(?:и|или|либо|мен|және)[ \t]+|[ \t]*\([А-ЯЁ]{2,6}\)"
    r"|[^\s()]*\d[^\s()]*"
)


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
    if len(pieces) == 1 and (m := _BRACKETED.match(text, start, end)):
        pieces = [(start, m.start(1)), (m.end(1), end)]
    elif len(pieces) == 1 and text.count(" ", start, end) >= 3:
        pieces = _split_repeated(text, start, end)
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


def _split_repeated(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span of two names that begin with one surname ("Кима Чен Ира Ким Ир Сен"), split before
    the word that repeats an earlier one (the same word, or one in another case)."""
    words = [(m.start() + start, fold(m.group())) for m in re.finditer(r"\S+", text[start:end])]
    for j in range(2, len(words)):
        w = words[j][1]
        if len(w) < 3 or not text[words[j][0]].isupper() or j == len(words) - 1:
            continue  # not "бен ... бен", nor "Али Абдель Карим Али"
        for _, v in words[: j - 1]:
            short, long_ = sorted((v, w), key=len)
            if long_.startswith(short) and len(long_) - len(short) <= 2:
                return [(start, words[j][0]), (words[j][0], end)]
    return [(start, end)]


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
