"""The default edition's seeded, deterministic SYNTHETIC data, calibrated to the plan and published figures.

`generate(spec)` returns every contract table from the spec alone (and data/default/calibration.yml);
`write(tables, folder)` saves them as Parquet. Nothing here reads a real file: analysis/synthetic/
calibrate.py is how calibration.yml's derived numbers were obtained from the real ones. Each table
(and each indicator) draws from its own random stream, so adding one changes no other.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.contract import TABLES, validate
from analysis.synthetic import activity, beds, finance, indicators, population, practices, unit_costs, workforce
from analysis.synthetic.calibration import CALIBRATION, load
from analysis.synthetic.spec import parse
from analysis.synthetic.streams import stream

SOURCE = "synthetic"


def _fingerprint() -> str:
    """A digest of the generator's code and calibration: caches keyed on it are rebuilt when either changes."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for file in [*sorted(here.rglob("*.py")), CALIBRATION]:
        if file.exists():
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


VERSION = f"1-{_fingerprint()}"


def generate(spec: dict) -> dict[str, pd.DataFrame]:
    """Every contract table for the spec, validated against the data contract; the same spec gives identical frames."""
    s = parse(spec)
    cal = load()
    arrays = population.arrays(s, cal)
    people = practices.generate(s, cal, arrays, stream(s.seed, "practices"))
    costs = unit_costs.generate(s, cal)
    acts = activity.generate(s, cal, arrays, people, costs, stream(s.seed, "activity"))
    tables = {
        "activity": acts,
        "indicators": indicators.generate(s, cal, arrays, people, acts),
        "population": population.frame(arrays),
        "finance": finance.generate(s, cal, stream(s.seed, "finance")),
        "unit_costs": costs,
        "workforce": workforce.generate(s, cal, arrays, stream(s.seed, "workforce")),
        "beds": beds.generate(s, cal, stream(s.seed, "beds")),
        "practices": people,
    }
    return {name: validate(frame, name, f"{SOURCE} {name}") for name, frame in tables.items()}


def write(tables: dict[str, pd.DataFrame], folder: str | Path) -> list[Path]:
    """Save each table as <folder>/<name>.parquet (pyarrow, dictionary-encoded strings); returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in tables.items():
        if name not in TABLES:
            raise KeyError(f"write: '{name}' is not a contract table (expected one of {', '.join(TABLES)})")
        path = folder / f"{name}.parquet"
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, use_dictionary=True, compression="zstd")
        paths.append(path)
    return paths
