"""The bulk-scan report as one self-contained HTML file: figures, charts, models."""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote

from g7lint._version import __version__
from g7lint.reporting import charts
from g7lint.reporting.page import SORT_SCRIPT, esc, page
from g7lint.reporting.stats import ScanSummary

TABLE_ROWS = 1_000


def render_report(summary: ScanSummary, source: str) -> str:
    parts = [
        "<h1>G7 Code of Conduct: what model cards document</h1>",
        f'<p class="muted">From <code>{esc(source)}</code> (written {esc(summary.written or "unknown")}): '
        f"{summary.records:,} models, {summary.linted:,} cards linted. "
        f"Judged under {esc(_listing(summary.policies))}, fail-on {esc(_listing(summary.thresholds))}, "
        f"by g7lint {esc(_listing(summary.versions))}; this page by g7lint {esc(__version__)}.</p>",
        f'<p class="muted">{_PASSING}</p>',
        _headline(summary),
    ]
    captions = {
        "requirements": "Each bar: the share of linted cards that document the requirement "
        "(not-applicable cards excluded).",
        "principles": "All requirement checks grouped by the G7 Code of Conduct action they evidence.",
        "coverage": "Per card, the share of applicable requirements it documents.",
        "top-vs-all": "Pass rates among the most downloaded models versus all linted models, "
        "the cut used by published studies.",
        "pipeline-tags": "Mean coverage for the most common tasks (number of cards in brackets).",
        "years": "Mean coverage by creation year (n = cards).",
        "most-missing": "Requirements most often left undocumented.",
        "statuses": "What happened to each model: linted (ok), no card, gated, not found, disabled, or an error.",
    }
    for name, draw in charts.CHARTS.items():
        svg = charts.to_svg(draw(summary))
        caption = f'<figcaption class="muted">{esc(captions[name])}</figcaption>'
        parts.append(f'<figure aria-label="{esc(name)}">{svg}{caption}</figure>')
    parts.append(_models_table(summary))
    return page("g7lint report", "\n".join(parts), script=SORT_SCRIPT)


_PASSING = (
    "A card <b>passes</b> when no finding at or above the fail-on severity remains: requirements whose "
    "severity is below it (warnings, info) may still be missing from a passing card, and are listed under "
    "<i>missing</i>. The outcome tiles add up to the number of models."
)
#: Every outcome a scan records, in the order the tiles show them (they add up to the models).
_OUTCOMES = (
    ("ok", "linted"),
    ("no_card", "no card"),
    ("gated", "gated"),
    ("not_found", "not found"),
    ("disabled", "disabled"),
    ("error", "errors"),
)


def _listing(counts: Counter[str]) -> str:
    """'a' or 'a (90%), b (10%)': what the cards of a scan were judged under."""
    if not counts:
        return "unknown"
    total = sum(counts.values())
    if len(counts) == 1:
        return next(iter(counts))
    return ", ".join(f"{name} ({count / total:.0%})" for name, count in counts.most_common())


def _headline(summary: ScanSummary) -> str:
    share = summary.cards_passed / summary.linted * 100 if summary.linted else 0.0
    tiles = [("models", f"{summary.records:,}"), ("of linted cards pass", f"{share:.1f}%")]
    tiles += [(label, f"{summary.statuses.get(status, 0):,}") for status, label in _OUTCOMES]
    others = summary.records - sum(summary.statuses.get(status, 0) for status, _ in _OUTCOMES)
    if others:
        tiles.append(("other outcomes", f"{others:,}"))
    cells = "".join(
        f'<div class="card"><b>{esc(value)}</b><span class="muted">{esc(label)}</span></div>' for label, value in tiles
    )
    cuts = summary.cuts
    top_rates = [summary.rates_for_top(cut) for cut in cuts]
    rows = "".join(
        f"<tr><td>{esc(rid)}</td><td class=num>{summary.requirement_principle.get(rid, 0)}</td>"
        f"<td class=num>{tally.rate * 100:.1f}%</td>"
        + "".join(f"<td class=num>{rates.get(rid, 0) * 100:.1f}%</td>" for rates in top_rates)
        + "</tr>"
        for rid, tally in sorted(summary.requirements.items(), key=lambda kv: kv[1].rate, reverse=True)
    )  # the order of the chart beside it: best documented first
    heads = "".join(f"<th class=num>top {cut:,}</th>" for cut in cuts)
    table = (
        '<div class="table-wrap"><table><thead><tr><th>requirement</th><th class=num>G7 action</th>'
        f"<th class=num>all</th>{heads}</tr></thead><tbody>{rows}</tbody></table></div>"
    )
    return f'<div class="cards">{cells}</div><h2>Pass rate per requirement</h2>{table}<h2>Charts</h2>'


def _models_table(summary: ScanSummary) -> str:
    rows = []
    for row in summary.top_models(TABLE_ROWS):
        link = f"https://huggingface.co/{quote(row.id, safe='/')}"
        coverage = "" if row.coverage is None else f"{row.coverage * 100:.0f}%"
        verdict = "" if row.passed is None else ("pass" if row.passed else "fail")
        missing_ids = [rid for rid, state in row.statuses.items() if state == "fail"]
        missing = (
            f"<details><summary>{len(missing_ids)}</summary>{esc(', '.join(missing_ids))}</details>"
            if missing_ids
            else ""
        )
        rows.append(
            f'<tr><td><a href="{esc(link)}" rel="noopener noreferrer">{esc(row.id)}</a></td>'
            f'<td class=num data-value="{row.downloads}">{row.downloads:,}</td>'
            f"<td>{esc(row.pipeline_tag)}</td><td>{esc(row.status)}</td>"
            f'<td class=num data-value="{-1 if row.coverage is None else row.coverage:.4f}">{coverage}</td>'
            f'<td class="{esc(verdict)}">{esc(verdict)}</td>'
            f'<td class=num data-value="{len(missing_ids)}">{missing}</td></tr>'
        )
    return (
        f"<h2>Models (the {min(TABLE_ROWS, summary.records):,} most downloaded)</h2>"
        '<p class="muted">Click a column heading to sort. <i>verdict</i>: pass or fail under the fail-on '
        "threshold; <i>missing</i>: how many requirements the card does not document (click to list them).</p>"
        '<div class="table-wrap"><table data-sortable><thead><tr>'
        '<th data-sort="text">model</th><th data-sort="number" class=num>downloads</th>'
        '<th data-sort="text">task</th><th data-sort="text">status</th>'
        '<th data-sort="number" class=num>coverage</th><th data-sort="text">verdict</th>'
        '<th data-sort="number" class=num>missing</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></div>"
    )
