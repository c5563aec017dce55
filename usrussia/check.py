"""Feedback on the exercises of the student notebooks, in words.

Each exercise's check cell calls ``usrussia.check.<chapter>_<n>(answer)``; the function
compares the student's answer with the one computed from the data and returns a
``Feedback``, which Jupyter shows as a short list of what is right and what is not. A
check never raises: an answer it cannot read is reported as such.

Why not otter-grader: it needs its own assignment format, a generated autograder and a
separate grading step, while the book needs only immediate feedback beside each exercise
in a notebook that also runs in Colab and Binder; a few plain comparisons do that.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from usrussia import facts
from usrussia.data import load
from usrussia.facts import _compare, _lab_commentary

# Each exercise's name as the page and the student notebook show it ("Exercise 4.3"), from
# the book build's numbering: ``make notebooks`` copies it here from
# _build/notebooks/exercise_numbers.json (usrussia.notebook_export), and a test keeps the
# copy in step with the build.
EXERCISE_NUMBERS = Path(__file__).resolve().parent / "exercise_numbers.json"


@functools.cache
def _exercise_numbers() -> dict[str, str]:
    try:
        return json.loads(EXERCISE_NUMBERS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def exercise_name(label: str) -> str:
    """The exercise ``label`` (``"reset-ex-join"``) as the student sees it: "Exercise 4.3";
    "This exercise" for a label the last build did not number (a chapter not yet built)."""
    return _exercise_numbers().get(label, "This exercise")


NOT_STARTED = "Not answered yet: replace the ... with your code, run it, then run this check."


class Feedback:
    """The outcome of one check: ``passed`` (bool) and a list of (ok, message) lines.

    A plain string among the results is a note (what the check cannot judge, for example),
    shown after the checks and not counted.
    """

    def __init__(self, exercise: str, results: list[tuple[bool, str] | str]):
        self.exercise = exercise  # its name as the student sees it: "Exercise 4.3"
        self.notes = [item for item in results if isinstance(item, str)]
        self.results = [item for item in results if not isinstance(item, str)]
        self.passed = bool(self.results) and all(ok for ok, _ in self.results)

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        head = (
            f"{self.exercise}: right."
            if self.passed
            else f"{self.exercise}: not right yet ({sum(ok for ok, _ in self.results)} of "
            f"{len(self.results)} checks pass)."
        )
        lines = [f"  {'✓' if ok else '✗'} {msg}" for ok, msg in self.results]
        return "\n".join([head, *lines, *(f"  Note: {note}" for note in self.notes)])


def holds_ellipsis(answer) -> bool:
    """Is ``answer`` the scaffold's ``...``, or a table, list or dict still holding one?"""
    if answer is Ellipsis:
        return True
    if isinstance(answer, pd.DataFrame):
        return any(holds_ellipsis(column) for _, column in answer.items())
    if isinstance(answer, pd.Series):
        return answer.dtype == object and any(value is Ellipsis for value in answer)
    if isinstance(answer, dict):
        return any(holds_ellipsis(value) for value in answer.values())
    if isinstance(answer, list | tuple):
        return any(holds_ellipsis(value) for value in answer)
    return False


def could_not_read(error: Exception, answers: tuple) -> str:
    """Words for a check that failed on the answer's shape rather than its value.

    The commonest case: a filter or a group-by leaves a pandas Series (or a one-row table)
    where the check wants one number."""
    tables = [a for a in answers if isinstance(a, pd.Series | pd.DataFrame)]
    if tables and isinstance(error, TypeError | ValueError):
        size = tables[0].size
        kind = type(tables[0]).__name__
        if size == 1:
            return (
                f"Your answer is a pandas {kind} holding one value, where the check expects "
                "the number itself: take it out with .item() (for example "
                "`share = share.item()`)."
            )
        return (
            f"Your answer is a pandas {kind} of {size} values, where the check expects a "
            "single number or a different table: look again at what the exercise asks for."
        )
    return f"Could not read your answer ({type(error).__name__}: {error})."


def exercise(label: str) -> Callable:
    """Wrap a checker: an untouched ``...`` or an error becomes feedback, never an exception."""

    def wrap(checker: Callable[..., list[tuple[bool, str]]]) -> Callable[..., Feedback]:
        @functools.wraps(checker)
        def run(*answers) -> Feedback:
            if any(holds_ellipsis(a) for a in answers):
                return Feedback(exercise_name(label), [(False, NOT_STARTED)])
            try:
                return Feedback(exercise_name(label), checker(*answers))
            except Exception as error:  # noqa: BLE001 - feedback, not a traceback
                return Feedback(exercise_name(label), [(False, could_not_read(error, answers))])

        run.label = label
        return run

    return wrap


# --- Helpers for checking charts ---------------------------------------------------------


def chart_dict(chart) -> dict:
    """An Altair chart as its Vega-Lite dict (without validation)."""
    return chart.to_dict(validate=False)


def chart_title(chart) -> str:
    """The chart's title text ('' if it has none)."""
    title = chart_dict(chart).get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    return " ".join(title) if isinstance(title, list) else str(title)


def chart_rows(chart) -> list[dict]:
    """Every data row the chart carries (all its datasets)."""
    return [row for rows in chart_dict(chart).get("datasets", {}).values() for row in rows]


def numbers_in(text: str) -> set[float]:
    """The numbers written in a text: '1,550' -> 1550, '30%' -> 30."""
    return {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def title_checks(chart, allowed_numbers: set[float]) -> list[tuple[bool, str]]:
    """A title states a finding, and every number in it is one the data give."""
    title = chart_title(chart)
    stray = sorted(numbers_in(title) - set(allowed_numbers))
    return [
        (
            bool(title) and "write your finding" not in title.lower() and "..." not in title,
            "The title states your finding."
            if title and "write your finding" not in title.lower()
            else "Write a title that states what the chart shows.",
        ),
        (
            not stray,
            "Every number in the title is in the data."
            if not stray
            else f"The title states {', '.join(f'{n:g}' for n in stray)}, not in the data.",
        ),
    ]


def same(answer, expected, what: str, tolerance: float = 1e-6) -> tuple[bool, str]:
    """Compare two numbers; the message says which is which."""
    ok = abs(float(answer) - float(expected)) <= tolerance
    return ok, (f"{what} is right." if ok else f"{what}: you have {answer}, check your steps.")


# --- New START ---------------------------------------------------------------------------

NS_MEASURES = ["deployed_launchers", "deployed_warheads", "total_launchers"]


def _headroom_on(date: str) -> pd.DataFrame:
    ns, limit_of = load("new_start"), facts.new_start_limits()
    declared = ns[ns["date"] == date].set_index("party")[NS_MEASURES]
    return pd.DataFrame({m: limit_of[m] - declared[m] for m in NS_MEASURES}).astype(int)


@exercise("new_start-ex-headroom")
def new_start_1(headroom) -> list[tuple[bool, str]]:
    """``headroom``: a frame, one row per party, one column per measure (limit - declared)."""
    frame = pd.DataFrame(headroom)
    missing = [m for m in NS_MEASURES if m not in frame.columns]
    if missing:
        return [(False, f"headroom needs a column for each measure; missing: {missing}.")]
    results = []
    for date in ("2018-02-05", "2022-03-01"):
        expected = _headroom_on(date)
        if set(frame.index) == set(expected.index) and (
            frame.loc[expected.index, NS_MEASURES].astype(int) == expected
        ).all(axis=None):
            results.append((True, f"Headroom for both parties on {date} is right."))
            break
    else:
        sign = "limit minus declared value (positive means room to spare)"
        results.append(
            (False, f"The values do not match either date; headroom is the {sign}, per party.")
        )
    return results


@exercise("new_start-ex-total")
def new_start_2(chart) -> list[tuple[bool, str]]:
    """``chart``: total launchers by party, with the limit taken from the data."""
    limit = facts.new_start_limits()["total_launchers"]
    ns = load("new_start")
    rows = chart_rows(chart)
    fields = {key for row in rows for key in row}
    allowed = set(ns["total_launchers"].astype(float)) | {float(limit)}
    allowed |= {float(y) for y in range(2010, 2027)}
    return [
        (
            "total_launchers" in fields,
            "The chart draws total_launchers."
            if "total_launchers" in fields
            else "Chart the total_launchers column.",
        ),
        (
            any(row.get("limit") == limit for row in rows),
            "The limit line is at the total-launcher limit from new_start_limits."
            if any(row.get("limit") == limit for row in rows)
            else "Draw the limit with limit=..., taken from load('new_start_limits').",
        ),
        *title_checks(chart, allowed),
    ]


def _largest_changes() -> pd.DataFrame:
    ns = load("new_start")
    steps = ns.sort_values("date")[["date", "party", "deployed_warheads"]].copy()
    steps["change"] = steps.groupby("party")["deployed_warheads"].diff()
    steps["days"] = steps.groupby("party")["date"].diff().dt.days
    six = steps[steps["days"] < 200].dropna(subset=["change"])
    return six.loc[six["change"].abs().groupby(six["party"]).idxmax()].set_index("party")


@exercise("new_start-ex-change")
def new_start_3(largest) -> list[tuple[bool, str]]:
    """``largest``: one row per party with its ``date`` and ``change`` (signed)."""
    frame = pd.DataFrame(largest)
    if "party" in frame.columns:
        frame = frame.set_index("party")
    expected = _largest_changes()
    results = []
    for party, row in expected.iterrows():
        if party not in frame.index:
            results.append((False, f"No row for {party}."))
            continue
        got = frame.loc[party]
        ok = pd.Timestamp(got["date"]) == row["date"] and float(got["change"]) == row["change"]
        results.append(
            (
                ok,
                f"{party}: right."
                if ok
                else f"{party}: not the largest six-monthly change; "
                "did you keep only steps under 200 days and compare absolute changes?",
            )
        )
    return results


@exercise("new_start-ex-moscow")
def new_start_4(counted_by_moscow, excess) -> list[tuple[bool, str]]:
    """The U.S. total on 5 February 2018 with the 56 + 41 converted launchers added back."""
    ns = load("new_start")
    declared = ns[(ns["date"] == "2018-02-05") & (ns["party"] == "United States")]
    total = int(declared["total_launchers"].iloc[0]) + 56 + 41
    limit = facts.new_start_limits()["total_launchers"]
    return [
        same(counted_by_moscow, total, "The total counted Moscow's way"),
        same(excess, total - limit, "The excess over the limit"),
    ]


@exercise("new_start-ex-summits")
def new_start_5(meetings_in_force, meetings_after_suspension) -> list[tuple[bool, str]]:
    """Meetings while the treaty was in force, and those after Russia's suspension."""
    summits = load("summits")
    dates = load("new_start_milestones").set_index("milestone")["date"]
    during = summits[
        (summits["date"] >= dates["Entry into force"]) & (summits["date"] < dates["Treaty expires"])
    ]
    after = int((during["date"] >= dates["Russia announces suspension"]).sum())
    return [
        same(meetings_in_force, len(during), "The meetings while the treaty was in force"),
        same(meetings_after_suspension, after, "The meetings after the suspension"),
    ]


# --- The reset ---------------------------------------------------------------------------


@exercise("reset-ex-sanctions")
def reset_4(by_year) -> list[tuple[bool, str]]:
    """``by_year``: indexed by year 2009-2016; ``measures`` and ``exports_usd_millions``."""
    frame = pd.DataFrame(by_year)
    years = list(range(2009, 2017))
    counts = load("sanctions")["date"].dt.year.value_counts().reindex(years, fill_value=0)
    exports = load("trade").set_index("year").loc[years, "exports_usd_millions"]
    if sorted(int(y) for y in frame.index) != years:
        return [(False, "by_year should have one row per year, 2009 to 2016, as its index.")]
    frame.index = [int(y) for y in frame.index]
    ok_counts = "measures" in frame and all(
        int(frame.loc[y, "measures"]) == counts[y] for y in years
    )
    ok_exports = "exports_usd_millions" in frame and all(
        float(frame.loc[y, "exports_usd_millions"]) == float(exports[y]) for y in years
    )
    return [
        (
            ok_counts,
            "The number of measures per year is right."
            if ok_counts
            else "measures: count the sanctions by the year of their date; 0 if none.",
        ),
        (
            ok_exports,
            "The exports are right."
            if ok_exports
            else "exports_usd_millions: take them from the trade table for each year.",
        ),
    ]


@exercise("reset-ex-trade")
def reset_1(export_share, largest_deficit_year) -> list[tuple[bool, str]]:
    """``export_share``: ten values for 2005-2014; ``largest_deficit_year``: a year."""
    trade = load("trade")
    t = trade[trade["year"].between(2005, 2014)]
    expected = t["exports_usd_millions"] / (t["exports_usd_millions"] + t["imports_usd_millions"])
    reset_years = t[t["year"].between(2009, 2012)]
    year = int(reset_years.loc[reset_years["balance_usd_millions"].idxmin(), "year"])
    values = [float(v) for v in pd.Series(export_share)]
    ok_share = len(values) == len(expected) and all(
        abs(a - float(b)) < 1e-9 for a, b in zip(values, expected, strict=True)
    )
    return [
        (
            ok_share,
            "The export shares are right."
            if ok_share
            else "export_share: exports divided by exports plus imports, 2005-2014.",
        ),
        same(largest_deficit_year, year, "The year of the largest reset-year deficit"),
    ]


@exercise("reset-ex-statement")
def reset_2(export_growth, meetings_last_year) -> list[tuple[bool, str]]:
    """Export growth (%) on the year before for 2012 and 2013; meetings in the twelve
    months before 7 August 2013."""
    exports = load("trade").set_index("year")["exports_usd_millions"].astype(float)
    expected = (exports.pct_change() * 100).loc[[2012, 2013]]
    got = pd.Series(export_growth).reindex(expected.index).astype(float)
    ok = bool(((got - expected).abs() < 0.05).all())
    summits = load("summits")
    window = summits[(summits["date"] >= "2012-08-07") & (summits["date"] < "2013-08-07")]
    return [
        (
            ok,
            "The export growth is right."
            if ok
            else "export_growth: (this year / last year "
            "- 1) * 100 for 2012 and 2013, indexed by year.",
        ),
        same(meetings_last_year, len(window), "The number of meetings"),
    ]


@exercise("reset-ex-opinion")
def reset_3(worst, chart) -> list[tuple[bool, str]]:
    """``worst``: the Gallup reading after the largest fall; ``chart``: 2012-2016, titled."""
    opinion = load("opinion")
    gallup = opinion[opinion["pollster"] == "Gallup"].sort_values("date")
    fall_to = gallup.loc[gallup["percent"].diff().idxmin(), "date"]
    ok_worst = pd.Timestamp(pd.Series(worst)["date"]) == fall_to
    allowed = set(gallup["percent"].astype(float)) | {float(y) for y in range(2000, 2027)}
    return [
        (
            ok_worst,
            "The reading after the largest fall is right."
            if ok_worst
            else "worst: the row of g whose change is the most negative.",
        ),
        *title_checks(chart, allowed),
    ]


# --- Minsk -------------------------------------------------------------------------------


@exercise("minsk-ex-mh17")
def minsk_1(share) -> list[tuple[bool, str]]:
    """``share``: the fraction of 2014-2021 deaths in 2014-2015, MH17's 298 taken out."""
    killed = load("donbas_casualties").set_index("year")["civilians_killed"].astype(int)
    killed.loc[2014] -= facts.MH17_DEATHS
    expected = (killed.loc[2014] + killed.loc[2015]) / killed.sum()
    if float(share) > 1:
        return [(False, "share should be a fraction between 0 and 1, not a percentage.")]
    return [same(share, expected, "The share without MH17", 1e-3)]


def _minsk_window_measures() -> list[str]:
    events = load("timeline").set_index("event")["date"]
    package = events["Package of Measures (Minsk II) adopted"]
    recognition = events["Russia recognizes the 'DNR' and 'LNR'"]
    sanctions = load("sanctions")
    chosen = sanctions[(sanctions["date"] > package) & (sanctions["date"] < recognition)]
    return list(chosen["measure"])


@exercise("minsk-ex-statement")
def minsk_2(during_minsk) -> list[tuple[bool, str]]:
    """``during_minsk``: the names of the measures adopted between the two dates."""
    expected = set(_minsk_window_measures())
    got = {str(name) for name in during_minsk}
    missing, extra = sorted(expected - got), sorted(got - expected)
    results = [(not missing, "No measure is missing." if not missing else f"Missing: {missing}.")]
    results.append(
        (
            not extra,
            "No measure outside the window."
            if not extra
            else f"Outside the window: "
            f"{extra}. Keep dates strictly after the package and before the recognition.",
        )
    )
    return results


@exercise("minsk-ex-trade")
def minsk_3(change, first_above) -> list[tuple[bool, str]]:
    """``change``: per year, exports and imports relative to the base year, minus 1."""
    frame = pd.DataFrame(change)
    cols = ["exports_usd_millions", "imports_usd_millions"]
    trade = load("trade").set_index("year")
    base = int(min(frame.index)) - 1
    expected = trade.loc[base + 1 : 2021, cols] / trade.loc[base, cols] - 1
    got = frame.reindex(index=expected.index, columns=cols).astype(float)
    ok = bool(((got - expected.astype(float)).abs() < 5e-3).all(axis=None))
    above = expected.index[expected["imports_usd_millions"] > 0]
    return [
        (
            ok,
            f"The changes relative to {base} are right."
            if ok
            else "change: divide each "
            "year's values by the base year's and subtract 1, for the years after the base.",
        ),
        same(first_above, int(above[0]) if len(above) else -1, "The first year above the base"),
    ]


@exercise("minsk-ex-opinion")
def minsk_4(change_by_pollster, chart) -> list[tuple[bool, str]]:
    """``change_by_pollster``: last minus first reading per pollster, 2015-2021."""
    opinion = load("opinion")
    window = opinion[opinion["date"].dt.year.between(2015, 2021)].sort_values("date")
    readings = window.groupby("pollster")["percent"]
    expected = (readings.last() - readings.first()).astype(float)
    got = pd.Series(change_by_pollster).astype(float)
    ok = all(abs(got.get(p, float("nan")) - v) < 1e-6 for p, v in expected.items())
    allowed = set(window["percent"].astype(float)) | {abs(v) for v in expected}
    allowed |= {float(y) for y in range(2012, 2023)}
    return [
        (
            ok,
            "The change for each pollster is right."
            if ok
            else "change_by_pollster: for "
            "each pollster, its last reading in 2015-2021 minus its first.",
        ),
        *title_checks(chart, allowed),
    ]


# --- Helsinki ----------------------------------------------------------------------------


def _gallup() -> pd.DataFrame:
    opinion = load("opinion")
    return opinion[opinion["pollster"] == "Gallup"].sort_values("date")


@exercise("helsinki-ex-never-worse")
def helsinki_1(latest_before, lowest_before) -> list[tuple[bool, str]]:
    """The last and the lowest Gallup reading (per cent) before 16 July 2018."""
    before = _gallup().query("date < '2018-07-16'")
    return [
        same(latest_before, before["percent"].iloc[-1], "The last reading before the summit"),
        same(lowest_before, before["percent"].min(), "The lowest reading before the summit"),
    ]


@exercise("helsinki-ex-opinion")
def helsinki_2(change_2017_2018, change_2018_2020, levada_1819) -> list[tuple[bool, str]]:
    """Two Gallup changes in points, and the Levada rows of 2018 and 2019."""
    gallup = _gallup()
    by_year = gallup.set_index(gallup["date"].dt.year)["percent"]
    opinion = load("opinion")
    levada = opinion[opinion["pollster"] == "Levada Center"]
    expected_dates = set(levada.loc[levada["date"].dt.year.isin([2018, 2019]), "date"])
    got_dates = set(pd.to_datetime(pd.DataFrame(levada_1819)["date"]))
    ok = got_dates == expected_dates
    return [
        same(change_2017_2018, by_year[2018] - by_year[2017], "The change from 2017 to 2018"),
        same(change_2018_2020, by_year[2020] - by_year[2018], "The change from 2018 to 2020"),
        (
            ok,
            "The Levada readings of 2018 and 2019 are right."
            if ok
            else "levada_1819: keep "
            "the Levada Center rows dated in 2018 or 2019, and no other year.",
        ),
    ]


@exercise("helsinki-ex-summits")
def helsinki_3(counts, share_standalone) -> list[tuple[bool, str]]:
    """``counts``: meetings by president and format; ``share_standalone`` per president."""
    summits = load("summits")
    expected = summits.groupby(["us_president", "format"]).size().unstack(fill_value=0)
    got = pd.DataFrame(counts).reindex(index=expected.index, columns=expected.columns)
    ok_counts = bool((got.fillna(-1).astype(int) == expected).all(axis=None))
    share = expected["standalone summit"] / expected.sum(axis=1)
    got_share = pd.Series(share_standalone).reindex(share.index).astype(float)
    ok_share = bool(((got_share - share).abs() < 1e-3).all())
    return [
        (
            ok_counts,
            "The counts are right."
            if ok_counts
            else "counts: group the meetings "
            "by president and format and count them (one column per format).",
        ),
        (
            ok_share,
            "The shares are right."
            if ok_share
            else "share_standalone: standalone summits divided by all of a president's meetings.",
        ),
    ]


@exercise("helsinki-ex-stockpiles")
def helsinki_4(change_1987_2019) -> list[tuple[bool, str]]:
    """Per country, the stockpile's change from 1987 to 2019 in per cent."""
    wide = load("stockpiles").pivot(index="year", columns="country", values="stockpile_warheads")
    expected = (wide.loc[2019] - wide.loc[1987]) / wide.loc[1987] * 100
    got = pd.Series(change_1987_2019).reindex(expected.index).astype(float)
    if (got > 0).all():
        return [(False, "A fall is a negative change: (2019 - 1987) / 1987 * 100.")]
    ok = bool(((got - expected.astype(float)).abs() < 0.1).all())
    return [(ok, "The changes are right." if ok else "Compute (2019 - 1987) / 1987 * 100.")]


# --- Geneva ------------------------------------------------------------------------------


@exercise("geneva-ex-trade")
def geneva_1(imports_ratio, rank_2021) -> list[tuple[bool, str]]:
    """2021 imports over 2013 imports, and 2021's rank among all years by imports."""
    imports = load("trade").set_index("year")["imports_usd_millions"]
    rank = int(imports.rank(ascending=False)[2021])
    return [
        same(imports_ratio, imports[2021] / imports[2013], "The ratio of 2021 to 2013", 1e-3),
        same(rank_2021, rank, "The rank of 2021"),
    ]


@exercise("geneva-ex-verifiable")
def geneva_2(last_both, share_covered) -> list[tuple[bool, str]]:
    """The last exchange date with both parties' numbers; the share of the extension
    period (extension in force to expiry) that it covers."""
    parties = load("new_start").groupby("date")["party"].nunique()
    expected = parties[parties == 2].index.max()
    dates = load("new_start_milestones").set_index("milestone")["date"]
    start, end = dates["Five-year extension in force"], dates["Treaty expires"]
    ok = pd.Timestamp(last_both) == expected
    return [
        (
            ok,
            "The last date with both parties is right."
            if ok
            else "last_both: the latest date on which both parties have a row.",
        ),
        same(share_covered, (expected - start) / (end - start), "The share covered", 1e-3),
    ]


@exercise("geneva-ex-opinion")
def geneva_3(change, chart) -> list[tuple[bool, str]]:
    """``change``: per pollster, first reading after the invasion minus last before Geneva."""
    opinion = load("opinion").sort_values("date")
    before = opinion[opinion["date"] < "2021-06-16"].groupby("pollster")["percent"].last()
    after = opinion[opinion["date"] >= "2022-02-24"].groupby("pollster")["percent"].first()
    expected = (after - before).astype(float)
    got = pd.Series(change).reindex(expected.index).astype(float)
    ok = bool(((got - expected).abs() < 1e-6).all())
    levada = opinion[opinion["pollster"] == "Levada Center"]
    allowed = set(levada["percent"].astype(float)) | {abs(v) for v in expected}
    allowed |= {float(y) for y in range(2014, 2026)} | {24.0}
    return [
        (
            ok,
            "The changes are right."
            if ok
            else "change: the first reading on or after 24 "
            "February 2022 minus the last before 16 June 2021, for each pollster.",
        ),
        *title_checks(chart, allowed),
    ]


@exercise("geneva-ex-sanctions")
def geneva_4(on_14024, share_pct) -> list[tuple[bool, str]]:
    """``on_14024``: the measures resting on E.O. 14024; ``share_pct`` per year from 2014."""
    sanctions = load("sanctions")
    mask = sanctions["measure"].str.contains("14024") | sanctions["legal_basis"].str.contains(
        "14024"
    )
    expected_rows = set(sanctions.loc[mask, "measure"])
    ok_rows = set(pd.DataFrame(on_14024)["measure"]) == expected_rows
    years = sanctions["date"].dt.year
    expected = (mask[years >= 2014] * 100).groupby(years[years >= 2014]).mean()
    got = pd.Series(share_pct).reindex(expected.index).astype(float)
    ok_share = bool(((got - expected).abs() <= 0.5).all())
    return [
        (
            ok_rows,
            "The measures on E.O. 14024 are right."
            if ok_rows
            else "on_14024: keep the rows whose measure or legal basis mentions 14024.",
        ),
        (
            ok_share,
            "The yearly shares are right."
            if ok_share
            else "share_pct: per year from 2014, the per cent of measures on E.O. 14024.",
        ),
    ]


# --- After 2022 --------------------------------------------------------------------------


def _trade_flows() -> pd.DataFrame:
    trade = load("trade").set_index("year")
    return trade[["exports_usd_millions", "imports_usd_millions"]].astype(float)


@exercise("after_2022-ex-trade")
def after_2022_1(worst_year, drop_2022) -> list[tuple[bool, str]]:
    """Per flow: the year of the largest one-year fall, and the 2021-2022 change (%)."""
    flows = _trade_flows()
    expected_years = (flows.pct_change() * 100).idxmin()
    expected_drop = (flows.loc[2022] / flows.loc[2021] - 1) * 100
    got_years = pd.Series(worst_year).reindex(expected_years.index)
    ok_years = all(int(got_years[f]) == int(expected_years[f]) for f in expected_years.index)
    got_drop = pd.Series(drop_2022).reindex(expected_drop.index).astype(float)
    ok_drop = bool(((got_drop - expected_drop).abs() < 0.05).all())
    return [
        (
            ok_years,
            "The years of the largest falls are right."
            if ok_years
            else "worst_year: for each flow, the year whose change is the most negative (idxmin).",
        ),
        (
            ok_drop,
            "The 2021-2022 changes are right."
            if ok_drop
            else "drop_2022: (2022 / 2021 - 1) * 100 for each flow; a fall is negative.",
        ),
    ]


def _measures_by_instrument() -> pd.DataFrame:
    """Sanctions measures per year (rows) and instrument ("law", "executive order")."""
    sanctions = load("sanctions")
    is_law = sanctions["legal_basis"].str.startswith("Statute")
    instrument = is_law.map({True: "law", False: "executive order"}).rename("instrument")
    year = sanctions["date"].dt.year.rename("year")
    return sanctions.groupby([year, instrument]).size().unstack(fill_value=0)


@exercise("after_2022-ex-sanctions")
def after_2022_2(after, n_laws, by_kind) -> list[tuple[bool, str]]:
    """``after``: the measures dated after 24 February 2022; ``n_laws``: how many are laws;
    ``by_kind``: measures per year and instrument, a year-by-instrument table of counts."""
    sanctions = load("sanctions")
    expected = sanctions[sanctions["date"] > "2022-02-24"]
    ok_rows = set(pd.DataFrame(after)["measure"]) == set(expected["measure"])
    table = _measures_by_instrument()
    got = pd.DataFrame(by_kind)
    got.index = [int(y) for y in got.index]
    got = got.reindex(index=list(table.index), columns=list(table.columns))
    ok_table = bool((got.to_numpy(dtype=float) == table.to_numpy(dtype=float)).all())
    return [
        (
            ok_rows,
            "The measures after the invasion are right."
            if ok_rows
            else "after: keep the rows dated after 24 February 2022.",
        ),
        same(n_laws, expected["legal_basis"].str.startswith("Statute").sum(), "The number of laws"),
        (
            ok_table,
            "The table of measures by year and instrument is right."
            if ok_table
            else "by_kind: group by year and instrument, count with size(), then unstack with "
            "fill_value=0, so that each year is a row and each instrument a column.",
        ),
    ]


@exercise("after_2022-ex-opinion")
def after_2022_3(first_change, rebound) -> list[tuple[bool, str]]:
    """Levada points: first reading after the invasion minus the last before; latest minus
    the wartime low."""
    opinion = load("opinion")
    levada = opinion[opinion["pollster"] == "Levada Center"].sort_values("date")
    before = levada[levada["date"] < "2022-02-24"]["percent"]
    after = levada[levada["date"] > "2022-02-24"]["percent"]
    return [
        same(first_change, after.iloc[0] - before.iloc[-1], "The change at the invasion"),
        same(rebound, levada["percent"].iloc[-1] - after.min(), "The rebound from the low"),
    ]


@exercise("after_2022-ex-scenarios")
def after_2022_4(headroom, months_without_data) -> list[tuple[bool, str]]:
    """Per party, the warhead limit minus its last declaration; months of Russian silence."""
    ns = load("new_start").sort_values("date")
    last = ns.groupby("party").last()
    limit = facts.new_start_limits()["deployed_warheads"]
    expected = limit - last["deployed_warheads"].astype(int)
    got = pd.Series(headroom).reindex(expected.index).astype(float)
    ok = bool((got == expected.astype(float)).all())
    expiry = load("new_start_milestones").set_index("milestone")["date"]["Treaty expires"]
    russia = last.loc["Russia", "date"]
    months = (expiry.year - russia.year) * 12 + expiry.month - russia.month
    return [
        (
            ok,
            "The headroom of each party is right."
            if ok
            else "headroom: the limit minus "
            "each party's last declared deployed warheads (a positive number is room to spare).",
        ),
        same(months_without_data, months, "The months without Russian data"),
    ]


# --- Overview ----------------------------------------------------------------------------


@exercise("overview-ex-summits")
def overview_1(standalone_by_president) -> list[tuple[bool, str]]:
    """Standalone summits counted per U.S. president."""
    summits = load("summits")
    expected = summits.loc[summits["format"] == "standalone summit", "us_president"]
    expected = expected.value_counts()
    got = pd.Series(standalone_by_president)
    ok = set(got.index) == set(expected.index) and all(
        int(got[p]) == int(n) for p, n in expected.items()
    )
    return [
        (
            ok,
            "The counts are right."
            if ok
            else "Keep the rows whose format is 'standalone "
            "summit', then count them by us_president.",
        ),
    ]


@exercise("overview-ex-stockpiles")
def overview_2(wide) -> list[tuple[bool, str]]:
    """``wide``: per country, ``fall`` (warheads) and ``fall_pct`` from 1991 to the latest."""
    stock = load("stockpiles")
    by_year = stock.pivot(index="country", columns="year", values="stockpile_warheads")
    latest = stock["year"].max()
    fall = (by_year[1991] - by_year[latest]).astype(float)
    frame = pd.DataFrame(wide)
    got_fall = pd.to_numeric(frame["fall"].reindex(fall.index), errors="coerce")
    got_pct = pd.to_numeric(frame["fall_pct"].reindex(fall.index), errors="coerce")
    ok_fall = bool(((got_fall - fall).abs() < 0.5).all())
    ok_pct = bool(((got_pct - fall / by_year[1991] * 100).abs() < 0.1).all())
    return [
        (
            ok_fall,
            "The falls in warheads are right."
            if ok_fall
            else "fall: the 1991 stockpile minus the latest one.",
        ),
        (
            ok_pct,
            "The falls in per cent are right."
            if ok_pct
            else "fall_pct: the fall divided by the 1991 stockpile, times 100.",
        ),
    ]


@exercise("overview-ex-decades")
def overview_3(table) -> list[tuple[bool, str]]:
    """``table``: events counted by decade (rows) and category (columns)."""
    events = load("timeline")
    decade = events["date"].dt.year // 10 * 10
    expected = pd.crosstab(decade, events["category"])
    got = pd.DataFrame(table).reindex(index=expected.index, columns=expected.columns)
    ok = bool((got.fillna(-1).astype(int).to_numpy() == expected.to_numpy()).all())
    return [
        (
            ok,
            "The table is right."
            if ok
            else "table: count the events for each decade "
            "(rows) and category (columns), for example with pivot_table or pd.crosstab.",
        ),
    ]


# --- The five episodes compared ------------------------------------------------------------


def _by_title(answer, columns: list[str]) -> pd.DataFrame:
    """A student's table indexed by episode title (from its index or a ``title`` column)."""
    frame = pd.DataFrame(answer)
    if "title" in frame.columns:
        frame = frame.set_index("title")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the table needs the columns {columns}; missing {missing}")
    return frame


def _close(got: pd.Series, expected: pd.Series, tolerance: float) -> bool:
    """Same index and every value within ``tolerance`` (NaN where NaN is expected)."""
    got = pd.to_numeric(got.reindex(expected.index), errors="coerce").astype(float)
    expected = expected.astype(float)
    both_missing = got.isna() & expected.isna()
    return bool(((got - expected).abs().le(tolerance) | both_missing).all())


@exercise("compare-ex-length")
def compare_1(by_format) -> list[tuple[bool, str]]:
    """``by_format``: one row per format, columns ``mean`` and ``count`` of the episodes'
    lengths in days (first and last day both counted)."""
    days = _compare.episodes().groupby("format")["days"]
    frame = pd.DataFrame(by_format)
    missing = [c for c in ("mean", "count") if c not in frame.columns]
    if missing:
        return [(False, f"by_format needs the columns 'mean' and 'count'; missing {missing}.")]
    ok_formats = set(frame.index) == set(days.mean().index)
    ok_mean = ok_formats and _close(frame["mean"], days.mean(), 0.01)
    ok_count = ok_formats and _close(frame["count"], days.count(), 0)
    off_by_one = ok_formats and _close(frame["mean"], days.mean() - 1, 0.01)
    return [
        (ok_formats, "One row per format." if ok_formats else "Group by the format column."),
        (
            ok_mean,
            "The mean lengths are right."
            if ok_mean
            else "Count both the first and the last day: end minus start, plus one."
            if off_by_one
            else "mean: the average of days (end_date minus start_date, in days, plus one).",
        ),
        (ok_count, "The counts are right." if ok_count else "count: episodes per format."),
    ]


@exercise("compare-ex-rate")
def compare_2(rates) -> list[tuple[bool, str]]:
    """``rates``: per episode title, ``meetings`` (within its dates), ``years`` and
    ``per_year`` (meetings / years)."""
    expected = _compare.episodes().set_index("title")
    frame = _by_title(rates, ["meetings", "per_year"])
    ok_meetings = _close(frame["meetings"], expected["meetings"], 0)
    rate = expected["meetings"] / expected["years"]
    ok_rate = _close(frame["per_year"], rate, 0.01 * rate.max())
    return [
        (
            ok_meetings,
            "The meetings in each episode are right."
            if ok_meetings
            else "meetings: count the rows of summits whose date is between the episode's "
            "start_date and end_date (both included).",
        ),
        (
            ok_rate,
            "The meetings per year are right."
            if ok_rate
            else "per_year: meetings divided by the episode's length in years (days / 365.25).",
        ),
    ]


def _gallup_at(dates: pd.Series) -> pd.Series:
    """The last Gallup favourable share on or before each date (NaN if none)."""
    opinion = load("opinion")
    gallup = opinion[opinion["measure"] == "favorable view of Russia"].sort_values("date")

    def last_on_or_before(date) -> float:
        earlier = gallup.loc[gallup["date"] <= date, "percent"]
        return float(earlier.iloc[-1]) if len(earlier) else float("nan")

    return dates.map(last_on_or_before)


@exercise("compare-ex-opinion")
def compare_3(eps, n_fell, no_poll_before) -> list[tuple[bool, str]]:
    """``eps``: the episodes with ``favourable_start`` and ``favourable_end`` (per cent);
    ``n_fell``: episodes whose share fell; ``no_poll_before``: titles without a poll on or
    before their start."""
    table = load("episodes").set_index("title")
    start = _gallup_at(table["start_date"]).astype(float)
    end = _gallup_at(table["end_date"]).astype(float)
    frame = _by_title(eps, ["favourable_start", "favourable_end"])
    ok_shares = _close(frame["favourable_start"], start, 0) and _close(
        frame["favourable_end"], end, 0
    )
    without = {str(t) for t in no_poll_before}
    expected_without = set(start[start.isna()].index)
    return [
        (
            ok_shares,
            "The shares at each start and end are right."
            if ok_shares
            else "favourable_start/_end: with pd.merge_asof, the last Gallup reading on or "
            "before the date (both sorted by date).",
        ),
        same(n_fell, int((end < start).sum()), "The number of episodes in which the share fell"),
        (
            without == expected_without,
            "The episodes without an earlier poll are right."
            if without == expected_without
            else "no_poll_before: the titles whose favourable_start is missing (NaN).",
        ),
    ]


@exercise("compare-ex-trade-years")
def compare_4(result, fell_both) -> list[tuple[bool, str]]:
    """``result``: per episode title with all four years in the trade data,
    ``fell_same_years`` and ``fell_wider_years`` (bools); ``fell_both``: how many are True
    on both."""
    total = load("trade").set_index("year")
    total = total["exports_usd_millions"] + total["imports_usd_millions"]
    rows = {}
    for _, episode in load("episodes").iterrows():
        first, last = episode["start_date"].year, episode["end_date"].year
        if all(y in total.index for y in (first - 1, first, last, last + 1)):
            rows[episode["title"]] = (
                total[last] < total[first],
                total[last + 1] < total[first - 1],
            )
    expected = pd.DataFrame(rows, index=["fell_same_years", "fell_wider_years"]).T
    frame = _by_title(result, ["fell_same_years", "fell_wider_years"])
    ok_rows = set(frame.index) == set(expected.index)
    ok_values = ok_rows and all(
        _close(frame[c].astype(float), expected[c].astype(float), 0) for c in expected.columns
    )
    both = int((expected["fell_same_years"] & expected["fell_wider_years"]).sum())
    return [
        (
            ok_rows,
            "One row for each episode with all four years in the data."
            if ok_rows
            else "Keep the episodes for which the trade data have the year before the start, "
            "the start and end years and the year after the end.",
        ),
        (
            ok_values,
            "Both comparisons are right."
            if ok_values
            else "fell_same_years: end year below start year; fell_wider_years: the year after "
            "the end below the year before the start.",
        ),
        same(fell_both, both, "The number that fell on both measures"),
    ]


@exercise("compare-ex-claim")
def compare_5(cases, n_exchanges, paragraph) -> list[tuple[bool, str] | str]:
    """``cases``: per title, ``format`` and ``days``; ``n_exchanges``: New START exchange
    dates in the data; ``paragraph``: the student's argument (text)."""
    expected = _compare.episodes().set_index("title")
    frame = _by_title(cases, ["format", "days"])
    ok_days = _close(frame["days"], expected["days"], 0)
    words = len(str(paragraph).split()) if isinstance(paragraph, str) else 0
    return [
        (
            ok_days,
            "The lengths in days are right."
            if ok_days
            else "days: end_date minus start_date in days, plus one.",
        ),
        same(n_exchanges, load("new_start")["date"].nunique(), "The number of exchanges"),
        (
            words >= 80,
            f"Your paragraph has {words} words."
            if words >= 80
            else f"Write the paragraph as a string of at least 80 words (it has {words}).",
        ),
        "This check cannot judge your argument: whether what you count as evidence for and "
        "against the claim is sound, and whether you say why five cases cannot settle it. "
        "Compare it with a partner's or the model answer.",
    ]


# --- The source-criticism lab --------------------------------------------------------------


def _as_pairs(answer) -> dict[frozenset, float]:
    """A table or series of values by party and measure as {frozenset({party, measure}): v}."""
    if isinstance(answer, pd.DataFrame):
        answer = answer.stack()
    series = pd.Series(answer)
    pairs = {}
    for key, value in series.items():
        parts = key if isinstance(key, tuple) else (key,)
        pairs[frozenset(str(p) for p in parts)] = float(value)
    return pairs


@exercise("lab-ex-newstart")
def lab_commentary_1(changes, independent) -> list[tuple[bool, str]]:
    """``changes``: March 2019 minus September 2018, by party and measure (a series with
    both in its index, or a table); ``independent``: is the March figure independent?"""
    checked = _lab_commentary.blog_check()
    expected = {
        frozenset({r["party"], r["measure"]}): float(r["data_change"])
        for _, r in checked.iterrows()
    }
    got = _as_pairs(changes)
    wrong = sorted(" ".join(sorted(key)) for key, v in expected.items() if got.get(key) != v)
    return [
        (
            not wrong,
            "All six changes are right."
            if not wrong
            else f"Check the change for: {'; '.join(wrong)} (the later value minus the "
            "earlier one, per party and measure).",
        ),
        (
            independent is False,
            "Right: the March 2019 rows were taken from the blog post itself."
            if independent is False
            else "independent: look at the source_url of the March 2019 rows (True or False).",
        ),
    ]


@exercise("lab-ex-trade")
def lab_commentary_2(total_2012, imports_share, rank_2012) -> list[tuple[bool, str]]:
    """``total_2012`` in billion USD; ``imports_share`` in per cent; ``rank_2012`` (1 for
    the year of the largest total)."""
    trade = _lab_commentary.trade_totals()
    row = trade[trade["year"] == 2012].iloc[0]
    share = 100 * row["imports_usd_millions"] / (row["total_bn"] * 1000)
    rank = int(trade["total_bn"].rank(ascending=False, method="min")[row.name])
    if 0 < float(imports_share) <= 1:
        return [(False, "imports_share should be a per cent (0-100), not a fraction.")]
    return [
        same(total_2012, row["total_bn"], "The 2012 total (billion USD)", 0.05),
        same(imports_share, share, "The imports' share (per cent)", 0.5),
        same(rank_2012, rank, "The rank of 2012"),
    ]


@exercise("lab-ex-meetings")
def lab_commentary_3(per_year) -> list[tuple[bool, str]]:
    """``per_year``: {"Obama-Medvedev": meetings a year, "Obama-Putin": meetings a year}."""
    periods = {
        "Obama-Medvedev": ("Dmitry Medvedev", "2009-01-20", "2012-05-06"),
        "Obama-Putin": ("Vladimir Putin", "2012-05-07", "2014-12-31"),
    }
    got = pd.Series(per_year)
    results = []
    for name, (russian, start, end) in periods.items():
        met = _lab_commentary.meetings("Barack Obama", russian, start, end)
        years = (pd.Timestamp(end) - pd.Timestamp(start)).days / 365.25
        if name not in got.index:
            results.append((False, f"per_year needs an entry {name!r}."))
        else:
            results.append(same(got[name], len(met) / years, f"{name} meetings a year", 0.02))
    return results


@exercise("lab-ex-valdai")
def lab_commentary_4(before_paris, after_helsinki) -> list[tuple[bool, str]]:
    """``before_paris``: Trump-Putin meetings of 2018 before 11 November (rows of
    ``summits``); ``after_helsinki``: sanctions measures from 17 July to 10 November 2018
    (rows of ``sanctions`` or their names)."""
    meetings = _lab_commentary.meetings(
        "Donald Trump", "Vladimir Putin", "2018-01-01", "2018-11-10"
    )
    expected = set(_lab_commentary.sanctions_between("2018-07-17", "2018-11-10")["measure"])
    names = (
        after_helsinki["measure"] if isinstance(after_helsinki, pd.DataFrame) else after_helsinki
    )
    got = {str(n) for n in names}
    return [
        same(len(before_paris), len(meetings), "The number of meetings before Paris"),
        (
            got == expected,
            "The measures after Helsinki are right."
            if got == expected
            else "after_helsinki: the rows of sanctions dated after the Helsinki summit "
            "(16 July 2018) and before 11 November 2018.",
        ),
    ]


RATINGS = {"fact", "interpretation", "spin"}


@exercise("lab-ex-rate")
def lab_commentary_5(ratings) -> list[tuple[bool, str] | str]:
    """``ratings``: three rows, ``statement`` (1-3), ``rating`` ("fact", "interpretation" or
    "spin") and ``why`` (a sentence or two)."""
    frame = pd.DataFrame(ratings)
    missing = [c for c in ("statement", "rating", "why") if c not in frame.columns]
    if missing:
        return [(False, f"ratings needs the columns statement, rating and why; missing {missing}.")]
    frame = frame.assign(statement=pd.to_numeric(frame["statement"], errors="coerce"))
    rating = frame.set_index("statement")["rating"].astype(str).str.strip().str.lower()
    why = frame.set_index("statement")["why"]
    ok_rows = sorted(rating.index) == [1, 2, 3]
    if not ok_rows:
        return [(False, "ratings needs one row for each of the statements 1, 2 and 3.")]
    ok_words = all(rating[n] in RATINGS for n in (1, 2, 3))
    ok_why = all(isinstance(why[n], str) and len(why[n].split()) >= 5 for n in (1, 2, 3))
    summits = load("summits")
    geneva = summits[
        (summits["place"] == "Geneva") & (summits["date"].dt.strftime("%Y-%m") == "2021-06")
    ]
    recorded = (
        f"the summits data record it on {geneva['date'].iloc[0]:%-d %B %Y}" if len(geneva) else ""
    )
    not_checkable = [n for n in (2, 3) if rating[n] == "fact"]
    return [
        (
            ok_words,
            "Each rating is fact, interpretation or spin."
            if ok_words
            else "Rate each statement with one word: fact, interpretation or spin.",
        ),
        (
            ok_why,
            "Each rating has its reason."
            if ok_why
            else "why: give each rating a reason of a sentence or two (at least five words).",
        ),
        (
            bool(recorded) and rating[1] == "fact",
            f"Statement 1 is a fact: {recorded}."
            if rating[1] == "fact"
            else f"Statement 1 can be checked against a record ({recorded}): it is a fact.",
        ),
        (
            not not_checkable,
            "Statements 2 and 3 are not rated as facts: no record can check them as stated."
            if not not_checkable
            else f"Statement {' and '.join(map(str, not_checkable))}: no record or dataset can "
            "check it as stated, so it is not a fact.",
        ),
        "This check cannot judge whether statements 2 and 3 are interpretation or spin, nor "
        "how good your reasons are: that depends on reading the sources. Compare your table "
        "with a partner's.",
    ]
