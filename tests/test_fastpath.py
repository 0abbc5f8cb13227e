"""The fast path (dedupe, cache, batched NER, per-type prefilters) finds exactly what the plain
path finds: every recognizer's own ``analyze()`` on every text, one text at a time."""

from __future__ import annotations

import importlib

import pytest
import yaml

from pdaudit.recognizers.registry import DEFAULT_CONFIG, RegistryError, all_recognizers
from pdaudit.scanner.analysis import (
    PREFILTERS,
    RE2_PREFILTERS,
    Analyzer,
    Entity,
    _analyze_one,
    _re2_prefilter,
    _to_entity,
    resolve_overlaps,
)


def _recognizers():
    """The whole registry; while a recognizer module is still missing, the ones that load."""
    try:
        return all_recognizers()
    except RegistryError:
        found = []
        for entry in yaml.safe_load(DEFAULT_CONFIG.read_text("utf-8"))["recognizers"]:
            module, _, name = entry["class"].partition(":")
            try:
                found.append(getattr(importlib.import_module(module), name)())
            except ImportError:
                continue
        return found


RECOGNIZERS = _recognizers()

# Synthetic values only: names, numbers and addresses below are invented.
TEXTS = [
    "",
    " ",
    "Сейтказиева Айгерим Нурлановна",
    "ИВАНОВ ПЕТР СЕРГЕЕВИЧ",
    "Ким О.",
    "aigerim.seitkazieva77@mail.kz",
    "иван@почта.рф",
    "i***@mail.kz",
    "icon@2x.png",
    "+7 701 123 45 67",
    "8(702)1234567",
    "87011234567",
    "+7 7** *** ** 70",
    "900101300126",
    "ИИН 900101300126, тел. 8 777 123 4567",
    "4400430123456789",
    "4400 4301 2345 6789",
    "KZ86125KZT5004100100",
    "192.168.10.25",
    "fe80::1ff:fe23:4567:890a",
    "abcd::ef",
    "12.05.1990",
    "родился 5 мая 1990 г.",
    "г. Алматы, ул. Абая, д. 12, кв. 5",
    "Здравствуйте! Меня зовут Асель Жумабекова, мой номер +7 705 111 22 33, "
    "ИИН 900101300126, прошу вернуть деньги на карту 4400 4301 2345 6789.",
    "Заказ 123456789012 от 01.02.2024 оплачен",
    "Order #44 paid by card ending 6781",
    "ООО «Ромашка», БИН 990340001234",
    "9001О1З00123",
    "паспорт 4509 123456",
    "СНИЛС 112-233-445 95",
    "ИНН 7707083893",
    "уд. личности 012345678",
    "N12345678",
    "ʼʼʼ ——— ###",
    "12345",
    "true",
    "Абай көшесі, 10",
    "Нурсултан Назарбаев даңғылы 1",
    "Hello world, this is plain text without anything personal.",
    "x" * 5000,
    "1" * 40,
    "mail: test.user+tag@example.com; ip 10.0.0.1",
    "Иванова Анна Петровна, 15.03.1985, ivanova@yandex.ru, +7 (727) 250-11-22",
    "ИИН\u00a0900101\u00a0300126",
    "ИНН/КПП 7707083893/770701001",
    "Карта 4400-4301-2345-6789",
    "СНИЛС 11223344595",
    "уд. личности N12345678, паспорт N1234567",
    "+683 4002",
    "2023-09-01 08:00:00",
]
CONTEXTS = [(), ("iin",), ("phone",), ("fio",), ("udostoverenie", "no"), ("comment",)]


def plain(text: str, context: tuple[str, ...]) -> list[Entity]:
    """Every recognizer's own ``analyze()`` on one text, no batching, cache or prefilter."""
    found = []
    for recognizer in RECOGNIZERS:
        wanted = list(recognizer.supported_entities)
        for res in _analyze_one(recognizer, text, wanted, list(context)):
            if res.entity_type in wanted:
                found.append(_to_entity(res))
    return resolve_overlaps(found, text)


@pytest.mark.parametrize("context", CONTEXTS)
def test_fast_path_equals_plain_path(context):
    fast = Analyzer(RECOGNIZERS)
    # Twice the list, shuffled order: the second half comes from the cache.
    texts = TEXTS + TEXTS[::-1]
    got = fast.analyze_batch(texts, context=context)
    want = [plain(t, context) if t else [] for t in texts]
    assert got == want


@pytest.mark.parametrize("context", CONTEXTS)
def test_prefilter_changes_nothing(context):
    with_filter = Analyzer(RECOGNIZERS).analyze_batch(TEXTS, context=context)
    without = Analyzer(RECOGNIZERS, prefilter=False).analyze_batch(TEXTS, context=context)
    assert with_filter == without


def test_prefilter_skips_recognizers():
    analyzer = Analyzer(RECOGNIZERS)
    by_type = {
        e: might
        for r, wanted, might in zip(
            analyzer.recognizers, analyzer._wanted, analyzer._might, strict=True
        )
        if r.name != "MrzRecognizer"  # several types; its own test: a run of zone fillers
        for e in wanted
    }
    assert by_type["EMAIL_ADDRESS"]("нет почты") is False
    assert by_type["EMAIL_ADDRESS"]("a@b.kz") is True
    assert by_type["KZ_IIN"]("Сейтказиева Айгерим") is False
    assert by_type["KZ_IIN"]("ИИН 9001О1З00123") is False  # ten digits: OCR folds before this
    assert by_type["KZ_IIN"]("ИИН 900 101 300 126") is True
    assert by_type["CREDIT_CARD"]("+7 701 123 45 67") is False
    assert by_type["PERSON"]("+7 701 123 45 67") is False
    assert by_type["PERSON"]("Ким") is True
    assert set(PREFILTERS) >= {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "KZ_IIN"}


class _Foreign:
    """A third-party recognizer without a prefilter of its own: never skipped."""

    supported_entities = ["CUSTOM_TOKEN"]
    name = "Foreign"

    def analyze(self, text, entities, nlp_artifacts=None):
        from presidio_analyzer import RecognizerResult

        i = text.find("tok-")
        return [] if i < 0 else [RecognizerResult("CUSTOM_TOKEN", i, i + 7, 0.9)]


def test_unknown_types_are_not_prefiltered():
    analyzer = Analyzer([_Foreign()])
    assert analyzer._might == [None]
    assert analyzer.analyze("x tok-abc") == [Entity("CUSTOM_TOKEN", 2, 9, 0.9)]


def test_the_texts_exercise_many_types():
    found = {e.type for t in TEXTS if t for e in plain(t, ())}
    assert found >= {
        "PERSON",
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "KZ_IIN",
        "CREDIT_CARD",
        "IBAN_CODE",
        "IP_ADDRESS",
    }


class _Counting(_Foreign):
    """``_Foreign`` that counts the texts it is asked about."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def analyze(self, text, entities, nlp_artifacts=None):
        self.seen.append(text)
        return super().analyze(text, entities, nlp_artifacts)


def test_the_cache_answers_repeated_texts_once_per_field():
    counting = _Counting()
    analyzer = Analyzer([counting])
    texts = ["a tok-001", "b", "a tok-001", "", "b"]
    first = analyzer.analyze_batch(texts, context=["note"])
    assert first == [
        [Entity("CUSTOM_TOKEN", 2, 9, 0.9)],
        [],
        [Entity("CUSTOM_TOKEN", 2, 9, 0.9)],
        [],
        [],
    ]
    assert counting.seen == ["a tok-001", "b"]  # the batch is deduplicated, "" never analysed
    assert analyzer.analyze_batch(["b", "a tok-001"], context=["note"]) == [
        [],
        [Entity("CUSTOM_TOKEN", 2, 9, 0.9)],
    ]
    assert counting.seen == ["a tok-001", "b"]  # answered from the cache
    analyzer.analyze_batch(["b"], context=["comment"])  # another field: its own entry
    assert counting.seen == ["a tok-001", "b", "b"]


def test_cached_results_are_handed_out_as_copies():
    analyzer = Analyzer([_Foreign()])
    first = analyzer.analyze("x tok-abc")
    first.clear()
    assert analyzer.analyze("x tok-abc") == [Entity("CUSTOM_TOKEN", 2, 9, 0.9)]


def test_the_cache_keeps_at_most_about_its_size_and_forgets_the_oldest():
    counting = _Counting()
    analyzer = Analyzer([counting], cache_size=10)
    for n in range(30):
        analyzer.analyze(f"text {n}")
        assert analyzer.cached_texts() <= 10
    counting.seen.clear()
    analyzer.analyze("text 29")  # among the newest: remembered
    analyzer.analyze("text 0")  # the oldest: forgotten, analysed again
    assert counting.seen == ["text 0"]


def test_a_cache_of_size_zero_remembers_nothing():
    counting = _Counting()
    analyzer = Analyzer([counting], cache_size=0)
    analyzer.analyze_batch(["same", "same"])
    analyzer.analyze("same")
    assert counting.seen == ["same", "same"]
    assert analyzer.cached_texts() == 0


def test_a_subclass_wants_is_honoured_on_both_paths():
    from pdaudit.recognizers.ip_address import IpAddressRecognizer
    from pdaudit.recognizers.kz_iin import KzIinRecognizer

    class LongOnlyIin(KzIinRecognizer):
        def wants(self, text, entities):
            return super().wants(text, entities) and len(text) > 20

    class LongOnlyIp(IpAddressRecognizer):
        def wants(self, text, entities):
            return super().wants(text, entities) and len(text) > 20

    iin, ip = "ИИН 900101300126", "IP 10.0.0.1"
    assert [r.entity_type for r in KzIinRecognizer().analyze(iin, None)] == ["KZ_IIN"]
    assert LongOnlyIin().analyze(iin, None) == []
    assert LongOnlyIin().analyze_batch([iin], None) == [[]]
    assert [r.entity_type for r in IpAddressRecognizer().analyze_batch([ip], None)[0]] == [
        "IP_ADDRESS"
    ]
    assert LongOnlyIp().analyze_batch([ip], None) == [[]]


def test_person_memos_are_not_shared_with_a_subclass():
    from pdaudit.recognizers.person import PersonRecognizer

    class NoNames(PersonRecognizer):
        def _decide(self, *args, **kwargs):
            return []

    texts = ["Иванов Иван Иванович", "Иванов И.И., +7 702 223 45 67"]
    assert NoNames().analyze_batch(texts, None, context=["fio"]) == [[], []]
    found = PersonRecognizer().analyze_batch(texts, None, context=["fio"])
    assert [[(r.start, r.end) for r in rs] for rs in found] == [[(0, 20)], [(0, 11)]]


# Texts for the RE2 prefilter pass: digits other than 0-9, lone surrogates, NUL, long runs.
RE2_TEXTS = TEXTS + [
    "родился ١٢.٠٣.١٩٩٠",  # Arabic-Indic digits: \d in Python, not [0-9]
    "тел. ８７０１１２３４５６７",  # full-width digits
    "ИИН ９００１０１３００１２６",
    "\ud800 ИИН 900101300126",  # a lone surrogate (cannot be encoded as UTF-8)
    "a\x00b 900101300126\x00",
    "kz86 125k zt50 0410 0100",
    "Счёт KZ86 125K ZT50 0410 0100 в банке",
    "::1",
    "1.2.3.4",
    "12/03/95",
    "1995",
    "ʼ" * 50 + "@",
    "Жанна Ли",
]


def _wanted_pairs(analyzer: Analyzer):
    return zip(analyzer.recognizers, analyzer._wanted, strict=True)


def test_re2_prefilters_are_necessary():
    """A built-in recognizer finds nothing in a text that its RE2 prefilter does not match."""
    import re2

    analyzer = Analyzer(RECOGNIZERS)
    checked = 0
    for recognizer, wanted in _wanted_pairs(analyzer):
        pattern = _re2_prefilter(recognizer, wanted)
        if pattern is None:
            continue
        compiled = re2.compile(pattern)
        for text in RE2_TEXTS:
            for context in CONTEXTS:
                found = [
                    r
                    for r in _analyze_one(recognizer, text, wanted, list(context))
                    if r.entity_type in wanted
                ]
                if found:
                    checked += 1
                    assert compiled.search(text.encode("utf-8", "surrogatepass")), (
                        type(recognizer).__name__,
                        text,
                    )
    assert checked > 100


@pytest.mark.parametrize("context", CONTEXTS)
def test_re2_pass_changes_nothing(context):
    fast = Analyzer(RECOGNIZERS)
    assert fast._prefilters is not None  # google-re2 is a dependency: the pass is on
    without = Analyzer(RECOGNIZERS)
    without._prefilters = None
    assert fast.analyze_batch(RE2_TEXTS, context=context) == without.analyze_batch(
        RE2_TEXTS, context=context
    )


def test_re2_pass_lists_the_matching_texts():
    analyzer = Analyzer(RECOGNIZERS)
    by_type = {
        e: gate
        for (recognizer, wanted), gate in zip(_wanted_pairs(analyzer), analyzer._gates, strict=True)
        if recognizer.name != "MrzRecognizer"  # several types; its gate: a run of zone fillers
        for e in wanted
    }
    texts = ["нет почты", "a@b.kz", "900101300126", "\ud800 a@b.kz", "Ким"]
    hits = analyzer._prefilters.hits(texts)
    assert hits[by_type["EMAIL_ADDRESS"]] == [1, 3]  # the unencodable text passes every one
    assert hits[by_type["KZ_IIN"]] == [2, 3]
    assert hits[by_type["PERSON"]] == [0, 1, 3, 4]
    assert by_type["KZ_IIN"] == by_type["KZ_BIN"]  # one pattern, matched once


def test_plugins_get_no_re2_prefilter():
    analyzer = Analyzer([_Foreign()])
    assert analyzer._prefilters is None and analyzer._gates == [None]


DIRECT = [r for r in RECOGNIZERS if hasattr(r, "entities_batch")]


def test_most_findings_come_as_tuples():
    names = {type(r).__name__ for r in DIRECT}
    assert names >= {
        "EmailRecognizer",
        "PhoneRecognizer",
        "KzIinRecognizer",
        "KzBinRecognizer",
        "AddressRecognizer",
        "RuInnRecognizer",
        "CreditCardRecognizer",
        "IbanRecognizer",
    }


@pytest.mark.parametrize("context", CONTEXTS)
def test_entities_batch_equals_analyze_batch(context):
    """The tuples a recognizer hands the scanner are the entities its results convert to."""
    texts = [*RE2_TEXTS, None, 42]
    for recognizer in DIRECT:
        for entities in (None, list(recognizer.supported_entities), ["OTHER"]):
            got = recognizer.entities_batch(texts, entities, context=list(context))
            results = recognizer.analyze_batch(texts, entities, context=list(context))
            assert got == [[_to_entity(r) for r in res] for res in results], type(recognizer)
            for found in got:
                for ent in found:
                    assert type(ent[3]) is float and type(ent[4]) is tuple


def test_entities_batch_steps_aside_for_subclasses():
    from pdaudit.recognizers.address import AddressRecognizer
    from pdaudit.recognizers.kz_iin import KzIinRecognizer
    from pdaudit.recognizers.phone_number import PhoneRecognizer

    class Mine(KzIinRecognizer):
        def analyze(self, text, entities, nlp_artifacts=None, context=None):
            return []

    class Scored(KzIinRecognizer):
        def _results(self, text, words, context):
            return []

    class Calls(PhoneRecognizer):
        def _result(self, text, start, end, region, context):
            return super()._result(text, start, end, "XX", context)

    class Finds(AddressRecognizer):
        def find(self, text, named, context):
            return []

    class Batched(KzIinRecognizer):  # a plugin that changes only the batch method
        def analyze_batch(self, texts, entities, context=None):
            return [[] for _ in texts]

    class BatchedPhone(PhoneRecognizer):
        def analyze_batch(self, texts, entities, context=None):
            return [[] for _ in texts]

    class BatchedAddress(AddressRecognizer):
        def analyze_batch(self, texts, entities, context=None):
            return [[] for _ in texts]

    subclasses = (Mine(), Scored(), Calls(), Finds(), Batched(), BatchedPhone(), BatchedAddress())
    for recognizer in subclasses:
        assert recognizer.entities_batch(["ИИН 900101300126"], None) is None
    for recognizer, text in (
        (Batched(), "900101300126"),
        (BatchedPhone(), "+7 701 123 45 67"),
        (BatchedAddress(), "г. Алматы, ул. Абая 10, кв. 5"),
    ):
        assert Analyzer([recognizer]).analyze(text) == []
    # ... and the analysis then takes their own results.
    assert Analyzer([Mine()]).analyze("ИИН 900101300126") == []
    assert Analyzer([Calls()]).analyze("+7 701 123 45 67")[0].attributes == (("region", "XX"),)


@pytest.mark.parametrize("floor", [0.5, 0.86, 1.0])
def test_min_score_filters_what_the_cache_keeps(floor):
    texts = TEXTS + TEXTS[::-1]  # the second half comes from the cache
    every = Analyzer(RECOGNIZERS).analyze_batch(texts, context=("comment",))
    floored = Analyzer(RECOGNIZERS, min_score=floor)
    want = [[e for e in ents if e.score >= floor] for ents in every]
    assert floored.analyze_batch(texts, context=("comment",)) == want
    assert floored.analyze_batch(texts, context=("comment",)) == want
    assert any(len(w) < len(e) for w, e in zip(want, every, strict=True))


def test_re2_knows_every_digit_python_knows():
    """``\\p{Nd}`` in the RE2 prefilters stands for Python's ``\\d``: on a Python whose Unicode
    tables hold digits RE2's lack, texts with them would be skipped; this fails first."""
    import re

    import re2

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    python = set(re.findall(r"\d", every))
    assert python <= set(re2.findall(r"\p{Nd}", every))
    assert python - set("0123456789") <= set(re2.findall(r"[^\P{Nd}0-9]", every))
    letters = set(re.findall(r"[^\W\d_]", every))
    assert letters <= set(re2.findall(RE2_PREFILTERS["PERSON"], every))


def test_re2_iban_prefilter_holds_every_candidate():
    """Every candidate of the built-in IBAN recognizer matches the RE2 IBAN_CODE prefilter."""
    import random

    import re2

    from pdaudit.recognizers import iban

    gate = re2.compile(RE2_PREFILTERS["IBAN_CODE"])
    rng = random.Random(7)
    alphabet = "KZkzAB0123456789 -\u00a0xЖ"
    texts = ["KZ86 125K ZT50 0410 0100", "Счёт KZ86125KZT5004100100", "xKZ86125KZT5004100100"]
    texts += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(15, 40))) for _ in range(20000)
    ]
    # ... and texts built around an IBAN's opening, some of them broken.
    texts += [
        rng.choice(["", "x", " ", "Ж", "1"])
        + rng.choice(["KZ", "Kz", "kZ", "DE"])
        + "".join(rng.choice("0123456789ABKZ ") for _ in range(rng.randint(10, 30)))
        for _ in range(5000)
    ]
    candidates = 0
    for text in texts:
        if iban._CANDIDATE.search(text):
            candidates += 1
            assert gate.search(text), text
    assert candidates > 50


def test_the_analyzer_skips_what_the_re2_pass_rules_out():
    """Texts without an "@" never reach the e-mail recognizer's own prefilter: the RE2 pass
    decided them (an Analyzer that ignored its hits would call the prefilter for all)."""
    analyzer = Analyzer(RECOGNIZERS)
    k = next(i for i, w in enumerate(analyzer._wanted) if w == ["EMAIL_ADDRESS"])
    seen: list[str] = []
    own = analyzer._might[k]
    analyzer._might[k] = lambda text: seen.append(text) or own(text)
    texts = ["Сейтказиева Айгерим", "900101300126", "a@b.kz", "+7 701 123 45 67", "x@y"]
    found = analyzer.analyze_batch(texts, context=("comment",))
    assert seen == ["a@b.kz", "x@y"]
    assert [e.type for e in found[2]] == ["EMAIL_ADDRESS"]


def test_the_analyzer_takes_the_tuples_of_entities_batch():
    """Where a recognizer hands over tuples, they are what the analysis reports (an Analyzer
    that went on converting ``analyze_batch`` results would report the other span)."""
    from pdaudit.recognizers.kz_iin import KzIinRecognizer

    class Marked(KzIinRecognizer):
        def entities_batch(self, texts, entities, context=None):
            return [[("KZ_IIN", 0, 3, 0.5, ("tuple",), ())] for _ in texts]

    (ent,) = Analyzer([Marked()]).analyze("ИИН 900101300126")
    assert ent == Entity("KZ_IIN", 0, 3, 0.5, ("tuple",))
