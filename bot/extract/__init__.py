"""Fact extraction: pure functions from article text to FACTS.md facts (no I/O)."""

from __future__ import annotations

from bot.models import ArticleMeta, ExtractedArticle, Fact


def extract_facts(text: str, *, published: str | None, language: str | None = None) -> list[Fact]:
    """Return the money facts stated in ``text`` (the article body)."""
    return []


def extract_article(text: str, *, path: str, sha256: str) -> ExtractedArticle:
    """Read one article's header, language, source and facts."""
    meta = ArticleMeta(path=path, sha256=sha256)
    return ExtractedArticle(article=meta, facts=extract_facts(text, published=None))
