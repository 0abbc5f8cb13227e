"""IP addresses (IPv4 and IPv6), validated with :mod:`ipaddress`.

A dotted quad is an address only where it stands alone: not inside a longer dotted run (an OID,
``1.2.3.4.5``), not glued to a letter (``v1.2.3.4``, ``1.2.3.4-beta``, ``Chrome/1.2.3.4``) and
not a version or a section number: the nearest of the three words before it that says IP or
version decides (``версия клиента 3.4.1.7`` and ``OpenSSL 3.0.13.1`` are versions, ``IP клиента
10.2.3.4`` an address), and a field named ``version``/``build`` holds versions unless the text says
IP. Short IPv6 forms (``fe80::1``, ``::1``) count only with an IP word in the text or field name.
Loopback, unspecified, multicast and other special-purpose addresses are reported with a low
score: they point at no person.

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
    find_context,
    fold,
    load_words,
    longest_first,
    make_result,
    remember,
)

ENTITY = "IP_ADDRESS"

IPV4 = re.compile(r"(?<![\w.\-])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|-\w|\.\d)")
IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?"
    r"(?![\w:]|\.\d)"
)
# What any address the patterns find and ``ipaddress`` accepts has in it: four dotted numbers, or an
# IPv6 address's "::" or, written out in full, a colon and five more groups each ended by one
# ("12:30:45" has neither). ``might_contain`` searches the two halves apart, each opening with a
# plain character (the regex engine skips to it); the IPv4 half checks the digit before its dot
# by a look-behind.
_MIGHT = re.compile(r"\d\.\d{1,3}\.\d{1,3}\.\d|:(?::|(?:[0-9A-Fa-f]{1,4}:){5})")
_MIGHT_V4 = re.compile(r"\.(?<=\d\.)\d{1,3}\.\d{1,3}\.\d")
_MIGHT_V6 = re.compile(r":(?::|(?:[0-9A-Fa-f]{1,4}:){5})")
_GROUPS = re.compile(r"[:.]")
_WORDS_BEFORE = 3  # how many words before an address may make it a version
_WORD_EDGES = ":#№=()[]\"'«»"

SCORE_PATTERN = 0.75
SCORE_IPV6 = 0.8
SCORE_SHORT = 0.5  # every octet a single digit: as likely a section number as an address
SCORE_SPECIAL = 0.4


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


class IpAddressRecognizer(ContextRecognizer):
    """IPv4 and IPv6 addresses, scored up by an IP word in the text or field name."""

    ENTITY = ENTITY
    CONTEXT = "context_ip_address"
    FIELD_CONTEXT = "context_ip_address_field"

    def load(self) -> None:
        """Read the IP words and the words that make a number a version."""
        super().load()
        self.negative = load_words("context_ip_address_negative") | load_words(
            "context_ip_address_products"
        )
        self.field_negative = longest_first("context_ip_address_field_negative")

        self._fields: dict[tuple[str, ...], tuple[str | None, str | None]] = {}

    def might_contain(self, text: str) -> bool:
        """False only for a text that holds no address (a quick test before ``analyze``).

        >>> r = IpAddressRecognizer()
        >>> r.might_contain("2024-03-05 12:34:56"), r.might_contain("fe80::1")
        (False, True)
        """
        if not isinstance(text, str):
            return False
        # ``_MIGHT``, half by half, each only in a text that holds its opening character.
        if "." in text and _MIGHT_V4.search(text) is not None:
            return True
        return ":" in text and _MIGHT_V6.search(text) is not None

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
        """Start, end, IP version and whether the form is too short to count without context."""
        found = [(m.start(), m.end(), 4, False) for m in IPV4.finditer(text)]
        for m in IPV6.finditer(text):
            groups = [g for g in _GROUPS.split(m.group()) if g]
            # "abc::def" or "12:30:45" are not addresses worth a guess; "fe80::1" is with context
            if any(ch.isdigit() for ch in m.group()) and (len(groups) >= 3 or "::" in m.group()):
                found.append((m.start(), m.end(), 6, len(groups) < 3))
        return found

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
            value = text[start:end]
            if not is_valid(value) or self.is_version(text, start):
                continue
            said = find_context(text, start, end, self.words, before=30)
            if (short or versions) and not (said or named):
                continue
            where = scope(value)
            evidence = self.evidence(said, named)
            if where == "special":
                score = SCORE_SPECIAL
                evidence.append("special-purpose address")
            elif said or named:
                score = self.score(said, named)
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
