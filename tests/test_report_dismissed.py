"""The types the field model dismissed (a field's ``dismissed`` list), shown with their reasons in
the HTML and text reports, in Russian and English.

The end-to-end half scans a real SQLite database written to a temporary folder: a column of batch
numbers counting up (11 digits, so each also reads as a KZ phone), a column of passport numbers
(a share of them also reads as phones by chance) and a column of the same three promotional
texts about historical figures. Reasons carry counts only: no value of the database reaches the
dismissed lines.
"""

from __future__ import annotations

import html
import json
import random
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from pdaudit.scanner import fieldmodel
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.reports import labels, render
from pdaudit.scanner.reports.html import render_html
from pdaudit.scanner.reports.text import render as render_text
from pdaudit.scanner.scan import ScanOptions, scan

PROMO = [
    "Готовимся к олимпиаде вместе с Александром Пушкиным и его героями",
    "Весенний марафон: Абай Кунанбаев и Чокан Валиханов ждут вас на уроках истории",
    "Лекция о творчестве Абая Кунанбаева пройдёт в субботу в большом зале",
]
ROWS = 80

LATIN = re.compile(r"[A-Za-z]+")
CYRILLIC = re.compile(r"[А-Яа-яЁё]+")


def _write_db(path: Path) -> list[str]:
    """The shipments table; returns every value written (to check none reaches a report)."""
    rng = random.Random(7)
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE shipments (id INTEGER PRIMARY KEY, batch_no INTEGER, passport_no TEXT,"
        " promo TEXT)"
    )
    values = []
    for i in range(ROWS):
        row = (
            87010000001 + 3 * i,
            f"{rng.randint(1000, 9999)} {rng.randint(100000, 999999)}",
            PROMO[i % 3],
        )
        con.execute("INSERT INTO shipments (batch_no, passport_no, promo) VALUES (?, ?, ?)", row)
        values += [str(x) for x in row]
    con.commit()
    con.close()
    return values


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, list[str]]:
    db = tmp_path_factory.mktemp("dismissed") / "shipments.db"
    values = _write_db(db)
    return scan([str(db)], load_policy(), ScanOptions()), values


@pytest.fixture(scope="module")
def report(scanned) -> dict:
    return scanned[0]


def _field(report: dict, name: str) -> dict:
    (field,) = [f for f in report["fields"] if f["field"] == name]
    return field


SEQUENCE = "sequence: 79 of 79 neighbouring numbers 1 to 10 apart"
CHANCE = "chance: 23 of 80 values, 10.6 expected by chance for 80 numbers of these lengths"
TEMPLATE = "template text: 80 values with a name, 3 distinct texts"

#: field -> the dismissed lines of the HTML report (label, code, matches, reason), per language
HTML_LINES = {
    "ru": {
        "batch_no": [
            "Номер телефона PHONE_NUMBER · 80 совпадений · последовательные номера "
            "(соседних чисел, отличающихся на 1–10: 79 из 79)"
        ],
        "passport_no": [
            "Номер телефона PHONE_NUMBER · 23 совпадения · случайное совпадение "
            "(совпало 23 из 80, случайно ожидалось 10,6; чисел такой длины: 80)"
        ],
        "promo": [
            "ФИО PERSON · 80 совпадений · шаблонный текст "
            "(значений с именем: 80, различных текстов: 3)"
        ],
        "id": [],
    },
    "en": {
        "batch_no": [
            "Phone number PHONE_NUMBER · 80 matches · sequential numbers "
            "(79 of 79 neighbouring numbers 1 to 10 apart)"
        ],
        "passport_no": [
            "Phone number PHONE_NUMBER · 23 matches · chance match "
            "(23 of 80 values, 10.6 expected by chance for 80 numbers of these lengths)"
        ],
        "promo": [
            "Full name PERSON · 80 matches · template text "
            "(80 values with a name, 3 distinct texts)"
        ],
        "id": [],
    },
}

#: field -> the Types cell of the text report (reported types first, then dismissed ones)
TEXT_CELLS = {
    "ru": {
        "batch_no": [
            "PHONE_NUMBER отклонён, 80 совпадений: последовательные номера "
            "(соседних чисел, отличающихся на 1–10: 79 из 79)"
        ],
        "passport_no": [
            "!RU_PASSPORT 26% ув.=0.95",
            "PHONE_NUMBER отклонён, 23 совпадения: случайное совпадение "
            "(совпало 23 из 80, случайно ожидалось 10,6; чисел такой длины: 80)",
        ],
        "promo": [
            "PERSON отклонён, 80 совпадений: шаблонный текст "
            "(значений с именем: 80, различных текстов: 3)"
        ],
    },
    "en": {
        "batch_no": [
            "PHONE_NUMBER dismissed, 80 matches: sequential numbers "
            "(79 of 79 neighbouring numbers 1 to 10 apart)"
        ],
        "passport_no": [
            "!RU_PASSPORT 26% c=0.95",
            "PHONE_NUMBER dismissed, 23 matches: chance match "
            "(23 of 80 values, 10.6 expected by chance for 80 numbers of these lengths)",
        ],
        "promo": [
            "PERSON dismissed, 80 matches: template text (80 values with a name, 3 distinct texts)"
        ],
    },
}


def _html_dismissed(page: str) -> dict[str, list[str]]:
    """Field name -> the visible text of each of its dismissed items."""
    out = {}
    for block in page.split('<details class="field')[1:]:
        block = block.split("</details>", 1)[0]
        name = re.search(r'<code class="fcode">([^<]*)</code>', block).group(1)
        items = re.findall(r'<li class="dismissed-item"[^>]*>(.*?)</li>', block, re.S)
        texts = [html.unescape(re.sub(r"<[^>]+>", "", x)) for x in items]
        out[name.rsplit(".", 1)[-1]] = [" ".join(t.split()) for t in texts]
    return out


def _text_cells(text: str) -> dict[str, list[str]]:
    """Field name -> the lines of its Types cell in the text report's table."""
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        if cells[2]:
            current = cells[2]
            out[current] = []
        if current is not None and cells[4]:
            out[current].append(cells[4])
    return out


def test_the_scan_dismisses_what_the_field_model_rules_out(report):
    assert report["schema_version"] == 1
    assert {f["field"]: f.get("dismissed") for f in report["fields"]} == {
        "id": None,
        "batch_no": [{"type": "PHONE_NUMBER", "matches": 80, "reason": SEQUENCE}],
        "passport_no": [{"type": "PHONE_NUMBER", "matches": 23, "reason": CHANCE}],
        "promo": [{"type": "PERSON", "matches": 80, "reason": TEMPLATE}],
    }
    assert {f["field"]: f["status"] for f in report["fields"]} == {
        "id": "no_personal_data",
        "batch_no": "no_personal_data",
        "passport_no": "beyond_policy",
        "promo": "no_personal_data",
    }
    assert [e["type"] for e in _field(report, "passport_no")["entities"]] == ["RU_PASSPORT"]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_html_report_shows_each_dismissed_type_and_why(report, lang):
    page = render_html(report, lang)
    assert _html_dismissed(page) == HTML_LINES[lang]
    title = labels.ui(lang)["dismissed_title"]
    assert page.count(f"<h4>{title}</h4>") == 3
    badges = re.findall(r'<span class="badge badge-dismissed" title="[^"]*">([^<]*)</span>', page)
    assert (
        sorted(badges)
        == {
            "ru": ["отклонено: Телефон", "отклонено: Телефон", "отклонено: ФИО"],
            "en": ["dismissed: Full name", "dismissed: Phone", "dismissed: Phone"],
        }[lang]
    )


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_text_report_prints_a_line_under_the_field(report, lang):
    text = render_text(report, width=400, lang=lang)
    # the fields without personal data are listed because they have a dismissed type; "id" is not
    assert _text_cells(text) == TEXT_CELLS[lang]
    every = _text_cells(render_text(report, width=400, lang=lang, show_all=True))
    assert every == {**TEXT_CELLS[lang], "id": ["-"]}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_no_value_of_the_database_reaches_the_reports(scanned, lang):
    report, values = scanned
    page = render_html(report, lang)
    text = render_text(report, width=400, lang=lang, show_all=True)
    for value in values:
        assert value not in page and value not in text, value
    # the dismissed lines speak the report's language: numbers and type codes only besides
    other = CYRILLIC if lang == "en" else LATIN
    codes = {"PHONE_NUMBER", "PERSON"}
    for lines in HTML_LINES[lang].values():
        for line in lines:
            assert [w for w in other.findall(line) if not any(w in c for c in codes)] == []


def test_the_json_round_trip_renders_the_same_page(report):
    loaded = json.loads(render(report, "json"))
    assert loaded["fields"] == report["fields"]
    for lang in ("ru", "en"):
        assert render(loaded, "html", lang=lang) == render(report, "html", lang=lang)


# --- every reason the field model writes has words in both languages -----------------------


def _reasons() -> list[str]:
    org = fieldmodel.person_context_verdict(["field name: name"], ["name"], "organisations")
    only = fieldmodel.person_context_verdict(["field name: imya"], ["imya", "faila"], "t")
    return [
        fieldmodel.chance_verdict("PHONE_NUMBER", 1, 400, Counter({11: 400})),
        fieldmodel.chance_verdict("RU_SNILS", 3, 200, Counter({11: 200})),
        fieldmodel.repetition_verdict(40, {"Жұлдыз", "Арман"}, ["stream", "name"]),
        fieldmodel.template_verdict(60, {"Пушкин и Лермонтов: готовимся к сочинению"}, 60),
        fieldmodel.template_verdict(60, {"текст один", "текст два"}, 60),
        fieldmodel.sequence_verdict("PHONE_NUMBER", 79, 79, 80, Counter({11: 80})),
        org,
        only,
    ]


def test_every_reason_of_the_field_model_is_translated():
    ru = [labels.dismissal_label(r, "ru") for r in _reasons()]
    assert ru == [
        "случайное совпадение (совпало 1 из 400, случайно ожидалось 16,0; чисел такой длины: 400)",
        "случайное совпадение (совпало 3 из 200, случайно ожидалось 2,2; чисел такой длины: 200)",
        "повторяющиеся слова (совпадений: 40, различных слов: 2)",
        "шаблонный текст (значений с именем: 60, различных текстов: 1)",
        "шаблонный текст (значений с именем: 60, различных текстов: 2)",
        "последовательные номера (соседних чисел, отличающихся на 1–10: 79 из 79)",
        "таблица организаций: organisations",  # the table's own name
        "только имя поля: imya_faila",  # the field's own name
    ]
    en = [labels.dismissal_label(r, "en") for r in _reasons()]
    assert en == [
        "chance match (1 of 400 values, 16.0 expected by chance for 400 numbers of these lengths)",
        "chance match (3 of 200 values, 2.2 expected by chance for 200 numbers of these lengths)",
        "repeated words (40 matches of 2 distinct words)",
        "template text (60 values with a name, 1 distinct text)",
        "template text (60 values with a name, 2 distinct texts)",
        "sequential numbers (79 of 79 neighbouring numbers 1 to 10 apart)",
        "organisations' table: organisations",
        "only the field name: imya_faila",
    ]


def test_every_translated_reason_names_a_kind_the_evidence_table_knows():
    tables = labels._tables()
    for kind, entry in tables["dismissal_details"].items():
        assert set(entry) == {"match", "ru"}, kind
        assert set(tables["evidence"][kind]) >= {"ru", "en"}, kind
        re.compile(entry["match"])


def test_a_reason_of_an_unknown_shape_keeps_its_words():
    assert labels.dismissal_label("sequence: 5 runs", "ru") == "последовательные номера: 5 runs"
    assert labels.dismissal_label("new rule: 3 of 4", "ru") == "new rule: 3 of 4"
    assert labels.dismissal_label("", "en") == ""


def test_matches_are_counted_in_words():
    assert [labels.matches_text(n, "ru") for n in (1, 2, 5, 21, 112)] == [
        "1 совпадение",
        "2 совпадения",
        "5 совпадений",
        "21 совпадение",
        "112 совпадений",
    ]
    assert [labels.matches_text(n, "en") for n in (1, 2, None)] == ["1 match", "2 matches", ""]


# --- a hand-edited report --------------------------------------------------------------------


def _hostile(report: dict) -> dict:
    bad = json.loads(json.dumps(report))
    _field(bad, "batch_no")["dismissed"] = [
        {"type": "<b>X</b>", "matches": "many", "reason": "chance: <img src=x onerror=alert(1)>"},
        "not an entry",
        {"reason": "sequence: 1 of 2 neighbouring numbers 1 to 10 apart"},
    ]
    _field(bad, "promo")["dismissed"] = 5
    _field(bad, "passport_no")["dismissed"] = "PHONE_NUMBER"
    return bad


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_hand_edited_dismissed_list_is_escaped_and_never_breaks_a_report(report, lang):
    bad = _hostile(report)
    page = render_html(bad, lang)
    assert "<img" not in page and "<b>X" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    dismissed = _html_dismissed(page)
    assert dismissed["promo"] == [] and dismissed["passport_no"] == []
    assert len(dismissed["batch_no"]) == 2
    text = render_text(bad, width=400, lang=lang)
    cells = _text_cells(text)
    assert "promo" not in cells
    assert cells["passport_no"] == TEXT_CELLS[lang]["passport_no"][:1]
    word = {"ru": "отклонён", "en": "dismissed"}[lang]
    assert cells["batch_no"][0].startswith(f"<b>X</b> {word}, ?: ")
