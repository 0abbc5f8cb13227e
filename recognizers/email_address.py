"""E-mail addresses (адрес электронной почты / электрондық пошта мекенжайы).

Candidates are validated with ``email-validator`` (syntax only, no DNS), so internationalised
addresses such as ``иван@почта.рф`` count. Masked addresses (``i***@mail.kz``) and file names
such as ``icon@2x.png`` do not.

>>> [(r.start, r.end) for r in EmailRecognizer().analyze("почта: иван@почта.рф.", None)]
[(7, 20)]
>>> EmailRecognizer().analyze("i***@mail.kz", None)
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

from pdaudit.recognizers.base import Candidate, Search, ValidatedRecognizer

ENTITY = "EMAIL_ADDRESS"

#: The longest local part ``_CANDIDATE`` takes: a match starts at most this far before its "@".
_LOCAL_MAX = 64
# The local part may not follow mask or address characters: "i***@mail.kz" is no address.
_CANDIDATE = re.compile(
    rf"(?<![\w.+%*#•'-])[\w.+%'-]{{1,{_LOCAL_MAX}}}@[\w-]{{1,63}}(?:\.[\w-]{{1,63}}){{1,8}}(?![\w@*])"
)
_FILE_SUFFIXES = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "pdf"})


def is_valid(address: str) -> bool:
    """Whether ``address`` is a syntactically valid e-mail address.

    >>> is_valid('user@пример.қаз'), is_valid('icon@2x.png'), is_valid(None)
    (True, False, False)
    """
    if not isinstance(address, str) or address.rsplit(".", 1)[-1].lower() in _FILE_SUFFIXES:
        return False
    local, _, domain = address.rpartition("@")
    if len(address) <= _MAX_LENGTH and domain.isascii() and _PLAIN_LOCAL.match(local):
        # A plain dot-atom local part is always valid, so the domain decides; domains repeat.
        return _domain_is_valid(domain)
    return _validate(address)


# A local part of letters and digits joined by single ".", "_", "+" or "-": RFC 5322 dot-atom
# text that email-validator always accepts (kept to 64 characters; longer ones take the long way).
_PLAIN_LOCAL = re.compile(r"(?=.{1,64}\Z)[A-Za-z0-9]+(?:[._+-][A-Za-z0-9]+)*\Z")
# email-validator's limit on a whole address (its ASCII form; the domain here is ASCII).
_MAX_LENGTH = 254


@lru_cache(maxsize=4096)
def _domain_is_valid(domain: str) -> bool:
    return _validate("a@" + domain)


def _validate(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except (EmailNotValidError, ValueError, TypeError):
        return False
    return True


class EmailRecognizer(ValidatedRecognizer):
    """Finds e-mail addresses; a syntactically valid one scores 1.0."""

    ENTITY = ENTITY
    CONTEXT = "context_email_address"
    PROOF = "syntax"
    #: Every candidate holds "@": one character before it, three after ("a@b.kz").
    SEARCH = Search("@", min_len=5)
    PLAIN_SHARED = True

    def candidates(self, text: str) -> Iterator[Candidate]:
        """Address-shaped tokens: ``_CANDIDATE.finditer``, each search started at most
        ``_LOCAL_MAX`` characters before the next "@" (``_candidates``)."""
        return _candidates(text)

    def validate_result(self, value: str) -> bool:
        """A syntactically valid address is proven."""
        return is_valid(value)

    def plain_validity(self, texts: Sequence[str]) -> list[bool | None]:
        """A text that is one address and nothing else (an e-mail column): ``whole_validity``."""
        return whole_validity(texts)


def _candidates(text: str) -> Iterator[Candidate]:
    """``_CANDIDATE.finditer(text)`` without trying every position of a long text.

    A match holds exactly one "@", at most ``_LOCAL_MAX`` characters after its start, so none
    starts more than that before the first "@" at or after where the last one ended: the search
    starts there (a search from a position still sees the characters before it, as the
    look-behind needs), and stops when no "@" is left. Over a 300-character message with one
    address: 2 against 14 us (``finditer`` tries the local part at every word's every letter).

    >>> [c.value for c in _candidates("Пишите: a@b.kz, c.d@e.kz; i***@mail.kz")]
    ['a@b.kz', 'c.d@e.kz']
    """
    search = _CANDIDATE.search
    end = 0
    at = text.find("@")
    while at != -1:
        match = search(text, max(end, at - _LOCAL_MAX))
        if match is None:
            return
        end = match.end()
        yield Candidate(match.start(), end, match.group())
        at = text.find("@", end)


def whole_validity(texts: Sequence[str]) -> list[bool | None]:
    """Per text, ``is_valid`` of a text that is one candidate address and nothing else (the
    candidate search's first match is the whole text, so it is its only one); ``None`` for
    any other.

    >>> whole_validity(["ivan@mail.kz", "icon@2x.png", "почта: ivan@mail.kz", "i***@mail.kz"])
    [True, False, None, None]
    """
    plain = _PLAIN_WHOLE.fullmatch
    match = _CANDIDATE.match
    out: list[bool | None] = []
    append = out.append
    for t in texts:
        if (m := plain(t)) is not None and len(t) <= _MAX_LENGTH:
            append(_plain_domain_is_valid(m.group(1)))
        elif (m := match(t)) is not None and m.end() == len(t):
            append(is_valid(t))
        else:
            append(None)
    return out


# A whole text that is a plain address (most of an e-mail column): the dot-atom local part of
# ``_PLAIN_LOCAL``, "@" and an ASCII domain that ``_CANDIDATE`` takes whole (2-9 labels of at
# most 63 characters). ``_CANDIDATE`` matches such a text start to end, and ``is_valid`` (up
# to ``_MAX_LENGTH`` characters) is its domain's ``_plain_domain_is_valid``: one regex instead
# of two and the rest looked up per domain (0.8 against 1.4 us an address).
_PLAIN_WHOLE = re.compile(
    rf"(?=[^@]{{1,{_LOCAL_MAX}}}@)[A-Za-z0-9]+(?:[._+-][A-Za-z0-9]+)*@"
    r"([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8})"
)


@lru_cache(maxsize=4096)
def _plain_domain_is_valid(domain: str) -> bool:
    """``is_valid`` of a plain address with this ASCII domain (``_PLAIN_WHOLE``): not a file
    name's suffix, and a domain email-validator takes."""
    return domain.rsplit(".", 1)[-1].lower() not in _FILE_SUFFIXES and _domain_is_valid(domain)
