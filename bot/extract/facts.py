"""From sentences to facts: which kind, who is who, status, date.

Each sum of money in a sentence is read against the words around it in its
clause: the nearest kind cue decides the kind ("định giá", "raised",
"mua ... năng lực điện toán từ"), the prepositions before each company name
decide its role ("vào X", "from X", "led by X"), and cue words decide the
status. What cannot be read with confidence is left out.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from datetime import date

from bot.extract.caseless import Caseless, caseless
from bot.extract.companies import CompanyIndex, Mention, find_corefs, is_institution
from bot.extract.dates import DateMention, find_dates
from bot.extract.money import MoneyMention, find_money
from bot.extract.text import Sentence
from bot.models import STATUS_KINDS, Fact, Kind, Metric, Status


def _words(*phrases: str) -> str:
    return "|".join(sorted(phrases, key=len, reverse=True))


# Tried in this order at each position, so the more specific kinds come first.
_KIND_CUES: list[tuple[str, str]] = [
    (
        "commitment",
        _words(
            "cam kết chi tiêu",
            "cam kết chi",
            "cam kết đầu tư",
            "cam kết",
            "kế hoạch chi",
            "chi tiêu vốn",
            "chi tiêu",
            "dành(?! cho)",
            "bỏ ra",
            "allocate[sd]?",
            "earmark(?:ed|s)?",
            r"chi(?! phí| nhánh| tiết| trả)",
            "đầu tư hạ tầng",
            "commitments?",
            "committed",
            "commits?",
            "pledge[sd]?",
            "pledging",
            "capex",
            "capital expenditures?",
            "capital spending",
            "spend(?:s|ing)?",
            "infrastructure deals?",
        ),
    ),
    (
        "share_sale",
        _words(
            r"(?:bán|chuyển nhượng) (?:[\w,.%]+ ){0,4}?cổ (?:phần|phiếu)",
            r"mua lại (?:[\w,.%]+ ){0,3}?cổ (?:phần|phiếu)",
            r"bought back",
            r"buys? back",
            r"buybacks?",
            r"repurchas\w*",
            r"(?:sold|sells|sell|selling) (?:its |their |a |an )?(?:entire |whole |remaining )?"
            r"(?:\d+% )?stake",
            "giao dịch thứ cấp",
            "thứ cấp",
            "bán cổ phiếu",
            "bán bớt cổ phần",
            "chuyển nhượng cổ phần",
            "cổ phần thứ cấp",
            "chào bán",
            r"phát hành (?:[\w,.%]+ ){0,4}?(?:riêng lẻ|cổ phiếu|cổ phần)",
            "private placement",
            "ipo",
            "share sales?",
            "secondary (?:share )?sales?",
            "secondary",
            "tender offers?",
            "chào mua cổ phần",
            "chào mua",
            r"sells?\s+shares",
            "sold shares",
            "selling shares",
            "stock sales?",
            "share offerings?",
            "public offerings?",
            r"(?:worth\s+)?of\s+(?:[\w.-]+\s+){0,3}?(?:shares|stock)",
        ),
    ),
    (
        "valuation",
        _words(
            "mức định giá",
            "định giá sau vòng gọi vốn",
            "định giá trước vòng gọi vốn",
            "post-money valuation",
            "pre-money valuation",
            "được định giá",
            "định giá",
            "vốn hóa thị trường",
            "vốn hóa",
            "valuations?",
            "valued",
            "valuing",
            "values",
            r"(?:would|will|could) value",
            "market cap(?:itali[sz]ation)?",
            "market value",
            "giá trị thị trường",
        ),
    ),
    (
        "revenue",
        _words(
            "doanh thu",
            "doanh số",
            "mang về",
            "lợi nhuận",
            "lãi ròng",
            "báo lãi",
            r"lãi(?= sau thuế| trước thuế| ròng)",
            "thua lỗ",
            "lỗ ròng",
            "khoản lỗ",
            r"lỗ",
            "revenues?",
            "sales",
            "annuali[sz]ed",
            "recurring revenue",
            "arr",
            "run[- ]rate",
            "profits?",
            "net income",
            "losses",
            "loss",
            "lost",
            "earnings",
            "turnover",
        ),
    ),
    (
        "acquisition",
        _words(
            "thỏa thuận mua lại",
            "thương vụ mua lại",
            "mua lại",
            "thâu tóm",
            "sáp nhập với",
            "sáp nhập",
            r"merg(?:e|es|ed|ing) with",
            "acquisitions?",
            "acquires?",
            "acquired",
            "acquiring",
            "takeover",
            "take over",
            "merger",
            "buyout",
        ),
    ),
    (
        "contract",
        _words(
            "hợp đồng",
            r"cung cấp(?= [^.;]{0,60}?(?:trị giá|giá trị))",
            r"để (?:dùng|sử dụng)",
            r"for (?:access to|the right to|rights to|the use of|use of)",
            r"to licen[cs]e",
            r"licen[cs]ing (?:deals?|agreements?|fees?)",
            "bản quyền",
            "gói thầu",
            "trúng thầu",
            "thỏa thuận mua",
            "thỏa thuận cung cấp",
            "thỏa thuận sử dụng",
            "thỏa thuận điện toán",
            "đơn hàng",
            "đơn đặt hàng",
            "contracts?",
            "cloud deals?",
            "compute deals?",
            r"(?:cloud|computing|compute|chip|GPU|server) (?:[\w-]+ )?(?:deals?|agreements?)",
            "supply deals?",
            "purchase agreements?",
            "agreements?",
            "thỏa thuận",
            r"agreements? to (?:buy|purchase|use|rent)",
            r"deals? to (?:buy|purchase|use|supply|provide|rent)",
            # "inked a deal worth NT$30 billion with Oracle to supply rack systems"
            r"deals?(?=[^.;]{0,80}\bto (?:supply|provide|deliver)\b)",
            # "a $300 billion deal with Oracle for computing power"
            r"deals?(?=[^.;]{0,60}\bfor (?:\w+ )?(?:computing|compute|cloud|capacity|chips|"
            r"servers|gpus|data cent(?:er|re)s|power)\b)",
            "orders?",
            r"to (?:lease|rent)",
            "cho thuê",
            "thuê",
        ),
    ),
    (
        "investment",
        _words(
            "khoản đầu tư",
            "vốn đầu tư",
            "đầu tư",
            "rót vốn",
            "rót thêm",
            "rót",
            "huy động vốn",
            "huy động thành công",
            "huy động",
            "gọi thành công",
            "gọi vốn",
            "gọi thêm",
            "vòng gọi vốn",
            r"vòng series \w",
            "vòng hạt giống",
            "vốn hạt giống",
            r"nhận(?: được)?(?= (?:thêm |khoảng |gần |hơn )?[\d.,]+ (?:tỷ|triệu|nghìn))",
            "góp vốn",
            "investments?",
            r"put in",
            r"put",
            r"putting in",
            r"puts in",
            "tăng vốn",
            "cấp vốn",
            r"pour(?:s|ed|ing)?",
            "bơm vốn",
            "bơm",
            r"inject(?:s|ed|ing)?",
            "invest(?:s|ed|ing)?",
            "rais(?:e|es|ed|ing)",
            r"secur(?:e|es|ed|ing)(?= (?:\S+ ){0,4}?(?:from|in funding|of funding|in new funding))",
            "funding",
            "financing",
            r"series [a-h]",
            "seed round",
            "round",
            "backed",
            "backing",
            "stake",
        ),
    ),
    ("purchase", _words("mua", "buy(?:s|ing)?", "bought", "purchase[sd]?", "purchasing")),
]
#: "a deal valued at $9 billion" prices the deal, not a company.
_DEAL_VALUE = caseless(
    r"(?:deal|transaction|thương vụ|offer|agreement|contract|hợp đồng|package|thỏa thuận)"
    r"\s+(?:\w+\s+){0,1}$",
)
_VALUED_NAME = re.compile(
    r"\s+(?:the\s+)?(?:[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*"
    r"|(?:the|this)\s+(?:[\w-]+\s+){0,3}?(?:company|start-?up|firm|group|maker))\s+at\b"
)
_CUE_RE = caseless(r"(?<!\w)(?:" + "|".join(f"(?P<{k}>{b})" for k, b in _KIND_CUES) + r")(?!\w)")

_GOODS = caseless(
    r"năng lực|điện toán|chip|gpu|máy chủ|dịch vụ|đám mây|điện năng|compute|computing|capacity|"
    r"cloud|servers?|services|processors?|power|electricity|accelerators?",
)
#: Buying or renting: whoever does it is the customer ("ký hợp đồng ... để thuê máy chủ").
_BUY_VERB = caseless(
    r"(?<!\w)(?:mua|(?<!cho )thuê|buy|buys|bought|purchase|rent|rents|renting|lease|leases|"
    r"leasing)(?!\w)",
)
_SHARES_BEFORE = caseless(r"(?:cổ phiếu|cổ phần|shares of|stake in)\s+(?:\S+\s+){0,2}?$")
_SHARES = caseless(r"cổ phần|cổ phiếu|shares|stock")
_RECEIVE = caseless(
    r"(?<!\w)(?:huy động|gọi vốn|gọi thành công|nhận|thu hút|raised|raises|raising|raise|"
    r"secured|secures|"
    r"closed|closes|landed|lands|bagged|received|receives|attracted|nabbed|pulled in|"
    r"in talks to raise|seeking|seeks)(?!\w)",
)
_ROUND = caseless(r"vòng|round|series|funding|gọi vốn|gọi thêm|secur")
_PLACE_OBJECT = caseless(
    r"(?:vào|in|into|tại|ở)\s+(?:các\s+|the\s+)?(?:hạ tầng|trung tâm dữ liệu|data cent(?:er|re)s?|"
    r"infrastructure|việt nam|mỹ|the u\.?s\.?|america|europe|châu âu|nhà máy|factories|"
    r"plants?|chips?|ai|r&d|nghiên cứu|năng lực)",
)
_PASSIVE = caseless(
    r"(?<!\w)(?:được|bị|was acquired|were acquired|is being acquired|to be acquired|"
    r"acquired by|bought by|sold to|bán cho|bán lại cho|was bought|agreed to be)(?!\w)",
)
_SUPPLY = caseless(
    r"(?<!\w)(?<!nhà )(?:cung cấp|cho thuê|bán cho|supply|supplies|supplying|sell|sells|selling|"
    r"provide|provides|"
    r"providing|won|wins|giành|trúng thầu|thắng thầu)(?!\w)",
)
_SKIP_BEFORE = caseless(
    r"(?:mục tiêu|target|goal|có thể đạt|could reach|may reach|dự báo|forecast|"
    r"estimates? of|analysts'? (?:average )?estimates?|kỳ vọng của|"
    r"tổng(?: cộng| số)?|total|totall?ing|cumulative|bringing (?:its|the) total(?: \w+)? to|"
    r"nâng tổng(?: \w+)* lên|up from|down from|tăng từ|giảm từ|so với|compared with|"
    r"compared to|versus|vs\.?|mốc|ngưỡng|milestone)\s*(?:\S+\s+){0,3}$",
)
#: Words that may stand between a preposition and the name it governs.
_DESCRIPTIVE = re.compile(
    r"[a-zà-ỹđ][\w-]*|[\w-]+(?:'s|’s)|\d+(?:[.,]\d+)?%|"
    r"Japanese|Vietnamese|Chinese|Korean|American|British|French|German|European|Indian|"
    r"Israeli|Taiwanese|Singaporean|Dutch|Swiss|Canadian|Nhật Bản|Hàn Quốc|Trung Quốc|Mỹ|"
    r"Hà Lan|Đài Loan|Hoa Kỳ|Ấn Độ|Thụy Sĩ|Pháp|Đức|Anh|Singapore|IT|AI"
)
#: Words before a name that end the search for its preposition ("after Meta's investment").
_GOVERNS_NOTHING = frozenset(
    "after before since as when while than because until unless against about over "
    "which that who whom whose sau trước khi hơn như là mà biết".split()  # "cho biết": said
)
#: The last word before a name; a country of two words counts as one ("quỹ Hàn Quốc X").
_LAST_WORD = re.compile(
    r"(Nhật Bản|Hàn Quốc|Trung Quốc|Hà Lan|Đài Loan|Hoa Kỳ|Ấn Độ|Thụy Sĩ|\S+)\s+$"
)
_RELATIVE = caseless(r",\s+(?:which|who|whose|vốn|người)\b")
_CONVERSION = caseless(
    r"\s*\(\s*(?:tương đương|tức|khoảng|about|around|roughly|or|equivalent to|~)?\s*"
)
_PASSIVE_MARK = caseless(r"(?<!\w)(?:được|bị)(?!\w)")
_MARKET = caseless(r"thị trường|ngành|toàn cầu|thế giới|market|industry|sector|global|worldwide")
#: Sums that are no deal: pay, settlements, fines, market value lost.
_NOT_DEAL = caseless(
    r"thù lao|lương|tiền thưởng|compensation|pay package|packages|salar(?:y|ies)|bonus|"
    r"dàn xếp|vụ kiện|bồi thường|tiền phạt|phạt|settle\w*|lawsuit|fine[ds]?\b|penalt\w+|"
    r"thổi bay|bốc hơi|wiped|wiping|erased|erasing|shedding|"
    r"(?:to|in) (?:the company's |its |their )?(?:stock )?market (?:value|cap)|"
    r"in total|tổng cộng|quản lý tài sản|assets under management",
)
#: Debt right before or after an amount: "borrow up to RM3 billion", "$18 billion of bonds".
_DEBT_BEFORE = caseless(
    r"(?<!\w)(?:borrow(?:s|ed|ing)?|vay(?: vốn)?|khoản vay|(?:hợp đồng|khoản|hạn mức) tín dụng|"
    r"loans? of|credit facility of|"
    r"bonds? of|trái phiếu)(?!\w)(?:\s+\S+){0,2}\s*$",
)
_DEBT_AFTER = caseless(
    r"\s*(?:of\s+)?(?:[\w-]+\s+){0,2}?(?:bonds?|notes|trái phiếu|credit facility|credit line|"
    r"loans?|revolving|khoản vay)(?!\w)",
)
_CUMULATIVE = caseless(r"cumulative|lũy kế")
#: "… ahead of the $75.5 billion that analysts had expected": someone else's estimate.
_EXPECTED_AFTER = caseless(
    r"[^.;]{0,40}?(?:analysts|Wall Street|Phố Wall|giới phân tích)[^.;]{0,30}?"
    r"(?:expected|estimated|forecast|kỳ vọng|dự báo|ước tính)",
)
_IPO = caseless(
    r"(?<!\w)(?:IPO|initial public offering|lần đầu ra công chúng|niêm yết|listing|"
    r"public offering)(?!\w)",
)
#: "vượt kỳ vọng của Phố Wall", "beat analysts' estimates": an actual figure, not a forecast.
_BEAT = caseless(
    r"(?:vượt|hơn|beat|beats|beating|above|topped|surpassed|exceeded|ahead of)\s+"
    r"(?:\S+\s+){0,2}?(?:kỳ vọng|dự báo|expectations|estimates|forecasts?)",
)
#: Words that make a revenue figure a plan or a forecast.
_OUTLOOK = caseless(
    r"(?<!\w)(?:mục tiêu|kế hoạch|dự báo|dự phóng|dự kiến|dự tính|kỳ vọng|ước tính đạt|forecasts?|"
    r"forecasted|"
    r"expects?|expected|expecting|projects?|projected|projection|guidance|outlook|aims?|"
    r"targets?|targeting|would climb|will reach|plans to generate|sees)(?!\w)",
)
_FORECASTER = caseless(
    r"(?<!\w)(?:analysts?|research firm|Gartner|IDC|McKinsey|Morgan Stanley|Goldman Sachs|"
    r"giới phân tích|các nhà phân tích|công ty nghiên cứu)(?!\w)[^.;]{0,60}?"
    r"(?:expects?|expected|forecasts?|projects?|predicts?|estimates?|dự báo|ước tính|kỳ vọng)"
    r"(?!\w)",
)
_HOLDING = caseless(
    r"(?<!\w)(?:holds?|holding|owns?|owning|nắm giữ|sở hữu)(?!\w)[^.;]{0,80}?"
    r"(?:worth|valued at|trị giá|có giá trị)\s+(?:\S+\s+){0,2}$",
)
_EARLIER = caseless(r"(?:up from|down from|tăng từ|giảm từ)\s*(?:\S+\s+){0,3}$")
_DATED = caseless(r"\s*(?:in|vào|hồi|năm|tháng|on)\s+[\w/]+")
_CLAUSE_BREAK = caseless(
    r";|\s+trong khi\s+|\s+while\s+|\s+whereas\s+|,\s+còn\s+|,\s+nhưng\s+|,\s+but\s+|"
    r",\s+song\s+|\s+tuy nhiên\s+|,\s+meanwhile\s+|,\s+đồng thời\s+",
)
#: Prepositions before a name, with the generic nouns that may stand between ("vào startup X").
_PREP = caseless(
    r"(?<!\w)(?P<prep>led by|dẫn dắt bởi|vào|từ|với|bởi|của|cho|do|giữa|between|in|into|from|"
    r"with|by|of|on|"
    r"for|to|including|included|như|gồm|và|and|,)\s+"
    r"(?:(?:the|a|an|các|những|startup|start-up|công ty|hãng|tập đoàn|quỹ|ai|firm|company|"
    r"rival|chipmaker|developer|lab|giant|fund|investors?|nhà đầu tư|đối tác|partner|"
    r"cloud|provider|\w+-based)\s+){0,3}$",
)
_INVESTOR_PREPS = frozenset(
    {
        "từ",
        "from",
        "by",
        "bởi",
        "led by",
        "dẫn dắt bởi",
        "do",
        "với",
        "with",
        "including",
        "included",
        "như",
        "gồm",
    }
)
#: Pledges received, not made: "it had received pledges of …", "nhận được cam kết …".
_RECEIVED = caseless(
    r"(?<!\w)(?:received|receives|receiving|secured|secures|attracted|nhận(?: được)?|thu hút)"
    r"\s+(?:[\w-]+\s+){0,2}$"
)
#: A name in a list: "shareholders including Toyota, Sony and NTT".
_LISTED = caseless(r"(?<!\w)(?:including|included|such as|như|gồm)\s[^;:]*$")
_AGENT_PREPS = frozenset({"do", "bởi", "by", "led by", "dẫn dắt bởi", "từ", "from", "với", "with"})
_RECIPIENT_PREPS = frozenset({"vào", "in", "into", "cho"})
_OBJECT_PREPS = frozenset(
    {
        "on",
        "vào",
        "in",
        "into",
        "từ",
        "from",
        "by",
        "bởi",
        "led by",
        "dẫn dắt bởi",
        "với",
        "with",
        "của",
        "of",
        "cho",
        "for",
        "to",
        "do",
        "giữa",
        "including",
        "included",
        "như",
        "gồm",
    }
)
_LIST_PREPS = frozenset({"và", "and", ",", "như", "gồm", "including", "included"})

_STATUS_CUES: list[tuple[Status, Caseless]] = [
    (
        "in_talks",
        caseless(
            r"(?<!\w)(?:đang huy động|đang gọi vốn|is raising|are raising|is seeking|seeking|"
            r"đang thảo luận|thảo luận|đàm phán|xem xét|cân nhắc|đang trao đổi|in talks|"
            r"talks|in discussions|discussing|negotiat\w+|considering|weighing|exploring|mulling|"
            r"in early discussions|nguồn tin)(?!\w)",
        ),
    ),
    (
        "planned",
        caseless(
            r"(?<!\w)(?:dự kiến|có kế hoạch|kế hoạch|dự định|lên kế hoạch|sắp|nhắm tới|"
            r"plans? to|plans? an?|planning to|is planning|are planning|planned|expects? to|"
            r"expected to|intends? to|"
            r"aims? to|is set to|are set to|seeks? to|looking to)(?!\w)",
        ),
    ),
    (
        "announced",
        caseless(
            r"(?<!\w)(?:tuyên bố sẽ|tuyên bố|công bố|thông báo|đồng ý|cam kết sẽ|cam kết|sẽ|"
            r"agreed to|"
            r"agrees to|has agreed|will|announced|announces|unveiled|pledged to|"
            r"said it would|would)(?!\w)",
        ),
    ),
    (
        "completed",
        caseless(
            r"(?<!\w)(?:đã|hoàn tất|hoàn thành|ký kết|ký|chốt|closed|completed|completes|signed|"
            r"raised|invested|acquired|bought|secured|finali[sz]ed|sold|received|led|landed|"
            r"won|took|has raised|has invested|purchased)(?!\w)",
        ),
    ),
]
_ARR = caseless(
    r"định kỳ|annual recurring|recurring revenue|\barr\b|annuali[sz]ed|run[- ]rate|"
    r"quy đổi theo năm|hằng năm hóa",
)
_GROWTH = caseless(
    r"(?:tăng thêm|tăng|thêm|added|adding|adds|grew by|increase of|increased by|rose by|"
    r"jump of|boost of)\s+(?:\S+\s+){0,2}$",
)
_PROFIT = caseless(r"lợi nhuận|lãi|profit|net income|earnings")
_LOSS = caseless(r"lỗ|loss|losses|lost")
_MAX_CUE_DISTANCE = 120
#: "giao dịch thứ cấp trị giá 6,6 tỷ USD": the amount belongs to the words before it.
_BOUND_BEFORE = caseless(r"(?:trị giá|worth|giá trị)\s+(?:\S+\s+)?$")
_MAX_AFTER_DISTANCE = 50


_SELF_KINDS = frozenset({"revenue", "valuation", "commitment", "share_sale"})


def sentence_subject(text: str, mentions: list[Mention], *, before: int) -> str | None:
    """The first company named before ``before`` that no preposition governs."""
    for mention in mentions:
        if mention.end > before:
            break
        if _prep(text, mention, 0) is None:  # "including Google and OpenAI": objects both
            return mention.name
    return None


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    kind: str


@dataclass(slots=True)
class _Clause:
    start: int
    end: int
    mentions: list[Mention]


def _clauses(text: str, mentions: list[Mention]) -> list[_Clause]:
    bounds = [0]
    for match in _CLAUSE_BREAK.finditer(text):
        bounds.append(match.end())
    bounds.append(len(text))
    return [
        _Clause(a, b, [m for m in mentions if a <= m.start < b])
        for a, b in itertools.pairwise(bounds)
    ]


def _prep(text: str, mention: Mention, floor: int) -> str | None:
    """The preposition governing a name, skipping descriptions ("from Japan's X", "in a firm X")."""
    return _prep_at(text, mention.start, floor)


@functools.lru_cache(maxsize=4096)
def _prep_at(text: str, start: int, floor: int) -> str | None:
    window = text[max(floor, start - 60) : start]
    for _ in range(4):
        match = _PREP.search(window)
        if match:
            return match.group("prep").casefold()
        last = _LAST_WORD.search(window)
        if (
            last is None
            or not _DESCRIPTIVE.fullmatch(last.group(1))
            or last.group(1).casefold() in _GOVERNS_NOTHING
        ):
            return None
        window = window[: last.start()] + " "
    return None


#: Between an amount and a cue after it: the cue belongs elsewhere ("… vượt 300 triệu euro
#: nhờ các hợp đồng": the contracts are the reason, not the kind).
_AFTER_BREAK = caseless(
    r",(?!\s*[\w-]+-year\b)|\s(?:và|and|nhờ|thanks to|driven by|due to|because of|helped by|"
    r"boosted by)\s",
)


_ASIDE = re.compile(
    r",\s+(?:a|an|the|một|startup|công ty|nhà|hãng|co-founded|founded|backed)\b[^,;()]{0,140},"
)


def _nearest_cue(text: str, money: MoneyMention, clause: _Clause) -> _Cue | None:
    best: tuple[float, _Cue] | None = None
    for cue in _cues(text):
        if not clause.start <= cue.start < clause.end:
            continue
        if (
            text[cue.start : cue.end].casefold() == "valued"
            and _DEAL_VALUE.search(text, clause.start, cue.start)
            and not _VALUED_NAME.match(text, cue.end)  # "the deal valued Scale at $29 billion"
        ):
            continue
        if cue.start < money.start:
            distance: float = money.start - cue.end
            # "acquire Veridian Labs, an AI security startup that …, for $1.1 billion": the
            # description of a name between the cue and the sum does not part them
            for aside in _ASIDE.finditer(text, cue.end, money.start):
                distance -= len(aside.group(0))
        elif cue.start - money.end <= 2 and cue.kind == "valuation":
            distance = 0  # "at a $39 billion post-money valuation": the noun the sum qualifies
        else:
            distance = 1.2 * (cue.start - money.end) + 6
            if _BOUND_BEFORE.search(text, max(clause.start, money.start - 16), money.start):
                distance += 40
            if distance > _MAX_AFTER_DISTANCE or _AFTER_BREAK.search(text, money.end, cue.start):
                continue
        if distance < 0 or distance > _MAX_CUE_DISTANCE:
            continue
        if best is None or distance < best[0]:
            best = (distance, cue)
    return best[1] if best else None


@functools.lru_cache(maxsize=256)
def _cues(text: str) -> tuple[_Cue, ...]:
    """Every kind cue in a sentence, found once however many amounts it holds."""
    return tuple(_Cue(m.start(), m.end(), m.lastgroup or "") for m in _CUE_RE.finditer(text))


@functools.lru_cache(maxsize=256)
def _status_cues(text: str) -> tuple[tuple[int, int, int, Status], ...]:
    """Every status cue in a sentence: (start, end, rank, status)."""
    return tuple(
        (m.start(), m.end(), rank, status)
        for rank, (status, pattern) in enumerate(_STATUS_CUES)
        for m in pattern.finditer(text)
    )


class _Roles:
    """Who is who around one cue in one clause."""

    def __init__(
        self,
        text: str,
        clause: _Clause,
        cue: _Cue,
        money: MoneyMention,
        mentions: list[Mention],
        topic: str | None = None,
    ) -> None:
        self.text = text
        #: The company the article is about so far.
        self.topic = topic
        #: "... in Anthropic, while Nvidia will put in $10B": a parallel clause's recipient.
        self.earlier_recipient = next(
            (
                m
                for m in reversed(mentions)
                if m.end <= clause.start and _prep(text, m, 0) in _RECIPIENT_PREPS
            ),
            None,
        )
        self.clause = clause
        self.cue = cue
        self.money = money
        anchor = min(cue.start, money.start)
        self.preps = {m: _prep(text, m, clause.start) for m in clause.mentions}
        plain_before = [
            m
            for m in clause.mentions
            if m.end <= anchor
            and (self.preps[m] not in _OBJECT_PREPS or _RELATIVE.match(text, m.end))
            # "The round more than doubles …, when it raised …": a deal acts for nobody
            and not (m.coref and _DEAL_POINTER.match(text, m.start))
        ]
        self.actor = plain_before[0] if plain_before else None
        self.after = [m for m in clause.mentions if m.start >= cue.end or m.start >= money.end]

    def passive_agent(self) -> Mention | None:
        """The agent of a passive ("được X rót", "được X mua lại") before the cue."""
        if self.actor is None:
            return None
        match = _PASSIVE_MARK.search(self.text, self.actor.end, self.cue.start)
        if match is None:
            return None
        return next(
            (m for m in self.clause.mentions if match.end() <= m.start < self.cue.start), None
        )

    def owner_after_amount(self) -> Mention | None:
        """ "khoản đầu tư 10 tỷ USD của Amazon": the owner named right after the amount."""
        return next(
            (
                m
                for m in self.after
                if self.preps[m] in ("của", "of") and 0 <= m.start - self.money.end <= 12
            ),
            None,
        )

    def first(
        self, preps: frozenset[str], *, after_only: bool = False, but: Mention | None = None
    ) -> Mention | None:
        """The first name governed by one of ``preps`` (and not ``but`` named again)."""
        pool = self.after if after_only else self.clause.mentions
        return next((m for m in pool if self.preps[m] in preps and not _again(m, but)), None)

    def between(self, pattern: re.Pattern[str] | Caseless) -> bool:
        start = self.actor.end if self.actor else self.clause.start
        return bool(pattern.search(self.text, start, max(self.cue.end, self.money.start)))


def _again(mention: Mention, earlier: Mention | None) -> bool:
    """Whether ``mention`` names the company of ``earlier`` again, after it."""
    return earlier is not None and mention.start > earlier.start and mention.name == earlier.name


def _name(mention: Mention | None) -> str | None:
    return mention.name if mention else None


_LED_SUFFIX = re.compile(r"-(?:led|backed)\b")


#: "có sự tham gia của Nvidia", "with participation from": an investor of the round.
_TAKES_PART = caseless(r"(?:sự tham gia của|tham gia của|participation (?:from|of|by))\s+$")


def _investment(r: _Roles) -> tuple[Kind, str | None, str | None]:
    owner = r.owner_after_amount()
    if owner is not None and r.actor is None and _ROUND.search(r.text, r.cue.start, r.cue.end):
        # "vòng gọi vốn 1 tỷ USD của Helix AI (có sự tham gia của Nvidia)": the round's
        # owner receives; an investor is one named after it
        backer = next(
            (
                m
                for m in r.after
                if m.start > owner.end
                and m.name != owner.name
                and (
                    r.preps[m] in _INVESTOR_PREPS or _TAKES_PART.search(r.text, owner.end, m.start)
                )
            ),
            None,
        )
        return "investment", owner.name, _name(backer)
    recipient = r.first(_RECIPIENT_PREPS, after_only=True)
    # the recipient does not invest in itself ("vào OpenAI, gắn với việc OpenAI triển khai")
    but = recipient
    investor = (
        # "$1 billion, including $300 million from Nvidia and $200 million from Microsoft"
        next(
            (
                m
                for m in r.after
                if m.start >= r.money.end and r.preps[m] in _INVESTOR_PREPS and not _again(m, but)
            ),
            None,
        )
        or r.first(_INVESTOR_PREPS, after_only=True, but=but)
        or r.first(_INVESTOR_PREPS, but=but)
        or r.owner_after_amount()
        or next((m for m in r.clause.mentions if _LED_SUFFIX.match(r.text, m.end)), None)
    )
    if r.actor and r.between(_RECEIVE):
        return "investment", _name(r.actor), _name(investor)
    backer = r.passive_agent()
    if r.actor and backer:
        # "Sao Kim Labs vừa được quỹ X rót vốn 25 triệu USD": the subject receives.
        return "investment", r.actor.name, backer.name
    if recipient is None:
        if investor and r.actor and r.actor.name != investor.name:
            return "investment", r.actor.name, investor.name
        if r.actor and _PLACE_OBJECT.search(r.text, r.cue.start, r.clause.end):
            return "commitment", r.actor.name, None
        if r.actor and _ROUND.search(r.text, r.cue.start, r.cue.end):
            return "investment", r.actor.name, _name(investor)
        recipient = r.earlier_recipient or next(
            (  # "Salesforce Ventures invested in the company in 2023, putting in $25 million"
                m
                for m in r.clause.mentions
                if m.end <= r.cue.start
                and r.preps[m] in _RECIPIENT_PREPS
                and m.name != _name(r.actor)
            ),
            None,
        )
        if (
            recipient is None
            and r.actor is not None
            and _LISTED.search(r.text, r.clause.start, r.actor.start)
            and r.topic not in (None, r.actor.name)
        ):
            # "Shareholders including Toyota, Sony and NTT have put in ¥7.3 billion": a
            # list of backers putting money into the company the article is about
            return "investment", r.topic, None
        if recipient is None or (r.actor and r.actor.name == recipient.name):
            if r.actor is None:
                return "investment", None, None
            # "Google will invest $40 billion in Texas": spending, not a stake in a company.
            return "commitment", r.actor.name, None
    backer = investor or r.actor
    return "investment", recipient.name, _name(backer)


def _acquisition(r: _Roles) -> tuple[Kind, str | None, str | None]:
    if _PASSIVE.search(r.text, r.clause.start, r.clause.end):
        target = r.actor or (r.clause.mentions[0] if r.clause.mentions else None)
        buyer = next((m for m in r.clause.mentions if m is not target), None)
        return "acquisition", _name(target), _name(buyer)
    if _MERGE.fullmatch(r.text, r.cue.start, r.cue.end):
        # "Relay has agreed to merge with Tagwise": the one merged into the actor
        target = next((m for m in r.after if m.start >= r.cue.end), None)
    else:
        target = next((m for m in r.after if r.preps[m] not in _INVESTOR_PREPS), None)
    return "acquisition", _name(target), _name(r.actor)


_MERGE = caseless(r"merg(?:e|es|ed|ing) with|sáp nhập với")


#: A buyer giving a contract to its provider: "awarded OpenAI", "trao cho FPT".
_AWARDED = caseless(
    r"(?<!\w)(?:(?:was|were|has been|have been|is|been|được)\s+(?:award(?:ed)?|trao)|won|wins|"
    r"trúng thầu|thắng thầu)(?!\w)"
)
_PAID = caseless(r"(?<!\w)(?:pay|pays|paid|paying|trả cho|trả)\s+$")
_AWARD = caseless(r"(?<!\w)(?:award(?:s|ed|ing)?|trao(?: cho)?)(?!\w)")


def _is_bank(text: str, mention: Mention) -> bool:
    """ "Vietcombank", "Ngân hàng TMCP Hàng Hải (MSB)", "the lender, Techcombank": a bank."""
    return bool(
        _BANK_NAME.search(mention.name)
        or _CALLED_A_BANK.search(text, max(0, mention.start - 70), mention.start)
    )


#: A bank's name right after the word: "ngân hàng MB", "Ngân hàng TMCP Hàng Hải (MSB)".
_CALLED_A_BANK = caseless(
    r"(?:ngân hàng|nhà băng|\bbank|\blender)(?:\s+tmcp)?(?:\s+[^,.;()]{0,50}\()?\s*$"
)


def _contract(r: _Roles, index: CompanyIndex) -> tuple[Kind, str | None, str | None]:
    between = [m for m in r.clause.mentions if r.preps[m] in ("giữa", "between")]
    if r.actor is None and between:
        # "hợp đồng … được ký giữa RiverBank và CMC": the first party buys, unless the
        # second is the bank
        first = between[0]
        second = next((m for m in r.clause.mentions if m.start > first.end), None)
        if second is not None:
            if second.name.casefold().endswith("bank") and not first.name.casefold().endswith(
                "bank"
            ):
                first, second = second, first
            return "contract", first.name, second.name
    objects = [
        m
        for m in r.clause.mentions
        if m.name != _name(r.actor) and r.preps[m] in _OBJECT_PREPS  # not its own partner
    ]
    # The party nearest after the amount: "$300bn with Oracle and $22.4bn with CoreWeave".
    other = next((m for m in objects if m.start >= r.money.end), None) or next(iter(objects), None)
    if other is None:
        other = next((m for m in r.after if m is not r.actor), None)
    won = r.actor is not None and _AWARDED.search(r.text, r.actor.end, r.cue.end)
    if won:
        # "OpenAI was awarded a $200 million contract by the Department of Defense"
        giver = next((m for m in r.after if r.preps[m] in ("by", "from", "bởi", "từ", "của")), None)
        if giver is not None:
            return "contract", giver.name, _name(r.actor)
    if r.actor is not None and not won and _AWARD.search(r.text, r.actor.end, r.cue.start):
        # "the Department of Defense awarded OpenAI a $200 million contract", "Bệnh viện
        # Chợ Rẫy trao cho VinBrain hợp đồng …": the one who awards buys
        given = next((m for m in r.clause.mentions if r.actor.end <= m.start < r.cue.start), None)
        return "contract", r.actor.name, _name(given or other)
    paid = next(
        (
            m
            for m in r.clause.mentions
            if r.actor is not None
            and r.actor.end <= m.start < r.money.start
            and _PAID.search(r.text, r.actor.end, m.start)
        ),
        None,
    )
    if paid is not None:  # "Google will pay Reddit $60 million a year for access to …"
        return "contract", _name(r.actor), paid.name
    buyer, seller = r.actor, other
    if buyer and seller and is_institution(seller.name) and not is_institution(buyer.name):
        return "contract", seller.name, buyer.name  # a ministry or a hospital buys
    if buyer and seller and _is_bank(r.text, seller) and not _is_bank(r.text, buyer):
        return "contract", seller.name, buyer.name  # a bank buys its systems, it sells none
    if not _purchase_verb(r, whole_clause=True) and _supplies(r):
        buyer, seller = other, r.actor
    elif (
        buyer
        and seller
        and not _purchase_verb(r, whole_clause=True)
        and not index.is_startup(buyer.name)
        and index.is_startup(seller.name)
        and not buyer.name.casefold().endswith("bank")
    ):
        # a known tech company's deal with a newcomer: the newcomer buys (but a bank's deal
        # with an AI startup "để triển khai nền tảng AI" buys the startup's work)
        buyer, seller = seller, buyer
    return "contract", _name(buyer), _name(seller)


def _supplies(r: _Roles) -> bool:
    """Whether the clause's actor is the one who supplies ("to supply Meta with ...")."""
    for match in _SUPPLY.finditer(r.text, r.clause.start, r.clause.end):
        lead = r.text[max(r.clause.start, match.start() - 16) : match.start()]
        if not re.search(
            r"(?:which|that|who|mà|đơn vị|công ty|hãng|nhà)\s+(?:\w+\s+)?$", lead, re.IGNORECASE
        ):
            return True
    return False


def _purchase_verb(r: _Roles, *, whole_clause: bool = False) -> bool:
    """Whether a buying verb comes before the amount (or anywhere: "ký hợp đồng ... để mua")."""
    end = r.clause.end if whole_clause else r.money.start
    return bool(_BUY_VERB.search(r.text, r.clause.start, end))


def _share_sale(r: _Roles) -> tuple[Kind, str | None, str | None]:
    owner = next(
        (
            m
            for m in r.clause.mentions
            if r.preps[m] in {"của", "of", "in"}
            or _SHARES.match(r.text[m.end :].lstrip())
            or _SHARES_BEFORE.search(r.text, max(r.clause.start, m.start - 14), m.start)
        ),
        None,
    )
    buyer = next(
        (
            m
            for m in r.after
            if r.preps[m] in {"cho", "to", "led by", "dẫn dắt bởi", "do", "including"}
        ),
        None,
    )
    if _TENDER.search(r.text, r.cue.start, r.cue.end):  # the company's own shares, bought back
        return "share_sale", _name(owner or r.actor), _name(buyer)
    if _purchase_verb(r) and r.actor:
        issuer = owner or next((m for m in r.after if m is not r.actor), None)
        if issuer is None and r.topic != r.actor.name:
            # "Fidelity bought $300 million of shares from early employees"
            return "share_sale", r.topic, r.actor.name
        return "share_sale", _name(issuer), r.actor.name
    if r.actor and owner is None and _is_investor(r, r.actor):
        # "quỹ ngoại PYN Elite Fund đã bán ra 2,1 triệu cổ phiếu": a holder sells the
        # shares of the company the article is about
        return "share_sale", r.topic if r.topic != r.actor.name else None, None
    return "share_sale", _name(owner or r.actor), _name(buyer)


#: Words that introduce an investor, and endings of investors' names.
_INVESTOR_BEFORE = caseless(
    r"(?:quỹ(?: ngoại| đầu tư)?|cổ đông(?: lớn| chiến lược| ngoại)?|nhà đầu tư|fund|investor|"
    r"shareholder|backer|early backer|venture firm)\s+$",
)
_INVESTOR_NAME = re.compile(r"\b(?:Capital|Partners|Ventures|Fund|Investments)$")


def _is_investor(r: _Roles, mention: Mention) -> bool:
    """Whether the text presents ``mention`` as an investor, not an operating company."""
    return bool(
        _INVESTOR_NAME.search(mention.name)
        or _INVESTOR_BEFORE.search(r.text, max(0, mention.start - 25), mention.start)
    )


#: Between a buying word and a company it buys: nothing, or words ending in a company noun.
_COMPANY_OBJECT = re.compile(
    r"\s+(?:of\s+)?(?:(?:the|a|an)\s+)?(?:(?:[a-zà-ỹđ][\w-]*\s+){0,3}?"
    r"(?:startup|start-up|company|firm|maker|designer|developer|chipmaker|provider|operator|"
    r"công ty|hãng|tập đoàn|doanh nghiệp)\s+)?"
)
#: A stake that gives control: more than half, the rest, all of it.
_CONTROL = caseless(
    r"(?<![\d.,])(?:5[1-9]|[6-9]\d|100)(?:[.,]\d+)?\s?%|majority|controlling|còn lại|remaining|"
    r"toàn bộ|chi phối|kiểm soát",
)
#: Spending "to take over" a company, right after the amount.
_TAKEOVER = caseless(
    r"\s*(?:\([^)]*\)\s*)?(?:để|nhằm|to)\s+(?:nắm quyền kiểm soát|thâu tóm|mua lại|mua|"
    r"take control of|take over|acquire|buy)\s",
)
#: The one sold from: "mua hệ thống … từ Temenos", "buy servers from Dell".
_SELLER_PREPS = frozenset({"từ", "from"})
_PLACEMENT = caseless(r"phát hành|private placement")
_TENDER = caseless(r"chào mua|tender")


def _commitment(r: _Roles) -> tuple[Kind, str | None, str | None]:
    partners = [m for m in r.after if m.name != _name(r.actor)]
    partner = None
    if len({m.name for m in partners}) == 1 and r.preps[partners[0]] in {
        "với",
        "cho",
        "with",
        "to",
        "from",
        "từ",
    }:
        partner = partners[0].name
    return "commitment", _name(r.actor), partner


_WHOSE = caseless(r",?\s+whose\s")


def _self_subject(r: _Roles) -> str | None:
    """The company a revenue figure or a valuation belongs to."""
    before = [
        m
        for m in r.clause.mentions
        if m.end <= r.money.start and not (m.coref and _DEAL_POINTER.match(r.text, m.start))
    ]
    right_after = next((m for m in r.clause.mentions if 0 < m.start - r.cue.end <= 2), None)
    if right_after is not None and (
        not right_after.coref or _VALUING.search(r.text, r.clause.start, right_after.start)
    ):
        # "the $900 million valuation Tessellate fetched" (a pointer back is not trusted here)
        return right_after.name
    whose = _WHOSE.search(r.text, r.clause.start, r.cue.start)
    if whose:  # "Snowflake, whose market value sits near $75 billion"
        owner = [m for m in before if m.end <= whose.start()]
        if owner:
            return owner[-1].name
    owned = [m for m in before if r.preps[m] in {"của", "of"}]
    plain = [m for m in before if r.preps[m] not in _OBJECT_PREPS]
    if owned:
        return owned[-1].name
    if plain:
        return plain[0].name
    owners = {"của", "of", "for"} if r.cue.kind == "valuation" else {"của", "of"}
    after = next((m for m in r.after if r.preps[m] in owners), None)
    return _name(after)  # "a valuation of $720 million for WinTech"


def _metric(text: str, r: _Roles) -> Metric:
    window = text[r.clause.start : r.clause.end]
    cue = text[r.cue.start : r.cue.end]
    if _LOSS.fullmatch(cue) or re.search(r"lỗ|loss", cue, re.IGNORECASE):
        return "loss"
    if _PROFIT.search(cue):
        return "profit"
    if _ARR.search(window):
        if _GROWTH.search(text[r.clause.start : r.money.start]):
            return "arr_growth"
        return "arr"
    return "revenue"


def _status(text: str, clause: _Clause, cue: _Cue) -> Status:
    best: tuple[float, Status] | None = None
    for start, end, rank, status in _status_cues(text):
        if not clause.start <= start < clause.end:
            continue
        if start < cue.start:
            distance: float = cue.start - end
        else:
            distance = 2 * (start - cue.end) + 10
        distance += rank * 4  # the more tentative word wins a near tie
        if best is None or distance < best[0]:
            best = (distance, status)
    return best[1] if best else "completed"


def _date(text: str, dates: list[DateMention], clause: _Clause, money: MoneyMention) -> str | None:
    if not dates:
        return None
    inside = [d for d in dates if clause.start <= d.start < clause.end] or dates
    # "năm tài chính 2025 (kết thúc ngày 31/3/2025)": a date in brackets is an aside
    plain = [d for d in inside if not _in_brackets(text, d.start)] or inside
    return min(plain, key=lambda d: abs(d.start - money.start)).value


def _in_brackets(text: str, at: int) -> bool:
    return text.rfind("(", 0, at) > text.rfind(")", 0, at)


_TOTAL = caseless(r"(?:a\s+)?(?:tổng(?: cộng)?|total|in total)\b(?!\s+(?:\w+\s+)?to\b)")
_PRIOR_BEFORE = caseless(r"(?<!\w)(?:up|down)\s+from\s+(?:\S+\s+)?$")


_RESPECTIVELY = caseless(r"(?<!\w)(?:lần lượt|respectively)(?!\w)")


def _respectively(
    text: str, facts: list[Fact], mentions: list[Mention], first_amount: int
) -> list[Fact]:
    """ "Nvidia và Microsoft cam kết đầu tư lần lượt 10 tỷ USD và 5 tỷ USD vào Anthropic":
    the companies named before the amounts take them in turn, in the role the first holds."""
    if len(facts) < 2 or not _RESPECTIVELY.search(text):
        return facts
    names = list(dict.fromkeys(m.name for m in mentions if m.end <= first_amount and not m.coref))
    if len(names) != len(facts):
        return facts
    lead = names[0]
    return [
        fact.model_copy(update={"subject": name})
        if fact.subject == lead
        else fact.model_copy(update={"counterparty": name})
        if fact.counterparty == lead
        else fact
        for fact, name in zip(facts, names, strict=True)
    ]


def facts_in_sentence(
    sentence: Sentence,
    mentions: list[Mention],
    *,
    language: str,
    published: date | None,
    index: CompanyIndex,
    topic: str | None = None,
) -> list[Fact]:
    """The facts one sentence states, given the company mentions found in it.

    ``topic`` is the company the article is about so far (see ``salient``).
    """
    text = sentence.text
    facts: list[Fact] = []
    amounts = find_money(text, language=language)
    if not amounts:
        return facts
    clauses = _clauses(text, mentions)
    dates = find_dates(text, published)
    previous: MoneyMention | None = None
    for money in amounts:
        if previous is not None and _CONVERSION.fullmatch(text[previous.end : money.start]):
            previous = money
            continue  # "200 triệu USD (tương đương 5.200 tỷ đồng)": the same sum again
        if previous is not None and _PRIOR_BEFORE.search(
            text, max(previous.end, money.start - 30), money.start
        ):
            # "values it at €1 billion, up from €400 million": the same measure, earlier
            if facts and facts[-1].amount == previous.amount:
                earlier = [d for d in dates if d.start >= money.end]
                when = _date(text, earlier, clauses[-1], money)
                if when is not None and facts[-1].date == when:
                    # "at $2 billion, up from $800 million in 2024": 2024 is the earlier one's
                    facts[-1] = facts[-1].model_copy(update={"date": None})
                facts.append(facts[-1].model_copy(update={"amount": money.amount, "date": when}))
            previous = money
            continue
        previous = money
        skip = _SKIP_BEFORE.search(text[max(0, money.start - 40) : money.start])
        # "Microsoft has invested a total of $13 billion in OpenAI": one backer's total
        # in one company is a fact (read below), unlike "bringing its total funding to …"
        pair_total = bool(skip and _TOTAL.match(skip.group(0)))
        if (
            skip
            and not pair_total
            and not (
                _EARLIER.search(text[max(0, money.start - 40) : money.start])
                and _DATED.match(text[money.end : money.end + 30])
            )
        ):
            continue
        clause = next(c for c in clauses if c.start <= money.start < c.end)
        if _DEBT_BEFORE.search(text, max(clause.start, money.start - 40), money.start) or (
            _DEBT_AFTER.match(text, money.end)
        ):
            continue  # loans and bonds: FACTS.md has no kind for debt
        if _FORECASTER.search(text, clause.start, money.start):
            continue  # "analysts at Gartner expect spending on AI tools to reach $25 billion"
        if _HOLDING.search(text, clause.start, money.start):
            continue  # "holds a 27% stake …, worth about $135 billion": a holding's value
        not_deal = _NOT_DEAL.search(
            text, max(clause.start, money.start - 70), min(clause.end, money.end + 40)
        )
        if not_deal and not (pair_total and _TOTAL.fullmatch(not_deal.group(0))):
            continue
        cue = _nearest_cue(text, money, clause)
        if cue is None:
            continue
        roles = _Roles(text, clause, cue, money, mentions, topic)
        kind, subject, counterparty = _read_roles(cue.kind, roles, index)
        if kind == "investment" and _IPO.search(text, clause.start, clause.end):
            kind, counterparty = "share_sale", None  # money raised by listing: shares sold
        if subject is None and kind in _SELF_KINDS:
            # "..., trong khi lợi nhuận đạt 13.200 tỷ đồng": the sentence's subject.
            subject = sentence_subject(text, mentions, before=money.start)
        if (
            subject is None
            and kind in ("revenue", "valuation", "share_sale")
            and not any(m.start < money.start for m in mentions)
            and not _MARKET.search(text)
        ):
            # "CEO Maya Okafor said annual recurring revenue crossed $100 million": the
            # company the article is about, unless the sentence speaks of a market.
            subject = topic
        if kind == "investment" and subject == counterparty:
            counterparty = None  # "đơn vị … rót 500 tỷ đồng vào Sao Mai AI": an unknown backer
        if subject is None or subject == counterparty:
            continue
        if pair_total and not (  # one backer, one company, both named
            kind == "investment"
            and counterparty is not None
            and len({m.name for m in clause.mentions if m.end <= money.start}) == 1
            and any(
                roles.preps[m] in _RECIPIENT_PREPS and m.name == subject and not m.coref
                for m in roles.after
            )
        ):
            continue
        if kind != "revenue" and _CUMULATIVE.search(
            text, max(clause.start, money.start - 70), min(clause.end, money.end + 40)
        ):
            continue  # "tổng vốn lũy kế": a running total of deals, not a new one
        if kind == "revenue" and (
            _OUTLOOK.search(_BEAT.sub(" ", text[clause.start : money.start]))
            or _EXPECTED_AFTER.match(text, money.end)
        ):
            continue  # "đặt mục tiêu doanh thu …", "expects 2025 revenue of …": not yet money
        metric = _metric(text, roles) if kind == "revenue" else None
        status = _status(text, clause, cue) if kind in STATUS_KINDS else None
        when = _date(text, dates, clause, money)
        if when is None and status == "in_talks" and published is not None:
            when = published.strftime("%Y-%m")
        facts.append(
            Fact(
                kind=kind,
                subject=subject,
                counterparty=counterparty if kind not in ("revenue", "valuation") else None,
                amount=money.amount,
                status=status,
                metric=metric,
                date=when,
                evidence=text,
            )
        )
    return _respectively(text, facts, mentions, amounts[0].start)


#: Nothing after an amount to say where it goes: "…, while Google committed $2 billion."
_NOTHING_AFTER = caseless(r"[\s,.;]*(?:(?:as well|too|each|more)[\s,.;]*)?")


def _read_roles(
    cue_kind: str, r: _Roles, index: CompanyIndex
) -> tuple[Kind, str | None, str | None]:
    if cue_kind == "purchase":
        tail = r.text[r.cue.end : r.clause.end]
        bought = next((m for m in r.after if m.start >= r.cue.end), None)
        if (
            bought
            and _COMPANY_OBJECT.fullmatch(r.text, r.cue.end, bought.start)
            and not _GOODS.match(r.text[bought.end : bought.end + 20].lstrip("'’s "))
        ):
            return _acquisition(r)  # "its purchase of chip designer Ampere", "mua startup X"
        if _GOODS.search(tail[:80]):
            return _contract(r, index)
        if _SHARES.search(tail[:40]):
            if _CONTROL.search(tail[:40]):  # "mua 51% cổ phần của Lotus AI": a takeover
                return _acquisition(r)
            return _share_sale(r)
        return _acquisition(r)
    if cue_kind == "share_sale" and _PLACEMENT.search(r.text, r.cue.start, r.cue.end):
        # "phát hành riêng lẻ 15% vốn cho SMBC": new shares for an investor, who invests
        investor = next((m for m in r.after if r.preps[m] in ("cho", "to")), None)
        return "investment", _name(r.actor), _name(investor)
    if (
        cue_kind == "share_sale"
        and _BUY_VERB.search(r.text, r.cue.start, r.cue.end)
        and _CONTROL.search(r.text, r.cue.start, min(r.clause.end, r.cue.end + 20))
    ):
        return _acquisition(r)  # "mua lại toàn bộ cổ phần của Sao Mai AI": a takeover
    if cue_kind == "share_sale" and re.search("stake", r.text[r.cue.start : r.cue.end], re.I):
        owner = next((m for m in r.after if r.preps[m] in ("in", "vào")), None)
        buyer = next((m for m in r.after if r.preps[m] in ("to", "cho")), None)
        return "share_sale", _name(owner), _name(buyer)
    if cue_kind == "investment":
        if re.fullmatch("stake", r.text[r.cue.start : r.cue.end], re.IGNORECASE) and re.search(
            r"(?:acquir\w*|buy|buys|bought|purchas\w*)\s+(?:an?\s+)?(?:\S+\s+)?$",
            r.text[max(r.clause.start, r.cue.start - 30) : r.cue.start],
            re.IGNORECASE,
        ):
            return _acquisition(r)
        return _investment(r)
    if cue_kind == "acquisition":
        return _acquisition(r)
    if cue_kind == "contract":
        return _contract(r, index)
    if cue_kind == "share_sale":
        return _share_sale(r)
    if cue_kind == "commitment" and r.actor and _RECEIVED.search(r.text, r.actor.end, r.cue.start):
        # "it had received pledges of about ¥130 billion from over 30 companies"
        return "investment", r.actor.name, _name(r.first(_INVESTOR_PREPS, after_only=True))
    if cue_kind == "commitment" and r.actor and _TAKEOVER.match(r.text, r.money.end):
        target = next((m for m in r.after if m.start > r.money.end), None)
        between = r.text[r.money.end : target.start] if target is not None else ""
        # "chi 425 tỷ đồng để nắm quyền kiểm soát Lotus AI", not "để mua 20% cổ phần X"
        if target is not None and r.preps[target] in _SELLER_PREPS:
            # "chi 1.200 tỷ đồng để mua hệ thống ngân hàng lõi mới từ Temenos": goods
            return "contract", r.actor.name, target.name
        if target is not None and (not _SHARES.search(between) or _CONTROL.search(between)):
            return "acquisition", target.name, r.actor.name
    if cue_kind == "commitment" and r.actor:
        stake = next(
            (m for m in r.after if _SHARES_BEFORE.search(r.text, max(0, m.start - 30), m.start)),
            None,
        )
        if stake is not None:  # "chi 14,3 tỷ USD để mua 49% cổ phần Scale AI"
            return "investment", stake.name, r.actor.name
        provider = next(
            (
                m
                for m in r.after
                if r.preps[m] in ("on", "cho")
                # "spend $1 billion on cloud computing from Google"
                or (
                    r.preps[m] in ("from", "từ", "của", "of")
                    and _GOODS.search(r.text, r.money.end, m.start)
                )
            ),
            None,
        )
        if provider is not None and provider.name != r.actor.name:  # "spend $750m on Azure"
            return "contract", r.actor.name, provider.name
    if cue_kind == "commitment":
        if r.first(_RECIPIENT_PREPS, after_only=True) and re.search(
            "đầu tư|invest", r.text[r.cue.start : r.clause.end], re.IGNORECASE
        ):
            return _investment(r)
        recipient = r.earlier_recipient
        if (
            recipient is not None
            and r.actor is not None
            and r.actor.name != recipient.name
            and _NOTHING_AFTER.fullmatch(r.text, r.money.end, r.clause.end)
        ):
            # "Amazon will invest $4 billion in Anthropic, while Google committed $2 billion"
            return "investment", recipient.name, r.actor.name
        return _commitment(r)
    kind: Kind = "valuation" if cue_kind == "valuation" else "revenue"
    return kind, _self_subject(r), None


#: "các công ty", "other firms": companies in general, not one named before.
_PLURAL_BEFORE = re.compile(r"(?:các|những|nhiều|mọi|một số|these|other|many)\s+$")
#: "hãng tin", "công ty tư vấn": a news agency or an adviser, not a party.
_NOT_A_COMPANY_AFTER = caseless(r"\s+(?:tin|thông tấn|khác|con|nghiên cứu|phân tích|tư vấn|luật)\b")


_BANK_POINTER = caseless(r"ngân hàng|nhà băng|the bank|the lender")
_BANK_NAME = caseless(r"bank|^ngân hàng\s|^nhà băng\s")
_VERB_AFTER = caseless(
    r"\s+(?:được|bị|đã|đang|sẽ|vừa|cũng|từng|is|was|has|had|have|will|would|said|agreed|plans)"
    r"(?!\w)"
)
_VALUING = caseless(r"(?<!\w)(?:values|valued|valuing|định giá)\s+$")


_DEAL_POINTER = caseless(r"thương vụ|vòng|the deal|the round")


def _put_into(
    pointer: str, history: list[str], topic: str | None, investor: str | None
) -> str | None:
    """The company money is put into ("invested in the company", "vào đơn vị này"): not the
    investor; the one named last for "… này", else the one the article is about."""
    if investor is None:
        return None
    # "vào thương vụ này", "into the round": the deal's company, the article's
    if pointer.casefold().endswith("này") and not _DEAL_POINTER.match(pointer):
        return next((n for n in reversed(history) if n != investor), None)
    return topic if topic != investor else None


def _valued_company(
    text: str, start: int, end: int, mentions: list[Mention], topic: str | None
) -> str | None:
    """The company a valuation points back to ("valuing the company at …"): the one just
    named for "doanh nghiệp này", else the sentence's subject ("SAP shares rose, valuing
    the company at …"), else the article's ("The round values the startup at …")."""
    named = [m for m in mentions if m.end <= start and not m.coref]
    if named and text[start:end].casefold().endswith("này"):
        return named[-1].name
    received = [m for m in named if _prep(text, m, 0) in _RECIPIENT_PREPS]
    if received:  # "led a round in Meridian Robotics, valuing the Singapore startup at …"
        return received[-1].name
    subject = next(
        (
            m
            for m in named
            if _prep(text, m, 0) is None or _SHARES_OF.search(text, max(0, m.start - 16), m.start)
        ),
        None,
    )
    return subject.name if subject else topic


#: "Shares of SAP SE rose …": the company whose shares move is the sentence's subject.
_SHARES_OF = caseless(r"(?:shares|stock|cổ phiếu)(?: of| của)?\s+$")


def resolve_corefs(
    text: str,
    mentions: list[Mention],
    history: list[str],
    subjects: list[str],
    index: CompanyIndex,
    *,
    topic: str | None = None,
) -> list[Mention]:
    """Add mentions for phrases that point back ("startup này", "the company").

    ``history`` lists every company named so far, ``subjects`` the subject of
    each earlier sentence: "the company" at the head of a clause means the
    company the article is about, not merely the last one named.
    """
    added: list[Mention] = []
    corefs = find_corefs(text)
    if not corefs:
        return mentions
    clauses = _clauses(text, mentions)
    for start, end, wants_startup in sorted(corefs):
        if any(m.start <= start < m.end for m in mentions):
            continue
        # "công ty phần mềm Helio Robotics": a description of the name that follows; but
        # "đơn vị này từng được VNG rót": "này" (this) always points back.
        if (
            not text[start:end].casefold().endswith("này")
            and not text.startswith(",", end)  # "The company, co-founded by Google alumni, …"
            and not _VERB_AFTER.match(text, end)  # "công ty được quỹ Mekong rót …"
            and any(0 <= m.start - end <= 25 and text[end : m.start].islower() for m in mentions)
        ):
            continue
        lead = text[max(0, start - 12) : start].casefold()
        if _PLURAL_BEFORE.search(lead) or _NOT_A_COMPANY_AFTER.match(text, end):
            continue
        clause = next(c for c in clauses if c.start <= start < c.end)
        earlier = [m.name for m in mentions if m.end <= start]
        # "Salesforce Ventures first invested in the company": not in itself
        investor = (
            clause.mentions[0].name
            if clause.mentions and _prep_at(text, start, clause.start) in _RECIPIENT_PREPS
            else None
        )
        valued = (
            _valued_company(text, start, end, mentions, topic)
            if _VALUING.search(text, max(0, start - 12), start)
            else None
        )
        if valued:
            name: str | None = valued
        elif text[start:end].casefold() == "it" and added:
            name = added[-1].name  # "the startup's valuation …, when it raised …": the same
        elif _BANK_POINTER.match(text, start) and (
            bank := next(
                (
                    n
                    for n in [m.name for m in reversed(mentions) if m.end <= start]
                    + subjects[::-1]
                    + history[::-1]
                    if _BANK_NAME.search(n)
                ),
                None,
            )
        ):
            name = bank  # "nhà băng này", "the lender": the bank named last
        elif wants_startup:
            in_clause = {m.name for m in clause.mentions}
            # "a round in Meridian Robotics, …, valuing the Singapore startup at": the one
            # that receives in this clause, else an earlier one (not this clause's investor)
            received = [
                m.name
                for m in reversed(clause.mentions)
                if m.end <= start and _prep(text, m, clause.start) in _RECIPIENT_PREPS
            ]
            pool = received + [n for n in reversed(earlier) if n not in in_clause] + history[::-1]
            name = next((n for n in pool if index.is_startup(n)), None)
        elif own := [
            m.name
            for m in clause.mentions
            if m.end <= start
            and _prep(text, m, clause.start) not in _AGENT_PREPS
            and m.name != investor
        ]:
            name = own[-1]
        elif same := [
            m.name
            for m in mentions
            if m.end <= start and _prep(text, m, 0) is None and m.name != investor
        ]:
            name = same[0]  # "Kairo's revenue reached …, while it posted a loss": Kairo
        else:
            name = (
                _put_into(text[start:end], history, topic, investor)
                or next(iter(subjects[::-1]), None)
                or next(iter(history[::-1]), None)
            )
        if name:
            added.append(Mention(start, end, name, coref=True))
    return sorted(mentions + added, key=lambda m: m.start)


#: A sentence that gives the price of a deal named just before: "The deal is worth
#: £72 million", "Hợp đồng này có giá trị 350 tỷ đồng".
_WORTH_OPENING = caseless(
    r"^(?:(?:the|this|that)\s+(?:[\w-]+\s+){0,2}?(?:deal|contract|agreement|acquisition|"
    r"transaction|purchase|takeover|order|pact|partnership)"
    r"(?:,[^,]{1,80},)?\s+(?:(?:is|was|would be|will be|could be|has been|is said to be|"
    r"is reported to be|is understood to be)\s+)?(?:worth|valued at|priced at)"
    r"|(?:thương vụ|hợp đồng|thỏa thuận|giao dịch|gói thầu|đơn hàng)(?:\s+(?:này|nói trên|trên))?"
    r"(?:\s+(?:có|mang|với|đạt))?(?:\s+tổng)?\s+(?:giá trị|trị giá))\s+"
)
#: Cue words that name a deal as a thing, which a price can follow ("an agreement worth …").
_DEAL_NOUN = caseless(
    r"(?:hợp đồng|thỏa thuận|đơn hàng|đơn đặt hàng|thương vụ|contracts?|agreements?|deals?|"
    r"orders?|takeover|acquisition|merger|buyout)(?![\w-])"
)


def facts_across(
    previous: Sentence,
    previous_mentions: list[Mention],
    sentence: Sentence,
    *,
    language: str,
    published: date | None,
    index: CompanyIndex,
    topic: str | None = None,
) -> list[Fact]:
    """Facts stated over two sentences: a deal, then its price.

    "X signed a five-year agreement with Y. The deal is worth £72 million." The
    price is read into the first sentence, right after the word naming the deal,
    and that sentence is read as usual; the evidence is both sentences.
    """
    opening = _WORTH_OPENING.match(sentence.text)
    if opening is None or find_money(previous.text, language=language):
        return []
    amounts = [m for m in find_money(sentence.text, language=language) if m.start >= opening.end()]
    if not amounts:
        return []
    price = sentence.text[opening.end() : amounts[0].end]
    cues = _cues(previous.text)
    nouns = [c for c in cues if _DEAL_NOUN.fullmatch(previous.text, c.start, c.end)]
    if nouns:  # "… an agreement with Y …" -> "… an agreement worth £72 million with Y …"
        at = nouns[-1].end  # the deal named last ("a contract notice … the agreement")
        inserted = (" trị giá " if language == "vi" else " worth ") + price
    else:  # "agreed to acquire Kestrel Labs, …" -> "… acquire Kestrel Labs for $1.2 billion, …"
        verb = next((c for c in cues if c.kind in ("acquisition", "purchase")), None)
        bought = next((m for m in previous_mentions if verb and m.start >= verb.end), None)
        if bought is None:
            return []
        at = bought.end
        inserted = (" với giá " if language == "vi" else " for ") + price
    merged = Sentence(
        previous.text[:at] + inserted + previous.text[at:], previous.start, previous.paragraph
    )
    shift = len(inserted)
    mentions = [
        m if m.start < at else Mention(m.start + shift, m.end + shift, m.name, m.coref)
        for m in previous_mentions
    ]
    found = facts_in_sentence(
        merged, mentions, language=language, published=published, index=index, topic=topic
    )
    return found
