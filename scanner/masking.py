"""Masking and keyed hashing: the only forms in which a personal value may leave the scanner."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

KEY_ENV = "PDAUDIT_HASH_KEY"


def mask(value: str, entity_type: str = "") -> str:
    """Mask a detected value, keeping only enough shape for a reviewer to recognise its kind.

    Digits keep the first two and last two (one each when short); letters keep the first letter
    of each word; an e-mail keeps the first letter and the domain; separators stay.

    >>> mask("900101300123", "KZ_IIN")
    '90********23'
    >>> mask("+7 (701) 123-45-67", "PHONE_NUMBER")
    '+7 (7**) ***-**-67'
    >>> mask("Сагинтаева Айгерим", "PERSON")
    'С********* А******'
    >>> mask("aigerim.s@mail.kz", "EMAIL_ADDRESS")
    'a********@mail.kz'
    >>> mask("N12345678", "KZ_ID_DOCUMENT")
    'N1*****78'
    """
    if entity_type == "EMAIL_ADDRESS" and "@" in value:
        local, _, domain = value.rpartition("@")
        return (local[:1] + "*" * (len(local) - 1) if local else "") + "@" + domain
    alnum = [i for i, ch in enumerate(value) if ch.isalnum()]
    digits = sum(value[i].isdigit() for i in alnum)
    out = list(value)
    if digits * 2 >= len(alnum):
        keep = 2 if len(alnum) >= 8 else 1
        if entity_type == "PHONE_NUMBER" and value.lstrip().startswith("+"):
            # Keep the country code and first digit of the number: "+7 7**": the region shows.
            keep_head = 2 if value.lstrip().startswith("+7") else 3
        else:
            keep_head = keep
        kept = set(alnum[:keep_head]) | set(alnum[-keep:] if len(alnum) > keep_head + keep else [])
        for i in alnum:
            if i not in kept:
                out[i] = "*"
        return "".join(out)
    first = True
    for i, ch in enumerate(value):
        if ch.isalnum():
            if not first:
                out[i] = "*"
            first = False
        else:
            first = True
    return "".join(out)


_REDACTOR: list = []  # the Analyzer that redact() uses, built on first need


#: Any run of 6 or more digits in an error text: IINs, phones, passport and card numbers
#: quoted by a driver, whether or not the detector recognises them without context.
_DIGIT_RUN = re.compile(r"[^\W_]*\d{6,}[^\W_]*")
#: A date written with separators (1985-03-01, 01.03.1985): a birth date quoted by a driver.
_DATE_LIKE = re.compile(
    r"(?<!\d)(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})(?!\d)"
)
#: The name line of a machine-readable zone (``IVANOVA<<ANNA<<<<``): Latin capitals, name parts
#: joined by ``<``, surname and given names by ``<<``.
_MRZ_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Z]+(?:<[A-Z]+)*<<[A-Z]+(?:<{1,2}[A-Z]+)*<*")
#: Anything shaped like an e-mail address.
_EMAIL_LIKE = re.compile(r"[\w.+%-]+@(?:[\w-]+\.)+[^\W\d_]{2,}")
#: A quoted fragment ('...', "...", «...», `...`): a driver quoting a cell.
_QUOTED = re.compile(r"'([^'\n]*)'|\"([^\"\n]*)\"|«([^»\n]*)»|`([^`\n]*)`")
#: A quoted fragment left as it is: a lowercase SQL identifier (``users``, ``public.t_1``).
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_.]*")


def _mask_words(fragment: str) -> str:
    """Every word of ``fragment`` masked, except words already masked."""
    return re.sub(r"\S+", lambda m: m.group(0) if "*" in m.group(0) else mask(m.group(0)), fragment)


def scrub(text: str, min_digits: int = 6, dates: bool = True) -> str:
    """``text`` with every e-mail-like token, every machine-readable zone's name line, every
    word holding a run of ``min_digits`` or more digits and (with ``dates``) every date masked.

    >>> scrub("row N12345678 1985-03-01 owner a.b@mail.kz")
    'row N1*****78 19**-**-01 owner a**@mail.kz'
    >>> scrub("bad zone line IVANOVA<<ANNA<MARIA<<<<")
    'bad zone line I******<<A***<M****<<<<'
    """
    out = _EMAIL_LIKE.sub(lambda m: mask(m.group(0), "EMAIL_ADDRESS"), text)
    out = _MRZ_NAME.sub(lambda m: mask(m.group(0), "PERSON"), out)
    if min_digits == 6:
        pattern = _DIGIT_RUN
    else:
        pattern = re.compile(r"[^\W_]*\d{" + str(min_digits) + r",}[^\W_]*")
    out = pattern.sub(lambda m: mask(m.group(0)), out)
    if dates:
        out = _DATE_LIKE.sub(lambda m: mask(m.group(0)), out)
    return out


def redact(text: str) -> str:
    """``text`` (an error message) with every personal value pdaudit finds in it masked.

    Database and document errors may quote a cell: PostgreSQL's "invalid input syntax for type
    integer: "<cell>"", SQLite's "JSON path error near '<cell>'". They go into reports and
    logs, where no raw value may appear. The detector masks what it recognises; since some
    types need a keyword or a field name that an error never has, every quoted fragment (but a
    lowercase identifier), every e-mail-like token and every run of 6 or more digits is masked
    whatever the detector says, and so is every date (a birth date).

    >>> redact("invalid input syntax for type bigint: 'Иванов Иван, ИИН 900101300126'")
    "invalid input syntax for type bigint: 'И***** И***, И** 90********26'"
    >>> redact("no such table: users")
    'no such table: users'
    >>> redact("bad value N12345678 1985-03-01")
    'bad value N1*****78 19**-**-01'
    >>> redact('relation "users" does not exist; near "Asel Nur"')
    'relation "users" does not exist; near "A*** N**"'
    """
    if not text:
        return text
    if not _REDACTOR:
        from pdaudit.scanner.analysis import (
            Analyzer,  # here: masking is imported by the analysis side
        )

        # One message at a time: without the searches' vectorised pass (``names.mask_name``).
        _REDACTOR.append(Analyzer(cache_size=0, min_score=0.4, prefilter=False))
    entities = _REDACTOR[0].analyze(text)
    out = text
    for ent in sorted(entities, key=lambda e: e.start, reverse=True):
        out = out[: ent.start] + mask(text[ent.start : ent.end], ent.type) + out[ent.end :]

    def quoted(m: re.Match) -> str:
        inner = next(g for g in m.groups() if g is not None)
        if not inner or _IDENTIFIER.fullmatch(inner):
            return m.group(0)
        start = m.group(0)[0]
        return start + _mask_words(inner) + m.group(0)[-1]

    return scrub(_QUOTED.sub(quoted, out))


def _key() -> bytes:
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8")
    path = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "pdaudit" / "hash.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text().strip().encode("utf-8")


def keyed_hash(value: str, key: bytes | None = None) -> str:
    """An HMAC-SHA256 identity of a value: stable under one key, useless without it.

    A plain hash of an IIN is reversible (there are few enough IINs to try them all); a keyed
    hash is not. The key comes from ``PDAUDIT_HASH_KEY`` or ``~/.config/pdaudit/hash.key``.

    >>> keyed_hash("900101300123", key=b"k")[:16]
    '39a62496f5acb15c'
    """
    digest = hmac.new(key if key is not None else _key(), value.encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()
