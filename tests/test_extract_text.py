"""Header, credit line, language and sentences."""

from bot.extract.text import (
    detect_language,
    parse_credit,
    parse_dateline,
    parse_header,
    split_sentences,
)


def test_header_date_is_read_and_removed() -> None:
    published, body = parse_header(" date 2025-12-17 OpenAI đang thảo luận.")
    assert published == "2025-12-17"
    assert body == "OpenAI đang thảo luận."


def test_text_without_header_is_untouched() -> None:
    assert parse_header("No header here.") == (None, "No header here.")


def test_closing_credit_line_gives_the_source() -> None:
    source, body = parse_credit("Đoạn một.\n\nTheo BI")
    assert source == "BI"
    assert "Theo" not in body


def test_english_credit_line() -> None:
    assert parse_credit("Body text.\n\nSource: Reuters.")[0] == "Reuters"


def test_a_long_last_paragraph_is_not_a_credit() -> None:
    text = (
        "Intro.\n\nTheo các nhà phân tích, thị trường AI sẽ còn tăng trưởng mạnh "
        "trong nhiều năm tới nữa."
    )
    assert parse_credit(text)[0] is None


def test_language_detection() -> None:
    assert detect_language("OpenAI đang thảo luận về khoản đầu tư tiềm năng với Amazon.") == "vi"
    assert detect_language("OpenAI is in talks with Amazon about a possible investment.") == "en"
    assert detect_language("") == "en"


def texts(body: str) -> list[str]:
    return [s.text for s in split_sentences(body)]


def test_decimals_and_thousands_do_not_split() -> None:
    body = "Thương vụ trị giá 6,6 tỷ USD. Cam kết hơn 1.400 tỷ USD đã được công bố."
    assert texts(body) == [
        "Thương vụ trị giá 6,6 tỷ USD.",
        "Cam kết hơn 1.400 tỷ USD đã được công bố.",
    ]


def test_abbreviations_do_not_split() -> None:
    body = "Nvidia Inc. bought chips in the U.S. market. Then Dr. Smith left."
    assert texts(body) == ["Nvidia Inc. bought chips in the U.S. market.", "Then Dr. Smith left."]


def test_photo_captions_are_dropped() -> None:
    body = "OpenAI thảo luận khoản đầu tư 10 tỷ USD với Amazon. Ảnh: Reuters."
    assert texts(body) == ["OpenAI thảo luận khoản đầu tư 10 tỷ USD với Amazon."]


def test_closing_quotes_stay_with_their_sentence() -> None:
    body = (
        "“Đội ngũ API đang làm rất tốt!”, ông Altman viết. "
        "“Quảng cáo là phương án cuối cùng.” Ông nói."
    )
    assert texts(body) == [
        "“Đội ngũ API đang làm rất tốt!”, ông Altman viết.",
        "“Quảng cáo là phương án cuối cùng.”",
        "Ông nói.",
    ]


def test_sentences_keep_their_offsets() -> None:
    body = "First one.\n\nSecond one here."
    for sentence in split_sentences(body):
        assert body[sentence.start : sentence.start + len(sentence.text)] == sentence.text


def test_wire_dateline_credits_the_outlet() -> None:
    assert parse_dateline("HANOI, July 22 (Reuters) - Vietnam's FPT said ...") == "Reuters"
    assert parse_dateline("Feb 24 (Reuters) - Shares of Tensile jumped") == "Reuters"
    assert parse_dateline("OpenAI (the ChatGPT maker) said on Monday") is None


def test_a_sentence_may_start_with_a_name_in_lowercase() -> None:
    body = "Microsoft raised $8 billion. xAI signed a cloud contract. eBay said nothing."
    assert [s.text for s in split_sentences(body)] == [
        "Microsoft raised $8 billion.",
        "xAI signed a cloud contract.",
        "eBay said nothing.",
    ]
