"""pdaudit's promises under hostile but realistic input (issue #16): no raw value anywhere, no
write to what is scanned, no lost report.

Every input is built here; every personal value is synthetic (IINs with a computed check digit).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdaudit.recognizers.checksums import mod11_two_pass
from pdaudit.scanner.cli import main

FORMATS = ("json", "text", "html", "sarif")


def iins(n: int, year: str = "90") -> list[str]:
    """``n`` synthetic valid ИИН."""
    out: list[str] = []
    serial = 0
    while len(out) < n:
        serial += 1
        body = f"{year}01{1 + serial % 28:02d}{3 + serial % 2}{serial:04d}"
        check = mod11_two_pass(body)
        if check is not None:
            out.append(body + str(check))
    return out


IIN, IIN2 = iins(2)
EMAIL = "aigerim.sagintaeva@mail.kz"
PERSON_TABLE = "Сагинтаева Айгерим"
PERSON_COLUMN = "Жумабеков Арман"
RAW = [IIN, EMAIL, "Сагинтаева", "Айгерим", "Жумабеков", "Арман"]


def sha256_tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (not following links) by relative path -> sha256."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def every_output(tmp_path: Path, *sources: str) -> tuple[dict[str, str], str, dict]:
    """The report of ``sources`` in every format (written with -o) and the JSON log lines."""
    texts = {}
    log = ""
    for fmt in FORMATS:
        out = tmp_path / f"out.{fmt}"
        result = cli("--log-format", "json", "scan", *sources, "--format", fmt, "-o", str(out))
        assert result.exit_code in (0, 1, 2), result.output
        texts[fmt] = out.read_text("utf-8")
        log += result.stderr
    return texts, log, json.loads(texts["json"])


def hostile_names(tmp_path: Path) -> tuple[Path, Path]:
    """A folder of uploads named after people and an SQLite file whose table and column are."""
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / f"client_{IIN}.csv").write_text("note\nпозвонить завтра\n", "utf-8")
    (uploads / "contacts.json").write_text(json.dumps({EMAIL: {"tag": "vip"}}), "utf-8")
    db = tmp_path / "crm.db"
    con = sqlite3.connect(db)
    con.execute(f'CREATE TABLE "{PERSON_TABLE}" (id INTEGER PRIMARY KEY, "{PERSON_COLUMN}" TEXT)')
    con.executemany(
        f'INSERT INTO "{PERSON_TABLE}" ("{PERSON_COLUMN}") VALUES (?)', [(v,) for v in iins(30)]
    )
    con.commit()
    con.close()
    return uploads, db


def test_names_holding_personal_values_are_masked_in_every_output(tmp_path: Path) -> None:
    uploads, db = hostile_names(tmp_path)
    texts, log, report = every_output(tmp_path, str(uploads), str(db))
    for fmt, text in {**texts, "log": log}.items():
        for raw in RAW:
            assert raw not in text, (fmt, raw)
    names = {(f["container"], f["field"]) for f in report["fields"]}
    assert names == {
        ("С********* А******", "id"),
        (f"client_{IIN[:2]}********{IIN[-2:]}.csv", "note"),
        ("contacts.json", "a*****************@mail.kz.tag"),
        ("С********* А******", "Ж******** А****"),
    }
    masked = {f["field"]: sorted(f.get("name_keys", {})) for f in report["fields"]}
    assert masked == {
        "id": ["container"],
        "note": ["container"],
        "a*****************@mail.kz.tag": ["field"],
        "Ж******** А****": ["container", "field"],
    }
    assert report["names_masked"] is True


def test_masked_names_keep_baselines_and_triage_matching(tmp_path: Path) -> None:
    uploads, db = hostile_names(tmp_path)
    out = tmp_path / "runs"
    job = tmp_path / "audit.yaml"
    job.write_text(
        f"sources: [{uploads}, {db}]\noutput: {out}\nformats: [html, sarif, text]\n", "utf-8"
    )
    first = cli("run", str(job))
    assert first.exit_code == 1, first.output
    mark = "С********* А******.Ж******** А****:KZ_IIN=accepted"
    marked = cli("triage", str(out / "latest.json"), "--mark", mark, "--reason", "по договору")
    assert marked.exit_code == 0, marked.output
    second = cli("run", str(job))
    assert second.exit_code == 0, second.output
    latest = json.loads((out / "latest.json").read_text("utf-8"))
    (field,) = [f for f in latest["fields"] if f["field"] == "Ж******** А****"]
    assert [(e["type"], e["change"], e["triage"]["decision"]) for e in field["entities"]] == [
        ("KZ_IIN", "unchanged", "accepted")
    ]
    assert latest["summary"]["new_beyond_policy"] == 0
    assert latest["resolved"] == []
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text("utf-8")
            for raw in RAW:
                assert raw not in text, (path.name, raw)

    # A baseline written before names were masked (raw names, no name_keys) still matches.
    old = json.loads((out / "latest.json").read_text("utf-8"))
    for f in old["fields"]:
        if f.pop("name_keys", None):
            f["container"], f["field"] = {
                "id": (PERSON_TABLE, "id"),
                "note": (f"client_{IIN}.csv", "note"),
                "Ж******** А****": (PERSON_TABLE, PERSON_COLUMN),
                "a*****************@mail.kz.tag": ("contacts.json", f"{EMAIL}.tag"),
            }[f["field"]]
    del old["names_masked"]
    (tmp_path / "old.json").write_text(json.dumps(old, ensure_ascii=False), "utf-8")
    rescan = cli(
        "scan", str(uploads), str(db), "--baseline", str(tmp_path / "old.json"), "--format", "json"
    )
    report = json.loads(rescan.stdout)
    changes = {e.get("change") for f in report["fields"] for e in f["entities"]}
    assert changes == {"unchanged"} and report["resolved"] == []


def test_error_quoting_context_only_values_is_masked_everywhere(tmp_path: Path) -> None:
    """A passport number and a birth date are recognised only near a keyword: a driver error
    quoting them is masked all the same."""
    db = tmp_path / "quoted.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE src (id INTEGER PRIMARY KEY, p TEXT)")
    con.execute("INSERT INTO src (p) VALUES ('N12345678 1985-03-01')")
    con.execute("CREATE VIEW v AS SELECT id, json_extract('{\"a\": 1}', p) AS a FROM src")
    con.commit()
    con.close()
    texts, log, report = every_output(tmp_path, str(db), "--views")
    (error,) = report["errors"]
    assert error["message"] == (
        f"sqlite:///{db} v: cannot read: JSON path error near 'N1*****78 19**-**-01'"
    )
    for fmt, text in {**texts, "log": log}.items():
        assert "12345678" not in text and "1985-03-01" not in text, fmt
    assert any("N1*****78 19**-**-01" in json.loads(line)["message"] for line in log.splitlines())


def make_wal(path: Path, rows: list[str]) -> sqlite3.Connection:
    """A WAL-mode database whose rows are still in its -wal file (the writer stays connected)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, iin TEXT)")
    con.executemany("INSERT INTO users (iin) VALUES (?)", [(r,) for r in rows])
    con.commit()
    return con


def test_wal_database_is_read_without_a_write_beside_it(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    writer = make_wal(folder / "app.db", iins(12))
    try:
        before = sha256_tree(folder)
        assert sorted(before) == ["app.db", "app.db-shm", "app.db-wal"]
        result = cli("scan", str(folder / "app.db"), "--format", "json")
        assert result.exit_code == 1, result.output
        assert sha256_tree(folder) == before
        (field,) = [f for f in json.loads(result.stdout)["fields"] if f["field"] == "iin"]
        assert (field["values_scanned"], field["entities"][0]["type"]) == (12, "KZ_IIN")
    finally:
        writer.close()
    # Checkpointed and closed: no -wal, no -shm; the scan must not create them.
    assert sorted(sha256_tree(folder)) == ["app.db"]
    before = sha256_tree(folder)
    assert cli("scan", str(folder / "app.db"), "--format", "json").exit_code == 1
    assert sha256_tree(folder) == before


@pytest.mark.skipif(os.geteuid() != 0, reason="switches to uid 65534 to make a folder read-only")
def test_wal_database_in_a_read_only_folder(tmp_path: Path) -> None:
    """A reader that cannot write the folder (root ignores folder modes: the child drops to
    nobody) still reads a WAL file; SQLite's plain mode=ro failed here."""
    import shutil
    import tempfile

    from pdaudit.scanner.sources.sql import SqlSource

    # pytest's temporary folders are 0700 to root: this one must be reachable by nobody.
    base = Path(tempfile.mkdtemp(prefix="pdaudit-test-"))
    try:
        _read_only_folder_case(base, SqlSource)
    finally:
        base.chmod(0o700)
        for sub in base.iterdir():
            sub.chmod(0o700)
        shutil.rmtree(base)


def _read_only_folder_case(base: Path, SqlSource: type) -> None:  # noqa: N803
    base.chmod(0o755)
    folder = base / "ro"
    folder.mkdir()
    con = sqlite3.connect(folder / "app.db")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, iin TEXT)")
    con.executemany("INSERT INTO users (iin) VALUES (?)", [(r,) for r in iins(5)])
    con.commit()
    con.close()
    os.chmod(folder / "app.db", 0o644)
    os.chmod(folder, 0o555)
    before = sha256_tree(folder)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: nobody, reading
        code = 1
        try:
            os.close(read)
            os.setgid(65534)
            os.setuid(65534)
            with SqlSource(str(folder / "app.db")) as source:
                (users,) = list(source.containers())
                rows = sum(len(batch) for batch in users.read())
            os.write(write, str(rows).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    got = os.read(read, 100).decode()
    os.close(read)
    _, status = os.waitpid(pid, 0)
    folder.chmod(0o755)
    assert (os.waitstatus_to_exitcode(status), got) == (0, "5")
    assert sha256_tree(folder) == before


def test_output_over_a_source_is_refused(tmp_path: Path) -> None:
    uploads, db = hostile_names(tmp_path)
    before = sha256_tree(tmp_path)
    over = cli("scan", str(db), "-o", str(db), "--format", "json")
    assert over.exit_code == 2
    assert over.stderr == (
        f"Error: --output {db}: is the scanned source {db}; write the report elsewhere\n"
    )
    url = cli("scan", f"sqlite:///{db}", "-o", str(db), "--format", "json")
    assert url.exit_code == 2
    inside = cli("scan", str(uploads), "-o", str(uploads / "report.json"), "--format", "json")
    assert inside.exit_code == 2
    assert inside.stderr == (
        f"Error: --output {uploads / 'report.json'}: is inside the scanned folder {uploads}; "
        "write the report outside it\n"
    )
    assert sha256_tree(tmp_path) == before


def test_one_missing_source_keeps_the_report_of_the_others(tmp_path: Path) -> None:
    _, db = hostile_names(tmp_path)
    missing = tmp_path / f"gone_{IIN}.db"
    out = tmp_path / "report.json"
    result = cli("scan", str(db), str(missing), "--format", "json", "-o", str(out))
    assert result.exit_code == 2
    report = json.loads(out.read_text("utf-8"))
    shown = f"{tmp_path}/gone_{IIN[:2]}********{IIN[-2:]}.db"
    assert report["errors"] == [
        {
            "source": shown,
            "container": "",
            "message": f"{shown}: no such file, folder or database URL (use sqlite:///path.db, "
            "postgresql://user@host/db, mysql+pymysql://user@host/db or a path)",
            "name_keys": report["errors"][0]["name_keys"],
        }
    ]
    assert [f["status"] for f in report["fields"]] == ["beyond_policy", "no_personal_data"]
    assert IIN not in out.read_text("utf-8") and IIN not in result.stderr


def test_folders_follow_links_once_and_list_what_they_do_not_read(tmp_path: Path) -> None:
    root = tmp_path / "share"
    (root / "a").mkdir(parents=True)
    real = tmp_path / "elsewhere"
    real.mkdir()
    (real / "people.csv").write_text(f"iin\n{IIN}\n{IIN2}\n", "utf-8")
    (root / "linked").symlink_to(real, target_is_directory=True)
    (root / "a" / "loop").symlink_to(root, target_is_directory=True)
    con = sqlite3.connect(root / "a" / "inner.sqlite")
    con.execute("CREATE TABLE users (iin TEXT)")
    con.executemany("INSERT INTO users VALUES (?)", [(v,) for v in iins(5)])
    con.commit()
    con.close()
    with zipfile.ZipFile(root / "backup.zip", "w") as zf:
        zf.writestr("x.csv", f"iin\n{IIN}\n")
    before = sha256_tree(root)
    result = cli("scan", str(root), "--format", "json")
    assert result.exit_code == 2, result.output  # the archive is not read
    report = json.loads(result.stdout)
    rows = sorted(
        (f["source"], f["container"], f["field"], f["status"], f.get("skipped"))
        for f in report["fields"]
    )
    assert rows == [
        (str(root), "a/loop", "*", "no_personal_data",
         "symbolic link to a folder already scanned (.): not followed again"),
        (str(root), "backup.zip", "*", "not_scanned",
         "a ZIP archive: archives are not opened; unpack it and scan the folder"),
        (str(root), "linked/people.csv", "iin", "beyond_policy", None),
        (f"sqlite:///{root}/a/inner.sqlite", "users", "iin", "beyond_policy", None),
    ]  # fmt: skip
    assert sha256_tree(root) == before
    allowed = cli("scan", str(root), "--format", "json", "--allow-unreadable")
    assert allowed.exit_code == 1, allowed.output


def test_markup_in_names_never_breaks_a_report(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    con = sqlite3.connect(db)
    con.execute('CREATE TABLE "t[red]" ("[/bold]" TEXT, "<b>x</b>\x1b[2J" TEXT)')
    con.execute('INSERT INTO "t[red]" VALUES (?, ?)', (IIN, IIN2))
    con.commit()
    con.close()
    text = cli("scan", str(db), "--format", "text")
    assert text.exit_code == 1, text.output
    assert "[/bold]" in text.stdout and "t[red]" in text.stdout
    assert "\x1b" not in text.stdout and "<b>x</b>\ufffd[2J" in text.stdout
    html = cli("scan", str(db), "--format", "html")
    assert "<b>x</b>" not in html.stdout and "&lt;b&gt;x&lt;/b&gt;" in html.stdout
    # A job writing the text report: every run works, not only the first.
    out = tmp_path / "runs"
    job = tmp_path / "audit.yaml"
    job.write_text(f"sources: [{db}]\noutput: {out}\nformats: [text]\n", "utf-8")
    assert [cli("run", str(job)).exit_code for _ in range(2)] == [1, 0]


@pytest.mark.parametrize(
    ("report", "message"),
    [
        ({"schema_version": 1, "fields": [{"source": "s"}]},
         "malformed report: 'summary' is missing; 'policy' is missing; 'sampling' is missing "
         "(and 6 more)"),
        ({"schema_version": 1, "fields": [], "summary": {"fields": 0, "beyond_policy": 0,
          "within_policy": 0, "no_personal_data": 0, "errors": "x"}, "policy": {"id": "p"},
          "sampling": {}},
         "malformed report: summary.errors is not a number"),
    ],
)  # fmt: skip
def test_report_command_says_what_is_wrong(tmp_path: Path, report: dict, message: str) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(report), "utf-8")
    for fmt in ("text", "html", "sarif"):
        result = cli("report", str(path), "--format", fmt)
        assert result.exit_code == 2
        assert result.stderr == f"Error: {path}: {message}\n"


def test_name_and_iin_in_one_cell_give_both_types_in_any_field(tmp_path: Path) -> None:
    db = tmp_path / "people.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (fio TEXT, note TEXT)")
    cell = f"Жумабеков {IIN} Арман"
    con.execute("INSERT INTO t VALUES (?, ?)", (cell, cell))
    con.commit()
    con.close()
    result = cli("scan", str(db), "--format", "json")
    report = json.loads(result.stdout)
    types = {f["field"]: sorted(e["type"] for e in f["entities"]) for f in report["fields"]}
    assert types["fio"] == ["KZ_IIN", "PERSON"]
    assert "KZ_IIN" in types["note"]
    from pdaudit.scanner.analysis import Analyzer

    found = Analyzer().analyze_batch([cell], context=["fio"])[0]
    assert [(e.type, cell[e.start : e.end]) for e in found] == [
        ("PERSON", "Жумабеков"),
        ("KZ_IIN", IIN),
        ("PERSON", "Арман"),
    ]


def test_job_output_inside_a_scanned_folder_is_refused(tmp_path: Path) -> None:
    uploads, _ = hostile_names(tmp_path)
    job = tmp_path / "audit.yaml"
    job.write_text(f"sources: [{uploads}]\noutput: {uploads / 'runs'}\n", "utf-8")
    before = sha256_tree(uploads)
    result = cli("run", str(job))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {job}: output {uploads / 'runs'}: is inside the scanned folder {uploads}; "
        "write the report outside it\n"
    )
    assert sha256_tree(uploads) == before and not (uploads / "runs").exists()


def test_report_command_never_quotes_a_hand_edited_value(tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parent / "fixtures" / "report_example.json"
    report = json.loads(fixture.read_text("utf-8"))
    report["fields"][0]["status"] = IIN
    report["fields"][1]["third_party"] = {"clause": "2.4", "basis": "field role", "share": "x"}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(report), "utf-8")
    result = cli("report", str(path), "--format", "text")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {path}: malformed report: fields[0].status is not one of beyond_policy, "
        "within_policy, no_personal_data, not_scanned; fields[1].third_party needs a number "
        "'share' and text 'clause' and 'basis'\n"
    )
    assert IIN not in result.stderr
    report["fields"][0]["status"] = "not_scanned"  # a file not read: a well-formed report
    del report["fields"][1]["third_party"]
    path.write_text(json.dumps(report), "utf-8")
    assert cli("report", str(path), "--format", "text").exit_code == 0
