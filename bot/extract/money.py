"""Money in Vietnamese and English news: ``10 tỷ USD``, ``1,4 nghìn tỷ USD``, ``US$2.5bn``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from bot.extract.caseless import caseless
from bot.models import Amount, Qualifier

_NUM = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_VI_SCALE = r"nghìn\s+tỷ|nghìn\s+tỉ|ngàn\s+tỷ|ngàn\s+tỉ|tỷ|tỉ|triệu|nghìn|ngàn"
_EN_SCALE = r"trillion|billion|million|thousand|crores?|lakhs?|tn|bn|bln|mn|mln|[tbmk]"
_SCALES: dict[str, int] = {
    "nghìn tỷ": 10**12,
    "ngàn tỷ": 10**12,
    "nghìn tỉ": 10**12,
    "ngàn tỉ": 10**12,
    "tỷ": 10**9,
    "tỉ": 10**9,
    "triệu": 10**6,
    "nghìn": 10**3,
    "ngàn": 10**3,
    "trillion": 10**12,
    "tn": 10**12,
    "t": 10**12,
    "billion": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "b": 10**9,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "thousand": 10**3,
    "k": 10**3,
    "crore": 10**7,  # Indian English: 1 crore = 10 million, 1 lakh = 100,000
    "crores": 10**7,
    "lakh": 10**5,
    "lakhs": 10**5,
}
_SYMBOLS = {
    "us$": "USD",
    "$": "USD",
    "usd": "USD",
    "s$": "SGD",
    "a$": "AUD",
    "c$": "CAD",
    "hk$": "HKD",
    "nt$": "TWD",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "JPY",
    "jpy": "JPY",
    "₹": "INR",
    "rs": "INR",
    "rs.": "INR",
    "rm": "MYR",
    "vnd": "VND",
    "cny": "CNY",
    "rmb": "CNY",
}
_WORD_CURRENCIES = {
    "usd": "USD",
    "us$": "USD",
    "đô la mỹ": "USD",
    "đôla mỹ": "USD",
    "đô la": "USD",
    "đôla": "USD",
    "đô": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "us dollars": "USD",
    "đồng": "VND",
    "dong": "VND",
    "vietnamese dong": "VND",
    "vnd": "VND",
    "vnđ": "VND",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "bảng anh": "GBP",
    "pounds": "GBP",
    "gbp": "GBP",
    "yên": "JPY",
    "yen": "JPY",
    "jpy": "JPY",
    "nhân dân tệ": "CNY",
    "yuan": "CNY",
    "cny": "CNY",
    "won": "KRW",
    "krw": "KRW",
    "rupees": "INR",
    "rupee": "INR",
    "inr": "INR",
    "ringgit": "MYR",
    "myr": "MYR",
}
#: Words for thousands, millions … after a number (``tỷ``, ``bn``), and what each multiplies by.
SCALE_WORDS: Mapping[str, int] = MappingProxyType(_SCALES)
#: Codes and names written after a number (``USD``, ``đồng``), and the currency each means.
CURRENCY_WORDS: Mapping[str, str] = MappingProxyType(_WORD_CURRENCIES)
#: Signs and codes written before a number (``$``, ``€``, ``EUR``), and the currency each means.
CURRENCY_SIGNS: Mapping[str, str] = MappingProxyType(_SYMBOLS)
_PREFIX = r"US\$|NT\$|S\$|A\$|C\$|HK\$|\$|€|£|¥|₹|Rs\.?|RM|USD|EUR|GBP|JPY|VND|CNY|RMB"
_SUFFIX = "|".join(sorted((re.escape(w) for w in _WORD_CURRENCIES), key=len, reverse=True))
_AFTER = r"(?![\w%])"
_DIGIT = re.compile(r"\d")

_MONEY = caseless(
    rf"(?<![^\W\d_])(?P<pcur>{_PREFIX})\s?(?P<pnum>{_NUM})(?:[\s-]?(?P<pscale>{_VI_SCALE}|{_EN_SCALE}){_AFTER})?"
    rf"|(?<![\w.,])(?P<snum>{_NUM})[\s-]*(?:(?P<sscale>{_VI_SCALE}|{_EN_SCALE})\s*)?"
    rf"(?P<scur>{_SUFFIX}){_AFTER}",
)

# Words right before an amount that qualify it, longest first, matched at the end.
_QUALIFIERS: list[tuple[str, Qualifier]] = [
    ("more than", "more_than"),
    ("in excess of", "more_than"),
    ("upwards of", "more_than"),
    ("north of", "more_than"),
    ("over", "more_than"),
    ("above", "more_than"),
    ("surpassed", "more_than"),
    ("surpassing", "more_than"),
    ("topped", "more_than"),
    ("tops", "more_than"),
    ("top", "more_than"),
    ("crossed", "more_than"),
    ("passed", "more_than"),
    ("exceeded", "more_than"),
    ("exceeding", "more_than"),
    ("vượt mốc", "more_than"),
    ("vượt qua", "more_than"),
    ("hơn", "more_than"),
    ("vượt", "more_than"),
    ("vượt quá", "more_than"),
    ("trên", "more_than"),
    ("at least", "at_least"),
    ("no less than", "at_least"),
    ("a minimum of", "at_least"),
    ("ít nhất", "at_least"),
    ("tối thiểu", "at_least"),
    ("up to", "up_to"),
    ("as much as", "up_to"),
    ("as high as", "up_to"),
    ("a maximum of", "up_to"),
    ("tối đa", "up_to"),
    ("lên tới", "up_to"),
    ("lên đến", "up_to"),
    ("tới", "up_to"),
    ("about", "about"),
    ("around", "about"),
    ("roughly", "about"),
    ("approximately", "about"),
    ("nearly", "about"),
    ("near", "about"),
    ("almost", "about"),
    ("close to", "about"),
    ("some", "about"),
    ("an estimated", "about"),
    ("estimated", "about"),
    ("khoảng", "about"),
    ("gần", "about"),
    ("xấp xỉ", "about"),
    ("chừng", "about"),
    ("ước tính", "about"),
    ("ước", "about"),
]
_QUALIFIER_RE = caseless(
    r"(?:^|[\s(])(?P<q>"
    + "|".join(re.escape(w) for w, _ in sorted(_QUALIFIERS, key=lambda p: -len(p[0])))
    + r")\s*(?:of\s+|đạt\s+|reached\s+|ở mức\s+|at\s+|là\s+)?$",
)
_QUALIFIER_OF = {w: q for w, q in _QUALIFIERS}
_TRAILING_AT_LEAST = caseless(r"^\s*(?:trở lên|or more|and up)\b")
# An amount per unit is a price, not a deal: "$20 a month", "499.000 đồng/tháng".
_PER_UNIT = caseless(
    r"^\s*(?:/|per\b|a\s+(?:month|year|share|user|seat)\b(?!\s+(?:ago|earlier|before))|each\b|mỗi\b"
    r"|một\s+(?:tháng|năm|cổ phiếu)\b)",
)
_PER_YEAR = caseless(
    r"^\s*(?:(?:a|per|each)\s+year|(?:mỗi|một)\s+năm|/\s*(?:year|năm))\b"
    r"(?!\s+(?:earlier|ago|before|trước))"  # "$583.9 million a year earlier": last year's
)
#: Below these a sum is a price or a salary, not news of the AI money.
_MINIMUM = {"VND": 10**8, "JPY": 10**7, "KRW": 10**8, "INR": 10**6}
_DEFAULT_MINIMUM = 10**5


@dataclass(frozen=True, slots=True)
class MoneyMention:
    """An amount found in a sentence, with its place in it."""

    start: int
    end: int
    amount: Amount


def parse_number(digits: str, *, decimal_comma: bool) -> Decimal:
    """Read ``1.400`` / ``6,6`` / ``1,234.5``; ``decimal_comma`` is the Vietnamese convention."""
    if "." in digits and "," in digits:
        decimal = "." if digits.rfind(".") > digits.rfind(",") else ","
    else:
        sep = "." if "." in digits else "," if "," in digits else ""
        if not sep:
            return Decimal(digits)
        groups = digits.split(sep)
        if len(groups) > 2 or len(groups[1]) != 3:
            decimal = sep if len(groups) == 2 else ""
        else:  # one separator before exactly three digits: the convention decides
            decimal = "," if decimal_comma else "."
            if sep != decimal:
                decimal = ""
    thousands = {".", ","} - {decimal}
    for mark in thousands:
        digits = digits.replace(mark, "")
    return Decimal(digits.replace(",", "."))


_SPACES = re.compile(r"\s+")
_VI_SCALE_RE = caseless(_VI_SCALE)


def _scale(word: str | None) -> int:
    if not word:
        return 1
    return _SCALES[_SPACES.sub(" ", word.casefold())]


def _qualifier(before: str, after: str) -> Qualifier:
    match = _QUALIFIER_RE.search(before[-24:])
    if match is not None:
        return _QUALIFIER_OF[match.group("q").casefold()]
    if _TRAILING_AT_LEAST.match(after):
        return "at_least"
    return "exact"


def find_money(sentence: str, *, language: str = "en") -> list[MoneyMention]:
    """Every sum of money in ``sentence`` that can be read with confidence.

    Leaves out prices (``$20 a month``), sums too small to be deals, and
    vague amounts (``hàng tỷ USD``, which carry no number).
    """
    found: list[MoneyMention] = []
    if not _DIGIT.search(sentence):
        return found
    for match in _MONEY.finditer(sentence):
        if match.group("pcur"):
            symbol, digits, scale_word = match.group("pcur", "pnum", "pscale")
            currency = _SYMBOLS[symbol.casefold()]
        else:
            digits, scale_word, symbol = match.group("snum", "sscale", "scur")
            currency = _WORD_CURRENCIES[_SPACES.sub(" ", symbol.casefold())]
        scale_is_vi = bool(scale_word and _VI_SCALE_RE.fullmatch(scale_word))
        decimal_comma = scale_is_vi or (language == "vi" and not match.group("pcur"))
        # "$10B": a bare letter scale must touch the number of a symbol-led amount.
        if (
            scale_word
            and len(scale_word) == 1
            and (not match.group("pcur") or sentence[match.start("pscale") - 1].isspace())
        ):
            scale_word = None
        try:
            number = parse_number(digits, decimal_comma=decimal_comma)
        except InvalidOperation:
            continue
        value = number * _scale(scale_word)
        after = sentence[match.end() :]
        minimum = _MINIMUM.get(currency, _DEFAULT_MINIMUM)
        if value < minimum or (
            _PER_UNIT.match(after) and not (_PER_YEAR.match(after) and value >= 100 * minimum)
        ):
            continue  # a price; but "$60 million a year" is a yearly sum, not a price
        qualifier = _qualifier(sentence[: match.start()], after)
        found.append(
            MoneyMention(
                match.start(),
                match.end(),
                Amount(value=float(value), currency=currency, qualifier=qualifier),
            )
        )
    return found


def parse_amount(text: str, *, language: str = "en") -> Amount | None:
    """Read one amount such as ``1,4 nghìn tỷ USD`` or ``$10B``; None if there is none."""
    mentions = find_money(text, language=language)
    return mentions[0].amount if mentions else None
