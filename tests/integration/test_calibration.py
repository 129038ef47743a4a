"""calibration.yml against the real published files: every derived number is re-derived and must match."""

import pytest

from analysis.paths import REAL_DATA
from analysis.synthetic import calibrate
from analysis.synthetic.calibration import load_raw

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not REAL_DATA.exists(), reason=f"the real published files are not here ({REAL_DATA})"),
]


@pytest.fixture(scope="module")
def derived() -> dict:
    return calibrate.derive()


def test_calibration_matches_the_real_files(derived):
    problems = calibrate.differences(load_raw(), derived)
    assert problems == [], (
        "calibration.yml has drifted from the real files (run `python -m analysis.synthetic.calibrate`):\n"
        + "\n".join(problems)
    )


def test_every_derived_basis_is_re_derived(derived):
    """No 'derived from' entry in calibration.yml escapes the check above."""

    def walk(node, path=""):
        if isinstance(node, dict) and set(node) == {"value", "basis"}:
            yield path, node["basis"]
        elif isinstance(node, dict):
            for key, child in node.items():
                yield from walk(child, f"{path}.{key}" if path else str(key))

    claimed = {path for path, basis in walk(load_raw()) if basis.startswith("derived from ")}
    assert claimed == set(derived)


def test_hand_checked_figures():
    """A few figures worked by hand from the files with a calculator, not by this module."""
    rates = calibrate.mar_rates_per_1000()
    # England 2008/09 non-elective G&A admissions 5,087,306 over England's mid-2011 53,107,169 residents
    assert rates["E92000001"]["non_elective"] == pytest.approx(5_087_306 / 53_107_169 * 1000, rel=1e-3)
    # 5PG 2008/09: 41,922 non-elective admissions over 630,000 - 206,856 (Solihull mid-2011) residents
    assert rates["5PG"]["non_elective"] == pytest.approx(41_922 / 423_144 * 1000, rel=1e-3)
    beds = calibrate.kh03_beds("RR1")
    assert beds["general_acute"]["available"] == 1379 and beds["maternity"]["available"] == 88
    sitrep = calibrate.ae_sitrep()
    assert sitrep["england_type3_share"] == pytest.approx(111_547 / 391_495, rel=1e-3)
    assert calibrate.deaths_usual_residence("E08000025") == [29.2, 28.0, 27.9, 28.8]
