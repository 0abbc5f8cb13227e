"""IP addresses (IPv4 and IPv6), validated with :mod:`ipaddress`.

A dotted quad is an address only where it stands alone: not inside a longer dotted run (an OID,
``1.2.3.4.5``, but see below), not glued to a letter (``v1.2.3.4``, ``1.2.3.4-beta``, ``Chrome/1.2.3.4``) and
not a version or a section number: the nearest of the three words before it that says IP or
version decides (``версия клиента 3.4.1.7`` and ``OpenSSL 3.0.13.1`` are versions, ``IP клиента
10.2.3.4`` an address), and a field named ``version``/``build`` holds versions unless the text says
IP. Loopback, unspecified, multicast and other special-purpose addresses are reported with a low
score: they point at no person (the bare unspecified address ``::`` lowest of all).

Spans follow Presidio's: a CIDR prefix (``192.168.1.0/24``, ``2001:db8::/32``) and an IPv6 zone id
(``fe80::1%eth0``) belong to the span; a prefix out of range (``10.0.0.0/123``) does not. A run of
five dotted numbers is an address and a fifth number when its first four hold a three-digit
octet (``192.168.1.1.1``); OIDs and versions (``1.3.6.1.4``, ``3.0.13.1.2``) have small parts.

>>> validate("192.168.001.1")
Traceback (most recent call last):
    ...
stdnum.exceptions.InvalidFormat: The number has an invalid format.
>>> validate(" 2001:DB8::1 ")
'2001:db8::1'
"""

from __future__ import annotations

import ipaddress
import re

from presidio_analyzer import RecognizerResult
from stdnum.exceptions import InvalidFormat

from pdaudit.recognizers.base import (
    ContextRecognizer,
    Search,
    find_context,
    fold,
    load_words,
    longest_first,
    make_result,
    remember,
)

ENTITY = "IP_ADDRESS"

_PREFIX_V4 = r"(?:/(?:3[0-2]|[12]?[0-9]))?"
_PREFIX_V6 = r"(?:/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9]))?"
IPV4 = re.compile(r"(?<![\w.\-])(?:\d{1,3}\.){3}\d{1,3}" + _PREFIX_V4 + r"(?![\w]|-\w|\.\d)")
# The first four numbers of a run of exactly five ("192.168.1.1.1").
IPV4_OF_FIVE = re.compile(r"(?<![\w.\-])(?:\d{1,3}\.){3}\d{1,3}(?=\.\d{1,3}(?![\w]|-\w|\.\d))")
IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?"
    r"(?:%[0-9A-Za-z]+)?" + _PREFIX_V6 + r"(?![\w:]|\.\d)"
)
# What any address the patterns find and ``ipaddress`` accepts has in it: four dotted numbers, or an
# IPv6 address's "::" or, written out in full, a colon and five more groups each ended by one
# ("12:30:45" has neither): the recognizer's search.
_SEARCH = r"\d\.\d{1,3}\.\d{1,3}\.\d|:(?::|(?:[0-9A-Fa-f]{1,4}:){5})"
_GROUPS = re.compile(r"[:.]")
_WORDS_BEFORE = 3  # how many words before an address may make it a version
_WORD_EDGES = ":#№=()[]\"'«»"

SCORE_PATTERN = 0.75
SCORE_IPV6 = 0.8
SCORE_SHORT = 0.5  # every octet a single digit: as likely a section number as an address
SCORE_SPECIAL = 0.4
SCORE_UNSPECIFIED = 0.1  # "::" alone: Presidio's score too; below the scan's floor of 0.4


def address_part(span: str) -> str:
    """The address of a span without its CIDR prefix and zone id.

    >>> address_part("fe80::1%eth0/64"), address_part("10.0.0.0/8")
    ('fe80::1', '10.0.0.0')
    """
    return span.partition("/")[0].partition("%")[0]


def compact(address: str) -> str:
    """Strip surrounding space and brackets (``[2001:db8::1]``).

    >>> compact(" [2001:db8::1] ")
    '2001:db8::1'
    """
    return str(address).strip().strip("[]")


def validate(address: str) -> str:
    """Return the address in its canonical form or raise ``InvalidFormat``.

    >>> validate("10.0.0.1")
    '10.0.0.1'
    """
    if not isinstance(address, str):
        raise InvalidFormat()
    try:
        return str(ipaddress.ip_address(compact(address)))
    except ValueError:
        raise InvalidFormat() from None


def is_valid(address: str) -> bool:
    """Whether ``address`` is an IPv4 or IPv6 address.

    >>> is_valid("256.1.1.1"), is_valid("8.8.8.8"), is_valid(None)
    (False, True, False)
    """
    try:
        return bool(validate(address))
    except ValueError:
        return False


def scope(address: str) -> str:
    """``"global"``, ``"private"`` or ``"special"`` (loopback, multicast, reserved, ...).

    >>> scope("10.1.2.3"), scope("127.0.0.1"), scope("93.184.216.34")
    ('private', 'special', 'global')
    """
    ip = ipaddress.ip_address(compact(address))
    if ip.is_loopback or ip.is_unspecified or ip.is_multicast or ip.is_link_local:
        return "special"
    if ip.is_reserved or (ip.version == 4 and str(ip) == "255.255.255.255"):
        return "special"
    return "global" if ip.is_global else "private"


def _separator(text: str, start: int, end: int) -> bool:
    """Whether a bare "::" stands between two words as a separator ("Главная :: Курсы").

    >>> _separator("Главная :: Курсы", 8, 10), _separator("src=:: dst=::1", 4, 6)
    (True, False)
    """
    before, after = text[:start], text[end:]
    return (
        before.endswith(" ")
        and bool(before.strip())
        and after.startswith(" ")
        and bool(after.strip())
    )


class IpAddressRecognizer(ContextRecognizer):
    """IPv4 and IPv6 addresses, scored up by an IP word in the text or field name."""

    ENTITY = ENTITY
    CONTEXT = "context_ip_address"
    FIELD_CONTEXT = "context_ip_address_field"
    SEARCH = Search(_SEARCH, min_len=2)

    def load(self) -> None:
        """Read the IP words and the words that make a number a version."""
        super().load()
        self.negative = load_words("context_ip_address_negative") | load_words(
            "context_ip_address_products"
        )
        self.field_negative = longest_first("context_ip_address_field_negative")

        self._fields: dict[tuple[str, ...], tuple[str | None, str | None]] = {}

    def _field(self, context: list[str] | None) -> tuple[str | None, str | None]:
        """The field name's IP word and version word, looked up once per field name."""
        if not context:
            return None, None
        key = tuple(context)
        found = self._fields.get(key)
        if found is None:
            named = super().field_word(context)
            versions = find_context("", 0, 0, self.field_negative, extra=context)
            found = remember(self._fields, key, (named, versions))
        return found

    def field_word(self, context: list[str] | None) -> str | None:
        """The field-name IP word among the field-name tokens ``context``, if any."""
        return self._field(context)[0]

    def _candidates(self, text: str) -> list[tuple[int, int, int, bool]]:
        """Start, end, IP version and whether the form is short (under three groups)."""
        found = [(m.start(), m.end(), 4, False) for m in IPV4.finditer(text)]
        for m in IPV4_OF_FIVE.finditer(text):
            if any(len(octet) == 3 for octet in m.group().split(".")):
                found.append((m.start(), m.end(), 4, False))
        for m in IPV6.finditer(text):
            address = address_part(m.group())
            if address == "::":
                if not _separator(text, m.start(), m.start() + 2):
                    found.append((m.start(), m.end(), 6, True))
                continue
            groups = [g for g in _GROUPS.split(address) if g]
            # "abc::def" or "12:30:45" are not addresses worth a guess; "fe80::1" is
            if any(ch.isdigit() for ch in address) and (len(groups) >= 3 or "::" in address):
                found.append((m.start(), m.end(), 6, len(groups) < 3))
        # The dotted quad at the end of "::ffff:192.168.1.0/96" is part of the IPv6 span.
        v6 = [(start, end) for start, end, version, _ in found if version == 6]
        if not v6:
            return found
        return [c for c in found if c[2] == 6 or not any(a <= c[0] and c[1] <= b for a, b in v6)]

    def is_version(self, text: str, start: int) -> bool:
        """Whether the words right before ``text[start:]`` make the number a version or section.

        >>> r = IpAddressRecognizer(); r.load()
        >>> r.is_version("версия клиента 3.4.1.7", 15), r.is_version("IP клиента 10.2.3.4", 11)
        (True, False)
        """
        if start >= 2 and text[start - 1] == "/" and text[start - 2].isalpha():
            return True  # a user agent: "Chrome/120.0.1.2"
        head = text[max(0, start - 40) : start]
        words = [fold(w.strip(_WORD_EDGES)) for w in head.split()][-_WORDS_BEFORE:]
        for word in reversed(words):
            if word in self.words:
                return False
            if word in self.negative or word.rstrip(",;") in self.negative:
                return True
            if word.endswith((",", ";")):
                break  # the clause before says nothing about this number
        return False

    def find(
        self, text: str, named: str | None, context: list[str] | None
    ) -> list[RecognizerResult]:
        """IP_ADDRESS results in a non-empty ``text``; ``named`` is the field-name word, if any."""
        versions = not named and self._field(context)[1]
        results = []
        for start, end, version, short in self._candidates(text):
            value = address_part(text[start:end])
            if not is_valid(value) or self.is_version(text, start):
                continue
            said = find_context(text, start, end, self.words, before=30)
            if versions and not (said or named):
                continue
            where = scope(value)
            evidence = self.evidence(said, named)
            if value == "::":
                score = SCORE_UNSPECIFIED
                evidence.append("special-purpose address")
            elif where == "special":
                score = SCORE_SPECIAL
                evidence.append("special-purpose address")
            elif said or named:
                score = self.score(said, named)
            elif short:
                score = SCORE_SHORT
            elif version == 6:
                score = SCORE_IPV6
            elif all(len(octet) == 1 for octet in value.split(".")):
                score = SCORE_SHORT
            else:
                score = SCORE_PATTERN
            results.append(
                make_result(ENTITY, start, end, score, self.name, evidence,
                            version=str(version), scope=where)
            )  # fmt: skip
        return sorted(results, key=lambda r: r.start)
