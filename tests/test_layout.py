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
