"""Labels and their values on cards and certificates, read from Tesseract's word boxes."""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.sources.documents import DEFAULT_STEPS, Word, extract
from pdaudit.scanner.sources.layout import is_label, pair_labels, reflow
from pdaudit.scanner.sources.page_findings import org_contacts, refine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "eval"))
from ocr import scans  # noqa: E402


def _doc(name: str) -> scans.Doc:
    return next(d for d in scans.documents() if d.name == name)


def _png(doc: scans.Doc) -> bytes:
    buf = io.BytesIO()
    scans.render(doc).save(buf, "PNG")
    return buf.getvalue()


def test_bilingual_labels():
    assert [is_label(t) for t in ("ЖСН / ИИН", "Тегі / Фамилия / Surname", "ТЕГ! / ФАМИЛИЯ")] == [
        True,
        True,
        True,
    ]
    assert [is_label(t) for t in ("ФИО: Иванов", "г. Караганда", "12.04.2015")] == [
        False,
        False,
        False,
    ]


def test_value_beside_wins_over_value_below_and_labels_are_never_values():
    words = [
        Word("Аты", 100, 100, 60, 20), Word("/", 170, 100, 8, 20), Word("Имя", 190, 100, 60, 20),
        Word("Алихан", 600, 102, 120, 22),
        Word("Туған", 100, 140, 90, 20), Word("күні", 200, 140, 70, 20),
    ]  # fmt: skip
    assert [(a.text, b.text) for a, b in pair_labels(words)] == [("Аты / Имя", "Алихан")]
    # A label with only another label under it has no value.
    assert pair_labels(words[:3] + words[4:]) == []


def test_reflow_moves_a_column_of_values_after_their_labels():
    words = [
        Word("Тегі", 100, 100, 80, 20), Word("Аты", 100, 150, 60, 20),
        Word("Ермеков", 600, 100, 150, 22), Word("Алихан", 600, 150, 130, 22),
    ]  # fmt: skip
    text = "Тегі\n\nАты\n\nЕрмеков\nАлихан"
    assert reflow(text, words) == "Тегі: Ермеков\n\nАты: Алихан\n\n\n"
    # A word the text no longer holds (re-read since) leaves its pair alone.
    assert reflow(text.replace("Алихан", "Алнхан"), words) == "Тегі: Ермеков\n\nАты\n\n\nАлнхан"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "id_card_front",
            [
                ("PERSON", "САПАРОВА", ("label: фамилия",)),
                ("PERSON", "ЖАНАР", ("label: аты / имя",)),
                ("PERSON", "БОЛАТОВНА", ("label: әкесінің аты / отчество",)),
                ("DATE_OF_BIRTH", "07.09.1993", ("context: дата рождения",)),
                ("KZ_IIN", "930907450126", ("checksum", "context: жсн")),
                ("KZ_ID_DOCUMENT", "051237846", ("context: номер документа",)),
            ],
        ),
        (
            "birth_certificate",
            [
                ("PERSON", "Ермеков", ("label: фамилия",)),
                ("PERSON", "Алихан", ("label: аты / имя",)),
                ("PERSON", "Русланович", ("label: әкесінің аты / отчество",)),
                # "Туған" (born) taken for a name by the PERSON recognizer's NER, on both
                # Kazakh labels that start with it: the recognizer's, not the layout's doing.
                ("PERSON", "Туған", ("ner", "single word")),
                ("DATE_OF_BIRTH", "12.04.2015", ("context: дата рождения",)),
                ("KZ_IIN", "150412577883", ("checksum", "context: жсн")),
                ("PERSON", "Туған", ("ner", "single word")),
            ],
        ),
    ],
)
def test_card_and_certificate_read_by_tesseract(name, expected):
    data = _png(_doc(name))
    text = extract(data, f"{name}.png").pages[0].text
    found = [(e.type, text[e.start : e.end], e.evidence) for e in Analyzer().analyze(text)]
    assert found == expected
    if name == "id_card_front":
        # Without the layout the birth date is missed: it stands under its label. (The
        # certificate's columns are read row by row, each value on its label's line.)
        steps = replace(DEFAULT_STEPS, layout=False)
        plain = extract(data, f"{name}.png", steps=steps).pages[0].text
        assert "DATE_OF_BIRTH" not in {e.type for e in Analyzer().analyze(plain)}


# --- printed labels and organisations' contacts in a scan's report ---------------------------

# Synthetic: the school, its address, landline and mailbox and the teacher are made up.
TIMETABLE = [
    "КГУ «Школа-гимназия № 12» г. Астаны",
    "Адрес: г. Астана, ул. Кенесары, д. 40",
    "Телефон: 8 (7172) 55-66-77, e-mail: school12@edu.kz",
    "РАСПИСАНИЕ УРОКОВ 5 «А» КЛАССА",
    "Понедельник: математика, русский язык, история",
    "Вторник: физика, казахский язык, литература",
    "Классный руководитель: Ахметова Айгуль Сериковна, тел. +7 701 555 12 34",
]


def _timetable_png() -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(scans.FONT, 40)
    img = Image.new("L", (2000, 100 + len(TIMETABLE) * 90), 255)
    pen = ImageDraw.Draw(img)
    for i, line in enumerate(TIMETABLE):
        pen.text((60, 50 + i * 90), line, fill=0, font=font)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_org_contacts_on_a_timetable_page_and_the_teachers_own_phone():
    text = extract(_timetable_png(), "timetable.png").pages[0].text
    found = refine([text], [Analyzer().analyze(text)])[0]
    assert [(e.type, text[e.start : e.end], e.evidence) for e in found] == [
        ("ORG_CONTACT", "г. Астана, ул. Кенесары, д. 40", ("organisation: КГУ", "found as: ADDRESS")),
        ("ORG_CONTACT", "8 (7172) 55-66-77", ("organisation: КГУ", "found as: PHONE_NUMBER")),
        # OCR reads the mailbox's "12" as "l2": still a role mailbox.
        ("ORG_CONTACT", "schooll2@edu.kz", ("role mailbox", "found as: EMAIL_ADDRESS")),
        ("PERSON", "Ахметова Айгуль Сериковна", ("ner", "surname", "lexicon: first name", "patronymic")),
        ("PHONE_NUMBER", "+7 701 555 12 34", ("numbering plan", "context: тел.")),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A role mailbox is an organisation's wherever it stands.
        ("Вопросы: info@mektep.kz", {0: "role mailbox"}),
        # The owner named last above the contact decides: here the person.
        ("ТОО «Пример»\nПолучатель: Ким Ольга\nТел.: 8 727 355 12 34", {}),
        # Words that make a contact a person's, even under an organisation's name.
        ("Школа № 5\nДомашний адрес: г. Алматы, ул. Абая, д. 15", {}),
        # Too far under the organisation's name (more than ORG_LINES lines).
        ("Лицей № 7\nа\nб\nв\nг\nТел.: 8 727 355 12 34", {}),
        # A legal form counts only in capitals.
        ("ао\nТел.: 8 727 355 12 34", {}),
        ("АО «Банк»\nТел.: 8 727 355 12 34", {0: "organisation: АО"}),
        # Under an employer's name a mobile number or a named mailbox is the employee's...
        ("Место работы: ТОО «Пример»\nТелефон: +7 701 555 12 34", {}),
        ("Место работы: ТОО «Пример»\nE-mail: a.sarsenova@mail.kz", {}),
        # ...on the organisation's own line it is the organisation's.
        ("ТОО «Пример», тел. +7 701 555 12 34", {0: "organisation: ТОО"}),
    ],
)
def test_org_contacts_rules(text, expected):
    found = Analyzer().analyze(text)
    contacts = [e for e in found if e.type in ("ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS")]
    # Indexes into the findings; the tests keep one contact a text, first.
    assert org_contacts(text, contacts + [e for e in found if e not in contacts]) == expected


def test_scan_report_shows_printed_labels_and_org_contacts(tmp_path):
    """Through ``scan``: the evidence of a card's values is their printed label (JSON and the
    HTML report in both languages); a timetable's school contacts are ORG_CONTACT, not personal."""
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.reports.html import render_html
    from pdaudit.scanner.scan import ScanOptions, scan

    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "card.png").write_bytes(_png(_doc("id_card_front")))
    (folder / "timetable.png").write_bytes(_timetable_png())
    report = scan([str(folder)], load_policy(), ScanOptions())
    fields = {f["container"]: f for f in report["fields"]}
    card = {e["type"]: e["evidence"] for e in fields["card.png"]["entities"]}
    assert card == {
        # One finding of a type counts a page (the best: the surname, first on the card).
        "PERSON": ["label: ТЕГІ / ФАМИЛИЯ"],
        "DATE_OF_BIRTH": ["label: ТУҒАН КҮНІ / ДАТА РОЖДЕНИЯ"],
        "KZ_IIN": ["checksum", "label: ЖСН / ИИН"],
        "KZ_ID_DOCUMENT": ["label: ҚҰЖАТ НӨМІРІ / НОМЕР ДОКУМЕНТА"],
    }
    timetable = fields["timetable.png"]
    assert [(e["type"], e["matches"], e["personal"]) for e in timetable["entities"]] == [
        ("ORG_CONTACT", 1, False),
        ("PERSON", 1, True),
        ("PHONE_NUMBER", 1, True),
    ]
    # A page counts one finding of a type: of the three contacts, the best scored (the mailbox).
    assert timetable["entities"][0]["evidence"] == ["role mailbox", "found as: EMAIL_ADDRESS"]
    assert timetable["entities"][2]["examples"] == ["+7 7** *** ** 34"]
    ru, en = render_html(report, "ru"), render_html(report, "en")
    assert "подпись в документе: ТУҒАН КҮНІ / ДАТА РОЖДЕНИЯ" in ru
    assert "form label: ТУҒАН КҮНІ / ДАТА РОЖДЕНИЯ" in en
    # The HTML report shows personal types only: the school's contacts are not listed there.
    assert "found as: EMAIL_ADDRESS" not in en


def test_sample_birth_certificate_and_every_sample_scan(tmp_path):
    """The sample scans as a user scans them: each file's types are those of
    ``sample_data/scans/expected.json``, and the birth certificate's values (in a column of
    their own, right of their labels) are found by their printed labels."""
    import json
    import shutil
    from pathlib import Path

    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.scan import ScanOptions, scan

    scans = Path(__file__).resolve().parent.parent / "sample_data" / "scans"
    expected = json.loads((scans / "expected.json").read_text("utf-8"))
    for name in expected:
        shutil.copy(scans / name, tmp_path / name)
    report = scan([str(tmp_path)], load_policy(), ScanOptions())
    assert {
        f["container"]: sorted({e["type"] for e in f["entities"]}) for f in report["fields"]
    } == (expected)
    [certificate] = [f for f in report["fields"] if f["container"] == "birth_certificate.png"]
    assert certificate["status"] == "beyond_policy"
    assert [
        (e["type"], e["matches"], e["examples"], e["evidence"]) for e in certificate["entities"]
    ] == [
        ("DATE_OF_BIRTH", 1, ["12.**.**15"], ["label: Туған күні / Дата рождения"]),
        ("KZ_IIN", 1, ["15********83"], ["checksum", "label: ЖСН / ИИН"]),
        ("PERSON", 1, ["Е******"], ["label: Тегі / Фамилия"]),
    ]
