"""The forms Presidio's own recognizer tests hold that pdaudit missed (issue #22): phones in other
countries' national forms where a region list asks for them, several cards in a row, 15-digit
schemes, hyphenated and Belgian IBANs; the region list through the CLI, the policy and the job
file. IP forms are in ``test_address_dob_ip.py``. Every number here is invented (check digits
computed)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdaudit.recognizers import credit_card, iban
from pdaudit.recognizers.base import attributes_of
from pdaudit.recognizers.credit_card import CreditCardRecognizer
from pdaudit.recognizers.iban import IbanRecognizer
from pdaudit.recognizers.phone_number import (
    DEFAULT_REGIONS,
    PhoneRecognizer,
    PhoneRegionError,
    phone_regions,
)
from pdaudit.scanner.analysis import Analyzer, search_selects
from pdaudit.scanner.cli import main
from pdaudit.scanner.jobs import JobError, load_job
from pdaudit.scanner.policy import DEFAULT_POLICY, PolicyError, load_policy
from pdaudit.scanner.scan import ScanOptions, scan

P = "PHONE_NUMBER"


def phones(regions: str | None, text: str, context: list[str] | None = None) -> list[tuple]:
    results = PhoneRecognizer(regions).analyze(text, None, None, context)
    return [(r.start, r.end, r.score, attributes_of(r)["region"]) for r in results]


# (regions, text, found): a national form counts only where a region of its country code is listed
PHONES_BY_REGION = [
    ("TR", "0532 123 45 67", [(0, 14, 0.85, "TR")]),
    ("TR", "05321234567", [(0, 11, 0.75, "TR")]),
    ("TR", "2121234567", [(0, 10, 0.5, "TR")]),  # a bare Istanbul landline, as Presidio
    ("TR", "532.123.45.67", [(0, 13, 0.85, "TR")]),  # dotted, but no IPv4 address
    ("TR", "Cep no: 05321234567", [(8, 19, 0.75, "TR")]),
    ("US", "(415) 555-0132", [(0, 14, 0.85, "US")]),
    ("UK", "020 7123 4567", [(0, 13, 0.85, "GB")]),  # Presidio's tests write UK for GB
    ("DE", "030 1234567", [(0, 11, 0.85, "DE")]),
    (None, "020 7123 4567", []),
    ("IL", "My Israeli number is 09-7625400", [(21, 31, 0.85, "IL")]),
    ("JP", "090-1234-5678", [(0, 13, 0.85, "JP")]),
    ("CN", "My CN number is 13812345678", [(16, 27, 0.75, "CN")]),
    ("IN", "one is 91-415-555-0132", [(7, 22, 0.85, "IN")]),
    (None, "0532 123 45 67", []),
    (None, "2121234567", []),
    (None, "09-7625400", []),
    (None, "090-1234-5678", []),
    (None, "13812345678", []),
    # numbers written with + and a country code: found whatever the list says
    (None, "+90 532 123 45 67", [(0, 17, 0.85, "TR")]),
    (None, "+55 11 98456 5666", [(0, 17, 0.85, "BR")]),
    ("TR", "+7 701 123 45 67", [(0, 16, 0.85, "KZ")]),
    # KZ and RU share +7: either reads both regions' numbers, the region is the number's own
    ("KZ", "+7 916 123 45 67", [(0, 16, 0.85, "RU")]),
    ("RU", "8 701 123 45 67", [(0, 15, 0.85, "KZ")]),
    ("TR", "8 701 123 45 67", []),
    ("TR", "87011234567", []),
    # what pdaudit does better stays, whatever regions are listed
    ("TR,US,CN,KZ", "ИИН 900101300126", []),
    ("TR,US,CN,KZ", "900101300126", []),
    ("TR,US,CN,KZ", "KZ86125KZT5004100100", []),
    ("TR,US,CN,KZ", "Счёт KZ86 125K ZT50 0410 0100", []),
    ("TR,US", "DE89 3704 0044 0532 0130 00", []),
    ("TR", "87.255.194.16", []),
    ("TR", "order=2121234567", []),
    ("TR", "+90 532 *** 45 67", []),
    ("TR", "53212345678", []),  # not a valid Turkish number
    ("TR", "532123456", []),
    ("KZ,US", "7011234567", [(0, 10, 0.5, "KZ")]),  # no valid US number: the KZ reading
]


@pytest.mark.parametrize(("regions", "text", "expected"), PHONES_BY_REGION)
def test_phones_by_region(regions: str | None, text: str, expected: list[tuple]) -> None:
    assert phones(regions, text) == expected


def test_two_regions_find_both_numbers_and_keep_the_first_reading() -> None:
    text = "Birinci: +905321234567, Ikinci: 05359876543, звоните 8 701 123 45 67"
    assert phones("KZ,TR", text) == [
        (9, 22, 0.85, "TR"),
        (32, 43, 0.75, "TR"),
        (53, 68, 0.85, "KZ"),
    ]


def test_phone_regions_are_checked() -> None:
    assert phone_regions(None) == DEFAULT_REGIONS == ("KZ", "RU")
    assert phone_regions(" us, UK ,kz,US") == ("US", "GB", "KZ")
    assert phone_regions(["tr"]) == ("TR",)
    with pytest.raises(PhoneRegionError, match="unknown phone region 'XX'"):
        phone_regions("KZ,XX")
    with pytest.raises(PhoneRegionError, match="no phone region given"):
        phone_regions(" , ")


def test_the_default_recognizer_is_the_kz_ru_one() -> None:
    default, listed = PhoneRecognizer(), PhoneRecognizer("RU,KZ")
    assert (default.region, default._more) == (listed.region, listed._more) == ("KZ", ())
    assert PhoneRecognizer("US,CA,TR")._more == ("TR",)  # US and CA share +1


TEXTS = [
    "0532 123 45 67",
    "Birinci: +905321234567, Ikinci: 05359876543",
    "My US number is (415) 555-0132, and my international one is +1 415 555 0132",
    "звоните 8 701 123 45 67 или 0 (532) 1234567",
    "1 2 3 4 5 6 7",
    "2024-03-05 12:34:56",
    "Заказ 2121234567",
    "1234567",
    "тел 12-34-56-7",
    "4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881",
    "4012-8888-8888-1881 4012 8888 8888 1881",
    "AL47-2121-1009-0000-0002-3569-8741",
    "fe80::1%eth0/64 и 192.168.1.0/24",
]


@pytest.mark.parametrize("regions", [None, "TR", "US,TR,JP,KZ"])
def test_prefilters_change_nothing_with_other_regions(regions: str | None) -> None:
    fast = Analyzer(phone_regions=regions).analyze_batch(TEXTS)
    slow = Analyzer(phone_regions=regions, prefilter=False).analyze_batch(TEXTS)
    assert fast == slow
    recognizer = PhoneRecognizer(regions)
    for text, selected in zip(TEXTS, search_selects(recognizer, TEXTS), strict=True):
        assert selected or not recognizer.analyze(text, None)


# --- cards and IBANs -------------------------------------------------------------------------

CARD = CreditCardRecognizer()
C = "CREDIT_CARD"
CARDS = [
    (
        "4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881",
        [(C, 0, 16, 1.0), (C, 17, 36, 1.0), (C, 37, 56, 1.0)],
    ),
    ("4012-8888-8888-1881 4012 8888 8888 1881", [(C, 0, 19, 1.0), (C, 20, 39, 1.0)]),
    ("карты 4400 4301 2345 6789 5469 3800 0000 0009", [(C, 6, 25, 1.0), (C, 26, 45, 1.0)]),
    ("122000000000003", [(C, 0, 15, 1.0)]),  # UATP
    ("my credit card: 122000000000003", [(C, 16, 31, 1.0)]),
    ("180000000000002", [(C, 0, 15, 1.0)]),  # JCB's 15-digit range
    ("201400000000009", [(C, 0, 15, 1.0)]),  # Diners enRoute
    # nothing comes out of the middle of a longer number
    ("4012 8888 8888 1881 4012 8888 8888 1882", []),  # the second fails Luhn
    ("4012 8888 8888 1881 1234", []),
    ("ORD-4012-8888-8888-1881-4012-8888-8888-1881", []),
    ("1748503543012", []),  # 13 digits starting with 1: no issuer
    ("122000000000004", []),  # Luhn fails
]


@pytest.mark.parametrize(("text", "expected"), CARDS)
def test_cards(text: str, expected: list[tuple]) -> None:
    assert [(r.entity_type, r.start, r.end, r.score) for r in CARD.analyze(text, None)] == expected


def test_card_brands_of_15_digits() -> None:
    assert credit_card.get_brand("122000000000003") == "uatp"
    assert credit_card.get_brand("180000000000002") == "jcb"
    assert credit_card.get_brand("201400000000009") == "enroute"
    assert credit_card.get_brand("1220000000000030") is None  # UATP has 15 digits


def test_the_scanner_lets_cards_in_a_row_through_its_prefilter() -> None:
    text = "4012-8888-8888-1881 4012 8888 8888 1881"  # runs of 4 and 32 digits
    assert [(e.start, e.end) for e in Analyzer([CARD]).analyze(text)] == [(0, 19), (20, 39)]
    assert search_selects(CARD, [text]) == [True]
    cards = " ".join(["4012 8888 8888 1881"] * 12)  # 192 digits: some other long number
    assert Analyzer([CARD], prefilter=False).analyze(cards) == []


IBAN = IbanRecognizer()
I = "IBAN_CODE"  # noqa: E741
IBANS = [
    ("BE68539007547034", [(I, 0, 16, 1.0)]),  # bank 539 is missing from stdnum's list
    ("Dash as iban separator: AL47-2121-1009-0000-0002-3569-8741", [(I, 24, 58, 1.0)]),
    ("KZ86-125K-ZT50-0410-0100", [(I, 0, 24, 1.0)]),
    ("KZ86125KZT5004100100-2024", [(I, 0, 20, 1.0)]),
    ("AL47-2121-1009-0000-0002-3569-8742", []),  # check digits fail
    ("BE68539007547035", []),  # the Belgian check digits fail
]


@pytest.mark.parametrize(("text", "expected"), IBANS)
def test_ibans(text: str, expected: list[tuple]) -> None:
    assert [(r.entity_type, r.start, r.end, r.score) for r in IBAN.analyze(text, None)] == expected


def test_iban_validate_keeps_national_checks() -> None:
    assert iban.validate("BE68 5390 0754 7034") == "BE68539007547034"
    assert not iban.is_valid("BE68539007547035")


# --- the region list through the CLI, the policy and the job file ----------------------------


def test_detect_phone_regions_option() -> None:
    text = "звоните 0532 123 45 67 или 8 701 123 45 67\n"
    runner = CliRunner()
    default = runner.invoke(main, ["detect"], input=text)
    listed = runner.invoke(main, ["detect", "--phone-regions", "TR,KZ"], input=text)
    assert default.exit_code == listed.exit_code == 0
    assert json.loads(default.stdout)["entities"] == [
        {"type": P, "start": 27, "end": 42, "score": 0.85}
    ]
    assert json.loads(listed.stdout)["entities"] == [
        {"type": P, "start": 8, "end": 22, "score": 0.85},
        {"type": P, "start": 27, "end": 42, "score": 0.85},
    ]


def test_a_bad_phone_region_exits_2_naming_it() -> None:
    result = CliRunner().invoke(main, ["detect", "--phone-regions", "KZ,XX"], input="x\n")
    assert result.exit_code == 2
    assert "unknown phone region 'XX'" in result.output
    assert "Traceback" not in result.output


def _phone_db(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, tel TEXT)")
        db.executemany(
            "INSERT INTO contacts (tel) VALUES (?)",
            [(f"0532 123 45 {n:02d}",) for n in range(10, 40)],
        )
    db.close()
    return path


def _tel_types(report: dict) -> dict[str, int]:
    [field] = [f for f in report["fields"] if f["field"] == "tel"]
    return {e["type"]: e["matches"] for e in field["entities"]}


def test_scan_option_and_policy_key(tmp_path: Path) -> None:
    db = _phone_db(tmp_path)
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(
        DEFAULT_POLICY.read_text("utf-8") + "\nphone_regions: [KZ, RU, TR]\n", "utf-8"
    )
    policy = load_policy(policy_file)
    assert policy.phone_regions == ("KZ", "RU", "TR")
    assert load_policy(None).phone_regions is None
    assert _tel_types(scan([str(db)], load_policy(None))) == {}
    assert _tel_types(scan([str(db)], policy)) == {P: 30}
    options = ScanOptions(phone_regions=["KZ"])  # the command line's list wins
    assert _tel_types(scan([str(db)], policy, options)) == {}
    out = tmp_path / "r.json"
    result = CliRunner().invoke(
        main, ["scan", str(db), "--phone-regions", "tr", "--format", "json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert _tel_types(json.loads(out.read_text("utf-8"))) == {P: 30}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("phone_regions: [KZ, XX]", "phone_regions: unknown phone region 'XX'"),
        ("phone_regions: {a: 1}", "phone_regions must be a list"),
    ],
)
def test_bad_policy_phone_regions(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(DEFAULT_POLICY.read_text("utf-8") + f"\n{line}\n", "utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


def test_job_phone_regions(tmp_path: Path) -> None:
    job_file = tmp_path / "audit.yaml"
    job_file.write_text("sources: [a.db]\noutput: out\nphone_regions: [kz, tr]\n", "utf-8")
    job = load_job(job_file, env={})
    assert job.phone_regions == ["KZ", "TR"]
    assert job.scan_options().phone_regions == ["KZ", "TR"]
    job_file.write_text("sources: [a.db]\noutput: out\n", "utf-8")
    assert load_job(job_file, env={}).scan_options().phone_regions is None
    job_file.write_text("sources: [a.db]\noutput: out\nphone_regions: [KZ, XX]\n", "utf-8")
    with pytest.raises(JobError) as err:
        load_job(job_file, env={})
    assert str(err.value) == (
        f"{job_file}:3: phone_regions: unknown phone region 'XX': "
        "use ISO 3166 codes such as KZ, RU, US"
    )
