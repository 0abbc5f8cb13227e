"""pdaudit against its baselines on a synthetic Mirum-like database with known labels.

    .venv/bin/python bench/bench.py [--rows 1000000] [--quick] [--growth] [--tables50]
                                    [--workers 2] [--pg URL]

Measures, each in its own child process (peak RSS of that process): a raw read of every scanned
cell with the same driver (the floor), ``scan()`` in sample mode (with and without the early
stop) and ``--full`` mode, ``--full`` without recognizers (what surrounds the analysis),
``--full`` on a local Dask cluster, the CLI once, and plain Presidio (``AnalyzerEngine`` with a
blank Russian spaCy, Presidio's predefined e-mail/phone/card/IBAN/IP recognizers and a natasha
PERSON recognizer) on a subsample of cells whose rate is extrapolated. F1 (per cell and type) of
both is computed on the same subsample. Every value is invented by ``bench/synth.py``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("OMP_NUM_THREADS", "1")

import synth  # noqa: E402

PRESIDIO_TYPES = {
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- modes (run in a child process)


def mode_raw(db: str) -> dict:
    """Every row of every scanned column through the same driver, nothing else: the floor."""
    started = time.perf_counter()
    cells = rows = 0
    if "://" in db:
        import sqlalchemy as sa

        # The scanner reads PostgreSQL with psycopg 3; so does the floor.
        engine = sa.create_engine(db.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as conn:
            for table, cols in synth.TABLES.items():
                result = conn.execution_options(yield_per=2000).execute(
                    sa.text(f"SELECT {', '.join(cols)} FROM {table}")
                )
                for part in result.partitions():
                    rows += len(part)
                    cells += sum(v is not None for row in part for v in row)
    else:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        for table in _sqlite_tables(conn):
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            cur = conn.execute(f"SELECT {', '.join(cols)} FROM {table}")
            while part := cur.fetchmany(2000):
                rows += len(part)
                cells += sum(v is not None for row in part for v in row)
    return {"seconds": time.perf_counter() - started, "rows": rows, "cells": cells}


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    ]


def mode_scan(
    db: str,
    full: bool,
    workers: int = 0,
    early_stop: bool = True,
    recognizers: bool = True,
    columnar: bool | None = None,
) -> dict:
    """``pdaudit.scanner.scan.scan()`` (or ``scan_distributed``) as the library runs it.

    With ``recognizers=False`` the same scan runs with an ``Analyzer`` that has no recognizer:
    reading, deduplicating, caching, counting and the report, without the analysis. It also
    counts the texts the cache did not hold, which a full scan analyses one by one.
    ``columnar`` chooses the SQLite reader of a full read (``ScanOptions.columnar``; None: the
    library's default).
    """
    from pdaudit.scanner.analysis import Analyzer
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.sampling import EarlyStop, Sampling
    from pdaudit.scanner.scan import ScanOptions, scan

    policy = load_policy(None)
    sampling = Sampling(
        mode="full" if full else "sample", early_stop=EarlyStop() if early_stop else None
    )
    options = ScanOptions(sampling=sampling)
    if columnar is not None:
        options = dataclasses.replace(options, columnar=columnar)
    analyzer = None
    if not recognizers:

        class CountingAnalyzer(Analyzer):
            analysed = 0

            def _run(self, texts: list[str], context: list[str]) -> list:
                self.analysed += len(texts)
                return super()._run(texts, context)

        analyzer = CountingAnalyzer(recognizers=[])
    started = time.perf_counter()
    if workers:
        from pdaudit.scanner.distributed import scan_distributed

        report = scan_distributed([db], policy, options, workers=workers)
    else:
        report = scan([db], policy, options, analyzer=analyzer)
    seconds = time.perf_counter() - started
    values = sum(f["values_scanned"] for f in report["fields"])
    found = {
        f"{f['container']}.{f['field']}": sorted(e["type"] for e in f["entities"])
        for f in report["fields"]
        if f["entities"]
    }
    return {
        "seconds": seconds,
        "values": values,
        "errors": report["errors"],
        "fields": found,
        "beyond_policy": report["summary"]["beyond_policy"],
        "early_stopped": sum("early_stop" in f for f in report["fields"]),
        **({"analysed_texts": analyzer.analysed} if analyzer is not None else {}),
    }


def mode_cli(db: str) -> dict:
    out = Path(tempfile.mkdtemp()) / "report.json"
    started = time.perf_counter()
    proc = subprocess.run(
        # The command installed beside the running interpreter (a worktree has no .venv).
        [
            str(Path(sys.executable).with_name("pdaudit")),
            "scan",
            db,
            "--format",
            "json",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "exit": proc.returncode, "stderr": proc.stderr[-300:]}


def mode_pdaudit_cells(db: str, n: int) -> dict:
    """pdaudit's Analyzer (field name as context, as the scan passes it) on the labelled subsample."""
    from pdaudit.scanner.analysis import Analyzer
    from pdaudit.scanner.fieldnames import tokenize

    cells = synth.subsample(db, n)
    analyzer = Analyzer(min_score=0.4)
    by_field: dict[str, list[int]] = {}
    for i, (field, _text, _gold) in enumerate(cells):
        by_field.setdefault(field, []).append(i)
    predicted: list[set[str]] = [set() for _ in cells]
    started = time.perf_counter()
    for field, idx in by_field.items():
        found = analyzer.analyze_batch([cells[i][1] for i in idx], context=tokenize(field))
        for i, ents in zip(idx, found, strict=True):
            predicted[i] = {e.type for e in ents}
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "cells": len(cells), **score(cells, predicted)}


def mode_presidio(db: str, n: int) -> dict:
    """Plain Presidio as a user would wire it, one ``analyze()`` per cell."""
    engine = plain_presidio()
    cells = synth.subsample(db, n)
    started = time.perf_counter()
    predicted = []
    per_field: dict[str, list[float]] = {}  # field -> [cells, seconds]
    for field, text, _gold in cells:
        t = time.perf_counter()
        results = engine.analyze(text=text, language="ru", score_threshold=0.4)
        predicted.append({r.entity_type for r in results})
        entry = per_field.setdefault(field, [0, 0.0])
        entry[0] += 1
        entry[1] += time.perf_counter() - t
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cells": len(cells),
        "per_field": per_field,
        **score(cells, predicted),
    }


def presidio_full_seconds(per_field: dict[str, list[float]], users: int) -> float:
    """Plain Presidio's time for the full scan's columns, extrapolated field by field.

    Each field's measured seconds per cell times its number of cells in the database (users'
    columns: ``users``; message bodies: ``users // MESSAGE_EVERY``). The integer ``id`` and
    ``user_id`` columns are not in the subsample and count as free, in Presidio's favour.
    """
    total = 0.0
    for field, (cells, seconds) in per_field.items():
        rows = users // synth.MESSAGE_EVERY if field == "body" else users
        total += seconds / cells * rows
    return total


def plain_presidio():  # noqa: ANN201
    """``AnalyzerEngine``: blank Russian spaCy, Presidio's predefined recognizers, natasha PERSON."""
    from natasha import NewsEmbedding, NewsNERTagger
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
    from presidio_analyzer import RecognizerResult as Result
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        IbanRecognizer,
        IpRecognizer,
        PhoneRecognizer,
    )

    from pdaudit.scanner.engine import BlankRussianNlpEngine, OfflineEmailRecognizer

    class NatashaPersonRecognizer(EntityRecognizer):
        """PER spans from natasha's NewsNERTagger."""

        def __init__(self) -> None:
            super().__init__(supported_entities=["PERSON"], supported_language="ru")
            self.tagger = NewsNERTagger(NewsEmbedding())

        def load(self) -> None:
            pass

        def analyze(self, text, entities, nlp_artifacts=None):
            return [
                Result("PERSON", s.start, s.stop, 0.85)
                for s in self.tagger(text).spans
                if s.type == "PER"
            ]

    registry = RecognizerRegistry(supported_languages=["ru"])
    for rec in (
        OfflineEmailRecognizer(supported_language="ru"),  # Presidio's, validated offline
        PhoneRecognizer(supported_language="ru", supported_regions=("KZ", "RU")),
        CreditCardRecognizer(supported_language="ru"),
        IbanRecognizer(supported_language="ru"),
        IpRecognizer(supported_language="ru"),
        NatashaPersonRecognizer(),
    ):
        registry.add_recognizer(rec)
    return AnalyzerEngine(
        registry=registry, nlp_engine=BlankRussianNlpEngine(), supported_languages=["ru"]
    )


def score(cells: list, predicted: list[set[str]]) -> dict:
    """Per-type and micro F1, one decision per cell and type."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for (_f, _t, gold), pred in zip(cells, predicted, strict=True):
        for t in pred & gold:
            tp[t] += 1
        for t in pred - gold:
            fp[t] += 1
        for t in gold - pred:
            fn[t] += 1
    types = sorted(set(tp) | set(fp) | set(fn))

    def f1(a: int, b: int, c: int) -> float:
        return round(2 * a / (2 * a + b + c), 4) if a + b + c else 1.0

    def micro(keep: set[str] | None) -> float:
        ts = [t for t in types if keep is None or t in keep]
        return f1(sum(tp[t] for t in ts), sum(fp[t] for t in ts), sum(fn[t] for t in ts))

    return {
        "f1": {t: f1(tp[t], fp[t], fn[t]) for t in types},
        "support": {t: tp[t] + fn[t] for t in types},
        "micro_f1": micro(None),
        "micro_f1_presidio_types": micro(PRESIDIO_TYPES),
    }


def _scan(a: argparse.Namespace, **kwargs: Any) -> dict:
    columnar = {"on": True, "off": False}.get(a.columnar or "")
    return mode_scan(a.db, columnar=columnar, **kwargs)


MODES = {
    "raw": lambda a: mode_raw(a.db),
    "sample": lambda a: _scan(a, full=False),
    "sample_no_stop": lambda a: _scan(a, full=False, early_stop=False),
    "full": lambda a: _scan(a, full=True),
    "full_workers": lambda a: _scan(a, full=True, workers=a.workers),
    "full_no_recognizers": lambda a: _scan(a, full=True, recognizers=False),
    "sample_workers": lambda a: _scan(a, full=False, workers=a.workers),
    "cli": lambda a: mode_cli(a.db),
    "pdaudit_cells": lambda a: mode_pdaudit_cells(a.db, a.cells),
    "presidio": lambda a: mode_presidio(a.db, a.cells),
}


def child(mode: str, db: str, args: argparse.Namespace) -> dict:
    """Run one mode in a fresh interpreter; its peak RSS is its own."""
    cmd = [sys.executable, __file__, "--child", mode, "--db", db, "--cells", str(args.cells)]
    cmd += ["--workers", str(args.workers)]
    if args.library_process:
        cmd.append("--library-process")
    if args.columnar:
        cmd += ["--columnar", args.columnar]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"{mode} failed:\n{proc.stderr[-2000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the child and the processes it waited for (Dask's local workers): on a
    # machine shared with other jobs they vary much less than wall-clock seconds.
    result["cpu_seconds"] = round(
        after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 2
    )
    return result


# ---------------------------------------------------------------- the report


def run_main(args: argparse.Namespace) -> None:
    work = Path(args.dir or tempfile.mkdtemp(prefix="pdaudit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = str(work / f"mirum-{args.rows}.db")
    if not Path(db).exists():
        t = time.perf_counter()
        synth.write_sqlite(db, args.rows, seed=args.seed)
        print(f"generated {db} ({args.rows} users) in {time.perf_counter() - t:.1f} s")
    results: dict[str, Any] = {}
    modes = [
        "raw",
        "sample",
        "sample_no_stop",
        "full",
        "full_no_recognizers",
        "pdaudit_cells",
        "presidio",
    ]
    if not args.quick:
        modes += ["cli", "full_workers"]
    if args.only:
        modes = args.only
    rounds: list[dict[str, dict]] = []
    for n in range(args.rounds):
        # Round after round, every mode in turn: a ratio of two modes of one round compares
        # runs made minutes apart, not a run of a quiet hour with one of a busy hour.
        done: dict[str, dict] = {}
        for mode in modes:
            done[mode] = r = child(mode, db, args)
            print(
                f"{mode:14} {r['seconds']:8.2f} s  CPU {r['cpu_seconds']:8.2f} s  "
                f"peak RSS {r['rss_mib']:7.1f} MiB  load {os.getloadavg()[0]:.1f}"
                + (f"  round {n + 1}" if args.rounds > 1 else ""),
                flush=True,
            )
            for error in r.get("errors", []):
                # A failed table makes the timing meaningless: say so loudly.
                print(f"  ERROR in {mode}: {error['container']}: {error['message'][:200]}")
        rounds.append(done)
    # Each mode's median run (by wall-clock seconds; of an even number, the faster middle one)
    # stands for it in the summary.
    for mode in modes:
        runs = sorted((done[mode] for done in rounds), key=lambda r: r["seconds"])
        results[mode] = runs[(len(runs) - 1) // 2]
    print_summary(results, args)
    if args.rounds > 1:
        print_rounds(rounds, args)
        results["rounds"] = rounds
    if args.pg:
        pg_results = run_pg(args, db)
        results["pg"] = pg_results
    (work / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(f"results: {work / 'results.json'}")


def print_rounds(rounds: list[dict[str, dict]], args: argparse.Namespace) -> None:
    """The targets' ratios round by round (both runs of a ratio from one round) and their
    medians: ``--full`` against the raw read, and ``--workers`` against one process."""
    pairs = [
        ("full", "raw", "full scan / raw read"),
        ("full", "full_workers", f"--workers {args.workers} speed-up over one process"),
        ("full_no_recognizers", "raw", "full scan without recognizers / raw read"),
    ]
    for top, bottom, label in pairs:
        ratios = [
            r[top]["seconds"] / r[bottom]["seconds"] for r in rounds if top in r and bottom in r
        ]
        if ratios:
            each = " ".join(f"{x:.2f}x" for x in ratios)
            print(f"{label}, round by round: {each} (median {statistics.median(ratios):.2f}x)")


def print_split(r: dict) -> None:
    """How much of ``--full`` is the scan around the analysis, and how much the recognizers."""
    if not {"raw", "full", "full_no_recognizers"} <= set(r):
        return
    raw, full, bare = r["raw"], r["full"], r["full_no_recognizers"]
    texts, rest = bare["analysed_texts"], full["seconds"] - bare["seconds"]
    print(
        f"full scan without recognizers (read, deduplicate, cache, count, report): "
        f"{bare['seconds']:.2f} s = {bare['seconds'] / raw['seconds']:.1f}x the raw read; "
        f"the recognizers, full minus that: {rest:.1f} s over {texts:,} analysed texts "
        f"= {rest / max(texts, 1) * 1e6:.1f} us a text"
    )


def print_summary(r: dict, args: argparse.Namespace) -> None:
    if not {"raw", "full", "presidio", "pdaudit_cells"} <= set(r):
        for key, x in r.items():
            if "values" in x:
                print(f"{key}: {x['values'] / x['seconds']:,.0f} values/s")
        print_split(r)
        return
    raw, full = r["raw"], r["full"]
    print()
    print(
        f"raw read:   {raw['rows']} rows, {raw['cells']} cells in {raw['seconds']:.2f} s "
        f"= {raw['cells'] / raw['seconds']:,.0f} cells/s"
    )
    for key in ("sample", "sample_no_stop", "full", "full_workers"):
        if key in r:
            x = r[key]
            print(
                f"scan {key:12} {x['seconds']:7.2f} s  {x['values'] / x['seconds']:>10,.0f} values/s"
                f"  ({x['values']} values, peak {x['rss_mib']:.0f} MiB, errors {len(x['errors'])})"
            )
    print(f"full scan / raw read: {full['seconds'] / raw['seconds']:.1f}x")
    print_split(r)
    if "full_workers" in r:
        print(
            f"--workers {args.workers} speed-up over one process: "
            f"{full['seconds'] / r['full_workers']['seconds']:.2f}x"
        )
    p, q = r["presidio"], r["pdaudit_cells"]
    presidio_full = presidio_full_seconds(p["per_field"], args.rows)
    print(
        f"plain Presidio: {p['cells']} cells in {p['seconds']:.1f} s = "
        f"{p['cells'] / p['seconds']:,.0f} cells/s (subsample; extrapolated field by field to "
        f"the database: {presidio_full / 3600:.2f} h)"
    )
    print(f"plain Presidio (extrapolated) / pdaudit --full: {presidio_full / full['seconds']:.0f}x")
    if "full_workers" in r:
        print(
            f"plain Presidio (extrapolated) / pdaudit --full --workers {args.workers}: "
            f"{presidio_full / r['full_workers']['seconds']:.0f}x"
        )
    print(f"pdaudit Analyzer on the same subsample: {q['cells'] / q['seconds']:,.0f} cells/s")
    print("F1 per type (pdaudit | plain Presidio), support:")
    for t in sorted(set(q["f1"]) | set(p["f1"])):
        print(
            f"  {t:16} {q['f1'].get(t, 0):.3f} | {p['f1'].get(t, 0):.3f}   "
            f"{q['support'].get(t, p['support'].get(t, 0))}"
        )
    print(f"  micro           {q['micro_f1']:.3f} | {p['micro_f1']:.3f}")
    print(
        f"  micro (Presidio's types) {q['micro_f1_presidio_types']:.3f} | "
        f"{p['micro_f1_presidio_types']:.3f}"
    )
    if "cli" in r:
        print(
            f"CLI `pdaudit scan` (sample mode, process start included): {r['cli']['seconds']:.1f} s"
        )


def run_growth(args: argparse.Namespace) -> None:
    work = Path(args.dir or tempfile.mkdtemp(prefix="pdaudit-growth-"))
    work.mkdir(parents=True, exist_ok=True)
    modes = [m for m in (args.only or ("full",)) if m != "raw"]
    print("rows      mode           raw s    scan s  scan/raw  values/s  CPU s  load  peak MiB")
    for n in args.growth_rows:
        db = str(work / f"mirum-{n}.db")
        if not Path(db).exists():
            synth.write_sqlite(db, n, seed=args.seed)
        raw = child("raw", db, args)
        for mode in modes:
            r = child(mode, db, args)
            print(
                f"{n:<9} {mode:<13} {raw['seconds']:6.2f}  {r['seconds']:8.1f}  "
                f"{r['seconds'] / raw['seconds']:7.1f}  {r['values'] / r['seconds']:>8,.0f}"
                f"  {r['cpu_seconds']:5.0f}  {os.getloadavg()[0]:4.1f}  {r['rss_mib']:7.0f}",
                flush=True,
            )


def run_tables50(args: argparse.Namespace) -> None:
    work = Path(args.dir or tempfile.mkdtemp(prefix="pdaudit-t50-"))
    work.mkdir(parents=True, exist_ok=True)
    db = str(work / f"tables-{args.tables}x{args.table_rows}.db")
    if not Path(db).exists():
        synth.write_many_tables(db, tables=args.tables, rows=args.table_rows, seed=args.seed)
    for mode in args.only or ("sample", "sample_workers"):
        r = child(mode, db, args)
        print(
            f"{args.tables} tables x {args.table_rows} rows, {mode}: {r['seconds']:.1f} s "
            f"(CPU {r['cpu_seconds']:.1f} s, load {os.getloadavg()[0]:.1f}), "
            f"{r['values']} values, {r.get('early_stopped', 0)} fields stopped early, "
            f"peak {r['rss_mib']:.0f} MiB",
            flush=True,
        )


def _positive(text: str) -> int:
    """An argument that is a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="100,000 rows, no CLI/Dask runs")
    ap.add_argument("--cells", type=int, default=20_000, help="subsample for Presidio and F1")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--growth", action="store_true", help="full-scan time at --growth-rows")
    ap.add_argument("--growth-rows", type=int, nargs="+", default=[100_000, 1_000_000, 5_000_000])
    ap.add_argument("--tables50", action="store_true", help="sample mode on 50 tables")
    ap.add_argument("--tables", type=int, default=50)
    ap.add_argument("--table-rows", type=int, default=20_000)
    ap.add_argument(
        "--pg",
        metavar="URL",
        help="also load the data into this PostgreSQL database; 'start' starts a PostgreSQL 15",
    )
    ap.add_argument(
        "--pg-modes",
        nargs="+",
        default=["raw", "sample", "full"],
        help="the modes run on PostgreSQL (default: raw sample full)",
    )
    ap.add_argument("--dir", help="where the generated databases go (kept for reuse)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", nargs="+", choices=sorted(MODES), help="run only these modes")
    ap.add_argument(
        "--rounds",
        type=_positive,
        default=1,
        help="run the modes this many times in turn; print each round's ratios and their "
        "medians, and summarise each mode by its median run",
    )
    ap.add_argument("--child", choices=sorted(MODES), help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument(
        "--library-process",
        action="store_true",
        help="children keep Python's defaults (as a program calling the library does), instead "
        "of pdaudit.scanner.process.tune_process as the pdaudit command's process",
    )
    ap.add_argument(
        "--columnar",
        choices=("on", "off"),
        help="the scan modes read --full SQLite tables with the columnar reader (on) or the "
        "SQLAlchemy path (off); default: the library's default",
    )
    args = ap.parse_args()
    if args.child:
        if not args.library_process:
            # A mode's child is a process of pdaudit's own, as the ``pdaudit`` command's is.
            from pdaudit.scanner.process import tune_process

            tune_process()
        out = MODES[args.child](args)
        out["rss_mib"] = peak_rss_mib()
        print(json.dumps(out, ensure_ascii=False))
        return
    if args.quick:
        args.rows = min(args.rows, 100_000)
        args.cells = min(args.cells, 5_000)
    if args.growth:
        run_growth(args)
    elif args.tables50:
        run_tables50(args)
    else:
        run_main(args)


def run_pg(args: argparse.Namespace, sqlite_db: str) -> dict:
    """Copy the generated tables into PostgreSQL and time raw read and the scans there.

    ``--pg start`` starts a PostgreSQL 15 server of its own (``tests/servers.py``: a temporary
    data directory, stopped afterwards) and scans as a role that may only read the tables;
    ``--pg URL`` uses an existing database whose role may create tables.
    """
    server = None
    load_url = scan_url = args.pg
    if args.pg == "start":
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        import servers

        server = servers.PostgresServer()
        server.execute(
            "postgres",
            [
                "CREATE DATABASE bench",
                f"CREATE ROLE {servers.USER} LOGIN PASSWORD '{servers.PASSWORD}'",
            ],
        )
        load_url, scan_url = server.admin_url("bench"), server.url("bench")
    try:
        _copy_to_pg(load_url, sqlite_db)
        if server is not None:
            server.execute(
                "bench",
                [f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {servers.USER}", "ANALYZE"],
            )
        out = {}
        for mode in args.pg_modes:
            out[mode] = child(mode, scan_url, args)
            print(
                f"PostgreSQL {mode:14} {out[mode]['seconds']:8.2f} s  "
                f"peak RSS {out[mode]['rss_mib']:7.1f} MiB",
                flush=True,
            )
        if "raw" in out and "full" in out:
            print(f"PostgreSQL full / raw: {out['full']['seconds'] / out['raw']['seconds']:.1f}x")
        if "full" in out and "full_workers" in out:
            print(
                f"PostgreSQL --workers {args.workers} speed-up: "
                f"{out['full']['seconds'] / out['full_workers']['seconds']:.2f}x"
            )
        return out
    finally:
        if server is not None:
            server.stop()


def _copy_to_pg(url: str, sqlite_db: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    src = sqlite3.connect(sqlite_db)
    with engine.begin() as conn:
        raw = conn.connection.dbapi_connection
        cur = raw.cursor()
        for table, cols in synth.TABLES.items():
            cur.execute(f"DROP TABLE IF EXISTS {table}")
            cur.execute(
                f"CREATE TABLE {table} (id BIGINT PRIMARY KEY, "
                + ", ".join(f"{c} TEXT" for c in cols if c != "id")
                + ")"
            )
            with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in src.execute(f"SELECT {', '.join(cols)} FROM {table}"):
                    copy.write_row(row)
    engine.dispose()
    src.close()


if __name__ == "__main__":
    main()
