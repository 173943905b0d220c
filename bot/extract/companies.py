"""Company names: a curated list with aliases, names it does not know, and coreference."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.extract.caseless import caseless

_UPPER = "A-ZÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬĐÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
# A capitalised word, or one with a capital inside ("xAI"), or a number inside a name ("G42").
_NAME_WORD = rf"(?:[{_UPPER}][\w&'’.-]*\w|[{_UPPER}]|[a-z]+[A-Z]\w*)"
_NAME_RUN = re.compile(rf"(?<![\w$€£¥]){_NAME_WORD}(?:\s+{_NAME_WORD})*")

#: Words that may start a sentence or stand capitalised without naming a company.
_NOT_NAMES = frozenset(
    """
    the a an in on at for with by from this that these those it its their our we he she they
    but and or as after before last next earlier later meanwhile however according while if
    when since during about over under into than then also yet still now new some many most
    ceo cfo cto coo president chief founder co-founder chairman mr ms mrs dr ai api apis gpu
    gpus cpu ipo arr llm llms series round seed q1 q2 q3 q4 inc corp ltd llc plc usd eur vnd
    us u.s. america american china chinese europe european japan japanese korea india
    vietnam uk u.k. france germany britain singapore california texas london paris tokyo
    washington beijing uae taiwan january february march april may june july august
    september october november december monday tuesday wednesday thursday friday saturday
    sunday reuters bloomberg cnbc trong theo vào tháng năm ngày hôm tuần khi sau trước đây
    điều những các nhiều một hai ba ông bà anh chị tổng hãng startup cũng với để nếu dù mỹ
    pháp đức tp.hcm đó này riêng ngoài nhờ hồi đầu cuối giữa quý khoản vòng đợt gói ảnh
    nguồn chatgpt claude quỹ nhà rival early separately altogether including both each every
    such unlike like despite although though because so thus already only even former
    state-owned german french british korean vietnamese one two three analysts investors
    cp ctcp tnhh tmcp u.s số
    u.k israel russia canada australia indonesia thailand malaysia philippines gemini grok
    llama copilot ii iii iv vi vii viii ix xi xii
    """.split()
)
#: Vietnamese words that begin sentences, never names ("Theo Bloomberg", "Tại Việt Nam").
_VI_FUNCTION_WORDS = frozenset(
    "trong theo vào tháng năm ngày hôm tuần khi sau trước tại ông bà anh chị các những quỹ "
    "số startup".split()  # "Hạ tầng Số Lạc Hồng": "Số" ends the trade, the name is "Lạc Hồng"
)
#: Phrases of several words that are no names either ("Việt Nam", "công ty").
_NOT_NAME_PHRASES = frozenset(
    " ".join(p.split())
    for p in """
    silicon valley | san francisco | new york | abu dhabi | saudi arabia | hong kong | wall
    street | giám đốc | chủ tịch | công ty | tập đoàn | tuy nhiên | đồng thời | thời gian |
    hiện tại | việt nam | trung quốc | nhật bản | hàn quốc | ấn độ | châu âu | hà nội | đà
    nẵng | thung lũng silicon | kể từ | bên cạnh | chưa đầy | thương vụ | thỏa thuận | hợp
    đồng | doanh thu | định giá | the information | ngân hàng | hà lan | đài loan | hoa kỳ |
    thụy sĩ | thụy điển | ả rập | hồng kông
    """.split("|")
)
#: A name ending in one of these is a company whatever surrounds it.
_CORPORATE_SUFFIXES = frozenset(
    """
    ai labs lab inc inc. corp corp. corporation technologies technology tech systems
    robotics capital ventures partners group holdings bank software networks cloud
    semiconductor semiconductors energy health bio therapeutics analytics intelligence
    dynamics jsc co ltd llc fund investments securities compute computing motors holding
    """.split()
)
#: Words before a name that say it is a company: "startup Helio", "công ty Sao Mai".
_COMPANY_CUES = caseless(
    r"(?:startup|start-up|công ty|công ty khởi nghiệp|hãng|tập đoàn|doanh nghiệp|quỹ|quỹ đầu tư|"
    r"nền tảng|ngân hàng|nhà đầu tư|company|firm|maker|chipmaker|developer|lab|fund|investor|"
    r"rival|giant|provider|platform|designer|unicorn|operator|group|conglomerate|insurer|bank|"
    r"led by|"
    r"dẫn dắt bởi|mua lại|thâu tóm|thương vụ mua|acquire|acquired|acquires|acquisition of|"
    r"đầu tư vào|"
    r"rót vốn vào|invested in|invest in|stake in|pay|pays|paid|paying|trả cho|trả|"
    r"cổ phần của|cổ phần tại|"
    r"merge with|merged with|merges with|merging with|sáp nhập với)\s+$",
)
#: A deal's other party: "an agreement worth about $3 billion with Lone Star Renewables".
_PARTNER = re.compile(
    r"(?i:agreements?|contracts?|deals?|partnership|hợp đồng|thỏa thuận)\b[^.;]{0,60}"
    r"\b(?i:with|với|from|từ|to|cho)\s+(?:[A-Z][a-z]+\s+)?(?:[a-z][\w-]*\s+){0,3}$",
)
_VI_MARKED = caseless("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")
#: Titles before a person's name.
_PERSON_TITLE = caseless(
    r"(?:tỷ phú|ông|bà|ceo|cfo|cto|giám đốc|chủ tịch|nhà sáng lập|người sáng lập|founder|"
    r"co-founder|billionaire|chairman|chief executive|mr\.?|ms\.?|mrs\.?|dr\.?|"
    r"president|executive|analyst)\s+$",
)
#: An apposition right after a name: "Lumen Vision, công ty khởi nghiệp ...", "X, a startup".
_APPOSITION = caseless(
    r"^,\s+(?:a|an|the|một|công ty|startup|start-up|hãng|nhà|đơn vị|"
    r"tập đoàn|nền tảng|ví)\b"
    r"|^['’]s\s+(?:[\w-]+\s+)?(?:business|unit|division|arm|subsidiary|operations)\b",
)
#: The source of money raised: "huy động thêm 200 triệu USD … từ Mizuho".
_FUNDED_FROM = re.compile(
    r"(?i:huy động|gọi vốn|raised?|raising|secured?|nhận|received)[^.;]{0,80}"
    r"\b(?i:from|từ)\s+(?:(?i:quỹ|the)\s+)?$"
)
#: A purchase right before a name: "to buy Core Scientific", "mua lại Thiên Long AI".
_BOUGHT = re.compile(r"(?<!\w)(?:buy|buys|bought|buying|purchase|purchased|mua|mua lại)\s+$")
#: A price right after a name: "to buy Moveworks for $2.85 billion".
_PRICE_AFTER = re.compile(
    r"\s+(?:for|với giá)\s+(?:about |nearly |some |roughly |around |khoảng |gần )?"
    r"(?:US\$|[$€£¥]|\d)"
)
#: Verbs right after a name that say it is a party to a deal: "Helio raised ...".
_DEAL_VERB_AFTER = caseless(
    r"^\s*(?:(?:đã|vừa|sẽ|cũng|has|have|had|also|just|recently|will|is|was)\s+)*"
    r"(?:huy động|gọi vốn|gọi thành công|nhận|rót|đầu tư|mua lại|thâu tóm|ký|raised|raises|"
    r"secured|closed|"
    r"landed|bagged|received|invested|invests|acquired|acquires|bought|buys|agreed|announced|"
    r"hoàn tất|công bố|báo lãi|báo lỗ|ký|signed|reported|posted|won)\b",
)
#: Descriptors that name a company by its product: "nhà phát triển ChatGPT", "the ChatGPT maker".
_PRODUCT_BEFORE = (
    r"(?:nhà phát triển|nhà sản xuất|cha đẻ|công ty mẹ của|chủ sở hữu|the maker of)\s+"
)
_PRODUCT_AFTER = r"(?:'s)?\s+(?:maker|developer|creator|owner|parent)\b"
#: Phrases that point back to a company named earlier.
_COREF = caseless(
    r"\b(?P<startup>(?:startup|start-up)(?: [a-zà-ỹđ]+){0,4} này"
    r"|(?:the|this)\s+(?:[\w-]+\s+){0,2}?(?:startup|start-up))\b"
    r"|\b(?P<company>(?:its|thương vụ này|vòng gọi vốn này|the deal|the round|"
    r"the (?:[\w-]+ ){0,2}investor|đối thủ này|the rival|công ty|hãng|tập đoàn|doanh nghiệp|đơn vị|"
    r"ngân hàng|nhà băng|the bank|the lender|"
    r"nhà sản xuất chip|nhà phát triển)(?:\s+này)?"
    r"|(?:the|this)\s+(?:[\w-]+\s+){0,2}?(?:company|firm|group|lab|chipmaker|giant|maker|developer|conglomerate))(?![\w-])",
)


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    aliases: tuple[str, ...]
    startup: bool
    products: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Mention:
    """A company named (or pointed back to) in a sentence."""

    start: int
    end: int
    name: str
    coref: bool = False


class CompanyIndex:
    """Finds known companies, their aliases and products in text."""

    def __init__(self, companies: list[Company]) -> None:
        self.companies = {c.name: c for c in companies}
        self._by_alias: dict[str, str] = {}
        self._by_product: dict[str, str] = {}
        for company in companies:
            for alias in (company.name, *company.aliases):
                self._by_alias[alias] = company.name
            for product in company.products:
                self._by_product[product] = company.name
        self._by_folded = {alias.casefold(): name for alias, name in self._by_alias.items()}
        self._by_words = _word_keys(self._by_alias)
        self._lengths = _lengths_by_first_word(self._by_words)
        self._product_words = {p.casefold() for p in self._by_product}
        products = _alternation(self._by_product).pattern
        self._product_pattern = caseless(
            rf"{_PRODUCT_BEFORE}(?P<p1>{products})|(?:the\s+)?(?P<p2>{products}){_PRODUCT_AFTER}",
        )

    def is_startup(self, name: str) -> bool:
        company = self.companies.get(name)
        return company.startup if company else True

    def canonical(self, name: str) -> str | None:
        return self._by_alias.get(name)

    def find_known(self, text: str, extra: ArticleNames | None = None) -> list[Mention]:
        """Known names (and an article's own, exact case only) by looking word runs up."""
        words = list(_WORD.finditer(text))
        folded = _folded_words(text, words)
        extra_firsts = extra.lengths if extra else {}
        firsts = self._lengths
        found = []
        taken = 0  # words before this one belong to a name found already
        for i in [i for i, w in enumerate(folded) if w in firsts or w in extra_firsts]:
            if i < taken:
                continue
            lengths = firsts.get(folded[i], ())
            extra_lengths = extra_firsts.get(folded[i], ())
            candidates = (
                sorted({*lengths, *extra_lengths}, reverse=True) if extra_lengths else lengths
            )
            for n in candidates:
                if i + n > len(words):
                    continue
                key = tuple(folded[i : i + n])
                written = text[words[i].start() : words[i + n - 1].end()]
                name = _lookup(self._by_words.get(key), written)
                if name is None and extra is not None:
                    name = _lookup(extra.words.get(key), written, exact=True)
                if name is not None:
                    found.append(Mention(words[i].start(), words[i + n - 1].end(), name))
                    taken = i + n
                    break
        if self._product_words.isdisjoint(folded):
            return found
        for m in self._product_pattern.finditer(text):
            product = m.group("p1") or m.group("p2")
            name = next(
                (v for k, v in self._by_product.items() if k.casefold() == product.casefold()), None
            )
            if name:
                found.append(Mention(m.start(), m.end(), name))
        return found

    def find_new_names(self, text: str) -> set[str]:
        """Capitalised names the list does not know, where the text says they are companies,
        and public bodies ("Bộ Y tế", "Department for Work and Pensions")."""
        shorts = {m.group("short") or m.group("caps") for m in _VI_SHORT_NAME.finditer(text)}
        names = {short for short in shorts if not self.canonical(short)} | {
            _OWNER_S.sub("", " ".join(m.group(0).split()))  # "Japan's Digital Agency"
            for m in (_INSTITUTION.finditer(text) if _INSTITUTION_WORD.search(text) else ())
            if not self.canonical(" ".join(m.group(0).split()))
        }
        for match in _NAME_RUN.finditer(text):
            words = match.group(0).split()
            start = match.start()
            # "Japan's Mizuho Financial Group", "Alphabet Inc.'s Google": the name after.
            for i in range(len(words) - 1, -1, -1):
                if words[i].endswith(("'s", "’s")):
                    if i == len(words) - 1:  # "ABB's robotics business": ABB is the name
                        words = [*words[:-1], words[-1][:-2]]
                        break
                    start = text.index(words[i], start) + len(words[i])
                    words = words[i + 1 :]
                    break
            # Drop leading words that are not names ("Theo", "Startup", "Công ty").
            while len(words) > 1 and " ".join(words[:2]).casefold() in _NOT_NAME_PHRASES:
                start = text.index(words[1], start) + len(words[1])
                words = words[2:]
            # ... but "An Phát Software" is a Vietnamese name, not the English article.
            while (
                words
                and (_is_common(words[0]) or words[0].casefold().endswith(_NOT_NAME_ENDINGS))
                and not (
                    len(words) > 1
                    and _VI_MARKED.search(words[1])
                    and words[0].istitle()
                    and words[0].casefold() not in _VI_FUNCTION_WORDS
                )
            ):
                start = text.index(words[0], start) + len(words[0])
                words = words[1:]
            # "Quỹ Nhật Bản Kizuna Capital": a country left in front once "Quỹ" has gone
            while len(words) > 1 and " ".join(words[:2]).casefold() in _NOT_NAME_PHRASES:
                start = text.index(words[1], start) + len(words[1])
                words = words[2:]
            if (
                len(words) > 2
                and words[0] == "Việt"
                and text[max(0, start - 4) : start].rstrip().casefold().endswith("ai")
            ):
                # "Startup AI Việt Sao Khuê": a Vietnamese AI startup, "Việt" describes it
                start = text.index(words[0], start) + len(words[0])
                words = words[1:]
            while (
                words
                and _is_common(words[-1])
                and (len(words) == 1 or words[-1].casefold() not in _CORPORATE_SUFFIXES)
            ):
                words = words[:-1]
            if not words:
                continue
            name = " ".join(words).rstrip(".,'’")
            if (
                self.canonical(name)
                or name.casefold() in self._by_folded
                # "Nebius Group" is Nebius; "FPT Smart Cloud" is a company of its own
                or (
                    words[0].casefold() in self._by_folded
                    and all(w.casefold().rstrip(".,") in _GROUP_WORDS for w in words[1:])
                )
                or len(name) < 2
                or name.casefold() in _NOT_NAMES
                or name.casefold() in _NOT_NAME_PHRASES
            ):
                continue
            before = text[max(0, start - 50) : start]
            if len(words) == 1 and _VI_MARKED.search(name) and _one_syllable(name):
                continue  # "Dịch", "Hòa": a Vietnamese word, not a brand
            if _PERSON_TITLE.search(before):
                continue  # "tỷ phú Masayoshi Son", "CEO Sam Altman": a person
            end = text.index(words[-1], start) + len(words[-1])
            if _PART_OF_A_COMPANY.match(text, end):
                continue  # "The Intelligent Cloud unit": a part of a company, not one
            if (
                (words[-1].casefold().rstrip(".") in _CORPORATE_SUFFIXES and len(words) > 1)
                or _BANK_NAME.fullmatch(name)  # "RiverBank", "Techcombank"
                or _COUNTRY_S.search(text, max(0, start - 20), start)  # "Malaysia's Khazanah"
                or _COMPANY_CUES.search(_drop_descriptions(before))
                or _APPOSITION.match(text[end : end + 30])
                or _PARTNER.search(text[max(0, start - 90) : start])
                or _FUNDED_FROM.search(text[max(0, start - 90) : start])
                or _DEAL_VERB_AFTER.match(text[end : end + 40])
                # "agreed to buy Core Scientific": a name of two words after a purchase
                or (
                    _BOUGHT.search(text, max(0, start - 20), start)
                    and (len(words) > 1 or _PRICE_AFTER.match(text, end))
                )
            ):
                names.add(_without_legal_form(name))
        return names


_CAP = rf"[{_UPPER}](?:[\w'’-]|\.(?=\w))*"
_VI_CITY = r"(?:TP\.?\s?HCM|TP\.?\s?Hồ Chí Minh|Hà Nội|Đà Nẵng|Hải Phòng|Cần Thơ)"
#: Public bodies and hospitals: parties to contracts, named in ways the name runs miss
#: ("Bộ Y tế": a lowercase word; "Department for Work and Pensions": small words inside).
_INSTITUTION = re.compile(
    rf"(?<![\w.])(?:"
    rf"(?:Department|Ministry|Agency|Bureau|Office|Administration|Commission|Authority)"
    rf"\s+(?:of|for)\s+(?:the\s+)?{_CAP}(?:(?:\s+(?:and|&|of|for|the))*\s+{_CAP})*"
    rf"|(?:{_CAP}\s+)+?(?:Hospital|Medical Center|Health System|University|Agency)(?!\w)"
    rf"|(?:(?:U\.S\.|US|UK|British)\s+)?(?:Army|Navy|Air Force|Space Force|Marine Corps)"
    rf"|Bộ\s+(?:Y tế|Tài chính|Công an|Quốc phòng|Công Thương|Ngoại giao|Tư pháp|Nội vụ|Xây dựng|"
    rf"Giáo dục và Đào tạo|Khoa học và Công nghệ|Thông tin và Truyền thông|Kế hoạch và Đầu tư|"
    rf"Giao thông vận tải|Tài nguyên và Môi trường|Nông nghiệp và Môi trường|"
    rf"Nông nghiệp và Phát triển nông thôn|Lao động - Thương binh và Xã hội|Dân tộc và Tôn giáo)"
    rf"|Sở\s+(?:Y tế|Tài chính|Khoa học và Công nghệ|Thông tin và Truyền thông|"
    rf"Giáo dục và Đào tạo|Giao thông vận tải|Công Thương)(?:\s+{_VI_CITY})?"
    rf"|Bệnh viện(?:\s+(?:Đa khoa|Trung ương|Quốc tế|Đại học|Nhi|Quân y|Hữu nghị))*"
    rf"(?:\s+{_CAP})+(?:\s+(?:Trung ương|{_VI_CITY}|\d+))?"
    rf"|(?:Ngân hàng Nhà nước|Kho bạc Nhà nước|Ủy ban Chứng khoán Nhà nước|Tổng cục Thuế|"
    rf"Bảo hiểm Xã hội Việt Nam|UBND\s+{_VI_CITY})"
    rf")(?!\w)"
)
#: The short name in brackets after a Vietnamese bank's or company's full one: "Ngân hàng
#: TMCP Quân đội (MB)", "Tổng Công ty … Viettel (VHT)" (a company's only in capitals: its
#: legal entity's "… (M_Service)" is not the name the article uses).
_VI_SHORT_NAME = re.compile(
    rf"Ngân hàng[^().;]{{3,70}}\((?P<short>[{_UPPER}][\w&.-]*(?:\s+[{_UPPER}][\w&.-]*){{0,3}})\)"
    rf"|(?:Công ty|Tổng Công ty|Tổng công ty|Tập đoàn)[^().;]{{3,70}}\((?P<caps>[A-Z]{{2,6}})\)"
)
_OWNER_S = re.compile(r"^\S+['’]s\s+")
#: A word every public body's name has: most articles have none, and skip the long pattern.
_INSTITUTION_WORD = re.compile(
    r"Department|Ministry|Agency|Bureau|Office|Administration|Commission|Authority|Hospital|"
    r"Medical Center|Health System|University|Army|Navy|Air Force|Space Force|Marine Corps|"
    r"Bộ |Sở |Bệnh viện|Nhà nước|Tổng cục|Bảo hiểm Xã hội|UBND"
)
#: The first word of a public body's name, never a short form of it ("Department").
INSTITUTION_HEADS = frozenset(
    "department ministry agency bureau office administration commission authority bộ sở "
    "bệnh ngân kho ủy tổng bảo ubnd".split()
)


def is_institution(name: str) -> bool:
    """Whether ``name`` is a public body or a hospital, which buys and does not sell."""
    return bool(_INSTITUTION.fullmatch(name))


#: Words after a known name that still mean that company ("Nebius Group", "Baidu Inc").
_GROUP_WORDS = frozenset(
    "inc corp ltd llc plc jsc co gmbh ag sa group holdings holding corporation company "
    "technologies technology platforms management se".split()
)
#: "Toronto-based", "AI-guided", "Nvidia-powered": a description, not (part of) a name.
_NOT_NAME_ENDINGS = ("-based", "-guided", "-powered", "-driven", "-enabled", "-backed", "-led")
_COUNTRY_S = re.compile(
    r"(?:Vietnam|Japan|Korea|China|India|Malaysia|Singapore|Indonesia|Thailand|Taiwan|"
    r"Abu Dhabi|Saudi Arabia|Qatar|France|Germany|Britain)['’]s\s+$"
)
_BANK_NAME = re.compile(r"[A-Z][A-Za-z]+[bB]ank")
_LEGAL_FORMS = frozenset("inc inc. corp corp. ltd ltd. llc plc jsc co. co gmbh ag sa".split())


def _one_syllable(word: str) -> bool:
    """Whether ``word`` could be one Vietnamese syllable: one run of vowels ("Dịch", "Hòa";
    not "Aurèle", a French name with the same letters)."""
    base = unicodedata.normalize("NFD", word.casefold().replace("đ", "d"))
    return bool(_SYLLABLE.fullmatch("".join(c for c in base if not unicodedata.combining(c))))


_SYLLABLE = re.compile(r"[^aeiouy]*[aeiouy]+[^aeiouy]*")


def _without_legal_form(name: str) -> str:
    """ "Veridian Labs Inc" -> "Veridian Labs": the legal form is no part of the name used."""
    words = name.split()
    while len(words) > 1 and words[-1].casefold().rstrip(",") in _LEGAL_FORMS:
        words = words[:-1]
    return " ".join(words).rstrip(",")


_PART_OF_A_COMPANY = caseless(r"\s+(?:unit|division|segment|business unit)\b")


#: A country right before a name: "quỹ Nhật Bản Kizuna Capital", "ngân hàng Hàn Quốc X".
_COUNTRY_AT_END = re.compile(
    r"\s(?:Nhật Bản|Hàn Quốc|Trung Quốc|Hà Lan|Đài Loan|Hoa Kỳ|Ấn Độ|Thụy Sĩ|Mỹ|Pháp|Đức|Anh|"
    r"Singapore|Japanese|Korean|Chinese|Dutch|Taiwanese|American|French|German|British)\s*$"
)


def _drop_descriptions(before: str) -> str:
    """'startup cơ sở dữ liệu ' -> 'startup ': lowercase words between a cue and a name."""
    body = _COUNTRY_AT_END.sub("", before).rstrip().split(" ")
    for _ in range(6):
        # a cue is at most four words long: look at the last four only
        if (
            len(body) > 1
            and body[-1].islower()
            and not _COMPANY_CUES.search(" ".join(body[-4:]) + " ")
        ):
            body = body[:-1]
    return " ".join(body) + " "


_WORD = re.compile(r"\w(?:[\w&]*\w|[.'’](?=\w)(?![sS]\b))*")


def _folded_words(text: str, words: list[re.Match[str]]) -> list[str]:
    """Each word of ``text`` casefolded, from one casefold of the whole text when it can."""
    folded = text.casefold()
    if len(folded) == len(text):
        return [folded[w.start() : w.end()] for w in words]
    return [w.group(0).casefold() for w in words]


def _word_keys(names: dict[str, str]) -> dict[tuple[str, ...], list[tuple[str, str]]]:
    """Names keyed by their words, casefolded: ("amazon", "web", "services") -> AWS."""
    keys: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for alias, name in names.items():
        key = tuple(w.casefold() for w in _WORD.findall(alias))
        if key:
            keys.setdefault(key, []).append((alias, name))
    return keys


def _lengths_by_first_word(
    keys: dict[tuple[str, ...], list[tuple[str, str]]],
) -> dict[str, tuple[int, ...]]:
    """For each first word, the word counts of the names that start with it."""
    lengths: dict[str, set[int]] = {}
    for key in keys:
        lengths.setdefault(key[0], set()).add(len(key))
    return {word: tuple(sorted(ns, reverse=True)) for word, ns in lengths.items()}


_NON_WORD = re.compile(r"\W+")


@cache
def _squeeze(written: str) -> str:
    """ "Amazon Web-Services" -> "AmazonWebServices": a name's letters and digits."""
    return _NON_WORD.sub("", written)


def _lookup(
    candidates: list[tuple[str, str]] | None, written: str, *, exact: bool = False
) -> str | None:
    """The name ``written`` stands for: its exact spelling, or another casing of it that
    still looks like a name ("Iconiq", "NVIDIA"), never a lowercase word ("magic")."""
    if not candidates:
        return None
    squeezed = _squeeze(written)
    for alias, name in candidates:
        if _squeeze(alias) == squeezed:
            return name
    if exact or not written[:1].isupper() or len(squeezed) < 4:
        return None
    return candidates[0][1]


def _is_common(word: str) -> bool:
    return word.casefold().strip(".,") in _NOT_NAMES or word.isdigit()


def _alternation(names: dict[str, str], flags: int = 0) -> re.Pattern[str]:
    body = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{body})(?![\w])", flags)


def written_forms(text: str, mentions: list[Mention], index: CompanyIndex) -> dict[str, str]:
    """How the article writes each listed company, where it differs from the list's name:
    the form of its first mention ("Meta Platforms", "Mistral", "SoftBank Group").

    Facts name companies as their article does; the store files them under the list's
    name (``CompanyIndex.canonical``) so that articles still merge.
    """
    forms: dict[str, str] = {}
    seen: set[str] = set()
    for mention in mentions:
        if mention.coref or mention.name in seen:
            continue
        seen.add(mention.name)
        written = " ".join(text[mention.start : mention.end].split()).split(" (")[0]
        written = _without_legal_form(written.removesuffix("'s").removesuffix("’s"))
        if (
            written != mention.name
            and index.canonical(written) == mention.name
            and _same_name(written, mention.name)
        ):
            forms[mention.name] = written
    return forms


#: Words a company's name may gain or lose and stay its name ("Meta Platforms", "Mistral").
_NAME_TAIL = frozenset(
    """
    ai labs lab inc corp corporation co ltd llc plc jsc group holdings holding platforms
    electronics industries industry technologies technology systems energy computing venture
    partners capital precision manufacturing semiconductor motors
    """.split()
)


def _same_name(written: str, name: str) -> bool:
    """Whether the article's ``written`` form may stand for the list's ``name``: the name with
    a corporate tail added or dropped ("Meta Platforms", "Mistral"), or another name of the
    company ("Cursor", "Hon Hai"); not a part of it ("Google Cloud", "SoftBank Vision
    Fund"), a Vietnamese description ("Tập đoàn FPT") or an acronym spelt out
    ("Advanced Micro Devices" for AMD, which articles use after it)."""
    short, long = sorted((written.casefold().split(), name.casefold().split()), key=len)
    if long[: len(short)] == short:
        return all(w in _NAME_TAIL for w in long[len(short) :])
    if written.casefold().startswith(_VI_DESCRIPTION_LEAD):
        return False
    return not (name.isupper() and len(name) <= 5)


#: Vietnamese descriptions that lead a long form of a name ("Tập đoàn FPT").
_VI_DESCRIPTION_LEAD = ("tập đoàn ", "tổng công ty ", "công ty ", "ngân hàng ", "quỹ ")


def find_mentions(text: str, index: CompanyIndex, extra: ArticleNames | None) -> list[Mention]:
    """Known and article-specific company names in ``text``, in order, overlaps removed."""
    found = index.find_known(text, extra)
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        # "Amazon Web Services (AWS)": one mention, not two.
        if (
            kept
            and kept[-1].name == mention.name
            and text[kept[-1].end : mention.start] in (" (", "(")
        ):
            kept[-1] = Mention(kept[-1].start, mention.end + 1, mention.name)
            continue
        kept.append(mention)
    return kept


_IT_DEAL = re.compile(
    r"(?<![\w.])it\s+(?=(?:has\s+|had\s+|will\s+|also\s+)?(?:acquired|raised|bought|agreed|"
    r"signed|invested|sold|reported|posted|spent|won|plans)\b)"
)


#: "It has agreed …", "It was valued at …" (but not "It is likely …", "It was a record year").
_IT_SUBJECT = re.compile(
    r"It\s+(?!(?:is|was|would|will|could|may|might)\b"
    r"(?!\s+(?:valued|acquired|bought|backed|in talks|set to|seeking|raising|planning)\b))"
)


def find_corefs(text: str) -> list[tuple[int, int, bool]]:
    """Phrases pointing back to a company: (start, end, means_a_startup)."""
    found = []
    if _IT_SUBJECT.match(text):
        found.append((0, 2, False))  # "It has agreed to spend ...": the company just named
    for m in _IT_DEAL.finditer(text) if "it" in text else ():
        found.append((m.start(), m.start() + 2, False))
    for m in _COREF.finditer(text):
        if not m.group("company"):
            found.append((m.start(), m.end(), True))
            continue
        word = m.group(0).casefold()
        follows = _NAME_FOLLOWS.match(text, m.end()) if word in _VI_COMPANY_WORDS else None
        end = follows.end() if follows else m.end() + 1
        if text[end : end + 1].isupper():
            continue  # "công ty Sao Mai", "tập đoàn bán dẫn Hà Lan ASML": a description
        found.append((m.start(), m.end(), False))
    return found


_VI_COMPANY_WORDS = frozenset(
    [
        "công ty",
        "hãng",
        "tập đoàn",
        "doanh nghiệp",
        "đơn vị",
        "ngân hàng",
        "nhà băng",
        "nhà sản xuất chip",
        "nhà phát triển",
    ]
)
#: After "công ty", "tập đoàn" …: a name, perhaps after words describing it ("tập đoàn sản
#: xuất chip Hà Lan ASML"); words that make a clause ("đã", "rót", "vào") end a description.
_NAME_FOLLOWS = re.compile(
    r"(?:\s+(?!(?:đã|đang|sẽ|vừa|cũng|mới|cho|là|được|bị|có|không|này|đó|và|với|vào|từ|của|"
    r"tại|ở|để|rót|mua|bán|chi|ký|nhận|trả|thì|hay|hoặc|hiện|còn|đều|lại|trong|khi|sau|trước|"
    r"nay|năm|tháng)(?![\w]))[a-zà-ỹđ]+){0,6}\s+"
    r"(?:(?:Nhật Bản|Hàn Quốc|Trung Quốc|Hà Lan|Đài Loan|Hoa Kỳ|Ấn Độ|Mỹ|Pháp|Đức|Anh)\s+)?"
    r"(?=\w)"
)


@dataclass(frozen=True, slots=True)
class ArticleNames:
    """Names one article marks as companies, with their short forms ("Kestrel")."""

    full: dict[str, str]
    words: dict[tuple[str, ...], list[tuple[str, str]]]
    lengths: dict[str, tuple[int, ...]]


def article_names(names: set[str]) -> ArticleNames | None:
    """Match each new name, and its short forms: the first word alone when that word is
    distinctive, and the name without its corporate ending ("Sao Khuê AI" -> "Sao Khuê",
    "Kestrel Robotics" -> "Kestrel"). A short form found as a name of its own is the
    long name too."""
    if not names:
        return None
    full = {name: name for name in names}
    for name in sorted(names, key=len):  # the longest name that shortens to a form wins
        words = name.split()
        if len(words) < 2:
            continue
        if (
            len(words[0]) >= 4
            and words[0].casefold() not in _NOT_NAMES
            and not is_institution(name)
        ):
            full[words[0]] = name
        stem = words
        while len(stem) > 1 and stem[-1].casefold().rstrip(".") in _CORPORATE_SUFFIXES:
            stem = stem[:-1]
        if stem != words and (len(stem) > 1 or len(stem[0]) >= 3):
            full[" ".join(stem)] = name
    words_by_key = _word_keys(full)
    return ArticleNames(full, words_by_key, _lengths_by_first_word(words_by_key))


@cache
def default_index() -> CompanyIndex:
    """The curated list shipped in ``companies.json``."""
    raw = json.loads(resources.files("bot.extract").joinpath("companies.json").read_text("utf-8"))
    return CompanyIndex(
        [
            Company(
                name=row["name"],
                aliases=tuple(row.get("aliases", ())),
                startup=bool(row.get("startup", False)),
                products=tuple(row.get("products", ())),
            )
            for row in raw["companies"]
        ]
    )
