"""``pdaudit detect``: the public JSONL shape, exact spans on the demo lines, options, edge input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdaudit.scanner.cli import main

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = ROOT / "sample_data" / "messages.txt"

EXPECTED = [
    [("PERSON", 25, 53, 0.95), ("PHONE_NUMBER", 67, 85, 0.95)],
    [("PERSON", 0, 23, 0.95), ("KZ_IIN", 29, 41, 1.0)],
    [("PHONE_NUMBER", 28, 43, 0.85), ("EMAIL_ADDRESS", 60, 76, 1.0)],
    [("CREDIT_CARD", 14, 33, 1.0), ("IBAN_CODE", 47, 67, 1.0)],
    [("PERSON", 0, 20, 0.95), ("DATE_OF_BIRTH", 36, 46, 0.9), ("ADDRESS", 48, 81, 0.95)],
    [],  # a lesson date, a course named after Pushkin, an SKU
    [("PERSON", 10, 24, 0.9), ("KZ_ID_DOCUMENT", 39, 48, 0.9)],
    [],  # an order number and a version string
]


def _run(args, stdin=None):
    result = CliRunner().invoke(main, ["detect", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_demo_messages_exact():
    lines = _run([str(MESSAGES)])
    assert [out["line"] for out in lines] == list(range(1, len(EXPECTED) + 1))
    got = [
        [(e["type"], e["start"], e["end"], e["score"]) for e in out["entities"]] for out in lines
    ]
    assert got == EXPECTED
    for out in lines:
        assert list(out) == ["line", "entities"]
        for e in out["entities"]:
            assert list(e) == ["type", "start", "end", "score"]


def test_spans_are_code_points_of_the_line():
    text = MESSAGES.read_text("utf-8").splitlines()
    lines = _run([str(MESSAGES)])
    assert text[1][29:41] == "900101300126"
    assert text[0][25:53] == "Сагинтаева Айгерим Серикқызы"
    assert lines[1]["entities"][1]["type"] == "KZ_IIN"


def test_stdin_crlf_and_empty_lines():
    lines = _run(["-"], stdin="a\r\n\r\nИИН 900101300126\n")
    assert lines == [
        {"line": 1, "entities": []},
        {"line": 2, "entities": []},
        {"line": 3, "entities": [{"type": "KZ_IIN", "start": 4, "end": 16, "score": 1.0}]},
    ]


def test_last_line_without_newline():
    assert _run(["-"], stdin="ИИН 900101300126") == [
        {"line": 1, "entities": [{"type": "KZ_IIN", "start": 4, "end": 16, "score": 1.0}]}
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--entities", "PHONE_NUMBER"], [("PHONE_NUMBER", 10, 25, 0.85)]),
        (
            ["--entities", "PERSON,PHONE_NUMBER"],
            [("PERSON", 0, 9, 0.9), ("PHONE_NUMBER", 10, 25, 0.85)],
        ),
        (["--min-score", "0.9"], [("PERSON", 0, 9, 0.9)]),
        (["--min-score", "0.95"], []),
    ],
)
def test_entities_and_min_score(args, expected):
    [out] = _run(["-", *args], stdin="Ким Ольга 8 701 234 56 78\n")
    assert [(e["type"], e["start"], e["end"], e["score"]) for e in out["entities"]] == expected


def test_text_format_masks_values():
    result = CliRunner().invoke(
        main, ["detect", "-", "--format", "text"], input="Ким Ольга 8 701 234 56 78\n\n"
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "1: PERSON 0-9 0.90 К** О****; PHONE_NUMBER 10-25 0.85 8 7** *** ** 78",
        "2: -",
    ]
    assert "234 56" not in result.stdout


def test_many_lines_are_batched_in_order():
    lines = ["ИИН 900101300126" if i % 500 == 0 else f"строка {i}" for i in range(4500)]
    out = _run(["-"], stdin="\n".join(lines) + "\n")
    assert len(out) == 4500
    hits = [o["line"] for o in out if o["entities"]]
    assert hits == [i + 1 for i in range(0, 4500, 500)]


def test_missing_file_is_one_line_error():
    result = CliRunner().invoke(main, ["detect", "/nonexistent.txt"])
    assert result.exit_code == 2
    assert "/nonexistent.txt" in result.output
    assert "Traceback" not in result.output


def test_every_command_has_help():
    for name, command in main.commands.items():
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help and command.help.strip(), name
        assert f"`pdaudit {name}" in (ROOT / "README.md").read_text("utf-8"), name


def test_scan_limit_options_follow_the_library_defaults():
    """The numbers in `scan --help` are the defaults of ScanOptions and Limits, and only options
    given on the command line override them."""
    from pdaudit.scanner.cli import _limits, build_options
    from pdaudit.scanner.scan import ScanOptions
    from pdaudit.scanner.sources.documents import Limits

    text = " ".join(CliRunner().invoke(main, ["scan", "--help"]).stdout.split())
    assert f"(default {ScanOptions().statement_timeout_s})" in text
    assert f"(default {Limits().max_pages})" in text
    assert f"(default {Limits().page_timeout_s})" in text
    assert f"(default {Limits().max_file_bytes // 1024 // 1024})" in text
    assert _limits(None, None, None) is None
    assert _limits(3, None, 2) == Limits(max_pages=3, max_file_bytes=2 * 1024 * 1024)
    kw = dict(full=False, rows=10, seed=0, min_confidence=0.5, entities="", include=(),
              exclude=(), schemas=(), views=False, password_env=None, max_pages=None,
              ocr_timeout=None, max_file_size=None)  # fmt: skip
    assert build_options(**kw, statement_timeout=None).statement_timeout_s == 300
    assert build_options(**kw, statement_timeout=5.0).statement_timeout_s == 5.0
