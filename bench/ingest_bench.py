"""Ingest throughput through the real pipeline into a fresh file database.

Writes ``--n`` generated articles as ``.txt`` files into a temporary folder,
then, ``--runs`` times, ingests the folder with ``bot.pipeline.ingest_paths``
into a new, migrated SQLite file (WAL, as the bot runs it), and ingests it a
second time, when every article is already known. In the same process it also
times the extractor alone over the same texts, so the share of the time spent
outside extraction (reading, hashing, storing) is a ratio measured side by side.

    .venv/bin/python bench/ingest_bench.py [--n 1000] [--runs 3] [--seed 1] [--workers 0,1,2]

``--workers`` compares extraction worker counts (``auto``: as ``dealflow
ingest`` picks them, ``0``: none), each in every run, one after the other.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from common import max_rss_mib, median, verdict
from corpus import write_corpus

from bot.extract import extract_article
from bot.pipeline import ingest_paths
from storage.db import Database
from storage.queries import get_stats

TARGET = 200.0  # articles/s, first ingest


@dataclass
class Run:
    first: float  # seconds
    again: float
    new: int
    known: int
    facts: int
    sources: int
    failed: int
    db_bytes: int


async def ingest_once(folder: Path, db_path: Path, workers: int | None) -> Run:
    db = await Database.open(db_path)
    try:
        await db.migrate()
        start = time.perf_counter()
        first = await ingest_paths(db, [folder], workers=workers)
        first_s = time.perf_counter() - start
        start = time.perf_counter()
        again = await ingest_paths(db, [folder], workers=workers)
        again_s = time.perf_counter() - start
        stats = await get_stats(db)
    finally:
        await db.close()
    size = sum(p.stat().st_size for p in db_path.parent.glob(db_path.name + "*"))
    return Run(
        first=first_s,
        again=again_s,
        new=first.new,
        known=again.known,
        facts=stats.facts,
        sources=stats.sources,
        failed=len(first.failed) + len(again.failed),
        db_bytes=size,
    )


def extract_only(paths: list[Path]) -> float:
    """Seconds to read and extract the same files without storing anything."""
    texts = [(str(p), p.read_bytes()) for p in paths]
    start = time.perf_counter()
    for name, raw in texts:
        extract_article(raw.decode("utf-8"), path=name, sha256=hashlib.sha256(raw).hexdigest())
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="fresh databases (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument(
        "--workers", default="auto", help="extraction workers, e.g. 0,1,2 (default auto)"
    )
    args = parser.parse_args(argv)
    settings = [None if w == "auto" else int(w) for w in args.workers.split(",")]
    label = {w: "auto" if w is None else str(w) for w in settings}

    with tempfile.TemporaryDirectory(prefix="dealflow-bench-") as tmp:
        folder = Path(tmp) / "articles"
        paths = write_corpus(folder, args.n, args.seed)
        print(
            f"ingest_bench: {len(paths):,} .txt files (seed {args.seed}) in a temp folder, "
            f"{args.runs} runs, each into a fresh file database"
        )
        runs: dict[int | None, list[Run]] = {w: [] for w in settings}
        extract_s: list[float] = []
        for number in range(1, args.runs + 1):
            for workers in settings:
                db_path = Path(tmp) / f"run{number}-{label[workers]}" / "dealflow.db"
                run = asyncio.run(ingest_once(folder, db_path, workers))
                runs[workers].append(run)
                print(
                    f"  run {number}, workers {label[workers]}: "
                    f"ingest {args.n / run.first:6.1f} articles/s ({run.first:.1f} s), "
                    f"re-ingest {args.n / run.again:6.1f} articles/s ({run.again:.1f} s)"
                )
            extract_s.append(extract_only(paths))
            print(f"  run {number}: extraction alone {args.n / extract_s[-1]:6.1f} articles/s")
        print(
            f"  median extraction alone: {median([args.n / e for e in extract_s]):.1f} articles/s"
        )
        for workers in settings:
            done = runs[workers]
            first = median([args.n / r.first for r in done])
            again = median([args.n / r.again for r in done])
            print(
                f"  workers {label[workers]}: median ingest {first:.1f} articles/s, "
                f"target >= {TARGET:.0f}/s: {verdict(first >= TARGET)}; "
                f"median re-ingest (all known) {again:.1f} articles/s"
            )
            outside = median([1 - e / r.first for r, e in zip(done, extract_s, strict=True)])
            spent = median([r.first - e for r, e in zip(done, extract_s, strict=True)])
            print(
                f"    ingest time beyond extraction alone (read, hash, store, "
                f"less what runs beside): {outside:.0%}, {1000 * spent / args.n:.1f} ms/article"
            )
            last = done[-1]
            print(
                f"    stored: {last.new:,} articles, {last.facts:,} facts, "
                f"{last.sources:,} sources ({last.facts / max(1, last.new):.2f} facts/article); "
                f"re-ingest saw {last.known:,} known; {last.failed} failures; "
                f"database {last.db_bytes / 2**20:.1f} MiB"
            )
        print(f"  max RSS: {max_rss_mib():.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
