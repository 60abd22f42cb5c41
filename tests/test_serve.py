"""The dev server, driven for real: a server on a free port, files edited on disk, pages and
Server-Sent Events read over HTTP."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW, note
from weeknote_gen.commands.live_reload import EVENTS_PATH, LiveState, inject
from weeknote_gen.commands.serve import DevServer, Rebuilt, is_editor_noise
from weeknote_gen.engine.build import BuildOptions, BuildState, build
from weeknote_gen.errors import Location, error

NOTES = {
    "weeknotes/2026/2026-01-09-one.md": note(title="One"),
    "weeknotes/2026/2026-01-16-two.md": note(title="Two", date="2026-01-16"),
}


@dataclass
class Live:
    site: Path
    server: DevServer
    builds: list[float] = field(default_factory=list)

    def get(self, path: str) -> tuple[int, str]:
        host, port = self.server.httpd.server_address[:2]
        connection = http.client.HTTPConnection(str(host), port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        connection.close()
        return response.status, body

    def wait_for_epoch(self, after: int, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server.state.epoch > after:
                return self.server.state.epoch
            time.sleep(0.01)
        raise AssertionError(f"no rebuild after epoch {after}")

    def write(self, relative: str, text: str) -> int:
        epoch = self.server.state.epoch
        (self.site / relative).write_text(text, encoding="utf-8")
        return epoch


@pytest.fixture
def live(make_site: Callable[..., Path]) -> Iterator[Live]:
    site = make_site(NOTES)
    state = BuildState()
    builds: list[float] = []

    def rebuild() -> Rebuilt:
        builds.append(time.monotonic())
        result = build(site, BuildOptions(now=FIXED_NOW), state)
        if not result.ok:
            return Rebuilt(tuple(d for d in result.diagnostics if d.is_error))
        return Rebuilt((), result.report.changed if result.report else None)

    first = rebuild().problems
    server = DevServer(site, site / "_site", base_path="/", builder=rebuild, port=0)
    server.start(first)
    yield Live(site, server, builds)
    server.stop()


def test_editor_noise_is_ignored() -> None:
    for name in (".note.md.swp", "note.md~", "#note.md#", ".#note.md", "4913", "a.md___jb_tmp___"):
        assert is_editor_noise(f"weeknotes/{name}"), name
    for name in ("note.md", "2026/week-1.md", "board.png"):
        assert not is_editor_noise(f"weeknotes/{name}"), name


def test_injection_adds_the_script_and_escapes_the_overlay() -> None:
    state = LiveState()
    page = b"<html><body><p>x</p></body></html>"
    assert inject(page, state).endswith(b"</script>\n</body></html>")
    assert b"weeknote-overlay" not in inject(page, state)
    state.publish([error("x.y", "bad <b>thing</b>", Location("weeknotes/a.md", 3))])
    injected = inject(page, state).decode()
    assert "<code>weeknotes/a.md:3:</code> bad &lt;b&gt;thing&lt;/b&gt;" in injected
    assert "var epoch = 1;" in injected


def test_pages_are_served_with_live_reload_but_the_files_on_disk_are_not_changed(
    live: Live,
) -> None:
    status, body = live.get("/2026/one/")
    assert status == 200
    assert f'new EventSource("{EVENTS_PATH}?epoch=" + epoch' in body
    assert 'var page = "2026/one/index.html";' in body
    on_disk = (live.site / "_site" / "2026" / "one" / "index.html").read_bytes()
    assert b"EventSource" not in on_disk
    assert body.encode() == inject(on_disk, live.server.state, "2026/one/index.html")


def test_an_edit_is_rebuilt_and_announced(live: Live) -> None:
    events: list[str] = []
    host, port = live.server.httpd.server_address[:2]

    def listen() -> None:
        connection = http.client.HTTPConnection(str(host), port, timeout=10)
        connection.request("GET", EVENTS_PATH)
        response = connection.getresponse()
        while len(events) < 2:
            line = response.fp.readline().decode().strip()
            if line.startswith("data:"):
                events.append(line)
        connection.close()

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    before = live.write("weeknotes/2026/2026-01-09-one.md", note(title="One, edited"))
    live.wait_for_epoch(before)
    listener.join(timeout=10)
    assert events == [f"data: {before}", f"data: {before + 1}"]
    assert "<h1>One, edited</h1>" in live.get("/2026/one/")[1]


def test_a_preview_is_announced_before_the_full_rebuild(make_site: Callable[..., Path]) -> None:
    site = make_site(NOTES)
    calls: list[tuple[str, int, frozenset[Path]]] = []
    server: DevServer

    def previewer(changed: frozenset[Path]) -> list[str]:
        calls.append(("preview", server.state.epoch, changed))
        return ["2026/one/index.html"]

    def builder() -> Rebuilt:
        calls.append(("build", server.state.epoch, frozenset()))
        return Rebuilt()

    server = DevServer(
        site, site / "_site", base_path="/", builder=builder, previewer=previewer, port=0
    )
    server.start(())
    try:
        edited = site / "weeknotes/2026/2026-01-09-one.md"
        edited.write_text(note(title="One, edited"), encoding="utf-8")
        deadline = time.monotonic() + 10
        while server.state.epoch < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        server.stop()
    assert calls[0] == ("preview", 1, frozenset({edited.resolve()}))
    assert calls[1] == ("build", 2, frozenset())  # the preview was announced first
    assert server.state.epoch == 3


def test_only_pages_a_rebuild_changed_are_told_to_reload(live: Live) -> None:
    host, port = live.server.httpd.server_address[:2]
    heard: dict[str, list[str]] = {"2026/one/index.html": [], "search/index.html": []}
    epoch = live.server.state.epoch

    def listen(page: str) -> None:
        connection = http.client.HTTPConnection(str(host), port, timeout=3)
        connection.request("GET", f"{EVENTS_PATH}?epoch={epoch}&page={page}")
        response = connection.getresponse()
        try:
            while True:
                line = response.fp.readline().decode().strip()
                if line.startswith("data:"):
                    heard[page].append(line)
                    return
        except OSError:
            return  # timed out: nothing to hear
        finally:
            connection.close()

    listeners = [threading.Thread(target=listen, args=(p,), daemon=True) for p in heard]
    for listener in listeners:
        listener.start()
    live.write("weeknotes/2026/2026-01-09-one.md", note("Another week.\n", title="One"))
    live.wait_for_epoch(epoch)
    for listener in listeners:
        listener.join(timeout=10)
    assert heard == {"2026/one/index.html": [f"data: {epoch + 1}"], "search/index.html": []}


def test_a_page_from_an_older_build_or_a_failed_one_always_reloads() -> None:
    state = LiveState()
    state.publish(())
    state.publish((), ["a/index.html"])
    with state.changed:
        assert state.affects("a/index.html", 1)
        assert not state.affects("b/index.html", 1)
        assert state.affects("b/index.html", 0)  # the first build changed everything
        assert state.affects("b/index.html", 7)  # a page from before a restart
    state.publish((), ["static/style.css"])
    with state.changed:
        assert state.affects("b/index.html", 2)  # the stylesheet is on every page
    state.publish([error("x.y", "bad")], ["a/index.html"])
    with state.changed:
        assert state.affects("b/index.html", 3)  # the overlay is on every page


def test_a_burst_of_saves_is_one_rebuild(live: Live) -> None:
    count = len(live.builds)
    before = live.server.state.epoch
    notes = live.site / "weeknotes" / "2026"
    for step in range(5):  # an editor's save: write a temp file, rename over, tidy up
        temp = notes / f".2026-01-09-one.md.tmp{step}"
        temp.write_text(note(title=f"One v{step}"), encoding="utf-8")
        temp.replace(notes / "2026-01-09-one.md")
    live.wait_for_epoch(before)
    time.sleep(0.5)
    assert len(live.builds) == count + 1
    assert "<h1>One v4</h1>" in live.get("/2026/one/")[1]


def test_a_broken_note_shows_the_overlay_and_keeps_the_last_good_site(live: Live) -> None:
    before = live.write("weeknotes/2026/2026-01-09-one.md", "---\ntitle: [oops\n---\n")
    live.wait_for_epoch(before)
    status, body = live.get("/2026/one/")
    assert status == 200
    assert "<h1>One</h1>" in body
    assert '<div id="weeknote-overlay" role="alert"' in body
    assert "<code>weeknotes/2026/2026-01-09-one.md:2:8:</code> invalid YAML" in body
    before = live.write("weeknotes/2026/2026-01-09-one.md", note(title="One, fixed"))
    live.wait_for_epoch(before)
    status, body = live.get("/2026/one/")
    assert "weeknote-overlay" not in body
    assert "<h1>One, fixed</h1>" in body


def test_the_server_survives_deleted_files_moved_folders_and_broken_templates(
    live: Live,
) -> None:
    before = live.server.state.epoch
    (live.site / "weeknotes" / "2026" / "2026-01-16-two.md").unlink()
    live.wait_for_epoch(before)
    assert live.get("/2026/two/")[0] == 404
    before = live.server.state.epoch
    (live.site / "weeknotes").rename(live.site / "moved")
    live.wait_for_epoch(before)
    assert "weeknote-overlay" in live.get("/")[1]
    before = live.server.state.epoch
    (live.site / "moved").rename(live.site / "weeknotes")
    live.wait_for_epoch(before)
    (live.site / "site_templates").mkdir()
    before = live.server.state.epoch
    (live.site / "site_templates" / "note.html").write_text("{% if %}", encoding="utf-8")
    live.wait_for_epoch(before)
    assert "site_templates/note.html:1:" in live.get("/")[1]
    before = live.write("weeknotes/2026/2026-01-09-one.md", note(title="One again"))
    live.wait_for_epoch(before)  # the new site_templates/ folder is watched too
    (live.site / "site_templates" / "note.html").unlink()
    before = live.write("weeknotes/2026/2026-01-09-one.md", note(title="One at last"))
    live.wait_for_epoch(before)
    assert "<h1>One at last</h1>" in live.get("/2026/one/")[1]


def test_a_new_or_changed_static_file_is_published_without_restarting(live: Live) -> None:
    before = live.server.state.epoch
    (live.site / "static").mkdir()  # a new folder: the site folder's watch sees it appear
    (live.site / "static" / "hello.txt").write_text("first", encoding="utf-8")
    live.wait_for_epoch(before)
    deadline = time.monotonic() + 10
    while live.get("/hello.txt") != (200, "first") and time.monotonic() < deadline:
        time.sleep(0.05)  # the folder may be seen before the file in it
    assert live.get("/hello.txt") == (200, "first")
    before = live.write("static/hello.txt", "second")  # now watched as a source tree
    live.wait_for_epoch(before)
    assert live.get("/hello.txt") == (200, "second")


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/2026/..%5c..%5cconfig.yaml",
        "/%00index.html",
        "/../config.yaml",
    ],
)
def test_paths_outside_the_output_folder_are_not_found(live: Live, path: str) -> None:
    status, body = live.get(path)
    assert status == 404
    assert "root:" not in body
    assert "base_url" not in body


def test_a_folder_without_a_slash_redirects_and_missing_pages_get_the_404_page(
    live: Live,
) -> None:
    host, port = live.server.httpd.server_address[:2]
    connection = http.client.HTTPConnection(str(host), port, timeout=10)
    connection.request("GET", "/2026/one")
    response = connection.getresponse()
    assert (response.status, response.getheader("Location")) == (301, "/2026/one/")
    connection.close()
    status, body = live.get("/no/such/page/")
    assert status == 404
    assert "<h1>Page not found</h1>" in body


def test_ctrl_c_stops_the_server_cleanly(make_site: Callable[..., Path]) -> None:
    site = make_site(NOTES)
    process = subprocess.Popen(
        [sys.executable, "-m", "weeknote_gen", "serve", "--port", "0", "--site", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = ""
    while "Serving at" not in line:
        line = process.stdout.readline()
        assert line, "the server exited before serving"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=15)
    assert process.returncode == 0
    assert "Traceback" not in err
    assert out.strip().endswith("Stopping.")
