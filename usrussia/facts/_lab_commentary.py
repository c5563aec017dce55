"""Facts for the source-criticism lab: each commentary's checkable claims tested against
the datasets ``new_start``, ``trade``, ``summits``, ``timeline`` and ``sanctions``.

The chapter states every result whichever way it comes out, so each verdict is computed.
"""

from __future__ import annotations

import pandas as pd

from usrussia.data import load
from usrussia.facts._common import day

# Russia Matters (RM Staff, 3 April 2019; references.bib: russiamatters2019newstart): the
# changes between the September 2018 and March 2019 exchanges as the post states them,
# (party, measure) -> (change, new level); None where the post gives no level.
BLOG_CLAIMS = {
    ("United States", "deployed_launchers"): (-3, 656),
    ("United States", "deployed_warheads"): (-33, 1365),
    ("United States", "total_launchers"): (0, None),
    ("Russia", "deployed_launchers"): (7, 524),
    ("Russia", "deployed_warheads"): (41, 1461),
    ("Russia", "total_launchers"): (-15, 760),
}
BLOG_DATES = (pd.Timestamp("2018-09-01"), pd.Timestamp("2019-03-01"))


def blog_check() -> pd.DataFrame:
    """The blog's six New START claims beside the ``new_start`` data: one row per (party,
    measure) with claimed and data change and level (counts) and ``agrees`` (bool)."""
    declared = load("new_start").set_index(["date", "party"])
    before, after = BLOG_DATES
    rows = []
    for (party, measure), (claimed_change, claimed_level) in BLOG_CLAIMS.items():
        old = int(declared.loc[(before, party), measure])
        new = int(declared.loc[(after, party), measure])
        rows.append(
            {
                "party": party,
                "measure": measure,
                "claimed_change": claimed_change,
                "data_change": new - old,
                "claimed_level": claimed_level,
                "data_level": new,
                "agrees": new - old == claimed_change and claimed_level in (None, new),
            }
        )
    return pd.DataFrame(rows)


def meetings(us: str, russian: str, start: str, end: str) -> pd.DataFrame:
    """Rows of ``summits`` between the two presidents from ``start`` to ``end`` inclusive."""
    summits = load("summits")
    window = summits["date"].between(pd.Timestamp(start), pd.Timestamp(end))
    chosen = (summits["us_president"] == us) & (summits["russian_president"] == russian)
    return summits[window & chosen]


def trade_totals() -> pd.DataFrame:
    """``trade`` with ``total_bn``: exports plus imports in billions of USD."""
    trade = load("trade")
    return trade.assign(
        total_bn=(trade["exports_usd_millions"] + trade["imports_usd_millions"]) / 1000
    )


def sanctions_between(start: str, end: str) -> pd.DataFrame:
    """Rows of ``sanctions`` dated from ``start`` to ``end`` inclusive."""
    sanctions = load("sanctions")
    return sanctions[sanctions["date"].between(pd.Timestamp(start), pd.Timestamp(end))]


def lab_commentary() -> dict[str, str]:
    """The lab's glued values, ``{glue name: text}``: for each commentary, what the data
    record about its checkable claims and whether they agree."""
    checked = blog_check()
    n_agree = int(checked["agrees"].sum())
    ns = load("new_start")
    march_source = ns.loc[ns["date"] == BLOG_DATES[1], "source_url"].iloc[0]
    summits, events = load("summits"), load("timeline")

    geneva = summits[(summits["date"].dt.year == 2021) & (summits["place"] == "Geneva")]
    talks = events[
        events["event"].str.contains("Strategic Stability Dialogue")
        & events["date"].between(pd.Timestamp("2021-06-17"), pd.Timestamp("2021-11-01"))
    ]

    obama_putin = meetings("Barack Obama", "Vladimir Putin", "2012-05-07", "2014-12-31")
    obama_medvedev = meetings("Barack Obama", "Dmitry Medvedev", "2009-01-20", "2012-05-06")
    minsk_sept = events[
        (events["date"].dt.strftime("%Y-%m") == "2014-09") & events["event"].str.contains("Minsk")
    ]

    trump_putin = meetings("Donald Trump", "Vladimir Putin", "2018-01-01", "2018-11-10")
    inf = events[
        events["event"].str.contains("INF") & (events["date"] < pd.Timestamp("2018-11-11"))
    ]
    after_helsinki = sanctions_between("2018-07-17", "2018-11-10")

    trade = trade_totals()
    row_2012 = trade[trade["year"] == 2012].iloc[0]
    total_2012 = row_2012["total_bn"]
    imports_share = 100 * row_2012["imports_usd_millions"] / (total_2012 * 1000)
    n_higher = int((trade.loc[trade["year"] < 2012, "total_bn"] > total_2012).sum())
    higher = {0: "in no earlier year", 1: "in only one earlier year"}.get(
        n_higher, f"in only {n_higher} earlier years"
    )
    return {
        "lab_blog_agree": f"{n_agree}",
        "lab_blog_n": f"{len(checked)}",
        "lab_blog_verdict": "agree with" if n_agree == len(checked) else "do not all agree with",
        "lab_blog_circular": "was read from this very post"
        if "russiamatters.org" in march_source
        else "comes from a different source",
        "lab_usip_summit": day(geneva["date"].iloc[0])
        if len(geneva)
        else "no Geneva summit in 2021",
        "lab_usip_talks": f"{len(talks)}",
        "lab_ri_obama_putin": f"{len(obama_putin)}",
        "lab_ri_obama_putin_standalone": f"{(obama_putin['format'] == 'standalone summit').sum()}",
        "lab_ri_obama_medvedev": f"{len(obama_medvedev)}",
        "lab_ri_minsk_date": day(minsk_sept["date"].min())
        if len(minsk_sept)
        else "(no Minsk document in September 2014 in the data)",
        "lab_valdai_meetings": f"{len(trump_putin)}",
        "lab_valdai_verdict": "agrees with" if len(trump_putin) == 1 else "does not agree with",
        "lab_valdai_inf_date": day(inf["date"].max()) if len(inf) else "(not in the data)",
        "lab_valdai_sanctions": ", ".join(after_helsinki["measure"]) or "none",
        "lab_weitz_total": f"{total_2012:.1f}",
        "lab_weitz_verdict": "agrees with" if abs(total_2012 - 40) < 1 else "does not agree with",
        "lab_weitz_imports_share": f"{imports_share:.0f}",
        "lab_weitz_higher_years": higher,
        "lab_weitz_first_year": f"{int(trade['year'].min())}",
    }
