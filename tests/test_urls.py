"""URLs by name: the app's code and templates never write a path out, so a URL can move
by changing its pattern alone (STYLE.md, "What the first release taught")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("assessments", "frameworks", "hsassess")


def _app_modules() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    )


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings (prose may name a path)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def path_strings(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string in this Python source that names an assessment path,
    f-strings' literal parts included; docstrings are prose and may."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and "/assessments" in node.value
    ]


def test_the_check_finds_a_path_in_an_f_string_and_not_in_a_docstring():
    source = (
        '"""Serves the /assessments/ pages."""\n'
        "def f(pk):\n"
        '    """Goes to /assessments/<id>/."""\n'
        '    return f"/assessments/{pk}/edit/"\n'
    )
    assert path_strings(source) == [(4, "/assessments/")]


def test_the_modules_are_found():
    modules = {str(p.relative_to(ROOT)) for p in _app_modules()}
    assert "assessments/content/views.py" in modules
    assert "assessments/demo/seed.py" in modules
    assert len(modules) > 40


@pytest.mark.parametrize("module", _app_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_app_module_writes_out_an_assessment_path(module):
    assert path_strings(module.read_text(encoding="utf-8")) == []


LITERAL_URL = re.compile(r"""(?:href|action|src|formaction)=["']/(?!/)""")


def _app_templates() -> list[Path]:
    return sorted(path for base in (*APPS, "templates") for path in (ROOT / base).rglob("*.html"))


def test_no_template_writes_out_a_path():
    templates = _app_templates()
    assert len(templates) > 30
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}"
        for path in templates
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if LITERAL_URL.search(line)
    ]
    assert found == []


def test_every_assessment_url_names_its_own_view():
    """No view picks its behaviour from arguments in the URL config (`{"kind": ...}`):
    each URL's view is named for what it does."""
    from assessments.urls import urlpatterns

    assert [(p.name, p.default_args) for p in urlpatterns if p.default_args] == []
    assert not [p.name for p in urlpatterns if "kind" in p.pattern.converters]
