"""From files to stored facts: read, hash, extract, store.

Each article is stored under its own savepoint, several to a transaction:
one that fails leaves no trace, and the others still go in.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
import sqlite3
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import (
    DealflowError,
    EmptyInputError,
    EncodingError,
    ExtractionError,
    InputError,
    StorageError,
)
from bot.extract import extract_article, filed_names
from bot.extract_pool import Extraction, ExtractPool, pool_workers
from bot.files import read_limited
from bot.models import Amount, ExtractedArticle, Fact, Failure, IngestReport
from bot.web import load_html_file
from storage.alerts import enqueue_alerts
from storage.db import BoundDatabase, Database, run_inline
from storage.feeds import get_article_id_by_sha
from storage.queries import UpsertOutcome, insert_article, list_known_sha256, upsert_facts

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5_000_000
#: Saved web pages: their article text, title, date and outlet come from the HTML.
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm"})
#: Suffixes read as articles when a folder is expanded.
ARTICLE_SUFFIXES: frozenset[str] = frozenset({".txt"}) | HTML_SUFFIXES
#: Currencies whose unit is small enough that 1e15 units is a plausible sum.
BIG_UNIT_CURRENCIES: frozenset[str] = frozenset(
    {"COP", "GNF", "IDR", "IRR", "KHR", "KRW", "LAK", "LBP", "MGA", "MMK", "PYG", "SLL", "TZS"}
    | {"UGX", "UZS", "VND"}
)

#: Called after each file with (files done, files in all).
Progress = Callable[[int, int], None]


def read_article_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Return the text of an article file and the SHA-256 of its raw bytes.

    The text must be UTF-8 (a BOM is dropped), not binary, not blank and at
    most ``max_bytes`` long; otherwise an :class:`InputError` says why.
    """
    name = str(path)
    raw = read_limited(path, max_bytes)
    if b"\0" in raw:
        raise EncodingError(name, "binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            name, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    if not text.strip():
        raise EmptyInputError(name, "empty file" if not text else "only whitespace")
    return text, hashlib.sha256(raw).hexdigest()


@dataclass
class CollectedPaths:
    """The article files found under some paths, and what was left out."""

    files: list[Path] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    skipped: int = 0


def is_article_file(path: Path) -> bool:
    """Whether a file's suffix is one the pipeline reads."""
    return path.suffix.lower() in ARTICLE_SUFFIXES


def collect_paths(paths: Iterable[str | Path]) -> CollectedPaths:
    """Expand folders (recursively, sorted) into article files.

    Files of other types inside a folder are skipped and counted; a file named
    explicitly with an unknown suffix is a failure. Missing paths are kept, so
    reading them reports the reason.
    """
    collected = CollectedPaths()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if is_article_file(child) and child.is_file():
                    collected.files.append(child)
                elif not child.is_dir():
                    collected.skipped += 1
        elif path.exists() and not is_article_file(path):
            expected = ", ".join(sorted(ARTICLE_SUFFIXES))
            reason = f"unsupported file type {path.suffix or '(none)'!r}, expected {expected}"
            collected.failures.append(Failure(path=str(given), reason=reason))
        else:
            collected.files.append(path)
    return collected


def extract_text(text: str, *, path: str, sha256: str) -> ExtractedArticle:
    """Run the extractor; a crash in it fails this article only, logged in full."""
    try:
        return extract_article(text, path=path, sha256=sha256)
    except Exception as exc:
        logger.exception("extraction failed on %s", path)
        raise ExtractionError(path, f"extraction failed ({type(exc).__name__})") from exc


def load_article(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ExtractedArticle:
    """Read one article file (text, or a saved HTML page) and extract its facts."""
    if Path(path).suffix.lower() in HTML_SUFFIXES:
        return load_html_file(path, max_bytes=max_bytes)
    text, sha256 = read_article_file(path, max_bytes=max_bytes)
    return extract_text(text, path=str(path), sha256=sha256)


def check_amount(amount: Amount) -> str | None:
    """Return why an amount is absurd, or None when it is plausible."""
    if not math.isfinite(amount.value) or amount.value <= 0:
        return f"amount {amount.value:g} {amount.currency} is not a positive number"
    limit = 1e18 if amount.currency.upper() in BIG_UNIT_CURRENCIES else 1e15
    if amount.value > limit:
        return f"amount {amount.value:g} {amount.currency} is over the {limit:g} limit"
    return None


def plausible_facts(article: ExtractedArticle) -> tuple[ExtractedArticle, list[str]]:
    """The article without facts of absurd amounts, and a warning for each one dropped
    (and one when the article states no fact at all)."""
    facts: list[Fact] = []
    warnings: list[str] = []
    for fact in article.facts:
        reason = check_amount(fact.amount)
        if reason is None:
            facts.append(fact)
        else:
            warnings.append(
                f"{article.article.path}: dropped {fact.kind} of {fact.subject}: {reason}"
            )
    if not facts:
        warnings.append(f"{article.article.path}: no facts found")
    return article.model_copy(update={"facts": facts}), warnings


@dataclass
class _Stored:
    """What storing one article did, applied to the report only after it commits."""

    known: bool
    outcomes: Counter[UpsertOutcome] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


async def _write_article(db: Database, article: ExtractedArticle, warnings: list[str]) -> _Stored:
    """Write one article and its (plausible) facts, inside the caller's transaction."""
    meta = article.article
    if await get_article_id_by_sha(db, meta.sha256, text_sha256=meta.text_sha256) is not None:
        return _Stored(known=True)  # stored meanwhile by another task, or earlier in the batch
    article_id = await insert_article(db, meta)
    written = await upsert_facts(db, article.facts, article_id)
    stored = list(zip(article.facts, written, strict=True))
    await enqueue_alerts(db, article_id, stored)
    return _Stored(known=False, outcomes=Counter(written), warnings=warnings)


async def _store_article(db: Database, article: ExtractedArticle) -> _Stored:
    """Store one article and its plausible facts in one transaction."""
    article, warnings = plausible_facts(filed_names(article))
    async with db.transaction():
        return await _write_article(db, article, warnings)


class _BatchLost(Exception):
    """SQLite rolled a batch's whole transaction back (a full disk, an I/O error)."""


_SAVEPOINT = "SAVEPOINT article"
_RELEASE = "RELEASE article"
_ROLLBACK_TO = "ROLLBACK TO article"


async def _store_batch(
    db: Database, articles: Sequence[ExtractedArticle]
) -> list[_Stored | DealflowError]:
    """Store articles in one transaction, each under its own savepoint, in one hand-off.

    An article that fails rolls back its savepoint only and comes back as its
    error; the others commit together. A crash leaves each article whole or
    absent, as with a transaction each. Should the database refuse the batch
    itself (or roll all of it back), its articles are stored one by one instead.
    """
    prepared = [plausible_facts(filed_names(article)) for article in articles]

    def write(conn: sqlite3.Connection) -> list[_Stored | DealflowError]:
        bound = BoundDatabase(conn, db.path)
        results: list[_Stored | DealflowError] = []
        for article, warnings in prepared:
            conn.execute(_SAVEPOINT)
            try:
                stored = run_inline(_write_article(bound, article, warnings))
            except DealflowError as exc:
                if not conn.in_transaction:
                    raise _BatchLost from exc
                conn.execute(_ROLLBACK_TO)
                conn.execute(_RELEASE)
                results.append(exc)
            else:
                conn.execute(_RELEASE)
                results.append(stored)
        return results

    try:
        async with db.transaction():
            return await db.run_write(write)
    except (_BatchLost, StorageError) as exc:
        logger.warning("storing %d articles at once failed (%s); one by one", len(articles), exc)
    results: list[_Stored | DealflowError] = []
    for article in articles:
        try:
            results.append(await _store_article(db, article))
        except DealflowError as exc:
            results.append(exc)
    return results


def _reason(exc: DealflowError) -> str:
    return exc.reason if isinstance(exc, InputError) else str(exc)


def _read_txt_files(
    paths: Sequence[Path], max_bytes: int
) -> list[tuple[str, str] | InputError | None]:
    """Read and hash the ``.txt`` files among ``paths`` (``None`` for the others)."""
    read: list[tuple[str, str] | InputError | None] = []
    for path in paths:
        if path.suffix.lower() in HTML_SUFFIXES:
            read.append(None)
            continue
        try:
            read.append(read_article_file(path, max_bytes=max_bytes))
        except InputError as exc:
            read.append(exc)
    return read


@dataclass
class _Item:
    """One file on its way through :func:`ingest_paths`, in input order."""

    path: Path
    html: bool = False
    text: str = ""
    sha256: str = ""
    extraction: Extraction | None = None  # started in a worker
    article: ExtractedArticle | None = None  # to store
    stored: _Stored | None = None
    failure: str | None = None

    async def extract(self, max_bytes: int) -> None:
        """Extract the article (or take the worker's), unless it is known or failed."""
        if self.stored is not None or self.failure is not None:
            return
        try:
            if self.html:
                self.article = await asyncio.to_thread(
                    load_html_file, self.path, max_bytes=max_bytes
                )
            elif self.extraction is not None:
                self.article = await self.extraction.result()
            else:
                self.article = await asyncio.to_thread(
                    extract_text, self.text, path=str(self.path), sha256=self.sha256
                )
        except DealflowError as exc:
            self.failure = _reason(exc)
        self.text = ""


#: Files read, hashed and looked up at once (one trip to a thread, one query).
READ_CHUNK = 32
#: Articles stored in one transaction (each under its own savepoint). A batch
#: commits when full, not as soon as the next article is late: a commit costs
#: about a millisecond (FTS5 writes its new segment), and the workers keep
#: extracting while a batch is stored.
BATCH_ARTICLES = 32
#: Files taken in ahead of the store when workers extract them.
POOL_WINDOW = 4 * READ_CHUNK


async def _take_in(
    db: Database, paths: Sequence[Path], *, max_bytes: int, pool: ExtractPool | None
) -> list[_Item]:
    """Read and hash a chunk of files, look them up, and start extracting the new ones."""
    read = await asyncio.to_thread(_read_txt_files, paths, max_bytes)
    known = await list_known_sha256(
        db, [outcome[1] for outcome in read if isinstance(outcome, tuple)]
    )
    items: list[_Item] = []
    for path, outcome in zip(paths, read, strict=True):
        item = _Item(path)
        if outcome is None:
            item.html = True
        elif isinstance(outcome, InputError):
            item.failure = outcome.reason
        elif outcome[1] in known:
            item.stored = _Stored(known=True)  # skip extracting what is already stored
        else:
            item.text, item.sha256 = outcome
            if pool is not None:
                item.extraction = pool.submit(item.text, path=str(path), sha256=item.sha256)
        items.append(item)
    return items


async def ingest_paths(
    db: Database,
    paths: Iterable[str | Path],
    *,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int | None = None,
) -> IngestReport:
    """Read, extract and store every article under ``paths``.

    An article already stored (same SHA-256) adds nothing. Facts with absurd
    amounts are dropped with a warning; the rest of their article goes in.

    Articles are stored in input order, several to a transaction with a
    savepoint each (:func:`_store_batch`). With many files, worker processes
    extract the next articles while these are stored: ``workers`` as
    :func:`bot.extract_pool.pool_workers` reads it (``0``: none, ``None``: by
    the CPUs).
    """
    collected = collect_paths(paths)
    report = IngestReport(skipped=collected.skipped, failed=list(collected.failures))
    files = collected.files
    total = len(files)
    done = 0
    count = pool_workers(workers, total)
    async with contextlib.AsyncExitStack() as stack:
        pool = await stack.enter_async_context(ExtractPool(count)) if count else None
        window = POOL_WINDOW if pool is not None else READ_CHUNK
        waiting: deque[_Item] = deque()
        batch: list[_Item] = []
        taken = 0
        while waiting or taken < total or batch:
            while taken < total and len(waiting) < window:
                chunk = files[taken : taken + READ_CHUNK]
                taken += len(chunk)
                waiting.extend(await _take_in(db, chunk, max_bytes=max_bytes, pool=pool))
            to_store = sum(item.article is not None for item in batch)
            if batch and (not waiting or to_store >= BATCH_ARTICLES):
                await _store_items(db, batch)
                for item in batch:
                    done += 1
                    _count(report, item)
                    if progress is not None:
                        progress(done, total)
                batch = []
                continue
            item = waiting.popleft()
            await item.extract(max_bytes)
            batch.append(item)
    return report


async def _store_items(db: Database, items: Sequence[_Item]) -> None:
    """Store the extracted articles among ``items``, setting each one's outcome."""
    extracted = [item for item in items if item.article is not None]
    if not extracted:
        return
    results = await _store_batch(db, [item.article for item in extracted if item.article])
    for item, result in zip(extracted, results, strict=True):
        if isinstance(result, DealflowError):
            logger.info("not ingested: %s: %s", item.path, _reason(result))
            item.failure = _reason(result)
        else:
            item.stored = result
        item.article = None


def _count(report: IngestReport, item: _Item) -> None:
    """Count one file's outcome into the report."""
    if item.failure is not None or item.stored is None:
        reason = item.failure or "not stored"
        report.failed.append(Failure(path=str(item.path), reason=reason))
        return
    stored = item.stored
    report.read += 1
    if stored.known:
        report.known += 1
    else:
        report.new += 1
    report.facts_new += stored.outcomes["new"]
    report.facts_merged += stored.outcomes["merged"]
    report.facts_updated += stored.outcomes["updated"]
    report.warnings.extend(stored.warnings)
