"""Issue 11: weeknotes kept by other tools build unchanged with a three-line config.

Each corpus under tests/golden/sites/<name>/ is written the way another generator's users keep
their notes (Jekyll, Hugo, Eleventy, Pelican, plain folders, a bilingual Jekyll site), with
the `config.yaml` a new user writes: `title`, `base_url` and `default_author`, nothing else.
These tests build a copy of each with the tests' fixed clock and read the output back with
`html.parser`, `xml.etree` and `json`, asserting what the issue promises: where each note is
published, its date, title and authors, what is left out, redirect pages at old addresses,
the language of Welsh pages, files under the site's sub-path, template code shown and
warned about, dates from names summed up once, and headings that start at one `h1` and skip
no level. tests/golden/traps/ holds sites that must not pass `check` by reading nothing.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from tests.conftest import FIXED_NOW, build_site
from weeknote_gen.cli import main as cli_main
from weeknote_gen.engine.build import BuildResult
from weeknote_gen.errors import Diagnostic

HERE = Path(__file__).resolve().parent
SITES = HERE / "golden" / "sites"
TRAPS = HERE / "golden" / "traps"
CORPORA = ("jekyll", "hugo", "eleventy", "pelican", "plain", "bilingual")

# Keys the issue names as other generators' own: mapped to ours or accepted quietly, never
# "unknown field" on every note.
FOREIGN_KEYS = (
    "layout",
    "tags",
    "categories",
    "description",
    "excerpt",
    "aliases",
    "redirect_from",
    "lang",
    "ref",
    "published",
)


# --- reading HTML back --------------------------------------------------------------------

VOID_ELEMENTS = frozenset(
    (
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    )
)


@dataclass(eq=False)
class Element:
    """One element of a parsed page, enough of a tree to ask questions of the output."""

    tag: str
    attrs: dict[str, str | None]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    def has_class(self, name: str) -> bool:
        return name in (self.get("class") or "").split()

    def iter(self) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str, class_: str | None = None) -> list[Element]:
        return [
            e
            for e in self.iter()
            if e.tag == tag and (class_ is None or e.has_class(class_)) and e is not self
        ]

    def find(self, tag: str, class_: str | None = None) -> Element:
        found = self.find_all(tag, class_)
        assert found, f"no <{tag}{' class=' + class_ if class_ else ''}> in <{self.tag}>"
        return found[0]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def words(self) -> str:
        """The text with runs of white space made single spaces."""
        return " ".join(self.text().split())

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(markup: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


# --- building the corpora -----------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """One corpus built from a copy: the build's result and what `check` printed."""

    name: str
    site: Path
    result: BuildResult
    check_code: int
    check_output: str  # standard output and standard error of `weeknote-gen check`

    @property
    def out(self) -> Path:
        return self.site / "_site"

    @property
    def base_path(self) -> str:
        """The path of `base_url`, such as `/notes/`: where the output folder is served."""
        config = yaml.safe_load((self.site / "config.yaml").read_text(encoding="utf-8"))
        return urlsplit(str(config["base_url"])).path

    def file_for(self, url: str) -> Path:
        """The output file of a site-relative URL (`/2019/x/` without the base path)."""
        target = self.out / unquote(url).lstrip("/")
        return target / "index.html" if url.endswith("/") else target

    def page(self, url: str) -> Element:
        path = self.file_for(url)
        assert path.is_file(), f"{self.name}: no page at {url} (looked for {path})"
        return parse_html(path.read_text(encoding="utf-8"))

    def source_line(self, source: str, snippet: str) -> int:
        """The 1-based line of `source` (relative to the site) that holds `snippet`."""
        lines = (self.site / source).read_text(encoding="utf-8").splitlines()
        matches = [i + 1 for i, line in enumerate(lines) if snippet in line]
        assert len(matches) == 1, f"{snippet!r} should be on exactly one line of {source}"
        return matches[0]

    def diagnostics(self, code: str) -> list[Diagnostic]:
        return [d for d in self.result.diagnostics if d.code == code]

    def note_pages(self) -> dict[str, Element]:
        """Every built page holding a note (`article.note`), by site-relative URL."""
        found = {}
        for path in sorted(self.out.rglob("index.html")):
            tree = parse_html(path.read_text(encoding="utf-8"))
            if tree.find_all("article", "note"):
                url = "/" + path.parent.relative_to(self.out).as_posix() + "/"
                found[url.replace("//", "/")] = tree
        return found


@contextlib.contextmanager
def fixed_clock() -> Iterator[None]:
    """The CLI reads its clock from SOURCE_DATE_EPOCH; pin it to the tests' clock."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_NOW.timestamp())))
        yield


def run_cli(*argv: str) -> tuple[int, str]:
    """Run the command line with the fixed clock: its exit code and everything it printed."""
    out, err = io.StringIO(), io.StringIO()
    with fixed_clock():
        code = cli_main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue() + err.getvalue()


def copy_site(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination)
    return destination


def build_corpus(name: str, scratch: Path) -> Corpus:
    site = copy_site(SITES / name, scratch / name)
    code, output = run_cli("check", "--site", str(site))
    result = build_site(site)
    return Corpus(name, site, result, code, output)


@pytest.fixture(scope="module")
def corpus_builder(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Corpus]:
    """Builds each corpus once for the whole module, on first use."""
    built: dict[str, Corpus] = {}

    def get(name: str) -> Corpus:
        if name not in built:
            built[name] = build_corpus(name, tmp_path_factory.mktemp(name))
        return built[name]

    return get


@pytest.fixture(params=CORPORA)
def corpus(request: pytest.FixtureRequest, corpus_builder: Callable[[str], Corpus]) -> Corpus:
    return corpus_builder(str(request.param))


# --- what each note should become ----------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    source: str  # relative to the site folder
    url: str  # site-relative, without the base path
    date: str  # YYYY-MM-DD
    title: str
    authors: tuple[str, ...]


J = "weeknotes/_posts/"
H = "weeknotes/posts/"
E = "weeknotes/"
P = "weeknotes/2020/"
EXPECTED: dict[str, tuple[Expected, ...]] = {
    "jekyll": (
        Expected(
            J + "2019-10-04-first-week-notes.md",
            "/2019/first-week-notes/",
            "2019-10-04",
            "Our first week notes",
            ("Owain", "Samantha", "Laura"),
        ),
        Expected(
            J + "2019-10-11-recycling-forms.md",
            "/2019/recycling-forms/",
            "2019-10-11",
            "Week 41: the recycling form",
            ("Samantha Price",),
        ),
        Expected(
            J + "2019-10-18-week-notes.md",
            "/2019/week-notes/",
            "2019-10-18",
            "Week 42: show and tell",
            ("Owain Jenkins",),
        ),
        Expected(
            J + "2019-10-25-half-term.md",
            "/2019/half-term/",
            "2019-10-25",
            "Half term",
            ("Laura", "Owain"),
        ),
        Expected(
            J + "2019-11-01-council-tax.md",
            "/2019/council-tax/",
            "2019-11-01",
            "Week 44: council tax",
            ("Owain Jenkins",),
        ),
        Expected(
            J + "2019-11-08-learning-in-public.md",
            "/2019/learning-in-public/",
            "2019-11-08",
            "Week 45: learning in public",
            ("Laura Evans",),
        ),
    ),
    "hugo": (
        Expected(
            H + "data-platform-kickoff.md",
            "/2021/data-platform-kickoff/",
            "2021-03-12",
            "Week 10: kicking off the data platform",
            ("Nia Pritchard",),
        ),
        Expected(
            H + "standups.md",
            "/2021/standups/",
            "2021-03-26",
            "Week 12: fewer, shorter stand-ups",
            ("Tomos Reed",),
        ),
        Expected(
            H + "dashboards.md",
            "/2021/dashboards/",
            "2021-04-02",
            "Week 13: a dashboard nobody asked for",
            ("Tomos Reed",),
        ),
        Expected(
            H + "36/index.md",
            "/2021/36/",
            "2021-09-10",
            "Week 36: back from the summer",
            ("Nia Pritchard",),
        ),
    ),
    "eleventy": (
        Expected(
            E + "gareth/2022-11-18.md",
            "/2022/2022-11-18/",
            "2022-11-18",
            "This week at the Hub",
            ("The Hub team",),
        ),
        Expected(
            E + "gareth/2022-11-25.md",
            "/2022/2022-11-25/",
            "2022-11-25",
            "This week at the Hub",
            ("The Hub team",),
        ),
        Expected(
            E + "priya/2022-11-24.md",
            "/2022/2022-11-24/",
            "2022-11-24",
            "This week at the Hub",
            ("The Hub team",),
        ),
        Expected(
            E + "priya/2022-12-01.md",
            "/2022/2022-12-01/",
            "2022-12-01",
            "Pages people actually use",
            ("The Hub team",),
        ),
        # An ISO week in the name is dated on the site's `week_ends_on` day (Friday).
        Expected(
            E + "2021/2021-W13.md",
            "/2021/2021-w13/",
            "2021-04-02",
            "Week 13: setting up the Hub",
            ("The Hub team",),
        ),
        Expected(
            E + "2021/2021-W14.md",
            "/2021/2021-w14/",
            "2021-04-09",
            "Week 14: the printer",
            ("The Hub team",),
        ),
    ),
    "pelican": (
        Expected(
            P + "week-18.md",
            "/2020/week-18/",
            "2020-05-01",
            "Week 18: everyone at home",
            ("Rhian Morgan",),
        ),
        Expected(
            P + "week-19.md",
            "/2020/week-19/",
            "2020-05-08",
            "Week 19: longer calls",
            ("Rhian Morgan",),
        ),
        Expected(
            P + "week-20.md",
            "/2020/week-20/",
            "2020-05-15",
            "Week 20: the pinned answers",
            ("Dewi Harris",),
        ),
        Expected(
            P + "week-22.md", "/2020/week-22/", "2020-05-29", "Week 22: evenings", ("Rhian Morgan",)
        ),
        Expected(
            P + "what-we-learned-in-may.md",
            "/2020/what-we-learned-in-may/",
            "2020-05-29",
            "What we learned in May",
            ("Rhian Morgan", "Dewi Harris"),
        ),
    ),
    # A folder's index.md is a page bundle: it takes the folder's name as its slug. The date is
    # written in the title, day first.
    "plain": tuple(
        Expected(f"weeknotes/{n}/index.md", f"/{day[:4]}/{n}/", day, title, ("Ceri Lloyd",))
        for n, day, title in (
            (1, "2017-10-20", "Week 13: 20-10-2017"),
            (2, "2017-10-27", "Week 14: 27-10-2017"),
            (3, "2017-11-03", "Week 15: 03-11-2017"),
            (4, "2022-11-24", "Week notes 24/11/2022"),
            (5, "2022-12-01", "Week notes 01/12/2022"),
            (6, "2022-12-08", "Week notes 08/12/2022"),
        )
    ),
}

# Notes that took their date from somewhere other than front matter (names, weeks, titles).
DATED_ELSEWHERE: dict[str, tuple[str, ...]] = {
    "jekyll": tuple(e.source for e in EXPECTED["jekyll"] if not e.source.endswith("half-term.md")),
    "eleventy": tuple(e.source for e in EXPECTED["eleventy"]),
    "plain": tuple(e.source for e in EXPECTED["plain"]),
    "bilingual": tuple(
        f"weeknotes/{lang}/2022-{day}-week-notes.md"
        for lang in ("en", "cy")
        for day in ("11-24", "12-01", "12-08")
    ),
}

BILINGUAL = {
    # source: (title, date, language)
    "weeknotes/en/2022-11-24-week-notes.md": ("Week notes: 24 November 2022", "2022-11-24", "en"),
    "weeknotes/cy/2022-11-24-week-notes.md": (
        "Nodiadau wythnos: 24 Tachwedd 2022",
        "2022-11-24",
        "cy",
    ),
    "weeknotes/en/2022-12-01-week-notes.md": ("Week notes: 1 December 2022", "2022-12-01", "en"),
    "weeknotes/cy/2022-12-01-week-notes.md": (
        "Nodiadau wythnos: 1 Rhagfyr 2022",
        "2022-12-01",
        "cy",
    ),
    "weeknotes/en/2022-12-08-week-notes.md": ("Week notes: 8 December 2022", "2022-12-08", "en"),
    "weeknotes/cy/2022-12-08-week-notes.md": (
        "Nodiadau wythnos: 8 Rhagfyr 2022",
        "2022-12-08",
        "cy",
    ),
}

ALL_EXPECTED = [(name, e) for name, notes in EXPECTED.items() for e in notes]


def note_header(page: Element) -> Element:
    return page.find("article", "note").find("header")


def note_body(page: Element) -> Element:
    return page.find("div", "note__body")


def byline_authors(page: Element) -> list[str]:
    byline = note_header(page).find("p", "byline")
    return [a.words() for a in byline.find_all("a") if "/authors/" in (a.get("href") or "")]


def note_date(page: Element) -> str:
    return str(note_header(page).find("time").get("datetime"))


def meta(page: Element, name: str) -> str | None:
    for element in page.find_all("meta"):
        if element.get("name") == name:
            return element.get("content")
    return None


def theme_terms(page: Element) -> set[str]:
    links = page.find("article", "note").find_all("a")
    return {a.words().lower() for a in links if a.get("data-pagefind-filter") == "theme"}


def straight_quotes(text: str) -> str:
    """Text with typographic quotes made straight, since smart quotes are the site's choice."""
    return text.translate(str.maketrans("“”‘’", "\"\"''"))


def heading_levels(page: Element) -> list[int]:
    return [int(e.tag[1]) for e in page.iter() if re.fullmatch(r"h[1-6]", e.tag)]


# --- every corpus --------------------------------------------------------------------------


def test_every_corpus_builds_with_zero_errors(corpus: Corpus) -> None:
    errors = [d.format() for d in corpus.result.diagnostics if d.is_error]
    assert errors == []
    assert corpus.result.ok
    assert corpus.result.notes > 0
    assert corpus.check_code == 0, corpus.check_output


def test_no_key_of_another_generator_is_called_unknown(corpus: Corpus) -> None:
    unknown = [
        d.format()
        for d in corpus.diagnostics("front-matter.unknown-key")
        if any(f"'{key}'" in d.message for key in FOREIGN_KEYS)
    ]
    assert unknown == []


@pytest.mark.parametrize(("name", "expected"), ALL_EXPECTED, ids=lambda v: getattr(v, "url", v))
def test_each_note_is_published_at_its_url_with_its_date_title_and_authors(
    corpus_builder: Callable[[str], Corpus], name: str, expected: Expected
) -> None:
    built = corpus_builder(name)
    page = built.page(expected.url)
    assert note_header(page).find("h1").words() == expected.title
    assert note_date(page)[:10] == expected.date
    assert byline_authors(page) == list(expected.authors)


@pytest.mark.parametrize("name", [n for n in CORPORA if n in EXPECTED])
def test_only_the_expected_notes_are_built(
    corpus_builder: Callable[[str], Corpus], name: str
) -> None:
    built = corpus_builder(name)
    urls = {e.url for e in EXPECTED[name]}
    extra = 1 if name == "hugo" else 0  # the note whose slug is `Week_3`, checked below
    assert built.result.notes == len(urls) + extra
    assert set(built.note_pages()) >= urls
    assert len(built.note_pages()) == len(urls) + extra


def heading_problems(page: Element) -> list[str]:
    """What is wrong with a page's outline: not exactly one h1, not first, or a skipped level."""
    levels = heading_levels(page)
    problems = []
    if levels.count(1) != 1 or levels[0] != 1:
        problems.append(f"h1 is not the one first heading: {levels}")
    problems += [f"h{a} then h{b}" for a, b in itertools.pairwise(levels) if b > a + 1]
    return problems


def test_every_note_page_has_one_h1_and_skips_no_heading_level(corpus: Corpus) -> None:
    pages = corpus.note_pages()
    assert pages
    assert {
        url: heading_problems(page) for url, page in pages.items() if heading_problems(page)
    } == {}


def broken_links_under_base(built: Corpus) -> list[str]:
    """Links and pictures of every page that are not under the base path or lead nowhere
    (with the output folder served at the base path). Template code is someone else's test."""
    base = built.base_path
    broken = []
    pages = sorted(built.out.rglob("*.html"))
    assert pages, f"{built.name}: nothing was built"
    for path in pages:
        page = parse_html(path.read_text(encoding="utf-8"))
        name = path.relative_to(built.out).as_posix()
        for element in page.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is None:
                    continue
                parts = urlsplit(value)
                if parts.scheme or parts.netloc or value.startswith("#") or "{" in unquote(value):
                    continue
                if not parts.path.startswith(base):
                    broken.append(f"{name}: {value} is not under {base}")
                elif not built.file_for("/" + parts.path[len(base) :]).is_file():
                    broken.append(f"{name}: {value} leads nowhere")
    return broken


def test_every_link_and_picture_works_under_the_base_path(corpus: Corpus) -> None:
    assert broken_links_under_base(corpus) == []


def test_the_readers_used_here_see_what_a_site_built_today_holds(tmp_path: Path) -> None:
    """A control: the helpers above, on the basic golden site (a format that builds today),
    find what is there and notice what is wrong, so a failure above is the generator's."""
    site = copy_site(SITES / "basic", tmp_path / "basic")
    result = build_site(site)
    assert result.ok
    built = Corpus("basic", site, result, 0, "")
    assert built.base_path == "/team/notes/"
    page = built.page("/2026/week-11/")
    assert byline_authors(page) == ["Ada Byron", "Brook Tan"]
    assert note_date(page).startswith("2026-03-13")
    week_10 = built.page("/2026/week-10/")
    assert note_header(week_10).find("h1").words() == "Week 10: starting out"
    assert theme_terms(week_10) == {"working in the open", "user research"}
    assert (
        meta(week_10, "description") == "Our first note. We started the discovery & met the team."
    )
    assert heading_problems(week_10) == []
    assert heading_problems(parse_html("<h1>a</h1><h3>b</h3>")) == ["h1 then h3"]
    assert heading_problems(parse_html("<h2>a</h2><h1>b</h1><h1>c</h1>")) != []
    assert set(built.note_pages()) == {"/2026/week-10/", "/2026/week-11/", "/2026/quiet-week/"}
    assert "https://example.org/team/notes/2026/week-10/" in listed_addresses(built)
    # Week 12 keeps one link to an old page that matches nothing, on purpose: the golden
    # site shows the `link.unresolved` warning. Every other link must work.
    assert broken_links_under_base(built) == [
        "2026/quiet-week/index.html: /2025/gone/ is not under /team/notes/"
    ]
    (built.out / "2026" / "week-10" / "index.html").unlink()
    assert broken_links_under_base(built) != []
    refresh = parse_html('<meta http-equiv="refresh" content="0; url=/team/notes/2026/x/">')
    assert redirect_targets(refresh) == {"/team/notes/2026/x/"}


def dated_elsewhere_cases() -> list[str]:
    return sorted(DATED_ELSEWHERE)


@pytest.mark.parametrize("name", dated_elsewhere_cases())
def test_dates_from_names_and_titles_are_summed_up_in_one_line(
    corpus_builder: Callable[[str], Corpus], name: str
) -> None:
    built = corpus_builder(name)
    lines = built.check_output.splitlines()
    count = len(DATED_ELSEWHERE[name])
    summary = [
        line
        for line in lines
        if "date" in line.lower()
        and re.search(rf"(?<![\d-]){count}(?![\d-])", line)
        and not line.startswith(("weeknotes/", " "))
    ]
    assert len(summary) == 1, built.check_output
    per_note = [
        d.format()
        for d in built.result.diagnostics
        if d.location is not None
        and d.location.path in DATED_ELSEWHERE[name]
        and "date" in d.message.lower()
    ]
    assert per_note == []
    for source in DATED_ELSEWHERE[name]:
        about_it = [line for line in lines if line.startswith(source + ":")]
        assert not any("date" in line.lower() for line in about_it), about_it


# --- Jekyll -------------------------------------------------------------------------------


@pytest.fixture
def jekyll(corpus_builder: Callable[[str], Corpus]) -> Corpus:
    return corpus_builder("jekyll")


def test_jekyll_unpublished_post_is_a_draft(jekyll: Corpus) -> None:
    assert jekyll.result.skipped_drafts == 1
    assert not jekyll.file_for("/2019/unfinished/").exists()
    assert "Week 46: not ready yet" not in (jekyll.out / "feed.xml").read_text(encoding="utf-8")
    assert "Checked 7 notes" in jekyll.check_output  # six published and the draft


def test_jekyll_author_lists_are_several_people_with_their_own_pages(jekyll: Corpus) -> None:
    for slug in ("owain", "samantha", "laura"):
        page = jekyll.page(f"/authors/{slug}/")
        assert "Our first week notes" in page.words()
    half_term = jekyll.page("/2019/half-term/")
    assert byline_authors(half_term) == ["Laura", "Owain"]


def test_jekyll_excerpt_is_the_summary_and_tags_are_themes(jekyll: Corpus) -> None:
    page = jekyll.page("/2019/first-week-notes/")
    assert meta(page, "description") == (
        "Three of us, one whiteboard and a lot of questions about bin collections."
    )
    assert theme_terms(page) == {"working in the open", "waste services"}


def test_jekyll_more_marker_ends_the_summary_and_never_shows(jekyll: Corpus) -> None:
    path = jekyll.file_for("/2019/learning-in-public/")
    page = jekyll.page("/2019/learning-in-public/")
    summary = meta(page, "description") or ""
    assert summary.startswith("Writing these notes every Friday has changed")
    assert "replying to them with questions and ideas" in summary
    assert "retrospective" not in summary
    assert "more-->" not in page.words()
    assert "&lt;!--" not in path.read_text(encoding="utf-8")


def test_jekyll_list_right_after_a_line_of_text_is_a_list(jekyll: Corpus) -> None:
    page = jekyll.page("/2019/recycling-forms/")
    body = note_body(page)
    items = [straight_quotes(li.words()) for li in body.find("ul").find_all("li")]
    assert items == [
        "tested the new recycling box request form with five residents",
        'found that nobody understood the word "receptacle"',
        'changed it to "box" and tested again',
    ]
    assert not any("* " in p.words() for p in body.find_all("p"))
    assert "*" not in (meta(page, "description") or "")


def test_jekyll_body_starting_at_h3_is_shifted_to_start_at_h2(jekyll: Corpus) -> None:
    body = note_body(jekyll.page("/2019/recycling-forms/"))
    headings = [(e.tag, e.words()) for e in body.iter() if re.fullmatch(r"h[1-6]", e.tag)]
    assert headings == [("h2", "What happened"), ("h3", "The numbers"), ("h2", "Next week")]


def test_jekyll_site_wide_picture_is_copied_and_found_under_the_base_path(jekyll: Corpus) -> None:
    picture = note_body(jekyll.page("/2019/recycling-forms/")).find("img")
    assert picture.get("src") == "/notes/assets/images/recycling-form.png"
    source = jekyll.site / "static" / "assets" / "images" / "recycling-form.png"
    copied = jekyll.out / "assets" / "images" / "recycling-form.png"
    assert copied.read_bytes() == source.read_bytes()


def is_page_of(built: Corpus, url: str, note_url: str, title: str) -> bool:
    """True when `url` (site-relative) is the note's page, or a redirect page to it."""
    path = built.file_for(url)
    if not path.is_file():
        return False
    page = parse_html(path.read_text(encoding="utf-8"))
    if page.find_all("article", "note"):
        return note_header(page).find("h1").words() == title
    return built.base_path.rstrip("/") + note_url in redirect_targets(page)


def redirect_targets(page: Element) -> set[str]:
    """The paths a redirect page sends readers to: its refresh, canonical link and links."""
    targets = set()
    for element in page.iter():
        content = element.get("content") or ""
        if element.tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            match = re.search(r"url\s*=\s*['\"]?([^'\"\s]+)", content, re.IGNORECASE)
            if match:
                targets.add(urlsplit(match.group(1)).path)
        if element.tag in ("a", "link") and element.get("href"):
            targets.add(urlsplit(str(element.get("href"))).path)
    return targets


def listed_addresses(built: Corpus) -> set[str]:
    """Every address the site lists: the sitemap, both feeds' entries and the archive."""
    sitemap = ET.parse(built.out / "sitemap.xml").getroot()
    listed = {e.text or "" for e in sitemap.iter() if e.tag.endswith("}loc")}
    atom = ET.parse(built.out / "feed.xml").getroot()
    listed |= {e.get("href") or "" for e in atom.iter() if e.tag.endswith("}link")}
    listed |= {e.text or "" for e in atom.iter() if e.tag.endswith("}id")}
    feed = json.loads((built.out / "feed.json").read_text(encoding="utf-8"))
    listed |= {str(item.get("url")) for item in feed["items"]}
    archive = parse_html((built.out / "archive" / "index.html").read_text(encoding="utf-8"))
    listed |= {str(a.get("href")) for a in archive.find_all("a")}
    assert listed
    return listed


@pytest.mark.parametrize(
    ("name", "old", "note_url"),
    [
        ("jekyll", "/weeknotes/first-week-notes/", "/2019/first-week-notes/"),
        ("jekyll", "/2019/10/18/week-notes.html", "/2019/week-notes/"),
        ("hugo", "/old/path/", "/2021/data-platform-kickoff/"),
    ],
)
def test_old_addresses_get_redirect_pages_listed_nowhere_else(
    corpus_builder: Callable[[str], Corpus], name: str, old: str, note_url: str
) -> None:
    built = corpus_builder(name)
    redirect = built.file_for(old)
    assert redirect.is_file(), f"no redirect page at {old}"
    page = parse_html(redirect.read_text(encoding="utf-8"))
    assert not page.find_all("article", "note")
    assert built.base_path.rstrip("/") + note_url in redirect_targets(page)
    listed = listed_addresses(built)
    assert not any(urlsplit(url).path.endswith(old) for url in listed), old
    assert built.file_for(note_url).is_file()


def test_jekyll_link_to_another_notes_old_address_still_leads_to_it(jekyll: Corpus) -> None:
    body = note_body(jekyll.page("/2019/council-tax/"))
    [link] = [a for a in body.find_all("a") if a.words() == "where it always was"]
    href = urlsplit(str(link.get("href"))).path
    assert href.startswith("/notes/")
    site_relative = "/" + href[len("/notes/") :]
    assert is_page_of(jekyll, site_relative, "/2019/first-week-notes/", "Our first week notes")


def test_jekyll_liquid_is_shown_as_text_and_warned_about_on_its_line(jekyll: Corpus) -> None:
    source = J + "2019-10-18-week-notes.md"
    include = jekyll.source_line(source, "{% include callout.html")
    baseurl = jekyll.source_line(source, "{{ site.baseurl }}")
    warned = {
        d.location.line
        for d in jekyll.diagnostics("body.template-code")
        if d.location is not None and d.location.path == source and not d.is_error
    }
    assert warned == {include, baseurl}
    text = note_body(jekyll.page("/2019/week-notes/")).words()
    assert "{% include callout.html" in text
    assert "%}" in text


def test_jekyll_naive_date_and_time_is_that_day(jekyll: Corpus) -> None:
    assert note_date(jekyll.page("/2019/half-term/")).startswith("2019-10-25")


# --- Hugo ---------------------------------------------------------------------------------


@pytest.fixture
def hugo(corpus_builder: Callable[[str], Corpus]) -> Corpus:
    return corpus_builder("hugo")


def test_hugo_section_file_is_not_a_note(hugo: Corpus) -> None:
    titles = [note_header(p).find("h1").words() for p in hugo.note_pages().values()]
    assert "All our posts" not in titles
    everything = "".join(p.read_text(encoding="utf-8") for p in hugo.out.rglob("*.html"))
    assert "All our posts" not in everything
    assert not any(
        d.is_error and d.location and d.location.path.endswith("_index.md")
        for d in hugo.result.diagnostics
    )


def test_hugo_draft_is_left_out(hugo: Corpus) -> None:
    assert hugo.result.skipped_drafts == 1
    assert not hugo.file_for("/2021/ideas/").exists()


def test_hugo_description_is_the_summary_and_tags_are_themes(hugo: Corpus) -> None:
    page = hugo.page("/2021/data-platform-kickoff/")
    assert meta(page, "description") == (
        "We met the people who will use the new data platform and agreed what it is for."
    )
    assert theme_terms(page) == {"data platform", "discovery"}
    standups = hugo.page("/2021/standups/")  # JSON front matter
    assert meta(standups, "description") == (
        "We cut stand-ups to three a week and nobody missed the other two."
    )
    assert theme_terms(standups) == {"ways of working"}


def test_hugo_slug_with_capitals_and_underscore_is_not_an_error(hugo: Corpus) -> None:
    source = H + "week-3.md"
    candidates = ["/2021/Week_3/", "/2021/week_3/", "/2021/week-3/"]
    found = [url for url in candidates if hugo.file_for(url).is_file()]
    assert len(found) == 1, found
    page = hugo.page(found[0])
    assert note_header(page).find("h1").words() == "Week 11: housing repairs data"
    assert note_date(page)[:10] == "2021-03-19"
    about_it = [d for d in hugo.result.diagnostics if d.location and d.location.path == source]
    assert not any(d.is_error for d in about_it)
    assert len(about_it) <= 1, [d.format() for d in about_it]  # said once, if at all


def test_hugo_page_bundle_takes_its_folder_name_and_its_picture(hugo: Corpus) -> None:
    picture = note_body(hugo.page("/2021/36/")).find("img")
    assert picture.get("src") == "/data/weeknotes/media/posts/36/whiteboard.png"
    source = hugo.site / "weeknotes" / "posts" / "36" / "whiteboard.png"
    assert (hugo.out / "media/posts/36/whiteboard.png").read_bytes() == source.read_bytes()


def test_hugo_static_pictures_are_found_under_the_base_path(hugo: Corpus) -> None:
    body = note_body(hugo.page("/2021/dashboards/"))
    sources = [img.get("src") for img in body.find_all("img")]
    assert "/data/weeknotes/images/long-open-jobs.png" in sources
    for name in ("long-open-jobs.png", "dashboard.png"):
        copied = hugo.out / "images" / name
        assert copied.read_bytes() == (hugo.site / "static" / "images" / name).read_bytes()


def test_hugo_shortcode_is_shown_as_text_and_warned_about_on_its_line(hugo: Corpus) -> None:
    source = H + "dashboards.md"
    line = hugo.source_line(source, "{{< figure")
    assert [
        (d.location.path, d.location.line)
        for d in hugo.diagnostics("body.template-code")
        if d.location is not None
    ] == [(source, line)]
    text = note_body(hugo.page("/2021/dashboards/")).words()
    assert "{{< figure" in text
    assert ">}}" in text


# --- Eleventy -----------------------------------------------------------------------------


@pytest.fixture
def eleventy(corpus_builder: Callable[[str], Corpus]) -> Corpus:
    return corpus_builder("eleventy")


def test_eleventy_first_heading_is_the_title_and_leaves_the_body(eleventy: Corpus) -> None:
    for expected in EXPECTED["eleventy"]:
        page = eleventy.page(expected.url)
        body = note_body(page)
        headings = [e.words() for e in body.iter() if re.fullmatch(r"h[1-6]", e.tag)]
        assert expected.title not in headings
        assert not body.words().startswith(expected.title)


def test_eleventy_nunjucks_is_shown_as_text_and_warned_about_on_its_line(
    eleventy: Corpus,
) -> None:
    source = E + "priya/2022-11-24.md"
    line = eleventy.source_line(source, "{{ site.title }}")
    assert [
        (d.location.path, d.location.line)
        for d in eleventy.diagnostics("body.template-code")
        if d.location is not None
    ] == [(source, line)]
    assert "{{ site.title }}" in note_body(eleventy.page("/2022/2022-11-24/")).words()


def test_eleventy_same_day_notes_that_still_clash_are_named_with_a_permalink_that_parts_them(
    tmp_path: Path,
) -> None:
    site = copy_site(SITES / "eleventy", tmp_path / "eleventy")
    other = site / "weeknotes" / "gareth" / "2022-11-24.md"
    other.write_text(
        "---\nauthor: Gareth Hughes\n---\n# Thursday at the Hub\n\nA short note on a short day.\n",
        encoding="utf-8",
    )
    result = build_site(site)
    errors = [d for d in result.diagnostics if d.is_error]
    assert [d.code for d in errors] == ["url.clash"]
    said = errors[0].message + " " + (errors[0].hint or "")
    assert "weeknotes/gareth/2022-11-24.md" in said
    assert "weeknotes/priya/2022-11-24.md" in said
    proposed = re.findall(r"/[^\s'\"`]*\{slug\}[^\s'\"`]*/", errors[0].hint or "")
    assert proposed, errors[0].format()
    config = yaml.safe_load((site / "config.yaml").read_text(encoding="utf-8"))
    config["permalink"] = proposed[0]
    (site / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    again = build_site(site)
    assert [d.format() for d in again.diagnostics if d.is_error] == []
    assert again.notes == len(EXPECTED["eleventy"]) + 1


# --- Pelican ------------------------------------------------------------------------------


@pytest.fixture
def pelican(corpus_builder: Callable[[str], Corpus]) -> Corpus:
    return corpus_builder("pelican")


def test_pelican_status_draft_is_left_out(pelican: Corpus) -> None:
    assert pelican.result.skipped_drafts == 1
    assert not pelican.file_for("/2020/week-21/").exists()


def test_pelican_summary_and_tags_are_read(pelican: Corpus) -> None:
    page = pelican.page("/2020/week-18/")
    assert straight_quotes(meta(page, "description") or "") == (
        "The contact centre moved to people's kitchens in six weeks, and the phones still work."
    )
    assert theme_terms(page) == {"remote working", "telephony"}
    assert theme_terms(pelican.page("/2020/week-19/")) == {"telephony", "council tax"}


# --- plain folders ------------------------------------------------------------------------


@pytest.fixture
def plain(corpus_builder: Callable[[str], Corpus]) -> Corpus:
    return corpus_builder("plain")


def test_plain_bare_addresses_are_links(plain: Corpus) -> None:
    first = [a.get("href") for a in note_body(plain.page("/2017/1/")).find_all("a")]
    assert "https://www.example.gov.uk/parking-permits" in first
    third = [str(a.get("href")) for a in note_body(plain.page("/2017/3/")).find_all("a")]
    assert any(
        href.startswith("http") and href.endswith("://www.example.gov.uk/forms-review")
        for href in third
    ), third
    fourth = [a.get("href") for a in note_body(plain.page("/2022/4/")).find_all("a")]
    assert "https://www.gov.uk/apply-blue-badge" in fourth


def test_plain_strikethrough_is_struck_through(plain: Corpus) -> None:
    for url, struck in (("/2017/1/", "PDF"), ("/2022/4/", "Rewrote")):
        body = note_body(plain.page(url))
        assert struck in [e.words() for e in body.iter() if e.tag in ("del", "s")]
        assert "~~" not in body.words()


def test_plain_task_lists_are_disabled_labelled_checkboxes(plain: Corpus) -> None:
    page = plain.page("/2017/1/")
    body = note_body(page)
    boxes = [e for e in body.find_all("input") if e.get("type") == "checkbox"]
    assert len(boxes) == 3
    assert all("disabled" in box.attrs for box in boxes)
    assert ["checked" in box.attrs for box in boxes] == [True, False, False]
    labels_for = {label.get("for") for label in page.find_all("label")}
    for box in boxes:
        assert (
            any(a.tag == "label" for a in box.ancestors())
            or box.get("aria-label")
            or box.get("aria-labelledby")
            or (box.get("id") is not None and box.get("id") in labels_for)
        )
    assert "[x]" not in body.words()
    assert "[ ]" not in body.words()


def test_plain_lists_nested_by_two_spaces_and_three_under_numbers(plain: Corpus) -> None:
    body = note_body(plain.page("/2017/2/"))
    outer = body.find("ul")
    top = [li for li in outer.children if isinstance(li, Element) and li.tag == "li"]
    assert len(top) == 3
    assert top[0].words().startswith("Planning")
    assert len(top[0].find("ul").find_all("li")) == 2
    assert len(top[1].find("ul").find_all("li")) == 1
    numbered = note_body(plain.page("/2022/5/")).find("ol")
    items = [li for li in numbered.children if isinstance(li, Element) and li.tag == "li"]
    assert len(items) == 2
    assert [li.words() for li in items[1].find("ul").find_all("li")] == [
        "on cookies",
        "on accessibility statements",
    ]


def test_plain_trailing_backslash_is_a_line_break(plain: Corpus) -> None:
    for url, words in (("/2017/2/", "Thanks to Ffion"), ("/2022/6/", "Last note before")):
        body = note_body(plain.page(url))
        [paragraph] = [p for p in body.find_all("p") if p.words().startswith(words)]
        assert paragraph.find_all("br")
        assert "\\" not in paragraph.text()


def test_plain_hand_written_heading_links_lead_to_headings(plain: Corpus) -> None:
    for url, anchors in (
        ("/2017/1/", {"#next-week", "#plans--risks"}),
        ("/2017/2/", {"#where-they-are"}),
    ):
        page = plain.page(url)
        ids = {e.get("id") for e in page.iter() if e.get("id")}
        hrefs = {a.get("href") for a in note_body(page).find_all("a")}
        assert anchors <= hrefs
        assert {a[1:] for a in anchors} <= ids


# --- bilingual ----------------------------------------------------------------------------


@pytest.fixture
def bilingual(corpus_builder: Callable[[str], Corpus]) -> Corpus:
    return corpus_builder("bilingual")


def test_bilingual_each_note_has_its_own_page_in_its_own_language(bilingual: Corpus) -> None:
    pages = bilingual.note_pages()
    by_title = {note_header(p).find("h1").words(): (url, p) for url, p in pages.items()}
    assert len(pages) == len(BILINGUAL)
    for title, day, language in BILINGUAL.values():
        url, page = by_title[title]
        assert url.startswith(f"/{day[:4]}/")
        assert note_date(page)[:10] == day
        html = page.find("html")
        assert html.get("lang") == language or (
            language == "en" and str(html.get("lang")).startswith("en")
        )


def test_bilingual_feed_entries_carry_their_language(bilingual: Corpus) -> None:
    atom = ET.parse(bilingual.out / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    welsh = {t for t, _, lang in BILINGUAL.values() if lang == "cy"}
    for entry in atom.findall("a:entry", ns):
        title = entry.findtext("a:title", default="", namespaces=ns)
        langs = {e.get(xml_lang) for e in entry.iter() if e.get(xml_lang)}
        if title in welsh:
            assert "cy" in langs, title
        else:
            assert "cy" not in langs, title
    items = json.loads((bilingual.out / "feed.json").read_text(encoding="utf-8"))["items"]
    assert {item["title"] for item in items if item.get("language") == "cy"} == welsh


def test_bilingual_authors_and_terms_carry_over(bilingual: Corpus) -> None:
    by_title = {note_header(p).find("h1").words(): p for p in bilingual.note_pages().values()}
    welsh = by_title["Nodiadau wythnos: 1 Rhagfyr 2022"]
    assert byline_authors(welsh) == ["Huw Bevan"]
    assert theme_terms(welsh) == {"libraries", "accessibility"}
    assert byline_authors(by_title["Week notes: 24 November 2022"]) == ["Elin Rowlands"]


# --- the zero-notes trap ------------------------------------------------------------------


def test_a_whole_jekyll_site_never_checks_as_zero_notes_and_no_problems(tmp_path: Path) -> None:
    site = copy_site(TRAPS / "jekyll-whole-site", tmp_path / "site")
    posts = sorted((site / "weeknotes" / "_posts").glob("*.md"))
    code, output = run_cli("check", "--site", str(site))
    assert not (code == 0 and "Checked 0 notes: no problems found" in output), output
    counted = re.search(r"Checked (\d+) notes?", output)
    if code == 0:
        assert counted is not None, output
        assert int(counted.group(1)) >= len(posts), output


def test_a_copied_posts_folder_is_read(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(
        TRAPS / "jekyll-whole-site" / "weeknotes" / "_posts", site / "weeknotes" / "_posts"
    )
    shutil.copy(TRAPS / "jekyll-whole-site" / "config.yaml", site / "config.yaml")
    code, output = run_cli("check", "--site", str(site))
    assert code == 0, output
    assert "Checked 3 notes" in output
    result = build_site(site)
    assert result.notes == 3
    assert (site / "_site" / "2023" / "pitch-bookings" / "index.html").is_file()


@pytest.mark.parametrize("command", ["check", "build"])
def test_markdown_that_is_all_skipped_is_named_not_passed_over(
    tmp_path: Path, command: str
) -> None:
    site = tmp_path / "site"
    (site / "weeknotes" / "posts").mkdir(parents=True)
    shutil.copy(SITES / "hugo" / "config.yaml", site / "config.yaml")
    shutil.copy(SITES / "hugo" / "weeknotes" / "posts" / "_index.md", site / "weeknotes" / "posts")
    _, output = run_cli(command, "--site", str(site))
    assert "no problems found" not in output
    assert "_index.md" in output, output
