"""The shell of every HTML page g7lint writes: self-contained and script-safe.

Everything that came from a card or a results file goes through
:func:`esc`. On top of that, a Content-Security-Policy allows no network
fetch at all and only the one script g7lint itself inlines (by its hash), so
even a missed escape could not run a card's ``<script>`` or ``onerror=``.
"""

from __future__ import annotations

import base64
import hashlib
import html

from g7lint.safe_text import printable

_CSS = """
:root { color-scheme: light; --fg:#1b1f24; --muted:#57606a; --line:#d0d7de; --pass:#1a7f37; --fail:#cf222e; --na:#6e7781; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0 auto; max-width: 1100px; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }
.muted { color: var(--muted); } .pass { color: var(--pass); font-weight: 600; } .fail { color: var(--fail); font-weight: 600; }
.na { color: var(--na); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: .75rem; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .75rem; }
.card b { display: block; font-size: 1.5rem; }
figure { margin: 1rem 0; } figure svg { width: 100%; height: auto; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; position: sticky; top: 0; }
th[data-sort] { cursor: pointer; } th[data-sort]::after { content: " ⇅"; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code { background: #f6f8fa; padding: 0 .25rem; border-radius: 4px; word-break: break-word; }
@media (max-width: 600px) { body { font-size: 14px; padding: .5rem; } th, td { padding: .25rem; } }
"""

SORT_SCRIPT = """
document.querySelectorAll("table[data-sortable]").forEach(function (table) {
  table.querySelectorAll("th[data-sort]").forEach(function (th, column) {
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var numeric = th.getAttribute("data-sort") === "number", ascending = th.dataset.asc !== "1";
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.value || a.cells[column].textContent;
        var y = b.cells[column].dataset.value || b.cells[column].textContent;
        var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        return ascending ? order : -order;
      });
      th.dataset.asc = ascending ? "1" : "0";
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""


def esc(value: object) -> str:
    """HTML-escape anything, quotes included (safe in text and attribute values), on one line
    with control characters made visible (a path or heading cannot start a line of the page source)."""
    return html.escape(printable(str(value)), quote=True)


def page(title: str, body: str, *, script: str | None = None) -> str:
    """A complete HTML document around ``body`` (already-escaped HTML)."""
    script_source = ""
    script_policy = "'none'"
    if script:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        script_policy = f"'sha256-{digest}'"
        script_source = f"<script>{script}</script>"
    policy = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src {script_policy}; base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head>"
        f"<body>{body}{script_source}</body></html>\n"
    )


def status_cell(status: str) -> str:
    label = {"pass": "pass", "fail": "fail", "not_applicable": "n/a", "not_selected": "not selected"}.get(
        status, status
    )
    css = {"pass": "pass", "fail": "fail"}.get(status, "na")
    return f'<td class="{css}">{esc(label)}</td>'
