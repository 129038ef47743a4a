"""Which chapters must run again: each executed notebook is keyed on what it reads.

A chapter's key is a hash of
- the parameters it reads: the validated parameters (so comments, layout, key order and a default
  written out or left implicit make no difference), without the build settings, and with only its
  own pathway's definition for a pathway chapter (chapters that read every pathway's definition are
  listed in READS_EVERY_PATHWAY);
- the fingerprint (SHA-256 of the bytes) of every input file the catalog reads, so a file replaced
  at the same path with new content changes the key;
- its template, its injected parameters and its title;
- the code version: a hash of every file under analysis/, the project's own data folder (lookups,
  content, plan) and the pinned requirements.

After a successful publish the build records, per chapter, the key and the SHA-256 of the notebook
it published. A chapter is reused only when its key is unchanged and the published notebook is
still the one recorded (a checkout or an edit of the notebook makes it run again).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from analysis.build.chapters import Chapter
from analysis.paths import DATA, ROOT, TEMPLATES

CODE_FOLDERS = (ROOT / "analysis", DATA)
CODE_FILES = (ROOT / "requirements.txt",)
SKIPPED_PARTS = {"__pycache__", "generated", ".ipynb_checkpoints"}
# Chapters that read the definition (KPIs, targets) of every pathway, not only their own.
READS_EVERY_PATHWAY = {"summary", "value", "priorities"}
NOT_READ_BY_CHAPTERS = ("build",)  # workers and timeout change how a book is built, not what it says


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def code_fingerprint(folders: tuple[Path, ...] = CODE_FOLDERS, files: tuple[Path, ...] = CODE_FILES) -> str:
    """A hash of the code and the project's own data files (paths and bytes)."""
    found = [f for f in files if f.is_file()]
    for folder in folders:
        for path in folder.rglob("*"):
            if (
                path.is_file()
                and not SKIPPED_PARTS.intersection(path.relative_to(folder).parts)
                and path.suffix != ".pyc"
            ):
                found.append(path)
    parts = []
    for path in sorted(set(found)):
        parts += [path.relative_to(ROOT).as_posix().encode(), path.read_bytes()]
    return _digest(*parts)


def parameters_read(chapter: Chapter, params_dump: dict) -> dict:
    """The part of the validated parameters a chapter reads."""
    view = {k: v for k, v in params_dump.items() if k not in NOT_READ_BY_CHAPTERS}
    pathway = chapter.parameters.get("pathway")
    if pathway is not None:
        view["pathways"] = {pathway: params_dump.get("pathways", {}).get(pathway)}
    elif chapter.name not in READS_EVERY_PATHWAY:
        view.pop("pathways", None)
    return view


def chapter_key(chapter: Chapter, params_dump: dict, inputs: dict[str, str], code: str) -> str:
    """The key of one chapter's executed notebook."""
    record = {
        "template": _digest((TEMPLATES / chapter.template).read_bytes()),
        "injected": chapter.parameters,
        "title": chapter.title,
        "output": chapter.output,
        "parameters": parameters_read(chapter, params_dump),
        "inputs": dict(sorted(inputs.items())),
        "code": code,
    }
    return _digest(json.dumps(record, sort_keys=True, default=str).encode())


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


class ChapterCache:
    """The keys of an edition's published chapters, kept in _build/.cache/<edition>.json."""

    def __init__(self, folder: Path, edition: str):
        """Read the edition's cache file from `folder`; a missing or unreadable one starts empty."""
        self.path = folder / f"{edition}.json"
        try:
            self.records: dict[str, dict] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.records = {}

    def reusable(self, chapter: Chapter, key: str, published: Path) -> bool:
        """True when the published notebook was built with this key and is unchanged since."""
        record = self.records.get(chapter.name)
        return bool(
            record
            and record.get("key") == key
            and published.is_file()
            and record.get("sha256") == file_sha256(published)
        )

    def save(self, entries: dict[str, dict]) -> None:
        """Replace the records (after a successful publish), atomically."""
        self.records = entries
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entries, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
