"""`weeknote-gen serve`: build, watch the site, rebuild on change, reload open pages.

The server is given a builder callback and knows nothing of the pipeline. Watchdog events are
filtered (editor swap and backup files are ignored) and debounced, so an editor's
save-rename-delete dance is one rebuild. What the browser is sent, with the live-reload
script and the problems overlay, is `commands.live_reload`'s. A failed rebuild leaves the
last good site in place.

`run_serve` is the command: it owns the build state, the lock that keeps one build at a time,
and the timer that brings the search index up to date once the author pauses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import posixpath
import signal
import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from weeknote_gen.commands.build import build_options
from weeknote_gen.commands.live_reload import LiveState, make_handler
from weeknote_gen.commands.report import EXIT_OK, EXIT_USAGE, report_build
from weeknote_gen.config import CONFIG_FILE, CONTENT_DIR, TEMPLATES_DIR, load_config
from weeknote_gen.engine.build import BuildState, build
from weeknote_gen.errors import Diagnostic, error

DEBOUNCE_SECONDS = 0.05  # an editor's save (probe, write, rename) lands within a few ms
_IGNORED_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload", "~")
_IGNORED_PREFIXES = (".", "#", "~")
_IGNORED_NAMES = frozenset({"4913"})  # vim's "can I write here?" probe


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
        handler = make_handler(self)
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


# --------------------------------------------------------------------------- the command

SEARCH_REFRESH_SECONDS = 3.0  # of quiet after an edit before the search index is rebuilt


def run_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    session = _Session(args, out, err)
    config, _ = load_config(args.site)
    output_dir = args.site / (config.output_dir if config else "_site")
    base_path = config.base_path if config else "/"
    try:  # claim the port before building, so a busy port costs no build
        server = DevServer(
            args.site,
            output_dir,
            base_path=base_path,
            builder=session.rebuild,
            previewer=session.preview,
            host=args.host,
            port=args.port,
            static_dir=config.static_dir if config else "static",
        )
    except OSError as exc:
        print(
            f"weeknote-gen: error: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=err,
        )
        return EXIT_USAGE
    signal.signal(signal.SIGTERM, _interrupt)  # stop as cleanly when a process manager asks
    # Ctrl-C too, even when started where SIGINT is ignored (a shell's background job, some
    # CI runners): Python then leaves it ignored, and the server could not be stopped by it.
    signal.signal(signal.SIGINT, _interrupt)
    try:  # Ctrl-C at any moment from here, even mid-build, stops cleanly
        try:
            first = session.rebuild().problems
        except Exception as exc:  # a bug must not stop the preview: show it, await a save
            first = (crash_report(exc),)
        server.start(first)
        print(f"Serving at {server.address} (Ctrl-C to stop)", file=out)
        out.flush()
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nStopping.", file=out)
    finally:
        session.refresh.cancel()
        server.stop()
    return EXIT_OK


class _Session:
    """One `serve` run's builds: one at a time (the lock), reported as they finish, with the
    search index brought up to date once the author pauses."""

    def __init__(self, args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
        self.args, self.out, self.err = args, out, err
        # Warm from the build cache: a site of thousands of notes starts in seconds, not minutes.
        self.state = BuildState.on_disk(args.site)
        self.lock = threading.Lock()
        self.refresh = IdleTimer(SEARCH_REFRESH_SECONDS, self.refresh_search)
        self.good_builds = 0

    def rebuild(self) -> Rebuilt:
        args, out, err, state = self.args, self.out, self.err, self.state
        self.refresh.cancel()
        with self.lock:
            try:
                result = build(args.site, replace(build_options(args), defer_search=True), state)
            except Exception as exc:  # report it here too; the server shows it and carries on
                print(f"[{_now()}] The build stopped unexpectedly: {exc!r}", file=err)
                raise
        print(f"[{_now()}] {'Rebuilt' if self.good_builds else 'Built'} the site:", file=out)
        out.flush()
        report_build(result, args, out, err)
        if result.ok:
            if not self.good_builds:  # and leave it warm for the next `build` or `serve`
                state.memo.save()
            self.good_builds += 1
            if result.search_stale:
                self.refresh.start()
        elif self.good_builds:
            print("Still serving the last good version; fix the problems and save.", file=out)
        else:
            print("Nothing to serve yet; fix the problems and save.", file=out)
        out.flush()
        if not result.ok:
            return Rebuilt(
                tuple(d for d in result.diagnostics if d.counts_as_error(strict=args.strict))
            )
        return Rebuilt((), result.report.changed if result.report else None)

    def preview(self, changed: frozenset[Path]) -> list[str] | None:
        """An edited note's own page first, when only its text changed (see `preview`)."""
        from weeknote_gen.engine.preview import preview_notes

        with self.lock:
            started = time.perf_counter()
            try:
                written = preview_notes(self.args.site, changed, self.state)
            except Exception as exc:  # a bug: say so, though the full rebuild follows anyway
                print(f"[{_now()}] The quick preview stopped unexpectedly: {exc!r}", file=self.err)
                raise
        if written is None:
            return None
        took = time.perf_counter() - started
        pages = f"{len(written)} page{'s' if len(written) != 1 else ''}"
        print(f"[{_now()}] Showing the edit first ({pages} in {took:.2f} s)", file=self.out)
        self.out.flush()
        return written

    def refresh_search(self) -> None:
        """The edit is on screen; once the author pauses, bring the search index up to date."""
        with self.lock:
            build(self.args.site, build_options(self.args), self.state)


def _now() -> str:
    return dt.datetime.now().strftime("%H:%M:%S")


class IdleTimer:
    """Runs an action once things have been quiet for a while; each restart pushes it back."""

    def __init__(self, seconds: float, action: Callable[[], None]) -> None:
        self.seconds = seconds
        self.action = action
        self.timer: threading.Timer | None = None

    def start(self) -> None:
        self.cancel()
        self.timer = threading.Timer(self.seconds, self.action)
        self.timer.daemon = True
        self.timer.start()

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
