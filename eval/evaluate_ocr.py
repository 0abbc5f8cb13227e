"""OCR evaluation: synthetic scans with known contents -> extract -> Analyzer -> type recall/precision.

Usage: ``.venv/bin/python eval/evaluate_ocr.py [--ablation] [--workers 2]``

Ten documents (``eval/ocr/scans.py``: forms, cards front and back, a passport, a birth
certificate) are drawn at 300 dpi and degraded (150 dpi, rotated 3-5
degrees, noise, JPEG q=30, rotated 90 degrees, and noise combined with tilt, 150 dpi or JPEG)
into a temporary folder; ``--seed N`` draws other noise and angles. Per condition it prints
the recall and precision of entity *types* per document (a type counts when the analyzer finds at
least one entity of it), the number of KZ_IIN findings that are not the document's real IIN, and
the wall-clock seconds per page. The ``text`` row runs the analyzer on the true text: the ceiling
set by the recognizers themselves. ``--ablation`` repeats the degraded conditions with each
pre-processing step switched off (or binarisation on); ``--only`` picks variants by label and
``--diff`` prints the lines OCR got wrong.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ocr import scans  # noqa: E402

from pdaudit.scanner.analysis import Analyzer  # noqa: E402
from pdaudit.scanner.sources.documents import DEFAULT_STEPS, DocumentError, Steps, extract_many  # noqa: E402


def load_analyzer() -> tuple[Analyzer, list[str]]:
    """An analyzer with every registry recognizer that imports today, and the names that did not."""
    config = yaml.safe_load((ROOT / "configs" / "recognizers.yaml").read_text("utf-8"))
    loaded, missing = [], []
    for entry in config.get("recognizers", []):
        module, _, cls = entry["class"].partition(":")
        try:
            loaded.append(getattr(importlib.import_module(module), cls)())
        except Exception as exc:  # a recognizer still being written must not stop the evaluation
            missing.append(f"{entry['supported_entity']} ({type(exc).__name__})")
    return Analyzer(recognizers=loaded), missing


def score(analyzer: Analyzer, doc: scans.Doc, text: str) -> tuple[set[str], int]:
    """Types found in ``text`` and the number of KZ_IIN findings that are not the real IIN."""
    entities = analyzer.analyze(text)
    found = {e.type for e in entities}
    false_iin = 0
    for e in entities:
        if e.type == "KZ_IIN" and re.sub(r"\D", "", text[e.start : e.end]) not in doc.iins:
            false_iin += 1
    return found, false_iin


#: Degradations one after the other (``scans.degrade`` in turn): a noisy page that is also tilted,
#: small or JPEG-compressed, so the noise estimate and the denoising are tried off the easy path.
COMBINED_CONDITIONS = ("rotated4+noisy", "dpi150+noisy", "noisy+jpeg30")


def degrade(img, condition: str, seed: int):
    """``scans.degrade`` for one condition or a ``+``-joined chain of them."""
    for part in condition.split("+"):
        img = scans.degrade(img, part, seed)
    return img


def run_condition(analyzer, docs, condition, folder: Path, workers: int, steps: Steps, seed=0):
    items = []
    for i, doc in enumerate(docs):
        img = degrade(scans.render(doc), condition, seed=seed + i)
        data = scans.encode(img, condition.split("+")[-1])
        (folder / f"{doc.name}_{condition}").write_bytes(data)
        items.append((data, f"{doc.name}_{condition}"))
    start = time.perf_counter()
    results = list(extract_many(items, workers=workers, steps=steps))
    elapsed = time.perf_counter() - start
    pages = sum(len(r.pages) for r in results if not isinstance(r, DocumentError)) or 1
    texts = []
    for r in results:
        texts.append("" if isinstance(r, DocumentError) else r.text)
    return texts, elapsed / pages


def summarise(analyzer, docs, texts, supported):
    hit = expected = found_total = false_iin = 0
    misses = []
    for doc, text in zip(docs, texts, strict=True):
        want = doc.types & supported
        found, bad = score(analyzer, doc, text)
        hit += len(found & want)
        expected += len(want)
        found_total += len(found)
        false_iin += bad
        for t in sorted(want - found):
            misses.append(f"{doc.name}:-{t}")
        for t in sorted(found - doc.types):
            misses.append(f"{doc.name}:+{t}")
    recall = hit / expected if expected else 1.0
    precision = hit / found_total if found_total else 1.0
    return recall, precision, false_iin, misses


def print_diff(docs: list[scans.Doc], texts: list[str]) -> None:
    """The OCR lines that match no true line, beside the true lines that were not read."""
    for doc, text in zip(docs, texts, strict=True):
        got = [line.strip() for line in text.splitlines() if line.strip()]
        wrong = [line for line in got if line not in doc.lines]
        lost = [line for line in doc.lines if line not in got]
        for line in lost:
            print(f"    {doc.name}: want {line!r}")
        for line in wrong:
            print(f"    {doc.name}: read {line!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated variant labels to run")
    parser.add_argument(
        "--diff", action="store_true", help="print the lines OCR got wrong (synthetic data)"
    )
    parser.add_argument("--conditions", default=",".join(scans.CONDITIONS + COMBINED_CONDITIONS))
    parser.add_argument(
        "--seed", type=int, default=0, help="added to each document's degradation seed"
    )
    args = parser.parse_args()

    analyzer, missing = load_analyzer()
    supported = set(analyzer.supported_entities)
    docs = scans.documents()
    print(f"recognizers loaded: {', '.join(sorted(supported))}")
    if missing:
        print(f"recognizers not loadable (their types are not scored): {', '.join(missing)}")
    conditions = [c for c in args.conditions.split(",") if c]

    variants = [("default", DEFAULT_STEPS)]
    if args.ablation:
        variants += [
            ("no-upscale", replace(DEFAULT_STEPS, upscale=False)),
            ("no-rotate", replace(DEFAULT_STEPS, rotate=False)),
            ("no-deskew", replace(DEFAULT_STEPS, deskew=False)),
            ("+binarize", replace(DEFAULT_STEPS, binarize=True)),
            ("+denoise", replace(DEFAULT_STEPS, denoise=True)),
            ("no-normalize", replace(DEFAULT_STEPS, normalize=False)),
            ("no-adaptive", replace(DEFAULT_STEPS, adaptive_denoise=False)),
            ("no-reread", replace(DEFAULT_STEPS, reread_latin=False)),
        ]
    if args.only:
        variants = [v for v in variants if v[0] in args.only.split(",")]
    header = (
        f"{'steps':<13}{'condition':<10}{'recall':>7}{'prec':>7}{'badIIN':>7}{'s/page':>8}  misses"
    )
    print(header)
    recall, precision, bad, misses = summarise(analyzer, docs, [d.text for d in docs], supported)
    print(f"{'-':<13}{'text':<10}{recall:7.3f}{precision:7.3f}{bad:7d}{0:8.2f}  {' '.join(misses)}")
    with tempfile.TemporaryDirectory(prefix="pdaudit-ocr-eval-") as tmp:
        for label, steps in variants:
            for condition in conditions:
                texts, per_page = run_condition(
                    analyzer, docs, condition, Path(tmp), args.workers, steps, args.seed
                )
                recall, precision, bad, misses = summarise(analyzer, docs, texts, supported)
                print(
                    f"{label:<13}{condition:<10}{recall:7.3f}{precision:7.3f}{bad:7d}"
                    f"{per_page:8.2f}  {' '.join(misses)}",
                    flush=True,
                )
                if args.diff:
                    print_diff(docs, texts)


if __name__ == "__main__":
    main()
