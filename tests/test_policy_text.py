"""`pdaudit policy extract`: a policy's list of processed data read from its own text.

The policy texts in tests/fixtures/policies/ are written for these tests (Russian, Kazakh,
English; numbered, lettered, bulleted, a table, no list, an unsupported language, empty).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml
from click.testing import CliRunner

from pdaudit.scanner.cli import main
from pdaudit.scanner.policy import load_policy
from pdaudit.scanner.policy_text import (
    PolicyTextError,
    docx_text,
    extract_policy,
    extract_text_policy,
    map_item,
)

ROOT = Path(__file__).resolve().parents[1]
POLICIES = Path(__file__).parent / "fixtures" / "policies"
# ../shared next to the repository (or next to the worktrees' folder).
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if p.is_dir()), None)
MIRUM = SHARED / "mirum-privacy-policy.txt" if SHARED else None
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

# (file, language, list clause, style, [(clause, types, unmapped, vague)], third-party clause)
EXPECTED = {
    "ru_numbered.txt": (
        "ru",
        "2.3",
        "decimal",
        [
            ("2.3.1", ["PERSON"], [], False),
            ("2.3.2", ["EMAIL_ADDRESS"], [], False),
            ("2.3.3", ["PHONE_NUMBER"], [], False),
            ("2.3.4", [], [], True),
        ],
        "2.4",
    ),
    "ru_perechen.txt": (
        "ru",
        "4",
        "paren",
        [
            ("4(а)", ["PERSON"], [], False),
            ("4(б)", ["KZ_IIN"], [], False),
            ("4(в)", ["DATE_OF_BIRTH"], [], False),
            ("4(г)", [], ["пол"], False),
            ("4(д)", ["CREDIT_CARD", "IBAN_CODE"], [], False),
            ("4(е)", ["ADDRESS"], [], False),
        ],
        None,
    ),
    "ru_bullets.txt": (
        "ru",
        "",
        "bullet",
        [
            ("•1", ["PERSON"], [], False),
            ("•2", ["PHONE_NUMBER"], [], False),
            ("•3", ["EMAIL_ADDRESS"], [], False),
            ("•4", ["ADDRESS"], [], False),
            ("•5", ["IP_ADDRESS"], ["cookie"], False),
            ("•6", [], ["Сведения о заказах"], False),
        ],
        None,
    ),
    "ru_table.txt": (
        "ru",
        "3",
        "table",
        [
            ("3.1", ["PERSON"], [], False),
            ("3.2", ["KZ_IIN"], [], False),
            ("3.3", ["CREDIT_CARD"], [], False),
            ("3.4", [], ["Геолокация"], False),
        ],
        None,
    ),
    "kk_numbered.txt": (
        "kk",
        "3",
        "decimal",
        [
            ("3.1", ["PERSON"], [], False),
            ("3.2", ["KZ_IIN"], [], False),
            ("3.3", ["DATE_OF_BIRTH"], [], False),
            ("3.4", ["PHONE_NUMBER"], [], False),
            ("3.5", ["EMAIL_ADDRESS"], [], False),
            ("3.6", [], [], True),
        ],
        "4.1",
    ),
    "kk_bullets.txt": (
        "kk",
        "",
        "bullet",
        [
            ("•1", ["PERSON"], [], False),
            ("•2", ["PHONE_NUMBER"], [], False),
            ("•3", ["KZ_ID_DOCUMENT"], [], False),
            ("•4", ["IBAN_CODE"], [], False),
            ("•5", ["ADDRESS"], [], False),
            ("•6", [], ["білімі туралы мәліметтер"], False),
        ],
        None,
    ),
    "en_bullets.txt": (
        "en",
        "",
        "bullet",
        [
            ("•1", ["PERSON"], [], False),
            ("•2", ["EMAIL_ADDRESS"], [], False),
            ("•3", ["PHONE_NUMBER"], [], False),
            ("•4", ["DATE_OF_BIRTH"], [], False),
            ("•5", ["IP_ADDRESS"], ["cookies"], False),
            ("•6", ["CREDIT_CARD", "IBAN_CODE"], [], False),
            ("•7", [], ["Gender"], False),
            ("•8", [], [], True),
        ],
        "",  # found in a paragraph without a number
    ),
    "en_numbered.txt": (
        "en",
        "4",
        "decimal",
        [
            ("4.1", ["PERSON"], [], False),
            ("4.2", ["ADDRESS"], [], False),
            ("4.3", ["KZ_ID_DOCUMENT"], [], False),
            ("4.4", ["RU_INN", "RU_SNILS"], [], False),
            ("4.5", [], ["Photographs of the student"], False),
        ],
        "5.1",
    ),
}


def items_of(extracted) -> list[tuple]:
    return [(i.clause, i.types, i.unmapped, i.vague) for i in extracted.items]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_policy_text_maps_to_exact_types_clauses_and_unmapped_words(name):
    language, clause, style, items, third = EXPECTED[name]
    extracted = extract_policy(POLICIES / name)
    assert (extracted.language, extracted.clause, extracted.style) == (language, clause, style)
    assert items_of(extracted) == items
    assert (extracted.third_parties or {}).get("clause") == third
    data = (POLICIES / name).read_bytes()
    assert extracted.source == {"name": name, "sha256": hashlib.sha256(data).hexdigest()}


def test_item_words_are_kept_as_written():
    extracted = extract_policy(POLICIES / "ru_perechen.txt")
    assert [i.text for i in extracted.items] == [
        "фамилия, имя, отчество (при наличии)",
        "ИИН",
        "дата рождения",
        "пол",
        "платёжные данные (номер карты, IBAN)",
        "адрес проживания",
    ]
    assert extracted.unmapped() == [{"clause": "4(г)", "text": "пол"}]


@pytest.mark.parametrize(
    "text, types, unmapped",
    [
        ("Фамилия, имя и отчество", ["PERSON"], []),
        ("номер телефона (в т.ч. мобильного)", ["PHONE_NUMBER"], []),
        ("ИИН", ["KZ_IIN"], []),
        ("дата рождения", ["DATE_OF_BIRTH"], []),
        ("платёжные данные", ["CREDIT_CARD", "IBAN_CODE"], []),
        ("IP-адрес, cookie", ["IP_ADDRESS"], ["cookie"]),
        ("Адрес электронной почты", ["EMAIL_ADDRESS"], []),
        ("адреса регистрации и проживания", ["ADDRESS"], []),
        ("серия и номер паспорта РФ", ["RU_PASSPORT"], []),
        ("First, middle and last name", ["PERSON"], []),
        ("место работы, должность", [], ["место работы", "должность"]),
    ],
)
def test_single_items(text, types, unmapped):
    item = map_item("1", text)
    assert (item.types, item.unmapped, item.vague) == (types, unmapped, False)


@pytest.mark.parametrize(
    "text",
    [
        "Другие данные собираемые на Платформе являются частью данного договора.",
        "иные сведения, предоставленные Пользователем",
        "Өзге де деректер",
        "Other information you choose to give us",
    ],
)
def test_catch_alls_allow_nothing_specific(text):
    item = map_item("9", text)
    assert (item.types, item.unmapped, item.vague) == ([], [], True)


def test_mirum_like_structure_reproduces_the_hand_written_policy(tmp_path):
    """The synthetic Mirum-like text gives configs/mirum-policy.yaml's meaning."""
    extracted = extract_policy(POLICIES / "ru_numbered.txt")
    out = tmp_path / "policy.yaml"
    out.write_text(extracted.to_yaml(), "utf-8")
    assert_same_meaning(load_policy(out), load_policy(ROOT / "configs" / "mirum-policy.yaml"))


def _squeeze(text: str) -> str:
    return "".join(text.split()).lower()


def assert_same_meaning(got, want) -> None:
    assert {t: e["clause"] for t, e in got.allowed.items()} == {
        t: e["clause"] for t, e in want.allowed.items()
    }
    assert {t: _squeeze(e["text"]) for t, e in got.allowed.items()} == {
        t: _squeeze(e["text"]) for t, e in want.allowed.items()
    }
    assert (got.non_personal, got.exceptions) == (want.non_personal, want.exceptions)


@pytest.mark.skipif(MIRUM is None or not MIRUM.is_file(), reason="../shared is not here")
def test_mirum_policy_text_reproduces_configs_mirum_policy(tmp_path):
    out = tmp_path / "mirum.yaml"
    result = CliRunner().invoke(main, ["policy", "extract", str(MIRUM), "-o", str(out)])
    assert result.exit_code == 0, result.output
    got = load_policy(out)
    want = load_policy(ROOT / "configs" / "mirum-policy.yaml")
    assert_same_meaning(got, want)
    assert got.id == want.id == "mirum-privacy-policy-2.3"
    data = yaml.safe_load(out.read_text("utf-8"))
    assert data["source"] == {
        "name": "mirum-privacy-policy.txt",
        "sha256": hashlib.sha256(MIRUM.read_bytes()).hexdigest(),
    }
    assert [
        (i["clause"], i["types"], i.get("vague", False)) for i in data["declared"]["items"]
    ] == [
        ("2.3.1", ["PERSON"], False),
        ("2.3.2", ["EMAIL_ADDRESS"], False),
        ("2.3.3", ["PHONE_NUMBER"], False),
        ("2.3.4", [], True),
    ]
    assert data["unmapped"] == []
    assert data["third_parties"]["clause"] == "2.4"
    assert data["third_parties"]["text"].startswith("Пользователю запрещается указывать")


def test_extracted_yaml_is_what_scan_policy_reads(tmp_path):
    extracted = extract_policy(POLICIES / "kk_numbered.txt")
    path = tmp_path / "p.yaml"
    path.write_text(extracted.to_yaml(), "utf-8")
    policy = load_policy(path)
    assert policy.id == "kk_numbered-3"
    assert list(policy.allowed) == [
        "PERSON",
        "KZ_IIN",
        "DATE_OF_BIRTH",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
    ]
    assert policy.allowed["KZ_IIN"] == {"clause": "3.2", "text": "Жеке сәйкестендіру нөмірі (ЖСН)"}
    summary = policy.summary()
    assert summary["source"]["name"] == "kk_numbered.txt"
    assert summary["language"] == "kk"
    assert summary["declared"]["items"][-1] == {
        "clause": "3.6",
        "text": "Өзге де деректер",
        "types": [],
        "vague": True,
    }
    assert extracted.to_policy().summary() == summary


# --- other document formats -----------------------------------------------------------------


def make_docx(paragraphs: list[str], rows: list[list[str]], after: list[str]) -> bytes:
    """A minimal DOCX: paragraphs, one table, more paragraphs (what Word writes, trimmed)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def para(text: str) -> str:
        return f"<w:p><w:r><w:t xml:space='preserve'>{escape(text)}</w:t></w:r></w:p>"

    table = "".join(
        "<w:tr>" + "".join(f"<w:tc>{para(c)}</w:tc>" for c in row) + "</w:tr>" for row in rows
    )
    body = "".join(map(para, paragraphs)) + f"<w:tbl>{table}</w:tbl>" + "".join(map(para, after))
    document = f"<?xml version='1.0' encoding='UTF-8'?><w:document xmlns:w='{w}'><w:body>{body}</w:body></w:document>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", document)
    return buf.getvalue()


TABLE_ROWS = [
    ["№", "Категория данных", "Цель обработки"],
    ["3.1", "Фамилия, имя, отчество", "Идентификация"],
    ["3.2", "Индивидуальный идентификационный номер", "Заключение договора"],
    ["3.3", "Номер банковской карты", "Оплата услуг"],
    ["3.4", "Геолокация", "Аналитика"],
]


def test_docx_with_the_list_in_a_table(tmp_path):
    path = tmp_path / "policy.docx"
    path.write_bytes(
        make_docx(
            ["Политика конфиденциальности сервиса «Таблица»", "3. Категории персональных данных"],
            TABLE_ROWS,
            ["4. Права пользователя", "4.1. Пользователь вправе отозвать согласие."],
        )
    )
    assert (
        docx_text(path.read_bytes()).splitlines()[2] == "| № | Категория данных | Цель обработки |"
    )
    extracted = extract_policy(path)
    assert items_of(extracted) == EXPECTED["ru_table.txt"][3]
    assert extracted.style == "table"


def test_pdf_with_a_text_layer(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for line in (POLICIES / "kk_numbered.txt").read_text("utf-8").splitlines():
        pdf.cell(0, 7, line[:90], new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "policy.pdf"
    path.write_bytes(bytes(pdf.output()))
    extracted = extract_policy(path)
    assert extracted.source["ocr"] is False
    assert items_of(extracted) == EXPECTED["kk_numbered.txt"][3]


def _scan_pdf(lines: list[str], path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 40)
    img = Image.new("L", (2000, 120 + 90 * len(lines)), 255)
    pen = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        pen.text((80, 60 + i * 90), line, fill=0, font=font)
    img.save(path, "PDF", resolution=250)


def test_scan_only_pdf_goes_through_ocr(tmp_path):
    path = tmp_path / "scan.pdf"
    _scan_pdf(
        [
            "2.3. Оператор обрабатывает следующие данные:",
            "2.3.1. Фамилия, имя и отчество;",
            "2.3.2. Индивидуальный идентификационный номер;",
            "2.3.3. Дата рождения.",
        ],
        path,
    )
    extracted = extract_policy(path)
    assert extracted.source["ocr"] is True
    assert [(i.clause, i.types) for i in extracted.items] == [
        ("2.3.1", ["PERSON"]),
        ("2.3.2", ["KZ_IIN"]),
        ("2.3.3", ["DATE_OF_BIRTH"]),
    ]


# --- bad input: one line, exit 2 --------------------------------------------------------------


def run_extract(path: Path, *extra: str):
    return CliRunner().invoke(main, ["policy", "extract", str(path), *extra])


@pytest.mark.parametrize(
    "name, message",
    [
        ("empty.txt", "the policy file is empty; give the policy's text"),
        (
            "de_unsupported.txt",
            "the policy is in a language pdaudit does not read (Russian, Kazakh or English)",
        ),
        (
            "en_no_list.txt",
            "no list of processed personal data found (looked for a heading such as "
            "'Перечень персональных данных' or 'Personal data we collect' followed by a list)",
        ),
    ],
)
def test_bad_policy_texts_exit_2_with_one_line(name, message, tmp_path):
    out = tmp_path / "p.yaml"
    result = run_extract(POLICIES / name, "-o", str(out))
    assert result.exit_code == 2
    assert result.output == f"Error: {POLICIES / name}: {message}\n"
    assert not out.exists()


def test_blank_scanned_pdf_says_no_text_even_by_ocr(tmp_path):
    path = tmp_path / "blank.pdf"
    _scan_pdf([], path)
    result = run_extract(path)
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {path}: no text in the PDF, not even by OCR; give the policy's text\n"
    )


def test_list_that_names_no_type_writes_the_empty_mapping_and_exits_2(tmp_path):
    src = tmp_path / "odd.txt"
    src.write_text("Перечень персональных данных:\n- пол;\n- место работы.\n", "utf-8")
    out = tmp_path / "odd.yaml"
    result = run_extract(src, "-o", str(out))
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "odd.txt: list 'Перечень персональных данных:', 2 item(s): none mapped; 2 unmapped: "
        "•1 «пол»; •2 «место работы»",
        f"Error: {src}: the list names no entity type pdaudit detects",
    ]
    data = yaml.safe_load(out.read_text("utf-8"))
    assert (data["allowed"], data["unmapped"]) == (
        {},
        [{"clause": "•1", "text": "пол"}, {"clause": "•2", "text": "место работы"}],
    )


def test_extract_prints_yaml_and_a_summary_line():
    result = run_extract(POLICIES / "ru_bullets.txt")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[-1] == (
        "ru_bullets.txt: list 'Мы собираем следующие данные:', 6 item(s): •1 PERSON, "
        "•2 PHONE_NUMBER, •3 EMAIL_ADDRESS, •4 ADDRESS, •5 IP_ADDRESS; 2 unmapped: "
        "•5 «cookie»; •6 «Сведения о заказах»"
    )
    data = yaml.safe_load("\n".join(lines[:-1]))
    assert list(data["allowed"]) == [
        "PERSON",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "ADDRESS",
        "IP_ADDRESS",
    ]


def test_text_without_the_document_is_still_read():
    extracted = extract_text_policy(
        "Personal data we collect:\n1. Name;\n2. IIN;\n3. Shoe size.\n", "inline.txt"
    )
    assert items_of(extracted) == [
        ("1", ["PERSON"], [], False),
        ("2", ["KZ_IIN"], [], False),
        ("3", [], ["Shoe size"], False),
    ]
    with pytest.raises(PolicyTextError, match="^x.txt: the policy file is empty"):
        extract_text_policy("  \n", "x.txt")
