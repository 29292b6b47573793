"""The on-disk cache of the validated shipped policy: same policy, same verdicts, and never a failure."""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import g7lint
from g7lint.policy import cache, loader
from tests.conftest import CARDS

CARD = "---\nlicense: mit\n---\n# Model\n\nIt is intended for summarising news. It may produce wrong facts.\n"


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("G7LINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("G7LINT_NO_CACHE", raising=False)
    loader._load.cache_clear()
    yield folder
    loader._load.cache_clear()


def _fresh_load() -> g7lint.Policy:
    loader._load.cache_clear()
    return g7lint.load_policy()


def _declared() -> int:
    return len(loader.read_merged_policy(loader.shipped_policy_path())["requirements"])


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("policy-*.pickle"))


def test_the_cached_policy_is_the_validated_one_and_gives_the_same_verdicts(cache_folder: Path) -> None:
    first = _fresh_load()
    assert len(_entries(cache_folder)) == 1
    second = _fresh_load()  # read back from the entry just written
    assert second is not first
    assert second.model_dump(by_alias=True) == loader._validated(loader.DEFAULT_POLICY).model_dump(by_alias=True)
    assert g7lint.lint_text(CARD, policy=second).model_dump() == g7lint.lint_text(CARD, policy=first).model_dump()


def test_a_corrupt_entry_is_rebuilt(cache_folder: Path) -> None:
    _fresh_load()
    (entry,) = _entries(cache_folder)
    entry.write_bytes(b"not a pickle at all")
    policy = _fresh_load()
    assert any(requirement.id == "license" for requirement in policy.requirements)
    assert isinstance(pickle.loads(entry.read_bytes()), g7lint.Policy)


def test_an_entry_holding_something_else_is_not_used(cache_folder: Path) -> None:
    _fresh_load()
    (entry,) = _entries(cache_folder)
    entry.write_bytes(pickle.dumps({"requirements": []}))
    assert len(_fresh_load().requirements) == _declared()


def test_a_folder_that_cannot_be_written_costs_nothing_but_time(cache_folder: Path) -> None:
    cache_folder.parent.mkdir(parents=True, exist_ok=True)
    cache_folder.write_text("a file where the folder should be")
    assert len(_fresh_load().requirements) == _declared()


def test_no_cache_writes_nothing(cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("G7LINT_NO_CACHE", "1")
    assert len(_fresh_load().requirements) == _declared()
    assert not cache_folder.exists()


def test_editing_any_policy_file_changes_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "schemas"
    shutil.copytree(loader.schemas_dir(), copy)
    monkeypatch.setattr(cache, "schemas_dir", lambda: copy)
    before = cache.shipped_key()
    assert cache.shipped_key() == before
    requirement = copy / "g7-hiroshima-2023" / "limitations.yaml"
    requirement.write_text(requirement.read_text() + "\n")
    assert cache.shipped_key() != before


def test_a_compiled_policy_pickles_without_its_compiled_core() -> None:
    policy = g7lint.load_policy()
    assert policy._compiled is not None
    copy = pickle.loads(pickle.dumps(policy))
    assert copy._compiled is None
    assert policy._compiled is not None  # the original keeps its compiled form
    assert g7lint.lint_text(CARD, policy=copy).model_dump() == g7lint.lint_text(CARD, policy=policy).model_dump()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="ownership and modes are POSIX")
def test_an_entry_others_could_write_is_never_unpickled(cache_folder: Path) -> None:
    _fresh_load()
    (entry,) = _entries(cache_folder)
    entry.write_bytes(pickle.dumps({"planted": True}))
    entry.chmod(0o666)
    assert cache.load(entry.name.removeprefix("policy-").removesuffix(".pickle")) is None
    assert len(_fresh_load().requirements) == _declared()


def test_the_entry_keeps_the_literal_tables_and_they_give_the_same_reports(cache_folder: Path) -> None:
    """A cached policy skips reading its patterns' literals again; the tables it carries must
    give the reports a fresh reading gives, and tables of other patterns are read afresh."""
    _fresh_load()
    cached = _fresh_load()
    assert cached._literal_tables is not None
    fresh = loader._validated(loader.DEFAULT_POLICY)  # no tables: the core reads them
    cards = [CARD, *(path.read_text(encoding="utf-8") for path in sorted(CARDS.glob("corpus/*.md")))]
    for text in cards:
        assert g7lint.lint_text(text, policy=cached).model_dump() == g7lint.lint_text(text, policy=fresh).model_dump()
    foreign = loader._validated(loader.DEFAULT_POLICY)
    placeholders, statements = cached._literal_tables
    object.__setattr__(foreign, "_literal_tables", (placeholders, (statements[0], statements[1], statements[2][:-1])))
    assert g7lint.lint_text(CARD, policy=foreign).model_dump() == g7lint.lint_text(CARD, policy=fresh).model_dump()
    assert foreign._literal_tables is None  # dropped and read afresh by the core
