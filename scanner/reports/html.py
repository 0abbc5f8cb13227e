"""The HTML report: one self-contained page a reviewer opens offline, in Russian or English.

Everything from the report is escaped by Jinja2's autoescape; the page's own CSS and script are
inline and pinned by hashes in a Content-Security-Policy, so the page can load nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shlex
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from pdaudit.scanner.fsutil import create_temp_beside
from pdaudit.scanner.policy_gap import list_section
from pdaudit.scanner.reports import labels
from pdaudit.scanner.reports.gap_view import gap_context

TEMPLATES = Path(__file__).resolve().parent / "templates"
BEYOND, WITHIN, NONE = "beyond_policy", "within_policy", "no_personal_data"
NOT_SCANNED = "not_scanned"
STATUSES = (BEYOND, NOT_SCANNED, WITHIN, NONE)
DEFAULT_JSON_NAME = "report.json"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _asset(name: str) -> str:
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    # The assets are ours, but a closing tag inside them would end the element early.
    if "</" in text:
        raise ValueError(f"{name} must not contain '</'")
    return text


def _number(value: float, lang: str, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "ru" else text


def _percent(share: float | None, lang: str) -> str:
    if share is None:
        return "—"
    pct = share * 100
    digits = 0 if pct in (0, 100) else (2 if pct < 1 else 1)
    sep = "\u00a0" if lang == "ru" else ""
    return f"{_number(pct, lang, digits)}{sep}%"


def _interval(interval: list[float] | None, lang: str) -> str:
    if not interval or len(interval) != 2:
        return ""
    low, high = (_percent(x, lang) for x in interval)
    return f"{low} – {high}"


def _shown_entities(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Entities worth showing: found at least once and personal (BIN is reported but not PD)."""
    return [
        e
        for e in field.get("entities") or []
        if e.get("personal", True) is not False and (e.get("matches") or 0) > 0
    ]


def _field_status(field: dict[str, Any]) -> str:
    status = field.get("status")
    if status in STATUSES:
        return status
    if field.get("beyond_policy"):
        return BEYOND
    return WITHIN if _shown_entities(field) else NONE


def _beyond_types(field: dict[str, Any]) -> list[str]:
    if field.get("beyond_policy") is not None:
        return list(field["beyond_policy"])
    return [e["type"] for e in _shown_entities(field) if e.get("allowed") is False]


def _is_reviewed(field: dict[str, Any]) -> bool:
    """Every beyond-policy type of the field carries a reviewer's decision."""
    beyond = set(_beyond_types(field))
    decided = {
        e["type"] for e in field.get("entities") or [] if (e.get("triage") or {}).get("decision")
    }
    return bool(beyond) and beyond <= decided


def severity_key(field: dict[str, Any]) -> tuple:
    """Sort key putting the worst beyond-policy field first.

    Fields a reviewer has already decided on go after the undecided ones; then more beyond-policy
    types, more sensitive types (IIN, documents, cards > DOB, address > IP), and a larger share.
    """
    beyond = _beyond_types(field)
    sens = sorted((labels.sensitivity(t) for t in beyond), reverse=True)
    shares = [e.get("share") or 0.0 for e in field.get("entities") or [] if e.get("type") in beyond]
    return (
        _is_reviewed(field),
        -len(beyond),
        [-s for s in sens],
        -(max(shares) if shares else 0.0),
        field.get("source", ""),
        field.get("container", ""),
        field.get("field", ""),
    )


def order_fields(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Beyond-policy fields worst first (see :func:`severity_key`)."""
    return sorted(fields, key=severity_key)


def _triage_commands(
    field: dict[str, Any], entity_type: str, json_path: str, reason: str
) -> dict[str, str]:
    target = f"{field.get('container', '')}.{field.get('field', '')}:{entity_type}"
    base = ["pdaudit", "triage", json_path, "--mark"]
    return {
        decision: shlex.join([*base, f"{target}={decision}", "--reason", reason])
        for decision in ("accepted", "false_positive")
    }


def _exception_snippet(field: dict[str, Any], types: list[str], reason: str) -> str:
    # JSON strings are valid YAML double-quoted scalars, so odd field names stay one value.
    target = json.dumps(
        f"{field.get('container', '')}.{field.get('field', '')}", ensure_ascii=False
    )
    return (
        "exceptions:\n"
        f"  - field: {target}\n"
        f"    types: [{', '.join(types)}]\n"
        f"    reason: {json.dumps(reason, ensure_ascii=False)}"
    )


def _policy_section(policy: dict[str, Any]) -> str:
    if listed := list_section(policy):  # a policy read from its text names its list
        return listed
    clauses = [c for c in (policy.get("clauses") or {}).values() if c]
    if clauses and "." in clauses[0]:
        return clauses[0].rsplit(".", 1)[0]
    return labels.default_section()


def _entity_view(
    entity: dict[str, Any], field: dict[str, Any], lang: str, section: str, json_path: str, t: dict
) -> dict[str, Any]:
    etype = entity.get("type", "?")
    allowed = bool(entity.get("allowed"))
    clause = entity.get("clause")
    if allowed and not clause:
        clause_str = labels.exception_text(lang)
    else:
        clause_str = labels.clause_text(clause if allowed else None, lang, section)
    triage = entity.get("triage") or {}
    decision = triage.get("decision")
    triage_text = ""
    if decision:
        parts = [labels.triage_label(decision, lang)]
        who = ", ".join(str(x) for x in (triage.get("reviewer"), triage.get("date")) if x)
        if who:
            parts.append(who)
        triage_text = " · ".join(parts)
    matches = entity.get("matches")
    scanned = field.get("values_scanned")
    view = {
        "type": etype,
        "label": labels.entity_label(etype, lang),
        "allowed": allowed,
        "clause": clause_str,
        "matches": matches,
        "matches_text": (
            f"{matches} {t['of']} {scanned}"
            if matches is not None and scanned
            else str(matches or 0)
        ),
        "share": _percent(entity.get("share"), lang),
        "interval": _interval(entity.get("share_interval"), lang),
        "confidence": (
            _number(entity["confidence"], lang, 2) if entity.get("confidence") is not None else ""
        ),
        "examples": [str(x) for x in entity.get("examples") or []],
        "evidence": [labels.evidence_label(str(x), lang) for x in entity.get("evidence") or []],
        "pages": [str(p) for p in entity.get("pages") or []],
        "change": entity.get("change"),
        "change_label": labels.change_label(entity["change"], lang) if entity.get("change") else "",
        "triage": decision,
        "triage_text": triage_text,
        "triage_reason": triage.get("reason") or "",
        "commands": None,
    }
    if not allowed and not decision:
        view["commands"] = _triage_commands(field, etype, json_path, t["reason_placeholder"])
    return view


def _field_view(
    field: dict[str, Any], index: int, lang: str, section: str, json_path: str, t: dict
) -> dict[str, Any]:
    status = _field_status(field)
    entities = [_entity_view(e, field, lang, section, json_path, t) for e in _shown_entities(field)]
    entities.sort(
        key=lambda e: (e["allowed"], -labels.sensitivity(e["type"]), -(e["matches"] or 0))
    )
    beyond = _beyond_types(field)
    dismissed = _dismissed_view(field, lang)
    pending = [e["type"] for e in entities if e["commands"]]
    name = f"{field.get('container', '')}.{field.get('field', '')}"
    top_share = max(
        (e.get("share") or 0.0 for e in field.get("entities") or [] if e.get("type") in beyond),
        default=None,
    )
    return {
        "id": f"field-{index}",
        "source": str(field.get("source", "")),
        "container": str(field.get("container", "")),
        "field": str(field.get("field", "")),
        "name": name,
        "status": status,
        "status_label": labels.status_label(status, lang),
        "entities": entities,
        "types": sorted({e["type"] for e in entities}),
        "beyond": beyond,
        "beyond_labels": [labels.entity_label(x, lang) for x in beyond],
        "top_share": _percent(top_share, lang) if top_share is not None else "",
        "is_new": any(e["change"] == "new" for e in entities if not e["allowed"]),
        "reviewed": _is_reviewed(field),
        "values_scanned": field.get("values_scanned"),
        "documents": field.get("documents") or 0,
        "sampling_method": labels.sampling_label(str(field.get("sampling_method") or ""), lang),
        "note": str(field.get("note") or ""),
        "dismissed": dismissed,
        "dismissed_badge": (
            t["dismissed_badge"].format(types=", ".join(d["short"] for d in dismissed))
            if dismissed
            else ""
        ),
        "reason": str(field.get("skipped") or "") if status == NOT_SCANNED else "",
        "pending": pending,
        "pending_labels": ", ".join(labels.entity_label(x, lang) for x in pending),
        "exception_snippet": (
            _exception_snippet(field, pending, t["reason_placeholder"]) if pending else ""
        ),
        "delete_text": t["action_delete_text"].format(field=name),
        "fp_text": t["action_fp_text"].format(
            type=", ".join(labels.entity_label(x, lang) for x in pending)
        ),
        "declare_text": t["action_declare_text"].format(section=section),
        "new_label": labels.change_label("new", lang),
        "reviewed_label": labels.triage_label(_review_decision(field), lang),
        "search": _search_text(
            name,
            field.get("source", ""),
            labels.status_label(status, lang),
            field.get("skipped") or "",
            *[x for e in entities for x in (e["type"], e["label"])],
        ),
    }


def _dismissed_view(field: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The types the field model did not report, with why (counts only, never a value)."""
    return [
        {
            "type": d["type"],
            "label": labels.entity_label(d["type"], lang),
            "short": labels.entity_short(d["type"], lang),
            "matches": labels.matches_text(d["matches"], lang),
            "reason": labels.dismissal_label(d["reason"], lang),
        }
        for d in labels.dismissed_entries(field)
    ]


def _review_decision(field: dict[str, Any]) -> str:
    decisions: set[Any] = {  # the report's decisions: strings, or None where not triaged
        (e.get("triage") or {}).get("decision")
        for e in field.get("entities") or []
        if e.get("type") in _beyond_types(field)
    }
    return decisions.pop() if len(decisions) == 1 and None not in decisions else "accepted"


def _search_text(*parts: object) -> str:
    return " ".join(str(p) for p in parts if p).lower()


def _shorten(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chart(fields: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Per source, how many fields hold each type: one small inline SVG bar chart per source.

    Bars share one scale across sources so that lengths compare; red marks a type that is beyond
    the policy in at least one field of that source.
    """
    counts: dict[str, Counter] = defaultdict(Counter)
    beyond: set[tuple[str, str]] = set()
    for f in fields:
        src = str(f.get("source", ""))
        for e in _shown_entities(f):
            counts[src][e["type"]] += 1
            if not e.get("allowed"):
                beyond.add((src, e["type"]))
    peak = max((n for c in counts.values() for n in c.values()), default=0)
    # One source gets the whole card; several sit side by side and share the width.
    label_w, bar_w, row_h = 184, 260 if len(counts) == 1 else 110, 22
    charts = []
    for src in sorted(counts):
        ordered = sorted(
            counts[src].items(), key=lambda kv: ((src, kv[0]) not in beyond, -kv[1], kv[0])
        )
        rows = [
            {
                "type": etype,
                "label": labels.entity_short(etype, lang),
                "full": labels.entity_label(etype, lang),
                "count": n,
                "beyond": (src, etype) in beyond,
                "width": max(2, round(bar_w * n / peak)),
                "y": i * row_h,
            }
            for i, (etype, n) in enumerate(ordered)
        ]
        charts.append(
            {
                "source": src,
                "rows": rows,
                "width": label_w + bar_w + 34,
                "height": len(rows) * row_h,
                "label_w": label_w,
                "bar_h": row_h - 7,
            }
        )
    return charts


def _trend(history: list[dict[str, Any]] | None, lang: str) -> dict[str, Any] | None:
    runs = [h for h in history or [] if isinstance(h.get("beyond_policy"), int | float)]
    if not runs:
        return None
    runs = runs[-20:]
    peak = max(max(h["beyond_policy"] for h in runs), 1)
    plot_h, bar_w, gap, top, bottom = 56, 26, 10, 16, 20
    bars = []
    for i, h in enumerate(runs):
        value = h["beyond_policy"]
        height = round(plot_h * value / peak)
        run = str(h.get("run", ""))
        bars.append(
            {
                "x": 8 + i * (bar_w + gap),
                "y": top + plot_h - height,
                "height": height,
                "value": value,
                "run": run,
                "label": _run_label(run, lang),
                "last": i == len(runs) - 1,
            }
        )
    return {
        "caption": f"{len(runs)} {labels.plural(len(runs), 'run', lang)}",
        "bars": bars,
        "bar_w": bar_w,
        "width": 16 + len(runs) * (bar_w + gap) - gap,
        "height": top + plot_h + bottom,
        "base_y": top + plot_h,
    }


def _format_time(value: str, lang: str) -> str:
    """``2026-11-26T02:00:00Z`` as people read it; anything unparsable is shown as given."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    zone = " UTC" if moment.utcoffset() == timedelta(0) else ""
    if lang == "ru":
        return moment.strftime("%d.%m.%Y %H:%M") + zone
    return moment.strftime("%Y-%m-%d %H:%M") + zone


def _run_label(run: str, lang: str) -> str:
    # Run folders are named like 2026-11-24T02-00-00; show the day and month only.
    date = run[:10]
    if len(date) == 10 and date[4] == "-" and date[7] == "-":
        return f"{date[8:10]}.{date[5:7]}" if lang == "ru" else f"{date[5:7]}-{date[8:10]}"
    return run[:8]


def _context(report: dict[str, Any], lang: str, json_path: str) -> dict[str, Any]:
    t = labels.ui(lang)
    policy = report.get("policy") or {}
    section = _policy_section(policy)
    fields = [f for f in report.get("fields") or [] if isinstance(f, dict)]
    by_status: dict[str, list[dict[str, Any]]] = {s: [] for s in STATUSES}
    for f in fields:
        by_status[_field_status(f)].append(f)
    by_status[BEYOND] = order_fields(by_status[BEYOND])
    for s in (NOT_SCANNED, WITHIN, NONE):
        by_status[s].sort(
            key=lambda f: (f.get("source", ""), f.get("container", ""), f.get("field", ""))
        )
    views: dict[str, list[dict[str, Any]]] = {}
    index = 0
    for s in STATUSES:
        views[s] = []
        for f in by_status[s]:
            index += 1
            views[s].append(_field_view(f, index, lang, section, json_path, t))

    summary = report.get("summary") or {}
    errors = [e for e in report.get("errors") or [] if isinstance(e, dict)]
    n_beyond = summary.get("beyond_policy", len(by_status[BEYOND]))
    n_containers = summary.get(
        "containers_beyond_policy",
        len({(f.get("source"), f.get("container")) for f in by_status[BEYOND]}),
    )
    n_errors = summary.get("errors", len(errors))
    n_reviewed = sum(1 for v in views[BEYOND] if v["reviewed"])
    verdict = {
        "beyond": n_beyond,
        "beyond_text": t["verdict_beyond"].format(fields=labels.plural(n_beyond, "field", lang)),
        "where_text": t["verdict_where"].format(
            n=n_containers, where=labels.plural(n_containers, "field_loc", lang)
        ),
        "containers": n_containers,
        "errors": n_errors,
        "errors_text": t["verdict_errors"].format(errors=labels.plural(n_errors, "error", lang)),
        "reviewed": n_reviewed,
        "reviewed_text": t["verdict_reviewed"].format(
            n=n_reviewed, reviewed=t["reviewed_one" if n_reviewed == 1 else "reviewed_many"]
        ),
        "within": summary.get("within_policy", len(by_status[WITHIN])),
        "none": summary.get("no_personal_data", len(by_status[NONE])),
        "not_scanned": summary.get("not_scanned", len(by_status[NOT_SCANNED])),
        "not_scanned_text": t["verdict_not_scanned"].format(
            n=summary.get("not_scanned", len(by_status[NOT_SCANNED]))
        ),
        "total": summary.get("fields", len(fields)),
    }

    all_views = [v for s in STATUSES for v in views[s]]
    type_options = sorted(
        {x for v in all_views for x in v["types"]}
        | {r.get("type") for r in report.get("resolved") or [] if r.get("type")},
        key=lambda x: labels.entity_label(x, lang).lower(),
    )
    allowed = policy.get("allowed") or []
    clauses = policy.get("clauses") or {}
    tool = report.get("tool") or {}
    return {
        "t": t,
        "lang": lang,
        "report": report,
        "policy": {
            "title": policy.get("title") or policy.get("id") or "",
            "section": section,
            "allowed": [
                {
                    "type": a,
                    "label": labels.entity_label(a, lang),
                    "clause": labels.clause_text(clauses.get(a), lang, section)
                    if clauses.get(a)
                    else "",
                }
                for a in allowed
            ],
            "exceptions": [
                {
                    "field": str(x.get("field", "")),
                    "types": ", ".join(labels.entity_label(y, lang) for y in x.get("types") or []),
                    "reason": str(x.get("reason") or ""),
                }
                for x in policy.get("exceptions") or []
                if isinstance(x, dict)
            ],
        },
        "tool": f"{tool.get('name', 'pdaudit')} {tool.get('version', '')}".strip(),
        "generated_at": _format_time(str(report.get("generated_at") or ""), lang),
        "generated_at_iso": str(report.get("generated_at") or ""),
        "sampling": _sampling(report.get("sampling") or {}, lang),
        "sources": [
            {**s, "kind": labels.source_kind_label(s.get("kind"), lang)}
            for s in report.get("sources") or []
            if isinstance(s, dict)
        ],
        "verdict": verdict,
        "fields": views,
        "total_items": len(all_views),
        "filter_sources": sorted(
            {v["source"] for v in all_views} | {str(e.get("source", "")) for e in errors}
        ),
        "filter_containers": sorted(
            {v["container"] for v in all_views} | {str(e.get("container", "")) for e in errors}
        ),
        "filter_types": [(x, labels.entity_label(x, lang)) for x in type_options],
        "filter_statuses": [(s, labels.status_label(s, lang)) for s in STATUSES],
        "errors": [
            {
                "source": str(e.get("source", "")),
                "container": str(e.get("container", "")),
                "message": str(e.get("message", "")),
                "search": _search_text(e.get("source"), e.get("container"), e.get("message")),
            }
            for e in errors
        ],
        "resolved": [
            {
                "source": str(r.get("source", "")),
                "container": str(r.get("container", "")),
                "field": str(r.get("field", "")),
                "type": str(r.get("type", "")),
                "label": labels.entity_label(str(r.get("type", "")), lang),
                "search": _search_text(
                    f"{r.get('container', '')}.{r.get('field', '')}",
                    r.get("source"),
                    r.get("type"),
                    labels.entity_label(str(r.get("type", "")), lang),
                ),
            }
            for r in report.get("resolved") or []
            if isinstance(r, dict)
        ],
        "has_resolved": "resolved" in report,
        "third_party": _third_party_view(report, lang),
        "chart": _chart(fields, lang),
        "trend": _trend(report.get("history"), lang),
        "history_len": len(report.get("history") or []),
    }


def _third_party_view(report: dict[str, Any], lang: str) -> dict[str, Any] | None:
    """Section 2.4: the fields holding third parties' data, worst first (None: not scanned for)."""
    if "third_party_fields" not in report:
        return None
    from pdaudit.scanner.thirdparty import worst_first

    third = (report.get("policy") or {}).get("third_parties") or {}
    clause = str(third.get("clause") or "2.4")
    items = []
    for f in worst_first(report):
        block = f["third_party"]
        status = str(block.get("status", "open"))
        exception = block.get("exception") or {}
        triage = block.get("triage") or {}
        items.append(
            {
                "name": f"{f.get('container', '')}.{f.get('field', '')}",
                "source": str(f.get("source", "")),
                "basis": labels.third_party(f"basis.{block.get('basis', '')}", lang),
                "share": _percent(block.get("share"), lang),
                "interval": _interval(block.get("share_interval"), lang),
                "evidence": [
                    labels.evidence_label(str(e), lang) for e in block.get("evidence", [])
                ],
                "examples": [str(x) for x in block.get("examples") or []],
                "status": status,
                "status_label": labels.third_party(f"status.{status}", lang),
                "reason": str(exception.get("basis") or triage.get("reason") or ""),
                "change": labels.change_label(block["change"], lang) if block.get("change") else "",
            }
        )
    return {
        "title": labels.third_party("title", lang, clause=clause),
        "intro": labels.third_party("intro", lang, clause=clause),
        "columns": labels.third_party("columns", lang),
        "items": items,
    }


def render_html(report: dict, lang: str = "ru", *, json_path: str | None = None) -> str:
    """Render a JSON report (as a dict) to one self-contained HTML page in ``lang`` (ru or en).

    ``json_path`` is the report file named in the triage commands the page suggests.
    """
    labels.check_lang(lang)
    css, js = _asset("report.css"), _asset("report.js")
    csp = "; ".join(
        [
            "default-src 'none'",
            f"style-src {_csp_hash(css)}",
            f"script-src {_csp_hash(js)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    ctx = _context(report, lang, json_path or DEFAULT_JSON_NAME)
    ctx["gap"] = gap_context(report, lang, ctx["policy"]["section"])
    template = _environment().get_template("report.html.j2")
    return template.render(csp=csp, css=Markup(css), js=Markup(js), **ctx)


def _sampling(sampling: dict, lang: str) -> dict:
    """The report's ``sampling`` block with its method in words."""
    if not isinstance(sampling, dict):
        return {}
    return {**sampling, "method": labels.sampling_label(str(sampling.get("method") or ""), lang)}


def write_html(
    report: dict, path: str | Path, lang: str = "ru", *, json_path: str | None = None
) -> None:
    """Write the HTML report to ``path`` atomically (a temporary file, then a rename)."""
    path = Path(path)
    html = render_html(report, lang, json_path=json_path)
    fd, tmp = create_temp_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(html)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
