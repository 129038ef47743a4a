"""Every public function of the report layer is named in a test.

Found by reading the source (ast), not by importing it: a public function is a top-level `def` whose
name does not start with an underscore, in any module under analysis/report. It counts as named when
some test file under tests/ imports its module (or the function itself) and uses the name in code; a
mention in a comment or a string does not count.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REPORT = ROOT / "analysis" / "report"
TESTS = ROOT / "tests"

pytestmark = pytest.mark.unit


def module_name(path: Path) -> str:
    """analysis/report/value/spend.py -> 'analysis.report.value.spend' (a package's __init__ -> the package)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def public_functions() -> list[tuple[str, str]]:
    """(module, function) for every public top-level function of the report layer."""
    out = []
    for path in sorted(REPORT.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
                out.append((module_name(path), node.name))
    return out


def imported_and_used(tree: ast.Module) -> tuple[set[str], set[tuple[str, str]], set[str]]:
    """A test file's imported modules, the (module, name) pairs it imports directly, and the names its code uses."""
    modules, direct, used = set(), set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                # `from analysis.report import common` names a module;
                # `from analysis.report.common import load` a function.
                modules.add(f"{node.module}.{alias.name}")
                direct.add((node.module, alias.name))
            modules.add(node.module)
        elif isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
    return modules, direct, used


def named_in_tests() -> set[tuple[str, str]]:
    """(module, function) pairs that some test imports and uses."""
    named = set()
    functions = public_functions()
    for path in TESTS.rglob("*.py"):
        modules, direct, used = imported_and_used(ast.parse(path.read_text(encoding="utf-8")))
        for module, name in functions:
            if (module, name) in direct or (module in modules and name in used):
                named.add((module, name))
    return named


def test_the_report_layer_is_found():
    functions = public_functions()
    assert len(functions) > 150
    assert ("analysis.report.wording", "percent_text") in functions
    assert ("analysis.report.value.spend", "spend_per_head") in functions
    assert all(not name.startswith("_") for _, name in functions)


def test_the_check_needs_an_import_and_a_use_in_code():
    code = (
        "from analysis.report import wording\n"
        "from analysis.report.common import load\n"
        "# wording.money_words is only a comment\n"
        "x = 'one_or_many'\n"
        "wording.percent_text(0.1)\n"
    )
    modules, direct, used = imported_and_used(ast.parse(code))
    assert "analysis.report.wording" in modules and ("analysis.report.common", "load") in direct
    assert "percent_text" in used and "money_words" not in used and "one_or_many" not in used


def test_every_public_report_function_is_named_in_a_test():
    missing = sorted(set(public_functions()) - named_in_tests())
    assert not missing, "named in no test under tests/: " + ", ".join(f"{m}.{n}" for m, n in missing)
