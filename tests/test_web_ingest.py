"""Pages, pasted text and .html files stored as articles: metadata, dedup, failures."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from webserver import PAGES, Route, WebServer, article_html, serving

from bot.cli import main
from bot.web import WebClient, open_web_client
from bot.web_ingest import ingest_html, ingest_text, ingest_url
from storage.db import Database, load_migrations
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


async def _hashes(db: Database) -> list[tuple[str, str | None]]:
    rows = await db.fetchall("SELECT sha256, text_sha256 FROM articles ORDER BY id")
    return [(row["sha256"], row["text_sha256"]) for row in rows]


async def test_a_pages_sha256_is_that_of_the_bytes_fetched(
    db: Database, site: WebServer, client: WebClient
) -> None:
    body = (PAGES / "en_article.html").read_bytes()
    site.routes["/a"] = Route(body)
    assert (await ingest_url(db, client, site.url("/a"))).status == "new"
    again = await ingest_url(db, client, site.url("/a?utm_source=x"))
    assert again.status == "known"
    [(sha256, by_text)] = await _hashes(db)
    assert sha256 == hashlib.sha256(body).hexdigest()
    assert by_text is not None and by_text != sha256
    assert len(site.hits("/a")) == 1


async def test_the_same_text_in_other_html_at_another_address_is_stored_once(
    db: Database, site: WebServer, client: WebClient
) -> None:
    text = ["Microsoft signed a 9.7 billion dollar contract with IREN for cloud capacity."]
    first = article_html("IREN deal", text)
    other = first.replace(b"win a trip worth $5,000 today!", b"a new phone for $999!").replace(
        b"Apple should buy them", b"Google should buy them"
    )
    assert other != first
    site.routes["/news/iren"] = Route(first)
    site.routes["/amp/iren"] = Route(other)
    stored = await ingest_url(db, client, site.url("/news/iren"))
    assert (stored.status, len(stored.facts)) == ("new", 1)
    assert (await ingest_url(db, client, site.url("/amp/iren"))).status == "known"
    assert len(site.hits("/amp/iren")) == 1  # fetched: only its text tells it apart
    assert [sha256 for sha256, _ in await _hashes(db)] == [hashlib.sha256(first).hexdigest()]
    html = await ingest_html(db, other, path="telegram:1/7/iren.html")
    assert (html.status, html.article_id) == ("known", stored.article_id)
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
    again_html = await ingest_html(
        db, (PAGES / "en_article.html").read_bytes(), path="telegram:1/6/b.html"
    )
    assert again_html.status == "known"
    uploaded = text + " Theo BI"
    raw = b"\xef\xbb\xbf" + uploaded.encode()  # an uploaded .txt with a byte order mark
    document = await ingest_text(db, uploaded, path="telegram:1/8/a.txt", raw=raw)
    assert document.status == "new"
    assert (await _hashes(db))[-1][0] == hashlib.sha256(raw).hexdigest()
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
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["article"]["title"] == "Nvidia rót 2 tỷ USD vào xAI"
    raw = (folder / "vi.html").read_bytes()
    assert record["article"]["sha256"] == hashlib.sha256(raw).hexdigest()
    assert set(record["article"]) == {"path", "sha256", "published", "language", "title", "source"}
    # the same page saved again with other bytes around the article is known by its text
    (folder / "vi_copy.html").write_bytes(raw.replace(b"</body>", b"<!-- saved --></body>"))
    assert main(["ingest", "--db", db, str(folder / "vi_copy.html")]) == 0
    assert capsys.readouterr().out.startswith("Articles: 1 read (0 new, 1 already known)")


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


async def test_the_migration_keeps_older_pages_known_by_their_text(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "old.db")
    try:
        [new] = [m for m in load_migrations() if m.name.endswith("_article_text_sha256")]
        await db.migrate([m for m in load_migrations() if m.name < new.name])
        insert = """INSERT INTO articles (sha256, path, language, added_at)
                    VALUES (:sha256, :path, 'en', '2025-01-01T00:00:00Z')"""
        async with db.transaction():
            for sha256, path in [("a" * 64, "https://x.example/a"), ("b" * 64, "seeds/b.txt")]:
                await db.execute(insert, {"sha256": sha256, "path": path})
        await db.migrate()
        assert await _hashes(db) == [("a" * 64, "a" * 64), ("b" * 64, None)]
    finally:
        await db.close()
