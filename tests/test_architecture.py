"""The shape of the code base that docs/ARCHITECTURE.md describes (the import contracts
themselves run in `make lint` through import-linter)."""

import ast
import importlib
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.forms import BaseForm

from portal.forms import GuardedFieldsMixin

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


def _project_classes(base: type) -> list[type]:
    """Every subclass of `base` defined in the project (after importing its URLs, which register
    the path converters, and every module of its apps but management commands)."""
    importlib.import_module("config.urls")
    for path in _modules():
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        if name.split(".")[0] != "config" and "management" not in name.split("."):
            importlib.import_module(name)
    found, todo = [], [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in PACKAGES:
                found.append(sub)
    return found


def test_every_form_checks_text_and_dates():
    """Every form of the portal refuses control characters, line breaks in single-line fields and
    dates outside the portal's range (portal.forms.GuardedFieldsMixin, through PortalForm or
    PortalModelForm); so do the admin's forms for the portal's models (but the user forms)."""
    forms = _project_classes(BaseForm)
    assert len(forms) > 30
    assert [f"{f.__module__}.{f.__qualname__}" for f in forms if not issubclass(f, GuardedFieldsMixin)] == []
    unguarded = [
        f"{owner.__module__}.{owner.__qualname__}"
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PACKAGES and not isinstance(model_admin, DjangoUserAdmin)
        for owner in [type(model_admin), *model_admin.inlines]
        if not issubclass(owner.form, GuardedFieldsMixin)
    ]
    assert unguarded == []
