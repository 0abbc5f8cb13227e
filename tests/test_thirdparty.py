"""Section 2.4: third parties' data, by field role, a second person in a record, a relative named
in text, and a document of someone else; policy bases, triage, baselines, SARIF and reports."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdaudit.recognizers.base import fold
from pdaudit.scanner import triage as tr
from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.cli import main
from pdaudit.scanner.history import apply_baseline
from pdaudit.scanner.policy import PolicyError, load_policy
from pdaudit.scanner.reports import html as html_report
from pdaudit.scanner.reports import sarif
from pdaudit.scanner.reports import text as text_report
from pdaudit.scanner.scan import ScanOptions, scan
from pdaudit.scanner.thirdparty import (
    _BLANKS,
    _PUNCTUATION,
    _relation_search,
    _relations,
    relation_texts,
    relations_need_non_ascii,
    relatives_in_text,
    role_of,
    row_plan,
    same_person,
)

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = json.loads((ROOT / "sample_data" / "expected_third_party.json").read_text("utf-8"))
DEMO_TABLES = {key.split(".")[0] for key in json.loads(
    (ROOT / "sample_data" / "expected.json").read_text("utf-8")
)}  # fmt: skip
# Synthetic IINs with valid checksums: an adult born 1985-03-12 (male) and two children.
ADULT_IIN = "850312300002"
CHILD_IIN = "150620600006"
CHILD2_IIN = "120101500006"


def third(report: dict) -> dict[str, dict]:
    """table.field -> third_party block, with the schema prefix of server databases removed."""
    return {
        f"{f['container'].split('.')[-1]}.{f['field']}": f["third_party"]
        for f in report["fields"]
        if "third_party" in f and f["container"].split(".")[-1] in DEMO_TABLES
    }


@pytest.fixture(scope="module")
def demo_report(demo_db):
    return scan([str(demo_db)], load_policy(), ScanOptions())


# -- way 1: field role ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("parent_fio", "parent"),
        ("guardianPhone", "guardian"),
        ("ata_ana_aty", "ata_ana"),
        ("form.mother.phone", "mother"),
        ("kontakt_rodstvennika", "rodstvennika"),
        ("zakonnye_predstaviteli", "zakonnye"),
        ("Телефон_матери", "матери"),
        ("emergency_contact_phone", "emergency"),
        ("payer_iin", "payer"),
        ("referrerEmail", "referrer"),
        ("spouse_name", "spouse"),
        ("child_iin", "child"),
        ("fio", None),
        ("phone_alt", None),
        ("balance", None),
        ("teacher_fio", None),
        ("analysis_id", None),
    ],
)
def test_role_of_field_names(name, role):
    assert role_of(name) == role


def test_role_findings_need_personal_data(tmp_path):
    db = tmp_path / "roles.db"
    with sqlite3.connect(db) as con:
        con.execute(
            "create table guardians (id integer primary key, user_id int, fio text, "
            "phone text, relation text)"
        )
        con.execute("create table users (id integer primary key, fio text, guardianPhone text)")
        for i in range(20):
            con.execute(
                "insert into guardians values (?, ?, ?, ?, ?)",
                (i, i, f"Серікбаева Дана {i % 3 and 'Ерланқызы' or ''}".strip(),
                 f"+7 701 555 {i:02d} {i:02d}", "мать"),
            )  # fmt: skip
            con.execute(
                "insert into users values (?, ?, ?)",
                (i, "Нұрланов Арман", f"8 707 123 {i:02d} {i:02d}"),
            )
    report = scan([str(db)], load_policy(), ScanOptions())
    got = {
        f"{f['container']}.{f['field']}": (f["third_party"]["basis"], f["third_party"]["evidence"])
        for f in report["fields"]
        if "third_party" in f
    }
    assert got == {
        "guardians.fio": ("field role", ["table name: guardians"]),
        "guardians.phone": ("field role", ["table name: guardians"]),
        "users.guardianPhone": ("field role", ["field name: guardian"]),
    }
    assert report["third_party_fields"] == 3
    # the holder's own name, the ids and the relation word are nobody else's personal data
    status = {f"{f['container']}.{f['field']}": f["status"] for f in report["fields"]}
    assert status["guardians.relation"] == "no_personal_data"
    assert status["users.fio"] == "within_policy"


# -- way 2: a second person in the same row ------------------------------------------------------


def test_same_person_in_two_spellings():
    assert same_person(["Сейітов", "Арман"], ["SEYITOV", "ARMAN"])
    assert same_person(["Сейітов", "Арман", "Ерланұлы"], ["Сейитов", "А"])
    assert not same_person(["Сейітов", "Арман"], ["Сейітова", "Дана"])
    assert not same_person(["Ким", "Ольга"], ["Ли", "Ольга"])


def test_row_plan_reads_column_names():
    plan = row_plan("forms", ["id", "fio", "iin", "phone", "phone_alt", "second_fio", "second_iin"])
    assert (plan.main_name, plan.main_iin) == ("fio", "iin")
    assert sorted(plan.candidates) == ["second_fio", "second_iin"]
    # a table whose name gives every field a role is way 1's, never compared by row
    assert row_plan("guardians", ["fio", "second_fio"]) is None
    # nothing to compare with
    assert row_plan("t", ["comment", "amount"]) is None


def test_second_person_rows_with_hard_negatives(tmp_path):
    db = tmp_path / "forms.db"
    rows = [
        # another person (a child): name, IIN and phone of the second person
        ("Сейітов Арман Ерланұлы", ADULT_IIN, "+7 701 111 22 33", None,
         "Сейітова Дана", CHILD_IIN, "+7 702 444 55 66"),
        ("Сейітов Арман Ерланұлы", ADULT_IIN, "+7 701 111 22 33", "+7 705 999 88 77",
         "Сейітов Нұрлан", CHILD2_IIN, "+7 702 444 55 67"),
        # the holder again, in Latin letters and with an initial: one person
        ("Сейітов Арман Ерланұлы", ADULT_IIN, "+7 701 111 22 33", "+7 705 999 88 77",
         "SEYITOV ARMAN", ADULT_IIN, "+7 705 999 88 77"),
        ("Сейітов Арман Ерланұлы", ADULT_IIN, "+7 701 111 22 33", None,
         "Сейітов А.", None, None),
        # an organisation is no person
        ("Сейітов Арман Ерланұлы", ADULT_IIN, "+7 701 111 22 33", None,
         "ТОО Ромашка", None, None),
    ]  # fmt: skip
    with sqlite3.connect(db) as con:
        con.execute(
            "create table forms (id integer primary key, fio text, iin text, phone text, "
            "phone_alt text, second_fio text, second_iin text, second_phone text)"
        )
        con.executemany("insert into forms values (null, ?, ?, ?, ?, ?, ?, ?)", rows)
    report = scan([str(db)], load_policy(), ScanOptions())
    got = {f["field"]: f.get("third_party") for f in report["fields"]}
    assert got["second_fio"]["basis"] == "second person in record"
    assert got["second_fio"]["evidence"] == ["second person in row: 2/4"]
    assert got["second_fio"]["share"] == 0.5
    assert got["second_iin"]["evidence"] == [
        "second person in row: 2/3",
        "child's IIN: 2",
        "IIN of the other sex: 1",
    ]
    # a phone counts with the name of its group (second_fio): the holder's own phone in row 3
    assert got["second_phone"]["evidence"] == ["second person in row: 2/3"]
    # the holder's own fields and second phone never are
    assert got["fio"] is None and got["iin"] is None and got["phone"] is None
    assert got["phone_alt"] is None
    assert report["third_party_fields"] == 3


# -- way 3: a relative named in free text --------------------------------------------------------


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(min_score=0.4)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Здравствуйте, мой сын Арман Сейітов не может войти", ["Арман Сейітов"]),
        ("Передайте маме Айгуль Серікқызы, что урок перенесли", ["Айгуль Серікқызы"]),
        ("Бұл менің інімнің нөмірі +7 701 123 45 67, соған хабарласыңыз", ["+7 701 123 45 67"]),
        ("Запишите мою сестру Асель Нурланову на курс", ["Асель Нурланову"]),
        ("Ұлым Нұрлан бүгін сабаққа келмейді", ["Нұрлан"]),  # "ұлым" (my son) is no name part
        # hard negatives: staff, a school, the writer's own signature, an organisation
        ("Учитель Ахметова Гүлнар не ответила на вопрос", []),
        ("Мой сын не понимает, что объясняет учитель Ахметова", []),
        ("Мы учимся в школе имени Абая, 7 класс", []),
        ("Не приходит код. С уважением, Ким Ольга", []),
        ("ТОО «Білім Орталығы» оплатит курс", []),
    ],
)
def test_relatives_in_text(analyzer, text, named):
    [entities] = analyzer.analyze_batch([text], context=["message"])
    got = [text[s:e] for _, s, e in relatives_in_text(text, entities)]
    assert got == named


# -- the demo: every way on SQLite, PostgreSQL and MariaDB ---------------------------------------


def test_demo_third_party_fields(demo_report):
    got = {k: v["basis"] for k, v in third(demo_report).items()}
    assert got == EXPECTED
    assert demo_report["third_party_fields"] == 11
    blocks = third(demo_report)
    assert blocks["parents.parent_fio"]["evidence"] == ["field name: parent"]
    assert blocks["emergency_contacts.contact_phone"]["evidence"] == ["table name: emergency"]
    assert blocks["enrollment_forms.second_fio"]["evidence"] == ["second person in row: 53/102"]
    assert blocks["enrollment_forms.second_iin"]["evidence"] == [
        "second person in row: 53/53",
        "child's IIN: 53",
        "IIN of the other sex: 23",
    ]
    assert blocks["enrollment_forms.id_scan"]["evidence"] == ["document holder differs: 1/9"]
    assert blocks["chat_messages.message"]["evidence"] == ["relative named in text: 102/200"]
    assert blocks["chat_messages.message"]["share"] == 0.51
    assert blocks["chat_messages.message"]["share_interval"] == [0.4412, 0.5784]
    # the account holder's own fields never are third parties'
    own = {"users.fio", "users.phone", "users.email", "users.iin", "enrollment_forms.fio",
           "enrollment_forms.iin", "enrollment_forms.phone", "enrollment_forms.phone_alt",
           "teacher_comments.teacher_fio", "teacher_comments.comment"}  # fmt: skip
    assert not own & set(blocks)
    for block in blocks.values():
        assert block["clause"] == "2.4" and block["status"] == "open"


def test_demo_examples_are_masked(demo_report, demo_db):
    examples = third(demo_report)["chat_messages.message"]["examples"]
    assert len(examples) == 3 and all("*" in x for x in examples)
    with sqlite3.connect(f"file:{demo_db}?mode=ro", uri=True) as con:
        raw = [r for (r,) in con.execute("select second_fio from enrollment_forms") if r]
        raw += [r for (r,) in con.execute("select contact_name from emergency_contacts")]
    text = json.dumps(demo_report, ensure_ascii=False)
    assert not [v for v in raw if v in text]


def test_postgres_gives_the_same_third_parties(demo_report, pg_url):
    report = scan([pg_url], load_policy(), ScanOptions())
    assert third(report) == third(demo_report)


def test_mariadb_gives_the_same_third_parties(demo_report, mariadb_url):
    report = scan([mariadb_url], load_policy(), ScanOptions())
    assert third(report) == third(demo_report)


# -- policy bases, triage, baselines, SARIF, reports ---------------------------------------------


def _policy_with(tmp_path: Path, block: str) -> Path:
    text = (ROOT / "configs" / "mirum-policy.yaml").read_text("utf-8")
    text = text.replace("  exceptions: []\n#    - field:", block + "\n#    - field:")
    path = tmp_path / "policy.yaml"
    path.write_text(text, "utf-8")
    return path


def test_policy_basis_accepts_a_finding(tmp_path, demo_db):
    path = _policy_with(
        tmp_path,
        '  exceptions:\n    - field: "parents.*"\n'
        '      basis: "parents register children under 14; consent form stored in consents"',
    )
    policy = load_policy(path)
    assert policy.summary()["third_parties"]["exceptions"] == [
        {
            "field": "parents.*",
            "basis": "parents register children under 14; consent form stored in consents",
        }
    ]
    report = scan([str(demo_db)], policy, ScanOptions(include=["parents"]))
    blocks = third(report)
    assert blocks["parents.parent_fio"]["status"] == "accepted"
    assert blocks["parents.parent_fio"]["exception"] == {
        "field": "parents.*",
        "basis": "parents register children under 14; consent form stored in consents",
    }
    # the 2.3 status keeps its meaning
    status = {f["field"]: f["status"] for f in report["fields"]}
    assert status["parent_fio"] == "within_policy" and status["parent_iin"] == "beyond_policy"


def test_policy_basis_must_be_written(tmp_path):
    path = _policy_with(tmp_path, '  exceptions:\n    - field: "parents.*"')
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert str(caught.value) == f"{path}:35: third_parties.exceptions[0].basis is required"
    blank = _policy_with(tmp_path, '  exceptions:\n    - field: "parents.*"\n      basis: "  "')
    with pytest.raises(PolicyError) as caught:
        load_policy(blank)
    assert str(caught.value) == (
        f"{blank}: third_parties exception #1 (parents.*) needs a written 'basis'"
    )


def test_triage_accepts_and_dismisses(demo_report, tmp_path):
    report = json.loads(json.dumps(demo_report))
    out = tmp_path / "report.json"
    out.write_text(json.dumps(report, ensure_ascii=False), "utf-8")
    decisions_path = tmp_path / "triage.yaml"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "triage",
            str(out),
            "--mark",
            "parents.parent_fio:THIRD_PARTY=accepted",
            "--mark",
            "support_tickets.message:THIRD_PARTY=false_positive",
            "--reason",
            "consent forms kept by the school",
            "--reviewer",
            "auditor",
            "--triage-file",
            str(decisions_path),
        ],
    )
    assert result.exit_code == 0, result.output
    decisions = tr.load(decisions_path)
    assert tr.apply(report, decisions) == 2
    blocks = third(report)
    assert blocks["parents.parent_fio"]["status"] == "accepted"
    assert blocks["parents.parent_fio"]["triage"]["reason"] == "consent forms kept by the school"
    assert blocks["support_tickets.message"]["status"] == "dismissed"
    assert report["third_party_fields"] == 10
    pending = [(f["field"], e["type"]) for f, e in tr.pending(report, decisions)]
    assert ("parent_fio", "THIRD_PARTY") not in pending
    assert ("parent_phone", "THIRD_PARTY") in pending
    # a field without a third-party finding cannot be marked
    with pytest.raises(tr.TriageError, match="no THIRD_PARTY finding"):
        tr.find_finding(report, None, "users.fio", "THIRD_PARTY")


def test_baseline_and_sarif_carry_third_parties(demo_report):
    before = json.loads(json.dumps(demo_report))
    after = json.loads(json.dumps(demo_report))
    before["fields"] = [f for f in before["fields"] if f["container"] != "chat_messages"]
    apply_baseline(after, before, "before.json")
    blocks = third(after)
    assert blocks["chat_messages.message"]["change"] == "new"
    assert blocks["parents.parent_fio"]["change"] == "unchanged"
    log = sarif.to_sarif(after, lang="en")
    run = log["runs"][0]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "THIRD_PARTY")
    assert rule["properties"]["clause"] == "2.4"
    results = [r for r in run["results"] if r["ruleId"] == "THIRD_PARTY"]
    assert len(results) == 11
    chat = next(r for r in results if "chat_messages.message" in r["message"]["text"])
    assert chat["baselineState"] == "new"
    assert chat["message"]["text"] == (
        "chat_messages.message: Third parties' data (clause 2.4) — other person in text; 51%"
    )
    assert "examples" not in json.dumps(results)  # SARIF carries no values, not even masked


def test_text_and_html_reports_list_them(demo_report):
    text = text_report.render(demo_report, width=200, lang="en")
    assert "Third parties' data (clause 2.4): 11 field(s), 11 without a documented basis" in text
    assert "!THIRD PARTY 2.4 100% (field role)" in text
    text = text_report.render(demo_report, width=200)  # Russian by default
    assert "Данные третьих лиц (п. 2.4): полей 11, без документального основания 11" in text
    assert "!ТРЕТЬИ ЛИЦА 2.4 100% (роль поля)" in text
    page = html_report.render_html(demo_report, lang="ru")
    assert "Данные третьих лиц (п. 2.4)" in page
    assert "Third parties&#39; data (clause 2.4)" in html_report.render_html(demo_report, lang="en")
    # worst first: open findings, field roles before rows, documents and texts
    section = page[page.index('id="third-party"') :]
    first = section.index("emergency_contacts.contact_name")
    assert (
        first
        < section.index("enrollment_forms.second_iin")
        < section.index("chat_messages.message")
    )


def _split_and_strip(text: str) -> bool:
    """The definition ``relation_pattern`` holds: a word split at blanks, folded and stripped of
    punctuation at both ends is a relation word or starts with a relation prefix."""
    exact, prefixes = _relations()
    words = {fold(w).strip(_PUNCTUATION) for w in text.split()}
    return any(w in exact or w.startswith(prefixes) for w in words)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Мой сын, Арман", True),
        ("Сейітов Арман", False),
        ("(бабушке)", True),
        ("Ұлымның", True),  # a prefix word
        ("МОЯ ДОЧЬ", True),
        ("«сынок»,", True),
        ("сын-то", False),  # the hyphen stays inside the word
        ("сын.мама", False),
        ("Сынтемиров Арман", False),
        ("x\ud800 сын", True),  # a lone surrogate does not hide the words after it
        ("", False),
    ],
)
def test_relation_texts_cases(text, expected):
    assert relation_texts([text]) == [expected]
    assert _split_and_strip(text) is expected


def test_blanks_are_what_split_splits_at():
    assert set(_BLANKS) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


def test_relation_texts_equal_split_and_strip():
    """Random texts of relation words, prefixes and their near misses, in every case, glued to
    punctuation and blanks: the polars pass and the definition agree."""
    import random

    rng = random.Random(20261206)
    exact, prefixes = _relations()
    pieces = sorted(exact) + [p + "ымның" for p in prefixes] + [p[:-1] for p in prefixes]
    pieces += ["Арман", "сынтемиров", "ДОЧЬ", "мамаша", "ёлка", "папа2", "ata", "İstanbul"]
    glue = list(_PUNCTUATION) + list(_BLANKS) + ["", "", "x", "1", "\u00ad"]
    texts = []
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(1, 4)):
            word = rng.choice(pieces)
            word = rng.choice([word, word.upper(), word.capitalize(), word.replace("е", "ё")])
            parts += [rng.choice(glue), word, rng.choice(glue)]
        texts.append("".join(parts))
    expected = [_split_and_strip(t) for t in texts]
    assert 300 < sum(expected) < 2700  # both outcomes are well represented
    assert relation_texts(texts) == expected


def test_ascii_texts_skip_the_relation_search(monkeypatch):
    """The shortcut: ASCII texts (e-mails, phones, transliterations of relation words in every
    case) are no relation texts, as the polars pass says, and only the others reach it."""
    import random

    import pdaudit.scanner.thirdparty as tp

    assert relations_need_non_ascii()  # the shipped words are Cyrillic: the shortcut happens
    rng = random.Random(29)
    exact, prefixes = _relations()
    ascii_pieces = ["syn", "SYN", "mama", "Papa", "doch", "ata", "+77011234567", "a@b.kz", "1990"]
    pieces = sorted(exact)[:20] + [p + "ымның" for p in prefixes] + ascii_pieces + ["Арман"]
    glue = [" ", ", ", "(", ")", "", "-"]
    texts = [
        "".join(rng.choice(glue) + rng.choice(pieces) for _ in range(rng.randint(1, 3)))
        for _ in range(2000)
    ]
    texts += ["", "mama", "SYN DOCH"]
    expected = _relation_search(texts)
    seen: list[str] = []

    hits = tp._relation_hits

    def search(part):
        seen.extend(part)
        return hits(part)

    monkeypatch.setattr(tp, "_relation_hits", search)
    assert relation_texts(texts) == expected
    assert seen == [t for t in texts if not t.isascii()]
    assert 0 < len(seen) < len(texts)
    seen.clear()
    assert relation_texts(["a@b.kz", "+77011234567"]) == [False, False]
    assert seen == []
