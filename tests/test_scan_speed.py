"""The sample's early stop: exact stop points, counts and statuses on a generated SQLite table.

The table's values are invented here (IINs get their check digit from this file's own code):
``iin`` holds an IIN in every row, ``phone`` a phone in 19 rows of 20, ``mixed`` an IIN in 85
rows of 100, ``comment`` plain text with a single IIN at row 5,000, ``note`` nothing personal.
"""

from __future__ import annotations

import importlib
import random
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdaudit.recognizers.checksums import mod11_two_pass
from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.policy import BEYOND, NONE, WITHIN, load_policy
from pdaudit.scanner.sampling import EarlyStop, Sampling
from pdaudit.scanner.scan import Scanner, ScanOptions, _values_before_stop, scan
from pdaudit.scanner.sources import Container
from pdaudit.scanner.verdicts import FieldStats, TypeStats

POLICY = load_policy(None)
ROWS = 6000
RARE_ROW = 5000
ENTITIES = ["KZ_IIN", "PHONE_NUMBER"]
COMMENTS = [
    "Оплата прошла, доступ открыт",
    "Просит перенести урок на пятницу",
    "Жалоба на качество видео",
    "Вопрос по тарифу решён",
]


def make_iin(rng: random.Random) -> str:
    """An invented, checksummed IIN of someone born 1960-1999."""
    while True:
        year, month, day = rng.randint(60, 99), rng.randint(1, 12), rng.randint(1, 28)
        head = f"{year:02d}{month:02d}{day:02d}{rng.choice('34')}{rng.randint(0, 9999):04d}"
        check = mod11_two_pass(head)
        if check is not None:
            return f"{head}{check}"


def make_db(path: Path) -> Path:
    rng = random.Random(20261126)
    rows = []
    for i in range(1, ROWS + 1):
        phone = "нет" if i % 20 == 0 else f"+7 701 {rng.randint(100, 999)} {rng.randint(10, 99)} 45"
        mixed = "нет" if i % 100 >= 85 else make_iin(rng)
        comment = rng.choice(COMMENTS)
        if i == RARE_ROW:
            comment = f"Родитель прислал ИИН ребёнка {make_iin(rng)}"
        rows.append((i, make_iin(rng), phone, mixed, comment, "ok"))
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE people (id INTEGER PRIMARY KEY, iin TEXT, phone TEXT, mixed TEXT, "
            "comment TEXT, note TEXT)"
        )
        conn.executemany("INSERT INTO people VALUES (?,?,?,?,?,?)", rows)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(make_db(tmp_path_factory.mktemp("speed") / "people.db"))


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    """One analyzer for every scan here: its cache makes the repeated scans cheap."""
    return Analyzer(entities=ENTITIES, min_score=0.4)


def run(db: str, analyzer: Analyzer, sampling: Sampling) -> dict:
    options = ScanOptions(sampling=sampling, entities=ENTITIES)
    return scan([db], POLICY, options, analyzer=analyzer)


def by_field(report: dict) -> dict[str, tuple]:
    """field -> (values scanned, early stop, status, {type: matches})."""
    return {
        f["field"]: (
            f["values_scanned"],
            f.get("early_stop"),
            f["status"],
            {e["type"]: e["matches"] for e in f["entities"]},
        )
        for f in report["fields"]
    }


def comparable(report: dict) -> dict:
    out = dict(report)
    out.pop("generated_at")
    out["sources"] = [{k: v for k, v in s.items() if k != "seconds"} for s in report["sources"]]
    return out


FULL_SAMPLE = {
    "id": (ROWS, None, NONE, {}),
    "iin": (ROWS, None, BEYOND, {"KZ_IIN": ROWS}),
    "phone": (ROWS, None, WITHIN, {"PHONE_NUMBER": ROWS - ROWS // 20}),
    "mixed": (ROWS, None, BEYOND, {"KZ_IIN": ROWS * 85 // 100}),
    "comment": (ROWS, None, BEYOND, {"KZ_IIN": 1}),
    "note": (ROWS, None, NONE, {}),
}


def test_early_stop_exact_points_counts_and_statuses(db, analyzer):
    report = run(db, analyzer, Sampling())
    assert by_field(report) == {
        **FULL_SAMPLE,
        # every value an IIN: settled at exactly the minimum count
        "iin": (1000, {"after": 1000}, BEYOND, {"KZ_IIN": 1000}),
        # 950 phones of 1000: the Wilson lower bound 0.935 >= 0.9, one type only
        "phone": (1000, {"after": 1000}, WITHIN, {"PHONE_NUMBER": 950}),
        # 85% IINs: the lower bound stays below 0.9, the whole sample is analysed
        # comment: mostly nothing, so never settled; the IIN at row 5,000 is found
    }
    assert report["sampling"] == {
        "method": "whole table",
        "rows_per_table": 10000,
        "seed": 0,
        "early_stop": {"min_values": 1000, "min_share_lower_bound": 0.9},
    }


def test_no_early_stop_gives_the_full_sample(db, analyzer):
    report = run(db, analyzer, Sampling(early_stop=None))
    assert by_field(report) == FULL_SAMPLE
    # nothing stopped: the report is the one every sampled value gives, and says no more
    assert report["sampling"] == {"method": "whole table", "rows_per_table": 10000, "seed": 0}


def test_full_never_stops(db, analyzer):
    report = run(db, analyzer, Sampling(mode="full"))
    assert by_field(report) == FULL_SAMPLE
    assert report["sampling"] == {"method": "full", "rows_per_table": None, "seed": 0}


def test_same_seed_same_report(db, analyzer):
    sampling = Sampling(rows_per_table=3000, seed=5, early_stop=EarlyStop(min_values=500))
    first, second = run(db, analyzer, sampling), run(db, analyzer, sampling)
    assert comparable(first) == comparable(second)
    fields = by_field(first)
    assert fields["iin"] == (500, {"after": 500}, BEYOND, {"KZ_IIN": 500})
    assert fields["comment"][:2] == (3000, None)
    assert first["sampling"]["method"] == "rowid"


def test_stop_does_not_depend_on_batches(db, analyzer):
    """Where a field stops depends on its values in order, not on how rows were batched."""
    import sqlite3 as sq

    with sq.connect(db) as conn:
        rows = [
            dict(zip(("iin", "phone", "comment"), r, strict=True))
            for r in conn.execute("SELECT iin, phone, comment FROM people ORDER BY id")
        ]
    options = ScanOptions(sampling=Sampling(early_stop=EarlyStop(min_values=300)))
    got = []
    for size in (7, 299, 1000, ROWS):
        batches = [rows[i : i + size] for i in range(0, len(rows), size)]
        container = Container(
            "mem", "people", ["iin", "phone", "comment"], lambda b=batches: iter(b)
        )
        stats = Scanner(analyzer, POLICY, options).scan_container(container)
        got.append({f: (s.values_scanned, s.stopped_after) for f, s in stats.items()})
    assert (
        got
        == [
            {"iin": (300, 300), "phone": (300, 300), "comment": (ROWS, None)},
        ]
        * 4
    )


@pytest.mark.parametrize(
    ("n", "types", "rule", "want"),
    [
        (0, {}, EarlyStop(), 1000),
        (400, {"KZ_IIN": 400}, EarlyStop(), 600),
        # 1000 seen, 1000 matches: it may stop at the next value
        (1000, {"KZ_IIN": 1000}, EarlyStop(), 1),
        # no type in 1000 values: 9,000 values of one type before the share can reach 0.9
        (1000, {}, EarlyStop(), 9000),
        (1000, {"KZ_IIN": 850}, EarlyStop(), 500),
        (1000, {"KZ_IIN": 999}, EarlyStop(min_share=1.0), 1 << 62),
        (1000, {"KZ_IIN": 1, "PHONE_NUMBER": 1}, EarlyStop(), 1 << 62),
    ],
)
def test_values_before_stop(n, types, rule, want):
    fs = FieldStats("s", "t", "f", values_scanned=n)
    fs.types = {t: TypeStats(matches=m) for t, m in types.items()}
    assert _values_before_stop(fs, rule) == want


def test_cli_no_early_stop(db, tmp_path):
    import json

    out = tmp_path / "r.json"
    args = ["scan", db, "--entities", "KZ_IIN", "--format", "json", "-o", str(out)]
    result = CliRunner().invoke(
        importlib.import_module("pdaudit.scanner.cli").main, [*args, "--no-early-stop"]
    )
    assert result.exit_code == 1, result.output
    report = json.loads(out.read_text("utf-8"))
    assert {f["field"]: f["values_scanned"] for f in report["fields"]}["iin"] == ROWS
    assert not any("early_stop" in f for f in report["fields"])
    result = CliRunner().invoke(importlib.import_module("pdaudit.scanner.cli").main, args)
    report = json.loads(out.read_text("utf-8"))
    iin = next(f for f in report["fields"] if f["field"] == "iin")
    assert (iin["values_scanned"], iin["early_stop"]) == (1000, {"after": 1000})


def test_dask_scanner_stops_at_the_same_values(db):
    pytest.importorskip("distributed")
    from pdaudit.scanner.distributed import scan_distributed

    options = ScanOptions(
        sampling=Sampling(early_stop=EarlyStop(min_values=300)), entities=ENTITIES
    )
    single = scan([db], POLICY, options)
    assert comparable(scan_distributed([db], POLICY, options, workers=2)) == comparable(single)
    assert by_field(single)["iin"][:2] == (300, {"after": 300})
