"""The dev server: watch the site, rebuild on change, reload open pages.

The server is given a builder callback and knows nothing of the pipeline. Watchdog events are
filtered (editor swap and backup files are ignored) and debounced, so an editor's
save-rename-delete dance is one rebuild. The live-reload script, and the overlay listing the
problems when a rebuild fails, are added to HTML as it is served, never written to disk: the
served site is exactly the built site. A failed rebuild leaves the last good site in place.
"""

from __future__ import annotations

import html
import http.server
import json
import mimetypes
import posixpath
import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from weeknote_gen.config import CONFIG_FILE, CONTENT_DIR, TEMPLATES_DIR
from weeknote_gen.errors import Diagnostic, error

EVENTS_PATH = "/__weeknote__/events"
NOT_FOUND_PAGE = "404.html"
DEBOUNCE_SECONDS = 0.05  # an editor's save (probe, write, rename) lands within a few ms
HEARTBEAT_SECONDS = 15.0
_IGNORED_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload", "~")
_IGNORED_PREFIXES = (".", "#", "~")
_IGNORED_NAMES = frozenset({"4913"})  # vim's "can I write here?" probe

HISTORY = 64  # rebuilds remembered for pages that reconnect late; older ones reload anyway
# Output files every page uses: when one changes, every open page reloads.
SHARED_PREFIXES = ("static/", "media/")


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What a rebuild tells the server: the errors (none when it worked), and which output
    files it changed, so that only pages showing them reload (None: any may have)."""

    problems: Sequence[Diagnostic] = ()
    changed: Collection[str] | None = None


Builder = Callable[[], Rebuilt]
# Show what it can of the changed source files at once, before the full rebuild: the output
# files it wrote, or None when it could not.
Previewer = Callable[[frozenset[Path]], Collection[str] | None]


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


def is_editor_noise(path: str) -> bool:
    """Swap, backup and temporary files that editors write beside the file being saved."""
    name = posixpath.basename(path.replace("\\", "/"))
    return (
        name.startswith(_IGNORED_PREFIXES)
        or name.endswith(_IGNORED_SUFFIXES)
        or name in _IGNORED_NAMES
        or "___jb_" in name  # JetBrains' safe-write files
    )


class _Watcher(FileSystemEventHandler):
    """Turns file events into 'something changed' signals, for the rebuild loop."""

    def __init__(
        self,
        site_dir: Path,
        poke: Callable[[Sequence[Path]], None],
        folders: Sequence[str] = (CONTENT_DIR, TEMPLATES_DIR),
    ) -> None:
        self.site_dir = site_dir.resolve()
        self.poke = poke
        self.folders = tuple(folders)

    def relevant(self, raw: str | bytes) -> bool:
        text = raw.decode() if isinstance(raw, bytes) else raw
        try:
            relative = Path(text).resolve().relative_to(self.site_dir).as_posix()
        except ValueError:
            return False
        inside = any(relative == f or relative.startswith(f"{f}/") for f in self.folders)
        if relative != CONFIG_FILE and not inside:
            return False
        return not is_editor_noise(relative)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a file inside changed: that file's own event decides (and may be noise)
        raw = [event.src_path, getattr(event, "dest_path", "")]
        paths = [p.decode() if isinstance(p, bytes) else p for p in raw if p]
        relevant = [Path(p) for p in paths if self.relevant(p)]
        if relevant:
            self.poke(relevant)


class DevServer:
    """Serves the output folder with live reload; rebuilds when the site's sources change."""

    def __init__(
        self,
        site_dir: Path,
        output_dir: Path,
        *,
        base_path: str,
        builder: Builder,
        previewer: Previewer | None = None,
        host: str = "127.0.0.1",
        port: int = 8000,
        static_dir: str = "static",
    ) -> None:
        self.site_dir = site_dir
        self.sources = (CONTENT_DIR, TEMPLATES_DIR, static_dir)  # the folders a build reads
        self.output_dir = output_dir
        self.base_path = base_path
        self.builder = builder
        self.previewer = previewer
        self.state = LiveState()
        self._dirty = threading.Event()
        self._changed: set[Path] = set()  # since the last rebuild began
        self._changed_lock = threading.Lock()
        self._last_event = 0.0
        self._threads: list[threading.Thread] = []
        self._observer = Observer()
        self._watched: set[tuple[Path, int]] = set()
        handler = _make_handler(self)
        self.httpd = http.server.ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True

    @property
    def address(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}{self.base_path}"

    def start(self, initial_problems: Sequence[Diagnostic]) -> None:
        self.state.publish(initial_problems)
        watcher = _Watcher(self.site_dir, self._poke, self.sources)
        # The site folder itself, not recursively (config.yaml, and weeknotes/ appearing or
        # being renamed), plus each source tree recursively; never the output folder.
        self._observer.schedule(watcher, str(self.site_dir), recursive=False)
        self._watch_source_trees()
        self._observer.start()
        for target, name in ((self.httpd.serve_forever, "http"), (self._rebuild_loop, "rebuild")):
            thread = threading.Thread(target=target, name=f"weeknote-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop watching, answer every open request, and join our threads: no strays."""
        self.state.stop()
        self._dirty.set()
        if self._threads:  # `shutdown` waits for a serving loop, so only once one runs
            self._observer.stop()
            self.httpd.shutdown()
            self._observer.join(timeout=5)
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def _poke(self, paths: Sequence[Path] = ()) -> None:
        with self._changed_lock:
            self._changed.update(paths)
        self._last_event = time.monotonic()
        self._dirty.set()

    def _rebuild_loop(self) -> None:
        while True:
            self._dirty.wait()
            if self.state.stopping:
                return
            while time.monotonic() - self._last_event < DEBOUNCE_SECONDS:
                time.sleep(DEBOUNCE_SECONDS / 4)
            self._dirty.clear()
            with self._changed_lock:
                changed = frozenset(self._changed)
                self._changed.clear()
            self._watch_source_trees()
            self._preview(changed)
            try:
                outcome = self.builder()
            except Exception as exc:
                outcome = Rebuilt([crash_report(exc)])
            self.state.publish(outcome.problems, outcome.changed)

    def _preview(self, changed: frozenset[Path]) -> None:
        """Reload pages on the quick preview first, when the change allows one; a preview
        that fails is simply skipped, as the full rebuild follows and reports problems."""
        if self.previewer is None or not changed:
            return
        try:
            shown = self.previewer(changed)
        except Exception:
            return
        if shown is not None:
            self.state.publish((), shown)

    def _watch_source_trees(self) -> None:
        """Watch weeknotes/, site_templates/ and the static folder, again if one was renamed or
        recreated (but not a link: the build does not follow it either)."""
        for name in self.sources:
            folder = self.site_dir / name
            if not folder.is_dir() or folder.is_symlink():
                continue
            identity = (folder.resolve(), folder.stat().st_ino)  # a new folder has a new inode
            if identity not in self._watched:
                watcher = _Watcher(self.site_dir, self._poke, self.sources)
                self._observer.schedule(watcher, str(folder), recursive=True)
                self._watched.add(identity)


def crash_report(exc: Exception) -> Diagnostic:
    """A bug in a build, as a problem to show: the preview must outlive it."""
    return error("serve.build-crashed", f"the build stopped unexpectedly: {exc!r}")


# --------------------------------------------------------------------------- HTTP


def _make_handler(server: DevServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(_SiteHandler):
        dev = server

    return Handler


class _SiteHandler(http.server.BaseHTTPRequestHandler):
    """Files from the output folder under the base path, with live reload in HTML."""

    dev: DevServer
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
