"""The terminal report: a rich table, fields beyond the policy first."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

STATUS_STYLE = {
    "beyond_policy": "bold red",
    "not_scanned": "bold yellow",
    "within_policy": "green",
    "no_personal_data": "dim",
}


def render(report: dict, width: int = 120, color: bool = False, show_all: bool = False) -> str:
    """The report as text; ``show_all`` also lists fields without personal data."""
    buf = StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        soft_wrap=False,
    )
    s = report["summary"]
    console.print(
        Text.assemble(
            ("pdaudit ", "bold"),
            f"policy {report['policy']['id']} · sampling {report['sampling'].get('method') or '-'}"
            f" · seed {report['sampling'].get('seed')}",
        )
    )
    verdict_style = "bold red" if s["beyond_policy"] else "bold green"
    console.print(
        Text(
            f"{s['beyond_policy']} field(s) beyond policy in {s['containers_beyond_policy']} "
            f"container(s); {s['within_policy']} within policy; {s['no_personal_data']} without "
            f"personal data; {s.get('not_scanned', 0)} not scanned; {s['errors']} error(s)",
            style=verdict_style,
        )
    )
    if "resolved" in report:
        console.print(
            f"since the baseline: {s.get('new_beyond_policy', 0)} new, "
            f"{s.get('unchanged_beyond_policy', 0)} unchanged, "
            f"{s.get('resolved_beyond_policy', 0)} resolved beyond-policy finding(s)"
        )
    third = [f for f in report["fields"] if (f.get("third_party") or {}).get("status") == "open"]
    if "third_party_fields" in report:
        console.print(
            Text(
                f"{report['third_party_fields']} field(s) hold third parties' data (clause 2.4), "
                f"{len(third)} without a documented basis",
                style="bold red" if third else "",
            )
        )
    rows = [f for f in report["fields"] if show_all or f["status"] != "no_personal_data"]
    if rows:
        table = Table(show_lines=False, expand=False)
        for col in (
            "status",
            "container",
            "field",
            "values",
            "types (share, confidence)",
            "examples",
        ):
            table.add_column(col, overflow="fold")
        for f in rows:
            types = []
            for e in f["entities"]:
                mark = "!" if not e.get("allowed", True) else ""
                change = " new" if e.get("change") == "new" else ""
                decision = (e.get("triage") or {}).get("decision")
                change += f" [{decision}]" if decision else ""
                types.append(f"{mark}{e['type']} {e['share']:.0%} c={e['confidence']:.2f}{change}")
            block = f.get("third_party")
            if block and block.get("status") != "dismissed":
                # Section 2.4: whose data it is, beside what types it holds.
                mark = "!" if block.get("status") == "open" else ""
                change = " new" if block.get("change") == "new" else ""
                change += " [accepted]" if block.get("status") == "accepted" else ""
                types.append(
                    f"{mark}THIRD PARTY {block['clause']} {block['share']:.0%} "
                    f"({block['basis']}){change}"
                )
            examples = ", ".join(ex for e in f["entities"] for ex in e["examples"][:1])
            table.add_row(
                Text(f["status"], style=STATUS_STYLE.get(f["status"], "")),
                Text(f["container"]),  # Text, not str: a name like "[/bold]" is no markup
                Text(f["field"]),
                str(f["values_scanned"]),
                Text("\n".join(types) or (f.get("skipped") or "-")),
                Text(examples),
            )
        console.print(table)
    for err in report.get("errors", []):
        console.print(
            Text(f"error: {err['source']} {err['container']}: {err['message']}", style="red")
        )
    for res in report.get("resolved", []):
        console.print(Text(f"resolved: {res['container']}.{res['field']} {res['type']}"))
    from pdaudit.scanner.reports.gap_view import (
        gap_text,  # the policy gap section (scanner.policy_gap)
    )

    for line in gap_text(report):
        console.print(Text(line))
    return buf.getvalue()
