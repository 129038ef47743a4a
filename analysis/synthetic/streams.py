"""Independent random streams: one per table (and per indicator), so adding one changes no other."""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, *names: str) -> np.random.Generator:
    """A generator seeded from the spec's seed and stable names (crc32, the same on every machine)."""
    return np.random.default_rng([seed, *(zlib.crc32(name.encode("utf-8")) for name in names)])
