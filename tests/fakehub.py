"""A local stand-in for the Hugging Face Hub's HTTP API, for tests and benchmarks.

It speaks what the real ``huggingface_hub`` client sends and expects (see
the Hub API reference the project keeps): paginated ``/api/models`` with
absolute ``Link`` headers, ``/api/models/{id}``, and HEAD/GET
``/{id}/resolve/{rev}/README.md`` with ``X-Repo-Commit`` and ``ETag``; errors
carry ``X-Error-Code``. Faults are injected per model or for the listing:
429 with Retry-After, 500, slow answers, dropped connections; models can be
gated, disabled, missing or without a README. Bound to 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit


def sha_for(model_id: str, generation: int = 0) -> str:
    return hashlib.sha1(f"{model_id}#{generation}".encode()).hexdigest()


@dataclass
class FakeModel:
    id: str
    card: str | None = "---\nlicense: mit\n---\n# A model\n"
    downloads: int = 0
    likes: int = 0
    pipeline_tag: str | None = "text-classification"
    library_name: str | None = "transformers"
    created_at: str = "2024-01-01T00:00:00.000Z"
    tags: list[str] = field(default_factory=list)
    gated: bool = False
    disabled: bool = False
    generation: int = 0  # bump to give the model a new commit

    @property
    def sha(self) -> str:
        return sha_for(self.id, self.generation)

    @property
    def author(self) -> str:
        return self.id.split("/")[0] if "/" in self.id else ""


@dataclass
class FakeHub:
    models: dict[str, FakeModel] = field(default_factory=dict)
    page_size: int = 50
    latency: float = 0.0  # added to every request
    faults: dict[str, list[str]] = field(default_factory=dict)  # model id (or "/api/models") -> faults to serve next
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""

    def add(self, *models: FakeModel) -> None:
        for model in models:
            self.models[model.id] = model

    def next_fault(self, key: str) -> str | None:
        with self.lock:
            queue = self.faults.get(key)
            return queue.pop(0) if queue else None

    def count(self, method: str, fragment: str) -> int:
        with self.lock:
            return sum(1 for m, p in self.requests if m == method and fragment in p)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def _dispatch(self, method: str) -> None:
        hub = self.server.hub
        with hub.lock:
            hub.requests.append((method, self.path))
        if hub.latency:
            time.sleep(hub.latency)
        url = urlsplit(self.path)
        path = unquote(url.path)
        query = parse_qs(url.query)
        if path == "/api/models":
            if self._fault("/api/models", method):
                return
            self._list(query)
            return
        if path.startswith("/api/models/"):
            self._info(path.removeprefix("/api/models/"))
            return
        if "/resolve/" in path:
            repo, _, rest = path.lstrip("/").partition("/resolve/")
            revision, _, filename = rest.partition("/")
            if self._fault(repo, method):
                return
            self._resolve(method, repo, revision, filename)
            return
        self._error(404, "NotFound", "no such endpoint")

    # -- faults -----------------------------------------------------------
    def _fault(self, key: str, method: str) -> bool:
        fault = self.server.hub.next_fault(key)
        if fault is None or fault == "ok":  # "ok": answer this request normally (fail a later one)
            return False
        if fault == "429" or fault.startswith("429:"):  # "429:30": Retry-After 30
            wait = fault.partition(":")[2] or "0"
            self._send(429, b"", {"Retry-After": wait, "X-Error-Message": "rate limited"}, method)
            return True
        if fault == "500":
            self._send(500, b"", {"X-Error-Message": "internal error"}, method)
            return True
        if fault == "400":
            self._error(400, "BadRequest", "bad request", method)
            return True
        if fault.startswith("slow:"):
            time.sleep(float(fault.split(":", 1)[1]))
            return False  # then answer normally, too late for the client's time-out
        if fault == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return True
        raise AssertionError(f"unknown fault {fault}")

    # -- endpoints ----------------------------------------------------------
    def _list(self, query: dict[str, list[str]]) -> None:
        hub = self.server.hub
        models = list(hub.models.values())
        if "author" in query:
            models = [m for m in models if m.author == query["author"][0]]
        if "search" in query:
            models = [m for m in models if query["search"][0].lower() in m.id.lower()]
        for tag in query.get("filter", []):
            models = [m for m in models if tag in m.tags or tag == m.pipeline_tag or tag == m.library_name]
        sort = query.get("sort", [None])[0]
        if sort in ("downloads", "likes"):
            models.sort(key=lambda m: getattr(m, sort), reverse=True)
        limit = int(query.get("limit", [hub.page_size])[0])
        page_size = min(limit, hub.page_size)
        offset = int(query.get("cursor", ["0"])[0])
        page = models[offset : offset + page_size]
        expand = query.get("expand")
        body = json.dumps([self._item(m, expand) for m in page]).encode()
        headers = {"Content-Type": "application/json"}
        if offset + page_size < len(models):
            params = [(k, v) for k, values in query.items() if k != "cursor" for v in values]
            params.append(("cursor", str(offset + page_size)))
            headers["Link"] = f'<{hub.base_url}/api/models?{urlencode(params)}>; rel="next"'
        self._send(200, body, headers, "GET")

    def _item(self, model: FakeModel, expand: list[str] | None) -> dict[str, Any]:
        item = {
            "_id": model.sha[:24],
            "id": model.id,
            "modelId": model.id,
            "author": model.author,
            "sha": model.sha,
            "downloads": model.downloads,
            "likes": model.likes,
            "pipeline_tag": model.pipeline_tag,
            "library_name": model.library_name,
            "createdAt": model.created_at,
            "lastModified": model.created_at,
            "tags": model.tags,
            "gated": "manual" if model.gated else False,
            "disabled": model.disabled,
            "private": False,
        }
        if expand:
            return {k: v for k, v in item.items() if k in ("_id", "id") or k in expand}
        return item

    def _info(self, rest: str) -> None:
        repo, _, _revision = rest.partition("/revision/")
        model = self.server.hub.models.get(repo)
        if model is None:
            self._error(401, "RepoNotFound", "Repository Not Found")
            return
        self._send(200, json.dumps(self._item(model, None)).encode(), {"Content-Type": "application/json"}, "GET")

    def _resolve(self, method: str, repo: str, revision: str, filename: str) -> None:
        model = self.server.hub.models.get(repo)
        if model is None:
            self._error(401, "RepoNotFound", "Repository Not Found", method)
            return
        if model.disabled:
            self._send(403, b"", {"X-Error-Message": "Access to this resource is disabled."}, method)
            return
        if model.gated:
            self._error(401, "GatedRepo", f"Access to model {repo} is restricted. Please log in.", method)
            return
        if revision not in ("main", model.sha):
            self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}", method)
            return
        if filename != "README.md" or model.card is None:
            self._error(404, "EntryNotFound", "Entry not found", method, {"X-Repo-Commit": model.sha})
            return
        body = model.card.encode("utf-8")
        etag = hashlib.sha1(body).hexdigest()
        headers = {"ETag": f'"{etag}"', "X-Repo-Commit": model.sha, "Content-Type": "text/plain; charset=utf-8"}
        self._send(200, body, headers, method)

    # -- plumbing -------------------------------------------------------------
    def _error(
        self, status: int, code: str, message: str, method: str = "GET", extra: dict[str, str] | None = None
    ) -> None:
        headers = {"X-Error-Code": code, "X-Error-Message": message, "Content-Type": "application/json"}
        headers.update(extra or {})
        self._send(status, json.dumps({"error": message}).encode(), headers, method)

    def _send(self, status: int, body: bytes, headers: dict[str, str], method: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        # One request per connection: no keep-alive socket is left waiting when a test ends.
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        if method != "HEAD" and body:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    hub: FakeHub

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (time-out, killed scan) is part of the tests, not a server bug.
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def start(hub: FakeHub) -> tuple[_Server, str]:
    """Serve ``hub`` on 127.0.0.1 (a free port) in a background thread; return the server and base URL."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.hub = hub
    hub.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True, name="fakehub").start()
    return server, hub.base_url


def main() -> None:
    """Serve a fake Hub of N identical models from its own process (for benchmarks)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--card", required=True, help="file whose text every model's README.md holds")
    args = parser.parse_args()
    with open(args.card, encoding="utf-8") as handle:
        card = handle.read()
    hub = FakeHub(page_size=1000, latency=args.latency)
    hub.add(*(FakeModel(f"bench/model-{i:05d}", card=card) for i in range(args.models)))
    server, base_url = start(hub)
    print(base_url, flush=True)
    sys.stdin.read()  # serve until the parent closes our standard input
    server.shutdown()


if __name__ == "__main__":
    main()
