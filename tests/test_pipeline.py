"""Reading article files, expanding folders, and ingesting into the store."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from factories import make_fact

import bot.extract_pool
import bot.pipeline
import storage.queries
from bot.errors import (
    EmptyInputError,
    EncodingError,
    FileTooLargeError,
    InputError,
)
from bot.models import Amount, ArticleMeta, ExtractedArticle, Fact
from bot.pipeline import check_amount, collect_paths, ingest_paths, read_article_file
from storage.db import Database
from storage.queries import get_stats, list_facts

SEEDS = Path(__file__).parent.parent / "seeds"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- reading one file -----------------------------------------------------------------


def test_read_returns_text_and_hash_of_raw_bytes(tmp_path: Path) -> None:
    raw = "\ufeffOpenAI huy động 6,6 tỷ USD.".encode()
    path = write(tmp_path / "a.txt", raw)
    text, sha256 = read_article_file(path)
    assert text == "OpenAI huy động 6,6 tỷ USD."  # the BOM is dropped
    assert sha256 == hashlib.sha256(raw).hexdigest()  # but hashed


@pytest.mark.parametrize(
    ("content", "error", "reason"),
    [
        (b"", EmptyInputError, "empty file"),
        (b" \n\t\n", EmptyInputError, "only whitespace"),
        ("\ufeff".encode(), EmptyInputError, "empty file"),
        (b"PK\x03\x04\x00\x00binary", EncodingError, "binary file"),
        (b"caf\xe9 au lait", EncodingError, r"not valid UTF-8 \(byte 0xe9 at offset 3\)"),
        ("x" * 21, FileTooLargeError, "21 bytes, over the 20 limit"),
    ],
)
def test_unreadable_file_raises_with_a_reason_naming_it(
    tmp_path: Path, content: str | bytes, error: type[InputError], reason: str
) -> None:
    path = write(tmp_path / "bad.txt", content)
    with pytest.raises(error, match=reason) as raised:
        read_article_file(path, max_bytes=20)
    assert str(raised.value).startswith(f"{path}: ")
    assert "\n" not in str(raised.value)


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_article_file(tmp_path / "nope.txt")


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        read_article_file(tmp_path)


# --- collecting paths -------------------------------------------------------------------


def test_folder_expands_to_sorted_article_files_and_counts_the_rest(tmp_path: Path) -> None:
    for name in ["b.txt", "a.TXT", "notes.md", "sub/c.txt", "sub/image.png", "sub/deeper/d.txt"]:
        write(tmp_path / "news" / name, "x")
    collected = collect_paths([tmp_path / "news"])
    names = [p.relative_to(tmp_path / "news").as_posix() for p in collected.files]
    assert names == ["a.TXT", "b.txt", "sub/c.txt", "sub/deeper/d.txt"]
    assert collected.skipped == 2
    assert collected.failures == []


def test_explicit_file_of_unknown_type_is_a_failure(tmp_path: Path) -> None:
    pdf = write(tmp_path / "report.pdf", b"%PDF")
    txt = write(tmp_path / "a.txt", "x")
    collected = collect_paths([pdf, txt, tmp_path / "missing.txt"])
    assert collected.files == [txt, tmp_path / "missing.txt"]  # missing: read says why
    [failure] = collected.failures
    assert failure.path == str(pdf)
    assert "unsupported file type '.pdf'" in failure.reason


# --- the sanity check on amounts ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "currency", "absurd"),
    [
        (1.4e12, "USD", False),
        (1e15, "USD", False),
        (2e15, "USD", True),
        (2e15, "EUR", True),
        (5e17, "VND", False),
        (5e17, "krw", False),
        (2e18, "VND", True),
        (0, "USD", True),
        (-5e9, "USD", True),
        (float("nan"), "USD", True),
        (float("inf"), "VND", True),
    ],
)
def test_check_amount(value: float, currency: str, absurd: bool) -> None:
    reason = check_amount(Amount(value=value, currency=currency))
    assert (reason is not None) == absurd


# --- ingesting -----------------------------------------------------------------------------


@pytest.fixture
def extracted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Fact]]:
    """Replace extraction: a file's facts are whatever the test puts under its name."""
    facts_by_name: dict[str, list[Fact]] = {}

    def fake_extract_article(text: str, *, path: str, sha256: str) -> ExtractedArticle:
        name = Path(path).name
        meta = ArticleMeta(path=path, sha256=sha256, published="2025-12-17", language="vi")
        return ExtractedArticle(article=meta, facts=facts_by_name.get(name, []))

    monkeypatch.setattr(bot.pipeline, "extract_article", fake_extract_article)
    return facts_by_name


async def test_ingest_stores_articles_and_facts(
    db: Database, tmp_path: Path, extracted: dict[str, list[Fact]]
) -> None:
    extracted["a.txt"] = [make_fact(value=10e9), make_fact(kind="valuation", counterparty=None)]
    extracted["b.txt"] = [make_fact(value=10e9, status="completed")]
    write(tmp_path / "in" / "a.txt", "article a")
    write(tmp_path / "in" / "b.txt", "article b")
    report = await ingest_paths(db, [tmp_path / "in"])
    assert (report.read, report.new, report.known, report.failed) == (2, 2, 0, [])
    assert (report.facts_new, report.facts_merged, report.facts_updated) == (2, 0, 1)
    assert (await get_stats(db)).model_dump() == {"articles": 2, "facts": 2, "sources": 3}


async def test_reingest_does_not_duplicate_facts(
    db: Database,
    tmp_path: Path,
    extracted: dict[str, list[Fact]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    extracted["a.txt"] = [make_fact()]
    path = write(tmp_path / "a.txt", "article a")
    await ingest_paths(db, [path])
    before = await get_stats(db)

    def not_again(text: str, *, path: str, sha256: str) -> ExtractedArticle:
        raise AssertionError("a known article is not extracted again")

    monkeypatch.setattr(bot.pipeline, "extract_article", not_again)
    copy = write(tmp_path / "copy" / "a.txt", "article a")  # same bytes, other path
    report = await ingest_paths(db, [path, copy])
    assert (report.read, report.new, report.known, report.failed) == (2, 0, 2, [])
    assert (report.facts_new, report.facts_merged, report.facts_updated) == (0, 0, 0)
    assert await get_stats(db) == before


async def test_failed_article_leaves_no_trace(
    db: Database,
    tmp_path: Path,
    extracted: dict[str, list[Fact]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    extracted["a.txt"] = [make_fact(value=1e9)]
    extracted["b.txt"] = [make_fact(value=2e9), make_fact(value=3e9)]  # fails on the second
    extracted["c.txt"] = [make_fact(value=4e9)]
    for name in extracted:
        write(tmp_path / name, f"article {name}")
    real_upsert = storage.queries._upsert_fact

    def failing_upsert(conn: sqlite3.Connection, fact: Fact, *args: Any) -> str:
        if fact.amount.value == 3e9:  # after b.txt's first fact is written
            raise sqlite3.OperationalError("disk on fire")
        return real_upsert(conn, fact, *args)

    monkeypatch.setattr(storage.queries, "_upsert_fact", failing_upsert)
    report = await ingest_paths(db, [tmp_path])
    assert [(Path(f.path).name, f.reason) for f in report.failed] == [("b.txt", "disk on fire")]
    assert (report.read, report.new, report.facts_new) == (2, 2, 2)
    assert sorted(f.amount.value for f in await list_facts(db)) == [1e9, 4e9]
    assert (await get_stats(db)).model_dump() == {"articles": 2, "facts": 2, "sources": 2}


async def test_a_batch_of_articles_costs_four_database_hand_offs_whatever_its_facts(
    db: Database,
    tmp_path: Path,
    extracted: dict[str, list[Fact]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each trip to the connection's thread costs about 0.1 ms: a batch is written in one."""
    calls: list[str] = []
    call = db._call

    async def counting(fn: Any) -> Any:
        calls.append(getattr(fn, "__qualname__", "?"))
        return await call(fn)

    monkeypatch.setattr(db, "_call", counting)
    for number, facts in enumerate((1, 12, 3)):
        extracted[f"{number}.txt"] = [make_fact(subject=f"Co {number} {i}") for i in range(facts)]
        write(tmp_path / "in" / f"{number}.txt", f"article {number}")
    report = await ingest_paths(db, [tmp_path / "in"])
    assert (report.new, report.facts_new) == (3, 16)
    # which are known, BEGIN, the articles with their facts and alerts, COMMIT
    assert calls == [
        "Database.fetchall.<locals>.<lambda>",
        "Database.execute.<locals>.run",
        "_store_batch.<locals>.write",
        "Database.execute.<locals>.run",
    ]


async def test_bad_files_are_reported_and_the_others_go_in(
    db: Database, tmp_path: Path, extracted: dict[str, list[Fact]]
) -> None:
    extracted["good.txt"] = [make_fact()]
    write(tmp_path / "in" / "empty.txt", "")
    write(tmp_path / "in" / "binary.txt", b"\x00\x01")
    write(tmp_path / "in" / "latin1.txt", b"caf\xe9")
    write(tmp_path / "in" / "good.txt", "fine")
    write(tmp_path / "in" / "photo.jpg", b"\xff\xd8")
    report = await ingest_paths(db, [tmp_path / "in", tmp_path / "gone.txt"])
    assert {Path(f.path).name: f.reason.split(" (")[0] for f in report.failed} == {
        "binary.txt": "binary file",
        "empty.txt": "empty file",
        "latin1.txt": "not valid UTF-8",
        "gone.txt": "no such file",
    }
    assert (report.read, report.new, report.skipped, report.facts_new) == (1, 1, 1, 1)


async def test_absurd_amount_is_dropped_with_a_warning(
    db: Database, tmp_path: Path, extracted: dict[str, list[Fact]]
) -> None:
    extracted["a.txt"] = [
        make_fact(value=1e9),
        make_fact(value=7e21),
        make_fact(value=5e17, currency="VND"),
    ]
    path = write(tmp_path / "a.txt", "article")
    report = await ingest_paths(db, [path])
    assert (report.new, report.facts_new, report.failed) == (1, 2, [])
    [warning] = report.warnings
    assert warning.startswith(f"{path}: dropped investment of OpenAI: amount 7e+21 USD")


async def test_extractor_crash_fails_only_that_article(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def crashing_extract(text: str, *, path: str, sha256: str) -> ExtractedArticle:
        if "crash" in text:
            raise ValueError("bug")
        return ExtractedArticle(article=ArticleMeta(path=path, sha256=sha256), facts=[])

    monkeypatch.setattr(bot.pipeline, "extract_article", crashing_extract)
    write(tmp_path / "a.txt", "crash")
    write(tmp_path / "b.txt", "fine")
    report = await ingest_paths(db, [tmp_path])
    assert [f.reason for f in report.failed] == ["extraction failed (ValueError)"]
    assert report.new == 1
    assert any(record.exc_info for record in caplog.records)  # the bug is logged in full


async def test_progress_is_reported_after_each_file(
    db: Database, tmp_path: Path, extracted: dict[str, list[Fact]]
) -> None:
    for name in ["a.txt", "b.txt", "c.txt"]:
        write(tmp_path / name, name)
    calls: list[tuple[int, int]] = []
    await ingest_paths(db, [tmp_path], progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


async def test_seeds_ingest_with_the_real_extractor(db: Database) -> None:
    seeds = len(list(SEEDS.glob("*.txt")))
    report = await ingest_paths(db, [SEEDS])
    assert (report.read, report.new, report.failed) == (seeds, seeds, [])
    assert (await get_stats(db)).articles == seeds


async def test_a_company_named_two_ways_is_filed_under_one_name(
    db: Database, tmp_path: Path
) -> None:
    # each article's facts name Meta as the article does; the store files both as "Meta"
    write(
        tmp_path / "a.txt",
        "date 2026-02-02\nMeta Platforms signed a $14 billion cloud contract with Nebius.\n",
    )
    write(
        tmp_path / "b.txt",
        "date 2026-02-03\nMeta đã ký hợp đồng điện toán đám mây 14 tỷ USD với Nebius.\n",
    )
    assert [f.subject for f in bot.pipeline.load_article(tmp_path / "a.txt").facts] == [
        "Meta Platforms"
    ]
    report = await ingest_paths(db, [tmp_path])
    assert (report.new, report.facts_new, report.facts_merged) == (2, 1, 1)
    (fact,) = await list_facts(db)
    assert (fact.subject, fact.counterparty, len(fact.sources)) == ("Meta", "Nebius", 2)


# --- batches and workers -------------------------------------------------------------------


async def test_a_batch_the_database_rolls_back_whole_is_stored_one_by_one(
    db: Database,
    tmp_path: Path,
    extracted: dict[str, list[Fact]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SQLite ends the whole transaction on some errors (a full disk): the others still go in."""
    extracted["a.txt"] = [make_fact(value=1e9)]
    extracted["b.txt"] = [make_fact(value=2e9), make_fact(value=3e9)]
    extracted["c.txt"] = [make_fact(value=4e9)]
    for name in extracted:
        write(tmp_path / name, f"article {name}")
    real_upsert = storage.queries._upsert_fact

    def full_disk(conn: sqlite3.Connection, fact: Fact, *args: Any) -> str:
        if fact.amount.value == 3e9:
            conn.execute("ROLLBACK")  # what SQLite does itself on SQLITE_FULL
            raise sqlite3.OperationalError("database or disk is full")
        return real_upsert(conn, fact, *args)

    monkeypatch.setattr(storage.queries, "_upsert_fact", full_disk)
    report = await ingest_paths(db, [tmp_path])
    assert [(Path(f.path).name, f.reason) for f in report.failed] == [
        ("b.txt", "database or disk is full")
    ]
    assert (report.read, report.new, report.facts_new) == (2, 2, 2)
    assert sorted(f.amount.value for f in await list_facts(db)) == [1e9, 4e9]


async def test_a_crash_leaves_every_article_whole_or_absent(
    db: Database,
    tmp_path: Path,
    extracted: dict[str, list[Fact]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bot.pipeline, "BATCH_ARTICLES", 2)
    for number in range(5):
        extracted[f"{number}.txt"] = [make_fact(value=(number + 1) * 1e9, subject=f"Co {number}")]
        write(tmp_path / f"{number}.txt", f"article {number}")
    real_upsert = storage.queries._upsert_fact

    def crashing_upsert(conn: sqlite3.Connection, fact: Fact, *args: Any) -> str:
        if fact.subject == "Co 3":
            raise RuntimeError("power cut")
        return real_upsert(conn, fact, *args)

    monkeypatch.setattr(storage.queries, "_upsert_fact", crashing_upsert)
    with pytest.raises(RuntimeError, match="power cut"):
        await ingest_paths(db, [tmp_path])
    # the first batch (0, 1) committed; the one that crashed (2, 3) left nothing
    assert sorted(f.subject for f in await list_facts(db)) == ["Co 0", "Co 1"]
    assert (await get_stats(db)).model_dump() == {"articles": 2, "facts": 2, "sources": 2}
    paths = await db.fetchall("SELECT path FROM articles ORDER BY path")
    assert [Path(row["path"]).name for row in paths] == ["0.txt", "1.txt"]


async def test_duplicate_files_in_one_batch_are_stored_once(
    db: Database, tmp_path: Path, extracted: dict[str, list[Fact]]
) -> None:
    extracted["a.txt"] = [make_fact()]
    extracted["b.txt"] = [make_fact()]
    write(tmp_path / "a.txt", "same bytes")
    write(tmp_path / "b.txt", "same bytes")
    report = await ingest_paths(db, [tmp_path])
    assert (report.read, report.new, report.known, report.facts_new) == (2, 1, 1, 1)


async def test_workers_store_the_same_as_one_process(tmp_path: Path) -> None:
    """Extraction in worker processes: the same articles and facts, in input order."""
    folders = [SEEDS, *sorted(p for p in SEEDS.glob("*.txt"))]
    stored: list[list[tuple[str, str, float]]] = []
    reports = []
    for workers in (0, 1):
        database = await Database.open(tmp_path / f"w{workers}" / "dealflow.db")
        try:
            await database.migrate()
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(bot.extract_pool, "POOL_MIN_FILES", 0)
                reports.append(await ingest_paths(database, folders, workers=workers))
            rows = await database.fetchall(
                "SELECT a.path, f.subject, f.value FROM facts AS f"
                " JOIN fact_sources AS fs ON fs.fact_id = f.id"
                " JOIN articles AS a ON a.id = fs.article_id ORDER BY a.id, f.id"
            )
            stored.append([(row["path"], row["subject"], row["value"]) for row in rows])
        finally:
            await database.close()
    assert stored[0] == stored[1]
    assert stored[0]
    assert reports[0] == reports[1]
    seeds = len(folders) - 1
    assert (reports[1].new, reports[1].known) == (seeds, seeds)


async def test_an_extractor_crash_in_a_worker_fails_only_that_article(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def crashing(text: str, *, path: str, sha256: str) -> ExtractedArticle:
        raise ValueError("bug")

    monkeypatch.setattr(bot.extract_pool, "extract_article", crashing)
    outcome = bot.extract_pool._extract_in_worker("text", "a.txt", "0" * 64)
    future = asyncio.get_running_loop().create_future()
    future.set_result(outcome)
    extraction = bot.extract_pool.Extraction("a.txt", future)
    with pytest.raises(InputError, match=r"^a\.txt: extraction failed \(ValueError\)$"):
        await extraction.result()
    assert "ValueError: bug" in caplog.text  # the traceback from the worker is logged


@pytest.mark.parametrize(
    ("setting", "files", "cpus", "workers"),
    [
        (None, 1000, 2, 2),
        (None, 1000, 8, 2),
        (None, 1000, 1, 0),
        (None, 99, 8, 0),
        (0, 1000, 8, 0),
        (1, 1000, 8, 1),
        (3, 1000, 1, 3),
        (3, 10, 8, 0),
    ],
)
def test_pool_workers(
    monkeypatch: pytest.MonkeyPatch, setting: int | None, files: int, cpus: int, workers: int
) -> None:
    monkeypatch.setattr(bot.extract_pool, "available_cpus", lambda: cpus)
    assert bot.extract_pool.pool_workers(setting, files) == workers
