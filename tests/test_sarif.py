"""The SARIF 2.1.0 report, validated against the OASIS schema (../shared/schemas/)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest

from pdaudit.scanner.reports import render
from pdaudit.scanner.reports.sarif import fingerprint, section_of, to_sarif

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
EXAMPLE = Path(__file__).parent / "fixtures" / "report_example.json"
DB = "sqlite:///sample_data/mirum.db"


@cache
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def assert_valid_sarif(log: dict) -> None:
    """Every schema error, not just the first, so a failure says all that is wrong."""
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(log)]
    assert errors == []


@pytest.fixture
def example() -> dict:
    return json.loads(EXAMPLE.read_text("utf-8"))


def test_example_report_is_valid_sarif(example: dict) -> None:
    text = render(example, "sarif")
    log = json.loads(text)
    assert_valid_sarif(log)
    assert log["version"] == "2.1.0"


def test_rules_one_per_reported_type(example: dict) -> None:
    run = to_sarif(example)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [(r["id"], r["name"], r["shortDescription"]["text"]) for r in rules] == [
        ("KZ_ID_DOCUMENT", "KzIdDocument", "Номер удостоверения личности / паспорта (KZ_ID_DOCUMENT)"),
        ("KZ_IIN", "KzIin", "ИИН (KZ_IIN)"),
    ]  # fmt: skip
    assert rules[1]["help"]["text"].startswith("ИИН: не указано в п. 2.3 (Mirum.kz")
    assert rules[1]["defaultConfiguration"] == {"level": "error"}


def test_results_one_per_field_and_beyond_policy_type(example: dict) -> None:
    run = to_sarif(example)["runs"][0]
    got = [
        (
            r["ruleId"],
            r["ruleIndex"],
            r["level"],
            r["locations"][0]["logicalLocations"][2]["fullyQualifiedName"],
            r.get("baselineState"),
            [s["justification"] for s in r.get("suppressions", [])],
        )
        for r in run["results"]
    ]
    assert got == [
        ("KZ_IIN", 1, "error", f"{DB}/users/iin", "new", []),
        ("KZ_IIN", 1, "error", f"{DB}/support_tickets/message", "new", []),
        (
            "KZ_ID_DOCUMENT",
            0,
            "error",
            "sample_data/scans/id_card.png/content",
            "new",
            ["accepted: Документы хранятся по договору с родителями (a.nurlanova, 2026-11-20)"],
        ),
    ]
    first = run["results"][0]
    assert first["message"]["text"] == (
        "users.iin: ИИН (KZ_IIN) — не указано в п. 2.3; 99% (298/300), confidence 0.99"
    )
    assert first["partialFingerprints"] == {
        "pdauditFinding/v1": fingerprint(DB, "users", "iin", "KZ_IIN")
    }
    assert "physicalLocation" not in first["locations"][0]  # a database column has no file
    document = run["results"][2]["locations"][0]["physicalLocation"]
    assert document == {
        "artifactLocation": {"uri": "sample_data/scans/id_card.png"},
        "region": {"startLine": 1},
    }


def test_no_values_in_sarif(example: dict) -> None:
    text = render(example, "sarif")
    for f in example["fields"]:
        for e in f["entities"]:
            for masked in e["examples"]:
                assert masked not in text


def test_errors_become_notifications(example: dict) -> None:
    invocation = to_sarif(example)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert [n["message"]["text"] for n in invocation["toolExecutionNotifications"]] == [
        f"{DB} broken_table: cannot read table broken_table: database disk image is malformed"
    ]


def test_triaged_false_positive_is_suppressed_and_allowed_types_omitted(example: dict) -> None:
    field = example["fields"][0]
    field["entities"][0].update(
        allowed=True,
        change="unchanged",
        triage={"decision": "false_positive", "reason": "номера договоров", "reviewer": "ivan",
                "date": "2026-11-26"},
    )  # fmt: skip
    example["fields"] = [f for f in example["fields"] if f["container"] != "id_card.png"]
    log = to_sarif(example)
    assert_valid_sarif(log)
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["baselineState"], len(r.get("suppressions", []))) for r in results] == [
        ("KZ_IIN", "unchanged", 1),
        ("KZ_IIN", "new", 0),
    ]
    assert results[0]["suppressions"][0]["properties"] == {"decision": "false_positive"}


def test_empty_report_is_valid(example: dict) -> None:
    example["fields"], example["errors"] = [], []
    log = to_sarif(example)
    assert_valid_sarif(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


@pytest.mark.parametrize(
    ("clauses", "section"),
    [
        ({"PERSON": "2.3.1", "EMAIL_ADDRESS": "2.3.2", "PHONE_NUMBER": "2.3.3"}, "2.3"),
        ({"PERSON": "2.3.1"}, "2.3"),
        ({"PERSON": "4.1", "EMAIL_ADDRESS": "4.2"}, "4"),
    ],
)
def test_section_of(clauses: dict, section: str) -> None:
    assert section_of({"clauses": clauses}) == section
