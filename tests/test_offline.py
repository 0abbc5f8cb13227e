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


def test_presidio_default_email_recognizer_runs_offline(no_network):
    # Presidio's own e-mail recognizer calls tldextract, which would fetch the suffix list.
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    import pdaudit.scanner.engine  # noqa: F401  (configures tldextract)

    results = EmailRecognizer().analyze("write to ivan@example.co.uk", ["EMAIL_ADDRESS"], None)
    assert [(r.start, r.end) for r in results] == [(9, 27)]


def test_batch_analysis_and_detect_run_offline(no_network):
    from pdaudit.scanner.analysis import Analyzer
    from pdaudit.scanner.cli import main

    analyzer = Analyzer()
    types = {e.type for e in analyzer.analyze(TEXT)}
    assert {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "KZ_IIN"} <= types
    result = CliRunner().invoke(main, ["detect", "-"], input=TEXT + "\n")
    assert result.exit_code == 0, result.output
    assert '"type": "KZ_IIN", "start": 61, "end": 73' in result.output
