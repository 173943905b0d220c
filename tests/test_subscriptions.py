"""``/subscribe``'s arguments, read by a pure function: tables of what users type."""

from __future__ import annotations

import pytest

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
