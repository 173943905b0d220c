"""The ``dealflow`` command line: extract, ingest, and the same summaries the bot sends.

Exit codes: 0 done, 1 some input failed or needs a look (no facts, an absurd
amount dropped) or the database failed, 2 bad usage (nothing
was changed). Only this module configures logging.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, NoReturn, Protocol, cast

from pydantic import ValidationError
from tqdm import tqdm

from bot import services
from bot.errors import DealflowError, InputError, UsageError
from bot.models import StoredFact
from bot.pipeline import collect_paths, ingest_paths, load_article, plausible_facts
from bot.render import (
    LANGS,
    Lang,
    render_company_profile,
    render_csv,
    render_extract_table,
    render_facts_text,
    render_ingest_report,
    render_json,
    render_json_line,
)
from bot.settings import Settings
from storage.db import Database

logger = logging.getLogger(__name__)

#: Fewer files than this finish too fast for a progress bar to help.
PROGRESS_MIN_FILES = 20

Command = Callable[[argparse.Namespace, Settings], int]
DbCommand = Callable[[argparse.Namespace, Database, Settings], Awaitable[int]]


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises :class:`UsageError` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _arg_type(parse: Callable[[str], object]) -> Callable[[str], object]:
    """Let argparse report a parser's UsageError against the argument it came from."""

    def convert(text: str) -> object:
        try:
            return parse(text)
        except UsageError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = parse.__name__
    return convert


def _lang(args: argparse.Namespace) -> Lang:
    return cast(Lang, args.lang)


class _ProgressBar:
    """A tqdm bar on stderr, shown only on a terminal and for enough files."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._bar: tqdm[NoReturn] | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            hidden = total < PROGRESS_MIN_FILES or not self._stream.isatty()
            self._bar = tqdm(total=total, file=self._stream, unit="file", disable=hidden)
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


# --- commands ---------------------------------------------------------------------------


def extract_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print each article's facts: JSON Lines per FACTS.md with --json, else a table."""
    collected = collect_paths(args.paths)
    failed = len(collected.failures)
    for failure in collected.failures:
        print(f"error: {failure.path}: {failure.reason}", file=sys.stderr)
    for path in collected.files:
        try:
            article, warnings = plausible_facts(
                load_article(path, max_bytes=settings.max_article_bytes)
            )
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
            continue
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        failed += bool(warnings)
        print(
            render_json_line(article) if args.json else render_extract_table(article, _lang(args))
        )
    return 1 if failed else 0


async def ingest_command(args: argparse.Namespace, db: Database, settings: Settings) -> int:
    """Store every article under the paths and URLs; print failures, warnings and a summary."""
    from bot.web import has_scheme
    from bot.web_ingest import ingest_urls, merge_reports, web_client

    urls = [p for p in args.paths if has_scheme(p)]
    paths = [p for p in args.paths if not has_scheme(p)]
    bar = _ProgressBar(sys.stderr)
    try:
        report = await ingest_paths(
            db,
            paths,
            progress=bar,
            max_bytes=settings.max_article_bytes,
            workers=settings.ingest_workers,
        )
    finally:
        bar.close()
    if urls:
        async with web_client(settings) as web:
            web_report, _results = await ingest_urls(db, web, urls)
        report = merge_reports(report, web_report)
    for failure in report.failed:
        print(f"error: {failure.path}: {failure.reason}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(render_ingest_report(report, _lang(args)))
    return 1 if report.failed or report.warnings else 0


class _ListVerb(Protocol):
    async def __call__(
        self, db: Database, *, company: str | None = None, limit: int | None = ...
    ) -> list[StoredFact]: ...


def _listing_command(verb: _ListVerb) -> DbCommand:
    """A command printing what a listing service returns, optionally for one company."""

    async def command(args: argparse.Namespace, db: Database, settings: Settings) -> int:
        facts = await verb(db, company=args.company, limit=args.limit)
        print(render_facts_text(facts, _lang(args)))
        return 0

    return command


async def company_command(args: argparse.Namespace, db: Database, settings: Settings) -> int:
    """Print everything known about one company."""
    profile = await services.company_profile(db, args.name)
    print(render_company_profile(profile, _lang(args)))
    return 0


async def facts_command(args: argparse.Namespace, db: Database, settings: Settings) -> int:
    """Print facts filtered by kind, date and size."""
    facts = await services.list_facts(
        db, kinds=args.kinds, since=args.since, min_value=args.min_value, limit=args.limit
    )
    print(render_facts_text(facts, _lang(args)))
    return 0


async def export_command(args: argparse.Namespace, db: Database, settings: Settings) -> int:
    """Write facts as CSV or JSON, one row per article stating a fact."""
    rows = await services.export_rows(
        db, kinds=args.kinds, since=args.since, min_value=args.min_value
    )
    text = render_csv(rows) if args.format == "csv" else render_json(rows) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    print(f"wrote {len(rows)} rows to {args.output}", file=sys.stderr)
    return 0


async def feeds_command(args: argparse.Namespace, db: Database, settings: Settings) -> int:
    """``feeds add URL``, ``feeds list``, ``feeds remove N|URL``, ``feeds poll``."""
    from datetime import timedelta

    from bot import feeds
    from bot.render_web import render_feeds_text, render_poll_text
    from bot.web_ingest import web_client

    if args.action == "add":
        feed, added = await feeds.add_feed(db, args.url, allow_private=settings.allow_private_urls)
        print(f"{'added' if added else 'already there'}: {feed.id}  {feed.url}")
        return 0
    if args.action == "remove":
        feed = await feeds.remove_feed(db, args.ref)
        print(f"removed: {feed.id}  {feed.url}")
        return 0
    if args.action == "list":
        print(render_feeds_text(await feeds.list_feeds(db)))
        return 0
    interval = timedelta(minutes=settings.feed_poll_minutes or 10)
    async with web_client(settings) as web:
        report = await feeds.poll_feeds(
            db, web, max_entries=settings.feed_max_entries, interval=interval, due_only=False
        )
    summary, notes = render_poll_text(report)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    print(summary)
    return 1 if report.failed_feeds else 0


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """Serve Telegram until SIGINT or SIGTERM: long polling, or a webhook with --webhook-url."""
    from bot.redact import redact_logs
    from bot.runner import RunOptions, Webhook, run_bot, secrets_of  # imports telegram

    if args.db is not None:
        settings = settings.model_copy(update={"db_path": args.db})
    webhook = None
    if args.webhook_url:
        secret = settings.telegram_webhook_secret
        webhook = Webhook(
            url=args.webhook_url,
            listen=args.listen,
            port=args.port,
            url_path=args.url_path,
            secret_token=args.secret_token or (secret.get_secret_value() if secret else None),
        )
    options = RunOptions(webhook=webhook, drop_pending_updates=args.drop_pending_updates)
    redact_logs(secrets_of(settings, options))
    run_bot(settings, options)
    return 0


def chat_command(args: argparse.Namespace, settings: Settings) -> int:
    """Talk to the bot in the terminal: no token, no network."""
    from bot.chat import run_chat  # here: only the bot's commands pay for importing telegram

    path: Path = args.db or settings.db_path
    if not path.exists():
        raise UsageError(f"no database at {path}; run `dealflow ingest` first")
    settings = settings.model_copy(update={"db_path": path})
    return run_chat(
        settings, stdin=sys.stdin, stdout=sys.stdout, files_dir=args.files, lang=args.lang
    )


def _with_database(command: DbCommand, *, create: bool = False) -> Command:
    """Run an async command against the opened, migrated database."""

    def run(args: argparse.Namespace, settings: Settings) -> int:
        path: Path = args.db or settings.db_path
        if not create and not path.exists():
            raise UsageError(f"no database at {path}; run `dealflow ingest` first")

        async def work() -> int:
            db = await Database.open(path)
            try:
                await db.migrate()
                return await command(args, db, settings)
            finally:
                await db.close()

        return asyncio.run(work())

    return run


# --- the parser -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The ``dealflow`` parser with one subcommand per verb."""
    parser = _Parser(prog="dealflow", description="Money facts from AI-industry news.")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv: debug)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    output = _Parser(add_help=False)
    output.add_argument("--lang", choices=LANGS, default="en", help="language of the output")
    database = _Parser(add_help=False, parents=[output])
    database.add_argument(
        "--db", type=Path, help="database file (default: $DEALFLOW_DB, else dealflow.db)"
    )
    limited = _Parser(add_help=False)
    limited.add_argument(
        "--limit", type=int, default=services.DEFAULT_LIMIT, help="at most this many facts"
    )
    filters = _Parser(add_help=False)
    filters.add_argument(
        "--kind", dest="kinds", action="append", help="only this kind (repeatable)"
    )
    filters.add_argument(
        "--since", type=_arg_type(services.parse_since), help="only facts from this date on"
    )
    filters.add_argument(
        "--min",
        dest="min_value",
        type=_arg_type(services.parse_min_amount),
        metavar="AMOUNT",
        help="only amounts of at least this much (1e9, 1B, 500M, 1.5bn)",
    )

    def add(name: str, run: Command, what: str, parents: list[_Parser]) -> _Parser:
        sub = commands.add_parser(name, help=what, description=what, parents=parents)
        sub.set_defaults(run=run)
        return sub

    sub = add("extract", extract_command, "print the facts of article files", [output])
    sub.add_argument("paths", nargs="+", metavar="FILE", help="article files or folders")
    sub.add_argument("--json", action="store_true", help="JSON Lines as in FACTS.md")

    sub = add(
        "ingest",
        _with_database(ingest_command, create=True),
        "store the facts of article files",
        [database],
    )
    sub.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="article files (.txt, .html), folders of them, or http(s) URLs",
    )

    sub = add("feeds", _with_database(feeds_command, create=True), "RSS and Atom feeds", [database])
    actions = sub.add_subparsers(dest="action", required=True, metavar="ACTION")
    feed_add = actions.add_parser("add", help="add a feed by URL", parents=[database])
    feed_add.add_argument("url", metavar="URL")
    actions.add_parser("list", help="the feeds, their last success and error", parents=[database])
    feed_remove = actions.add_parser("remove", help="remove a feed", parents=[database])
    feed_remove.add_argument("ref", metavar="N|URL", help="its number in `feeds list`, or URL")
    actions.add_parser(
        "poll", help="read every feed now and store new articles", parents=[database]
    )

    listings: list[tuple[str, _ListVerb, str]] = [
        ("deals", services.list_deals, "the latest deals"),
        ("revenue", services.list_revenue, "the latest revenue figures"),
        ("valuations", services.list_valuations, "the latest valuations"),
    ]
    for name, verb, what in listings:
        sub = add(name, _with_database(_listing_command(verb)), what, [database, limited])
        sub.add_argument("company", nargs="?", metavar="COMPANY", help="only this company")

    sub = add(
        "company", _with_database(company_command), "everything about one company", [database]
    )
    sub.add_argument("name", metavar="NAME", help="company name")

    sub = add(
        "facts", _with_database(facts_command), "facts by kind, date and size", [database, filters]
    )
    sub.add_argument("--limit", type=int, default=None, help="at most this many facts")

    sub = add(
        "export", _with_database(export_command), "export facts as CSV or JSON", [database, filters]
    )
    sub.add_argument("--format", choices=["csv", "json"], default="csv", help="default: csv")
    sub.add_argument("--output", type=Path, metavar="FILE", help="write here instead of stdout")

    sub = add("run", run_command, "serve Telegram (TELEGRAM_BOT_TOKEN) until stopped", [])
    sub.set_defaults(log_level=logging.INFO)
    sub.add_argument(
        "--db", type=Path, help="database file (default: $DEALFLOW_DB, else dealflow.db)"
    )
    sub.add_argument(
        "--drop-pending-updates",
        action="store_true",
        help="ignore the updates that arrived while the bot was not running",
    )
    hook = sub.add_argument_group("webhook (instead of long polling)")
    hook.add_argument("--webhook-url", metavar="URL", help="the public URL Telegram posts to")
    hook.add_argument("--listen", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    hook.add_argument("--port", type=int, default=8443, help="port to listen on (8443)")
    hook.add_argument("--url-path", help="path to answer on (default: the path of --webhook-url)")
    hook.add_argument(
        "--secret-token",
        help="check Telegram's X-Telegram-Bot-Api-Secret-Token header "
        "(default: $TELEGRAM_WEBHOOK_SECRET)",
    )

    sub = add("chat", chat_command, "talk to the bot in this terminal (no token)", [database])
    sub.add_argument(
        "--files",
        type=Path,
        default=Path("dealflow-chat-files"),
        metavar="DIR",
        help="where photos and documents the bot sends are saved (./dealflow-chat-files)",
    )
    return parser


def _configure_logging(verbosity: int, floor: int = logging.WARNING) -> None:
    level = max(logging.DEBUG, floor - 10 * verbosity)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def main(argv: list[str] | None = None) -> int:
    """Run the ``dealflow`` command line and return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    _configure_logging(args.verbose, getattr(args, "log_level", logging.WARNING))
    try:
        settings = Settings()
        run = cast(Command, args.run)
        return run(args, settings)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        print(f"dealflow: bad setting {where}: {error['msg']}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"dealflow: {exc}", file=sys.stderr)
        return 2
    except DealflowError as exc:
        print(f"dealflow: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # the article being stored was rolled back
        print("dealflow: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `dealflow ... | head`: stop quietly, as Python's docs advise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
