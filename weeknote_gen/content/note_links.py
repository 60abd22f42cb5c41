"""Links between notes and to files: `[text](other-note.md)` pointed at the other note's page,
pictures and files beside a note at their published copies, paths from the old site's root at
the static file, note or old address they name; and each note's old addresses (`aliases`),
checked to be safe and nobody else's, each to get a redirect page.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Mapping, Sequence
from urllib.parse import unquote, urlsplit

from weeknote_gen.config import CONTENT_DIR, Config
from weeknote_gen.content.markdown import RenderedMarkdown
from weeknote_gen.content.markdown_links import (
    ASSET_LINK_SCHEME,
    NOTE_LINK_SCHEME,
    SITE_LINK_SCHEME,
)
from weeknote_gen.content.model import Redirect
from weeknote_gen.content.parse import ParsedNote
from weeknote_gen.errors import Diagnostic, Location, error, warning
from weeknote_gen.urls import alias_url, media_url, output_path, site_href, static_url


def _alias_field(parsed: ParsedNote) -> str:
    """The front matter field a note's old addresses were read from (Jekyll's name, or
    Hugo's, which is also the one to point at when neither is written)."""
    return "redirect_from" if "redirect_from" in parsed.field_lines else "aliases"


def aliases_by_url(
    notes: Sequence[tuple[ParsedNote, RenderedMarkdown]],
    placed: Sequence[tuple[ParsedNote, RenderedMarkdown, str, str]],
    published: set[str],
    problems: list[Diagnostic],
) -> dict[str, Redirect]:
    """The published notes' old addresses, by URL, each checked to be a plain
    path on this site (drafts' too, so a draft is not broken when it goes live) and to be
    nobody else's: not a note's URL, and not another note's old address."""
    owners = {output_path(url): (parsed.path, url) for parsed, _, _, url in placed}
    found: dict[str, Redirect] = {}
    for parsed, _ in notes:
        where = parsed.location(_alias_field(parsed))
        for alias in parsed.aliases:
            try:
                url = alias_url(alias)
            except ValueError as reason:
                problems.append(
                    error(
                        "alias.unsafe",
                        f"the old address '{alias}' {reason}",
                        where,
                        "write the path the note had on the old site, from the site's root,"
                        " such as /2019/10/18/week-notes/ or /old-page.html",
                    )
                )
                continue
            if parsed.path not in published:
                continue
            path = output_path(url)
            owner = owners.get(path)
            if owner is None:
                owners[path] = (parsed.path, url)
                found[url] = Redirect(parsed.path, where)
                continue
            other, other_url = owner
            if other == parsed.path:
                # The same address twice, or an old address the note keeps (a Hugo `url` that
                # the permalink gives again): nothing needs redirecting.
                continue
            kind = "an old address" if other_url in found else "the URL"
            what = f"is {kind} of {other}"
            problems.append(
                error(
                    "alias.clash",
                    f"the old address '{alias}' {what}",
                    where,
                    "remove it from this note, or from the other note, so that one page is"
                    " at that address",
                )
            )
    return found


_PLACEHOLDER = re.compile(
    rf'(href|src)="({re.escape(NOTE_LINK_SCHEME)}|{re.escape(ASSET_LINK_SCHEME)}'
    rf'|{re.escape(SITE_LINK_SCHEME)})(\d+)"'
)


class LinkResolver:
    """Points `[text](other-note.md)` at the other note's page, `![](board.jpg)` at the
    published copy of the picture, and a path from the old site's root (`/images/a.png`,
    `/2019/10/18/week-notes/`) at the static file, note or old address it names, under the
    base path; reporting (not raising) what cannot be found."""

    def __init__(
        self,
        urls_by_path: Mapping[str, str],
        all_paths: set[str],
        assets: frozenset[str],
        config: Config,
        problems: list[Diagnostic],
        *,
        static: frozenset[str] = frozenset(),
        aliases: Mapping[str, Redirect] | None = None,
    ) -> None:
        self.urls_by_path = urls_by_path
        self.all_paths = all_paths
        self.assets = assets
        self.config = config
        self.problems = problems
        self.static = static
        self.media: dict[str, str] = {}  # asset path -> URL, for the assets notes use
        # Output file -> the URL of the note there, for its URL and each of its old ones.
        self.pages = {output_path(url): url for url in urls_by_path.values()}
        for alias, redirect in (aliases or {}).items():
            if redirect.note_key in urls_by_path:
                self.pages.setdefault(output_path(alias), urls_by_path[redirect.note_key])

    def resolve(self, parsed: ParsedNote, rendered: RenderedMarkdown) -> str:
        if not rendered.note_links and not rendered.asset_links and not rendered.site_links:
            return rendered.html

        def replace(match: re.Match[str]) -> str:
            attribute, scheme, index = match.group(1), match.group(2), int(match.group(3))
            if scheme == NOTE_LINK_SCHEME:
                value = self.note_link(parsed, rendered.note_links[index])
            elif scheme == SITE_LINK_SCHEME:
                value = self.site_link(parsed, rendered.site_links[index])
            else:
                value = self.asset_link(parsed, rendered.asset_links[index], attribute)
            return (
                'data-missing-link=""' if value is None else f'{attribute}="{html.escape(value)}"'
            )

        return _PLACEHOLDER.sub(replace, rendered.html)

    def target(self, parsed: ParsedNote, link: str) -> tuple[str, str]:
        """The site-relative path a link names ("/..." from the site folder), and its fragment."""
        parts = urlsplit(link)
        base = "" if parts.path.startswith("/") else posixpath.dirname(parsed.path)
        path = posixpath.normpath(posixpath.join(base, unquote(parts.path).lstrip("/")))
        return path, parts.fragment

    def note_link(self, parsed: ParsedNote, link: str) -> str | None:
        path, fragment = self.target(parsed, link)
        url = self.urls_by_path.get(path)
        if url is not None:
            return site_href(self.config, url) + (f"#{fragment}" if fragment else "")
        unpublished = path in self.all_paths
        reason = "a draft or scheduled note" if unpublished else "a note that does not exist"
        message = f"link to '{link}' points at {reason}; the link was left out"
        self.warn("link.missing-note", parsed, link, message)
        return None

    def asset_link(self, parsed: ParsedNote, link: str, attribute: str) -> str | None:
        path, fragment = self.target(parsed, link)
        if path in self.assets:
            url = media_url(path.removeprefix(f"{CONTENT_DIR}/"))
            self.media[path] = url
            return site_href(self.config, url) + (f"#{fragment}" if fragment else "")
        static = path.removeprefix(f"{self.config.static_dir}/")
        if static != path and static in self.static:  # as GitHub's preview shows it
            return self.static_href(static_url(static)) + (f"#{fragment}" if fragment else "")
        kind = "picture" if attribute == "src" else "file"
        self.warn("link.missing-file", parsed, link, f"the {kind} '{link}' was not found")
        return link  # left as written: the page still shows the alt text or link text

    def site_link(self, parsed: ParsedNote, link: str) -> str:
        """A path from the site's root, under the base path when it names something here."""
        parts = urlsplit(link)
        url = self.site_target(unquote(parts.path))
        if url is None:
            folder = self.config.static_dir
            self.problems.append(
                warning(
                    "link.unresolved",
                    f"the link '{link}' is a path from the site's root, but no file in"
                    f" {folder}/, note or old address of a note is there; it was left as"
                    " written",
                    _line_of(parsed, f"]({link}", link),
                    f"put the file in {folder}/, link to the note's .md file, or add the"
                    " path to that note's aliases",
                )
            )
            return link
        query = f"?{parts.query}" if parts.query else ""
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        href = self.static_href(url) if url in self.static_urls else site_href(self.config, url)
        return href + query + fragment

    @functools.cached_property
    def static_urls(self) -> frozenset[str]:
        return frozenset(static_url(name) for name in self.static)

    def static_href(self, url: str) -> str:
        """A static file's link: under the whole site's path, even from a language's part of
        a bilingual site, since the static folder is published once."""
        return self.config.root_path + url.lstrip("/")

    def site_target(self, path: str) -> str | None:
        """The URL a root-relative path names: a static file (also when written with the
        static folder's name, `/static/images/a.png`), a note by its URL, or a note by one
        of its old addresses (the note's URL then); None when it names nothing."""
        clean = "/" + posixpath.normpath(path).lstrip("/")
        if clean == "/":
            return "/"  # the home page
        relative = clean[1:]
        if path.endswith("/"):
            candidates = [f"{relative}/index.html"]
        else:
            candidates = [relative, f"{relative}/index.html"]
        folder = f"{self.config.static_dir}/"
        for candidate in candidates:
            for name in (candidate, candidate.removeprefix(folder)):
                if name in self.static:
                    return static_url(name)
            url = self.pages.get(candidate)
            if url is not None:
                return url
        return None

    def warn(self, code: str, parsed: ParsedNote, link: str, message: str) -> None:
        base = posixpath.dirname(parsed.path)
        self.problems.append(
            warning(
                code,
                message,
                _line_of(parsed, f"]({link}"),
                f"check the path: it is read relative to {base}/",
            )
        )


def _line_of(parsed: ParsedNote, needle: str, fallback: str = "") -> Location:
    """The file line where `needle` (else `fallback`) first appears in the body (the note's
    first line if neither does)."""
    index = parsed.body.find(needle)
    if index < 0 and fallback:
        index = parsed.body.find(fallback)
    if index < 0:
        return parsed.location()
    return Location(parsed.path, parsed.body_line + parsed.body.count("\n", 0, index))
