"""Declared searches (``pdaudit.recognizers.base.Search``) and the one recognizer contract
(``Findings.findings``): a search never turns away a text its recognizer finds something in,
the polars pass reads ``\\d`` and letters as Python does, and ``findings`` is ``analyze``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from presidio_analyzer import EntityRecognizer, RecognizerResult

from pdaudit.recognizers.base import (
    Findings,
    Search,
    as_tuple,
    digits_search,
    findings_of,
)
from pdaudit.recognizers.registry import all_recognizers
from pdaudit.scanner.analysis import Analyzer, Entity, Searches, search_of

ROOT = Path(__file__).resolve().parent.parent
RECOGNIZERS = all_recognizers()

# Synthetic values only. Texts that stress the searches: digits other than 0-9, Kazakh letters,
# separators, NUL, a lone surrogate, the shortest values of each type.
TEXTS = [
    "Сейтказиева Айгерим Нурлановна",
    "Әлихан Бөкейхан, Қарағанды, Өскемен, Үржар, Ұлытау, Іле, Һ, Ғ, Ң",
    "ИВАНОВ ПЕТР СЕРГЕЕВИЧ",
    "a@b.kz",
    "x@y",
    "иван@почта.рф",
    "+7 701 123 45 67",
    "8(702)1234567",
    "87011234567",
    "900101300126",
    "ИИН 900 101 300 126",
    "ИИН\u00a0900101\u00a0300126",
    "ИИН 900101300126, тел. 8 777 123 4567",
    "4400 4301 2345 6789",
    "Карта 4400-4301-2345-6789",
    "4400430123456789 4400430123456789",
    "KZ86125KZT5004100100",
    "Счёт KZ86 125K ZT50 0410 0100 в банке",
    "192.168.10.25",
    "::1",
    "fe80::1ff:fe23:4567:890a",
    "12.05.1990",
    "12/03/95",
    "1995",
    "родился 5 мая 1990 г.",
    "родился ١٢.٠٣.١٩٩٠",  # Arabic-Indic digits: \d in Python, not [0-9]
    "тел. ８７０１１２３４５６７",  # full-width digits
    "ИИН ９００１０１３００１２６",
    "a\x00b 900101300126\x00",
    "\ud800 ИИН 900101300126",  # a lone surrogate (no UTF-8): passes every search
    "г. Алматы, ул. Абая, д. 12, кв. 5",
    "Абай көшесі, 10",
    "паспорт 4509 123456",
    "паспорт 45 09 № 123456",
    "СНИЛС 112-233-445 95",
    "ИНН 7707083893",
    "ИНН/КПП 7707083893/770701001",
    "уд. личности 012345678",
    "уд. личности 012 345 678",
    "N12345678",
    "P<KAZIVANOV<<IVAN<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    "IDKAZ0123456784880419302718<<<\n8804190M3101012KAZ<<<<<<<<<<<5\nZHUMABEKOV<<DANIYAR<<<<<<<<<<<",
    "2023-09-01 08:00:00",
    "12345",
    "true",
]
CONTEXTS = [(), ("iin",), ("phone",), ("fio",), ("udostoverenie", "no"), ("birth", "date")]


def _eval_records() -> list[tuple[str, tuple[str, ...]]]:
    records = []
    for path in sorted((ROOT / "eval" / "data").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                if "text" in record:  # thirdparty.jsonl also holds field-role records
                    records.append((record["text"], tuple(record.get("context") or ())))
    lines = (ROOT / "sample_data" / "messages.txt").read_text("utf-8").splitlines()
    records += [(line, ("message",)) for line in lines if line.strip()]
    return records


def _selected(search: Search | None, texts: list[str]) -> list[bool]:
    """Whether the analysis's polars pass selects each text for ``search``."""
    searches = Searches([search])
    (chosen,) = searches.select(texts)
    if chosen is None:
        return [True] * len(texts)
    picked = set(chosen)
    return [i in picked for i in range(len(texts))]


def test_every_builtin_recognizer_declares_a_search():
    names = {type(r).__name__ for r in RECOGNIZERS if search_of(r) is None}
    assert names == set()


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: type(r).__name__)
def test_a_search_selects_every_text_analyze_finds_something_in(recognizer):
    """Over the eval data, the sample messages and the texts above, in their own field context
    and in several others: a text with a finding is one the search selects."""
    records = _eval_records() + [(t, c) for t in TEXTS for c in CONTEXTS]
    by_context: dict[tuple[str, ...], list[str]] = {}
    for text, context in records:
        by_context.setdefault(context, []).append(text)
    search = search_of(recognizer)
    wanted = list(recognizer.supported_entities)
    found_any = 0
    for context, texts in by_context.items():
        texts = list(dict.fromkeys(texts))
        selected = _selected(search, texts)
        found = findings_of(recognizer, texts, wanted, list(context))
        for text, chosen, finds in zip(texts, selected, found, strict=True):
            if finds:
                found_any += 1
                assert chosen, (type(recognizer).__name__, text, context)
    assert found_any, type(recognizer).__name__  # the data exercise every recognizer


@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda r: type(r).__name__)
def test_findings_equal_analyze(recognizer):
    """What the contract's method returns for a batch is ``analyze`` of each text."""
    texts = [t for t in TEXTS if t]
    for context in CONTEXTS:
        for entities in (list(recognizer.supported_entities), ["OTHER"]):
            got = recognizer.findings(texts, entities, list(context))
            want = [
                [as_tuple(r) for r in recognizer.analyze(t, entities, None, context=list(context))]
                for t in texts
            ]
            assert got == want, type(recognizer).__name__
            for found in got:
                for ent in found:
                    assert type(ent[3]) is float and type(ent[4]) is tuple


def test_polars_digits_and_letters_cover_pythons():
    """``\\d`` in the searches stands for Python's ``\\d`` (Unicode decimal digits), the letter
    search for every letter Python's ``[^\\W\\d_]`` knows, Cyrillic and Kazakh ones included:
    on a Python whose Unicode tables outgrow the regex crate's, texts would be skipped; this
    fails first."""
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    digits = [c for c in every if re.match(r"\d", c)]
    assert all(_selected(Search(r"\d"), digits))
    others = [c for c in digits if c not in "0123456789"]
    assert all(_selected(Search(r"[^\D0-9]"), others))
    letters = [c for c in every if re.match(r"[^\W\d_]", c)]
    person = next(r for r in RECOGNIZERS if type(r).__name__ == "PersonRecognizer")
    assert all(_selected(search_of(person), letters))
    kazakh = "ӘәҒғҚқҢңӨөҰұҮүҺһІіЁёЙйЪъ"
    cyrillic = [chr(c) for c in range(0x400, 0x530)]
    assert all(_selected(Search(r"\w"), [*kazakh, *[c for c in cyrillic if c.isalpha()]]))
    assert not any(_selected(Search(r"\d"), [*kazakh, "a", " ", "٫"]))


def test_digits_search_finds_runs_with_separators():
    search = digits_search(12)
    texts = ["900101300126", "ИИН 900 101 300 126", "900101\u00a0300126", "9001-0130-0126"]
    assert all(_selected(search, texts))
    assert not any(_selected(search, ["90010130012", "900  101300126", "1 2 3", "Иван"]))
    # Exactly 12: not a longer run, nor a phone's 11 digits; a group of 12 in a longer run is.
    assert not any(_selected(search, ["9001013001267", "+7 701 123 45 67", "9001 01300126 5"]))
    assert all(_selected(search, ["7707 900101300126", "x900101300126/770701001"]))
    assert digits_search(10, 12).min_len == 10
    assert _selected(digits_search(13, at_least=26), ["4012888888881881 4012888888881881"]) == [
        True
    ]


def test_length_bounds_select():
    texts = ["ab", "abc", "abcd", "abcde"]
    assert _selected(Search(None, min_len=3, max_len=4), texts) == [False, True, True, False]
    assert _selected(Search("b", max_len=2), texts) == [True, False, False, False]


def test_unencodable_texts_pass_every_search():
    searches = Searches([Search("@"), digits_search(12), None])
    texts = ["нет почты", "a@b.kz", "900101300126", "\ud800 a@b.kz", "Ким"]
    assert searches.select(texts) == [[1, 3], [2, 3], None]
    assert Searches([Search("@"), Search("@")]).hits(texts) == [[1, 3]]  # one column, once


class _Foreign(EntityRecognizer):
    """A third-party Presidio recognizer: no search declared, no ``context`` argument."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["CUSTOM_TOKEN"], name="Foreign")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        i = text.find("tok-")
        return [] if i < 0 else [RecognizerResult("CUSTOM_TOKEN", i, i + 7, 0.9)]


def test_a_third_party_recognizer_without_a_search_reads_every_value():
    analyzer = Analyzer([_Foreign()])
    assert analyzer._searches.columns == [None]
    texts = ["x tok-abc", "", "1", "\ud800tok-123", "Иван tok-xyz"]
    assert analyzer.analyze_batch(texts) == [
        [Entity("CUSTOM_TOKEN", 2, 9, 0.9)],
        [],
        [],
        [Entity("CUSTOM_TOKEN", 1, 8, 0.9)],
        [Entity("CUSTOM_TOKEN", 5, 12, 0.9)],
    ]


def test_a_yaml_recognizer_without_a_search_reads_every_value(tmp_path, monkeypatch):
    import sys
    import types

    from pdaudit.recognizers.registry import load_config

    plugin = types.ModuleType("pdaudit_search_plugin")
    plugin.Foreign = _Foreign  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pdaudit_search_plugin", plugin)
    config = tmp_path / "recognizers.yaml"
    config.write_text(
        "supported_languages: [ru]\nrecognizers:\n"
        "  - {name: Foreign, class: 'pdaudit_search_plugin:Foreign', supported_entity: CUSTOM_TOKEN}\n",
        "utf-8",
    )
    (recognizer,) = load_config(config)
    assert search_of(recognizer) is None
    assert Analyzer([recognizer]).analyze("a tok-abc") == [Entity("CUSTOM_TOKEN", 2, 9, 0.9)]


def test_a_subclass_that_overrides_analyze_only_still_works():
    from pdaudit.recognizers.kz_iin import KzIinRecognizer
    from pdaudit.recognizers.phone_number import PhoneRecognizer

    class Shifted(KzIinRecognizer):
        """Finds the IIN and a marker anywhere, where the 12-digit search would not look."""

        def analyze(self, text, entities, nlp_artifacts=None, context=None):
            found = super().analyze(text, entities, nlp_artifacts, context)
            i = text.find("!")
            if i >= 0:
                found.append(RecognizerResult("KZ_IIN", i, i + 1, 0.5))
            return found

    assert Shifted.findings is Findings.findings  # set when the class was made
    assert Shifted.SEARCH is None and KzIinRecognizer.SEARCH is not None
    got = Analyzer([Shifted()]).analyze_batch(["ИИН 900101300126", "стоп!", "900101300126!"])
    assert [[(e.start, e.end, e.score) for e in found] for found in got] == [
        [(4, 16, 1.0)],
        [(4, 5, 0.5)],
        [(0, 12, 0.95), (12, 13, 0.5)],
    ]

    class Quiet(PhoneRecognizer):
        SEARCH = Search("never-matches")

        def analyze(self, text, entities, nlp_artifacts=None, context=None):
            return []

    assert Quiet.SEARCH == Search("never-matches")  # declared: kept
    assert Analyzer([Quiet()]).analyze("+7 701 123 45 67") == []


def test_subclasses_that_change_results_are_read_with_analyze():
    from pdaudit.recognizers.address import AddressRecognizer
    from pdaudit.recognizers.kz_iin import KzIinRecognizer
    from pdaudit.recognizers.phone_number import PhoneRecognizer

    class Scored(KzIinRecognizer):
        def _results(self, text, words, context):
            return []

    class Calls(PhoneRecognizer):
        def _result(self, text, start, end, region, context):
            return super()._result(text, start, end, "XX", context)

    class Finds(AddressRecognizer):
        def find(self, text, named, context):
            return []

    for cls in (Scored, Calls, Finds):
        assert cls.findings is Findings.findings, cls
    assert Analyzer([Scored()]).analyze("ИИН 900101300126") == []
    assert Analyzer([Calls()]).analyze("+7 701 123 45 67")[0].attributes == (("region", "XX"),)
    assert Analyzer([Finds()]).analyze("г. Алматы, ул. Абая 10, кв. 5") == []
    # Their searches stay where the methods they change do not make candidates.
    assert Scored.SEARCH == KzIinRecognizer.SEARCH and Calls.SEARCH == PhoneRecognizer.SEARCH
    assert Finds.SEARCH is None


def test_the_analysis_hands_a_recognizer_only_what_its_search_selects():
    analyzer = Analyzer(RECOGNIZERS)
    k = next(i for i, w in enumerate(analyzer._wanted) if w == ["EMAIL_ADDRESS"])
    seen: list[str] = []
    own = analyzer._finders[k]

    def spy(texts, entities, context):
        seen.extend(texts)
        return own(texts, entities, context)

    analyzer._finders[k] = spy
    texts = ["Сейтказиева Айгерим", "900101300126", "a@b.kz", "+7 701 123 45 67", "x@y"]
    found = analyzer.analyze_batch(texts, context=("comment",))
    assert seen == ["a@b.kz"]  # "x@y" is shorter than any address
    assert [e.type for e in found[2]] == ["EMAIL_ADDRESS"]


def test_the_analysis_reports_what_findings_return():
    from pdaudit.recognizers.kz_iin import KzIinRecognizer

    class Marked(KzIinRecognizer):
        def findings(self, texts, entities, context):
            return [[("KZ_IIN", 0, 3, 0.5, ("tuple",), ())] for _ in texts]

    (ent,) = Analyzer([Marked()]).analyze("ИИН 900101300126")
    assert ent == Entity("KZ_IIN", 0, 3, 0.5, ("tuple",))
    # Its own ``findings`` may find anything: without a ``SEARCH`` of its own it reads every text.
    assert Marked.SEARCH is None
    assert Analyzer([Marked()]).analyze("нет номера") == [ent]


@pytest.mark.parametrize("context", CONTEXTS)
def test_searches_change_nothing(context):
    texts = TEXTS + [t.upper() for t in TEXTS]
    fast = Analyzer(RECOGNIZERS).analyze_batch(texts, context=context)
    assert fast == Analyzer(RECOGNIZERS, prefilter=False).analyze_batch(texts, context=context)


def test_one_select_per_batch(monkeypatch):
    import polars as pl

    calls = []
    select = pl.DataFrame.select

    def counted(self, *args, **kwargs):
        calls.append(1)
        return select(self, *args, **kwargs)

    monkeypatch.setattr(pl.DataFrame, "select", counted)
    analyzer = Analyzer(RECOGNIZERS)
    analyzer.analyze_batch([t for t in TEXTS if t.isprintable()])
    assert len(calls) == 1
    assert len(analyzer._searches.searches) > 10
