"""Company names: the folded key the store merges on, and well-known aliases.

A leaf like :mod:`bot.models`: anything may import it, it imports nothing of ours.
"""

from __future__ import annotations

import unicodedata

#: Names that mean the same company. Applied when *looking up* a company,
#: never when storing, so the keys kept in the database stay stable.
ALIAS_GROUPS: tuple[tuple[str, ...], ...] = (
    ("Advanced Micro Devices", "AMD"),
    ("Alphabet", "Google"),
    ("Amazon Web Services", "AWS"),
    ("Anthropic", "Anthropic PBC"),
    ("Meta", "Meta Platforms", "Facebook"),
    ("Microsoft", "MSFT"),
    ("Mistral AI", "Mistral"),
    ("Nvidia", "NVDA"),
    ("SoftBank", "SoftBank Group"),
    ("Taiwan Semiconductor Manufacturing Company", "TSMC"),
)


def fold_name(name: str) -> str:
    """Return the key two spellings of one name share.

    Case, diacritics, spaces and punctuation are ignored: ``"Open AI"``,
    ``"openai"`` and ``"OpenAI"`` fold alike, and so do ``"Bảo Việt"`` and
    ``"Bao Viet"``.
    """
    decomposed = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(c for c in decomposed.casefold() if c.isalnum())
    return folded or name.strip().casefold()


_ALIAS_KEYS: dict[str, frozenset[str]] = {
    fold_name(alias): frozenset(fold_name(name) for name in group)
    for group in ALIAS_GROUPS
    for alias in group
}


def alias_keys(name: str) -> frozenset[str]:
    """Return the folded keys of ``name`` and of every alias it has."""
    key = fold_name(name)
    return _ALIAS_KEYS.get(key, frozenset({key}))
