"""The shape of the code base that docs/ARCHITECTURE.md describes (the import contracts
themselves run in `make lint` through import-linter)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "overview", "plans", "calendar_app", "network", "portal")


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _imports_inside_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        # AppConfig.ready() is where Django wants signal handlers connected: allowed there.
        if node.name == "ready" and path.name == "apps.py":
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.ImportFrom) and sub.level == 0 and sub.module:
                names = [sub.module]
            elif isinstance(sub, ast.ImportFrom):
                names = ["."]  # relative: always the project's own
            elif isinstance(sub, ast.Import):
                names = [alias.name for alias in sub.names]
            else:
                continue
            found += [
                f"{path.relative_to(ROOT)}:{sub.lineno} {n}"
                for n in names
                if n.split(".")[0] in PACKAGES + (".",)
            ]
    return found


def test_no_project_import_inside_a_function():
    """An import hidden in a function dodges a cycle instead of removing it."""
    hidden = [hit for path in _modules() for hit in _imports_inside_functions(path)]
    assert hidden == []


def test_the_check_finds_a_hidden_import(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("def f():\n    from plans import services\n    import json\n")
    hits = [hit for hit in _imports_inside_functions_at(module)]
    assert len(hits) == 1 and hits[0].endswith(" plans")


def _imports_inside_functions_at(path: Path) -> list[str]:
    global ROOT
    saved, ROOT = ROOT, path.parent
    try:
        return _imports_inside_functions(path)
    finally:
        ROOT = saved


@pytest.mark.parametrize("package", ["portal"])
def test_the_core_imports_no_feature_app(package):
    """The core (portal) is what every app builds on: it never imports one of them."""
    features = ("overview", "plans", "calendar_app", "network", "config")
    offending = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module.split(".")[0] in features:
                    offending.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.module}")
            elif isinstance(node, ast.Import):
                offending += [
                    f"{path.relative_to(ROOT)}:{node.lineno} {a.name}"
                    for a in node.names
                    if a.name.split(".")[0] in features
                ]
    assert offending == []


def test_only_portal_emails_sends_e_mail():
    """One path for e-mail (`portal.emails.send_after_commit`): nothing else imports Django's
    mail API, so no e-mail is sent inside a request where a failing mail server could turn a
    committed change into an error page."""
    offending = []
    for path in _modules():
        if path == ROOT / "portal" / "emails.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            if any(n.startswith("django.core.mail") for n in names):
                offending.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offending == []
