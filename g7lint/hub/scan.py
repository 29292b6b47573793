"""Lint one Hub model, or thousands, through huggingface_hub.

Models are listed with ``HfApi.list_models`` (paginated, lazily), and each
README.md is fetched pinned to the listed commit, so a record names the
exact revision it judged. A bounded thread pool does the network waiting;
results come out as they finish, so memory stays flat however many models
are scanned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from g7lint._version import __version__
from g7lint.engine import RuleOptions, evaluate
from g7lint.errors import HubError
from g7lint.findings import Report
from g7lint.hub.client import (
    DEFAULT_MAX_WAIT,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    CardFetch,
    classify,
    fetch_card,
    install_timeout,
)
from g7lint.hub.records import ScanRecord, iso_or_none
from g7lint.parsing.card import parse_card_text
from g7lint.policy.loader import load_policy
from g7lint.policy.model import Policy

_EXPAND = ["sha", "downloads", "likes", "pipeline_tag", "library_name", "createdAt", "gated", "disabled"]


@dataclass(frozen=True)
class HubQuery:
    """Which models to list; the fields mirror ``HfApi.list_models``."""

    author: str | None = None
    search: str | None = None
    filter: tuple[str, ...] = ()
    sort: str | None = None
    limit: int | None = None


@dataclass
class HubSettings:
    token: str | bool | None = None  # None: HF_TOKEN or the login cache, as huggingface_hub decides
    endpoint: str | None = None  # None: HF_ENDPOINT or huggingface.co
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    max_wait: float = DEFAULT_MAX_WAIT


def parse_hub_uri(uri: str) -> tuple[str, str | None]:
    """``hf://org/name@revision`` → (``org/name``, ``revision``).

    Raises:
        HubError: the URI names no repository.
    """
    target = uri.removeprefix("hf://").strip("/")
    repo_id, _, revision = target.partition("@")
    if not repo_id:
        raise HubError(f"{uri}: name a repository, e.g. hf://google-bert/bert-base-uncased", "error")
    return repo_id, revision or None


def lint_hub(
    repo_id: str,
    revision: str | None = None,
    token: str | bool | None = None,
    *,
    policy: Policy | None = None,
    options: RuleOptions | None = None,
    settings: HubSettings | None = None,
) -> Report:
    """Lint the model card of ``repo_id`` as it is on the Hub (at ``revision``).

    Raises:
        HubError: the card could not be fetched (gated, not found, no README, network),
            with ``status`` saying which.
    """
    settings = settings or HubSettings(token=token)
    if token is not None:
        settings.token = token
    fetched = _fetch(repo_id, revision, settings)
    if fetched.status != "ok" or fetched.text is None:
        raise HubError(f"{repo_id}: {fetched.message or fetched.status}", fetched.status)
    return _lint(repo_id, fetched, policy or load_policy(), options)


def scan_hub(
    query: HubQuery,
    *,
    workers: int = 8,
    policy: Policy | None = None,
    settings: HubSettings | None = None,
    skip: Callable[[str], bool] = lambda model_id: False,
    previous: dict[str, ScanRecord] | None = None,
) -> Iterator[ScanRecord]:
    """Yield one record per listed model, in the order they finish.

    ``skip(model_id)`` leaves out models already done (``--resume``);
    ``previous`` maps model ids to earlier records, reused without a fetch
    when the model's commit has not changed (``--since``).

    Raises:
        HubError: the listing itself failed after retries (records already
            yielded stand; a later run can resume).
    """
    settings = settings or HubSettings()
    policy = policy or load_policy()
    install_timeout(settings.timeout)  # list_models has no per-call time-out
    previous = previous or {}
    listing_failed: HubError | None = None
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="g7lint-hub") as pool:
        pending: set[Future[ScanRecord]] = set()
        try:
            for info in _list_models(query, settings):
                model_id = info.id
                if skip(model_id):
                    continue
                earlier = previous.get(model_id)
                if earlier is not None and earlier.sha is not None and earlier.sha == getattr(info, "sha", None):
                    yield earlier
                    continue
                pending.add(pool.submit(_scan_one, info, policy, settings))
                if len(pending) >= 2 * workers:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (future.result() for future in done)
        except HubError as exc:  # a later listing page failed: the models already fetched are still written
            listing_failed = exc
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (future.result() for future in done)
    if listing_failed is not None:
        raise listing_failed


def _list_models(query: HubQuery, settings: HubSettings) -> Iterator[Any]:
    from huggingface_hub import HfApi

    api = HfApi(endpoint=settings.endpoint, token=settings.token, library_name="g7lint", library_version=__version__)
    listing: Iterable[Any] = api.list_models(
        author=query.author,
        search=query.search,
        filter=list(query.filter) or None,
        sort=query.sort,  # type: ignore[arg-type]  # validated by the CLI's choices
        limit=query.limit,
        expand=_EXPAND,  # type: ignore[arg-type]
    )
    iterator = iter(listing)
    while True:
        try:
            info = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - one clear error, never a traceback
            _, message = classify(exc)
            raise HubError(f"listing models failed: {message}", "error") from None
        yield info


def _scan_one(info: Any, policy: Policy, settings: HubSettings) -> ScanRecord:
    model_id = info.id
    sha = getattr(info, "sha", None)
    fields = {
        "id": model_id,
        "sha": sha,
        "downloads": getattr(info, "downloads", None),
        "likes": getattr(info, "likes", None),
        "pipeline_tag": getattr(info, "pipeline_tag", None),
        "library_name": getattr(info, "library_name", None),
        "created_at": iso_or_none(getattr(info, "created_at", None)),
    }
    if getattr(info, "disabled", False):
        return ScanRecord(**fields, status="disabled", message="the repository is disabled")
    try:
        fetched = _fetch(model_id, sha, settings)
        if fetched.status != "ok" or fetched.text is None:
            return ScanRecord(**fields, status=fetched.status, message=fetched.message)
        fields["sha"] = fetched.sha or sha
        return ScanRecord(**fields, status="ok", report=_lint(model_id, fetched, policy))
    except Exception as exc:  # noqa: BLE001 - a record, never a crash
        return ScanRecord(**fields, status="error", message=f"{type(exc).__name__}: {exc}"[:300])


def _fetch(repo_id: str, revision: str | None, settings: HubSettings) -> CardFetch:
    return fetch_card(
        repo_id,
        revision,
        token=settings.token,
        endpoint=settings.endpoint,
        timeout=settings.timeout,
        retries=settings.retries,
        max_wait=settings.max_wait,
    )


def _lint(repo_id: str, fetched: CardFetch, policy: Policy, options: RuleOptions | None = None) -> Report:
    assert fetched.text is not None
    where = f"hf://{repo_id}@{fetched.sha}/README.md" if fetched.sha else f"hf://{repo_id}/README.md"
    return evaluate(parse_card_text(fetched.text, where), policy, options)
