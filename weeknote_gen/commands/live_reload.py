"""What the browser sees of the dev server: the output folder served under the base path,
the live-reload script and the problems overlay added to HTML as it is served (never written
to disk: the served site is exactly the built site), and the event stream that tells each
open page when a rebuild changed it.
"""

from __future__ import annotations

import html
import http.server
import json
import mimetypes
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from weeknote_gen.errors import Diagnostic

EVENTS_PATH = "/__weeknote__/events"
NOT_FOUND_PAGE = "404.html"
HEARTBEAT_SECONDS = 15.0

HISTORY = 64  # rebuilds remembered for pages that reconnect late; older ones reload anyway
# Output files every page uses: when one changes, every open page reloads.
SHARED_PREFIXES = ("static/", "media/")


@dataclass
class LiveState:
    """What the HTTP threads and the rebuild thread share, guarded by one condition."""

    epoch: int = 0
    problems: tuple[Diagnostic, ...] = ()
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)
    touched: dict[int, frozenset[str] | None] = field(default_factory=dict)  # by epoch

    def publish(
        self, problems: Sequence[Diagnostic], changed: Collection[str] | None = None
    ) -> None:
        with self.changed:
            problems = tuple(problems)
            if problems or self.problems:
                changed = None  # the overlay appears or goes on every page
            self.epoch += 1
            self.problems = problems
            self.touched[self.epoch] = None if changed is None else frozenset(changed)
            self.touched.pop(self.epoch - HISTORY, None)
            self.changed.notify_all()

    def affects(self, page: str, since: int) -> bool:
        """Whether a rebuild after epoch `since` changed output file `page`, or a file that
        every page uses. Call with `changed` held."""
        if since > self.epoch:
            return True  # from before a restart
        for epoch in range(since + 1, self.epoch + 1):
            files = self.touched.get(epoch)
            if files is None or page in files:
                return True
            if any(name.startswith(SHARED_PREFIXES) for name in files):
                return True
        return False

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()


class ServedSite(Protocol):
    """What the HTTP side needs of the dev server: where the site is and what it last built."""

    @property
    def output_dir(self) -> Path: ...

    @property
    def base_path(self) -> str: ...

    @property
    def state(self) -> LiveState: ...


def make_handler(server: ServedSite) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(_SiteHandler):
        dev = server

    return Handler


class _SiteHandler(http.server.BaseHTTPRequestHandler):
    """Files from the output folder under the base path, with live reload in HTML."""

    dev: ServedSite
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._respond(head_only=False)

    def do_HEAD(self) -> None:
        self._respond(head_only=True)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for build reports, not a line per request."""

    def _respond(self, *, head_only: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == EVENTS_PATH:
            self._events()
            return
        base = self.dev.base_path
        if path in ("", "/") and base != "/":
            self._redirect(base)
            return
        target = self._file_for(path, base)
        if target is None:
            self._not_found(head_only)
            return
        if target.is_dir():
            self._redirect(urlsplit(self.path).path + "/")
            return
        self._send_file(target, 200, head_only)

    def _file_for(self, path: str, base: str) -> Path | None:
        """The file a request names, or None: never anything outside the output folder."""
        if not path.startswith(base) or "\x00" in path or "\\" in path:
            return None
        inner = path[len(base) :]
        if any(part in ("..", ".") for part in inner.split("/")):
            return None
        root = self.dev.output_dir.resolve()
        target = (root / inner).resolve()
        if target != root and root not in target.parents:
            return None
        if target.is_dir() and path.endswith("/"):
            target = target / "index.html"
        return target if target.exists() else None

    def _send_file(self, target: Path, status: int, head_only: bool) -> None:
        try:
            data = target.read_bytes()
        except OSError:
            self._not_found(head_only)
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = inject(data, self.dev.state, self._output_name(target))
            kind = "text/html; charset=utf-8"
        self._send(status, kind, data, head_only)

    def _output_name(self, target: Path) -> str:
        """The file's path in the output folder, as build reports name changed files."""
        try:
            return target.resolve().relative_to(self.dev.output_dir.resolve()).as_posix()
        except (OSError, ValueError):
            return ""

    def _not_found(self, head_only: bool) -> None:
        page = self.dev.output_dir / NOT_FOUND_PAGE
        if page.is_file():
            self._send_file(page, 404, head_only)
            return
        body = b"<!DOCTYPE html><html lang=en><title>Not found</title><body><h1>Not found</h1>"
        self._send(404, "text/html; charset=utf-8", inject(body, self.dev.state), head_only)

    def _send(self, status: int, kind: str, data: bytes, head_only: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head_only:
            self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _events(self) -> None:
        """Server-Sent Events: the build epoch when a rebuild changed the page listening.

        A page says which file it is and which build it came from (`?page=…&epoch=…`) and
        hears only of rebuilds that changed it; without them, of every rebuild."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        state = self.dev.state
        query = parse_qs(urlsplit(self.path).query)
        page = query.get("page", [None])[0]
        since = query.get("epoch", [""])[0]
        seen = int(since) if page is not None and since.isdigit() else -1
        try:
            while True:
                with state.changed:
                    if state.epoch == seen and not state.stopping:
                        state.changed.wait(HEARTBEAT_SECONDS)
                    if state.stopping:
                        return
                    epoch = state.epoch
                    tell = epoch != seen and (page is None or state.affects(page, seen))
                if tell:
                    self.wfile.write(f"data: {epoch}\n\n".encode())
                elif epoch == seen:
                    self.wfile.write(b": still here\n\n")
                seen = epoch
                self.wfile.flush()
        except OSError:
            return  # the page was closed or reloaded


_RELOAD_SCRIPT = """<script>
(function () {
  var epoch = %d;
  var page = %s;
  var source = new EventSource("%s?epoch=" + epoch + "&page=" + encodeURIComponent(page));
  source.onmessage = function (event) {
    if (Number(event.data) !== epoch) { source.close(); window.location.reload(); }
  };
})();
</script>
"""

_OVERLAY = """<div id="weeknote-overlay" role="alert" style="position:fixed;inset:auto 0 0 0;\
max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;\
background:#fff4f2;color:#1d1d1d;border-top:6px solid #b3261e;font:16px/1.5 system-ui,sans-serif">
<h2 style="margin:0 0 .5rem;font-size:1.25rem">The last change could not be built</h2>
<p style="margin:0 0 .5rem">You are seeing the last good version. Fix these and save: this page
reloads by itself.</p>
<ol style="margin:0;padding-left:1.5rem">%s</ol>
</div>
"""


def inject(page: bytes, state: LiveState, name: str = "") -> bytes:
    """Add the live-reload script for the output file `name`, and the problems overlay if
    the last build failed."""
    with state.changed:
        epoch, problems = state.epoch, state.problems
    name_literal = json.dumps(name).replace(
        "<", "\\u003c"
    )  # a JS string that cannot end the script
    extra = _RELOAD_SCRIPT % (epoch, name_literal, EVENTS_PATH)
    if problems:
        extra = _OVERLAY % "".join(_overlay_item(p) for p in problems) + extra
    marker = b"</body>"
    index = page.rfind(marker)
    addition = extra.encode("utf-8")
    if index < 0:
        return page + addition
    return page[:index] + addition + page[index:]


def _overlay_item(problem: Diagnostic) -> str:
    where = f"{problem.location}:" if problem.location is not None else "error:"
    hint = f"<br><em>{html.escape(problem.hint)}</em>" if problem.hint else ""
    return f"<li><code>{html.escape(where)}</code> {html.escape(problem.message)}{hint}</li>"
