"""Extraction throughput on one core: ``extract_article`` over generated articles.

Times the pure extractor alone (no file reading, hashing or storage) in this
one process, over ``--n`` articles from :mod:`corpus`, ``--runs`` times, and
prints the median rate. A separate, untimed pass over the first 1,000
articles measures the peak memory the extraction allocates (tracemalloc) and
checks that the facts the templates state are found (recall), so a fast run
cannot come from an extractor that finds nothing.

    .venv/bin/python bench/extract_bench.py [--n 10000] [--runs 3] [--seed 0]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import time
import tracemalloc
from pathlib import Path

from common import max_rss_mib, median, verdict
from corpus import Article, generate_articles

from bot.extract import extract_article
from bot.models import ExtractedArticle

TARGET = 500.0  # articles/s on one core
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _found(article: Article, extracted: ExtractedArticle) -> int:
    """How many planted facts the extractor found (kind, subject, currency, value within 1%)."""
    return sum(
        any(
            f.kind == p.kind
            and f.subject == p.subject
            and f.amount.currency == p.currency
            and abs(f.amount.value - p.value) <= 0.01 * p.value
            for f in extracted.facts
        )
        for p in article.planted
    )


def timed_run(items: list[tuple[str, str, str, str]]) -> tuple[float, dict[str, float], int]:
    """Extract every article once; return (seconds, seconds per language, facts)."""
    per_language = {"vi": 0.0, "en": 0.0}
    facts = 0
    gc.collect()
    start = time.perf_counter()
    for name, text, sha, language in items:
        t0 = time.perf_counter()
        facts += len(extract_article(text, path=name, sha256=sha).facts)
        per_language[language] += time.perf_counter() - t0
    return time.perf_counter() - start, per_language, facts


def seeds_rate(repeat: int) -> tuple[float, int]:
    """Articles/s on the real sample articles in seeds/, for comparison in the same run."""
    texts = [(p.name, p.read_text("utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    if not texts:
        return 0.0, 0
    start = time.perf_counter()
    for _ in range(repeat):
        for name, text in texts:
            extract_article(text, path=name, sha256="0" * 64)
    elapsed = time.perf_counter() - start
    words = sum(len(text.split()) for _, text in texts) // len(texts)
    return repeat * len(texts) / elapsed, words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles (default 10000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    articles = generate_articles(args.n, args.seed)
    generated = time.perf_counter() - t0
    items = [
        (a.name, a.text, hashlib.sha256(a.text.encode()).hexdigest(), a.language) for a in articles
    ]
    vi = sum(a.language == "vi" for a in articles)
    words = sum(len(a.text.split()) for a in articles) / len(articles)
    planted = sum(len(a.planted) for a in articles)
    print(f"extract_bench: {args.n:,} articles (seed {args.seed}), {args.runs} runs, one process")
    print(
        f"  corpus: {vi / len(articles):.0%} vi, {words:.0f} words/article, "
        f"{planted / len(articles):.2f} planted facts/article, generated in {generated:.1f} s"
    )

    for name, text, sha, _ in items[:50]:  # warm up: compile the patterns, load the index
        extract_article(text, path=name, sha256=sha)
    rss_before = max_rss_mib()

    rates: list[float] = []
    facts = 0
    for run in range(1, args.runs + 1):
        elapsed, per_language, facts = timed_run(items)
        rates.append(len(items) / elapsed)
        vi_rate = vi / per_language["vi"] if vi else 0.0
        en_rate = (len(items) - vi) / per_language["en"] if len(items) > vi else 0.0
        print(
            f"  run {run}: {rates[-1]:7.1f} articles/s  "
            f"(vi {vi_rate:.1f}/s, en {en_rate:.1f}/s, {elapsed:.1f} s)"
        )
    rate = median(rates)
    print(
        f"  median: {rate:.1f} articles/s, {1000 / rate:.2f} ms/article, "
        f"target >= {TARGET:.0f}/s: {verdict(rate >= TARGET)}"
    )
    print(f"  facts/article: {facts / len(items):.2f} ({facts:,} facts)")

    seeds, seed_words = seeds_rate(repeat=100)
    if seeds:
        print(
            f"  seeds/ ({seed_words} words/article) in the same process: {seeds:.1f} articles/s "
            f"({seeds / rate:.2f}x the corpus rate)"
        )

    sample = articles[:1000]
    found = 0
    tracemalloc.start()
    for article, (name, text, sha, _) in zip(sample, items, strict=False):
        found += _found(article, extract_article(text, path=name, sha256=sha))
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sample_planted = sum(len(a.planted) for a in sample)
    print(
        f"  recall of planted facts: {found / max(1, sample_planted):.1%} "
        f"({found:,}/{sample_planted:,} on {len(sample):,} articles)"
    )
    print(
        f"  memory: traced peak during extraction {traced_peak / 2**20:.1f} MiB; "
        f"max RSS {rss_before:.0f} MiB after corpus + warm-up, {max_rss_mib():.0f} MiB at end"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
