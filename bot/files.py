"""Reading input files within a size limit: the one place every file reader shares."""

from __future__ import annotations

import stat
from pathlib import Path

from bot.errors import FileTooLargeError, InputError


def read_limited(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, else an :class:`InputError`."""
    name = str(path)
    try:
        info = Path(path).stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(name, "is a folder" if stat.S_ISDIR(info.st_mode) else "not a file")
        if info.st_size > max_bytes:
            raise FileTooLargeError(name, f"{info.st_size:,} bytes, over the {max_bytes:,} limit")
        with Path(path).open("rb") as file:
            raw = file.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except OSError as exc:
        raise InputError(name, f"cannot read ({exc.strerror})") from None
    if len(raw) > max_bytes:  # the file grew while we read it
        raise FileTooLargeError(name, f"over the {max_bytes:,} byte limit")
    return raw
