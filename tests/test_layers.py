"""Imports flow one way: the store, the extractor and the pure layers never import telegram."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
TELEGRAM_FREE = [
    *sorted((ROOT / "storage").rglob("*.py")),
    *sorted((ROOT / "bot" / "extract").rglob("*.py")),
    *(ROOT / "bot" / name for name in ["models.py", "errors.py", "names.py", "pipeline.py"]),
    *(ROOT / "bot" / name for name in ["services.py", "render.py", "settings.py"]),
    *(ROOT / "bot" / name for name in ["render_html.py", "callbacks.py", "chart.py"]),
    ROOT / "bot" / "telegram_text.py",
]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("path", TELEGRAM_FREE, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_never_imports_telegram(path: Path) -> None:
    telegram = {m for m in imported_modules(path) if m.split(".")[0] == "telegram"}
    assert not telegram, f"{path.relative_to(ROOT)} imports {sorted(telegram)}"


def test_the_check_sees_telegram_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom telegram.ext import Application\n", encoding="utf-8")
    assert "telegram.ext" in imported_modules(sample)
