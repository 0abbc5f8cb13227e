"""The HTML and text reports speak one language at a time: no English words in the Russian
report and no Russian ones in the English report, outside the data (names of tables, fields and
sources, masked examples, words found in the data) and type codes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.reports import labels
from pdaudit.scanner.reports.html import render_html
from pdaudit.scanner.reports.text import render as render_text
from pdaudit.scanner.scan import ScanOptions, scan

ROOT = Path(__file__).resolve().parent.parent
SCANS = ROOT / "sample_data" / "scans"
#: Names that are the same in both languages: the tool, acronyms in labels, the time zone.
NAMES = {"pdaudit", "IBAN", "IP", "MRZ", "NER", "UTC"}
LATIN = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")
CYRILLIC = re.compile(r"[А-Яа-яЁё]+(?:['-][А-Яа-яЁё]+)*")
#: Evidence prefixes whose value is pdaudit's own words (translated), not a word of the data.
OWN_WORDS = ("lexicon", "address parts")


@pytest.fixture(scope="module")
def demo_report(demo_db):
    return scan([str(demo_db), str(SCANS)], load_policy(), ScanOptions())


class _Visible(HTMLParser):
    """Text a reader sees, without scripts, styles and ``<code>``/``<pre>`` (values, commands)."""

    SKIP = {"script", "style", "code", "pre"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def _visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def _data_words(report: dict, words: re.Pattern[str]) -> set[str]:
    """Words of the report's data: the values shown as they are, never translated."""
    texts = [report["policy"]["id"], report["policy"]["title"]]
    for s in report["sources"]:
        texts.append(s["source"])
    for f in report["fields"]:
        texts += [f["source"], f["container"], f["field"], f.get("skipped") or ""]
        for e in f["entities"]:
            texts += [e["type"], *e["examples"]]
            for ev in e["evidence"]:
                prefix, _, value = ev.partition(":")
                if prefix not in OWN_WORDS:
                    texts.append(value)
        # a dismissed type's code, and the names a reason quotes ("organisation table: schools");
        # a reason's counts are pdaudit's own words, translated
        for d in f.get("dismissed") or []:
            kind, _, value = d["reason"].partition(":")
            texts.append(d["type"])
            if kind not in labels._tables()["dismissal_details"]:
                texts.append(value)
        third = f.get("third_party") or {}
        texts += [str(x) for x in third.get("examples") or []]
        texts += [str(ev).partition(":")[2] for ev in third.get("evidence") or []]
    for e in report["errors"]:
        texts += [e["source"], e["container"], e["message"]]
    # The policy's own words, in its own language: the list as declared and the draft of the
    # amended list, which follows the policy's wording and numbering.
    gap = report.get("policy_gap") or {}
    for key in ("declared_not_found", "unmapped", "vague"):
        texts += [str(x.get("text", "")) for x in gap.get(key) or []]
    texts += [str(d.get("line", "")) for d in gap.get("draft") or []]
    return {w for t in texts for w in words.findall(str(t))}


def _foreign(text: str, words: re.Pattern[str], allowed: set[str]) -> list[str]:
    return sorted({w for w in words.findall(text) if w not in allowed and w not in NAMES})


def test_the_russian_html_report_has_no_english_words(demo_report):
    text = _visible(render_html(demo_report, "ru"))
    assert _foreign(text, LATIN, _data_words(demo_report, LATIN)) == []
    # what used to leak: the sampling description and the scanners' class names
    assert "все страницы, случайная выборка из 10000 записей (зерно 0), вся таблица" in text
    assert "SqlSource" not in text and "FileSource" not in text
    assert "База данных" in text and "Файлы и документы" in text
    assert "части адреса: город, улица, дом, квартира" in text
    # payments.order_no: one order number of 400 passes the BIN checksum, as chance would have it
    assert (
        "случайное совпадение (совпало 1 из 400, случайно ожидалось 0,6; "
        "чисел такой длины: 400)" in text
    )


def test_the_english_html_report_has_no_russian_words(demo_report):
    text = _visible(render_html(demo_report, "en"))
    assert _foreign(text, CYRILLIC, _data_words(demo_report, CYRILLIC)) == []
    assert "all pages, reservoir sample of 10000 records (seed 0), whole table" in text
    assert "Database" in text and "Files and documents" in text
    assert (
        "chance match (1 of 400 values, 0.6 expected by chance for 400 numbers of these lengths)"
        in text
    )


@pytest.mark.parametrize(("lang", "words"), [("ru", LATIN), ("en", CYRILLIC)])
def test_the_text_report_speaks_one_language(demo_report, lang, words):
    text = render_text(demo_report, width=400, show_all=True, lang=lang)
    # "c" in "c=0.95" is the English report's own abbreviation of "confidence"
    allowed = _data_words(demo_report, words) | ({"c"} if lang == "en" else set())
    assert _foreign(text, words, allowed) == []
    dismissed = {
        "ru": "KZ_BIN отклонён, 1 совпадение: случайное совпадение (совпало 1 из 400, случайно "
        "ожидалось 0,6; чисел такой длины: 400)",
        "en": "KZ_BIN dismissed, 1 match: chance match (1 of 400 values, 0.6 expected by chance "
        "for 400 numbers of these lengths)",
    }[lang]
    assert dismissed in text


def test_every_label_table_has_both_languages():
    tables = labels._tables()
    for name in ("evidence", "evidence_values", "sampling_methods", "source_kinds", "statuses"):
        for key, entry in tables[name].items():
            assert set(entry) >= {"ru", "en"}, (name, key)
    assert set(tables["ui"]["ru"]) == set(tables["ui"]["en"])
