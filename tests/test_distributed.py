"""A scan on a Dask cluster gives exactly the single-process report (timings aside)."""

from __future__ import annotations

import sys

import pytest

distributed = pytest.importorskip("distributed")

from scanner.distributed import (  # noqa: E402
    INSTALL_HINT,
    DaskScanner,
    DistributedError,
    local_cluster,
    scan_distributed,
)
from scanner.policy import load_policy  # noqa: E402
from scanner.sampling import Sampling  # noqa: E402
from scanner.scan import ScanOptions, scan  # noqa: E402

POLICY = load_policy(None)
#: The demo's scanned documents go through OCR in the driver, the same in both runs: left out to
#: keep the tests fast.
NO_DOCUMENTS = ["*documents*"]


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


@pytest.mark.parametrize(
    "sampling", [Sampling(mode="full"), Sampling(rows_per_table=50, seed=7)], ids=["full", "sample"]
)
def test_dask_scanner_gives_the_single_process_report(client, demo_db, sampling):
    options = ScanOptions(sampling=sampling, exclude=NO_DOCUMENTS)
    single = scan([str(demo_db)], POLICY, options)
    on_dask = scan([str(demo_db)], POLICY, options, scanner=DaskScanner(client, POLICY, options))
    assert comparable(on_dask) == comparable(single)
    assert single["summary"]["beyond_policy"] > 0
    assert sum(f["values_scanned"] for f in single["fields"]) > 1000


def test_workers_option_starts_its_own_cluster(demo_db):
    options = ScanOptions(
        sampling=Sampling(mode="full"), entities=["KZ_IIN", "PHONE_NUMBER"], exclude=NO_DOCUMENTS
    )
    single = scan([str(demo_db)], POLICY, options)
    assert comparable(scan_distributed([str(demo_db)], POLICY, options, workers=2)) == comparable(
        single
    )


def test_scheduler_address(demo_db):
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, scheduler_port=0, dashboard_address=":0"
    )
    try:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        options = ScanOptions(sampling=Sampling(rows_per_table=100, seed=1), exclude=NO_DOCUMENTS)
        got = scan_distributed([str(demo_db)], POLICY, options, scheduler=address)
    finally:
        cluster.close()
    assert comparable(got) == comparable(scan([str(demo_db)], POLICY, options))


def test_postgres_same_report(client, pg_url):
    options = ScanOptions(sampling=Sampling(mode="full"), exclude=NO_DOCUMENTS)
    single = scan([pg_url], POLICY, options)
    on_dask = scan([pg_url], POLICY, options, scanner=DaskScanner(client, POLICY, options))
    assert comparable(on_dask) == comparable(single)
    assert single["summary"]["fields"] > 10


def test_unreachable_scheduler_is_one_line():
    with pytest.raises(DistributedError, match="cannot reach the Dask scheduler tcp://127.0.0.1:9"):
        scan_distributed(["x.db"], POLICY, scheduler="tcp://127.0.0.1:9", timeout=2)


def test_without_dask_the_error_says_what_to_install(monkeypatch):
    # A missing package: ``import distributed`` raises ImportError when its entry is None.
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(DistributedError) as info:
        scan_distributed(["x.db"], POLICY, workers=2)
    assert str(info.value) == INSTALL_HINT == "Dask is not installed: pip install pdaudit[dask]"


def test_cli_workers_option(demo_db, tmp_path):
    import json

    from click.testing import CliRunner

    from scanner.cli import main

    out = tmp_path / "report.json"
    args = ["scan", str(demo_db), "--full", "--exclude", "*documents*", "--entities", "KZ_IIN"]
    result = CliRunner().invoke(main, [*args, "--workers", "2", "--format", "json", "-o", str(out)])
    assert result.exit_code == 1, result.output
    options = ScanOptions(sampling=Sampling(mode="full"), exclude=NO_DOCUMENTS, entities=["KZ_IIN"])
    want = comparable(scan([str(demo_db)], POLICY, options))
    got = comparable(json.loads(out.read_text("utf-8")))
    assert [f["entities"] for f in got["fields"]] == [f["entities"] for f in want["fields"]]
    assert got["summary"] == want["summary"]


def test_cli_without_dask(demo_db, monkeypatch):
    from click.testing import CliRunner

    from scanner.cli import main

    monkeypatch.setitem(sys.modules, "distributed", None)
    result = CliRunner().invoke(main, ["scan", str(demo_db), "--workers", "2"])
    assert result.exit_code == 2
    assert result.output.strip().endswith("Dask is not installed: pip install pdaudit[dask]")
