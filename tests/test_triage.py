"""Reviewers' decisions: the triage file, --mark, the interactive walk, and their effect."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pdaudit.scanner import triage
from pdaudit.scanner.cli import main
from pdaudit.scanner.triage import Decision, TriageError

EXAMPLE = Path(__file__).parent / "fixtures" / "report_example.json"
DB = "sqlite:///sample_data/mirum.db"
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def rep() -> dict:
    data = json.loads(EXAMPLE.read_text("utf-8"))
    for f in data["fields"]:  # the example's own decision would mask the ones under test
        for e in f["entities"]:
            e.pop("triage", None)
    return data


def by_name(rep: dict) -> dict[str, dict]:
    return {f"{f['container']}.{f['field']}": f for f in rep["fields"]}


@pytest.mark.parametrize(
    ("mark", "parsed"),
    [
        ("users.iin:KZ_IIN=accepted", (None, "users.iin", "KZ_IIN", "accepted")),
        ("id_card.png.content:KZ_ID_DOCUMENT=false_positive",
         (None, "id_card.png.content", "KZ_ID_DOCUMENT", "false_positive")),
        (f"{DB} users.iin:KZ_IIN=accepted", (DB, "users.iin", "KZ_IIN", "accepted")),
        ("public.users.settings.passport:RU_PASSPORT=accepted",
         (None, "public.users.settings.passport", "RU_PASSPORT", "accepted")),
    ],
)  # fmt: skip
def test_parse_mark(mark: str, parsed: tuple) -> None:
    assert triage.parse_mark(mark) == parsed


@pytest.mark.parametrize(
    ("mark", "message"),
    [
        ("users.iin=accepted", "expected CONTAINER.FIELD:TYPE=DECISION"),
        ("users.iin:KZ_IIN", "expected CONTAINER.FIELD:TYPE=DECISION"),
        ("users.iin:KZ_IIN=ok", "decision must be one of false_positive, accepted"),
        (":KZ_IIN=accepted", "expected CONTAINER.FIELD:TYPE=DECISION"),
    ],
)
def test_parse_mark_errors(mark: str, message: str) -> None:
    with pytest.raises(TriageError, match=message):
        triage.parse_mark(mark)


def test_find_finding(rep: dict) -> None:
    assert triage.find_finding(rep, None, "users.iin", "KZ_IIN") == (
        DB,
        "users",
        "iin",
        "KZ_IIN",
    )
    with pytest.raises(TriageError, match=r"users.iin: no RU_INN finding .*\(found: KZ_IIN\)"):
        triage.find_finding(rep, None, "users.iin", "RU_INN")
    with pytest.raises(TriageError, match="no field users.inn in the report"):
        triage.find_finding(rep, None, "users.inn", "KZ_IIN")
    twin = copy.deepcopy(by_name(rep)["users.iin"])
    twin["source"] = "sqlite:///other.db"
    rep["fields"].append(twin)
    with pytest.raises(TriageError, match="in several sources .*; name one"):
        triage.find_finding(rep, None, "users.iin", "KZ_IIN")
    assert triage.find_finding(rep, "sqlite:///other.db", "users.iin", "KZ_IIN")[0] == (
        "sqlite:///other.db"
    )


def test_decide_needs_a_reason() -> None:
    with pytest.raises(TriageError, match="needs a written reason"):
        triage.decide((DB, "users", "iin", "KZ_IIN"), "accepted", "  ", "ivan")
    d = triage.decide((DB, "users", "iin", "KZ_IIN"), "accepted", " нужно \n по договору ", "ivan",
                      TODAY)  # fmt: skip
    assert d == Decision(DB, "users", "iin", "KZ_IIN", "accepted", "нужно по договору", "ivan",
                         "2026-11-26")  # fmt: skip


def test_a_personal_value_in_a_reason_is_masked() -> None:
    reason = "согласие Жумабеков Арман Нурланович, ИИН 900101300126, ivan.petrov@example.kz"
    d = triage.decide((DB, "users", "iin", "KZ_IIN"), "accepted", reason, "ivan", TODAY)
    assert (
        d.reason == "согласие Ж******** А**** Н*********, ИИН 90********26, i**********@example.kz"
    )


def test_false_positive_and_accepted_recompute_statuses(rep: dict) -> None:
    decisions = {
        d.key: d
        for d in [
            triage.decide((DB, "users", "iin", "KZ_IIN"), "false_positive", "serial numbers",
                          "ivan", TODAY),
            triage.decide((DB, "support_tickets", "message", "KZ_IIN"), "accepted",
                          "parents write IINs in tickets; deleted monthly", "ivan", TODAY),
            triage.decide((DB, "gone", "x", "KZ_IIN"), "accepted", "old", "ivan", TODAY),
        ]
    }  # fmt: skip
    assert triage.apply(rep, decisions) == 2
    fields = by_name(rep)
    iin = fields["users.iin"]
    assert (iin["status"], iin["beyond_policy"]) == ("no_personal_data", [])
    assert iin["entities"][0]["triage"] == {
        "decision": "false_positive",
        "reason": "serial numbers",
        "reviewer": "ivan",
        "date": "2026-11-26",
    }
    assert iin["entities"][0]["allowed"] is True
    ticket = fields["support_tickets.message"]
    assert (ticket["status"], ticket["beyond_policy"]) == ("within_policy", [])
    assert ticket["entities"][2]["triage"]["decision"] == "accepted"
    s = rep["summary"]
    assert (s["beyond_policy"], s["within_policy"], s["no_personal_data"]) == (1, 3, 2)
    assert (s["accepted"], s["false_positive"], s["containers_beyond_policy"]) == (1, 1, 1)
    assert [f["status"] for f in rep["fields"]] == [
        "beyond_policy",
        "within_policy",
        "within_policy",
        "within_policy",
        "no_personal_data",
        "no_personal_data",
    ]


def test_save_and_load_round_trip_without_values(tmp_path: Path, rep: dict) -> None:
    d = triage.decide((DB, "users", "iin", "KZ_IIN"), "accepted", "договор", "a.nurlanova", TODAY)
    path = tmp_path / "pdaudit-triage.yaml"
    triage.save(path, {d.key: d})
    text = path.read_text("utf-8")
    assert text.startswith("# pdaudit triage decisions")
    assert yaml.safe_load(text) == {
        "version": 1,
        "decisions": [
            {
                "source": DB,
                "container": "users",
                "field": "iin",
                "type": "KZ_IIN",
                "decision": "accepted",
                "reason": "договор",
                "reviewer": "a.nurlanova",
                "date": "2026-11-26",
            }
        ],
    }
    assert triage.load(path) == {d.key: d}
    for e in by_name(rep)["users.iin"]["entities"]:
        for example in e["examples"]:
            assert example not in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("decisions: [\n  {a: 1\n", r"triage.yaml:\d+: the triage file is not valid YAML"),
        ("version: 1\n", "needs a 'decisions' list"),
        ("decisions:\n  - {source: s, container: c, field: f, type: T}\n",
         "decision #1 needs source, container, field, type, decision, reason, reviewer, date"),
        ("decisions:\n  - {source: s, container: c, field: f, type: T, decision: maybe, "
         "reason: r, reviewer: v, date: '2026-01-01'}\n", "decision #1 is 'maybe'"),
    ],
)  # fmt: skip
def test_bad_triage_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "triage.yaml"
    path.write_text(content)
    with pytest.raises(TriageError, match=message):
        triage.load(path)


def test_default_path(tmp_path: Path) -> None:
    assert triage.default_path(tmp_path / "r.json") == tmp_path / "pdaudit-triage.yaml"
    run = tmp_path / "2026-11-26T02-00-00"
    run.mkdir()
    assert triage.default_path(run / "report.json") == run / "pdaudit-triage.yaml"
    (tmp_path / "latest.json").write_text("{}")
    assert triage.default_path(run / "report.json") == tmp_path / "pdaudit-triage.yaml"


# --- the command -------------------------------------------------------------------------------


@pytest.fixture
def report_file(tmp_path: Path, rep: dict) -> Path:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(rep, ensure_ascii=False), "utf-8")
    return path


def test_cli_mark(report_file: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "triage",
            str(report_file),
            "--mark",
            "users.iin:KZ_IIN=accepted",
            "--mark",
            "id_card.png.content:KZ_ID_DOCUMENT=false_positive",
            "--reason",
            "проверено",
            "--reviewer",
            "a.nurlanova",
        ],
    )
    path = report_file.parent / "pdaudit-triage.yaml"
    assert (result.exit_code, result.stdout) == (
        0,
        f"{path}: 2 decision(s) recorded, 2 in the file\n",
    )
    saved = triage.load(path)
    assert sorted((d.container, d.decision, d.reviewer) for d in saved.values()) == [
        ("id_card.png", "false_positive", "a.nurlanova"),
        ("users", "accepted", "a.nurlanova"),
    ]


def test_cli_mark_errors_are_one_line(report_file: Path) -> None:
    result = CliRunner().invoke(
        main, ["triage", str(report_file), "--mark", "users.iin:KZ_IIN=accepted"]
    )
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: a decision needs a written reason (--reason)\n",
    )
    assert not (report_file.parent / "pdaudit-triage.yaml").exists()


def test_cli_reviewer_defaults_to_user(
    report_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "d.sadykova")
    out = tmp_path / "decisions.yaml"
    result = CliRunner().invoke(
        main,
        ["triage", str(report_file), "--mark", "users.iin:KZ_IIN=accepted", "--reason", "ok",
         "--triage-file", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [d.reviewer for d in triage.load(out).values()] == ["d.sadykova"]


def test_cli_interactive(report_file: Path) -> None:
    # Three undecided beyond-policy findings: accept the first, skip the second, call the third a
    # false positive; an empty reason is asked again.
    answers = "accepted\nрегистрация по ИИН\nskip\nfalse_positive\n\nномер бланка\n"
    result = CliRunner().invoke(
        main, ["triage", str(report_file), "--reviewer", "ivan"], input=answers
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"[1/3] {DB} users.iin: KZ_IIN in 99% of 300 values, confidence 0.99; "
        "examples: 90********23, 85********11, 01********07; evidence: checksum, field name: iin"
    )
    assert [line.split(" ", 1)[0] for line in lines if line.startswith("[")] == [
        "[1/3]",
        "[2/3]",
        "[3/3]",
    ]
    path = report_file.parent / "pdaudit-triage.yaml"
    assert lines[-1] == f"{path}: 2 decision(s) recorded, 2 in the file"
    saved = {(d.container, d.field): (d.decision, d.reason) for d in triage.load(path).values()}
    assert saved == {
        ("users", "iin"): ("accepted", "регистрация по ИИН"),
        ("id_card.png", "content"): ("false_positive", "номер бланка"),
    }
    # A second walk asks only about what is still undecided, and quit stops it.
    again = CliRunner().invoke(main, ["triage", str(report_file)], input="quit\n")
    assert again.exit_code == 0
    assert again.stdout.startswith(f"[1/1] {DB} support_tickets.message: KZ_IIN in 3% ")
