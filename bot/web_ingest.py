"""Articles from outside the file system: URLs, pasted text, uploaded documents.

Each is stored like a file (:mod:`bot.pipeline`): one transaction per
article, absurd amounts dropped, nothing stored when it fails. A web article
is known by its canonical URL (checked before fetching) and by the SHA-256
of its text (``text_sha256``; its ``sha256`` is that of the bytes fetched), so
neither the same address nor the same text is stored twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Literal

from bot.errors import DealflowError, InputError
from bot.extract import filed_names
from bot.models import ExtractedArticle, Fact, Failure, IngestReport
from bot.pipeline import extract_text, plausible_facts
from bot.settings import Settings
from bot.web import (
    MIN_ARTICLE_WORDS,
    WebClient,
    canonical_url,
    check_html,
    open_web_client,
    page_article,
    parse_html,
    text_sha256,
)
from storage.alerts import enqueue_alerts
from storage.db import Database
from storage.feeds import get_article_by_path, get_article_id_by_sha
from storage.queries import UpsertOutcome, insert_article, upsert_facts

logger = logging.getLogger(__name__)

Status = Literal["new", "known", "failed"]


@dataclass
class ArticleResult:
    """What ingesting one web article, message or document did."""

    path: str
    status: Status
    article_id: int | None = None
    title: str | None = None
    facts: list[Fact] = field(default_factory=list)
    outcomes: Counter[UpsertOutcome] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None
    transient: bool = False


@dataclass
class Timings:
    """Seconds spent in each step, added up over many articles (for the benchmark)."""

    fetch: float = 0.0
    html: float = 0.0
    facts: float = 0.0
    store: float = 0.0


def web_client(settings: Settings) -> AbstractAsyncContextManager[WebClient]:
    """A :class:`WebClient` with the limits of the settings (``DEALFLOW_FETCH_TIMEOUT`` ...)."""
    return open_web_client(
        allow_private=settings.allow_private_urls,
        max_bytes=settings.max_page_bytes,
        deadline=settings.fetch_timeout,
        max_redirects=settings.max_redirects,
    )


def failed(path: str, error: DealflowError) -> ArticleResult:
    """The result of an input that could not be ingested, with its one-line reason."""
    reason = error.reason if isinstance(error, InputError) else str(error)
    logger.info("not ingested: %s: %s", path, reason)
    return ArticleResult(
        path=path, status="failed", reason=reason, transient=getattr(error, "transient", False)
    )


async def store_extracted(db: Database, article: ExtractedArticle) -> ArticleResult:
    """Store one article and its plausible facts in one transaction (nothing if already known)."""
    meta = article.article
    article, warnings = plausible_facts(filed_names(article))
    async with db.transaction():
        known = await get_article_id_by_sha(db, meta.sha256, text_sha256=meta.text_sha256)
        if known is None and meta.path.startswith(("http://", "https://")):
            by_path = await get_article_by_path(db, meta.path)
            known = by_path.id if by_path else None
        if known is not None:  # stored meanwhile by another task
            return ArticleResult(path=meta.path, status="known", article_id=known, title=meta.title)
        article_id = await insert_article(db, meta)
        written = await upsert_facts(db, article.facts, article_id)
        stored = list(zip(article.facts, written, strict=True))
        outcomes = Counter(outcome for _, outcome in stored)
        await enqueue_alerts(db, article_id, stored)
    return ArticleResult(
        path=meta.path,
        status="new",
        article_id=article_id,
        title=meta.title,
        facts=list(article.facts),
        outcomes=outcomes,
        warnings=warnings,
    )


async def ingest_url(
    db: Database,
    web: WebClient,
    url: str,
    *,
    published: str | None = None,
    timings: Timings | None = None,
) -> ArticleResult:
    """Fetch a page, extract its article and store it under its canonical URL.

    A URL already stored is not fetched again. ``published`` is a fallback
    date for a page that states none (a feed entry's date).
    """
    try:
        path = canonical_url(url)
    except DealflowError as exc:
        return failed(url.strip(), exc)
    stored = await get_article_by_path(db, path)
    if stored is not None:
        return ArticleResult(path=path, status="known", article_id=stored.id, title=stored.title)
    clock = time.perf_counter()
    try:
        fetched = await web.get(path)
        lap = time.perf_counter()
        check_html(fetched, path)
        page = await asyncio.to_thread(parse_html, fetched.body, url=path, charset=fetched.charset)
        html_done = time.perf_counter()
        article = await asyncio.to_thread(
            page_article, page, path=path, raw=fetched.body, published=published
        )
        facts_done = time.perf_counter()
        meta = article.article
        if await get_article_id_by_sha(db, meta.sha256, text_sha256=meta.text_sha256) is not None:
            result = ArticleResult(path=path, status="known", title=page.title)
        else:
            result = await store_extracted(db, article)
        if timings is not None:
            timings.fetch += lap - clock
            timings.html += html_done - lap
            timings.facts += facts_done - html_done
            timings.store += time.perf_counter() - facts_done
        return result
    except DealflowError as exc:
        return failed(path, exc)


async def ingest_text(
    db: Database, text: str, *, path: str, raw: bytes | None = None
) -> ArticleResult:
    """Store an article given as text (a pasted message, an uploaded ``.txt``).

    ``raw`` is the document's bytes as uploaded (its ``sha256``); a message's
    bytes are its text in UTF-8.
    """
    try:
        words = len(text.split())
        if not words:
            raise InputError(path, "no text")
        if words < MIN_ARTICLE_WORDS:
            plural = "word" if words == 1 else "words"
            raise InputError(path, f"too short to be an article ({words} {plural})")
        by_text = text_sha256(text)
        sha256 = by_text if raw is None else hashlib.sha256(raw).hexdigest()
        known = await get_article_id_by_sha(db, sha256, text_sha256=by_text)
        if known is not None:
            return ArticleResult(path=path, status="known", article_id=known)
        article = await asyncio.to_thread(extract_text, text, path=path, sha256=sha256)
        meta = article.article.model_copy(update={"text_sha256": by_text})
        return await store_extracted(db, article.model_copy(update={"article": meta}))
    except DealflowError as exc:
        return failed(path, exc)


async def ingest_html(db: Database, raw: bytes, *, path: str) -> ArticleResult:
    """Store an article given as an HTML document (an uploaded ``.html``)."""
    try:
        page = await asyncio.to_thread(parse_html, raw, url=path)
        article = await asyncio.to_thread(page_article, page, path=path, raw=raw)
        meta = article.article
        known = await get_article_id_by_sha(db, meta.sha256, text_sha256=meta.text_sha256)
        if known is not None:
            return ArticleResult(path=path, status="known", article_id=known, title=page.title)
        return await store_extracted(db, article)
    except DealflowError as exc:
        return failed(path, exc)


def add_to_report(report: IngestReport, result: ArticleResult) -> None:
    """Count one result into an ingest report (as :func:`bot.pipeline.ingest_paths` counts)."""
    if result.status == "failed":
        report.failed.append(Failure(path=result.path, reason=result.reason or "failed"))
        return
    report.read += 1
    report.known += result.status == "known"
    report.new += result.status == "new"
    report.facts_new += result.outcomes["new"]
    report.facts_merged += result.outcomes["merged"]
    report.facts_updated += result.outcomes["updated"]
    report.warnings.extend(result.warnings)


def merge_reports(first: IngestReport, second: IngestReport) -> IngestReport:
    """Two ingest reports added up."""
    return IngestReport(
        read=first.read + second.read,
        new=first.new + second.new,
        known=first.known + second.known,
        skipped=first.skipped + second.skipped,
        failed=[*first.failed, *second.failed],
        warnings=[*first.warnings, *second.warnings],
        facts_new=first.facts_new + second.facts_new,
        facts_merged=first.facts_merged + second.facts_merged,
        facts_updated=first.facts_updated + second.facts_updated,
    )


async def ingest_urls(
    db: Database,
    web: WebClient,
    urls: Iterable[str],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[IngestReport, list[ArticleResult]]:
    """Ingest pages one after another; one that fails never stops the others."""
    urls = list(urls)
    report = IngestReport()
    results: list[ArticleResult] = []
    for done, url in enumerate(urls, start=1):
        result = await ingest_url(db, web, url)
        add_to_report(report, result)
        results.append(result)
        if progress is not None:
            progress(done, len(urls))
    return report, results
