"""Builders for facts and article metadata, with sensible defaults."""

from __future__ import annotations

from typing import Any

from bot.models import STATUS_KINDS, Amount, ArticleMeta, Fact


def make_fact(
    kind: Any = "investment",
    subject: str = "OpenAI",
    counterparty: str | None = "Amazon",
    value: float = 10e9,
    currency: str = "USD",
    qualifier: Any = "exact",
    **fields: Any,
) -> Fact:
    """A fact with sensible defaults; override any field by keyword."""
    fields.setdefault("status", "in_talks" if kind in STATUS_KINDS else None)
    fields.setdefault("evidence", f"{subject} and {counterparty}: {value:g} {currency}.")
    return Fact(
        kind=kind,
        subject=subject,
        counterparty=counterparty,
        amount=Amount(value=value, currency=currency, qualifier=qualifier),
        **fields,
    )


def make_meta(name: str = "a", published: str | None = "2025-12-17", **fields: Any) -> ArticleMeta:
    """Article metadata whose path and sha256 derive from ``name``."""
    fields.setdefault("language", "vi")
    return ArticleMeta(
        path=f"seeds/{name}.txt",
        sha256=name.encode().hex().ljust(64, "0"),
        published=published,
        **fields,
    )
