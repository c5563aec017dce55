"""Chart builders and the offline renderer, on small fixtures, with the theme active."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import pytest

import usrussia
from usrussia import charts, render, theme


@pytest.fixture(autouse=True)
def book_theme():
    theme.register()
    yield
    alt.theme.enable("default")


PARTY_FRAME = pd.DataFrame(
    {
        "date": pd.to_datetime(["2011-02-05", "2011-02-05", "2018-02-05", "2018-02-05"]),
        "party": ["United States", "Russia", "United States", "Russia"],
        "warheads": [1800, 1537, 1350, 1444],
    }
)
EVENTS = pd.DataFrame(
    {
        "date": pd.to_datetime(["2009-03-06", "2010-04-08", "2014-09-05", "2015-02-12"]),
        "event": ["Reset button", "New START signed", "Minsk Protocol", "Minsk II"],
        "category": ["diplomacy", "treaty", "treaty", "treaty"],
        "episode": ["reset", "new_start", "minsk", "minsk"],
    }
)


def layer_marks(spec: dict) -> list[str]:
    marks = []
    for layer in spec.get("layer", [spec]):
        mark = layer.get("mark")
        marks.append(mark["type"] if isinstance(mark, dict) else mark)
    return marks


def test_line_by_party_uses_fixed_party_colours_and_source_note():
    chart = charts.line_by_party(
        PARTY_FRAME,
        x="date",
        y="warheads",
        title="Both under the limit",
        description="Warheads by party",
        datasets=["new_start"],
        y_title="Warheads",
        limit=1550,
    )
    spec = chart.to_dict()
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["United States", "Russia"]
    assert scale["range"] == [theme.PARTY_COLORS["United States"], theme.PARTY_COLORS["Russia"]]
    assert spec["description"] == "Warheads by party"
    subtitle = " ".join(spec["title"]["subtitle"])
    assert subtitle.startswith("Source: ") and "State" in subtitle
    assert layer_marks(spec) == ["line", "rule", "text"]
    assert spec["config"]["range"]["category"][0] == theme.OKABE_ITO["blue"]


def test_timeline_shades_episodes_and_binds_a_legend_selection():
    chart = charts.timeline(EVENTS, title="Events", description="Timeline", datasets=["timeline"])
    spec = chart.to_dict()
    assert layer_marks(spec) == ["rect", "point"]
    assert spec["params"][0]["bind"] == "legend"  # Altair lifts layer params to the top
    periods = charts.episode_periods(EVENTS)
    minsk = periods.set_index("episode").loc["minsk"]
    assert (minsk["start"], minsk["end"]) == (
        pd.Timestamp("2014-09-05"),
        pd.Timestamp("2015-02-12"),
    )


def test_bars_with_party_offset():
    chart = charts.bars(
        PARTY_FRAME,
        x="date",
        y="warheads",
        x_type="T",
        title="t",
        description="d",
        datasets=["new_start"],
        x_title=None,
        y_title="Warheads",
        color="party",
    )
    spec = chart.to_dict()
    assert spec["encoding"]["xOffset"]["field"] == "party"


def test_source_note_comes_from_metadata():
    note = usrussia.source_note("trade", "stockpiles")
    assert note == "Source: " + "; ".join(
        usrussia.resource(n)["credit"] for n in ("trade", "stockpiles")
    )


def test_book_renderer_bundles_spec_static_svg_and_description():
    chart = (
        alt.Chart(PARTY_FRAME)
        .mark_point()
        .encode(x="date:T", y="warheads:Q")
        .properties(description="Points of warheads")
    )
    bundle = render.book_renderer(chart.to_dict())
    content = bundle[render.CHART_MIME]
    assert content["svg"].lstrip().startswith("<svg")
    assert content["description"] == "Points of warheads"
    assert json.dumps(content["spec"])  # serialisable into the notebook
    assert bundle["text/plain"] == "<Chart: Points of warheads>"


def test_description_falls_back_to_title():
    assert render.describe({"title": {"text": "A finding"}}) == "A finding"
    assert render.describe({}) == "Chart"


def test_renderer_choice_depends_on_where_the_notebook_runs(monkeypatch):
    monkeypatch.setenv(render.BOOK_BUILD_ENV, "1")
    usrussia.setup()
    assert alt.renderers.active == render.RENDERER_NAME
    monkeypatch.delenv(render.BOOK_BUILD_ENV)
    usrussia.setup()
    assert alt.renderers.active == "html"
    alt.renderers.enable("default")


def test_javascript_bundle_is_self_contained_and_scoped():
    bundle = render.javascript_bundle()
    assert bundle.startswith("(() => {") and bundle.rstrip().endswith("})();")
    # The book's drawing code is inside the bundle with vega-embed, not loaded separately.
    assert "figure.usrussia-chart" in bundle and "DOMContentLoaded" in bundle
    assert "vega-embed" in bundle
