"""A scan on a Dask cluster gives exactly the single-process report (timings aside).

The workers read their own pieces: whole tables, files and documents, or in ``--full`` mode key
ranges of tables (``split_rows`` is set small here so the demo's tables are split).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import zipfile
from pathlib import Path

import docx
import pytest

distributed = pytest.importorskip("distributed")

from click.testing import CliRunner  # noqa: E402
from test_scan_speed import ENTITIES, by_field, make_db  # noqa: E402

from pdaudit.scanner.cli import main  # noqa: E402
from pdaudit.scanner.distributed import (  # noqa: E402
    INSTALL_HINT,
    TAIL_PARTS,
    TAIL_PIECES,
    TICK_INTERVAL,
    DaskScanner,
    DistributedError,
    close_sources,
    local_cluster,
    scan_distributed,
)
from pdaudit.scanner.policy import BEYOND, NONE, NOT_SCANNED, WITHIN, load_policy  # noqa: E402
from pdaudit.scanner.sampling import Sampling  # noqa: E402
from pdaudit.scanner.scan import ScanOptions, open_source, scan  # noqa: E402
from pdaudit.scanner.sources import SourceError  # noqa: E402

POLICY = load_policy(None)
#: This process's own setting (the user's, if any), which starting workers leaves alone.
_POLARS_THREADS_HERE = os.environ.get("POLARS_MAX_THREADS")
#: The demo's scanned documents go through OCR, the same in both runs: left out of the database
#: tests to keep them fast (the folder test reads documents on the workers).
NO_DOCUMENTS = ["*documents*"]
FULL = Sampling(mode="full")
#: Small enough that the demo's 200-300-row tables are split into several key ranges.
SPLIT = 50
SCANS = Path(__file__).resolve().parents[1] / "sample_data" / "scans"


def comparable(report: dict) -> dict:
    """The report without what legitimately differs between two runs: when and how long."""
    out = dict(report)
    out.pop("generated_at")
    out["sources"] = [{k: v for k, v in s.items() if k != "seconds"} for s in report["sources"]]
    return out


@pytest.fixture(scope="module")
def client():
    cluster = local_cluster(2)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_workers_run_natasha_with_one_openmp_thread(client):
    """The worker processes start with OMP_NUM_THREADS=1 (Dask's default pre-spawn-environ)."""
    import os

    found = client.run(lambda: os.environ.get("OMP_NUM_THREADS"))
    assert sorted(found.values()) == ["1", "1"]


def test_workers_run_polars_on_one_thread(client):
    """Each worker's polars pool has one thread (``process.WORKER_POLARS_THREADS``, set by the
    workers' preload before polars loads); this process's own setting is left alone."""
    found = client.run(lambda: __import__("polars").thread_pool_size())
    assert list(found.values()) == [1, 1]
    assert os.environ.get("POLARS_MAX_THREADS") == _POLARS_THREADS_HERE


def test_names_and_messages_are_masked_without_polars():
    """The report's names and error messages are masked one at a time, without the searches'
    vectorised pass: a Dask driver never loads polars, whose threads a worker forked from it
    later (a nanny restarting one) would not have, and its report's end is 0.3 s shorter."""
    import subprocess

    code = (
        "import sys\n"
        "from pdaudit.scanner.masking import redact\n"
        "from pdaudit.scanner.names import mask_name\n"
        "print(mask_name('client_900101300126.csv'))\n"
        "print(redact('near \"Иванов Иван\": ИИН 900101300126'))\n"
        "print('polars' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "client_90********26.csv",
        'near "И***** И***": ИИН 90********26',
        "False",
    ]


def test_workers_run_no_profiler(client):
    """The clusters ``local_cluster`` starts leave the workers' stack sampling off."""
    import dask

    found = client.run(lambda: dask.config.get("distributed.worker.profile.enabled"))
    assert list(found.values()) == [False, False]
    sampling = client.run(lambda dask_worker: "profile" in dask_worker.periodic_callbacks)
    assert list(sampling.values()) == [False, False]
    assert dask.config.get("distributed.worker.profile.enabled") is True  # the driver's own


def test_servers_check_their_event_loop_once_a_second(client):
    """The local cluster's workers check their event loop every ``TICK_INTERVAL``, not 20 ms."""
    import dask

    found = client.run(lambda dask_worker: dask_worker.periodic_callbacks["tick"].callback_time)
    assert list(found.values()) == [1000, 1000]
    ticks = client.run_on_scheduler(
        lambda dask_scheduler: dask_scheduler.periodic_callbacks["tick"].callback_time
    )
    assert ticks == 1000
    assert TICK_INTERVAL == "1s"
    assert dask.config.get("distributed.admin.tick.interval") == "20ms"  # the driver's own


def test_workers_tune_their_own_process(client):
    """The workers ``local_cluster`` starts run ``pdaudit.scanner.process`` as their preload."""
    import gc

    from pdaudit.scanner.process import GC_THRESHOLDS

    found = client.run(gc.get_threshold)
    assert list(found.values()) == [GC_THRESHOLDS, GC_THRESHOLDS]


def on_dask(client, targets: list[str], options: ScanOptions, split_rows: int = SPLIT) -> dict:
    scanner = DaskScanner(client, POLICY, options, split_rows=split_rows)
    scanner.plan(targets)
    try:
        return scan(targets, POLICY, options, scanner=scanner)
    finally:
        scanner.finish()


def pieces(target: str, options: ScanOptions, split_rows: int = SPLIT) -> dict[str, int]:
    """How many key ranges each split table of ``target`` is read in."""
    source = open_source(target, options)
    try:
        names = [c.name for c in source.containers()]
        ranges = {name: source.key_ranges(name, split_rows) for name in names}
    finally:
        source.close()
    return {name: len(r) for name, r in ranges.items() if r}


def fields(report: dict) -> dict[str, tuple]:
    """container.field -> (values scanned, status, {type: matches})."""
    return {
        f"{f['container']}.{f['field']}": (
            f["values_scanned"],
            f["status"],
            {e["type"]: e["matches"] for e in f["entities"]},
        )
        for f in report["fields"]
    }


def test_sqlite_full_split_into_key_ranges(client, demo_db):
    options = ScanOptions(sampling=FULL, exclude=NO_DOCUMENTS)
    # users 300 rows / 50 -> 6 ranges; the 16 courses stay whole
    assert pieces(str(demo_db), options) == {
        "chat_messages": 4,
        "emergency_contacts": 2,
        "enrollment_forms": 3,
        "parents": 4,
        "payments": 8,
        "sessions": 10,
        "support_tickets": 4,
        "teacher_comments": 4,
        "users": 6,
    }
    single = scan([str(demo_db)], POLICY, options)
    assert comparable(on_dask(client, [str(demo_db)], options)) == comparable(single)
    got = fields(single)
    assert got["users.iin"] == (258, BEYOND, {"KZ_IIN": 258})
    assert got["users.phone"] == (276, WITHIN, {"PHONE_NUMBER": 276})
    assert single["summary"] == {
        "fields": 66,
        "beyond_policy": 12,
        "within_policy": 16,
        "no_personal_data": 38,
        "not_scanned": 0,
        "containers_beyond_policy": 6,
        "errors": 0,
    }
    # Section 2.4: the row and text counts of the pieces add up to the single scan's.
    assert single["third_party_fields"] == 11
    third = {
        f"{f['container']}.{f['field']}": f["third_party"]["evidence"]
        for f in single["fields"]
        if "third_party" in f
    }
    assert third["enrollment_forms.second_fio"] == ["second person in row: 53/102"]
    assert third["enrollment_forms.id_scan"] == ["document holder differs: 1/9"]
    assert third["chat_messages.message"] == ["relative named in text: 102/200"]


def test_the_last_pieces_of_a_table_are_finer(demo_db):
    options = ScanOptions(sampling=FULL, exclude=NO_DOCUMENTS)
    scanner = DaskScanner(None, POLICY, options, split_rows=SPLIT)
    source = open_source(str(demo_db), options)
    try:
        list(source.containers())
        ranges = scanner.ranges(source, "users")
        fine = source.key_ranges("users", SPLIT // TAIL_PARTS)
        assert scanner.ranges(source, "courses") is None  # 16 rows: whole
    finally:
        source.close()
    assert fine is not None and ranges is not None
    # The same rows in the same order: consecutive, open at both ends, the fine bounds.
    assert ranges[0].start is None and ranges[-1].end is None
    assert all(a.end == b.start for a, b in zip(ranges, ranges[1:], strict=False))
    tail = TAIL_PIECES * TAIL_PARTS
    assert ranges[-tail:] == fine[-tail:]
    assert {r.end for r in ranges[:-tail]} <= {r.end for r in fine}
    # 300 rows: 25 fine ranges of 12 rows, the first 17 joined four by four.
    assert len(fine) == 25 and len(ranges) == 5 + tail


def test_sqlite_full_whole_tables(client, demo_db):
    options = ScanOptions(sampling=FULL, exclude=NO_DOCUMENTS)
    single = scan([str(demo_db)], POLICY, options)
    assert comparable(on_dask(client, [str(demo_db)], options, split_rows=10_000)) == comparable(
        single
    )


def test_sample_with_early_stop(client, tmp_path):
    db = str(make_db(tmp_path / "people.db"))
    options = ScanOptions(sampling=Sampling(), entities=ENTITIES)
    single = scan([db], POLICY, options)
    assert comparable(on_dask(client, [db], options)) == comparable(single)
    got = by_field(single)
    assert got["iin"] == (1000, {"after": 1000}, BEYOND, {"KZ_IIN": 1000})
    assert got["phone"] == (1000, {"after": 1000}, WITHIN, {"PHONE_NUMBER": 950})
    assert got["comment"] == (6000, None, BEYOND, {"KZ_IIN": 1})


def test_sample_demo(client, demo_db):
    options = ScanOptions(sampling=Sampling(rows_per_table=50, seed=7), exclude=NO_DOCUMENTS)
    single = scan([str(demo_db)], POLICY, options)
    assert comparable(on_dask(client, [str(demo_db)], options)) == comparable(single)
    assert fields(single)["users.iin"] == (44, BEYOND, {"KZ_IIN": 44})


def test_postgres_full_split(client, pg_url):
    options = ScanOptions(sampling=FULL, exclude=NO_DOCUMENTS)
    split = pieces(pg_url, options)
    assert split["public.users"] > 1
    single = scan([pg_url], POLICY, options)
    assert comparable(on_dask(client, [pg_url], options)) == comparable(single)
    assert fields(single)["public.users.iin"] == (258, BEYOND, {"KZ_IIN": 258})


def test_mariadb_full_split(client, mariadb_url):
    options = ScanOptions(sampling=FULL, exclude=NO_DOCUMENTS)
    split = pieces(mariadb_url, options)
    assert split["mirum.users"] == 6
    single = scan([mariadb_url], POLICY, options)
    assert comparable(on_dask(client, [mariadb_url], options)) == comparable(single)
    assert fields(single)["mirum.users.iin"] == (258, BEYOND, {"KZ_IIN": 258})


def test_folder_of_files_and_documents(client, tmp_path):
    for name in ("registration_form.png", "contract_text.pdf"):
        shutil.copy(SCANS / name, tmp_path / name)
    (tmp_path / "clients.csv").write_text(
        "fio;phone\nИванов Иван;+7 701 234 56 78\nПетрова Анна;87011234567\n", encoding="utf-8"
    )
    (tmp_path / "events.jsonl").write_text(
        '{"ip": "10.0.0.1"}\n{"ip": "10.0.0.2", "email": "u@example.kz"}\n', encoding="utf-8"
    )
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02")
    # A DOCX whose text is read and whose vector logo is not: a partial error on both sides.
    document = docx.Document()
    document.add_paragraph("Ким Ольга Викторовна")
    document.save(tmp_path / "letter.docx")
    with zipfile.ZipFile(tmp_path / "letter.docx", "a") as zf:
        zf.writestr("word/media/logo.emf", b"\x01\x00\x00\x00" + b"\x00" * 80)
    options = ScanOptions()
    single = scan([str(tmp_path)], POLICY, options)
    assert comparable(on_dask(client, [str(tmp_path)], options)) == comparable(single)
    assert [e["message"] for e in single["errors"]] == [
        "letter.docx/word/media/logo.emf: EMF pictures are not read"
    ]
    assert fields(single) == {
        "registration_form.png.content": (
            1,
            BEYOND,
            {
                "ADDRESS": 1,
                "DATE_OF_BIRTH": 1,
                "EMAIL_ADDRESS": 1,
                "KZ_IIN": 1,
                "PERSON": 1,
                "PHONE_NUMBER": 1,
            },
        ),
        "contract_text.pdf.content": (
            1,
            BEYOND,
            {"EMAIL_ADDRESS": 1, "KZ_IIN": 1, "PERSON": 1, "PHONE_NUMBER": 1},
        ),
        "events.jsonl.ip": (2, BEYOND, {"IP_ADDRESS": 2}),
        "events.jsonl.email": (1, WITHIN, {"EMAIL_ADDRESS": 1}),
        "clients.csv.fio": (2, WITHIN, {"PERSON": 2}),
        "clients.csv.phone": (2, WITHIN, {"PHONE_NUMBER": 2}),
        "letter.docx.content": (1, WITHIN, {"PERSON": 1}),
        "blob.bin.*": (0, NOT_SCANNED, {}),
    }


def test_bad_table_is_listed_and_the_scan_goes_on(client, tmp_path):
    db = tmp_path / "bad.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, note TEXT)")
        conn.executemany("INSERT INTO a VALUES (?, ?)", [(i, "нет") for i in range(1, 121)])
        conn.execute("CREATE TABLE gone (x TEXT)")
        conn.execute("CREATE VIEW broken AS SELECT x FROM gone")
        conn.execute("DROP TABLE gone")
    options = ScanOptions(sampling=FULL, views=True)
    assert pieces(str(db), options) == {"a": 3}
    single = scan([str(db)], POLICY, options)
    assert comparable(on_dask(client, [str(db)], options)) == comparable(single)
    assert single["errors"] == [
        {
            "source": f"sqlite:///{db}",
            "container": "broken",
            "message": f"sqlite:///{db} broken: cannot read: no such table: main.gone",
        }
    ]
    assert fields(single) == {"a.id": (120, NONE, {}), "a.note": (120, NONE, {})}


def test_table_read_through_a_covering_index_stays_whole(client, tmp_path):
    # created_at (a timestamp) is not scanned, so SELECT id, email is answered from the e-mail
    # index, in e-mail order: key ranges would change which examples come first.
    db = tmp_path / "covering.db"
    letters = "zyxwvutsrqponmlkjihgfedcba"
    rows = [(i, f"{letters[i % 26]}{i:03d}@example.kz", "2026-01-01 10:00") for i in range(1, 201)]
    with sqlite3.connect(db) as conn:
        for table in ("indexed", "plain"):
            conn.execute(
                f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, email TEXT, created_at TIMESTAMP)"
            )
            conn.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)", rows)
        conn.execute("CREATE INDEX indexed_email ON indexed (email)")
    options = ScanOptions(sampling=FULL)
    assert pieces(str(db), options) == {"plain": 4}
    single = scan([str(db)], POLICY, options)
    assert comparable(on_dask(client, [str(db)], options)) == comparable(single)
    examples = {
        f["container"]: f["entities"][0]["examples"] for f in single["fields"] if f["entities"]
    }
    assert examples == {
        "indexed": ["a***@example.kz", "b***@example.kz", "c***@example.kz"],
        "plain": ["y***@example.kz", "x***@example.kz", "w***@example.kz"],
    }


def test_workers_option_starts_its_own_cluster(demo_db):
    options = ScanOptions(sampling=FULL, entities=["KZ_IIN", "PHONE_NUMBER"], exclude=NO_DOCUMENTS)
    single = scan([str(demo_db)], POLICY, options)
    got = scan_distributed([str(demo_db)], POLICY, options, workers=2, split_rows=SPLIT)
    assert comparable(got) == comparable(single)


def test_scheduler_address(demo_db):
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, scheduler_port=0, dashboard_address=":0"
    )
    try:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        options = ScanOptions(sampling=FULL, exclude=NO_DOCUMENTS)
        got = scan_distributed([str(demo_db)], POLICY, options, scheduler=address, split_rows=SPLIT)
        with distributed.Client(address) as c:
            # the scan closed the sources its workers opened: none left to close
            assert c.run(close_sources) == {w: 0 for w in cluster.scheduler_info["workers"]}
    finally:
        cluster.close()
    assert comparable(got) == comparable(scan([str(demo_db)], POLICY, options))


def test_unreachable_scheduler_is_one_line():
    with pytest.raises(DistributedError) as info:
        scan_distributed(["x.db"], POLICY, scheduler="tcp://127.0.0.1:9", timeout=2)
    message = str(info.value)
    assert message.startswith("cannot reach the Dask scheduler tcp://127.0.0.1:9: ")
    assert "\n" not in message


def test_without_dask_the_error_says_what_to_install(monkeypatch):
    # A missing package: ``import distributed`` raises ImportError when its entry is None.
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(DistributedError) as info:
        scan_distributed(["x.db"], POLICY, workers=2)
    assert str(info.value) == INSTALL_HINT == "Dask is not installed: pip install pdaudit[dask]"


def test_cli_workers_option(demo_db, tmp_path):
    out = tmp_path / "report.json"
    args = ["scan", str(demo_db), "--full", "--exclude", "*documents*", "--entities", "KZ_IIN"]
    result = CliRunner().invoke(main, [*args, "--workers", "2", "--format", "json", "-o", str(out)])
    assert result.exit_code == 1, result.output
    options = ScanOptions(sampling=FULL, exclude=NO_DOCUMENTS, entities=["KZ_IIN"])
    want = comparable(scan([str(demo_db)], POLICY, options))
    assert comparable(json.loads(out.read_text("utf-8"))) == want


def test_cli_unreachable_scheduler(demo_db):
    args = ["scan", str(demo_db), "--scheduler", "tcp://127.0.0.1:9"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    last = result.output.strip().splitlines()[-1]
    assert "cannot reach the Dask scheduler tcp://127.0.0.1:9: " in last


def test_run_job_with_workers(demo_db, tmp_path):
    job = tmp_path / "job.yaml"
    job.write_text(
        f"sources: [{demo_db}]\noutput: out\nexclude: ['*documents*']\nentities: [KZ_IIN]\n"
        "sampling: {full: true}\nworkers: 2\nfail_on: none\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["run", str(job)])
    assert result.exit_code == 0, result.output
    got = json.loads((tmp_path / "out" / "latest.json").read_text("utf-8"))
    options = ScanOptions(sampling=FULL, exclude=NO_DOCUMENTS, entities=["KZ_IIN"])
    want = scan([str(demo_db)], POLICY, options)
    assert [
        [{k: v for k, v in e.items() if k != "change"} for e in f["entities"]]
        for f in got["fields"]
    ] == [f["entities"] for f in want["fields"]]
    assert {k: got["summary"][k] for k in want["summary"]} == want["summary"]


def test_job_file_workers_must_be_positive(tmp_path):
    from pdaudit.scanner.jobs import JobError, load_job

    job = tmp_path / "job.yaml"
    job.write_text("sources: [a.db]\noutput: out\nworkers: 0\n", encoding="utf-8")
    with pytest.raises(JobError, match=r"job.yaml:3: workers must be at least 1"):
        load_job(job)
    job.write_text("sources: [a.db]\noutput: out\nscheduler: tcp://h:8786\n", encoding="utf-8")
    assert (load_job(job).workers, load_job(job).scheduler) == (None, "tcp://h:8786")


def test_cli_without_dask(demo_db, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = CliRunner().invoke(main, ["scan", str(demo_db), "--workers", "2"])
    assert result.exit_code == 2
    assert result.output.strip().endswith("Dask is not installed: pip install pdaudit[dask]")


def test_quiet_silences_the_workers_too(tmp_path):
    """``--quiet`` prints nothing but errors: the warnings of the workers that read the table
    (a BLOB that is a broken PDF) are held back as a single process holds them back."""
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    db = tmp_path / "docs.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE docs (id INTEGER PRIMARY KEY, fio TEXT, scan BLOB)")
    broken = b"%PDF-1.4\n" + b"\x00garbage" * 50
    con.executemany("INSERT INTO docs (fio, scan) VALUES (?, ?)", [("Иванов Иван", broken)] * 3)
    con.commit()
    con.close()
    pdaudit = str(Path(sys.executable).with_name("pdaudit"))
    common = [pdaudit, "scan", str(db), "--format", "json", "-o", str(tmp_path / "r.json")]
    loud = subprocess.run([*common, "--workers", "2"], capture_output=True, text=True, timeout=300)
    assert "document could not be read" in loud.stderr  # a worker's warning
    quiet = subprocess.run(
        [*common, "--workers", "2", "--quiet"], capture_output=True, text=True, timeout=300
    )
    assert quiet.returncode in (0, 1), quiet.stderr
    assert "could not be read" not in quiet.stderr


def _children() -> set[int]:
    """This process's children but multiprocessing's resource tracker (one per process, kept)."""
    import psutil

    return {
        p.pid
        for p in psutil.Process().children(recursive=True)
        if "resource_tracker" not in " ".join(p.cmdline())
    }


def test_workers_option_leaves_no_process_behind(demo_db):
    """The local cluster starts while the driver plans and is closed with all its processes,
    also when planning fails (a target that cannot be opened) while it starts."""
    before = _children()
    options = ScanOptions(sampling=FULL, entities=["KZ_IIN"], exclude=NO_DOCUMENTS)
    scan_distributed([str(demo_db)], POLICY, options, workers=2, split_rows=SPLIT)
    assert _children() == before
    with pytest.raises(SourceError):
        scan_distributed([str(demo_db.parent / "missing.db")], POLICY, options, workers=2)
    assert _children() == before


def test_layout_lists_what_plan_submits(demo_db):
    """``layout`` needs no client: the containers in scan order with the key ranges of
    ``ranges``; ``plan`` submits exactly those."""
    options = ScanOptions(sampling=FULL, exclude=NO_DOCUMENTS)
    scanner = DaskScanner(None, POLICY, options, split_rows=SPLIT)
    layout = scanner.layout([str(demo_db)])
    source = open_source(str(demo_db), options)
    try:
        names = [c.name for c in source.containers()]
        want = [scanner.ranges(source, name) for name in names]
    finally:
        source.close()
    assert [p.name for p in layout] == names
    assert [p.ranges for p in layout] == want
    assert {p.target for p in layout} == {str(demo_db)}

    class Recording:
        def __init__(self) -> None:
            self.submitted: list[tuple] = []

        def submit(self, fn, scan_id, target, opts, policy, name, key_range, **kw):  # noqa: ANN001, ANN003, ANN201
            self.submitted.append((target, name, key_range))
            return len(self.submitted)

    recording = Recording()
    planner = DaskScanner(recording, POLICY, options, split_rows=SPLIT)
    planner.plan([str(demo_db)])
    assert recording.submitted == [
        (str(demo_db), p.name, key_range) for p in layout for key_range in p.ranges or [None]
    ]


def test_workers_import_the_scan_at_their_start():
    """A worker of ``local_cluster`` imports the scan's modules at its start (its preload's
    ``dask_setup``), checked in a fresh interpreter."""
    code = (
        "import sys\n"
        "from pdaudit.scanner import process\n"
        "assert 'pdaudit.scanner.distributed' not in sys.modules\n"
        "process.dask_setup()\n"
        "assert 'pdaudit.scanner.distributed' in sys.modules\n"
        "print('ok')\n"
    )
    assert _fresh_interpreter(code) == "ok"


def test_workers_freeze_their_heap_at_their_close():
    """A worker of ``local_cluster`` freezes what it holds out of the collector at its close
    (its preload's ``dask_teardown``): no collection at its exit walks the analyser's cache.
    Checked in a fresh interpreter."""
    code = (
        "import gc\n"
        "from pdaudit.scanner import process\n"
        "assert gc.get_freeze_count() == 0\n"
        "process.dask_teardown()\n"
        "assert gc.get_freeze_count() > 0\n"
        "print('ok')\n"
    )
    assert _fresh_interpreter(code) == "ok"


@pytest.mark.parametrize("tuned", [True, False])
def test_a_tuned_process_freezes_its_heap_as_it_exits(tuned):
    """``tune_process`` (twice: it registers once) freezes the heap at exit, after the handlers
    registered later and before those registered earlier; an untuned process does not."""

    code = (
        "import atexit, gc\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        "from pdaudit.scanner.process import tune_process\n"
        + ("tune_process()\ntune_process()\n" if tuned else "")
        + "kept = [[] for _ in range(1000)]\n"
    )
    assert _fresh_interpreter(code) == f"frozen {tuned}"


def _fresh_interpreter(code: str) -> str:
    """What ``code`` prints, run by a new Python (nothing imported or tuned yet); it must exit 0."""
    import subprocess

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()
