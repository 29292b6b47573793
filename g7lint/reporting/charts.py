"""The report's charts, drawn with matplotlib (the ``g7lint[report]`` extra).

Colour-blind-safe Okabe-Ito colours, titled axes, percentages on bars.
Each function returns a figure; :func:`to_svg` and :func:`to_png` write it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from g7lint.errors import G7lintError
from g7lint.reporting.stats import COVERAGE_BINS, ScanSummary

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise G7lintError("charts need matplotlib: pip install 'g7lint[report]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text: smaller files, selectable, escaped by matplotlib
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titleweight": "bold",
            "text.parse_math": False,  # labels come from cards and the Hub: '$x$' is text, not mathtext
        }
    )
    return plt


def _barh(title: str, xlabel: str, labels: list[str], values: list[float], percent: bool = True) -> Any:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(labels) + 1.3))
    positions = range(len(labels))
    ax.barh(list(positions), values, color=OKABE_ITO[0])
    ax.set_yticks(list(positions), labels)
    ax.invert_yaxis()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    if percent:
        ax.set_xlim(0, 100)
    for position, value in zip(positions, values, strict=False):
        ax.text(value + 0.8, position, f"{value:.0f}%" if percent else f"{value:,.0f}", va="center", fontsize=8)
    fig.tight_layout()
    return fig


def requirement_pass_rates(summary: ScanSummary) -> Any:
    items = sorted(summary.requirements.items(), key=lambda kv: kv[1].rate, reverse=True)
    return _barh(
        "Share of cards documenting each requirement",
        "cards that pass (%)",
        [f"{rid} (G7 {summary.requirement_principle.get(rid, 0)})" for rid, _ in items],
        [tally.rate * 100 for _, tally in items],
    )


def principle_pass_rates(summary: ScanSummary) -> Any:
    items = sorted(summary.principles.items())
    return _barh(
        "Requirements met, by G7 Code of Conduct action",
        "requirement checks that pass (%)",
        [f"Action {action}" for action, _ in items],
        [tally.rate * 100 for _, tally in items],
    )


def coverage_distribution(summary: ScanSummary) -> Any:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 3.2))
    labels = [f"{i * 100 // COVERAGE_BINS}–{(i + 1) * 100 // COVERAGE_BINS}" for i in range(COVERAGE_BINS)]
    ax.bar(labels, summary.coverage_histogram, color=OKABE_ITO[2])
    ax.set_title("How much of the Code each card documents")
    ax.set_xlabel("requirements documented (% of those that apply)")
    ax.set_ylabel("cards")
    ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    return fig


def top_versus_all(summary: ScanSummary) -> Any:
    plt = _pyplot()
    rids = sorted(summary.requirements, key=lambda r: summary.requirements[r].rate, reverse=True)
    groups = [(f"top {cut:,}", summary.rates_for_top(cut)) for cut in summary.cuts]
    groups.append(("all", summary.all_rates))
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(rids) + 1.5))
    height = 0.8 / len(groups)
    for index, (name, rates) in enumerate(groups):
        ax.barh(
            [position + index * height for position in range(len(rids))],
            [rates.get(rid, 0.0) * 100 for rid in rids],
            height=height,
            color=OKABE_ITO[index % len(OKABE_ITO)],
            label=name,
        )
    ax.set_yticks([position + 0.4 - height / 2 for position in range(len(rids))], rids)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("cards that pass (%)")
    ax.set_title("Popular models versus all, by downloads")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def by_pipeline_tag(summary: ScanSummary, limit: int = 15) -> Any:
    items = sorted(summary.by_pipeline.items(), key=lambda kv: kv[1].cards, reverse=True)[:limit]
    return _barh(
        f"Mean coverage by task (the {len(items)} most common)",
        "requirements documented, mean (%)",
        [f"{tag} ({group.cards:,})" for tag, group in items],
        [group.mean_coverage * 100 for _, group in items],
    )


def by_year(summary: ScanSummary) -> Any:
    plt = _pyplot()
    items = sorted((year, group) for year, group in summary.by_year.items() if year != "unknown")
    fig, ax = plt.subplots(figsize=(8, 3.2))
    if items:
        years = [year for year, _ in items]
        ax.plot(years, [g.mean_coverage * 100 for _, g in items], marker="o", color=OKABE_ITO[5])
        for year, group in items:
            ax.annotate(
                f"n={group.cards:,}",
                (year, group.mean_coverage * 100),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=7,
            )
    ax.set_ylim(0, 100)
    ax.set_title("Mean coverage by the year the model was created")
    ax.set_xlabel("year created")
    ax.set_ylabel("requirements documented (%)")
    fig.tight_layout()
    return fig


def most_failing(summary: ScanSummary, limit: int = 10) -> Any:
    items = summary.failing.most_common(limit)
    return _barh("Most often missing", "cards", [rid for rid, _ in items], [float(n) for _, n in items], percent=False)


def status_counts(summary: ScanSummary) -> Any:
    items = summary.statuses.most_common()
    return _barh(
        "Scan outcomes", "models", [status for status, _ in items], [float(n) for _, n in items], percent=False
    )


CHARTS: dict[str, Callable[[ScanSummary], Any]] = {
    "requirements": requirement_pass_rates,
    "principles": principle_pass_rates,
    "coverage": coverage_distribution,
    "top-vs-all": top_versus_all,
    "pipeline-tags": by_pipeline_tag,
    "years": by_year,
    "most-missing": most_failing,
    "statuses": status_counts,
}


def to_svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    _pyplot().close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and DOCTYPE for inline use


def write_pngs(summary: ScanSummary, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in CHARTS.items():
        figure = draw(summary)
        path = folder / f"{name}.png"
        figure.savefig(path, format="png", dpi=150)
        _pyplot().close(figure)
        written.append(path)
    return written
