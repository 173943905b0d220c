"""Fact extraction: pure functions from article text to FACTS.md facts (no I/O).

``extract_article`` reads the header, language and credit line, then
``extract_facts`` reads the body sentence by sentence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from bot.extract.companies import (
    CompanyIndex,
    Mention,
    article_names,
    default_index,
    find_mentions,
    written_forms,
)
from bot.extract.dates import parse_published
from bot.extract.facts import (
    facts_across,
    facts_in_sentence,
    resolve_corefs,
    sentence_subject,
)
from bot.extract.money import parse_amount
from bot.extract.text import (
    Sentence,
    detect_language,
    parse_credit,
    parse_dateline,
    parse_header,
    split_sentences,
)
from bot.models import ArticleMeta, ExtractedArticle, Fact

__all__ = ["extract_article", "extract_facts", "filed_names", "parse_amount"]


def extract_facts(
    text: str,
    *,
    published: str | None,
    language: str | None = None,
    index: CompanyIndex | None = None,
) -> list[Fact]:
    """Return the money facts stated in ``text`` (an article body), each once."""
    index = index or default_index()
    language = language or detect_language(text)
    when = parse_published(published)
    new_names = article_names(index.find_new_names(text))
    history: list[str] = []
    subjects: Counter[str] = Counter()
    fact_subjects: Counter[str] = Counter()
    last_subject: list[str] = []
    facts: list[Fact] = []
    previous: tuple[Sentence, list[Mention]] | None = None
    sentences = split_sentences(text)
    # Names are found in one pass over the article, then handed to their sentences.
    named = find_mentions(text, index, new_names)
    per_sentence = _by_sentence(named, sentences)
    for sentence, mentions in zip(sentences, per_sentence, strict=True):
        # the company the article is about: the one its facts so far are about, else the
        # one its sentences are about ("Temasek led a round in Meridian …": Meridian)
        about = fact_subjects or subjects
        topic = about.most_common(1)[0][0] if about else None
        mentions = resolve_corefs(
            sentence.text, mentions, history, last_subject, index, topic=topic
        )
        found = facts_in_sentence(
            sentence, mentions, language=language, published=when, index=index, topic=topic
        )
        if not found and previous is not None:
            prior, prior_mentions = previous
            found = [
                fact.model_copy(
                    update={"evidence": text[prior.start : sentence.start + len(sentence.text)]}
                )
                for fact in facts_across(
                    prior,
                    prior_mentions,
                    sentence,
                    language=language,
                    published=when,
                    index=index,
                    topic=topic,
                )
            ]
        previous = (sentence, mentions)
        facts.extend(found)
        fact_subjects.update(f.subject for f in found)
        history.extend(m.name for m in mentions)
        subject = sentence_subject(sentence.text, mentions, before=len(sentence.text))
        if subject:
            subjects[subject] += 1
            last_subject[:] = [subject]
    forms = written_forms(text, named, index)
    return [_renamed(fact, lambda name: forms.get(name, name)) for fact in _once(facts)]


def _renamed(fact: Fact, rename: Callable[[str], str]) -> Fact:
    """The fact with its companies renamed (the same fact when no name changes)."""
    subject = rename(fact.subject)
    counterparty = fact.counterparty and rename(fact.counterparty)
    if (subject, counterparty) == (fact.subject, fact.counterparty):
        return fact
    return fact.model_copy(update={"subject": subject, "counterparty": counterparty})


def filed_names(article: ExtractedArticle, index: CompanyIndex | None = None) -> ExtractedArticle:
    """The article with every listed company under the list's name ("Meta Platforms" ->
    "Meta"), as the store files facts, so that articles naming it differently merge."""
    known = index or default_index()
    facts = [_renamed(fact, lambda name: known.canonical(name) or name) for fact in article.facts]
    return article.model_copy(update={"facts": facts})


def _by_sentence(mentions: list[Mention], sentences: list[Sentence]) -> list[list[Mention]]:
    """Each sentence's mentions, with offsets made relative to the sentence."""
    buckets: list[list[Mention]] = [[] for _ in sentences]
    i = 0
    for mention in mentions:
        while i < len(sentences) and sentences[i].start + len(sentences[i].text) <= mention.start:
            i += 1
        if i == len(sentences):
            break
        start = sentences[i].start
        if mention.start >= start and mention.end <= start + len(sentences[i].text):
            buckets[i].append(
                Mention(mention.start - start, mention.end - start, mention.name, mention.coref)
            )
    return buckets


def _once(facts: list[Fact]) -> list[Fact]:
    """One fact, once: a later statement of the same money between the same parties is dropped."""
    kept: list[Fact] = []
    for fact in facts:
        parties = {fact.subject, fact.counterparty} - {None}
        duplicate = any(
            _same_kind(other.kind, fact.kind)
            and other.amount.currency == fact.amount.currency
            and abs(other.amount.value - fact.amount.value) <= 1e-9 * max(1.0, fact.amount.value)
            and (parties & {other.subject, other.counterparty})
            for other in kept
        )
        if not duplicate:
            kept.append(fact)
    return kept


def _same_kind(a: str, b: str) -> bool:
    """Kinds one statement may be read as: money put in with no named recipient is spending."""
    return a == b or {a, b} == {"investment", "commitment"}


def extract_article(text: str, *, path: str, sha256: str) -> ExtractedArticle:
    """Read one plain-text article: header date, language, credit line and facts."""
    published, body = parse_header(text)
    source, body = parse_credit(body)
    source = source or parse_dateline(body)
    language = detect_language(body)
    meta = ArticleMeta(
        path=path, sha256=sha256, published=published, language=language, source=source
    )
    return ExtractedArticle(
        article=meta, facts=extract_facts(body, published=published, language=language)
    )
