"""Field-level precision and recall per entity type: does a scan's *verdict* on a field list the
types the field holds, and no others?

The labelled fields are ``eval/data/fields*.json`` (written by ``eval/make_fields.py``): each has
a group, a container, a field name, its values and the types a report should list. The fields
are written to a real SQLite database (one table a container; integers in INTEGER columns) and a
JSON Lines file (key paths such as ``user.name``) in a temporary folder, scanned with
``pdaudit.scanner.scan.scan`` and the default policy, and each field's listed entity types compared with
its labels: a type listed and labelled is a true positive, listed and not labelled a false
positive, labelled and not listed a false negative.

Run ``.venv/bin/python eval/evaluate_fields.py [--json] [--errors]``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sqlite3  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "eval" / "data"


def load(path: Path) -> list[dict]:
    """The labelled fields."""
    return json.loads(path.read_text("utf-8"))


def write_sources(fields: list[dict], folder: Path) -> list[str]:
    """Write the fields to ``folder``: an SQLite database and JSON Lines files; their paths."""
    tables: dict[str, list[dict]] = defaultdict(list)
    files: dict[str, list[dict]] = defaultdict(list)
    for f in fields:
        (files if f["format"] == "jsonl" else tables)[f["container"]].append(f)
    db = folder / "fields.db"
    with sqlite3.connect(db) as conn:
        for table, cols in tables.items():
            decl = ", ".join(
                f'"{c["field"]}" {"INTEGER" if isinstance(c["values"][0], int) else "TEXT"}'
                for c in cols
            )
            conn.execute(f'CREATE TABLE "{table}" (id INTEGER PRIMARY KEY, {decl})')
            rows = max(len(c["values"]) for c in cols)
            for i in range(rows):
                vals = [c["values"][i] if i < len(c["values"]) else None for c in cols]
                marks = ", ".join("?" for _ in cols)
                names = ", ".join(f'"{c["field"]}"' for c in cols)
                conn.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', vals)
    conn.close()
    targets = [str(db)]
    docs = folder / "files"
    docs.mkdir()
    for name, cols in files.items():
        rows = max(len(c["values"]) for c in cols)
        with (docs / name).open("w", encoding="utf-8") as fh:
            for i in range(rows):
                record: dict = {"id": i}
                for c in cols:
                    if i < len(c["values"]):
                        node = record
                        *path, last = c["field"].split(".")
                        for key in path:
                            node = node.setdefault(key, {})
                        node[last] = c["values"][i]
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    if files:
        targets.append(str(docs))
    return targets


def scan_fields(fields: list[dict]) -> dict[tuple[str, str], list[dict]]:
    """Scan the fields; ``(container, field) -> entity entries`` of the report."""
    sys.path.insert(0, str(ROOT))
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.scan import scan

    with tempfile.TemporaryDirectory() as tmp:
        targets = write_sources(fields, Path(tmp))
        report = scan(targets, load_policy(None))
    out: dict[tuple[str, str], list[dict]] = {}
    for entry in report["fields"]:
        container = Path(entry["container"]).name
        out[(container, entry["field"])] = entry.get("entities", [])
    return out


def evaluate(fields: list[dict], found: dict[tuple[str, str], list[dict]]) -> dict:
    """Counts per type and per group, and the wrong verdicts."""
    per_type: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    per_group: dict[str, dict[str, int]] = defaultdict(
        lambda: {"fields": 0, "right": 0, "tp": 0, "fp": 0, "fn": 0}
    )
    errors = []
    for f in fields:
        entries = found.get((f["container"], f["field"]))
        got = {e["type"] for e in entries or []}
        gold = set(f["types"])
        g = per_group[f["group"]]
        g["fields"] += 1
        g["right"] += got == gold
        for t in got | gold:
            key = "tp" if t in got and t in gold else "fp" if t in got else "fn"
            per_type[t][key] += 1
            g[key] += 1
        if got != gold:
            errors.append(
                {
                    "group": f["group"],
                    "field": f"{f['container']}.{f['field']}",
                    "labelled": sorted(gold),
                    "reported": sorted(got) if entries is not None else "field missing",
                    "evidence": {e["type"]: e["evidence"] for e in entries or []},
                }
            )
    return {"types": dict(per_type), "groups": dict(per_group), "errors": errors}


def _pr(c: dict[str, int]) -> tuple[float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p, r


def print_table(name: str, result: dict, errors: bool) -> None:
    """Per type, then per group."""
    head = f"{'type':16} {'TP':>4} {'FP':>4} {'FN':>4}  {'precision':>9} {'recall':>7}"
    print(f"field-level verdicts per type (eval/data/{name})")
    print(head)
    print("-" * len(head))
    total = {"tp": 0, "fp": 0, "fn": 0}
    for t, c in sorted(result["types"].items()):
        p, r = _pr(c)
        print(f"{t:16} {c['tp']:4} {c['fp']:4} {c['fn']:4}  {p:9.3f} {r:7.3f}")
        for k in total:
            total[k] += c[k]
    p, r = _pr(total)
    print(f"{'all (micro)':16} {total['tp']:4} {total['fp']:4} {total['fn']:4}  {p:9.3f} {r:7.3f}")
    print()
    head = f"{'group':14} {'fields':>6} {'right':>6}  {'TP':>4} {'FP':>4} {'FN':>4}  {'precision':>9} {'recall':>7}"
    print(head)
    print("-" * len(head))
    for g, c in sorted(result["groups"].items()):
        p, r = _pr(c)
        print(
            f"{g:14} {c['fields']:6} {c['right']:6}  {c['tp']:4} {c['fp']:4} {c['fn']:4}"
            f"  {p:9.3f} {r:7.3f}"
        )
    if errors:
        print()
        for e in result["errors"]:
            print(
                f"{e['group']:13} {e['field']:34} labelled {e['labelled']} reported {e['reported']}"
            )
            for t, ev in e["evidence"].items():
                print(f"{'':48} {t}: {ev}")


def main(argv: list[str] | None = None) -> int:
    """Scan the labelled fields and print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="machine-readable results")
    parser.add_argument("--errors", action="store_true", help="list the wrong verdicts")
    args = parser.parse_args(argv)
    results = {}
    for path in sorted(DATA.glob("fields*.json")):
        fields = load(path)
        results[path.name] = evaluate(fields, scan_fields(fields))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    for i, (name, result) in enumerate(results.items()):
        if i:
            print()
        print_table(name, result, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
