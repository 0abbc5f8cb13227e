"""The MRZ reader: ICAO 9303 check digits, proven repairs, and zones read off real Tesseract."""

from __future__ import annotations

import datetime
import io

import pytest
from PIL import Image, ImageDraw, ImageFont

from pdaudit.recognizers import mrz
from pdaudit.recognizers.mrz import MrzChecksumError, MrzRecognizer, make_td1, make_td3, validate
from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.sources.documents import extract

MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

# Synthetic people; the IINs carry valid check digits (880419302718, 870623300007).
CARD = make_td1("012345678", "880419", "M", "310101", "Zhumabekov", "Daniyar", "880419302718")
PASSPORT = make_td3("N07345612", "870623", "M", "320115", "Bekov", "Timur", "870623300007")
ICAO = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]


def _set(line: str, column: int, char: str) -> str:
    return line[:column] + char + line[column + 1 :]


def _bump(char: str) -> str:
    return str((int(char) + 1) % 10)


def test_generated_zones_are_what_icao_prints():
    assert CARD == [
        "IDKAZ0123456784880419302718<<<",
        "8804190M3101012KAZ<<<<<<<<<<<5",
        "ZHUMABEKOV<<DANIYAR<<<<<<<<<<<",
    ]
    assert (
        make_td3("L898902C3", "740812", "F", "120415", "Eriksson", "Anna Maria", "ZE184226B", "UTO")
        == ICAO
    )


def test_td1_fields():
    card = validate(CARD)
    assert (card.format, card.document_code, card.country, card.number) == (
        "TD1",
        "ID",
        "KAZ",
        "012345678",
    )
    assert card.birth_date == datetime.date(1988, 4, 19)
    assert (card.sex, card.expiry, card.nationality) == ("M", "310101", "KAZ")
    assert (card.iin, card.surname, card.given_names, card.name) == (
        "880419302718",
        "ZHUMABEKOV",
        "DANIYAR",
        "DANIYAR ZHUMABEKOV",
    )


def test_td3_fields():
    passport = validate(PASSPORT)
    assert (passport.format, passport.number, passport.iin) == ("TD3", "N07345612", "870623300007")
    assert passport.birth_date == datetime.date(1987, 6, 23)
    assert validate(ICAO).birth_date == datetime.date(1974, 8, 12)
    assert validate(ICAO).iin is None  # not a Kazakh document


# Every check digit of both formats, each made wrong by one: (line, column, the field named).
TD1_CHECKS = [(0, 14, "document number"), (1, 6, "birth date"), (1, 14, "expiry date"),
              (1, 29, "composite")]  # fmt: skip
TD3_CHECKS = [(1, 9, "document number"), (1, 19, "birth date"), (1, 27, "expiry date"),
              (1, 42, "personal number"), (1, 43, "composite")]  # fmt: skip


@pytest.mark.parametrize(("line", "column", "field"), TD1_CHECKS)
def test_each_td1_check_digit_that_fails(line, column, field):
    zone = list(CARD)
    zone[line] = _set(zone[line], column, _bump(zone[line][column]))
    with pytest.raises(MrzChecksumError, match=f"^the {field}'s check digit does not match$"):
        validate(zone)
    assert not mrz.is_valid(zone)


@pytest.mark.parametrize(("line", "column", "field"), TD3_CHECKS)
def test_each_td3_check_digit_that_fails(line, column, field):
    zone = list(PASSPORT)
    zone[line] = _set(zone[line], column, _bump(zone[line][column]))
    with pytest.raises(MrzChecksumError, match=f"^the {field}'s check digit does not match$"):
        validate(zone)


def test_a_changed_field_fails_its_check_digit():
    zone = list(CARD)
    zone[1] = _set(zone[1], 3, "5")  # birth date 880519 under the check digit of 880419
    with pytest.raises(MrzChecksumError, match="birth date"):
        validate(zone)


def test_look_alikes_repaired_where_a_check_digit_proves_it():
    zone = list(CARD)
    zone[0] = "IDKAZ O12345678 4880419302718<<<"  # O for 0 in the number, a space
    zone[1] = "88O4I9OM3IO1O12KAZ<<<<<<<<5"  # O and I in the dates, fillers lost
    card = validate(zone)
    assert (card.number, card.birth_date, card.expiry) == (
        "012345678",
        datetime.date(1988, 4, 19),
        "310101",
    )
    # ICAO's own number with its 0 read as O: one swap makes the check digit fit.
    assert validate([ICAO[0], "L8989O2C36" + ICAO[1][10:]]).number == "L898902C3"


def test_a_repair_the_check_digit_does_not_prove_is_refused():
    # B for 8 in a Kazakh card number: digits only, and 0123456B4 -> 012345684 fails the check.
    zone = [_set(CARD[0], 12, "B").replace("78", "B8")[:30], CARD[1], CARD[2]]
    assert not mrz.is_valid(zone)


def test_recognizer_reports_each_field_with_its_span():
    text = "Артқы беті\n" + "\n".join(CARD) + "\n"
    results = MrzRecognizer().analyze(text)
    got = [(r.entity_type, text[r.start : r.end], r.score) for r in results]
    assert got == [
        ("KZ_ID_DOCUMENT", "012345678", 1.0),
        ("KZ_IIN", "880419302718", 1.0),
        ("DATE_OF_BIRTH", "880419", 1.0),
        ("PERSON", "ZHUMABEKOV<<DANIYAR", 1.0),
    ]
    assert {tuple(r.recognition_metadata["pdaudit_evidence"]) for r in results} == {("MRZ",)}
    assert MrzRecognizer().analyze(text.replace("784880", "785880")) == []


def _render(lines: list[str], header: str, width: int) -> bytes:
    img = Image.new("L", (width, 140 + 70 * len(lines) + 300), 255)
    draw = ImageDraw.Draw(img)
    draw.text((40, 40), header, font=ImageFont.truetype(SANS, 34), fill=0)
    mono = ImageFont.truetype(MONO, 44)
    for i, line in enumerate(lines):
        draw.text((40, 300 + 70 * i), line, font=mono, fill=0)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("zone", "width", "expected"),
    [
        (
            CARD,
            950,
            [
                ("KZ_ID_DOCUMENT", "012345678"),
                ("KZ_IIN", "880419302718"),
                ("DATE_OF_BIRTH", "880419"),
                ("PERSON", "ZHUMABEKOV<<DANIYAR"),
            ],
        ),
        (
            PASSPORT,
            1350,
            [
                ("PERSON", "BEKOV<<TIMUR"),
                # Tesseract 5.3 reads "N0" as "NO0": the line is one too long, and the check
                # digits prove which character to leave out; the span is what was read.
                ("KZ_ID_DOCUMENT", "NO07345612"),
                ("DATE_OF_BIRTH", "870623"),
                ("KZ_IIN", "870623300007"),
            ],
        ),
    ],
    ids=["id_card_back", "passport"],
)
def test_zone_read_by_tesseract(zone, width, expected):
    doc = extract(_render(zone, "ЖЕКЕ КУӘЛІК / УДОСТОВЕРЕНИЕ ЛИЧНОСТИ", width), "back.png")
    text = doc.pages[0].text
    found = [e for e in Analyzer().analyze(text) if "MRZ" in e.evidence]
    assert [(e.type, text[e.start : e.end]) for e in found] == expected


def test_sample_scans_with_a_zone(tmp_path):
    """The sample card back and passport page, scanned as a user would: the zone's fields."""
    from pathlib import Path

    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.scan import ScanOptions, scan

    scans = Path(__file__).resolve().parent.parent / "sample_data" / "scans"
    for name in ("id_card_back.png", "passport.png"):
        (tmp_path / name).write_bytes((scans / name).read_bytes())
    report = scan([str(tmp_path)], load_policy(), ScanOptions())
    got = {
        f["container"]: [
            (e["type"], e["matches"], e["examples"], e["evidence"]) for e in f["entities"]
        ]
        for f in report["fields"]
    }
    assert got == {
        "id_card_back.png": [
            ("DATE_OF_BIRTH", 1, ["9****8"], ["MRZ"]),
            ("KZ_ID_DOCUMENT", 1, ["03*****79"], ["MRZ"]),
            ("KZ_IIN", 1, ["95********79"], ["MRZ"]),
            ("PERSON", 1, ["S*******<<D***"], ["MRZ"]),
        ],
        "passport.png": [
            ("DATE_OF_BIRTH", 1, ["8****1"], ["MRZ"]),
            ("KZ_ID_DOCUMENT", 1, ["N1*****27"], ["MRZ"]),
            ("KZ_IIN", 1, ["83********23"], ["MRZ"]),
            ("PERSON", 1, ["K******<<B****"], ["MRZ"]),
        ],
    }


def test_zone_in_a_plain_text_file_is_one_value(tmp_path):
    """A text file is read line by line; the lines of a zone stay together (one value)."""
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.scan import ScanOptions, scan

    zone = make_td1("043218765", "910314", "F", "310520", "Akhmetova", "Aigerim", "910314412344")
    (tmp_path / "upload.txt").write_text(
        "\n".join(["Копия удостоверения, оборот:", *zone, "", "Проверено."]) + "\n", "utf-8"
    )
    report = scan([str(tmp_path)], load_policy(), ScanOptions())
    [field] = report["fields"]
    assert field["values_scanned"] == 3
    assert [(e["type"], e["matches"], e["examples"], e["evidence"]) for e in field["entities"]] == [
        ("DATE_OF_BIRTH", 1, ["9****4"], ["MRZ"]),
        ("KZ_ID_DOCUMENT", 1, ["04*****65"], ["MRZ"]),
        ("KZ_IIN", 1, ["91********44"], ["MRZ"]),
        ("PERSON", 1, ["A********<<A******"], ["MRZ"]),
    ]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("bad cell 'IVANOVA<<ANNA<<<<'", "bad cell 'I******<<A***<<<<'"),
        ("near IVANOVA<<ANNA<<<<", "near I******<<A***<<<<"),
        ("line P<KAZBEKOV<<TIMUR<<<<<<", "line P<K*******<<T****<<<<<<"),
        ("ALTER TABLE x; a << b", "ALTER TABLE x; a << b"),
    ],
)
def test_redact_masks_a_zone_name_line(text, masked):
    from pdaudit.scanner.masking import redact

    assert redact(text) == masked
