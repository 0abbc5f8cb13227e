"""OCR speed: plain ``tesseract`` against ``pdaudit scan`` on the same generated pages.

Usage: ``.venv/bin/python bench/bench_ocr.py [--pages 14] [--repeat 1] [--dir /tmp/ocr-bench]``

Draws ``--pages`` synthetic scans (``eval/ocr/scans.py``: forms, cards, a passport; clean,
150 dpi, tilted, noisy and JPEG pages in turn) into a folder and the same files into a SQLite
BLOB column, then times, one after the other:

- ``tesseract FILE - -l rus+kaz+eng --psm 3`` over every file, one at a time, pinned to one core
  (``taskset -c 0``) with ``OMP_THREAD_LIMIT=1``: the reference;
- the same with two files at a time, unpinned (both cores);
- ``pdaudit scan FOLDER`` pinned to one core, unpinned (one pdaudit process; its OCR pool of
  two processes has both cores), and with ``--workers 2`` (a local Dask cluster of two);
- ``pdaudit scan DB`` (the same pages in a BLOB column), the same three ways.

Each pdaudit time is the whole command, start-up (loading the recognizers' models, and with
``--workers 2`` starting the local Dask cluster) included; the start-up alone (a scan of an
empty folder) is printed too. Ratios are against the serial reference, with pages per minute.
``--repeat N`` runs every command N times in turn and keeps each one's best time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval"))
sys.path.insert(0, str(ROOT))

from ocr import scans  # noqa: E402

CONDITIONS = ("clean300", "dpi150", "rotated4", "noisy", "jpeg30")
PDAUDIT = str(Path(sys.executable).with_name("pdaudit"))


def make_pages(folder: Path, count: int) -> list[Path]:
    docs = scans.documents()
    paths = []
    for i in range(count):
        doc = docs[i % len(docs)]
        condition = CONDITIONS[i % len(CONDITIONS)]
        img = scans.degrade(scans.render(doc), condition, seed=i)
        ext = "jpg" if condition == "jpeg30" else "png"
        path = folder / f"{i:02d}_{doc.name}_{condition}.{ext}"
        path.write_bytes(scans.encode(img, condition))
        paths.append(path)
    return paths


def make_db(path: Path, pages: list[Path]) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE uploads (id INTEGER PRIMARY KEY, name TEXT, scan BLOB)")
    conn.executemany(
        "INSERT INTO uploads (name, scan) VALUES (?, ?)",
        [(f"upload {i}", p.read_bytes()) for i, p in enumerate(pages)],
    )
    conn.commit()
    conn.close()


def _env() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _pin(cmd: list[str], pinned: bool) -> list[str]:
    return ["taskset", "-c", "0", *cmd] if pinned and shutil.which("taskset") else cmd


def tesseract(pages: list[Path], parallel: int) -> float:
    def one(path: Path) -> None:
        cmd = ["tesseract", str(path), "-", "-l", "rus+kaz+eng", "--psm", "3"]
        subprocess.run(
            _pin(cmd, parallel == 1), env=_env(), check=True, capture_output=True, timeout=600
        )

    start = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(one, pages))
    return time.perf_counter() - start


def pdaudit(target: Path, out: Path, pinned: bool, workers: int = 0) -> float:
    cmd = [PDAUDIT, "scan", str(target), "--format", "json", "--output", str(out), "--quiet"]
    if workers:
        cmd += ["--workers", str(workers)]
    start = time.perf_counter()
    done = subprocess.run(_pin(cmd, pinned), capture_output=True, text=True, timeout=3600)
    elapsed = time.perf_counter() - start
    if done.returncode > 1:
        raise SystemExit(f"pdaudit scan {target} failed ({done.returncode}): {done.stderr[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=14)
    parser.add_argument("--dir", default=None, help="work folder (default: a temporary one)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best time is kept")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pdaudit-ocr-bench-") as tmp:
        work = Path(args.dir or tmp)
        folder, empty = work / "pages", work / "empty"
        for f in (folder, empty):
            f.mkdir(parents=True, exist_ok=True)
        pages = make_pages(folder, args.pages)
        db = work / "uploads.db"
        db.unlink(missing_ok=True)
        make_db(db, pages)
        n = len(pages)
        print(f"{n} pages in {folder}; load average {os.getloadavg()[0]:.2f}", flush=True)
        runs: list[tuple[str, Callable[[], float]]] = [
            ("tesseract, serial, 1 core", lambda: tesseract(pages, 1)),
            ("tesseract, 2 processes", lambda: tesseract(pages, 2)),
            ("pdaudit startup, 1 core", lambda: pdaudit(empty, work / "e1.json", True)),
            ("pdaudit startup, --workers 2", lambda: pdaudit(empty, work / "e2.json", False, 2)),
            ("pdaudit scan folder, 1 core", lambda: pdaudit(folder, work / "f1.json", True)),
            ("pdaudit scan folder, 2 cores", lambda: pdaudit(folder, work / "f0.json", False)),
            (
                "pdaudit scan folder, --workers 2",
                lambda: pdaudit(folder, work / "f2.json", False, 2),
            ),
            ("pdaudit scan BLOB column, 1 core", lambda: pdaudit(db, work / "b1.json", True)),
            ("pdaudit scan BLOB column, 2 cores", lambda: pdaudit(db, work / "b0.json", False)),
            ("pdaudit scan BLOB, --workers 2", lambda: pdaudit(db, work / "b2.json", False, 2)),
        ]
        # The runs take turns, ``--repeat`` rounds; each keeps its best time (the machine is
        # shared: the least disturbed run is the one to compare).
        best: dict[str, float] = {}
        for _ in range(args.repeat):
            for label, run in runs:
                seconds = run()
                best[label] = min(seconds, best.get(label, seconds))
        serial = best["tesseract, serial, 1 core"]
        print(f"{'run':<34}{'seconds':>9}{'x serial':>10}{'pages/min':>11}")
        for label, _ in runs:
            seconds = best[label]
            rate = "" if "startup" in label else f"{n * 60 / seconds:11.1f}"
            print(f"{label:<34}{seconds:9.1f}{seconds / serial:10.2f}{rate}")
        print("targets: pdaudit 1 core <= 1.30x serial tesseract, 2 cores <= 0.75x")
        print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
