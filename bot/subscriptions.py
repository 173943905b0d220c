"""Subscriptions as users ask for them: ``/subscribe OpenAI deals >1B`` and friends."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bot.errors import UsageError
from bot.extract.money import CURRENCY_SIGNS, CURRENCY_WORDS, SCALE_WORDS, parse_number
from bot.models import DEAL_KINDS
from bot.names import fold_name
from storage import alerts
from storage.alerts import Subscription
from storage.db import Database, utc_now

#: The kinds a user names, in English or Vietnamese, and the fact kinds each stands for.
#: Matched as whole words, ignoring case and accents (``thuong vu``, ``Định giá``).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "deals": DEAL_KINDS,
    "deal": DEAL_KINDS,
    "thương vụ": DEAL_KINDS,
    "giao dịch": DEAL_KINDS,
    "đầu tư": DEAL_KINDS,
    "revenue": ("revenue",),
    "revenues": ("revenue",),
    "doanh thu": ("revenue",),
    "valuation": ("valuation",),
    "valuations": ("valuation",),
    "định giá": ("valuation",),
}
#: The currency a minimum amount is in unless the user names one.
DEFAULT_CURRENCY = "USD"
#: Subscriptions one chat may hold.
MAX_SUBSCRIPTIONS = 20


def fold_text(text: str) -> str:
    """``text`` in lower case without accents, one character for each of ``text``'s
    (so a match in the folded text marks the same place in the original)."""
    return "".join(_fold_char(char) for char in text)


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", char)[0]
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


def _alternatives(words: Collection[str]) -> str:
    """A regex matching any of ``words`` (longest first; a space stands for any blank)."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in ordered)


_KINDS = {fold_text(words): kinds for words, kinds in KIND_WORDS.items()}
_KIND = re.compile(rf"(?<![^\s,])(?:{_alternatives(_KINDS)})(?![^\s,])")


# Minimum amounts, read in folded text: ``>1B``, ``>$1.5bn``, ``>= 1,5 tỷ USD``, ``>500 tỷ đồng``.
_SCALE_OF = {fold_text(word): (Decimal(n), not word.isascii()) for word, n in SCALE_WORDS.items()}
_CURRENCY_OF = {fold_text(word): code for word, code in CURRENCY_WORDS.items()}
_CURRENCY_OF |= {code.lower(): code for code in CURRENCY_SIGNS.values()} | {"d": "VND"}  # 500 tỷ đ
_SIGN_OF = {sign: code for sign, code in CURRENCY_SIGNS.items() if not sign.isalpha()}


_END = r"(?![^\s,])"
_MINIMUM = re.compile(
    rf"(?<![^\s,])(?:>=?|≥)\s*(?P<sign>{_alternatives(_SIGN_OF)})?\s*"
    r"(?P<number>\d+(?:[.,]\d+)*(?:e[+-]?\d+)?)"
    rf"(?:\s*(?P<scale>{_alternatives(_SCALE_OF)}){_END})?"
    rf"(?:\s*(?P<currency>{_alternatives(_CURRENCY_OF)}){_END})?{_END}"
)


@dataclass(frozen=True)
class Minimum:
    """A minimum amount: facts of at least ``value`` units of ``currency``."""

    value: float
    currency: str


def _minimum(match: re.Match[str], typed: str) -> Minimum:
    """Read a match of :data:`_MINIMUM`.

    ``>1B``, ``>$1B``, ``>1 tỷ USD`` are USD (so is any amount with no
    currency, except a Vietnamese scale alone: ``>500 tỷ`` asks which);
    ``>500 tỷ đồng``, ``>500B VND``, ``>500M EUR`` are in the currency they name.
    Vietnamese scales read a comma as the decimal mark (``1,5 tỷ``).
    """
    scale, vietnamese = _SCALE_OF.get(" ".join((match["scale"] or "").split()), (Decimal(1), False))
    sign = _SIGN_OF.get(match["sign"] or "")
    named = _CURRENCY_OF.get(" ".join((match["currency"] or "").split()))
    if sign and named and sign != named:
        raise UsageError(f"{typed.strip()!r} names two currencies, {sign} and {named}")
    if vietnamese and not (sign or named):
        raise UsageError(
            f"{typed.strip()!r}: which currency? Write it after the amount, "
            f"as in >500 tỷ USD or >500 tỷ đồng"
        )
    digits = match["number"]
    try:
        number = (
            Decimal(digits.replace(",", ""))
            if "e" in digits
            else parse_number(digits, decimal_comma=vietnamese)
        )
    except InvalidOperation:
        raise UsageError(f"cannot read the amount {digits!r}") from None
    return Minimum(float(number * scale), sign or named or DEFAULT_CURRENCY)


def _take_minimum(text: str) -> tuple[str, Minimum | None]:
    """The minimum amount in ``text`` (at most one), and ``text`` without it."""
    found = list(_MINIMUM.finditer(fold_text(text)))
    if len(found) > 1:
        raise UsageError("give one minimum amount at most")
    if not found:
        return text, None
    match = found[0]
    start, end = match.span()
    minimum = _minimum(match, text[start:end])
    return text[:start] + " " * (end - start) + text[end:], minimum


def _take_kinds(text: str) -> tuple[str, list[str]]:
    """The kinds named in ``text``, and ``text`` without them (blanks in their place)."""
    kinds: list[str] = []

    def take(match: re.Match[str]) -> str:
        kinds.extend(k for k in _KINDS[" ".join(match[0].split())] if k not in kinds)
        return " " * len(match[0])

    folded = _KIND.sub(take, fold_text(text))
    kept = "".join(c if f != " " or c.isspace() else " " for c, f in zip(text, folded, strict=True))
    return kept, kinds


@dataclass(frozen=True)
class SubscriptionFilter:
    """What ``/subscribe`` was asked for; empty means every new fact."""

    companies: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    min_value: float | None = None
    currency: str | None = None


def parse_subscription_args(args: Sequence[str]) -> SubscriptionFilter:
    """Read ``[companies…] [deals|revenue|valuation] [>1B [USD]]``.

    Kinds may be English or Vietnamese words (:data:`KIND_WORDS`), accents
    optional. Companies are single words, or comma-separated names
    (``Mistral AI, xAI``).
    """
    text, minimum = _take_minimum(unicodedata.normalize("NFC", " ".join(args)))
    text, kinds = _take_kinds(text)
    words = [w for w in text.replace(",", " , ").split() if w]
    bad = next((word for word in words if word.startswith((">", "≥"))), None)
    if bad is not None:
        raise UsageError(f"cannot read the minimum {bad!r}; try >1B, >500M EUR or >500 tỷ đồng")
    companies: list[str] = []
    current: list[str] = []
    commas = "," in words
    for word in words:
        if word == ",":
            if current:
                companies.append(" ".join(current))
            current = []
        elif commas:
            current.append(word)
        else:
            companies.append(word)
    if current:
        companies.append(" ".join(current))
    if any(len(name) > 100 for name in companies):
        raise UsageError("a company name is too long")
    if minimum is None:
        return SubscriptionFilter(tuple(companies), tuple(kinds))
    return SubscriptionFilter(tuple(companies), tuple(kinds), minimum.value, minimum.currency)


async def subscribe_chat(
    db: Database,
    chat_id: int,
    wanted: SubscriptionFilter,
    *,
    chat_type: str,
    title: str | None,
    thread_id: int | None,
    user_id: int | None,
) -> bool:
    """Add a subscription for the chat (and mark the chat active); return whether it is new."""
    async with db.transaction():
        existing = await alerts.list_subscriptions(db, chat_id)
        if len(existing) >= MAX_SUBSCRIPTIONS:
            raise UsageError(f"a chat may hold at most {MAX_SUBSCRIPTIONS} subscriptions")
        await db.execute(
            """
            INSERT INTO chats (id, type, title, active, joined_at, updated_at)
            VALUES (:id, :type, :title, 1, :now, :now)
            ON CONFLICT (id) DO UPDATE SET active = 1, updated_at = :now
            """,
            {"id": chat_id, "type": chat_type, "title": title, "now": utc_now()},
        )
        await alerts.resume_chat(db, chat_id)
        return await alerts.add_subscription(
            db,
            chat_id,
            thread_id=thread_id,
            company_keys=[fold_name(c) for c in wanted.companies] or None,
            company_names=list(wanted.companies) or None,
            kinds=list(wanted.kinds) or None,
            min_value=wanted.min_value,
            min_currency=wanted.currency,
            created_by=user_id,
        )


async def list_subscriptions(db: Database, chat_id: int) -> list[Subscription]:
    """The chat's subscriptions, oldest first."""
    return await alerts.list_subscriptions(db, chat_id)


async def unsubscribe(db: Database, chat_id: int, subscription_id: int | None = None) -> int:
    """Remove one of the chat's subscriptions, or all; return how many were removed."""
    async with db.transaction():
        return await alerts.remove_subscriptions(db, chat_id, subscription_id)


async def find_subscription(
    db: Database, chat_id: int, wanted: SubscriptionFilter
) -> Subscription | None:
    """The chat's subscription with exactly this filter, if any."""
    kinds = tuple(sorted(wanted.kinds)) or None
    names = {fold_name(c) for c in wanted.companies}
    for sub in await alerts.list_subscriptions(db, chat_id):
        sub_names = {fold_name(c) for c in sub.company_names or ()}
        if (
            sub_names == names
            and (tuple(sorted(sub.kinds)) if sub.kinds else None) == kinds
            and sub.min_value == wanted.min_value
            and (sub.min_currency if sub.min_value is not None else None) == wanted.currency
        ):
            return sub
    return None
