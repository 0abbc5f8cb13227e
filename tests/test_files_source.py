"""FileSource: CSV, JSON, JSONL, text and document containers built from real files in tmp_path."""

from __future__ import annotations

import os

import pytest
from fpdf import FPDF

from pdaudit.scanner.sampling import Sampling
from pdaudit.scanner.sources import ContainerError, Page
from pdaudit.scanner.sources.files import FileSource

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def read_all(container) -> list[dict]:
    return [record for batch in container.read() for record in batch]


def by_name(source: FileSource) -> dict:
    return {c.name: c for c in source.containers()}


def text_pdf(lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", "", FONT)
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "clients.csv").write_bytes(
        "ФИО;Телефон;Город\nИванов Иван;+7 701 234 56 78;Алматы\n;;\nПетрова Анна;87011234567\n"
        .encode("cp1251")
    )  # fmt: skip
    (tmp_path / "bom.csv").write_bytes("\ufeffname,email\nA,a@example.kz\n".encode())
    sub = tmp_path / "export"
    sub.mkdir()
    (sub / "users.json").write_text(
        '[{"id": 1, "name": "Иванов", "contacts": {"email": "i@example.kz"}}, {"id": 2, "tags": ["x"]}]',
        encoding="utf-8",
    )
    (sub / "one.json").write_text('{"iin": "851105356789"}', encoding="utf-8")
    (sub / "events.jsonl").write_text('{"ip": "10.0.0.1"}\n\n{"ip": "10.0.0.2", "user": "u"}\n')
    (tmp_path / "notes.txt").write_text("первая строка\n\n  \nвторая строка\n", encoding="utf-8")
    (tmp_path / "contract.pdf").write_bytes(text_pdf(["Договор № 42", "Заказчик: Белова Светлана"]))
    return tmp_path


def test_every_kind_of_file_is_one_container(folder):
    source = FileSource([str(folder)])
    found = by_name(source)
    assert source.display == str(folder)
    assert sorted((name, c.kind, c.fields) for name, c in found.items()) == [
        ("bom.csv", "csv", ["name", "email"]),
        ("clients.csv", "csv", ["ФИО", "Телефон", "Город"]),
        ("contract.pdf", "document", ["content"]),
        ("export/events.jsonl", "json", ["ip", "user"]),
        ("export/one.json", "json", ["iin"]),
        ("export/users.json", "json", ["id", "name", "contacts", "tags"]),
        ("notes.txt", "text", ["content"]),
    ]
    assert read_all(found["clients.csv"]) == [
        {"ФИО": "Иванов Иван", "Телефон": "+7 701 234 56 78", "Город": "Алматы"},
        {"ФИО": "Петрова Анна", "Телефон": "87011234567", "Город": None},
    ]
    assert read_all(found["bom.csv"]) == [{"name": "A", "email": "a@example.kz"}]
    assert read_all(found["export/users.json"]) == [
        {"id": 1, "name": "Иванов", "contacts": {"email": "i@example.kz"}},
        {"id": 2, "tags": ["x"]},
    ]
    assert read_all(found["export/one.json"]) == [{"iin": "851105356789"}]
    assert read_all(found["export/events.jsonl"]) == [
        {"ip": "10.0.0.1"},
        {"ip": "10.0.0.2", "user": "u"},
    ]
    assert read_all(found["notes.txt"]) == [
        {"content": "первая строка"},
        {"content": "вторая строка"},
    ]
    assert read_all(found["contract.pdf"]) == [
        {"content": Page("Договор № 42\nЗаказчик: Белова Светлана", 1, "text-layer")}
    ]
    source.close()


@pytest.mark.parametrize(
    ("include", "exclude", "names"),
    [
        (["*.csv"], [], ["bom.csv", "clients.csv"]),
        (["export/*"], ["*.jsonl"], ["export/one.json", "export/users.json"]),
        ([], ["export/*", "*.pdf", "bom*"], ["clients.csv", "notes.txt"]),
    ],
)
def test_include_and_exclude_globs_on_relative_paths(folder, include, exclude, names):
    assert sorted(by_name(FileSource([str(folder)], include, exclude))) == names


def test_single_file_is_named_by_its_file_name(folder):
    found = by_name(FileSource([str(folder / "export" / "one.json")]))
    assert list(found) == ["one.json"]


def test_bad_files_are_listed_and_the_others_still_read(folder):
    (folder / "broken.json").write_text("[{", encoding="utf-8")
    (folder / "bad.pdf").write_bytes(b"%PDF-1.4\n%garbage\n")
    (folder / "archive.bin").write_bytes(b"PK\x03\x04\x00\x00\x01\x02")
    os.symlink(folder / "missing.csv", folder / "dangling.csv")
    found = by_name(FileSource([str(folder)], exclude=["export/*", "notes.txt", "*.pdf"]))
    found.update(by_name(FileSource([str(folder)], include=["bad.pdf"])))
    errors = {}
    for name in ("broken.json", "bad.pdf", "dangling.csv"):
        with pytest.raises(ContainerError) as err:
            read_all(found[name])
        errors[name] = str(err.value)
    assert errors["broken.json"] == (
        "broken.json: not valid JSON (Expecting property name enclosed in double quotes at line 1); "
        "fix or exclude the file"
    )
    assert errors["bad.pdf"].startswith("bad.pdf: not a readable PDF (")
    assert errors["dangling.csv"] == "dangling.csv: broken symbolic link"
    assert (found["archive.bin"].kind, found["archive.bin"].skipped) == (
        "binary",
        {"*": "unsupported binary file type"},
    )
    assert read_all(found["archive.bin"]) == []
    assert len(read_all(found["clients.csv"])) == 2


def test_sampling_draws_a_seeded_reservoir(tmp_path):
    rows = "".join(f"{i},v{i}\n" for i in range(100))
    (tmp_path / "big.csv").write_text("n,v\n" + rows, encoding="utf-8")
    sample = Sampling(mode="sample", rows_per_table=5, seed=3)
    first = read_all(by_name(FileSource([str(tmp_path)], sampling=sample))["big.csv"])
    again = read_all(by_name(FileSource([str(tmp_path)], sampling=sample))["big.csv"])
    full = read_all(by_name(FileSource([str(tmp_path)], sampling=Sampling(mode="full")))["big.csv"])
    assert first == again
    assert len(first) == 5 and len(full) == 100
    numbers = [int(r["n"]) for r in first]
    assert numbers == sorted(numbers)  # file order is kept
    container = by_name(FileSource([str(tmp_path)], sampling=sample))["big.csv"]
    assert container.sampling_method == "reservoir sample of 5 rows (seed 3)"
