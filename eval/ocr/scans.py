"""Synthetic scans with known contents for the OCR evaluation (generated at run time, never committed).

Every number is invented and carries a correct check digit computed here; every name is made up.
A document is a list of lines plus the entity types it holds; ``render`` draws it at 300 dpi and
``degrade`` turns the clean image into the conditions a real upload arrives in.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
#: The machine-readable zone is printed in OCR-B, which Debian does not ship; a monospace font
#: keeps its columns.
FONT_MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
DPI = 300


# --- checksummed synthetic numbers ---------------------------------------------------------


def kz_check_digit(first11: str) -> int | None:
    """Two-pass mod-11 check digit of a KZ IIN/BIN; ``None`` when the number cannot be used."""
    digits = [int(c) for c in first11]
    check = sum(d * w for d, w in zip(digits, range(1, 12), strict=True)) % 11
    if check == 10:
        weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    return None if check == 10 else check


def make_iin(birth: str, century_sex: int, serial: int) -> str:
    """A valid IIN for a ``YYMMDD`` birth date (serial bumped until the check digit exists)."""
    while True:
        head = f"{birth}{century_sex}{serial:04d}"
        check = kz_check_digit(head)
        if check is not None:
            return head + str(check)
        serial += 1


def make_bin(yymm: str, kind: int, serial: int) -> str:
    """A valid BIN: registration ``YYMM``, type digit 4-6, a division digit, serial, check."""
    while True:
        head = f"{yymm}{kind}0{serial:05d}"
        check = kz_check_digit(head)
        if check is not None:
            return head + str(check)
        serial += 1


def luhn_complete(prefix: str) -> str:
    """Append the Luhn check digit."""
    total = 0
    for i, ch in enumerate(reversed(prefix)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return prefix + str((10 - total % 10) % 10)


def make_iban(country: str, bban: str) -> str:
    """An IBAN with correct mod-97 check digits."""
    rearranged = bban + country + "00"
    number = int("".join(str(int(c, 36)) for c in rearranged))
    return f"{country}{98 - number % 97:02d}{bban}"


def make_ru_inn(first10: str) -> str:
    """A 12-digit (personal) Russian INN with both check digits."""
    w11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    w12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    digits = [int(c) for c in first10]
    c11 = sum(d * w for d, w in zip(digits, w11, strict=True)) % 11 % 10
    digits.append(c11)
    c12 = sum(d * w for d, w in zip(digits, w12, strict=True)) % 11 % 10
    return first10 + str(c11) + str(c12)


def make_snils(first9: str) -> str:
    """A SNILS ``XXX-XXX-XXX YY`` with its check number."""
    total = sum(int(c) * (9 - i) for i, c in enumerate(first9))
    check = total % 101
    check = 0 if check in (100, 101) else check
    return f"{first9[:3]}-{first9[3:6]}-{first9[6:]} {check:02d}"


def spaced(number: str, groups: tuple[int, ...]) -> str:
    out, pos = [], 0
    for g in groups:
        out.append(number[pos : pos + g])
        pos += g
    return " ".join(out)


# --- the documents -------------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    name: str
    lines: tuple[str, ...]
    types: frozenset[str]
    iins: frozenset[str] = frozenset()
    #: Lines from this index on are a machine-readable zone (drawn in a monospace font).
    zone_from: int = -1
    #: A page laid out as a card or a certificate: (x, y, font px, text) at 300 dpi, drawn
    #: instead of the lines (which then hold the true text, one item a line).
    placed: tuple[tuple[int, int, int, str], ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def documents() -> list[Doc]:
    """Ten synthetic documents: a KZ ID card as lines, client form, invoice, RU HR card, card
    request, KZ form, a KZ ID card's back (MRZ), a KZ passport (bilingual labels above values,
    MRZ), a KZ ID card's front (labels above values beside a photo) and a birth certificate
    (labels and values in two columns)."""
    from pdaudit.recognizers.mrz import make_td1, make_td3

    iin7 = make_iin("910314", 4, 1234)
    iin8 = make_iin("870623", 3, 2468)
    iin9 = make_iin("930907", 4, 5012)
    iin10 = make_iin("150412", 5, 7788)
    front = (
        (140, 80, 50, "ҚАЗАҚСТАН РЕСПУБЛИКАСЫ / РЕСПУБЛИКА КАЗАХСТАН"),
        (140, 160, 46, "ЖЕКЕ КУӘЛІК / УДОСТОВЕРЕНИЕ ЛИЧНОСТИ"),
        (1000, 320, 32, "ТЕГІ / ФАМИЛИЯ"),
        (1000, 370, 50, "САПАРОВА"),
        (1000, 480, 32, "АТЫ / ИМЯ"),
        (1000, 530, 50, "ЖАНАР"),
        (1000, 640, 32, "ӘКЕСІНІҢ АТЫ / ОТЧЕСТВО"),
        (1000, 690, 50, "БОЛАТОВНА"),
        (1000, 800, 32, "ТУҒАН КҮНІ / ДАТА РОЖДЕНИЯ"),
        (1000, 850, 50, "07.09.1993"),
        (1000, 960, 32, "ЖСН / ИИН"),
        (1000, 1010, 50, iin9),
        (140, 1160, 32, "ҚҰЖАТ НӨМІРІ / НОМЕР ДОКУМЕНТА"),
        (140, 1210, 50, "051237846"),
    )
    certificate = (
        (300, 80, 50, "ТУУ ТУРАЛЫ КУӘЛІК / СВИДЕТЕЛЬСТВО О РОЖДЕНИИ"),
        (140, 260, 38, "Тегі / Фамилия"),
        (1200, 260, 46, "Ермеков"),
        (140, 380, 38, "Аты / Имя"),
        (1200, 380, 46, "Алихан"),
        (140, 500, 38, "Әкесінің аты / Отчество"),
        (1200, 500, 46, "Русланович"),
        (140, 620, 38, "Туған күні / Дата рождения"),
        (1200, 620, 46, "12.04.2015"),
        (140, 740, 38, "ЖСН / ИИН"),
        (1200, 740, 46, iin10),
        (140, 860, 38, "Туған жері / Место рождения"),
        (1200, 860, 46, "г. Караганда"),
    )
    iin1 = make_iin("910314", 4, 1234)
    iin2 = make_iin("851105", 3, 5678)
    iin6 = make_iin("940830", 3, 4321)
    bin3 = make_bin("0705", 4, 12345)
    iban3 = make_iban("KZ", "125KZT5004100100")
    card5 = luhn_complete("440043012345678")
    inn4 = make_ru_inn("7707083893"[:2] + "12345678")
    snils4 = make_snils("112233445")
    return [
        Doc(
            "id_card",
            (
                "ҚАЗАҚСТАН РЕСПУБЛИКАСЫ",
                "РЕСПУБЛИКА КАЗАХСТАН",
                "УДОСТОВЕРЕНИЕ ЛИЧНОСТИ № 043218765",
                "Фамилия: АХМЕТОВА",
                "Имя: АЙГЕРИМ",
                "Отчество: СЕРИКОВНА",
                "Дата рождения: 14.03.1991",
                f"ИИН: {iin1}",
                "Срок действия: 20.05.2031",
            ),
            frozenset({"PERSON", "KZ_IIN", "DATE_OF_BIRTH", "KZ_ID_DOCUMENT"}),
            frozenset({iin1}),
        ),
        Doc(
            "client_form",
            (
                "АНКЕТА КЛИЕНТА",
                "ФИО: Иванов Сергей Петрович",
                "Дата рождения: 05.11.1985",
                f"ИИН: {spaced(iin2, (3, 3, 3, 3))}",
                "Телефон: +7 701 234 56 78",
                "Email: s.ivanov@example.kz",
                "Адрес: г. Алматы, ул. Абая, д. 15, кв. 42",
            ),
            frozenset(
                {"PERSON", "DATE_OF_BIRTH", "KZ_IIN", "PHONE_NUMBER", "EMAIL_ADDRESS", "ADDRESS"}
            ),
            frozenset({iin2}),
        ),
        Doc(
            "invoice",
            (
                "СЧЕТ НА ОПЛАТУ № 127 от 12.02.2024",
                "Поставщик: ТОО «Пример Трейд»",
                f"БИН: {bin3}",
                f"IBAN: {iban3}",
                "Банк: АО «Тестовый Банк», БИК TSTBKZKA",
                "Получатель: Нурланов Ерлан Маратович",
                "Контактный телефон: 8 (727) 355-12-34",
            ),
            frozenset({"PERSON", "KZ_BIN", "IBAN_CODE", "PHONE_NUMBER"}),
        ),
        Doc(
            "hr_card",
            (
                "ЛИЧНАЯ КАРТОЧКА РАБОТНИКА",
                "Фамилия, имя, отчество: Смирнова Ольга Викторовна",
                "Дата рождения: 22.07.1979",
                f"ИНН: {inn4}",
                f"СНИЛС: {snils4}",
                "Паспорт: серия 45 08 № 123456",
                "Телефон: +7 (916) 123-45-67",
            ),
            frozenset(
                {"PERSON", "DATE_OF_BIRTH", "RU_INN", "RU_SNILS", "RU_PASSPORT", "PHONE_NUMBER"}
            ),
        ),
        Doc(
            "card_request",
            (
                "ЗАЯВЛЕНИЕ",
                "Я, Петров Алексей Николаевич, прошу привязать карту",
                f"Номер карты: {spaced(card5, (4, 4, 4, 4))}",
                "Электронная почта: a.petrov@mail.ru",
                "IP-адрес последнего входа: 87.255.194.16",
                "Дата: 03.04.2024",
            ),
            frozenset({"PERSON", "CREDIT_CARD", "EMAIL_ADDRESS", "IP_ADDRESS"}),
        ),
        Doc(
            "kz_form",
            (
                "ӨТІНІШ",
                "Аты-жөні: Сәрсенбаев Нұрлан Қайратұлы",
                f"ЖСН: {iin6}",
                "Туған күні: 30.08.1994",
                "Телефон: +7 777 123 45 67",
                "Мекенжайы: Шымкент қ., Тәуке хан даңғылы, 12 үй",
            ),
            frozenset({"PERSON", "KZ_IIN", "DATE_OF_BIRTH", "PHONE_NUMBER", "ADDRESS"}),
            frozenset({iin6}),
        ),
        Doc(
            "id_card_back",
            (
                "ҚАЗАҚСТАН РЕСПУБЛИКАСЫ",
                "Берген орган / Орган выдачи: ІІМ",
                *make_td1("043218765", "910314", "F", "310520", "Akhmetova", "Aigerim", iin7),
            ),
            frozenset({"PERSON", "KZ_IIN", "DATE_OF_BIRTH", "KZ_ID_DOCUMENT"}),
            frozenset({iin7}),
            zone_from=2,
        ),
        Doc(
            "passport",
            (
                "ПАСПОРТ / PASSPORT",
                "Тегі / Фамилия / Surname",
                "БЕКОВ",
                "Аты / Имя / Given names",
                "ТИМУР",
                "Туған күні / Дата рождения",
                "23.06.1987",
                "Паспорт № / Passport No.",
                "N07345612",
                *make_td3("N07345612", "870623", "M", "320115", "Bekov", "Timur", iin8),
            ),
            frozenset({"PERSON", "KZ_IIN", "DATE_OF_BIRTH", "KZ_ID_DOCUMENT"}),
            frozenset({iin8}),
            zone_from=9,
        ),
        Doc(
            "id_card_front",
            tuple(t for *_, t in front),
            frozenset({"PERSON", "KZ_IIN", "DATE_OF_BIRTH", "KZ_ID_DOCUMENT"}),
            frozenset({iin9}),
            placed=front,
        ),
        Doc(
            "birth_certificate",
            tuple(t for *_, t in certificate),
            frozenset({"PERSON", "KZ_IIN", "DATE_OF_BIRTH"}),
            frozenset({iin10}),
            placed=certificate,
        ),
    ]


# --- rendering and degradation -------------------------------------------------------------


def render(doc: Doc, width: int = 2480, font_px: int = 46) -> Image.Image:
    """The document as a clean 300 dpi grayscale page (12-13 pt text, A4 width)."""
    if doc.placed:
        return _render_placed(doc, width)
    font = ImageFont.truetype(FONT, font_px)
    bold = ImageFont.truetype(FONT_BOLD, font_px + 6)
    # A zone line (44 characters at most) fits the page width in the monospace font.
    mono = ImageFont.truetype(FONT_MONO, min(font_px + 4, (width - 300) * 5 // (44 * 3)))
    line_h = int(font_px * 1.8)
    height = 220 + line_h * len(doc.lines) + 160
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    y = 180
    for i, line in enumerate(doc.lines):
        zone = 0 <= doc.zone_from <= i
        draw.text((200, y), line, fill=0, font=mono if zone else bold if i == 0 else font)
        y += line_h
    return img


def _render_placed(doc: Doc, width: int) -> Image.Image:
    """A card or certificate: each item where the layout puts it (a photo box on a card)."""
    height = max(y for _, y, _, _ in doc.placed) + 260
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    if any(x >= 1000 for x, *_ in doc.placed) and doc.name.startswith("id_card"):
        draw.rectangle((140, 320, 800, 1080), fill=200)  # the photo
    for x, y, px, text in doc.placed:
        draw.text((x, y), text, fill=0, font=ImageFont.truetype(FONT, px))
    return img


CONDITIONS = ("clean300", "dpi150", "rotated4", "noisy", "jpeg30", "rot90")


def degrade(img: Image.Image, condition: str, seed: int) -> Image.Image:
    """The clean page as it arrives under ``condition`` (deterministic for a seed)."""
    rng = random.Random(seed)
    if condition == "clean300":
        return img
    if condition == "dpi150":
        return img.resize((img.width // 2, img.height // 2), Image.LANCZOS)
    if condition == "rotated4":
        angle = rng.choice((-1, 1)) * rng.uniform(3.0, 5.0)
        return img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    if condition == "noisy":
        arr = np.asarray(img.filter(ImageFilter.GaussianBlur(1.0)), dtype=np.float64)
        gen = np.random.default_rng(seed)
        arr = arr * 0.85 + 25 + gen.normal(0, 28, arr.shape)
        speckle = gen.random(arr.shape)
        arr[speckle < 0.004] = 0
        arr[speckle > 0.996] = 255
        return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    if condition == "jpeg30":
        buf = io.BytesIO()
        img.convert("RGB").save(buf, "JPEG", quality=30)
        return Image.open(io.BytesIO(buf.getvalue())).convert("L")
    if condition == "rot90":
        return img.rotate(rng.choice((90, 270)), expand=True)
    raise ValueError(f"unknown condition {condition!r}")


def encode(img: Image.Image, condition: str) -> bytes:
    """File bytes as uploaded: JPEG for the compressed condition, PNG otherwise."""
    buf = io.BytesIO()
    if condition == "jpeg30":
        img.convert("RGB").save(buf, "JPEG", quality=30)
    else:
        img.save(buf, "PNG", optimize=False, compress_level=1)
    return buf.getvalue()
