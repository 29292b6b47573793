"""The Hub, through the real huggingface_hub client against a local fake Hub on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import g7lint
from g7lint.cli import main
from g7lint.hub import HubQuery, HubSettings, lint_hub, scan_dump, scan_hub
from tests.fakehub import FakeHub, FakeModel, sha_for, start

GOOD = (Path(__file__).resolve().parent.parent / "examples" / "model-card.md").read_text()
TEMPLATE = (Path(__file__).resolve().parent.parent / "examples" / "template-card.md").read_text()


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)  # conftest keeps every other test offline
    state = FakeHub()
    server, _ = start(state)
    yield state
    server.shutdown()
    server.server_close()


def settings_for(hub: FakeHub, **overrides: object) -> HubSettings:
    values: dict[str, object] = {"endpoint": hub.base_url, "token": False, "timeout": 5.0, "retries": 2}
    values.update(overrides)
    return HubSettings(**values)  # type: ignore[arg-type]


def test_lint_hub_pins_the_commit(hub: FakeHub) -> None:
    hub.add(FakeModel("acme/good", card=GOOD))
    report = lint_hub("acme/good", settings=settings_for(hub))
    assert report.passed and report.path == f"hf://acme/good@{sha_for('acme/good')}/README.md"
    pinned = lint_hub("acme/good", sha_for("acme/good"), settings=settings_for(hub))
    assert pinned.path == report.path


@pytest.mark.parametrize(
    ("model", "status"),
    [
        (FakeModel("acme/gated", gated=True), "gated"),
        (FakeModel("acme/nocard", card=None), "no_card"),
        (FakeModel("acme/off", disabled=True), "disabled"),
    ],
)
def test_lint_hub_failures_are_classified(hub: FakeHub, model: FakeModel, status: str) -> None:
    hub.add(model)
    with pytest.raises(g7lint.HubError) as caught:
        lint_hub(model.id, settings=settings_for(hub))
    assert caught.value.status == status


def test_missing_repo_and_revision(hub: FakeHub) -> None:
    hub.add(FakeModel("acme/x"))
    with pytest.raises(g7lint.HubError) as missing:
        lint_hub("acme/absent", settings=settings_for(hub))
    assert missing.value.status == "not_found"
    with pytest.raises(g7lint.HubError) as revision:
        lint_hub("acme/x", "0" * 40, settings=settings_for(hub))
    assert revision.value.status == "not_found"


def test_scan_pages_filters_and_records_every_outcome(hub: FakeHub) -> None:
    hub.page_size = 7
    hub.add(*(FakeModel(f"acme/m{i}", card=GOOD if i % 2 else TEMPLATE, downloads=i) for i in range(30)))
    hub.add(FakeModel("acme/gated", gated=True), FakeModel("acme/nocard", card=None), FakeModel("other/x"))
    records = list(scan_hub(HubQuery(author="acme", sort="downloads"), workers=4, settings=settings_for(hub)))
    by_id = {r.id: r for r in records}
    assert len(records) == len(by_id) == 32
    assert by_id["acme/gated"].status == "gated" and by_id["acme/nocard"].status == "no_card"
    assert by_id["acme/m3"].report is not None and by_id["acme/m3"].report.passed
    assert by_id["acme/m4"].report is not None and not by_id["acme/m4"].report.passed
    assert by_id["acme/m3"].sha == sha_for("acme/m3") and by_id["acme/m3"].downloads == 3
    assert hub.count("GET", "cursor=") >= 4  # followed the Link header across pages
    limited = list(scan_hub(HubQuery(author="acme", limit=5), workers=2, settings=settings_for(hub)))
    assert len(limited) == 5


@pytest.mark.parametrize("faults", [["429"], ["500", "500"], ["drop"], ["slow:2.5"]])
def test_transient_faults_are_retried(hub: FakeHub, faults: list[str]) -> None:
    hub.add(FakeModel("acme/flaky", card=GOOD))
    hub.faults["acme/flaky"] = list(faults)
    settings = settings_for(hub, timeout=1.0)
    [record] = scan_hub(HubQuery(author="acme"), workers=1, settings=settings)
    assert record.status == "ok", record.message
    assert hub.faults["acme/flaky"] == []  # every injected fault was met and survived


def test_persistent_rate_limit_becomes_an_error_record(hub: FakeHub) -> None:
    hub.add(FakeModel("acme/limited"), FakeModel("acme/fine"))
    hub.faults["acme/limited"] = ["429"] * 40
    records = {r.id: r for r in scan_hub(HubQuery(author="acme"), workers=2, settings=settings_for(hub, retries=0))}
    assert records["acme/limited"].status == "error" and "429" in records["acme/limited"].message
    assert hub.faults["acme/limited"] == ["429"] * 39  # retries=0: asked once, did not hammer the Hub
    assert records["acme/fine"].status == "ok"


def test_listing_failure_is_one_clear_error(hub: FakeHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hub.add(FakeModel("acme/a"))
    hub.faults["/api/models"] = ["400"]
    with pytest.raises(g7lint.HubError, match="listing models failed"):
        list(scan_hub(HubQuery(author="acme"), settings=settings_for(hub)))


def test_since_reuses_unchanged_models(hub: FakeHub, tmp_path: Path) -> None:
    hub.add(*(FakeModel(f"acme/m{i}") for i in range(6)))
    first = {r.id: r for r in scan_hub(HubQuery(author="acme"), settings=settings_for(hub))}
    hub.models["acme/m2"].generation = 1  # a new commit
    before = hub.count("GET", "/resolve/")
    second = {r.id: r for r in scan_hub(HubQuery(author="acme"), settings=settings_for(hub), previous=first)}
    assert hub.count("GET", "/resolve/") - before == 1
    assert second["acme/m2"].sha == sha_for("acme/m2", 1) and second["acme/m1"] == first["acme/m1"]


def test_token_is_never_written(hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "hf_notarealtokenbutsecret123456"
    hub.add(FakeModel("acme/g", gated=True), FakeModel("acme/ok"))
    records = list(scan_hub(HubQuery(author="acme"), settings=settings_for(hub, token=secret)))
    assert secret not in "".join(r.model_dump_json() for r in records)


def _scan_process(base_url: str, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "HF_ENDPOINT": base_url,
        "HF_HUB_OFFLINE": "0",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    }
    command = [sys.executable, "-m", "g7lint", "scan", "--author", "acme", "--out", str(out), "--workers", "4", *extra]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


@pytest.mark.slow
def test_killed_scan_resumes_with_exactly_one_record_per_model(hub: FakeHub, tmp_path: Path) -> None:
    hub.latency = 0.01
    total = 400
    hub.add(*(FakeModel(f"acme/m{i:03d}", card=GOOD) for i in range(total)))
    out = tmp_path / "scan.jsonl"
    process = _scan_process(hub.base_url, out)
    deadline = time.monotonic() + 120
    while len(_lines(out)) < 40 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    interrupted = len(_lines(out))
    assert 0 < interrupted < total
    resumed = _scan_process(hub.base_url, out, "--resume")
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr.decode()
    ids = [json.loads(line)["id"] for line in _lines(out)]
    assert len(ids) == len(set(ids)) == total


def test_scan_refuses_to_overwrite_without_resume(
    hub: FakeHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "exists.jsonl"
    out.write_text("")
    assert main(["scan", "--author", "acme", "--out", str(out)]) == 2
    assert "--resume" in capsys.readouterr().err


def test_check_hf_uri_gated_is_exit_2(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from huggingface_hub import constants

    hub.add(FakeModel("acme/gated", gated=True))
    monkeypatch.setattr(constants, "ENDPOINT", hub.base_url)
    monkeypatch.setattr(
        constants, "HUGGINGFACE_CO_URL_TEMPLATE", hub.base_url + "/{repo_id}/resolve/{revision}/{filename}"
    )
    assert main(["check", "hf://acme/gated"]) == 2
    err = capsys.readouterr().err
    assert "gated" in err and len(err.strip().splitlines()) == 1


def _write_dump(path: Path, rows: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cards = [GOOD if i % 3 == 0 else TEMPLATE if i % 3 == 1 else "" for i in range(rows)]
    table = pa.table(
        {
            "modelId": [f"org/m{i}" for i in range(rows)],
            "author": ["org"] * rows,
            "downloads": list(range(rows)),
            "likes": [1] * rows,
            "library_name": ["transformers"] * rows,
            "tags": [["a"]] * rows,
            "pipeline_tag": ["text-generation"] * rows,
            "card": cards,
        }
    )
    pq.write_table(table, path, row_group_size=25)


def test_scan_dump(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    dump = tmp_path / "cards.parquet"
    _write_dump(dump, 90)
    records = {r.id: r for r in scan_dump(dump, workers=2)}
    assert len(records) == 90
    assert records["org/m0"].status == "ok" and records["org/m0"].report is not None and records["org/m0"].report.passed
    assert records["org/m1"].report is not None and not records["org/m1"].report.passed
    assert records["org/m2"].status == "no_card" and records["org/m5"].downloads == 5


def test_scan_dump_cli_resume(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pyarrow")
    dump = tmp_path / "cards.parquet"
    _write_dump(dump, 60)
    out = tmp_path / "all.jsonl"
    out.write_text(
        "".join(json.dumps({"id": f"org/m{i}", "status": "no_card"}) + "\n" for i in range(10)) + '{"id": "org/m1'
    )
    assert main(["scan", "--dump", str(dump), "--out", str(out), "--resume", "--workers", "2"]) == 0
    ids = [json.loads(line)["id"] for line in _lines(out)]
    assert len(ids) == len(set(ids)) == 60
    assert main(["scan", "--dump", str(tmp_path / "absent.parquet"), "--out", str(tmp_path / "x.jsonl")]) == 2


def _point_client_at(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "ENDPOINT", hub.base_url)
    monkeypatch.setattr(
        constants, "HUGGINGFACE_CO_URL_TEMPLATE", hub.base_url + "/{repo_id}/resolve/{revision}/{filename}"
    )


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("hf://acme/missing", "repository not found, or private"),
        ("hf://acme/good@no-such-branch", "revision not found"),
        ("hf://", "name a repository"),
    ],
    ids=["missing-repo", "bad-revision", "no-repo"],
)
def test_hub_errors_say_what_happened_and_what_to_do(
    uri: str, expected: str, hub: FakeHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hub.add(FakeModel("acme/good", card=GOOD))
    _point_client_at(hub, monkeypatch)
    assert main(["check", uri]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Client Error" not in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_failed_later_listing_page_keeps_the_models_already_fetched(hub: FakeHub) -> None:
    hub.page_size = 5
    hub.add(*(FakeModel(f"acme/m{i:02d}", card=GOOD) for i in range(12)))
    hub.faults["/api/models"] = ["ok", "400"]  # page 1 answers, page 2 fails without retry
    written = []
    with pytest.raises(g7lint.HubError, match="listing models failed"):
        for record in scan_hub(HubQuery(author="acme"), workers=3, settings=settings_for(hub)):
            written.append(record.id)
    assert sorted(written) == [f"acme/m{i:02d}" for i in range(5)]


def test_resume_retries_error_records_and_keeps_the_attempt(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hub.add(FakeModel("acme/flaky", card=GOOD), FakeModel("acme/steady", card=GOOD))
    hub.faults["acme/flaky"] = ["500"] * 3  # more than every retry of the first scan
    _point_client_at(hub, monkeypatch)
    out = tmp_path / "scan.jsonl"
    assert main(["scan", "--author", "acme", "--out", str(out), "--timeout", "5", "--retries", "1"]) == 0
    first = {json.loads(line)["id"]: json.loads(line)["status"] for line in _lines(out)}
    assert first == {"acme/flaky": "error", "acme/steady": "ok"}
    hub.faults["acme/flaky"] = []
    assert main(["scan", "--author", "acme", "--out", str(out), "--resume", "--timeout", "5", "--retries", "1"]) == 0
    statuses = [(json.loads(line)["id"], json.loads(line)["status"]) for line in _lines(out)]
    assert statuses.count(("acme/flaky", "error")) == 1 and statuses[-1] == ("acme/flaky", "ok")
    assert [model for model, _ in statuses].count("acme/steady") == 1  # done models are not fetched again
    capsys.readouterr()
    assert main(["report", str(out)]) == 0
    assert capsys.readouterr().out.startswith("2 models, 2 cards linted")


def test_a_second_scan_on_the_same_results_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import fcntl

    out = tmp_path / "scan.jsonl"
    out.write_text("")
    with open(out, "a") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)  # a first scan, still running
        assert main(["scan", "--author", "acme", "--out", str(out), "--resume"]) == 2
    assert "another scan is writing" in capsys.readouterr().err


def test_dump_rows_with_unexpected_column_types_become_error_records(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from g7lint.hub.dump import scan_dump

    path = tmp_path / "odd.parquet"
    table = pa.table(
        {
            "modelId": ["org/a", "org/b"],
            "downloads": ["many", "3"],
            "likes": [1.5, 2.0],
            "pipeline_tag": [7, 8],
            "createdAt": ["not a date", "2024-01-01T00:00:00Z"],
            "card": [GOOD, GOOD],
        }
    )
    pq.write_table(table, path)
    records = sorted(scan_dump(path, workers=1), key=lambda r: r.id)
    assert [r.status for r in records] == ["error", "error"]
    assert "downloads 'many'" in records[0].message and "pipeline_tag 7" in records[0].message


def test_a_rate_limit_longer_than_max_wait_is_an_error_record_not_a_stall(hub: FakeHub) -> None:
    import time

    hub.add(FakeModel("acme/busy", card=GOOD), FakeModel("acme/calm", card=GOOD))
    hub.faults["acme/busy"] = ["429:30"]
    hub.faults["acme/calm"] = ["429:0"]  # a short wait is waited out
    started = time.monotonic()
    records = {r.id: r for r in scan_hub(HubQuery(author="acme"), settings=settings_for(hub, max_wait=1.0))}
    assert time.monotonic() - started < 10
    assert records["acme/busy"].status == "error" and "asked to wait 30 s" in records["acme/busy"].message
    assert records["acme/calm"].status == "ok"


def test_a_scan_that_matches_nothing_says_so_and_leaves_no_file(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hub.add(FakeModel("acme/one", card=GOOD))
    _point_client_at(hub, monkeypatch)
    out = tmp_path / "none.jsonl"
    assert main(["scan", "--author", "nobody", "--out", str(out)]) == 0
    assert not out.exists() and "no models matched" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_resume_onto_a_device_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--author", "acme", "--out", "/dev/full", "--resume"]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_crosswalk_drafts_from_a_hub_card(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hub.add(FakeModel("acme/good", card=GOOD))
    _point_client_at(hub, monkeypatch)
    assert main(["crosswalk", "hf://acme/good", "--to", "oecd-haip", "--format", "json"]) == 0
    draft = json.loads(capsys.readouterr().out)
    assert draft["card"].startswith("hf://acme/good@") and len(draft["sections"]) == 7
    assert main(["crosswalk", "hf://acme/missing", "--to", "oecd-haip"]) == 2
    assert "repository not found" in capsys.readouterr().err
