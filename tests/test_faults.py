"""Faults, for real: builds killed part way, a full disk, a read-only output folder, a
damaged cache and a storm of edits under `serve`. Every build here is a separate process
(`python -m weeknote_gen`), and the checks compare whole output trees, file by file."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW, build_site, note, write_site

ENV = {**os.environ, "SOURCE_DATE_EPOCH": str(int(FIXED_NOW.timestamp()))}
SPARE = "._site.spare"  # the output folder's double, kept between builds by design


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def run_build(site: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "weeknote_gen", "build", "--site", str(site), *extra]
    return subprocess.run(command, capture_output=True, text=True, env=ENV, timeout=120)


def without_search(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if not k.startswith("pagefind/")}


def search_shape(files: dict[str, bytes]) -> list[str]:
    """Pagefind's file names without their content hashes: one each, or a stale extra."""
    return sorted(re.sub(r"_[0-9a-f]{7,}", "_", k) for k in files if k.startswith("pagefind/"))


def leftovers(site: Path) -> list[str]:
    """Anything beside the output folder that a finished build should not leave."""
    return sorted(p.name for p in site.iterdir() if p.name.startswith("._site") and p.name != SPARE)


def notes(count: int, edition: int = 0, changed: Callable[[int], bool] = lambda i: False) -> dict:
    """`count` notes over two years; those `changed(i)` picks get another title and text."""
    files: dict[str, str | bytes] = {}
    for i in range(count):
        day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
        version = edition if changed(i) else 0
        body = f"Note {i}, edition {version}.\n\n## Done\n\n- item {i}\n- *more* text\n" * 3
        files[f"weeknotes/n{i:03d}.md"] = note(
            body,
            title=f"Week {i} take {version}",
            date=day,
            author=["Ada Lovelace", "Grace Hopper", "Alan Turing"][i % 3],
            team=["Data", "ICT", "Design"][i % 3],
        )
    return files


NO_SEARCH = {**{"title": "Faults", "base_url": "https://faults.example.org/"}, "search": False}


# --------------------------------------------------------------------------- killed builds


def _identity(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return 0, 0
    return stat.st_ino, stat.st_mtime_ns


def _wait_for_any_change(paths: list[Path], process: subprocess.Popen[bytes]) -> bool:
    """Poll until one of `paths` is replaced or modified; False if the build ended first."""
    before = [_identity(path) for path in paths]
    while process.poll() is None:
        if [_identity(path) for path in paths] != before:
            return True
    return False


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one(tmp_path: Path) -> None:
    count = 180
    pristine = write_site(tmp_path / "pristine", notes(count, 1, lambda i: i % 5 == 0), NO_SEARCH)
    assert build_site(pristine).ok  # so that the spare folder exists, as on any later build
    write_site(pristine, notes(count), NO_SEARCH)
    assert build_site(pristine).ok
    old = tree(pristine / "_site")

    def new_content(site: Path) -> None:
        write_site(site, notes(count, 2, lambda i: i % 2 == 0), NO_SEARCH)
        for i in range(0, 12, 3):
            (site / f"weeknotes/n{i:03d}.md").unlink()
        (site / "weeknotes/extra.md").write_text(note(title="Extra", date="2025-06-06"))

    reference = tmp_path / "reference"
    shutil.copytree(pristine, reference)
    new_content(reference)
    assert build_site(reference).ok
    new = tree(reference / "_site")
    assert new != old

    # One build not interrupted: how long it runs, and when it writes the manifest.
    trial = tmp_path / "trial"
    shutil.copytree(pristine, trial)
    new_content(trial)
    started = time.monotonic()
    assert run_build(trial).returncode == 0
    duration = time.monotonic() - started

    # Kill points: while rendering; at the manifest writes of this design (the spare is
    # about to change, and the exchange is about to happen) and between them; and, whatever
    # the design, as soon as anything in or beside the output folder visibly changes, and a
    # little after (a writer that replaced files one by one would be caught half way here).
    points: list[tuple[str, float, str]] = [
        ("rendering", duration * 0.3, ""),
        ("spare being updated", 0.0, "manifest1"),
        ("spare part updated", 0.004, "manifest1"),
        ("about to switch", 0.0, "manifest2"),
        ("first visible change", 0.0, "visible"),
        ("just after it", 0.005, "visible"),
        ("a moment after it", 0.02, "visible"),
    ]
    outcomes = []
    for index, (name, delay, trigger) in enumerate(points):
        site = tmp_path / f"kill{index}"
        shutil.copytree(pristine, site)
        new_content(site)
        manifest = site / ".weeknote-cache" / "output-manifest.json"
        watched = [site, site / "_site", *sorted((site / "_site").rglob("index.html"))[::7]]
        process = subprocess.Popen(
            [sys.executable, "-m", "weeknote_gen", "build", "--site", str(site)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=ENV,
            start_new_session=True,  # the Markdown workers die with it
        )
        if trigger == "visible":
            _wait_for_any_change(watched, process)
        for _ in range(int(trigger[-1]) if trigger.startswith("manifest") else 0):
            if not _wait_for_any_change([manifest], process):
                break
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):  # it may have finished just before
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        found = tree(site / "_site")
        assert found in (old, new), f"killed {name}: the output folder is a mix"
        outcomes.append((name, "old" if found == old else "new", process.returncode))
        again = run_build(site)
        assert again.returncode == 0, again.stderr
        assert tree(site / "_site") == new, f"after a kill {name}, the next build is wrong"
        assert leftovers(site) == []
    print(outcomes)
    assert {"old", "new"} <= {outcome for _, outcome, _ in outcomes}, outcomes
    killed = [name for name, _, code in outcomes if code == -signal.SIGKILL]
    assert len(killed) >= 3, outcomes  # most kill points really stopped a running build


# --------------------------------------------------------------------------- full disk, read-only


def _namespace_available() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        [
            "unshare",
            "-rm",
            "sh",
            "-c",
            "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || "
            'mount -t tmpfs -o size=64k tmpfs "$TMPDIR"',
        ],
        capture_output=True,
        timeout=30,
        env={**os.environ, "TMPDIR": "/tmp"},
    )
    return probe.returncode == 0


needs_namespace = pytest.mark.skipif(
    not _namespace_available(),
    reason="needs `unshare -rm` (user and mount namespaces) to mount a small tmpfs or a "
    "read-only bind mount without privileges",
)

# Runs inside a private mount namespace, so the test can see the results only as JSON.
DRIVER = textwrap.dedent(
    """
    import json, os, subprocess, sys
    from pathlib import Path

    site, mode = Path(sys.argv[1]), sys.argv[2]
    out = site / "_site"

    def tree():
        files = [p for p in out.rglob("*") if p.is_file()]
        return {str(p.relative_to(out)): p.read_bytes().hex() for p in files}

    def build():
        return subprocess.run([sys.executable, "-m", "weeknote_gen", "build", "--site", str(site)],
                              capture_output=True, text=True)

    def edit():
        for path in sorted((site / "weeknotes").glob("*.md"))[::2]:
            path.write_text(path.read_text() + "\\nA longer week than planned.\\n" * 40)

    before = tree()
    edit()
    if mode == "full":
        filler = site / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"x" * 65536):
                pass
        except OSError:
            pass
        os.close(fd)
        os.truncate(filler, max(0, filler.stat().st_size - 16384))  # a little room, not enough
    else:
        subprocess.run(["mount", "--bind", str(out), str(out)], check=True)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(out)], check=True)
    failed = build()
    after_failure = tree()
    if mode == "full":
        filler.unlink()
    else:
        subprocess.run(["umount", str(out)], check=True)
    fixed = build()
    print(json.dumps({
        "failed": [failed.returncode, failed.stderr],
        "unchanged": after_failure == before,
        "fixed": [fixed.returncode, fixed.stderr],
        "tree": tree(),
        "leftovers": sorted(p.name for p in site.iterdir() if p.name.startswith("._site")),
    }))
    """
)


def _in_namespace(tmp_path: Path, site: Path, mode: str) -> dict:
    mount = tmp_path / "mnt"
    mount.mkdir()
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    script = (
        f"mount -t tmpfs -o size=16m tmpfs {mount} && cp -a {site} {mount}/site && "
        f"cd {Path(__file__).resolve().parent.parent} && "
        f"{sys.executable} {driver} {mount}/site {mode}"
    )
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, env=ENV, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def small_built_site(tmp_path: Path) -> Iterator[tuple[Path, dict[str, bytes]]]:
    site = write_site(tmp_path / "site", notes(12), NO_SEARCH)
    assert build_site(site).ok
    reference = tmp_path / "reference"
    shutil.copytree(site, reference)
    for path in sorted((reference / "weeknotes").glob("*.md"))[::2]:
        path.write_text(path.read_text() + "\nA longer week than planned.\n" * 40)
    assert build_site(reference).ok
    yield site, tree(reference / "_site")


@needs_namespace
def test_a_full_disk_is_reported_and_the_old_site_stays(
    tmp_path: Path, small_built_site: tuple[Path, dict[str, bytes]]
) -> None:
    site, expected = small_built_site
    result = _in_namespace(tmp_path, site, "full")
    code, stderr = result["failed"]
    assert code == 1
    assert "No space left on device" in stderr
    assert "was left as it was" in stderr
    assert stderr.rstrip().endswith("nothing was written")
    assert result["unchanged"]
    assert result["fixed"][0] == 0, result["fixed"][1]
    assert {k: bytes.fromhex(v) for k, v in result["tree"].items()} == expected
    assert result["leftovers"] == [SPARE]


@needs_namespace
def test_a_read_only_output_folder_is_reported_and_left_alone(
    tmp_path: Path, small_built_site: tuple[Path, dict[str, bytes]]
) -> None:
    site, expected = small_built_site
    result = _in_namespace(tmp_path, site, "read-only")
    code, stderr = result["failed"]
    assert code == 1
    assert "the output folder _site is read-only" in stderr
    assert result["unchanged"]
    assert result["fixed"][0] == 0, result["fixed"][1]
    assert {k: bytes.fromhex(v) for k, v in result["tree"].items()} == expected


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permission bits anyway")
def test_an_output_folder_without_write_permission_is_left_alone(
    small_built_site: tuple[Path, dict[str, bytes]],
) -> None:
    site, _ = small_built_site
    before = tree(site / "_site")
    (site / "weeknotes/n000.md").write_text(note(title="Changed", date="2025-01-01"))
    (site / "_site").chmod(0o555)
    try:
        result = run_build(site)
    finally:
        (site / "_site").chmod(0o755)
    assert result.returncode == 1
    assert "read-only" in result.stderr
    assert tree(site / "_site") == before


# --------------------------------------------------------------------------- the cache


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(random.Random(path.name).randrange(256) for _ in range(300)))


def _other_code(path: Path) -> None:
    data = path.read_bytes()
    if data.startswith(b"weeknote-gen cache "):
        path.write_bytes(b"weeknote-gen cache 0123456789abcdef\n" + data.split(b"\n", 1)[1])


def _other_folder(folder: Path) -> None:
    for versioned in folder.glob("v*"):
        versioned.rename(folder / "v1-0.0.1-py39")


DAMAGE = {"truncated": _truncate, "garbage": _garbage, "written by other code": _other_code}


@pytest.fixture(scope="module")
def clean_tree(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """What a clean build of the edited notes gives."""
    clean = write_site(tmp_path_factory.mktemp("clean") / "site", notes(20))
    (clean / "weeknotes/n001.md").write_text(note(title="Edited", date="2025-02-02"))
    assert run_build(clean).returncode == 0
    return tree(clean / "_site")


@pytest.mark.parametrize("damage", [*DAMAGE, "from another version"])
def test_a_damaged_cache_is_rebuilt_with_a_notice(
    damage: str, clean_tree: dict[str, bytes], tmp_path: Path
) -> None:
    site = write_site(tmp_path / "site", notes(20))  # with search: its bundle is cached too
    assert run_build(site).returncode == 0
    cache = site / ".weeknote-cache"
    if damage == "from another version":
        _other_folder(cache)
    else:
        # Every cache file; not the list of files written to _site, which is not a cache
        # (without it, files earlier builds wrote are kept rather than risk deleting others).
        for path in cache.rglob("*"):
            if path.is_file() and path.name != "output-manifest.json":
                DAMAGE[damage](path)
    (site / "weeknotes/n001.md").write_text(note(title="Edited", date="2025-02-02"))
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    notes_printed = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert len(notes_printed) == 1, result.stderr
    assert result.stderr.strip() == notes_printed[0], result.stderr
    assert "build cache" in notes_printed[0] and "rebuilt" in notes_printed[0]
    built = tree(site / "_site")
    assert without_search(built) == without_search(clean_tree)
    # Pagefind's files differ from run to run, so check they are whole rather than equal.
    assert set(json.loads(built["pagefind/pagefind-entry.json"])["languages"]) == {"en"}
    assert search_shape(built) == search_shape(clean_tree)
    again = run_build(site)
    assert again.returncode == 0 and again.stderr == ""  # rebuilt: no notice the second time
    assert not list(cache.glob("v1-0.0.1-*"))  # another version's folder is cleared away


# --------------------------------------------------------------------------- serve under edits

_SCRIPT = re.compile(rb"<script>\n\(function \(\) \{\n  var epoch = .*?</script>\n", re.S)


def _fetch(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


@pytest.mark.slow
def test_serve_survives_a_storm_of_edits_and_serves_what_build_gives(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", notes(30))
    process = subprocess.Popen(
        [sys.executable, "-m", "weeknote_gen", "serve", "--site", str(site), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=ENV,
    )
    assert process.stdout is not None
    lines: list[tuple[float, bytes]] = []
    try:
        while True:
            line = process.stdout.readline()
            assert line, "serve stopped before serving"
            if match := re.search(r"Serving at http://127\.0\.0\.1:(\d+)/", line):
                port = int(match[1])
                break
        os.set_blocking(process.stdout.fileno(), False)

        rng = random.Random(6)
        live = sorted((site / "weeknotes").glob("*.md"))
        broken: set[Path] = set()
        made = 0
        for _ in range(200):
            action = rng.choice(["body", "title", "broken", "delete", "rename", "new"])
            if action in ("delete", "rename") and len(live) < 5:
                action = "new"
            target = rng.choice(live)
            if action == "body":
                text = target.read_text() if target not in broken else note(title="Back")
                target.write_text(text + f"\nEdit {rng.random()}.\n")
                broken.discard(target)
            elif action == "title":
                target.write_text(note(title=f"Retitled {rng.random()}", date="2025-03-03"))
                broken.discard(target)
            elif action == "broken":
                target.write_text(
                    rng.choice(
                        [
                            "---\ntitle: [unclosed\n---\n",
                            "no front matter",
                            "---\ntitle: x\ndate: not a date\n---\n",
                            "",
                        ]
                    )
                )
                broken.add(target)
            elif action == "delete":
                target.unlink()
                live.remove(target)
                broken.discard(target)
            elif action == "rename":
                made += 1
                moved = target.with_name(f"r{made:03d}.md")
                target.rename(moved)
                live[live.index(target)] = moved
                if target in broken:
                    broken.discard(target)
                    broken.add(moved)
            else:
                made += 1
                fresh = site / "weeknotes" / f"m{made:03d}.md"
                fresh.write_text(note(title=f"New {made}", date="2025-04-04"))
                live.append(fresh)
            time.sleep(rng.uniform(0, 0.02))
        for path in broken:
            path.write_text(note(title=f"Mended {path.stem}", date="2025-05-05"))

        reference = tmp_path / "reference"
        shutil.copytree(site, reference, ignore=shutil.ignore_patterns("_site", ".weeknote-cache"))
        assert run_build(reference).returncode == 0
        expected = without_search(tree(reference / "_site"))

        # Quiet: the output matches and serve has said nothing for longer than it waits
        # before refreshing the search index.
        deadline = time.monotonic() + 60
        last_output = time.monotonic()
        while True:
            try:
                chunk = os.read(process.stdout.fileno(), 1 << 16)
            except BlockingIOError:
                chunk = b""
            if chunk:
                last_output = time.monotonic()
                lines.append((last_output, chunk))
            served = without_search(tree(site / "_site"))
            if served == expected and time.monotonic() - last_output > 6:
                break
            assert time.monotonic() < deadline, "serve never settled on the final state"
            assert process.poll() is None, "serve stopped"
            time.sleep(0.5)

        for path, data in expected.items():
            status, body = _fetch(port, "/" + path)
            assert status == 200, path
            assert _SCRIPT.sub(b"", body) == data, path
        before_build = tree(site / "_site")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        process.stdout.close()

    result = run_build(site)
    assert result.returncode == 0, result.stderr
    assert "(0 written," in result.stdout, result.stdout
    assert tree(site / "_site") == before_build  # search index included
