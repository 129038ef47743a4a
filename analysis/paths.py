"""Project paths, defined once and resolved from the package, never the working directory."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CONTENT = DATA / "content"
PARAMS = ROOT / "params"
BOOK = ROOT / "book"
TEMPLATES = BOOK / "templates"
BUILD = ROOT / "_build"
# The shared folder beside the project holds the seeds, reference cases and real published files.
SHARED = ROOT.parent / "shared"
REAL_DATA = SHARED / "data" / "real"
REFERENCE = SHARED / "reference"


def resolve(path: str | Path, base: Path = ROOT) -> Path:
    """Resolve a path from a parameter file: relative paths are relative to the project root."""
    p = Path(path)
    return p if p.is_absolute() else (base / p).resolve()
