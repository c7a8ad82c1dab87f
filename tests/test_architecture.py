"""The domain stays pure: no web, database, form, translation or plotting library."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parent.parent / "app" / "domain"
FORBIDDEN = ("flask", "sqlalchemy", "wtforms", "flask_wtf", "babel", "flask_babel", "plotly")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(DOMAIN.rglob("*.py")), ids=lambda p: p.name)
def test_domain_imports_nothing_impure(path):
    for name in imported_modules(path):
        top = name.split(".")[0]
        assert top not in FORBIDDEN, f"{path.name} imports {name}"
        if top == "app":
            assert name.startswith("app.domain"), f"{path.name} imports {name}"


def test_the_walk_sees_the_domain():
    assert len(list(DOMAIN.rglob("*.py"))) >= 5
