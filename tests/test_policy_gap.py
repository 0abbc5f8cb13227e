"""The policy gap: what is stored but not declared, declared but not found, and the draft list."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdaudit.recognizers.checksums import mod11_two_pass
from pdaudit.scanner.cli import main
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.policy_gap import policy_gap
from pdaudit.scanner.policy_text import extract_policy
from pdaudit.scanner.reports import render
from pdaudit.scanner.reports.html import write_html
from pdaudit.scanner.scan import ScanOptions, scan

POLICIES = Path(__file__).parent / "fixtures" / "policies"
EXAMPLE = Path(__file__).parent / "fixtures" / "report_example.json"
CHROMIUM = "/usr/bin/chromium"


def iins(n: int) -> list[str]:
    """``n`` synthetic valid ИИН (born 1990-01-.., check digit computed)."""
    out, serial = [], 0
    while len(out) < n:
        serial += 1
        body = f"9001{1 + serial % 28:02d}{3 + serial % 2}{serial:04d}"
        check = mod11_two_pass(body)
        if check is not None:
            out.append(body + str(check))
    return out


def make_db(path: Path, rows: int = 30) -> Path:
    """users: a full name, an e-mail, a phone and an IIN per row (all synthetic)."""
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, fio TEXT, email TEXT, phone TEXT, iin TEXT)"
    )
    con.executemany(
        "INSERT INTO users VALUES (?, ?, ?, ?, ?)",
        [
            (i, "Ким Ольга Маратовна", f"user{i}@mail.kz", f"+7 701 555 {i:02d} {i:02d}", iin)
            for i, iin in enumerate(iins(rows))
        ],
    )
    con.commit()
    con.close()
    return path


@pytest.fixture(scope="module")
def gap_report(tmp_path_factory) -> dict:
    """A real scan of a real SQLite file against the lettered Russian list (ru_perechen.txt)."""
    db = make_db(tmp_path_factory.mktemp("gap") / "crm.db")
    policy = extract_policy(POLICIES / "ru_perechen.txt").to_policy()
    return scan([f"sqlite:///{db}"], policy, ScanOptions())


def test_gap_of_a_scan_against_a_policy_text(gap_report):
    gap = gap_report["policy_gap"]
    assert gap["language"] == "ru" and gap["clause"] == "4"
    assert [(x["type"], [f["field"] for f in x["fields"]]) for x in gap["stored_not_declared"]] == [
        ("EMAIL_ADDRESS", ["email"]),
        ("PHONE_NUMBER", ["phone"]),
    ]
    assert [(x["type"], x["clause"]) for x in gap["declared_not_found"]] == [
        ("DATE_OF_BIRTH", "4(в)"),
        ("CREDIT_CARD", "4(д)"),
        ("IBAN_CODE", "4(д)"),
        ("ADDRESS", "4(е)"),
    ]
    assert gap["unmapped"] == [{"clause": "4(г)", "text": "пол"}]
    assert gap["vague"] == []
    assert gap["draft_text"].splitlines() == [
        "а) фамилия, имя, отчество (при наличии);",
        "б) ИИН;",
        "в) дата рождения;",
        "г) пол;",
        "д) платёжные данные (номер карты, IBAN);",
        "е) адрес проживания;",
        "ж) Адрес электронной почты;",
        "з) Номер телефона.",
    ]
    assert [d["change"] for d in gap["draft"]] == ["kept"] * 6 + ["added"] * 2
    assert gap["disclaimer"].endswith("не является юридической консультацией.")
    assert gap["source"]["name"] == "ru_perechen.txt"


def test_catch_all_moves_to_the_end_of_the_draft():
    """The Mirum-like numbering: new items start at 2.3.4, the catch-all goes last."""
    report = json.loads(EXAMPLE.read_text("utf-8"))
    report["policy"] = extract_policy(POLICIES / "ru_numbered.txt").to_policy().summary()
    gap = policy_gap(report)
    assert gap["draft_text"].splitlines() == [
        "2.3.1. Фамилия, имя и отчество;",
        "2.3.2. Адрес электронной почты;",
        "2.3.3. Номер телефона (в т.ч. мобильного);",
        "2.3.4. Индивидуальный идентификационный номер (ИИН);",
        "2.3.5. Номер и данные удостоверения личности или паспорта;",
        "2.3.6. Другие данные, собираемые на Платформе, являются частью данного договора.",
    ]
    assert [(d["change"], d["was"]) for d in gap["draft"]][-1] == ("moved", "2.3.4")
    assert gap["vague"] == [
        {
            "clause": "2.3.4",
            "text": "Другие данные, собираемые на Платформе, являются частью данного договора",
        }
    ]


def test_hand_written_policy_gets_a_gap_too():
    """configs/mirum-policy.yaml names no language or list style: both come from its clauses."""
    report = json.loads(EXAMPLE.read_text("utf-8"))
    gap = policy_gap(report)
    assert gap["source"] is None
    assert [x["type"] for x in gap["stored_not_declared"]] == ["KZ_IIN", "KZ_ID_DOCUMENT"]
    assert [(f["container"], f["field"]) for f in gap["stored_not_declared"][0]["fields"]] == [
        ("users", "iin"),
        ("support_tickets", "message"),
    ]
    assert gap["draft_text"].splitlines()[3:] == [
        "2.3.4. Индивидуальный идентификационный номер (ИИН);",
        "2.3.5. Номер и данные удостоверения личности или паспорта.",
    ]


def test_false_positives_and_organisations_are_not_stored_personal_data():
    report = json.loads(EXAMPLE.read_text("utf-8"))
    iin = report["fields"][0]["entities"][0]
    iin["triage"] = {"decision": "false_positive", "reason": "order numbers"}
    report["fields"][1]["entities"] = [
        e for e in report["fields"][1]["entities"] if e["type"] != "KZ_IIN"
    ]
    report["fields"][4]["entities"][1]["matches"] = 5  # KZ_BIN in users.email, not personal
    assert [x["type"] for x in policy_gap(report)["stored_not_declared"]] == ["KZ_ID_DOCUMENT"]


def test_english_bulleted_policy_drafts_bullets():
    report = json.loads(EXAMPLE.read_text("utf-8"))
    report["policy"] = extract_policy(POLICIES / "en_bullets.txt").to_policy().summary()
    gap = policy_gap(report)
    assert gap["draft_text"].splitlines() == [
        "- Full name",
        "- Email address",
        "- Phone number (including mobile)",
        "- Date of birth",
        "- IP address, cookies",
        "- Payment details",
        "- Gender",
        "- Individual identification number (IIN)",
        "- Identity card or passport number and details",
        "- Other information you choose to give us",
    ]
    assert gap["disclaimer"] == (
        "A draft for a lawyer to review, written from the scan's findings; it is not legal advice."
    )
    assert [x["type"] for x in gap["declared_not_found"]] == [
        "DATE_OF_BIRTH",
        "IP_ADDRESS",
        "CREDIT_CARD",
        "IBAN_CODE",
    ]
    assert gap["unmapped"] == [
        {"clause": "•5", "text": "cookies"},
        {"clause": "•7", "text": "Gender"},
    ]


def test_kazakh_policy_drafts_in_kazakh():
    report = json.loads(EXAMPLE.read_text("utf-8"))
    report["policy"] = extract_policy(POLICIES / "kk_numbered.txt").to_policy().summary()
    assert policy_gap(report)["draft_text"].splitlines()[5:] == [
        "3.6. Жеке куәліктің немесе төлқұжаттың нөмірі мен деректері;",
        "3.7. Өзге де деректер.",
    ]


def test_scan_policy_text_on_the_command_line(tmp_path):
    db = make_db(tmp_path / "crm.db", rows=20)
    out = tmp_path / "report.json"
    policy = POLICIES / "ru_numbered.txt"
    result = CliRunner().invoke(
        main,
        ["scan", str(db), "--policy-text", str(policy), "--format", "json", "-o", str(out), "-q"],
    )
    assert result.exit_code == 1, result.output  # the IIN column is beyond the policy
    report = json.loads(out.read_text("utf-8"))
    assert report["policy"]["id"] == "ru_numbered-2.3"
    assert report["policy"]["source"] == {
        "name": "ru_numbered.txt",
        "sha256": hashlib.sha256(policy.read_bytes()).hexdigest(),
    }
    gap = report["policy_gap"]
    assert [(x["type"], [f["field"] for f in x["fields"]]) for x in gap["stored_not_declared"]] == [
        ("KZ_IIN", ["iin"])
    ]
    assert gap["draft_text"].splitlines()[3:] == [
        "2.3.4. Индивидуальный идентификационный номер (ИИН);",
        "2.3.5. Другие данные, собираемые на Платформе, являются частью данного договора.",
    ]
    text = render(report, "text", lang="en")
    assert "  Stored but not declared: KZ_IIN (in fields users.iin)" in text.splitlines()
    text = render(report, "text")  # Russian by default
    assert "  Хранится, но не объявлено: KZ_IIN (в полях users.iin)" in text.splitlines()
    assert "    2.3.4. Индивидуальный идентификационный номер (ИИН);" in text.splitlines()
    sarif = json.loads(render(report, "sarif"))
    assert sarif["runs"][0]["properties"]["policyGap"]["storedNotDeclared"] == ["KZ_IIN"]


def test_scan_with_a_policy_text_that_has_no_list_exits_2(tmp_path):
    db = make_db(tmp_path / "crm.db", rows=5)
    result = CliRunner().invoke(
        main, ["scan", str(db), "--policy-text", str(POLICIES / "en_no_list.txt"), "-q"]
    )
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {POLICIES / 'en_no_list.txt'}: no list of processed")
    result = CliRunner().invoke(
        main,
        ["scan", str(db), "--policy-text", str(POLICIES / "ru_table.txt"), "--policy", "x.yaml"],
    )
    assert (result.exit_code, result.output) == (
        2,
        "Error: give --policy or --policy-text, not both\n",
    )


def test_saved_policy_and_policy_text_give_the_same_report(tmp_path, gap_report):
    path = tmp_path / "p.yaml"
    path.write_text(extract_policy(POLICIES / "ru_perechen.txt").to_yaml(), "utf-8")
    db = gap_report["sources"][0]["source"]
    again = scan([db], load_policy(path), ScanOptions())
    assert again["policy"] == gap_report["policy"]
    assert again["policy_gap"] == gap_report["policy_gap"]


# --- the HTML section, in a real browser ------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright import sync_api
    except ImportError:
        pytest.fail("pip package playwright is missing: run `make test`", pytrace=False)
    if shutil.which(CHROMIUM) is None:
        pytest.fail("Debian's chromium is not installed: run `make test`", pytrace=False)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.mark.parametrize(
    "lang, title, stored, draft_head",
    [
        (
            "ru",
            "Расхождения с текстом политики",
            "Хранится, но не объявлено",
            "Черновик исправленного перечня",
        ),
        (
            "en",
            "Gap between the policy's text and the data",
            "Stored but not declared",
            "Draft of the amended list",
        ),
    ],
)
def test_gap_section_in_the_browser(browser, gap_report, tmp_path, lang, title, stored, draft_head):
    path = tmp_path / "report.html"
    report = copy.deepcopy(gap_report)
    write_html(report, path, lang=lang)
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        section = page.locator("#policy-gap")
        assert section.locator("h2").inner_text() == title
        assert section.locator("h3").first.inner_text() == f"{stored} 2"
        assert page.locator("#gap-stored li code.ecode").all_inner_texts() == [
            "EMAIL_ADDRESS",
            "PHONE_NUMBER",
        ]
        assert page.locator("#gap-unmapped li").all_text_contents() == ["4(г) «пол»"]
        assert page.locator("#gap-draft .draft-line").all_inner_texts() == (
            gap_report["policy_gap"]["draft_text"].splitlines()
        )
        assert draft_head in section.inner_text()
        assert page.locator("#gap-draft").get_attribute("lang") == "ru"
        assert (
            section.locator(".gap-source")
            .inner_text()
            .startswith(
                "Политика прочитана из документа ru_perechen.txt"
                if lang == "ru"
                else "Policy read from the document ru_perechen.txt"
            )
        )
    finally:
        page.close()


def test_reports_name_the_list_the_policy_text_has(gap_report):
    """Beyond-policy types say "not in 4", the lettered list's clause, not Mirum's 2.3."""
    from pdaudit.scanner.reports.html import render_html
    from pdaudit.scanner.reports.sarif import section_of

    assert section_of(gap_report["policy"]) == "4"
    bullets = extract_policy(POLICIES / "en_bullets.txt").to_policy().summary()
    assert section_of(bullets) == "«Personal data we collect»"
    page = render_html(gap_report, lang="ru")
    assert 'title="не указано в п. 4"' in page
    assert "не указано в п. 2.3" not in page


def test_personal_values_quoted_by_a_policy_never_leave_it(tmp_path):
    """A policy may quote a person (a contact, an example); the extracted YAML, every report
    format, the log and the error of a policy that maps nothing hold none of it raw."""
    raw = ["900101300126", "Жумабеков", "Нурланович", "ivan.petrov@example.kz", "701 123 45 67"]
    policy = tmp_path / "policy.txt"
    policy.write_text(
        "2. Сбор и обработка персональных данных\n"
        "2.3. Оператор в том числе обрабатывает следующие данные:\n"
        "2.3.1. Фамилия, имя и отчество;\n"
        "2.3.2. Иные данные, например ИИН 900101300126 ответственного лица "
        "Жумабеков Арман Нурланович;\n"
        "2.3.3. Контакт для связи: ivan.petrov@example.kz, +7 701 123 45 67.\n",
        "utf-8",
    )
    yaml_out = tmp_path / "policy.yaml"
    extracted = CliRunner().invoke(main, ["policy", "extract", str(policy), "-o", str(yaml_out)])
    assert extracted.exit_code == 0, extracted.output
    texts = [extracted.output, yaml_out.read_text("utf-8")]
    db = make_db(tmp_path / "crm.db", rows=20)
    for fmt in ("json", "text", "html", "sarif"):
        out = tmp_path / f"report.{fmt}"
        scanned = CliRunner().invoke(
            main,
            ["--log-format", "json", "scan", str(db), "--policy-text", str(policy)]
            + ["--format", fmt, "-o", str(out)],
        )
        assert scanned.exit_code == 1, scanned.output
        texts += [scanned.output, out.read_text("utf-8")]
    nothing = tmp_path / "nothing.txt"
    nothing.write_text(
        "2. Сбор и обработка персональных данных\n"
        "2.3. Оператор в том числе обрабатывает следующие данные:\n"
        "2.3.1. Сведения о Жумабеков Арман Нурланович;\n"
        "2.3.2. Контакт ivan.petrov@example.kz.\n",
        "utf-8",
    )
    refused = CliRunner().invoke(main, ["scan", str(db), "--policy-text", str(nothing)])
    assert refused.exit_code == 2
    texts.append(refused.output)
    for text in texts:
        for value in raw:
            assert value not in text
