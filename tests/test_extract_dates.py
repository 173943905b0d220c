"""Dates resolved against the publication date."""

from datetime import date

import pytest

from bot.extract.dates import find_dates

PUBLISHED = date(2025, 12, 17)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vào tháng 10, OpenAI", "2025-10"),
        ("hậu thuẫn công ty từ năm 2019", "2019"),
        ("Tháng trước, OpenAI ký", "2025-11"),
        ("hôm 22/11", "2025-11-22"),
        ("hôm 22/1", "2025-01-22"),
        ("tháng 5/2024", "2024-05"),
        ("năm ngoái", "2024"),
        ("năm nay", "2025"),
        ("in October", "2025-10"),
        ("on Oct. 3", "2025-10-03"),
        ("on Oct. 3, 2024", "2024-10-03"),
        ("in March 2025", "2025-03"),
        ("last month", "2025-11"),
        ("last year", "2024"),
        ("on Monday", "2025-12-15"),
        ("quý 3/2025", "2025"),
    ],
)
def test_dates(text: str, expected: str) -> None:
    assert [d.value for d in find_dates(text, PUBLISHED)] == [expected]


def test_a_month_after_publication_is_last_year() -> None:
    assert [d.value for d in find_dates("tháng 12", date(2026, 1, 23))] == ["2025-12"]


def test_same_period_last_year_is_a_comparison_not_a_date() -> None:
    assert find_dates("tăng 62% so với cùng kỳ năm trước", PUBLISHED) == []


def test_relative_dates_need_a_publication_date() -> None:
    assert find_dates("tháng trước", None) == []
    assert [d.value for d in find_dates("năm 2019", None)] == ["2019"]
