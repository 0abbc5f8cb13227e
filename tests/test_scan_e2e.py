"""End to end: the demo database through the scan, the CLI and every database server."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdaudit.scanner.cli import main
from pdaudit.scanner.history import exit_code
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.scan import ScanOptions, scan

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = json.loads((ROOT / "sample_data" / "expected.json").read_text("utf-8"))
DEMO_TABLES = {key.split(".")[0] for key in EXPECTED}


def verdicts(report: dict) -> dict[str, tuple[str, tuple[str, ...]]]:
    """container.field -> (status, types), with the schema prefix of server databases removed."""
    out = {}
    for f in report["fields"]:
        table = f["container"].split(".")[-1]
        if table in DEMO_TABLES:
            types = tuple(sorted(e["type"] for e in f["entities"]))
            out[f"{table}.{f['field']}"] = (f["status"], types)
    return out


@pytest.fixture(scope="module")
def sqlite_report(demo_db):
    return scan([str(demo_db)], load_policy(), ScanOptions())


def test_demo_statuses_match_expected(sqlite_report):
    got = {k: status for k, (status, _) in verdicts(sqlite_report).items() if k in EXPECTED}
    assert got == EXPECTED
    assert sqlite_report["errors"] == []
    assert exit_code(sqlite_report) == 1


def test_demo_types_per_field(sqlite_report):
    v = verdicts(sqlite_report)
    assert v["users.iin"] == ("beyond_policy", ("KZ_IIN",))
    assert v["users.fio"] == ("within_policy", ("PERSON",))
    assert v["users.email"] == ("within_policy", ("EMAIL_ADDRESS",))
    assert v["payments.card_number"] == ("beyond_policy", ("CREDIT_CARD",))
    # a few random order numbers pass the BIN check: listed, not personal data
    assert v["payments.order_no"][0] == "no_personal_data"
    assert set(v["payments.order_no"][1]) <= {"KZ_BIN"}
    assert v["courses.sku"] == ("no_personal_data", ())
    assert v["documents.udostoverenie_no"] == ("beyond_policy", ("KZ_ID_DOCUMENT",))
    assert v["users.settings.passport"] == ("beyond_policy", ("KZ_ID_DOCUMENT",))
    status, types = v["support_tickets.message"]
    assert status == "beyond_policy"
    assert {"PERSON", "PHONE_NUMBER", "KZ_IIN", "EMAIL_ADDRESS"} <= set(types)


def test_report_shape_and_no_raw_values(sqlite_report, demo_db):
    r = sqlite_report
    assert r["schema_version"] == 1
    assert r["tool"]["name"] == "pdaudit"
    assert r["policy"]["allowed"] == ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"]
    assert r["sampling"] == {"method": "whole table", "rows_per_table": 10000, "seed": 0}
    iin = next(f for f in r["fields"] if f["container"] == "users" and f["field"] == "iin")
    [entity] = iin["entities"]
    assert set(entity) >= {"type", "matches", "share", "confidence", "examples", "evidence"}
    assert entity["evidence"][:2] == ["checksum", "field name: iin"]
    lo, hi = entity["share_interval"]
    assert lo <= entity["share"] <= hi
    # no example holds a raw value: every example has its middle masked
    import sqlite3

    with sqlite3.connect(f"file:{demo_db}?mode=ro", uri=True) as con:
        raw = {row[0] for row in con.execute("select iin from users where iin is not null")}
    text = json.dumps(r, ensure_ascii=False)
    assert not [v for v in raw if str(v) in text]
    for example in entity["examples"]:
        assert "*" in example


def test_same_seed_same_report(demo_db):
    options = ScanOptions()
    a = scan([str(demo_db)], load_policy(), options)
    b = scan([str(demo_db)], load_policy(), options)
    for r in (a, b):
        r.pop("generated_at")
        for s in r["sources"]:
            s.pop("seconds")
    assert a == b


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_cli_scan_json_exit_codes_and_read_only(demo_db, tmp_path):
    before = _sha(demo_db)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["scan", str(demo_db), "--format", "json", "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert _sha(demo_db) == before
    assert not Path(str(demo_db) + "-wal").exists()
    report = json.loads(out.read_text("utf-8"))
    assert report["summary"]["beyond_policy"] == sum(
        1 for s in EXPECTED.values() if s == "beyond_policy"
    )
    # only allowed types: exit 0
    result = CliRunner().invoke(
        main, ["scan", str(demo_db), "--format", "json", "--entities", "EMAIL_ADDRESS"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["beyond_policy"] == 0
    # the text report renders the same data
    result = CliRunner().invoke(main, ["report", str(out), "--format", "text"])
    assert result.exit_code == 0
    assert "users" in result.output and "beyond policy" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "/nonexistent/x.db"], "/nonexistent/x.db: no such file, folder or database URL"),
        (["scan", "postgresql://auditor:S3cret@127.0.0.1:1/mirum"], "127.0.0.1:1"),
        (["scan", "mysql+pymysql://auditor:S3cret@127.0.0.1:1/mirum"], "127.0.0.1:1"),
        (["scan", "oracle://x@y/z"], "oracle"),
        (
            ["scan", "sample_data/mirum.db", "--policy", "/nonexistent.yaml"],
            "cannot read the policy",
        ),
        (["report", "/nonexistent.json"], "cannot read the report"),
    ],
)
def test_cli_errors_are_one_line_exit_2(args, message):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert message in lines[0]
    assert "S3cret" not in result.output
    assert "Traceback" not in result.output


def test_bad_table_is_listed_and_scan_goes_on(tmp_path):
    import sqlite3

    path = tmp_path / "broken.db"
    with sqlite3.connect(path) as con:
        con.execute("create table users (fio text)")
        con.execute("insert into users values ('Сагинтаева Айгерим Серикқызы')")
        # a view over a missing table: listing works, reading fails
        con.execute("create view broken as select * from gone")
    result = CliRunner().invoke(main, ["scan", str(path), "--views", "--format", "json"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert [(e["container"], "gone" in e["message"]) for e in report["errors"]] == [
        ("broken", True)
    ]
    assert [(f["container"], f["field"], f["status"]) for f in report["fields"]] == [
        ("users", "fio", "within_policy")
    ]


def _strip(report: dict) -> dict[str, tuple[str, tuple[str, ...]]]:
    return verdicts(report)


def test_postgres_gives_the_same_verdicts(sqlite_report, pg_url):
    report = scan([pg_url], load_policy(), ScanOptions(schemas=["public"]))
    assert report["errors"] == []
    assert report["sampling"]["method"] in ("whole table", "tablesample bernoulli")
    assert all(f["container"].startswith("public.") for f in report["fields"])
    assert _strip(report) == _strip(sqlite_report)
    assert "Audit#Pw" not in json.dumps(report)


def test_mariadb_gives_the_same_verdicts(sqlite_report, mariadb_url):
    report = scan([mariadb_url], load_policy(), ScanOptions())
    assert report["errors"] == []
    assert all(f["container"].startswith("mirum.") for f in report["fields"])
    assert _strip(report) == _strip(sqlite_report)
    assert "Audit#Pw" not in json.dumps(report)


def test_blob_documents_are_read_and_bad_ones_listed(tmp_path):
    """Scans in a BLOB column go through OCR; a truncated one is a partial error, not exit 2."""
    import io
    import sqlite3

    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 44)
    img = Image.new("RGB", (1600, 300), "white")
    ImageDraw.Draw(img).text((40, 40), "ЖСН / ИИН: 900101300126", fill="black", font=font)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    good = buf.getvalue()
    path = tmp_path / "uploads.db"
    with sqlite3.connect(path) as con:
        con.execute("create table uploads (id integer primary key, scan blob)")
        con.executemany(
            "insert into uploads (scan) values (?)",
            [(good,), (good[:200],), (b"\x00\x01 not a document",), (None,)],
        )
    report = scan([str(path)], load_policy(), ScanOptions())
    field = next(f for f in report["fields"] if f["field"] == "scan")
    assert (field["documents"], field["values_scanned"]) == (2, 1)
    assert field["binary_values_skipped"] == 1
    assert [(e["type"], e["matches"], e["pages"]) for e in field["entities"]] == [
        ("KZ_IIN", 1, [1])
    ]
    assert field["status"] == "beyond_policy"
    [error] = report["errors"]
    assert error["partial"] is True and error["field"] == "scan"
    assert error["message"] == (
        "1 document(s) or page(s) not read: uploads.scan: truncated or corrupt PNG image "
        "(image file is truncated); re-export or re-scan it"
    )
    assert exit_code(report) == 1
