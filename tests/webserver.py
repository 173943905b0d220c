"""A small HTTP server on 127.0.0.1 serving the pages and feeds a test writes for it.

Each path answers with a :class:`Route` (or a function of the request that
returns one); every request is recorded with its headers. Slow answers wait
on an event that stopping the server sets, so no thread outlives its test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "web"


@dataclass
class Route:
    """One answer: status, headers, body; ``delay`` before it, ``drip`` seconds between bytes."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    delay: float = 0.0
    drip: float = 0.0
    length: bool = True  # send Content-Length


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


Handler = Callable[[Seen], Route]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: WebServer) -> None:
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self.site = site

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (timeouts, size limits) is what the tests want


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        site = self.server.site
        seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
        site.requests.append(seen)
        route = site.routes.get(self.path.split("?", 1)[0])
        if callable(route):
            route = route(seen)
        if route is None:
            route = Route(b"<html><body>not here</body></html>", status=404)
        if route.delay and site.stopping.wait(route.delay):
            return
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.length:
            self.send_header("Content-Length", str(len(route.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if not route.drip:
            self.wfile.write(route.body)
            return
        for i in range(len(route.body)):
            if site.stopping.wait(route.drip):
                return
            self.wfile.write(route.body[i : i + 1])
            self.wfile.flush()


class WebServer:
    """Routes by path, the requests seen, and the server's base URL."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Handler] = {}
        self.requests: list[Seen] = []
        self.stopping = threading.Event()
        self._server = _Server(self)
        self.port = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, name: str, **route: object) -> str:
        """Serve a file of ``tests/web/`` at ``path``; return its URL."""
        self.routes[path] = Route((PAGES / name).read_bytes(), **route)  # type: ignore[arg-type]
        return self.url(path)

    def hits(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path.split("?", 1)[0] == path]


@contextmanager
def serving() -> Iterator[WebServer]:
    """A :class:`WebServer` running in a thread for the duration of the block."""
    site = WebServer()
    thread = threading.Thread(target=site._server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield site
    finally:
        site.stopping.set()
        site._server.shutdown()
        thread.join()
        site._server.server_close()
        time.sleep(0)  # let handler threads see the event


def article_html(
    title: str,
    paragraphs: list[str],
    *,
    date: str | None = "2025-11-03",
    site: str = "Local News",
    lang: str = "en",
) -> bytes:
    """A page like a news site's: menu, ad, the article, comments and a footer around it."""
    meta = f'<meta property="article:published_time" content="{date}T09:00:00Z">' if date else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title} | {site}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{site}">
{meta}</head>
<body><nav><a href="/">Home</a> <a href="/tech">Tech</a> <a href="/money">Money</a></nav>
<div class="advert">Sponsored: win a trip worth $5,000 today!</div>
<main><article><h1>{title}</h1>
{body}
</article></main>
<section class="comments"><p>Reader: Apple should buy them for 3 billion dollars.</p></section>
<footer>© {site} · Contact · Advertise</footer></body></html>""".encode()
