"""Documents: real Tesseract and pypdfium2 on small images and PDFs generated here."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from pdaudit.recognizers.normalize import normalize_ocr
from pdaudit.scanner.sources.documents import (
    DEFAULT_STEPS,
    DocumentError,
    DocumentText,
    Limits,
    Word,
    _ocr_text_and_words,
    estimate_noise,
    extract,
    extract_many,
    is_latin_candidate,
    preprocess,
    reread_latin,
    sniff,
)

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
# Synthetic: the IIN has a valid check digit, the person does not exist.
CARD = ["ФИО: Иванов Сергей Петрович", "ИИН: 851105356789", "Телефон: +7 701 234 56 78"]
# Synthetic: the IBAN has valid mod-97 check digits; the address and the IP are made up.
LATIN = ["Email: s.ivanov@example.kz", "IBAN: KZ86125KZT5004100100", "IP: 87.255.194.16"]


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


def noisy(img: Image.Image, seed: int) -> Image.Image:
    """A bad scan: blur, grey paper, Gaussian noise (sigma 28) and salt-and-pepper specks."""
    arr = np.asarray(img.filter(ImageFilter.GaussianBlur(1.0)), dtype=np.float64)
    gen = np.random.default_rng(seed)
    arr = arr * 0.85 + 25 + gen.normal(0, 28, arr.shape)
    speckle = gen.random(arr.shape)
    arr[speckle < 0.004] = 0
    arr[speckle > 0.996] = 255
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")


def jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue()))


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


# --- noisy scans ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "sigma"),
    [
        (lambda: Image.new("L", (300, 200), 255), 0.0),
        (lambda: draw(CARD), 0.65),
        (lambda: draw(CARD).resize((800, 200)), 1.0),
        (lambda: jpeg(draw(CARD), 30), 0.73),
        (lambda: Image.new("L", (2, 2), 0), 0.0),
        (lambda: noisy(draw(CARD), 4), 23.32),
        (lambda: jpeg(noisy(draw(CARD), 4), 30), 8.65),
    ],
    ids=["blank", "clean", "small", "jpeg30", "tiny", "noisy", "noisy-jpeg30"],
)
def test_estimate_noise(make, sigma):
    assert estimate_noise(make()) == sigma


def test_noisy_page_is_smoothed_and_binarised_clean_page_is_not():
    clean, rough = preprocess(draw(CARD)), preprocess(noisy(draw(CARD), 4))
    assert set(np.unique(np.asarray(rough)).tolist()) == {0, 255}
    assert len(np.unique(np.asarray(clean))) > 2  # anti-aliased edges are left alone
    # Noisy pages narrower than 2000 px are upscaled (here 2x); clean ones from 1000 px are not.
    assert (clean.size, rough.size) == ((1600, 364), (3200, 728))


def test_small_pages_are_upscaled_by_whole_factors_to_1000_or_noisy_to_2000_px():
    assert preprocess(draw(CARD, width=800, font_px=22)).size == (1600, 464)
    assert preprocess(noisy(draw(CARD, width=800, font_px=22), 4)).size == (2400, 696)


def test_noisy_scan_reads_email_iban_and_ip():
    page = png(noisy(draw(LATIN), 4))
    assert lines_of(extract(page, "noisy.png")) == LATIN
    # Without the noise step and the English re-reading the same page loses the codes.
    before = replace(DEFAULT_STEPS, adaptive_denoise=False, reread_latin=False)
    assert lines_of(extract(page, "noisy.png", steps=before)) != LATIN


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("$./уапоу@ехатр!е.кг_", True),
        ("s.ivanov@example.kz", True),
        ("К286125К275004100100", True),
        ("KZ86125KZT5004100100", True),
        ("TSTBKZKA", False),
        ("910314412344", False),
        ("87.255.194.16", False),
        ("Иванов", False),
        ("12б", False),
        ("@", False),
        ("", False),
    ],
)
def test_is_latin_candidate(word, expected):
    assert is_latin_candidate(word) is expected


def test_reread_latin_replaces_a_cyrillic_reading_of_an_email():
    img = draw(["Email: s.ivanov@example.kz"])
    text, words = _ocr_text_and_words(img, 60)
    assert text.strip() == "Email: s.ivanov@example.kz"
    box = next(w for w in words if "@" in w.text)
    # What the mixed model made of the address on a noisy scan, at the same place.
    garbled = Word("$./уапоу@ехатр!е.кг_", box.left, box.top, box.width, box.height)
    page = "Email: $./уапоу@ехатр!е.кг_\n"
    assert reread_latin(page, [words[0], garbled], img, 60) == "Email: s.ivanov@example.kz\n"


def test_reread_latin_keeps_words_it_cannot_read_better():
    img = draw(["Иванов"])
    text, words = _ocr_text_and_words(img, 60)
    wrong = [Word("Иванов@", w.left, w.top, w.width, w.height) for w in words]
    # The English reading of a Cyrillic word is no e-mail address: the text stays as it was.
    assert reread_latin("x Иванов@ y", wrong, img, 60) == "x Иванов@ y"


@pytest.mark.parametrize(
    ("ocr", "folded"),
    [
        ("IP: 87.255.194,16", "IP: 87.255.194.16"),
        ("87,255.194.16.", "87.255.194.16."),
        ("сумма 1.250,50 тг", "сумма 1.250,50 тг"),
        ("1.200.150,5000", "1.200.150,5000"),
        ("10,5.2,1", "10,5.2,1"),
        ("300.1.1,1", "300.1.1,1"),
        ("1.2.3.4,5", "1.2.3.4,5"),
    ],
)
def test_normalize_ocr_folds_a_comma_in_a_dotted_quad(ocr, folded):
    assert normalize_ocr(ocr) == folded
    assert len(normalize_ocr(ocr)) == len(ocr)


def test_reread_latin_without_time_left_keeps_the_first_reading():
    img = draw(["Email: s.ivanov@example.kz"])
    _, words = _ocr_text_and_words(img, 60)
    garbled = [Word("$./уапоу@ехатр!е.кг_", w.left, w.top, w.width, w.height) for w in words]
    assert reread_latin("$./уапоу@ехатр!е.кг_", garbled[1:], img, 0) == "$./уапоу@ехатр!е.кг_"


# --- documents in a table's BLOB column: read ahead on the OCR pool, stopped early ---------

# Synthetic IINs with valid check digits (born 1990-01-01 .. 1990-01-12).
BLOB_IINS = [
    "900101300126",
    "900102300121",
    "900103300127",
    "900104300122",
    "900105300128",
    "900106300123",
]


def _iin_scans() -> list[bytes]:
    return [png(draw([f"ЖСН / ИИН: {iin}"])) for iin in BLOB_IINS]


def test_read_ahead_hands_out_documents_as_extract_does():
    from pdaudit.scanner.sources.documents import ReadAhead

    scans = _iin_scans()[:3]
    broken = b"%PDF-1.4 truncated"
    reader = ReadAhead(workers=2)
    try:
        assert reader.expect([(d, f"d{i}") for i, d in enumerate([*scans, broken])]) == 4
        # Asked for out of order: d0 is dropped when d1 is asked for, and read there and then.
        got = [reader.extract(scans[1], "d1"), reader.extract(scans[0], "d0")]
        got.append(reader.extract(scans[2], "d2"))
        with pytest.raises(DocumentError, match=r"^d3: not a readable PDF"):
            reader.extract(broken, "d3")
        # Never expected: read there and then too.
        got.append(reader.extract(scans[0], "again"))
    finally:
        reader.close()
    assert [lines_of(doc) for doc in got] == [[f"ЖСН / ИИН: {BLOB_IINS[i]}"] for i in (1, 0, 2, 0)]


def _blob_db(path, scans: list[bytes]) -> str:
    import sqlite3

    with sqlite3.connect(path) as con:
        con.execute("create table uploads (id integer primary key, note text, scan blob)")
        con.executemany(
            "insert into uploads (note, scan) values (?, ?)",
            [(f"upload {i}", data) for i, data in enumerate(scans)],
        )
    con.close()
    return str(path)


def test_blob_documents_are_read_ahead_and_counted_in_row_order(tmp_path):
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.sampling import Sampling
    from pdaudit.scanner.scan import ScanOptions, scan

    db = _blob_db(tmp_path / "uploads.db", _iin_scans())
    for sampling in (Sampling(mode="full"), Sampling()):
        report = scan([db], load_policy(), ScanOptions(sampling=sampling))
        [field] = [f for f in report["fields"] if f["field"] == "scan"]
        assert (field["documents"], field["values_scanned"]) == (6, 6)
        [iin] = field["entities"]
        assert (iin["type"], iin["matches"], iin["examples"]) == (
            "KZ_IIN",
            6,
            ["90********26", "90********21", "90********27"],
        )
        assert "early_stop" not in field


def test_sampled_blob_column_stops_reading_documents_once_settled(tmp_path):
    """The text fields' early stop, on a document column: after 3 scans holding only an IIN
    the verdict is settled; the column's other documents are not OCR'd (one slice of
    ``ReadAhead.window`` = 4 rows was under way)."""
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.sampling import EarlyStop, Sampling
    from pdaudit.scanner.scan import ScanOptions, scan

    db = _blob_db(tmp_path / "uploads.db", _iin_scans() * 2)
    sampling = Sampling(early_stop=EarlyStop(min_values=3, min_share=0.3))
    report = scan([db], load_policy(), ScanOptions(sampling=sampling))
    [field] = [f for f in report["fields"] if f["field"] == "scan"]
    assert field["early_stop"] == {"after": 3}
    assert (field["documents"], field["values_scanned"]) == (4, 3)
    assert [(e["type"], e["matches"]) for e in field["entities"]] == [("KZ_IIN", 3)]
