"""Field verdicts of a scan, written down and compared: does a change move any verdict?

    .venv/bin/python bench/golden.py sample_data --out /tmp/after.json [--against /tmp/before.json]
    .venv/bin/python bench/golden.py --bench-rows 100000 --dir /tmp/b --out /tmp/b100k.json

Scans the sources (``pdaudit.scanner.scan.scan``, the default policy; ``--full`` reads every row) and
writes, per field, its status and for each type found its matches and confidence. With
``--against`` it prints what differs from an earlier file: a *verdict* differs when the field's
status or the set of its types does; match counts that moved without changing a verdict are
listed apart. ``--bench-rows N`` adds the database ``bench/synth.py`` makes for N users (made
once in ``--dir``). To get the file of the code before a change, run this script with
``PYTHONPATH`` pointing at a checkout of that code. Exit status 1 when a verdict differs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
# Appended: a ``PYTHONPATH`` naming another checkout's code comes first.
sys.path += [str(ROOT), str(ROOT / "bench")]


def verdicts(sources: list[str], full: bool, columnar: bool = False) -> dict[str, dict]:
    """Per field ("source | container | field"): status and, per type, matches and confidence."""
    from pdaudit.scanner.policy import load_policy
    from pdaudit.scanner.sampling import Sampling
    from pdaudit.scanner.scan import ScanOptions, scan

    options = ScanOptions(sampling=Sampling(mode="full" if full else "sample"), columnar=columnar)
    report = scan(sources, load_policy(None), options)
    out = {}
    for f in report["fields"]:
        key = f"{f['source']} | {f['container']} | {f['field']}"
        out[key] = {
            "status": f.get("status"),
            "types": {
                e["type"]: [e.get("matches"), e.get("confidence")] for e in f.get("entities", [])
            },
        }
    return out


def compare(before: dict[str, dict], after: dict[str, dict]) -> tuple[list[str], list[str]]:
    """Lines for verdicts that differ, and for counts that moved under the same verdict."""
    differ, moved = [], []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a is None or b is None:
            differ.append(f"{key}: {'new field' if a is None else 'field gone'}")
            continue
        if a["status"] != b["status"] or set(a["types"]) != set(b["types"]):
            differ.append(
                f"{key}: {a['status']} {sorted(a['types'])} -> {b['status']} {sorted(b['types'])}"
            )
        elif a["types"] != b["types"]:
            moved.append(f"{key}: {a['types']} -> {b['types']}")
    return differ, moved


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sources", nargs="*", help="what to scan (as for pdaudit scan)")
    ap.add_argument("--out", required=True, help="write the verdicts here (JSON)")
    ap.add_argument("--against", help="an earlier --out file to compare with")
    ap.add_argument("--full", action="store_true", help="read every row, not a sample")
    ap.add_argument("--bench-rows", type=int, help="also scan bench/synth.py's database of N users")
    ap.add_argument("--dir", default="/tmp/pdaudit-golden", help="where that database is made")
    ap.add_argument(
        "--columnar",
        action="store_true",
        help="read --full SQLite tables with the columnar reader (ScanOptions.columnar)",
    )
    args = ap.parse_args()
    sources = list(args.sources)
    if args.bench_rows:
        import synth

        db = Path(args.dir) / f"synth-{args.bench_rows}.db"
        if not db.exists():
            db.parent.mkdir(parents=True, exist_ok=True)
            synth.write_sqlite(str(db), args.bench_rows)
        sources.append(str(db))
    if not sources:
        ap.error("nothing to scan: name sources or --bench-rows")
    found = verdicts(sources, args.full, args.columnar)
    Path(args.out).write_text(json.dumps(found, ensure_ascii=False, indent=1), "utf-8")
    print(f"{len(found)} fields written to {args.out}")
    if args.against:
        differ, moved = compare(json.loads(Path(args.against).read_text("utf-8")), found)
        for line in differ:
            print("VERDICT", line)
        for line in moved:
            print("COUNTS ", line)
        print(f"{len(differ)} verdict(s) differ, {len(moved)} field(s) with moved counts")
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
