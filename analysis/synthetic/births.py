"""Expected births: a general fertility rate applied to women aged 15-44, changing year by year."""

from __future__ import annotations

from analysis.synthetic.population import Arrays, total

CHILDBEARING = range(15, 45)


def expected_births(arrays: Arrays, calibration: dict, area: str, year: int) -> float:
    """Births expected in a financial year for an area (its women 15-44 times the fertility rate, trended)."""
    cal = calibration["births"]
    anchor = calibration["periods"]["anchor_year"]
    gfr = cal["general_fertility_rate"][area] / 1000
    women = total(arrays, area, year, CHILDBEARING, ("female",))
    return gfr * women * cal["annual_change"] ** (year - anchor)


def births_per_head(arrays: Arrays, calibration: dict, area: str, year: int) -> float:
    """Expected births per resident in a financial year."""
    return expected_births(arrays, calibration, area, year) / total(arrays, area, year)
