"""The warm kernel: modules stay loaded, but every chapter starts as in a fresh kernel."""


import nbformat
import papermill as pm
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis.build import kernels


@pytest.mark.unit
def test_template_modules_include_modules_named_in_from_imports(tmp_path):
    nb = new_notebook(cells=[
        new_code_cell("from analysis.report import common, pathway as chapter\nimport pandas as pd\nx = 1"),
        new_code_cell("from analysis.charts.render import (gallery,\n    enable)"),
    ])
    nbformat.write(nb, tmp_path / "t.ipynb")
    modules = kernels.template_modules(tmp_path)
    assert {"analysis.report", "analysis.report.common", "analysis.report.pathway", "pandas"} <= set(modules)


def run(template, target, cwd):
    pm.execute_notebook(
        str(template), str(target), kernel_name=kernels.KERNEL_NAME, progress_bar=False,
        km=kernels.warm_kernel(cwd), cwd=str(cwd),
    )
    return nbformat.read(target, as_version=4)


@pytest.mark.integration
def test_a_chapter_in_a_warm_kernel_sees_what_a_fresh_kernel_would(tmp_path, monkeypatch):
    monkeypatch.setattr(kernels, "template_modules", lambda: ["json"])
    first, second = tmp_path / "first.ipynb", tmp_path / "second.ipynb"
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    nbformat.write(
        new_notebook(
            cells=[new_code_cell("import sys\nleft_behind = 1\nsys.modules['json'].marker = 7"), new_code_cell("2")]
        ),
        first,
    )
    nbformat.write(
        new_notebook(
            cells=[
                new_code_cell(
                    "import os, sys\nsorted(k for k in globals() if not k.startswith('_') and k not in {'In', 'Out', "
                    "'get_ipython', 'exit', 'quit', 'open', 'os', 'sys'})"
                ),
                new_code_cell("os.path.basename(os.getcwd()), getattr(sys.modules['json'], 'marker', None)"),
            ]
        ),
        second,
    )
    try:
        out1 = run(first, tmp_path / "a" / "out1.ipynb", tmp_path / "a")
        pid = kernels._kernel.provisioner.pid if kernels._kernel.provisioner else None
        out2 = run(second, tmp_path / "b" / "out2.ipynb", tmp_path / "b")
        assert kernels._kernel.provisioner.pid == pid  # the same kernel ran both
    finally:
        kernels.discard()
    assert [c.execution_count for c in out1.cells] == [1, 2]
    assert [c.execution_count for c in out2.cells] == [1, 2]  # numbered as in a fresh kernel
    assert out2.cells[0].outputs[0]["data"]["text/plain"] == "[]"  # nothing left from the first notebook
    # Its own folder; modules (the warm part) stay loaded, with their state.
    assert out2.cells[1].outputs[0]["data"]["text/plain"] == "('b', 7)"
