"""The project's exceptions, one tree rooted in :class:`DealflowError`.

::

    DealflowError
    ├── UsageError            bad arguments from a user (CLI or chat); the message is shown as is
    │   └── UnknownCompanyError   no stored fact names that company (maybe a close name does)
    ├── InputError            an input that cannot be read as an article
    │   ├── FileTooLargeError
    │   ├── EncodingError
    │   ├── EmptyInputError
    │   ├── FetchError        a URL refused, unreachable or answering with an error
    │   └── ExtractionError   the extractor failed on this input (a bug to report)
    └── StorageError          the database refused or is in a state we cannot use
"""

from __future__ import annotations


class DealflowError(Exception):
    """Base of every error this project raises on purpose."""


class UsageError(DealflowError):
    """The user asked for something in a way we cannot follow; tell them how."""


class UnknownCompanyError(UsageError):
    """No stored fact names the company asked for; ``suggestion`` is the closest name, if any.

    The message is English (the CLI shows it); the bot renders its own from the fields.
    """

    def __init__(self, name: str, suggestion: str | None) -> None:
        hint = f" Did you mean {suggestion}?" if suggestion else ""
        super().__init__(f"No facts about {name!r}.{hint}")
        self.name = name
        self.suggestion = suggestion


class InputError(DealflowError):
    """An input (file, page, message) that cannot be read as an article."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class FileTooLargeError(InputError):
    """The input is over the size limit."""


class EncodingError(InputError):
    """The input is not text in an encoding we accept (UTF-8)."""


class EmptyInputError(InputError):
    """The input holds no text."""


class FetchError(InputError):
    """A URL that cannot be read: refused (scheme, address), unreachable, or an HTTP error.

    ``transient`` marks failures worth trying again later (timeouts, 5xx, a lost connection).
    """

    def __init__(self, source: str, reason: str, *, transient: bool = False) -> None:
        super().__init__(source, reason)
        self.transient = transient


class ExtractionError(InputError):
    """The extractor raised on this input; the article is skipped, the bug logged."""


class StorageError(DealflowError):
    """The database refused an operation or is not usable."""
