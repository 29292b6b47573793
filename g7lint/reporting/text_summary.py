"""The terminal summary of a bulk scan: outcomes and pass rates per requirement."""

from __future__ import annotations

from g7lint.reporting.stats import ScanSummary


def render_summary(summary: ScanSummary) -> str:
    share = summary.cards_passed / summary.linted * 100 if summary.linted else 0.0
    lines = [
        f"{summary.records:,} models, {summary.linted:,} cards linted, {share:.1f}% passing",
        "outcomes: " + ", ".join(f"{status} {count:,}" for status, count in summary.statuses.most_common()),
    ]
    if summary.unreadable_lines:
        lines.append(f"skipped {summary.unreadable_lines:,} unreadable line(s) (torn by a killed scan or a full disk)")
    lines.append("")
    cuts = summary.cuts
    top_rates = [summary.rates_for_top(cut) for cut in cuts]
    header = f"{'requirement':<22}{'action':>7}{'all':>8}" + "".join(f"{'top ' + format(c, ','):>12}" for c in cuts)
    lines.append(header)
    lines.append("-" * len(header))
    for rid, tally in sorted(summary.requirements.items(), key=lambda kv: kv[1].rate, reverse=True):
        row = f"{rid:<22}{summary.requirement_principle.get(rid, 0):>7}{tally.rate * 100:>7.1f}%"
        row += "".join(f"{rates.get(rid, 0.0) * 100:>11.1f}%" for rates in top_rates)
        lines.append(row)
    return "\n".join(lines) + "\n"
