"""Facts for the reset chapter's prose, and its charts' text alternatives.

From the datasets ``timeline``, ``new_start_limits``, ``new_start_milestones``, ``trade``,
``opinion`` and ``summits``.
"""

from __future__ import annotations

import pandas as pd

from usrussia.data import load
from usrussia.facts._common import billions, day


def reset_window() -> pd.DataFrame:
    """The timeline's events of 2008-2013, the years the chapter's timeline chart shows."""
    timeline = load("timeline")
    return timeline[timeline["date"].dt.year.between(2008, 2013)]


def reset_span() -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last dated event of the reset episode in the timeline."""
    reset_events = load("timeline").query("episode == 'reset'")
    return reset_events["date"].min(), reset_events["date"].max()


def gallup_by_year() -> pd.Series:
    """Gallup's favourable-view-of-Russia readings (per cent), indexed by year."""
    opinion = load("opinion")
    rows = opinion[opinion["pollster"] == "Gallup"]
    return rows.set_index(rows["date"].dt.year)["percent"]


def reset() -> dict[str, str]:
    """The reset chapter's glued values, ``{glue name: text}``.

    Timeline counts (2008-2013), New START limits and expiry, U.S.-Russia goods trade in
    USD billions (Census), Gallup readings in per cent, and Obama-era presidential
    meetings to 2013 (``summits``).
    """
    window = reset_window()
    start, end = reset_span()
    limits = load("new_start_limits").set_index("measure")["limit"]
    milestones = load("new_start_milestones")
    expiry = milestones.loc[milestones["milestone"] == "Treaty expires", "date"].iloc[0]
    trade = load("trade").set_index("year")
    exports, imports = trade["exports_usd_millions"], trade["imports_usd_millions"]
    gallup = gallup_by_year()
    summits = load("summits")
    obama = summits[(summits["us_president"] == "Barack Obama") & (summits["date"].dt.year <= 2013)]
    return {
        "reset_window_n": f"{len(window)}",
        "reset_window_reset_n": f"{(window['episode'] == 'reset').sum()}",
        "reset_window_newstart_n": f"{(window['episode'] == 'new_start').sum()}",
        "reset_first_event": day(start),
        "reset_last_event": day(end),
        "reset_limit_warheads": f"{int(limits['deployed_warheads']):,}",
        "reset_limit_deployed": f"{int(limits['deployed_launchers']):,}",
        "reset_limit_total": f"{int(limits['total_launchers']):,}",
        "reset_ns_expiry": day(expiry),
        "reset_exp_2008": billions(exports[2008]),
        "reset_exp_2009": billions(exports[2009]),
        "reset_exp_2012": billions(exports[2012]),
        "reset_exp_2013": billions(exports[2013]),
        "reset_exp_ratio": f"{exports[2013] / exports[2009]:.1f}",
        "reset_imp_2011": billions(imports[2011]),
        "reset_bal_2011": billions(-trade.loc[2011, "balance_usd_millions"]),
        "reset_gallup_2002": f"{gallup[2002]:.0f}%",
        "reset_gallup_2008": f"{gallup[2008]:.0f}%",
        "reset_gallup_2009": f"{gallup[2009]:.0f}%",
        "reset_gallup_2010": f"{gallup[2010]:.0f}%",
        "reset_gallup_2012": f"{gallup[2012]:.0f}%",
        "reset_gallup_2013": f"{gallup[2013]:.0f}%",
        "reset_gallup_2014": f"{gallup[2014]:.0f}%",
        "reset_meet_total": f"{len(obama)}",
        "reset_meet_0910": f"{obama['date'].dt.year.between(2009, 2010).sum()}",
        "reset_meet_medvedev": f"{(obama['russian_president'] == 'Dmitry Medvedev').sum()}",
        "reset_meet_2011": f"{(obama['date'].dt.year == 2011).sum()}",
    }


DESCRIPTIONS = {
    "fig-reset-timeline": (
        "Timeline of U.S.-Russia events from 2008 to 2013, one row per event category, "
        "coloured by the book's episode: the reset, New START or other. Reset events run "
        "from Biden's Munich speech in February 2009 to the cancelled Moscow summit in "
        "August 2013; New START events cluster in 2009-2011."
    ),
    "fig-reset-trade": (
        "Grouped bar chart of annual U.S. goods exports to and imports from Russia, "
        "2005-2014, in billions of nominal dollars. Exports fell in 2009, then rose each year "
        "to 2013; imports, mostly fuels, were always larger and peaked in 2011."
    ),
    "fig-reset-summits": (
        "Stacked bar chart of recorded meetings between sitting U.S. and Russian presidents "
        "per year, 2001-2016, coloured by the Russian president. Meetings with Medvedev "
        "cluster in 2009-2010 and continue in 2011; meetings with Putin begin in 2012 "
        "at about one a year."
    ),
    "fig-reset-opinion": (
        "Line chart of Gallup's share of U.S. adults with a favourable view of Russia "
        "(February readings from 2001 onwards, with years missing from the book's file) and "
        "the Levada Center's share of Russian adults with a good attitude toward the United "
        "States (2015 onwards). The reset period is shaded; the file holds Gallup readings "
        "for 2009 and 2010 but not 2011."
    ),
}


def describe(figure: str) -> str:
    """The text alternative of the chapter's figure ``figure`` (its label)."""
    if figure not in DESCRIPTIONS:
        raise KeyError(f"No figure named {figure!r} in the reset chapter")
    return DESCRIPTIONS[figure]
