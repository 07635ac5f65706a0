"""The package's shape: dependencies point one way, and modules keep their private names.

The import graph is read from the source (every ``import`` statement, including those inside
functions and ``if TYPE_CHECKING:`` blocks), so a lazy import cannot hide a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "briefs"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("briefs.errors", "briefs.version", "briefs.resources", "briefs.limits"),
    ("briefs.fs", "briefs.cache", "briefs.source", "briefs.source_toml"),
    ("briefs.schema",),
    ("briefs.text",),
    ("briefs.charts",),
    ("briefs.check",),
    ("briefs.edition",),
    ("briefs.render",),
    ("briefs.pdf",),
    ("briefs.office",),
    ("briefs.pipeline",),
    ("briefs.lint",),
    ("briefs.serve",),
    ("briefs.cli",),
    ("briefs", "briefs.__main__"),
)
"""The layer order, lowest first: a module may import from its own layer and those below."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[tuple[str, ast.ImportFrom | ast.Import]]:
    """Each briefs module ``name`` imports (``from pkg import submodule`` → the submodule)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "briefs":
                    yield alias.name, node
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            if base.split(".")[0] != "briefs":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield (sub if sub in MODULES else base), node


def graph() -> dict[str, set[str]]:
    """Module → the briefs modules it imports."""
    return {
        name: {target for target, _ in _imports(name, path) if target != name}
        for name, path in MODULES.items()
    }


def layer_of(module: str) -> int:
    """The index in :data:`LAYERS` of the layer that holds ``module``."""
    best = -1, -1
    for index, layer in enumerate(LAYERS):
        for prefix in layer:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best[1]:
                best = index, len(prefix)
    if best[0] < 0:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS")
    return best[0]


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in ``edges``, as a path that ends where it starts, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_no_import_cycle() -> None:
    edges = graph()
    # A package's __init__ re-exporting its modules is not a dependency of those modules.
    assert (cycle := find_cycle(edges)) is None, "import cycle: " + " → ".join(cycle or [])


def test_dependencies_point_down_the_layers() -> None:
    upward = [
        f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})"
        for module, targets in graph().items()
        if module != "briefs"  # the public API sits on top and lazily imports from below
        for target in targets
        if layer_of(target) > layer_of(module)
    ]
    assert not upward, "\n".join(upward)


def test_every_module_is_in_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_no_private_name_crosses_a_module_boundary() -> None:
    crossing = sorted(
        {
            f"{name} imports {alias.name} from {node.module}"
            for name, path in MODULES.items()
            for _, node in _imports(name, path)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
            if alias.name.startswith("_") and not alias.name.startswith("__")
        }
    )
    assert not crossing, "\n".join(crossing)


@pytest.mark.parametrize("tests_dir", ["tests", "benchmarks"])
def test_tests_and_benchmarks_use_public_names(tests_dir: str) -> None:
    """Tests may reach into a module's privates only through the module object, on purpose."""
    crossing = []
    for path in sorted((ROOT / tests_dir).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("briefs"):
                crossing += [
                    f"{path.relative_to(ROOT)} imports {a.name} from {node.module}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
    assert not crossing, "\n".join(crossing)


def test_commands_never_import_the_group() -> None:
    for name, path in MODULES.items():
        if name.startswith("briefs.cli.") and name != "briefs.cli.main":
            targets = {target for target, _ in _imports(name, path)}
            assert "briefs.cli.main" not in targets, f"{name} imports the click group"


def test_the_layer_check_fails_on_an_upward_import() -> None:
    assert layer_of("briefs.schema.brief") < layer_of("briefs.pipeline.build")
    assert layer_of("briefs.cli.console") == layer_of("briefs.cli")


def test_architecture_doc_lists_every_module() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    missing = [
        name
        for name, path in MODULES.items()
        if path.name != "__init__.py" and f"`{path.relative_to(PACKAGE).as_posix()}`" not in doc
    ]
    assert not missing, f"docs/architecture.md does not describe: {', '.join(missing)}"
