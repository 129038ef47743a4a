"""The house rules as tests: notebooks stay thin, and the committed templates are what the script writes.

A notebook under book/ (template or executed chapter) may call the report layer and nothing more: no
function or class definitions, no loops (comprehensions included), no file reads. Logic belongs in
`analysis/`, where it is tested; a notebook that grows its own logic hides it from the tests.
"""

import ast
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[3]
BOOK = ROOT / "book"
TEMPLATES = BOOK / "templates"
NOTEBOOKS = sorted(BOOK.rglob("*.ipynb"))

DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# Calls that read a file whatever object they hang on (pd.read_csv, Path.read_text, np.loadtxt, ...).
READING_CALLS = {"open", "Path", "loadtxt", "genfromtxt", "fromfile", "read_text", "read_bytes", "safe_load"}
# Modules whose `load` reads a file; the report layer's own `common.load(params_file)` is the one allowed loader.
READING_MODULES = {"json", "yaml", "pickle", "np", "numpy", "pd", "pandas", "joblib", "tomllib"}
FILE_MODULES = {"io", "os", "pathlib", "shutil", "glob", "csv", "json", "pickle", "yaml", "tomllib"}


def _called_name(call: ast.Call) -> tuple[str | None, str | None]:
    """(owner, name) of a call: ('pd', 'read_csv') for pd.read_csv(...), (None, 'open') for open(...)."""
    func = call.func
    if isinstance(func, ast.Name):
        return None, func.id
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        return owner, func.attr
    return None, None


def rule_breaks(source: str) -> list[str]:
    """What a code cell's source does that a notebook must not, one phrase each (empty when it is thin)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as error:  # IPython magics and shell escapes are logic outside Python too
        return [f"is not plain Python ({error.msg}, line {error.lineno})"]
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, DEFINITIONS):
            found.append(f"defines a {type(node).__name__} (line {line})")
        elif isinstance(node, LOOPS):
            found.append(f"loops with a {type(node).__name__} (line {line})")
        elif isinstance(node, ast.Call):
            owner, name = _called_name(node)
            if name is None:
                continue
            if name in READING_CALLS or name.startswith("read_") or (name == "load" and owner in READING_MODULES):
                found.append(f"reads a file with {owner + '.' if owner else ''}{name}() (line {line})")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            for module in modules:
                if module.split(".")[0] in FILE_MODULES:
                    found.append(f"imports {module}, a file or path module (line {line})")
    return found


def notebook_breaks(path: Path) -> list[str]:
    """Every rule break in a notebook's code cells, each naming the file and the cell."""
    nb = nbformat.read(path, as_version=4)
    out = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            out += [
                f"{path.relative_to(ROOT)} cell {index} ({cell.get('id', '?')}): {b}" for b in rule_breaks(cell.source)
            ]
    return out


@pytest.mark.unit
def test_the_check_finds_each_kind_of_break():
    assert rule_breaks("x = chapter.kpis(book)\nchapter.chart(book, 'a')") == []
    assert rule_breaks("def f():\n    return 1") == ["defines a FunctionDef (line 1)"]
    assert rule_breaks("class A:\n    pass") == ["defines a ClassDef (line 1)"]
    assert rule_breaks("f = lambda x: x") == ["defines a Lambda (line 1)"]
    assert rule_breaks("for x in y:\n    show(x)") == ["loops with a For (line 1)"]
    assert rule_breaks("while True:\n    break") == ["loops with a While (line 1)"]
    assert rule_breaks("[show(x) for x in y]") == ["loops with a ListComp (line 1)"]
    assert rule_breaks("data = pd.read_csv('a.csv')") == ["reads a file with pd.read_csv() (line 1)"]
    assert rule_breaks("text = open('a.txt').read()") == ["reads a file with open() (line 1)"]
    assert rule_breaks("x = json.load(handle)") == ["reads a file with json.load() (line 1)"]
    assert rule_breaks("import pathlib") == ["imports pathlib, a file or path module (line 1)"]
    assert rule_breaks("from os import path") == ["imports os, a file or path module (line 1)"]
    assert rule_breaks("%matplotlib inline")[0].startswith("is not plain Python")
    # The report layer's own loader is the one sanctioned way to read an edition.
    assert rule_breaks("book = common.load(params_file)") == []


@pytest.mark.unit
def test_there_are_notebooks_to_check():
    assert len(list(TEMPLATES.glob("*.ipynb"))) >= 10
    assert any(p.parent != TEMPLATES for p in NOTEBOOKS), "no executed chapter found under book/"


@pytest.mark.unit
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[str(p.relative_to(BOOK)) for p in NOTEBOOKS])
def test_notebooks_define_loop_and_read_nothing(path):
    assert notebook_breaks(path) == []


@pytest.mark.unit
def test_committed_templates_are_what_the_script_writes(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_templates.py"), str(tmp_path)], check=True, cwd=ROOT)
    written = sorted(p.name for p in tmp_path.glob("*.ipynb"))
    committed = sorted(p.name for p in TEMPLATES.glob("*.ipynb"))
    assert committed == written, "book/templates holds templates the script does not write, or misses some"
    for name in written:
        fresh = (tmp_path / name).read_text(encoding="utf-8")
        assert (TEMPLATES / name).read_text(encoding="utf-8") == fresh, (
            f"book/templates/{name} differs from what tools/make_templates.py writes: edit the script's cell "
            "lists and rerun it instead of editing the template by hand"
        )
