"""Overlap resolution, masking, policy loading, verdicts and value normalisation."""

from __future__ import annotations

import pytest

from pdaudit.scanner.analysis import Analyzer, Entity, resolve_overlaps
from pdaudit.scanner.history import exit_code
from pdaudit.scanner.masking import keyed_hash, mask
from pdaudit.scanner.policy import BEYOND, NONE, WITHIN, PolicyError, load_policy
from pdaudit.scanner.sampling import Sampling
from pdaudit.scanner.scan import Scanner, ScanOptions, build_report, iter_values
from pdaudit.scanner.sources import Container
from pdaudit.scanner.verdicts import FieldStats, field_verdict, wilson


@pytest.mark.parametrize(
    ("entities", "kept"),
    [
        # an IBAN contains phone-like digits: the container wins
        ([("PHONE_NUMBER", 4, 15, 0.7), ("IBAN_CODE", 0, 20, 1.0)], [("IBAN_CODE", 0, 20)]),
        # an address contains a street named after a person: the address wins even at a lower score
        ([("PERSON", 10, 15, 0.9), ("ADDRESS", 0, 30, 0.6)], [("ADDRESS", 0, 30)]),
        # partial overlap: the higher score wins
        ([("PERSON", 0, 10, 0.6), ("ADDRESS", 5, 20, 0.8)], [("ADDRESS", 5, 20)]),
        ([("PERSON", 0, 10, 0.9), ("ADDRESS", 5, 20, 0.8)], [("PERSON", 0, 10)]),
        # disjoint spans all stay, sorted by start
        (
            [("PHONE_NUMBER", 20, 30, 0.9), ("PERSON", 0, 10, 0.9)],
            [("PERSON", 0, 10), ("PHONE_NUMBER", 20, 30)],
        ),
        # the same span twice: the higher score stays
        ([("RU_INN", 0, 12, 0.6), ("KZ_IIN", 0, 12, 1.0)], [("KZ_IIN", 0, 12)]),
    ],
)
def test_resolve_overlaps(entities, kept):
    result = resolve_overlaps(Entity(t, s, e, sc) for t, s, e, sc in entities)
    assert [(e.type, e.start, e.end) for e in result] == kept


def test_partial_overlap_prefers_higher_score_then_longer():
    # equal length 10 vs 15: the longer is ranked first and kept; a higher-scored partial
    # overlap replaces it only when it scores strictly higher
    low = Entity("ADDRESS", 5, 20, 0.5)
    high = Entity("PERSON", 0, 10, 0.9)
    assert resolve_overlaps([low, high]) == [high]


@pytest.mark.parametrize(
    ("value", "etype", "masked"),
    [
        ("900101300126", "KZ_IIN", "90********26"),
        ("8 701 123 45 67", "PHONE_NUMBER", "8 7** *** ** 67"),
        ("+7 (701) 123-45-67", "PHONE_NUMBER", "+7 (7**) ***-**-67"),
        ("KZ86125KZT5004100100", "IBAN_CODE", "KZ****************00"),
        ("Ким Ольга", "PERSON", "К** О****"),
        ("ivanov@mail.kz", "EMAIL_ADDRESS", "i*****@mail.kz"),
        ("192.168.10.25", "IP_ADDRESS", "19*.***.**.25"),
        ("12", "", "1*"),
    ],
)
def test_mask(value, etype, masked):
    assert mask(value, etype) == masked
    assert len(mask(value, etype)) == len(value)


def test_keyed_hash_depends_on_key():
    assert keyed_hash("900101300126", key=b"a") != keyed_hash("900101300126", key=b"b")
    assert keyed_hash("900101300126", key=b"a") == keyed_hash("900101300126", key=b"a")
    assert "900101300126" not in keyed_hash("900101300126", key=b"a")


def test_wilson_bounds():
    assert wilson(0, 10) == (0.0, 0.2775)
    assert wilson(10, 10) == (0.7225, 1.0)
    assert wilson(5, 10) == (0.2366, 0.7634)


def test_default_policy_is_section_2_3():
    policy = load_policy()
    assert list(policy.allowed) == ["PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"]
    assert policy.clause("PERSON") == "2.3.1"
    assert policy.clause("EMAIL_ADDRESS") == "2.3.2"
    assert policy.clause("PHONE_NUMBER") == "2.3.3"
    assert policy.clause("KZ_IIN") is None
    assert policy.non_personal == frozenset({"KZ_BIN"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("allowed: [", "not valid YAML at line 1"),
        ("id: x\n", "needs an 'allowed' mapping"),
        ("allowed:\n  PERSON: {text: x}\n", "allowed type PERSON needs a 'clause'"),
        (
            "allowed:\n  PERSON: {clause: '2.3.1'}\nexceptions:\n  - {field: users.dob, types: [DATE_OF_BIRTH]}\n",
            "exception #1 (users.dob) needs a written 'reason'",
        ),
    ],
)
def test_bad_policy_is_one_clear_line(tmp_path, text, message):
    path = tmp_path / "p.yaml"
    path.write_text(text)
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_policy_file(tmp_path):
    with pytest.raises(PolicyError, match="cannot read the policy file"):
        load_policy(tmp_path / "nope.yaml")


def _stats(field, found):
    fs = FieldStats("sqlite:///x.db", "users", field)
    for text, ents in found:
        fs.add(text, ents)
    return fs


def test_field_verdict_beyond_policy_with_exception(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "id: t\nallowed:\n  PERSON: {clause: '2.3.1'}\n"
        "exceptions:\n  - {field: 'users.dob', types: [DATE_OF_BIRTH], reason: 'age check'}\n"
    )
    policy = load_policy(path)
    iin = [("900101300126", [Entity("KZ_IIN", 0, 12, 1.0, ("checksum",))])] * 3 + [("x", [])]
    v = field_verdict(_stats("iin", iin), policy)
    assert v["status"] == BEYOND
    assert v["beyond_policy"] == ["KZ_IIN"]
    [entity] = v["entities"]
    assert entity["matches"] == 3
    assert entity["share"] == 0.75
    assert entity["confidence"] == 1.0
    assert entity["examples"] == ["90********26"]
    assert entity["evidence"] == ["checksum"]
    assert entity["clause"] is None and entity["allowed"] is False

    dob = [("01.02.1990", [Entity("DATE_OF_BIRTH", 0, 10, 0.9)])]
    v = field_verdict(_stats("dob", dob), policy)
    assert v["status"] == WITHIN
    assert v["entities"][0]["exception"] == {"field": "users.dob", "reason": "age check"}

    bin_ = [("120440012345", [Entity("KZ_BIN", 0, 12, 1.0)])]
    v = field_verdict(_stats("bin", bin_), policy)
    assert v["status"] == NONE
    assert v["entities"][0]["personal"] is False


def test_field_name_moves_confidence_but_creates_nothing():
    class Hints:
        boost = {"KZ_ID_DOCUMENT": "udostoverenie"}
        suppress = {"PHONE_NUMBER": "sku"}

    policy = load_policy()
    found = [
        ("012345678", [Entity("KZ_ID_DOCUMENT", 0, 9, 0.85), Entity("PHONE_NUMBER", 0, 9, 0.6)])
    ]
    v = field_verdict(_stats("udostoverenie_no", found), policy, hints=Hints())
    types = {e["type"]: e for e in v["entities"]}
    assert types["KZ_ID_DOCUMENT"]["confidence"] == 0.95
    assert "field name: udostoverenie" in types["KZ_ID_DOCUMENT"]["evidence"]
    assert "PHONE_NUMBER" not in types  # 0.6 * 0.5 = 0.3 < 0.5
    v = field_verdict(_stats("udostoverenie_no", []), policy, hints=Hints())
    assert v["entities"] == [] and v["status"] == NONE


def test_iter_values_normalises():
    assert list(iter_values("n", 77011234567)) == [("n", "77011234567")]
    assert list(iter_values("n", True)) == []
    assert list(iter_values("j", '[{"iin": "1"}, {"iin": "2"}]')) == [
        ("j.iin", "1"),
        ("j.iin", "2"),
    ]
    assert list(iter_values("t", "{not json}")) == [("t", "{not json}")]
    assert list(iter_values("b", b"\x00")) == [("b", b"\x00")]
    assert list(iter_values("s", "   ")) == []


class _OneRecognizer:
    """A minimal Presidio-style recognizer: digits '42' are an IIN (to test the plumbing only)."""

    supported_entities = ["KZ_IIN"]

    def analyze(self, text, entities, nlp_artifacts=None):
        from presidio_analyzer import RecognizerResult

        i = text.find("42")
        return [RecognizerResult("KZ_IIN", i, i + 2, 1.0)] if i >= 0 else []


def test_scanner_counts_json_paths_blobs_and_errors():
    analyzer = Analyzer(recognizers=[_OneRecognizer()])
    policy = load_policy()
    scanner = Scanner(analyzer, policy, ScanOptions())
    rows = [
        {"a": "42", "j": {"x": {"y": 42}}, "b": b"\x00\x01", "n": None},
        {"a": "no", "j": '{"x": {"y": "7"}}', "b": None, "n": None},
    ]
    container = Container("mem", "t", ["a", "j", "b", "n"], read=lambda: iter([rows]))
    stats = scanner.scan_container(container)
    assert {k: v.values_scanned for k, v in stats.items()} == {
        "a": 2,
        "j": 0,
        "b": 0,
        "n": 0,
        "j.x.y": 2,
    }
    assert stats["b"].binary_skipped == 1
    fields = scanner.verdicts(stats, "rowid")
    report = build_report(fields, [], [], policy, Sampling(), {"rowid"})
    assert report["summary"] == {
        "fields": 4,
        "beyond_policy": 2,
        "within_policy": 0,
        "no_personal_data": 2,
        "containers_beyond_policy": 1,
        "errors": 0,
    }
    # "j" held only JSON objects: its key path stands for it
    assert [f["field"] for f in report["fields"]] == ["a", "j.x.y", "b", "n"]
    assert exit_code(report) == 1
    report["errors"] = [{"source": "mem", "container": "u", "message": "x"}]
    assert exit_code(report) == 2


def test_field_verdict_says_where_a_field_stopped():
    fs = _stats("iin", [("900101300126", [Entity("KZ_IIN", 0, 12, 1.0, ("checksum",))])] * 2)
    assert "early_stop" not in field_verdict(fs, load_policy())
    fs.stopped_after = 2
    v = field_verdict(fs, load_policy())
    assert (v["values_scanned"], v["early_stop"]) == (2, {"after": 2})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_values": 0}, "early_stop.min_values must be at least 1"),
        ({"min_share": 0.0}, r"early_stop.min_share must be in \(0, 1\]"),
        ({"min_share": 1.5}, r"early_stop.min_share must be in \(0, 1\]"),
    ],
)
def test_early_stop_settings_are_checked(kwargs, message):
    from pdaudit.scanner.sampling import EarlyStop

    with pytest.raises(ValueError, match=message):
        EarlyStop(**kwargs)


def test_sampling_records_early_stop_only_when_a_field_stopped():
    from pdaudit.scanner.sampling import EarlyStop

    assert Sampling().stop_rule == EarlyStop(1000, 0.9)
    assert Sampling(mode="full").stop_rule is None
    assert Sampling(mode="full").describe("full", early_stopped=True) == {
        "method": "full",
        "rows_per_table": None,
        "seed": 0,
    }
    assert Sampling(early_stop=EarlyStop(50, 0.95)).describe("rowid", early_stopped=True) == {
        "method": "rowid",
        "rows_per_table": 10000,
        "seed": 0,
        "early_stop": {"min_values": 50, "min_share_lower_bound": 0.95},
    }


@pytest.mark.parametrize("read_ahead", [False, True], ids=["in order", "read ahead"])
def test_blobs_after_an_early_stop_are_not_counted(read_ahead):
    """BLOB counters of a batch count only while the field is analysed, however far ahead the
    batches were collected (the Dask scanner collects several before counting one)."""
    from pdaudit.scanner.sampling import EarlyStop

    analyzer = Analyzer(recognizers=[_OneRecognizer()])
    # wilson(3, 3) = (0.4385, 1.0): three IINs in three values settle at a 0.4 lower bound
    options = ScanOptions(sampling=Sampling(early_stop=EarlyStop(min_values=3, min_share=0.4)))
    scanner = Scanner(analyzer, load_policy(), options)
    batches = [
        [{"a": b"\x00"}, {"a": "42"}],
        [{"a": "42"}, {"a": "x 42"}, {"a": "42"}],  # stops at the 3rd value
        [{"a": b"\x01"}, {"a": "42"}],
    ]
    container = Container("mem", "t", ["a"], read=lambda: iter(batches))
    stats = scanner.new_stats(container)
    if read_ahead:
        pendings = [scanner.collect(b, stats, container) for b in batches]
        for p in pendings:
            scanner.apply(stats, p, scanner.analyze_pending(p))
    else:
        stats = scanner.scan_container(container)
    fs = stats["a"]
    assert (fs.values_scanned, fs.stopped_after, fs.binary_skipped) == (3, 3, 1)
    assert fs.types["KZ_IIN"].matches == 3
