"""The whole analysis runs with every network connection refused."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise NetworkUsed(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == []


TEXT = "Айгерим Сагинтаева, aigerim.s@mail.kz, +7 701 123 45 67, ИИН 900101300126"


def test_presidio_engine_runs_offline(no_network):
    from pdaudit.scanner.engine import build_analyzer

    engine = build_analyzer()
    results = engine.analyze(TEXT, language="ru")
    found = sorted((r.entity_type, r.start, r.end) for r in results)
    assert ("EMAIL_ADDRESS", 20, 37) in found
    assert ("KZ_IIN", 61, 73) in found
    assert ("PHONE_NUMBER", 39, 55) in found


def test_presidio_email_recognizer_validates_offline(no_network):
    # Presidio's own e-mail recognizer calls tldextract, which would fetch the suffix list; the
    # subclass validates with an offline extractor of its own and leaves tldextract as it was.
    import tldextract

    from pdaudit.scanner.engine import OfflineEmailRecognizer

    extract = tldextract.extract
    recognizer = OfflineEmailRecognizer()
    found = recognizer.analyze("write to ivan@example.co.uk or x@y.invalidtld", None)
    assert [(r.start, r.end, r.score) for r in found] == [(9, 27, 1.0)]
    assert tldextract.extract is extract


def test_importing_the_library_changes_no_process_state():
    """No GC thresholds changed, no tldextract patched by importing and running the analysis."""
    import gc

    import tldextract
    import tldextract.tldextract

    before = (gc.get_threshold(), tldextract.extract, tldextract.tldextract.TLD_EXTRACTOR)
    from pdaudit.scanner import engine  # noqa: F401
    from pdaudit.scanner.analysis import Analyzer

    Analyzer().analyze_batch(["Айгерим Сагинтаева, aigerim.s@mail.kz"])
    after = (gc.get_threshold(), tldextract.extract, tldextract.tldextract.TLD_EXTRACTOR)
    assert after == before


def test_importing_the_library_sets_no_environment_variable():
    """A fresh process that imports every recognizer (natasha included) and analyses a text has
    the environment it started with: OMP_NUM_THREADS is the CLI's to set, not a module's."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "OMP_THREAD_LIMIT")}
    code = (
        "import os\n"
        "before = dict(os.environ)\n"
        "from pdaudit.scanner.analysis import Analyzer\n"
        "from pdaudit.scanner import scan, distributed  # noqa: F401\n"
        "from pdaudit.scanner.sources import documents  # noqa: F401\n"
        "found = Analyzer().analyze('Айгерим Сагинтаева, aigerim.s@mail.kz')\n"
        "print(sorted(e.type for e in found))\n"
        # polars sets _RJEM_MALLOC_CONF when it is imported: the configuration of its own
        # jemalloc allocator, read by polars alone (pdaudit sets nothing). The analysis imports
        # polars for its search pass, so that one variable is let through.
        "changed = set(os.environ.items()) ^ set(before.items())\n"
        "print(sorted(k for k in changed if k[0] != '_RJEM_MALLOC_CONF'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-2:] == ["['EMAIL_ADDRESS', 'PERSON']", "[]"]


def test_cli_tunes_its_own_process():
    """The CLI sets OMP_NUM_THREADS=1 (before numpy loads) and the GC thresholds of its own
    process (``pdaudit.scanner.process``)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    cli = (
        "import os\n"
        "from pdaudit.scanner.cli import main\n"
        "try:\n"
        "    main(['detect', '-'], standalone_mode=False)\n"
        "finally:\n"
        "    import gc\n"
        "    print(gc.get_threshold())\n"
        "    print(os.environ.get('OMP_NUM_THREADS'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", cli], input="нет данных\n", env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-2:] == ["(500000, 20, 100)", "1"]


def test_batch_analysis_and_detect_run_offline(no_network):
    from pdaudit.scanner.analysis import Analyzer
    from pdaudit.scanner.cli import main

    analyzer = Analyzer()
    types = {e.type for e in analyzer.analyze(TEXT)}
    assert {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "KZ_IIN"} <= types
    result = CliRunner().invoke(main, ["detect", "-"], input=TEXT + "\n")
    assert result.exit_code == 0, result.output
    assert '"type": "KZ_IIN", "start": 61, "end": 73' in result.output
