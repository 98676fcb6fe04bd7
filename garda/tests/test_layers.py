"""Dependencies point one way (docs/architecture.md, "Dependencies").

Every module of the `garda` package (tests and migrations aside) may import from its
own layer and the layers below it, never from one above. Imports inside functions
count; imports under `if TYPE_CHECKING:` (annotations only) do not.

Pure file reading: no database, no Django.
"""

import ast
from pathlib import Path

GARDA = Path(__file__).resolve().parents[1]
ROOT = GARDA.parent

# The order, lowest first. "core" is the project's own helpers (garda/<module>.py),
# "project" what mounts everything (URLs, the API, settings, commands).
LAYERS = [
    "core",
    "places",
    "audit",
    "accounts",
    "people",
    "documents",
    "destinations",
    "accompaniment",
    "training",
    "jobs",
    "cases",
    "privacy",
    "compliance",
    "referrals",
    "abroad",
    "interceptions",
    "family",
    "reintegration",
    "outreach",
    "reports",
    "project",
]
CORE = {
    "__init__",
    "apiutils",
    "apps",
    "checks",
    "crypto",
    "dbutils",
    "errors",
    "fields",
    "links",
    "formats",
    "logging",
    "middleware",
    "models",
    "pagination",
    "pagecache",
    "templatetags",
    "throttles",
    "refdata",
    "uploads",
    "viewutils",
}
PROJECT = {
    "__main__",
    "api",
    "context_processors",
    "home",
    "management",
    "nav",
    "settings",
    "settings_test",
    "urls",
    "views",
    "wsgi",
}
SKIP_DIRS = {"tests", "migrations"}


def _layer(module: str) -> str | None:
    """The layer of a dotted module name inside garda; None outside it."""
    parts = module.split(".")
    if parts[0] != "garda":
        return None
    if len(parts) == 1:
        return "core"
    name = parts[1]
    if name in LAYERS:
        return name
    if name in CORE:
        return "core"
    if name in PROJECT:
        return "project"
    return "unknown"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, is_package: bool):
    """(line, imported module) for every import, TYPE_CHECKING blocks left out."""
    package = module if is_package else module.rpartition(".")[0]
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from garda import checks` names a module; `from garda.x import y` is x's.
            if base == "garda":
                for alias in node.names:
                    yield node.lineno, f"garda.{alias.name}"
            else:
                yield node.lineno, base
        stack.extend(ast.iter_child_nodes(node))


def _modules():
    for path in sorted(GARDA.rglob("*.py")):
        if SKIP_DIRS & set(path.relative_to(GARDA).parts):
            continue
        yield path


def test_every_module_has_a_layer():
    unknown = sorted(
        str(path.relative_to(ROOT))
        for path in _modules()
        if _layer(_module_name(path)) == "unknown"
    )
    assert not unknown, f"Put these in a layer (LAYERS, CORE or PROJECT): {unknown}"


def test_every_app_is_in_the_order():
    apps = {path.parent.name for path in GARDA.glob("*/apps.py")}
    assert apps <= set(LAYERS), f"Apps missing from LAYERS: {sorted(apps - set(LAYERS))}"


def test_no_import_points_up_the_order():
    upward = []
    for path in _modules():
        module = _module_name(path)
        own = _layer(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, imported in _imports(tree, module, path.name == "__init__.py"):
            theirs = _layer(imported)
            if theirs in (None, "unknown") or own == "unknown":
                continue
            if LAYERS.index(theirs) > LAYERS.index(own):
                upward.append(
                    f"{path.relative_to(ROOT)}:{line} imports {imported} ({own} is below {theirs})"
                )
    assert not upward, "Imports pointing up the layers:\n" + "\n".join(upward)


def test_the_order_is_documented():
    text = " ".join((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").split())
    apps = " → ".join(f"`{layer}`" for layer in LAYERS[1:-1])
    assert apps in text, f"docs/architecture.md must give the order: {apps}"
