"""The SARIF 2.1.0 report, for code-scanning dashboards and CI.

One rule per entity type found; one result per (field, type) that the policy does not allow, at
level ``error``. Types the policy allows are left out: SARIF is read as a to-do list, and a result
for every e-mail column would bury the findings that need action. A finding a reviewer triaged
stays in with a ``suppressions`` entry (accepted or false positive, with reason and reviewer), so
dashboards show it as dismissed rather than fixed. Values never go into SARIF, not even masked:
SARIF files are often uploaded to third-party services.

A file (or part of one) that was not read is a result of the rule ``not-scanned`` at level
``warning`` and of kind ``review``, with the reason: its content is unknown, not clean.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath
from urllib.parse import quote

from pdaudit.scanner.reports import labels

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/mirum-kz/pdaudit"
FINGERPRINT = "pdauditFinding/v1"
NOT_SCANNED_RULE = "not-scanned"


def section_of(policy: dict) -> str:
    """The policy section the clauses belong to: ``2.3`` for clauses 2.3.1, 2.3.2, 2.3.3.

    >>> section_of({"clauses": {"PERSON": "2.3.1", "EMAIL_ADDRESS": "2.3.2"}})
    '2.3'
    >>> section_of({"clauses": {}}) == labels.default_section()
    True
    """
    from pdaudit.scanner.policy_gap import (
        list_section,  # a policy read from its text names its list
    )

    if listed := list_section(policy):
        return listed
    clauses = [c.split(".") for c in (policy.get("clauses") or {}).values() if c]
    if not clauses:
        return labels.default_section()
    common: list[str] = []
    for parts in zip(*clauses, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    if len(common) == min(len(c) for c in clauses):  # a single clause: its parent section
        common = common[:-1]
    return ".".join(common) or labels.default_section()


def fingerprint(source: str, container: str, field: str, entity_type: str) -> str:
    """A stable hash of a finding's identity (never of a value).

    >>> fingerprint("sqlite:///a.db", "users", "iin", "KZ_IIN")[:16]
    '820568bf0502c3b1'
    """
    key = "\x1f".join((source, container, field, entity_type))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _is_reported(entity: dict) -> bool:
    """Beyond the policy, or triaged (which made it allowed) but not covered by the policy."""
    if not entity.get("personal", True) or entity.get("exception") or entity.get("clause"):
        return False
    return not entity.get("allowed", True) or bool(entity.get("triage"))


def _artifact_uri(report: dict, source: str, container: str) -> str | None:
    """The file a finding is in, for sources that are files or folders (not databases)."""
    if "://" in source:
        return None
    kinds = {s.get("source"): str(s.get("kind", "")).lower() for s in report.get("sources", [])}
    if "sql" in kinds.get(source, ""):
        return None
    path = PurePosixPath(source.replace("\\", "/"))
    if path.name != container:
        path = path / container
    return quote(str(path), safe="/:")


def _rule(etype: str, section: str, policy: dict, lang: str) -> dict:
    clause = (policy.get("clauses") or {}).get(etype)
    where = labels.clause_text(clause, lang, section)
    label = labels.entity_label(etype, lang)
    policy_name = policy.get("title") or policy.get("id") or ""
    return {
        "id": etype,
        "name": "".join(p.capitalize() for p in etype.split("_")),
        "shortDescription": {"text": f"{label} ({etype})"},
        "fullDescription": {"text": f"{label}: {where} — {policy_name}"},
        "help": {
            "text": (
                f"{label}: {where} ({policy_name}). Remove the data, declare it in the policy, "
                "or record a reviewed decision with `pdaudit triage`."
            )
        },
        "defaultConfiguration": {"level": "note" if clause else "error"},
        "properties": {"clause": clause, "sensitivity": labels.sensitivity(etype)},
    }


def to_sarif(report: dict, lang: str = "ru") -> dict:
    """The report as a SARIF 2.1.0 log (a dict)."""
    policy = report.get("policy") or {}
    section = section_of(policy)
    results = []
    types: set[str] = set()
    for f in report.get("fields", []):
        for e in f.get("entities", []):
            if not _is_reported(e):
                continue
            types.add(e["type"])
            results.append(_result(report, f, e, section, lang))
    unread = [f for f in report.get("fields", []) if f.get("status") == "not_scanned"]
    third_party = [f for f in report.get("fields", []) if _third_party_reported(f)]
    for f in third_party:
        results.append(_third_party_result(report, f, lang))
    rules = [_rule(t, section, policy, lang) for t in sorted(types)]
    if unread:
        rules.append(_not_scanned_rule(lang))
        results += [_not_scanned_result(report, f) for f in unread]
    if third_party:
        rules.append(_third_party_rule(policy, lang))
    index = {r["id"]: i for i, r in enumerate(rules)}
    for result in results:
        result["ruleIndex"] = index[result["ruleId"]]
    errors = report.get("errors") or []
    tool = report.get("tool") or {}
    run: dict = {
        "tool": {
            "driver": {
                "name": "pdaudit",
                "version": str(tool.get("version", "")),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [
                    {
                        "level": "error",
                        "message": {"text": f"{e['source']} {e['container']}: {e['message']}"},
                    }
                    for e in errors
                ],
            }
        ],
        "results": results,
        "properties": {
            "policy": policy.get("id"),
            "sampling": report.get("sampling"),
            "generated_at": report.get("generated_at"),
        },
    }
    # The policy gap (scanner.policy_gap): no SARIF result kind fits a list of declared categories.
    run["properties"]["policyGap"] = _gap_summary(report)
    if report.get("generated_at"):
        run["invocations"][0]["endTimeUtc"] = report["generated_at"]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _not_scanned_rule(lang: str) -> dict:
    label = labels.status_label("not_scanned", lang)
    return {
        "id": NOT_SCANNED_RULE,
        "name": "NotScanned",
        "shortDescription": {"text": label},
        "fullDescription": {"text": "A file pdaudit found but could not read: not checked."},
        "help": {
            "text": (
                "Convert the file to a format pdaudit reads (PDF, an image, DOCX, XLSX, PPTX, "
                "ODT, ODS, RTF, CSV, text), remove its password or repair it, or exclude it."
            )
        },
        "defaultConfiguration": {"level": "warning"},
    }


def _not_scanned_result(report: dict, f: dict) -> dict:
    name = f"{f['container']}" if f["field"] == "*" else f"{f['container']}.{f['field']}"
    location: dict = {
        "logicalLocations": [
            {"name": f["source"], "kind": "module"},
            {
                "name": f["container"],
                "fullyQualifiedName": f"{f['source']}/{f['container']}",
                "kind": "type",
            },
        ]
    }
    uri = _artifact_uri(report, f["source"], f["container"])
    if uri:
        location["physicalLocation"] = {"artifactLocation": {"uri": uri}}
    return {
        "ruleId": NOT_SCANNED_RULE,
        "level": "warning",
        "kind": "review",
        "message": {"text": f"{name}: not scanned: {f.get('skipped') or ''}"},
        "locations": [location],
        "partialFingerprints": {
            FINGERPRINT: fingerprint(f["source"], f["container"], f["field"], NOT_SCANNED_RULE)
        },
    }


def _result(report: dict, f: dict, e: dict, section: str, lang: str) -> dict:
    etype = e["type"]
    where = labels.clause_text(None, lang, section)
    name = f"{f['container']}.{f['field']}"
    share = e.get("share") or 0.0
    text = (
        f"{name}: {labels.entity_label(etype, lang)} ({etype}) — {where}; "
        f"{share:.0%} ({e.get('matches', 0)}/{f.get('values_scanned', 0)}), "
        f"confidence {e.get('confidence', 0):.2f}"
    )
    location: dict = {
        "logicalLocations": [
            {"name": f["source"], "kind": "module"},
            {
                "name": f["container"],
                "fullyQualifiedName": f"{f['source']}/{f['container']}",
                "kind": "type",
            },
            {
                "name": f["field"],
                "fullyQualifiedName": f"{f['source']}/{f['container']}/{f['field']}",
                "kind": "member",
            },
        ]
    }
    uri = _artifact_uri(report, f["source"], f["container"])
    if uri:
        physical: dict = {"artifactLocation": {"uri": uri}}
        if e.get("pages"):
            # A page is the nearest thing a document has to a line.
            physical["region"] = {"startLine": min(e["pages"])}
        location["physicalLocation"] = physical
    result: dict = {
        "ruleId": etype,
        "level": "error",
        "kind": "fail",
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {
            FINGERPRINT: fingerprint(f["source"], f["container"], f["field"], etype)
        },
        "properties": {
            "share": share,
            "share_interval": e.get("share_interval"),
            "matches": e.get("matches"),
            "values_scanned": f.get("values_scanned"),
            "confidence": e.get("confidence"),
            "evidence": e.get("evidence") or [],
        },
    }
    return _with_review(result, e)


def _with_review(result: dict, finding: dict) -> dict:
    """``result`` with what a baseline and reviewers said of the finding (a type or 2.4)."""
    if finding.get("change") in ("new", "unchanged"):
        result["baselineState"] = finding["change"]
    if finding.get("triage"):
        result["suppressions"] = _suppressions(finding["triage"])
    return result


def _suppressions(triage: dict) -> list[dict]:
    """A reviewer's decision (``pdaudit triage``) as SARIF suppressions."""
    return [
        {
            "kind": "external",
            "status": "accepted",
            "justification": (
                f"{triage.get('decision')}: {triage.get('reason', '')} "
                f"({triage.get('reviewer', '')}, {triage.get('date', '')})"
            ),
            "properties": {"decision": triage.get("decision")},
        }
    ]


def _third_party_reported(f: dict) -> bool:
    """A field's section 2.4 finding: open, or triaged (a policy basis leaves it out, as a
    policy exception does for types)."""
    block = f.get("third_party") or {}
    return bool(block) and (block.get("status") == "open" or bool(block.get("triage")))


def _third_party_rule(policy: dict, lang: str) -> dict:
    from pdaudit.scanner.thirdparty import TYPE

    clause = str((policy.get("third_parties") or {}).get("clause") or "2.4")
    title = labels.third_party("title", lang, clause=clause)
    return {
        "id": TYPE,
        "name": "ThirdParty",
        "shortDescription": {"text": f"{title} ({TYPE})"},
        "fullDescription": {"text": labels.third_party("intro", lang, clause=clause)},
        "help": {
            "text": (
                f"{title}: remove the data, keep the documentary proof and name it in the policy's "
                "third_parties exceptions, or record a reviewed decision with `pdaudit triage`."
            )
        },
        "defaultConfiguration": {"level": "error"},
        "properties": {"clause": clause, "sensitivity": 2},
    }


def _third_party_result(report: dict, f: dict, lang: str) -> dict:
    from pdaudit.scanner.thirdparty import TYPE

    block = f["third_party"]
    base = _result(report, f, {"type": TYPE, "share": block["share"]}, "", lang)
    basis = labels.third_party(f"basis.{block['basis']}", lang)
    base["message"] = {
        "text": (
            f"{f['container']}.{f['field']}: {labels.third_party('title', lang, clause=block['clause'])}"
            f" — {basis}; {block['share']:.0%}"
        )
    }
    base["properties"] = {
        "clause": block["clause"],
        "basis": block["basis"],
        "share": block["share"],
        "share_interval": block.get("share_interval"),
        "evidence": block.get("evidence") or [],
    }
    return _with_review(base, block)


def dumps(report: dict, lang: str = "ru") -> str:
    """The SARIF log as pretty UTF-8 JSON."""
    return json.dumps(to_sarif(report, lang), ensure_ascii=False, indent=2) + "\n"


def _gap_summary(report: dict) -> dict:
    """The parts of the policy gap a CI reader needs: types stored but not declared, and so on."""
    from pdaudit.scanner.reports.gap_view import gap_of

    gap = gap_of(report)
    return {
        "storedNotDeclared": [x["type"] for x in gap.get("stored_not_declared") or []],
        "declaredNotFound": [x["type"] for x in gap.get("declared_not_found") or []],
        "unmapped": [
            f"{x.get('clause', '')} {x.get('text', '')}".strip() for x in gap.get("unmapped") or []
        ],
        "draft": gap.get("draft_text", ""),
        "disclaimer": gap.get("disclaimer", ""),
    }
