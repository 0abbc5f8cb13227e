"""MRZ: the machine-readable zone of identity cards (TD1) and passports (TD3), ICAO Doc 9303.

A TD1 zone (the back of a Kazakh identity card) is three lines of 30 characters, a TD3 zone (the
photo page of a passport) two lines of 44. Digits, capital Latin letters and the filler ``<``
only. Each of the document number, birth date, expiry date (and on a passport the personal
number) is followed by a check digit, and a composite check digit closes the zone; a check digit
is the sum of the character values (digits as such, ``A``-``Z`` as 10-35, ``<`` as 0) weighted
7, 3, 1, 7, 3, 1, ... modulo 10. A Kazakh identity card holds the ИИН in the optional data of
its first line, a Kazakh passport in the personal number field.

OCR confusions (``0``/``O``, ``1``/``I``, ``8``/``B``, ``5``/``S``, ``2``/``Z``, ``6``/``G``) are
repaired only where a check digit proves the repair: a field is read as printed when its check
digit fits, and otherwise the one reading, among the look-alike swaps, that makes it fit is
taken; none or several such readings leave the zone unread.

>>> zone = ["IDKAZ0123456784880419302718<<<", "8804190M3101012KAZ<<<<<<<<<<<5",
...         "ZHUMABEKOV<<DANIYAR<<<<<<<<<<<"]
>>> mrz = validate(zone)
>>> mrz.number, mrz.birth_date, mrz.optional, mrz.surname, mrz.given_names
('012345678', datetime.date(1988, 4, 19), '880419302718', 'ZHUMABEKOV', 'DANIYAR')
>>> validate(["IDKAZ0123456785880419302718<<<", zone[1], zone[2]])
Traceback (most recent call last):
    ...
pdaudit.recognizers.mrz.MrzChecksumError: the document number's check digit does not match
>>> check_digit("L898902C3"), check_digit("740812"), check_digit("<<<<<<<<<<<<<<<")
('6', '2', '0')
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from presidio_analyzer import EntityRecognizer, RecognizerResult
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from pdaudit.recognizers import kz_iin
from pdaudit.recognizers.base import LANGUAGE, Findings, Search, make_result

#: What the recognizer reports, and the evidence every finding carries.
ENTITIES = ["KZ_ID_DOCUMENT", "DATE_OF_BIRTH", "KZ_IIN", "PERSON"]
EVIDENCE = "MRZ"

_WEIGHTS = (7, 3, 1)
_VALUES = {**{str(d): d for d in range(10)}, "<": 0}
_VALUES.update({chr(ord("A") + i): 10 + i for i in range(26)})

#: Look-alikes OCR swaps, both ways: a letter read for a digit and a digit for a letter.
_TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "G": "6",
             "B": "8", "T": "7"}  # fmt: skip
_TO_LETTER = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B", "7": "T"}
#: At most this many look-alike swaps are tried in one field.
MAX_SWAPS = 2

#: OCR of ``rus+kaz+eng`` reads Latin capitals of the zone as Cyrillic twins, the filler as
#: guillemets or a small ``к``/``с``; one code point each, so offsets are kept (``«`` stands for
#: two fillers and is expanded in ``_clean`` with its offset repeated).
_FOLD = {
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "О": "O", "Р": "P",
    "Т": "T", "Х": "X", "У": "Y", "З": "3", "І": "I", "Ӏ": "I", "|": "I", "Ѕ": "S", "Ј": "J",
    "‹": "<", "〈": "<", "＜": "<",
}  # fmt: skip
_DOUBLE = {"«": "<<"}


class MrzChecksumError(InvalidChecksum):
    """A check digit of the zone does not match; the message names which one."""

    def __init__(self, field: str) -> None:
        super().__init__(f"the {field}'s check digit does not match")


@dataclass(frozen=True)
class Field:
    """Where a field stands in the zone: line index, first and past-last column."""

    line: int
    start: int
    end: int


@dataclass(frozen=True)
class Mrz:
    """A zone whose check digits all match (fields repaired where a check digit proved it)."""

    format: str  # "TD1" or "TD3"
    lines: tuple[str, ...]
    document_code: str
    country: str
    number: str
    birth_date: datetime.date | None
    sex: str
    expiry: str
    nationality: str
    optional: str
    surname: str
    given_names: str
    fields: dict[str, Field]
    #: (line, column) of a character OCR added and the reading left out, if any.
    dropped: tuple[int, int] | None = None

    @property
    def iin(self) -> str | None:
        """The ИИН in the optional data (a Kazakh card or passport), when it is a valid one."""
        if self.country != "KAZ" and self.nationality != "KAZ":
            return None
        digits = self.optional[:12]
        return digits if kz_iin.is_valid(digits) else None

    @property
    def name(self) -> str:
        """Given names and surname as printed in Latin letters (``DANIYAR ZHUMABEKOV``)."""
        return " ".join(p for p in (self.given_names, self.surname) if p)


def check_digit(data: str) -> str:
    """The ICAO 9303 check digit (weights 7, 3, 1) of digits, capitals and fillers.

    >>> check_digit("D23145890")
    '7'
    """
    try:
        total = sum(_VALUES[ch] * _WEIGHTS[i % 3] for i, ch in enumerate(data))
    except KeyError as exc:
        raise InvalidFormat() from exc
    return str(total % 10)


def compact(line: str) -> str:
    """One zone line as it should read: capitals, no spaces, look-alike fillers folded.

    >>> compact(" idkaz 012345678 4 «<< ")
    'IDKAZ0123456784<<<<'
    """
    return "".join(ch for ch, _ in _clean(str(line)))


def _clean(line: str, base: int = 0) -> list[tuple[str, int]]:
    """The characters of a zone line with the offset in the text each came from."""
    out = []
    for i, ch in enumerate(line):
        if ch.isspace():
            continue
        up = ch.upper()
        up = _FOLD.get(up, up)
        for piece in _DOUBLE.get(up, up):
            out.append((piece, base + i))
    return out


def _fit(line: str, length: int, tail: int = 0, names: bool = False) -> str:
    """``line`` brought to ``length`` by fillers: OCR drops or adds ``<`` in a run of them.

    The last ``tail`` characters (a composite check digit) keep their place at the end; fillers
    are added or removed at the end of the filler run before them. A ``names`` line (closed by
    fillers only) is padded whatever it ends with: OCR often drops the fillers after a name.

    >>> _fit("8804190M3101012KAZ<<<<<<5", 30, 1)
    '8804190M3101012KAZ<<<<<<<<<<<5'
    """
    if len(line) == length:
        return line
    head, end = (line[:-tail], line[-tail:]) if tail else (line, "")
    want = length - tail
    if len(head) < want:
        if not names and not head.endswith("<"):
            raise InvalidLength()
        head += "<" * (want - len(head))
    else:
        extra = len(head) - want
        if not head.endswith("<" * extra):
            raise InvalidLength()
        head = head[:want]
    return head + end


def _digits_only(text: str) -> str:
    return "".join(_TO_DIGIT.get(ch, ch) for ch in text)


def _repair(data: str, check: str, field: str, digits_from: int | None = None) -> str:
    """``data`` whose ``check`` digit matches: as read, or by the one look-alike swap that fits.

    A field that holds digits only from column ``digits_from`` on (a date from 0, a Kazakh
    passport number from 1) has its letters there read as their look-alike digits first, and
    only the columns before are tried; still only a matching check digit accepts the reading.

    >>> _repair("L898902C3", "6", "document number")
    'L898902C3'
    >>> _repair("L8989O2C3", "6", "document number")
    'L898902C3'
    >>> _repair("74O8I2", "2", "birth date", 0)
    '740812'
    """
    check = _digits_only(check)
    if not check.isdigit():
        raise MrzChecksumError(field)
    limit = len(data)
    if digits_from is not None:
        data = data[:digits_from] + _digits_only(data[digits_from:])
        limit = digits_from
    if check_digit(data) == check:
        return data
    spots = [i for i, ch in enumerate(data[:limit]) if ch in _TO_DIGIT or ch in _TO_LETTER]
    # The fewest swaps first: one swap that fits, and no other single swap, is proven; two
    # swaps are tried only when no single one fits.
    for count in range(1, min(MAX_SWAPS, len(spots)) + 1):
        fits = set()
        for chosen in itertools.combinations(spots, count):
            chars = list(data)
            for i in chosen:
                ch = chars[i]
                chars[i] = _TO_DIGIT.get(ch) or _TO_LETTER[ch]
            reading = "".join(chars)
            if check_digit(reading) == check:
                fits.add(reading)
        if len(fits) == 1:
            return fits.pop()
        if fits:
            break
    raise MrzChecksumError(field)


def _date(yymmdd: str, past: bool) -> datetime.date | None:
    """A ``YYMMDD`` date; a birth date (``past``) lies in the last 100 years."""
    if not yymmdd.isdigit():
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    today = datetime.date.today()
    year = 2000 + yy
    if past and year > today.year:
        year -= 100
    try:
        return datetime.date(year, mm, dd)
    except ValueError:
        return None


def _names(field: str) -> tuple[str, str]:
    surname, _, given = field.partition("<<")
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def _name_field(text: str) -> str:
    # The name field holds letters only: a digit there is a letter misread.
    return "".join(_TO_LETTER.get(ch, ch) for ch in text)


def validate(lines: Sequence[str]) -> Mrz:
    """The zone of a TD1 (3 lines) or TD3 (2 lines) document with every check digit verified.

    Raises ``MrzChecksumError`` naming the check digit that fails, or another
    ``stdnum.exceptions`` error for a zone of the wrong shape.

    >>> validate(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    ...           "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]).given_names
    'ANNA MARIA'
    >>> validate(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    ...           "L898902C36UTO7408122F1204159ZE184226B<<<<<11"])
    Traceback (most recent call last):
        ...
    pdaudit.recognizers.mrz.MrzChecksumError: the composite's check digit does not match
    """
    lines = [compact(line) for line in lines]
    if len(lines) not in (2, 3):
        raise InvalidLength()
    read, width = (_td1, 30) if len(lines) == 3 else (_td3, 44)
    try:
        return read(lines)
    except InvalidLength:
        pass
    # OCR read one character as two ("N0" as "NO0"): a line one too long is tried without each
    # of its characters in turn; the check digits decide.
    for index, line in enumerate(lines):
        if len(line) != width + 1 or line.endswith("<<"):
            continue
        for column in range(len(line)):
            shorter = [*lines[:index], line[:column] + line[column + 1 :], *lines[index + 1 :]]
            try:
                return dataclasses.replace(read(shorter), dropped=(index, column))
            except ValueError:
                continue
    raise InvalidLength()


def is_valid(lines: Sequence[str]) -> bool:
    """Whether the lines are a zone whose check digits match.

    >>> is_valid(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    ...           "L898902C36UTO7408122F1204159ZE184226B<<<<<10"])
    True
    >>> is_valid(["IDKAZ", "", ""])
    False
    """
    try:
        validate(lines)
    except ValueError:
        return False
    return True


#: The nationality of a TD1 zone read with a letter too many (``KALZ``): no check digit covers
#: it, so its first three letters are kept and the fillers after it keep their columns.
_LONG_NATIONALITY = re.compile(r"^(.{15}[A-Z]{3})[A-Z0-9]{1,2}(<+.)")


def _td1(lines: list[str]) -> Mrz:
    one = _fit(lines[0], 30)
    two = _fit(_LONG_NATIONALITY.sub(r"\1\2", lines[1]), 30, tail=1)
    three = _fit(lines[2], 30, names=True)
    if one[0] not in "ACI" or not re.fullmatch(r"[A-Z<]{30}", three):
        raise InvalidFormat()
    # A Kazakh identity card's number is nine digits.
    kaz_id = one[:5] == "IDKAZ"
    number = _repair(one[5:14], one[14], "document number", 0 if kaz_id else None)
    birth = _repair(two[0:6], two[6], "birth date", 0)
    expiry = _repair(two[8:14], two[14], "expiry date", 0)
    # The optional data of a Kazakh card is the ИИН: digits, read as such.
    optional = one[15:30]
    if one[2:5] == "KAZ":
        optional = _digits_only(optional[:12]) + optional[12:]
    composite = (
        number
        + _digits_only(one[14])
        + optional
        + birth
        + _digits_only(two[6])
        + expiry
        + _digits_only(two[14])
        + two[18:29]
    )
    if check_digit(composite) != _digits_only(two[29]):
        raise MrzChecksumError("composite")
    surname, given = _names(_name_field(three))
    birth_date = _date(birth, past=True)
    if birth_date is None:
        raise InvalidComponent()
    return Mrz(
        format="TD1",
        lines=(one[:5] + number + one[14] + optional, two, three),
        document_code=one[0:2].rstrip("<"),
        country=one[2:5],
        number=number.rstrip("<"),
        birth_date=birth_date,
        sex=two[7],
        expiry=expiry,
        nationality=two[15:18],
        optional=optional.rstrip("<"),
        surname=surname,
        given_names=given,
        fields={
            "number": Field(0, 5, 5 + len(number.rstrip("<"))),
            "optional": Field(0, 15, 15 + len(optional.rstrip("<"))),
            "birth_date": Field(1, 0, 6),
            "name": Field(2, 0, len(three.rstrip("<"))),
        },
    )


def _td3(lines: list[str]) -> Mrz:
    one = _fit(lines[0], 44, names=True)
    two = _fit(lines[1], 44, tail=1)
    if one[0] != "P" or not re.fullmatch(r"[A-Z<]{39}", one[5:]):
        raise InvalidFormat()
    # A Kazakh passport's number is a letter and eight digits, its personal number the ИИН.
    kaz = one[2:5] == "KAZ"
    number = _repair(two[0:9], two[9], "document number", 1 if kaz else None)
    birth = _repair(two[13:19], two[19], "birth date", 0)
    expiry = _repair(two[21:27], two[27], "expiry date", 0)
    personal = two[28:42]
    if two[42] != "<" or personal.strip("<"):
        personal = _repair(personal, two[42], "personal number", 0 if kaz else None)
    composite = (
        number
        + _digits_only(two[9])
        + birth
        + _digits_only(two[19])
        + expiry
        + _digits_only(two[27])
        + personal
        + _digits_only(two[42])
    )
    if check_digit(composite) != _digits_only(two[43]):
        raise MrzChecksumError("composite")
    surname, given = _names(_name_field(one[5:]))
    birth_date = _date(birth, past=True)
    if birth_date is None:
        raise InvalidComponent()
    return Mrz(
        format="TD3",
        lines=(one, number + two[9:]),
        document_code=one[0:2].rstrip("<"),
        country=one[2:5],
        number=number.rstrip("<"),
        birth_date=birth_date,
        sex=two[20],
        expiry=expiry,
        nationality=two[10:13],
        optional=personal.rstrip("<"),
        surname=surname,
        given_names=given,
        fields={
            "number": Field(1, 0, len(number.rstrip("<"))),
            "optional": Field(1, 28, 28 + len(personal.rstrip("<"))),
            "birth_date": Field(1, 13, 19),
            "name": Field(0, 5, 5 + len(one[5:].rstrip("<"))),
        },
    )


def _field(value: str, length: int) -> str:
    value = value.upper().replace(" ", "<")
    if len(value) > length:
        raise InvalidLength()
    return value + "<" * (length - len(value))


def make_td1(
    number: str,
    birth: str,
    sex: str,
    expiry: str,
    surname: str,
    given_names: str,
    optional: str = "",
    country: str = "KAZ",
    code: str = "ID",
) -> list[str]:
    """The three lines of a TD1 zone with every check digit computed (for synthetic cards).

    >>> make_td1("012345678", "880419", "M", "310101", "Zhumabekov", "Daniyar", "880419302718")
    ... # doctest: +NORMALIZE_WHITESPACE
    ['IDKAZ0123456784880419302718<<<', '8804190M3101012KAZ<<<<<<<<<<<5',
     'ZHUMABEKOV<<DANIYAR<<<<<<<<<<<']
    """
    number, optional = _field(number, 9), _field(optional, 15)
    one = _field(code, 2) + country + number + check_digit(number) + optional
    two_head = birth + check_digit(birth) + sex + expiry + check_digit(expiry) + country
    two = two_head + "<" * 11
    composite = one[5:30] + two[0:7] + two[8:15] + two[18:29]
    three = _field(f"{surname}<<{given_names}", 30)
    return [one, two + check_digit(composite), three]


def make_td3(
    number: str,
    birth: str,
    sex: str,
    expiry: str,
    surname: str,
    given_names: str,
    personal: str = "",
    country: str = "KAZ",
) -> list[str]:
    """The two lines of a TD3 (passport) zone with every check digit computed.

    >>> make_td3("L898902C3", "740812", "F", "120415", "Eriksson", "Anna Maria", "ZE184226B",
    ...          country="UTO")[1]
    'L898902C36UTO7408122F1204159ZE184226B<<<<<10'
    """
    number, personal = _field(number, 9), _field(personal, 14)
    one = _field(f"P<{country}{surname}<<{given_names}", 44)
    personal_check = check_digit(personal) if personal.strip("<") else "<"
    two = (
        number + check_digit(number) + country + birth + check_digit(birth) + sex + expiry
        + check_digit(expiry) + personal + personal_check
    )  # fmt: skip
    composite = two[0:10] + two[13:20] + two[21:43]
    return [one, two + check_digit(composite)]


# --- finding zones in text -----------------------------------------------------------------

#: A line that may be part of a zone: capitals, digits and fillers (two other characters at
#: most), 10-50 characters once spaces are dropped (OCR may drop the fillers closing a line).
_FILLERS = re.compile(r"<<|«")
_LINE = re.compile(r"[^\n\f]+")


def _zone_lines(text: str) -> list[tuple[int, list[tuple[str, int]]]]:
    """The lines of ``text`` shaped like a zone line: (line index, cleaned characters)."""
    found = []
    for index, match in enumerate(_LINE.finditer(text)):
        raw = match.group()
        chars = _clean(raw, match.start())
        if not 10 <= len(chars) <= 50:
            continue
        good = sum(ch.isascii() and (ch.isalnum() or ch == "<") for ch, _ in chars)
        if good < len(chars) - 2:
            continue
        found.append((index, chars))
    return found


def _with_fillers(chars: list[tuple[str, int]]) -> bool:
    return "<" in "".join(ch for ch, _ in chars)


def find_zones(text: str) -> Iterable[tuple[Mrz, list[list[tuple[str, int]]]]]:
    """Every valid zone in ``text`` with the cleaned characters of its lines (and offsets).

    Consecutive zone-shaped lines are tried three at a time (TD1), then two (TD3); OCR may put
    an empty line between them, which is skipped.
    """
    lines = _zone_lines(text)
    used: set[int] = set()
    for size in (3, 2):
        for i in range(len(lines) - size + 1):
            group = lines[i : i + size]
            if any(index in used for index, _ in group):
                continue
            # Consecutive text lines, an empty line between them allowed.
            if any(b[0] - a[0] > 2 for a, b in itertools.pairwise(group)):
                continue
            if not any(_with_fillers(chars) for _, chars in group):
                continue
            try:
                mrz = validate(["".join(ch for ch, _ in chars) for _, chars in group])
            except ValueError:
                continue
            used.update(index for index, _ in group)
            yield mrz, [chars for _, chars in group]


def _span(chars: list[tuple[str, int]], start: int, end: int) -> tuple[int, int] | None:
    """Text offsets of the cleaned characters ``start:end`` of a line (``None`` if lost)."""
    if end <= start or end > len(chars):
        return None
    return chars[start][1], chars[end - 1][1] + 1


def zone_findings(text: str) -> list[tuple[str, int, int, dict[str, str]]]:
    """``(type, start, end, attributes)`` for the fields of every valid zone in ``text``.

    >>> text = "IDKAZ0123456784880419302718<<<\\n8804190M3101012KAZ<<<<<<<<<<<5\\nZHUMABEKOV<<DANIYAR"
    >>> [(t, text[s:e]) for t, s, e, _ in zone_findings(text)]  # doctest: +NORMALIZE_WHITESPACE
    [('KZ_ID_DOCUMENT', '012345678'), ('KZ_IIN', '880419302718'), ('DATE_OF_BIRTH', '880419'),
     ('PERSON', 'ZHUMABEKOV<<DANIYAR')]
    """
    out = []
    for mrz, lines in find_zones(text):
        if mrz.dropped is not None:
            line, column = mrz.dropped
            lines = [
                *lines[:line],
                lines[line][:column] + lines[line][column + 1 :],
                *lines[line + 1 :],
            ]
        doc = "id_card" if mrz.format == "TD1" else "passport"
        fields = mrz.fields
        wanted = [("KZ_ID_DOCUMENT", "number", {"document": doc})]
        if mrz.iin is not None:
            wanted.append(("KZ_IIN", "optional", {}))
        wanted += [("DATE_OF_BIRTH", "birth_date", {}), ("PERSON", "name", {})]
        for entity, key, attributes in wanted:
            where = fields[key]
            span = _span(lines[where.line], where.start, where.end)
            if span is not None:
                out.append((entity, span[0], span[1], attributes))
    return out


class MrzRecognizer(Findings, EntityRecognizer):
    """Fields of a machine-readable zone whose check digits match (evidence ``MRZ``)."""

    #: A run of fillers: every zone has one (``_FILLERS``; OCR may read "<<" as "«").
    SEARCH = Search("<<|«")
    name: str  # set by ``EntityRecognizer.__init__``

    def __init__(self) -> None:
        super().__init__(
            supported_entities=list(ENTITIES), supported_language=LANGUAGE, name="MrzRecognizer"
        )

    def load(self) -> None:
        """Nothing to load: the zone's rules are in this module."""

    def analyze(
        self,
        text: str,
        entities: list[str] | None = None,
        nlp_artifacts: object = None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """The zone's document number, ИИН, birth date and name, each scored 1.0."""
        if not isinstance(text, str) or _FILLERS.search(text) is None:
            return []  # every zone has a run of fillers
        wanted = set(entities or ENTITIES)
        return [
            make_result(entity, start, end, 1.0, self.name, [EVIDENCE], **attributes)
            for entity, start, end, attributes in zone_findings(text)
            if entity in wanted
        ]


__all__ = [
    "ENTITIES",
    "Mrz",
    "MrzChecksumError",
    "MrzRecognizer",
    "check_digit",
    "compact",
    "find_zones",
    "is_valid",
    "make_td1",
    "make_td3",
    "validate",
    "zone_findings",
]
