"""Build ``eval/data/holdout.jsonl`` from the hand-written ``eval/data/holdout.src.txt``.

``make_holdout.py chat`` builds ``eval/data/chat.jsonl`` from ``eval/data/chat.src.txt`` the
same way.

Each source line is ``kind|context tokens|text`` (kind ``s`` short, ``f`` form, ``n`` negative);
entities are marked inline as ``[[TYPE:value]]`` and their code-point offsets are computed here.
Checksummed values are verified, and unlabelled digit runs that happen to pass a checksum
are reported, so a hard negative cannot be secretly valid. ``--errors`` lists pdaudit's
false positives, false negatives and boundary errors on the built set.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from stdnum.ru import inn as ru_inn

HERE = Path(__file__).resolve().parent
# ``make_holdout.py [NAME]`` builds eval/data/NAME.jsonl from eval/data/NAME.src.txt
# (default ``holdout``; ``chat`` is the chat/forms set of names and hard negatives).
_NAME = next((a for a in sys.argv[1:] if not a.startswith("-")), "holdout")
SRC = HERE / "data" / f"{_NAME}.src.txt"
OUT = HERE / "data" / f"{_NAME}.jsonl"
MARK = re.compile(r"\[\[([A-Z_]+):(.*?)\]\]")
KINDS = {"s": "short", "f": "form", "n": "negative"}
TYPES = {
    "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "KZ_IIN", "KZ_BIN", "KZ_ID_DOCUMENT",
    "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "DATE_OF_BIRTH", "ADDRESS", "RU_INN",
    "RU_SNILS", "RU_PASSPORT",
}  # fmt: skip


def kz_check(d11: str) -> int | None:
    """Check digit of a Kazakh IIN/BIN from its first 11 digits (None: never issued).

    >>> kz_check("90010130012")
    6
    """
    d = [int(c) for c in d11]
    s = sum(a * w for a, w in zip(d, range(1, 12), strict=True)) % 11
    if s == 10:
        s = sum(a * w for a, w in zip(d, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], strict=True)) % 11
        if s == 10:
            return None
    return s


def kz_valid(n: str) -> bool:
    """12 digits with a correct IIN/BIN check digit."""
    return len(n) == 12 and n.isdigit() and kz_check(n[:11]) == int(n[11])


def iin_valid(n: str) -> bool:
    """Valid IIN: checksum, plausible date, century/sex digit 1-6."""
    return kz_valid(n) and 1 <= int(n[2:4]) <= 12 and 1 <= int(n[4:6]) <= 31 and n[6] in "123456"


def bin_valid(n: str) -> bool:
    """Valid BIN: checksum, month, 5th digit 4-6, 6th digit 0-3."""
    return kz_valid(n) and 1 <= int(n[2:4]) <= 12 and n[4] in "456" and n[5] in "0123"


def luhn(n: str) -> bool:
    """Luhn check of a digit string."""
    total = 0
    for i, ch in enumerate(reversed(n)):
        v = int(ch) * (2 if i % 2 else 1)
        total += v - 9 if v > 9 else v
    return total % 10 == 0


def iban_valid(s: str) -> bool:
    """ISO 13616 mod-97 check of a compact IBAN."""
    s = s.replace(" ", "").upper()
    return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


def snils_valid(n: str) -> bool:
    """Russian SNILS check (11 digits)."""
    if len(n) != 11:
        return False
    s = sum(int(a) * w for a, w in zip(n[:9], range(9, 0, -1), strict=True))
    c = s if s < 100 else 0 if s in (100, 101) else s % 101 % 100
    return c == int(n[9:])


def digits(s: str) -> str:
    """Only the digits of s."""
    return "".join(ch for ch in s if ch.isdigit())


def verify(t: str, value: str) -> str | None:
    """Why a labelled value fails its checksum, or None."""
    d = digits(value)
    checks = {
        "KZ_IIN": lambda: iin_valid(d),
        "KZ_BIN": lambda: bin_valid(d),
        "CREDIT_CARD": lambda: 13 <= len(d) <= 19 and luhn(d),
        "IBAN_CODE": lambda: iban_valid(value),
        "RU_INN": lambda: ru_inn.is_valid(d),
        "RU_SNILS": lambda: snils_valid(d),
    }
    bad = t in checks and not checks[t]()
    return f"{t} {value!r} fails its check" if bad else None


def stray(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """Unlabelled digit runs (spaces/dashes allowed) that pass a checksum."""
    out = []
    for m in re.finditer(r"\d[\d \-]{8,22}\d", text):
        if any(s <= m.start() < e or m.start() <= s < m.end() for s, e in spans):
            continue
        d = digits(m.group())
        for n, name, ok in (
            (12, "IIN/BIN", kz_valid),
            (16, "card", luhn),
            (11, "SNILS", snils_valid),
        ):
            if len(d) == n and ok(d):
                out.append(f"unlabelled {name}-valid {m.group()!r}")
    return out


def build() -> list[dict]:
    """Parse the source, return records; exit with the problems if any."""
    records, problems = [], []
    for lineno, raw in enumerate(SRC.read_text("utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        kind, ctx, body = raw.split("|", 2)
        text, ents, pos = "", [], 0
        for m in MARK.finditer(body):
            text += body[pos : m.start()]
            t, value = m.group(1), m.group(2)
            if t not in TYPES:
                problems.append(f"{lineno}: unknown type {t}")
            if why := verify(t, value):
                problems.append(f"{lineno}: {why}")
            ents.append({"type": t, "start": len(text), "end": len(text) + len(value)})
            text += value
            pos = m.end()
        text += body[pos:]
        if "[[" in text or "]]" in text:
            problems.append(f"{lineno}: broken markup")
        if kind == "n" and ents:
            problems.append(f"{lineno}: negative line has entities")
        for p in stray(text, [(e["start"], e["end"]) for e in ents]):
            problems.append(f"{lineno}: {p}")
        rec: dict = {"text": text, "entities": ents, "kind": KINDS[kind]}
        if ctx.strip():
            rec["context"] = ctx.split()
        records.append(rec)
    if problems:
        sys.exit("\n".join(problems))
    return records


def list_errors() -> None:
    """Print every false positive, false negative and boundary error of pdaudit on the set."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.path[:0] = [str(HERE.parent), str(HERE)]
    import evaluate

    records = evaluate.load_jsonl(OUT)
    predicted = evaluate.run_pdaudit(evaluate.build_analyzer(None), records)
    types = {e["type"] for r in records for e in r["entities"]}
    for n, (rec, pred) in enumerate(zip(records, predicted, strict=True), 1):
        text = rec["text"]
        gold = {(e["type"], e["start"], e["end"]) for e in rec["entities"]}
        found = {p for p in pred if p[0] in types}
        for t, s, e in sorted(gold ^ found):
            near = [x for x in (gold ^ found) - {(t, s, e)} if x[0] == t and x[1] < e and s < x[2]]
            kind = "FN" if (t, s, e) in gold else "FP"
            if near and kind == "FP":
                continue  # reported once, as the gold span's boundary error
            where = f"record {n} ctx={rec.get('context')}: {text[:100]!r}"
            if near:
                got = [text[a:b] for _, a, b in near]
                print(f"BOUNDARY {t} {text[s:e]!r} -> {got} | {where}")
            else:
                print(f"{kind} {t} {text[s:e]!r} | {where}")


def main() -> None:
    """Write the JSONL file and print a summary (``--errors``: list pdaudit's errors on it)."""
    if "--errors" in sys.argv[1:]:
        list_errors()
        return
    records = build()
    with OUT.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for r in records:
        for e in r["entities"]:
            counts[e["type"]] = counts.get(e["type"], 0) + 1
    kinds = {k: sum(r["kind"] == k for r in records) for k in KINDS.values()}
    print(f"{len(records)} records {kinds}; spans {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
