"""Office documents and RTF: the text of DOCX, XLSX, PPTX, ODT, ODS, ODP and RTF files.

The kind comes from the content, never the name: a ZIP holding ``word/document.xml`` is a DOCX,
one whose ``mimetype`` names an OpenDocument text is an ODT, and so on; a file starting with
``{\\rtf`` is RTF. Each format is read by its own library (python-docx, openpyxl, python-pptx,
odfpy, striprtf); no office suite runs. Spreadsheets give one table per sheet, their first
non-empty row naming the columns as in a CSV file; the other kinds give their text block by
block (a paragraph, a table row, a slide's text frame). The pictures stored inside a document
(``word/media/``, ``Pictures/``, ...) are returned for OCR. A ZIP that is no office document, an
old binary Office file and a damaged file are named with the reason they are not read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

ZIP_MAGIC = b"PK\x03\x04"
#: OLE2 compound files: Word 97-2003 .doc, .xls, .ppt, and every password-protected OOXML file.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"
#: A document whose parts unpack to more than this many times its size is refused: XML
#: compresses about tenfold, a ZIP bomb a thousandfold.
MAX_UNZIP_RATIO = 100

ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
#: The main part of each Office Open XML kind.
OOXML_PARTS = (
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "xlsx"),
    ("ppt/presentation.xml", "pptx"),
)
#: Where each kind keeps its pictures.
MEDIA_FOLDERS = {
    "docx": "word/media/",
    "xlsx": "xl/media/",
    "pptx": "ppt/media/",
    "odt": "Pictures/",
    "ods": "Pictures/",
    "odp": "Pictures/",
}
SPREADSHEETS = frozenset({"xlsx", "ods"})
KINDS = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp", "rtf"})

ZIP_REASON = "a ZIP archive: archives are not opened; unpack it and scan the folder"
OLE_REASON = (
    "an old binary Office file (.doc, .xls, .ppt) or a password-protected Office document: "
    "neither is read; save it as DOCX, XLSX or PPTX without a password and scan that"
)


class OfficeError(Exception):
    """An office document cannot be read (damaged, too large unpacked); one line."""


def classify(head: bytes, path: str) -> tuple[str | None, str | None]:
    """``(kind, None)`` for a document this module reads, ``(None, reason)`` for one it cannot
    read, ``(None, None)`` for a file that is none of its business.

    >>> classify(b"{\\\\rtf1\\\\ansi ...", "x.rtf"), classify(OLE_MAGIC, "x.doc")[0]
    (('rtf', None), None)
    >>> classify(b"name,iin\\n", "x.csv")
    (None, None)
    """
    if head.startswith(RTF_MAGIC):
        return "rtf", None
    if head.startswith(OLE_MAGIC):
        return None, OLE_REASON
    if not head.startswith(ZIP_MAGIC):
        return None, None
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mimetype = zf.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in ODF_MIMETYPES:
                    return ODF_MIMETYPES[mimetype], None
            for part, kind in OOXML_PARTS:
                if part in names:
                    return kind, None
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
        return None, f"a damaged ZIP or Office file ({_short(exc)}); re-save or re-export it"
    return None, ZIP_REASON


def _short(exc: BaseException) -> str:
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg[:200]


def check_unzipped_size(path: str, max_bytes: int) -> None:
    """Refuse a document whose parts unpack to more than ``max_bytes`` (a ZIP bomb)."""
    with zipfile.ZipFile(path) as zf:
        total = sum(info.file_size for info in zf.infolist())
    if total > max_bytes:
        raise OfficeError(
            f"its parts unpack to {total} bytes, over the limit of {max_bytes} bytes "
            "(possible ZIP bomb); split the document or raise the size limit"
        )


def media(path: str, kind: str) -> list[tuple[str, bytes]]:
    """The pictures stored in a document, as ``(part name, bytes)`` in name order."""
    folder = MEDIA_FOLDERS.get(kind)
    if folder is None:
        return []
    with zipfile.ZipFile(path) as zf:
        names = sorted(n for n in zf.namelist() if n.startswith(folder) and not n.endswith("/"))
        return [(n, zf.read(n)) for n in names]


# --- text documents ----------------------------------------------------------------------------


def _docx_table(table: Any) -> Iterator[str]:
    """One text per table row (cells joined by tabs), then the tables nested in its cells."""
    nested: list[Any] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = cell.text.strip()
            # A merged cell comes back once per grid column it spans.
            if text and (not cells or cells[-1] != text):
                cells.append(text)
            nested.extend(cell.tables)
        if cells:
            yield "\t".join(cells)
    for inner in nested:
        yield from _docx_table(inner)


def _docx_blocks(container: Any) -> Iterator[str]:
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            yield from _docx_table(block)
        else:
            yield block.text


def docx_texts(path: str) -> Iterator[str]:
    """The text of a DOCX: body paragraphs and table rows, text boxes, headers and footers."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(path)
    yield from _docx_blocks(document)
    # Text boxes sit inside drawings, outside the paragraphs' runs; Word stores most of them
    # twice (a DrawingML box and its VML fallback).
    boxes: dict[str, None] = {}
    for box in document.element.body.iter(qn("w:txbxContent")):
        for p in box.iter(qn("w:p")):
            boxes["".join(t.text or "" for t in p.iter(qn("w:t")))] = None
    yield from boxes
    # Headers and footers linked to the previous section's are the same part: read each once.
    seen: dict[str, None] = {}
    for section in document.sections:
        for part in (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        ):
            if part.is_linked_to_previous:
                continue
            for text in _docx_blocks(part):
                seen[text] = None
    yield from seen


def _pptx_shapes(shapes: Iterable[Any]) -> Iterator[str]:
    for shape in shapes:
        if getattr(shape, "shapes", None) is not None:  # a group
            yield from _pptx_shapes(shape.shapes)
            continue
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                yield "".join(run.text for run in paragraph.runs)
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                cells = [cell.text.strip() for cell in row.cells]
                yield "\t".join(c for c in cells if c)


def pptx_slides(path: str) -> Iterator[tuple[int, str]]:
    """``(slide number, text)`` for every text of every slide, speaker notes included."""
    import pptx

    presentation = pptx.Presentation(path)
    for number, slide in enumerate(presentation.slides, 1):
        for text in _pptx_shapes(slide.shapes):
            yield number, text
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None:
                for paragraph in notes.paragraphs:
                    yield number, "".join(run.text for run in paragraph.runs)


def odf_texts(path: str) -> Iterator[str]:
    """The paragraphs and headings of an ODT or ODP (and an ODS's text outside its cells),
    with the headers and footers of its page styles."""
    from odf import teletype, text
    from odf.opendocument import load

    document = load(path)
    for root in (document.body, document.masterstyles):
        for element in root.getElementsByType(text.H) + root.getElementsByType(text.P):
            yield teletype.extractText(element)


def rtf_text(data: bytes) -> str:
    """The plain text of an RTF file; ``\\ansicpg`` names the code page of its ``\\'xx``
    escapes, ``\\u`` escapes carry Unicode.

    >>> rtf_text(rb"{\\rtf1\\ansi\\ansicpg1251 {\\fonttbl{\\f0 Arial;}}\\f0 \\'c8\\'e2\\'e0\\'ed\\par 7\\u1044?}")
    'Иван\\n7Д'
    """
    from striprtf.striprtf import rtf_to_text

    # RTF is 7-bit text; bytes above it can only be raw text in the default code page.
    return rtf_to_text(data.decode("latin-1"), errors="replace").strip()


# --- spreadsheets ------------------------------------------------------------------------------

#: ``(sheet name, rows)``: each row a list of cell values (str, int, float, date, None).
Sheet = tuple[str, Iterator[list[Any]]]


def xlsx_sheets(path: str) -> Iterator[Sheet]:
    """Every worksheet of an XLSX, its rows streamed (read-only mode, cached formula values)."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            yield sheet.title, (list(row) for row in sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


_REPEAT_LIMIT = 1000  # a repeated row or cell with a value (empty ones are never expanded)


def _ods_cell(cell: Any) -> Any:
    from odf import teletype, text

    kind = cell.getAttribute("valuetype")
    if kind in ("float", "percentage", "currency"):
        value = cell.getAttribute("value")
        try:
            number = float(value)
        except (TypeError, ValueError):
            return value
        return int(number) if number.is_integer() and abs(number) < 1e18 else number
    if kind == "date":
        return cell.getAttribute("datevalue")
    if kind == "boolean":
        return None
    lines = [teletype.extractText(p) for p in cell.getElementsByType(text.P)]
    return "\n".join(lines) or None


def _ods_rows(table: Any) -> Iterator[list[Any]]:
    from odf.namespaces import TABLENS

    def rows(element: Any) -> Iterator[Any]:
        for child in element.childNodes:
            if child.qname == (TABLENS, "table-row"):
                yield child
            elif child.qname[0] == TABLENS and child.qname[1].endswith("rows"):
                yield from rows(child)  # header rows, row groups

    for row in rows(table):
        values: list[Any] = []
        empties = 0
        for cell in row.childNodes:
            if cell.qname not in ((TABLENS, "table-cell"), (TABLENS, "covered-table-cell")):
                continue
            repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            value = _ods_cell(cell)
            if value is None or value == "":
                empties += repeat  # only filled in if a value follows
                continue
            values.extend([None] * empties)
            empties = 0
            values.extend([value] * min(repeat, _REPEAT_LIMIT))
        if not values:
            continue
        for _ in range(min(int(row.getAttribute("numberrowsrepeated") or 1), _REPEAT_LIMIT)):
            yield list(values)


def ods_sheets(path: str) -> Iterator[Sheet]:
    """Every table of an ODS, row by row (repeated rows and cells expanded when they hold a
    value)."""
    from odf import table
    from odf.opendocument import load

    document = load(path)
    for sheet in document.spreadsheet.getElementsByType(table.Table):
        yield sheet.getAttribute("name"), _ods_rows(sheet)


_BLANK = re.compile(r"\s*")


def is_blank(value: Any) -> bool:
    """Whether a cell holds nothing.

    >>> is_blank(None), is_blank(" \\n"), is_blank(0), is_blank("Ли")
    (True, True, False, False)
    """
    return value is None or (isinstance(value, str) and _BLANK.fullmatch(value) is not None)


__all__ = [
    "KINDS",
    "OfficeError",
    "SPREADSHEETS",
    "check_unzipped_size",
    "classify",
    "docx_texts",
    "is_blank",
    "media",
    "ods_sheets",
    "odf_texts",
    "pptx_slides",
    "rtf_text",
    "xlsx_sheets",
]
