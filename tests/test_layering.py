"""Imports point inward (STYLE.md): facilitation/ is a leaf over the neutral vocabulary, config/ knows no runtime,
bot's vocabulary knows no adapter, and platform libraries stay inside their adapter package. `lint-imports`
checks the same layers on the full import graph (pyproject.toml)."""

from __future__ import annotations

import ast
import sys
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


# What the domain may import besides the standard library, itself and the neutral vocabulary: pure libraries only.
DOMAIN_LIBRARIES = {"pydantic", "annotated_types", "re2", "ahocorasick", "phonenumbers", "holidays", "icalendar",
                    "confusable_homoglyphs"}  # Unicode's confusables data, read once


def test_facilitation_is_a_leaf() -> None:
    """facilitation/ imports no runtime (bot, adapters, config) and no I/O library: see its __init__."""
    allowed = set(sys.stdlib_module_names) | DOMAIN_LIBRARIES | {"facilitation", "vocabulary"}
    offenders = {}
    for path in python_files("facilitation"):
        bad = {m for m in imported_modules(path) if top(m) not in allowed}
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_the_neutral_vocabulary_imports_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"vocabulary"}
    offenders = {}
    for path in python_files("vocabulary"):
        bad = {m for m in imported_modules(path) if top(m) not in allowed}
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_config_imports_no_runtime() -> None:
    offenders = {}
    for path in python_files("config"):
        bad = {m for m in imported_modules(path) if top(m) in {"bot", "adapters"}}
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
    # The wiring, and the demo that stages the local adapter (its stage and runner). pyproject.toml's import-linter
    # contract ignores the same imports.
    allowed = {"bot/app.py", "bot/demo/base.py", "bot/demo/runner.py"}
    offenders = {}
    for path in python_files("bot"):
        if path.relative_to(ROOT).as_posix() in allowed:
            continue
        bad = {m for m in imported_modules(path) if top(m) == "adapters"}
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


# -- no import circles ----------------------------------------------------------------------------------------

CIRCLE_FREE = ("bot", "adapters", "facilitation", "config", "vocabulary")


def project_modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the packages that must be free of circles."""
    modules = {}
    for package in CIRCLE_FREE:
        for path in python_files(package):
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def import_edges(name: str, path: Path, modules: dict[str, Path]) -> dict[str, int]:
    """The project modules `name` imports, each with the line of its first import.

    Every import statement counts, wherever it stands: at module level, under `if TYPE_CHECKING:`, and inside
    functions. An import moved into a function to dodge a circle still makes the two modules need each other;
    counting it is what keeps such a pair from hiding. `from pkg import x` is an edge to `pkg.x` when that is a
    module, else to `pkg`; relative imports are resolved. The implicit import of a parent package's __init__ is
    not an edge: otherwise every package whose __init__ re-exports a submodule would be a circle by definition."""

    def known(dotted: str) -> str | None:
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    edges: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        targets: list[str | None] = []
        if isinstance(node, ast.Import):
            targets = [known(alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else known(base)
                       for alias in node.names]
        for target in targets:
            if target and target != name:
                edges.setdefault(target, node.lineno)
    return edges


def import_circles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return circles


def test_no_import_circles() -> None:
    modules = project_modules()
    graph = {name: import_edges(name, path, modules) for name, path in modules.items()}
    found = {" <-> ".join(circle): sorted(f"{a} imports {b} (line {graph[a][b]})"
                                          for a in circle for b in graph[a] if b in circle)
             for circle in import_circles(graph)}
    assert found == {}


def test_the_circle_finder_sees_a_circle_hidden_in_a_function(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from pkg import a\n")
    (tmp_path / "pkg" / "a.py").write_text("from pkg.b import helper\n")
    (tmp_path / "pkg" / "b.py").write_text("def helper():\n    from . import a\n")
    (tmp_path / "pkg" / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import b\n")
    modules = {"pkg": tmp_path / "pkg" / "__init__.py"} | {
        f"pkg.{n}": tmp_path / "pkg" / f"{n}.py" for n in "abc"}
    graph = {name: import_edges(name, path, modules) for name, path in modules.items()}
    assert graph["pkg.b"] == {"pkg.a": 2}
    assert graph["pkg.c"] == {"pkg.b": 3}
    assert import_circles(graph) == [["pkg.a", "pkg.b"]]
