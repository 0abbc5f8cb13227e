"""Report renderers: one module per format (``json``, ``text``, ``html``, ``sarif``)."""

from __future__ import annotations

FORMATS = ("text", "json", "html", "sarif")


def render(
    report: dict, fmt: str, lang: str = "ru", color: bool = False, json_path: str | None = None
) -> str:
    """The report rendered in one of ``FORMATS``.

    ``json_path`` names the saved JSON report in the HTML page's suggested triage commands.
    """
    if fmt == "json":
        from pdaudit.scanner.reports.json import dumps

        return dumps(report)
    if fmt == "text":
        from pdaudit.scanner.reports.text import render as render_text

        return render_text(report, color=color)
    if fmt == "html":
        from pdaudit.scanner.reports.html import render_html

        return render_html(report, lang=lang, json_path=json_path)
    if fmt == "sarif":
        from pdaudit.scanner.reports.sarif import dumps as sarif_dumps

        return sarif_dumps(report)
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
