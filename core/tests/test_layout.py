"""The project's layout as its tools see it: an app whose tests pytest does not collect is an
app whose tests never run in `make test` (reports, surveys, outreach and portal were missed
that way for a while)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _packages_with_tests() -> set[str]:
    return {path.parent.parent.name for path in ROOT.glob("*/tests/__init__.py")}


def test_every_package_with_tests_is_collected():
    testpaths = set(_pyproject()["tool"]["pytest"]["ini_options"]["testpaths"])
    assert _packages_with_tests() - testpaths == set()


def test_every_app_is_first_party_for_the_import_order():
    first_party = set(_pyproject()["tool"]["ruff"]["lint"]["isort"]["known-first-party"])
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps - first_party == set()
