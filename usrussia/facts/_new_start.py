"""Facts for the New START chapter's prose, and its charts' text alternatives.

Every value is computed from the datasets ``new_start``, ``new_start_limits``,
``new_start_milestones`` and ``stockpiles``; nothing is typed in.
"""

from __future__ import annotations

import pandas as pd

from usrussia.data import load
from usrussia.facts._common import day

MEASURES = ["deployed_launchers", "deployed_warheads", "total_launchers"]
DEADLINE = pd.Timestamp("2018-02-05")
WORDS = {0: "none", 1: "one", 2: "two", 3: "all three"}
PARTIES = {"United States": "us", "Russia": "ru"}
MILESTONES = {
    "signed": "Treaty signed in Prague",
    "senate": "U.S. Senate advice and consent",
    "duma": "State Duma approves ratification",
    "fedcouncil": "Federation Council approves ratification",
    "medvedev_signs": "Russian ratification law signed",
    "obama_signs": "U.S. instrument of ratification signed",
    "eif": "Entry into force",
    "first_exchange": "Initial data exchange deadline",
    "limits_deadline": "Central limits take effect",
    "extension": "Five-year extension in force",
    "suspension": "Russia announces suspension",
    "suspension_law": "Suspension law signed",
    "us_release": "U.S. voluntary data release",
    "countermeasures": "U.S. countermeasures",
    "putin_offer": "Putin offers one-year adherence",
    "mfa_expiry": "Russian MFA statement on expiry",
    "expiry": "Treaty expires",
    "lavrov": "Lavrov on continued observance",
}


def limits() -> dict[str, int]:
    """The three central limits, ``{measure: limit}``, from ``new_start_limits``."""
    return load("new_start_limits").set_index("measure")["limit"].astype(int).to_dict()


def within_limits_on_deadline() -> bool:
    """Were both parties at or below every central limit on 5 February 2018?"""
    ns, limit_of = load("new_start"), limits()
    at_deadline = ns[ns["date"] == DEADLINE]
    return len(at_deadline) == 2 and all((at_deadline[m] <= limit_of[m]).all() for m in MEASURES)


def _value(ns: pd.DataFrame, date, party: str, measure: str) -> str:
    rows = ns[(ns["date"] == pd.Timestamp(date)) & (ns["party"] == party)]
    return f"{int(rows[measure].iloc[0]):,}" if len(rows) else "n/a"


def new_start() -> dict[str, str]:
    """The chapter's glued values, ``{glue name: text}``.

    From ``new_start`` (declared aggregate numbers), ``new_start_limits``,
    ``new_start_milestones`` (dates as "5 February 2011") and ``stockpiles`` (FAS
    estimates). A milestone missing from the data reads "(date not in the data)".
    """
    ns, milestones, stockpiles = load("new_start"), load("new_start_milestones"), load("stockpiles")
    limit_of = limits()
    facts = {
        "warhead_limit": f"{limit_of['deployed_warheads']:,}",
        "new_start_launcher_limit": f"{limit_of['deployed_launchers']:,}",
        "new_start_total_limit": f"{limit_of['total_launchers']:,}",
    }
    dates = milestones.groupby("milestone")["date"].first()
    for key, name in MILESTONES.items():
        facts[f"new_start_date_{key}"] = (
            day(dates[name]) if name in dates else "(date not in the data)"
        )

    first = ns["date"].min()
    both = ns.groupby("date")["party"].nunique()
    last_both = both[both == 2].index.max()
    facts |= {
        "new_start_first_date": day(first),
        "new_start_last_both_date": day(last_both),
        "new_start_last_date": day(ns["date"].max()),
        "new_start_n_exchanges": f"{ns['date'].nunique()}",
        "new_start_us_2023_deployed_warheads": _value(
            ns, ns["date"].max(), "United States", "deployed_warheads"
        ),
        "new_start_2018_status": "at or below all three central limits"
        if within_limits_on_deadline()
        else "not yet within every limit",
    }
    for tag, date in {"first": first, "2018": DEADLINE, "lastboth": last_both}.items():
        for party, p in PARTIES.items():
            for measure in MEASURES:
                facts[f"new_start_{tag}_{p}_{measure}"] = _value(ns, date, party, measure)
    for party, p in PARTIES.items():
        row = ns[(ns["date"] == first) & (ns["party"] == party)]
        under = sum(int((row[m] <= limit_of[m]).all()) for m in MEASURES) if len(row) else 0
        facts[f"new_start_first_{p}_under"] = WORDS[under]

    russia = ns[ns["party"] == "Russia"]
    peak = russia.loc[russia["deployed_warheads"].idxmax()]
    us = ns[ns["party"] == "United States"].set_index("date")
    at_cap = us[us["total_launchers"] == limit_of["total_launchers"]]
    peak_over = int(peak["deployed_warheads"]) - limit_of["deployed_warheads"]
    cut = {m: int(us.loc[first, m] - us.loc[DEADLINE, m]) for m in MEASURES}
    facts |= {
        "new_start_ru_peak": f"{int(peak['deployed_warheads']):,}",
        "new_start_ru_peak_date": day(peak["date"]),
        "new_start_ru_peak_over": f"{peak_over:,}",
        "new_start_us_cut_warheads": f"{cut['deployed_warheads']:,}",
        "new_start_us_cut_launchers": f"{cut['deployed_launchers']:,}",
        "new_start_us_at_cap_n": f"{len(at_cap)}",
        "new_start_us_at_cap_first": day(at_cap.index.min()) if len(at_cap) else "never",
    }

    for country, c in PARTIES.items():
        rows = stockpiles[stockpiles["country"] == country]
        top = rows.loc[rows["stockpile_warheads"].idxmax()]
        latest = rows.loc[rows["year"].idxmax()]
        facts[f"new_start_stock_{c}_peak"] = f"{int(top['stockpile_warheads']):,}"
        facts[f"new_start_stock_{c}_peak_year"] = f"{int(top['year'])}"
        facts[f"new_start_stock_{c}_latest"] = f"{int(latest['stockpile_warheads']):,}"
    facts["new_start_stock_latest_year"] = f"{int(stockpiles['year'].max())}"
    peaks, latest_row, by_2010 = _stockpile_summary()
    fall_total = float((peaks - latest_row).sum())
    facts["new_start_stock_share_before"] = (
        f"{100 * float((peaks - by_2010).sum()) / fall_total:.0f}"
    )
    return facts


def _stockpile_summary() -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each country's peak stockpile, latest estimate and 2010 estimate."""
    stockpiles = load("stockpiles")
    by_year = stockpiles.pivot(index="year", columns="country", values="stockpile_warheads")
    return by_year.max(), by_year.loc[by_year.index.max()], by_year.loc[2010]


def stockpile_fall_percent() -> float:
    """How far (per cent) the combined stockpiles now stand below their Cold War peaks."""
    peaks, latest, _ = _stockpile_summary()
    return 100 * (1 - float(latest.sum()) / float(peaks.sum()))


def describe(figure: str) -> str:
    """The text alternative of the chapter's figure ``figure`` (its label), from the data."""
    ns, limit_of = load("new_start"), limits()
    first, last = ns["date"].min(), ns["date"].max()
    both = ns.groupby("date")["party"].nunique()
    russia = ns[ns["party"] == "Russia"]
    peak = russia.loc[russia["deployed_warheads"].idxmax()]
    if figure == "new_start-fig-milestones":
        return (
            "Timeline of New START milestones from signature in April 2010 to expiry in "
            "February 2026, one row per phase: signature and ratification in 2010-2011, the "
            "central-limits deadline in 2018, the extension in early 2021, Russia's suspension "
            "and U.S. countermeasures in 2023, and Putin's offer and the expiry in 2025-2026."
        )
    if figure == "new_start-fig-warheads":
        ru_on_deadline = _value(ns, DEADLINE, "Russia", "deployed_warheads")
        return (
            "Line chart of deployed strategic warheads declared under New START by the United "
            f"States and Russia, twice a year from {day(first)} to {day(last)}, with a dashed "
            f"line at the {limit_of['deployed_warheads']:,} limit. The U.S. line falls from "
            f"{_value(ns, first, 'United States', 'deployed_warheads')} to "
            f"{_value(ns, DEADLINE, 'United States', 'deployed_warheads')} by the February 2018 "
            f"deadline; the Russian line peaks at {int(peak['deployed_warheads']):,} on "
            f"{day(peak['date'])} and stands at {ru_on_deadline} on the deadline. "
            f"Russia's data stop on {day(both[both == 2].index.max())}."
        )
    if figure == "new_start-fig-launchers":
        us = ns[ns["party"] == "United States"]
        at_cap = int((us["total_launchers"] == limit_of["total_launchers"]).sum())
        return (
            "Line chart of New START launcher counts for the United States and Russia, "
            f"{first.year}-{last.year}, with a radio button to switch between deployed "
            f"ICBMs, SLBMs and bombers (limit {limit_of['deployed_launchers']:,}) and all "
            f"deployed and non-deployed launchers (limit {limit_of['total_launchers']:,}). "
            f"Russia's deployed launchers range from {int(russia['deployed_launchers'].min()):,} "
            f"to {int(russia['deployed_launchers'].max()):,}; the U.S. total of all launchers "
            f"equals the limit in {at_cap} exchanges."
        )
    if figure == "new_start-fig-stockpiles":
        stockpiles = load("stockpiles")
        peaks, latest, _ = _stockpile_summary()
        return (
            "Line chart of estimated U.S. and Soviet/Russian military nuclear warhead "
            f"stockpiles from {int(stockpiles['year'].min())} to {int(stockpiles['year'].max())}. "
            f"The U.S. stockpile peaks at {int(peaks['United States']):,} and the Soviet one at "
            f"{int(peaks['Russia']):,}; both fall steeply after 1990, to "
            f"{int(latest['United States']):,} and {int(latest['Russia']):,} in the latest "
            f"year. A dashed line marks New START's {limit_of['deployed_warheads']:,} "
            "deployed-warhead limit, far below both stockpiles."
        )
    raise KeyError(f"No figure named {figure!r} in the New START chapter")
