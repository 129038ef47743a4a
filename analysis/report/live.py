"""For analysts: live ipywidgets controls over the same model functions the book uses.

Kept out of the published book (widgets load their JavaScript from the internet and papermill can
hang on them); open notebooks/explore_model.ipynb in Jupyter to use it.
"""

from __future__ import annotations

import ipywidgets as widgets
from IPython.display import Markdown, display

from analysis import catalog
from analysis.model import finance
from analysis.model.fiscal import fy_label
from analysis.report import projected


def horizon_gap(params_file: str, growth_shift: float, efficiency: float, effect_scale: float) -> float:
    """The economy's horizon-year gap (cost minus allocation, £) for one set of slider values."""
    book = catalog.load(params_file)
    p = projected.projection(book)
    grid = finance.gap_grid(
        p, book.table("unit_costs"), projected.assumptions(book), growth_shifts=(growth_shift,), scales=(effect_scale,)
    )
    last = grid[grid["year"] == grid["year"].max()].iloc[0]
    # As the finance chapter's chart computes it: efficiency reduces the cost of care, not the schemes' own costs.
    spend = last["spend_plan"] * (1 - efficiency) ** last["years_from_base"] + last["intervention_costs"]
    return float(spend - last["allocation"])


def explorer(params_file: str = "params/default.yml") -> widgets.VBox:
    """Sliders for allocation growth, efficiency and the interventions' effect, with the gap they leave."""
    book = catalog.load(params_file)
    year = fy_label(book.params.period.horizon_year)
    growth = widgets.FloatSlider(value=0.0, min=-2.0, max=2.0, step=0.5, description="Growth shift (points)")
    efficiency = widgets.FloatSlider(
        value=0.0, min=0.0, max=0.05, step=0.005, readout_format=".1%", description="Efficiency a year"
    )
    effect = widgets.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.25, description="Effect scale")
    out = widgets.Output()

    def update(_=None) -> None:
        value = horizon_gap(params_file, growth.value, efficiency.value, effect.value)
        out.clear_output()
        with out:
            word = "shortfall" if value > 0 else "surplus"
            display(Markdown(f"**{year}: a {word} of £{abs(value) / 1e6:,.1f} million** with the plan"))

    for w in (growth, efficiency, effect):
        w.observe(update, names="value")
    update()
    return widgets.VBox([growth, efficiency, effect, out])
