"""A synthetic corpus of AI-industry news articles, in Vietnamese and English.

Articles come from templates in the seeds' format (a `` date YYYY-MM-DD ``
header, paragraphs, an optional closing credit line such as ``Theo BI``),
about half in each language. They name real companies (from
``bot/extract/companies.json``) and invented ones, write amounts in each
language's notation ("6,6 tỷ USD", "1.400 tỷ USD", "$2.5 billion",
"US$300m"), state several kinds of facts and pad them with sentences that
state none. The corpus is deterministic by seed and every article is unique
(distinct bytes, so distinct SHA-256), so an ingest treats each one as new.

    .venv/bin/python bench/corpus.py OUT_DIR [--n 1000] [--seed 0]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

# A few companies get most of the news, as in the real feed: the first names
# of this list are weighted up, so some have many facts and most have few.
_FAVOURITES = (
    "OpenAI",
    "Anthropic",
    "Nvidia",
    "Microsoft",
    "Amazon",
    "Google",
    "xAI",
    "Meta",
    "SoftBank",
    "Oracle",
)

# Sellers of compute: the counterparty of a contract is one of these, as in the news.
_PROVIDERS = (
    "AWS",
    "Microsoft",
    "Oracle",
    "Google",
    "CoreWeave",
    "Nvidia",
    "AMD",
    "Nebius",
    "Crusoe",
    "Nscale",
    "Lambda",
)

_SYLLABLES_EN = (
    "hel io quan tix nov ara vel ox lum en cor vid syn tra zen ith mor pha kel ion dax ter "
    "bri sol vox neo cal ryn"
).split()
_SUFFIXES_EN = ("AI", "Labs", "Robotics", "Systems", "Technologies", "Analytics", "Compute")
_WORDS_VI = (
    "Sao Mai|Hoa Sen|Bạch Đằng|Trường Sơn|Phương Nam|Ánh Dương|Hồng Hà|Cửu Long|Tân Việt|"
    "Minh Long|Đại Việt|Sông Hàn|Lam Sơn|Bình Minh|Thiên Ân|Hải Đăng|Việt Tiến|An Phát"
).split("|")
_SUFFIXES_VI = ("AI", "Tech", "Robotics", "Labs", "Technologies", "Software")

_CREDITS_VI = ("BI", "Reuters", "VnExpress", "Bloomberg", "CNBC", "Tuổi Trẻ", "Dân Trí", "ICTNews")
_CREDITS_EN = ("Reuters", "Bloomberg", "TechCrunch", "The Information", "CNBC", "FT")

_MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True, slots=True)
class Planted:
    """A fact a template states, as FACTS.md would write it (for a recall check)."""

    kind: str
    subject: str
    counterparty: str | None
    value: float
    currency: str


@dataclass(slots=True)
class Article:
    """One generated article: its file name, its text and the facts it states."""

    name: str
    text: str
    language: str
    planted: list[Planted] = field(default_factory=list)


def known_companies() -> list[str]:
    """The names in ``bot/extract/companies.json``."""
    raw = resources.files("bot.extract").joinpath("companies.json").read_text("utf-8")
    return [row["name"] for row in json.loads(raw)["companies"]]


# -- amounts ------------------------------------------------------------------


def _vi_number(x: float) -> str:
    """Write a number the Vietnamese way: ``1.400``, ``6,6``."""
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", ".")
    whole, frac = f"{x:.1f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + frac


def _en_number(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:.1f}"


def _mantissa(rng: random.Random) -> float:
    roll = rng.random()
    if roll < 0.45:
        return float(rng.randint(1, 99))
    if roll < 0.8:
        return rng.randint(11, 99) / 10  # 1.1 .. 9.9
    return float(rng.randint(100, 950))


def _amount(rng: random.Random, lang: str, big: bool) -> tuple[str, float, str]:
    """Return (written, value, currency) for a random sum of money."""
    m = _mantissa(rng)
    if lang == "vi":
        if rng.random() < 0.12:  # đồng: "145 tỷ đồng", "1.200 tỷ đồng", "500 triệu đồng"
            if rng.random() < 0.2:
                m = float(rng.randint(2, 9) * 100)
                return f"{_vi_number(m)} triệu đồng", m * 1e6, "VND"
            m = float(rng.randint(10, 4000))
            return f"{_vi_number(m)} tỷ đồng", m * 1e9, "VND"
        if big and rng.random() < 0.3:
            t = rng.randint(11, 30) / 10
            if rng.random() < 0.5:  # "1,4 nghìn tỷ USD"
                return f"{_vi_number(t)} nghìn tỷ USD", t * 1e12, "USD"
            return f"{_vi_number(t * 1000)} tỷ USD", t * 1e12, "USD"  # "1.400 tỷ USD"
        scale, word = (1e9, "tỷ") if big or (m < 100 and rng.random() < 0.5) else (1e6, "triệu")
        return f"{_vi_number(m)} {word} USD", m * scale, "USD"
    if rng.random() < 0.1:
        scale, word = rng.choice(((1e9, "billion"), (1e6, "million")))
        return f"€{_en_number(m)} {word}", m * scale, "EUR"
    if big and rng.random() < 0.15:
        t = rng.randint(11, 30) / 10
        return f"${t:.1f} trillion", t * 1e12, "USD"
    scale = 1e9 if big or (m < 100 and rng.random() < 0.5) else 1e6
    style = rng.random()
    if scale == 1e9:
        if style < 0.5:
            return f"${_en_number(m)} billion", m * scale, "USD"
        if style < 0.8:
            return f"${_en_number(m)}bn", m * scale, "USD"
        return f"US${_en_number(m)}bn", m * scale, "USD"
    if style < 0.5:
        return f"${_en_number(m)} million", m * scale, "USD"
    if style < 0.8:
        return f"US${_en_number(m)}m", m * scale, "USD"
    return f"${_en_number(m)}m", m * scale, "USD"


# -- templates ----------------------------------------------------------------
# {A} is the subject (FACTS.md roles), {B} the counterparty, {M} the amount,
# {W} a time phrase, {L} a round letter. Each template states exactly one fact.

_FACTS_VI: dict[str, list[str]] = {
    "investment": [
        "{B} đã đầu tư {M} vào {A} {W}.",
        "Startup {A} vừa gọi vốn thành công {M} trong vòng Series {L} do {B} dẫn dắt.",
        "{B} tuyên bố sẽ đầu tư tối đa {M} vào {A}.",
        "{A} được cho là đang thảo luận về khoản đầu tư {M} với {B}.",
        "{B} dự kiến rót {M} vào {A} trong năm nay.",
    ],
    "acquisition": [
        "{B} đã hoàn tất thương vụ mua lại {A} với giá {M} {W}.",
        "{B} đồng ý mua lại {A} với giá {M}.",
    ],
    "contract": [
        "{W}, {A} ký thỏa thuận mua {M} năng lực điện toán từ {B}.",
        "{A} đã ký hợp đồng trị giá {M} với {B} để thuê máy chủ GPU.",
    ],
    "commitment": [
        "{A} đã đưa ra các cam kết đầu tư hạ tầng trị giá hơn {M} trong những năm tới.",
        "{A} cho biết kế hoạch chi tiêu vốn năm nay sẽ lên tới {M}.",
    ],
    "revenue": [
        "Doanh thu năm {Y} của {A} đạt {M}.",
        "{A} đã tăng thêm hơn {M} doanh thu định kỳ hàng năm chỉ trong tháng vừa qua.",
    ],
    "valuation": [
        "Hiện {A} được định giá khoảng {M}.",
        "Thương vụ này đưa mức định giá của {A} lên {M}.",
    ],
    "share_sale": [
        "{W}, {A} cũng đã hoàn tất đợt bán cổ phần thứ cấp trị giá {M}.",
    ],
}

_FACTS_EN: dict[str, list[str]] = {
    "investment": [
        "{B} invested {M} in {A} {W}.",
        "{A} raised {M} in a Series {L} round led by {B}.",
        "{B} is in talks to invest {M} in {A}, according to people familiar with the matter.",
        "{B} plans to invest up to {M} in {A}.",
    ],
    "acquisition": [
        "{B} agreed to acquire {A} for {M}.",
        "{B} completed its acquisition of {A} for {M} {W}.",
    ],
    "contract": [
        "{A} signed a {M} deal to buy compute capacity from {B} {W}.",
        "{A} signed a {M} cloud contract with {B}.",
    ],
    "commitment": [
        "{A} has committed to spend {M} on data centers over the next five years.",
        "{A} pledged {M} in capital spending for the year.",
    ],
    "revenue": [
        "{A} reported revenue of {M} for {Y}.",
        "{A}'s annualized revenue reached {M} last month.",
    ],
    "valuation": [
        "The deal values {A} at {M}.",
        "{A} is now valued at {M}.",
    ],
    "share_sale": [
        "{A} completed a {M} secondary share sale {W}.",
    ],
}

_KIND_WEIGHTS = {
    "investment": 5,
    "acquisition": 2,
    "contract": 2,
    "commitment": 1,
    "revenue": 2,
    "valuation": 2,
    "share_sale": 1,
}
_BIG_KINDS = frozenset({"commitment", "valuation", "contract"})

_FILLER_VI = [
    "{A} đang mở rộng đội ngũ kỹ sư tại châu Á và châu Âu.",
    "Các chuyên gia cho rằng thị trường trí tuệ nhân tạo vẫn đang ở giai đoạn đầu.",
    "Cạnh tranh về nhân lực AI ngày càng gay gắt giữa các tập đoàn công nghệ lớn.",
    "Người phát ngôn của {A} từ chối bình luận về thông tin này.",
    "Sản phẩm mới của {A} dự kiến ra mắt vào cuối năm nay.",
    "Nhu cầu về chip và trung tâm dữ liệu tiếp tục tăng mạnh trong năm qua.",
    "Giới đầu tư đang theo dõi sát sao chi phí vận hành của các mô hình ngôn ngữ lớn.",
    "{A} và {B} đã hợp tác trong nhiều dự án nghiên cứu từ vài năm trước.",
    "Ông Altman cho biết công ty cần thêm nhiều năng lực tính toán hơn nữa.",
    "Nhiều doanh nghiệp Việt Nam đã bắt đầu thử nghiệm các công cụ AI tạo sinh.",
    "Theo giới phân tích, mảng doanh nghiệp sẽ là động lực tăng trưởng chính.",
    "Trước đó, The Information là đơn vị đầu tiên đưa tin về kế hoạch này.",
    "Đây là một sự thay đổi đáng chú ý đối với ngành công nghiệp phần mềm.",
    "Các cơ quan quản lý tại Mỹ và châu Âu đang xem xét kỹ các thương vụ trong lĩnh vực AI.",
    "{A} hiện phục vụ hàng nghìn khách hàng doanh nghiệp trên toàn cầu.",
    "Số vốn mới sẽ được dùng để tuyển thêm kỹ sư và mở rộng sang thị trường Đông Nam Á.",
]

_FILLER_EN = [
    "{A} is expanding its engineering teams in Asia and Europe.",
    "Analysts say the market for artificial intelligence is still at an early stage.",
    "Competition for AI talent has intensified among the largest technology companies.",
    "A spokesperson for {A} declined to comment.",
    "The company expects to launch its next model later this year.",
    "Demand for chips and data center capacity kept rising over the past year.",
    "Investors are watching the cost of running large language models closely.",
    "{A} and {B} have worked together on several research projects.",
    "The startup now serves thousands of business customers around the world.",
    "Regulators in the U.S. and Europe are scrutinizing deals in the AI sector.",
    "Executives said enterprise customers would be the main driver of growth.",
    "The news was first reported by The Information.",
    "Shares of several chipmakers rose after the announcement.",
    "The new money will be used to hire engineers and expand into new markets.",
    "Its models are used by developers to build coding assistants and chatbots.",
    "The company did not disclose the terms of the agreement.",
]

_LEADS_VI = [
    "{A} vừa công bố loạt thông tin mới về kế hoạch kinh doanh trong bối cảnh cuộc đua AI "
    "ngày càng nóng.",
    "Cuộc đua đầu tư vào trí tuệ nhân tạo tiếp tục nóng lên với những thương vụ mới liên quan "
    "đến {A}.",
    "Thị trường AI chứng kiến thêm nhiều động thái lớn trong tuần qua, trong đó có {A}.",
]
_LEADS_EN = [
    "{A} has unveiled new details of its business plans as the race in artificial "
    "intelligence heats up.",
    "The rush of money into artificial intelligence continued this week with new deals "
    "involving {A}.",
    "The AI market saw several big moves over the past week, including at {A}.",
]


def _invented_name(rng: random.Random, lang: str) -> str:
    if lang == "vi" and rng.random() < 0.6:
        return f"{rng.choice(_WORDS_VI)} {rng.choice(_SUFFIXES_VI)}"
    stem = "".join(rng.choice(_SYLLABLES_EN) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{stem} {rng.choice(_SUFFIXES_EN)}"


class _Writer:
    """Builds one article from the templates."""

    def __init__(self, rng: random.Random, lang: str, companies: list[str]) -> None:
        self.rng = rng
        self.lang = lang
        self.companies = companies
        self.weights = [20 if name in _FAVOURITES else 1 for name in companies]
        self.published = date(2024, 1, 1) + timedelta(days=rng.randrange(800))

    def company(self, exclude: str | None = None) -> str:
        while True:
            if self.rng.random() < 0.25:
                name = _invented_name(self.rng, self.lang)
            else:
                name = self.rng.choices(self.companies, self.weights)[0]
            if name != exclude:
                return name

    def when(self) -> str:
        rng = self.rng
        month = rng.randint(1, 12)
        if self.lang == "vi":
            return rng.choice((f"vào tháng {month}", f"hồi tháng {month}/{self.published.year}"))
        return rng.choice((f"in {_MONTHS_EN[month - 1]}", f"in {_MONTHS_EN[month - 1]} 2025"))

    def fact_sentence(self, main: str) -> tuple[str, Planted]:
        rng = self.rng
        kind = rng.choices(list(_KIND_WEIGHTS), list(_KIND_WEIGHTS.values()))[0]
        templates = (_FACTS_VI if self.lang == "vi" else _FACTS_EN)[kind]
        template = rng.choice(templates)
        subject = main if rng.random() < 0.5 else self.company()
        if kind == "contract":
            other = self.rng.choice([p for p in _PROVIDERS if p != subject])
        else:
            other = self.company(exclude=subject)
        written, value, currency = _amount(rng, self.lang, kind in _BIG_KINDS)
        when = self.when()
        if template.startswith("{W}"):
            when = when[0].upper() + when[1:]
        text = template.format(
            A=subject,
            B=other,
            M=written,
            W=when,
            L=rng.choice("ABCDE"),
            Y=self.published.year - 1,
        )
        counterparty = other if "{B}" in template else None
        return text, Planted(kind, subject, counterparty, value, currency)

    def filler(self, main: str) -> str:
        text = self.rng.choice(_FILLER_VI if self.lang == "vi" else _FILLER_EN)
        return text.format(A=main, B=self.company(exclude=main))

    def article(self, name: str) -> Article:
        rng = self.rng
        main = self.company()
        lead = rng.choice(_LEADS_VI if self.lang == "vi" else _LEADS_EN).format(A=main)
        target_words = rng.randint(250, 480)
        planted: list[Planted] = []
        paragraphs: list[list[str]] = [[lead]]
        words = len(lead.split())
        while words < target_words:
            paragraph: list[str] = []
            for _ in range(rng.randint(2, 4)):
                if rng.random() < 0.4:
                    sentence, fact = self.fact_sentence(main)
                    planted.append(fact)
                else:
                    sentence = self.filler(main)
                paragraph.append(sentence)
                words += len(sentence.split())
            paragraphs.append(paragraph)
        body = "\n\n".join(" ".join(p) for p in paragraphs)
        text = f" date {self.published.isoformat()} {body}"
        if rng.random() < 0.7:
            credit = rng.choice(_CREDITS_VI if self.lang == "vi" else _CREDITS_EN)
            text += f"\n\n{'Theo' if self.lang == 'vi' else 'Source:'} {credit}"
        return Article(name=name, text=text, language=self.lang, planted=planted)


def generate_articles(n: int, seed: int = 0) -> list[Article]:
    """``n`` unique articles, about half Vietnamese, the same for the same seed."""
    rng = random.Random(seed)
    companies = known_companies()
    articles: list[Article] = []
    seen: set[bytes] = set()
    while len(articles) < n:
        lang = "vi" if rng.random() < 0.5 else "en"
        article = _Writer(rng, lang, companies).article(f"{len(articles):06d}_{lang}.txt")
        digest = hashlib.sha256(article.text.encode()).digest()
        if digest in seen:  # vanishingly rare; draw again so every article is new
            continue
        seen.add(digest)
        articles.append(article)
    return articles


def generate(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """``n`` unique articles as (file name, text)."""
    return [(a.name, a.text) for a in generate_articles(n, seed)]


def write_corpus(folder: str | Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` generated articles as ``.txt`` files into ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in generate(n, seed):
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="where to write the .txt articles")
    parser.add_argument("--n", type=int, default=1000, help="how many articles (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    paths = write_corpus(args.folder, args.n, args.seed)
    print(f"wrote {len(paths)} articles to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
