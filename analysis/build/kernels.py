"""A warm kernel per worker: imports and the catalog load once per worker, not once per chapter.

Starting a kernel, importing the analysis package (pandas, Altair, statsmodels ...) and loading the
catalog cost a few seconds, paid by every chapter in a fresh kernel. Each worker instead keeps one
kernel: started once, given the modules the templates import, and reset before every chapter so
that the chapter sees an empty namespace, prompt numbers from 1 and its own working folder, exactly
as in a fresh kernel. What stays is what makes the start warm: imported modules and the catalog
cached by `analysis.catalog.load` (keyed on the parameter file, read once per build).

A chapter's result must not depend on which chapters ran before it in the same kernel: nbval runs
every committed chapter in a fresh kernel and compares every output, so any order dependence
fails `make test`. After a failed chapter the kernel is replaced, so a broken state never leaks.
"""

from __future__ import annotations

import json
import multiprocessing.util
import re
from pathlib import Path

from jupyter_client.manager import KernelManager

from analysis.paths import TEMPLATES

KERNEL_NAME = "python3"
FROM_IMPORT = re.compile(r"^\s*from\s+([\w.]+)\s+import\s+\(?([\w\s,]+?)\)?\s*$", re.MULTILINE)
PLAIN_IMPORT = re.compile(r"^\s*import\s+([\w.]+)", re.MULTILINE)
RESET = (
    "get_ipython().reset(new_session=True)\n"  # empty namespace and history, prompt numbers from 1
    "import os as _os; _os.chdir({cwd!r}); del _os\n"
)

WARM_UP = (
    "import importlib\n"
    "for _m in {modules!r}:\n"
    "    try:\n"
    "        importlib.import_module(_m)\n"
    "    except ImportError:\n"
    "        pass\n"
)

_kernel: KernelManager | None = None


def template_modules(folder: Path = TEMPLATES) -> list[str]:
    """Every module the chapter templates may import (read from their code cells), sorted.

    `from x import a, b as c` gives x, x.a and x.b: a and b may be modules or names; the warm-up
    imports what exists and skips the rest (the chapter itself reports a real import error).
    """
    found = set()
    for template in sorted(folder.glob("*.ipynb")):
        nb = json.loads(template.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell.get("source", []))
            found.update(PLAIN_IMPORT.findall(source))
            for module, names in FROM_IMPORT.findall(source):
                found.add(module)
                found.update(f"{module}.{n.split()[0]}" for n in names.split(",") if n.strip())
    return sorted(found)


def _run(km: KernelManager, code: str, timeout: float) -> None:
    """Run code in the kernel without a prompt number; raise if it fails."""
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=timeout)
        reply = client.execute_interactive(code, store_history=False, timeout=timeout, output_hook=lambda _msg: None)
    finally:
        client.stop_channels()
    if reply["content"]["status"] != "ok":
        content = reply["content"]
        raise RuntimeError(f"the warm kernel could not run setup code: {content.get('ename')}: {content.get('evalue')}")


def warm_kernel(cwd: Path, timeout: float = 120) -> KernelManager:
    """This worker's kernel, started and loaded with the templates' imports on first use, reset for a chapter."""
    global _kernel
    if _kernel is None or not _kernel.is_alive():
        discard()
        km = KernelManager(kernel_name=KERNEL_NAME)
        km.start_kernel(cwd=str(cwd))
        # Shut the kernel down when the worker process ends normally (pool shutdown).
        multiprocessing.util.Finalize(km, discard, exitpriority=10)
        _kernel = km
        modules = template_modules()
        _run(km, WARM_UP.format(modules=modules), timeout)
    _run(_kernel, RESET.format(cwd=str(cwd)), timeout)
    return _kernel


def discard() -> None:
    """Shut this worker's kernel down (after a failed chapter, or when the worker ends)."""
    global _kernel
    km, _kernel = _kernel, None
    if km is not None:
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - a kernel that is already gone is what we want
            pass
