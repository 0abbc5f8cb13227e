"""Which search patterns read digits, and the digit shapes of texts (``Searches`` in
``pdaudit.scanner.analysis`` runs the digit-blind patterns over the shapes).

A pattern that cannot tell one ASCII digit from another selects a text exactly when it selects
the text's digit shape; ``digit_blind_parts`` reads a pattern's text to tell, conservatively.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import accumulate, count
from typing import NamedTuple

import numpy as np

# A pattern that cannot tell one ASCII digit from another (it names digits only as ``\d``,
# ``[0-9]``, ``\w``, ``.``, classes holding all of 0-9 or none of them) matches a text exactly
# when it matches the text's digit shape (every ASCII digit written as "0": lengths and every
# other character unchanged). ``digit_blind_parts`` decides that from the pattern's text,
# conservatively: what it cannot read counts as reading digits.

_DIGITS = frozenset("0123456789")
#: Escapes that stand for a class: whether it holds the ASCII digits (all of them, or none).
_SET_ESCAPES = {"d": True, "D": False, "w": True, "W": False, "s": False, "S": True}
#: Escapes that read no character (outside a class).
_EMPTY_ESCAPES = frozenset("bBAz")
_CONTROL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_CODE_ESCAPE = re.compile(
    r"x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|[xuU]\{([0-9A-Fa-f]{1,8})\}"
)
_QUANTIFIER = re.compile(r"\{[0-9]+(?:,[0-9]*)?\}")
_GROUP = re.compile(r"\?(?::|P?<[A-Za-z_][A-Za-z0-9_]*>|([imsUuR-]*)(:|\)))")


class _Unread(Exception):
    """A construct the digit check does not read (it then counts as reading digits)."""


def _escape(pattern: str, i: int) -> tuple[str | bool | None, int]:
    """The escape at ``pattern[i]`` (the backslash): a character, a class escape's ``True`` or
    ``False`` (holds the ASCII digits or none of them), or ``None`` (reads no character); and the
    index after it."""
    if i + 1 >= len(pattern):
        raise _Unread
    c = pattern[i + 1]
    if c in _SET_ESCAPES:
        return _SET_ESCAPES[c], i + 2
    if c in _EMPTY_ESCAPES:
        return None, i + 2
    if c in _CONTROL_ESCAPES:
        return _CONTROL_ESCAPES[c], i + 2
    code = _CODE_ESCAPE.match(pattern, i + 1)
    if code:
        value = int(next(g for g in code.groups() if g is not None), 16)
        if value > 0x10FFFF:
            raise _Unread
        return chr(value), code.end()
    if not (c.isascii() and c.isalnum()):  # an escaped punctuation mark, or any non-ASCII one
        return c, i + 2
    raise _Unread  # \p{..}, back-references, octal, anything else


def _class(pattern: str, i: int) -> tuple[bool, int]:
    """Whether the character class at ``pattern[i]`` (its "[") tells ASCII digits apart (it
    holds some of them, not all); and the index after it."""
    i += 1
    if pattern.startswith("^", i):
        i += 1
    held: set[str] = set()
    first = True
    while True:
        if i >= len(pattern):
            raise _Unread
        c = pattern[i]
        if c == "]" and not first:
            i += 1
            break
        first = False
        if c == "[" or pattern.startswith(("&&", "--", "~~"), i):
            raise _Unread  # nested classes, set operations
        item: str | bool | None
        if c == "\\":
            item, i = _escape(pattern, i)
            if item is None:
                raise _Unread  # \b in a class is a backspace in Python, an error elsewhere
        else:
            item, i = c, i + 1
        if isinstance(item, bool):
            if item:
                held |= _DIGITS
            continue
        if pattern.startswith("-", i) and i + 1 < len(pattern) and pattern[i + 1] != "]":
            end: str | bool | None
            if pattern[i + 1] == "\\":
                end, i = _escape(pattern, i + 1)
            else:
                end, i = pattern[i + 1], i + 2
            if not isinstance(end, str) or end < item:
                raise _Unread
            held |= {d for d in _DIGITS if item <= d <= end}
        elif item in _DIGITS:
            held.add(item)
    return len(held) not in (0, len(_DIGITS)), i


class _Reading(NamedTuple):
    """What ``_read`` finds in a pattern."""

    #: the top-level alternatives, as (start, end, whether it tells ASCII digits apart)
    branches: list[tuple[int, int, bool]]
    #: the spans of the atoms that tell digits apart (a digit, a class holding some digits)
    atoms: list[tuple[int, int]]
    #: a top-level "(?i)" reaches across "|": the branches cannot be taken apart
    whole: bool


def _read(pattern: str) -> _Reading:
    """Read the pattern for ``digit_blind_parts`` and ``digit_superset``; raises ``_Unread``."""
    branches: list[tuple[int, int, bool]] = []
    atoms: list[tuple[int, int]] = []
    start, depth, i, whole = 0, 0, 0, False
    reads = False
    while i < len(pattern):
        c, at = pattern[i], i
        if c == "\\":
            item, i = _escape(pattern, i)
            if item in _DIGITS:
                atoms.append((at, i))
                reads = True
        elif c == "[":
            told, i = _class(pattern, i)
            if told:
                atoms.append((at, i))
                reads = True
        elif c == "(":
            i += 1
            if pattern.startswith("?", i):
                group = _GROUP.match(pattern, i)
                if group is None:
                    raise _Unread  # look-arounds, comments, unknown flags ("x" re-reads it)
                i = group.end()
                if group.group(2) == ")":
                    whole = whole or depth == 0
                    continue
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                raise _Unread
            i += 1
        elif c == "{":
            quantifier = _QUANTIFIER.match(pattern, i)
            if quantifier is None:
                raise _Unread
            i = quantifier.end()
        elif c == "|" and depth == 0:
            branches.append((start, i, reads))
            start, reads, i = i + 1, False, i + 1
        else:
            i += 1
            if c in _DIGITS:
                atoms.append((at, i))
                reads = True
    if depth != 0:
        raise _Unread
    branches.append((start, len(pattern), reads))
    return _Reading(branches, atoms, whole)


def digit_blind_parts(pattern: str) -> tuple[str | None, str | None]:
    """The pattern as two: its top-level alternatives that cannot tell one ASCII digit from
    another (they select a text exactly when they select its digit shape), and the others
    (``None``: none). Whatever the check cannot read goes to the others, whole.

    >>> digit_blind_parts(r"(?:^|[^0-9])[0-9]{12}(?:$|[^0-9])")
    ('(?:^|[^0-9])[0-9]{12}(?:$|[^0-9])', None)
    >>> digit_blind_parts("(?:19|20)[0-9][0-9]|[0-9]{2}[.][0-9]{2}")
    ('[0-9]{2}[.][0-9]{2}', '(?:19|20)[0-9][0-9]')
    >>> digit_blind_parts("(?<![0-9])[0-9]")  # a look-behind: not read
    (None, '(?<![0-9])[0-9]')
    """
    try:
        reading = _read(pattern)
    except _Unread:
        return None, pattern
    if reading.whole:
        return (None, pattern) if reading.atoms else (pattern, None)
    blind = [pattern[a:b] for a, b, reads in reading.branches if not reads]
    told = [pattern[a:b] for a, b, reads in reading.branches if reads]
    return ("|".join(blind) if blind else None), ("|".join(told) if told else None)


def digit_superset(pattern: str) -> str | None:
    """A digit-blind pattern that matches every text the pattern matches: each digit becomes
    ``[0-9]``, and each class holding some digits holds all of them ("[01]" becomes "[0-901]");
    ``None`` when the check cannot read the pattern or it has a negated class holding some
    digits (or a class starting with "]" or "-").

    >>> digit_superset("(?:19|20)[0-9][0-9]|[01][0-9]")
    '(?:[0-9][0-9]|[0-9][0-9])[0-9][0-9]|[0-901][0-9]'
    """
    try:
        atoms = _read(pattern).atoms
    except _Unread:
        return None
    out, last = [], 0
    for a, b in atoms:
        atom = pattern[a:b]
        if atom.startswith("["):
            if atom[1] in "^]-":
                return None
            atom = "[0-9" + atom[1:]
        else:
            atom = "[0-9]"
        out += [pattern[last:a], atom]
        last = b
    out.append(pattern[last:])
    return "".join(out)


def reads_digits(pattern: str) -> bool:
    r"""Whether the pattern may tell one ASCII digit from another (a literal digit outside a
    ``{n,m}`` quantifier, a character class holding some digits but not all, a code escape
    naming a digit, or anything the check does not read).

    >>> [reads_digits(p) for p in (r"\d{4}", "[0-9A-F]{2}", "[^0-9 -]", "19", "[4-6]", r"\x35")]
    [False, False, False, True, True, True]
    """
    return digit_blind_parts(pattern)[1] is not None


#: UTF-8 bytes: the ASCII digits 1-9 as "0" (no byte of a multi-byte character is ASCII).
_ZEROS = bytes.maketrans(b"123456789", b"000000000")


def distinct_shapes(texts: Sequence[str]) -> tuple[list[str], np.ndarray | None]:
    """The distinct digit shapes of ``texts`` (every ASCII digit written as "0"), in order of
    first appearance, and each text's index among them; ``None`` for the indexes when no text
    holds a digit 1-9 (the shapes are then the texts). Raises ``UnicodeEncodeError`` for a text
    with a lone surrogate.

    >>> distinct_shapes(["a1", "b", "a7", "٣ 9"])
    (['a0', 'b', '٣ 0'], array([0, 1, 0, 2]))
    >>> distinct_shapes(["900101300126", "851231400125"])
    (['000000000000'], array([0, 0]))
    """
    joined = "\x00".join(texts)
    encoded = joined.encode()
    shaped = encoded.translate(_ZEROS)
    if shaped == encoded:
        return list(texts), None
    text = shaped.decode()  # the same code points but the digits: the same offsets
    n = len(texts)
    if joined.count("\x00") == n - 1:  # no text holds a NUL: split at the joints
        first = text[: text.find("\x00")] if n > 1 else text
        if len(text) == n * (len(first) + 1) - 1 and text == "\x00".join([first] * n):
            # One shape (ИИН, time stamps): no split, no dict.
            return [first], np.zeros(n, dtype=np.intp)
        shapes = text.split("\x00")
    else:
        ends = list(accumulate(k + 1 for k in map(len, texts)))
        shapes = list(map(text.__getitem__, map(slice, [0, *ends[:-1]], [e - 1 for e in ends])))
    index = dict(zip(dict.fromkeys(shapes), count()))  # shape -> its number, in C
    codes = np.fromiter(map(index.__getitem__, shapes), dtype=np.intp, count=n)
    return list(index), codes


__all__ = ["digit_blind_parts", "digit_superset", "distinct_shapes", "reads_digits"]
