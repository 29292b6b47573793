"""Fetch one model card from the Hub through huggingface_hub, and classify failures.

Every outcome is a :class:`CardFetch` with a status; nothing here raises for
a problem with one model. Rate limits (429) wait for ``Retry-After``;
server errors, time-outs and dropped connections are retried with bounded
backoff, on top of the retries huggingface_hub makes itself.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from g7lint.hub.records import Status

#: Seconds before a request to the Hub is abandoned (huggingface_hub sets none for API calls).
DEFAULT_TIMEOUT = 15.0
DEFAULT_RETRIES = 3
MAX_BACKOFF = 60.0

_timeout_installed: float | None = None


@dataclass(frozen=True)
class CardFetch:
    status: Status
    text: str | None = None
    sha: str | None = None
    message: str = ""


def install_timeout(seconds: float) -> None:
    """Give every request huggingface_hub makes a time-out.

    huggingface_hub's shared HTTP client has none for API calls (a Hub that
    never answers would hang a scan); its public ``set_client_factory`` is
    the documented way to configure that client.
    """
    global _timeout_installed
    if _timeout_installed == seconds:
        return
    import httpx2
    from huggingface_hub import set_client_factory
    from huggingface_hub.utils import _http

    base_factory: Callable[[], Any] = getattr(_http, "default_client_factory", lambda: httpx2.Client(follow_redirects=True))

    def factory() -> Any:
        client = base_factory()
        client.timeout = httpx2.Timeout(seconds)
        return client

    set_client_factory(factory)
    _timeout_installed = seconds


def fetch_card(
    repo_id: str,
    revision: str | None = None,
    *,
    token: str | bool | None = None,
    endpoint: str | None = None,
    cache_dir: Path,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    sleep: Callable[[float], None] = time.sleep,
) -> CardFetch:
    """Download README.md of ``repo_id`` at ``revision`` and read it."""
    from huggingface_hub import hf_hub_download

    attempt = 0
    while True:
        try:
            path = hf_hub_download(
                repo_id,
                "README.md",
                revision=revision,
                token=token,
                endpoint=endpoint,
                cache_dir=cache_dir,
                etag_timeout=timeout,
            )
            text = Path(path).read_bytes().decode("utf-8", errors="replace")
            sha = _commit_of(Path(path), revision)
            _forget(cache_dir, repo_id)
            return CardFetch("ok", text, sha)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a status
            status, message, wait = classify(exc)
            if wait is None or attempt >= retries:
                return CardFetch(status, None, revision, message)
            attempt += 1
            sleep(min(wait if wait > 0 else 2.0 ** (attempt - 1), MAX_BACKOFF))


def classify(exc: BaseException) -> tuple[Status, str, float | None]:
    """(status, one-line message, seconds to wait before a retry or None for final)."""
    from huggingface_hub.errors import (
        DisabledRepoError,
        GatedRepoError,
        HfHubHTTPError,
        LocalEntryNotFoundError,
        RemoteEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    if isinstance(exc, LocalEntryNotFoundError) and exc.__cause__ is not None:
        return classify(exc.__cause__)
    if isinstance(exc, GatedRepoError):
        return "gated", "gated: access must be requested on the Hub", None
    if isinstance(exc, (RepositoryNotFoundError, RevisionNotFoundError)):
        return "not_found", _first_line(exc), None
    if isinstance(exc, RemoteEntryNotFoundError):
        return "no_card", "the repository has no README.md", None
    if isinstance(exc, DisabledRepoError):
        return "disabled", "the repository is disabled", None
    if isinstance(exc, HfHubHTTPError):
        status_code = exc.response.status_code if exc.response is not None else 0
        if status_code == 403 and "disabled" in str(exc).lower():
            return "disabled", "the repository is disabled", None
        if status_code == 429 or status_code >= 500 or status_code == 408:
            return "error", f"HTTP {status_code}: {_first_line(exc)}", _retry_after(exc)
        return "error", f"HTTP {status_code}: {_first_line(exc)}", None
    if _is_transient(exc):
        return "error", f"{type(exc).__name__}: {_first_line(exc)}", 0.0
    return "error", f"{type(exc).__name__}: {_first_line(exc)}", None


def _is_transient(exc: BaseException) -> bool:
    import httpx2

    return isinstance(exc, (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError, TimeoutError, ConnectionError))


def _retry_after(exc: Any) -> float:
    response = getattr(exc, "response", None)
    value = response.headers.get("Retry-After") if response is not None else None
    try:
        return max(float(value), 0.0) if value is not None else 0.0
    except ValueError:
        return 0.0


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def _commit_of(path: Path, revision: str | None) -> str | None:
    # The cache layout is snapshots/<commit sha>/README.md: the commit actually judged.
    parent = path.parent.name
    return parent if len(parent) == 40 else revision


def _forget(cache_dir: Path, repo_id: str) -> None:
    """Drop the downloaded card: a scan of a million models must not fill the disk."""
    shutil.rmtree(cache_dir / f"models--{repo_id.replace('/', '--')}", ignore_errors=True)
