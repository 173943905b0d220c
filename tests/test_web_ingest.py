"""Pages, pasted text and .html files stored as articles: metadata, dedup, failures."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from webserver import PAGES, Route, WebServer, article_html, serving

from bot.cli import main
from bot.web import WebClient, open_web_client
from bot.web_ingest import ingest_html, ingest_text, ingest_url
from storage.db import Database
from storage.queries import get_stats


@pytest.fixture
def site() -> Iterator[WebServer]:
    with serving() as server:
        yield server


@pytest.fixture
async def client() -> AsyncIterator[WebClient]:
    async with open_web_client(allow_private=True, deadline=2.0) as opened:
        yield opened


async def _articles(db: Database) -> list[dict[str, object]]:
    rows = await db.fetchall(
        "SELECT path, published, language, title, source FROM articles ORDER BY id"
    )
    return [dict(row) for row in rows]


async def test_a_page_is_stored_under_its_canonical_url_with_its_metadata(
    db: Database, site: WebServer, client: WebClient
) -> None:
    site.page("/news/mistral", "en_article.html")
    result = await ingest_url(db, client, site.url("/news/mistral?utm_source=tg#top"))
    assert result.status == "new"
    assert [(f.kind, f.subject, f.counterparty, f.amount.value) for f in result.facts] == [
        ("investment", "Mistral AI", "ASML", 1.7e9),
        ("investment", "Mistral AI", None, 1.3e9),
    ]
    assert await _articles(db) == [
        {
            "path": site.url("/news/mistral"),
            "published": "2025-09-09",
            "language": "en",
            "title": "Mistral AI lands a record round led by ASML",
            "source": "Chip & Model Weekly",
        }
    ]


async def test_vietnamese_page_facts_use_the_pages_date(
    db: Database, site: WebServer, client: WebClient
) -> None:
    site.page("/tin", "vi_article.html")
    result = await ingest_url(db, client, site.url("/tin"))
    assert result.status == "new"
    assert {(f.kind, f.subject, f.amount.value, f.amount.currency) for f in result.facts} == {
        ("investment", "xAI", 2e9, "USD"),
        ("valuation", "xAI", 2.3e11, "USD"),
    }
    [article] = await _articles(db)
    assert article["language"] == "vi" and article["published"] == "2025-10-08"


async def test_reingesting_the_same_url_adds_nothing_and_fetches_nothing(
    db: Database, site: WebServer, client: WebClient
) -> None:
    site.page("/a", "en_article.html")
    first = await ingest_url(db, client, site.url("/a"))
    again = await ingest_url(db, client, site.url("/a?fbclid=xyz&utm_medium=social#c"))
    upper = await ingest_url(db, client, site.url("/a").replace("http://", "HTTP://"))
    assert (first.status, again.status, upper.status) == ("new", "known", "known")
    assert again.article_id == first.article_id
    assert len(site.hits("/a")) == 1
    assert (await get_stats(db)).articles == 1


async def test_the_same_text_at_another_address_adds_nothing(
    db: Database, site: WebServer, client: WebClient
) -> None:
    site.page("/a", "en_article.html")
    site.page("/amp/a", "en_article.html")
    assert (await ingest_url(db, client, site.url("/a"))).status == "new"
    assert (await ingest_url(db, client, site.url("/amp/a"))).status == "known"
    assert (await get_stats(db)).articles == 1


async def test_a_failed_page_leaves_the_database_unchanged(
    db: Database, site: WebServer, client: WebClient
) -> None:
    site.routes["/menu"] = Route((PAGES / "no_article.html").read_bytes())
    site.routes["/gone"] = Route(b"", status=410)
    for path, reason in [
        ("/menu", "no article text found on the page"),
        ("/gone", "HTTP 410 Gone"),
    ]:
        result = await ingest_url(db, client, site.url(path))
        assert (result.status, result.reason) == ("failed", reason)
    result = await ingest_url(db, client, "gopher://old.example/1")
    assert result.reason == "only http and https URLs are read, not 'gopher'"
    assert (await get_stats(db)).articles == 0


async def test_a_page_without_a_date_takes_the_fallback(
    db: Database, site: WebServer, client: WebClient
) -> None:
    text = [
        "Microsoft signed a 9.7 billion dollar contract with IREN for cloud capacity last month."
    ]
    site.routes["/undated"] = Route(article_html("IREN deal", text, date=None))
    result = await ingest_url(db, client, site.url("/undated"), published="2025-11-20")
    assert result.status == "new"
    [article] = await _articles(db)
    assert article["published"] == "2025-11-20"
    assert [f.date for f in result.facts] == ["2025-10"]


async def test_pasted_text_and_documents(db: Database) -> None:
    text = "Nvidia đã đồng ý đầu tư 2 tỷ USD vào xAI trong vòng gọi vốn mới."
    first = await ingest_text(db, text, path="telegram:1/2")
    again = await ingest_text(db, text, path="telegram:1/3")
    assert (first.status, again.status) == ("new", "known")
    page = await ingest_html(
        db, (PAGES / "en_article.html").read_bytes(), path="telegram:1/4/a.html"
    )
    assert page.status == "new" and page.title == "Mistral AI lands a record round led by ASML"
    empty = await ingest_text(db, "   ", path="telegram:1/5")
    assert (empty.status, empty.reason) == ("failed", "no text")


# --- the command line ------------------------------------------------------------------------


def test_cli_ingests_urls_and_html_files(
    tmp_path: Path,
    site: WebServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEALFLOW_ALLOW_PRIVATE_URLS", "1")
    db = str(tmp_path / "d.db")
    site.page("/en", "en_article.html")
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(PAGES / "vi_article.html", folder / "vi.html")
    code = main(["ingest", "--db", db, site.url("/en?utm_source=x"), str(folder), site.url("/404")])
    out, err = capsys.readouterr()
    assert code == 1
    assert err == f"error: {site.url('/404')}: HTTP 404 Not Found\n"
    assert out.splitlines() == [
        "Articles: 2 read (2 new, 0 already known), 1 failed",
        "Facts: 4 new, 0 merged, 0 updated",
    ]
    assert main(["ingest", "--db", db, site.url("/en"), str(folder / "vi.html")]) == 0
    assert capsys.readouterr().out.startswith("Articles: 2 read (0 new, 2 already known)")
    assert main(["extract", "--json", str(folder / "vi.html")]) == 0
    assert '"title": "Nvidia rót 2 tỷ USD vào xAI"' in capsys.readouterr().out


def test_cli_refuses_loopback_unless_allowed(
    tmp_path: Path, site: WebServer, capsys: pytest.CaptureFixture[str]
) -> None:
    site.page("/en", "en_article.html")
    assert main(["ingest", "--db", str(tmp_path / "d.db"), site.url("/en"), "ftp://x/y"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: {site.url('/en')}: refused: 127.0.0.1 is a loopback address (127.0.0.1)",
        "error: ftp://x/y: only http and https URLs are read, not 'ftp'",
    ]
    assert site.requests == []


async def test_a_few_words_are_no_article(db: Database) -> None:
    one = await ingest_text(db, "hello", path="telegram:1/9")
    assert one.reason == "too short to be an article (1 word)"
    few = await ingest_text(db, "OpenAI raised money again today", path="telegram:1/10")
    assert few.reason == "too short to be an article (5 words)"
    assert (await get_stats(db)).articles == 0
