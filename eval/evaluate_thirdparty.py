"""Precision and recall of the section 2.4 (third parties' data) evidence, per way.

``eval/data/thirdparty.jsonl`` labels field names (way 1: does the name say the value is another
person's), pairs of a record holder's name or IIN and a second value of the same row (way 2:
another person?) and messages (way 3: does the writer name a relative?). Way 4 is scored on
identity-card PDFs made here (the holder's own card, someone else's, one with two persons' IINs)
stored with a record, read by the real document pipeline. The labelled lines were written with
the rules: read the figures as a regression check, not as an unbiased estimate.

    .venv/bin/python eval/evaluate_thirdparty.py
    .venv/bin/python eval/evaluate_thirdparty.py --json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "sample_data"))

from pdaudit.recognizers import kz_iin  # noqa: E402
from pdaudit.scanner.analysis import Analyzer  # noqa: E402
from pdaudit.scanner.thirdparty import (  # noqa: E402
    RowPlan,
    check_documents,
    check_rows,
    document_key,
    iins_in,
    relatives_in_text,
    role_of,
)

DATA = ROOT / "eval" / "data" / "thirdparty.jsonl"


def iin(birth: str, century: str, serial: int = 0) -> str:
    """A synthetic IIN with a valid check digit: birth YYMMDD, century/sex digit, a serial."""
    for n in range(serial, serial + 10000):
        first11 = f"{birth}{century}{n:04d}"
        for digit in "0123456789":
            if kz_iin.is_valid(first11 + digit):
                return first11 + digit
    raise ValueError(birth)


def score(pairs: list[tuple[bool, bool]]) -> dict:
    """Precision and recall of ``(label, predicted)`` pairs."""
    tp = sum(1 for label, got in pairs if label and got)
    fp = sum(1 for label, got in pairs if not label and got)
    fn = sum(1 for label, got in pairs if label and not got)
    return {
        "n": len(pairs),
        "positives": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
    }


def way_role(lines: list[dict]) -> list[tuple[bool, bool]]:
    return [
        (x["label"], bool(role_of(x["field"]) or role_of(x["container"])))
        for x in lines
        if x["way"] == "field role"
    ]


def way_row(lines: list[dict]) -> list[tuple[bool, bool]]:
    plan = RowPlan(main_name="fio", main_iin="iin")
    plan.candidates = {"second_fio": ("PERSON", frozenset({"second"}))}
    plan.candidates["second_iin"] = ("KZ_IIN", frozenset({"second"}))
    out = []
    for n, x in enumerate(lines):
        if x["way"] != "second person in record":
            continue
        if "holder" in x:
            row = {"fio": x["holder"], "second_fio": x["value"]}
            counts = check_rows(plan, [row])["second_fio"]
        else:
            mine = iin(*x["holder_iin"], serial=1)
            theirs = iin(*x["value_iin"], serial=1 if x["value_iin"] == x["holder_iin"] else 7)
            counts = check_rows(plan, [{"iin": mine, "second_iin": theirs}])["second_iin"]
        if counts.compared != 1:
            raise SystemExit(f"line {n + 1}: the row was not compared")
        out.append((x["label"], bool(counts.other)))
    return out


def way_text(lines: list[dict]) -> list[tuple[bool, bool]]:
    texts = [x for x in lines if x["way"] == "other person in text"]
    found = Analyzer(min_score=0.4).analyze_batch([x["text"] for x in texts], context=["message"])
    return [
        (x["label"], bool(relatives_in_text(x["text"], ents)))
        for x, ents in zip(texts, found, strict=True)
    ]


def way_document() -> list[tuple[bool, bool]]:
    from generate import id_card_pdf

    from pdaudit.scanner.sources import documents

    holder = iin("850312", "3", 1)
    cases = []
    for n in range(8):  # the holder's own card
        cases.append((False, holder, id_card_pdf("SEYITOV ARMAN", f"0{n}1234567", holder)))
    for n in range(6):  # someone else's card: a child, a spouse
        other = iin(f"1{n}0620", "5" if n % 2 else "6", n)
        cases.append((True, holder, id_card_pdf("SEYITOVA DANA", f"1{n}1234567", other)))
    for n in range(3):  # a card of the holder with a second person's IIN on it
        other = iin(f"0{n + 5}0101", "5", n)
        pdf = id_card_pdf("SEYITOV ARMAN", f"2{n}1234567", f"{holder} / {other}")
        cases.append((True, holder, pdf))
    for n in range(3):  # no IIN for the record to compare with: not counted either way
        cases.append((False, None, id_card_pdf("SEYITOV ARMAN", f"3{n}1234567", holder)))
    plan = RowPlan(main_iin="iin")
    out = []
    for label, main, pdf in cases:
        doc = documents.extract(pdf, "eval.scan", documents.Limits())
        table = {document_key(pdf): iins_in(p.text for p in doc.pages)}
        counts = check_documents(plan, [{"iin": main, "scan": pdf}], table).get("scan")
        out.append((label, bool(counts and counts.other)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    lines = [json.loads(line) for line in DATA.read_text("utf-8").splitlines() if line.strip()]
    results = {
        "field role": score(way_role(lines)),
        "second person in record": score(way_row(lines)),
        "other person in text": score(way_text(lines)),
        "document holder differs": score(way_document()),
    }
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'way':26} {'n':>4} {'pos':>4} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6}")
    for way, r in results.items():
        print(
            f"{way:26} {r['n']:>4} {r['positives']:>4} {r['tp']:>4} {r['fp']:>4} {r['fn']:>4} "
            f"{r['precision']:>6.3f} {r['recall']:>6.3f}"
        )


if __name__ == "__main__":
    main()
