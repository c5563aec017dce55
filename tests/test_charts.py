"""Chart builders and the offline renderer, on small fixtures, with the theme active."""

from __future__ import annotations

import json
import re
import sys
import types
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
import vl_convert

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


def test_book_renderer_hands_over_spec_and_description_only():
    """The kernel draws nothing: the static drawings are made at build time."""
    chart = (
        alt.Chart(PARTY_FRAME)
        .mark_point()
        .encode(x="date:T", y="warheads:Q")
        .properties(description="Points of warheads")
    )
    bundle = render.book_renderer(chart.to_dict())
    content = bundle[render.CHART_MIME]
    assert set(content) == {"spec", "description"}
    assert content["description"] == "Points of warheads"
    assert json.dumps(content["spec"])  # serialisable into the notebook
    assert bundle["text/plain"] == "<Chart: Points of warheads>"


def long_titled_chart():
    return charts.line_by_party(
        PARTY_FRAME,
        x="date",
        y="warheads",
        title="Both parties declared deployed warheads under the limit from February 2018 on",
        description="Warheads by party",
        datasets=["new_start"],
        y_title="Warheads",
        limit=1550,
    )


def test_prepared_chart_has_vega_for_the_page_and_a_drawing_per_screen_width():
    prepared = render.prepare_chart(long_titled_chart().to_dict())
    assert prepared["vega"]["$schema"].endswith("/vega/v6.json")  # Vega, not Vega-Lite
    assert prepared["fits"] is True
    meta = prepared["vega"]["usermeta"]["usrussia"]
    assert meta["title"][0].startswith("Both parties") and meta["subtitle"][0].startswith("Source")
    widths = [d["width"] for d in prepared["static"]]
    assert widths == [w for w, _ in render.STATIC_VARIANTS]
    assert [d["media"] for d in prepared["static"]][-1] is None
    for drawing in prepared["static"]:
        assert drawing["svg"].lstrip().startswith("<svg") and drawing["height"] > 150
    # The phone drawing wraps the headline onto more lines than the desktop one.
    narrow, wide = prepared["static"][0]["svg"], prepared["static"][-1]["svg"]
    assert narrow.count("<tspan") > wide.count("<tspan")


def test_headline_lines_fit_the_width_they_are_wrapped_for():
    paragraphs = ["word " * 60]
    lines = render.wrap_to_width(paragraphs, 300, 16, render.CHAR_EM["title"])
    assert len(lines) > 3
    assert all(len(line) * 16 * render.CHAR_EM["title"] <= 300 for line in lines)


def test_readable_color_reaches_the_contrast_it_is_asked_for():
    assert render.contrast_ratio("#444444", "#121212") < 4.5  # the dark-mode case
    for color, background in [("#444444", "#121212"), ("#E69F00", "#ffffff"), ("#777", "#fff")]:
        fixed = render.readable_color(color, background, 4.5)
        assert render.contrast_ratio(fixed, background) >= 4.5, (color, fixed)
    assert render.readable_color("#222222", "#ffffff", 4.5) == "#222222"  # already fine


def test_fixed_text_colours_in_a_chart_are_made_readable():
    vega = render.prepare_chart(long_titled_chart().to_dict())["vega"]
    render.make_marks_readable(vega, "#121212")
    texts = [
        m["encode"]["update"]["fill"]["value"]
        for m in render._walk_marks(vega["marks"])
        if m.get("type") == "text" and "fill" in m.get("encode", {}).get("update", {})
    ]
    assert texts, "the limit label was not found"
    assert all(render.contrast_ratio(c, "#121212") >= 4.5 for c in texts)


def test_theme_text_colours_pass_on_white():
    for color in (theme.TEXT_COLOR, theme.MUTED_TEXT_COLOR, theme.ANNOTATION_COLOR):
        assert render.contrast_ratio(color, "#ffffff") >= 4.5


def test_description_falls_back_to_title():
    assert render.describe({"title": {"text": "A finding"}}) == "A finding"
    assert render.describe({}) == "Chart"


def test_renderer_choice_depends_on_where_the_notebook_runs(monkeypatch):
    chart = alt.Chart(alt.Data(values=[{"a": 1}])).mark_point().encode(x="a:Q")

    def bundle() -> dict:
        out = chart._repr_mimebundle_()
        return out[0] if isinstance(out, tuple) else out

    monkeypatch.setenv(render.BOOK_BUILD_ENV, "1")
    usrussia.setup()
    assert alt.renderers.active == render.RENDERER_NAME
    monkeypatch.delenv(render.BOOK_BUILD_ENV)
    try:
        # JupyterLab 4, Notebook 7, VS Code: the chart compiled to Vega, under the MIME type
        # they draw with their own Vega (offline, no request to another host), a few kB,
        # and no HTML at all.
        usrussia.setup()
        assert alt.renderers.active == render.NOTEBOOK_RENDERER_NAME
        output = bundle()
        assert set(output) == {render.NOTEBOOK_MIME, "text/plain"}
        vega = output[render.NOTEBOOK_MIME]
        assert "/schema/vega/" in vega["$schema"] and vega["marks"][0]["type"] == "symbol"
        assert len(json.dumps(output)) < 10_000
        # Colab draws HTML only: the chart's JavaScript travels in the output, so no CDN
        # is asked there either.
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
        usrussia.setup()
        assert alt.renderers.active == "html"
        html = bundle()["text/html"]
        assert "vegaEmbed" in html
        assert "cdn.jsdelivr" not in html and not re.search(r"<script[^>]+src=.https?://", html)
    finally:
        alt.renderers.enable("default")


def test_jupyterlab_draws_the_mime_type_the_notebook_renderer_emits():
    """The MIME type is one that the JupyterLab of requirements.txt draws itself."""
    from importlib.metadata import distribution

    lab = distribution("jupyterlab")
    bundles = [
        f.locate()
        for f in lab.files
        if f.name.startswith("jlab_core") and f.name.endswith(".js") and "static" in str(f)
    ]
    assert bundles, "JupyterLab's core bundle was not found"
    assert any(render.NOTEBOOK_MIME in Path(b).read_text(errors="ignore") for b in bundles), (
        f"JupyterLab {lab.version} has no renderer for {render.NOTEBOOK_MIME}"
    )


def test_chart_script_is_small_and_the_runtime_is_the_vega_that_draws_the_static_charts():
    loader = render.loader_script()
    assert "figure.usrussia-chart" in loader and "IntersectionObserver" in loader
    # What a reader downloads is the minified copy the build serves; the source keeps its
    # comments for authors, whatever their length.
    served = render.loader_script(minified=True)
    assert len(served.encode()) < 28_000, f"charts.js as served: {len(served.encode())} bytes"
    runtime = render.vega_runtime()
    assert f'version="{vl_convert.get_vega_version()}"' in runtime, (
        "usrussia/vendor/vega.min.js is not the Vega version vl-convert draws with"
    )


def test_the_site_serves_the_chart_loader_minified():
    """The built site's charts.js is the source with comments and spaces taken out (its
    strings, selectors and entry points kept); the browser tests run that file."""
    source, served = render.loader_script(), render.loader_script(minified=True)
    assert len(served.encode()) < 0.7 * len(source.encode()), (len(served), len(source))
    assert "// " not in served and "\n  " not in served
    for kept in ("figure.usrussia-chart", "receiveSpec", "beforeprint", "usrussiaSrc"):
        assert kept in served, kept


def test_static_drawings_are_compact_and_keep_every_text():
    """The static SVGs drop what an <img> never reads (ARIA, class names) and round
    coordinates to 0.1 px; every text in the drawing stays as it was."""
    svg = render.static_svg(long_titled_chart().to_dict())
    compact = render.compact_svg(svg)
    assert len(compact) < 0.7 * len(svg)
    assert "aria-" not in compact and ' class="' not in compact and ' role="' not in compact

    def texts(drawing):
        return re.findall(r">([^<]+)<", drawing)

    assert texts(compact) == texts(svg)
    geometry = " ".join(re.findall(r'\s(?:d|transform|x|y)="([^"]*)"', compact))
    assert geometry and not re.search(r"\d\.\d\d", geometry)


# --- The slim Vega runtime ---------------------------------------------------------------


def test_the_runtime_manifest_describes_the_committed_runtime():
    """usrussia/vendor/vega-runtime.json was written from this vega.min.js (make
    vega-runtime), for the Vega that draws the static charts and the renderer charts.js
    asks for."""
    import hashlib

    manifest = render.vega_runtime_manifest()
    runtime = render.vega_runtime().encode("utf-8")
    assert manifest["sha256"] == hashlib.sha256(runtime).hexdigest(), (
        "usrussia/vendor/vega-runtime.json does not describe vega.min.js: run make vega-runtime"
    )
    assert manifest["vega"] == vl_convert.get_vega_version()
    renderers = set(re.findall(r'renderer:\s*"(\w+)"', render.loader_script()))
    assert renderers and renderers <= set(manifest["renderers"]), renderers
    # The print edition and "Save as PNG" draw on a canvas.
    print_edition = (Path(usrussia.__file__).parent / "print_edition.py").read_text("utf-8")
    assert "toCanvas(" in print_edition
    assert "canvas" in manifest["renderers"], "the print edition needs Vega's canvas renderer"
    # The book's charts need these whatever they draw (what the Vega parser adds).
    assert {"collect", "facet", "scale", "encode", "datajoin", "viewlayout"} <= set(
        manifest["transforms"]
    )


def test_a_chart_needing_what_the_runtime_lacks_is_named_with_what_it_lacks():
    frame = pd.DataFrame({"year": [2020, 2021, 2022], "value": [1.0, 2.0, 4.0]})
    plain = alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q")
    vega = vl_convert.vegalite_to_vega(plain.to_dict(), vl_version=render.VEGA_LITE_VERSION)
    assert render.missing_from_runtime(vega) == []
    # A running mean (Vega's window transform) and a map function: not in the runtime.
    windowed = plain.transform_window(mean="mean(value)", frame=[-1, 1])
    vega = vl_convert.vegalite_to_vega(windowed.to_dict(), vl_version=render.VEGA_LITE_VERSION)
    vega["signals"] = [*vega.get("signals", []), {"name": "area", "update": "geoArea('p', 1)"}]
    assert render.missing_from_runtime(vega) == ["transform 'window'", "function 'geoArea'"]
    # The same chart against a runtime without the line mark.
    manifest = render.vega_runtime_manifest()
    manifest["marks"] = [m for m in manifest["marks"] if m != "line"]
    assert "mark 'line'" in render.missing_from_runtime(vega, manifest)


def test_a_chart_needing_a_scheme_curve_or_colour_interpolation_left_out_is_named():
    """Colour schemes, line interpolations and colour interpolations are looked up by name
    when a chart draws; the runtime keeps only some (tools/vega-runtime/rollup.config.mjs),
    so a chart naming another fails the build instead of drawing wrongly."""
    frame = pd.DataFrame({"year": [2020, 2021, 2022], "value": [1.0, 2.0, 4.0]})
    plain = alt.Chart(frame).mark_line().encode(x="year:O", y="value:Q", color="value:Q")
    vega = vl_convert.vegalite_to_vega(plain.to_dict(), vl_version=render.VEGA_LITE_VERSION)
    assert render.missing_from_runtime(vega) == []
    fancy = (
        alt.Chart(frame)
        .mark_line(interpolate="monotone")
        .encode(
            x="year:O",
            y="value:Q",
            color=alt.Color("value:Q", scale=alt.Scale(scheme="viridis", interpolate="hcl-long")),
        )
    )
    vega = vl_convert.vegalite_to_vega(fancy.to_dict(), vl_version=render.VEGA_LITE_VERSION)
    assert render.missing_from_runtime(vega) == [
        "colour scheme 'viridis'",
        "line interpolation 'monotone'",
        "colour interpolation 'hcl-long'",
    ]
    # Kept: Vega's default schemes and line interpolation, the steps, rgb and hcl.
    manifest = render.vega_runtime_manifest()
    assert {"tableau10", "blues"} <= set(manifest["schemes"])
    assert {"linear", "step-after"} <= set(manifest["curves"])
    assert {"rgb", "hcl"} <= set(manifest["interpolators"])
    # In a config, a line interpolation is named without {"value": ...}.
    assert render.vega_features({"config": {"line": {"interpolate": "basis"}}})["curves"] == {
        "basis"
    }


def test_expression_functions_are_read_outside_string_literals():
    vega = {"signals": [{"name": "s", "update": "format(x, ',') + ' (note)' + \"y(\""}]}
    assert render.vega_features(vega)["functions"] == {"format"}


def test_chart_specs_drop_the_data_columns_nothing_reads_and_keep_the_rest():
    frame = pd.DataFrame(
        {"year": [2020, 2021], "value": [1.0, 2.0], "source_url": ["https://a", "https://b"]}
    )
    chart = alt.Chart(frame).mark_point().encode(x="year:O", y="value:Q", tooltip=["value:Q"])
    vega = render.prepare_chart(chart.to_dict())["vega"]
    rows = [row for d in vega["data"] for row in d.get("values", [])]
    assert rows and all(set(row) == {"year", "value"} for row in rows), rows
    # A tooltip that shows the whole row keeps every column.
    whole = alt.Chart(frame).mark_point(tooltip={"content": "data"}).encode(x="year:O")
    vega = render.drop_unread_fields(
        vl_convert.vegalite_to_vega(whole.to_dict(), vl_version=render.VEGA_LITE_VERSION)
    )
    rows = [row for d in vega["data"] for row in d.get("values", [])]
    assert rows and all("source_url" in row for row in rows), rows


def test_a_data_column_named_like_a_vega_property_is_dropped_when_nothing_reads_it():
    """Vega names fields only in texts (a field, an expression), never as a key: a column
    called ``description`` is not kept because Vega's marks have a ``description`` key."""
    frame = pd.DataFrame(
        {"year": [2020, 2021], "value": [1.0, 2.0], "description": ["long note", "another"]}
    )
    chart = alt.Chart(frame).mark_point().encode(x="year:O", y="value:Q")
    vega = render.prepare_chart(chart.to_dict())["vega"]
    assert "description" in json.dumps(vega["marks"])  # the key is there...
    rows = [row for d in vega["data"] for row in d.get("values", [])]
    assert rows and all(set(row) == {"year", "value"} for row in rows), rows  # ...not the column
    # Read in a tooltip: kept.
    shown = chart.encode(tooltip=["description:N"])
    vega = render.prepare_chart(shown.to_dict())["vega"]
    rows = [row for d in vega["data"] for row in d.get("values", [])]
    assert rows and all(row["description"] for row in rows), rows


@pytest.mark.parametrize(
    ("builder", "arguments"),
    [
        ("bars", {"x": "year", "y": "share", "x_title": None, "y_title": "Share"}),
        ("ranked_bars", {"x": "share", "y": "year", "x_title": "Share"}),
        ("lines", {"x": "year", "y": "share", "series": "party", "y_title": "Share"}),
        (
            "slopes",
            {
                "x": "year",
                "y": "share",
                "series": "party",
                "order": ["2014"],
                "x_title": None,
                "y_title": "Share",
            },
        ),
    ],
)
def test_a_builder_given_a_column_the_frame_lacks_says_which(builder, arguments):
    """The Geneva solution once charted x="year" from a frame whose column was "date":
    Altair drew one bar labelled "undefined". A builder now refuses, naming the column."""
    frame = pd.DataFrame({"date": [2014, 2015], "share": [10.0, 20.0], "party": ["a", "b"]})
    with pytest.raises(usrussia.charts.ColumnNotFoundError) as error:
        getattr(usrussia.charts, builder)(
            frame, title="t", description="d", datasets=[], **arguments
        )
    message = str(error.value)
    assert f"{builder}: no column" in message and "'year'" in message, message
    assert "'date', 'share', 'party'" in message, message


MONTHS = "January February March April May June July August September October November December"
_SVG_TEXT = re.compile(r"<text(?P<attributes>[^>]*)>(?P<text>[^<]*)</text>")
_TRANSLATE_X = re.compile(r'transform="translate\(([-\d.]+),')


def shown_texts(svg: str) -> list[tuple[float, str]]:
    """The texts a static drawing shows (not those hidden by overlap removal), with their x."""
    return [
        (float(_TRANSLATE_X.search(m["attributes"]).group(1)), m["text"])
        for m in _SVG_TEXT.finditer(svg)
        if 'opacity="0"' not in m["attributes"] and _TRANSLATE_X.search(m["attributes"])
    ]


@pytest.mark.parametrize(
    ("start", "end", "every"),
    [("2022-02-21", "2026-02-05", "45D"), ("2001-02-01", "2025-02-01", "90D")],
)
def test_static_time_axes_of_years_are_labelled_with_years(start, end, every):
    frame = pd.DataFrame({"date": pd.date_range(start, end, freq=every)})
    frame["value"] = range(len(frame))
    chart = alt.Chart(frame).mark_point().encode(x="date:T", y="value:Q")
    for drawing in render.prepare_chart(chart.to_dict())["static"]:
        texts = [text for _, text in shown_texts(drawing["svg"])]
        years = [text for text in texts if re.fullmatch(r"\d{4}", text)]
        assert len(years) >= 2, (drawing["width"], texts)
        assert not set(texts) & set(MONTHS.split()), (drawing["width"], texts)


def test_a_short_static_time_axis_names_its_year():
    frame = pd.DataFrame({"date": pd.date_range("2023-03-10", "2023-11-05", freq="10D")})
    frame["value"] = 1
    chart = alt.Chart(frame).mark_point().encode(x="date:T", y="value:Q")
    for drawing in render.prepare_chart(chart.to_dict())["static"]:
        texts = [text for _, text in shown_texts(drawing["svg"])]
        assert any(re.search(r"\b2023\b", text) for text in texts), (drawing["width"], texts)


@pytest.mark.parametrize("years", [2, 4, 11, 24, 33])
@pytest.mark.parametrize("kind", ["time", "number"])
def test_static_year_labels_keep_apart(kind, years):
    """Years on a time axis, or on a quantitative one (``charts.lines`` with ``x_type="Q"``),
    never run together ("20132014") at any width of the static drawings."""
    if kind == "time":
        frame = pd.DataFrame(
            {"date": pd.date_range("1991-03-01", periods=years * 4 + 1, freq="QS")}
        )
        x = alt.X("date:T")
    else:
        frame = pd.DataFrame({"year": range(1991, 1992 + years)})
        x = alt.X("year:Q").axis(format="d").scale(zero=False)
    frame["value"] = range(len(frame))
    chart = alt.Chart(frame).mark_line().encode(x=x, y="value:Q")
    for drawing in render.prepare_chart(chart.to_dict())["static"]:
        xs = sorted(x for x, text in shown_texts(drawing["svg"]) if re.fullmatch(r"\d{4}", text))
        gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
        # A year at 12 px is about 28 px wide; the first label starts at its tick.
        assert len(xs) >= 2 and min(gaps) >= 34, (drawing["width"], xs)


def test_jupyterlab_gets_the_same_year_ticks_and_an_axis_set_by_hand_is_left_alone():
    frame = pd.DataFrame({"date": pd.date_range("2019-01-01", "2024-01-01", freq="90D")})
    frame["value"] = 1
    default = alt.Chart(frame).mark_point().encode(x="date:T", y="value:Q")
    by_hand = default.encode(x=alt.X("date:T").axis(format="%b %Y", tickCount=4))
    for chart, changed in ((default, True), (by_hand, False)):
        vega = render.notebook_renderer(chart.to_dict())[render.NOTEBOOK_MIME]
        x_axes = [axis for axis in vega["axes"] if axis["scale"] == "x"]
        counts = [json.dumps(axis.get("tickCount")) for axis in x_axes]
        assert x_axes and all(("interval: 'year'" in c) == changed for c in counts), counts


def _tooltips(chart) -> list[dict]:
    """Every tooltip field of a chart's Vega-Lite spec, as dicts."""
    found = []

    def visit(node):
        if isinstance(node, dict):
            if isinstance(node.get("tooltip"), list):
                found.extend(node["tooltip"])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(chart.to_dict())
    return found


def test_dates_known_only_to_the_month_are_shown_by_month_and_the_rest_by_day():
    opinion = usrussia.load("opinion")
    assert charts.date_format(opinion[opinion["pollster"] == "Gallup"], "date") == "%B %Y"
    assert charts.date_format(usrussia.load("new_start"), "date") == "%-d %B %Y"
    # A frame made from another (its dataset not noted) is decided by the chart's datasets.
    assert charts.date_format(pd.DataFrame({"date": []}), "date", ["opinion"]) == "%B %Y"
    chart = charts.lines(
        opinion,
        x="date",
        y="percent",
        series="pollster",
        title="t",
        description="d",
        datasets=["opinion"],
        y_title="Per cent",
    )
    dates = [tip for tip in _tooltips(chart) if tip["field"] == "date"]
    assert dates and all(tip["format"] == "%B %Y" for tip in dates), dates


def test_tooltip_names_fields_in_words_and_formats_them_by_type():
    frame = usrussia.load("new_start")
    tips = [t.to_dict() for t in charts.tooltip(frame, date="Date", deployed_warheads="Warheads")]
    assert tips == [
        {"field": "date", "type": "temporal", "title": "Date", "format": "%-d %B %Y"},
        {
            "field": "deployed_warheads",
            "type": "quantitative",
            "title": "Warheads",
            "format": ",.0f",
        },
    ]
    # A builder given no title for a column uses the data's own title for it.
    assert charts.field_title(frame, "party") == "Treaty party"
    with pytest.raises(charts.ColumnNotFoundError, match="no column"):
        charts.tooltip(frame, votes="Votes")
