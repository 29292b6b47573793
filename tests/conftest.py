"""Shared fixtures. Tests never touch the network: the Hub client is told it is offline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

ROOT = Path(__file__).resolve().parent.parent
CARDS = Path(__file__).resolve().parent / "cards"
REQUIRED_IDS = (
    "intended-use",
    "out-of-scope-use",
    "limitations",
    "evaluation-results",
    "risk-evaluation",
    "risk-mitigation",
    "misuse-reporting",
    "governance-policy",
    "security-controls",
    "content-provenance",
    "training-data",
    "data-protection",
    "model-lineage",
    "license",
)


@pytest.fixture
def root() -> Path:
    return ROOT


# Building the wheel (the packaging and pre-commit tests) runs cargo through rustup, which
# finds its toolchains from HOME: keep them where they are when HOME moves. Those builds
# share the checkout's target folder, so the compiled dependencies are built once.
_TOOLCHAINS = {
    "RUSTUP_HOME": os.environ.get("RUSTUP_HOME") or str(Path.home() / ".rustup"),
    "CARGO_HOME": os.environ.get("CARGO_HOME") or str(Path.home() / ".cargo"),
    "CARGO_TARGET_DIR": os.environ.get("CARGO_TARGET_DIR") or str(ROOT / "core" / "target"),
}


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own config, token or cache (the Rust toolchain excepted)."""
    home = tmp_path_factory.mktemp("home")
    for name, value in _TOOLCHAINS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("HF_HOME", str(home / "hf"))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    for name in ("XDG_CACHE_HOME", "G7LINT_CACHE_DIR", "G7LINT_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
