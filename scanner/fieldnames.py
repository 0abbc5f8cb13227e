"""What a field's name says: tokens of the name and the entity types it argues for or against.

A field name is evidence, never a verdict: ``udostoverenie_no`` makes a 9-digit value more likely
to be an identity-card number, ``sku`` makes it less likely, and neither creates a finding on its
own. Vocabularies are data files: ``recognizers/data/fieldnames_boost.txt`` and
``recognizers/data/fieldnames_suppress.txt``.

>>> tokenize("client.passportNo[0]")
['client', 'passport', 'no', '0']
>>> hints("Дата_рождения").boost
{'DATE_OF_BIRTH': 'рождения'}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pdaudit.recognizers.base import fold, load_words

_CHUNK = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class FieldHints:
    """Entity types a field name argues for (``boost``) or against (``suppress``).

    Each maps the entity type to the token (``_``-joined for phrases) that says so.
    """

    boost: dict[str, str] = field(default_factory=dict)
    suppress: dict[str, str] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)


def _split_chunk(chunk: str) -> list[str]:
    """Split one alphanumeric run at camelCase humps and letter/digit borders."""
    parts: list[str] = []
    current = ""
    for i, ch in enumerate(chunk):
        if current:
            prev = current[-1]
            nxt = chunk[i + 1] if i + 1 < len(chunk) else ""
            border = (
                prev.isdigit() != ch.isdigit()
                or (prev.islower() and ch.isupper())
                # the last capital of a run starts a new word: "IINNumber" -> IIN, Number
                or (prev.isupper() and ch.isupper() and nxt.islower())
            )
            if border:
                parts.append(current)
                current = ""
        current += ch
    if current:
        parts.append(current)
    return parts


def tokenize(name: str | None) -> list[str]:
    """Lower-cased words of a field name: snake_case, camelCase, kebab, JSON paths, Cyrillic.

    >>> tokenize("dateOfBirth")
    ['date', 'of', 'birth']
    >>> tokenize("IINNumber")
    ['iin', 'number']
    >>> tokenize("address2")
    ['address', '2']
    >>> tokenize("туған_күні")
    ['туған', 'күні']
    >>> tokenize(None)
    []
    """
    if not name or not isinstance(name, str):
        return []
    tokens: list[str] = []
    for chunk in _CHUNK.findall(name):
        tokens.extend(fold(part) for part in _split_chunk(chunk))
    return tokens


@dataclass(frozen=True)
class _Entry:
    tokens: tuple[str, ...]
    prefix: bool  # the last token matches any token that starts with it
    boost: tuple[str, ...]
    suppress: tuple[str, ...]


def _parse(name: str) -> dict[tuple[tuple[str, ...], bool], tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    lines = sorted(load_words(name))
    for line in lines:
        if line.startswith("@") and "=" in line:
            group, _, value = line.partition("=")
            groups[group.strip()] = value.upper().split()
    table: dict[tuple[tuple[str, ...], bool], tuple[str, ...]] = {}
    for line in lines:
        if line.startswith("@"):
            continue
        phrase, *types = line.split()
        expanded: list[str] = []
        for item in types:
            expanded.extend(groups.get(item, [item.upper()]))
        prefix = phrase.endswith("*")
        key = (tuple(phrase.rstrip("*").split("_")), prefix)
        table[key] = tuple(expanded)
    return table


@cache
def _vocabulary() -> tuple[_Entry, ...]:
    boost = _parse("fieldnames_boost")
    suppress = _parse("fieldnames_suppress")
    entries = [
        _Entry(tokens, prefix, boost.get((tokens, prefix), ()), suppress.get((tokens, prefix), ()))
        for tokens, prefix in set(boost) | set(suppress)
    ]
    # Longest phrase first; an exact entry before a prefix entry of the same length.
    entries.sort(key=lambda e: (-len(e.tokens), e.prefix, e.tokens))
    return tuple(entries)


def _matches(entry: _Entry, tokens: list[str], at: int) -> bool:
    n = len(entry.tokens)
    if at + n > len(tokens):
        return False
    if list(entry.tokens[:-1]) != tokens[at : at + n - 1]:
        return False
    last = tokens[at + n - 1]
    return last.startswith(entry.tokens[-1]) if entry.prefix else last == entry.tokens[-1]


def hints(name: str | None) -> FieldHints:
    """What the name of a field argues for and against; the first token to say so is kept.

    A type that the name both boosts and suppresses stays boosted (``order_phone`` is a phone).

    >>> h = hints("udostoverenie_no")
    >>> h.boost, h.suppress, h.tokens
    ({'KZ_ID_DOCUMENT': 'udostoverenie'}, {}, ['udostoverenie', 'no'])
    >>> hints("sku").suppress["KZ_ID_DOCUMENT"]
    'sku'
    """
    tokens = tokenize(name)
    boost: dict[str, str] = {}
    suppress: dict[str, str] = {}
    at = 0
    while at < len(tokens):
        entry = next((e for e in _vocabulary() if _matches(e, tokens, at)), None)
        if entry is None:
            at += 1
            continue
        said = "_".join(tokens[at : at + len(entry.tokens)])
        for entity in entry.boost:
            boost.setdefault(entity, said)
        for entity in entry.suppress:
            suppress.setdefault(entity, said)
        at += len(entry.tokens)
    suppress = {k: v for k, v in suppress.items() if k not in boost}
    return FieldHints(boost=boost, suppress=suppress, tokens=tokens)


__all__ = ["FieldHints", "hints", "tokenize"]
