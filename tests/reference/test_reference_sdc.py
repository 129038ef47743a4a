"""NHS Digital-style disclosure control worked cases (../shared/reference/sdc)."""

import json

import pytest

from analysis.paths import REFERENCE
from analysis.stats import sdc

pytestmark = pytest.mark.reference

FOLDER = REFERENCE / "sdc"
if not FOLDER.is_dir():
    pytest.skip(f"reference cases not found at {FOLDER} (the shared folder is absent)", allow_module_level=True)

CASES = json.loads((FOLDER / "01_codonpython_suppress_value.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: str(c["input"]))
def test_suppress_value(case):
    if case["expected"] == "ValueError":
        with pytest.raises(ValueError):
            sdc.suppress(case["input"])
    else:
        assert sdc.suppress(case["input"]) == case["expected"]
