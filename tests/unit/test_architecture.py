"""The shape of `worker/`, read from its source with `ast` (nothing is imported):
no import circles, no private names imported across modules, names imported from the module
that defines them, no lower layer importing a higher one (per the table in
docs/architecture.md, the single source of truth), no module over 400 lines.

Imports inside functions and under ``if TYPE_CHECKING:`` count like any other. The detectors
take a source root and a package name, so the self-tests at the end run them on a fake package.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "worker"
ARCHITECTURE_DOC = ROOT / "docs" / "architecture.md"
MAX_LINES = 400


@dataclass(frozen=True)
class Edge:
    """``source`` imports ``target`` (a module of the package) at ``where``."""

    source: str
    target: str
    where: str  # "path:line: statement", for messages
    implied: bool = False  # a parent package's __init__, run before the named module


@dataclass(repr=False)  # a short repr keeps failure tracebacks readable
class Tree:
    package: str
    modules: dict[str, Path] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    private: list[str] = field(default_factory=list)
    # (where, module, name): a `from module import name` of a package module
    from_imports: list[tuple[str, str, str]] = field(default_factory=list)
    defined: dict[str, set[str]] = field(default_factory=dict)
    # module -> local name -> the package module it was imported from
    imported: dict[str, dict[str, str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Tree({self.package!r}, {len(self.modules)} modules)"


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def module_names(src: Path, package: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def resolve(module: str, is_pkg: bool, level: int, name: str | None) -> str:
    """The absolute module an import statement in ``module`` names."""
    if level == 0:
        return name or ""
    base = module.split(".") if is_pkg else module.split(".")[:-1]
    if level - 1 > len(base) - 1:
        raise ValueError(f"relative import beyond the top package in {module}")
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def top_level_names(tree: ast.Module) -> set[str]:
    """Names a module defines itself (not by import), looking into if/try/with blocks."""
    names: set[str] = set()

    def targets(node: ast.AST) -> Iterator[str]:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                yield sub.id

    def visit(body: Iterable[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(stmt.name)
            elif isinstance(stmt, ast.Assign):
                for t in stmt.targets:
                    names.update(targets(t))
            elif isinstance(stmt, ast.AnnAssign | ast.AugAssign | ast.For | ast.AsyncFor):
                names.update(targets(stmt.target))
            elif isinstance(stmt, ast.With | ast.AsyncWith):
                for item in stmt.items:
                    if item.optional_vars is not None:
                        names.update(targets(item.optional_vars))
            for block in ("body", "orelse", "finalbody"):
                if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    visit(getattr(stmt, block, ()))
            for handler in getattr(stmt, "handlers", ()):
                visit(handler.body)

    visit(tree.body)
    return names


def scan(src: Path, package: str) -> Tree:
    tree = Tree(package)
    tree.modules = module_names(src, package)
    for module, path in tree.modules.items():
        text = path.read_text(encoding="utf-8")
        tree.lines[module] = len(text.splitlines())
        parsed = ast.parse(text, filename=str(path))
        tree.defined[module] = top_level_names(parsed)
        scan_module(tree, module, path, parsed, src)
    return tree


def scan_module(tree: Tree, module: str, path: Path, parsed: ast.Module, src: Path) -> None:
    rel = path.relative_to(src)
    is_pkg = path.name == "__init__.py"
    package = tree.package
    bound_modules: set[str] = set()  # local names bound to imported modules
    imported = tree.imported.setdefault(module, {})

    def add(target: str, where: str) -> None:
        if target == package:
            tree.edges.append(Edge(module, target, where))
            return
        if target not in tree.modules:
            return
        # Importing a.b.c runs a.b's __init__ first (the bare root is implied by everything).
        parts = target.split(".")
        for i in range(2, len(parts)):
            parent = ".".join(parts[:i])
            if not (module == parent or module.startswith(parent + ".")):
                tree.edges.append(Edge(module, parent, where, implied=True))
        tree.edges.append(Edge(module, target, where))

    for node in ast.walk(parsed):
        if isinstance(node, ast.Import):
            for alias in node.names:
                where = f"{rel}:{node.lineno}: import {alias.name}"
                if any(is_private(p) for p in alias.name.split(".")):
                    tree.private.append(where)
                bound_modules.add(alias.asname or alias.name.split(".")[0])
                if alias.name == package or alias.name.startswith(package + "."):
                    add(alias.name, where)
        elif isinstance(node, ast.ImportFrom):
            target = resolve(module, is_pkg, node.level, node.module)
            dots = "." * node.level
            for alias in node.names:
                where = f"{rel}:{node.lineno}: from {dots}{node.module or ''} import {alias.name}"
                if is_private(alias.name) or any(is_private(p) for p in target.split(".")):
                    tree.private.append(where)
                if not (target == package or target.startswith(package + ".")):
                    continue
                sub = f"{target}.{alias.name}"
                if sub in tree.modules:
                    add(sub, where)
                    bound_modules.add(alias.asname or alias.name)
                else:
                    add(target, where)
                    if target != package and target in tree.modules and alias.name != "*":
                        tree.from_imports.append((where, target, alias.name))
                        imported[alias.asname or alias.name] = target
    # `mod._name` where `mod` is an imported module: the same as importing `_name`.
    for node in ast.walk(parsed):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            root: ast.expr = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in bound_modules:
                tree.private.append(f"{rel}:{node.lineno}: uses {ast.unparse(node)}")


# --- detectors ------------------------------------------------------------------------------
def cycles(edges: Iterable[Edge], package: str) -> list[list[str]]:
    """Each strongly connected group of two or more modules (or a self-import), sorted."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        if e.target != package:
            graph.setdefault(e.source, set()).add(e.target)
            graph.setdefault(e.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:  # Tarjan's algorithm; the graph is small, recursion is fine
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group: list[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in graph[v]:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sorted(groups)


def describe_cycles(groups: list[list[str]], edges: Iterable[Edge]) -> str:
    edges = list(edges)
    out = []
    for group in groups:
        members = set(group)
        # one line per statement: "path:line: from m import a, b"
        statements: dict[str, list[str]] = {}
        for e in edges:
            if e.source in members and e.target in members:
                head, _, name = e.where.partition(" import ")
                names = statements.setdefault(head, [])
                if name not in names:
                    names.append(name)
        lines = [f"    {head} import {', '.join(names)}"
                 for head, names in sorted(statements.items())]
        out.append(" <-> ".join(group) + "\n" + "\n".join(lines))
    return "\n".join(out)


def misplaced_imports(tree: Tree) -> list[str]:
    """`from M import n` where M does not define n itself (it only imports it)."""
    found = []
    for where, mod, name in tree.from_imports:
        if name in tree.defined[mod] or "__getattr__" in tree.defined[mod]:
            continue
        origin = tree.imported[mod].get(name)
        found.append(f"{where}  ({mod} only imports {name}"
                     + (f" from {origin})" if origin else "; it does not define it)"))
    return sorted(found)


@dataclass(frozen=True)
class Layers:
    order: list[str]  # packages as listed, lowest first
    allowed: dict[str, set[str]]
    # rows that name their modules, e.g. "`worker` (`__init__`, `__main__`)", own only those
    only: dict[str, set[str]] = field(default_factory=dict)

    def owner(self, module: str) -> str | None:
        best = None
        for pkg in self.order:
            if pkg in self.only:
                if module in self.only[pkg]:
                    return pkg
            elif (module == pkg or module.startswith(pkg + ".")) and (
                    best is None or len(pkg) > len(best)):
                best = pkg
        return best


def parse_layers(markdown: str, package: str) -> Layers:
    """The "package | owns | may import" table; names in it are relative to ``package``."""
    rows: list[list[str]] = []
    in_table = False
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.strip().startswith("|"):
            if in_table:
                break
            continue
        low = [c.lower() for c in cells]
        if not in_table:
            in_table = "package" in low and "may import" in low
            header = low
            continue
        if set(line.replace("|", "").strip()) <= set("-: "):
            continue
        rows.append(cells)
    if not rows:
        raise ValueError("no `| package | ... | may import |` table found")
    pkg_col, may_col = header.index("package"), header.index("may import")

    def full(name: str) -> str:
        name = name.strip().strip("`").strip()
        return name if name == package or name.startswith(package + ".") else f"{package}.{name}"

    order: list[str] = []
    allowed: dict[str, set[str]] = {}
    only: dict[str, set[str]] = {}
    for cells in rows:
        named = re.findall(r"`([^`]+)`", cells[pkg_col]) or [cells[pkg_col]]
        pkg = full(named[0])
        if len(named) > 1:
            only[pkg] = {pkg if n == "__init__" else f"{pkg}.{n}" for n in named[1:]}
        spec = cells[may_col].strip().rstrip(".")
        above = set(order)
        got: set[str] = set()
        for part in (p.strip() for p in spec.split(",")):
            if part in ("", "—", "-", "nothing"):
                continue
            if part == "anything":
                got |= {"*"}
            elif part.startswith("everything above"):
                rest = part.removeprefix("everything above").strip()
                got |= above
                if rest.startswith("except"):
                    got -= {full(n) for n in rest.removeprefix("except").split(" and ") if n}
                elif rest:
                    raise ValueError(f"cannot read {part!r} for {pkg}")
            elif re.fullmatch(r"`?[\w.]+`?", part):
                got.add(full(part))
            else:
                raise ValueError(f"cannot read {part!r} for {pkg}")
        order.append(pkg)
        allowed[pkg] = got
    return Layers(order, allowed, only)


def unlisted(tree: Tree, layers: Layers) -> list[str]:
    return sorted(m for m in tree.modules if layers.owner(m) is None)


def layer_violations(tree: Tree, layers: Layers) -> list[str]:
    bad = set()
    for e in tree.edges:
        if e.implied:  # the direct edge to the named module says the same, more precisely
            continue
        src, dst = layers.owner(e.source), layers.owner(e.target)
        if src is None or dst is None or src == dst:
            continue
        ok = layers.allowed[src]
        if "*" not in ok and dst not in ok:
            bad.add(f"{e.where}  ({src} may not import {dst})")
    return sorted(bad)


def long_modules(tree: Tree, limit: int = MAX_LINES) -> list[str]:
    return [f"{m}: {n} lines"
            for m, n in sorted(tree.lines.items(), key=lambda kv: -kv[1]) if n > limit]


# --- the checks on worker/ -------------------------------------------------------------------
@pytest.fixture(scope="module")
def tree() -> Tree:
    return scan(ROOT, PACKAGE)


@pytest.fixture(scope="module")
def layers() -> Layers:
    return parse_layers(ARCHITECTURE_DOC.read_text(encoding="utf-8"), PACKAGE)


def report(title: str, offenders: list[str]) -> None:
    if offenders:
        pytest.fail(f"{title}:\n  " + "\n  ".join(offenders), pytrace=False)


def test_no_import_circles(tree: Tree) -> None:
    found = cycles(tree.edges, PACKAGE)
    if found:
        pytest.fail("import circles (imports in functions and under TYPE_CHECKING count):\n"
                    + describe_cycles(found, tree.edges), pytrace=False)


def test_no_private_names_imported_across_modules(tree: Tree) -> None:
    report("private names imported from another module (make them public with a good name, "
           "or keep them in one module)", sorted(tree.private))


def test_names_are_imported_from_the_module_that_defines_them(tree: Tree) -> None:
    report("imports through a re-exporting module (import from the owning module)",
           misplaced_imports(tree))


def test_every_package_is_in_the_layer_table(tree: Tree, layers: Layers) -> None:
    report(f"modules whose package has no row in the layer table of {ARCHITECTURE_DOC.name}",
           unlisted(tree, layers))


def test_no_lower_layer_imports_a_higher_one(tree: Tree, layers: Layers) -> None:
    report(f"imports the layer table of {ARCHITECTURE_DOC.name} forbids",
           layer_violations(tree, layers))


def test_no_module_over_the_line_limit(tree: Tree) -> None:
    report(f"modules over {MAX_LINES} lines", long_modules(tree))


# --- self-tests: the detectors can fail, and pass ---------------------------------------------
FAKE_TABLE = """
| package | owns | may import |
|---|---|---|
| `fake.low` | the bottom | — |
| `fake.mid` | the middle | low |
| `fake.top` | the top | everything above except mid |
| `fake` (`__init__`) | public API | anything |
"""


def make_fake(tmp_path: Path, files: dict[str, str]) -> Tree:
    for rel, text in {"fake/__init__.py": "", **files}.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return scan(tmp_path, "fake")


GOOD = {
    "fake/low/__init__.py": "",
    "fake/low/base.py": "VALUE = 1\n\ndef helper() -> int:\n    return VALUE\n",
    "fake/mid/__init__.py": "",
    "fake/mid/use.py": "from fake.low.base import VALUE, helper\n",
    "fake/top/__init__.py": "",
    "fake/top/app.py": ("from typing import TYPE_CHECKING\nfrom ..low import base\n"
                        "if TYPE_CHECKING:\n    from fake.low.base import helper\n"),
}


def test_detectors_pass_a_clean_package(tmp_path: Path) -> None:
    tree = make_fake(tmp_path, GOOD)
    layers = parse_layers(FAKE_TABLE, "fake")
    assert layers.allowed["fake.top"] == {"fake.low"}
    assert cycles(tree.edges, "fake") == []
    assert tree.private == [] and misplaced_imports(tree) == []
    assert unlisted(tree, layers) == [] and layer_violations(tree, layers) == []
    assert long_modules(tree) == []
    assert Edge("fake.top.app", "fake.low.base", "fake/top/app.py:2: from ..low import base") \
        in tree.edges


def test_detectors_catch_a_bad_package(tmp_path: Path) -> None:
    bad = {
        **GOOD,
        # a circle through a function-level import and a TYPE_CHECKING one
        "fake/low/base.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                             "    from fake.low.other import X\n_SECRET = 1\nVALUE = 2\n"),
        "fake/low/other.py": "def f() -> None:\n    from . import base\nX = 1\n",
        # private names: from a package module, from a third-party one, through an attribute
        "fake/mid/use.py": ("import feedparser.datetimes\nfrom fake.low.base import _SECRET\n"
                            "from feedparser.datetimes import _parse_date\n"
                            "y = feedparser.datetimes._parse_date\n"),
        # a re-export: X is defined in fake.low.other, imported here through fake.low.base
        "fake/top/app.py": "from fake.low.base import X\nfrom fake.mid import use\n",
        "fake/low/up.py": "import fake.top.app\n" + "x = 1\n" * 400,
        "fake/extra.py": "",
    }
    tree = make_fake(tmp_path, bad)
    layers = parse_layers(FAKE_TABLE, "fake")
    assert cycles(tree.edges, "fake") == [["fake.low.base", "fake.low.other"]]
    assert sorted(tree.private) == [
        "fake/mid/use.py:2: from fake.low.base import _SECRET",
        "fake/mid/use.py:3: from feedparser.datetimes import _parse_date",
        "fake/mid/use.py:4: uses feedparser.datetimes._parse_date",
    ]
    assert misplaced_imports(tree) == [
        "fake/top/app.py:1: from fake.low.base import X  (fake.low.base only imports X from "
        "fake.low.other)"]
    assert unlisted(tree, layers) == ["fake.extra"]
    assert layer_violations(tree, layers) == [
        "fake/low/up.py:1: import fake.top.app  (fake.low may not import fake.top)",
        "fake/top/app.py:2: from fake.mid import use  (fake.top may not import fake.mid)",
    ]
    assert long_modules(tree) == ["fake.low.up: 401 lines"]


def test_layer_table_parsing_rejects_what_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="no `"):
        parse_layers("no table here", "fake")
    with pytest.raises(ValueError, match="cannot read"):
        parse_layers(FAKE_TABLE.replace("low |\n", "most of low |\n"), "fake")
