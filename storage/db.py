"""One aiosqlite connection, its write lock, and the migration runner.

Every write goes through :meth:`Database.transaction`, which holds an
:class:`asyncio.Lock` around ``BEGIN IMMEDIATE`` ... ``COMMIT``: jobs, handlers
and ingest runs interleave on the same connection, so a write outside that
lock would land in someone else's transaction.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.errors import StorageError

logger = logging.getLogger(__name__)

Params = Mapping[str, Any]
T = TypeVar("T")

_MIGRATION_NAME = re.compile(r"^\d{4}_[a-z0-9_]+\.sql$")


def utc_now() -> str:
    """Return the current UTC time as an ISO string, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Migration:
    """One ``NNNN_name.sql`` file: applied once, in one transaction."""

    name: str
    sql: str


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What a write statement did."""

    rowcount: int
    lastrowid: int | None


def load_migrations() -> list[Migration]:
    """Return the packaged ``storage/migrations/NNNN_name.sql`` files in order."""
    folder = resources.files("storage").joinpath("migrations")
    files = sorted(
        (entry for entry in folder.iterdir() if _MIGRATION_NAME.match(entry.name)),
        key=lambda entry: entry.name,
    )
    return [Migration(entry.name.removesuffix(".sql"), entry.read_text("utf-8")) for entry in files]


def split_statements(script: str) -> list[str]:
    """Split an SQL script into single statements.

    A statement ends at the end of the line where it becomes complete (per
    :func:`sqlite3.complete_statement`), so ``CREATE TRIGGER ... END;`` stays
    whole. Put one statement per line at most. Comment-only leftovers are dropped.
    """
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    leftover = [ln for ln in buffer.splitlines() if ln.strip() and not ln.strip().startswith("--")]
    if leftover:
        raise StorageError(f"incomplete SQL statement at end of script: {leftover[0]!r}")
    return statements


class Database:
    """The dealflow database: one connection, one write lock.

    Open it with ``await Database.open(path)``, then ``await db.migrate()``.
    Reads (:meth:`fetchall`, :meth:`fetchone`) may run anywhere; writes
    (:meth:`execute`) only inside ``async with db.transaction():``. Since the
    connection is shared, a read issued while another task holds the
    transaction sees that task's uncommitted writes.
    """

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        """Open (creating it and its folder if needed) the database at ``path``."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open database {path}: {exc}") from exc
        conn.row_factory = sqlite3.Row
        try:
            for pragma in (
                "PRAGMA journal_mode=WAL",
                "PRAGMA foreign_keys=ON",
                "PRAGMA busy_timeout=5000",
                "PRAGMA synchronous=NORMAL",
            ):
                await conn.execute(pragma)
        except sqlite3.Error as exc:
            await conn.close()
            raise StorageError(f"cannot use database {path}: {exc}") from exc
        logger.debug("opened database %s", path)
        return cls(conn, path)

    async def close(self) -> None:
        """Close the connection."""
        await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """Run the block as one ``BEGIN IMMEDIATE`` transaction, under the write lock.

        Commits when the block ends, rolls back if it raises. Transactions do
        not nest: opening one inside another in the same task is an error.
        """
        task = asyncio.current_task()
        if task is not None and self._owner is task:
            raise StorageError("transaction() does not nest")
        async with self._lock:
            self._owner = task
            try:
                await self.execute("BEGIN IMMEDIATE")
                try:
                    yield
                    await self.execute("COMMIT")
                except BaseException:
                    await self._conn.rollback()
                    raise
            finally:
                self._owner = None

    async def execute(self, sql: str, params: Params | None = None) -> WriteResult:
        """Run one write statement; only inside :meth:`transaction`."""
        self._check_writer()

        def run(conn: sqlite3.Connection) -> WriteResult:
            cursor = conn.execute(sql, params or {})
            try:
                return WriteResult(cursor.rowcount, cursor.lastrowid)
            finally:
                cursor.close()

        return await self._call(run)

    async def fetchall(self, sql: str, params: Params | None = None) -> list[sqlite3.Row]:
        """Run a query and return all its rows."""
        return await self._call(lambda conn: conn.execute(sql, params or {}).fetchall())

    async def fetchone(self, sql: str, params: Params | None = None) -> sqlite3.Row | None:
        """Run a query and return its first row, or None."""

        def run(conn: sqlite3.Connection) -> sqlite3.Row | None:
            cursor = conn.execute(sql, params or {})
            try:
                row: sqlite3.Row | None = cursor.fetchone()
                return row
            finally:
                cursor.close()

        return await self._call(run)

    async def run_write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn(connection)`` on the connection's thread; only inside :meth:`transaction`.

        For a batch of statements that belong together (an article and its
        facts): ``fn`` is plain synchronous :mod:`sqlite3` code, and the whole
        batch costs one hand-off to the connection's thread instead of one or
        more per statement. ``fn`` must not commit, roll back or keep the connection.
        """
        self._check_writer()
        return await self._call(fn)

    def _check_writer(self) -> None:
        if self._owner is None or self._owner is not asyncio.current_task():
            raise StorageError("writes must run inside db.transaction()")

    async def _call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` with the sqlite3 connection on aiosqlite's thread: one hand-off.

        aiosqlite runs its own methods this way (``Connection._execute`` with
        the ``_conn`` it holds); its public ones cost two or three hand-offs a
        statement (execute, fetch, close the cursor).
        """
        conn = self._conn

        def call() -> T:
            return fn(conn._conn)

        try:
            result: T = await conn._execute(call)  # type: ignore[no-untyped-call]
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
        return result

    async def migrate(self, migrations: list[Migration] | None = None) -> list[str]:
        """Apply the migrations not applied yet; return the names applied.

        Each migration runs in one transaction together with its row in
        ``schema_migrations``, so it is applied entirely or not at all.
        ``executescript()`` would commit first, so the script is split into
        statements and run one by one instead.
        """
        async with self.transaction():
            await self.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name TEXT PRIMARY KEY,
                    applied_at TEXT NOT NULL
                )
                """
            )
        rows = await self.fetchall("SELECT name FROM schema_migrations")
        done = {row["name"] for row in rows}
        applied: list[str] = []
        for migration in load_migrations() if migrations is None else migrations:
            if migration.name in done:
                continue
            async with self.transaction():
                for statement in split_statements(migration.sql):
                    await self.execute(statement)
                await self.execute(
                    """
                    INSERT INTO schema_migrations (name, applied_at) VALUES (:name, :applied_at)
                    """,
                    {"name": migration.name, "applied_at": utc_now()},
                )
            logger.info("applied migration %s", migration.name)
            applied.append(migration.name)
        return applied


class BoundDatabase(Database):
    """The database as seen from the connection's thread, inside :meth:`Database.run_write`.

    Its methods do their work at once, on the sqlite3 connection they are
    given, and never suspend, so the async storage functions
    (``insert_article``, ``upsert_facts``, ``enqueue_alerts``) run on it
    unchanged through :func:`run_inline`: a batch of articles, each with its
    own savepoint, costs one hand-off to the connection's thread in all
    instead of several an article. The caller's transaction is the one in
    force; it must not be used to open another, nor from another thread.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._sqlite = conn
        self.path = path

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        raise StorageError("transaction() does not nest")
        yield  # pragma: no cover - makes this a generator

    async def close(self) -> None:
        raise StorageError("the bound database belongs to its caller")

    def _check_writer(self) -> None:
        """Always inside the caller's transaction."""

    async def _call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        try:
            return fn(self._sqlite)
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc


def run_inline(coro: Coroutine[Any, Any, T]) -> T:
    """Run to its end a coroutine that never suspends: storage calls on a BoundDatabase."""
    try:
        coro.send(None)
    except StopIteration as stop:
        result: T = stop.value
        return result
    coro.close()
    raise RuntimeError("run_inline: the coroutine waited for something")
