"""Names that hold personal values: masked in reports and logs, identified by a keyed hash.

Sources, tables, columns, JSON key paths and file names are chosen by people, and people name
uploads after the person (``client_900101300126.csv``, ``Иванов Иван.pdf``) and key JSON maps by
e-mail. Such a name is masked the way a value is (``pdaudit.scanner.masking.mask``) wherever it appears:
every report format, ``latest.json``, the logs. So that findings stay comparable across runs
(baselines, triage) although two names may mask alike, a field entry whose names were masked
carries ``name_keys``: per masked part, an HMAC of the raw name under the scan's hash key, and
:func:`identity` joins the masked name and the hash into the finding's identity.

A name is masked where pdaudit's detector finds a personal value in it (with ``_ . / - :``
read as spaces, so ``client_900101300126.csv`` shows the IIN as a word), and wherever it holds
an e-mail-like token or a run of 9 or more digits (an 8-digit date such as ``20240101`` stays).
"""

from __future__ import annotations

import functools
import re

from pdaudit.scanner.masking import keyed_hash, mask, scrub
from pdaudit.scanner.reports.safe import clean

#: The report key saying the names of this report went through :func:`mask_report_names`.
MARK = "names_masked"
#: Hex digits of the keyed hash kept in a finding's identity.
KEY_CHARS = 16
#: Read as spaces before detection: a name's separators.
_SEPARATORS = re.compile(r"[_./\\:\-+=#,;|]")
#: Worth running the detector on: digits, an @, non-ASCII letters or a capitalised word.
_MAYBE_PERSONAL = re.compile(r"\d{5}|@|[^\x00-\x7f]|[A-Z][a-z]")
_NAME_MASKER: list = []


@functools.lru_cache(maxsize=65536)
def mask_name(name: str) -> str:
    """``name`` with every personal value in it masked; most names come back unchanged.

    >>> mask_name("users.iin"), mask_name("export_20240101.csv")
    ('users.iin', 'export_20240101.csv')
    >>> mask_name("client_900101300126.csv")
    'client_90********26.csv'
    >>> mask_name("contacts.aigerim.s@mail.kz")  # a JSON key: dots may belong to the address
    'c*****************@mail.kz'
    >>> mask_name("Сагинтаева Айгерим.pdf")
    'С********* А******.pdf'
    """
    if not name or not _MAYBE_PERSONAL.search(name):
        return name
    if not _NAME_MASKER:
        from pdaudit.scanner.analysis import Analyzer  # here: the analysis side imports masking

        # Names are read one at a time: without the searches' vectorised pass (polars), which
        # costs more than it saves on one short text. So a Dask driver, which masks the names
        # of the report, never loads polars (0.14 against 0.32 s for the first name here).
        _NAME_MASKER.append(Analyzer(cache_size=0, min_score=0.5, prefilter=False))
    spaced = _SEPARATORS.sub(" ", name)
    out = name
    for ent in sorted(_NAME_MASKER[0].analyze(spaced), key=lambda e: e.start, reverse=True):
        out = out[: ent.start] + mask(name[ent.start : ent.end], ent.type) + out[ent.end :]
    return scrub(out, min_digits=9, dates=False)


def name_key(name: str) -> str:
    """The keyed hash that identifies a masked name across runs (HMAC-SHA256, hex)."""
    return keyed_hash("pdaudit-name\x00" + name)


def identity(entry: dict, part: str) -> str:
    """One part (``source``, ``container``, ``field``) of a finding's identity: the name as
    reported, with ``#`` and its keyed hash when the name was masked."""
    shown = str(entry.get(part, ""))
    key = (entry.get("name_keys") or {}).get(part)
    return f"{shown} #{key[:KEY_CHARS]}" if key else shown


def _mask_entry(entry: dict, parts: tuple[str, ...]) -> None:
    for part in parts:
        raw = entry.get(part)
        if not isinstance(raw, str):
            continue
        shown = clean(mask_name(raw))  # control characters too: the report is stored as shown
        if shown != raw:
            entry[part] = shown
            entry.setdefault("name_keys", {})[part] = name_key(raw)


def mask_report_names(report: dict) -> dict:
    """Mask every name of a report in place (fields, errors, sources, resolved findings) and mark
    it; a report already marked is left as it is. Returns the report.

    Also how an old baseline, written before names were masked, is read: its raw names get the
    same masked form and keyed hash as this run's, so its findings still match.
    """
    if report.get(MARK):
        return report
    for entry in report.get("fields") or []:
        _mask_entry(entry, ("source", "container", "field"))
        for entity in entry.get("entities") or []:
            if entity.get("evidence"):
                entity["evidence"] = [mask_name(str(e)) for e in entity["evidence"]]
        if entry.get("skipped"):
            entry["skipped"] = mask_name(str(entry["skipped"]))
    for entry in report.get("errors") or []:
        _mask_entry(entry, ("source", "container", "field"))
        if isinstance(entry.get("message"), str):
            entry["message"] = scrub(entry["message"])
    for entry in report.get("sources") or []:
        _mask_entry(entry, ("source",))
    for entry in report.get("resolved") or []:
        _mask_entry(entry, ("source", "container", "field"))
    report[MARK] = True
    return report
