"""Facts for the Geneva chapter's prose, and its charts' text alternatives.

From the datasets ``timeline``, ``summits``, ``sanctions``, ``opinion``, ``new_start`` and
``new_start_limits``.
"""

from __future__ import annotations

import pandas as pd

from usrussia.data import load
from usrussia.facts._common import day

EO_14024_BASIS = "E.O. 14024 emergency (April 2021)"


def sanctions_by_basis() -> pd.DataFrame:
    """The sanctions table with ``year`` and ``basis``: whether a measure rests on the
    national emergency of Executive Order 14024 (named in the measure or its legal basis)."""
    sanctions = load("sanctions")
    on_14024 = sanctions["measure"].str.contains("14024") | sanctions["legal_basis"].str.contains(
        "14024"
    )
    return sanctions.assign(
        year=sanctions["date"].dt.year,
        basis=on_14024.map({True: EO_14024_BASIS, False: "Other authority"}),
    )


def _reading(opinion: pd.DataFrame, pollster: str, date: str) -> str:
    rows = opinion[(opinion["pollster"] == pollster) & (opinion["date"] == date)]
    return f"{rows['percent'].iloc[0]:.0f}"


def geneva() -> dict[str, str]:
    """The Geneva chapter's glued values, ``{glue name: text}``.

    Geneva-episode events and days from the summit to the invasion, the gaps (days) between
    presidential meetings around Geneva, New START warhead declarations of September 2021,
    sanctions resting on E.O. 14024, and survey readings (per cent) either side.
    """
    events = load("timeline")
    geneva_events = events[events["episode"] == "geneva"]
    summit_day = geneva_events.loc[geneva_events["category"] == "summit", "date"].min()
    invasion_day = geneva_events.loc[geneva_events["category"] == "conflict", "date"].max()
    summits = load("summits").sort_values("date", ignore_index=True)
    summits["gap_days"] = summits["date"].diff().dt.days
    at = summits.index[summits["place"] == "Geneva"][0]
    geneva_row, previous_row, next_row = (summits.loc[i] for i in (at, at - 1, at + 1))
    limits = load("new_start_limits").set_index("measure")["limit"]
    new_start = load("new_start")
    recent = new_start[(new_start["date"] >= "2019-01-01") & (new_start["date"] <= "2022-12-31")]
    sep21 = recent[recent["date"] == "2021-09-01"].set_index("party")["deployed_warheads"]
    sanctions = sanctions_by_basis()
    after = sanctions[sanctions["date"] > "2021-04-15"]
    opinion = load("opinion")
    return {
        "geneva_n_events": f"{len(geneva_events)}",
        "geneva_days_to_invasion": f"{(invasion_day - summit_day).days:,}",
        "geneva_gap_before": f"{int(geneva_row['gap_days']):,}",
        "geneva_previous_place": str(previous_row["place"]),
        "geneva_previous_date": day(previous_row["date"]),
        "geneva_next_place": str(next_row["place"]),
        "geneva_next_date": day(next_row["date"]),
        "geneva_gap_after": f"{int(next_row['gap_days']):,}",
        "geneva_n_biden_meetings": f"{(summits['us_president'] == 'Joe Biden').sum()}",
        "geneva_n_meetings": f"{len(summits)}",
        "geneva_limit": f"{int(limits['deployed_warheads']):,}",
        "geneva_ru_sep21": f"{int(sep21['Russia']):,}",
        "geneva_us_sep21": f"{int(sep21['United States']):,}",
        "geneva_ns_latest": day(recent["date"].max()),
        "geneva_n_after": f"{len(after)}",
        "geneva_n_after_14024": f"{(after['basis'] == EO_14024_BASIS).sum()}",
        "geneva_gallup21": _reading(opinion, "Gallup", "2021-02-03"),
        "geneva_gallup23": _reading(opinion, "Gallup", "2023-02-01"),
        "geneva_levada21": _reading(opinion, "Levada Center", "2021-01-29"),
        "geneva_levada22feb": _reading(opinion, "Levada Center", "2022-02-01"),
        "geneva_levada22mar": _reading(opinion, "Levada Center", "2022-03-01"),
    }


DESCRIPTIONS = {
    "fig-geneva-timeline": (
        "Timeline of dated events in U.S.-Russia relations from January 2021 to February "
        "2022, one row per category (diplomacy, sanctions, summit, treaty, conflict), "
        "coloured by the book's episode. The New START extension opens the period, the "
        "Geneva summit sits in June 2021, diplomatic events cluster from December 2021, "
        "and the invasion of Ukraine closes it on 24 February 2022."
    ),
    "fig-geneva-summits": (
        "Bar chart of meetings between U.S. and Russian presidents per year, 2009-2025, "
        "coloured by U.S. president. Obama's years have one to three meetings; "
        "Trump's first term has one or two a year to 2019; there is no "
        "meeting in 2020, one in 2021 (Geneva), none from 2022 to 2024 and one in 2025 "
        "(Anchorage)."
    ),
    "fig-geneva-opinion": (
        "Line chart from 2014 to 2025 of the percentage of Americans with a favourable view "
        "of Russia (Gallup) and of Russians with a good attitude to the United States "
        "(Levada Center), with dashed lines at the Geneva summit (June 2021) and the "
        "invasion (February 2022). The Gallup series declines from the mid-thirties to "
        "single digits; the Levada series rises to the forties by 2019-2021, falls to the "
        "teens after the invasion and recovers in 2025."
    ),
}


def describe(figure: str) -> str:
    """The text alternative of the chapter's figure ``figure`` (its label), from the data."""
    if figure in DESCRIPTIONS:
        return DESCRIPTIONS[figure]
    if figure == "fig-geneva-newstart":
        limit = int(load("new_start_limits").set_index("measure")["limit"]["deployed_warheads"])
        return (
            "Line chart of deployed strategic warheads declared under New START by the United "
            "States and Russia, March 2019 to March 2022, with a dashed line at the limit of "
            f"{limit:,}. Both lines stay below the limit, and the two totals cross "
            "several times."
        )
    if figure == "fig-geneva-sanctions":
        sanctions = sanctions_by_basis()
        in_2022 = sanctions[sanctions["year"] == 2022]
        return (
            "Stacked bar chart of U.S. Russia-related sanctions measures by year, "
            f"{sanctions['year'].min()}-{sanctions['year'].max()}, split by whether they rest "
            "on the national emergency of Executive Order 14024. Measures before 2021 rest on "
            f"other authorities; {(in_2022['basis'] == EO_14024_BASIS).sum()} of the "
            f"{len(in_2022)} measures of 2022 rest on the E.O. 14024 emergency."
        )
    raise KeyError(f"No figure named {figure!r} in the Geneva chapter")
