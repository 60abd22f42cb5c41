"""A local preview server for the built site, using only the standard library.

The site is served under its configured base path (as it will be when published), so links
that work here work there. Live reload arrives with the authoring workflow; this serves files.
"""

from __future__ import annotations

import functools
import http.server
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

NOT_FOUND_PAGE = "404.html"


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under `base_path`, with the site's own 404 page."""

    base_path = "/"

    def __init__(self, *args: object, directory: str, base_path: str, **kwargs: object) -> None:
        self.base_path = base_path
        super().__init__(*args, directory=directory, **kwargs)  # type: ignore[arg-type]

    def translate_path(self, path: str) -> str:
        request_path = unquote(urlsplit(path).path)
        if not request_path.startswith(self.base_path):
            return str(Path(self.directory) / "\0missing")  # never a real file: answers 404
        inner = "/" + request_path[len(self.base_path) :]
        if ".." in posixpath.normpath(inner).split("/"):
            return str(Path(self.directory) / "\0missing")
        return super().translate_path(inner)

    def do_GET(self) -> None:
        if self.path in ("", "/") and self.base_path != "/":
            self.send_response(302)
            self.send_header("Location", self.base_path)
            self.end_headers()
            return
        super().do_GET()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / NOT_FOUND_PAGE
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet by default: the terminal is for build reports, not one line per request."""


def make_server(
    output_dir: Path, *, host: str, port: int, base_path: str
) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_SiteHandler, directory=str(output_dir), base_path=base_path)
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
