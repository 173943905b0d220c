"""The shapes of FACTS.md: facts, amounts, articles, and what the store keeps.

These are leaves: anything may import them, they import nothing of ours.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

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
    # The SHA-256 of the article text (web pages, pasted text), by which the same
    # story is stored once; not part of the JSON record (FACTS.md).
    text_sha256: str | None = Field(default=None, exclude=True)


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


class StoredArticle(ArticleMeta):
    """An article as the store keeps it."""

    id: int
    added_at: str


class Company(BaseModel):
    """A company name found in the store, with how often it appears in each role."""

    name: str
    key: str
    as_subject: int
    as_counterparty: int


def is_firm(fact: StoredFact) -> bool:
    """Whether a fact is an exact amount of money that has changed hands (or needs no status)."""
    return fact.amount.qualifier == "exact" and fact.status in (None, "completed")


class Total(BaseModel):
    """The sum of same-kind, same-currency deal facts.

    ``includes_estimates`` is set when any summed fact is not firm (see
    :func:`is_firm`): an "about"/"up to" amount or a deal not yet completed.
    """

    kind: Kind
    currency: str
    value: float
    count: int
    includes_estimates: bool


def compute_totals(facts: list[StoredFact]) -> list[Total]:
    """Add up deal facts per kind and currency; revenue and valuations never add up.

    Amounts in different currencies are never converted or mixed. Totals come
    in :data:`DEAL_KINDS` order, then biggest first.
    """
    groups: dict[tuple[Kind, str], list[StoredFact]] = {}
    for fact in facts:
        if fact.kind in DEAL_KINDS:
            groups.setdefault((fact.kind, fact.amount.currency), []).append(fact)
    totals = [
        Total(
            kind=kind,
            currency=currency,
            value=sum(f.amount.value for f in group),
            count=len(group),
            includes_estimates=not all(is_firm(f) for f in group),
        )
        for (kind, currency), group in groups.items()
    ]
    return sorted(totals, key=lambda t: (DEAL_KINDS.index(t.kind), -t.value))


class CompanyProfile(BaseModel):
    """Everything known about one company, split by the role it plays."""

    name: str
    names: list[str]
    as_subject: list[StoredFact]
    as_counterparty: list[StoredFact]
    subject_totals: list[Total]
    counterparty_totals: list[Total]


class Failure(BaseModel):
    """An input that could not be ingested, and why."""

    path: str
    reason: str


class IngestReport(BaseModel):
    """What one ingest run did."""

    read: int = 0
    new: int = 0
    known: int = 0
    skipped: int = 0
    failed: list[Failure] = []
    warnings: list[str] = []
    facts_new: int = 0
    facts_merged: int = 0
    facts_updated: int = 0


class StoreStats(BaseModel):
    """How much the store holds."""

    articles: int
    facts: int
    sources: int


class ExportRow(BaseModel):
    """One article's statement of one fact, flat for CSV and JSON export.

    The fact's latest state comes first; ``stated_*`` are what this article said.
    """

    fact_id: int
    kind: Kind
    subject: str
    counterparty: str | None
    value: float
    currency: str
    qualifier: Qualifier
    status: Status | None
    metric: Metric | None
    date: str | None
    article_path: str
    article_published: str | None
    article_source: str | None
    article_language: Language
    stated_qualifier: Qualifier
    stated_status: Status | None
    stated_date: str | None
    evidence: str

    @field_serializer("value")
    def _serialize_value(self, value: float) -> int | float:
        return plain_number(value)


# --- what the bot's listings return, one page at a time --------------------------------------


class Paging(BaseModel):
    """Where a page sits in a listing: ``page`` counts from 1."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class FactGroup(BaseModel):
    """One company's facts on a page of a listing (the company is their subject).

    ``count`` is how many facts of this company the whole listing holds;
    ``continued`` is set when some of them are on earlier pages. ``totals``
    add up every one of them (not only this page's), and are filled only on
    the page where the company's facts end.
    """

    subject: str
    facts: list[StoredFact]
    count: int
    continued: bool
    totals: list[Total] = []


ListingName = Literal["deals", "revenue", "valuation"]


class FactListPage(BaseModel):
    """A page of ``/deals``, ``/revenue`` or ``/valuation``, grouped by company.

    ``matched`` counts every fact matching; the listing (``paging.total``)
    may cover only the newest of them.
    """

    listing: ListingName
    company: str | None
    groups: list[FactGroup]
    paging: Paging
    matched: int


class ProfilePage(BaseModel):
    """A page of everything known about one company; the totals cover all of it."""

    name: str
    names: list[str]
    subject_count: int
    counterparty_count: int
    subject_totals: list[Total]
    counterparty_totals: list[Total]
    as_subject: list[StoredFact]
    as_counterparty: list[StoredFact]
    paging: Paging


class ArticleFacts(BaseModel):
    """An article with the facts it states (the biggest few) and how many more there are."""

    article: StoredArticle
    facts: list[StoredFact]
    more: int


class LatestPage(BaseModel):
    """A page of the newest articles that state facts."""

    articles: list[ArticleFacts]
    paging: Paging


class SearchPage(BaseModel):
    """A page of facts matching a search, best match first.

    ``terms`` are the words searched for (folded); ``suggestion`` is a stored
    company name close to the query, offered when nothing matched.
    """

    query: str
    terms: list[str]
    facts: list[StoredFact]
    paging: Paging
    suggestion: str | None = None


class Chat(BaseModel):
    """A chat the bot has talked in: its reply language and membership."""

    id: int
    type: str
    title: str | None
    lang: str | None
    active: bool
    joined_at: str | None
    left_at: str | None
    updated_at: str


class BotStats(BaseModel):
    """What an admin's ``/stats`` shows."""

    store: StoreStats
    facts_by_kind: dict[str, int]
    newest_article: str | None
    active_chats: dict[str, int]
    inactive_chats: int


class ChartData(BaseModel):
    """One company's deals (either party) and valuations, for a timeline chart."""

    name: str
    facts: list[StoredFact]
