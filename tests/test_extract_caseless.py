"""``Caseless`` matches what ``re.compile(p, re.IGNORECASE)`` matches, at the same places."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.extract.caseless import caseless, fold

PATTERNS = [
    r"(?<!\w)(?:đã|hoàn tất|Ký kết|closed|Completed)(?!\w)",
    r"(?P<Lead>led by|dẫn dắt bởi)\s+(?P<who>\S+)",
    r"\bQuý\s+(?:[1-4]|I{1,3}|IV)[/\s]+(?P<year>20\d\d)\b",
    r"(?:deal|THƯƠNG VỤ)\s+(?:\w+\s+){0,1}$",
    r"[A-Z][a-z]+\s+\W+\s*\D",
]
TEXTS = [
    "Thương vụ đã HOÀN TẤT vào Quý III/2025, dẫn dắt bởi Quỹ Mekong.",
    "The round was LED BY Sequoia; the deal Closed in Q3.",
    "ĐÀM PHÁN với İstanbul Capital, ký kết hôm qua",
    "",
]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("text", TEXTS)
def test_matches_like_ignorecase(pattern: str, text: str) -> None:
    plain = re.compile(pattern, re.IGNORECASE)
    fast = caseless(pattern)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
    found, expected = fast.search(text, 3), plain.search(text, 3)
    assert (found and found.span()) == (expected and expected.span())


def test_fold_keeps_every_offset() -> None:
    text = "İstanbul và ĐÀ NẴNG"  # "İ" lowers to two characters in Python
    assert len(fold(text)) == len(text)
    assert fold(text) == "İstanbul và đà nẵng"


def test_groups_are_lowercase_and_escapes_keep_their_case() -> None:
    match = caseless(r"(?P<Who>\S+)\s+RAISED").search("Acme Raised $5m")
    assert match is not None and match.group("Who") == "acme"
    assert caseless(r"\D+").fullmatch("ABC")  # \D is not \d
    assert not caseless(r"\S").search("   ")


def test_sub_keeps_the_case_of_the_rest() -> None:
    assert caseless(r"vượt KỲ vọng").sub(" ", "Doanh thu VƯỢT kỳ vọng của FPT") == (
        "Doanh thu   của FPT"
    )


@given(st.text(alphabet="aAđĐkKıİßẞ ẠạwW.-", max_size=30))
def test_agrees_with_ignorecase_on_any_text(text: str) -> None:
    pattern = r"(?<!\w)(?:đạt|ak|ss|w\.)(?!\w)"
    fast, plain = caseless(pattern), re.compile(pattern, re.IGNORECASE)
    if all(len(c.lower()) == 1 for c in text):  # else "İ" is left as it is, by design
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
