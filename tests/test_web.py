"""bot.web: canonical URLs, the address rule, guarded fetching, and HTML to article text."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from webserver import PAGES, Route, WebServer, article_html, serving

from bot import web
from bot.errors import EmptyInputError, EncodingError, FetchError, FileTooLargeError
from bot.web import (
    WebClient,
    canonical_url,
    decode_html,
    fetch_page,
    message_url,
    open_web_client,
    parse_html,
)


@pytest.fixture
def site() -> Iterator[WebServer]:
    with serving() as server:
        yield server


@pytest.fixture
async def client() -> AsyncIterator[WebClient]:
    async with open_web_client(
        allow_private=True, max_bytes=200_000, deadline=2.0, max_redirects=3
    ) as opened:
        yield opened


# --- canonical URLs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("HTTPS://News.Example.COM/a/b?id=7#comments", "https://news.example.com/a/b?id=7"),
        ("https://news.example.com:443/a", "https://news.example.com/a"),
        ("http://news.example.com:80", "http://news.example.com/"),
        ("http://news.example.com:8080/x", "http://news.example.com:8080/x"),
        (
            "https://news.example.com/a?utm_source=fb&utm_medium=social&id=3&fbclid=Ab1&gclid=x",
            "https://news.example.com/a?id=3",
        ),
        ("  https://news.example.com/a?UTM_Campaign=z  ", "https://news.example.com/a"),
        ("https://báo.example/tin", "https://xn--bo-mia.example/tin"),
    ],
)
def test_canonical_url_spells_one_page_one_way(given: str, canonical: str) -> None:
    assert canonical_url(given) == canonical


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("ftp://files.example.com/a.html", "only http and https URLs are read, not 'ftp'"),
        ("file:///etc/passwd", "only http and https URLs are read, not 'file'"),
        ("javascript:alert(1)", "only http and https URLs are read, not 'javascript'"),
        ("https:///nohost", "no host in the URL"),
        ("http://example.com:99999/", "not a valid URL (Port out of range 0-65535)"),
    ],
)
def test_canonical_url_refuses_other_schemes(given: str, reason: str) -> None:
    with pytest.raises(FetchError) as caught:
        canonical_url(given)
    assert caught.value.reason == reason


# --- the address rule --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("10.1.2.3", "a private or reserved address"),
        ("172.16.0.9", "a private or reserved address"),
        ("192.168.1.1", "a private or reserved address"),
        ("169.254.169.254", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("fd00::1", "a private or reserved address"),
        ("0.0.0.0", "a private or reserved address"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_private_addresses_are_blocked(address: str, blocked: str | None) -> None:
    assert web._blocked(address) == blocked


@pytest.mark.parametrize("url", ["http://localhost/", "http://127.0.0.1:9/", "http://[::1]/"])
async def test_check_host_refuses_loopback_unless_allowed(url: str) -> None:
    with pytest.raises(FetchError, match=r"refused: .* is a loopback address"):
        await web.check_host(url, allow_private=False)
    await web.check_host(url, allow_private=True)


async def test_loopback_is_never_requested_when_not_allowed(site: WebServer) -> None:
    url = site.page("/a.html", "en_article.html")
    async with open_web_client(allow_private=False) as guarded:
        with pytest.raises(FetchError) as caught:
            await fetch_page(guarded, url)
    assert str(caught.value) == f"{url}: refused: 127.0.0.1 is a loopback address (127.0.0.1)"
    assert site.requests == []


async def test_every_redirect_hop_is_checked(
    site: WebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A public page may not redirect into the private network: the new host is checked too."""
    inner = site.url("/secret").replace("127.0.0.1", "localhost")
    site.routes["/go"] = Route(status=302, headers={"Location": inner})
    site.routes["/secret"] = Route(b"<html><body>internal</body></html>")
    resolved: list[str] = []

    async def public_127(host: str, port: int, *, allow_private: bool) -> list[str]:
        """Pretend 127.0.0.1 is a public address; localhost stays loopback."""
        resolved.append(host)
        if host == "localhost":
            raise FetchError(host, "refused: localhost is a loopback address (127.0.0.1)")
        return ["127.0.0.1"]

    monkeypatch.setattr(web, "resolve_host", public_127)
    async with open_web_client(allow_private=False) as guarded:
        with pytest.raises(FetchError) as caught:
            await guarded.get(site.url("/go"))
    assert str(caught.value) == (
        f"{site.url('/go')}: redirected to {inner}: "
        "refused: localhost is a loopback address (127.0.0.1)"
    )
    assert resolved == ["127.0.0.1", "127.0.0.1", "localhost"]  # checked, connected, checked
    assert [r.path for r in site.requests] == ["/go"]


async def test_an_address_that_changes_after_the_check_is_not_connected_to(
    site: WebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the host passes the check, then resolves to a private address."""
    site.page("/a", "en_article.html")
    answers = iter([["127.0.0.1"]])

    async def rebinding(host: str, port: int, *, allow_private: bool) -> list[str]:
        for first in answers:
            return first
        raise FetchError(host, f"refused: {host} is a loopback address (127.0.0.1)")

    monkeypatch.setattr(web, "resolve_host", rebinding)
    async with open_web_client(allow_private=False) as guarded:
        with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 is a loopback address"):
            await guarded.get(site.url("/a"))
    assert site.requests == []


# --- fetching ----------------------------------------------------------------------------


async def test_fetch_page_extracts_text_title_date_and_outlet(
    site: WebServer, client: WebClient
) -> None:
    page = await fetch_page(client, site.page("/news/mistral", "en_article.html"))
    assert page.title == "Mistral AI lands a record round led by ASML"
    assert page.published == "2025-09-09"
    assert page.outlet == "Chip & Model Weekly"
    assert page.text.startswith("Mistral AI has raised 1.7 billion euros in a funding round")
    assert "computing capacity in France" in page.text
    for boilerplate in (
        "Subscribe",
        "ADVERTISEMENT",
        "Comments",
        "Great news",
        "Privacy",
        "Related",
    ):
        assert boilerplate not in page.text


async def test_fetch_page_reads_vietnamese_with_meta_charset(
    site: WebServer, client: WebClient
) -> None:
    url = site.page("/tin/nvidia-xai", "vi_article.html", headers={"Content-Type": "text/html"})
    page = await fetch_page(client, url)
    assert page.title == "Nvidia rót 2 tỷ USD vào xAI"
    assert page.published == "2025-10-08"
    assert page.outlet == "Tin Công Nghệ Số"
    assert "Nvidia đã đồng ý đầu tư 2 tỷ USD vào xAI" in page.text
    for boilerplate in ("Quảng cáo", "Đọc nhiều nhất", "Google sẽ đầu tư", "Giấy phép"):
        assert boilerplate not in page.text


async def test_redirects_are_followed_up_to_the_limit(site: WebServer, client: WebClient) -> None:
    site.page("/final", "en_article.html")
    site.routes["/r1"] = Route(status=301, headers={"Location": "/r2"})
    site.routes["/r2"] = Route(status=308, headers={"Location": site.url("/final")})
    fetched = await client.get(site.url("/r1"))
    assert fetched.status == 200 and fetched.url == site.url("/final")


def _loop(seen: object) -> Route:
    return Route(status=302, headers={"Location": "/loop"})


FAILURES: list[tuple[str, Route, str]] = [
    ("/missing", Route(b"gone", status=404), "HTTP 404 Not Found"),
    ("/broken", Route(b"oops", status=500), "HTTP 500 Internal Server Error"),
    ("/busy", Route(b"later", status=503), "HTTP 503 Service Unavailable"),
    (
        "/report.pdf",
        Route(b"%PDF-1.4 ...", headers={"Content-Type": "application/pdf"}),
        "not an HTML page (content type application/pdf)",
    ),
    (
        "/data.json",
        Route(b'{"a": 1}', headers={"Content-Type": "application/json; charset=utf-8"}),
        "not an HTML page (content type application/json)",
    ),
    ("/empty", Route(b"   "), "the page is empty"),
    ("/menu", Route((PAGES / "no_article.html").read_bytes()), "no article text found on the page"),
    ("/slow", Route(b"<html></html>", delay=5), "timed out after 2 s"),
    ("/drip", Route(article_html("Slow", ["word " * 50]), drip=0.05), "timed out after 2 s"),
    ("/huge", Route(b"<p>" + b"x" * 300_000 + b"</p>"), "300,007 bytes, over the 200,000 limit"),
    (
        "/huge-chunked",
        Route(b"<p>" + b"x" * 300_000 + b"</p>", length=False),
        "over the 200,000 byte limit",
    ),
    (
        "/latin1",
        Route(
            "<html><body><p>Café à Hà Nội</p></body></html>".encode("latin-1", "replace"),
            headers={"Content-Type": "text/html; charset=utf-8"},
        ),
        "declared utf-8 (header), but not valid utf-8 (byte 0xe9 at offset 18)",
    ),
]


@pytest.mark.parametrize(("path", "route", "reason"), FAILURES, ids=[f[0] for f in FAILURES])
async def test_each_failure_has_a_one_line_reason(
    site: WebServer, client: WebClient, path: str, route: Route, reason: str
) -> None:
    site.routes[path] = route
    with pytest.raises((FetchError, EmptyInputError, FileTooLargeError, EncodingError)) as caught:
        await fetch_page(client, site.url(path))
    assert str(caught.value) == f"{site.url(path)}: {reason}"
    assert "\n" not in str(caught.value)


async def test_endless_redirects_stop_at_the_limit(site: WebServer, client: WebClient) -> None:
    site.routes["/loop"] = _loop
    with pytest.raises(FetchError, match="more than 3 redirects"):
        await client.get(site.url("/loop"))
    assert len(site.hits("/loop")) == 4


async def test_nothing_listens_is_a_clear_failure(client: WebClient) -> None:
    with serving() as gone:
        url = gone.url("/x")
    with pytest.raises(FetchError, match=r"request failed .*ConnectError"):
        await client.get(url)


# --- decoding ------------------------------------------------------------------------------


def test_charset_from_the_header_wins() -> None:
    raw = "<p>Cà phê và đô la</p>".encode("cp1258")
    assert decode_html(raw, source="x", charset="windows-1258") == "<p>Cà phê và đô la</p>"


def test_charset_from_a_meta_tag() -> None:
    raw = '<meta charset="iso-8859-1"><p>Café</p>'.encode("latin-1")
    assert decode_html(raw, source="x").endswith("<p>Café</p>")


def test_unknown_charset_falls_back_to_utf8() -> None:
    raw = "<p>Hà Nội</p>".encode()
    assert decode_html(raw, source="x", charset="klingon-8") == "<p>Hà Nội</p>"


def test_no_charset_and_not_utf8_is_refused() -> None:
    with pytest.raises(EncodingError) as caught:
        decode_html("<p>Café</p>".encode("latin-1"), source="http://x/")
    assert caught.value.reason == (
        "no charset declared, and not valid utf-8 (byte 0xe9 at offset 6)"
    )


def test_parse_html_with_no_date_leaves_it_unknown() -> None:
    page = parse_html(article_html("Undated", ["A sentence of ten words " * 3], date=None), url="x")
    assert page.published is None
    assert page.outlet == "Local News"


def test_a_byte_order_mark_wins_and_is_dropped() -> None:
    raw = b"\xef\xbb\xbf" + '<meta charset="latin-1"><p>Hà Nội</p>'.encode()
    assert decode_html(raw, source="x", charset="iso-8859-1").endswith("<p>Hà Nội</p>")


@pytest.mark.parametrize(
    ("message", "url"),
    [
        ("https://news.example.com/a", "https://news.example.com/a"),
        ("  look at this: <https://news.example.com/a?x=1>  ", "https://news.example.com/a?x=1"),
        ("HTTP://News.example.com/b (via a friend)", "HTTP://News.example.com/b"),
        ("two https://a.example/x and https://b.example/y", None),
        ("ftp://files.example.com/a", "ftp://files.example.com/a"),
        ("Amazon will invest 10 billion dollars in OpenAI, https://a.example/x reports.", None),
    ],
)
def test_message_url_finds_the_link_a_short_message_is_about(message: str, url: str | None) -> None:
    assert message_url(message) == url
