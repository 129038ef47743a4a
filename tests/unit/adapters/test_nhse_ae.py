"""NHS England's monthly A&E file by provider, on small hand-made files with the four published headers."""

import math

import pandas as pd
import pytest

from analysis.adapters import registry
from analysis.adapters.nhse_ae import Meaning, meaning, month_in, read_ae_monthly
from analysis.adapters.source import SourceFormatError
from analysis.contract import DataContractError

pytestmark = pytest.mark.unit

# The four headers of January 2020 to December 2021, as published (the fourth is the third with a
# byte-order mark before 'Period', as in August 2021).
JAN_2020 = (
    "Period,Org Code,Parent Org,Org name,Number of A&E attendances Type 1,Number of A&E attendances Type 2,"
    "Number of A&E attendances Other A&E Department,Number of attendances over 4hrs Type 1,"
    "Number of attendances over 4hrs Type 2,Number of attendances over 4hrs Other A&E Department,"
    "Patients who have waited 4-12 hs from DTA to admission,Patients who have waited 12+ hrs from DTA to admission,"
    "Emergency admissions via A&E - Type 1,Emergency admissions via A&E - Type 2,"
    "Emergency admissions via A&E - Other A&E department,Other emergency admissions"
)
APR_2020 = (
    "Period,Org Code,Parent Org,Org name,A&E attendances Type 1,A&E attendances Type 2,"
    "A&E attendances Other A&E Department,Attendances over 4hrs Type 1,Attendances over 4hrs Type 2,"
    "Attendances over 4hrs Other Department,Patients who have waited 4-12 hs from DTA to admission,"
    "Patients who have waited 12+ hrs from DTA to admission,Emergency admissions via A&E - Type 1,"
    "Emergency admissions via A&E - Type 2,Emergency admissions via A&E - Other A&E department,Other emergency "
    "admissions"
)
AUG_2020 = (
    "Period,Org Code,Parent Org,Org name,A&E attendances Type 1,A&E attendances Type 2,"
    "A&E attendances Other A&E Department,A&E attendances Booked Appointments Type 1,"
    "A&E attendances Booked Appointments Type 2,A&E attendances Booked Appointments Other Department,"
    "Attendances over 4hrs Type 1,Attendances over 4hrs Type 2,Attendances over 4hrs Other Department,"
    "Attendances over 4hrs Booked Appointments Type 1,Attendances over 4hrs Booked Appointments Type 2,"
    "Attendances over 4hrs Booked Appointments Other Department,Patients who have waited 4-12 hs from DTA to admission,"
    "Patients who have waited 12+ hrs from DTA to admission,Emergency admissions via A&E - Type 1,"
    "Emergency admissions via A&E - Type 2,Emergency admissions via A&E - Other A&E department,Other emergency "
    "admissions"
)
AUG_2021 = "\ufeff" + AUG_2020

# Sixteen-column files (JAN_2020, APR_2020): 12 counts after the four identity columns.
#           att1  att2 att3 br1  br2 br3 dta4 dta12 adm1 adm2 adm3 other
RRK_16 = "31236,0,4535,12071,0,97,5063,6,11345,0,1322,3573"
RQ3_16 = "4893,0,0,255,0,0,0,0,1042,0,0,224"
# Twenty-two-column files: attendances 3 + booked 3, breaches 3 + booked 3, then the same six.
RRK_22 = "34588,0,416,99,0,0,15356,0,0,16,0,0,4717,25,10973,0,0,3659"
RQ3_22 = "5594,0,0,0,0,0,1499,0,0,0,0,0,0,0,916,0,0,181"


def write(folder, name, header, rows):
    path = folder / name
    path.write_text(header + "\r\n" + "".join(r + "\r\n" for r in rows), encoding="utf-8")
    return path


def provider_rows(period, rrk, rq3, region="NHS ENGLAND MIDLANDS (WEST MIDLANDS)"):
    return [
        f'{period},RRK,"{region}",UNIVERSITY HOSPITALS BIRMINGHAM NHS FOUNDATION TRUST,{rrk}',
        f"{period},RQ3,\"{region}\",BIRMINGHAM WOMEN'S AND CHILDREN'S NHS FOUNDATION TRUST,{rq3}",
    ]


def total(first, rrk, rq3):
    sums = ",".join(str(int(a) + int(b)) for a, b in zip(rrk.split(","), rq3.split(","), strict=True))
    return f"{first},{sums}"


def value(table, provider, measure, department="all", booking=None):
    sel = (table["provider"] == provider) & (table["measure"] == measure) & (table["department"] == department)
    sel &= table["booking"].isna() if booking is None else (table["booking"] == booking)
    assert sel.sum() == 1, (provider, measure, department, booking)
    return table.loc[sel, "value"].iloc[0]


@pytest.mark.parametrize(
    "header, name, period",
    [(JAN_2020, "msitae_2020-01.csv", "MSitAE-JANUARY-2020"), (APR_2020, "msitae_2020-04.csv", "MSitAE-APRIL-2020")],
)
def test_sixteen_column_headers_read_the_same_counts(tmp_path, header, name, period):
    path = write(tmp_path, name, header, provider_rows(period, RRK_16, RQ3_16) + [total(",,,Total", RRK_16, RQ3_16)])
    out = read_ae_monthly(path)
    assert set(out["month"].dt.strftime("%Y-%m")) == {name[7:14]}
    assert value(out, "RRK", "attendances", "type_1") == 31236
    assert value(out, "RRK", "attendances", "other") == 4535
    assert value(out, "RRK", "over_4h", "type_1") == 12071
    assert value(out, "RRK", "over_4h", "other") == 97
    assert value(out, "RRK", "dta_4_12h") == 5063
    assert value(out, "RRK", "dta_over_12h") == 6
    assert value(out, "RRK", "emergency_admissions", "type_1") == 11345
    assert value(out, "RRK", "emergency_admissions", "other") == 1322
    assert value(out, "RRK", "other_emergency_admissions") == 3573
    assert value(out, "RQ3", "over_4h", "type_1") == 255
    assert out["booking"].isna().all()  # no booked columns: the file does not split attendances by booking
    assert len(out) == 2 * 12
    rrk = out[out["provider"] == "RRK"].iloc[0]
    assert rrk["provider_name"] == "UNIVERSITY HOSPITALS BIRMINGHAM NHS FOUNDATION TRUST"
    assert rrk["region"] == "NHS ENGLAND MIDLANDS (WEST MIDLANDS)"
    assert out.attrs["rejected"] == [
        (4, f"{name}: the file's total row, not a provider (it equals the sum of the providers)")
    ]


@pytest.mark.parametrize("header", [AUG_2020, AUG_2021], ids=["aug-2020", "aug-2021-with-bom"])
def test_booked_appointment_headers_split_attendances_and_breaches(tmp_path, header):
    rows = provider_rows("MSitAE-JULY-2021", RRK_22, RQ3_22, region="NHS ENGLAND MIDLANDS ")
    path = write(tmp_path, "msitae_2021-07.csv", header, rows + [total("TOTAL,TOTAL,TOTAL,TOTAL", RRK_22, RQ3_22)])
    out = read_ae_monthly(path)
    assert value(out, "RRK", "attendances", "type_1", "unbooked") == 34588
    assert value(out, "RRK", "attendances", "type_1", "booked") == 99
    assert value(out, "RRK", "over_4h", "type_1", "booked") == 16
    assert value(out, "RRK", "dta_over_12h") == 25
    assert value(out, "RRK", "emergency_admissions", "type_1") == 10973
    assert out.loc[out["provider"] == "RRK", "region"].iloc[0] == "NHS ENGLAND MIDLANDS"  # trailing space trimmed
    assert len(out) == 2 * 18
    # What a pathway chapter computes: four-hour performance, all types and type 1.
    rrk = out[out["provider"] == "RRK"]
    attendances, breaches = (rrk[rrk["measure"] == m] for m in ("attendances", "over_4h"))
    assert 1 - breaches["value"].sum() / attendances["value"].sum() == pytest.approx(1 - 15372 / 35103)
    type_1 = lambda t: t.loc[t["department"] == "type_1", "value"].sum()  # noqa: E731
    assert 1 - type_1(breaches) / type_1(attendances) == pytest.approx(1 - 15372 / 34687)


def test_a_later_month_with_renamed_known_columns_still_reads(tmp_path):
    later = (
        "Period,Organisation Code,Region,Organisation Name,Type 1 Departments - Major A&E,"
        "Type 2 Departments - Single Specialty,Type 3 Departments - Other A&E/Minor Injury Unit,Total attendances,"
        "Attendances over 4 hours Type 1,Attendances over 4 hours Type 2,Attendances over 4 hours Other Department,"
        "Total Attendances > 4 hours,Percentage in 4 hours or less (all),"
        "Patients who have waited 4-12 hours from decision to admit to admission,"
        "Number of patients spending >12 hours from decision to admit to admission,"
        "Emergency Admissions via Type 1 A&E,Emergency Admissions via Type 2 A&E,"
        "Emergency Admissions via Other A&E department,Total Emergency Admissions via A&E"
    )
    row = (
        "MSitAE-MARCH-2023,RRK,NHS ENGLAND MIDLANDS,UHB,30000,0,500,30500,9000,0,10,9010,0.70,4000,300,10000,0,20,10020"
    )
    out = read_ae_monthly(write(tmp_path, "March-2023-AE-by-provider.csv", later, [row]))
    assert out["month"].unique().tolist() == [pd.Timestamp("2023-03-01")]
    assert value(out, "RRK", "attendances", "type_1") == 30000
    assert value(out, "RRK", "attendances", "other") == 500
    assert value(out, "RRK", "over_4h", "type_1") == 9000
    assert value(out, "RRK", "dta_4_12h") == 4000
    assert value(out, "RRK", "dta_over_12h") == 300
    assert value(out, "RRK", "emergency_admissions", "other") == 20
    # the file's own totals and percentages are recognised and not read as counts
    assert set(out["measure"]) == {"attendances", "over_4h", "dta_4_12h", "dta_over_12h", "emergency_admissions"}
    assert out["value"].sum() == 30000 + 500 + 9000 + 10 + 4000 + 300 + 10000 + 20


def test_an_unknown_column_names_the_file_the_column_and_what_was_expected(tmp_path):
    path = write(
        tmp_path,
        "msitae_2020-04.csv",
        APR_2020 + ",Ambulance handovers over 1 hour",
        [f"MSitAE-APRIL-2020,RRK,X,UHB,{RRK_16},7"],
    )
    with pytest.raises(SourceFormatError) as info:
        read_ae_monthly(path)
    message = str(info.value)
    assert str(path) in message
    assert "'Ambulance handovers over 1 hour' not understood" in message
    assert "attendances type_1 (such as 'A&E attendances Type 1')" in message
    assert "dta_over_12h (such as 'Patients who have waited 12+ hrs from DTA to admission')" in message
    assert "Found 'Period', 'Org Code'" in message
    # a column the book does not need can be named in the entry's options
    out = read_ae_monthly(path, ignore=["Ambulance handovers over 1 hour"])
    assert value(out, "RRK", "attendances", "type_1") == 31236


def test_a_missing_count_names_the_file_and_the_column_expected(tmp_path):
    header = APR_2020.replace(",Patients who have waited 12+ hrs from DTA to admission", "")
    row = "MSitAE-APRIL-2020,RRK,X,UHB,31236,0,4535,12071,0,97,5063,11345,0,1322,3573"
    with pytest.raises(
        SourceFormatError,
        match=r"msitae_2020-04\.csv does not look like NHS England's monthly A&E file.*"
        r"no column for dta_over_12h \(such as 'Patients who have waited 12\+ hrs from DTA to admission'\)",
    ):
        read_ae_monthly(write(tmp_path, "msitae_2020-04.csv", header, [row]))


def test_a_dta_count_over_four_hours_is_not_read_as_four_to_twelve(tmp_path):
    header = APR_2020.replace("Patients who have waited 4-12 hs", "Number of patients spending >4 hours")
    with pytest.raises(
        SourceFormatError, match="'Number of patients spending >4 hours from DTA to admission' not understood"
    ):
        read_ae_monthly(write(tmp_path, "msitae_2020-04.csv", header, [f"MSitAE-APRIL-2020,RRK,X,UHB,{RRK_16}"]))


def test_a_non_numeric_count_names_file_row_and_column(tmp_path):
    rows = provider_rows("MSitAE-APRIL-2020", RRK_16, RQ3_16.replace("4893", "48x3", 1))
    path = write(tmp_path, "msitae_2020-04.csv", APR_2020, rows)
    with pytest.raises(
        DataContractError,
        match=r"msitae_2020-04\.csv, row 3, column 'A&E attendances Type 1': expected a number, found '48x3'",
    ):
        read_ae_monthly(path)


@pytest.mark.parametrize("bad", ["-5", "12.5"])
def test_a_negative_or_fractional_count_names_file_row_and_column(tmp_path, bad):
    rows = provider_rows("MSitAE-APRIL-2020", RRK_16.replace(",6,", f",{bad},", 1), RQ3_16)
    path = write(tmp_path, "msitae_2020-04.csv", APR_2020, rows)
    with pytest.raises(
        DataContractError,
        match=r"row 2, column 'Patients who have waited 12\+ hrs from DTA to admission': expected a count .* found "
        rf"'{bad}'",
    ):
        read_ae_monthly(path)


def test_a_blank_count_is_not_reported(tmp_path):
    rows = provider_rows("MSitAE-APRIL-2020", RRK_16.replace(",6,", ",,", 1), RQ3_16)
    out = read_ae_monthly(write(tmp_path, "msitae_2020-04.csv", APR_2020, rows))
    assert math.isnan(value(out, "RRK", "dta_over_12h"))


def test_the_month_in_the_name_and_in_the_period_column_must_agree(tmp_path):
    path = write(tmp_path, "msitae_2020-05.csv", APR_2020, provider_rows("MSitAE-APRIL-2020", RRK_16, RQ3_16))
    with pytest.raises(
        SourceFormatError,
        match=r"msitae_2020-05\.csv: the file name says 2020-05 but column 'Period' says 'MSitAE-APRIL-2020'",
    ):
        read_ae_monthly(path)


def test_every_row_of_a_file_gives_the_same_month(tmp_path):
    rows = [provider_rows("MSitAE-APRIL-2020", RRK_16, RQ3_16)[0], provider_rows("MSitAE-MAY-2020", RRK_16, RQ3_16)[1]]
    with pytest.raises(DataContractError, match=r"row 3, column 'Period': 'MSitAE-MAY-2020' is not the month of row 2"):
        read_ae_monthly(write(tmp_path, "ae.csv", APR_2020, rows))


def test_a_period_that_names_no_month_is_named(tmp_path):
    rows = provider_rows("MSitAE-APRIL-2020", RRK_16, RQ3_16)
    rows[1] = rows[1].replace("MSitAE-APRIL-2020", "Q1")
    with pytest.raises(
        DataContractError, match=r"row 3, column 'Period': expected a month such as 'MSitAE-JANUARY-2020', found 'Q1'"
    ):
        read_ae_monthly(write(tmp_path, "ae.csv", APR_2020, rows))


def test_a_folder_reads_every_month_in_order_and_two_files_of_one_month_are_refused(tmp_path):
    write(tmp_path, "msitae_2020-04.csv", APR_2020, provider_rows("MSitAE-APRIL-2020", RRK_16, RQ3_16))
    write(tmp_path, "msitae_2020-01.csv", JAN_2020, provider_rows("MSitAE-JANUARY-2020", RRK_16, RQ3_16))
    write(tmp_path, "msitae_2021-07.csv", AUG_2021, provider_rows("MSitAE-JULY-2021", RRK_22, RQ3_22))
    (tmp_path / "README.txt").write_text("not a month")
    out = read_ae_monthly(tmp_path)
    assert out["month"].dt.strftime("%Y-%m").drop_duplicates().tolist() == ["2020-01", "2020-04", "2021-07"]
    assert [p.rsplit("/", 1)[-1] for p in out.attrs["files"]] == [
        "msitae_2020-01.csv",
        "msitae_2020-04.csv",
        "msitae_2021-07.csv",
    ]
    chosen = read_ae_monthly([tmp_path / "msitae_2020-04.csv", tmp_path / "msitae_2020-01.csv"])
    assert chosen["month"].nunique() == 2
    write(tmp_path, "copy-of-april.csv", APR_2020, provider_rows("MSitAE-APRIL-2020", RRK_16, RQ3_16))
    with pytest.raises(DataContractError, match="both hold April 2020; read one file a month"):
        read_ae_monthly(tmp_path)
    with pytest.raises(FileNotFoundError, match="no files matching 'msitae_\\*.xlsx'"):
        read_ae_monthly(tmp_path, pattern="msitae_*.xlsx")


def test_a_trust_exempt_from_the_four_hour_measure_has_no_breaches_not_zero(tmp_path):
    exempt = "19914,0,9298,0,0,0,123,2,3063,0,0,693"
    rows = provider_rows("MSitAE-APRIL-2020", RRK_16, exempt)
    out = read_ae_monthly(write(tmp_path, "msitae_2020-04.csv", APR_2020, rows))
    assert out.loc[(out["provider"] == "RQ3") & (out["measure"] == "over_4h"), "value"].isna().all()
    assert value(out, "RQ3", "attendances", "type_1") == 19914  # its attendances stand
    assert value(out, "RRK", "over_4h", "type_1") == 12071
    assert [(r, why.split(":")[1].strip()) for r, why in out.attrs["repaired"]] == [
        (
            3,
            "RQ3 reports 19,914 type 1 attendances and no four-hour breaches at all (a trust exempt from the "
            "four-hour measure)",
        )
    ]


def test_a_total_row_that_disagrees_with_the_providers_is_reported(tmp_path):
    rows = provider_rows("MSitAE-APRIL-2020", RRK_16, RQ3_16) + [
        total("TOTAL,TOTAL,TOTAL,TOTAL", RRK_16, RQ3_16).replace("36129", "36000")
    ]
    out = read_ae_monthly(write(tmp_path, "msitae_2020-04.csv", APR_2020, rows))
    assert out.attrs["rejected"] == [
        (4, "msitae_2020-04.csv: the file's total row, not a provider; it differs from the sum of the providers in "
            "'A&E attendances Type 1' 36,000 against 36,129")
    ]


def test_a_provider_twice_is_kept_once_when_identical_and_refused_when_not(tmp_path):
    rows = provider_rows("MSitAE-APRIL-2020", RRK_16, RQ3_16)
    out = read_ae_monthly(write(tmp_path, "msitae_2020-04.csv", APR_2020, rows + [rows[0]]))
    assert (out["provider"] == "RRK").sum() == 12
    assert (4, "msitae_2020-04.csv: repeats row 2") in out.attrs["rejected"]
    changed = rows[0].replace("31236", "31237")
    with pytest.raises(
        DataContractError, match=r"rows 2 and 4: two rows for \(_provider=RRK\) disagree on 'A&E attendances Type 1'"
    ):
        read_ae_monthly(write(tmp_path, "msitae_2020-04.csv", APR_2020, rows + [changed]))


def test_headers_read_by_meaning():
    assert meaning("Number of A&E attendances Other A&E Department") == Meaning("attendances", "other")
    assert meaning("Attendances over 4hrs Booked Appointments Type 2") == Meaning("over_4h", "type_2", booked=True)
    assert meaning("Emergency admissions via A&E - Other A&E department") == Meaning("emergency_admissions", "other")
    assert meaning("Other emergency admissions") == Meaning("other_emergency_admissions")
    assert meaning("Patients who have waited 12 or more hours from DTA to admission") == Meaning("dta_over_12h")
    assert meaning("\ufeffPeriod") == "period"
    assert meaning("Parent Org") == "region"
    assert meaning("Total attendances") == "ignored"
    assert meaning("ICB Code") == "ignored"  # an identifying column the table does not keep, not a count
    assert meaning("Ambulance handovers") is None


def test_month_in_file_names_and_periods():
    assert month_in("MSitAE-SEPTEMBER-2021") == pd.Timestamp("2021-09-01")
    assert month_in("msitae_2020-01") == pd.Timestamp("2020-01-01")
    assert month_in("Monthly-AE-Sept-2022-revised") == pd.Timestamp("2022-09-01")
    assert month_in("AE-by-provider-202303") == pd.Timestamp("2023-03-01")
    assert month_in("ae_2020-21") is None


def test_registry_reads_a_folder_as_the_provider_series_table(tmp_path):
    write(tmp_path, "msitae_2020-04.csv", APR_2020, provider_rows("MSitAE-APRIL-2020", RRK_16, RQ3_16))
    out = registry.read("nhse_ae_monthly", tmp_path, table="provider_series", pattern="msitae_*.csv")
    assert len(out) == 24
    assert registry.publisher("nhse_ae_monthly").startswith("NHS England")
    with pytest.raises(ValueError, match="adapter 'nhse_ae_monthly' makes the provider_series table, not activity"):
        registry.read("nhse_ae_monthly", tmp_path, table="activity")
    with pytest.raises(ValueError, match="check the entry's options"):
        registry.read("nhse_ae_monthly", tmp_path, table="provider_series", providers=["RRK"])


def test_a_files_edition_reads_the_folder_and_hashes_each_monthly_file(tmp_path):
    from analysis import catalog
    from analysis.config import Params, load

    write(tmp_path, "msitae_2020-04.csv", APR_2020, provider_rows("MSitAE-APRIL-2020", RRK_16, RQ3_16))
    write(tmp_path, "msitae_2020-05.csv", APR_2020, provider_rows("MSitAE-MAY-2020", RRK_16, RQ3_16))
    base = load("params/default.yml").model_dump()
    entry = {"adapter": "nhse_ae_monthly", "path": str(tmp_path), "options": {"pattern": "msitae_*.csv"}}
    # A files edition needs a population (a small one in ONS's mid-year estimate columns, kept apart from
    # the monthly files); its file is hashed alongside them.
    other = tmp_path.parent / f"population-{tmp_path.name}"
    other.mkdir()
    rows = [f"2011,E08000025,Birmingham,{sex},{age},100" for sex in ("male", "female") for age in range(91)]
    (other / "mye.csv").write_text("year,lad_code,lad_name,sex,age,population\n" + "\n".join(rows) + "\n")
    population = {"adapter": "ons_mye", "path": str(other / "mye.csv")}
    base["data"] = {"kind": "files", "files": {"provider_series": [entry], "population": [population]}}
    tables, inputs, _ = catalog.file_tables(Params.model_validate(base))
    assert len(tables["provider_series"]) == 2 * 2 * 12
    monthly = [key for key in inputs if key.startswith(str(tmp_path))]
    assert sorted(monthly) == [f"{tmp_path}/msitae_2020-04.csv", f"{tmp_path}/msitae_2020-05.csv"]
    assert len({inputs[key] for key in monthly}) == 2


def test_trailing_empty_columns_are_no_trouble_but_an_unnamed_column_with_values_is(tmp_path):
    rows = [r + ",," for r in provider_rows("MSitAE-APRIL-2020", RRK_16, RQ3_16)]
    out = read_ae_monthly(write(tmp_path, "msitae_2020-04.csv", APR_2020 + ",,", rows))
    assert value(out, "RRK", "attendances", "type_1") == 31236
    rows = [r + ",5" for r in provider_rows("MSitAE-APRIL-2020", RRK_16, RQ3_16)]
    with pytest.raises(SourceFormatError, match="column\\(s\\) '' not understood"):
        read_ae_monthly(write(tmp_path, "msitae_2020-04.csv", APR_2020 + ",", rows))
