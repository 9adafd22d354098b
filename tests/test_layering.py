"""Imports point inward (STYLE.md): facilitation/ is pure, bot's vocabulary knows no adapter, and platform
libraries stay inside their adapter package."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORM_LIBRARIES = {"telegram", "discord"}
VOCABULARY = ["refs", "events", "actions", "rights", "errors", "clock", "adapter", "command_text"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def top(name: str) -> str:
    return name.split(".")[0]


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_facilitation_is_pure() -> None:
    offenders = {}
    for path in python_files("facilitation"):
        bad = {m for m in imported_modules(path)
               if top(m) in {"adapters", "sqlalchemy", "alembic", "aiosqlite", "asyncpg", "httpx", "aiohttp"}
               | PLATFORM_LIBRARIES
               or m.startswith("bot.storage") or m in {"bot.app", "bot.executor", "bot.dispatcher", "bot.timers"}}
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_vocabulary_imports_no_adapter_and_no_outer_layer() -> None:
    offenders = {}
    for name in VOCABULARY:
        path = ROOT / "bot" / f"{name}.py"
        bad = {m for m in imported_modules(path)
               if top(m) in {"adapters", "facilitation", "config", "sqlalchemy"} | PLATFORM_LIBRARIES}
        if bad:
            offenders[name] = bad
    assert offenders == {}


def test_platform_libraries_stay_inside_their_adapter() -> None:
    offenders = {}
    for package in ("bot", "facilitation", "config", "adapters"):
        for path in python_files(package):
            relative = path.relative_to(ROOT)
            for module in imported_modules(path):
                library = top(module)
                if library in PLATFORM_LIBRARIES and relative.parts[:2] != ("adapters", library):
                    offenders.setdefault(str(relative), set()).add(module)
    assert offenders == {}


def test_bot_core_does_not_import_adapters_except_the_wiring() -> None:
    # The wiring, and the two entry points that choose adapters: the demo (its stage and runner) and the CLI's run.
    allowed = {"bot/app.py", "bot/demo/base.py", "bot/demo/runner.py", "bot/cli/running.py"}
    offenders = {}
    for path in python_files("bot"):
        if path.relative_to(ROOT).as_posix() in allowed:
            continue
        bad = {m for m in imported_modules(path) if top(m) == "adapters"}
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}
