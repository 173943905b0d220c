"""Properties that hold for any text: extraction never raises, evidence is always verbatim."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.extract import extract_article, extract_facts

FRAGMENTS = [
    "OpenAI",
    "Anthropic",
    "Amazon",
    "startup này",
    "the company",
    " đầu tư ",
    " vào ",
    " raised ",
    " led by ",
    " định giá ",
    " hơn ",
    " up to ",
    "10 tỷ USD",
    "1.400 tỷ USD",
    "1,4 nghìn tỷ USD",
    "$6.6B",
    "US$2.5bn",
    "€1.7 billion",
    "500 triệu đồng",
    ". ",
    ", ",
    "\n\n",
    "“",
    "”",
    "tháng 10",
    "last month",
    "Theo BI",
    " date 2025-12-17 ",
    # the paths of two-sentence deals, lists, earlier figures, public bodies and banks
    "The deal is worth ",
    "Hợp đồng có giá trị ",
    " lần lượt ",
    " respectively",
    " up from ",
    " tổng cộng ",
    "Bộ Y tế",
    "Ngân hàng TMCP Quân đội (MB)",
    " agreed to buy ",
    " merge with ",
    " signed an agreement with ",
    "xAI",
    " a year ago",
]

articles = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map(
    "".join
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(articles)
def test_extraction_never_raises_and_evidence_is_verbatim(text: str) -> None:
    record = extract_article(text, path="x.txt", sha256="0" * 64)
    for fact in record.facts:
        assert fact.evidence
        assert fact.evidence in text
        assert fact.amount.value > 0


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_unicode_never_raises(text: str) -> None:
    for fact in extract_facts(text, published="2025-01-01"):
        assert fact.evidence in text
