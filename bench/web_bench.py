"""Web ingest throughput: pages fetched from a local HTTP server, end to end into SQLite.

Wraps ``--n`` corpus articles (``corpus.py``) in news-site HTML (menu, ads,
related links, reader comments, footer; date and outlet in ``<meta>``),
serves the folder with ``python -m http.server`` in its own process on
127.0.0.1, then, ``--runs`` times, ingests every URL one after another with
``bot.web_ingest.ingest_url`` into a fresh, migrated file database, and
again when every URL is known. The time of each page is split into fetching
(HTTP, limits, address check), HTML extraction (decoding, trafilatura),
fact extraction and storage (dedup lookups, the transaction).

    .venv/bin/python bench/web_bench.py [--n 1000] [--runs 3] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from common import max_rss_mib, median, verdict
from corpus import generate

from bot.extract.text import parse_credit, parse_header
from bot.web import open_web_client
from bot.web_ingest import Timings, ingest_url
from storage.db import Database
from storage.queries import get_stats

TARGET = 20.0  # pages/s, first ingest

_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{title} | {outlet}</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="{outlet}">
{date}<script>var ads = [1, 2, 3]; function track() {{ return 1; }}</script>
<style>.ad {{ color: red }}</style></head>
<body><header><nav><ul><li><a href="/">Home</a></li><li><a href="/ai">AI</a></li>
<li><a href="/money">Money</a></li><li><a href="/chips">Chips</a></li>
<li><a href="/subscribe">Subscribe for $9 a month</a></li></ul></nav></header>
<div class="ad">Advertisement: cloud credits worth $300 for new customers</div>
<main><article><h1>{title}</h1><p class="byline">By Staff · {day}</p>
{paragraphs}
<aside class="related"><a href="/r1">Five charts on GPUs</a> · <a href="/r2">Who pays?</a></aside>
</article></main>
<section class="comments"><h3>Comments</h3>
<div class="comment"><p>Someone should invest 5 billion dollars in this.</p></div>
<div class="comment"><p>First!</p></div></section>
<footer>© {outlet} · <a href="/privacy">Privacy</a> · <a href="/ads">Advertise</a></footer>
</body></html>
"""


def write_pages(folder: Path, n: int, seed: int) -> list[str]:
    """Write ``n`` pages; return their file names."""
    folder.mkdir(parents=True)
    names = []
    for name, text in generate(n, seed):
        published, body = parse_header(text)
        credit, body = parse_credit(body)
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
        title = paragraphs[0].split(". ")[0][:90]
        page = _PAGE.format(
            lang="vi" if name.endswith("_vi.txt") else "en",
            title=html.escape(title),
            outlet=html.escape(credit or "AI Money Daily"),
            date=(
                f'<meta property="article:published_time" content="{published}T08:00:00Z">'
                if published
                else ""
            ),
            day=published or "",
            paragraphs="\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs),
        )
        file = name.replace(".txt", ".html")
        (folder / file).write_text(page, encoding="utf-8")
        names.append(file)
    return names


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Run:
    seconds: float
    again: float
    new: int
    known: int
    failed: int
    facts: int
    timings: Timings


async def ingest_once(urls: list[str], db_path: Path) -> Run:
    db = await Database.open(db_path)
    timings = Timings()
    try:
        await db.migrate()
        async with open_web_client(allow_private=True) as web:
            start = time.perf_counter()
            results = [await ingest_url(db, web, url, timings=timings) for url in urls]
            seconds = time.perf_counter() - start
            start = time.perf_counter()
            again = [await ingest_url(db, web, url) for url in urls]
            again_s = time.perf_counter() - start
        stats = await get_stats(db)
    finally:
        await db.close()
    failures = [r for r in results if r.status == "failed"]
    for failure in failures[:3]:
        print(f"    failed: {failure.path}: {failure.reason}")
    return Run(
        seconds=seconds,
        again=again_s,
        new=sum(r.status == "new" for r in results),
        known=sum(r.status == "known" for r in again),
        failed=len(failures),
        facts=stats.facts,
        timings=timings,
    )


def wait_listening(port: int, deadline: float = 10.0) -> None:
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("the page server did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="pages (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="fresh databases (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="dealflow-web-bench-") as tmp:
        folder = Path(tmp) / "site"
        names = write_pages(folder, args.n, args.seed)
        size = sum((folder / name).stat().st_size for name in names)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_listening(port)
            urls = [f"http://127.0.0.1:{port}/{name}" for name in names]
            print(
                f"web_bench: {len(urls):,} pages ({size / len(urls) / 1024:.1f} KiB each, "
                f"seed {args.seed}) from python -m http.server on 127.0.0.1 (its own process), "
                f"{args.runs} runs, each into a fresh file database"
            )
            runs: list[Run] = []
            for number in range(1, args.runs + 1):
                run = asyncio.run(ingest_once(urls, Path(tmp) / f"run{number}" / "dealflow.db"))
                runs.append(run)
                t = run.timings
                print(
                    f"  run {number}: {args.n / run.seconds:6.1f} pages/s ({run.seconds:.1f} s): "
                    f"fetch {t.fetch / run.seconds:.0%}, HTML {t.html / run.seconds:.0%}, "
                    f"facts {t.facts / run.seconds:.0%}, store {t.store / run.seconds:.0%}; "
                    f"re-ingest {args.n / run.again:6.0f} pages/s"
                )
        finally:
            server.terminate()
            server.wait()
    rate = median([args.n / r.seconds for r in runs])
    print(
        f"  median: {rate:.1f} pages/s end to end, "
        f"target >= {TARGET:.0f}/s: {verdict(rate >= TARGET)}"
    )
    for step in ("fetch", "html", "facts", "store"):
        share = median([getattr(r.timings, step) / r.seconds for r in runs])
        ms = median([1000 * getattr(r.timings, step) / args.n for r in runs])
        print(f"  {step:>5}: {share:4.0%} of the time, {ms:.1f} ms/page (median of runs)")
    last = runs[-1]
    print(
        f"  re-ingest (every URL known, nothing fetched): "
        f"{median([args.n / r.again for r in runs]):.0f} pages/s"
    )
    print(
        f"  stored: {last.new:,} articles, {last.facts:,} facts; re-ingest saw {last.known:,} "
        f"known; {last.failed} failures"
    )
    print(f"  max RSS: {max_rss_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
