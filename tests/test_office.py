"""Office documents, RTF, UTF-16/cp1251 text, and the files pdaudit does not read (#17).

Every file is generated here with the library that reads it (RTF by hand), scanned by the real
scan with the real recognizers, and checked for its exact statuses and findings. A file that is
not read must come out ``not_scanned`` with its reason, never ``no_personal_data``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import docx
import openpyxl
import pptx
import pytest
from click.testing import CliRunner
from fpdf import FPDF
from odf import draw as odf_draw
from odf import style as odf_style
from odf import table as odf_table
from odf import text as odf_text
from odf.opendocument import (
    OpenDocumentPresentation,
    OpenDocumentSpreadsheet,
    OpenDocumentText,
)
from PIL import Image, ImageDraw, ImageFont

from pdaudit.scanner.analysis import Analyzer
from pdaudit.scanner.cli import main
from pdaudit.scanner.history import apply_baseline, exit_code
from pdaudit.scanner.jobs import load_job
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.reports import render
from pdaudit.scanner.scan import ScanOptions, scan

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
# Synthetic people: the IINs have valid check digits, nobody holds them.
PERSON_LINE = "Клиент: Иванов Сергей Петрович"
IIN_LINE = "ИИН 851105356789, телефон +7 701 234 56 78"
TABLE = [
    ["ФИО", "ИИН", "Телефон"],
    ["Иванов Сергей Петрович", 851105356789, "+7 701 234 56 78"],
    ["Ким Ольга Викторовна", 910314412344, "+7 702 345 67 89"],
]
#: What the two lines hold: the IIN is beyond the policy (2.4), the name and the phone within.
TEXT_FINDINGS = [("KZ_IIN", 1), ("PERSON", 1), ("PHONE_NUMBER", 1)]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(min_score=ScanOptions().min_score)


def run(path: Path, analyzer: Analyzer) -> dict:
    return scan([str(path)], load_policy(), ScanOptions(), analyzer)


def verdicts(report: dict) -> list[tuple]:
    """``(container, field, status, values, [(type, matches)], reason)`` per field, sorted."""
    return sorted(
        (
            f["container"],
            f["field"],
            f["status"],
            f["values_scanned"],
            [(e["type"], e["matches"]) for e in sorted(f["entities"], key=lambda e: e["type"])],
            f.get("skipped"),
        )
        for f in report["fields"]
    )


# --- writers: each format by its own library ---------------------------------------------------


def write_docx(path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "ООО «Мирум», отдел кадров"
    document.add_paragraph(PERSON_LINE)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Реквизиты"
    table.rows[0].cells[1].text = IIN_LINE
    document.save(path)


def write_xlsx(path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Клиенты"
    for row in TABLE:
        sheet.append(row)  # the IINs as numbers, as Excel keeps them
    workbook.save(path)


def write_pptx(path: Path) -> None:
    presentation = pptx.Presentation()
    for line in (PERSON_LINE, IIN_LINE):
        slide = presentation.slides.add_slide(presentation.slide_layouts[5])
        slide.shapes.title.text = line
    presentation.save(path)


def write_odt(path: Path) -> None:
    document = OpenDocumentText()
    for line in (PERSON_LINE, IIN_LINE):
        document.text.addElement(odf_text.P(text=line))
    document.save(str(path))


def write_ods(path: Path) -> None:
    document = OpenDocumentSpreadsheet()
    sheet = odf_table.Table(name="Лист1")
    for row in TABLE:
        tr = odf_table.TableRow()
        for value in row:
            if isinstance(value, int):
                cell = odf_table.TableCell(valuetype="float", value=str(value))
            else:
                cell = odf_table.TableCell(valuetype="string")
            cell.addElement(odf_text.P(text=str(value)))
            tr.addElement(cell)
        sheet.addElement(tr)
    document.spreadsheet.addElement(sheet)
    document.save(str(path))


def write_odp(path: Path) -> None:
    document = OpenDocumentPresentation()
    layout = odf_style.PageLayout(name="layout")
    document.automaticstyles.addElement(layout)
    master = odf_style.MasterPage(name="master", pagelayoutname=layout)
    document.masterstyles.addElement(master)
    for line in (PERSON_LINE, IIN_LINE):
        page = odf_draw.Page(masterpagename=master)
        frame = odf_draw.Frame(width="20cm", height="3cm", x="1cm", y="1cm")
        box = odf_draw.TextBox()
        box.addElement(odf_text.P(text=line))
        frame.addElement(box)
        page.addElement(frame)
        document.presentation.addElement(page)
    document.save(str(path))


def rtf_escape(text: str) -> str:
    """Cyrillic as cp1251 ``\\'xx`` escapes, as Word writes it."""
    return "".join(
        ch if ord(ch) < 128 else "".join(f"\\'{b:02x}" for b in ch.encode("cp1251")) for ch in text
    )


def write_rtf(path: Path) -> None:
    body = "\\par\n".join(rtf_escape(line) for line in (PERSON_LINE, IIN_LINE))
    path.write_bytes(
        (
            "{\\rtf1\\ansi\\ansicpg1251\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}\n"
            f"\\f0\\fs24 {body}\\par\n}}"
        ).encode("ascii")
    )


def write_csv(encoding: str, delimiter: str) -> object:
    def write(path: Path) -> None:
        lines = [delimiter.join(str(v) for v in row) for row in TABLE]
        path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")

    return write


def write_txt(encoding: str) -> object:
    def write(path: Path) -> None:
        path.write_bytes(f"{PERSON_LINE}\n{IIN_LINE}\n".encode(encoding))

    return write


def table_verdicts(name: str, prefix: str) -> list[tuple]:
    return [
        (name, f"{prefix}ИИН", "beyond_policy", 2, [("KZ_IIN", 2)], None),
        (name, f"{prefix}Телефон", "within_policy", 2, [("PHONE_NUMBER", 2)], None),
        (name, f"{prefix}ФИО", "within_policy", 2, [("PERSON", 2)], None),
    ]


def text_verdicts(name: str, values: int = 2) -> list[tuple]:
    return [(name, "content", "beyond_policy", values, TEXT_FINDINGS, None)]


READ = [
    # The DOCX header's company name is a third value, without personal data.
    ("form.docx", write_docx, text_verdicts("form.docx", 3)),
    ("clients.xlsx", write_xlsx, table_verdicts("clients.xlsx", "Клиенты!")),
    ("slides.pptx", write_pptx, text_verdicts("slides.pptx")),
    ("letter.odt", write_odt, text_verdicts("letter.odt")),
    ("clients.ods", write_ods, table_verdicts("clients.ods", "Лист1!")),
    ("slides.odp", write_odp, text_verdicts("slides.odp")),
    ("letter.rtf", write_rtf, text_verdicts("letter.rtf")),
    # Excel's "Unicode text": UTF-16 little-endian with a byte order mark, tab-separated.
    ("unicode.csv", write_csv("utf-16", "\t"), table_verdicts("unicode.csv", "")),
    ("utf16be.csv", write_csv("utf-16-be", ";"), None),
    ("cp1251.csv", write_csv("cp1251", ";"), table_verdicts("cp1251.csv", "")),
    ("utf8.csv", write_csv("utf-8", ","), table_verdicts("utf8.csv", "")),
    ("bom.csv", write_csv("utf-8-sig", ","), table_verdicts("bom.csv", "")),
    ("unicode.txt", write_txt("utf-16"), text_verdicts("unicode.txt")),
    ("cp1251.txt", write_txt("cp1251"), text_verdicts("cp1251.txt")),
    ("utf8.txt", write_txt("utf-8"), text_verdicts("utf8.txt")),
]


@pytest.mark.parametrize(("name", "write", "expected"), READ, ids=[r[0] for r in READ])
def test_each_format_is_read_with_exact_findings(tmp_path, analyzer, name, write, expected):
    write(tmp_path / name)
    report = run(tmp_path / name, analyzer)
    if expected is None:
        # UTF-16 big-endian without a BOM is not guessed: listed as not read, never clean.
        expected = [
            (
                name,
                "*",
                "not_scanned",
                0,
                [],
                "a binary format pdaudit does not read; convert it to a supported one "
                "(PDF, an image, DOCX, XLSX, CSV, text) or exclude it",
            )
        ]
    assert verdicts(report) == expected
    assert report["errors"] == []


def test_xlsx_dates_are_dates_and_timestamps_stay_timestamps(tmp_path, analyzer):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Лист1"
    sheet.append(["ФИО", "Дата рождения", "Создано"])
    sheet.append(["Иванов Сергей Петрович", dt.date(1985, 11, 5), dt.datetime(2024, 1, 2, 9, 30)])
    sheet.append(["Ким Ольга Викторовна", dt.date(1991, 3, 14), dt.datetime(2024, 1, 3, 10, 0)])
    workbook.save(tmp_path / "dob.xlsx")
    assert verdicts(run(tmp_path / "dob.xlsx", analyzer)) == [
        ("dob.xlsx", "Лист1!Дата рождения", "beyond_policy", 2, [("DATE_OF_BIRTH", 2)], None),
        ("dob.xlsx", "Лист1!Создано", "no_personal_data", 2, [], None),
        ("dob.xlsx", "Лист1!ФИО", "within_policy", 2, [("PERSON", 2)], None),
    ]


def test_pptx_findings_name_their_slides(tmp_path, analyzer):
    write_pptx(tmp_path / "slides.pptx")
    (field,) = run(tmp_path / "slides.pptx", analyzer)["fields"]
    assert {e["type"]: e["pages"] for e in field["entities"]} == {
        "PERSON": [1],
        "KZ_IIN": [2],
        "PHONE_NUMBER": [2],
    }


def test_docx_text_boxes_nested_tables_and_footers_are_read(tmp_path, analyzer):
    document = docx.Document()
    outer = document.add_table(rows=1, cols=1)
    inner = outer.rows[0].cells[0].add_table(rows=1, cols=1)
    inner.rows[0].cells[0].text = "ИИН 851105356789"
    document.sections[0].footer.paragraphs[0].text = "Ким Ольга Викторовна, +7 702 345 67 89"
    document.save(tmp_path / "nested.docx")
    assert verdicts(run(tmp_path / "nested.docx", analyzer)) == [
        (
            "nested.docx",
            "content",
            "beyond_policy",
            2,
            [("KZ_IIN", 1), ("PERSON", 1), ("PHONE_NUMBER", 1)],
            None,
        )
    ]


# --- pictures inside documents go through OCR --------------------------------------------------


def card_png() -> bytes:
    font = ImageFont.truetype(FONT, 44)
    lines = ["ФИО: Иванов Сергей Петрович", "ИИН: 851105356789"]
    img = Image.new("L", (1600, 100 + len(lines) * 88), 255)
    pen = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        pen.text((60, 50 + i * 88), line, fill=0, font=font)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def add_part(path: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(name, data)


def test_docx_picture_is_ocrd_and_a_vector_one_is_listed(tmp_path, analyzer):
    document = docx.Document()
    document.add_paragraph("Скан удостоверения:")
    document.add_picture(io.BytesIO(card_png()))
    document.save(tmp_path / "scan.docx")
    add_part(tmp_path / "scan.docx", "word/media/logo.emf", b"\x01\x00\x00\x00" + b"\x00" * 80)
    report = run(tmp_path / "scan.docx", analyzer)
    assert verdicts(report) == [
        ("scan.docx", "content", "beyond_policy", 2, [("KZ_IIN", 1), ("PERSON", 1)], None)
    ]
    (field,) = report["fields"]
    assert {e["type"]: e["examples"] for e in field["entities"]} == {
        "KZ_IIN": ["85********89"],
        "PERSON": ["И***** С***** П*******"],
    }
    # The text and the scan were read; the EMF logo was not: a partial error, not a failure.
    assert report["errors"] == [
        {
            "source": str(tmp_path / "scan.docx"),
            "container": "scan.docx",
            "field": "content",
            "message": "scan.docx/word/media/logo.emf: EMF pictures are not read",
            "partial": True,
        }
    ]
    assert exit_code(report) == 1


def test_docx_of_only_an_unreadable_picture_is_not_scanned(tmp_path, analyzer):
    docx.Document().save(tmp_path / "logo.docx")
    add_part(tmp_path / "logo.docx", "word/media/logo.wmf", b"\xd7\xcd\xc6\x9a" + b"\x00" * 80)
    report = run(tmp_path / "logo.docx", analyzer)
    assert verdicts(report) == [
        (
            "logo.docx",
            "content",
            "not_scanned",
            0,
            [],
            "logo.docx/word/media/logo.wmf: WMF pictures are not read",
        )
    ]
    assert (report["summary"]["not_scanned"], report["summary"]["no_personal_data"]) == (1, 0)


# --- files that are not read -------------------------------------------------------------------


def encrypted_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    pdf.cell(0, 8, IIN_LINE)
    pdf.set_encryption(owner_password="owner", user_password="user")
    return bytes(pdf.output())


def damaged_docx(path: Path) -> None:
    """A real DOCX whose document part breaks off in the middle of a paragraph."""
    buf = io.BytesIO()
    docx.Document().save(buf)
    cut = (
        '<?xml version="1.0"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/'
        'wordprocessingml/2006/main"><w:body><w:p>'
    )
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, cut if info.filename == "word/document.xml" else data)


def write_unreadable(folder: Path) -> None:
    with zipfile.ZipFile(folder / "export.zip", "w") as zf:
        zf.writestr("clients.csv", "ФИО,ИИН\nИванов Сергей Петрович,851105356789\n")
    # An OLE2 compound file: what Word 97-2003 writes, and every password-protected DOCX.
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    (folder / "locked.pdf").write_bytes(encrypted_pdf())
    damaged_docx(folder / "damaged.docx")
    (folder / "cut.xlsx").write_bytes(b"PK\x03\x04\x14\x00\x00\x00")
    (folder / "photo.heic").write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64)


NOT_READ = [
    ("cut.xlsx", "a damaged ZIP or Office file (File is not a zip file); re-save or re-export it"),
    (
        "damaged.docx",
        "not a readable DOCX file (Premature end of data in tag p line 2, line 2, column 97 "
        "(<string>, line 2)); re-save it or exclude it",
    ),
    ("export.zip", "a ZIP archive: archives are not opened; unpack it and scan the folder"),
    ("locked.pdf", "the PDF is encrypted with a password; scan an unprotected copy"),
    (
        "old.doc",
        "an old binary Office file (.doc, .xls, .ppt) or a password-protected Office document: "
        "neither is read; save it as DOCX, XLSX or PPTX without a password and scan that",
    ),
    (
        "photo.heic",
        "a binary format pdaudit does not read; convert it to a supported one "
        "(PDF, an image, DOCX, XLSX, CSV, text) or exclude it",
    ),
]


def test_unreadable_files_are_not_scanned_with_their_reason(tmp_path, analyzer):
    write_unreadable(tmp_path)
    report = run(tmp_path, analyzer)
    assert verdicts(report) == [(name, "*", "not_scanned", 0, [], why) for name, why in NOT_READ]
    assert report["errors"] == []
    summary = report["summary"]
    assert (summary["fields"], summary["not_scanned"], summary["no_personal_data"]) == (6, 6, 0)
    assert exit_code(report) == 2
    assert exit_code(report, allow_unreadable=True) == 0


def test_not_scanned_sorts_after_beyond_policy_before_the_rest(tmp_path, analyzer):
    (tmp_path / "export.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty ZIP
    write_csv("utf-8", ",")(tmp_path / "clients.csv")
    report = run(tmp_path, analyzer)
    assert [(f["container"], f["field"], f["status"]) for f in report["fields"]] == [
        ("clients.csv", "ИИН", "beyond_policy"),
        ("export.zip", "*", "not_scanned"),
        ("clients.csv", "Телефон", "within_policy"),
        ("clients.csv", "ФИО", "within_policy"),
    ]


def test_cli_exit_status_is_2_unless_allow_unreadable(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    (folder / "notes.txt").write_text("Без персональных данных\n", encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "r.json"
    args = ["scan", str(folder), "--format", "json", "-o", str(out), "-q"]
    assert runner.invoke(main, args).exit_code == 2
    assert runner.invoke(main, [*args, "--allow-unreadable"]).exit_code == 0
    report = json.loads(out.read_text("utf-8"))
    assert [(f["container"], f["status"]) for f in report["fields"]] == [
        ("old.doc", "not_scanned"),
        ("notes.txt", "no_personal_data"),
    ]


def test_job_key_allow_unreadable(tmp_path):
    job = tmp_path / "job.yaml"
    job.write_text("sources: [in]\noutput: out\nallow_unreadable: true\n", encoding="utf-8")
    assert load_job(job).allow_unreadable is True
    job.write_text("sources: [in]\noutput: out\n", encoding="utf-8")
    assert load_job(job).allow_unreadable is False


def test_every_format_shows_not_scanned(tmp_path, analyzer):
    write_unreadable(tmp_path)
    report = run(tmp_path, analyzer)
    text = render(report, "text", lang="en")
    assert "without personal data: 0; not scanned: 6; read errors: 0" in text
    assert "│ Not scanned │ export.zip" in text
    ru_text = " ".join(render(report, "text").split())  # the longer Russian line wraps
    assert "без персональных данных: 0; не прочитано: 6; ошибок чтения: 0" in ru_text
    ru = render(report, "html", lang="ru")
    assert 'id="not-scanned"' in ru and "Файлы, которые не удалось прочитать" in ru
    assert "не прочитано файлов или их частей: 6" in ru
    assert "Все источники прочитаны" not in ru
    en = render(report, "html", lang="en")
    assert "Files that could not be read" in en and "Why it was not read" in en
    assert "a ZIP archive: archives are not opened; unpack it and scan the folder" in en
    sarif = json.loads(render(report, "sarif"))
    run_ = sarif["runs"][0]
    assert [r["id"] for r in run_["tool"]["driver"]["rules"]] == ["not-scanned"]
    assert sorted(
        (r["ruleId"], r["level"], r["kind"], r["message"]["text"]) for r in run_["results"]
    )[2] == (
        "not-scanned",
        "warning",
        "review",
        "export.zip: not scanned: a ZIP archive: archives are not opened; unpack it and scan "
        "the folder",
    )
    assert len(run_["results"]) == 6


def test_pdf_picture_on_a_typed_page_is_ocrd(tmp_path, analyzer):
    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    pdf.cell(0, 8, "Заявление о приёме на работу. Копия удостоверения:")
    pdf.image(io.BytesIO(card_png()), x=10, y=30, w=180)
    (tmp_path / "form.pdf").write_bytes(bytes(pdf.output()))
    report = run(tmp_path / "form.pdf", analyzer)
    # The typed line has no personal data; the pasted scan holds the name and the IIN.
    assert verdicts(report) == [
        ("form.pdf", "content", "beyond_policy", 2, [("KZ_IIN", 1), ("PERSON", 1)], None)
    ]
    (field,) = report["fields"]
    assert {e["type"]: (e["examples"], e["pages"]) for e in field["entities"]} == {
        "KZ_IIN": (["85********89"], [1]),
        "PERSON": (["И***** С***** П*******"], [1]),
    }


def test_searchable_scan_is_not_ocrd_twice(tmp_path, analyzer):
    """A scan made searchable keeps its words in a text layer over the picture: read once."""
    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    pdf.image(io.BytesIO(card_png()), x=10, y=10, w=180)
    pdf.set_xy(15, 15)
    pdf.cell(0, 8, "ФИО: Иванов Сергей Петрович")
    pdf.set_xy(15, 25)
    pdf.cell(0, 8, "ИИН: 851105356789")
    (tmp_path / "searchable.pdf").write_bytes(bytes(pdf.output()))
    assert verdicts(run(tmp_path / "searchable.pdf", analyzer)) == [
        ("searchable.pdf", "content", "beyond_policy", 1, [("KZ_IIN", 1), ("PERSON", 1)], None)
    ]


def test_findings_of_a_file_now_not_read_are_not_resolved(tmp_path, analyzer):
    write_docx(tmp_path / "form.docx")
    baseline = run(tmp_path, analyzer)
    (tmp_path / "form.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    report = run(tmp_path, analyzer)
    assert apply_baseline(report, baseline) == []
    # Saved with a password the DOCX is an OLE2 file: its IIN is unknown now, not fixed.
    assert report["resolved"] == []
    assert [(f["container"], f["status"]) for f in report["fields"]] == [
        ("form.docx", "not_scanned")
    ]
