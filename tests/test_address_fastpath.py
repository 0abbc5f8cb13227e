"""ADDRESS's shortcuts (ASCII texts, runs remembered by digit shape) against the parser itself."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from pdaudit.recognizers import address
from pdaudit.recognizers.address import AddressRecognizer
from pdaudit.recognizers.base import find_context, score2

CITIES = ["Алматы", "Караганда", "Актобе", "Шымкент", "Астана", "Павлодар"]
STREETS = ["ул. Абая", "пр. Сәтпаева", "ул. Жібек жолы", "мкр. Самал-2", "ул. 8 Марта"]


def general(rec: AddressRecognizer, text: str, named: str | None) -> list[tuple]:
    """What ``findings`` finds in ``text`` from the parser alone: no shortcut, no memo."""
    found = []
    for start, end, plain, if_said, evidence in address._scored_runs(text):
        said = find_context(text, start, end, rec.words, before=30, after=0) if start else None
        score = if_said if named or said else plain
        if score:
            ev = (evidence, *rec.evidence(said, named))
            found.append(("ADDRESS", start, end, score2(score), ev, ()))
    return found


def _texts() -> list[str]:
    rng = random.Random(20261207)
    texts = []
    for path in sorted((Path(__file__).parent.parent / "eval" / "data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line).get("text", ""))
    texts += [
        f"г. {rng.choice(CITIES)}, {rng.choice(STREETS)}, д. {rng.randrange(1, 300)}, "
        f"кв. {rng.randrange(1, 300)}"
        for _ in range(600)
    ]
    texts += [
        f"{rng.choice(['Адрес: ', 'Город: ', 'Иванов И.И., ', ''])}{rng.choice(STREETS)} "
        f"{rng.randrange(1, 99)}, {rng.choice(CITIES)} қаласы, {rng.randrange(1, 60)}-үй"
        for _ in range(300)
    ]
    names = ["aigerim.sagintayeva", "ivan_petrov84", "Dom.Kv", "ul.abaya"]
    texts += [f"{rng.choice(names)}{rng.randrange(99)}@mail.kz" for _ in range(200)]
    texts += [
        "ul. Abaya 10, kv. 5",
        "УЛ. АБАЯ 10",
        "ул.Абая,10",
        "\u0130ул. Абая 5",
        "ё ул. Абая 5",
    ]
    texts += [re.sub("[0-9]", lambda m: str(rng.randrange(10)), t) for t in texts]
    texts = [t for t in dict.fromkeys(texts) if t]
    rng.shuffle(texts)
    return texts


@pytest.mark.parametrize("context", [None, ["address"], ["body"]])
def test_findings_are_the_parsers_over_many_batches(context):
    texts = _texts()
    rec = AddressRecognizer()
    named = rec.field_word(context)
    expected = [general(rec, t, named) for t in texts]
    assert sum(map(bool, expected)) > 800
    for size in (41, 4096):  # the second pass reads the shapes remembered
        got = [
            f
            for k in range(0, len(texts), size)
            for f in rec.findings(texts[k : k + size], None, context)
        ]
        assert got == expected


def test_a_shape_is_parsed_once(monkeypatch):
    """Texts of one shape are parsed once, in later batches too, with a batch of names (no
    marker: not remembered) between them."""
    address._SHAPE_RUNS.clear()
    parsed: list[str] = []
    scored_runs = address._scored_runs

    def counted(text):
        parsed.append(text)
        return scored_runs(text)

    monkeypatch.setattr(address, "_scored_runs", counted)
    rec = AddressRecognizer()
    first = [f"г. Алматы, ул. Абая, д. {n}, кв. {n % 7 + 1}" for n in range(10, 60)]
    rec.findings(first, None, None)
    assert parsed == ["г. Алматы, ул. Абая, д. 00, кв. 0"]
    rec.findings([f"Иванов Иван {n}" for n in range(5000)], None, ["fio"])
    later = [f"г. Алматы, ул. Абая, д. {n}, кв. {n % 7 + 1}" for n in range(60, 99)]
    assert rec.findings(later, None, None) == [
        [("ADDRESS", 0, 33, 0.95, ("address parts: city, street, house, flat",), ())] for _ in later
    ]
    assert len(parsed) == 1


def test_no_marker_is_ascii():
    """``findings`` turns away ASCII texts unread: no marker word is written in ASCII."""
    assert address._markers_outside_ascii()


def test_the_marker_search_selects_every_text_with_a_marker():
    """The declared search (polars, as the scanner runs it) selects every text ``has_marker``
    finds a marker in: eval texts, addresses, and every marker word in random cases with
    random characters around it."""
    import polars as pl

    rng = random.Random(7)
    plain, dotted = address._marker_words()
    around = ["", " ", ",", "-", "5", ".", "\n", "İ", "ё", "Ё", "a", "я", "ß", "\u0301", "…", "_"]
    texts = _texts()
    for word in [*plain, *(w + "." for w in dotted)] * 6:
        word = "".join(c.upper() if rng.random() < 0.5 else c for c in word)
        word = word.replace("е", rng.choice("её")).replace("Е", rng.choice("ЕЁ"))
        texts.append(rng.choice(around) + word + rng.choice(around) + rng.choice(around))
    marked = [t for t in texts if address.has_marker(t)]
    assert len(marked) > 1000
    selected = pl.Series(marked).str.contains(AddressRecognizer.SEARCH.pattern)
    assert selected.all(), [t for t, s in zip(marked, selected, strict=True) if not s][:5]
    # and what it turns away among the others holds no address
    rec = AddressRecognizer()
    others = [t for t in texts if not address.has_marker(t)]
    assert not any(rec.findings(others, None, ["address"]))


def test_texts_of_one_shape_share_their_findings_in_a_batch(monkeypatch):
    """Texts whose runs all start at the text's start are scored once per batch and shape
    (their findings are equal and each text gets its own list); a run after a word (an address
    word may stand before it) is scored for every text."""
    scored: list[str] = []
    real = AddressRecognizer._scored

    def counted(self, text, runs, named):
        scored.append(text)
        return real(self, text, runs, named)

    monkeypatch.setattr(AddressRecognizer, "_scored", counted)
    rec = AddressRecognizer()
    whole = [f"г. Алматы, ул. Абая, д. {n}, кв. {n % 7 + 1}" for n in range(10, 60)]
    after = [f"Адрес: ул. Абая {n}" for n in range(10, 30)]
    for context in (None, ["address"]):
        scored.clear()
        found = rec.findings(whole + after, None, context)
        assert len(scored) == 1 + len(after)
        named = rec.field_word(context)
        assert found == [general(rec, t, named) for t in whole + after]
        assert len({id(f) for f in found}) == len(found)
    scored.clear()
    rec.findings(whole, None, None)
    assert len(scored) == 1  # the next batch scores its shape again (nothing kept)
