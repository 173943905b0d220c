"""Money as Vietnamese and English news write it."""

import pytest

from bot.extract.money import find_money, parse_amount, parse_number


@pytest.mark.parametrize(
    ("text", "language", "value", "currency", "qualifier"),
    [
        ("10 tỷ USD", "vi", 1e10, "USD", "exact"),
        ("1.400 tỷ USD", "vi", 1.4e12, "USD", "exact"),
        ("1,4 nghìn tỷ USD", "vi", 1.4e12, "USD", "exact"),
        ("1,4 ngàn tỉ USD", "vi", 1.4e12, "USD", "exact"),
        ("6,6 tỷ USD", "vi", 6.6e9, "USD", "exact"),
        ("38 tỷ USD", "vi", 3.8e10, "USD", "exact"),
        ("500 triệu đồng", "vi", 5e8, "VND", "exact"),
        ("2.500 tỷ đồng", "vi", 2.5e12, "VND", "exact"),
        ("1,5 tỷ đô la Mỹ", "vi", 1.5e9, "USD", "exact"),
        ("$10B", "en", 1e10, "USD", "exact"),
        ("$10 billion", "en", 1e10, "USD", "exact"),
        ("US$2.5bn", "en", 2.5e9, "USD", "exact"),
        ("€1.7 billion", "en", 1.7e9, "EUR", "exact"),
        ("USD 38 billion", "en", 3.8e10, "USD", "exact"),
        ("$1.2tn", "en", 1.2e12, "USD", "exact"),
        ("$500 million", "en", 5e8, "USD", "exact"),
        ("10 billion dollars", "en", 1e10, "USD", "exact"),
        ("a $10-billion deal", "en", 1e10, "USD", "exact"),
        ("£400m", "en", 4e8, "GBP", "exact"),
        ("$6.6 billion", "vi", 6.6e9, "USD", "exact"),
        ("hơn 1 tỷ USD", "vi", 1e9, "USD", "more_than"),
        ("vượt 10 tỷ USD", "vi", 1e10, "USD", "more_than"),
        ("ít nhất 8 tỷ USD", "vi", 8e9, "USD", "at_least"),
        ("tối đa 5 tỷ USD", "vi", 5e9, "USD", "up_to"),
        ("lên tới 2 tỷ USD", "vi", 2e9, "USD", "up_to"),
        ("khoảng 1,4 nghìn tỷ USD", "vi", 1.4e12, "USD", "about"),
        ("gần 3 tỷ USD", "vi", 3e9, "USD", "about"),
        ("10 tỷ USD trở lên", "vi", 1e10, "USD", "at_least"),
        ("more than $1 billion", "en", 1e9, "USD", "more_than"),
        ("over $2bn", "en", 2e9, "USD", "more_than"),
        ("at least $8 billion", "en", 8e9, "USD", "at_least"),
        ("up to $5 billion", "en", 5e9, "USD", "up_to"),
        ("as much as $10 billion", "en", 1e10, "USD", "up_to"),
        ("about $1.4 trillion", "en", 1.4e12, "USD", "about"),
        ("nearly $3 billion", "en", 3e9, "USD", "about"),
        ("roughly $40 billion", "en", 4e10, "USD", "about"),
    ],
)
def test_parse_amount(
    text: str, language: str, value: float, currency: str, qualifier: str
) -> None:
    amount = parse_amount(text, language=language)
    assert amount is not None
    assert amount.value == pytest.approx(value)
    assert (amount.currency, amount.qualifier) == (currency, qualifier)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hàng tỷ USD", "vi"),
        ("billions of dollars", "en"),
        ("$20 a month", "en"),
        ("$200 per month", "en"),
        ("499.000 đồng/tháng", "vi"),
        ("giá 20 USD mỗi tháng", "vi"),
        ("10% of revenue", "en"),
        ("800 million weekly users", "en"),
        ("1 gigawatt", "en"),
        ("$1,500", "en"),
    ],
)
def test_vague_amounts_prices_and_counts_are_not_money(text: str, language: str) -> None:
    assert find_money(text, language=language) == []


@pytest.mark.parametrize(
    ("digits", "decimal_comma", "expected"),
    [
        ("1.400", True, "1400"),
        ("1,400", False, "1400"),
        ("6,6", True, "6.6"),
        ("6.6", False, "6.6"),
        ("6,6", False, "6.6"),
        ("1.234,5", True, "1234.5"),
        ("1,234.5", False, "1234.5"),
        ("1.400.000", True, "1400000"),
        ("1.125", False, "1.125"),
        ("1,125", True, "1.125"),
    ],
)
def test_parse_number_follows_the_language_convention(
    digits: str, decimal_comma: bool, expected: str
) -> None:
    assert str(parse_number(digits, decimal_comma=decimal_comma)) == expected


def test_amount_values_are_exact_for_decimals() -> None:
    amount = parse_amount("6,6 tỷ USD", language="vi")
    assert amount is not None
    assert amount.value == 6_600_000_000
