"""Every dataset against its schema, plus the checks a specialist would make."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from frictionless import Package

import usrussia
from usrussia import sources
from usrussia.data import DEFAULT_DATA_DIR

DATA = DEFAULT_DATA_DIR
PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
NAMES = [res["name"] for res in PACKAGE["resources"]]
# The episodes the timeline tags events with (its "episode" column's allowed values).
EPISODES = [
    value
    for res in PACKAGE["resources"]
    if res["name"] == "timeline"
    for field in res["schema"]["fields"]
    if field["name"] == "episode"
    for value in field["constraints"]["enum"]
    if value != "none"
]
# Metadata every dataset must carry (after Our World in Data's snapshot metadata).
REQUIRED_RESOURCE_KEYS = ["name", "path", "title", "description", "sources", "licenses", "schema"]


def test_package_is_a_valid_frictionless_data_package():
    report = Package(str(DATA / "datapackage.json")).validate()
    problems = [f"{task.name}: {err.message}" for task in report.tasks for err in task.errors] + [
        err.message for err in report.errors
    ]
    assert report.valid, "\n".join(problems[:20])


def test_every_csv_is_described_and_every_description_has_a_file():
    described = {res["path"] for res in PACKAGE["resources"]}
    on_disk = {p.name for p in DATA.glob("*.csv")}
    assert on_disk == described, (
        f"undescribed: {on_disk - described}; missing: {described - on_disk}"
    )


@pytest.mark.parametrize("name", NAMES)
def test_metadata_is_complete(name):
    res = usrussia.resource(name)
    missing = [k for k in REQUIRED_RESOURCE_KEYS if not res.get(k)]
    assert not missing, f"{name}: metadata lacks {missing}"
    for source in res["sources"]:
        assert source.get("title"), f"{name}: a source has no title"
        assert re.match(r"https?://", source.get("path", "")), f"{name}: {source} has no URL"
        # Frictionless does not check custom fields: an impossible date would pass it.
        retrieved = date.fromisoformat(source["retrieved"])
        assert date(2020, 1, 1) <= retrieved <= date.today(), f"{name}: retrieved {retrieved}"
    assert res["schema"].get("primaryKey"), f"{name}: no primary key"
    for field in res["schema"]["fields"]:
        assert field.get("description"), f"{name}.{field['name']}: no description"


@pytest.mark.parametrize("name", NAMES)
def test_loads_with_every_row_and_no_blank_source(name):
    frame = usrussia.load(name)
    lines = len((DATA / usrussia.resource(name)["path"]).read_text().strip().splitlines())
    assert len(frame) == lines - 1, f"{name}: rows were lost in loading"
    for column in [c for c in frame.columns if c.startswith("source")]:
        blank = frame[frame[column].isna() | (frame[column].str.strip() == "")]
        assert blank.empty, f"{name}: blank {column} on rows {list(blank.index + 2)}"
    for url_column in [c for c in frame.columns if c.endswith("source_url")]:
        bad = frame[~frame[url_column].str.match(r"https?://")]
        assert bad.empty, f"{name}: {url_column} is not a URL on lines {list(bad.index + 2)}"


@pytest.mark.parametrize("name", NAMES)
def test_dates_and_years_are_in_range(name):
    frame = usrussia.load(name)
    for field in usrussia.resource(name)["schema"]["fields"]:
        column = frame[field["name"]].dropna()
        if field["type"] == "date":
            assert column.min() >= pd.Timestamp("1945-01-01"), f"{name}.{field['name']}"
            assert column.max() <= pd.Timestamp("2026-12-31"), f"{name}.{field['name']}"
        if field["type"] == "year" or field["name"] == "year":
            assert column.min() >= 1945 and column.max() <= 2026, f"{name}.{field['name']}"


# --- New START --------------------------------------------------------------------------

LIMIT_DEADLINE = pd.Timestamp("2018-02-05")


def new_start_exchange_dates_are_on_the_calendar(dates) -> list[str]:
    """The treaty's calendar: the first exchange as of 5 Feb 2011, then 1 March and
    1 September each year; the limits' deadline, 5 Feb 2018, was reported as well."""
    allowed_special = {pd.Timestamp("2011-02-05"), LIMIT_DEADLINE}
    return [
        f"{d:%Y-%m-%d}"
        for d in dates
        if d not in allowed_special and not (d.day == 1 and d.month in (3, 9))
    ]


def test_new_start_dates_follow_the_exchange_calendar():
    frame = usrussia.load("new_start")
    off = new_start_exchange_dates_are_on_the_calendar(frame["date"].unique())
    assert not off, f"as-of dates off the data-exchange calendar: {off}"


def test_new_start_calendar_check_can_fail():
    assert new_start_exchange_dates_are_on_the_calendar([pd.Timestamp("2015-06-01")])


def test_new_start_deployed_never_exceed_totals():
    frame = usrussia.load("new_start")
    bad = frame[frame["deployed_launchers"] > frame["total_launchers"]]
    assert bad.empty, f"deployed launchers above all launchers:\n{bad}"


def test_new_start_figures_within_limits_from_february_2018():
    frame = usrussia.load("new_start")
    limits = usrussia.load("new_start_limits").set_index("measure")["limit"]
    after = frame[frame["date"] >= LIMIT_DEADLINE]
    assert not after.empty
    for measure, limit in limits.items():
        over = after[after[measure] > limit]
        assert over.empty, f"{measure} above its limit {limit}:\n{over}"


def test_new_start_limits_are_the_treatys():
    limits = usrussia.load("new_start_limits").set_index("measure")["limit"].to_dict()
    assert limits == {"deployed_launchers": 700, "deployed_warheads": 1550, "total_launchers": 800}


def test_new_start_covers_both_parties_from_the_first_exchange():
    frame = usrussia.load("new_start")
    first = frame[frame["date"] == frame["date"].min()]
    assert frame["date"].min() == pd.Timestamp("2011-02-05")
    assert set(first["party"]) == {"United States", "Russia"}


def test_new_start_milestones_include_signature_and_expiry():
    milestones = usrussia.load("new_start_milestones")
    dates = set(milestones["date"])
    assert pd.Timestamp("2010-04-08") in dates, "signature in Prague"
    assert pd.Timestamp("2011-02-05") in dates, "entry into force"
    assert pd.Timestamp("2026-02-05") in dates, "expiry"


# --- Other datasets ----------------------------------------------------------------------


def test_timeline_has_enough_events_for_every_episode():
    events = usrussia.load("timeline")
    assert len(events) >= 80
    counts = events["episode"].value_counts()
    thin = {e: int(counts.get(e, 0)) for e in EPISODES if counts.get(e, 0) < 10}
    assert not thin, f"episodes with fewer than 10 events: {thin}"
    assert events["date"].min().year <= 1992 and events["date"].max().year >= 2025


def test_trade_balance_is_exports_minus_imports():
    trade = usrussia.load("trade")
    gap = (
        trade["exports_usd_millions"]
        - trade["imports_usd_millions"]
        - trade["balance_usd_millions"]
    ).abs()
    # Census publishes one decimal; a balance computed before rounding may differ by 0.1.
    bad = trade[gap > 0.11]
    assert bad.empty, f"balance is not exports minus imports:\n{bad}"
    assert list(trade["year"]) == list(range(trade["year"].min(), trade["year"].max() + 1))


def test_stockpiles_are_yearly_per_country_without_gaps():
    stockpiles = usrussia.load("stockpiles")
    for country, rows in stockpiles.groupby("country"):
        years = list(rows["year"])
        assert years == list(range(min(years), max(years) + 1)), f"{country} has gaps"
        assert (rows["stockpile_warheads"] > 0).all()


def test_opinion_percentages_are_percentages():
    opinion = usrussia.load("opinion")
    assert opinion["percent"].between(0, 100).all()


def test_summits_are_leader_meetings_since_1992():
    summits = usrussia.load("summits")
    assert summits["date"].min() >= pd.Timestamp("1992-01-01")
    assert summits["us_president"].notna().all() and summits["russian_president"].notna().all()


def test_donbas_casualties_cover_2014_to_2021():
    casualties = usrussia.load("donbas_casualties")
    assert list(casualties["year"]) == list(range(2014, 2022))


def test_unread_injury_counts_stay_missing_not_zero():
    # OHCHR's yearly injury counts could not be read at OHCHR: the cells are empty, and an
    # empty cell must load as missing, so that no chart or sum can take it for zero.
    injured = usrussia.load("donbas_casualties")["civilians_injured"]
    assert injured.isna().all(), injured.tolist()


def test_a_column_left_empty_is_optional_and_explained():
    """An absence in the data is said in the metadata, not read as an absence in the world."""
    problems = []
    for res in PACKAGE["resources"]:
        frame = usrussia.load(res["name"])
        for field in res["schema"]["fields"]:
            if not frame[field["name"]].isna().all():
                continue
            text = f"{field.get('description', '')} {res.get('description', '')}".lower()
            if field.get("constraints", {}).get("required"):
                problems.append(f"{res['name']}.{field['name']}: empty but required")
            if "empty" not in text:
                problems.append(f"{res['name']}.{field['name']}: empty and not explained")
    assert not problems, "\n".join(problems)


def test_data_sources_are_in_the_bibliography():
    bib = (Path(__file__).resolve().parent.parent / "references.bib").read_text()
    for res in PACKAGE["resources"]:
        for source in res["sources"]:
            assert source["path"] in bib, f"{res['name']}: {source['path']} not in references.bib"


def test_gallup_series_has_the_reset_years():
    # The gap in this file was once read as a gap in Gallup's series; Gallup asks every February.
    gallup = usrussia.load("opinion").query("pollster == 'Gallup'")
    years = set(gallup["date"].dt.year)
    assert {2008, 2009, 2010, 2012}.issubset(years), sorted(years)
    assert (gallup["date"].dt.month == 2).all(), "Gallup rows are February World Affairs readings"


@pytest.mark.parametrize(
    ("url", "forbidden"),
    [
        ("https://en.wikipedia.org/wiki/X", True),
        ("https://search.wikileaks.org/plusd/cables/x.html", True),
        ("https://regulations.justia.com/regulations/fedreg/x.html", True),
        ("https://admin.newsru.site/world/x.html", True),
        ("https://newsessentials.wordpress.com/2012/x", True),
        ("https://github.com/someone/census/country.xlsx", True),
        ("https://www.govinfo.gov/content/pkg/FR-2021-04-19/pdf/2021-08098.pdf", False),
        ("http://en.kremlin.ru/events/president/news/42136", False),
        ("https://news.gallup.com/poll/16201/Russia.aspx", False),
        ("https://github.com/HistoryAtState/visits/blob/master/visits.xml", False),
    ],
)
def test_forbidden_host_list_tells_copies_from_publishers(url, forbidden):
    assert bool(sources.forbidden_kind(url)) is forbidden, url


@pytest.mark.parametrize("name", NAMES)
def test_rows_and_sources_cite_no_forbidden_host(name):
    frame = usrussia.load(name)
    key = frame.columns[0]
    bad = []
    # A row's source is in `source_url`, or in one `<field>_source_url` column per field
    # (episodes), each holding one URL or several separated by ";".
    url_columns = [c for c in frame.columns if c.endswith("source_url")]
    assert url_columns, f"{name} has no source_url column"
    for _, row in frame.iterrows():
        first = row[key]
        first = f"{first:%Y-%m-%d}" if hasattr(first, "strftime") else str(first)
        urls = [u.strip() for c in url_columns if pd.notna(row[c]) for u in str(row[c]).split(";")]
        bad += [f"{first}: {url}" for url in urls if sources.forbidden_kind(url)]
    bad += [
        f"datapackage source: {s['path']}"
        for s in usrussia.resource(name)["sources"]
        if sources.forbidden_kind(s["path"])
    ]
    assert not bad, f"{name} cites forbidden hosts:\n" + "\n".join(bad)


# --- opinion: readings from the pollster's own release ----------------------------------

#: The pollster's own host for each pollster in ``opinion``.
POLLSTER_OWN_HOST = {"Gallup": "news.gallup.com", "Levada Center": "levada.ru"}

#: Opinion rows read in reporting of a release rather than in the release itself, keyed by
#: (date, pollster), with the host read and the reason. This list may only shrink: when a
#: row is re-sourced to the pollster, delete its entry (the test below fails until you do).
OPINION_ROWS_FROM_REPORTING = {
    ("2010-02-01", "Gallup"): (
        "deseret.com",
        "Associated Press wire story reproduced by the Deseret News; Gallup's 2010 release "
        "not found in the stored copies",
    ),
    ("2013-02-01", "Gallup"): (
        "koreaherald.com",
        "Yonhap wire story quoting Gallup's 2015 release (24% after two 10-point falls); "
        "Gallup's 2013 release not found",
    ),
    ("2014-02-06", "Gallup"): (
        "articles.chicagotribune.com",
        "Reuters wire story reproduced by the Chicago Tribune; Gallup's 2014 release not found",
    ),
    ("2015-02-08", "Gallup"): (
        "koreaherald.com",
        "Yonhap wire story quoting Gallup's 2015 release; the release itself not found",
    ),
    ("2016-02-01", "Gallup"): (
        "thehill.com",
        "The Hill's 2022 report of Gallup's trend; Gallup's 2016 release not found",
    ),
    ("2017-02-01", "Gallup"): ("upi.com", "UPI wire story; Gallup's 2017 release not found"),
    ("2021-02-03", "Gallup"): ("newsweek.com", "Newsweek report; Gallup's 2021 release not found"),
    ("2022-02-01", "Gallup"): ("upi.com", "UPI wire story; Gallup's 2022 release not found"),
    ("2015-01-01", "Levada Center"): (
        "interfax.ru",
        "Interfax wire story citing Levada; Levada's release not found",
    ),
    ("2015-07-17", "Levada Center"): (
        "interfax.ru",
        "Interfax wire story citing Levada; Levada's release not found",
    ),
    ("2017-01-01", "Levada Center"): (
        "vedomosti.ru",
        "Vedomosti (business daily) report; Levada's release not found",
    ),
    ("2017-03-31", "Levada Center"): (
        "unian.info",
        "UNIAN (Ukrainian news agency) report; Levada's release not found",
    ),
    ("2017-12-01", "Levada Center"): (
        "vedomosti.ru",
        "Vedomosti (business daily) report; Levada's release not found",
    ),
    ("2018-07-19", "Levada Center"): (
        "themoscowtimes.com",
        "The Moscow Times report; Levada's release not found (its summary, 42% in July 2018, "
        "is on the shifting tag listing levada.ru/tag/es/page/3/, not a release page)",
    ),
    ("2019-11-21", "Levada Center"): (
        "agenzianova.com",
        "Agenzia Nova (Italian news agency) report; Levada's release not found",
    ),
    ("2023-05-01", "Levada Center"): (
        "kyivpost.com",
        "Kyiv Post's 2025 report of Levada's trend; Levada's May 2023 release not found",
    ),
}
#: Ceiling on the exception list: lower it when an entry goes, never raise it.
MAX_OPINION_ROWS_FROM_REPORTING = 16


def _reading_off_pollster_host(pollster: str, url: str) -> bool:
    """True when ``url`` is not on ``pollster``'s own host (see POLLSTER_OWN_HOST)."""
    own = POLLSTER_OWN_HOST[pollster]
    host = sources.host_of(url)
    return not (host == own or host.endswith("." + own))


@pytest.mark.parametrize(
    ("pollster", "url", "off"),
    [
        ("Gallup", "https://news.gallup.com/poll/16201/Russia.aspx", False),
        ("Gallup", "https://www.newsmax.com/newsfront/gallup-americans-russia-ukraine/", True),
        ("Gallup", "https://www.gallup.com.example.org/poll/1", True),
        ("Gallup", "https://www.levada.ru/en/2021/04/09/attitude-towards-the-us/", True),
        ("Levada Center", "https://www.levada.ru/en/2021/04/09/attitude-towards-the-us/", False),
        ("Levada Center", "https://levada.ru/en/2022/04/27/international-relations-2", False),
        ("Levada Center", "https://regnum.ru/amp/2810148", True),
    ],
)
def test_pollster_host_check_tells_releases_from_reports(pollster, url, off):
    assert _reading_off_pollster_host(pollster, url) is off


def test_opinion_rows_come_from_the_pollster_or_a_listed_exception():
    opinion = usrussia.load("opinion")
    rows = {(f"{row.date:%Y-%m-%d}", row.pollster): row.source_url for row in opinion.itertuples()}
    unlisted = [
        f"{day} {pollster}: {url}"
        for (day, pollster), url in rows.items()
        if _reading_off_pollster_host(pollster, url)
        and (day, pollster) not in OPINION_ROWS_FROM_REPORTING
    ]
    assert not unlisted, "opinion rows not read at the pollster and not listed:\n" + "\n".join(
        unlisted
    )
    stale = []
    for (day, pollster), (host, _reason) in OPINION_ROWS_FROM_REPORTING.items():
        url = rows.get((day, pollster))
        if url is None:
            stale.append(f"{day} {pollster}: listed but no such row")
        elif not _reading_off_pollster_host(pollster, url):
            stale.append(f"{day} {pollster}: now read at the pollster; delete the exception")
        elif not (sources.host_of(url) == host or sources.host_of(url).endswith("." + host)):
            stale.append(f"{day} {pollster}: listed as {host}, row reads {url}")
    assert not stale, "stale exceptions:\n" + "\n".join(stale)
    assert len(OPINION_ROWS_FROM_REPORTING) <= MAX_OPINION_ROWS_FROM_REPORTING


def test_opinion_description_names_the_years_read_in_reporting():
    description = usrussia.resource("opinion")["description"]
    years = {day[:4] for day, _pollster in OPINION_ROWS_FROM_REPORTING}
    missing = sorted(year for year in years if year not in description)
    assert not missing, f"opinion description does not say which rows rest on reporting: {missing}"


def test_opinion_sources_name_only_the_pollsters_pages():
    paths = [s["path"] for s in usrussia.resource("opinion")["sources"]]
    assert paths
    off = [
        p for p in paths if all(_reading_off_pollster_host(name, p) for name in POLLSTER_OWN_HOST)
    ]
    assert not off, f"opinion sources not on a pollster's host: {off}"
