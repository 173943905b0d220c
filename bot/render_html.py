"""Pure formatters for the Telegram bot: HTML replies in English or Vietnamese.

Every dynamic string goes through :func:`html.escape`; the only tags are
those written here (``<b>``, ``<i>``, ``<code>``, ``<a>``), each opened and
closed on one line, so :func:`bot.telegram_text.split_message` may split
between any two lines. The words and numbers come from :mod:`bot.render`
(amounts, kinds, statuses, totals), so the bot and the CLI say the same
things the same way.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from bot.errors import UnknownCompanyError, UsageError
from bot.models import (
    DEAL_KINDS,
    BotStats,
    ExportRow,
    FactListPage,
    FactSource,
    Kind,
    LatestPage,
    Paging,
    ProfilePage,
    SearchPage,
    StoredArticle,
    StoredFact,
    Total,
)
from bot.names import fold_name
from bot.render import (
    KIND_NAMES,
    QUALIFIERS,
    STATUSES,
    Lang,
    Role,
    fact_summary,
    render_csv,
    render_total,
)
from bot.telegram_text import fit_message

#: Sources shown by ``/sources`` (the newest); older ones are counted.
MAX_SOURCES_SHOWN = 12
#: Characters of evidence shown per source, and per search result.
MAX_EVIDENCE = 700
EXCERPT = 160

_TEXT: dict[Lang, dict[str, str]] = {
    "en": {
        "welcome": (
            "<b>dealflow</b> follows the money in AI: investments, acquisitions, contracts,"
            " revenue and valuations from the news in Vietnamese and English, each with the"
            " sentence that states it.\n\n"
            "Try /deals, /company OpenAI or /search Amazon. /help lists every command."
        ),
        "group_welcome": (
            "Hi, I'm dealflow: ask me /deals, /company NAME or /search TEXT about money in AI."
            " /help lists everything."
        ),
        "help_title": "<b>Commands</b>",
        "help_sources": "Tap a number under a list to see the sources of that fact.",
        "help_subscribe": (
            "    kinds in English or Vietnamese: deals (thương vụ, giao dịch, đầu tư),"
            " revenue (doanh thu), valuation (định giá); minimum: >1B or >$1B (USD),"
            " >500M EUR, >500 tỷ đồng, compared with facts in that currency only"
        ),
        "help_admin": (
            "/stats — what the store holds (admins only)\n"
            "/feeds [add URL | remove N] — the news feeds read (admins only)\n"
            "Admins may also send a link, an article's text or a .txt/.html file to add it."
        ),
        "unknown_command": "I don't know that command. /help lists what I can do.",
        "failed": "Sorry, something went wrong. Please try again later.",
        "too_long": "That is too long: please keep it under {max} characters.",
        "unknown_company": "I have no facts about “{name}”.",
        "did_you_mean": "Did you mean {name}?",
        "usage_company": "Which company? For example: /company OpenAI",
        "usage_chart": "Which company? For example: /chart OpenAI",
        "usage_search": "What should I look for? For example: /search Amazon",
        "usage_sources": "Which fact? For example: /sources 12, or tap a number under a list.",
        "usage_lang": (
            "Replies here are in {current}. Change with /lang vi or /lang en"
            " (/lang auto follows each user's Telegram language)."
        ),
        "lang_name_en": "English",
        "lang_name_vi": "Vietnamese",
        "lang_set": "Replies in this chat are now in English.",
        "lang_auto": "Replies now follow each user's Telegram language.",
        "stats_refused": "Sorry, /stats is for the bot's admins.",
        "title_deals": "Deals",
        "title_deals_of": "Deals involving {company}",
        "title_revenue": "Revenue figures",
        "title_revenue_of": "Revenue figures of {company}",
        "title_valuation": "Valuations",
        "title_valuation_of": "Valuations of {company}",
        "empty_deals": "No deals stored yet. Add articles with <code>dealflow ingest</code>.",
        "empty_deals_of": "No deals involving {company} yet. Try /company {company}",
        "empty_revenue": (
            "No revenue figures stored yet. Add articles with <code>dealflow ingest</code>."
        ),
        "empty_revenue_of": "No revenue figures of {company} yet. Try /company {company}",
        "empty_valuation": (
            "No valuations stored yet. Add articles with <code>dealflow ingest</code>."
        ),
        "empty_valuation_of": "No valuations of {company} yet. Try /company {company}",
        "continued": " (continued)",
        "newest_of": "newest {n} of {total}",
        "n_sources": " · {n} sources",
        "profile": "<b>{name}</b>: {n} facts",
        "also": " (also written {names})",
        "own": "Its own deals and figures",
        "partner": "As investor, buyer or partner",
        "latest_title": "Newest articles",
        "latest_empty": "No articles stored yet. Add some with <code>dealflow ingest</code>.",
        "undated": "undated",
        "more_facts": "+{n} more facts",
        "search_title": "Search",
        "search_empty": "Nothing found for “{query}”.",
        "search_try": "Try /company {name}",
        "sources_title": "Sources of fact #{id}",
        "no_fact": "There is no fact #{id}. Tap a number under a list to see its sources.",
        "more_sources": "+{n} older sources",
        "said": "said: {what}",
        "stats_store": "<b>Store</b>: {articles} articles, {facts} facts, {sources} statements",
        "stats_newest": "Newest article: {date}",
        "stats_kinds": "<b>Facts by kind</b>: {kinds}",
        "stats_chats": "<b>Chats</b>: {chats}",
        "stats_no_chats": "none recorded",
        "stats_left": "; left {n}",
        "chart_caption": "<b>{name}</b>: deals and valuations over time, in {currency}",
        "chart_empty": "Nothing to chart for {name}: no deals or valuations with a date.",
        "export_caption": "{n} rows, one per article stating a fact.",
        "export_empty": "No facts to export for that.",
        "export_too_big": (
            "That export is too big to send ({size} MB). Narrow it down with a kind or a"
            " company, e.g. /export deals OpenAI"
        ),
    },
    "vi": {
        "welcome": (
            "<b>dealflow</b> theo dõi dòng tiền trong ngành AI: các khoản đầu tư, thương vụ"
            " mua lại, hợp đồng, doanh thu và định giá từ tin tức tiếng Việt và tiếng Anh,"
            " kèm câu trích dẫn nguồn.\n\n"
            "Hãy thử /deals, /company OpenAI hoặc /search Amazon. /help liệt kê mọi lệnh."
        ),
        "group_welcome": (
            "Xin chào, tôi là dealflow: hỏi tôi /deals, /company TÊN hoặc /search TỪ KHÓA về"
            " dòng tiền trong ngành AI. /help liệt kê mọi lệnh."
        ),
        "help_title": "<b>Các lệnh</b>",
        "help_sources": "Bấm một số dưới danh sách để xem nguồn của dữ kiện đó.",
        "help_subscribe": (
            "    loại, tiếng Việt hoặc tiếng Anh: thương vụ (giao dịch, đầu tư, deals),"
            " doanh thu (revenue), định giá (valuation); mức tối thiểu: >1 tỷ USD,"
            " >500 tỷ đồng, >500M EUR, chỉ so với dữ kiện cùng loại tiền"
        ),
        "help_admin": (
            "/stats — dữ liệu đang lưu (chỉ quản trị viên)\n"
            "/feeds [add URL | remove N] — các nguồn tin được đọc (chỉ quản trị viên)\n"
            "Quản trị viên cũng có thể gửi đường link, nội dung bài viết hoặc tệp .txt/.html"
            " để thêm bài."
        ),
        "unknown_command": "Tôi không biết lệnh này. Gõ /help để xem các lệnh.",
        "failed": "Xin lỗi, đã có lỗi xảy ra. Vui lòng thử lại sau.",
        "too_long": "Nội dung quá dài: vui lòng viết dưới {max} ký tự.",
        "unknown_company": "Chưa có dữ kiện nào về “{name}”.",
        "did_you_mean": "Có phải bạn muốn tìm {name}?",
        "usage_company": "Công ty nào? Ví dụ: /company OpenAI",
        "usage_chart": "Công ty nào? Ví dụ: /chart OpenAI",
        "usage_search": "Tìm gì? Ví dụ: /search đầu tư",
        "usage_sources": "Dữ kiện nào? Ví dụ: /sources 12, hoặc bấm một số dưới danh sách.",
        "usage_lang": (
            "Bot đang trả lời bằng {current}. Đổi bằng /lang vi hoặc /lang en"
            " (/lang auto: theo ngôn ngữ Telegram của từng người)."
        ),
        "lang_name_en": "tiếng Anh",
        "lang_name_vi": "tiếng Việt",
        "lang_set": "Từ giờ bot trả lời bằng tiếng Việt trong cuộc trò chuyện này.",
        "lang_auto": "Từ giờ bot trả lời theo ngôn ngữ Telegram của từng người.",
        "stats_refused": "Xin lỗi, /stats chỉ dành cho quản trị viên của bot.",
        "title_deals": "Thương vụ",
        "title_deals_of": "Thương vụ liên quan đến {company}",
        "title_revenue": "Số liệu doanh thu",
        "title_revenue_of": "Số liệu doanh thu của {company}",
        "title_valuation": "Định giá",
        "title_valuation_of": "Định giá của {company}",
        "empty_deals": "Chưa có thương vụ nào. Thêm bài viết bằng <code>dealflow ingest</code>.",
        "empty_deals_of": "Chưa có thương vụ nào liên quan đến {company}. Thử /company {company}",
        "empty_revenue": (
            "Chưa có số liệu doanh thu nào. Thêm bài viết bằng <code>dealflow ingest</code>."
        ),
        "empty_revenue_of": "Chưa có số liệu doanh thu của {company}. Thử /company {company}",
        "empty_valuation": (
            "Chưa có mức định giá nào. Thêm bài viết bằng <code>dealflow ingest</code>."
        ),
        "empty_valuation_of": "Chưa có mức định giá nào của {company}. Thử /company {company}",
        "continued": " (tiếp)",
        "newest_of": "{n} mới nhất trong {total}",
        "n_sources": " · {n} nguồn",
        "profile": "<b>{name}</b>: {n} dữ kiện",
        "also": " (còn viết là {names})",
        "own": "Giao dịch và số liệu của chính công ty",
        "partner": "Với vai trò nhà đầu tư, bên mua hoặc đối tác",
        "latest_title": "Bài viết mới nhất",
        "latest_empty": "Chưa có bài viết nào. Thêm bài bằng <code>dealflow ingest</code>.",
        "undated": "không rõ ngày",
        "more_facts": "+{n} dữ kiện khác",
        "search_title": "Tìm kiếm",
        "search_empty": "Không tìm thấy gì cho “{query}”.",
        "search_try": "Thử /company {name}",
        "sources_title": "Nguồn của dữ kiện #{id}",
        "no_fact": "Không có dữ kiện #{id}. Bấm một số dưới danh sách để xem nguồn.",
        "more_sources": "+{n} nguồn cũ hơn",
        "said": "khi đó: {what}",
        "stats_store": "<b>Dữ liệu</b>: {articles} bài viết, {facts} dữ kiện, {sources} trích dẫn",
        "stats_newest": "Bài mới nhất: {date}",
        "stats_kinds": "<b>Dữ kiện theo loại</b>: {kinds}",
        "stats_chats": "<b>Cuộc trò chuyện</b>: {chats}",
        "stats_no_chats": "chưa có",
        "stats_left": "; đã rời {n}",
        "chart_caption": "<b>{name}</b>: thương vụ và định giá theo thời gian, đơn vị {currency}",
        "chart_empty": "Chưa có gì để vẽ cho {name}: không có thương vụ hay định giá nào có ngày.",
        "export_caption": "{n} dòng, mỗi dòng là một bài viết nêu một dữ kiện.",
        "export_empty": "Không có dữ kiện nào để xuất.",
        "export_too_big": (
            "Tệp xuất quá lớn để gửi ({size} MB). Hãy thu hẹp theo loại hoặc công ty,"
            " ví dụ /export deals OpenAI"
        ),
    },
}

#: The arguments each command takes, as ``/help`` shows them.
_ARGS: dict[Lang, dict[str, str]] = {
    "en": {
        "deals": "[company]",
        "revenue": "[company]",
        "valuation": "[company]",
        "company": "NAME",
        "search": "TEXT",
        "sources": "ID",
        "chart": "COMPANY",
        "export": "[kind] [company]",
        "lang": "vi|en",
    },
    "vi": {
        "deals": "[công ty]",
        "revenue": "[công ty]",
        "valuation": "[công ty]",
        "company": "TÊN",
        "search": "TỪ KHÓA",
        "sources": "ID",
        "chart": "CÔNG TY",
        "export": "[loại] [công ty]",
        "lang": "vi|en",
    },
}


def format_escaped(template: str, **values: object) -> str:
    """An HTML ``template`` with every value escaped into it."""
    return template.format(**{name: html.escape(str(value)) for name, value in values.items()})


def render_message(key: str, lang: Lang, **values: object) -> str:
    """One of this module's messages as HTML, with ``values`` escaped into it."""
    return format_escaped(_TEXT[lang][key], **values)


def usage_message(key: str, lang: Lang, **values: object) -> str:
    """One of this module's tag-free messages as plain text, for a :class:`UsageError`
    (which :func:`render_usage_error` escapes when it is shown)."""
    return _TEXT[lang][key].format(**values)


@dataclass(frozen=True)
class PageView:
    """A rendered page of a listing: its HTML, the facts it numbers, where it sits.

    ``fact_ids[i]`` is the fact numbered ``i + 1`` on the page; ``arg`` is the
    argument that asks for this listing again (for the page buttons).
    """

    text: str
    page: int
    pages: int
    arg: str = ""
    fact_ids: list[int] = field(default_factory=list)


def _view(lines: Iterable[str], paging: Paging, arg: str, fact_ids: list[int]) -> PageView:
    """A page within one message; facts whose lines had to be cut lose their buttons too."""
    text = fit_message("\n".join(lines))
    shown = sum(1 for number in range(1, len(fact_ids) + 1) if f"\n{number}. " in text)
    return PageView(
        text=text, page=paging.page, pages=paging.pages, arg=arg, fact_ids=fact_ids[:shown]
    )


def render_welcome(lang: Lang) -> str:
    """The answer to ``/start``."""
    return _TEXT[lang]["welcome"]


def render_help(commands: Sequence[tuple[str, str]], lang: Lang, *, admin: bool = False) -> str:
    """Every command with its arguments and what it does; ``/stats`` for admins."""
    lines = [_TEXT[lang]["help_title"]]
    for name, description in commands:
        args = _ARGS[lang].get(name)
        usage = f"/{name} {args}" if args else f"/{name}"
        lines.append(f"{html.escape(usage)} — {html.escape(description)}")
        if name == "subscribe":
            lines.append(html.escape(_TEXT[lang]["help_subscribe"]))
    if admin:
        lines.append(_TEXT[lang]["help_admin"])
    lines += ["", _TEXT[lang]["help_sources"]]
    return "\n".join(lines)


def render_usage_error(error: UsageError, lang: Lang) -> str:
    """A user's mistake, politely: an unknown company in the chat's language, else as raised."""
    if isinstance(error, UnknownCompanyError):
        text = render_message("unknown_company", lang, name=error.name)
        if error.suggestion:
            text += " " + render_message("did_you_mean", lang, name=error.suggestion)
        return text
    return html.escape(str(error))


def _fact_line(number: int, fact: StoredFact, lang: Lang, *, subject: bool) -> str:
    line = f"{number}. {html.escape(fact_summary(fact, lang, subject=subject))}"
    if len(fact.sources) > 1:
        line += render_message("n_sources", lang, n=len(fact.sources))
    return line


def _total_lines(totals: Iterable[Total], role: Role, lang: Lang) -> list[str]:
    """Totals worth a line (two facts or more), as :mod:`bot.render` words them."""
    return [
        f"   <i>{html.escape(render_total(total, role, lang))}</i>"
        for total in totals
        if total.count > 1
    ]


def render_facts_page(page: FactListPage, lang: Lang) -> PageView:
    """A page of ``/deals``, ``/revenue`` or ``/valuation``: companies in bold, facts numbered."""
    key = page.listing + ("_of" if page.company else "")
    if not page.groups:
        return PageView(render_message(f"empty_{key}", lang, company=page.company), 1, 1)
    title = render_message(f"title_{key}", lang, company=page.company)
    if page.matched > page.paging.total:
        count = render_message("newest_of", lang, n=page.paging.total, total=page.matched)
    else:
        count = str(page.paging.total)
    lines = [f"<b>{title}</b> ({count})"]
    fact_ids: list[int] = []
    for group in page.groups:
        header = f"<b>{html.escape(group.subject)}</b>"
        lines += ["", header + (_TEXT[lang]["continued"] if group.continued else "")]
        for fact in group.facts:
            fact_ids.append(fact.id)
            lines.append(_fact_line(len(fact_ids), fact, lang, subject=False))
        lines += _total_lines(group.totals, "subject", lang)
    return _view(lines, page.paging, page.company or "", fact_ids)


def render_company_page(page: ProfilePage, lang: Lang) -> PageView:
    """A page of ``/company``: counts and totals first, then its own facts, then the others'."""
    count = page.subject_count + page.counterparty_count
    header = render_message("profile", lang, name=page.name, n=count)
    others = [name for name in page.names if name != page.name]
    if others:
        header += render_message("also", lang, names=", ".join(others))
    lines = [header]
    if page.paging.page == 1:
        lines += _total_lines(page.subject_totals, "subject", lang)
        lines += _total_lines(page.counterparty_totals, "counterparty", lang)
    offset = (page.paging.page - 1) * page.paging.per_page
    fact_ids: list[int] = []
    sections = [
        ("own", page.as_subject, offset > 0, False),
        ("partner", page.as_counterparty, offset > page.subject_count, True),
    ]
    for title, facts, continued, with_subject in sections:
        if not facts:
            continue
        more = _TEXT[lang]["continued"] if continued else ""
        lines += ["", f"<i>{_TEXT[lang][title]}{more}</i>"]
        for fact in facts:
            fact_ids.append(fact.id)
            lines.append(_fact_line(len(fact_ids), fact, lang, subject=with_subject))
    return _view(lines, page.paging, page.name, fact_ids)


def _article_link(path: str) -> str:
    """An article's address: a link when it is a web address, else its path as code."""
    if path.startswith(("http://", "https://")):
        shown = path.split("://", 1)[1]
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
        return f'<a href="{html.escape(path, quote=True)}">{html.escape(shown)}</a>'
    return f"<code>{html.escape(path)}</code>"


def _article_line(article: StoredArticle | FactSource, lang: Lang) -> str:
    """``2025-12-17 · BI · seeds/001_x.txt``: date, outlet, where it is."""
    parts = [html.escape(article.published or _TEXT[lang]["undated"])]
    if article.source:
        parts.append(html.escape(article.source))
    parts.append(_article_link(article.path))
    return " · ".join(parts)


def render_latest_page(page: LatestPage, lang: Lang) -> PageView:
    """A page of ``/latest``: each article's date, outlet and link, then its facts."""
    if not page.articles:
        return PageView(_TEXT[lang]["latest_empty"], 1, 1)
    lines = [f"<b>{_TEXT[lang]['latest_title']}</b> ({page.paging.total})"]
    fact_ids: list[int] = []
    for item in page.articles:
        lines += ["", f"<b>{_article_line(item.article, lang)}</b>"]
        if item.article.title:
            lines.append(f"<i>{html.escape(item.article.title)}</i>")
        for fact in item.facts:
            fact_ids.append(fact.id)
            lines.append(_fact_line(len(fact_ids), fact, lang, subject=True))
        if item.more:
            lines.append(f"   {render_message('more_facts', lang, n=item.more)}")
    return _view(lines, page.paging, "", fact_ids)


def _fold_indexed(text: str) -> tuple[str, list[int]]:
    """``text`` folded as the search folds it, with each folded character's index in ``text``."""
    chars: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        base = unicodedata.normalize("NFKD", char.replace("đ", "d").replace("Đ", "D"))
        for folded in base.casefold():
            if not unicodedata.combining(folded):
                chars.append(folded)
                index.append(i)
    return "".join(chars), index


def render_excerpt(evidence: str, terms: Sequence[str], width: int = EXCERPT) -> str:
    """About ``width`` characters of ``evidence`` around the first term found, terms in bold.

    Matching ignores case and diacritics, as the search does: terms of three letters or more
    match the start of words, shorter ones whole words.
    """
    text = " ".join(evidence.split())
    folded, index = _fold_indexed(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            after = start + len(term)
            word_start = start == 0 or not folded[start - 1].isalnum()
            # short terms are searched as whole words, longer ones as word starts
            whole = len(term) >= 3 or after == len(folded) or not folded[after].isalnum()
            if word_start and whole:
                spans.append((index[start], index[after - 1] + 1))
            start = folded.find(term, start + 1)
    spans.sort()
    first = spans[0][0] if spans else 0
    begin = max(0, min(first - width // 3, len(text) - width))
    if begin:
        begin = text.rfind(" ", 0, begin) + 1
    finish = min(len(text), begin + width)
    if finish < len(text):
        finish = max(text.rfind(" ", begin, finish), first + 1)
    out = ["…"] if begin else []
    at = begin
    for start, end in spans:
        if start < at or end > finish:
            continue
        out += [html.escape(text[at:start]), f"<b>{html.escape(text[start:end])}</b>"]
        at = end
    out.append(html.escape(text[at:finish]))
    if finish < len(text):
        out.append("…")
    return "".join(out)


def _best_evidence(fact: StoredFact, terms: Sequence[str]) -> str:
    """The evidence of the source that holds the most search terms (the newest on ties)."""
    if not fact.sources:
        return ""

    def hits(source: FactSource) -> int:
        folded = _fold_indexed(source.evidence)[0]
        return sum(term in folded for term in terms)

    return max(reversed(fact.sources), key=hits).evidence


def render_search_page(page: SearchPage, lang: Lang) -> PageView:
    """A page of ``/search``: each fact with the sentence that matched, the words in bold."""
    if not page.facts:
        text = render_message("search_empty", lang, query=page.query)
        if page.suggestion:
            text += " " + render_message("did_you_mean", lang, name=page.suggestion)
            text += "\n" + render_message("search_try", lang, name=page.suggestion)
        return PageView(text, 1, 1, page.query)
    title = f"<b>{_TEXT[lang]['search_title']}</b>: “{html.escape(page.query)}”"
    lines = [f"{title} ({page.paging.total})"]
    fact_ids: list[int] = []
    for fact in page.facts:
        fact_ids.append(fact.id)
        lines += ["", _fact_line(len(fact_ids), fact, lang, subject=True)]
        excerpt = render_excerpt(_best_evidence(fact, page.terms), page.terms)
        if excerpt:
            lines.append(f"<i>{excerpt}</i>")
    return _view(lines, page.paging, page.query, fact_ids)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _stated(source: FactSource, fact: StoredFact, lang: Lang) -> str:
    """What this article said when it differs from the fact's latest state ("said: in talks")."""
    said = []
    if source.status and source.status != fact.status:
        said.append(STATUSES[lang][source.status])
    if source.qualifier != fact.amount.qualifier and QUALIFIERS[lang][source.qualifier]:
        said.append(QUALIFIERS[lang][source.qualifier])
    if source.date and source.date != fact.date:
        said.append(source.date)
    return render_message("said", lang, what=", ".join(said)) if said else ""


def render_fact_sources(fact: StoredFact | None, fact_id: int, lang: Lang) -> str:
    """``/sources``: the fact, then each article stating it (date, outlet, link) and its words.

    The newest :data:`MAX_SOURCES_SHOWN` sources are shown, oldest first, so
    a status that changed reads in order. May exceed one message: send it
    with :func:`bot.telegram_text.split_message`.
    """
    if fact is None:
        return render_message("no_fact", lang, id=fact_id)
    lines = [
        f"<b>{render_message('sources_title', lang, id=fact.id)}</b>",
        html.escape(fact_summary(fact, lang)),
    ]
    hidden = len(fact.sources) - MAX_SOURCES_SHOWN
    if hidden > 0:
        lines.append(render_message("more_sources", lang, n=hidden))
    shown = fact.sources[-MAX_SOURCES_SHOWN:]
    for number, source in enumerate(shown, start=max(hidden, 0) + 1):
        line = f"<b>{number}.</b> {_article_line(source, lang)}"
        stated = _stated(source, fact, lang)
        if stated:
            line += f" · {html.escape(stated)}"
        lines += ["", line, f"<i>{html.escape(_clip(source.evidence, MAX_EVIDENCE))}</i>"]
    return "\n".join(lines)


def render_lang(chosen: Lang | None, lang: Lang) -> str:
    """The answer to ``/lang vi|en|auto`` (already in the new language)."""
    return _TEXT[lang]["lang_set" if chosen else "lang_auto"]


def render_lang_usage(lang: Lang) -> str:
    """The answer to ``/lang`` without a language: the current one and how to change it."""
    return render_message("usage_lang", lang, current=_TEXT[lang][f"lang_name_{lang}"])


def render_stats(stats: BotStats, lang: Lang) -> str:
    """An admin's ``/stats``: counts of articles, facts and statements, kinds, chats."""
    store = stats.store
    lines = [
        _TEXT[lang]["stats_store"].format(
            articles=store.articles, facts=store.facts, sources=store.sources
        )
    ]
    if stats.newest_article:
        lines.append(render_message("stats_newest", lang, date=stats.newest_article))
    if stats.facts_by_kind:
        kinds = ", ".join(
            f"{KIND_NAMES[lang].get(cast(Kind, kind), kind)} {n}"
            for kind, n in stats.facts_by_kind.items()
        )
        lines.append(_TEXT[lang]["stats_kinds"].format(kinds=html.escape(kinds)))
    chats = ", ".join(f"{kind} {n}" for kind, n in stats.active_chats.items())
    chats = chats or _TEXT[lang]["stats_no_chats"]
    if stats.inactive_chats:
        chats += _TEXT[lang]["stats_left"].format(n=stats.inactive_chats)
    lines.append(_TEXT[lang]["stats_chats"].format(chats=html.escape(chats)))
    return "\n".join(lines)


def render_chart_caption(name: str, currency: str, lang: Lang) -> str:
    """The caption under ``/chart``'s picture."""
    return render_message("chart_caption", lang, name=name, currency=currency)


#: Telegram lets bots send documents up to 50 MB; keep clear of it.
MAX_DOCUMENT_BYTES = 45_000_000


@dataclass(frozen=True)
class Export:
    """A CSV document to send (``data`` None when there is nothing to send) and its caption."""

    data: bytes | None
    filename: str
    caption: str


def render_export(
    rows: Sequence[ExportRow], *, kinds: Sequence[Kind] | None, company: str | None, lang: Lang
) -> Export:
    """``/export``'s document: the CSV of :func:`bot.render.render_csv`, with a BOM so that
    spreadsheet programs read its UTF-8 (Vietnamese names) correctly, and a telling file name."""
    if not rows:
        return Export(None, "", _TEXT[lang]["export_empty"])
    data = render_csv(rows).encode("utf-8-sig")
    if len(data) > MAX_DOCUMENT_BYTES:
        size = round(len(data) / 1_000_000)
        return Export(None, "", render_message("export_too_big", lang, size=size))
    if kinds is None:
        what = "facts"
    elif tuple(kinds) == DEAL_KINDS:
        what = "deals"
    else:
        what = "-".join(kind.replace("_", "-") for kind in kinds)
    parts = ["dealflow", what]
    if company:
        parts.append(re.sub(r"[^a-z0-9]+", "-", fold_name(company)).strip("-") or "company")
    caption = render_message("export_caption", lang, n=len(rows))
    return Export(data, "-".join(parts) + ".csv", caption)
