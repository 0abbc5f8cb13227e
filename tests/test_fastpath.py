"""The fast path (dedupe, cache, batched NER, declared searches) finds exactly what the plain
path finds: every recognizer's own ``analyze()`` on every text, one text at a time.
(``tests/test_search.py`` holds the searches and the ``findings`` contract themselves.)"""

from __future__ import annotations

import importlib

import pytest
import yaml
from foreign import Counting as _Counting
from foreign import Foreign as _Foreign

from pdaudit.recognizers.base import Findings, findings_of
from pdaudit.recognizers.registry import DEFAULT_CONFIG, RegistryError, all_recognizers
from pdaudit.scanner.analysis import Analyzer, Entity, Searches, resolve_overlaps, search_of


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
        (tuples,) = findings_of(recognizer, [text], wanted, list(context))
        found.extend(Entity(*t) for t in tuples)
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
    searches = {
        e: search_of(r)
        for r in RECOGNIZERS
        if r.name != "MrzRecognizer"  # several types; its own search: a run of zone fillers
        for e in r.supported_entities
    }

    def selects(entity: str, text: str) -> bool:
        (chosen,) = Searches([searches[entity]]).select([text])
        return chosen == [0]

    assert selects("EMAIL_ADDRESS", "нет почты") is False
    assert selects("EMAIL_ADDRESS", "a@b.kz") is True
    assert selects("KZ_IIN", "Сейтказиева Айгерим") is False
    assert selects("KZ_IIN", "ИИН 9001О1З00123") is False  # ten digits: OCR folds before this
    assert selects("KZ_IIN", "ИИН 900 101 300 126") is True
    assert selects("CREDIT_CARD", "+7 701 123 45 67") is False
    assert selects("PERSON", "+7 701 123 45 67") is False
    assert selects("PERSON", "Ким") is True


def test_unknown_types_are_not_prefiltered():
    analyzer = Analyzer([_Foreign()])
    assert analyzer._searches.columns == [None]
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


def test_one_fields_texts_never_push_out_anothers():
    """The field being read has the room the others leave: a field of many texts (a Dask
    worker's e-mails) steps its own generations on, and the names analysed before it stay
    held (a worker's next piece finds them); the cache holds its size at most."""
    counting = _Counting()
    analyzer = Analyzer([counting], cache_size=1_000)
    names = [f"name {n}" for n in range(200)]
    analyzer.analyze_batch(names, ["fio"])
    for batch in range(10):
        analyzer.analyze_batch([f"mail {batch} {n}" for n in range(300)], ["email"])
        assert analyzer.cached_texts() <= 1_000
    counting.seen.clear()
    analyzer.analyze_batch(names, ["fio"])
    assert counting.seen == []
    analyzer.analyze_batch(["mail 9 0", "mail 0 0"], ["email"])
    assert counting.seen == ["mail 0 0"]  # the e-mails' oldest texts: forgotten
    assert analyzer.remembers(["fio"]) and analyzer.remembers(["email"])


def test_the_fields_read_before_give_their_room_back():
    """Fields that take no more texts (the tables scanned before) keep theirs until all
    fields together hold more than the cache's size; then the field holding the most (the
    earliest read, of fields alike) steps its generations on, and the field being read keeps
    what it read."""
    counting = _Counting()
    analyzer = Analyzer([counting], cache_size=1_000)
    batches = {f"f{k}": [f"text {k} {n}" for n in range(300)] for k in range(10)}
    for field, texts in batches.items():
        analyzer.analyze_batch(texts, [field])
        assert analyzer.cached_texts() <= 1_000
    counting.seen.clear()
    analyzer.analyze_batch(batches["f9"], ["f9"])  # the last field read: held
    assert counting.seen == []
    analyzer.analyze_batch(batches["f1"][:3], ["f1"])  # read long before: forgotten
    assert counting.seen == batches["f1"][:3]


def test_a_field_of_distinct_values_is_not_remembered():
    """Once ``PROBE_TEXTS`` texts of a field were asked for and the cache held under 1% of
    them, the field's texts are no longer remembered; a field whose values repeat is, and the
    findings are the same either way."""
    from pdaudit.scanner.analysis import PROBE_TEXTS

    counting = _Counting()
    analyzer = Analyzer([counting], cache_size=100_000)
    ids = [f"id tok-{n:06d}" for n in range(PROBE_TEXTS + 8_000)]
    names = [f"name {n % 300}" for n in range(PROBE_TEXTS + 8_000)]
    for start in range(0, len(ids), 4_000):
        assert analyzer.analyze_batch(ids[start : start + 4_000], ["id"]) == [
            [Entity("CUSTOM_TOKEN", 3, 10, 0.9)] for _ in ids[start : start + 4_000]
        ]
        analyzer.analyze_batch(names[start : start + 4_000], ["name"])
    assert not analyzer.remembers(["id"]) and analyzer.remembers(["name"])
    assert analyzer.cached_texts() == 300  # the names only
    assert counting.seen.count("name 7") == 1  # analysed once, then held
    counting.seen.clear()
    analyzer.analyze_batch(["id tok-000001", "id tok-000001", ""], ["id"])
    assert counting.seen == ["id tok-000001"]  # still deduplicated within the batch


def test_a_first_batch_alone_never_stops_the_cache():
    """A field's first batch holds nothing the cache could have held: one of more than
    ``PROBE_TEXTS`` distinct texts (a window of many batches, ``scanner.windows``) leaves the
    field remembered, and the next batch's repeats are held, not analysed again; two batches
    of distinct texts still stop it."""
    from pdaudit.scanner.analysis import PROBE_TEXTS

    counting = _Counting()
    analyzer = Analyzer([counting], cache_size=100_000)
    names = [f"name {n}" for n in range(PROBE_TEXTS + 10)]
    analyzer.analyze_batch(names, ["fio"])
    assert analyzer.remembers(["fio"])
    counting.seen.clear()
    analyzer.analyze_batch(names[:5_000] + ["name new"], ["fio"])
    assert counting.seen == ["name new"]
    assert analyzer.remembers(["fio"])
    for batch in range(2):
        analyzer.analyze_batch([f"id {batch} {n}" for n in range(PROBE_TEXTS)], ["id"])
        assert analyzer.remembers(["id"]) is (batch == 0)


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
    assert LongOnlyIin().findings([iin], None, None) == [[]]
    assert [e[0] for e in IpAddressRecognizer().findings([ip], None, None)[0]] == ["IP_ADDRESS"]
    assert LongOnlyIp().findings([ip], None, None) == [[]]
    assert Analyzer([LongOnlyIin(), LongOnlyIp()]).analyze_batch([iin, ip]) == [[], []]


def test_person_memos_are_not_shared_with_a_subclass():
    from pdaudit.recognizers.person import PersonRecognizer

    class NoNames(PersonRecognizer):
        def _decide(self, *args, **kwargs):
            return []

    texts = ["Иванов Иван Иванович", "Иванов И.И., +7 702 223 45 67"]
    assert NoNames().findings(texts, None, context=["fio"]) == [[], []]
    found = PersonRecognizer().findings(texts, None, context=["fio"])
    assert [[(r[1], r[2]) for r in rs] for rs in found] == [[(0, 20)], [(0, 11)]]


@pytest.mark.parametrize("floor", [0.5, 0.86, 1.0])
def test_min_score_filters_what_the_cache_keeps(floor):
    texts = TEXTS + TEXTS[::-1]  # the second half comes from the cache
    every = Analyzer(RECOGNIZERS).analyze_batch(texts, context=("comment",))
    floored = Analyzer(RECOGNIZERS, min_score=floor)
    want = [[e for e in ents if e.score >= floor] for ents in every]
    assert floored.analyze_batch(texts, context=("comment",)) == want
    assert floored.analyze_batch(texts, context=("comment",)) == want
    assert any(len(w) < len(e) for w, e in zip(want, every, strict=True))


def test_most_findings_come_as_tuples():
    """The built-in recognizers of the commonest types read a batch without building a
    ``RecognizerResult`` per finding: their own ``findings``."""
    names = {type(r).__name__ for r in RECOGNIZERS if type(r).findings is not Findings.findings}
    assert names >= {
        "EmailRecognizer",
        "PhoneRecognizer",
        "KzIinRecognizer",
        "KzBinRecognizer",
        "AddressRecognizer",
        "RuInnRecognizer",
        "CreditCardRecognizer",
        "IbanRecognizer",
        "PersonRecognizer",
    }


def test_the_iban_search_holds_every_candidate():
    """Every candidate of the built-in IBAN recognizer is a text its search selects."""
    import random

    from pdaudit.recognizers import iban

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
    (chosen,) = Searches([iban.IbanRecognizer.SEARCH]).select(texts)
    assert chosen is not None
    picked = set(chosen)
    candidates = 0
    for i, text in enumerate(texts):
        if iban._CANDIDATE.search(text):
            candidates += 1
            assert i in picked, text
    assert candidates > 50


class _Spans(_Foreign):
    """A plain Presidio recognizer that reports the spans it is given for each text."""

    def __init__(self, entity: str, spans: dict[str, list[tuple[int, int, float]]]) -> None:
        super().__init__()
        self.supported_entities = [entity]
        self.spans = spans

    def analyze(self, text, entities, nlp_artifacts=None):
        from presidio_analyzer import RecognizerResult

        etype = self.supported_entities[0]
        return [RecognizerResult(etype, a, b, s) for a, b, s in self.spans.get(text, [])]


@pytest.mark.parametrize("floor", [0.0, 0.5])
def test_overlaps_are_resolved_before_the_floor(floor):
    """One entity, several of one recognizer, or of two, low and high scores, containing and
    contained: the analysis keeps what resolving all of a text's entities and then dropping
    those under the floor keeps."""
    import random

    rng = random.Random(1529)
    texts = [f"text number {n:03d} here" for n in range(300)]
    spans = []
    for _ in range(2):
        table = {}
        for text in texts:
            table[text] = []
            for _ in range(rng.choice([0, 0, 1, 1, 2])):
                a = rng.randrange(0, 15)
                table[text].append((a, rng.randrange(a + 1, 20), rng.choice([0.3, 0.6, 0.9])))
        spans.append(table)
    recognizers = [_Spans("A_TYPE", spans[0]), _Spans("B_TYPE", spans[1])]
    got = Analyzer(recognizers, min_score=floor).analyze_batch(texts)
    for text, ents in zip(texts, got, strict=True):
        every = [Entity("A_TYPE", a, b, s) for a, b, s in spans[0][text]]
        every += [Entity("B_TYPE", a, b, s) for a, b, s in spans[1][text]]
        want = resolve_overlaps(every, text) if len(every) > 1 else every
        assert ents == [e for e in want if e.score >= floor]
    assert sum(map(len, got)) > 100


def test_the_scan_reads_the_analysis_own_lists():
    """``fresh=False`` (the scan) hands back the lists the analysis holds: equal to the copies
    ``fresh=True`` hands out, a repeated text's list shared, and the cache unharmed by a caller
    that changes a copy. Both on a field the cache remembers and on one of distinct values."""
    from pdaudit.scanner.analysis import PROBE_TEXTS

    analyzer = Analyzer([_Counting()])
    texts = ["a tok-001", "b", "a tok-001", "", "b", "c tok-002"]
    shared = analyzer.analyze_batch(texts, context=["note"], fresh=False)
    assert shared[0] is shared[2] and shared[1] is shared[4]
    copies = analyzer.analyze_batch(texts, context=["note"])
    assert copies == shared and copies[0] is not copies[2]
    copies[0].clear()
    assert analyzer.analyze_batch(texts, context=["note"], fresh=False) == shared
    assert shared[0] == [Entity("CUSTOM_TOKEN", 2, 9, 0.9)]
    ids = [f"id tok-{n:06d}" for n in range(PROBE_TEXTS + 100)] + ["", "id tok-020000"]
    for start in range(0, len(ids), 2_000):
        part = ids[start : start + 2_000]
        fast = analyzer.analyze_batch(part, context=["id"], fresh=False)
        assert fast == Analyzer([_Foreign()], cache_size=0).analyze_batch(part)
    assert not analyzer.remembers(["id"])
    assert fast[-1] is fast[0] and fast[-2] == []  # the last batch starts at tok-020000
