"""The policy gap section of the HTML and text reports (the data: ``pdaudit.scanner.policy_gap``)."""

from __future__ import annotations

from typing import Any

from pdaudit.scanner.policy_gap import policy_gap
from pdaudit.scanner.reports import labels

MAX_FIELDS = 6  # fields listed per undeclared type before "and N more"


def gap_of(report: dict[str, Any]) -> dict[str, Any]:
    """The report's ``policy_gap`` block, computed for a report saved before it existed."""
    gap = report.get("policy_gap")
    return gap if isinstance(gap, dict) else policy_gap(report)


def _words(lang: str) -> dict[str, str]:
    return labels._tables()["policy_gap"][labels.check_lang(lang)]


def _where(x: dict[str, Any]) -> str:
    return f"{x.get('container', '')}.{x.get('field', '')}"


def gap_context(report: dict[str, Any], lang: str, section: str) -> dict[str, Any]:
    """What ``policy_gap.html.j2`` shows, in the report's language ``lang``."""
    gap = gap_of(report)
    w = _words(lang)
    source = gap.get("source") or {}
    stored = []
    for x in gap.get("stored_not_declared") or []:
        fields = x.get("fields") or []
        stored.append(
            {
                "type": x["type"],
                "label": labels.entity_label(x["type"], lang),
                "fields": [
                    {"name": _where(f), "exception": f.get("exception") or ""}
                    for f in fields[:MAX_FIELDS]
                ],
                "more": w["more_fields"].format(n=len(fields) - MAX_FIELDS)
                if len(fields) > MAX_FIELDS
                else "",
            }
        )
    changes = {"kept": w["change_kept"], "added": w["change_added"], "moved": w["change_moved"]}
    return {
        "w": w,
        "lead": w["lead"].format(section=labels.clause_text(section, lang)),
        "source": w["source"].format(name=source["name"], sha=str(source.get("sha256", ""))[:12])
        if source.get("name")
        else "",
        "stored": stored,
        "not_found": [
            {
                "label": labels.entity_label(x["type"], lang),
                "clause": x.get("clause", ""),
                "text": x.get("text", ""),
            }
            for x in gap.get("declared_not_found") or []
        ],
        "unmapped": gap.get("unmapped") or [],
        "vague": gap.get("vague") or [],
        "draft": [
            {
                "line": d["line"],
                "change": d["change"],
                "change_label": changes.get(d["change"], d["change"]),
                "was": w["was"].format(clause=d["was"])
                if d.get("was") and not d["number"].startswith(f"{d['was']}.")
                else "",
            }
            for d in gap.get("draft") or []
        ],
        "lang": gap.get("language", lang),
        # in the report's language (the draft above is in the policy's own)
        "disclaimer": w["not_advice"],
    }


def gap_text(report: dict[str, Any], lang: str = "ru") -> list[str]:
    """The policy gap as plain lines for the terminal report, in the report's language."""
    gap = gap_of(report)
    w = _words(lang)
    lines = [f"{w['title']} ({w['not_advice']})"]
    for x in gap.get("stored_not_declared") or []:
        where = ", ".join(_where(f) for f in (x.get("fields") or [])[:MAX_FIELDS])
        more = len(x.get("fields") or []) - MAX_FIELDS
        extra = f" {w['more_fields'].format(n=more)}" if more > 0 else ""
        lines.append(f"  {w['stored_not_declared']}: {x['type']} ({w['in_fields']} {where}{extra})")
    for x in gap.get("declared_not_found") or []:
        lines.append(f"  {w['declared_not_found']}: {x['type']} ({x.get('clause', '')})")
    for x in gap.get("unmapped") or []:
        lines.append(f"  {w['unmapped']}: {x.get('clause', '')} {x.get('text', '')}")
    for x in gap.get("vague") or []:
        lines.append(f"  {w['vague']}: {x.get('clause', '')}")
    if gap.get("draft"):
        lines.append(f"  {w['draft']}:")
        lines += [f"    {d['line']}" for d in gap["draft"]]
    return lines
