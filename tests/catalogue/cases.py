"""The catalogue of bad inputs: each case breaks one thing in a copy of the valid catalogue edition.

A case names how to make the bad input (a function of an Edition), which edition it starts from
("mar" or "episodes" activity), and three patterns the one error message must hold: the file, the
location in it (the row as numbered in the file, header = row 1, or the key path) and the rule.
`before` records what `check` did with this input before the catalogue existed (measured at commit
5e349d4): "accepted" (said valid), "traceback", "wrong-row" (a message naming a row of a derived table,
the row off by one, or no row at all), "unclear" (a message that misnames the problem) or "fine"
(already a clear message naming file, location and rule).
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml


class Edition:
    """A written catalogue edition and small helpers to break it."""

    def __init__(self, folder: Path):
        """An edition written in `folder` (params.yml and its data files)."""
        self.folder = folder
        self.params_file = folder / "params.yml"
        self.argv_params: Path | None = None  # a case may point `check` at another parameter file

    def path(self, name: str) -> Path:
        return self.folder / name

    def params(self, change: Callable[[dict], None]) -> None:
        data = yaml.safe_load(self.params_file.read_text(encoding="utf-8"))
        change(data)
        self.params_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    def yaml_file(self, name: str, change: Callable[[dict], None]) -> None:
        path = self.path(name)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    def replace(self, name: str, old: str, new: str) -> None:
        path = self.path(name)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def append(self, name: str, text: str) -> None:
        with self.path(name).open("a", encoding="utf-8") as handle:
            handle.write(text)

    def rows(self, name: str) -> list[list[str]]:
        with self.path(name).open(newline="", encoding="utf-8") as handle:
            return list(csv.reader(handle))

    def write_rows(self, name: str, rows: list[list[str]]) -> None:
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        self.path(name).write_text(out.getvalue(), encoding="utf-8")

    def cell(self, name: str, row: int, column: str, value: str) -> None:
        """Set one cell; `row` as numbered in the file (header = 1)."""
        rows = self.rows(name)
        rows[row - 1][rows[0].index(column)] = value
        self.write_rows(name, rows)

    def drop_row(self, name: str, row: int) -> None:
        rows = self.rows(name)
        del rows[row - 1]
        self.write_rows(name, rows)

    def drop_column(self, name: str, column: str) -> None:
        rows = self.rows(name)
        i = rows[0].index(column)
        self.write_rows(name, [r[:i] + r[i + 1:] for r in rows])

    def bytes_at_row(self, name: str, row: int, raw: bytes) -> None:
        """Append raw bytes (e.g. Latin-1 text) to the end of a row's first field."""
        lines = self.path(name).read_bytes().split(b"\n")
        first, sep, rest = lines[row - 1].partition(b",")
        lines[row - 1] = first + raw + sep + rest
        self.path(name).write_bytes(b"\n".join(lines))


BEFORE = ("accepted", "traceback", "wrong-row", "unclear", "fine")


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Edition], None]
    file: str  # regex: the file the message names
    where: str  # regex: the row or key path
    rule: str  # regex: what was expected
    before: str  # accepted | traceback | wrong-row | unclear | fine
    edition: str = "mar"
    tags: tuple[str, ...] = field(default_factory=tuple)


def _files(table: str, n: int = 0) -> Callable[[dict], dict]:
    return lambda d: d["data"]["files"][table][n]


def _set(path: str, value) -> Callable[[dict], None]:
    """Set a dotted key path (list items by number) in the parameter mapping."""
    def change(d: dict) -> None:
        keys = [int(k) if k.isdigit() else k for k in path.split(".")]
        for k in keys[:-1]:
            d = d[k]
        d[keys[-1]] = value
    return change


def _del(path: str) -> Callable[[dict], None]:
    def change(d: dict) -> None:
        keys = [int(k) if k.isdigit() else k for k in path.split(".")]
        for k in keys[:-1]:
            d = d[k]
        del d[keys[-1]]
    return change


MAR_NE = "Total Non-elective G&A Admissions (FFCEs)"
P = r"params\.yml"


def _folder_as_params(e: Edition) -> None:
    folder = e.path("edition.yml")
    folder.mkdir()
    e.argv_params = folder


def _long_field(e: Edition) -> None:
    rows = e.rows("mar.csv")
    rows[4][rows[0].index("org_name")] = "x" * 20_000_000
    e.write_rows("mar.csv", rows)


def _gap(e: Edition) -> None:
    e.drop_row("mar.csv", 8)  # 5PG's third month


def _plan_text(e: Edition) -> None:
    e.path("notes.txt").write_text(
        "Minutes of the programme board.\nThe plan is still being written.\n", encoding="utf-8"
    )
    e.params(_set("plan", str(e.path("notes.txt"))))


def _content_file(e: Edition) -> None:
    e.path("content.yml").write_text("pathways: {}\n", encoding="utf-8")
    e.params(_set("content", str(e.path("content.yml"))))


def _same_rows_twice(e: Edition) -> None:
    rows = e.rows("mar.csv")
    e.write_rows("mar-copy.csv", [rows[0]] + [r for r in rows[1:] if r[4] == "5PG" and r[0] == "2008-09-01"])
    e.params(lambda d: d["data"]["files"]["activity"].append({"adapter": "mar", "path": str(e.path("mar-copy.csv"))}))


def _garbage_parquet(e: Edition) -> None:
    e.path("episodes.parquet").write_bytes(b"PAR1 this is not really a parquet file PAR1")
    e.params(_set("data.files.activity.0.path", str(e.path("episodes.parquet"))))


def _episodes_txt(e: Edition) -> None:
    e.path("episodes.txt").write_text(e.path("episodes.csv").read_text())
    e.params(_set("data.files.activity.0.path", str(e.path("episodes.txt"))))


CASES: list[Case] = [
    # --- the parameter file ------------------------------------------------------------------------
    Case("params-is-a-folder", _folder_as_params, r"edition\.yml", r"edition\.yml", r"is a folder", "traceback"),
    Case(
        "params-not-utf8",
        lambda e: e.params_file.write_bytes(
            e.params_file.read_bytes().replace(b"Catalogue edition", b"Caf\xe9 edition")
        ),
        P,
        r"line \d+",
        r"not UTF-8",
        "traceback",
    ),
    Case(
        "params-duplicate-key",
        lambda e: e.append("params.yml", "model: {runs: 30, seed: 1}\n"),
        P,
        r"line \d+",
        r"key 'model' is given twice",
        "accepted",
    ),
    Case(
        "params-bad-yaml",
        lambda e: e.append("params.yml", "extra: [unclosed\n"),
        P,
        r"line \d+",
        r"not valid YAML",
        "fine",
    ),
    Case(
        "params-not-a-mapping",
        lambda e: e.params_file.write_text("- one\n- two\n"),
        P,
        P,
        r"expected a mapping",
        "fine",
    ),
    Case(
        "params-month-13",
        lambda e: e.params(_set("period.history_start", "2008-13")),
        P,
        r"period\.history_start",
        r"match pattern|month",
        "accepted",
    ),
    Case(
        "params-data-end-before-start",
        lambda e: e.params(_set("period.data_end", "2007-03")),
        P,
        r"key 'period'",
        r"must come before",
        "fine",
    ),
    Case(
        "params-horizon-before-baseline",
        lambda e: e.params(_set("period.horizon_year", 2007)),
        P,
        r"key 'period'",
        r"must come after",
        "fine",
    ),
    Case("params-unknown-key", lambda e: e.params(_set("colour", "blue")), P, r"key 'colour'", r"unknown key", "fine"),
    Case(
        "params-unknown-table",
        lambda e: e.params(lambda d: d["data"]["files"].update(activities=d["data"]["files"]["activity"])),
        P,
        r"data\.files",
        r"unknown table.*'activities'.*expected some of activity",
        "traceback",
    ),
    Case(
        "params-unknown-adapter",
        lambda e: e.params(_set("data.files.beds.0.adapter", "sitrep")),
        r"kh03\.csv|beds",
        r"adapter 'sitrep'",
        r"unknown adapter.*expected one of mar",
        "traceback",
    ),
    Case(
        "params-unknown-adapter-option",
        lambda e: e.params(_set("data.files.activity.0.options", {"colour": "red"})),
        r"mar\.csv",
        r"adapter 'mar'",
        r"unknown option\(s\) colour.*code_map",
        "traceback",
    ),
    Case(
        "params-adapter-wrong-table",
        lambda e: e.params(_set("data.files.beds.0.adapter", "hchs_workforce")),
        r"beds",
        r"data\.files\.beds",
        r"makes the workforce table, not beds",
        "traceback",
    ),
    Case(
        "params-data-file-missing",
        lambda e: e.params(_set("data.files.beds.0.path", str(e.path("nowhere.csv")))),
        r"nowhere\.csv",
        r"data\.files\.beds\[0\]",
        r"does not exist",
        "fine",
    ),
    Case(
        "params-data-file-is-folder",
        lambda e: (e.path("beds").mkdir(), e.params(_set("data.files.beds.0.path", str(e.path("beds"))))),
        r"beds",
        r"data\.files\.beds\[0\]",
        r"is a folder",
        "traceback",
    ),
    Case(
        "params-duplicate-commissioner",
        lambda e: e.params(lambda d: d["economy"]["commissioners"].append(dict(d["economy"]["commissioners"][0]))),
        P,
        r"economy",
        r"5PG listed more than once",
        "unclear",
    ),
    Case(
        "params-unknown-peer",
        lambda e: e.params(_set("economy.peers", ["5PE", "5ZZ"])),
        r"economy\.peers",
        r"economy\.peers",
        r"5ZZ not found",
        "accepted",
    ),
    Case(
        "params-peer-is-own-commissioner",
        lambda e: e.params(_set("economy.peers", ["TAM"])),
        P,
        r"economy",
        r"TAM is one of the economy's own",
        "accepted",
    ),
    Case(
        "params-commissioner-without-population",
        lambda e: e.params(_del("economy.commissioners.1.area")),
        r"economy\.commissioners",
        r"commissioners\[1\] \(TAM\)",
        r"no population: give `area`",
        "accepted",
    ),
    Case(
        "params-two-commissioners-one-area",
        lambda e: e.params(_set("economy.commissioners.1.area", "E08000025")),
        P,
        r"key 'economy'",
        r"TAM take their population from local authority E08000025.*`population: <residents>`",
        "accepted",
    ),
    Case(
        "params-commissioner-not-in-activity",
        lambda e: e.write_rows("mar.csv", [[c.replace("5QW", "5QX") for c in r] for r in e.rows("mar.csv")]),
        r"data\.files\.activity",
        r"economy\.commissioners",
        r"no activity for TAM",
        "accepted",
    ),
    Case(
        "params-unknown-kpi-indicator",
        lambda e: e.params(_set("pathways.long_term_conditions.kpis.0.indicator", "falls_admissions_65_per_100")),
        r"pathways",
        r"pathways\.long_term_conditions\.kpis\[0\]\.indicator",
        r"neither in the indicators data nor.*did you mean",
        "accepted",
    ),
    Case(
        "params-unknown-benchmark",
        lambda e: e.params(_set("pathways.staying_healthy.benchmark", ["smokng_prevalence_pct"])),
        r"pathways",
        r"pathways\.staying_healthy\.benchmark\[0\]",
        r"neither in the indicators data",
        "accepted",
    ),
    Case(
        "params-unknown-funnel",
        lambda e: e.params(_set("pathways.children.funnel", "ae_0_4_per_100")),
        r"pathways",
        r"pathways\.children\.funnel",
        r"neither in the indicators data nor.*did you mean 'ae_0_4_per_1000'",
        "accepted",
    ),
    Case(
        "params-infinite-target",
        lambda e: e.replace("params.yml", "polarity: low_is_good\n", "polarity: low_is_good\n      target: .inf\n"),
        P,
        r"key 'pathways\.children\.kpis\[0\]\.target'",
        r"finite number",
        "accepted",
    ),
    Case(
        "params-huge-population",
        lambda e: e.replace("params.yml", "population: 425000", "population: 1.0e+300"),
        P,
        r"economy\.commissioners\[0\]\.population",
        r"less than or equal|exceeded maximum size",
        "fine",
    ),
    Case(
        "params-unknown-pod",
        lambda e: e.params(_set("pathways.children.kpis.0.pods", ["theatre"])),
        P,
        r"pathways\.children\.kpis\[0\]",
        r"unknown pod.*theatre",
        "fine",
    ),
    Case(
        "params-unknown-pathway",
        lambda e: e.params(_set("pathways.dentistry", {})),
        P,
        r"key 'pathways'",
        r"unknown pathway",
        "fine",
    ),
    Case(
        "params-files-edition-without-population",
        lambda e: e.params(_del("data.files.population")),
        r"data\.files",
        r"data\.files",
        r"needs the population table",
        "accepted",
    ),
    Case(
        "params-files-edition-without-files",
        lambda e: e.params(_set("data.files", {})),
        P,
        r"key 'data'",
        r"needs a 'files' mapping",
        "fine",
    ),
    Case(
        "params-content-folder-missing",
        lambda e: e.params(_set("content", str(e.path("words")))),
        r"words",
        r"key 'content'",
        r"does not exist.*leave 'content' out",
        "accepted",
    ),
    Case("params-content-is-a-file", _content_file, r"content\.yml", r"content\.yml", r"names a folder", "accepted"),
    Case(
        "params-plan-missing",
        lambda e: e.params(_set("plan", str(e.path("no-plan.yml")))),
        r"no-plan\.yml",
        r"key 'plan'",
        r"does not exist.*leave 'plan' out",
        "unclear",
    ),
    Case("params-plan-is-a-text-file", _plan_text, r"notes\.txt", r"notes\.txt", r"expected a mapping", "accepted"),
    Case(
        "params-baseline-year-without-data",
        lambda e: e.params(_set("period.baseline_year", 2011)),
        r"period\.baseline_year",
        r"period\.baseline_year",
        r"2011 \(2011/12\) is not a complete fiscal year.*complete years: 2008/09",
        "accepted",
    ),
    Case(
        "params-duplicate-kpi-id",
        lambda e: e.params(
            lambda d: d["pathways"]["urgent_care"]["kpis"].append(dict(d["pathways"]["urgent_care"]["kpis"][0]))
        ),
        P,
        r"pathways\.urgent_care",
        r"emergency_admissions used more than once",
        "accepted",
    ),
    Case(
        "params-percent-target-above-one",
        lambda e: e.params(
            lambda d: d["pathways"]["urgent_care"]["kpis"].append(
                {
                    "id": "four_hour",
                    "name": "Seen within four hours",
                    "source": "indicators",
                    "indicator": "four_hour_performance_pct",
                    "unit": "share of attendances",
                    "improvement": "increase",
                    "polarity": "high_is_good",
                    "target": 95,
                }
            )
        ),
        P,
        r"pathways\.urgent_care\.kpis\[1\]",
        r"target is a proportion from 0 to 1 \(0\.95 for 95%\), not 95",
        "accepted",
    ),
    Case(
        "params-workers-zero",
        lambda e: e.params(_set("build.workers", 0)),
        P,
        r"build\.workers",
        r"greater than or equal to 1",
        "fine",
    ),
    Case(
        "params-edition-id", lambda e: e.params(_set("edition.id", "My Edition")), P, r"edition\.id", r"pattern", "fine"
    ),
    Case(
        "params-code-map-not-text",
        lambda e: e.params(_set("economy.code_map", {"5QW": {"code": "TAM"}})),
        P,
        r"economy\.code_map\.5QW",
        r"valid string|valid list",
        "fine",
    ),
    # --- the plan file -----------------------------------------------------------------------------
    Case(
        "plan-growth-minus-150-percent",
        lambda e: e.yaml_file("plan.yml", lambda d: d["allocation"]["growth"][2009].update(value=-1.5)),
        r"plan\.yml",
        r"allocation\.growth\[2009\]",
        r"yearly rate.*-50% to \+50%.*found -1\.5",
        "accepted",
    ),
    Case(
        "plan-effect-below-minus-one",
        lambda e: e.yaml_file("plan.yml", _set("interventions.0.effect_low", -2.0)),
        r"plan\.yml",
        r"interventions\[0\]",
        r"-1 < effect_low",
        "accepted",
    ),
    Case(
        "plan-effect-huge",
        lambda e: e.yaml_file("plan.yml", _set("interventions.0.effect_high", 1e300)),
        r"plan\.yml",
        r"interventions\[0\]\.effect_high",
        r"from -1 to 5",
        "accepted",
    ),
    Case(
        "plan-unknown-intervention-organisation",
        lambda e: e.yaml_file("plan.yml", _set("interventions.0.organisation", "5ZZ")),
        r"plan\.yml",
        r"interventions\[0\]\.organisation",
        r"'5ZZ' is not one of this edition's organisations",
        "accepted",
    ),
    Case(
        "plan-unknown-investment-organisation",
        lambda e: e.yaml_file("plan.yml", _set("investments.0.organisation", "RXK")),
        r"plan\.yml",
        r"investments\[0\]\.organisation",
        r"not one of this edition's organisations",
        "accepted",
    ),
    Case(
        "plan-duplicate-key",
        lambda e: e.append("plan.yml", "savings_release: 0.4\n"),
        r"plan\.yml",
        r"line \d+",
        r"key 'savings_release' is given twice",
        "accepted",
    ),
    Case(
        "plan-duplicate-intervention-id",
        lambda e: e.yaml_file("plan.yml", lambda d: d["interventions"].append(dict(d["interventions"][0]))),
        r"plan\.yml",
        r"interventions\[\d+\]\.id",
        r"ids must be unique",
        "accepted",
    ),
    Case(
        "plan-unknown-pathway",
        lambda e: e.yaml_file("plan.yml", _set("investments.0.pathway", "dentistry")),
        r"plan\.yml",
        r"investments\[0\]\.pathway",
        r"expected one of maternity",
        "accepted",
    ),
    Case(
        "plan-unknown-pod",
        lambda e: e.yaml_file(
            "plan.yml", _set("interventions.0.acts_on", [{"pathway": "urgent_care", "pod": "theatre"}])
        ),
        r"plan\.yml",
        r"interventions\[0\]",
        r"acts_on\[0\]\.pod must be one of",
        "accepted",
    ),
    Case(
        "plan-negative-cost",
        lambda e: e.yaml_file("plan.yml", _set("interventions.0.recurrent_cost", -5)),
        r"plan\.yml",
        r"interventions\[0\]",
        r"recurrent_cost' must be at least 0",
        "accepted",
    ),
    Case(
        "plan-beds-in-2999",
        lambda e: e.yaml_file("plan.yml", _set("community_beds.0.year", 2999)),
        r"plan\.yml",
        r"community_beds\[0\]\.year",
        r"fiscal year of the model from 2007 to 2012",
        "accepted",
    ),
    Case(
        "plan-allocation-missing-commissioner",
        lambda e: e.yaml_file("plan.yml", lambda d: d["allocation"]["baseline"].pop("TAM")),
        r"plan\.yml",
        r"allocation\.baseline",
        r"no allocation for commissioner\(s\) TAM",
        "accepted",
    ),
    Case(
        "plan-savings-release-above-one",
        lambda e: e.yaml_file("plan.yml", _set("savings_release.value", 1.5)),
        r"plan\.yml",
        r"savings_release\.value",
        r"share from 0 to 1",
        "accepted",
    ),
    Case(
        "plan-unknown-key",
        lambda e: e.yaml_file("plan.yml", _set("deliverables", [])),
        r"plan\.yml",
        r"key .deliverables.",
        r"unknown key; a plan file has some of source, investments",
        "accepted",
    ),
    Case(
        "plan-not-utf8",
        lambda e: e.path("plan.yml").write_bytes(
            e.path("plan.yml").read_bytes().replace(b"Birmingham OwnHealth", b"Birmingham \xd6wnHealth", 1)
        ),
        r"plan\.yml",
        r"line \d+",
        r"not UTF-8",
        "traceback",
    ),
    Case(
        "plan-discount-rate-two",
        lambda e: e.yaml_file("plan.yml", _set("allocation.discount_rate.value", 2)),
        r"plan\.yml",
        r"allocation",
        r"discount_rate' must be a number from 0 to 1",
        "accepted",
    ),
    Case(
        "plan-infinite-cost-pressure",
        lambda e: e.replace("plan.yml", "value: 0.04", "value: .inf"),
        r"plan\.yml",
        r"allocation\.cost_pressure\.value",
        r"finite number",
        "accepted",
    ),
    # --- content files -----------------------------------------------------------------------------
    Case(
        "content-duplicate-key",
        lambda e: e.replace(
            "content/pathways.yml",
            '    title: "Maternity and newborn"\n',
            '    title: "Maternity and newborn"\n    title: "Maternity"\n',
        ),
        r"content/pathways\.yml",
        r"line \d+",
        r"key 'title' is given twice",
        "accepted",
    ),
    Case(
        "content-unknown-pathway",
        lambda e: e.yaml_file("content/pathways.yml", lambda d: d["pathways"].update(dentistry={"title": "Teeth"})),
        r"content/pathways\.yml",
        r"pathways\.dentistry",
        r"unknown pathway",
        "accepted",
    ),
    Case(
        "content-key-messages-not-a-list",
        lambda e: e.yaml_file(
            "content/pathways.yml", _set("pathways.maternity.key_messages", "Support natural birth.")
        ),
        r"content/pathways\.yml",
        r"pathways\.maternity\.key_messages",
        r"expected a list",
        "accepted",
    ),
    Case(
        "content-deliverable-status",
        lambda e: e.yaml_file("content/pathways.yml", _set("pathways.maternity.deliverables.0.status", "done")),
        r"content/pathways\.yml",
        r"pathways\.maternity\.deliverables\[0\]\.status",
        r"expected one of planned",
        "accepted",
    ),
    Case(
        "content-indicator-percent-text",
        lambda e: e.yaml_file("content/indicators.yml", _set("indicators.births.percent", "yes")),
        r"content/indicators\.yml",
        r"indicators\.births\.percent",
        r"true or false",
        "accepted",
    ),
    Case(
        "content-unknown-file",
        lambda e: e.path("content/pathway.yml").write_text("pathways: {}\n"),
        r"content/pathway\.yml",
        r"pathway\.yml",
        r"unknown content file",
        "accepted",
    ),
    Case(
        "content-not-utf8",
        lambda e: e.path("content/value.yml").write_bytes(
            e.path("content/value.yml").read_bytes() + "# caf\u00e9\n".encode("latin-1")
        ),
        r"content/value\.yml",
        r"line \d+",
        r"not UTF-8",
        "traceback",
    ),
    Case(
        "content-organisation-without-name",
        lambda e: e.yaml_file("content/economy.yml", _del("organisations.0.name")),
        r"content/economy\.yml",
        r"organisations\[0\]\.name",
        r"needs its name",
        "accepted",
    ),
    # --- MAR (activity) ----------------------------------------------------------------------------
    Case(
        "mar-month-13",
        lambda e: e.cell("mar.csv", 5, "period", "2008-13-01"),
        r"mar\.csv",
        r"row 5, column 'period'",
        r"first day of a month",
        "fine",
    ),
    Case(
        "mar-count-not-a-number",
        lambda e: e.cell("mar.csv", 6, MAR_NE, "abc"),
        r"mar\.csv",
        r"row 6, column 'Total Non-elective",
        r"expected a number, found 'abc'",
        "fine",
    ),
    Case(
        "mar-negative-count-names-the-file-row",
        lambda e: e.cell("mar.csv", 27, MAR_NE, "-5"),
        r"mar\.csv",
        r"row 27, column 'count'",
        r"at least 0",
        "wrong-row",
    ),
    Case(
        "mar-infinite-count",
        lambda e: e.cell("mar.csv", 9, MAR_NE, "inf"),
        r"mar\.csv",
        r"row 9, column 'count'",
        r"finite number",
        "accepted",
    ),
    Case(
        "mar-1e300-count",
        lambda e: e.cell("mar.csv", 9, MAR_NE, "1e300"),
        r"mar\.csv",
        r"row 9, column 'count'",
        r"no larger than 1e\+12",
        "accepted",
    ),
    Case(
        "mar-missing-column",
        lambda e: e.drop_column("mar.csv", MAR_NE),
        r"mar\.csv",
        r"mar\.csv does not look like",
        r"missing columns Total Non-elective",
        "fine",
    ),
    Case(
        "mar-date-in-2999",
        lambda e: e.cell("mar.csv", 11, "period", "2999-04-01"),
        r"mar\.csv",
        r"row 11, column 'month'",
        r"after the period's data_end|cannot come from the future",
        "traceback",
    ),
    Case(
        "mar-month-before-period",
        lambda e: e.append(
            "mar.csv",
            ",".join(["2008-03-01", "2007-08", "Q34", "WM", "5PG", "X", "PCT", "1", "2", "3", "4", "5"]) + "\n",
        ),
        r"mar\.csv",
        r"row 38, column 'month'",
        r"before the period's history_start",
        "accepted",
    ),
    Case(
        "mar-rows-disagree",
        lambda e: e.append(
            "mar.csv",
            ",".join(["2008-04-01", "2008-09", "Q34", "WM", "5PG", "X", "PCT", "1", "2", "3", "4", "5"]) + "\n",
        ),
        r"mar\.csv",
        r"rows 2 and 38",
        r"disagree",
        "fine",
    ),
    Case(
        "mar-not-utf8",
        lambda e: e.bytes_at_row("mar.csv", 4, b"\xe9"),
        r"mar\.csv",
        r"row 4",
        r"not UTF-8",
        "traceback",
    ),
    Case("mar-20mb-field", _long_field, r"mar\.csv", r"row 5", r"field larger than field limit", "traceback"),
    Case("mar-missing-month", _gap, r"mar\.csv|activity", r"commissioner=5PG", r"no row for 2008-06", "fine"),
    Case(
        "mar-two-files-give-the-same-rows",
        _same_rows_twice,
        r"mar\.csv, row \d+ and .*mar-copy\.csv, row \d+",
        r"row \d+",
        r"both give the activity row \(.*commissioner=5PG",
        "wrong-row",
    ),
    # --- Fingertips export (indicators) --------------------------------------------------------------
    Case(
        "fingertips-value-not-a-number",
        lambda e: e.cell("fingertips.csv", 3, "Value", "n/a"),
        r"fingertips\.csv",
        r"row 3, column 'Value'",
        r"expected a number, found 'n/a'",
        "fine",
    ),
    Case(
        "fingertips-unknown-period",
        lambda e: e.cell("fingertips.csv", 4, "Time period", "2021/22 Q5"),
        r"fingertips\.csv",
        r"row 4",
        r"unrecognised time period",
        "fine",
    ),
    Case(
        "fingertips-period-in-2999",
        lambda e: e.cell("fingertips.csv", 9, "Time period", "2999"),
        r"fingertips\.csv",
        r"row 9, column 'period_start'",
        r"to the end of \d{4}",
        "traceback",
    ),
    Case(
        "fingertips-missing-column",
        lambda e: e.drop_column("fingertips.csv", "Denominator"),
        r"fingertips\.csv",
        r"fingertips\.csv does not look like",
        r"missing columns Denominator",
        "fine",
    ),
    Case(
        "fingertips-infinite-count",
        lambda e: e.cell("fingertips.csv", 3, "Count", "inf"),
        r"fingertips\.csv",
        r"row 3, column 'count'",
        r"finite number",
        "accepted",
    ),
    # --- Fingertips long form ----------------------------------------------------------------------
    Case(
        "fingertips-long-unknown-area-code",
        lambda e: e.cell("fingertips_long.csv", 3, "area_code", "X99000001"),
        r"fingertips_long\.csv",
        r"row 3, column 'area_code'",
        r"no area type for code",
        "fine",
    ),
    Case(
        "fingertips-long-value-not-a-number",
        lambda e: e.cell("fingertips_long.csv", 5, "value", "high"),
        r"fingertips_long\.csv",
        r"row 5, column 'value'",
        r"expected a number",
        "fine",
    ),
    # --- ONS population ----------------------------------------------------------------------------
    Case(
        "ons-mye-unknown-sex",
        lambda e: e.cell("mye.csv", 10, "sex", "persons"),
        r"mye\.csv",
        r"row 10, column 'sex'",
        r"expected male or female",
        "fine",
    ),
    Case(
        "ons-mye-age-not-a-number",
        lambda e: e.cell("mye.csv", 12, "age", "twelve"),
        r"mye\.csv",
        r"row 12, column 'age'",
        r"expected a number",
        "fine",
    ),
    Case(
        "ons-mye-negative-population",
        lambda e: e.cell("mye.csv", 20, "population", "-3"),
        r"mye\.csv",
        r"row 20, column 'population'",
        r"at least 0",
        "wrong-row",
    ),
    Case(
        "ons-npp-unknown-variant",
        lambda e: e.cell("npp.csv", 2, "variant", "medium"),
        r"npp\.csv",
        r"row 2, column 'variant'",
        r"expected one of principal",
        "fine",
    ),
    Case(
        "ons-npp-too-short",
        lambda e: e.write_rows("npp.csv", [r for r in e.rows("npp.csv") if r[2] in ("year", "2018", "2019")]),
        r"data\.files\.population",
        r"area E08000025",
        r"no rows for year 2020",
        "traceback",
    ),
    # --- KH03 beds ---------------------------------------------------------------------------------
    Case(
        "kh03-unknown-quarter",
        lambda e: e.cell("kh03.csv", 3, "period", "Jully"),
        r"kh03\.csv",
        r"row 3",
        r"quarter end month",
        "fine",
    ),
    Case(
        "kh03-beds-not-a-number",
        lambda e: e.cell("kh03.csv", 2, "available_maternity", "many"),
        r"kh03\.csv",
        r"row 2, column 'available_maternity'",
        r"expected a number",
        "fine",
    ),
    Case(
        "kh03-negative-beds-names-the-file-row",
        lambda e: e.cell("kh03.csv", 3, "occupied_maternity", "-1"),
        r"kh03\.csv",
        r"row 3, column 'occupied'",
        r"at least 0",
        "wrong-row",
    ),
    # --- HCHS workforce ----------------------------------------------------------------------------
    Case(
        "hchs-bad-month",
        lambda e: e.cell("hchs.csv", 3, "month", "2017-SEPT"),
        r"hchs\.csv",
        r"row 3, column 'month'",
        r"month such as 2017-SEP",
        "fine",
    ),
    Case(
        "hchs-negative-fte",
        lambda e: e.cell("hchs.csv", 2, "fte", "-10"),
        r"hchs\.csv",
        r"row 2, column 'fte'",
        r"at least 0",
        "wrong-row",
    ),
    Case(
        "hchs-month-in-2999",
        lambda e: e.cell("hchs.csv", 2, "month", "2999-SEP"),
        r"hchs\.csv",
        r"row 2, column 'period'",
        r"to the end of \d{4}",
        "traceback",
    ),
    # --- GP list sizes and practice deprivation ----------------------------------------------------
    Case(
        "list-sizes-year-2999",
        lambda e: e.cell("list_sizes.csv", 3, "financial_year", "2999/00"),
        r"list_sizes\.csv",
        r"row 3, column 'year'",
        r"at most 2100",
        "wrong-row",
    ),
    Case(
        "list-sizes-missing-column",
        lambda e: e.drop_column("list_sizes.csv", "ccg_code"),
        r"list_sizes\.csv",
        r"list_sizes\.csv does not look like",
        r"missing columns ccg_code",
        "fine",
    ),
    Case(
        "list-sizes-deprivation-file-missing",
        lambda e: e.params(_set("data.files.practices.0.options.deprivation", str(e.path("imd.csv")))),
        r"imd\.csv",
        r"imd\.csv",
        r"no such file",
        "fine",
    ),
    Case(
        "imd-score-above-100",
        lambda e: e.cell("deprivation.csv", 4, "Value", "150"),
        r"deprivation\.csv",
        r"row 4, column 'imd_score'",
        r"at most 100",
        "wrong-row",
    ),
    Case(
        "imd-years-after-the-list-sizes",
        lambda e: e.write_rows("deprivation.csv", [r for r in e.rows("deprivation.csv") if r[1] != "2010"]),
        r"deprivation\.csv",
        r"for 2014",
        r"no practice .* gets an IMD score",
        "accepted",
    ),
    Case(
        "imd-year-not-a-number",
        lambda e: e.cell("deprivation.csv", 2, "Year", "2015/16"),
        r"deprivation\.csv",
        r"row 2, column 'Year'",
        r"expected a number",
        "fine",
    ),
    # --- episode extracts --------------------------------------------------------------------------
    Case(
        "episodes-unknown-pod",
        lambda e: e.cell("episodes.csv", 7, "pod", "theatre"),
        r"episodes\.csv",
        r"row 7, column 'pod'",
        r"unknown point\(s\) of delivery 'theatre'",
        "wrong-row",
        "episodes",
    ),
    Case(
        "episodes-blank-commissioner",
        lambda e: e.cell("episodes.csv", 9, "commissioner", ""),
        r"episodes\.csv",
        r"row 9, column 'commissioner'",
        r"have no value",
        "wrong-row",
        "episodes",
    ),
    Case(
        "episodes-before-series-start",
        lambda e: e.cell("episodes.csv", 12, "date", "2007-01-15"),
        r"episodes\.csv",
        r"row 12, column 'date'",
        r"outside the period 2008-04 to 2009-03",
        "accepted",
        "episodes",
    ),
    Case(
        "episodes-date-in-2999",
        lambda e: e.cell("episodes.csv", 30, "date", "2999-01-15"),
        r"episodes\.csv",
        r"row 30, column 'date'",
        r"outside the period",
        "traceback",
        "episodes",
    ),
    Case(
        "episodes-not-a-date",
        lambda e: e.cell("episodes.csv", 15, "date", "2008-13-45"),
        r"episodes\.csv",
        r"row 15, column 'date'",
        r"expected a date",
        "wrong-row",
        "episodes",
    ),
    Case(
        "episodes-missing-column",
        lambda e: e.drop_column("episodes.csv", "pod"),
        r"episodes\.csv",
        r"episodes\.csv",
        r"needs column\(s\) pod",
        "fine",
        "episodes",
    ),
    Case(
        "episodes-not-csv-or-parquet",
        _episodes_txt,
        r"episodes\.txt",
        r"episodes\.txt",
        r"must be a \.parquet or \.csv",
        "fine",
        "episodes",
    ),
    Case(
        "episodes-broken-parquet",
        _garbage_parquet,
        r"episodes\.parquet",
        r"episodes\.parquet",
        r"could not read this episode extract",
        "traceback",
        "episodes",
    ),
    Case(
        "episodes-unknown-option",
        lambda e: e.params(_set("data.files.activity.0.options.colour", "red")),
        r"episodes\.csv",
        r"adapter 'episodes'",
        r"unknown option\(s\) colour; expected start, end, lookup",
        "traceback",
        "episodes",
    ),
    Case(
        "episodes-bad-start-option",
        lambda e: e.params(_set("data.files.activity.0.options.start", "April 2008")),
        r"episodes\.csv",
        r"option start",
        r"month such as 2008-04",
        "accepted",
        "episodes",
    ),
    Case(
        "episodes-cost-not-a-number",
        lambda e: e.cell("episodes.csv", 5, "cost", "free"),
        r"episodes\.csv",
        r"row 5, column 'cost'",
        r"expected a number",
        "wrong-row",
        "episodes",
    ),
    Case(
        "episodes-negative-cost",
        lambda e: e.cell("episodes.csv", 11, "cost", "-1500"),
        r"episodes\.csv",
        r"row 11, column 'cost'",
        r"negative, infinite or absurd",
        "accepted",
        "episodes",
    ),
    Case(
        "episodes-not-utf8",
        lambda e: e.bytes_at_row("episodes.csv", 6, b"\xe9"),
        r"episodes\.csv",
        r"row 6",
        r"not UTF-8",
        "traceback",
        "episodes",
    ),
]


def make_case(case: Case, good_editions: dict[str, Path], tmp_path: Path) -> Edition:
    """A copy of the case's valid edition in tmp_path, broken as the case says."""
    folder = tmp_path / "edition"
    shutil.copytree(good_editions[case.edition], folder)
    # The parameter file names its files by absolute path: point it at the copy.
    params = folder / "params.yml"
    params.write_text(
        params.read_text(encoding="utf-8").replace(str(good_editions[case.edition]), str(folder)), encoding="utf-8"
    )
    edition = Edition(folder)
    case.make(edition)
    return edition
