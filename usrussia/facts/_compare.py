"""Facts for the comparison chapter's prose, and its charts' text alternatives.

From the datasets ``episodes`` (one row per episode, dates as the book chose them),
``summits``, ``timeline``, ``trade``, ``opinion`` and ``new_start``.
"""

from __future__ import annotations

import pandas as pd

from usrussia.data import load

WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
# The event categories the mix chart keeps; the others are grouped as "other".
KEPT_CATEGORIES = ["treaty", "sanctions", "summit", "diplomacy"]


def episodes() -> pd.DataFrame:
    """The ``episodes`` table with ``days`` (first and last day counted), ``years`` (days /
    365.25) and ``meetings`` (leaders' meetings in ``summits`` within the dates)."""
    table = load("episodes")
    summits = load("summits")
    table["days"] = (table["end_date"] - table["start_date"]).dt.days + 1
    table["years"] = table["days"] / 365.25
    table["meetings"] = [
        int(summits["date"].between(start, end).sum())
        for start, end in zip(table["start_date"], table["end_date"], strict=True)
    ]
    return table


def trade_at_ends() -> pd.DataFrame:
    """Goods trade (exports plus imports, USD millions) in the year each episode began
    (``trade_start``) and ended (``trade_end``); NaN where the trade data lack the year."""
    trade = load("trade")
    total = (
        trade.set_index("year")["exports_usd_millions"]
        + trade.set_index("year")["imports_usd_millions"]
    )
    table = load("episodes")
    table["trade_start"] = table["start_date"].dt.year.map(total)
    table["trade_end"] = table["end_date"].dt.year.map(total)
    return table


def event_mix() -> pd.DataFrame:
    """Timeline events per episode and category (``KEPT_CATEGORIES``, the rest "other"),
    with the episode's ``title``: columns episode, category, events, title."""
    events = load("timeline")
    table = load("episodes")
    inside = events[events["episode"].isin(table["episode"])]
    category = inside["category"].where(inside["category"].isin(KEPT_CATEGORIES), "other")
    counts = inside.assign(category=category).groupby(["episode", "category"]).size()
    return counts.rename("events").reset_index().merge(table[["episode", "title"]], on="episode")


def last_exchange_with_both() -> pd.Timestamp:
    """The last New START data exchange in which both parties declared figures."""
    ns = load("new_start")
    both = ns.groupby("date")["party"].nunique()
    return both[both == 2].index.max()


def _sanction_shares() -> pd.Series:
    """Share (0-1) of each episode's timeline events that are sanctions."""
    events = load("timeline")
    inside = events[events["episode"].isin(load("episodes")["episode"])]
    return (inside["category"] == "sanctions").groupby(inside["episode"]).mean()


def compare() -> dict[str, str]:
    """The comparison chapter's glued values, ``{glue name: text}``.

    Episode counts, formats and lengths (days, years), leaders' meetings per episode,
    timeline events and the highest share of sanctions events (per cent), goods trade in
    each episode's first and last year, and the last New START exchange with both parties.
    """
    table = episodes()
    longest, shortest = table.loc[table["days"].idxmax()], table.loc[table["days"].idxmin()]
    formats = table["format"].value_counts()
    title_of = table.set_index("episode")["title"]
    shares = _sanction_shares()
    trade = trade_at_ends()
    with_trade = trade.dropna(subset=["trade_start", "trade_end"])
    fell = with_trade[with_trade["trade_end"] < with_trade["trade_start"]]
    missing = trade.loc[~trade.index.isin(with_trade.index), "title"]
    events = load("timeline")
    facts = {
        "compare_n_episodes": f"{len(table)}",
        "compare_longest": longest["title"],
        "compare_longest_years": f"{longest['years']:.0f}",
        "compare_shortest": shortest["title"],
        "compare_shortest_days": f"{shortest['days']}",
        "compare_us_not_party": ", ".join(
            table.loc[table["us_leader"].str.startswith("none"), "title"]
        ),
        "compare_formats": ", ".join(
            f"{WORDS.get(n, n)} {fmt}{'s' if n > 1 else ''}" for fmt, n in formats.items()
        ),
        "compare_top_sanctions": title_of[shares.idxmax()],
        "compare_top_sanctions_pct": f"{100 * shares.max():.0f}",
        "compare_events_total": f"{events['episode'].isin(table['episode']).sum()}",
        "compare_trade_fell_n": f"{len(fell)}",
        "compare_trade_n": f"{len(with_trade)}",
        "compare_trade_last_year": f"{int(load('trade')['year'].max())}",
        "compare_trade_missing": ", ".join(missing) or "none",
        "compare_ns_last_both": f"{last_exchange_with_both():%B %Y}",
    }
    for _, row in table.iterrows():
        facts[f"compare_meetings_{row['episode']}"] = f"{row['meetings']}"
    return facts


def _periods(table: pd.DataFrame, fmt: str = "%B %Y") -> str:
    return "; ".join(
        f"{r['title']} from {r['start_date']:{fmt}} to {r['end_date']:{fmt}}"
        for _, r in table.sort_values("start_date").iterrows()
    )


def describe(figure: str) -> str:
    """The text alternative of the chapter's figure ``figure`` (its label), from the data.

    Raises KeyError for a label the chapter does not draw.
    """
    table = episodes()
    others = table[table["episode"] != "new_start"]
    if figure == "compare-fig-periods":
        spans = _periods(table)
        return f"Horizontal bars, one per episode, from its start date to its end date: {spans}."
    if figure == "compare-fig-treaty":
        ns = load("new_start")
        return (
            "Line chart of the deployed strategic warheads each party declared under New "
            f"START, from {ns['date'].min():%B %Y} to {last_exchange_with_both():%B %Y}, over "
            f"shaded bands for the other episodes: {_periods(others, '%b %Y')}."
        )
    if figure == "compare-fig-meetings":
        counts = "; ".join(f"{r['title']} {r['meetings']}" for _, r in table.iterrows())
        return (
            "Bar chart of the number of U.S.-Russian leaders' meetings in the summits dataset "
            f"that fall between each episode's start and end dates: {counts}."
        )
    if figure == "compare-fig-mix":
        mix = event_mix()
        totals = mix.groupby("title")["events"].sum()
        shares = _sanction_shares()
        title_of = table.set_index("episode")["title"]
        return (
            "Stacked bars, one per episode, showing the share of each category among the "
            "events the book's timeline assigns to that episode. "
            + "; ".join(f"{title}: {n} events" for title, n in totals.items())
            + f". The highest share of sanctions events is {100 * shares.max():.0f}% for "
            f"{title_of[shares.idxmax()]}."
        )
    if figure == "compare-fig-trade":
        trade = trade_at_ends().dropna(subset=["trade_start", "trade_end"])
        return (
            "Slope chart of U.S.-Russia goods trade (exports plus imports, billion dollars) in "
            "the year each episode began and the year it ended: "
            + "; ".join(
                f"{r['title']} {r['trade_start'] / 1000:.1f} to {r['trade_end'] / 1000:.1f}"
                for _, r in trade.iterrows()
            )
            + f". Trade data end in {int(load('trade')['year'].max())}."
        )
    if figure == "compare-fig-opinion":
        opinion = load("opinion")
        gallup = opinion[opinion["pollster"] == "Gallup"].sort_values("date")
        first, last = gallup.iloc[0], gallup.iloc[-1]
        return (
            "Line chart of two opinion series over shaded bands for the episodes other than "
            "New START: Gallup's share of Americans with a favourable view of Russia, from "
            f"{first['percent']:.0f}% in {first['date']:%Y} to {last['percent']:.0f}% in "
            f"{last['date']:%Y}, and the Levada Center's share of Russians with a good "
            "attitude toward the United States."
        )
    raise KeyError(f"No figure named {figure!r} in the comparison chapter")
