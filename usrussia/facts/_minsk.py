"""Facts for the Minsk chapter's prose, and its charts' text alternatives.

From the datasets ``donbas_casualties`` (OHCHR), ``timeline``, ``sanctions`` and ``trade``.
"""

from __future__ import annotations

import pandas as pd

from usrussia.data import load
from usrussia.facts._common import day

# OHCHR counts the people killed aboard MH17 among the 2014 civilian deaths (see the
# dataset's description and the sources cited in the chapter).
MH17_DEATHS = 298
EXECUTIVE_ORDERS = ("13660", "13661", "13662", "13685", "14065")


def minsk_window() -> pd.DataFrame:
    """The timeline's events from January 2014 to April 2022, the chapter's window."""
    events = load("timeline")
    return events[(events["date"] >= "2014-01-01") & (events["date"] <= "2022-04-30")]


def minsk() -> dict[str, str]:
    """The Minsk chapter's glued values, ``{glue name: text}``.

    OHCHR civilian deaths per year, timeline counts for the Minsk episode, U.S. sanctions
    measures (counts and executive orders' dates) and U.S.-Russia goods trade in USD
    billions.
    """
    killed = load("donbas_casualties").set_index("year")["civilians_killed"].astype(int)
    total = int(killed.sum())
    window = minsk_window()
    by_year = window.loc[window["episode"] == "minsk", "date"].dt.year.value_counts()
    sanctions = load("sanctions")
    per_year = sanctions["date"].dt.year.value_counts()
    between = sanctions[(sanctions["date"] > "2014-12-31") & (sanctions["date"] < "2022-01-01")]
    dates = sanctions.set_index("measure")["date"]
    trade = load("trade").set_index("year")
    exports, imports = trade["exports_usd_millions"], trade["imports_usd_millions"]
    facts = {
        "minsk_total_killed": f"{total:,}",
        "minsk_first_two_share": f"{(killed.loc[2014] + killed.loc[2015]) / total:.0%}",
        "minsk_2014_without_mh17": f"{killed.loc[2014] - MH17_DEATHS:,}",
        "minsk_drop_2015_2016": f"{1 - killed.loc[2016] / killed.loc[2015]:.0%}",
        "minsk_late_average": f"{killed.loc[2019:2021].mean():.0f}",
        "minsk_n_events": f"{int(by_year.sum())}",
        "minsk_n_events_2014_15": f"{int(by_year.get(2014, 0) + by_year.get(2015, 0))}",
        "minsk_n_events_2016_21": f"{int(by_year[by_year.index.isin(range(2016, 2022))].sum())}",
        "minsk_sanctions_total": f"{len(sanctions)}",
        "minsk_sanctions_2014": f"{int(per_year.get(2014, 0))}",
        "minsk_sanctions_2022": f"{int(per_year.get(2022, 0))}",
        "minsk_sanctions_between": f"{len(between)}",
        "minsk_exp_2013": f"{exports[2013] / 1000:,.1f}",
        "minsk_exp_2016": f"{exports[2016] / 1000:,.1f}",
        "minsk_exp_2021": f"{exports[2021] / 1000:,.1f}",
        "minsk_exp_change": f"{1 - exports[2016] / exports[2013]:.0%}",
        "minsk_imp_change": f"{1 - imports[2016] / imports[2013]:.0%}",
        "minsk_imp_2013": f"{imports[2013] / 1000:,.1f}",
        "minsk_imp_2021": f"{imports[2021] / 1000:,.1f}",
    }
    for year in (2014, 2015, 2016, 2021):
        facts[f"minsk_killed_{year}"] = f"{killed.loc[year]:,}"
    for number in EXECUTIVE_ORDERS:
        facts[f"minsk_eo{number}_date"] = day(dates.loc[f"Executive Order {number}"])
    return facts


def describe(figure: str) -> str:
    """The text alternative of the chapter's figure ``figure`` (its label), from the data."""
    if figure == "fig-minsk-casualties":
        killed = load("donbas_casualties").set_index("year")["civilians_killed"].astype(int)
        return (
            "Bar chart of conflict-related civilian deaths in Ukraine recorded by OHCHR per "
            f"year, {killed.index.min()} to {killed.index.max()}. "
            + "; ".join(f"{year}: {n:,}" for year, n in killed.items())
            + "."
        )
    if figure == "fig-minsk-sanctions":
        sanctions = load("sanctions")
        per_year = sanctions["date"].dt.year.value_counts()
        between = sanctions["date"].dt.year.between(2015, 2021).sum()
        return (
            "Step chart of the cumulative number of U.S. Russia-related sanctions measures, "
            f"{len(sanctions)} in all from {sanctions['date'].min():%B %Y} to "
            f"{sanctions['date'].max():%B %Y}. {int(per_year.get(2014, 0))} were adopted in "
            f"2014 and {int(per_year.get(2022, 0))} in 2022; {between} between 2015 and 2021. "
            "Dashed lines mark the Minsk Protocol, the Package of Measures and Russia's "
            "recognition of the separatist republics."
        )
    if figure == "fig-minsk-timeline":
        window = minsk_window()
        by_year = window.loc[window["episode"] == "minsk", "date"].dt.year.value_counts()
        return (
            f"Timeline of {len(window)} dated events in U.S.-Russia relations from January "
            "2014 to April 2022, one row per category, coloured by the book's episode. "
            f"{int(by_year.sum())} belong to the Minsk episode: "
            + "; ".join(f"{y}: {n}" for y, n in sorted(by_year.items()))
            + "."
        )
    if figure == "fig-minsk-trade":
        trade = load("trade").set_index("year")
        exports, imports = trade["exports_usd_millions"], trade["imports_usd_millions"]
        return (
            "Line chart of annual U.S. goods exports to and imports from Russia, 2008 to "
            f"{trade.index.max()}, in nominal USD millions. Exports: {exports[2013]:,.1f} in "
            f"2013, {exports[2016]:,.1f} in 2016, {exports[2021]:,.1f} in 2021. Imports: "
            f"{imports[2013]:,.1f} in 2013, {imports[2016]:,.1f} in 2016, {imports[2021]:,.1f} "
            "in 2021."
        )
    raise KeyError(f"No figure named {figure!r} in the Minsk chapter")
