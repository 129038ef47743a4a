"""Wrap the lines ruff reports as too long (E501), touching only the statements that hold them.

Run after a merge brings in long lines: `.venv/bin/python tools/wrap_long_lines.py [files...]` (default:
every file ruff flags). Each long line's statement is reformatted with `ruff format --range` (the rest of
the file is left as it is); a string literal the formatter cannot break is then split at spaces into
implicitly concatenated pieces (never inside an f-string's braces) and the statement reformatted again.
What is still too long (a comment, a docstring) is listed for a person to reword.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tokenize
from pathlib import Path

RUFF = str(Path(sys.executable).with_name("ruff"))
LIMIT = 120  # pyproject.toml's line-length


def long_lines(path: str | None = None) -> dict[str, list[int]]:
    """File -> the line numbers ruff reports as too long, last first."""
    args = [RUFF, "check", "--select", "E501", "--output-format", "json", "--no-cache", path or "."]
    found: dict[str, set[int]] = {}
    for hit in json.loads(subprocess.run(args, capture_output=True, text=True).stdout or "[]"):
        found.setdefault(hit["filename"], set()).add(hit["location"]["row"])
    return {f: sorted(rows, reverse=True) for f, rows in found.items()}


def reformat(path: str, first: int, last: int) -> None:
    """Reformat the statements between two lines (inclusive) and nothing else."""
    subprocess.run([RUFF, "format", "--no-cache", f"--range={first}:1-{last + 1}:1", path], capture_output=True)


def pieces(body: str, budget: int, fstring: bool) -> list[str]:
    """A string body cut after spaces into parts of about `budget` characters, not in {...} nor after a backslash."""
    parts, start, depth, space, i = [], 0, 0, None, 0
    while i < len(body):
        c = body[i]
        if fstring and body[i : i + 2] in ("{{", "}}") and depth == 0:
            i += 2
            continue
        if fstring and c == "{":
            depth += 1
        elif fstring and c == "}":
            depth -= 1
        elif c == " " and depth == 0 and (i == 0 or body[i - 1] != "\\"):
            space = i
        if i - start >= budget and space is not None and space > start:
            parts.append(body[start : space + 1])
            start, space = space + 1, None
        i += 1
    parts.append(body[start:])
    return [p for p in parts if p]


def split_string(source: str, row: int) -> tuple[str, int, int] | None:
    """The source with the longest one-line string on `row` split into pieces, and the lines it now spans."""
    depth, best = 0, None
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
        one_line = token.start[0] == row and token.end[0] == row
        if token.type == tokenize.STRING and one_line and (best is None or len(token.string) > len(best[0].string)):
            best = (token, depth)
    if best is None:
        return None
    token, depth = best
    match = re.match(r"([A-Za-z]*)(\"|')(.*)\2$", token.string, re.S)
    if not match or token.string[len(match.group(1)) :].startswith(('"""', "'''")):
        return None
    prefix, quote, body = match.groups()
    line = source.splitlines()[row - 1]
    indent = token.start[1] if depth > 0 else len(line) - len(line.lstrip()) + 4
    parts = pieces(body, max(40, LIMIT - indent - len(prefix) - 4), "f" in prefix.lower())
    if len(parts) < 2:
        return None

    def literal(part: str) -> str:
        own = prefix if "{" in part or "}" in part else re.sub("[fF]", "", prefix)  # no f-string without a placeholder
        return f"{own}{quote}{part}{quote}"

    joined = ("\n" + " " * indent).join(literal(p) for p in parts)
    if depth == 0:  # outside brackets: the pieces need parentheses to continue the line
        joined = "(\n" + " " * indent + joined + "\n" + " " * (indent - 4) + ")"
    lines = source.splitlines(keepends=True)
    lines[row - 1] = line[: token.start[1]] + joined + lines[row - 1][token.end[1] :]
    return "".join(lines), row, row + joined.count("\n")


def wrap(path: str) -> list[int]:
    """Wrap one file's long lines; return those still too long."""
    tried: set[str] = set()
    while True:
        text = Path(path).read_text(encoding="utf-8")
        rows = [r for r in long_lines(path).get(str(Path(path).resolve()), []) if text.splitlines()[r - 1] not in tried]
        if not rows:
            return long_lines(path).get(str(Path(path).resolve()), [])
        row = rows[0]
        tried.add(text.splitlines()[row - 1])
        reformat(path, row, row)
        text = Path(path).read_text(encoding="utf-8")
        if len(text.splitlines()[row - 1]) <= LIMIT:
            continue
        split = split_string(text, row)
        if split is None:
            continue
        new, first, last = split
        try:
            compile(new, path, "exec")
        except SyntaxError:
            continue
        Path(path).write_text(new, encoding="utf-8")
        reformat(path, first, last)


def main(paths: list[str]) -> int:
    """Wrap the given files (or every file with a long line); print what is left for a person."""
    left = 0
    for path in paths or sorted(long_lines()):
        for row in wrap(path):
            print(f"{path}:{row}: still too long (a comment, docstring or literal to reword)")
            left += 1
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
