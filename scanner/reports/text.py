"""The terminal report: a rich table, fields beyond the policy first, in Russian or English."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pdaudit.scanner.reports import labels

STATUS_STYLE = {
    "beyond_policy": "bold red",
    "not_scanned": "bold yellow",
    "within_policy": "green",
    "no_personal_data": "dim",
}


def render(
    report: dict,
    width: int = 120,
    color: bool = False,
    show_all: bool = False,
    lang: str = "ru",
) -> str:
    """The report as text; ``show_all`` also lists fields without personal data."""
    t = labels.ui(lang)
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
    sampling = report["sampling"]
    console.print(
        Text.assemble(
            ("pdaudit ", "bold"),
            t["text_header"].format(
                policy=report["policy"]["id"],
                method=labels.sampling_label(sampling.get("method") or "", lang) or "-",
                seed=sampling.get("seed"),
            ),
        )
    )
    verdict_style = "bold red" if s["beyond_policy"] else "bold green"
    console.print(
        Text(
            t["text_summary"].format(
                beyond=s["beyond_policy"],
                fields=labels.plural(s["beyond_policy"], "field", lang),
                containers=s["containers_beyond_policy"],
                where=labels.plural(s["containers_beyond_policy"], "field_loc", lang),
                within=s["within_policy"],
                none=s["no_personal_data"],
                not_scanned=s.get("not_scanned", 0),
                errors=s["errors"],
            ),
            style=verdict_style,
        )
    )
    if "resolved" in report:
        console.print(
            t["text_baseline"].format(
                new=s.get("new_beyond_policy", 0),
                unchanged=s.get("unchanged_beyond_policy", 0),
                resolved=s.get("resolved_beyond_policy", 0),
            )
        )
    third = [f for f in report["fields"] if (f.get("third_party") or {}).get("status") == "open"]
    if "third_party_fields" in report:
        console.print(
            Text(
                t["text_third_party_summary"].format(
                    clause=((report.get("policy") or {}).get("third_parties") or {}).get(
                        "clause", "2.4"
                    ),
                    fields=report["third_party_fields"],
                    open=len(third),
                ),
                style="bold red" if third else "",
            )
        )
    # A field whose every match the field model dismissed is listed too: the reviewer sees why
    # a type was not reported (a column of batch numbers is not phones).
    rows = [
        f
        for f in report["fields"]
        if show_all or f["status"] != "no_personal_data" or labels.dismissed_entries(f)
    ]
    if rows:
        table = Table(show_lines=False, expand=False)
        for col in (
            t["text_status"],
            t["container"],
            t["field"],
            t["text_values"],
            t["text_types"],
            t["examples"],
        ):
            table.add_column(col, overflow="fold")
        for f in rows:
            types = []
            for e in f["entities"]:
                mark = "!" if not e.get("allowed", True) else ""
                change = f" {t['text_new']}" if e.get("change") == "new" else ""
                decision = (e.get("triage") or {}).get("decision")
                change += f" [{labels.triage_label(decision, lang)}]" if decision else ""
                conf = f"{t['text_confidence']}={e['confidence']:.2f}"
                types.append(f"{mark}{e['type']} {e['share']:.0%} {conf}{change}")
            block = f.get("third_party")
            if block and block.get("status") != "dismissed":
                # Section 2.4: whose data it is, beside what types it holds.
                mark = "!" if block.get("status") == "open" else ""
                change = f" {t['text_new']}" if block.get("change") == "new" else ""
                if block.get("status") == "accepted":
                    change += f" [{labels.triage_label('accepted', lang)}]"
                basis = labels.third_party(f"basis.{block.get('basis', '')}", lang)
                types.append(
                    f"{mark}{t['text_third_party']} {block['clause']} {block['share']:.0%} "
                    f"({basis}){change}"
                )
            types += [labels.dismissed_line(d, lang) for d in labels.dismissed_entries(f)]
            examples = ", ".join(ex for e in f["entities"] for ex in e["examples"][:1])
            table.add_row(
                Text(
                    labels.status_label(f["status"], lang),
                    style=STATUS_STYLE.get(f["status"], ""),
                ),
                Text(f["container"]),  # Text, not str: a name like "[/bold]" is no markup
                Text(f["field"]),
                str(f["values_scanned"]),
                Text("\n".join(types) or (f.get("skipped") or "-")),
                Text(examples),
            )
        console.print(table)
    for err in report.get("errors", []):
        console.print(
            Text(
                f"{t['text_error']}: {err['source']} {err['container']}: {err['message']}",
                style="red",
            )
        )
    for res in report.get("resolved", []):
        console.print(
            Text(f"{t['text_resolved']}: {res['container']}.{res['field']} {res['type']}")
        )
    from pdaudit.scanner.reports.gap_view import (
        gap_text,  # the policy gap section (scanner.policy_gap)
    )

    for line in gap_text(report, lang):
        console.print(Text(line))
    return buf.getvalue()
