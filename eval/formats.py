"""What pdaudit makes of each kind of uploaded file: a table of format -> status and findings.

The files are the ones ``tests/test_office.py`` generates (each format written by its own
library, RTF by hand, synthetic people), scanned in a temporary folder by the real scan.

    .venv/bin/python eval/formats.py
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import docx  # noqa: E402
from test_office import (  # noqa: E402
    NOT_READ,
    READ,
    add_part,
    card_png,
    run,
    write_unreadable,
)

from pdaudit.scanner.analysis import Analyzer  # noqa: E402
from pdaudit.scanner.scan import ScanOptions  # noqa: E402


def picture_docx(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Скан удостоверения:")
    document.add_picture(io.BytesIO(card_png()))
    document.save(path)
    add_part(path, "word/media/logo.emf", b"\x01\x00\x00\x00" + b"\x00" * 80)


def rows(report: dict) -> list[tuple[str, str, str, str]]:
    out = []
    for f in sorted(report["fields"], key=lambda f: (f["container"], f["field"])):
        found = ", ".join(f"{e['type']}×{e['matches']}" for e in f["entities"]) or "-"
        note = f.get("skipped") or ""
        out.append((f["container"], f["field"], f["status"], found if not note else note))
    for e in report["errors"]:
        out.append((e["container"], e.get("field", "*"), "error (partial)", e["message"]))
    return out


def main() -> None:
    analyzer = Analyzer(min_score=ScanOptions().min_score)
    table: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, write, _ in READ:
            write(folder / name)
            table += rows(run(folder / name, analyzer))
        picture_docx(folder / "scan.docx")
        table += rows(run(folder / "scan.docx", analyzer))
        bad = folder / "bad"
        bad.mkdir()
        write_unreadable(bad)
        assert len(NOT_READ) == len(list(bad.iterdir()))
        table += rows(run(bad, analyzer))
    width = [max(len(r[i]) for r in table) for i in range(3)]
    print(f"{'file':<{width[0]}}  {'field':<{width[1]}}  {'status':<{width[2]}}  findings / reason")
    for r in table:
        print(f"{r[0]:<{width[0]}}  {r[1]:<{width[1]}}  {r[2]:<{width[2]}}  {r[3]}")


if __name__ == "__main__":
    main()
