"""Extraction in worker processes, so that it runs beside the store.

Extracting an article takes a few milliseconds of pure Python, and so does
storing it; one after the other on one core, an ingest of many files is the
sum of both. :class:`ExtractPool` runs :func:`bot.extract.extract_article` in
a few worker processes (threads would hold the GIL the writer needs) while the
event loop stores the results in input order.

Starting the workers costs a fraction of a second (each is a fresh
interpreter that imports the extractor), so :func:`pool_workers` says to
start none for a few files. Nothing here touches the database.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from types import TracebackType

from bot.errors import ExtractionError
from bot.extract import extract_article
from bot.models import ExtractedArticle

logger = logging.getLogger(__name__)

#: Below this many files an ingest extracts in its own process.
POOL_MIN_FILES = 100
#: At most this many workers: beside one writer, more do not pay on a small machine.
MAX_WORKERS = 2


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity where the OS tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - macOS, Windows


def pool_workers(setting: int | None, files: int) -> int:
    """How many extraction workers an ingest of ``files`` files starts (0: none).

    ``setting`` is ``DEALFLOW_INGEST_WORKERS``: 0 turns the pool off, a number
    is used as given, ``None`` picks one worker per CPU up to
    :data:`MAX_WORKERS` (none on a single CPU, where the pool would only add
    its own costs). Fewer than :data:`POOL_MIN_FILES` files never start one.
    """
    if files < POOL_MIN_FILES:
        return 0
    if setting is not None:
        return setting
    cpus = available_cpus()
    return 0 if cpus < 2 else min(MAX_WORKERS, cpus)


@dataclass(frozen=True, slots=True)
class _Crash:
    """The extractor raised in a worker: its type and traceback, for the log."""

    kind: str
    traceback: str


def _quiet_worker() -> None:
    """Leave Ctrl-C to the parent, which cancels the pool (no traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _extract_in_worker(text: str, path: str, sha256: str) -> ExtractedArticle | _Crash:
    try:
        return extract_article(text, path=path, sha256=sha256)
    except Exception as exc:
        return _Crash(type(exc).__name__, traceback.format_exc())


class ExtractPool:
    """A few worker processes extracting articles; use it as an async context manager.

    Workers start fresh (the ``spawn`` method: the parent has threads, the
    database's among them, which ``fork`` would copy mid-step) and ignore
    Ctrl-C; leaving the block shuts them down and drops what was not started.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_quiet_worker,
        )

    async def __aenter__(self) -> ExtractPool:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        cancel = exc_type is not None
        await asyncio.to_thread(self._executor.shutdown, wait=True, cancel_futures=cancel)

    def submit(self, text: str, *, path: str, sha256: str) -> Extraction:
        """Start extracting an article; :meth:`Extraction.result` waits for it."""
        work = self._executor.submit(_extract_in_worker, text, path, sha256)
        return Extraction(path, asyncio.wrap_future(work))


class Extraction:
    """An article being extracted in a worker."""

    def __init__(self, path: str, future: asyncio.Future[ExtractedArticle | _Crash]) -> None:
        self.path = path
        self._future = future

    async def result(self) -> ExtractedArticle:
        """The extracted article; a crash of the extractor is logged with its
        traceback and raised as :class:`ExtractionError`, as in-process."""
        outcome = await self._future
        if isinstance(outcome, _Crash):
            logger.error("extraction failed on %s\n%s", self.path, outcome.traceback.rstrip())
            raise ExtractionError(self.path, f"extraction failed ({outcome.kind})")
        return outcome
