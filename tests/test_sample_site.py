"""The shipped sample site: every page exists, every link, asset and anchor resolves, and the
HTML is valid according to the Nu HTML Checker."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import REPO, build_sample_site

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class PageLinks(HTMLParser):
    """Collects link targets and element ids of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for name in ("href", "src"):
            value = values.get(name)
            if value is not None and not (tag == "link" and values.get("rel") == "canonical"):
                self.targets.append(value)


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_site(tmp_path_factory.mktemp("sample"))


def parse(page: Path) -> PageLinks:
    links = PageLinks()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def resolve(output: Path, href: str) -> tuple[Path, str]:
    parts = urlsplit(href)
    path = unquote(parts.path)
    assert path.startswith("/"), f"internal links are root-relative: {href}"
    target = output / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def internal_links(page: Path) -> Iterator[str]:
    """Links to other files of the site (same-page `#anchors` are checked separately)."""
    for target in parse(page).targets:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and not target.startswith("#"):
            yield target


def broken_links(output: Path) -> list[str]:
    pages = sorted(output.rglob("*.html"))
    ids = {page: parse(page).ids for page in pages}
    broken = []
    for page in pages:
        name = page.relative_to(output).as_posix()
        for href in internal_links(page):
            target, fragment = resolve(output, href)
            if not target.is_file():
                broken.append(f"{name} -> {href}")
            elif fragment and unquote(fragment) not in ids.get(target, set()):
                broken.append(f"{name} -> {href} (no such anchor)")
        for href in parse(page).targets:
            if href.startswith("#") and unquote(href[1:]) not in ids[page]:
                broken.append(f"{name} -> {href} (no such anchor)")
    return broken


def test_every_page_of_the_brief_exists(sample_site: Path) -> None:
    for relative in (
        "index.html",
        "page/2/index.html",
        "404.html",
        "authors/index.html",
        "authors/maya-okonjo/index.html",
        "team/index.html",
        "team/digital-services/index.html",
        "theme/index.html",
        "theme/information-sharing/index.html",
        "learning/index.html",
        "weeks/index.html",
        "weeks/2026-W30/index.html",
        "archive/index.html",
        "2026/week-30-maya/index.html",
        "2026/publishing-our-first-open-data/index.html",
        "static/style.css",
        "static/pygments.css",
    ):
        assert (sample_site / relative).is_file(), relative


def test_the_draft_is_not_published(sample_site: Path) -> None:
    assert not (sample_site / "2026" / "week-38-gwen").exists()


def test_every_internal_link_asset_and_anchor_resolves(sample_site: Path) -> None:
    links = sum(len(list(internal_links(p))) for p in sample_site.rglob("*.html"))
    assert links > 1000
    assert broken_links(sample_site) == []


def test_the_link_checker_notices_broken_links(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a href="/missing/">x</a><a href="/#nowhere">y</a><a href="#gone">z</a>', encoding="utf-8"
    )
    assert broken_links(tmp_path) == [
        "index.html -> /missing/",
        "index.html -> /#nowhere (no such anchor)",
        "index.html -> #gone (no such anchor)",
    ]


def test_every_page_can_be_reached_from_the_home_page(sample_site: Path) -> None:
    seen: set[Path] = set()
    queue = [sample_site / "index.html"]
    while queue:
        page = queue.pop()
        if page in seen or page.suffix != ".html":
            continue
        seen.add(page)
        queue.extend(resolve(sample_site, href)[0] for href in internal_links(page))
    unreachable = {p.relative_to(sample_site).as_posix() for p in sample_site.rglob("*.html")} - {
        p.relative_to(sample_site).as_posix() for p in seen
    }
    assert unreachable == {"404.html"}


@pytest.mark.slow
def test_every_page_is_valid_html(sample_site: Path) -> None:
    assert_every_page_is_valid_html(sample_site)


def assert_every_page_is_valid_html(output: Path) -> None:
    """Run the Nu HTML Checker over every page of a built site; shared with the bilingual
    site's tests so both are held to the same checker and the same options."""
    if shutil.which("java") is None or not VNU_JAR.is_file():
        pytest.fail("the Nu HTML Checker needs java and `npm install` (run `make test`)")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", str(output)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
