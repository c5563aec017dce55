"""Facts for the overview chapter's prose, and its charts' text alternatives.

From the datasets ``timeline``, ``summits``, ``trade`` and ``stockpiles``.
"""

from __future__ import annotations

from usrussia.charts import episode_periods
from usrussia.data import load
from usrussia.facts._common import day


def overview() -> dict[str, str]:
    """The overview's glued values, ``{glue name: text}``.

    Timeline span and size; presidential meetings per U.S. president; goods trade totals
    (exports plus imports, USD billions) for the first, peak and last year; stockpile
    peaks, latest estimates (warheads) and the cut from peak (per cent).
    """
    events = load("timeline")
    summits = load("summits")
    per_president = summits.groupby("us_president").size()
    order = list(dict.fromkeys(summits.sort_values("date")["us_president"]))
    biden = int(per_president.get("Joe Biden", 0))
    trade = load("trade")
    trade["total"] = trade["exports_usd_millions"] + trade["imports_usd_millions"]
    peak = trade.loc[trade["total"].idxmax()]
    first_row, last_row = trade.loc[trade["year"].idxmin()], trade.loc[trade["year"].idxmax()]
    facts = {
        "overview_n_events": f"{len(events):,}",
        "overview_first_event": day(events["date"].min()),
        "overview_last_event": day(events["date"].max()),
        "overview_n_summits": f"{len(summits):,}",
        # Every president tied for the most meetings, in order of office.
        "overview_top_president": " and ".join(
            name for name in order if per_president[name] == per_president.max()
        ),
        "overview_top_count": f"{per_president.max():,}",
        "overview_biden_count": f"{biden} time{'' if biden == 1 else 's'}",
        "overview_trade_deficit_years": f"{int((trade['balance_usd_millions'] < 0).sum())}",
    }
    for key, row in (("first", first_row), ("peak", peak), ("last", last_row)):
        facts[f"overview_trade_{key}_year"] = f"{int(row['year'])}"
        facts[f"overview_trade_{key}_total"] = f"{row['total'] / 1000:,.1f}"
    stock = load("stockpiles").rename(columns={"country": "party"})
    peaks = stock.loc[stock.groupby("party")["stockpile_warheads"].idxmax()].set_index("party")
    latest_year = int(stock["year"].max())
    latest = stock[stock["year"] == latest_year].set_index("party")["stockpile_warheads"]
    for key, party in [("us", "United States"), ("ru", "Russia")]:
        top = peaks.loc[party, "stockpile_warheads"]
        facts[f"overview_{key}_peak_year"] = f"{int(peaks.loc[party, 'year'])}"
        facts[f"overview_{key}_peak"] = f"{int(top):,}"
        facts[f"overview_{key}_latest"] = f"{int(latest[party]):,}"
        facts[f"overview_{key}_cut"] = f"{1 - latest[party] / top:.0%}"
    facts["overview_stock_latest_year"] = f"{latest_year}"
    return facts


def describe(figure: str) -> str:
    """The text alternative of the chapter's figure ``figure`` (its label), from the data."""
    if figure == "fig-overview-timeline":
        events = load("timeline")
        spans = "; ".join(
            f"{row.label} ({row.start:%Y}–{row.end:%Y})"
            for row in episode_periods(events).itertuples()
        )
        return (
            f"Time line of dated events in U.S.–Russia relations from "
            f"{events['date'].min():%B %Y} to {events['date'].max():%B %Y}, one row per "
            "category of event (conflict, diplomacy, economic, election, military, sanctions, "
            "summit, treaty). Points are coloured by the book's episode; shaded bands mark the "
            f"span of each episode: {spans}."
        )
    if figure == "fig-overview-summits":
        summits = load("summits")
        return (
            "Stacked bar chart of meetings between sitting U.S. and Russian presidents from "
            f"{summits['date'].min():%Y} to {summits['date'].max():%B %Y}, one bar per U.S. "
            "president in order of office, split by Russian president. Clinton, Obama and "
            "George W. Bush met their counterparts most often; Biden met Putin once, and Trump's "
            "meetings include the Anchorage summit of August 2025."
        )
    if figure == "fig-overview-trade":
        trade = load("trade")
        return (
            "Line chart of annual U.S. goods exports to Russia and imports from Russia, "
            f"{trade['year'].min()}–{trade['year'].max()}, in billions of current U.S. "
            "dollars. Imports exceed exports in most years. Trade peaked before 2014, dropped "
            "after the 2014 sanctions and fell again in 2022. Dashed lines mark 2014 and 2022."
        )
    if figure == "fig-overview-stockpiles":
        stock = load("stockpiles")
        return (
            "Line chart of estimated military nuclear warhead stockpiles of the United States "
            f"and Russia (the Soviet Union before 1992), {stock['year'].min()}–"
            f"{stock['year'].max()}. The U.S. stockpile peaked in the 1960s and the Soviet "
            "stockpile in the 1980s; both fell steeply around 1990, and the declines since "
            "2010 have been small by comparison."
        )
    raise KeyError(f"No figure named {figure!r} in the overview")
