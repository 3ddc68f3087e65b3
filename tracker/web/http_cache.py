"""Responses that are the same for many requests: built once per worker, compressed once,
revalidated by a strong ETag (``If-None-Match`` gets 304).

- ``/_dash-layout``: the frame per ``shell.FrameKey`` (role, language); the user's own part
  comes from a callback, so nothing per user is in the cached body.
- ``/_dash-dependencies``: the callback list, the same for everyone.
- ``/assets/*`` and ``/_dash-component-suites/*``: the files, gzip (and brotli when the
  ``brotli`` module is there: Flask-Compress brings it) computed on first use; a URL
  that carries the file's version (Dash's ``?m=`` on assets, its fingerprinted bundle
  paths) is cached for a year as immutable, any other URL revalidates by ETag.

The access guard (``tracker.web.auth``) runs before these views: an anonymous request is
refused (or sent to the login form) exactly as before. Every other response is still
compressed per request by Flask-Compress (``tracker.web.app``).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dash
from dash.fingerprint import check_fingerprint
from flask import Flask, Response, request
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join

try:
    import brotli
except ImportError:  # pragma: no cover - Flask-Compress depends on it on CPython
    brotli = None

GZIP_LEVEL = 9  # once per body, not per request
BROTLI_QUALITY = 9  # 11 costs seconds for plotly's bundle at each worker's first request
# A kept page is compressed on the request that built it, so its quality is a per-request
# cost: brotli 9 took 10 ms for a 110 kB page (20 % of the project page's CPU under load),
# 4 takes 0.4 ms for a body ~10 % larger (benchmarks/compression.py).
PAGE_BROTLI_QUALITY = 4
PAGE_GZIP_LEVEL = 6
CODINGS = ("br", "gzip") if brotli is not None else ("gzip",)
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"  # stored, but asked again (304 while unchanged)
PRIVATE = "private, no-cache"  # behind the login: the browser's own cache only


def _compress(data: bytes, coding: str, fast: bool = False) -> bytes:
    if coding == "br":
        return brotli.compress(data, quality=PAGE_BROTLI_QUALITY if fast else BROTLI_QUALITY)
    return gzip.compress(data, compresslevel=PAGE_GZIP_LEVEL if fast else GZIP_LEVEL, mtime=0)


@dataclass
class Body:
    """One response body, its strong ETag (from its bytes) and its compressed forms."""

    data: bytes
    mimetype: str
    etag: str = ""
    fast: bool = False  # compressed while a request waits (kept pages): fast settings
    _encoded: dict[str, bytes | None] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.etag = hashlib.sha256(self.data).hexdigest()[:32]

    def encoded(self, coding: str) -> bytes | None:
        """The body in ``coding``, compressed on first use; None when that is no smaller."""
        with self._lock:  # two first requests at once compress once
            if coding not in self._encoded:
                packed = _compress(self.data, coding, self.fast)
                self._encoded[coding] = packed if len(packed) < len(self.data) else None
            return self._encoded[coding]

    def tag(self, coding: str | None) -> str:
        return self.etag if coding is None else f"{self.etag}-{coding}"


def send(body: Body, cache_control: str) -> Response:
    """``body`` for this request: 304 when the browser holds it, else in the best encoding
    the browser accepts."""
    coding = request.accept_encodings.best_match(CODINGS)
    data = body.data if coding is None else body.encoded(coding)
    if data is None:
        coding, data = None, body.data
    held = request.if_none_match
    if any(held.contains(body.tag(c)) for c in (None, *CODINGS)):
        response = Response(status=304)
    else:
        response = Response(data, mimetype=body.mimetype)
        if coding is not None:
            response.headers["Content-Encoding"] = coding
    response.set_etag(body.tag(coding))
    response.headers["Cache-Control"] = cache_control
    response.vary.add("Accept-Encoding")
    return response


class Bodies:
    """Bodies by key, each built once (a key's builder runs once even when two requests
    ask at the same time). Keys come from small finite sets (roles × languages, the
    registered files), so nothing is evicted."""

    def __init__(self) -> None:
        self._items: dict[Hashable, Body] = {}
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, build: Callable[[], Body | None]) -> Body | None:
        found = self._items.get(key)
        if found is not None:
            return found
        with self._lock:
            guard = self._building.setdefault(key, threading.Lock())
        with guard:
            found = self._items.get(key)
            if found is None:
                found = build()
                if found is not None:
                    self._items[key] = found
            return found

    def __len__(self) -> int:
        return len(self._items)


# --- Dash's layout and dependencies -----------------------------------------------------


def install_dash_responses(app: dash.Dash, frame_key: Callable[[], Hashable | None]) -> None:
    """Serve /_dash-layout per ``frame_key()`` and /_dash-dependencies from caches on the app.

    The layout function must build its content from that key alone (``shell.layout``). A
    request without a key (nobody signed in; the guard refuses those first) gets Dash's own
    view."""
    server = app.server
    prefix = app.config.routes_pathname_prefix
    layouts, dependencies = Bodies(), Bodies()
    own_layout = server.view_functions[f"{prefix}_dash-layout"]
    own_dependencies = server.view_functions[f"{prefix}_dash-dependencies"]

    def _body(view: Callable[[], Response]) -> Callable[[], Body]:
        def build() -> Body:
            response = view()
            return Body(response.get_data(), response.mimetype or "application/json")

        return build

    def layout_view():
        key = frame_key()
        if key is None:
            return own_layout()
        return send(layouts.get(key, _body(own_layout)), PRIVATE)

    def dependencies_view():
        return send(dependencies.get("callbacks", _body(own_dependencies)), PRIVATE)

    server.view_functions[f"{prefix}_dash-layout"] = layout_view
    server.view_functions[f"{prefix}_dash-dependencies"] = dependencies_view
    server.extensions["tracker.layouts"] = layouts


# --- static files -------------------------------------------------------------------------


def install_static(app: dash.Dash, assets: Path) -> None:
    """Serve the assets folder and Dash's component bundles from memory, compressed once."""
    server = app.server
    _assets(server, assets)
    _bundles(app)


def _assets(server: Flask, folder: Path) -> None:
    rule = next(r for r in server.url_map.iter_rules() if r.rule == "/assets/<path:filename>")
    files = Bodies()

    def asset(filename: str):
        path = safe_join(str(folder), filename)
        if path is None or not os.path.isfile(path):
            raise NotFound()
        stat = os.stat(path)

        def build() -> Body:
            mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return Body(Path(path).read_bytes(), mimetype)

        body = files.get((filename, stat.st_mtime_ns, stat.st_size), build)
        # Dash writes ?m=<the file's modification time> into the page: that URL names one
        # version of the file; any other (the login page's, tracker.js's) revalidates
        versioned = request.args.get("m") == f"{stat.st_mtime}"
        return send(body, IMMUTABLE if versioned else REVALIDATE)

    server.view_functions[rule.endpoint] = asset


def _bundles(app: dash.Dash) -> None:
    server = app.server
    endpoint = next(
        r.endpoint
        for r in server.url_map.iter_rules()
        if r.rule.startswith(f"{app.config.routes_pathname_prefix}_dash-component-suites/")
    )
    own = server.view_functions[endpoint]
    files = Bodies()

    def bundle(package_name: str, fingerprinted_path: str):
        refused: list[Response] = []

        def build() -> Body | None:
            response = own(package_name, fingerprinted_path)  # Dash checks the path
            if response.status_code != 200:
                refused.append(response)
                return None
            return Body(response.get_data(), response.mimetype)

        body = files.get((package_name, fingerprinted_path), build)
        if body is None:
            return refused[0] if refused else own(package_name, fingerprinted_path)
        _, fingerprinted = check_fingerprint(fingerprinted_path)
        return send(body, IMMUTABLE if fingerprinted else REVALIDATE)

    server.view_functions[endpoint] = bundle


# --- pages whose drawing only changes with their projects' data ---------------------------

ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."  # Dash Pages' router
PAGE_BYTES = 64 << 20  # per worker: ~1,500 project pages (each ~40 kB, its brotli ~5 kB)
NOT_STORED = "no-store"


@dataclass(frozen=True)
class Cacheable:
    """A page whose response may be served again: ``key`` says everything it is drawn from
    besides the data (the page, the reader's language, role and scope, the day); it shows
    the data of ``projects`` only (None: of any project), and of ``tables`` as a whole (a
    write there changes it whichever projects it names)."""

    key: Hashable
    projects: frozenset[int] | None  # None: the whole plan (any write changes it)
    tables: frozenset[str] = frozenset()


class PageResponses:
    """The newest response body of each page key, with the data version it was built under
    (an LRU bounded by the bodies' bytes: ``capacity``)."""

    def __init__(self, capacity: int = PAGE_BYTES) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Hashable, tuple[tuple[str, int], Body]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> tuple[tuple[str, int], Body] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, version: tuple[str, int], body: Body) -> None:
        with self._lock:
            held = self._items.get(key)
            if held is not None and held[0][0] == version[0] and held[0][1] > version[1]:
                return  # a newer one is held already
            if held is not None:
                self._bytes -= len(held[1].data)
            self._items[key] = (version, body)
            self._items.move_to_end(key)
            self._bytes += len(body.data)
            while self._bytes > self.capacity and len(self._items) > 1:
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= len(dropped.data)

    def __len__(self) -> int:
        return len(self._items)

    def count(self, hit: bool) -> None:
        with self._lock:
            if hit:
                self.hits += 1
            else:
                self.misses += 1


def page_route(body: Any) -> tuple[str, str] | None:
    """The (pathname, search) a Dash Pages router request draws, or None for another callback."""
    if not isinstance(body, dict) or body.get("output") != ROUTER_OUTPUT:
        return None
    values = {
        item.get("property"): item.get("value")
        for item in body.get("inputs", [])
        if isinstance(item, dict)
    }
    pathname, search = values.get("pathname"), values.get("search") or ""
    if not isinstance(pathname, str) or not isinstance(search, str):
        return None
    return pathname, search


def install_page_cache(
    app: dash.Dash,
    *,
    choose: Callable[[str, str], Cacheable | None],
    version: Callable[[], tuple[str, int] | None],
    unchanged: Callable[[tuple[str, int], tuple[str, int], frozenset[int], frozenset[str]], bool],
) -> PageResponses:
    """Serve the pages ``choose`` names from their last response while no write since it was
    built touched their projects (``unchanged``; a write not traced to its projects counts).
    The version is read before the page is built: a write that lands while it is built is
    newer than the version it is stored under, so the next reader sees it and builds again."""
    server = app.server
    endpoint = f"{app.config.routes_pathname_prefix}_dash-update-component"
    own = server.view_functions[endpoint]
    responses = PageResponses()

    def fresh(chosen: Cacheable, now: tuple[str, int]) -> Body | None:
        held = responses.get(chosen.key)
        if held is None:
            return None
        since, body = held
        if since != now and (
            chosen.projects is None
            or since[0] != now[0]
            or since[1] > now[1]
            or not unchanged(since, now, chosen.projects, chosen.tables)
        ):
            return None
        responses.put(chosen.key, now, body)
        return body

    def view():
        route = page_route(request.get_json(silent=True))
        chosen = None if route is None else choose(*route)
        now = None if chosen is None else version()
        if chosen is None or now is None:
            return own()
        body = fresh(chosen, now)
        responses.count(body is not None)
        if body is None:
            response = own()
            if response.status_code != 200 or response.direct_passthrough:
                return response
            body = Body(response.get_data(), response.mimetype or "application/json", fast=True)
            responses.put(chosen.key, now, body)
        return send(body, NOT_STORED)

    server.view_functions[endpoint] = view
    server.extensions["tracker.page_responses"] = responses
    return responses
