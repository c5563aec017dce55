"""Facts for the Helsinki chapter's prose, and its charts' text alternatives.

From the datasets ``timeline``, ``opinion`` (Gallup, Levada Center), ``sanctions``,
``summits`` and ``stockpiles`` (FAS estimates).
"""

from __future__ import annotations

from usrussia.data import load
from usrussia.facts._common import day

SUMMIT_DAY = "2018-07-16"


def helsinki() -> dict[str, str]:
    """The Helsinki chapter's glued values, ``{glue name: text}``.

    Helsinki-episode timeline span, Gallup readings by year and the Levada readings either
    side of the summit (per cent), sanctions counts, Trump's first-term meetings and
    1987/2019 stockpile estimates (warheads).
    """
    events = load("timeline")
    helsinki_events = events[events["episode"] == "helsinki"]
    opinion = load("opinion")
    gallup = opinion[opinion["pollster"] == "Gallup"].sort_values("date")
    gallup_by_year = gallup.set_index(gallup["date"].dt.year)["percent"]
    levada = opinion[opinion["pollster"] == "Levada Center"].sort_values("date")
    after = levada[levada["date"] >= SUMMIT_DAY].iloc[0]
    before = levada[levada["date"] < SUMMIT_DAY].iloc[-1]
    sanctions = load("sanctions")
    eo_2018 = sanctions[sanctions["date"].dt.year == 2018].iloc[0]
    summits = load("summits")
    trump = summits[summits["us_president"] == "Donald Trump"]
    trump_first = trump[trump["date"] < "2021-01-20"]
    stock = load("stockpiles").set_index(["year", "country"])["stockpile_warheads"]
    facts = {
        "helsinki_n_events": f"{len(helsinki_events)}",
        "helsinki_first_event": day(helsinki_events["date"].min()),
        "helsinki_last_event": day(helsinki_events["date"].max()),
        "helsinki_levada_after": f"{after['percent']:.0f}%",
        "helsinki_levada_after_date": day(after["date"]),
        "helsinki_levada_before": f"{before['percent']:.0f}%",
        "helsinki_levada_before_date": f"{before['date']:%B %Y}",
        "helsinki_n_measures_1718": f"{sanctions['date'].dt.year.isin([2017, 2018]).sum()}",
        "helsinki_n_measures_total": f"{len(sanctions)}",
        "helsinki_eo_2018": str(eo_2018["measure"]),
        "helsinki_eo_2018_date": day(eo_2018["date"]),
        "helsinki_trump_first_term": f"{len(trump_first)}",
        "helsinki_trump_first_standalone": (
            f"{(trump_first['format'] == 'standalone summit').sum()}"
        ),
    }
    for year in (2012, 2017, 2018, 2020, 2023):
        facts[f"helsinki_gallup_{year}"] = f"{gallup_by_year[year]:.0f}%"
    for year in (1987, 2019):
        for country, tag in (("United States", "us"), ("Russia", "ru")):
            facts[f"helsinki_stock_{tag}_{year}"] = f"{stock[(year, country)]:,}"
    return facts


def describe(figure: str) -> str:
    """The text alternative of the chapter's figure ``figure`` (its label), from the data."""
    if figure == "fig-helsinki-timeline":
        return (
            "Timeline from October 2016 to August 2019 with one row per event category "
            "(diplomacy, election, sanctions, summit, treaty and others). Election events "
            "cluster in 2016-2018, diplomatic expulsions in 2017-2018, and INF Treaty steps "
            "from October 2018 to August 2019; the Helsinki summit of 16 July 2018 sits in "
            "the middle."
        )
    if figure == "fig-helsinki-sanctions":
        sanctions = load("sanctions")
        per_year = sanctions["date"].dt.year.value_counts()
        named = ", ".join(sanctions.loc[sanctions["date"].dt.year.isin([2017, 2018]), "measure"])
        return (
            "Bar chart of the number of U.S. executive orders and laws authorising "
            "Russia-related sanctions per year from 2012 to 2023. "
            f"{', '.join(str(y) for y in sorted(per_year[per_year == per_year.max()].index))} "
            f"have the most ({per_year.max()}); 2017 and 2018 have "
            f"{per_year.get(2017, 0)} and {per_year.get(2018, 0)} ({named})."
        )
    if figure == "fig-helsinki-stockpiles":
        return (
            "Line chart of the estimated U.S. and Soviet/Russian military nuclear stockpiles "
            "from 1980 to 2025, with dashed lines at the INF Treaty's signature (December "
            "1987) and end (August 2019). Both lines fall steeply from the late 1980s to the "
            "2000s and are nearly flat from 2017 to 2025."
        )
    if figure == "fig-helsinki-summits":
        summits = load("summits")
        trump = summits[summits["us_president"] == "Donald Trump"]
        standalone = trump[trump["format"] == "standalone summit"]
        return (
            "Stacked bar chart of recorded meetings between each U.S. president from George "
            "H. W. Bush to Joe Biden and the sitting Russian president, split by format. "
            f"Donald Trump has {len(trump)} meetings, {len(standalone)} of them standalone "
            f"summits ({', '.join(f'{d:%Y}' for d in standalone['date'])})."
        )
    if figure == "fig-helsinki-opinion":
        opinion = load("opinion")
        opinion = opinion[opinion["date"] >= "2012-01-01"]
        gallup = opinion[opinion["pollster"] == "Gallup"].sort_values("date")
        levada = opinion[opinion["pollster"] == "Levada Center"]
        return (
            f"Line chart from 2012 to {opinion['date'].max():%Y} of two survey series: the "
            "percent of U.S. adults with a favourable view of Russia (Gallup), which falls "
            f"from {gallup['percent'].iloc[0]:.0f}% in {gallup['date'].iloc[0]:%Y} to "
            f"{gallup['percent'].iloc[-1]:.0f}% in {gallup['date'].iloc[-1]:%Y}, and the "
            "percent of Russian adults with a good attitude to the United States (Levada), "
            f"which rises and falls between {levada['percent'].min():.0f}% and "
            f"{levada['percent'].max():.0f}%. A dashed line marks the Helsinki summit of "
            "16 July 2018."
        )
    raise KeyError(f"No figure named {figure!r} in the Helsinki chapter")
