"""Discovery files for search engines: sitemap.xml (every page and its date) and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from weeknote_gen.content.model import Site
from weeknote_gen.output.artifact import Artifact
from weeknote_gen.site.page_spec import PageSpec
from weeknote_gen.urls import NOT_FOUND_URL, ROBOTS_URL, SITEMAP_URL, absolute_url, output_path

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"  # the sitemap's way to list a page's translations


def sitemap(site: Site, specs: Sequence[PageSpec]) -> Artifact:
    namespaces = {"xmlns": SITEMAP_NS}
    if any(spec.alternates for spec in specs):
        namespaces["xmlns:xhtml"] = XHTML_NS
    urlset = ET.Element("urlset", namespaces)
    for spec in specs:
        if spec.url == NOT_FOUND_URL:
            continue
        entry = ET.SubElement(urlset, "url")
        ET.SubElement(entry, "loc").text = absolute_url(site.config, spec.url)
        if spec.lastmod is not None:
            ET.SubElement(entry, "lastmod").text = spec.lastmod.isoformat()
        for alternate in spec.alternates:
            link = {"rel": "alternate", "hreflang": alternate.code, "href": alternate.url}
            ET.SubElement(entry, "xhtml:link", link)
    ET.indent(urlset)
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(urlset, encoding="unicode")
    return Artifact(output_path(SITEMAP_URL), (text + "\n").encode("utf-8"))


def robots(site: Site) -> Artifact:
    config = site.config
    sitemaps = [absolute_url(config, SITEMAP_URL)]
    sitemaps += [  # a bilingual site's other languages, each with a sitemap of its own
        absolute_url(config, f"/{language.prefix}{SITEMAP_URL}")
        for language in config.languages
        if language.prefix
    ]
    listed = "".join(f"Sitemap: {address}\n" for address in sitemaps)
    text = f"User-agent: *\nAllow: /\n\n{listed}"
    return Artifact(output_path(ROBOTS_URL), text.encode("utf-8"))
