"""Facts for the chapter on the years after 2022, and its charts' text alternatives.

From the datasets ``sanctions``, ``trade``, ``new_start``, ``new_start_limits``,
``timeline`` and ``opinion``.
"""

from __future__ import annotations

import pandas as pd

from usrussia.data import load
from usrussia.facts._common import day

INVASION = pd.Timestamp("2022-02-24")


def _peak_years(sanctions: pd.DataFrame) -> tuple[str, int]:
    busiest = sanctions["date"].dt.year.value_counts()
    years = sorted(int(y) for y in busiest[busiest == busiest.max()].index)
    return " and ".join(str(y) for y in years), int(busiest.max())


def after_2022() -> dict[str, str]:
    """The chapter's glued values, ``{glue name: text}``.

    Sanctions counts and peak years; U.S.-Russia goods trade in USD billions, 2021 against
    the latest year; the last New START declarations; timeline counts since 21 February
    2022; Gallup and Levada readings (per cent).
    """
    sanctions = load("sanctions")
    peak_text, peak_count = _peak_years(sanctions)
    trade = load("trade").set_index("year")
    before, last = 2021, int(trade.index.max())
    facts = {
        "after_2022_n_measures": f"{len(sanctions):,}",
        "after_2022_n_after": f"{(sanctions['date'] > INVASION).sum():,}",
        "after_2022_n_2022": f"{(sanctions['date'].dt.year == 2022).sum():,}",
        "after_2022_peak_years": peak_text,
        "after_2022_peak_count": f"{peak_count}",
        "after_2022_last_measure": day(sanctions["date"].max()),
        "after_2022_trade_last": f"{last}",
    }
    for column, key in [("exports_usd_millions", "exports"), ("imports_usd_millions", "imports")]:
        a, b = trade.loc[before, column], trade.loc[last, column]
        facts[f"after_2022_{key}_before"] = f"{a / 1000:,.1f}"
        facts[f"after_2022_{key}_after"] = f"{b / 1000:,.1f}"
        facts[f"after_2022_{key}_fall"] = f"{1 - b / a:.0%}"
    lower = trade[trade["exports_usd_millions"] < trade.loc[last, "exports_usd_millions"]]
    facts["after_2022_exports_lowest"] = (
        "their lowest level" if lower.empty else "above their lowest level"
    )

    ns = load("new_start")
    limit = int(load("new_start_limits").set_index("measure").loc["deployed_warheads", "limit"])
    for party, tag in (("Russia", "ru"), ("United States", "us")):
        rows = ns[ns["party"] == party]
        latest = rows.loc[rows["date"].idxmax()]
        name = "russia" if tag == "ru" else "us"
        facts[f"after_2022_last_{name}"] = day(latest["date"])
        facts[f"after_2022_{tag}_last"] = f"{int(latest['deployed_warheads']):,}"
    facts["after_2022_warhead_limit"] = f"{limit:,}"

    events = load("timeline")
    since = events[events["date"] >= "2022-02-21"]
    facts["after_2022_n_events"] = f"{len(since):,}"
    facts["after_2022_n_2025"] = f"{(since['date'].dt.year == 2025).sum():,}"

    opinion = load("opinion")
    gallup = opinion[opinion["pollster"] == "Gallup"].sort_values("date")
    gallup_peak = gallup.loc[gallup["percent"].idxmax()]
    levada = opinion[opinion["pollster"] == "Levada Center"].sort_values("date")
    war = levada[levada["date"] >= INVASION]
    low, last_levada = war.loc[war["percent"].idxmin()], levada.iloc[-1]
    facts |= {
        "after_2022_gallup_last": f"{gallup.iloc[-1]['percent']:.0f}%",
        "after_2022_gallup_last_year": f"{gallup.iloc[-1]['date']:%Y}",
        # The file's highest reading: the prose says so (its first year has a lower one).
        "after_2022_gallup_first": f"{gallup_peak['percent']:.0f}%",
        "after_2022_gallup_first_year": f"{gallup_peak['date']:%Y}",
        "after_2022_levada_low": f"{low['percent']:.0f}%",
        "after_2022_levada_low_date": f"{low['date']:%B %Y}",
        "after_2022_levada_last": f"{last_levada['percent']:.0f}%",
        "after_2022_levada_last_date": f"{last_levada['date']:%B %Y}",
    }
    return facts


def describe(figure: str) -> str:
    """The text alternative of the chapter's figure ``figure`` (its label), from the data."""
    values = after_2022()
    if figure == "fig-after-2022-sanctions":
        years = ", ".join(str(y) for y in sorted(load("sanctions")["date"].dt.year.unique()))
        return (
            "Stacked bar chart of new U.S. sanctions measures on Russia (executive orders and "
            f"laws) by year. Years with measures are {years}. The peak years are "
            f"{values['after_2022_peak_years']}, with {values['after_2022_peak_count']} "
            "measures each."
        )
    if figure == "fig-after-2022-trade":
        return (
            "Grouped bar chart of annual U.S. goods exports to and imports from Russia, "
            f"2012–{values['after_2022_trade_last']}, in billions of current dollars. Imports "
            "are larger than exports in every year. Both fell in 2015 after the Crimea "
            "sanctions, recovered to 2021, and fell sharply in 2022, exports far more than "
            "imports."
        )
    if figure == "fig-after-2022-newstart":
        ns = load("new_start")
        return (
            "Line chart of deployed strategic warheads declared under New START by the United "
            f"States and Russia, {ns['date'].min():%B %Y} to {ns['date'].max():%B %Y}, with "
            f"the treaty limit of {values['after_2022_warhead_limit']} drawn as a dashed line. "
            "Both parties were under the limit from 2018. The Russian line stops in "
            f"{values['after_2022_last_russia'].split(' ', 1)[1]}; the last U.S. point comes "
            "from a voluntary U.S. release."
        )
    if figure == "fig-after-2022-timeline":
        since = load("timeline").query("date >= '2022-02-21'")
        return (
            f"Time line of dated U.S.–Russia events from {day(since['date'].min())} to "
            f"{day(since['date'].max())}, one row per category (conflict, diplomacy, "
            "sanctions, summit, treaty). Events cluster in 2022 (invasion, sanctions, "
            "inspections halted) and in 2025 (phone calls, Riyadh and Istanbul talks, the "
            "Anchorage summit, the Rosneft and Lukoil sanctions), and end with New START's "
            "expiry in February 2026."
        )
    if figure == "fig-after-2022-opinion":
        return (
            "Line chart of two survey series: the per cent of U.S. adults with a favourable "
            f"view of Russia (Gallup), falling from {values['after_2022_gallup_first']} in "
            f"{values['after_2022_gallup_first_year']} to {values['after_2022_gallup_last']} "
            f"in {values['after_2022_gallup_last_year']}, and the per cent of Russian adults "
            "with a good attitude toward the United States (Levada Center), which fell after "
            f"the invasion to {values['after_2022_levada_low']} in "
            f"{values['after_2022_levada_low_date']} and rose to "
            f"{values['after_2022_levada_last']} in {values['after_2022_levada_last_date']}. "
            "A dashed line marks 24 February 2022."
        )
    raise KeyError(f"No figure named {figure!r} in the chapter on the years after 2022")
