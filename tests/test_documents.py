"""Documents: real Tesseract and pypdfium2 on small images and PDFs generated here."""

from __future__ import annotations

import io

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from scanner.sources.documents import (
    DocumentError,
    DocumentText,
    Limits,
    extract,
    extract_many,
    sniff,
)

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
# Synthetic: the IIN has a valid check digit, the person does not exist.
CARD = ["ФИО: Иванов Сергей Петрович", "ИИН: 851105356789", "Телефон: +7 701 234 56 78"]


def draw(lines: list[str], width: int = 1600, font_px: int = 44) -> Image.Image:
    font = ImageFont.truetype(FONT, font_px)
    img = Image.new("L", (width, 100 + len(lines) * font_px * 2), 255)
    pen = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        pen.text((60, 50 + i * font_px * 2), line, fill=0, font=font)
    return img


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def text_pdf(pages: list[list[str]], **encryption: str) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=12)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    if encryption:
        pdf.set_encryption(**encryption)
    return bytes(pdf.output())


def lines_of(doc: DocumentText, page: int = 0) -> list[str]:
    return [line.strip() for line in doc.pages[page].text.splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"II*\x00\x08\x00\x00\x00", "tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "tiff"),
        (b"GIF89a\x01\x00", "gif"),
        (b"GIF87a\x01\x00", "gif"),
        (b"BM6\x00\x00\x00", "bmp"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"name,iin\n", None),
        (b"PK\x03\x04", None),
        (b"", None),
    ],
)
def test_sniff(head, kind):
    assert sniff(head) == kind


def test_clean_png_exact_lines():
    doc = extract(png(draw(CARD)), "card.png")
    assert doc.kind == "png"
    assert doc.errors == []
    assert [(p.number, p.method) for p in doc.pages] == [(1, "ocr")]
    assert lines_of(doc) == CARD


def test_rotated_90_is_turned_upright():
    doc = extract(png(draw(CARD).rotate(90, expand=True)), "card.png")
    assert lines_of(doc) == CARD


def test_pdf_text_layer_is_read_without_ocr():
    doc = extract(text_pdf([CARD, ["Страница 2: Email: s.ivanov@example.kz"]]), "a.pdf")
    assert doc.kind == "pdf"
    assert [(p.number, p.method) for p in doc.pages] == [(1, "text-layer"), (2, "text-layer")]
    assert lines_of(doc, 0) == CARD
    assert lines_of(doc, 1) == ["Страница 2: Email: s.ivanov@example.kz"]


def test_image_only_pdf_goes_through_ocr():
    buf = io.BytesIO()
    draw(CARD).save(buf, "PDF", resolution=200)
    doc = extract(buf.getvalue(), "scan.pdf")
    assert [(p.number, p.method) for p in doc.pages] == [(1, "ocr")]
    assert lines_of(doc) == CARD


def test_multipage_tiff_gives_one_page_per_frame():
    first, second = draw(CARD[:1]), draw(CARD[1:2])
    buf = io.BytesIO()
    first.save(buf, "TIFF", save_all=True, append_images=[second], compression="tiff_lzw")
    doc = extract(buf.getvalue(), "two.tif")
    assert doc.kind == "tiff"
    assert [(p.number, p.method, lines_of(doc, i)) for i, p in enumerate(doc.pages)] == [
        (1, "ocr", CARD[:1]),
        (2, "ocr", CARD[1:2]),
    ]


def test_page_cap_reads_the_first_pages_and_says_so():
    doc = extract(text_pdf([[f"Страница номер {n} из трех"] for n in (1, 2, 3)]), "three.pdf",
                  Limits(max_pages=2))  # fmt: skip
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.errors == ["three.pdf: only the first 2 of 3 pages were read"]


@pytest.mark.parametrize(
    ("size", "message"),
    [
        # Above the limit: refused by pdaudit's own check of the header's size.
        ((3000, 2000), "bomb.png: image of 3000x2000 pixels exceeds the limit of 5000000 pixels "
                       "(possible decompression bomb); resize it or raise the pixel limit"),
        # Above twice the limit: Pillow itself refuses it while reading the header.
        ((4000, 3000), "bomb.png: image exceeds the limit of 5000000 pixels "
                       "(possible decompression bomb); resize it or raise the pixel limit"),
    ],
)  # fmt: skip
def test_decompression_bomb_is_refused_before_decoding(size, message):
    bomb = png(Image.new("1", size, 1))  # megapixels of white compress to a few KB
    with pytest.raises(DocumentError) as err:
        extract(bomb, "bomb.png", Limits(max_pixels=5_000_000))
    assert str(err.value) == message
    assert Image.MAX_IMAGE_PIXELS != 5_000_000  # the global is restored


def test_file_size_limit():
    with pytest.raises(DocumentError, match=r"^big.pdf: 13 bytes exceeds the limit of 10 bytes"):
        extract(b"%PDF-1.4\n0123", "big.pdf", Limits(max_file_bytes=10))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (png(draw(CARD))[:600], r"^cut.png: truncated or corrupt PNG image \(.*\); re-export or re-scan it$"),
        (b"%PDF-1.4\n%garbage without objects\n", r"^cut.png: not a readable PDF \(.*\); the file is corrupt or truncated$"),
        (text_pdf([CARD], owner_password="owner", user_password="user"),
         r"^cut.png: the PDF is encrypted with a password; scan an unprotected copy$"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, r"^cut.png: not a readable PNG image \(.*\); re-export or re-scan it$"),
    ],
    ids=["truncated-png", "corrupt-pdf", "encrypted-pdf", "garbage-png"],
)  # fmt: skip
def test_unreadable_documents_raise_one_line_errors(data, message):
    with pytest.raises(DocumentError, match=message) as err:
        extract(data, "cut.png")
    assert "\n" not in str(err.value)


def test_extract_many_keeps_order_and_reports_errors():
    items = [
        (text_pdf([CARD]), "one.pdf"),
        (b"not a document", "two.bin"),
        (png(draw(CARD[1:2])), "three.png"),
    ]
    results = list(extract_many(items, workers=2))
    assert isinstance(results[0], DocumentText) and lines_of(results[0]) == CARD
    assert isinstance(results[1], DocumentError)
    assert str(results[1]) == "two.bin: not a PDF or an image; nothing to read"
    assert isinstance(results[2], DocumentText) and lines_of(results[2]) == CARD[1:2]
