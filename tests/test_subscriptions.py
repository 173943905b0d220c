"""``/subscribe``'s arguments, read by a pure function: tables of what users type."""

from __future__ import annotations

import pytest

from bot.errors import UsageError
from bot.models import DEAL_KINDS
from bot.subscriptions import SubscriptionFilter, fold_text, parse_subscription_args

DEALS, REVENUE, VALUATION = DEAL_KINDS, ("revenue",), ("valuation",)

KINDS = [
    # what the user typed, the kinds, the companies
    ("deals", DEALS, ()),
    ("deal", DEALS, ()),
    ("DEALS", DEALS, ()),
    ("revenue", REVENUE, ()),
    ("revenues", REVENUE, ()),
    ("valuation", VALUATION, ()),
    ("Valuations", VALUATION, ()),
    ("thương vụ", DEALS, ()),
    ("thuong vu", DEALS, ()),
    ("Thương Vụ", DEALS, ()),
    ("giao dịch", DEALS, ()),
    ("giao dich", DEALS, ()),
    ("đầu tư", DEALS, ()),
    ("dau tu", DEALS, ()),
    ("ĐẦU TƯ", DEALS, ()),
    ("doanh thu", REVENUE, ()),
    ("Doanh Thu", REVENUE, ()),
    ("định giá", VALUATION, ()),
    ("dinh gia", VALUATION, ()),
    ("định  giá", VALUATION, ()),  # two spaces
    ("OpenAI thương vụ", DEALS, ("OpenAI",)),
    ("thương vụ OpenAI Anthropic", DEALS, ("OpenAI", "Anthropic")),
    ("doanh thu FPT, Viettel", REVENUE, ("FPT", "Viettel")),
    ("Mistral AI, xAI định giá", VALUATION, ("Mistral AI", "xAI")),
    ("doanh thu, định giá", REVENUE + VALUATION, ()),
    ("VNG doanh thu deals", REVENUE + DEALS, ("VNG",)),
    # a kind is a whole word or phrase: these are company names
    ("thuongvu", (), ("thuongvu",)),
    ("Doanh", (), ("Doanh",)),
    ("dealership", (), ("dealership",)),
    ("Bảo Việt", (), ("Bảo", "Việt")),
    ("Bảo Việt, FPT", (), ("Bảo Việt", "FPT")),
]


@pytest.mark.parametrize(("typed", "kinds", "companies"), KINDS, ids=[k[0] for k in KINDS])
def test_kinds_in_english_or_vietnamese(
    typed: str, kinds: tuple[str, ...], companies: tuple[str, ...]
) -> None:
    wanted = parse_subscription_args(typed.split())
    assert wanted == SubscriptionFilter(companies, kinds)


def test_decomposed_accents_read_as_composed() -> None:
    decomposed = "đi\u0323nh gia\u0301"  # "định giá" typed with combining marks
    assert parse_subscription_args(decomposed.split()).kinds == VALUATION


def test_fold_text_keeps_one_character_for_each() -> None:
    assert fold_text("Định Giá ĐẦU TƯ") == "dinh gia dau tu"
    assert fold_text("Bảo Việt, xAI") == "bao viet, xai"


MINIMUMS = [
    # what the user typed, the minimum and its currency
    (">1B", 1e9, "USD"),
    (">$1B", 1e9, "USD"),
    (">US$1B", 1e9, "USD"),
    (">1B USD", 1e9, "USD"),
    (">1 tỷ USD", 1e9, "USD"),
    (">1 ty usd", 1e9, "USD"),
    (">2 triệu đô la", 2e6, "USD"),
    ("> 1B", 1e9, "USD"),
    (">= 1B", 1e9, "USD"),
    ("≥1B", 1e9, "USD"),
    (">1.5bn", 1.5e9, "USD"),
    (">1,5 tỷ USD", 1.5e9, "USD"),  # a Vietnamese scale: the comma is the decimal mark
    (">1,4 nghìn tỷ USD", 1.4e12, "USD"),
    (">1e9", 1e9, "USD"),
    (">10,000", 1e4, "USD"),
    (">500 tỷ đồng", 500e9, "VND"),
    (">500 ty dong", 500e9, "VND"),
    (">500 tỷ đ", 500e9, "VND"),
    (">500 tỷ VNĐ", 500e9, "VND"),
    (">1.000 tỷ đồng", 1e12, "VND"),
    (">500B VND", 500e9, "VND"),
    (">500M EUR", 500e6, "EUR"),
    (">€500M", 500e6, "EUR"),
    (">2B euro", 2e9, "EUR"),
]


@pytest.mark.parametrize(("typed", "value", "currency"), MINIMUMS, ids=[m[0] for m in MINIMUMS])
def test_minimum_amount_and_its_currency(typed: str, value: float, currency: str) -> None:
    wanted = parse_subscription_args(typed.split())
    assert wanted == SubscriptionFilter((), (), value, currency)


COMBINED = [
    ("OpenAI deals >1B", ("OpenAI",), DEALS, 1e9, "USD"),
    ("thương vụ >500 tỷ đồng FPT", ("FPT",), DEALS, 500e9, "VND"),
    ("doanh thu >100 triệu USD, FPT", ("FPT",), REVENUE, 100e6, "USD"),
    ("OpenAI >1B xAI", ("OpenAI", "xAI"), (), 1e9, "USD"),  # xAI is no currency
    ("Mistral AI, xAI >1B EUR", ("Mistral AI", "xAI"), (), 1e9, "EUR"),
    ("OpenAI,>1B", ("OpenAI",), (), 1e9, "USD"),
    (">1B usd deals", (), DEALS, 1e9, "USD"),
]


@pytest.mark.parametrize(
    ("typed", "companies", "kinds", "value", "currency"), COMBINED, ids=[c[0] for c in COMBINED]
)
def test_minimum_with_companies_and_kinds(
    typed: str, companies: tuple[str, ...], kinds: tuple[str, ...], value: float, currency: str
) -> None:
    wanted = parse_subscription_args(typed.split())
    assert wanted == SubscriptionFilter(companies, kinds, value, currency)


REFUSED = [
    (">500 tỷ", "which currency"),  # tỷ alone: đồng as often as USD
    (">abc", "cannot read the minimum"),
    (">", "cannot read the minimum"),
    (">1B >2B", "one minimum"),
    (">$1B VND", "two currencies"),
]


@pytest.mark.parametrize(("typed", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_minimum_that_cannot_be_read_is_refused(typed: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_subscription_args(typed.split())
