"""The shapes of FACTS.md: facts, amounts, articles, and what the store keeps.

These are leaves: anything may import them, they import nothing of ours.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_serializer

Kind = Literal[
    "investment", "acquisition", "contract", "commitment", "revenue", "valuation", "share_sale"
]
Qualifier = Literal["exact", "about", "at_least", "more_than", "up_to"]
Status = Literal["completed", "announced", "planned", "in_talks"]
Metric = Literal["revenue", "arr", "arr_growth", "profit", "loss"]
Language = str  # ISO 639-1: "vi", "en", ...

KINDS: tuple[Kind, ...] = (
    "investment",
    "acquisition",
    "contract",
    "commitment",
    "revenue",
    "valuation",
    "share_sale",
)
#: Kinds that carry a status; the others always have ``status=None``.
STATUS_KINDS: frozenset[str] = frozenset({"investment", "acquisition", "contract", "share_sale"})
#: Kinds that are deals between two parties (``/deals``).
DEAL_KINDS: tuple[Kind, ...] = ("investment", "acquisition", "contract", "commitment", "share_sale")


def plain_number(value: float) -> int | float:
    """Write whole numbers as integers (``1e10`` -> ``10000000000``)."""
    return int(value) if float(value).is_integer() else value


class Amount(BaseModel):
    """A sum of money: ``value`` in units of ``currency`` (10 tỷ USD -> 1e10 USD)."""

    model_config = ConfigDict(frozen=True)

    value: float
    currency: str
    qualifier: Qualifier = "exact"

    @field_serializer("value")
    def _serialize_value(self, value: float) -> int | float:
        return plain_number(value)


class Fact(BaseModel):
    """One money fact stated by one article, with the sentence that states it."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    subject: str
    counterparty: str | None = None
    amount: Amount
    status: Status | None = None
    metric: Metric | None = None
    date: str | None = None
    evidence: str


class ArticleMeta(BaseModel):
    """The ``article`` object of one JSON Lines record."""

    path: str
    sha256: str
    published: str | None = None
    language: Language = "en"
    title: str | None = None
    source: str | None = None


class ExtractedArticle(BaseModel):
    """One JSON Lines record: an article and its facts (FACTS.md)."""

    article: ArticleMeta
    facts: list[Fact]

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class FactSource(BaseModel):
    """One article's statement of a stored fact."""

    article_id: int
    path: str
    sha256: str
    published: str | None
    language: Language
    title: str | None
    source: str | None
    evidence: str
    qualifier: Qualifier
    status: Status | None
    date: str | None
    added_at: str


class StoredFact(BaseModel):
    """A fact as the store keeps it: merged across articles, latest state first.

    ``status``, ``qualifier`` and ``date`` are those of the latest source (by
    publication date, then by when it was added); ``sources`` lists every
    article that states the fact, oldest first, so the history stays visible.
    """

    id: int
    kind: Kind
    subject: str
    counterparty: str | None
    amount: Amount
    status: Status | None
    metric: Metric | None
    date: str | None
    first_seen: str
    sources: list[FactSource] = []

    @property
    def latest_published(self) -> str | None:
        dates = [s.published for s in self.sources if s.published]
        return max(dates) if dates else None
