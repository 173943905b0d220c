"""The command line, called as ``main([...])`` with its output captured."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from factories import make_fact, store_article

from bot.cli import _ProgressBar, main
from bot.models import StoreStats
from storage.db import Database
from storage.queries import get_stats

SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Run in an empty folder, with no database named by the environment."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DEALFLOW_DB", raising=False)


def stats(path: Path) -> StoreStats:
    async def read() -> StoreStats:
        db = await Database.open(path)
        try:
            return await get_stats(db)
        finally:
            await db.close()

    return asyncio.run(read())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database holding a few deals, a revenue figure and a valuation."""
    path = tmp_path / "facts.db"

    async def fill() -> None:
        db = await Database.open(path)
        await db.migrate()
        await store_article(
            db,
            "dec",
            [
                make_fact(subject="OpenAI", counterparty="Amazon", value=10e9, date="2025-12"),
                make_fact(
                    subject="Anthropic", counterparty="Amazon", value=8e9, status="completed"
                ),
                make_fact(subject="Anthropic", counterparty="Google", value=2e9, qualifier="up_to"),
                make_fact(kind="valuation", subject="OpenAI", counterparty=None, value=500e9),
                make_fact(
                    kind="revenue",
                    subject="Anthropic",
                    counterparty=None,
                    value=5e9,
                    metric="arr",
                    date="2025-11",
                ),
            ],
        )
        await db.close()

    asyncio.run(fill())
    return path


# --- extract -----------------------------------------------------------------------------


def test_extract_json_prints_one_facts_md_record_per_article(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    assert main(["extract", "--json", *map(str, seeds)]) == 0
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["article"]["path"] for r in records] == [str(p) for p in seeds]
    assert records[0]["article"]["sha256"] == hashlib.sha256(seeds[0].read_bytes()).hexdigest()
    assert all(set(r) == {"article", "facts"} for r in records)
    assert "\\u" not in out  # Vietnamese stays readable
    assert err == ""


def test_extract_reports_bad_files_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "notes.md").write_text("# hi")
    seed = str(sorted(SEEDS.glob("*.txt"))[0])
    assert main(["extract", "empty.txt", "notes.md", "missing.txt", seed]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "error: notes.md: unsupported file type '.md', expected .htm, .html, .txt",
        "error: empty.txt: empty file",
        "error: missing.txt: no such file",
    ]
    assert out.startswith(f"{seed}  published ")
    assert "KIND" in out or "0 facts" in out


# --- ingest --------------------------------------------------------------------------------


def test_ingest_prints_a_summary_and_reingest_adds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "data" / "x.db"
    seeds = len(list(SEEDS.glob("*.txt")))
    assert main(["ingest", str(SEEDS), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"Articles: {seeds} read ({seeds} new, 0 already known), 0 failed\n")
    assert "Facts: " in out and err == ""  # no progress bar off a terminal
    before = stats(db)
    assert main(["ingest", str(SEEDS), "--db", str(db)]) == 0
    assert f"(0 new, {seeds} already known)" in capsys.readouterr().out
    assert stats(db) == before


def test_ingest_exits_1_when_an_article_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "in" / "good.txt").write_text("date 2026-01-02 Nothing to see.", encoding="utf-8")
    assert main(["ingest", "in", "--db", "x.db"]) == 1
    out, err = capsys.readouterr()
    assert err == (
        "error: in/binary.txt: binary file (contains NUL bytes)\n"
        "warning: in/good.txt: no facts found\n"
    )
    assert "1 read (1 new, 0 already known), 1 failed" in out
    assert stats(tmp_path / "x.db").articles == 1


def test_database_comes_from_the_environment_else_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = str(sorted(SEEDS.glob("*.txt"))[0])
    assert main(["ingest", seed]) == 0
    assert (tmp_path / "dealflow.db").exists()
    monkeypatch.setenv("DEALFLOW_DB", str(tmp_path / "env.db"))
    assert main(["ingest", seed]) == 0
    assert (tmp_path / "env.db").exists()


# --- listings ----------------------------------------------------------------------------------


def test_deals_for_a_company_as_either_party(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deals", "amazon", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert (
        "OpenAI: investment $10B from Amazon, in talks, 2025-12 [seeds/dec.txt, 2025-12-17]" in out
    )
    assert "Anthropic: investment $8B from Amazon, completed" in out
    assert "Google" not in out and "valuation" not in out


def test_deals_in_vietnamese(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deals", "--db", str(db_path), "--lang", "vi"]) == 0
    out = capsys.readouterr().out
    assert "OpenAI: đầu tư 10 tỷ USD từ Amazon, đang đàm phán, 2025-12" in out
    assert "Tổng vốn huy động: 10 tỷ USD (gồm số ước tính)" in out  # 8B done + up to 2B


def test_revenue_valuations_and_company(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["revenue", "--db", str(db_path)]) == 0
    assert "Anthropic: ARR $5B, 2025-11" in capsys.readouterr().out
    assert main(["valuations", "OPENAI", "--db", str(db_path)]) == 0
    assert "OpenAI: valuation $500B" in capsys.readouterr().out
    assert main(["company", "Anthropic", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Anthropic: 3 facts\n")
    assert "Total raised: $10B (incl. estimates)" in out


def test_facts_filters(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["facts", "--db", str(db_path), "--kind", "investment", "--min", "5B"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "$10B" in out and "$8B" in out and "$2B" not in out
    assert main(["facts", "--db", str(db_path), "--since", "2025-12-01", "--min", "1e10"]) == 0
    assert [line for line in capsys.readouterr().out.splitlines() if line.startswith("  -")] == [
        "  - OpenAI: valuation $500B [seeds/dec.txt, 2025-12-17]",
        "  - OpenAI: investment $10B from Amazon, in talks, 2025-12 [seeds/dec.txt, 2025-12-17]",
    ]


# --- export ------------------------------------------------------------------------------------


def test_export_csv_to_stdout(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", str(db_path), "--kind", "investment"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {(r["subject"], r["value"]) for r in rows} == {
        ("OpenAI", "10000000000"),
        ("Anthropic", "8000000000"),
        ("Anthropic", "2000000000"),
    }


def test_export_json_to_a_file(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "facts.json"
    assert (
        main(["export", "--db", str(db_path), "--format", "json", "--output", str(out_file)]) == 0
    )
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert len(data) == 5 and data[0]["article_path"] == "seeds/dec.txt"
    assert capsys.readouterr() == ("", f"wrote 5 rows to {out_file}\n")


# --- bad usage: one line on stderr, exit 2, nothing changed -------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["company", "Antropic"], "dealflow: No facts about 'Antropic'. Did you mean Anthropic?"),
        (["deals", "Nobody"], "dealflow: No facts about 'Nobody'."),
        (["facts", "--min", "lots"], "dealflow facts: argument --min: cannot read amount 'lots'"),
        (["facts", "--since", "2025-13-01"], "dealflow facts: argument --since: cannot read date"),
        (["facts", "--kind", "deal"], "dealflow: unknown kind 'deal'"),
        (["deals", "--lang", "fr"], "dealflow deals: argument --lang: invalid choice: 'fr'"),
        (["export", "--format", "xml"], "dealflow export: argument --format: invalid choice"),
        (["export", "--output", "/nonexistent/dir/x.csv"], "dealflow: cannot write"),
        (["company"], "dealflow company: the following arguments are required: NAME"),
        (["frobnicate"], "dealflow: argument COMMAND: invalid choice: 'frobnicate'"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(
    db_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = stats(db_path)
    assert main([*args, "--db", str(db_path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert stats(db_path) == before


def test_missing_database_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deals", "--db", "nowhere.db"]) == 2
    assert "no database at nowhere.db" in capsys.readouterr().err
    assert not (tmp_path / "nowhere.db").exists()


def test_bad_setting_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DEALFLOW_ADMINS", "me")
    assert main(["extract", str(sorted(SEEDS.glob("*.txt"))[0])]) == 2
    assert capsys.readouterr().err.startswith("dealflow: bad setting DEALFLOW_ADMINS:")


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "ingest" in capsys.readouterr().out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "files", "shown"),
    [(Terminal(), 25, True), (Terminal(), 5, False), (io.StringIO(), 25, False)],
)
def test_progress_bar_only_on_a_terminal_for_many_files(
    stream: io.StringIO, files: int, shown: bool
) -> None:
    bar = _ProgressBar(stream)
    for done in range(1, files + 1):
        bar(done, files)
    bar.close()
    assert (f"{files}/{files}" in stream.getvalue()) == shown


def test_text_with_no_facts_is_stored_but_named_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "calm.txt").write_text(" date 2026-01-02 Trời hôm nay đẹp.", encoding="utf-8")
    assert main(["ingest", "calm.txt", "--db", "x.db"]) == 1
    assert capsys.readouterr().err == "warning: calm.txt: no facts found\n"
    assert main(["ingest", "calm.txt", "--db", "x.db"]) == 0  # already known: nothing to say
    assert stats(tmp_path / "x.db").articles == 1


def test_extract_drops_an_absurd_amount_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "big.txt").write_text(
        " date 2026-01-02 OpenAI raised $5000 trillion from SoftBank.", encoding="utf-8"
    )
    assert main(["extract", "big.txt", "--json"]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["facts"] == []
    assert "big.txt: dropped investment of OpenAI: amount 5e+15 USD is over the 1e+15 limit" in err
