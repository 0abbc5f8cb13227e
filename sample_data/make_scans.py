"""Generate the sample scans in ``sample_data/scans/`` (synthetic people, deterministic output).

Usage: ``.venv/bin/python sample_data/make_scans.py``. Writes an ID-card-like card (PNG), the
back of an ID card with its machine-readable zone (PNG), a passport page with bilingual labels
above their values and a zone (PNG), a birth certificate with its labels and values in two
columns (PNG, drawn by ``eval/ocr/scans.py``, the OCR evaluation's own), a filled registration
form (PNG), an image-only PDF, a PDF
with a text layer (fpdf2, if installed), a rotated and noisy JPEG, and ``expected.json`` naming
the entity types each file holds. Every identifier is invented and given a correct check digit
computed below (the zones' by ``pdaudit.recognizers.mrz``).
"""

from __future__ import annotations

import datetime
import io
import json
import random
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

OUT = Path(__file__).resolve().parent / "scans"
EVAL = Path(__file__).resolve().parent.parent / "eval"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
#: The zone's OCR-B is not in Debian; a monospace font keeps its columns.
FONT_MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"


def iin(birth: str, century_sex: int, serial: int) -> str:
    """A valid ИИН: ``YYMMDD``, century/sex digit, serial, two-pass mod-11 check digit."""
    while True:
        head = [int(c) for c in f"{birth}{century_sex}{serial:04d}"]
        check = sum(d * w for d, w in zip(head, range(1, 12), strict=True)) % 11
        if check == 10:
            weights = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
            check = sum(d * w for d, w in zip(head, weights, strict=True)) % 11
        if check != 10:
            return "".join(map(str, head)) + str(check)
        serial += 1


CARD_IIN = iin("880419", 3, 2718)
FORM_IIN = iin("920102", 4, 3141)
PDF_IIN = iin("790925", 3, 1618)

CARD = [
    "ҚАЗАҚСТАН РЕСПУБЛИКАСЫ / РЕСПУБЛИКА КАЗАХСТАН",
    "ЖЕКЕ КУӘЛІК / УДОСТОВЕРЕНИЕ ЛИЧНОСТИ",
    "№ 012345678",
    "Фамилия: ЖУМАБЕКОВ",
    "Имя: ДАНИЯР",
    "Отчество: АСКАРОВИЧ",
    "ФИО: ЖУМАБЕКОВ ДАНИЯР АСКАРОВИЧ",
    "Дата рождения: 19.04.1988",
    f"ИИН: {CARD_IIN}",
]
FORM = [
    "РЕГИСТРАЦИОННАЯ ФОРМА",
    "ФИО: Ковалева Марина Андреевна",
    "Телефон: +7 705 318 42 07",
    "Email: m.kovaleva@example.kz",
    "Адрес: г. Астана, пр. Республики, д. 24, кв. 7",
    f"ИИН: {FORM_IIN}",
    "Дата рождения: 02.01.1992",
]
SCAN_PDF = [
    "ЗАЯВЛЕНИЕ О ПРИЕМЕ НА РАБОТУ",
    "Я, Омаров Тимур Булатович, прошу принять меня на работу.",
    f"ИИН: {PDF_IIN}",
    "Телефон: +7 701 555 12 34",
    "Дата: 15.01.2024",
]
TEXT_PDF = [
    "ДОГОВОР ОКАЗАНИЯ УСЛУГ № 42",
    "Заказчик: Белова Светлана Игоревна",
    "E-mail: s.belova@example.kz, телефон +7 702 444 55 66",
    f"ИИН заказчика: {iin('850612', 4, 2024)}",
]
BACK_IIN = iin("950728", 4, 1357)
PASSPORT_IIN = iin("830211", 3, 8642)
CARD_BACK = ["ЖЕКЕ КУӘЛІК / УДОСТОВЕРЕНИЕ ЛИЧНОСТИ", "Берген орган / Орган выдачи: ІІМ"]
PASSPORT = [
    "ПАСПОРТ / PASSPORT",
    "Тегі / Фамилия / Surname",
    "КАСЫМОВ",
    "Аты / Имя / Given names",
    "БЕРИК",
    "Туған күні / Дата рождения",
    "11.02.1983",
]


def zones() -> tuple[list[str], list[str]]:
    """The zone of the card's back (TD1) and of the passport (TD3), check digits computed."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from pdaudit.recognizers.mrz import make_td1, make_td3

    back = make_td1("038512479", "950728", "F", "330601", "Serikova", "Dana", BACK_IIN)
    passport = make_td3("N11835027", "830211", "M", "310915", "Kasymov", "Berik", PASSPORT_IIN)
    return back, passport


NOISY = [
    "АНКЕТА УЧАСТНИКА",
    "ФИО: Садыков Арман Ерланович",
    f"ИИН: {iin('010203', 5, 1001)}",
    "Телефон: 8 747 210 33 44",
]

EXPECTED = {
    "birth_certificate.png": ["DATE_OF_BIRTH", "KZ_IIN", "PERSON"],
    "id_card.png": ["DATE_OF_BIRTH", "KZ_ID_DOCUMENT", "KZ_IIN", "PERSON"],
    "registration_form.png": [
        "ADDRESS", "DATE_OF_BIRTH", "EMAIL_ADDRESS", "KZ_IIN", "PERSON", "PHONE_NUMBER",
    ],
    "application_scan.pdf": ["KZ_IIN", "PERSON", "PHONE_NUMBER"],
    "contract_text.pdf": ["EMAIL_ADDRESS", "KZ_IIN", "PERSON", "PHONE_NUMBER"],
    "questionnaire_rotated_noisy.jpg": ["KZ_IIN", "PERSON", "PHONE_NUMBER"],
    "id_card_back.png": ["DATE_OF_BIRTH", "KZ_ID_DOCUMENT", "KZ_IIN", "PERSON"],
    "passport.png": ["DATE_OF_BIRTH", "KZ_ID_DOCUMENT", "KZ_IIN", "PERSON"],
}  # fmt: skip


def draw_lines(lines: list[str], width: int, font_px: int, border: bool = False) -> Image.Image:
    """Black text on white, first line bold (grayscale, drawn at 300 dpi)."""
    font = ImageFont.truetype(FONT, font_px)
    bold = ImageFont.truetype(FONT_BOLD, font_px)
    line_h = int(font_px * 1.7)
    img = Image.new("L", (width, 120 + line_h * len(lines) + 80), 255)
    draw = ImageDraw.Draw(img)
    if border:
        draw.rounded_rectangle((20, 20, img.width - 20, img.height - 20), 30, outline=90, width=4)
    for i, line in enumerate(lines):
        draw.text((80, 100 + i * line_h), line, fill=0, font=bold if i == 0 else font)
    return img


def with_zone(img: Image.Image, zone: list[str], font_px: int) -> Image.Image:
    """``img`` with a machine-readable zone drawn below its text in the monospace font."""
    mono = ImageFont.truetype(FONT_MONO, font_px)
    line_h = int(font_px * 1.5)
    out = Image.new("L", (img.width, img.height + 120 + line_h * len(zone)), 255)
    out.paste(img, (0, 0))
    draw = ImageDraw.Draw(out)
    for i, line in enumerate(zone):
        draw.text((80, img.height + 60 + i * line_h), line, fill=0, font=mono)
    return out


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.convert("1", dither=Image.Dither.NONE).save(buf, "PNG", optimize=True)
    return buf.getvalue()


def image_pdf(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    fixed = time.gmtime(1704067200)  # Pillow stamps the time: fix it for equal output
    img.convert("1", dither=Image.Dither.NONE).save(
        buf, "PDF", resolution=300, creationDate=fixed, modDate=fixed
    )
    return buf.getvalue()


def text_pdf(lines: list[str]) -> bytes | None:
    try:
        from fpdf import FPDF
    except ImportError:
        return None
    pdf = FPDF()
    pdf.set_creation_date(datetime.datetime(2024, 1, 1))
    pdf.add_page()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=12)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def noisy_jpeg(img: Image.Image, seed: int = 7) -> bytes:
    rotated = img.rotate(4.0, resample=Image.BICUBIC, expand=True, fillcolor=255)
    arr = np.asarray(rotated.filter(ImageFilter.GaussianBlur(0.8)), dtype=np.float64)
    rng = np.random.default_rng(seed)
    arr = np.clip(arr * 0.85 + 20 + rng.normal(0, 18, arr.shape), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr, "L").save(buf, "JPEG", quality=60)
    return buf.getvalue()


def birth_certificate() -> Image.Image:
    """The OCR evaluation's birth certificate (labels left, values right), drawn as it draws it."""
    import sys

    sys.path.insert(0, str(EVAL))
    from ocr.scans import documents, render

    return render(next(d for d in documents() if d.name == "birth_certificate"))


def main() -> None:
    random.seed(0)
    OUT.mkdir(exist_ok=True)
    back, passport = zones()
    files = {
        "id_card.png": png(draw_lines(CARD, 1700, 44, border=True)),
        "id_card_back.png": png(with_zone(draw_lines(CARD_BACK, 1700, 40), back, 48)),
        "passport.png": png(with_zone(draw_lines(PASSPORT, 2000, 40), passport, 40)),
        "birth_certificate.png": png(birth_certificate()),
        "registration_form.png": png(draw_lines(FORM, 1700, 40)),
        "application_scan.pdf": image_pdf(draw_lines(SCAN_PDF, 2000, 44)),
        "questionnaire_rotated_noisy.jpg": noisy_jpeg(draw_lines(NOISY, 1500, 44)),
    }
    text = text_pdf(TEXT_PDF)
    if text is not None:
        files["contract_text.pdf"] = text
    for name, data in files.items():
        (OUT / name).write_bytes(data)
    expected = {name: EXPECTED[name] for name in sorted(files)}
    (OUT / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    for name in sorted(files):
        print(f"{name}: {len(files[name])} bytes")


if __name__ == "__main__":
    main()
