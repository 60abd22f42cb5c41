"""Exports read as streamed XML, safely, and the few lookups every reader needs.

Reading is streamed with the standard library's `iterparse`, one post at a time, so a large
export does not have to fit in memory as a tree. XML that declares entities is refused before
parsing: no real export needs them, so this closes "billion laughs" documents outright, on
top of expat's own amplification limits (expat 2.4 and later), and external entities are never
fetched by the standard library's parser in any case. See docs/importing.md.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from weeknote_gen.commands.importer.posts import UnreadableExportError

_DECLARES_ENTITIES = re.compile(rb"<!ENTITY", re.IGNORECASE)
_HEAD_BYTES = 1 << 16


def xml_events(source: Path) -> Iterator[tuple[str, ET.Element]]:
    """`iterparse` start and end events, after refusing documents that declare entities."""
    with source.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
        doctype = head.find(b"<!DOCTYPE")
        if doctype >= 0 and _DECLARES_ENTITIES.search(head, doctype):
            raise UnreadableExportError(
                "the file declares XML entities, which exports never need; it was not read"
                " (such files can be made to use all the memory of the machine reading them)"
            )
        handle.seek(0)
        yield from _parse(handle)


def _parse(handle: IO[bytes]) -> Iterator[tuple[str, ET.Element]]:
    try:
        yield from ET.iterparse(handle, events=("start", "end"))
    except ET.ParseError as exc:
        raise UnreadableExportError(f"the file is not well-formed XML: {exc}") from exc


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def namespace_of(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def find_child(element: ET.Element, name: str, namespace: str = "") -> ET.Element | None:
    """The first child called `name`; `namespace` matches by prefix, so that WordPress's
    export/1.0, 1.1 and 1.2 namespaces are all one."""
    for child in element:
        if local_name(child.tag) == name and namespace_of(child.tag).startswith(namespace):
            return child
    return None


def child_text(element: ET.Element, name: str, namespace: str = "") -> str:
    child = find_child(element, name, namespace)
    return (child.text or "").strip() if child is not None else ""


WP = "http://wordpress.org/export/"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
ATOM = "http://www.w3.org/2005/Atom"
