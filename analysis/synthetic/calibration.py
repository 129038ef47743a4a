"""Read data/default/calibration.yml: every number with its basis; the generator sees the values only."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from analysis.paths import DATA

CALIBRATION = DATA / "default" / "calibration.yml"
BASIS_KINDS = ("derived from ", "from the plan ", "assumption: ")


def load_raw(path: Path = CALIBRATION) -> dict:
    """The calibration file as written: nested mappings ending in {value, basis} pairs."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: the synthetic generator's calibration file is missing")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _is_entry(node: object) -> bool:
    return isinstance(node, dict) and set(node) == {"value", "basis"}


def values(node: object) -> object:
    """The same tree with every {value, basis} pair replaced by its value."""
    if _is_entry(node):
        return node["value"]
    if isinstance(node, dict):
        return {key: values(child) for key, child in node.items()}
    return node


def unexplained(node: object, path: str = "") -> list[str]:
    """Paths of numbers (or lists) that have no basis beside them, or whose basis is not one of BASIS_KINDS."""
    if _is_entry(node):
        basis = node["basis"]
        if not isinstance(basis, str) or not basis.startswith(BASIS_KINDS):
            return [f"{path}: basis must start with one of {BASIS_KINDS}, found {basis!r}"]
        return []
    if isinstance(node, dict):
        return [p for key, child in node.items() for p in unexplained(child, f"{path}.{key}" if path else str(key))]
    return [f"{path}: {node!r} has no basis (write it as {{value: ..., basis: ...}})"]


@lru_cache(maxsize=2)
def load(path: Path = CALIBRATION) -> dict:
    """The calibration values, checked that every number has a basis (treat the result as read-only)."""
    raw = load_raw(path)
    problems = unexplained(raw)
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems[:5]))
    return values(raw)
