"""Reviewers' decisions on findings: false positives and accepted findings, kept across rescans.

A decision is keyed by ``(source, container, field, type)`` and holds the decision, a reason, the
reviewer and the date: never a value. Applied to a report:

- ``false_positive``: the type is not really in the field. The entity stays listed with its
  ``triage`` block, stops counting as beyond the policy, and no longer makes the field personal
  data (a field holding only false positives becomes ``no_personal_data``).
- ``accepted``: the type is there and a reviewer accepted it with a written reason, as a per-field
  policy exception would. The entity counts as allowed, so the field is ``within_policy`` unless
  other types are beyond it; the summary counts accepted findings so they stay visible.

A third-party finding (section 2.4, the field's ``third_party`` block) is named with the type
``THIRD_PARTY`` (``parents.parent_fio:THIRD_PARTY=accepted``): ``accepted`` makes its status
``accepted`` (a written basis, e.g. a stored consent), ``false_positive`` makes it ``dismissed``;
the field's status, which judges types against 2.3, does not change.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from pdaudit.scanner.fsutil import atomic_write_text
from pdaudit.scanner.history import RUN_NAME, Key, diff_summary, finding_key
from pdaudit.scanner.thirdparty import TYPE as THIRD_PARTY
from pdaudit.scanner.thirdparty import counted as third_party_counted

DECISIONS = ("false_positive", "accepted")
DEFAULT_NAME = "pdaudit-triage.yaml"
HEADER = """\
# pdaudit triage decisions: written by `pdaudit triage`, applied by `pdaudit scan --triage-file`
# and by `pdaudit run` (jobs keep this file in their output folder).
# A decision names a finding by source, container, field and type; it never holds a value.
# decision: false_positive (the type is not really there) or accepted (there, with a reason).
"""


class TriageError(ValueError):
    """A triage file or a --mark cannot be used; the message is one line."""


@dataclass(frozen=True)
class Decision:
    """One reviewer's decision on one finding."""

    source: str
    container: str
    field: str
    type: str
    decision: str
    reason: str
    reviewer: str
    date: str

    @property
    def key(self) -> Key:
        """The finding this decision is about."""
        return (self.source, self.container, self.field, self.type)

    def as_triage(self) -> dict:
        """The report's ``triage`` block of an entity."""
        return {
            "decision": self.decision,
            "reason": self.reason,
            "reviewer": self.reviewer,
            "date": self.date,
        }


def default_path(report_path: str | Path) -> Path:
    """``pdaudit-triage.yaml`` beside the report; for a job's run folder, in the job's output."""
    report_path = Path(report_path)
    folder = report_path.parent
    if RUN_NAME.match(folder.name) and (folder.parent / "latest.json").exists():
        folder = folder.parent
    return folder / DEFAULT_NAME


def default_reviewer() -> str:
    """``$USER``, else the login name, else ``unknown``."""
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def load(path: str | Path) -> dict[Key, Decision]:
    """Read a triage file; a missing file holds no decisions."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except OSError as exc:
        raise TriageError(f"{path}: cannot read the triage file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise TriageError(f"{path}{where}: the triage file is not valid YAML") from exc
    entries = data.get("decisions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise TriageError(f"{path}: a triage file needs a 'decisions' list")
    decisions: dict[Key, Decision] = {}
    names = [f for f in Decision.__dataclass_fields__]
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or any(not str(entry.get(n) or "").strip() for n in names):
            raise TriageError(f"{path}: decision #{i} needs {', '.join(names)}")
        decision = Decision(**{n: str(entry[n]) for n in names})
        decision = _masked_names(decision)
        if decision.decision not in DECISIONS:
            raise TriageError(
                f"{path}: decision #{i} is {decision.decision!r}; use one of {', '.join(DECISIONS)}"
            )
        decisions[decision.key] = decision
    return decisions


def _masked_names(decision: Decision) -> Decision:
    """A decision written before names were masked, keyed by the names' masked identities (the
    form ``history.finding_key`` gives); a decision already in that form is left as it is."""
    from dataclasses import replace

    from pdaudit.scanner.names import KEY_CHARS, mask_name, name_key

    changed = {}
    for part in ("source", "container", "field"):
        raw = getattr(decision, part)
        if " #" in raw and len(raw.rpartition(" #")[2]) == KEY_CHARS:
            continue  # already an identity
        shown = mask_name(raw)
        if shown != raw:
            changed[part] = f"{shown} #{name_key(raw)[:KEY_CHARS]}"
    return replace(decision, **changed) if changed else decision


def save(path: str | Path, decisions: dict[Key, Decision]) -> None:
    """Write the decisions atomically, sorted by finding, after a comment header."""
    body = yaml.safe_dump(
        {"version": 1, "decisions": [asdict(d) for _, d in sorted(decisions.items())]},
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    atomic_write_text(path, HEADER + body)


def apply(report: dict, decisions: dict[Key, Decision]) -> int:
    """Put each decision on its entity, recompute the fields' statuses and the summary.

    Returns how many findings of the report had a decision.
    """
    from pdaudit.scanner.scan import STATUS_ORDER

    applied = 0
    for f in report.get("fields", []):
        block = f.get("third_party")
        decision = decisions.get(finding_key(f, THIRD_PARTY)) if block else None
        if decision is not None:
            block["triage"] = decision.as_triage()
            block["status"] = "accepted" if decision.decision == "accepted" else "dismissed"
            applied += 1
        touched = False
        for entity in f.get("entities", []):
            decision = decisions.get(finding_key(f, entity["type"]))
            if decision is None:
                continue
            entity["triage"] = decision.as_triage()
            entity["allowed"] = True
            applied += 1
            touched = True
        if touched:
            _restatus(f)
    if applied:
        if "third_party_fields" in report:
            report["third_party_fields"] = third_party_counted(report)["third_party_fields"]
        report["fields"].sort(
            key=lambda f: (
                STATUS_ORDER[f["status"]],
                -len(f["beyond_policy"]),
                f["source"],
                f["container"],
                f["field"],
            )
        )
        refresh_summary(report)
    return applied


def _restatus(f: dict) -> None:
    from pdaudit.scanner.policy import BEYOND, NONE, WITHIN

    entities = f["entities"]
    f["beyond_policy"] = [e["type"] for e in entities if not e.get("allowed", True)]
    personal = [
        e
        for e in entities
        if e.get("personal", True) and (e.get("triage") or {}).get("decision") != "false_positive"
    ]
    f["status"] = BEYOND if f["beyond_policy"] else WITHIN if personal else NONE


def refresh_summary(report: dict) -> None:
    """Recount the summary after statuses changed (same counts as ``scan.build_report``)."""
    from pdaudit.scanner.policy import BEYOND, NONE, WITHIN

    fields = report["fields"]
    beyond = [f for f in fields if f["status"] == BEYOND]
    triaged = [e.get("triage", {}).get("decision") for f in fields for e in f["entities"]]
    report["summary"].update(
        {
            "beyond_policy": len(beyond),
            "within_policy": sum(f["status"] == WITHIN for f in fields),
            "no_personal_data": sum(f["status"] == NONE for f in fields),
            "not_scanned": sum(f["status"] == "not_scanned" for f in fields),
            "containers_beyond_policy": len({(f["source"], f["container"]) for f in beyond}),
            "accepted": triaged.count("accepted"),
            "false_positive": triaged.count("false_positive"),
        }
    )
    diff_summary(report)


# --- choosing findings -------------------------------------------------------------------------


def parse_mark(mark: str) -> tuple[str | None, str, str, str]:
    """Split ``[SOURCE ]CONTAINER.FIELD:TYPE=DECISION`` into its four parts.

    >>> parse_mark("users.iin:KZ_IIN=accepted")
    (None, 'users.iin', 'KZ_IIN', 'accepted')
    >>> parse_mark("sqlite:///a.db public.users.iin:KZ_IIN=false_positive")
    ('sqlite:///a.db', 'public.users.iin', 'KZ_IIN', 'false_positive')
    """
    target, eq, decision = mark.rpartition("=")
    where, colon, etype = target.rpartition(":")
    if not eq or not colon or not where or not etype:
        raise TriageError(
            f"--mark {mark!r}: expected CONTAINER.FIELD:TYPE=DECISION "
            "(e.g. users.iin:KZ_IIN=accepted)"
        )
    if decision not in DECISIONS:
        raise TriageError(f"--mark {mark!r}: decision must be one of {', '.join(DECISIONS)}")
    source, space, name = where.rpartition(" ")
    return (source if space else None), name, etype, decision


def find_finding(report: dict, source: str | None, name: str, etype: str) -> Key:
    """The one finding of ``etype`` in the field called ``container.field`` (in ``source``).

    Names may hold spaces (a masked name such as ``С********* А******``): when ``source`` and
    ``name`` were split at a space that belongs to a name, the other splits are tried.
    """
    whole = f"{source} {name}" if source is not None else name
    splits = [(source, name)] + [
        (whole[:i], whole[i + 1 :]) for i, ch in enumerate(whole) if ch == " "
    ]
    splits.append((None, whole))
    for src, nm in splits:
        fields = [
            f
            for f in report.get("fields", [])
            if f"{f['container']}.{f['field']}" == nm and (src is None or f["source"] == src)
        ]
        if fields:
            source, name = src, nm
            break
    if not fields:
        where = f" in {source}" if source else ""
        raise TriageError(f"no field {name}{where} in the report")
    with_type = [
        f
        for f in fields
        if any(e["type"] == etype for e in f["entities"])
        or (etype == THIRD_PARTY and f.get("third_party"))
    ]
    if not with_type:
        found = sorted(
            {e["type"] for f in fields for e in f["entities"]}
            | ({THIRD_PARTY} if any(f.get("third_party") for f in fields) else set())
        )
        raise TriageError(
            f"{name}: no {etype} finding in the report (found: {', '.join(found) or 'none'})"
        )
    if len(with_type) > 1:
        sources = ", ".join(sorted({f["source"] for f in with_type}))
        raise TriageError(
            f"{name} is in several sources ({sources}); name one: --mark 'SOURCE {name}:...'"
        )
    return finding_key(with_type[0], etype)


def decide(
    key: Key, decision: str, reason: str, reviewer: str, today: dt.date | None = None
) -> Decision:
    """A new decision on a finding; the reason is required. A personal value written into the
    reason ("consent of <name>, <IIN>") is masked: the triage file and reports never hold one."""
    if decision not in DECISIONS:
        raise TriageError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    from pdaudit.scanner.masking import redact

    reason = redact(" ".join(reason.split()))
    if not reason:
        raise TriageError("a decision needs a written reason (--reason)")
    return Decision(
        *key,
        decision=decision,
        reason=reason,
        reviewer=reviewer or default_reviewer(),
        date=(today or dt.date.today()).isoformat(),
    )


def pending(report: dict, decisions: dict[Key, Decision]) -> list[tuple[dict, dict]]:
    """``(field, entity)`` pairs beyond the policy that no decision covers yet, worst first; then
    the open third-party findings (section 2.4), as entities of type ``THIRD_PARTY``."""
    out = []
    for f in report.get("fields", []):
        for e in f.get("entities", []):
            if not e.get("allowed", True) and finding_key(f, e["type"]) not in decisions:
                out.append((f, e))
    for f in report.get("fields", []):
        block = f.get("third_party")
        if block and block.get("status") == "open":
            if finding_key(f, THIRD_PARTY) not in decisions:
                out.append((f, {"type": THIRD_PARTY, **block}))
    return out


def review(
    report: dict,
    decisions: dict[Key, Decision],
    ask: Callable[[str, list[str]], str],
    ask_reason: Callable[[], str],
    say: Callable[[str], None],
    reviewer: str,
) -> int:
    """Walk the pending findings, asking for a decision on each; returns how many were decided.

    ``ask(prompt, choices)`` returns one of ``false_positive``, ``accepted``, ``skip``, ``quit``.
    """
    todo = pending(report, decisions)
    decided = 0
    for n, (f, e) in enumerate(todo, 1):
        if e["type"] == THIRD_PARTY:
            say(
                f"[{n}/{len(todo)}] {f['source']} {f['container']}.{f['field']}: third parties' "
                f"data (clause {e['clause']}, {e['basis']}) in {e['share']:.0%}; "
                f"evidence: {', '.join(e.get('evidence') or []) or '-'}"
            )
        else:
            say(
                f"[{n}/{len(todo)}] {f['source']} {f['container']}.{f['field']}: {e['type']} "
                f"in {e['share']:.0%} of {f['values_scanned']} values, confidence "
                f"{e['confidence']:.2f}; examples: {', '.join(e.get('examples') or []) or '-'}; "
                f"evidence: {', '.join(e.get('evidence') or []) or '-'}"
            )
        answer = ask("decision", [*DECISIONS, "skip", "quit"])
        if answer == "quit":
            break
        if answer == "skip":
            continue
        d = decide(finding_key(f, e["type"]), answer, ask_reason(), reviewer)
        decisions[d.key] = d
        decided += 1
    return decided
