"""The package's shape: no import cycles between revclient's modules.

Built from the source with ``ast``: module-level imports only (imports under
``if TYPE_CHECKING:`` and inside functions do not run at import time, so they cannot form
a cycle).
"""

from __future__ import annotations

import ast
from pathlib import Path

import revclient

PACKAGE = Path(revclient.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, name: str, modules: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in tree.body:  # module level only
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node) if isinstance(node, (ast.If, ast.Try)) else [node]:
            if isinstance(sub, ast.ImportFrom):
                base = sub.module or ""
                if sub.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (sub.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                if base.startswith("revclient"):
                    # "from pkg import mod" imports the submodule; "from mod import name"
                    # needs mod itself.
                    names = {f"{base}.{a.name}" for a in sub.names}
                    found.update((names & modules) or {base})
            elif isinstance(sub, ast.Import):
                found.update(a.name for a in sub.names if a.name.startswith("revclient"))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        found = _imports(path, name, set(modules))
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles_below_the_package() -> None:
    graph = _graph()
    # The package __init__ re-exports everything; cycles through it are the ones the issue
    # was about (revclient <-> _client), so it stays in the graph.
    assert graph.get("revclient._client")
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_checker_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
