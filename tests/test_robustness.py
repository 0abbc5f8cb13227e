"""Every recognizer in configs/recognizers.yaml survives junk, directly and through both engines."""

from __future__ import annotations

import random

import pytest
import yaml

from pdaudit.recognizers.registry import DEFAULT_CONFIG, load_config

_RNG = random.Random(20240312)
_ALPHABET = "abcxyzАБВабвгдеёжзӘәҒғҚқҢңӨөҰұҮүҺһІі0123456789 .,;:-_/\\@#№+()[]{}'\"\t\n\r\x00\x7f€"

JUNK_TEXTS = {
    "empty": "",
    "space": " ",
    "whitespace": " \t\n\r\x0b\x0c",
    "binary": "\x00\xff\xfe\x01\x02\x1b[0m\ufffd\ufeff\x00" * 8,
    "random": "".join(_RNG.choice(_ALPHABET) for _ in range(10_000)),
    "digits": "".join(_RNG.choice("0123456789") for _ in range(10_000)),
    "digits_spaced": " ".join(str(_RNG.randrange(10**9)) for _ in range(1_000)),
    "emoji": "😀👍🏽🇰🇿 👨‍👩‍👧 ✉️ ☎️ 🏠" * 50,
    "rtl": "مرحبا بالعالم שלום עולם ‏123‎ \u202eabc\u202c" * 20,
    "dots": "." * 10_000,
    "dotted_digits": ".".join("1" for _ in range(3_000)),
    "markers": "ул. г. д. кв. мкр. паспорт уд. личности дата рождения ip @ " * 100,
    "surrogate_like": "\udcff\udc80" * 4,
    "long_line": ("Иванов И.И., " * 800)[:10_000],
}


def _entries() -> list[dict]:
    return yaml.safe_load(DEFAULT_CONFIG.read_text("utf-8"))["recognizers"]


@pytest.fixture(scope="module")
def recognizers():
    """Every recognizer of the registry; a class that cannot be loaded fails here, loudly."""
    loaded = load_config()
    assert [type(r).__name__ for r in loaded] == [e["class"].split(":")[1] for e in _entries()]
    return loaded


def _check(results, text, recognizer) -> None:
    for r in results or []:
        assert 0 <= r.start < r.end <= len(text), (type(recognizer).__name__, r)
        assert 0.0 <= r.score <= 1.0
        assert r.entity_type in recognizer.supported_entities


def test_registry_lists_every_recognizer(recognizers):
    types = sorted(e for r in recognizers for e in r.supported_entities)
    # An entry names its type, or the list of them (the MRZ recognizer's several).
    listed = [e["supported_entity"] for e in _entries()]
    assert types == sorted(t for x in listed for t in (x if isinstance(x, list) else [x]))


@pytest.mark.parametrize("name", sorted(JUNK_TEXTS))
@pytest.mark.parametrize("context", [None, ["pasport", "dob", "adres", "ip", "iin"]])
def test_recognizers_survive_junk(recognizers, name, context):
    text = JUNK_TEXTS[name]
    for recognizer in recognizers:
        results = recognizer.analyze(text, recognizer.supported_entities, None, context=context)
        _check(results, text, recognizer)


@pytest.mark.parametrize("junk", [None, 42, b"\x00\xff", ["list"]])
def test_recognizers_survive_non_strings(recognizers, junk):
    for recognizer in recognizers:
        assert not recognizer.analyze(junk, recognizer.supported_entities, None, context=None)


def test_batch_analyzer_survives_junk(recognizers):
    from pdaudit.scanner.analysis import Analyzer

    analyzer = Analyzer(recognizers)
    texts = list(JUNK_TEXTS.values())
    for text, entities in zip(texts, analyzer.analyze_batch(texts, ["comment"]), strict=True):
        for e in entities:
            assert 0 <= e.start < e.end <= len(text)
            assert 0.0 <= e.score <= 1.0


def test_presidio_engine_runs_the_whole_registry_offline_on_junk(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    from pdaudit.scanner.engine import build_analyzer

    engine = build_analyzer()
    names = {type(r).__name__ for r in engine.registry.recognizers}
    assert {e["name"] for e in _entries()} <= names
    for name in ("space", "binary", "emoji", "rtl", "dots", "random", "digits"):
        text = JUNK_TEXTS[name]
        for r in engine.analyze(text, language="ru"):
            assert 0 <= r.start < r.end <= len(text)
    text = "Дата рождения: 12.03.1995, г. Алматы, ул. Абая 10, кв. 5, IP 93.184.216.34"
    found = sorted((r.entity_type, r.start, r.end) for r in engine.analyze(text, language="ru"))
    assert ("DATE_OF_BIRTH", 15, 25) in found
    assert ("ADDRESS", 27, 56) in found
    assert ("IP_ADDRESS", 61, 74) in found
