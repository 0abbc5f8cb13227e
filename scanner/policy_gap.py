"""The gap between what a policy says is processed and what the scanned sources hold.

``policy_gap(report)`` reads a report's ``policy`` block and its fields and returns the
``policy_gap`` block: types stored but not declared (with the fields holding them), declared
types never found, declared words pdaudit cannot check, catch-all items, and a draft of the
amended list in the policy's own language and numbering style, for a lawyer to review. The draft
is a starting point written from the scan, never legal advice, and says so.
"""

from __future__ import annotations

import re
from typing import Any

from pdaudit.scanner.policy_text import EN_LETTERS, RU_LETTERS, vocabulary


def list_section(policy: dict[str, Any]) -> str | None:
    """The list's clause ("2.3") or, for an unnumbered list, its heading in quotes; None for a
    hand-written policy, which names only the clauses of its types.

    >>> list_section({"declared": {"clause": "", "heading": "Personal data we collect:"}})
    '«Personal data we collect»'
    """
    declared = policy.get("declared") or {}
    if declared.get("clause"):
        return str(declared["clause"])
    if declared.get("heading"):
        return f"«{str(declared['heading']).rstrip(':').strip()}»"
    return None


def _language(policy: dict[str, Any]) -> str:
    if policy.get("language") in ("ru", "kk", "en"):
        return policy["language"]
    text = " ".join(str(policy.get("title") or "").split())
    text += " ".join(str(d.get("text", "")) for d in _items(policy))
    if re.search("[әғқңөұүһ]", text.lower()):
        return "kk"
    return "ru" if re.search("[а-яё]", text.lower()) else "en"


def _items(policy: dict[str, Any]) -> list[dict[str, Any]]:
    """The policy's list as written; for a hand-written policy, its allowed types by clause."""
    declared = policy.get("declared") or {}
    if declared.get("items"):
        return list(declared["items"])
    by_clause: dict[str, dict[str, Any]] = {}
    clauses = policy.get("clauses") or {}
    for etype in policy.get("allowed") or []:
        clause = clauses.get(etype) or ""
        entry = by_clause.setdefault(clause, {"clause": clause, "text": "", "types": []})
        entry["types"].append(etype)
    return list(by_clause.values())


def _style(policy: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, str]:
    declared = policy.get("declared") or {}
    if declared.get("style"):
        return {
            "style": declared["style"],
            "clause": str(declared.get("clause") or ""),
            "marker": str(declared.get("marker") or ""),
            "terminator": str(declared.get("terminator") or ""),
        }
    clauses = [str(i["clause"]) for i in items if i.get("clause")]
    parents = {c.rpartition(".")[0] for c in clauses}
    if clauses and len(parents) == 1 and all(re.fullmatch(r"[\d.]+", c) for c in clauses):
        return {"style": "decimal", "clause": parents.pop(), "marker": "", "terminator": ";"}
    return {"style": "bullet", "clause": "", "marker": "-", "terminator": ""}


def _number(style: dict[str, str], n: int, lang: str) -> str:
    if style["style"] == "decimal":
        return f"{style['clause']}.{n}." if style["clause"] else f"{n}."
    if style["style"] == "paren":
        if style["marker"].isalpha():
            letters = EN_LETTERS if style["marker"] in EN_LETTERS else RU_LETTERS
            return f"{letters[(n - 1) % len(letters)]})"
        return f"{n})"
    if style["style"] == "table":
        return f"{n}."
    return style["marker"] or "-"


def _found(report: dict[str, Any], non_personal: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Each personal type some field holds, with those fields (reviewers' false positives out)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for f in report.get("fields") or []:
        for e in f.get("entities") or []:
            etype = e.get("type")
            if (
                not etype
                or etype in non_personal
                or e.get("personal") is False
                or not e.get("matches")
                or (e.get("triage") or {}).get("decision") == "false_positive"
            ):
                continue
            found.setdefault(etype, []).append(
                {
                    "source": f.get("source", ""),
                    "container": f.get("container", ""),
                    "field": f.get("field", ""),
                    "share": e.get("share"),
                    "exception": (e.get("exception") or {}).get("reason"),
                }
            )
    return found


def policy_gap(report: dict[str, Any]) -> dict[str, Any]:
    """The ``policy_gap`` block of a report (see the module docstring)."""
    policy = report.get("policy") or {}
    vocab = vocabulary()
    lang = _language(policy)
    items = _items(policy)
    style = _style(policy, items)
    allowed = set(policy.get("allowed") or [])
    non_personal = set(policy.get("non_personal") or ["KZ_BIN"])
    found = _found(report, non_personal)
    # New items follow the vocabulary's order of labels (names, contacts, identifiers, ...).
    order = {t: i for i, t in enumerate(vocab["labels"])}
    undeclared = sorted(
        (t for t in found if t not in allowed), key=lambda t: (order.get(t, len(order)), t)
    )
    stored_not_declared = [
        {
            "type": t,
            "label": vocab["labels"].get(t, {}).get(lang, t),
            "fields": [{k: v for k, v in x.items() if v is not None} for x in found[t]],
        }
        for t in undeclared
    ]
    declared_not_found = [
        {"type": t, "clause": i.get("clause", ""), "text": i.get("text", "")}
        for i in items
        for t in i.get("types") or []
        if t not in found
    ]
    unmapped = [
        {"clause": i.get("clause", ""), "text": w}
        for i in items
        for w in i.get("unmapped") or ([i.get("text", "")] if _is_unmapped(i) else [])
    ]
    vague = [
        {"clause": i.get("clause", ""), "text": i.get("text", "")} for i in items if i.get("vague")
    ]

    kept = [i for i in items if not i.get("vague")]
    entries: list[dict[str, Any]] = [
        {
            "text": i.get("text")
            or ", ".join(vocab["labels"].get(t, {}).get(lang, t) for t in i.get("types") or []),
            "change": "kept",
            "was": i.get("clause", ""),
            "types": list(i.get("types") or []),
        }
        for i in kept
    ]
    entries += [
        {"text": x["label"], "change": "added", "was": "", "types": [x["type"]]}
        for x in stored_not_declared
    ]
    entries += [
        {"text": i.get("text", ""), "change": "moved", "was": i.get("clause", ""), "types": []}
        for i in vague
    ]
    for n, entry in enumerate(entries, 1):
        entry["number"] = _number(style, n, lang)
        end = style["terminator"] if n < len(entries) else ("." if style["terminator"] else "")
        entry["line"] = f"{entry['number']} {entry['text']}{end}"
    return {
        "language": lang,
        "clause": style["clause"],
        "source": policy.get("source"),
        "stored_not_declared": stored_not_declared,
        "declared_not_found": declared_not_found,
        "unmapped": unmapped,
        "vague": vague,
        "draft": entries,
        "draft_text": "\n".join(e["line"] for e in entries),
        "disclaimer": vocab["disclaimer"][lang],
    }


def _is_unmapped(item: dict[str, Any]) -> bool:
    return (
        "types" in item
        and not item.get("types")
        and not item.get("vague")
        and not item.get("unmapped")
    )
