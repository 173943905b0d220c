"""Dates in a sentence, resolved against the article's publication date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.extract.caseless import caseless

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_EN_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Every form starts a word: the leading \b lets the engine skip positions inside words fast.
_DATE = caseless(
    rf"\b(?:(?P<en_md>\b(?P<en_month>{_EN_MONTH})\.?\s+(?P<en_day>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"(?:,?\s+(?P<en_md_year>(?:19|20)\d\d))?)"
    rf"|(?P<en_my>\b(?P<en_month2>{_EN_MONTH})\.?(?:\s+of)?\s+(?P<en_year>(?:19|20)\d\d)\b)"
    rf"|(?P<en_m>\b(?:in|since|during|by|early|late|mid-?)\s+(?P<en_month3>{_EN_MONTH})\b)"
    r"|(?P<vi_dmy>\b(?:ngày\s+)?(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>(?:19|20)\d\d))?\b)"
    r"|(?P<vi_my>\btháng\s+(?P<vm>\d{1,2})(?:/|\s+năm\s+)(?P<vy>(?:19|20)\d\d)\b)"
    r"|(?P<vi_m>\btháng\s+(?P<vm2>\d{1,2})\b)"
    r"|(?P<quarter>\b(?:quý|q)\s*(?:[1-4]|i{1,3}|iv)[/\s]+(?:năm\s+)?(?P<qy>(?:19|20)\d\d)\b)"
    r"|(?P<year>\b(?:năm(?:\s+tài\s+chính)?|fiscal(?:\s+year)?|in|since|from|by|of|during|từ|"
    r"vào|hồi)\s+(?P<yy>(?:19|20)\d\d)\b|\bfy\s?(?P<fy>20\d\d)\b)"
    r"|(?P<rel>tháng trước|tháng vừa qua|last month|past month|previous month|this month|"
    r"tháng này|năm ngoái|năm trước|last year|năm nay|this year|tuần trước|last week|"
    r"this week|tuần này|hôm qua|yesterday|earlier this month|đầu tháng này|"
    r"(?:on|last)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)))",
)


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    value: str


def _month_before(published: date, month: int) -> str:
    """A month named without a year: the latest such month not after publication."""
    year = published.year if month <= published.month else published.year - 1
    return f"{year:04d}-{month:02d}"


def _shift_month(published: date, months: int) -> str:
    index = published.year * 12 + published.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _relative(phrase: str, published: date) -> str | None:
    phrase = phrase.casefold()
    if phrase in ("tháng trước", "last month", "previous month"):
        return _shift_month(published, -1)
    if phrase in (
        "tháng vừa qua",
        "past month",
        "this month",
        "tháng này",
        "earlier this month",
        "đầu tháng này",
    ):
        return _shift_month(published, 0)
    if phrase in ("năm ngoái", "năm trước", "last year"):
        return f"{published.year - 1:04d}"
    if phrase in ("năm nay", "this year"):
        return f"{published.year:04d}"
    if phrase in ("tuần trước", "last week"):
        return (published - timedelta(days=7)).strftime("%Y-%m")
    if phrase in ("this week", "tuần này"):
        return published.strftime("%Y-%m")
    if phrase in ("hôm qua", "yesterday"):
        return (published - timedelta(days=1)).isoformat()
    weekday = phrase.split()[-1]
    if weekday in _WEEKDAYS:
        back = (published.weekday() - _WEEKDAYS.index(weekday)) % 7 or 7
        return (published - timedelta(days=back)).isoformat()
    return None


def _valid(year: int, month: int, day: int | None = None) -> bool:
    try:
        date(year, month, day or 1)
    except ValueError:
        return False
    return True


def _resolve(match: re.Match[str], published: date | None) -> str | None:
    groups = match.groupdict()
    if groups["en_md"]:
        month = _MONTHS[groups["en_month"].casefold()]
        day = int(groups["en_day"])
        if groups["en_md_year"]:
            year = int(groups["en_md_year"])
        elif published is not None:
            year = int(_month_before(published, month)[:4])
        else:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None
    if groups["en_my"]:
        return f"{int(groups['en_year']):04d}-{_MONTHS[groups['en_month2'].casefold()]:02d}"
    if groups["en_m"]:
        return (
            _month_before(published, _MONTHS[groups["en_month3"].casefold()]) if published else None
        )
    if groups["vi_dmy"]:
        day, month = int(groups["d"]), int(groups["m"])
        if groups["y"]:
            year = int(groups["y"])
        elif published is not None:
            year = int(_month_before(published, month)[:4]) if 1 <= month <= 12 else 0
        else:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None
    if groups["vi_my"]:
        month = int(groups["vm"])
        return f"{int(groups['vy']):04d}-{month:02d}" if 1 <= month <= 12 else None
    if groups["vi_m"]:
        month = int(groups["vm2"])
        return _month_before(published, month) if published and 1 <= month <= 12 else None
    if groups["quarter"]:
        return groups["qy"]
    if groups["year"]:
        return groups["yy"] or groups["fy"]
    if groups["rel"] and published is not None:
        return _relative(re.sub(r"\s+", " ", groups["rel"]), published)
    return None


def parse_published(value: str | None) -> date | None:
    """An ISO date string as a date, or None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


#: "so với cùng kỳ năm trước", "compared with last year": a comparison, not when.
_COMPARED = re.compile(r"(?:cùng kỳ|so với|compared (?:with|to)|than)\s+$", re.IGNORECASE)


def find_dates(sentence: str, published: date | None) -> list[DateMention]:
    """Every date in ``sentence`` that can be pinned down, as ISO text (``2025``, ``2025-11``)."""
    found = []
    for match in _DATE.finditer(sentence):
        if match.group("rel") and _COMPARED.search(sentence, 0, match.start()):
            continue  # "so với cùng kỳ năm trước": a comparison, not when it happened
        value = _resolve(match, published)
        if value is not None:
            found.append(DateMention(match.start(), match.end(), value))
    return found
