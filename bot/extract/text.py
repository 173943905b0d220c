"""Article text: the plain-text header, language, credit line and sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")
_CREDIT = re.compile(
    r"^\s*(?:theo|nguồn|source|sources|via|according to|reporting by)\s*:?\s+"
    r"(?P<name>[^\n]{1,60}?)[\s.]*$",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"^\s*(?:ảnh|photo|image|video|nguồn ảnh|minh họa|illustration|graphic|đồ họa)\s*:",
    re.IGNORECASE,
)
# Sentence ends: terminal punctuation, optional closing quotes/brackets, white space.
_BOUNDARY = re.compile(r"[.!?…]+[”\"’')\]]*(?=\s)")
_ABBREVIATIONS = frozenset(
    """
    u.s u.k u.n e.u inc corp co ltd llc plc mr mrs ms dr prof st jr sr vs etc no jan feb mar
    apr jun jul aug sep sept oct nov dec e.g i.e approx est fig tp gs ts ths pgs ông bà
    """.split()
)
#: Letters only Vietnamese writes: ă â đ ê ô ơ ư and the vowels with tone marks.
_VI_LETTER = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ]"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the article body, ``text`` exactly as it stands in it."""

    text: str
    start: int
    paragraph: int


def parse_header(text: str) -> tuple[str | None, str]:
    """Split a leading ``date YYYY-MM-DD`` header from the body."""
    match = _HEADER.match(text)
    if match is None:
        return None, text
    return match.group(1), text[match.end() :]


def parse_credit(body: str) -> tuple[str | None, str]:
    """Find a closing credit line (``Theo BI`` -> ``BI``); return it and the body without it."""
    stripped = body.rstrip()
    last_break = stripped.rfind("\n")
    last_line = stripped[last_break + 1 :]
    match = _CREDIT.match(last_line)
    if match is None or last_break < 0:
        return None, body
    name = match.group("name").strip()
    if not name or len(name.split()) > 6:
        return None, body
    return name, stripped[: last_break + 1]


_DATELINE = re.compile(
    r"^[^\n(]{0,60}\((?P<name>[A-Z][\w&. -]{1,30})\)\s*[-–—]",
)


def parse_dateline(body: str) -> str | None:
    """The outlet of a wire dateline: "HANOI, July 22 (Reuters) -" -> "Reuters"."""
    match = _DATELINE.match(body.lstrip())
    return match.group("name").strip() if match else None


def detect_language(text: str) -> str:
    """Tell Vietnamese from English by the share of Vietnamese letters among all letters."""
    sample = text[:2000]
    if sample.isascii():
        return "en"
    letters = len(_NOT_LETTERS.sub("", sample))  # the letters, without a list of them
    if letters == 0:
        return "en"
    return "vi" if len(_VI_LETTER.findall(sample)) / letters > 0.03 else "en"


#: A name that starts in lowercase can start a sentence: "xAI signed …", "eBay said …".
_CAMEL_START = re.compile(r"[a-z]{1,2}[A-Z]\w*\b")
_DOTTED = re.compile(r"(?:\w\.)+\w")
_PARAGRAPH = re.compile(r"[^\n]+")
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def _ends_sentence(paragraph: str, end: int, match_start: int) -> bool:
    """Whether the punctuation run ending at ``end`` closes a sentence."""
    rest = paragraph[end:].lstrip()
    if not rest:
        return True
    nxt = rest[0]
    if not (nxt.isupper() or nxt.isdigit() or nxt in "“\"‘'([«" or _CAMEL_START.match(rest)):
        return False
    if paragraph[match_start] != ".":
        return True
    # the word before the mark, read backwards (a search from the left is quadratic)
    first = match_start
    while first > 0 and not paragraph[first - 1].isspace():
        first -= 1
    if first == match_start:
        return True
    token = paragraph[first:match_start].lstrip("(“\"'").casefold()
    if token in _ABBREVIATIONS:
        return False
    # Initials and dotted abbreviations: "J.", "U.S", "a.m".
    return not (len(token) == 1 and token.isalpha()) and not _DOTTED.fullmatch(token)


def split_sentences(body: str) -> list[Sentence]:
    """Split ``body`` into sentences, keeping each one's exact text and offset.

    Survives decimals (``6,6``, ``1.400``: no space after the mark), common
    abbreviations (``U.S.``, ``Inc.``), closing quotes, and drops photo
    captions (``Ảnh: Reuters.``).
    """
    sentences: list[Sentence] = []
    for number, para in enumerate(_PARAGRAPH.finditer(body)):
        paragraph = para.group(0)
        start = 0
        cuts: list[int] = []
        for match in _BOUNDARY.finditer(paragraph):
            if _ends_sentence(paragraph, match.end(), match.start()):
                cuts.append(match.end())
        cuts.append(len(paragraph))
        for cut in cuts:
            chunk = paragraph[start:cut]
            lead = len(chunk) - len(chunk.lstrip())
            text = chunk.strip()
            if text and not _NOISE.match(text):
                sentences.append(Sentence(text, para.start() + start + lead, number))
            start = cut
    return sentences
