"""The orders people write names in, as a table of word roles, and the matcher over a run.

``F`` a first name, ``S`` a surname, ``P`` a patronymic, ``I`` an initial, ``X`` a capitalised
word that is neither a dictionary word nor a stop word, ``A`` an adjective that is also a
surname ("Клинский"), only after a first name or initials. Patterns are tried longest first at each
position of a run; the last column says whether a lower-case run may use it (lower-case first
names must be lexicon entries). To add an order, add a row: ``tests/test_person.py`` shows the
spans each pattern must give.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from pdaudit.recognizers.person.lexicons import FIRST, _lexicons
from pdaudit.recognizers.person.tokens import Token

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
    (("F", "A"), 0.9, ("lexicon: first name", "surname"), False),
    (("X", "P"), 0.8, ("patronymic",), False),
    (("S", "I"), 0.85, ("surname", "initials"), False),
    (("I", "S"), 0.85, ("initials", "surname"), False),
    (("I", "A"), 0.85, ("initials", "surname"), False),
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
_X_ONLY = frozenset({"X"})


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
    i = 0
    while i < len(cans):
        here = _match_at(cans, first, i)
        if here is None:
            i += 1
            continue
        n, score, _ = here
        # A weak match opened by an unknown word (``X`` only) gives way to a stronger one at
        # the next word that reaches as far: "Оқушы Төлеген Назерке" is not "X F" + "F",
        # "Microsoft Б.Гейтсом" not "X I" + "S".
        if (
            score < STRONG
            and cans[i] == _X_ONLY
            and (nxt := _match_at(cans, first, i + 1))
            and nxt[1] > score
            and nxt[0] >= n
        ):
            i += 1
            continue
        found.append((i, i + n - 1, score, here[2]))
        i += n
    return tuple(found)


def _match_at(
    cans: tuple[frozenset[str], ...], first: tuple[bool, ...] | None, i: int
) -> tuple[int, float, tuple[str, ...]] | None:
    """The first pattern (longest first) that matches at word ``i``: its length, score and
    evidence."""
    if i >= len(cans) or not cans[i]:
        return None
    lower = first is not None
    for roles, score, evidence, in_lower in PATTERNS:
        n = len(roles)
        if i + n > len(cans) or (lower and not in_lower):
            continue
        if not all(r in cans[i + k] for k, r in enumerate(roles)):
            continue
        if first is not None and any(r == FIRST and not first[i + k] for k, r in enumerate(roles)):
            continue
        return n, score, evidence
    return None
