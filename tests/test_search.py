"""Declared searches (``pdaudit.recognizers.base.Search``) and the one recognizer contract
(``Findings.findings``): a search never turns away a text its recognizer finds something in,
the polars pass reads ``\\d`` and letters as Python does, and ``findings`` is ``analyze``."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from foreign import Foreign as _Foreign
from presidio_analyzer import EntityRecognizer, RecognizerResult

from pdaudit.recognizers.base import (
    Findings,
    Search,
    as_tuple,
    digits_search,
    findings_of,
)
from pdaudit.recognizers.registry import all_recognizers
from pdaudit.scanner.analysis import Analyzer, Entity, Searches, search_of, search_selects

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
    texts = [t for t in TEXTS if t.isprintable()]
    analyzer.analyze_batch(texts)
    # One pass over the texts; the long patterns run in a second one, over the texts where
    # their union held (``Searches._run_whole``).
    assert len(calls) == 2
    assert 0 < analyzer._searches.texts_gated < len(texts)
    assert len(analyzer._searches.searches) > 10
    calls.clear()
    analyzer.analyze_batch(["a@b.kz", "Иванов Иван", "ok"])
    assert len(calls) == 1


# --- The searches that hold their recognizer's candidate shape (look-arounds, glue, digits) ---

_ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# What may stand right before or after a number: nothing, glue, letters, marks and signs that
# Python and the regex crate read differently (a combining accent, \x1c, "Ⓐ", "‿", "²", "٣").
_BEFORE = [
    *[""] * 8,
    "+", "+7 ", "N", "Н", "n ", "н", "A", "Z", "№ ", "№", "#", "_", "/", "x", "-", ".", ",",
    "a.", "a-", "1-", "1 ", "1.", " ", "  ", "\u00a0", "(", "\u0301", "\x1c", "Ⓐ", "‿", "é",
    "٣", "²", "ORD-", "?q=", "phone=", "T",
]  # fmt: skip
_AFTER = [
    *[""] * 8,
    "/770701001", "/", "-", "-a", "-1", ".", ". ", ".1", ",", ", 12", "a", " 5", " 12", "\u0301",
    "\x1c", ")", " г.р.", " г.", " номер", "+", "_", "²", "T1", "٣", " ", "\u00a0", "  ", ":30",
]  # fmt: skip
_PROSE = [
    "", "", "ИИН", "ИИН:", "БИН", "паспорт", "паспорт серия", "СНИЛС", "уд. личности",
    "удостоверение №", "ИНН", "ИНН/КПП", "тел.", "телефон", "родился", "дата рождения:",
    "год рождения", "заказ №", "Счёт", "Иванов Иван", "passport", "born", "Урок",
]  # fmt: skip
_MIDDLE = [" ", "", "-", " № ", " номер ", " No. ", "N", " n ", "  ", "\u00a0", " - ", "\x1c"]


def _valid(rng: random.Random, test, make) -> str:
    while True:
        number = make()
        if test(number):
            return number


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _number(rng: random.Random) -> str:
    """Digits of some length, often one of a valid identifier's (a БИН, СНИЛС, ИНН...)."""
    from pdaudit.recognizers import kz_bin, ru_inn, ru_snils

    kind = rng.randrange(10)
    if kind == 0:
        return _valid(
            rng,
            kz_bin.is_valid,
            lambda: _digits(rng, 2) + rng.choice(["0", "1"]) + _digits(rng, 1)
            + rng.choice("456") + rng.choice("0123") + _digits(rng, 6),
        )  # fmt: skip
    if kind == 1:
        nine = _digits(rng, 9)
        return nine + ru_snils.calc_check_digits(nine)
    if kind == 2:
        return _valid(rng, ru_inn.is_valid, lambda: _digits(rng, rng.choice([10, 12])))
    if kind == 3:  # a Russian passport: region, blank year, number
        return f"{rng.randrange(1, 100):02d}{rng.choice(['97', '99', '03', '15', '24'])}" + (
            _digits(rng, 6)
        )
    if kind == 4:  # a phone: 8 or 7 and a Kazakh or Russian number
        return rng.choice(["8", "7", ""]) + rng.choice(["70", "77", "91", "72"]) + _digits(rng, 8)
    return _digits(rng, rng.randint(1, 20))


def _grouped(rng: random.Random, digits: str) -> str:
    """The digits as they are written: unbroken or in groups, with one or mixed separators."""
    if rng.random() < 0.4 or len(digits) < 2:
        return digits
    seps = [" ", "\u00a0", "-", ".", "  ", ",", " - "]
    one = rng.choice(seps)
    out, i = [], 0
    while i < len(digits):
        size = rng.choice([2, 3, 3, 4, 1, 2, 6])
        out.append(digits[i : i + size])
        i += size
    if rng.random() < 0.3:
        return "".join(g + rng.choice(seps) for g in out[:-1]) + out[-1]
    return one.join(out)


def _date(rng: random.Random) -> str:
    year = rng.choice([1899, 1950, 1977, 1990, 2005, 2024, 2099, 3024])
    month, day = rng.randint(1, 13), rng.randint(1, 31)
    sep = rng.choice([".", "-", "/", " "])
    yy = rng.choice([f"{year}", f"{year % 100:02d}"])
    return rng.choice(
        [
            f"{day:02d}{sep}{month:02d}{sep}{yy}",
            f"{day}{sep}{month}{sep}{yy}",
            f"{year}{sep}{month:02d}{sep}{day:02d}",
            f"{year}-{month:02d}-{day:02d} {rng.randint(0, 29):02d}:{rng.randint(0, 69):02d}:30",
            f"{year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:00",
            f"{day} марта {year}",
            f"March {day}, {year}",
            f"{year} жылғы {day} наурыз",
            f"{year}",
            f"{day:02d} {month:02d} {year}",
        ]
    )


def _phone(rng: random.Random) -> str:
    n = _digits(rng, 7)
    return rng.choice(
        [
            f"+7{rng.choice('7791')}0{n[:1]}{n}",
            f"+7 70{n[0]} {n[1:4]} {n[4:6]} 0{n[6]}",
            f"8 70{n[0]} {n[1:4]} {n[4:6]} {n[5:7]}",
            f"7 (77{n[0]}) {n[1:4]}-{n[4:6]}-{n[5:7]}",
            f"8(70{n[0]}){n}",
            f"+1 212 {n[:3]} {n[3:]}",
            f"+90 532 {n[:3]} {n[3:5]} {n[5:]}",
            f"87{n[:2]}{n}",
        ]
    )


def _texts(seed: int, count: int) -> list[str]:
    """Varied synthetic texts: numbers of every length, grouped and glued every way, in Unicode
    digits too, with prefixes (N, Н, +, capitals), in prose, dates and phones."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.15:
            body = _date(rng)
        elif roll < 0.3:
            body = _phone(rng)
        elif roll < 0.4:  # a passport's series and number with words between
            number = _number(rng).ljust(10, "5")[:10]
            series = number[:2] + rng.choice(["", " ", "\x1c"]) + number[2:4]
            body = series + rng.choice(_MIDDLE) + number[4:]
        else:
            body = _grouped(rng, _number(rng))
        if rng.random() < 0.05:
            body = body.translate(rng.choice([_ARABIC, _FULL_WIDTH]))
        text = rng.choice(_BEFORE) + body + rng.choice(_AFTER)
        if rng.random() < 0.3:
            text = f"{rng.choice(_PROSE)} {text}".lstrip()
        if rng.random() < 0.15:
            text = f"{text}, {rng.choice(_PROSE)} {_grouped(rng, _number(rng))}"
        if rng.random() < 0.1:
            text = text.upper() if rng.random() < 0.5 else text.lower()
        texts.append(text)
    return list(dict.fromkeys(texts))


#: The recognizers whose searches write out their candidates' shape, with field names that make
#: them report what they may (their field-name context words).
SHAPED = {
    "KzBinRecognizer": [(), ("bin",)],
    "RuSnilsRecognizer": [(), ("snils",)],
    "RuInnRecognizer": [(), ("inn",)],
    "KzIdDocumentRecognizer": [(), ("udostoverenie",), ("passport",)],
    "RuPassportRecognizer": [(), ("passport",), ("seriya",)],
    "DateOfBirthRecognizer": [(), ("birth", "date")],
    "PhoneRecognizer": [(), ("phone",)],
}


def _shaped(name: str) -> EntityRecognizer:
    return next(r for r in RECOGNIZERS if type(r).__name__ == name)


def _assert_search_holds(recognizer, texts: list[str], contexts) -> int:
    selected = search_selects(recognizer, texts)
    wanted = list(recognizer.supported_entities)
    found_any = 0
    for context in contexts:
        found = recognizer.findings(texts, wanted, list(context))
        for text, chosen, finds in zip(texts, selected, found, strict=True):
            if finds:
                found_any += 1
                assert chosen, (type(recognizer).__name__, text, context, finds)
    return found_any


@pytest.mark.parametrize("name", sorted(SHAPED))
def test_a_shaped_search_selects_every_text_with_a_finding(name):
    """Thousands of varied texts: whatever the recognizer finds, in its own field context or in
    none, is in a text its search selects."""
    recognizer = _shaped(name)
    texts = _texts(seed=sum(map(ord, name)), count=6000)
    assert _assert_search_holds(recognizer, texts, SHAPED[name]) > 20, name


def test_the_phone_search_of_other_regions_holds_their_numbers():
    from pdaudit.recognizers.phone_number import _KZ_SEARCH, _SEARCH, PhoneRecognizer

    assert PhoneRecognizer().SEARCH == _KZ_SEARCH and PhoneRecognizer.SEARCH == _SEARCH
    wider = PhoneRecognizer(regions=("KZ", "US", "TR"))
    assert wider.SEARCH == _SEARCH and wider.with_regions("RU").SEARCH == _KZ_SEARCH
    assert search_of(PhoneRecognizer().with_regions("US")) == _SEARCH
    texts = _texts(seed=77, count=3000) + ["212 555 0100", "(212) 555-0100", "0532 123 45 67"]
    assert _assert_search_holds(wider, texts, [(), ("phone",)]) > 20


# Exact cases: the column values that cost most before (a phone, an ИИН, a time stamp, a birth
# date) and what each search must still select.
_SELECTS = {
    "KzIdDocumentRecognizer": (
        ["012345678", "уд. личности 012 345 678", "N12345678", "Н 12345678", "A1234567",
         "№012345678", "паспорт N12345678.", "012-345-678", "012\u00a0345\u00a0678"],
        ["+77051574702", "+7 702 497 26 05", "900101300126", "ИИН 900 101 300 126",
         "2024-05-28 13:37:56", "1977-09-11", "x012345678", "0123456789", "AB1234567",
         "1 012 345 678", "012 345 678 9", "-012 345 678", "8 701 123 456 78"],
    ),
    "RuSnilsRecognizer": (
        ["11223344595", "СНИЛС 112-233-445 95", "112 233 445 95", "x 11223344595.",
         "(11223344595)", "-11223344595", "87011234567"],
        ["+77051574702", "+7 702 497 26 05", "900101300126", "ORD-11223344595",
         "a-11223344595", "#11223344595", "11223344595-7", "1122334459 5 1"],
    ),
    "RuPassportRecognizer": (
        ["4506123456", "паспорт 45 06 123456", "45 06 № 123456", "4506-123456",
         "45 06 НОМЕР 123456", "45 06 no. 123456", "(4506 123456)"],
        ["+77051574702", "900101300126", "2024-05-28 13:37:56", "x4506123456", "-4506123456",
         "45061234567", "4506123456-1", "4506 1234567"],
    ),
    "KzBinRecognizer": (
        ["050140000656", "БИН 0501 4000 0656", "0501-4000-0656", "БИН: 050140000656."],
        ["900101300126", "ИИН 900 101 300 126", "+050140000656", "x050140000656",
         "051370000656", "0501400006567", "+7 702 497 26 05"],
    ),
    "RuInnRecognizer": (
        ["7707083893", "ИНН 500100732259", "ИНН/КПП 7707083893/770701001", "900101300126",
         "7707083893 500100732259", "-7707083893"],
        ["2024-05-28 13:37:56", "1977-09-11", "+77051574702", "7707 083893", "770-708-38-93",
         "x7707083893", "ORD-7707083893", "+7707083893"],
    ),
    "DateOfBirthRecognizer": (
        ["1977-09-11", "2024-05-28 13:37:56", "12.03.95", "родился 5 мая 1990 г.", "1995",
         "16 02 1997", "12/03/1995", "родился ١٢.٠٣.١٩٩٠"],
        ["900101300126", "+77051574702", "7 (775) 063-61-33", "8 701 123 45 67", "12345",
         "1.2.3", "x12.03.95"],
    ),
    "PhoneRecognizer": (
        ["+77051574702", "+7 702 497 26 05", "87011234567", "тел 8 701 123 45 67",
         "2024-05-28 13:37:56 +7", "7 (775) 063-61-33", "call 1-800-356-9377"],
        ["2024-05-28 13:37:56", "1977-09-11", "12.03.2024", "900101300126", "2023-09-01 08:00:00",
         "ул. Абая 150/230, кв. 12", "call 1-800-FLOWERS 12345", "ИИН 900101300126. Заказ № 6839"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(_SELECTS))
def test_shaped_searches_select_exactly(name):
    recognizer = _shaped(name)
    chosen, passed = _SELECTS[name]
    assert all(search_selects(recognizer, chosen)), [
        t for t, s in zip(chosen, search_selects(recognizer, chosen), strict=True) if not s
    ]
    assert not any(search_selects(recognizer, passed)), [
        t for t, s in zip(passed, search_selects(recognizer, passed), strict=True) if s
    ]


def test_free_digits_search_reads_glue_as_digit_runs_do():
    """``free_digits_search`` selects a text whenever ``number_candidates`` finds a number of
    its lengths, over every length 1-20 grouped and glued every way."""
    from pdaudit.recognizers.base import free_digits_search, number_candidates

    texts = _texts(seed=11, count=8000)
    for lengths in [(9,), (11,), (12,), (10, 12), (13, 16)]:
        search = free_digits_search(*lengths)
        unbroken = free_digits_search(*lengths, grouped=False)
        selected = _selected(search, texts)
        selected_unbroken = _selected(unbroken, texts)
        for text, chosen, chosen_unbroken in zip(texts, selected, selected_unbroken, strict=True):
            found = number_candidates(text, lengths)
            if found:
                assert chosen, (lengths, text)
            if any(not c.grouped for c in found):
                assert chosen_unbroken, (lengths, text)
    with pytest.raises(ValueError):
        free_digits_search(12, digits={12: "[0-9]"})
