"""Lighthouse's scores for the built sample site, served as a real host would serve it.

Lighthouse (pinned in package.json) runs with its default mobile preset, the stricter of its
two: a mid-range phone on a slow 4G connection, simulated. The site must score 100 for
accessibility, best practices and SEO and at least 95 for performance on every kind of page a
reader lands on first. A plain `http.server` sends everything uncompressed, which no real host
does and which would cost performance points the site does not deserve, so the pages are served
by a small server that gzips text the way a static host or CDN does.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import json
import mimetypes
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM
from tests.conftest import REPO

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.is_file(),
        reason="Lighthouse needs Debian's chromium at /usr/bin/chromium: apt-get install chromium",
    ),
]

LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"

# One page of each kind a reader is likely to arrive on from a link or a search engine. The
# note is the one with code, which is the heavier of the two note layouts (an extra stylesheet).
PAGES = {
    "home": "/",
    "note": "/2026/week-24-rhys/",
    "author": "/authors/maya-okonjo/",
    "taxonomy overview": "/theme/",
    "week": "/weeks/2026-W30/",
    "search": "/search/",
}

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM_SCORES = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}

# Flags for a headless Chromium in a container with no GPU, no sandbox and no reason to talk to
# Google: background traffic would only add noise to the performance measurement.
CHROME_FLAGS = " ".join(
    (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
    )
)

# What a static host compresses: text. Images, WebAssembly and Pagefind's index files (which
# Pagefind gzips itself) gain nothing from a second pass.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/javascript",
    "application/json",
    "application/feed+json",
    "application/xml",
    "application/atom+xml",
    "image/svg+xml",
)
TYPES_BY_SUFFIX = {
    ".js": "application/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".wasm": "application/wasm",
}


def content_type(path: Path) -> str:
    """The Content-Type for a file, with a charset for text so the browser need not guess."""
    guessed = TYPES_BY_SUFFIX.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    kind = guessed or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        return f"{kind}; charset=utf-8"
    return kind


class _CompressingHandler(http.server.BaseHTTPRequestHandler):
    """Serves a built site the way a static host does: `index.html` for folders, the site's
    `404.html` for missing pages, gzip for text when the browser accepts it."""

    site: Path

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, *, send_body: bool) -> None:
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        target = self._resolve(url_path)
        if target is not None and target.is_dir():
            self.send_response(301)
            self.send_header("Location", url_path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = 200
        if target is None:
            status, target = 404, self.site / "404.html"
        body = target.read_bytes()
        kind = content_type(target)
        compress = kind.startswith(COMPRESSIBLE_TYPES) and "gzip" in self.headers.get(
            "Accept-Encoding", ""
        )
        if compress:
            body = gzip.compress(body, compresslevel=6, mtime=0)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "public, max-age=3600")
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _resolve(self, url_path: str) -> Path | None:
        """The file for a URL path (a folder when its slash is missing, for a redirect), or
        None when there is none inside the site."""
        relative = url_path.lstrip("/")
        candidate = (self.site / relative).resolve()
        if not candidate.is_relative_to(self.site):
            return None
        if candidate.is_dir():
            if not url_path.endswith("/"):
                return candidate
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_compressed(directory: Path) -> Iterator[str]:
    """Serve a built site with compression on a free local port; give its base URL."""
    handler = type("SiteHandler", (_CompressingHandler,), {"site": directory.resolve()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def compressed_base_url(sample_output: Path) -> Iterator[str]:
    with serve_compressed(sample_output) as url:
        yield url


@pytest.fixture(scope="module")
def chrome_scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where Lighthouse's Chromium keeps its throwaway profiles: chrome-launcher sometimes fails
    to delete one while Chromium is still closing, and pytest's own temporary folders are
    cleared on later runs, unlike the system's /tmp."""
    return tmp_path_factory.mktemp("lighthouse-chrome")


def run_lighthouse(url: str, scratch: Path) -> dict[str, Any]:
    """Lighthouse's JSON report for one page."""
    if not LIGHTHOUSE.is_file():
        pytest.fail("Lighthouse is missing from node_modules: run `make test` (it runs npm ci)")
    completed = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            "--quiet",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "CHROME_PATH": str(CHROMIUM), "TMPDIR": str(scratch)},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    report: dict[str, Any] = json.loads(completed.stdout)
    assert not report.get("runtimeError"), report["runtimeError"]
    return report


def failing_audits(report: dict[str, Any], category: str) -> list[str]:
    """The audits that cost a category points, as 'id: title (score)', so a failure says
    what to fix rather than only the number."""
    audits = report["audits"]
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        score = audit.get("score")
        if ref.get("weight", 0) > 0 and score is not None and score < 1:
            value = audit.get("displayValue", "")
            lines.append(f"{audit['id']}: {audit['title']} (score {score}) {value}".rstrip())
    return lines


def score_shortfalls(report: dict[str, Any]) -> list[str]:
    """Each category under its minimum, with the audits behind it."""
    shortfalls = []
    for category, minimum in MINIMUM_SCORES.items():
        score = report["categories"][category]["score"]
        if score is None or score < minimum:
            audits = "; ".join(failing_audits(report, category)) or "no single audit failed"
            shortfalls.append(f"{category} {score} < {minimum}: {audits}")
    return shortfalls


@pytest.mark.parametrize("name", PAGES)
def test_lighthouse_scores(compressed_base_url: str, chrome_scratch: Path, name: str) -> None:
    started = time.monotonic()
    report = run_lighthouse(f"{compressed_base_url}{PAGES[name]}", chrome_scratch)
    scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
    print(f"{name} {PAGES[name]}: {scores} in {time.monotonic() - started:.1f} s")
    shortfalls = score_shortfalls(report)
    assert not shortfalls, f"{PAGES[name]}: " + " | ".join(shortfalls)
