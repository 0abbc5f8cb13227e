"""The HTML report: rendering without a browser, then the real page in headless Chromium.

The browser half drives Debian's /usr/bin/chromium through the ``playwright`` pip package used only
as a client (no browser download). It records every request the page makes, every console
message and every dialog, so a loaded resource or a running payload fails the test.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
import os
import re
import shlex
import shutil
from pathlib import Path

import pytest

from pdaudit.scanner.reports import labels
from pdaudit.scanner.reports.html import order_fields, render_html, write_html

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "report_example.json"
# Screenshots go to a temporary folder; `make screenshots` points this at docs/screenshots/ to
# refresh the README's pictures on purpose, so a test run never changes the tree.
SCREENSHOTS_ENV = "PDAUDIT_SCREENSHOTS_DIR"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def report() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _xss_report(report: dict) -> dict:
    """The fixture with payloads that set ``window.__xss`` if any of them ever runs."""
    bad = copy.deepcopy(report)
    first = bad["fields"][0]
    first["source"] = 'javascript:window.__xss="source"'
    first["container"] = '" onmouseover="window.__xss=\'attr\'" x="'
    first["entities"][0]["examples"] = ['"><svg onload="window.__xss=\'example\'">']
    first["entities"][0]["evidence"] = ["context: <img src=y onerror=\"window.__xss='ev'\">"]
    bad["fields"][5]["field"] = "<script>window.__xss='field'</script>"
    bad["fields"][5]["note"] = "<img src=x onerror=\"window.__xss='note'\">"
    bad["errors"][0]["message"] = "</code><script>window.__xss='error'</script>"
    triage = bad["fields"][2]["entities"][1]["triage"]
    triage["reason"] = "<iframe src=javascript:window.__xss='reason'></iframe>"
    bad["resolved"][0]["field"] = "</pre><script>window.__xss='resolved'</script>"
    bad["history"][0]["run"] = "<script>window.__xss='run'</script>"
    return bad


def _beyond_ids(page_html: str) -> list[str]:
    section = page_html.split('id="beyond"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<code class="fcode">([^<]*)</code>', section)


# --- labels ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity", "ru", "en"),
    [
        ("KZ_IIN", "ИИН", "IIN (Kazakhstan individual ID)"),
        ("PERSON", "ФИО", "Full name"),
        ("PHONE_NUMBER", "Номер телефона", "Phone number"),
        (
            "KZ_ID_DOCUMENT",
            "Номер удостоверения личности / паспорта",
            "ID card / passport number (Kazakhstan)",
        ),
        ("DATE_OF_BIRTH", "Дата рождения", "Date of birth"),
        ("ADDRESS", "Адрес", "Postal address"),
        ("IBAN_CODE", "IBAN (банковский счёт)", "IBAN (bank account)"),
        ("CREDIT_CARD", "Номер банковской карты", "Bank card number"),
        ("IP_ADDRESS", "IP-адрес", "IP address"),
        ("RU_INN", "ИНН (Россия)", "INN (Russian taxpayer number)"),
        ("RU_SNILS", "СНИЛС", "SNILS (Russian pension insurance number)"),
        ("RU_PASSPORT", "Паспорт РФ", "Russian passport number"),
        ("KZ_BIN", "БИН (организация)", "BIN (Kazakhstan business ID)"),
        ("EMAIL_ADDRESS", "Адрес электронной почты", "Email address"),
        ("NOT_A_TYPE", "NOT_A_TYPE", "NOT_A_TYPE"),
    ],
)
def test_entity_labels(entity, ru, en):
    assert labels.entity_label(entity, "ru") == ru
    assert labels.entity_label(entity, "en") == en


@pytest.mark.parametrize(
    ("clause", "lang", "section", "expected"),
    [
        ("2.3.1", "ru", None, "п. 2.3.1"),
        (None, "ru", None, "не указано в п. 2.3"),
        ("2.3.3", "en", None, "clause 2.3.3"),
        (None, "en", "4.1", "not listed in clause 4.1"),
    ],
)
def test_clause_text(clause, lang, section, expected):
    assert labels.clause_text(clause, lang, section) == expected


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [
        (0, "полей", "fields"),
        (1, "поле", "field"),
        (2, "поля", "fields"),
        (4, "поля", "fields"),
        (5, "полей", "fields"),
        (11, "полей", "fields"),
        (12, "полей", "fields"),
        (21, "поле", "fields"),
        (22, "поля", "fields"),
        (111, "полей", "fields"),
    ],
)
def test_plural(n, ru, en):
    assert labels.plural(n, "field", "ru") == ru
    assert labels.plural(n, "field", "en") == en


@pytest.mark.parametrize(
    ("evidence", "ru", "en"),
    [
        ("checksum", "контрольная сумма сошлась", "checksum valid"),
        ("field name: iin", "имя поля: iin", "field name: iin"),
        ("context: удостоверение", "слово рядом: удостоверение", "context word: удостоверение"),
        ("something new", "something new", "something new"),
    ],
)
def test_evidence_label(evidence, ru, en):
    assert labels.evidence_label(evidence, "ru") == ru
    assert labels.evidence_label(evidence, "en") == en


def test_every_label_has_both_languages():
    for entity in labels.entity_types():
        assert labels.entity_label(entity, "ru") and labels.entity_label(entity, "en")
    assert labels.ui("ru").keys() == labels.ui("en").keys()


def test_unsupported_language(report):
    with pytest.raises(ValueError, match="unsupported report language 'kk'"):
        render_html(report, lang="kk")


# --- rendering without a browser ------------------------------------------------------------


def test_data_is_escaped(report):
    page = render_html(report)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("<script") == 1  # ours, at the end of the body


def test_xss_payloads_are_escaped_everywhere(report):
    page = render_html(_xss_report(report))
    assert page.count("<script") == 1
    for tag in ("<svg onload", "<img src=y", "<img src=x", "<iframe", "</pre><script"):
        assert tag not in page
    assert 'onmouseover="window' not in page
    assert "&#34; onmouseover=&#34;window.__xss=&#39;attr&#39;&#34; x=&#34;" in page


def test_page_is_self_contained_with_csp(report):
    page = render_html(report)
    assert "http://" not in page and "https://" not in page
    assert re.findall(r"\s(?:src|href)=\"([^\"]*)\"", page) == ["data:,"]
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    csp = html.unescape(csp)
    assert csp == (
        f"default-src 'none'; style-src {sha(style)}; "
        f"script-src {sha(script)}; img-src data:; base-uri 'none'; form-action 'none'"
    )
    assert ' style="' not in page  # inline style attributes would need 'unsafe-inline'


def test_verdict_counts(report):
    page = render_html(report)
    assert (
        '<span class="big" id="verdict-beyond">3</span> <span class="vtext">поля вне политики</span>'
        in page
    )
    assert "в 3 таблицах или файлах; из них 1 уже рассмотрено" in page
    assert "<b>1</b> ошибка чтения: часть данных не проверена" in page
    page_en = render_html(report, "en")
    assert '<span class="vtext">fields beyond policy</span>' in page_en
    assert "in 3 tables or files; 1 already reviewed" in page_en


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "ru",
            [
                "ИИН",
                "Номер удостоверения личности / паспорта",
                "ФИО",
                "Номер телефона",
                "Адрес электронной почты",
                "не указано в п. 2.3",
                "п. 2.3.1",
                "п. 2.3.3",
                "Вне политики",
                "Новое",
                "Принято",
                "Поля без персональных данных",
                "99,3\u00a0%",
                "97,6\u00a0% – 99,8\u00a0%",
                "298 из 300",
                "стр.&nbsp;1",
                "контрольная сумма сошлась",
                "имя поля: iin",
                "Дата рождения",
            ],
        ),
        (
            "en",
            [
                "IIN (Kazakhstan individual ID)",
                "ID card / passport number (Kazakhstan)",
                "Full name",
                "Phone number",
                "Email address",
                "not listed in clause 2.3",
                "clause 2.3.1",
                "Beyond policy",
                "New",
                "Accepted",
                "Fields without personal data",
                "99.3%",
                "97.6% – 99.8%",
                "298 of 300",
                "p.&nbsp;1",
                "checksum valid",
            ],
        ),
    ],
)
def test_human_labels(report, lang, expected):
    page = render_html(report, lang)
    assert f'<html lang="{lang}">' in page
    missing = [x for x in expected if x not in page]
    assert missing == []


def test_bin_that_is_not_personal_is_not_shown(report):
    assert "БИН" not in render_html(report)


def test_fixture_beyond_policy_worst_first(report):
    # The reviewed (accepted) ID card goes after the two undecided IIN fields; larger share first.
    assert _beyond_ids(render_html(report)) == [
        "users.iin",
        "support_tickets.message",
        "id_card.png.content",
    ]


def _field(name: str, types: list[str], share: float, decided: bool = False) -> dict:
    container, field = name.split(".")
    entities = [
        {"type": t, "matches": 1, "share": share, "allowed": False, "clause": None}
        | ({"triage": {"decision": "accepted", "reason": "r"}} if decided else {})
        for t in types
    ]
    return {
        "source": "db",
        "container": container,
        "field": field,
        "entities": entities,
        "beyond_policy": types,
        "status": "beyond_policy",
        "values_scanned": 10,
    }


def test_order_fields_worst_first():
    fields = [
        _field("t.ip", ["IP_ADDRESS"], 1.0),
        _field("t.dob", ["DATE_OF_BIRTH"], 0.2),
        _field("t.iin_half", ["KZ_IIN"], 0.5),
        _field("t.two", ["IP_ADDRESS", "DATE_OF_BIRTH"], 0.1),
        _field("t.card", ["CREDIT_CARD"], 0.9),
        _field("t.reviewed", ["KZ_IIN", "CREDIT_CARD"], 1.0, decided=True),
        _field("t.addr", ["ADDRESS"], 0.3),
    ]
    expected = ["t.two", "t.card", "t.iin_half", "t.addr", "t.dob", "t.ip", "t.reviewed"]
    ordered = [f"{f['container']}.{f['field']}" for f in order_fields(fields)]
    assert ordered == expected
    assert _beyond_ids(render_html({"fields": fields})) == expected


def test_triage_commands_are_shell_quoted():
    field = _field("users.iin", ["KZ_IIN"], 1.0)
    odd = _field("users.x", ["KZ_IIN"], 1.0)
    odd["field"] = "it's <b>"
    page = render_html({"fields": [field, odd]}, json_path="runs/my report.json")
    commands = [html.unescape(c) for c in re.findall(r'<pre class="cmd">([^<]*)</pre>', page)]
    assert commands == [
        "pdaudit triage 'runs/my report.json' --mark users.iin:KZ_IIN=accepted --reason 'опишите причину'",
        "pdaudit triage 'runs/my report.json' --mark users.iin:KZ_IIN=false_positive --reason 'опишите причину'",
        "pdaudit triage 'runs/my report.json' --mark 'users.it'\"'\"'s <b>:KZ_IIN=accepted' --reason 'опишите причину'",
        "pdaudit triage 'runs/my report.json' --mark 'users.it'\"'\"'s <b>:KZ_IIN=false_positive' --reason 'опишите причину'",
    ]
    assert shlex.split(commands[2])[4] == "users.it's <b>:KZ_IIN=accepted"
    snippets = [html.unescape(c) for c in re.findall(r'<pre class="code">([^<]*)</pre>', page)]
    assert snippets[0] == (
        'exceptions:\n  - field: "users.iin"\n    types: [KZ_IIN]\n    reason: "опишите причину"'
    )


def test_decided_findings_offer_no_commands(report):
    page = render_html(report)
    commands = [html.unescape(c) for c in re.findall(r'<pre class="cmd">([^<]*)</pre>', page)]
    assert commands == [
        "pdaudit triage report.json --mark users.iin:KZ_IIN=accepted --reason 'опишите причину'",
        "pdaudit triage report.json --mark users.iin:KZ_IIN=false_positive --reason 'опишите причину'",
        "pdaudit triage report.json --mark support_tickets.message:KZ_IIN=accepted --reason 'опишите причину'",
        "pdaudit triage report.json --mark support_tickets.message:KZ_IIN=false_positive --reason 'опишите причину'",
    ]
    assert (
        "Принято · a.nurlanova, 2026-11-20</strong>. Причина: Документы хранятся по договору с родителями"
        in page
    )


@pytest.mark.parametrize(
    "drop", ["history", "resolved", "errors", "summary", "policy", "sources", "sampling", "tool"]
)
def test_optional_keys_may_be_missing(report, drop):
    old = copy.deepcopy(report)
    del old[drop]
    page = render_html(old)
    assert '<span class="big" id="verdict-beyond">3</span>' in page
    assert ('class="trend"' in page) is (drop != "history")
    assert ('id="resolved"' in page) is (drop != "resolved")


def test_old_report_without_change_triage_or_intervals(report):
    old = copy.deepcopy(report)
    for field in old["fields"]:
        field.pop("status")
        for entity in field["entities"]:
            for key in ("change", "triage", "share_interval", "pages", "evidence", "confidence"):
                entity.pop(key, None)
    page = render_html(old)
    assert _beyond_ids(page) == ["id_card.png.content", "users.iin", "support_tickets.message"]
    assert 'class="badge badge-new"' not in page and "Принято" not in page


def test_empty_report_renders():
    page = render_html({})
    assert '<span class="big" id="verdict-beyond">0</span>' in page
    assert "Полей вне политики нет." in page
    assert "Все источники прочитаны" in page
    assert "Персональные данные не найдены." in page


def test_write_html_is_atomic(report, tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    write_html(report, target, lang="en")
    assert target.read_text(encoding="utf-8") == render_html(report, "en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    with pytest.raises(FileNotFoundError):
        write_html(report, tmp_path / "missing" / "report.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


# --- in a real browser ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    # `make test` installs both; a missing one is a failure, never a silent skip.
    try:
        from playwright import sync_api
    except ImportError:
        pytest.fail("pip package playwright is missing: run `make test`", pytrace=False)
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.fail("Debian's chromium is not installed: run `make test`", pytrace=False)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def pages(report, tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    paths = {}
    for name, data, lang in [
        ("ru", report, "ru"),
        ("en", report, "en"),
        ("xss", _xss_report(report), "ru"),
    ]:
        paths[name] = folder / f"{name}.html"
        write_html(data, paths[name], lang=lang)
    return paths


class Recorder:
    """Opens a page in a fresh context and keeps its requests, console messages and dialogs."""

    def __init__(self, browser, path: Path, **context_options):
        self.requests, self.console, self.errors, self.dialogs = [], [], [], []
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.as_uri()
        self.page.goto(self.url)

    def visible_fields(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "[data-kind=field]",
            "els => els.filter(e => e.offsetParent !== null)"
            ".map(e => e.querySelector('.fcode').textContent)",
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser):
    opened = []

    def _open(path: Path, **options) -> Recorder:
        rec = Recorder(browser, path, **options)
        opened.append(rec)
        return rec

    yield _open
    for rec in opened:
        rec.close()


ALL_FIELDS = [
    "users.iin",
    "support_tickets.message",
    "id_card.png.content",
    "users.email",
    "users.fio",
    "courses.<script>alert(1)</script>",
]


def test_page_loads_offline_without_errors(open_page, pages):
    rec = open_page(pages["ru"], viewport={"width": 1280, "height": 900})
    assert rec.requests == [rec.url]
    assert rec.console == [] and rec.errors == [] and rec.dialogs == []
    assert (
        rec.page.title()
        == "Отчёт о персональных данных — Mirum.kz: политика конфиденциальности, п. 2.3"
    )
    assert rec.visible_fields() == ALL_FIELDS
    assert rec.page.inner_text("#filter-count") == "Показано 6 из 6"


def test_verdict_in_browser(open_page, pages):
    rec = open_page(pages["ru"])
    verdict = " ".join(rec.page.inner_text(".vmain").split())
    assert verdict == "3 поля вне политики в 3 таблицах или файлах; из них 1 уже рассмотрено"
    errors = " ".join(rec.page.inner_text("#verdict-errors").split())
    assert errors == "1 ошибка чтения: часть данных не проверена"
    rec_en = open_page(pages["en"])
    assert " ".join(rec_en.page.inner_text(".vhead").split()) == "3 fields beyond policy"
    errors_en = " ".join(rec_en.page.inner_text("#verdict-errors").split())
    assert errors_en == "1 read error: some data was not checked"


@pytest.mark.parametrize(
    ("control", "value", "expected", "count"),
    [
        ("type", "KZ_IIN", ["users.iin", "support_tickets.message"], "Показано 2 из 6"),
        (
            "type",
            "PERSON",
            ["support_tickets.message", "id_card.png.content", "users.fio"],
            "Показано 3 из 6",
        ),
        ("status", "within_policy", ["users.email", "users.fio"], "Показано 2 из 6"),
        ("status", "no_personal_data", ["courses.<script>alert(1)</script>"], "Показано 1 из 6"),
        ("source", "sample_data/scans", ["id_card.png.content"], "Показано 1 из 6"),
        ("container", "users", ["users.iin", "users.email", "users.fio"], "Показано 3 из 6"),
    ],
)
def test_select_filters(open_page, pages, control, value, expected, count):
    rec = open_page(pages["ru"])
    rec.page.select_option(f"#filters select[name={control}]", value)
    assert rec.visible_fields() == expected
    assert rec.page.inner_text("#filter-count") == count
    rec.page.click("#filter-reset")
    assert rec.visible_fields() == ALL_FIELDS


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("email", ["users.email"]),
        ("Удостоверения", ["id_card.png.content"]),
        ("ИИН", ["users.iin", "support_tickets.message"]),
        ("users iin", ["users.iin"]),
        ("<script>", ["courses.<script>alert(1)</script>"]),
        ("nothing-like-this", []),
    ],
)
def test_search_box(open_page, pages, query, expected):
    rec = open_page(pages["ru"])
    rec.page.fill("#filters input[name=search]", query)
    assert rec.visible_fields() == expected
    beyond_empty = rec.page.locator("#beyond [data-empty]")
    assert beyond_empty.is_visible() is not any(x in ALL_FIELDS[:3] for x in expected)


def test_filters_combine_and_hide_errors_of_other_sources(open_page, pages):
    rec = open_page(pages["ru"])
    rec.page.select_option("#filters select[name=source]", "sample_data/scans")
    assert rec.page.locator("#errors li").is_visible() is False
    rec.page.select_option("#filters select[name=source]", "sqlite:///sample_data/mirum.db")
    rec.page.select_option("#filters select[name=type]", "KZ_IIN")
    assert rec.visible_fields() == ["users.iin", "support_tickets.message"]
    assert rec.page.locator("#resolved li").is_visible() is True
    assert rec.page.locator("#errors li").is_visible() is False


def test_xss_payloads_do_not_run(open_page, pages):
    rec = open_page(pages["xss"])
    rec.page.hover("#field-1 summary")
    rec.page.click("#field-1 summary")
    rec.page.select_option("#filters select[name=status]", "no_personal_data")
    rec.page.click("#field-6 summary")
    assert rec.page.evaluate("window.__xss") is None
    assert rec.dialogs == [] and rec.errors == [] and rec.console == []
    assert rec.requests == [rec.url]
    assert rec.page.get_by_text(
        "<script>window.__xss='field'</script>", exact=False
    ).first.is_visible()
    assert rec.page.get_by_text(
        "<img src=x onerror=\"window.__xss='note'\">", exact=False
    ).is_visible()


def test_fixture_payload_shows_as_text(open_page, pages):
    rec = open_page(pages["ru"])
    assert rec.page.inner_text("#field-6 .fcode") == "courses.<script>alert(1)</script>"
    rec.page.click("#field-6 summary")
    assert rec.page.inner_text("#field-6 .note") == "Примечание: <img src=x onerror=alert(1)>"
    assert rec.dialogs == []


def test_without_javascript_everything_is_visible(open_page, pages):
    rec = open_page(pages["ru"], java_script_enabled=False)
    assert rec.visible_fields() == ALL_FIELDS
    assert rec.page.locator("#filters").is_visible() is False
    assert rec.page.locator("#errors li").is_visible()
    assert rec.page.locator("#resolved li").is_visible()
    assert rec.page.locator(".copy").count() == 0
    assert rec.requests == [rec.url]


@pytest.mark.parametrize("js", [True, False])
def test_print_expands_everything(open_page, pages, js):
    rec = open_page(pages["ru"], java_script_enabled=js)
    body = rec.page.locator("#field-1 .fbody")
    assert body.is_visible() is False
    rec.page.emulate_media(media="print")
    assert body.is_visible() is True
    assert rec.page.locator("#filters").is_visible() is False


def test_english_page_labels(open_page, pages):
    rec = open_page(pages["en"])
    text = rec.page.inner_text("body")
    for label in [
        "IIN (Kazakhstan individual ID)",
        "Full name",
        "What the policy allows",
        "Fields beyond policy",
        "Showing 6 of 6",
    ]:
        assert label in text
    rec.page.click("#field-1 summary")
    assert "not listed in clause 2.3" in rec.page.inner_text("#field-1")


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """Where the screenshots go: a temporary folder unless ``make screenshots`` names one."""
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_phone_width_has_no_horizontal_scroll(open_page, pages, screenshots):
    rec = open_page(pages["ru"], viewport={"width": 390, "height": 844})
    target = screenshots / "report-phone.png"
    rec.page.screenshot(path=str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for summary in rec.page.locator("details.field > summary").all():
        summary.click()
    assert rec.page.evaluate("document.documentElement.scrollWidth") == 390


def test_screenshot(open_page, pages, screenshots):
    rec = open_page(pages["ru"], viewport={"width": 1280, "height": 900})
    rec.page.click("#field-1 summary")
    target = screenshots / "report.png"
    rec.page.screenshot(path=str(target), full_page=True)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert rec.console == [] and rec.requests == [rec.url]


def test_demo_report_screenshot(open_page, tmp_path, screenshots):
    """The demo audit (sample database and scans) renders cleanly; its screenshot is in the README."""
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.scan import scan

    demo = scan(
        [str(ROOT / "sample_data" / "mirum.db"), str(ROOT / "sample_data" / "scans")], load_policy()
    )
    path = tmp_path / "report.html"
    write_html(demo, path)
    rec = open_page(path, viewport={"width": 1280, "height": 900})
    assert rec.requests == [rec.url]
    assert rec.console == [] and rec.errors == [] and rec.dialogs == []
    beyond = demo["summary"]["beyond_policy"]
    assert rec.page.inner_text(".vhead").split()[0] == str(beyond)
    assert len(rec.visible_fields()) == demo["summary"]["fields"]
    target = screenshots / "demo-report.png"
    rec.page.screenshot(path=str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _dismissed_report(report: dict) -> dict:
    """The fixture with types the field model dismissed: under a beyond-policy field and under
    a field without personal data."""
    data = copy.deepcopy(report)
    data["fields"][0]["dismissed"] = [
        {
            "type": "RU_SNILS",
            "matches": 2,
            "reason": "chance: 2 of 300 values, 3.1 expected by chance for 300 numbers "
            "of these lengths",
        }
    ]
    data["fields"][5]["dismissed"] = [
        {
            "type": "PERSON",
            "matches": 40,
            "reason": "repetition: 40 matches of 3 distinct words",
        }
    ]
    return data


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "ru",
            [
                "СНИЛС RU_SNILS · 2 совпадения · случайное совпадение "
                "(совпало 2 из 300, случайно ожидалось 3,1; чисел такой длины: 300)",
                "ФИО PERSON · 40 совпадений · повторяющиеся слова "
                "(совпадений: 40, различных слов: 3)",
            ],
        ),
        (
            "en",
            [
                "SNILS (Russian pension insurance number) "
                "RU_SNILS · 2 matches · chance match (2 of 300 values, 3.1 expected by chance "
                "for 300 numbers of these lengths)",
                "Full name PERSON · 40 matches · repeated words (40 matches of 3 distinct words)",
            ],
        ),
    ],
)
def test_dismissed_types_show_in_the_field_details(open_page, report, tmp_path, lang, expected):
    path = tmp_path / f"dismissed-{lang}.html"
    write_html(_dismissed_report(report), path, lang=lang)
    rec = open_page(path, viewport={"width": 390, "height": 844})
    blocks = rec.page.locator(".dismissed")
    assert blocks.count() == 2 and not blocks.first.is_visible()  # closed until opened
    badges = {
        "ru": ["ОТКЛОНЕНО: СНИЛС", "ОТКЛОНЕНО: ФИО"],
        "en": ["DISMISSED: SNILS", "DISMISSED: FULL NAME"],
    }
    assert rec.page.locator("summary .badge-dismissed").all_inner_texts() == badges[lang]
    for summary in rec.page.locator("details.field > summary").all():
        summary.click()
    assert rec.page.locator(".dismissed-item").all_inner_texts() == expected
    title = labels.ui(lang)["dismissed_title"]
    assert rec.page.locator(".dismissed h4").all_inner_texts() == [title, title]
    assert rec.page.evaluate("document.documentElement.scrollWidth") == 390
    assert rec.console == [] and rec.errors == [] and rec.requests == [rec.url]
