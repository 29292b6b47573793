"""Fetch one model card from the Hub through huggingface_hub, and classify failures.

Every outcome is a :class:`CardFetch` with a status; nothing here raises for
a problem with one model. Rate limits (429) wait for ``Retry-After``;
server errors, time-outs and dropped connections are retried with bounded
backoff (huggingface_hub's ``http_backoff``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from g7lint._version import __version__
from g7lint.hub.records import Status

#: Seconds before a request to the Hub is abandoned (huggingface_hub sets none for API calls).
DEFAULT_TIMEOUT = 15.0
DEFAULT_RETRIES = 5
#: Longest wait a 429's Retry-After (or rate-limit reset) may impose before the model is recorded as an error.
DEFAULT_MAX_WAIT = 120.0
#: Statuses http_backoff retries with its own bounded backoff (429 is handled by fetch_card).
_RETRY_STATUS = (408, 500, 502, 503, 504)

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

    base_factory: Callable[[], Any] = getattr(
        _http, "default_client_factory", lambda: httpx2.Client(follow_redirects=True)
    )

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
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    max_wait: float = DEFAULT_MAX_WAIT,
) -> CardFetch:
    """Download README.md of ``repo_id`` at ``revision`` and read it.

    Uses huggingface_hub's own request helpers (its session, headers and
    token, ``http_backoff`` for 429 ``Retry-After`` and 5xx retries,
    ``hf_raise_for_status`` for the error classes) but not
    ``hf_hub_download``: its cache bookkeeping (locks, etag files,
    symlinks) costs about 11 ms of CPU per file, which under the GIL capped
    a scan at 60 models/s, and a scan never reads a card twice.
    """
    from huggingface_hub import hf_hub_url
    from huggingface_hub.utils import (  # type: ignore[attr-defined]  # documented, lazily exported
        build_hf_headers,
        hf_raise_for_status,
        http_backoff,
    )

    try:
        url = hf_hub_url(repo_id, "README.md", revision=revision, endpoint=endpoint)
        headers = build_hf_headers(token=token, library_name="g7lint", library_version=__version__)
        for _attempt in range(retries + 1):
            # 429s are handled here, not by http_backoff, which would sleep for whatever the Hub asks.
            response = http_backoff(
                "GET", url, headers=headers, timeout=timeout, max_retries=retries, retry_on_status_codes=_RETRY_STATUS
            )
            if response.status_code != 429:
                break
            wait = rate_limit_wait(response.headers)
            if wait > max_wait:
                message = (
                    f"rate limited: the Hub asked to wait {wait:g} s, more than --max-wait {max_wait:g} s; "
                    "rerun with --resume later"
                )
                return CardFetch("error", None, revision, message)
            time.sleep(wait)
        hf_raise_for_status(response)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a status
        status, message = classify(exc)
        return CardFetch(status, None, revision, message)
    sha = response.headers.get("X-Repo-Commit") or revision
    return CardFetch("ok", response.content.decode("utf-8", errors="replace"), sha)


def rate_limit_wait(headers: Any) -> float:
    """Seconds a 429 asks to wait: the rate-limit reset, else ``Retry-After`` seconds, else 1."""
    from huggingface_hub.utils import parse_ratelimit_headers  # type: ignore[attr-defined]

    info = parse_ratelimit_headers(headers)
    if info is not None and info.remaining == 0:
        return float(info.reset_in_seconds)
    value = headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return 1.0  # an HTTP date or nothing: wait a little, as the retries allow
    return seconds if math.isfinite(seconds) and seconds >= 0 else 1.0


def classify(exc: BaseException) -> tuple[Status, str]:
    """The status and a one-line message for an exception raised by huggingface_hub."""
    from huggingface_hub.errors import (
        DisabledRepoError,
        GatedRepoError,
        HfHubHTTPError,
        HFValidationError,
        LocalEntryNotFoundError,
        RemoteEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    if isinstance(exc, LocalEntryNotFoundError) and exc.__cause__ is not None:
        return classify(exc.__cause__)
    if isinstance(exc, GatedRepoError):
        return "gated", "gated: request access on the model's Hub page, then log in (hf auth login) or set HF_TOKEN"
    if isinstance(exc, RevisionNotFoundError):
        return "not_found", "revision not found: check the branch, tag or commit after '@'"
    if isinstance(exc, RepositoryNotFoundError):
        return "not_found", "repository not found, or private: check the id, or log in (hf auth login) or set HF_TOKEN"
    if isinstance(exc, HFValidationError):
        return "error", f"not a valid repository id: {_first_line(exc)}"
    if isinstance(exc, RemoteEntryNotFoundError):
        return "no_card", "the repository has no README.md"
    if isinstance(exc, DisabledRepoError):
        return "disabled", "the repository is disabled"
    if isinstance(exc, HfHubHTTPError):
        status_code = exc.response.status_code if exc.response is not None else 0
        if status_code == 403 and "disabled" in str(exc).lower():
            return "disabled", "the repository is disabled"
        return "error", f"HTTP {status_code}: {_first_line(exc)}"
    return "error", f"{type(exc).__name__}: {_first_line(exc)}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
