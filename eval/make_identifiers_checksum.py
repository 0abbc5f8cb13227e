"""Write ``eval/data/identifiers_checksum.jsonl``: labelled texts for the checksummed identifiers.

Every number is synthetic, generated here with a fixed seed: ИИН, БИН, card numbers, IBANs, ИНН
and СНИЛС with valid check digits, phones from the numbering plans, invented e-mail addresses.
They are embedded in short cells ("short"), form lines and sentences ("form"), and hard
negatives ("negative": order numbers, SKUs, hashes, masked values, БИН in ИИН fields, random
numbers checked to fail every validator). Spans are code-point offsets. Run:

    .venv/bin/python eval/make_identifiers_checksum.py
"""

from __future__ import annotations

import datetime
import json
import random
import string
from pathlib import Path

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.ru import inn as std_inn

from pdaudit.recognizers import credit_card, kz_bin, kz_iin, ru_inn, ru_snils
from pdaudit.recognizers.checksums import mod11_two_pass

SEED = 20240611
OUT = Path(__file__).resolve().parent / "data" / "identifiers_checksum.jsonl"

rng = random.Random(SEED)


def digits(n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


# ---- valid numbers -------------------------------------------------------------------------


def make_iin() -> str:
    while True:
        born = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(80 * 365))
        century = {18: 1, 19: 3, 20: 5}[born.year // 100] + rng.randrange(2)
        head = born.strftime("%y%m%d") + str(century) + digits(4)
        check = mod11_two_pass(head)
        if check is not None:
            number = head + str(check)
            if not ru_inn.is_valid(number):  # keep the set unambiguous
                return number


def make_bin() -> str:
    while True:
        head = f"{rng.randrange(100):02d}{rng.randrange(1, 13):02d}"
        head += rng.choice("456") + rng.choice("0123") + digits(5)
        check = mod11_two_pass(head)
        if check is not None and not ru_inn.is_valid(head + str(check)):
            return head + str(check)


CARD_PREFIXES = [
    ("4400", 16),
    ("4405", 16),
    ("4169", 16),
    ("5169", 16),
    ("5417", 16),
    ("2200", 16),
    ("2202", 16),
    ("3700", 15),
    ("6250", 16),
    ("8600", 16),
    ("9860", 16),
]


def make_card() -> tuple[str, str]:
    prefix, length = rng.choice(CARD_PREFIXES)
    body = prefix + digits(length - len(prefix) - 1)
    number = body + luhn.calc_check_digit(body)
    return number, credit_card.format(number)


def make_iban() -> str:
    country = rng.choice(["KZ", "KZ", "KZ", "KZ", "DE", "GB", "NL", "TR", "AE"])
    if country == "KZ":
        bban = f"{rng.choice(['125', '601', '722', '998', '856'])}KZT{digits(10)}"
    elif country == "DE":
        bban = digits(18)
    elif country == "GB":
        bban = rng.choice(["NWBK", "BARC", "HBUK"]) + digits(14)
    elif country == "NL":
        bban = rng.choice(["ABNA", "INGB", "RABO"]) + digits(10)
    elif country == "TR":
        bban = digits(5) + "0" + digits(16)
    else:
        bban = digits(19)
    number = country + "00" + bban
    number = country + std_iban.calc_check_digits(number) + bban
    return number if std_iban.is_valid(number) else make_iban()


def make_inn(personal: bool) -> str:
    while True:
        head = f"{rng.randrange(1, 93):02d}" + digits(8 if personal else 7)
        if personal:
            number = head + std_inn.calc_personal_check_digits(head)
            if kz_iin.is_valid(number) or kz_bin.is_valid(number):
                continue
        else:
            number = head + std_inn.calc_company_check_digit(head)
        return number


def make_snils() -> str:
    # Issued numbers start low (about 160 million so far): three leading digits 002-199.
    head = f"{rng.randrange(2, 200):03d}" + digits(6)
    return head + ru_snils.calc_check_digits(head)


KZ_MOBILE = ["700", "701", "702", "705", "707", "747", "771", "775", "776", "777", "778"]


def make_phone() -> str:
    """A number the numbering plans accept, written the way people write it."""
    while True:
        phone = _phone_form()
        if phonenumbers.is_valid_number(phonenumbers.parse(phone, "KZ")):
            return phone


def _phone_form() -> str:
    kind = rng.randrange(10)
    if kind == 8:
        return rng.choice(["+998 90 ", "+998 93 ", "+998 97 "]) + _grouped(digits(7), (3, 2, 2))
    if kind == 9:
        return rng.choice(["+49 30 ", "+49 89 "]) + digits(7)
    if kind == 7:
        return (
            "+7 "
            + rng.choice(["495", "812", "916", "903"])
            + " "
            + _grouped(digits(7), (3, 2, 2), "-")
        )
    code = rng.choice(KZ_MOBILE)
    rest = str(rng.randrange(2, 10)) + digits(6)
    form = rng.randrange(7)
    if form == 0:
        return f"+7 ({code}) {rest[:3]}-{rest[3:5]}-{rest[5:]}"
    if form == 1:
        return f"8 {code} {rest[:3]} {rest[3:5]} {rest[5:]}"
    if form == 2:
        return f"8{code}{rest}"
    if form == 3:
        return f"+7{code}{rest}"
    if form == 4:
        return f"+7 7172 {rest[1:3]} {rest[3:5]} {rest[5:]}"
    if form == 5:
        return f"8(727){rest[:3]}-{rest[3:5]}-{rest[5:]}"
    return f"+7 {code} {rest}"


def _grouped(number: str, sizes: tuple[int, ...], sep: str = " ") -> str:
    parts, pos = [], 0
    for size in sizes:
        parts.append(number[pos : pos + size])
        pos += size
    return sep.join(parts)


LOCAL = [
    "aigerim.s",
    "d.nurlanov",
    "marat_87",
    "info",
    "sales",
    "a.petrova",
    "zhanna.k",
    "ivanov.ii",
]
CYR_LOCAL = ["иван", "айгерим", "бухгалтерия", "марат.б"]
DOMAINS = ["mail.kz", "gmail.com", "mirum.kz", "yandex.ru", "inbox.kz", "company.co.uk"]
CYR_DOMAINS = ["почта.рф", "пример.қаз", "компания.рф"]


def make_email() -> str:
    if rng.random() < 0.2:
        return f"{rng.choice(CYR_LOCAL)}@{rng.choice(CYR_DOMAINS)}"
    return f"{rng.choice(LOCAL)}{rng.randrange(100) if rng.random() < 0.3 else ''}@{rng.choice(DOMAINS)}"


def iin_written(number: str) -> str:
    form = rng.randrange(6)
    if form == 3:
        return " ".join(number[i : i + 3] for i in range(0, 12, 3))
    if form == 4:
        return number[:6] + " " + number[6:]
    return number


def iban_written(number: str) -> str:
    return std_iban.format(number) if rng.random() < 0.5 else number


def snils_written(number: str) -> str:
    return ru_snils.format(number) if rng.random() < 0.6 else number


# ---- lines ---------------------------------------------------------------------------------

Segment = str | tuple[str, str]


def line(kind: str, *segments: Segment) -> dict:
    text, entities = "", []
    for seg in segments:
        if isinstance(seg, tuple):
            etype, value = seg
            entities.append({"type": etype, "start": len(text), "end": len(text) + len(value)})
            text += value
        else:
            text += seg
    return {"text": text, "entities": entities, "kind": kind}


def positives() -> list[dict]:
    out = []
    for _ in range(30):
        out.append(line("short", ("KZ_IIN", iin_written(make_iin()))))
    for _ in range(25):
        out.append(
            line(
                "form",
                rng.choice(["ИИН: ", "ИИН ", "ЖСН: ", "IIN: ", "Клиент, ИИН "]),
                ("KZ_IIN", iin_written(make_iin())),
                rng.choice(["", " (клиент)", ", выдан 2015"]),
            )
        )
    for _ in range(15):
        out.append(
            line(
                "form",
                "Получатель: ИИН ",
                ("KZ_IIN", make_iin()),
                ", тел.: ",
                ("PHONE_NUMBER", make_phone()),
                ", e-mail: ",
                ("EMAIL_ADDRESS", make_email()),
            )
        )
    for _ in range(10):
        iin = make_iin()
        out.append(line("form", "(ИИН ", ("KZ_IIN", iin), ")"))
        out.append(
            line("form", "Жеке сәйкестендіру нөмірі: ", ("KZ_IIN", iin_written(make_iin())), ".")
        )
        grouped = "\u00a0".join(iin[i : i + 3] for i in range(0, 12, 3))
        out.append(line("short", ("KZ_IIN", grouped)))
        out.append(
            line(
                "form",
                "ИИН:",
                ("KZ_IIN", make_iin()),
                " ",
                ("PHONE_NUMBER", "8" + rng.choice(KZ_MOBILE) + digits(7)),
            )
        )
    for _ in range(10):
        out.append(line("short", ("KZ_BIN", make_bin())))
        out.append(line("form", "ТОО «Альфа Трейд», БИН ", ("KZ_BIN", make_bin()), ", г. Алматы"))
    for _ in range(25):
        number, written = make_card()
        out.append(
            line("short", ("CREDIT_CARD", rng.choice([number, written, written.replace(" ", "-")])))
        )
    for _ in range(20):
        out.append(
            line(
                "form",
                rng.choice(["Оплата картой ", "Номер карты: ", "Card number ", "Карта нөмірі: "]),
                ("CREDIT_CARD", make_card()[1]),
                rng.choice(["", ", срок 08/27", " (основная)"]),
            )
        )
    for _ in range(25):
        out.append(line("short", ("IBAN_CODE", iban_written(make_iban()))))
    for _ in range(20):
        out.append(
            line(
                "form",
                rng.choice(["ИИК ", "IBAN: ", "р/с ", "Счёт получателя "]),
                ("IBAN_CODE", iban_written(make_iban())),
                rng.choice(["", " в АО «Банк», БИК HSBKKZKX", ", КБе 19"]),
            )
        )
    for _ in range(20):
        out.append(line("short", ("RU_INN", make_inn(personal=True))))
    for _ in range(25):
        out.append(
            line(
                "form",
                rng.choice(["ИНН ", "ИНН: ", "ИНН/КПП ", "INN "]),
                ("RU_INN", make_inn(personal=rng.random() < 0.4)),
                rng.choice(["", "/770701001", ", ОГРН 1027700132195"]),
            )
        )
    for _ in range(25):
        out.append(line("short", ("RU_SNILS", snils_written(make_snils()))))
    for _ in range(20):
        out.append(
            line(
                "form",
                rng.choice(["СНИЛС ", "СНИЛС: ", "Страховой номер "]),
                ("RU_SNILS", snils_written(make_snils())),
            )
        )
    for _ in range(20):
        out.append(line("short", ("PHONE_NUMBER", make_phone())))
        out.append(line("short", ("EMAIL_ADDRESS", make_email())))
    for _ in range(10):
        out.append(
            line(
                "form",
                "Связаться: ",
                ("PHONE_NUMBER", make_phone()),
                " или ",
                ("EMAIL_ADDRESS", make_email()),
            )
        )
    return out


def _fails_everything(number: str) -> bool:
    """A hard negative must not be a valid number of any kind (nor a phone)."""
    for module in (kz_iin, kz_bin, ru_inn, ru_snils, credit_card):
        if module.is_valid(number):
            return False
    try:
        if phonenumbers.is_valid_number(phonenumbers.parse(number, "KZ")):
            return False
    except phonenumbers.NumberParseException:
        pass
    return True


def invalid_digits(n: int) -> str:
    while True:
        number = digits(n)
        if number[0] != "0" and _fails_everything(number):
            return number


def negatives() -> list[dict]:
    out = []
    hexchars = "0123456789abcdef"
    for _ in range(15):
        out.append(line("negative", f"Заказ №{invalid_digits(12)} от 12.03.2024"))
        out.append(line("negative", invalid_digits(12)))
    for _ in range(10):
        out.append(line("negative", f"ORD-{make_iin()}"))
        out.append(line("negative", f"SKU {make_iin()}-01"))
    for _ in range(10):
        out.append(line("negative", "".join(rng.choice(hexchars) for _ in range(32))))
        out.append(line("negative", "sha1:" + "".join(rng.choice(hexchars) for _ in range(40))))
    for _ in range(8):
        number = make_card()[0]
        out.append(line("negative", f"{number[:4]} {number[4:6]}** **** {number[-4:]}"))
        out.append(line("negative", f"Карта *{number[-4:]}, ИИН ******{make_iin()[-6:]}"))
    for _ in range(6):
        code = rng.choice(KZ_MOBILE)
        out.append(line("negative", f"+7 {code[0]}** *** ** {digits(2)}"))
        out.append(line("negative", f"{rng.choice(LOCAL)[0]}***@{rng.choice(DOMAINS)}"))
        out.append(line("negative", f"KZ** **** **** **** {digits(4)}"))
    for _ in range(8):
        iin = make_iin()
        out.append(line("negative", f"ID{iin}"))
        out.append(line("negative", f"scan_{iin}.jpg"))
        out.append(line("negative", f"№ {iin}-2"))
        out.append(line("negative", f"{iin[:6]} {iin[6:]} {digits(3)}"))
    for _ in range(10):
        # БИН in a field labelled ИИН: reported as KZ_BIN, never as KZ_IIN.
        out.append(line("negative", "ИИН: ", ("KZ_BIN", make_bin())))
    for _ in range(10):
        out.append(line("negative", f"{invalid_digits(16)}"))
        out.append(line("negative", f"Трек-номер RR{digits(9)}KZ, посылка {invalid_digits(13)}"))
    for _ in range(8):
        body = rng.choice("017") + digits(14)
        out.append(line("negative", f"Ref {body + luhn.calc_check_digit(body)}"))
        out.append(line("negative", f"Номер договора {invalid_digits(10)}"))
        out.append(
            line("negative", f"Сумма {rng.randrange(1, 99)} {digits(3)} {digits(3)},{digits(2)} тг")
        )
    for _ in range(6):
        iban = make_iban()
        out.append(line("negative", iban[:-1] + str((int(iban[-1]) + 1) % 10)))
    for _ in range(5):
        out.append(
            line(
                "negative",
                "Телефон: ",
                ("PHONE_NUMBER", make_phone()),
                f", код {invalid_digits(12)}",
            )
        )
    return out


def main() -> None:
    rows = positives() + negatives()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{OUT}: {len(rows)} lines")


if __name__ == "__main__":
    main()
