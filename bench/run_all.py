"""Run every benchmark with its defaults, one after the other, and print their figures.

Each runs in its own process (``make bench`` calls this), so one's memory and
caches do not colour the next. Exits non-zero if any benchmark crashed; a
missed target is a figure to read, not a failure.

    .venv/bin/python bench/run_all.py [extract ingest query bot web]
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("extract", "ingest", "query", "bot", "web", "fanout", "http")


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHMARKS)}")
        return 2
    failed = []
    start = time.perf_counter()
    for name in names:
        script = HERE / f"{name}_bench.py"
        print(f"$ {Path(sys.executable).name} bench/{script.name}", flush=True)
        t0 = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(f"  ({time.perf_counter() - t0:.0f} s, exit {code})\n", flush=True)
        if code != 0:
            failed.append(name)
    print(f"all benchmarks: {time.perf_counter() - start:.0f} s", end="")
    print(f"; FAILED: {', '.join(failed)}" if failed else "")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
