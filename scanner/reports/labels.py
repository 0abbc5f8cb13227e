"""Human names for entity types, statuses and report wording, in Russian and English.

The tables live in ``templates/labels.yaml`` (a data file, so translators never touch code).

>>> entity_label("KZ_IIN", "ru")
'ИИН'
>>> entity_label("SOMETHING_NEW", "en")
'SOMETHING_NEW'
>>> clause_text("2.3.1", "ru"), clause_text(None, "ru")
('п. 2.3.1', 'не указано в п. 2.3')
>>> [plural(n, "field", "ru") for n in (1, 3, 5, 11, 21)]
['поле', 'поля', 'полей', 'полей', 'поле']
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGS = ("ru", "en")
LABELS_FILE = Path(__file__).resolve().parent / "templates" / "labels.yaml"


@cache
def _tables() -> dict[str, Any]:
    with LABELS_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def check_lang(lang: str) -> str:
    """Return ``lang`` if the report can be written in it, else raise ``ValueError``."""
    if lang not in LANGS:
        raise ValueError(f"unsupported report language {lang!r}; choose one of {', '.join(LANGS)}")
    return lang


def entity_label(entity_type: str, lang: str = "ru") -> str:
    """The human name of an entity type (the type code itself when the type is unknown)."""
    entry = _tables()["entities"].get(entity_type)
    return entry[lang] if entry else entity_type


def entity_short(entity_type: str, lang: str = "ru") -> str:
    """A short name that fits a chart axis."""
    entry = _tables()["entities"].get(entity_type)
    return entry.get(f"short_{lang}", entry[lang]) if entry else entity_type


def sensitivity(entity_type: str) -> int:
    """How much harm a leak of this type does: 3 (IIN, documents, cards) down to 0 (not personal).

    >>> sensitivity("KZ_IIN"), sensitivity("DATE_OF_BIRTH"), sensitivity("IP_ADDRESS")
    (3, 2, 1)
    """
    entry = _tables()["entities"].get(entity_type)
    return int(entry.get("sensitivity", 1)) if entry else 1


def status_label(status: str, lang: str = "ru") -> str:
    """The human name of a field status such as ``beyond_policy``."""
    entry = _tables()["statuses"].get(status)
    return entry[lang] if entry else status


def change_label(change: str, lang: str = "ru") -> str:
    """The human name of a change since the baseline (``new``, ``unchanged``)."""
    entry = _tables()["changes"].get(change)
    return entry[lang] if entry else change


def triage_label(decision: str, lang: str = "ru") -> str:
    """The human name of a reviewer's decision (``accepted``, ``false_positive``)."""
    entry = _tables()["triage"].get(decision)
    return entry[lang] if entry else decision


def evidence_label(evidence: str, lang: str = "ru") -> str:
    """Translate the prefix of an evidence string, keeping its value.

    >>> evidence_label("field name: iin", "ru")
    'имя поля: iin'
    >>> evidence_label("checksum", "en")
    'checksum valid'
    """
    key, sep, value = evidence.partition(":")
    entry = _tables()["evidence"].get(key.strip())
    if not entry:
        return evidence
    if not sep:
        return entry[lang]
    words = _tables()["evidence_values"]
    if key.strip() in ("lexicon", "address parts"):  # pdaudit's own words, not found text
        value = " " + ", ".join(
            words[w][lang] if w in words else w for w in (p.strip() for p in value.split(","))
        )
    return f"{entry[lang]}{sep}{value}"


def dismissal_label(reason: str, lang: str = "ru") -> str:
    """Why the field model did not report a type (``pdaudit.scanner.fieldmodel``), in words: the
    kind of reason, then its counts in brackets. Only counts and names from the data are quoted,
    never a value.

    >>> dismissal_label("sequence: 79 of 79 neighbouring numbers 1 to 10 apart", "ru")
    'последовательные номера (соседних чисел, отличающихся на 1–10: 79 из 79)'
    >>> dismissal_label("sequence: 79 of 79 neighbouring numbers 1 to 10 apart", "en")
    'sequential numbers (79 of 79 neighbouring numbers 1 to 10 apart)'
    >>> dismissal_label("chance: 1 of 400 values, 0.6 expected by chance for 400 numbers of "
    ...                 "these lengths", "ru")
    'случайное совпадение (совпало 1 из 400, случайно ожидалось 0,6; чисел такой длины: 400)'
    >>> dismissal_label("organisation table: schools", "ru")
    'таблица организаций: schools'
    """
    key, sep, value = reason.partition(":")
    kind = _tables()["evidence"].get(key.strip())
    if not kind or not sep:
        return evidence_label(reason, lang)
    details = _tables()["dismissal_details"].get(key.strip())
    match = re.fullmatch(details["match"], value.strip()) if details else None
    if details is None or match is None:
        return evidence_label(reason, lang)  # the details are a name from the data
    if lang == "en" or lang not in details:
        return f"{kind[lang]} ({value.strip()})"
    numbers = {k: v.replace(".", ",") if lang == "ru" else v for k, v in match.groupdict().items()}
    return f"{kind[lang]} ({details[lang].format(**numbers)})"


def dismissed_entries(field: dict[str, Any]) -> list[dict[str, Any]]:
    """A report field's ``dismissed`` list, read defensively (a hand-edited report may hold
    anything there): each entry's ``type``, ``matches`` (an int, else None) and ``reason``."""
    items = field.get("dismissed")
    out: list[dict[str, Any]] = []
    for entry in items if isinstance(items, list) else []:
        if not isinstance(entry, dict):
            continue
        matches = entry.get("matches")
        if not isinstance(matches, int) or isinstance(matches, bool):
            matches = None
        out.append(
            {
                "type": str(entry.get("type") or "?"),
                "matches": matches,
                "reason": str(entry.get("reason") or ""),
            }
        )
    return out


def matches_text(n: int | None, lang: str = "ru") -> str:
    """``80 совпадений`` / ``80 matches``; empty when the count is unknown.

    >>> matches_text(1, "en"), matches_text(3, "ru"), matches_text(None, "ru")
    ('1 match', '3 совпадения', '')
    """
    return "" if n is None else f"{n} {plural(n, 'match', lang)}"


def dismissed_line(entry: dict[str, Any], lang: str = "ru") -> str:
    """One line for a dismissed type (an entry of :func:`dismissed_entries`), as the text report
    prints it under the field.

    >>> dismissed_line({"type": "PERSON", "matches": 53, "reason": "template text: 53 values "
    ...                 "with a name, 2 distinct texts"}, "en")
    'PERSON dismissed, 53 matches: template text (53 values with a name, 2 distinct texts)'
    """
    return ui(lang)["text_dismissed"].format(
        type=entry["type"],
        matches=matches_text(entry["matches"], lang) or "?",
        reason=dismissal_label(entry["reason"], lang),
    )


_RESERVOIR = re.compile(r"reservoir sample of (\d+) (\w+) \(seed (-?\d+)\)")
_ALL = re.compile(r"all (\w+)")


def sampling_label(method: str, lang: str = "ru") -> str:
    """How rows were chosen, in words (``method`` may list several, joined by ", ").

    >>> sampling_label("all pages, reservoir sample of 10000 records (seed 0), whole table", "ru")
    'все страницы, случайная выборка из 10000 записей (зерно 0), вся таблица'
    >>> sampling_label("rowid", "en")
    'random rows by rowid'
    """
    table = _tables()["sampling_methods"]
    units = _tables()["sampling_units"]

    def unit(name: str, n: int) -> str:
        forms = units.get(name)
        return _form(n, forms[lang], lang) if forms else name

    out = []
    for part in (p.strip() for p in method.split(",") if p.strip()):
        if part in table:
            out.append(table[part][lang])
        elif m := _RESERVOIR.fullmatch(part):
            size = int(m.group(1))
            out.append(
                table["reservoir sample"][lang].format(
                    size=size, unit=unit(m.group(2), size), seed=m.group(3)
                )
            )
        elif m := _ALL.fullmatch(part):
            out.append(table["all"][lang].format(unit=unit(m.group(1), 2)))
        else:
            out.append(part)
    return ", ".join(out)


def source_kind_label(kind: str | None, lang: str = "ru") -> str:
    """What kind of source a report names, never the scanner's class name.

    >>> source_kind_label("SqlSource", "ru"), source_kind_label("SomePluginSource", "en")
    ('База данных', 'Source')
    """
    table = _tables()["source_kinds"]
    return (table.get(kind or "") or table["other"])[lang]


def clause_text(clause: str | None, lang: str = "ru", section: str | None = None) -> str:
    """Where the policy allows a type (``п. 2.3.1``), or that it does not (``не указано в п. 2.3``)."""
    table = _tables()["clause"]
    if clause:
        return table["allowed"][lang].format(clause=clause)
    return table["not_allowed"][lang].format(section=section or table["default_section"])


def exception_text(lang: str = "ru") -> str:
    """Wording for a type allowed by a per-field exception rather than a clause."""
    return _tables()["clause"]["exception"][lang]


def default_section() -> str:
    """The policy section quoted when a report does not name its clauses."""
    return str(_tables()["clause"]["default_section"])


def plural(n: int, noun: str, lang: str = "ru") -> str:
    """The form of ``noun`` that goes with the number ``n`` (Russian has three, English two)."""
    return _form(n, _tables()["plurals"][noun][lang], lang)


def _form(n: int, forms: list[str], lang: str) -> str:
    if lang == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return forms[0]
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return forms[1]
        return forms[2]
    return forms[0] if n == 1 else forms[1]


def ui(lang: str = "ru") -> dict[str, str]:
    """All interface strings of the report in one language."""
    return _tables()["ui"][check_lang(lang)]


def entity_types() -> list[str]:
    """Every entity type that has a human name."""
    return list(_tables()["entities"])


def third_party(key: str, lang: str = "ru", **values: str) -> Any:
    """Wording of the section 2.4 part of the report: ``title``, ``intro``, ``columns``, or
    ``basis.<basis>`` / ``status.<status>`` (the key itself when unknown).

    >>> third_party("title", "ru", clause="2.4"), third_party("basis.field role", "en")
    ('Данные третьих лиц (п. 2.4)', 'field role')
    """
    table = _tables()["third_party"]
    group, _, name = key.partition(".")
    entry = table.get(group)
    if name:
        entry = (entry or {}).get(name)
    if not entry:
        return name or key
    text = entry[check_lang(lang)]
    return text.format(**values) if values and isinstance(text, str) else text
