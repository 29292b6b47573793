"""Bulk-scan reports: figures by value, and the HTML in a real headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import g7lint
from g7lint.cli import main
from g7lint.hub import HubQuery, HubSettings, scan_hub
from g7lint.reporting.stats import summarise
from tests.fakehub import FakeHub, FakeModel, start

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "examples" / "model-card.md").read_text()
TEMPLATE = (ROOT / "examples" / "template-card.md").read_text()
XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def _record(model_id: str, downloads: int, card: str | None, tag: str, created: str, status: str = "ok") -> dict:
    record = {"id": model_id, "downloads": downloads, "pipeline_tag": tag, "created_at": created, "status": status}
    if card is not None:
        record["report"] = json.loads(g7lint.lint_text(card, f"hf://{model_id}/README.md").model_dump_json())
    return record


def write_results(path: Path) -> None:
    records = [_record(f"org/good-{i}", 1000 - i, GOOD, "text-generation", "2024-05-01T00:00:00Z") for i in range(3)]
    records += [
        _record(f"org/tpl-{i}", 10 + i, TEMPLATE, "text-classification", "2022-01-01T00:00:00Z") for i in range(5)
    ]
    records.append(_record("org/gated", 5000, None, "text-generation", "2023-01-01T00:00:00Z", status="gated"))
    records.append(_record(XSS, 1, GOOD.replace("## Contact", f"## Contact\n\n{XSS}"), XSS, "2024-01-01T00:00:00Z"))
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def test_figures_by_value(tmp_path: Path) -> None:
    results = tmp_path / "r.jsonl"
    write_results(results)
    summary = summarise(results)
    assert summary.records == 10 and summary.linted == 9
    assert dict(summary.statuses) == {"ok": 9, "gated": 1}
    assert summary.cards_passed == 4  # three good cards and the one with hostile text
    limitations = summary.requirements["limitations"]
    assert (limitations.passed, limitations.applicable) == (4, 9)
    assert summary.failing["limitations"] == 5
    assert summary.coverage_histogram[0] == 5 and summary.coverage_histogram[-1] == 4
    assert summary.by_pipeline["text-classification"].cards == 5
    assert summary.by_pipeline["text-classification"].mean_coverage == 0.0
    assert summary.by_year["2024"].cards == 4 and summary.by_year["2022"].cards == 5
    assert [row.id for row in summary.top_models(2)] == ["org/gated", "org/good-0"]
    assert summary.rates_for_top(2)["limitations"] == 1.0  # org/gated has no report: top 2 linted are good cards


def test_terminal_summary_and_pngs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    results = tmp_path / "r.jsonl"
    write_results(results)
    assert main(["report", str(results), "--png", str(tmp_path / "charts")]) == 0
    out = capsys.readouterr().out
    limitations = summarise(results).requirements["limitations"]
    row = next(line for line in out.splitlines() if line.startswith("limitations "))
    assert "10 models, 9 cards linted" in out and f"{limitations.rate * 100:.1f}%" in row
    pngs = sorted(p.name for p in (tmp_path / "charts").glob("*.png"))
    assert len(pngs) == 8 and all((tmp_path / "charts" / name).stat().st_size > 5000 for name in pngs)


def test_report_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path / "absent.jsonl")]) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    assert main(["report", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 2


def _browser():  # type: ignore[no-untyped-def]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium (.ci/run installs it)")
        pytest.skip("chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    return sync_api, chromium


def open_in_chromium(html_file: Path, screenshot: Path) -> dict[str, object]:
    sync_api, chromium = _browser()
    console: list[str] = []
    requests: list[str] = []
    dialogs: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(html_file.as_uri())
        page.wait_for_load_state("load")
        pwned = page.evaluate("window.__pwned === undefined ? null : window.__pwned")
        page.screenshot(path=str(screenshot), full_page=True)
        sorted_first = None
        if page.locator("th[data-sort=number]").count():
            page.locator("th[data-sort=number]").first.click()
            sorted_first = page.locator("table[data-sortable] tbody tr td:nth-child(2)").first.inner_text()
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(html_file.as_uri())
        # On a phone the page itself must not scroll sideways (wide tables scroll inside their box).
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        browser.close()
    return {
        "console": console,
        "requests": requests,
        "dialogs": dialogs,
        "pwned": pwned,
        "sorted_first": sorted_first,
        "phone_overflow": overflow,
    }


@pytest.mark.slow
def test_scan_report_html_in_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    hub = FakeHub()
    server, base_url = start(hub)
    try:
        hub.add(
            *(
                FakeModel(f"acme/chat-{i}", card=GOOD, downloads=10_000 - i, pipeline_tag="text-generation")
                for i in range(12)
            )
        )
        hub.add(*(FakeModel(f"acme/clf-{i}", card=TEMPLATE, downloads=50 + i) for i in range(20)))
        hub.add(FakeModel("acme/gated", gated=True), FakeModel("acme/nocard", card=None))
        hub.add(FakeModel("acme/hostile", card=GOOD.replace("## Contact", f"## Contact\n\n{XSS}"), pipeline_tag=XSS))
        results = tmp_path / "scan.jsonl"
        with open(results, "w") as handle:
            for record in scan_hub(
                HubQuery(author="acme"), workers=4, settings=HubSettings(endpoint=base_url, token=False)
            ):
                handle.write(record.model_dump_json() + "\n")
    finally:
        server.shutdown()
        server.server_close()
    html_file = tmp_path / "report.html"
    assert main(["report", str(results), "--html", str(html_file)]) == 0
    text = html_file.read_text()
    assert "<script>window.__pwned" not in text and "&lt;script&gt;" in text
    outcome = open_in_chromium(html_file, tmp_path / "report.png")
    assert outcome["console"] == [] and outcome["dialogs"] == [] and outcome["pwned"] is None
    assert outcome["requests"] == [html_file.as_uri()]  # nothing fetched but the page itself
    assert outcome["sorted_first"] == "0"  # sorting by downloads, ascending, put the hostile model (0) first
    assert outcome["phone_overflow"] <= 0
    assert (tmp_path / "report.png").stat().st_size > 20_000
    keep = os.environ.get("G7LINT_SCREENSHOT")
    if keep:
        shutil.copy(tmp_path / "report.png", keep)


@pytest.mark.slow
def test_single_card_html_in_chromium(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = tmp_path / "README.md"
    card.write_text(
        GOOD.replace("## Bias, risks and limitations", f"## Bias, risks and limitations\n\n{XSS} It may fail.")
    )
    html_file = tmp_path / "card.html"
    main(["check", str(card), "--format", "html", "--output", str(html_file)])
    outcome = open_in_chromium(html_file, tmp_path / "card.png")
    assert outcome["console"] == [] and outcome["pwned"] is None and outcome["dialogs"] == []
    assert outcome["phone_overflow"] <= 0
    assert outcome["requests"] == [html_file.as_uri()]


def test_a_torn_line_in_the_middle_is_skipped_and_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = json.dumps({"id": "acme/a", "status": "no_card", "downloads": 1})
    results = tmp_path / "torn.jsonl"
    results.write_text(
        good + "\n" + '{"id": "acme/b", "stat\n' + json.dumps({"id": "acme/c", "status": "gated"}) + "\n"
    )
    assert main(["report", str(results)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 models") and "skipped 1 unreadable line" in out


def test_a_model_recorded_twice_counts_once_with_its_latest_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = tmp_path / "retried.jsonl"
    lines = [{"id": "acme/a", "status": "error", "message": "timed out"}, {"id": "acme/a", "status": "gated"}]
    results.write_text("".join(json.dumps(line) + "\n" for line in lines))
    assert main(["report", str(results)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 models") and "gated 1" in out and "error" not in out


def test_report_survives_results_lines_of_the_wrong_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hand-edited or foreign JSONL: values of the wrong type are data to skip, not a crash."""
    lines = [
        '{"id": "a/$x^2$", "status": "ok", "downloads": "many", "pipeline_tag": "$\\\\alpha$",'
        ' "report": {"requirements": 5, "passed": true}}',
        '{"id": "b/m", "status": "ok", "downloads": 1e400,'
        ' "report": {"requirements": [{"id": "x", "principle": "three", "status": "pass"}], "passed": true}}',
        '{"id": "c/m", "status": "ok", "downloads": NaN, "report": {"requirements": [5, {"id": "$y$",'
        ' "principle": 3, "status": "fail", "title": "$z$"}], "passed": false}}',
        '{"id": "d/m", "status": "ok", "downloads": [1], "likes": 1.5, "pipeline_tag": 7}',
    ]
    results = tmp_path / "weird.jsonl"
    results.write_text("\n".join(lines) + "\n")
    assert main(["report", str(results), "--html", str(tmp_path / "r.html")]) == 0
    assert "4 models" in capsys.readouterr().out
    pytest.importorskip("matplotlib")
    assert main(["report", str(results), "--png", str(tmp_path / "charts")]) == 0
    (tmp_path / "taken.png").write_text("")
    assert main(["report", str(results), "--png", str(tmp_path / "taken.png")]) == 2
    assert main(["report", str(results), "--png", str(tmp_path / "taken.png" / "sub")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_html_report_says_what_judged_the_cards_and_its_tiles_add_up(tmp_path: Path) -> None:
    import re

    results = tmp_path / "r.jsonl"
    write_results(results)
    with open(results, "a") as handle:
        handle.write(json.dumps({"id": "org/off", "status": "disabled"}) + "\n")
    html_file = tmp_path / "r.html"
    assert main(["report", str(results), "--html", str(html_file)]) == 0
    text = html_file.read_text()
    assert "g7-hiroshima-2023 2023.10" in text and "fail-on error" in text and f"g7lint {g7lint.__version__}" in text
    assert "A card <b>passes</b> when" in text  # 'cards passing' is defined on the page
    tiles = dict((label, value) for value, label in re.findall(r'<b>([^<]*)</b><span class="muted">([^<]*)', text))
    outcomes = ("linted", "no card", "gated", "not found", "disabled", "errors")
    assert sum(int(tiles[label]) for label in outcomes) == int(tiles["models"]) == 11
    table = text.split("<h2>Pass rate per requirement</h2>")[1].split("</table>")[0]
    rates = [
        float(cell) for cell in re.findall(r"<td>[a-z-]+</td><td class=num>\d+</td><td class=num>([\d.]+)%", table)
    ]
    assert rates == sorted(rates, reverse=True) and len(rates) >= 10  # the chart's order: best documented first
    assert "<details><summary>" in text  # the missing requirements fold, so a row stays one line
