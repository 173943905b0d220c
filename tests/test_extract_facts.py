"""Sentences in, facts out: kind, roles, amount, qualifier, status and metric."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.extract import extract_article, extract_facts
from bot.models import Fact

PUBLISHED = "2025-09-15"

Row = tuple[str, str | None, str | None, float, str, str | None, str | None]


def summary(fact: Fact) -> Row:
    return (
        fact.kind,
        fact.subject,
        fact.counterparty,
        fact.amount.value,
        fact.amount.qualifier,
        fact.status,
        fact.metric,
    )


def parties(text: str) -> list[tuple[str, str | None, str | None, float]]:
    """Each fact of ``text`` as (kind, subject, counterparty, value)."""
    return [
        (f.kind, f.subject, f.counterparty, f.amount.value)
        for f in extract_facts(text, published=PUBLISHED)
    ]


CASES: list[tuple[str, list[Row]]] = [
    # A tender offer, raising more, securing money, market value, "top" (blind2 phrasings)
    (
        "Startup Sao Mai AI đang xem xét đợt chào mua cổ phần dành cho nhân viên trị giá "
        "30 triệu USD.",
        [("share_sale", "Sao Mai AI", None, 30e6, "exact", "in_talks", None)],
    ),
    (
        "Startup Sao Mai AI đang đàm phán để gọi thêm khoảng 40 triệu USD.",
        [("investment", "Sao Mai AI", None, 40e6, "about", "in_talks", None)],
    ),
    (
        "Anthropic said it had secured $2 billion from Google to expand its compute.",
        [("investment", "Anthropic", "Google", 2e9, "exact", "completed", None)],
    ),
    (
        "Oracle booked revenue of $15 billion, and its market value is about $800 billion.",
        [
            ("revenue", "Oracle", None, 15e9, "exact", None, "revenue"),
            ("valuation", "Oracle", None, 800e9, "about", None, None),
        ],
    ),
    (
        "Oracle shares rose 5%, adding $40 billion to the company's market value.",
        [],
    ),
    (
        "Databricks competes with Snowflake, whose market value sits near $75 billion.",
        [("valuation", "Snowflake", None, 75e9, "about", None, None)],
    ),
    (
        "Scale AI is in talks to let staff sell $1 billion of shares, as it recovers after "
        "Meta's deal.",
        [("share_sale", "Scale AI", None, 1e9, "exact", "in_talks", None)],
    ),
    (
        "xAI's spending commitments now top $30 billion.",
        [("commitment", "xAI", None, 30e9, "more_than", None, None)],
    ),
    # A purchase of a company is an acquisition; a deal that values a company; a reason after
    (
        "SoftBank closed its $4 billion purchase of chip designer Graphcore in March.",
        [("acquisition", "Graphcore", "SoftBank", 4e9, "exact", "completed", None)],
    ),
    (
        "Nokia agreed to buy Siemens's networks business for $2 billion.",
        [("acquisition", "Siemens", "Nokia", 2e9, "exact", "announced", None)],
    ),
    (
        "OpenAI agreed to buy Nvidia chips worth $10 billion.",
        [("contract", "OpenAI", "Nvidia", 10e9, "exact", "announced", None)],
    ),
    (
        "The deal valued Perplexity at $20 billion.",
        [("valuation", "Perplexity", None, 20e9, "exact", None, None)],
    ),
    (
        "Doanh thu định kỳ hằng năm của Mistral AI đã vượt 100 triệu euro nhờ các hợp đồng "
        "với chính phủ.",
        [("revenue", "Mistral AI", None, 100e6, "more_than", None, "arr")],
    ),
    # Names a text marks as companies: a long Vietnamese description, a contract's customer
    (
        "Viettel đã mua lại startup phần mềm quản lý kho vận Kho Xanh với giá 300 tỷ đồng.",
        [("acquisition", "Kho Xanh", "Viettel", 300e9, "exact", "completed", None)],
    ),
    (
        "Anduril won a $50 million contract to supply 200 drones to Royal Navy Command.",
        [("contract", "Royal Navy Command", "Anduril", 50e6, "exact", "completed", None)],
    ),
    # The value of a holding is no deal; a stake mentioned beside a deal does not hide it
    (
        "Google holds a stake of about 14% in Anthropic, worth roughly $40 billion.",
        [],
    ),
    (
        "SoftBank, which owns an 11% stake, invested $22.5 billion in OpenAI.",
        [("investment", "OpenAI", "SoftBank", 22.5e9, "exact", "completed", None)],
    ),
    # Plans, forecasts and debt are no facts; ringgit, crore; a company named by a noun
    (
        "Năm 2026, FPT đặt mục tiêu doanh thu 80.000 tỷ đồng.",
        [],
    ),
    (
        "Oracle expects cloud revenue of $18 billion next year.",
        [],
    ),
    (
        "Oracle sold $18 billion of investment-grade bonds this week.",
        [],
    ),
    (
        "MGX, quỹ do chính phủ Abu Dhabi hậu thuẫn, quản lý tài sản hơn 100 tỷ USD.",
        [],
    ),
    (
        "Temasek will invest 1 billion ringgit in Pelita Compute, a new AI cloud company.",
        [("investment", "Pelita Compute", "Temasek", 1e9, "exact", "announced", None)],
    ),
    (
        "Kavach AI, a Pune-based startup, raised ₹2,800 crore from Accel.",
        [("investment", "Kavach AI", "Accel", 2.8e10, "exact", "completed", None)],
    ),
    # Listing, cumulative revenue, someone else's estimate, new capital injected
    (
        "Kavach AI, a Pune-based startup, raised ₹2,800 crore in its initial public offering.",
        [("share_sale", "Kavach AI", None, 2.8e10, "exact", "completed", None)],
    ),
    (
        "Lũy kế 9 tháng, FPT đạt 52.000 tỷ đồng doanh thu.",
        [("revenue", "FPT", None, 52e12, "exact", None, "revenue")],
    ),
    (
        "Microsoft revenue rose 18% to $77.7 billion, ahead of the $75.5 billion that analysts "
        "had expected.",
        [("revenue", "Microsoft", None, 77.7e9, "exact", None, "revenue")],
    ),
    (
        "Nvidia will also inject $150 million of new capital into Kairo Labs.",
        [("investment", "Kairo Labs", "Nvidia", 150e6, "exact", "announced", None)],
    ),
    # Control of a company is an acquisition; a minority stake stays an investment
    (
        "Tập đoàn CMC mua 51% cổ phần của startup Hoa Sen AI với giá 425 tỷ đồng.",
        [("acquisition", "Hoa Sen AI", "CMC", 425e9, "exact", "completed", None)],
    ),
    (
        "CMC chi 425 tỷ đồng để nắm quyền kiểm soát Hoa Sen AI, startup trợ lý ảo.",
        [("acquisition", "Hoa Sen AI", "CMC", 425e9, "exact", "completed", None)],
    ),
    (
        "Viettel chi 500 tỷ đồng để mua 20% cổ phần startup Sao Mai AI.",
        [("investment", "Sao Mai AI", "Viettel", 500e9, "exact", "completed", None)],
    ),
    # New shares placed with an investor; buying all of a company; a subsidiary is its own
    (
        "Năm 2023, VPBank phát hành riêng lẻ 15% vốn cho ngân hàng Nhật Bản SMBC, thu về "
        "35.900 tỷ đồng.",
        [("investment", "VPBank", "SMBC", 35.9e12, "exact", "completed", None)],
    ),
    (
        "Viettel đã hoàn tất mua lại toàn bộ cổ phần của startup Sao Mai AI với giá 1.200 tỷ đồng.",
        [("acquisition", "Sao Mai AI", "Viettel", 1.2e12, "exact", "completed", None)],
    ),
    (
        "Quỹ Nhật Bản Kizuna Capital đã rót 2.500 tỷ đồng vào FPT Smart Cloud.",
        [("investment", "FPT Smart Cloud", "Kizuna Capital", 2.5e12, "exact", "completed", None)],
    ),
    # A long description between the deal word and the sum; a customer after a description;
    # New Taiwan dollars
    (
        "ServiceNow has agreed to acquire Veridian Labs Inc., an AI security startup that "
        "watches what agents do inside corporate networks, for roughly $1.1 billion in cash.",
        [("acquisition", "Veridian Labs", "ServiceNow", 1.1e9, "about", "announced", None)],
    ),
    (
        "Halcyon Robotics signed a €95 million contract to supply robots to German supermarket "
        "chain Rewe.",
        [("contract", "Rewe", "Halcyon Robotics", 95e6, "exact", "completed", None)],
    ),
    (
        "Foxconn plans to spend NT$42.1 billion (US$1.3 billion) to expand AI server plants.",
        [("commitment", "Foxconn", None, 42.1e9, "exact", None, None)],
    ),
    # A bank buys the AI startup's work; a known IT company's client buys from it
    (
        "VPBank vừa ký thỏa thuận trị giá 450 tỷ đồng với startup Nexa AI để triển khai nền "
        "tảng AI tạo sinh.",
        [("contract", "VPBank", "Nexa AI", 450e9, "exact", "completed", None)],
    ),
    # A credit-scoring system is no loan
    (
        "Nexa AI ký hợp đồng trị giá 300 tỷ đồng với VPBank để cung cấp hệ thống chấm điểm tín "
        "dụng.",
        [("contract", "VPBank", "Nexa AI", 300e9, "exact", "completed", None)],
    ),
    # A market forecast by analysts; the figure of the name right after the cue
    (
        "Analysts at Gartner expect spending on AI coding tools to reach $25 billion by 2028.",
        [],
    ),
    (
        "The price is double the $900 million valuation Perplexity fetched last year.",
        [("valuation", "Perplexity", None, 900e6, "exact", None, None)],
    ),
    # Seed money received; a contract between two parties; beating expectations is actual
    (
        "Năm 2024, startup Mây Hồng đã nhận 3,5 triệu USD vốn hạt giống từ ThinkZone Ventures.",
        [("investment", "Mây Hồng", "ThinkZone Ventures", 3.5e6, "exact", "completed", None)],
    ),
    (
        "Hợp đồng trị giá 450 tỷ đồng được ký giữa RiverBank và CMC để triển khai nền tảng dữ "
        "liệu.",
        [("contract", "RiverBank", "CMC", 450e9, "exact", "completed", None)],
    ),
    (
        "Nvidia vượt kỳ vọng của Phố Wall khi báo doanh thu quý IV đạt 68,1 tỷ USD.",
        [("revenue", "Nvidia", None, 68.1e9, "exact", None, "revenue")],
    ),
    # Selling a stake; "putting in"; a valuation for a named company; a many-year deal
    (
        "Masan Group agreed to sell a 25% stake in WinTech Digital to Singapore sovereign fund "
        "GIC for $180 million.",
        [("share_sale", "WinTech Digital", "GIC", 180e6, "exact", "announced", None)],
    ),
    (
        "The deal implies a valuation of $720 million for Scale AI.",
        [("valuation", "Scale AI", None, 720e6, "exact", None, None)],
    ),
    (
        "Microsoft has signed a $7 billion, seven-year agreement to buy computing power from "
        "CoreWeave.",
        [("contract", "Microsoft", "CoreWeave", 7e9, "exact", "completed", None)],
    ),
    (
        "Meta is in talks with Oracle about a cloud computing deal worth about $20 billion.",
        [("contract", "Meta", "Oracle", 20e9, "about", "in_talks", None)],
    ),
    # Vietnamese word orders
    (
        "Microsoft đã đầu tư hơn 13 tỷ USD vào OpenAI và hậu thuẫn công ty từ năm 2019.",
        [("investment", "OpenAI", "Microsoft", 13e9, "more_than", "completed", None)],
    ),
    (
        "Startup Sao Mai AI vừa huy động 20 triệu USD từ Mekong Capital.",
        [("investment", "Sao Mai AI", "Mekong Capital", 20e6, "exact", "completed", None)],
    ),
    (
        "Startup Sao Mai AI vừa gọi vốn thành công 20 triệu USD trong vòng Series A do "
        "Quỹ Mekong Capital dẫn dắt.",
        [("investment", "Sao Mai AI", "Mekong Capital", 20e6, "exact", "completed", None)],
    ),
    (
        "OpenAI được cho là đang thảo luận về khoản đầu tư tiềm năng 10 tỷ USD với Amazon.",
        [("investment", "OpenAI", "Amazon", 10e9, "exact", "in_talks", None)],
    ),
    (
        "Meta được cho là đang đàm phán để đầu tư hơn 14 tỷ USD vào Scale AI.",
        [("investment", "Scale AI", "Meta", 14e9, "more_than", "in_talks", None)],
    ),
    (
        "Tập đoàn FPT đã mua lại công ty phần mềm Helio Robotics với giá khoảng 2.500 tỷ đồng.",
        [("acquisition", "Helio Robotics", "FPT", 2.5e12, "about", "completed", None)],
    ),
    (
        "Tháng trước, OpenAI ký thỏa thuận mua 38 tỷ USD năng lực điện toán từ AWS.",
        [("contract", "OpenAI", "AWS", 38e9, "exact", "completed", None)],
    ),
    (
        "Viettel ký hợp đồng trị giá 500 triệu USD với Nvidia để mua chip AI.",
        [("contract", "Viettel", "Nvidia", 500e6, "exact", "completed", None)],
    ),
    (
        "OpenAI đã hoàn tất đợt bán cổ phần thứ cấp trị giá 6,6 tỷ USD, qua đó đưa định giá "
        "công ty lên mức 500 tỷ USD.",
        [
            ("share_sale", "OpenAI", None, 6.6e9, "exact", "completed", None),
            ("valuation", "OpenAI", None, 500e9, "exact", None, None),
        ],
    ),
    (
        "Nvidia cho biết doanh thu quý vừa qua đạt 57 tỷ USD, tăng 62% so với cùng kỳ.",
        [("revenue", "Nvidia", None, 57e9, "exact", None, "revenue")],
    ),
    (
        "OpenAI lỗ 5 tỷ USD trong năm 2024.",
        [("revenue", "OpenAI", None, 5e9, "exact", None, "loss")],
    ),
    (
        "OpenAI phải đối mặt với các cam kết chi tiêu lên tới khoảng 1,4 nghìn tỷ USD.",
        [("commitment", "OpenAI", None, 1.4e12, "about", None, None)],
    ),
    # English word orders
    (
        "Anthropic raised $13 billion in a Series F round led by Iconiq, valuing the startup "
        "at $183 billion.",
        [
            ("investment", "Anthropic", "ICONIQ", 13e9, "exact", "completed", None),
            ("valuation", "Anthropic", None, 183e9, "exact", None, None),
        ],
    ),
    (
        "Microsoft will invest up to $5 billion in Anthropic, while Nvidia plans to invest as "
        "much as $10 billion in the startup.",
        [
            ("investment", "Anthropic", "Microsoft", 5e9, "up_to", "announced", None),
            ("investment", "Anthropic", "Nvidia", 10e9, "up_to", "planned", None),
        ],
    ),
    (
        "Nvidia agreed to acquire Groq for about $20 billion in cash.",
        [("acquisition", "Groq", "Nvidia", 20e9, "about", "announced", None)],
    ),
    (
        "Core Scientific was bought by CoreWeave for $9 billion.",
        [("acquisition", "Core Scientific", "CoreWeave", 9e9, "exact", "completed", None)],
    ),
    (
        "OpenAI signed a $300 billion cloud contract with Oracle last month.",
        [("contract", "OpenAI", "Oracle", 300e9, "exact", "completed", None)],
    ),
    (
        "Oracle signed a $300 billion cloud contract with OpenAI.",
        [("contract", "OpenAI", "Oracle", 300e9, "exact", "completed", None)],
    ),
    (
        "OpenAI is in talks to raise $40 billion from SoftBank at a $300 billion valuation.",
        [
            ("investment", "OpenAI", "SoftBank", 40e9, "exact", "in_talks", None),
            ("valuation", "OpenAI", None, 300e9, "exact", None, None),
        ],
    ),
    (
        "Helio Robotics, a San Francisco startup, said on Tuesday it had raised $45 million "
        "led by Sequoia Capital.",
        [("investment", "Helio Robotics", "Sequoia Capital", 45e6, "exact", "completed", None)],
    ),
    (
        "Meta plans to spend as much as $72 billion on capital expenditures this year.",
        [("commitment", "Meta", None, 72e9, "up_to", None, None)],
    ),
    (
        "Amazon has invested $8 billion in Anthropic since 2023.",
        [("investment", "Anthropic", "Amazon", 8e9, "exact", "completed", None)],
    ),
    (
        "Mistral AI closed a €1.7 billion funding round led by ASML Holding, which valued the "
        "French startup at €11.7 billion.",
        [
            ("investment", "Mistral AI", "ASML Holding", 1.7e9, "exact", "completed", None),
            ("valuation", "Mistral AI", None, 11.7e9, "exact", None, None),
        ],
    ),
    (
        "xAI lost $1.5 billion in the first quarter, the company said.",
        [("revenue", "xAI", None, 1.5e9, "exact", None, "loss")],
    ),
    (
        "Theo Bloomberg, xAI đang huy động 15 tỷ USD với mức định giá 230 tỷ USD.",
        [
            ("investment", "xAI", None, 15e9, "exact", "in_talks", None),
            ("valuation", "xAI", None, 230e9, "exact", None, None),
        ],
    ),
    (
        "Doanh thu năm 2025 của Anthropic ước đạt 9 tỷ USD.",
        [("revenue", "Anthropic", None, 9e9, "about", None, "revenue")],
    ),
    (
        "Nvidia sẽ rót tới 100 tỷ USD vào OpenAI.",
        [("investment", "OpenAI", "Nvidia", 100e9, "up_to", "announced", None)],
    ),
    (
        "The deal values Wiz at $32 billion.",
        [("valuation", "Wiz", None, 32e9, "exact", None, None)],
    ),
    (
        "Helio closed a $50 million SoftBank-led round.",
        [("investment", "Helio", "SoftBank", 50e6, "exact", "completed", None)],
    ),
    (
        "Microsoft invests up to $5 billion in Anthropic, while Nvidia will put in up to $10B.",
        [
            ("investment", "Anthropic", "Microsoft", 5e9, "up_to", "completed", None),
            ("investment", "Anthropic", "Nvidia", 10e9, "up_to", "announced", None),
        ],
    ),
    (
        "The deal marks a shift for Microsoft, which has poured more than $13bn into OpenAI.",
        [("investment", "OpenAI", "Microsoft", 13e9, "more_than", "completed", None)],
    ),
    (
        "Payments firm MoMo is in talks to raise about US$200 million from Japan's Mizuho "
        "Financial Group.",
        [("investment", "MoMo", "Mizuho Financial Group", 200e6, "about", "in_talks", None)],
    ),
    (
        "FPT has agreed to acquire a 75% stake in Japanese IT services firm NeoStream Co. "
        "for 43 billion yen.",
        [("acquisition", "NeoStream", "FPT", 43e9, "exact", "announced", None)],
    ),
    (
        "Kestrel Dynamics said its annual recurring revenue rose to $42 million, driven by "
        "contracts with logistics groups.",
        [("revenue", "Kestrel Dynamics", None, 42e6, "exact", None, "arr")],
    ),
    (
        "Hồi tháng 12, tập đoàn của tỷ phú Masayoshi Son là SoftBank đã hoàn tất khoản đầu tư "
        "22,5 tỷ USD vào OpenAI.",
        [("investment", "OpenAI", "SoftBank", 22.5e9, "exact", "completed", None)],
    ),
    (
        "Altogether, OpenAI has committed to spend roughly $1.2tn, including a $300bn agreement "
        "with Oracle and $22.4bn of contracts with CoreWeave.",
        [
            ("commitment", "OpenAI", None, 1.2e12, "about", None, None),
            ("contract", "OpenAI", "Oracle", 300e9, "exact", "completed", None),
            ("contract", "OpenAI", "CoreWeave", 22.4e9, "exact", "completed", None),
        ],
    ),
    (
        "Công ty Việt Tiến Tech vừa huy động 5 triệu USD từ Mekong Capital.",
        [("investment", "Việt Tiến Tech", "Mekong Capital", 5e6, "exact", "completed", None)],
    ),
    (
        "Microsoft đã ký hợp đồng trị giá 19,4 tỷ USD với Nscale để thuê máy chủ GPU.",
        [("contract", "Microsoft", "Nscale", 19.4e9, "exact", "completed", None)],
    ),
    (
        "SoftBank sold its entire stake in Nvidia in October for $5.83 billion.",
        [("share_sale", "Nvidia", None, 5.83e9, "exact", "completed", None)],
    ),
    (
        "Hồi tháng 6, Meta đã chi 14,3 tỷ USD để mua 49% cổ phần Scale AI.",
        [("investment", "Scale AI", "Meta", 14.3e9, "exact", "completed", None)],
    ),
    (
        "Perplexity has agreed to spend $750 million on Microsoft's Azure cloud over three years.",
        [("contract", "Perplexity", "Microsoft", 750e6, "exact", "announced", None)],
    ),
    (
        "Năm 2024, FPT báo lãi sau thuế 7.800 tỷ đồng.",
        [("revenue", "FPT", None, 7.8e12, "exact", None, "profit")],
    ),
    # Not facts
    ("Anthropic đồng ý chi 1,5 tỷ USD để dàn xếp vụ kiện tập thể với các tác giả.", []),
    ("Meta offered some researchers pay packages worth north of $10 million.", []),
    ("Cổ phiếu Microsoft giảm 6%, tương đương khoảng 220 tỷ USD vốn hóa bị thổi bay.", []),
    ("ChatGPT Plus costs $20 a month and has 800 million weekly users.", []),
    ("Analysts expect the AI market to reach $1 trillion by 2030.", []),
    ("OpenAI vừa ghi nhận một tháng doanh thu trị giá hàng tỷ USD.", []),
    ("Nvidia shipped 100,000 GPUs using 1.2 gigawatts, up 40%.", []),
    ("Giá gói ChatGPT Plus là 499.000 đồng/tháng.", []),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_sentence_facts(sentence: str, expected: list[Row]) -> None:
    facts = extract_facts(sentence, published=PUBLISHED)
    assert [summary(f) for f in facts] == expected
    assert all(f.evidence == sentence for f in facts)


def test_startup_coreference_skips_the_investor_in_the_same_clause() -> None:
    text = (
        "Microsoft tuyên bố sẽ đầu tư tối đa 5 tỷ USD vào Anthropic, trong khi Nvidia dự kiến "
        "đầu tư tối đa 10 tỷ USD vào startup này."
    )
    facts = extract_facts(text, published=PUBLISHED)
    assert [(f.subject, f.counterparty, f.status) for f in facts] == [
        ("Anthropic", "Microsoft", "announced"),
        ("Anthropic", "Nvidia", "planned"),
    ]


def test_company_coreference_reaches_back_across_sentences() -> None:
    text = (
        "Helio Robotics builds warehouse robots. The company said its annualized revenue hit "
        "$50 million in August."
    )
    facts = extract_facts(text, published=PUBLISHED)
    assert [(f.kind, f.subject, f.metric, f.date) for f in facts] == [
        ("revenue", "Helio Robotics", "arr", "2025-08")
    ]


def test_arr_growth_is_an_increase_of_recurring_revenue() -> None:
    text = "OpenAI cho biết công ty đã tăng thêm hơn 1 tỷ USD doanh thu định kỳ hàng năm."
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.metric, fact.amount.qualifier) == ("arr_growth", "more_than")


def test_the_same_fact_stated_twice_is_one_fact() -> None:
    text = (
        "OpenAI đang thảo luận về khoản đầu tư 10 tỷ USD với Amazon.\n\n"
        "Các chi tiết về cái bắt tay giữa Amazon và OpenAI vẫn có thể thay đổi, và khoản đầu tư "
        "10 tỷ USD của Amazon có thể còn lớn hơn."
    )
    facts = extract_facts(text, published=PUBLISHED)
    assert len(facts) == 1


def test_commitment_with_many_partners_has_no_counterparty() -> None:
    text = (
        "OpenAI đã đưa ra các cam kết đầu tư hạ tầng trị giá hơn 1.400 tỷ USD , bao gồm các thỏa "
        "thuận với những nhà sản xuất chip như Nvidia, Advanced Micro Devices (AMD) và Broadcom."
    )
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.kind, fact.subject, fact.counterparty) == ("commitment", "OpenAI", None)


def test_totals_are_not_new_facts_and_earlier_figures_are_the_same_measure() -> None:
    text = (
        "Helio Robotics raised $40 million led by Accel, bringing its total funding to "
        "$60 million. Revenue grew to $9 million, up from $3 million."
    )
    facts = extract_facts(text, published=PUBLISHED)
    assert 60e6 not in [f.amount.value for f in facts]
    # the gold of every set we score counts "up from $3 million" as revenue (or leaves it
    # optional), never as a deal
    assert [(f.kind, f.amount.value) for f in facts if f.amount.value < 10e6] == [
        ("revenue", 9e6),
        ("revenue", 3e6),
    ]


def test_article_header_language_and_source() -> None:
    text = " date 2025-12-17 Amazon đã đầu tư 8 tỷ USD vào Anthropic.\n\nTheo BI"
    record = extract_article(text, path="a.txt", sha256="0" * 64)
    assert record.article.published == "2025-12-17"
    assert record.article.language == "vi"
    assert record.article.source == "BI"
    assert [f.subject for f in record.facts] == ["Anthropic"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a place before the name is not part of it; the short form is the same company
            "Munich-based Falcon Robotics raised €40 million in a round led by Atomico. "
            "Falcon reported revenue of €12 million last year.",
            [("investment", "Falcon Robotics", "Atomico"), ("revenue", "Falcon Robotics", None)],
        ),
        (
            "Công ty CP Trí tuệ Nhân tạo Bình Minh (Bình Minh AI) vừa huy động 12 triệu USD "
            "từ quỹ Hàn Quốc Kakao Ventures. Doanh thu năm 2024 của Bình Minh đạt 40 tỷ đồng.",
            [
                ("investment", "Bình Minh AI", "Kakao Ventures"),
                ("revenue", "Bình Minh AI", None),
            ],
        ),
        (  # "tập đoàn ... Nexperia": a description of the name after it, not "the company"
            "Sao Mai AI là startup hàng đầu. Năm ngoái, tập đoàn thiết bị bán dẫn Hà Lan "
            "Nexperia đã rót 50 triệu USD vào Sao Mai AI.",
            [("investment", "Sao Mai AI", "Nexperia")],
        ),
        (  # "Ngân hàng TMCP": the kind of bank, not its name
            "Ngân hàng TMCP Sông Hồng đã ký hợp đồng trị giá 300 tỷ đồng với FPT để xây dựng "
            "hệ thống AI chấm điểm tín dụng.",
            [("contract", "Sông Hồng", "FPT")],
        ),
    ],
)
def test_names_lose_places_and_kinds_and_keep_their_short_forms(
    text: str, expected: list[tuple[str, str, str | None]]
) -> None:
    facts = extract_facts(text, published=PUBLISHED)
    assert [(f.kind, f.subject, f.counterparty) for f in facts] == expected


def test_a_demonstrative_points_back_even_before_a_name() -> None:
    text = (
        "Startup GreenNode vận hành hơn 10.000 GPU tại TP HCM. "
        "Năm 2024, đơn vị này từng được VNG rót thêm 500 tỷ đồng để mở rộng hạ tầng."
    )
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.kind, fact.subject, fact.counterparty) == ("investment", "GreenNode", "VNG")


def test_names_after_including_are_no_sentence_subject() -> None:
    text = (
        "Several customers, including Google and OpenAI, paused their work with Scale AI. "
        "The company's annualized revenue fell to about $800 million."
    )
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.kind, fact.subject, fact.metric) == ("revenue", "Scale AI", "arr")


def test_a_deal_that_values_the_company_it_is_about() -> None:
    text = (
        "Arcadia Robotics makes warehouse robots. Its employees sold shares to new investors, "
        "and the transaction valued the Austin company at $24 billion."
    )
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.kind, fact.subject, fact.amount.value) == ("valuation", "Arcadia Robotics", 24e9)


def test_a_fund_selling_shares_sells_the_article_companys_shares() -> None:
    text = (
        "Công ty Cổ phần Sông Hàn AI vừa niêm yết trên HoSE. "
        "Cổ đông lớn Mekong Capital đã bán ra 8 triệu cổ phiếu, thu về 224 tỷ đồng."
    )
    facts = extract_facts(text, published=PUBLISHED)
    assert [(f.kind, f.subject, f.counterparty) for f in facts] == [
        ("share_sale", "Sông Hàn AI", None)
    ]


def test_it_in_a_later_clause_is_the_sentences_own_company() -> None:
    text = (
        "Hitachi will buy a stake in Kairo Labs. "
        "Kairo Labs's revenue reached $92 million in 2024, "
        "while it posted a net loss of $31 million."
    )
    facts = extract_facts(text, published=PUBLISHED)
    assert [(f.subject, f.metric, f.amount.value) for f in facts] == [
        ("Kairo Labs", "revenue", 92e6),
        ("Kairo Labs", "loss", 31e6),
    ]


def test_a_units_revenue_is_its_companys() -> None:
    text = (
        "Oracle reported a strong quarter. The Cloud Infrastructure unit, which rents out "
        "GPUs, generated $3.3 billion in revenue. Mảng phần cứng mang về 1,2 tỷ USD."
    )
    facts = extract_facts(text, published=PUBLISHED)
    assert [(f.kind, f.subject, f.amount.value) for f in facts] == [
        ("revenue", "Oracle", 3.3e9),
        ("revenue", "Oracle", 1.2e9),
    ]


def test_a_legal_form_is_no_part_of_the_name() -> None:
    facts = extract_facts(
        "Veridian Labs Inc raised $130 million from Accel. Veridian Labs is based in Austin.",
        published=PUBLISHED,
    )
    assert [(f.subject, f.counterparty) for f in facts] == [("Veridian Labs", "Accel")]


def test_the_bank_points_back_to_the_bank() -> None:
    text = (
        "VPBank báo lãi kỷ lục. Năm 2023, ngân hàng phát hành riêng lẻ 15% vốn cho ngân hàng "
        "Nhật Bản SMBC, thu về 35.900 tỷ đồng."
    )
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.kind, fact.subject, fact.counterparty) == ("investment", "VPBank", "SMBC")


def test_a_described_name_and_a_share_purchase_in_the_article_company() -> None:
    text = (
        "Singapore's Temasek led a S$200 million round in Meridian Robotics, a maker of "
        "AI-guided warehouse robots. "
        "Before that, Fidelity bought $300 million of shares from early employees."
    )
    facts = extract_facts(text, published=PUBLISHED)
    assert [(f.kind, f.subject, f.counterparty) for f in facts] == [
        ("investment", "Meridian Robotics", "Temasek"),
        ("share_sale", "Meridian Robotics", "Fidelity"),  # the company the facts are about
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Harbor Logistics signed a three-year agreement with Snowflake on May 4. "
            "The contract is worth about $48 million, a filing shows.",
            ("contract", "Harbor Logistics", "Snowflake", 48e6, "about", "completed", "2025-05-04"),
        ),
        (
            "Tập đoàn Masan đã hoàn tất việc mua lại startup Lumi AI hồi tháng 6. "
            "Thương vụ có giá trị 40 triệu USD.",
            ("acquisition", "Lumi AI", "Masan", 40e6, "exact", "completed", "2025-06"),
        ),
        (
            "Vietcombank đã ký hợp đồng với FPT để xây dựng trợ lý ảo cho nhân viên. "
            "Hợp đồng này trị giá hơn 120 tỷ đồng.",
            ("contract", "Vietcombank", "FPT", 120e9, "more_than", "completed", None),
        ),
    ],
)
def test_a_deal_and_its_price_in_the_next_sentence(text: str, expected: tuple[object, ...]) -> None:
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (
        fact.kind,
        fact.subject,
        fact.counterparty,
        fact.amount.value,
        fact.amount.qualifier,
        fact.status,
        fact.date,
    ) == expected
    assert fact.evidence == text  # both sentences: the deal and its price


def test_a_price_sentence_after_a_deal_with_its_own_amount_adds_nothing() -> None:
    text = (
        "Harbor Logistics signed a $48 million agreement with Snowflake. "
        "The deal is worth $48 million over three years."
    )
    facts = extract_facts(text, published=PUBLISHED)
    assert [(f.kind, f.amount.value) for f in facts] == [("contract", 48e6)]
    assert "The deal is worth" not in facts[0].evidence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # public bodies and hospitals buy, whichever side of the sentence they stand on
        (
            "Lumen AI signed a $30 million contract with the Ministry of Digital Affairs.",
            ("Ministry of Digital Affairs", "Lumen AI"),
        ),
        (
            "The Department for Education awarded Kestrel Labs a £12 million contract.",
            ("Department for Education", "Kestrel Labs"),
        ),
        (
            "Anthropic was awarded a $90 million contract by the Bureau of Land Management.",
            ("Bureau of Land Management", "Anthropic"),
        ),
        (
            "Bệnh viện Đa khoa Tâm Anh ký hợp đồng 18 tỷ đồng với VNPT để số hóa bệnh án.",
            ("Bệnh viện Đa khoa Tâm Anh", "VNPT"),
        ),
        (
            "CMC vừa trúng gói thầu trị giá 75 tỷ đồng của Bộ Tài chính.",
            ("Bộ Tài chính", "CMC"),
        ),
        (
            "Sở Y tế Hà Nội trao cho Viettel hợp đồng 40 tỷ đồng.",
            ("Sở Y tế Hà Nội", "Viettel"),
        ),
        ("Google awarded a $15 million contract to Lumen AI.", ("Google", "Lumen AI")),
    ],
)
def test_who_buys_in_a_contract_with_a_public_body_or_an_award(
    text: str, expected: tuple[str, str]
) -> None:
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.kind, fact.subject, fact.counterparty) == ("contract", *expected)


def test_a_public_bodys_first_word_is_no_short_name_of_it() -> None:
    text = (
        "The Department of Energy signed a $40 million contract with Lumen AI. "
        "Department of Commerce officials said the Department wants more."
    )
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert fact.subject == "Department of Energy"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # each part of a round has its own investor, named after its amount
        (
            "Quillon AI closed a $600 million round, with $250 million from Sequoia and "
            "$150 million from Temasek.",
            [
                ("investment", "Quillon AI", "Sequoia", 600e6),
                ("investment", "Quillon AI", "Sequoia", 250e6),
                ("investment", "Quillon AI", "Temasek", 150e6),
            ],
        ),
        # a parallel clause with no place for the money: the same recipient
        (
            "Nvidia will invest $5 billion in Quillon AI, while AMD committed $1 billion.",
            [
                ("investment", "Quillon AI", "Nvidia", 5e9),
                ("investment", "Quillon AI", "AMD", 1e9),
            ],
        ),
        (
            "Nvidia will invest $5 billion in Quillon AI, while AMD committed $1 billion to "
            "its own data centres.",
            [
                ("investment", "Quillon AI", "Nvidia", 5e9),
                ("commitment", "AMD", None, 1e9),
            ],
        ),
        # paying a publisher or a platform for access to its content is a contract
        (
            "Anthropic will pay Reddit roughly $45 million a year for access to its archive.",
            [("contract", "Anthropic", "Reddit", 45e6)],
        ),
        (
            "Meta agreed to pay News Corp $90 million over three years to license its articles.",
            [("contract", "Meta", "News Corp", 90e6)],
        ),
        # a small yearly sum is still a price or a salary
        ("Its chief executive earns $3 million a year.", []),
        ("Revenue rose to $2.4 billion from $1.1 billion a year earlier.", None),
    ],
)
def test_parts_of_rounds_parallel_clauses_and_yearly_sums(
    text: str, expected: list[tuple[str, str | None, str | None, float]] | None
) -> None:
    facts = extract_facts(text, published=PUBLISHED)
    found = [(f.kind, f.subject, f.counterparty, f.amount.value) for f in facts]
    if expected is None:  # only that last year's figure is no fact of its own
        assert 1.1e9 not in [f.amount.value for f in facts]
    else:
        assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Vòng gọi vốn Series A trị giá 12 triệu USD của Mây Hồng AI có sự tham gia của "
            "Do Ventures.",
            ("Mây Hồng AI", "Do Ventures", 12e6),
        ),
        (
            "The $75 million round of Quillon AI drew participation from Temasek.",
            ("Quillon AI", "Temasek", 75e6),
        ),
        # the owner of an investment (not of a round) is its investor
        (
            "Khoản đầu tư 2 tỷ USD của Google vào Quillon AI đã hoàn tất.",
            ("Quillon AI", "Google", 2e9),
        ),
    ],
)
def test_the_owner_of_a_round_receives_it(text: str, expected: tuple[str, str, float]) -> None:
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.kind, fact.subject, fact.counterparty, fact.amount.value) == (
        "investment",
        *expected,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the recipient named again later in the clause is not its own investor
        (
            "Microsoft sẽ rót 3 tỷ USD vào Quillon AI, gắn với việc Quillon AI dùng Azure.",
            ("investment", "Quillon AI", "Microsoft", 3e9),
        ),
        # pledges received are money coming in
        (
            "Quillon AI said it had received pledges of nearly $800 million from 12 backers.",
            ("investment", "Quillon AI", None, 800e6),
        ),
        # a list of backers putting money in: into the company the article is about
        (
            "Quillon AI builds robot arms. Early backers such as Nvidia, AMD and Intel have "
            "put in $90 million so far.",
            ("investment", "Quillon AI", None, 90e6),
        ),
    ],
)
def test_recipients_named_again_pledges_received_and_lists_of_backers(
    text: str, expected: tuple[str, str, str | None, float]
) -> None:
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.kind, fact.subject, fact.counterparty, fact.amount.value) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Harbor Analytics will merge with Kestrel Vision in a $260 million deal.",
        "Harbor Analytics agreed to merge with Kestrel Vision, a Lisbon start-up. "
        "The transaction is worth $260 million.",
        "Harbor Analytics sẽ sáp nhập với Kestrel Vision trong thương vụ trị giá 260 triệu USD.",
    ],
)
def test_a_merger_is_the_other_company_bought(text: str) -> None:
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.kind, fact.subject, fact.counterparty, fact.amount.value) == (
        "acquisition",
        "Kestrel Vision",
        "Harbor Analytics",
        260e6,
    )


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Samsung Electronics will spend $30 billion on AI chip plants.", "Samsung Electronics"),
        # the first mention decides: "SoftBank Group …, SoftBank …"
        ("SoftBank Group invested $2 billion in Quillon AI. SoftBank also …", "Quillon AI"),
        ("Mistral đang gọi vốn 2 tỷ USD.", "Mistral"),
        # another body's name is not the company's: its division, its fund, a description
        ("Google Cloud committed $5 billion to new data centres in Ohio.", "Google"),
        ("Tập đoàn FPT cam kết chi 200 triệu USD cho trung tâm dữ liệu AI.", "FPT"),
    ],
)
def test_listed_companies_are_named_as_the_article_writes_them(text: str, subject: str) -> None:
    facts = extract_facts(text, published=PUBLISHED)
    assert facts[0].subject == subject
    if "SoftBank" in text:
        assert facts[0].counterparty == "SoftBank Group"


def test_the_company_followed_by_a_comma_points_back() -> None:
    text = (
        "Quillon AI builds robot arms in Osaka. The company, founded by former Sony engineers, "
        "raised ¥9 billion in a round led by Mizuho."
    )
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.subject, fact.counterparty, fact.amount.value) == ("Quillon AI", "Mizuho", 9e9)


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        # the company the article is about, not the investor named last
        (
            "Quillon AI raised $60 million from Accel and Nvidia. The round values the "
            "Boston-based company at $500 million.",
            "Quillon AI",
        ),
        # the sentence's own subject, shares and all
        (
            "Quillon AI signed a deal with Oracle. Shares of Oracle rose 4%, valuing the "
            "company at about $900 billion.",
            "Oracle",
        ),
        # "… này" is the one just named
        (
            "Microsoft đã rót 2 tỷ USD vào Quillon AI. Google đang đàm phán mua lại Kestrel Labs, "
            "trong thương vụ định giá doanh nghiệp này khoảng 3 tỷ USD.",
            "Kestrel Labs",
        ),
    ],
)
def test_the_company_a_valuation_points_back_to(text: str, subject: str) -> None:
    valuations = [f for f in extract_facts(text, published=PUBLISHED) if f.kind == "valuation"]
    assert [f.subject for f in valuations] == [subject]


def test_a_deal_to_supply_is_a_contract_the_other_party_buys() -> None:
    text = "Quanta signed a deal worth about $4 billion with Oracle to supply AI servers."
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.kind, fact.subject, fact.counterparty) == ("contract", "Oracle", "Quanta")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a pointer with a verb after it is no description of the next name
        (
            "Mây Hồng AI làm trợ lý ảo. Hồi tháng 3, công ty được quỹ Do Ventures rót 60 tỷ đồng.",
            ("investment", "Mây Hồng AI", "Do Ventures", 60e9),
        ),
        # public bodies named "<words> Agency", and the armed forces, buy
        (
            "Kestrel Labs won a ¥8 billion contract from Korea's Defense Acquisition Agency.",
            ("contract", "Defense Acquisition Agency", "Kestrel Labs", 8e9),
        ),
        (
            "Kestrel Labs won a $45 million contract from the US Navy last year.",
            ("contract", "US Navy", "Kestrel Labs", 45e6),
        ),
        # buying goods from a seller is a contract, not a takeover of the seller
        (
            "Vietcombank đã chi 300 tỷ đồng để mua phần mềm chống gian lận từ Temenos.",
            ("contract", "Vietcombank", "Temenos", 300e9),
        ),
        # "this bank" is the bank named last, not the company
        (
            "VPBank chọn FPT làm đối tác. Năm ngoái, nhà băng này đã chi 500 tỷ đồng để mua "
            "hệ thống lõi từ Temenos.",
            ("contract", "VPBank", "Temenos", 500e9),
        ),
        # an investor puts money into the company, not into itself
        (
            "Quillon AI makes chips. Accel first invested in the company in 2022, putting in "
            "$8 million.",
            ("investment", "Quillon AI", "Accel", 8e6),
        ),
        (
            "Quillon AI đang gọi vốn. Nvidia dự kiến rót tối đa 50 triệu USD vào thương vụ này.",
            ("investment", "Quillon AI", "Nvidia", 50e6),
        ),
    ],
)
def test_pointers_public_bodies_and_goods(text: str, expected: tuple[object, ...]) -> None:
    facts = extract_facts(text, published=PUBLISHED)
    assert [(f.kind, f.subject, f.counterparty, f.amount.value) for f in facts] == [expected]


def test_a_round_in_a_company_values_that_company() -> None:
    text = (
        "Temasek led a $90 million round in Quillon AI, valuing the Boston startup at $700 million."
    )
    facts = extract_facts(text, published=PUBLISHED)
    assert [(f.kind, f.subject) for f in facts] == [
        ("investment", "Quillon AI"),
        ("valuation", "Quillon AI"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "cho biết" (said) governs nothing: the name after it is the subject
        (
            "Ông Trương Gia Bình cho biết FPT cam kết chi 2 tỷ USD cho hạ tầng AI.",
            [("commitment", "FPT", None, 2e9)],
        ),
        # a French name with Vietnamese letters is still a name
        (
            "Mirèle, the Lyon-based start-up, has raised €90mn in a round led by Eurazeo.",
            [("investment", "Mirèle", "Eurazeo", 90e6)],
        ),
        # a company is not its own partner: the other one named
        (
            "Quillon AI expanded its agreement with Oracle by $2 billion, bringing its "
            "contracts with the company to $5 billion.",
            [("contract", "Quillon AI", "Oracle", 2e9), ("contract", "Quillon AI", "Oracle", 5e9)],
        ),
        # an earlier figure is the same measure, earlier
        (
            "The round values Quillon AI at $2 billion, up from $800 million in 2024.",
            [("valuation", "Quillon AI", None, 2e9), ("valuation", "Quillon AI", None, 800e6)],
        ),
    ],
)
def test_said_french_names_partners_and_earlier_figures(
    text: str, expected: list[tuple[str, str, str | None, float]]
) -> None:
    assert parties(text) == expected


def test_an_earlier_figure_keeps_its_own_date() -> None:
    text = "The round values Quillon AI at $2 billion, up from $800 million in 2024."
    assert [f.date for f in extract_facts(text, published=PUBLISHED)] == [None, "2024"]


def test_a_trade_word_before_a_vietnamese_name_is_not_part_of_it() -> None:
    text = "Công ty CP Hạ tầng Số Bạch Đằng vừa ký hợp đồng 90 tỷ đồng với FPT."
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.subject, fact.counterparty) == ("Bạch Đằng", "FPT")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one backer's total in one company is a fact; a company's running total is not
        (
            "Microsoft đã rót tổng cộng 13 tỷ USD vào OpenAI kể từ năm 2019.",
            [("investment", "OpenAI", "Microsoft", 13e9)],
        ),
        (
            "Google has invested a total of $3 billion in Quillon AI since 2023.",
            [("investment", "Quillon AI", "Google", 3e9)],
        ),
        (
            "Quillon AI raised $40 million, bringing its total funding to $90 million.",
            [("investment", "Quillon AI", None, 40e6)],
        ),
        # "respectively": the companies take the amounts in turn
        (
            "Nvidia và Microsoft cam kết đầu tư lần lượt 10 tỷ USD và 5 tỷ USD vào Quillon AI.",
            [
                ("investment", "Quillon AI", "Nvidia", 10e9),
                ("investment", "Quillon AI", "Microsoft", 5e9),
            ],
        ),
        (
            "Sales at Alpha Robotics and Beta Robotics reached $20 million and $12 million, "
            "respectively.",
            [("revenue", "Alpha Robotics", None, 20e6), ("revenue", "Beta Robotics", None, 12e6)],
        ),
        # a company bought by its two-word name, and a deal for computing power
        (
            "Nebius agreed to buy Core Scientific in an all-stock deal valued at $9 billion.",
            [("acquisition", "Core Scientific", "Nebius", 9e9)],
        ),
        (
            "Quillon AI signed a $3 billion deal with Oracle for computing power.",
            [("contract", "Quillon AI", "Oracle", 3e9)],
        ),
        # another name of a listed company is written as the article writes it
        (
            "Cursor, now valued at $29 billion, hired 200 people.",
            [("valuation", "Cursor", None, 29e9)],
        ),
    ],
)
def test_totals_respectively_buyouts_and_other_names(
    text: str, expected: list[tuple[str, str, str | None, float]]
) -> None:
    assert parties(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the source of money raised is a company, and "Startup Việt Nam" is no part of a name
        (
            "MoMo huy động thêm 80 triệu USD trong vòng gọi vốn Series F từ Kizuna Partners.",
            [("investment", "MoMo", "Kizuna Partners", 80e6)],
        ),
        (
            "Startup Việt Nam Lạc Hồng Vision nhận khoản đầu tư 5 triệu USD từ quỹ Do Ventures.",
            [("investment", "Lạc Hồng Vision", "Do Ventures", 5e6)],
        ),
        # buying shares of a company named after "cổ phần của"
        (
            "Tập đoàn Masan đã mua 25% cổ phần của Hoa Sen Tech với giá 40 triệu USD.",
            [("share_sale", "Hoa Sen Tech", "Masan", 40e6)],
        ),
    ],
)
def test_sources_of_money_and_shares_bought(
    text: str, expected: list[tuple[str, str | None, str | None, float]]
) -> None:
    assert parties(text) == expected


def test_a_valuation_right_after_its_amount_and_a_one_word_company_bought() -> None:
    text = (
        "Quillon AI raised $600 million in Series C funding at a $9 billion post-money "
        "valuation. Oracle agreed to buy Tessera for $1.2 billion."
    )
    facts = extract_facts(text, published=PUBLISHED)
    assert [(f.kind, f.subject, f.counterparty, f.amount.value) for f in facts] == [
        ("investment", "Quillon AI", None, 600e6),
        ("valuation", "Quillon AI", None, 9e9),
        ("acquisition", "Tessera", "Oracle", 1.2e9),
    ]


def test_a_banks_short_name_and_the_bank_buys() -> None:
    text = (
        "Tháng trước, Sao Băng AI ký hợp đồng trị giá 60 tỷ đồng với Ngân hàng TMCP Hàng Hải "
        "(MSB) để triển khai trợ lý ảo."
    )
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.kind, fact.subject, fact.counterparty) == ("contract", "MSB", "Sao Băng AI")


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # a comparison is not when it happened
        ("Năm 2025, doanh thu của FPT đạt 62.000 tỷ đồng, tăng 20% so với năm ngoái.", "2025"),
        ("Quillon AI is now valued at $3 billion, triple what it was worth than last year.", None),
        # a fiscal year, and a date in brackets is an aside
        (
            "Trong năm tài chính 2025 (kết thúc ngày 31/3/2025), CMC ghi nhận doanh thu "
            "9.750 tỷ đồng.",
            "2025",
        ),
        ("Oracle's revenue for fiscal 2026 rose to $67 billion.", "2026"),
    ],
)
def test_dates_of_comparisons_fiscal_years_and_asides(text: str, date: str | None) -> None:
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert fact.date == date


ARTICLES = Path(__file__).parent / "data" / "articles"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "vi_sao_bang_ai.txt",
            [
                ("investment", "Sao Băng AI", "Vertex Ventures", 40e6),
                ("valuation", "Sao Băng AI", None, 300e6),
                ("revenue", "Sao Băng AI", None, 120e9),
                ("contract", "MB", "Sao Băng AI", 60e9),  # the bank buys
                ("contract", "Bệnh viện Bạch Mai", "Sao Băng AI", 25e9),
                ("commitment", "Sao Băng AI", None, 15e6),
            ],
        ),
        (
            "en_orbital_minds.txt",
            [
                ("investment", "Orbital Minds", "Thrive Capital", 400e6),
                ("valuation", "Orbital Minds", None, 6e9),
                ("investment", "Orbital Minds", None, 120e6),
                ("valuation", "Orbital Minds", None, 2.5e9),
                ("revenue", "Orbital Minds", None, 200e6),
                ("revenue", "Orbital Minds", None, 50e6),  # "up from $50 million a year ago"
                ("contract", "Orbital Minds", "Google", 1e9),
                ("acquisition", "Lintly", "Orbital Minds", 150e6),
                ("valuation", "Cursor", None, 29.3e9),
            ],
        ),
    ],
)
def test_whole_articles_in_our_own_words(name: str, expected: list[tuple[object, ...]]) -> None:
    text = (ARTICLES / name).read_text("utf-8")
    record = extract_article(text, path=name, sha256="0" * 64)
    found = [(f.kind, f.subject, f.counterparty, f.amount.value) for f in record.facts]
    assert found == expected
    assert all(f.evidence in text for f in record.facts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Meta đã đồng ý chi hơn 10 tỷ USD cho dịch vụ đám mây của Google trong 6 năm.",
            [("contract", "Meta", "Google", 10e9)],
        ),
        # a milestone passed is no second figure
        (
            "Alphabet báo doanh thu quý III đạt 102 tỷ USD, lần đầu vượt mốc 100 tỷ USD.",
            [("revenue", "Alphabet", None, 102e9)],
        ),
        # "gọi thành công" raises money; "Startup AI Việt" describes the name after it
        (
            "Startup AI Việt Hạc Vàng vừa gọi thành công 3 triệu USD vốn hạt giống.",
            [("investment", "Hạc Vàng", None, 3e6)],
        ),
    ],
)
def test_services_bought_milestones_and_seed_rounds(
    text: str, expected: list[tuple[str, str | None, str | None, float]]
) -> None:
    assert parties(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what a company expects to earn is not yet money
        ("Theo The Information, Quillon AI dự kiến doanh thu năm nay đạt 90 triệu USD.", []),
        # supplying something worth a sum to a customer, paying a provider to use it
        (
            "Oracle sẽ cung cấp năng lực điện toán trị giá 20 tỷ USD cho Quillon AI trong 5 năm.",
            [("contract", "Quillon AI", "Oracle", 20e9)],
        ),
        (
            "Apple đang đàm phán trả Google khoảng 1 tỷ USD mỗi năm để dùng mô hình Gemini.",
            [("contract", "Apple", "Google", 1e9)],
        ),
    ],
)
def test_expected_revenue_supply_and_paying_to_use(
    text: str, expected: list[tuple[str, str | None, str | None, float]]
) -> None:
    assert parties(text) == expected


def test_a_commitment_to_invest_is_announced() -> None:
    text = "VNPT cam kết đầu tư tối đa 150 tỷ đồng vào Quillon AI trong ba năm."
    (fact,) = extract_facts(text, published=PUBLISHED)
    assert (fact.kind, fact.subject, fact.status) == ("investment", "Quillon AI", "announced")
