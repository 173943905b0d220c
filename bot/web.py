"""Web pages as articles: canonical URLs, guarded fetching, and HTML to article text.

Three steps, each usable alone:

- :func:`canonical_url` gives one spelling per page (scheme and host in lower
  case, no default port, no fragment, no tracking parameters), the key that
  makes re-ingesting a URL add nothing.
- :class:`WebClient` fetches with httpx: only http and https, every hop of a
  redirect checked (and counted), every address the host resolves to checked
  against loopback, private and link-local ranges unless
  ``allow_private`` is set, a total deadline besides httpx's timeouts, and
  the body streamed and cut off at the size limit.
- :func:`parse_html` decodes a page (charset from the header, else a
  ``<meta>`` tag, else UTF-8) and :func:`extract_page` keeps the article's
  text, title, date and outlet with trafilatura, dropping navigation, ads
  and comments.

Every failure is an :class:`~bot.errors.InputError` naming the URL and the
reason in one line.
"""

from __future__ import annotations

import asyncio
import codecs
import hashlib
import ipaddress
import logging
import re
import socket
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpcore
import httpx
import trafilatura

from bot.errors import (
    EmptyInputError,
    EncodingError,
    ExtractionError,
    FetchError,
    FileTooLargeError,
)
from bot.extract import extract_facts
from bot.extract.text import detect_language
from bot.files import read_limited
from bot.models import ArticleMeta, ExtractedArticle

logger = logging.getLogger(__name__)

USER_AGENT = "dealflow/0.1 (AI-industry news reader)"
DEFAULT_MAX_PAGE_BYTES = 10_000_000
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_REDIRECTS = 5
#: Query parameters that only say where a reader came from; dropped from canonical URLs.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid"}
    | {"mc_eid", "_ga", "_gl", "ref_src", "spm", "zarsrc", "zalo_source"}
)
TRACKING_PREFIXES = ("utm_",)
#: Fewer words than this is a menu or a teaser, not an article.
MIN_ARTICLE_WORDS = 8
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


# --- URLs ----------------------------------------------------------------------------------


def message_url(text: str) -> str | None:
    """The link a short chat message is about: its one URL (of any scheme, so that an
    ``ftp://`` link is refused by name), when the rest is a few words at most
    ("look at this: https://..."); None for an article's text."""
    words = [word.strip("<>()[]\"'") for word in text.split()]
    urls = [word for word in words if has_scheme(word)]
    if len(urls) == 1 and len(words) < MIN_ARTICLE_WORDS:
        return urls[0]
    return None


def has_scheme(text: str) -> bool:
    """Whether ``text`` starts like a URL (``scheme://``), whatever the scheme."""
    return bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text.strip()))


def canonical_url(url: str) -> str:
    """One spelling per page: lower-case scheme and host, no default port, fragment
    or tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ...), ``/`` for an empty path.

    Raises :class:`FetchError` for anything but an absolute http or https URL.
    """
    raw = url.strip()
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise FetchError(raw, f"not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise FetchError(raw, f"only http and https URLs are read, not {scheme or 'this'!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchError(raw, "no host in the URL")
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise FetchError(raw, "the host name is not valid") from None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query, doseq=True), ""))


def _blocked(address: str) -> str | None:
    """Why an IP address may not be fetched from, or None if it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private or ip.is_reserved or ip.is_unspecified or ip.is_multicast:
        return "a private or reserved address"
    return None


async def resolve_host(host: str, port: int, *, allow_private: bool) -> list[str]:
    """The addresses ``host`` resolves to, all of them checked by the address rule.

    Raises :class:`FetchError` (about the host) when it does not resolve, or
    when any address is loopback, private or link-local and that is not allowed.
    """
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(host, f"cannot resolve {host} ({exc.strerror or exc})") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses if not allow_private else []:
        reason = _blocked(address)
        if reason is not None:
            raise FetchError(host, f"refused: {host} is {reason} ({address})")
    return addresses


async def check_host(url: str, *, allow_private: bool) -> None:
    """Refuse a URL whose host resolves to any loopback, private or link-local address."""
    if allow_private:
        return
    parts = urlsplit(url)
    port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 80)
    try:
        await resolve_host(parts.hostname or "", port, allow_private=False)
    except FetchError as exc:
        raise FetchError(url, exc.reason) from None


class _CheckedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses it has resolved and checked itself.

    Checking a host before the request is not enough: its DNS answer may
    change by the time httpx connects (DNS rebinding). Here the address that
    passed the check is the one connected to; TLS still verifies the host name.
    """

    def __init__(self, *, allow_private: bool) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allow_private = allow_private

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await resolve_host(host, port, allow_private=self._allow_private)
        error: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched from")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _checked_transport(*, allow_private: bool) -> httpx.AsyncHTTPTransport:
    """httpx's transport, connecting through :class:`_CheckedBackend`.

    httpx does not take a network backend, so its connection pool is
    replaced by one with the same defaults and ours.
    """
    transport = httpx.AsyncHTTPTransport()
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        network_backend=_CheckedBackend(allow_private=allow_private),
    )
    return transport


# --- fetching ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    """One HTTP answer read in full: where it ended up, and what it said."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        match = re.search(r"charset\s*=\s*[\"']?([^\"';\s]+)", self.headers.get("content-type", ""))
        return match.group(1) if match else None


class WebClient:
    """Fetches pages and feeds under the limits given; open it with :func:`open_web_client`."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        allow_private: bool = False,
        max_bytes: int = DEFAULT_MAX_PAGE_BYTES,
        deadline: float = DEFAULT_TIMEOUT,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
    ) -> None:
        self._client = client
        self.allow_private = allow_private
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.max_redirects = max_redirects

    async def get(self, url: str, *, headers: Mapping[str, str] | None = None) -> Fetched:
        """GET ``url``, following redirects by hand so that every hop is checked.

        Returns 2xx and 304 answers; raises :class:`FetchError` for the rest,
        and when the whole exchange takes longer than ``deadline`` seconds.
        """
        try:
            async with asyncio.timeout(self.deadline):
                return await self._get(url, headers or {})
        except TimeoutError:
            raise FetchError(url, f"timed out after {self.deadline:g} s", transient=True) from None

    async def _get(self, url: str, headers: Mapping[str, str]) -> Fetched:
        current = url
        for _hop in range(self.max_redirects + 1):
            try:
                canonical_url(current)  # http(s) only, at every hop
                await check_host(current, allow_private=self.allow_private)
                fetched = await self._get_once(current, headers)
            except FetchError as exc:
                if current == url:
                    raise
                reason = f"redirected to {current}: {exc.reason}"
                raise FetchError(url, reason, transient=exc.transient) from None
            location = fetched.headers.get("location")
            if fetched.status not in _REDIRECTS or not location:
                if fetched.status >= 400:
                    transient = fetched.status >= 500 or fetched.status == 429
                    reason = f"HTTP {fetched.status} {_reason(fetched.status)}"
                    raise FetchError(url, reason, transient=transient)
                return fetched
            current = urljoin(current, location.strip())
        raise FetchError(url, f"more than {self.max_redirects} redirects")

    async def _get_once(self, url: str, headers: Mapping[str, str]) -> Fetched:
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise FileTooLargeError(
                        url, f"{int(declared):,} bytes, over the {self.max_bytes:,} limit"
                    )
                body = bytearray()
                if response.status_code not in _REDIRECTS and response.status_code < 400:
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > self.max_bytes:
                            raise FileTooLargeError(url, f"over the {self.max_bytes:,} byte limit")
                return Fetched(
                    str(response.url), response.status_code, response.headers, bytes(body)
                )
        except FetchError as exc:  # the address rule, checked again on connecting
            raise FetchError(url, exc.reason) from None
        except httpx.TimeoutException:
            raise FetchError(url, "timed out", transient=True) from None
        except httpx.HTTPError as exc:
            reason = f"request failed ({type(exc).__name__}: {exc})"
            raise FetchError(url, reason, transient=True) from None


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "error"


@asynccontextmanager
async def open_web_client(
    *,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_PAGE_BYTES,
    deadline: float = DEFAULT_TIMEOUT,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
) -> AsyncIterator[WebClient]:
    """A :class:`WebClient` over one httpx connection pool, closed on exit.

    The environment's proxy settings are ignored (``trust_env=False``): a
    proxy would make the address check meaningless.
    """
    per_step = min(deadline, 10.0)
    async with httpx.AsyncClient(
        transport=_checked_transport(allow_private=allow_private),
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(per_step),
        headers={"user-agent": USER_AGENT, "accept-encoding": "gzip, deflate"},
    ) as client:
        yield WebClient(
            client,
            allow_private=allow_private,
            max_bytes=max_bytes,
            deadline=deadline,
            max_redirects=max_redirects,
        )


# --- HTML ----------------------------------------------------------------------------------


def sniff_charset(raw: bytes) -> str | None:
    """The charset a ``<meta charset>`` or ``http-equiv`` tag declares near the top."""
    match = _META_CHARSET.search(raw[:4096])
    return match.group(1).decode("ascii") if match else None


def decode_html(raw: bytes, *, source: str, charset: str | None = None) -> str:
    """Decode a page: a BOM wins, then the header's charset, then a ``<meta>`` one, else UTF-8.

    An unknown charset name is passed over; bytes that are not valid in the
    chosen one raise :class:`EncodingError`.
    """
    chosen = "utf-8"
    how = "no charset declared, and not"
    declarations = [(charset, "header"), (sniff_charset(raw), "meta tag")]
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
        declarations = [("utf-8", "byte order mark")]
    for declared, where in declarations:
        if declared:
            try:
                chosen = codecs.lookup(declared).name
            except LookupError:
                logger.info("%s: unknown charset %r in the %s", source, declared, where)
                continue
            how = f"declared {declared} ({where}), but not"
            break
    try:
        return raw.decode(chosen)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            source, f"{how} valid {chosen} (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


@dataclass(frozen=True)
class Page:
    """What a page holds as an article: its text and the metadata around it."""

    url: str
    text: str
    title: str | None
    published: str | None
    outlet: str | None


def extract_page(html: str, *, url: str) -> Page:
    """Keep the article of a page: body text, title, publication date (ISO) and outlet.

    Navigation, ads, comments and tables are dropped (trafilatura, favouring
    precision: a doubtful block is left out). Only a date the page states in
    its metadata or markup counts, never one guessed from a copyright line. Raises
    :class:`EmptyInputError` when no article text is found.
    """
    document = trafilatura.bare_extraction(
        html,
        url=url if url.startswith(("http://", "https://")) else None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
        favor_precision=True,
        fast=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or len(text.split()) < MIN_ARTICLE_WORDS:
        raise EmptyInputError(url, "no article text found on the page")
    assert document is not None and not isinstance(document, dict)
    date = document.date if document.date and re.match(r"\d{4}-\d\d-\d\d", document.date) else None
    outlet = document.sitename or (document.hostname or None)
    title = (document.title or "").strip() or None
    return Page(
        url=url,
        text=_without_heading(text.strip(), title),
        title=title,
        published=date[:10] if date else None,
        outlet=outlet.strip() if outlet else None,
    )


def _without_heading(text: str, title: str | None) -> str:
    """The text without a first line repeating the title (a heading is not a sentence)."""
    first, _, rest = text.partition("\n")
    if title and rest.strip() and first.strip().casefold() == title.casefold():
        return rest.strip()
    return text


def parse_html(raw: bytes, *, url: str, charset: str | None = None) -> Page:
    """Decode and extract one HTML page (see :func:`decode_html`, :func:`extract_page`)."""
    return extract_page(decode_html(raw, source=url, charset=charset), url=url)


def check_html(fetched: Fetched, url: str) -> None:
    """Refuse an answer that is not an HTML page with something in it."""
    if fetched.status == 304:
        raise FetchError(url, "HTTP 304 Not Modified on a plain request")
    kind = fetched.content_type
    if kind and kind not in HTML_TYPES:
        raise FetchError(url, f"not an HTML page (content type {kind})")
    if not fetched.body.strip():
        raise EmptyInputError(url, "the page is empty")


async def fetch_page(web: WebClient, url: str) -> Page:
    """Fetch an HTML page and extract its article (in a worker thread: lxml takes a moment)."""
    fetched = await web.get(url)
    check_html(fetched, url)
    return await asyncio.to_thread(parse_html, fetched.body, url=url, charset=fetched.charset)


# --- pages as FACTS.md articles ------------------------------------------------------------


def text_sha256(text: str) -> str:
    """The SHA-256 of an article's text (UTF-8), the ``text_sha256`` it is also known by,
    so the same article with other ads around it, or at another address, is one article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_article(
    page: Page, *, path: str, raw: bytes, published: str | None = None
) -> ExtractedArticle:
    """The FACTS.md record of a page: its facts read with the page's own date.

    ``raw`` is the page as fetched or read (its ``sha256``, FACTS.md); the hash of
    its text is ``text_sha256``. ``published`` is a fallback date (a feed entry's)
    for a page that states none.
    """
    when = page.published or published
    language = detect_language(page.text)
    try:
        facts = extract_facts(page.text, published=when, language=language)
    except Exception as exc:
        logger.exception("extraction failed on %s", path)
        raise ExtractionError(path, f"extraction failed ({type(exc).__name__})") from exc
    meta = ArticleMeta(
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        text_sha256=text_sha256(page.text),
        published=when,
        language=language,
        title=page.title,
        source=page.outlet,
    )
    return ExtractedArticle(article=meta, facts=facts)


def load_html_file(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_PAGE_BYTES
) -> ExtractedArticle:
    """Read a saved ``.html`` page and extract its article and facts."""
    name = str(path)
    raw = read_limited(path, max_bytes)
    if not raw.strip():
        raise EmptyInputError(name, "empty file")
    return page_article(parse_html(raw, url=name), path=name, raw=raw)
