"""The home page's list of notes and each note's own page."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from weeknote_gen.content.markdown_code_style import CODE_BLOCK
from weeknote_gen.content.model import Note
from weeknote_gen.site.page_spec import PageSpec
from weeknote_gen.site.planner import PagePlanner
from weeknote_gen.site.views import FeedLink, note_link, note_meta, reply_links
from weeknote_gen.urls import HOME_URL, feed_url

TOC_MIN_ENTRIES = 3


class NotePages(PagePlanner):
    """The home page (every note, newest first) and a page per note."""

    def home(self) -> Iterator[PageSpec]:
        yield from self.paginated(
            HOME_URL,
            tuple(self.site.notes),
            self.words.gettext("Latest notes"),
            HOME_URL,
            "the home page",
            kind="home",
            intro=self.config.description,
            weeks_href="",
            learning_href="",
        )

    def note_pages(self) -> Iterator[PageSpec]:
        notes = tuple(self.site.notes.values())
        for index in range(len(notes)):
            yield self.note_page(notes, index)

    def note_page(self, notes: Sequence[Note], index: int) -> PageSpec:
        note = notes[index]
        newer = notes[index - 1] if index > 0 else None
        older = notes[index + 1] if index + 1 < len(notes) else None
        author_feeds = tuple(
            FeedLink(self.words.fill("Notes by %(name)s", name=a.name), self.href(feed_url(a.url)))
            for a in (self.site.authors[s] for s in note.author_slugs)
        )
        return self.spec(
            note.url,
            "note.html",
            note.title,
            HOME_URL,
            note.key,
            page_language=note.language,
            lastmod=note.date,
            reads=(note.key,),
            shows=(*(n.key for n in (newer, older) if n), *self.site.related[note.key]),
            deferred=lambda: {
                "meta": note_meta(self.site, note, (*self.feeds, *author_feeds)),
                "note": self.cards[note.key],
                "reply": reply_links(self.site, note),
                "body": note.html,
                "page_has_code": CODE_BLOCK in note.html,
                "toc": note.toc if len(note.toc) >= TOC_MIN_ENTRIES else (),
                "newer": note_link(self.site, newer) if newer else None,
                "older": note_link(self.site, older) if older else None,
                # not again the notes "Newer note" and "Older note" link already
                "related": tuple(
                    self.cards[k]
                    for k in self.site.related[note.key]
                    if k not in {n.key for n in (newer, older) if n}
                ),
            },
        )
