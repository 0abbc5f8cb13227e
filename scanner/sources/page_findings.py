"""What a document page's layout says about its findings: printed labels and organisations.

The recognizers read a page's text as they read any value. Two things only the page knows are
added here, after the analysis, to the findings of page texts (``PageText``):

- **Printed labels.** A value the layout paired with its label (``layout.reflow_labels``: a
  date under "Туған күні / Дата рождения", a name beside "Тегі / Фамилия") is reported with the
  evidence ``label: <the label as printed>`` instead of the context word the recognizer saw.
- **Organisations' contacts.** An address, phone or mailbox that belongs to an organisation
  named on the page (a school's address, landline and ``school12@`` mailbox at the head of a
  timetable) is an ``ORG_CONTACT`` (``pdaudit.scanner.fieldmodel.ORG_CONTACT``, a non-personal
  type), never a person's ADDRESS, PHONE_NUMBER or EMAIL_ADDRESS. A contact is an
  organisation's when it is a role mailbox (``info@``, ``support@``, ``school12@``), or when
  the nearest line at or above it that names an owner names an organisation (``школа``,
  ``гимназия``, ``ТОО``...) rather than a person (a PERSON finding or a personal word such as
  ``моб.``, ``домашний``), at most ``ORG_LINES`` lines up. A mobile number counts only on the
  organisation's own line, and a mailbox only as a role mailbox: under an employer's name they
  may be the employee's. A teacher's mobile on the line of the teacher's name stays a
  PHONE_NUMBER.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

#: A page text's paired values: (start, end, label as printed) in the text.
LabelSpan = tuple[int, int, str]

#: The contact types an organisation's contact is reported instead of.
CONTACT_TYPES = frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER", "ADDRESS"})
ORG_CONTACT = "ORG_CONTACT"
#: How many non-empty lines above a contact the organisation's name may stand (a letterhead:
#: name, address, phone and mailbox).
ORG_LINES = 3

# Word starts that name an organisation (Russian, Kazakh, English; legal forms in capitals).
_ORG_WORDS = re.compile(
    r"(?<!\w)(школ\w*|гимнази\w*|лице[йяюе]\w*|мектеб?\w*|колледж\w*|университет\w*|"
    r"институт\w*|академи\w*|детск\w* сад\w*|балабақша\w*|ясли\w*|учреждени\w*|мекеме\w*|"
    r"приемн\w*|приёмн\w*|канцеляри\w*|кеңсе\w*|ректорат\w*|деканат\w*|"
    r"school\w*|lyceum|gymnasium|college|university|kindergarten)(?!\w)"
    r"|(?<!\w)(ТОО|АО|ЖШС|АҚ|КГУ|ГУ|ГККП|КМҚК|РГП|РМК|LLP|JSC|LLC)(?!\w)",
    re.IGNORECASE,
)
_LEGAL_FORMS = frozenset("ТОО АО ЖШС АҚ КГУ ГУ ГККП КМҚК РГП РМК LLP JSC LLC".split())
# Words that say a line's contact is a person's.
_PERSONAL_WORDS = re.compile(
    r"(?<!\w)(моб\w*|сот\w*|личн\w*|домашн\w*|проживан\w*|ұялы\w*|жеке|үй\w*|mobile|personal|"
    r"home|фио|аты-жөні)(?!\w)",
    re.IGNORECASE,
)
# ``pdaudit.scanner.fieldmodel``'s role mailboxes, read off a scan: OCR takes a 1 for an l or I
# ("schooll2@").
_ROLE_MAILBOX = re.compile(
    r"^(info|support|help|admin|office|hr|kense|kanc|priemnaya|priem|reception|contact|contacts|"
    r"mail|noreply|no-reply|sales|secretary|director|buh|accounting|press|marketing|hello|"
    r"(?:school|mektep|gimnaziya|gymnasium|lyceum|licey|sch)[-_.]?[\dlI]*)@",
    re.IGNORECASE,
)
#: A mobile number (KZ 70x, 747, 75x-77x; RU 9xx) after the country code or trunk prefix: a
#: person's unless it stands on the organisation's own line.
_MOBILE = re.compile(r"[78](?:7[04567]|9)")


class PageText(str):
    """The text of one document page; ``labels`` are the values its layout paired with their
    printed labels, as ``(start, end, label)`` spans of the text.

    A ``str`` in every other way (the analyzer reads it as any text); a slice is a plain
    ``str``, so a page's text is cut only where it is longer than a value may be.

    >>> page = PageText("Дата рождения: 14.03.1991", [(15, 25, "Дата рождения")])
    >>> page, page.labels
    ('Дата рождения: 14.03.1991', ((15, 25, 'Дата рождения'),))
    """

    labels: tuple[LabelSpan, ...]

    def __new__(cls, text: str, labels: Sequence[LabelSpan] = ()) -> PageText:
        made = super().__new__(cls, text)
        made.labels = tuple(labels)
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (PageText, (str(self), self.labels))


def cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, a ``PageText`` kept as one when it fits.

    >>> type(cut(PageText("abc"), 5)).__name__, type(cut(PageText("abcdef"), 5)).__name__
    ('PageText', 'PageText')
    """
    if len(text) <= limit:
        return text
    if isinstance(text, PageText):
        return PageText(text[:limit], [s for s in text.labels if s[1] <= limit])
    return text[:limit]


def is_role_mailbox(email: str) -> bool:
    """Whether an e-mail address is a role's mailbox, not a person's.

    >>> is_role_mailbox("school12@edu.kz"), is_role_mailbox("schooll2@edu.kz")
    (True, True)
    >>> is_role_mailbox("a.sarsenova@mail.kz")
    False
    """
    return bool(_ROLE_MAILBOX.match(email.strip()))


def is_mobile(phone: str) -> bool:
    """Whether a KZ or RU phone number is a mobile one.

    >>> [is_mobile(p) for p in ("+7 701 555 12 34", "8 (916) 123-45-67", "8 (7172) 55-66-77")]
    [True, True, False]
    """
    return bool(_MOBILE.match(re.sub(r"\D", "", phone)))


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line of ``text`` (form feeds end lines too)."""
    out, pos = [], 0
    for line in re.split(r"[\n\f]", text):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _line_of(lines: list[tuple[int, int]], offset: int) -> int:
    for i, (start, end) in enumerate(lines):
        if start <= offset <= end:
            return i
    return -1


def _organisation(text: str, line: tuple[int, int]) -> str | None:
    """The first word of a line that names an organisation, as printed, or None."""
    for found in _ORG_WORDS.finditer(text, line[0], line[1]):
        word = found.group(0)
        # Legal forms count only in capitals ("АО", not the preposition "ао" or a name's "Гу").
        if found.group(2) is not None and word not in _LEGAL_FORMS:
            continue
        return word
    return None


def org_contacts(text: str, entities: Sequence[Any]) -> dict[int, str]:
    """Which of a page's entities are an organisation's contacts: index -> evidence.

    >>> from pdaudit.scanner.analysis import Entity
    >>> page = "Школа № 12\\nтел. 8 7172 556677\\nАхметова Айгуль, моб. +7 701 555 1234"
    >>> ents = [Entity("PHONE_NUMBER", 16, 30, 0.9), Entity("PERSON", 31, 46, 0.9),
    ...         Entity("PHONE_NUMBER", 53, 69, 0.9)]
    >>> org_contacts(page, ents)
    {0: 'organisation: Школа'}
    """
    lines = _lines(text)
    person_lines = {_line_of(lines, e.start) for e in entities if e.type == "PERSON"}
    out: dict[int, str] = {}
    for index, ent in enumerate(entities):
        if ent.type not in CONTACT_TYPES:
            continue
        if ent.type == "EMAIL_ADDRESS" and is_role_mailbox(text[ent.start : ent.end]):
            out[index] = "role mailbox"
            continue
        if ent.type == "EMAIL_ADDRESS":
            continue  # a named mailbox under an organisation's name may be its employee's
        at = _line_of(lines, ent.start)
        if at < 0:
            continue
        mobile = ent.type == "PHONE_NUMBER" and is_mobile(text[ent.start : ent.end])
        for i in range(at, -1 if mobile else max(-1, at - ORG_LINES - 1), -1):
            if mobile and i < at:
                break
            start, end = lines[i]
            # On the contact's own line only the words before it say whose it is.
            stop = ent.start if i == at else end
            if i in person_lines and i != at:
                break
            if _PERSONAL_WORDS.search(text, start, stop):
                break
            if i == at and any(
                e.type == "PERSON" and start <= e.start < ent.start for e in entities
            ):
                break
            org = _organisation(text, (start, stop))
            if org is not None:
                out[index] = f"organisation: {org}"
                break
            if i in person_lines:
                break
    return out


def refine(texts: Sequence[str], found: list[list[Any]]) -> list[list[Any]]:
    """The findings of ``texts`` with what their pages' layout says (``PageText`` texts only):
    printed labels as evidence, organisations' contacts as ``ORG_CONTACT``. Other texts' lists
    are handed back as they are; changed ones are new lists."""
    out = found
    for i, text in enumerate(texts):
        if not isinstance(text, PageText):
            continue
        entities = found[i]
        if not entities:
            continue
        new = _refine_page(text, entities)
        if new is not entities:
            if out is found:
                out = list(found)
            out[i] = new
    return out


def _refine_page(text: PageText, entities: list[Any]) -> list[Any]:
    changed = False
    result = list(entities)
    for index, ent in enumerate(result):
        for start, end, label in text.labels:
            if start <= ent.start and ent.end <= end:
                kept = tuple(e for e in ent.evidence if not e.startswith(("context:", "label:")))
                result[index] = ent._replace(evidence=(*kept, f"label: {label}"))
                changed = True
                break
    for index, why in org_contacts(text, result).items():
        ent = result[index]
        result[index] = ent._replace(
            type=ORG_CONTACT, evidence=(why, f"found as: {ent.type}"), attributes=()
        )
        changed = True
    return result if changed else entities


__all__ = [
    "CONTACT_TYPES",
    "ORG_CONTACT",
    "PageText",
    "cut",
    "is_mobile",
    "is_role_mailbox",
    "org_contacts",
    "refine",
]
