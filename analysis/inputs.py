"""Reading the files an analyst gives the book, with one kind of error for anything wrong in them.

Every file the build reads (the parameter file, the plan, content files, data files) goes through
these checks first: it exists, it is a file and not a folder, it is UTF-8 text, and a YAML file has
no repeated key. A failure is an InputError whose message names the file, the place in it (a line,
a row or a key path) and what was expected. The command line prints it as one line and exits with
status 2; anything else that goes wrong is a bug and is reported as an internal error.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml


class InputError(ValueError):
    """Something the analyst gave the book is wrong; the message names the file, where, and the rule."""


def existing_file(path: str | Path, what: str, *, shown: str | Path | None = None) -> Path:
    """The path, checked to be an existing file (not a folder); `shown` is how the message names it."""
    path = Path(path)
    name = shown if shown is not None else path
    if not path.exists():
        raise InputError(f"{name}: no such file (expected {what})")
    if path.is_dir():
        raise InputError(f"{name}: is a folder; expected {what}, a file")
    return path


def line_of(data: bytes, offset: int) -> int:
    """The line number (from 1) of a byte offset in a file's bytes."""
    return data.count(b"\n", 0, offset) + 1


def read_text(path: str | Path, what: str, *, shown: str | Path | None = None) -> str:
    """A file's text, which must be UTF-8 (a byte order mark is allowed); the error names the line."""
    path = existing_file(path, what, shown=shown)
    name = shown if shown is not None else path
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}, line {line_of(data, exc.start)}: byte {data[exc.start:exc.start + 1]!r} is not UTF-8 text; "
            "save the file as UTF-8"
        ) from None


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping (YAML would keep the last silently)."""


def _mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:  # the keys written in this mapping; merged ones (<<) may be overridden
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=deep)
        try:
            first = seen.get(key)
        except TypeError:  # an unhashable key; SafeLoader reports it below
            continue
        if first is not None:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} is given twice (first on line {first}); give each key once",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(path: str | Path, what: str, *, shown: str | Path | None = None) -> Any:
    """Parse a YAML file (UTF-8, no repeated keys); errors name the file and line."""
    name = shown if shown is not None else path
    text = read_text(path, what, shown=shown)
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = exc.problem or str(exc)
        raise InputError(f"{name}{where}: not valid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: not valid YAML: {exc}") from None


def key_path(parts: tuple | list) -> str:
    """A key path as a reader writes it: economy.commissioners[1].code."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def non_finite(value: Any, path: tuple = ()) -> tuple[tuple, float] | None:
    """The first number in nested data that is not finite (inf, -inf or nan), with its key path."""
    if isinstance(value, float) and not math.isfinite(value):
        return path, value
    if isinstance(value, dict):
        for k, v in value.items():
            found = non_finite(v, (*path, k))
            if found:
                return found
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            found = non_finite(v, (*path, i))
            if found:
                return found
    return None
