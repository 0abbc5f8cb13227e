"""Labelled layouts: ID cards, passports and forms read by their labels.

"Фамилия:", "Тегі", "Surname", "Аты", "ФИО:" (``recognizers/data/person_labels.txt``, OCR's
look-alike letters folded): the value after a label's colon, or under a label alone on its line,
is a name part whatever the lexicons say. Label words split the rules' runs and are cut out of
natasha's spans.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from pdaudit.recognizers.base import (
    fold,
    load_words,
)
from pdaudit.recognizers.person.lexicons import (
    _CYRILLIC,
    FIRST,
    PART,
    PATR,
    STOP,
    SURN,
    _may_start_label,
)
from pdaudit.recognizers.person.patterns import Match
from pdaudit.recognizers.person.rules import _inside, rule_matches
from pdaudit.recognizers.person.tokens import Token, tokenize

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
