"""From files to stored facts: read, hash, extract, store.

Each article is stored in its own transaction: one that fails leaves no
trace, and the others still go in.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import (
    DealflowError,
    EmptyInputError,
    EncodingError,
    ExtractionError,
    InputError,
)
from bot.extract import extract_article
from bot.files import read_limited
from bot.models import Amount, ExtractedArticle, Fact, Failure, IngestReport
from bot.web import load_html_file
from storage.alerts import enqueue_alerts
from storage.db import Database
from storage.feeds import get_article_id_by_sha
from storage.queries import UpsertOutcome, get_article_by_sha, insert_article, upsert_facts

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


async def _store_article(db: Database, article: ExtractedArticle) -> _Stored:
    """Store one article and its plausible facts in one transaction."""
    article, warnings = plausible_facts(article)
    facts = article.facts
    async with db.transaction():
        meta = article.article
        if await get_article_id_by_sha(db, meta.sha256, text_sha256=meta.text_sha256) is not None:
            return _Stored(known=True)  # stored meanwhile by another task
        article_id = await insert_article(db, article.article)
        written = await upsert_facts(db, facts, article_id)
        stored = list(zip(facts, written, strict=True))
        outcomes = Counter(outcome for _, outcome in stored)
        await enqueue_alerts(db, article_id, stored)
    return _Stored(known=False, outcomes=outcomes, warnings=warnings)


async def _ingest_html_file(db: Database, path: Path, *, max_bytes: int) -> _Stored:
    """Store a saved web page, known by its bytes or its article text (``text_sha256``)."""
    article = await asyncio.to_thread(load_html_file, path, max_bytes=max_bytes)
    meta = article.article
    if await get_article_id_by_sha(db, meta.sha256, text_sha256=meta.text_sha256) is not None:
        return _Stored(known=True)
    return await _store_article(db, article)


async def ingest_paths(
    db: Database,
    paths: Iterable[str | Path],
    *,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IngestReport:
    """Read, extract and store every article under ``paths``.

    An article already stored (same SHA-256) adds nothing. Facts with absurd
    amounts are dropped with a warning; the rest of their article goes in.
    """
    collected = collect_paths(paths)
    report = IngestReport(skipped=collected.skipped, failed=list(collected.failures))
    total = len(collected.files)
    for done, path in enumerate(collected.files, start=1):
        try:
            if path.suffix.lower() in HTML_SUFFIXES:
                stored = await _ingest_html_file(db, path, max_bytes=max_bytes)
            else:
                text, sha256 = await asyncio.to_thread(read_article_file, path, max_bytes=max_bytes)
                if await get_article_by_sha(db, sha256) is not None:
                    stored = _Stored(known=True)  # skip extracting what is already stored
                else:
                    article = await asyncio.to_thread(
                        extract_text, text, path=str(path), sha256=sha256
                    )
                    stored = await _store_article(db, article)
        except DealflowError as exc:
            reason = exc.reason if isinstance(exc, InputError) else str(exc)
            logger.info("not ingested: %s: %s", path, reason)
            report.failed.append(Failure(path=str(path), reason=reason))
        else:
            report.read += 1
            if stored.known:
                report.known += 1
            else:
                report.new += 1
            report.facts_new += stored.outcomes["new"]
            report.facts_merged += stored.outcomes["merged"]
            report.facts_updated += stored.outcomes["updated"]
            report.warnings.extend(stored.warnings)
        if progress is not None:
            progress(done, total)
    return report
