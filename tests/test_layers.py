"""The package's layers stay visible: imports point down, no cycle, no private name shared.

docs/architecture.md draws the layers. These tests read every module's imports with ``ast`` (no
import is executed), so a cycle or an upward import fails here before it confuses a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "selector"

# Lowest first. A module may import from its own layer and the layers below it.
LAYERS = (
    ("selector._version", "selector.errors", "selector.status", "selector.fields", "selector.atomic",
     "selector.i18n", "selector.events"),
    ("selector.data",),
    ("selector.model",),
    ("selector.solvers",),
    ("selector.analysis",),
    ("selector.plan",),
    ("selector.solve", "selector.check"),
    ("selector.workflows",),
    ("selector.outputs",),
    ("selector.cli",),
)
# Lazy imports inside these methods are the sanctioned way up: an object shows itself through the
# display layer (in a notebook, or as text) without the lower layer importing it at load time.
LAZY_ALLOWED = {"_repr_html_", "to_text"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int | None:
    for rank, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    return None  # the package root and __main__: they import everything, nothing imports them


def selector_imports(tree: ast.AST, module: str):
    """(imported module, names, node) for every import of selector inside ``tree``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                raise AssertionError(f"{module}: relative import at line {node.lineno}; write it absolute")
            if node.module and node.module.split(".")[0] == "selector":
                yield node.module, [a.name for a in node.names], node
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "selector":
                    yield alias.name, [], node


def top_level_graph() -> dict[str, set[str]]:
    """Module -> the selector modules it imports at load time (TYPE_CHECKING blocks excluded)."""
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_functions = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                        for n in ast.walk(f)}
        deps = set()
        for node in tree.body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            for target, names, imp in selector_imports(node, name):
                if id(imp) in in_functions:  # runs when called, not when the module loads
                    continue
                submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
                deps.update(submodules or [target])
        graph[name] = {d for d in deps if d in MODULES and d != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None: depth-first search."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                return stack[stack.index(dep):] + [dep]
            if dep not in state and (found := visit(dep)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_finder_sees_a_cycle_when_there_is_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle():
    cycle = find_cycle(top_level_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_every_module_belongs_to_a_layer():
    stray = [m for m in MODULES if layer(m) is None and m not in ("selector", "selector.__main__")]
    assert stray == [], f"add these modules to a layer (tests/test_layers.py and docs/architecture.md): {stray}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    """At load time a module imports only from its own layer or below; lazy imports only in display methods."""
    rank = layer(module)
    if rank is None:
        return
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    lazy_ok = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name in LAZY_ALLOWED
               for n in ast.walk(f)}
    type_only = {id(n) for block in tree.body if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
                 for n in ast.walk(block)}
    upward = []
    for target, _, node in selector_imports(tree, module):
        target_rank = layer(target)
        if target_rank is not None and target_rank > rank and id(node) not in lazy_ok | type_only:
            upward.append(f"line {node.lineno}: {target}")
    assert upward == [], f"{module} imports from a layer above it: {upward}"
    inside = [node.lineno for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
              and f.name not in LAZY_ALLOWED for node in ast.walk(f)
              if isinstance(node, (ast.Import, ast.ImportFrom)) and any(True for _ in selector_imports(node, module))]
    assert inside == [], f"{module}: selector imported inside a function at lines {inside}; import it at the top"


def test_check_shares_no_code_with_the_model():
    """selector check is the independent verifier: it may read data/, never the model or the solvers."""
    tree = ast.parse(MODULES["selector.check"].read_text(encoding="utf-8"))
    used = {target for target, _, _ in selector_imports(tree, "selector.check")}
    assert all(layer(t) is not None and layer(t) <= layer("selector.data") for t in used), used


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_imported_from_another_module(module):
    # `_` is gettext's public name for "translate this" (selector.i18n._), not a private one.
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    private = [f"{target}.{name} (line {node.lineno})" for target, names, node in selector_imports(tree, module)
               for name in names if name.startswith("_") and not name.startswith("__") and name != "_"]
    assert private == [], f"{module} imports private names: {private}; make them public or keep them in one module"


STATUS_WORDS = {"optimal", "feasible", "infeasible", "no_solution", "checked"}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "selector.status"))
def test_one_status_vocabulary(module):
    """A solve's status is ``selector.status.Status`` everywhere: no module spells a status as a literal string."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    literal = sorted({node.lineno for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and node.value in STATUS_WORDS})
    assert literal == [], f"{module} spells a status as a string at lines {literal}; use Status"
