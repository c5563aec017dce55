"""Chart builders used across chapters, in the book's theme, each with a source note.

Every builder takes the finding as ``title``, a ``description`` for screen readers and the
names of the datasets it draws on, from whose metadata the source note is made. Chapters
call these rather than repeating encodings, so a party has the same colour everywhere.
Every builder raises ``ColumnNotFoundError`` (a ``KeyError``) when a column it is told to
draw (``x``, ``y``, ``series``, ``group``...) is not in its data frame.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from usrussia.data import resource, source_note
from usrussia.theme import (
    ANNOTATION_COLOR,
    CHART_HEIGHT,
    CHART_WIDTH,
    EPISODE_LABELS,
    episode_scale,
    episode_shape_scale,
    party_scale,
    series_scale,
)


class ColumnNotFoundError(KeyError):
    """A chart builder was given a column name its data frame does not have."""

    def __str__(self) -> str:
        return str(self.args[0])


def require_columns(frame: pd.DataFrame, builder: str, **columns: str | None) -> None:
    """Raise ``ColumnNotFoundError`` naming the builder, the argument, the missing column and
    the frame's columns, for each ``argument=column`` given that is not a column of
    ``frame``. Altair draws a field it cannot find as empty ("undefined") without a word,
    so every builder checks the columns it encodes before it draws."""
    missing = [
        f"{argument}={name!r}"
        for argument, name in columns.items()
        if name is not None and name not in frame.columns
    ]
    if missing:
        raise ColumnNotFoundError(
            f"{builder}: no column {', '.join(missing)} in the data frame, whose columns are "
            f"{', '.join(map(repr, frame.columns))}"
        )


# --- Tooltips in words -------------------------------------------------------------------

# The book's date style, "5 February 2026"; a date known only to its month, "February 2014".
DAY_FORMAT = "%-d %B %Y"
MONTH_FORMAT = "%B %Y"
# Date fields whose rows are in part known only to the month, the month's first day
# standing in for the day (data/datapackage.json says so of each): shown by month.
MONTH_PRECISION = {"opinion": {"date"}}


def _dataset_names(frame: pd.DataFrame, datasets=()) -> list[str]:
    """The dataset a frame was loaded from (``usrussia.load`` notes it), else ``datasets``."""
    return [frame.attrs["dataset"]] if frame.attrs.get("dataset") else list(datasets)


def date_format(frame: pd.DataFrame, column: str, datasets=()) -> str:
    """The book's date format for ``column``: ``MONTH_FORMAT`` for a field known only to
    the month in some rows (``MONTH_PRECISION``), else ``DAY_FORMAT``."""
    names = _dataset_names(frame, datasets)
    monthly = any(column in MONTH_PRECISION.get(name, ()) for name in names)
    return MONTH_FORMAT if monthly else DAY_FORMAT


def field_title(frame: pd.DataFrame, column: str, datasets=()) -> str:
    """A column's name in words: its title in data/datapackage.json (from the frame's
    dataset, else the first of ``datasets`` that has the field), else the column's name
    with spaces for underscores and a capital ("Flow")."""
    for name in _dataset_names(frame, datasets):
        for field in resource(name)["schema"]["fields"]:
            if field["name"] == column and field.get("title"):
                return field["title"]
    words = column.replace("_", " ")
    return words[:1].upper() + words[1:]


def tooltip(frame: pd.DataFrame, number_format: str = ",.0f", datasets=(), **titles: str):
    """The hover fields ``column="Title"`` (in that order) as Altair tooltips, typed from the
    frame: dates in the book's style (``date_format``), numbers with thousands separators
    (``number_format``), other values as text. Raises ``ColumnNotFoundError`` for a
    column the frame lacks. ``tooltip(polls, date="Survey month", percent="Per cent")``."""
    require_columns(frame, "tooltip", **{column: column for column in titles})
    return [_tip(frame, column, title, number_format, datasets) for column, title in titles.items()]


def _tip(frame, column, title=None, number_format=",.0f", datasets=(), field=None):
    """One tooltip for ``column`` (``field``, such as "sum(count)", when it is aggregated),
    titled ``title`` or the column's title in words."""
    title = title or field_title(frame, column, datasets)
    field = field or column
    values = frame[column] if column in frame.columns else pd.Series(dtype=object)
    if pd.api.types.is_datetime64_any_dtype(values):
        return alt.Tooltip(f"{field}:T", title=title, format=date_format(frame, column, datasets))
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return alt.Tooltip(f"{field}:N", title=title)
    if column == "year":  # 2014, not 2,014
        return alt.Tooltip(f"{field}:Q", title=title, format="d")
    return alt.Tooltip(f"{field}:Q", title=title, format=number_format)


def titled(
    chart: alt.TopLevelMixin, title: str, datasets, *, subtitle: str | None = None, description: str
) -> alt.TopLevelMixin:
    """Give a chart its finding as title, the source note as subtitle, and a description.

    The subtitle is wrapped for the chart's width in Jupyter; the paragraphs are kept in
    ``usermeta`` so that the book wraps them again to each screen's width.
    """
    titles = title if isinstance(title, list | tuple) else [title]
    paragraphs = ([subtitle] if subtitle else []) + [source_note(*datasets)]
    # Long source notes wrap onto several subtitle lines instead of running off the chart.
    lines = [line for paragraph in paragraphs for line in textwrap.wrap(paragraph, 85)]
    return chart.properties(
        title=alt.Title(title, subtitle=lines),
        description=description,
        usermeta={"usrussia": {"title": list(titles), "subtitle": paragraphs}},
    )


def line_by_party(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    description: str,
    datasets,
    y_title: str,
    x_title: str | None = None,
    limit: float | None = None,
    limit_label: str | None = None,
    tooltip_format: str = ",.0f",
) -> alt.TopLevelMixin:
    """One line per party (U.S. and Russia in their fixed colours), with an optional limit."""
    require_columns(frame, "line_by_party", x=x, y=y)
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:T").title(x_title),
        y=alt.Y(f"{y}:Q").title(y_title).scale(zero=True),
        color=alt.Color("party:N").scale(party_scale()).title("Party"),
    )
    lines = base.mark_line(point=True).encode(
        tooltip=[
            alt.Tooltip("party:N", title="Party"),
            alt.Tooltip(f"{x}:T", title="Date", format=date_format(frame, x, datasets)),
            alt.Tooltip(f"{y}:Q", title=y_title, format=tooltip_format),
        ]
    )
    layers = [lines]
    if limit is not None:
        limit_frame = pd.DataFrame(
            {"limit": [limit], "label": [limit_label or f"Limit: {limit:,}"]}
        )
        rule = (
            alt.Chart(limit_frame)
            .mark_rule(strokeDash=[6, 4], color=ANNOTATION_COLOR)
            .encode(y="limit:Q")
        )
        text = (
            alt.Chart(limit_frame)
            .mark_text(align="left", baseline="bottom", dx=4, dy=-4, color=ANNOTATION_COLOR)
            .encode(y="limit:Q", text="label:N", x=alt.value(0))
        )
        layers += [rule, text]
    chart = alt.layer(*layers).properties(width=CHART_WIDTH, height=CHART_HEIGHT)
    return titled(chart, title, datasets, description=description)


def episode_periods(events: pd.DataFrame) -> pd.DataFrame:
    """First and last dated event of each episode in a timeline frame: the bands to shade."""
    framed = events[events["episode"] != "none"]
    periods = framed.groupby("episode", as_index=False).agg(
        start=("date", "min"), end=("date", "max")
    )
    periods["label"] = periods["episode"].map(EPISODE_LABELS)
    return periods.sort_values("start", ignore_index=True)


def timeline(
    events: pd.DataFrame,
    *,
    title: str,
    description: str,
    datasets,
    row: str = "category",
    show_episodes: bool = True,
    height: int | None = None,
) -> alt.TopLevelMixin:
    """Events as points on a time axis, one row per ``row`` value, episodes shaded behind.

    Clicking a legend entry highlights one episode; hovering a point shows the event.
    """
    rows = sorted(events[row].dropna().unique())
    height = height or max(120, 28 * len(rows))
    highlight = alt.selection_point(fields=["episode_label"], bind="legend")
    frame = events.assign(episode_label=events["episode"].map(EPISODE_LABELS))
    episodes_present = [k for k in EPISODE_LABELS if k in set(frame["episode"])]
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=90)
        .encode(
            x=alt.X("date:T").title(None),
            y=alt.Y(f"{row}:N").title(None).sort(rows),
            color=alt.Color("episode_label:N")
            .scale(episode_scale(episodes_present))
            .title("Episode"),
            # A shape per episode as well as a colour (theme.EPISODE_SHAPES); with the same
            # field, title and domain, Vega-Lite draws one legend for both.
            shape=alt.Shape("episode_label:N")
            .scale(episode_shape_scale(episodes_present))
            .title("Episode"),
            opacity=alt.condition(highlight, alt.value(0.95), alt.value(0.15)),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format=date_format(events, "date", datasets)),
                alt.Tooltip("event:N", title="Event"),
                alt.Tooltip("episode_label:N", title="Episode"),
            ],
        )
        .add_params(highlight)
    )
    layers = []
    if show_episodes:
        periods = episode_periods(events)
        bands = (
            alt.Chart(periods)
            .mark_rect(opacity=0.12)
            .encode(
                x="start:T",
                x2="end:T",
                color=alt.Color("label:N").scale(episode_scale(episodes_present)).legend(None),
            )
        )
        layers.append(bands)
    # The bands share the points' colour scale but not their legend: one legend, whose
    # entries select an episode. The points' shape legend is theirs too, so that it merges
    # with their colour legend.
    chart = (
        alt.layer(*layers, points)
        .resolve_legend(color="independent", shape="independent")
        .properties(width=CHART_WIDTH, height=height)
    )
    return titled(chart, title, datasets, description=description)


def bars(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    description: str,
    datasets,
    x_title: str | None,
    y_title: str,
    color: str | None = None,
    x_type: str = "O",
    tooltip_format: str = ",.0f",
) -> alt.TopLevelMixin:
    """A bar chart; ``color`` may name a party column to use the party colours."""
    require_columns(frame, "bars", x=x, y=y, color=color)
    encoding = {
        "x": alt.X(f"{x}:{x_type}").title(x_title),
        "y": alt.Y(f"{y}:Q").title(y_title),
        "tooltip": [
            _tip(frame, x, x_title, datasets=datasets),
            alt.Tooltip(f"{y}:Q", title=y_title, format=tooltip_format),
        ],
    }
    if color == "party":
        encoding["color"] = alt.Color("party:N").scale(party_scale()).title("Party")
        encoding["xOffset"] = "party:N"
    elif color:
        encoding["color"] = alt.Color(f"{color}:N")
        scale = _color_scale(color, None, frame[color].dropna())
        if scale is not None:
            encoding["color"] = encoding["color"].scale(scale)
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(**encoding)
        .properties(width=CHART_WIDTH, height=CHART_HEIGHT)
    )
    return titled(chart, title, datasets, description=description)


# --- Builders for the charts drawn in the chapters' visible cells ------------------------


def _limit_layers(limit: float, label: str | None) -> list[alt.Chart]:
    """A dashed rule at ``limit`` with its label, as chart layers."""
    frame = pd.DataFrame({"limit": [limit], "label": [label or f"Limit: {limit:,}"]})
    rule = alt.Chart(frame).mark_rule(strokeDash=[6, 4], color="#444444").encode(y="limit:Q")
    text = (
        alt.Chart(frame)
        .mark_text(align="left", baseline="bottom", dx=4, dy=-4, color="#444444")
        .encode(y="limit:Q", text="label:N", x=alt.value(0))
    )
    return [rule, text]


def _color_scale(series: str, colors: dict[str, str] | None, values=()) -> alt.Scale | None:
    """The colours a chapter gave, else the party colours for "party", else the book's
    colours for the series named in ``values`` (theme.SERIES_COLORS), else None."""
    if colors:
        return alt.Scale(domain=list(colors), range=list(colors.values()))
    return party_scale() if series == "party" else series_scale(values)


def lines(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    title: str,
    description: str,
    datasets,
    y_title: str,
    x_type: str = "T",
    series_title: str | None = None,
    colors: dict[str, str] | None = None,
    limit: float | None = None,
    limit_label: str | None = None,
    band: tuple | None = None,
    markers: pd.DataFrame | None = None,
    subtitle: str | None = None,
    y_domain: list[float] | None = None,
    tooltip_format: str = ",.0f",
) -> alt.TopLevelMixin:
    """One line per value of ``series``; click the legend to pick one out.

    ``markers`` (columns ``x`` and ``event``) draws a dashed vertical line at each event.

    ``x_type`` is a Vega-Lite type letter: "T" for dates, "Q" for years as numbers, "O"
    for years as labels. ``colors`` maps series values to colours (the default: party
    colours when ``series`` is "party", else the book's colour of each series named in
    ``theme.SERIES_COLORS``); ``limit`` draws a dashed line with
    ``limit_label``; ``band`` = (start, end, label) shades a period behind the lines.
    """
    require_columns(frame, "lines", x=x, y=y, series=series)
    pick = alt.selection_point(fields=[series], bind="legend")
    x_axis = alt.X(f"{x}:{x_type}").title(None)
    if x_type == "Q":
        x_axis = x_axis.axis(format="d").scale(zero=False)
    y_axis = alt.Y(f"{y}:Q").title(y_title)
    y_axis = y_axis.scale(domain=y_domain) if y_domain else y_axis.scale(zero=True)
    color = alt.Color(f"{series}:N").title(series_title)
    scale = _color_scale(series, colors, frame[series].dropna())
    if scale is not None:
        color = color.scale(scale)
    x_tip = alt.Tooltip(f"{x}:{x_type}", title="Year")
    if x_type == "T":
        x_tip = alt.Tooltip(f"{x}:T", title="Date", format=date_format(frame, x, datasets))
    elif x_type == "Q":
        x_tip = alt.Tooltip(f"{x}:Q", title="Year", format="d")
    drawn = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=x_axis,
            y=y_axis,
            color=color,
            opacity=alt.condition(pick, alt.value(0.95), alt.value(0.15)),
            tooltip=[
                _tip(frame, series, series_title, datasets=datasets),
                x_tip,
                alt.Tooltip(f"{y}:Q", title=y_title, format=tooltip_format),
            ],
        )
        .add_params(pick)
    )
    layers = [drawn]
    if band is not None:
        start, end, label = band
        shade = pd.DataFrame({"start": [start], "end": [end], "band": [label]})
        band_type = "T" if x_type == "T" else x_type
        layers.insert(
            0,
            alt.Chart(shade)
            .mark_rect(opacity=0.12, color="#8c8c8c")
            .encode(
                x=f"start:{band_type}",
                x2="end",
                tooltip=[alt.Tooltip("band:N", title="Shaded")],
            ),
        )
    if limit is not None:
        layers += _limit_layers(limit, limit_label)
    if markers is not None:
        layers.append(
            alt.Chart(markers[[x, "event"]])
            .mark_rule(strokeDash=[6, 4], color="#444444")
            .encode(x=f"{x}:{x_type}", tooltip=[alt.Tooltip("event:N", title="Event")])
        )
    chart = alt.layer(*layers).properties(width=CHART_WIDTH, height=CHART_HEIGHT)
    return titled(chart, title, datasets, subtitle=subtitle, description=description)


def lines_by_party_choice(
    frame: pd.DataFrame,
    *,
    x: str,
    measures: dict[str, str],
    limits: dict[str, float],
    title: str,
    description: str,
    datasets,
    y_title: str,
) -> alt.TopLevelMixin:
    """Lines by party for one of several ``measures`` (column -> label), picked with radio
    buttons; each measure's limit from ``limits`` (column -> value) is drawn with it."""
    require_columns(frame, "lines_by_party_choice", x=x)
    long = frame.melt(
        id_vars=[x, "party"], value_vars=list(measures), var_name="measure", value_name="count"
    )
    long["measure"] = long["measure"].map(measures)
    long = long.astype({"party": str, "measure": str, "count": float})
    limit_rows = pd.DataFrame(
        {"measure": [measures[m] for m in measures], "limit": [limits[m] for m in measures]}
    )
    limit_rows["label"] = "Limit: " + limit_rows["limit"].map("{:,}".format)
    choice = alt.param(
        name="measure_choice",
        value=next(iter(measures.values())),
        bind=alt.binding_radio(options=list(measures.values()), name="Measure: "),
    )
    chosen = alt.datum.measure == choice
    drawn = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:T").title(None),
            y=alt.Y("count:Q").title(y_title).scale(zero=True),
            color=alt.Color("party:N").scale(party_scale()).title("Party"),
            tooltip=[
                alt.Tooltip("party:N", title="Party"),
                alt.Tooltip(f"{x}:T", title="Date", format=date_format(frame, x, datasets)),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("count:Q", title="Count", format=",.0f"),
            ],
        )
        .transform_filter(chosen)
    )
    rule = (
        alt.Chart(limit_rows)
        .mark_rule(strokeDash=[6, 4], color="#444444")
        .encode(y="limit:Q")
        .transform_filter(chosen)
    )
    label = (
        alt.Chart(limit_rows)
        .mark_text(align="left", baseline="bottom", dx=4, dy=-4, color="#444444")
        .encode(y="limit:Q", text="label:N", x=alt.value(0))
        .transform_filter(chosen)
    )
    chart = (
        alt.layer(drawn, rule, label)
        .add_params(choice)
        .properties(width=CHART_WIDTH, height=CHART_HEIGHT)
    )
    return titled(chart, title, datasets, description=description)


def events_by_phase(
    events: pd.DataFrame,
    *,
    phases: list[tuple[str, str, str]],
    event: str,
    detail: str,
    title: str,
    description: str,
    datasets,
) -> alt.TopLevelMixin:
    """Dated events as points, one row per phase; ``phases`` = [(name, first day, last
    day)] in order. Click a legend entry to pick out a phase; hover for ``event`` and
    ``detail``. Raises ValueError if an event falls in no phase (none is dropped)."""
    require_columns(events, "events_by_phase", event=event, detail=detail)
    order = [name for name, _, _ in phases]

    def phase_of(date: pd.Timestamp) -> str:
        for name, start, end in phases:
            if pd.Timestamp(start) <= date <= pd.Timestamp(end):
                return name
        raise ValueError(f"The event on {date:%Y-%m-%d} falls in none of the phases {order}")

    frame = events.assign(phase=events["date"].map(phase_of))[["date", event, detail, "phase"]]
    frame = frame.astype({event: str, detail: str, "phase": str})
    pick = alt.selection_point(fields=["phase"], bind="legend")
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=110)
        .encode(
            x=alt.X("date:T").title(None),
            y=alt.Y("phase:N").sort(order).title(None),
            color=alt.Color("phase:N").scale(domain=order).title("Phase"),
            # Each phase a shape too, so that phases whose colours a colour-blind reader
            # confuses are told apart in the legend. Vega-Lite draws one legend for the
            # two only when both scales name the same domain.
            shape=alt.Shape("phase:N").scale(domain=order).title("Phase"),
            opacity=alt.condition(pick, alt.value(0.95), alt.value(0.15)),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format=date_format(events, "date", datasets)),
                alt.Tooltip(f"{event}:N", title="Event"),
                alt.Tooltip(f"{detail}:N", title="What happened"),
            ],
        )
        .add_params(pick)
        .properties(width=CHART_WIDTH, height=max(120, 38 * len(order)))
    )
    return titled(points, title, datasets, description=description)


def bars_by(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    group: str,
    title: str,
    description: str,
    datasets,
    y_title: str,
    x_title: str | None = None,
    group_title: str | None = None,
    colors: dict[str, str] | None = None,
    stack: bool = False,
    outline: str | None = None,
    x_domain: list | None = None,
    subtitle: str | None = None,
    tooltip: dict[str, str] | None = None,
    tooltip_format: str = ",.0f",
) -> alt.TopLevelMixin:
    """Bars per ``x`` (years or labels), one colour per ``group``: side by side, or stacked
    if ``stack``. Click the legend to pick a group out. ``outline`` names a boolean column
    whose True rows get a black outline; ``x_domain`` fixes the categories shown (so that
    a year without rows still appears); ``tooltip`` maps further columns to hover titles."""
    require_columns(frame, "bars_by", x=x, y=y, group=group, outline=outline)
    pick = alt.selection_point(fields=[group], bind="legend")
    x_axis = alt.X(f"{x}:O").title(x_title)
    if x_domain is not None:
        x_axis = x_axis.scale(domain=x_domain)
    color = alt.Color(f"{group}:N").title(group_title)
    scale = _color_scale(group, colors, frame[group].dropna())
    if scale is not None:
        color = color.scale(scale)
    encoding = {
        "x": x_axis,
        "y": alt.Y(f"sum({y}):Q").title(y_title).axis(tickMinStep=1),
        "color": color,
        "opacity": alt.condition(pick, alt.value(0.95), alt.value(0.2)),
        "tooltip": [
            _tip(frame, x, x_title, datasets=datasets),
            _tip(frame, group, group_title, datasets=datasets),
            alt.Tooltip(f"sum({y}):Q", title=y_title, format=tooltip_format),
        ]
        + [_tip(frame, c, label, datasets=datasets) for c, label in (tooltip or {}).items()],
    }
    if not stack:
        encoding["xOffset"] = f"{group}:N"
    if outline is not None:
        encoding["stroke"] = alt.condition(
            alt.datum[outline], alt.value("#000000"), alt.value(None)
        )
        # The bars sum their rows: group by the outline column too, or the summed rows
        # lose it and no bar is outlined.
        encoding["detail"] = f"{outline}:N"
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(**encoding)
        .add_params(pick)
        .properties(width=CHART_WIDTH, height=CHART_HEIGHT)
    )
    return titled(chart, title, datasets, subtitle=subtitle, description=description)


def cumulative_steps(
    frame: pd.DataFrame,
    *,
    category: str,
    tooltip: dict[str, str],
    markers: pd.DataFrame,
    title: str,
    description: str,
    datasets,
    y_title: str,
    category_title: str | None = None,
    colors: dict[str, str] | None = None,
    subtitle: str | None = None,
) -> alt.TopLevelMixin:
    """A running count of dated rows (one point each, coloured by ``category``) over a grey
    step line, with dashed vertical ``markers`` (columns ``date`` and ``event``).

    ``tooltip`` maps further columns to show on hover to their titles.
    """
    require_columns(frame, "cumulative_steps", category=category)
    ordered = frame.sort_values("date", ignore_index=True)
    ordered = ordered.assign(cumulative=range(1, len(ordered) + 1))
    pick = alt.selection_point(fields=[category], bind="legend")
    color = alt.Color(f"{category}:N").title(category_title)
    scale = _color_scale(category, colors, frame[category].dropna())
    if scale is not None:
        color = color.scale(scale)
    steps = (
        alt.Chart(ordered)
        .mark_line(interpolate="step-after", color="#8c8c8c")
        .encode(x="date:T", y="cumulative:Q")
    )
    points = (
        alt.Chart(ordered)
        .mark_point(filled=True, size=90)
        .encode(
            x=alt.X("date:T").title(None),
            y=alt.Y("cumulative:Q").title(y_title),
            color=color,
            opacity=alt.condition(pick, alt.value(0.95), alt.value(0.15)),
            tooltip=[_tip(ordered, "date", "Date", datasets=datasets)]
            + [_tip(ordered, c, label, datasets=datasets) for c, label in tooltip.items()],
        )
        .add_params(pick)
    )
    rules = (
        alt.Chart(markers[["date", "event"]])
        .mark_rule(strokeDash=[4, 4], color="#D55E00")
        .encode(
            x="date:T",
            tooltip=[
                alt.Tooltip("event:N", title="Milestone"),
                alt.Tooltip("date:T", title="Date", format=DAY_FORMAT),
            ],
        )
    )
    chart = alt.layer(rules, steps, points).properties(width=CHART_WIDTH, height=CHART_HEIGHT)
    return titled(chart, title, datasets, subtitle=subtitle, description=description)


# --- Builders for the comparison of episodes ---------------------------------------------


def _episode_colors(frame: pd.DataFrame) -> alt.Color:
    """Episode colours keyed by the labels readers see ("The reset"), without a legend."""
    return alt.Color("episode_label:N").scale(episode_scale(list(frame["episode"]))).legend(None)


def episode_spans(
    episodes: pd.DataFrame, *, title: str, description: str, datasets
) -> alt.TopLevelMixin:
    """One horizontal bar per episode from ``start_date`` to ``end_date`` (columns of the
    ``episodes`` dataset), a point at each start, so that a one-day episode still shows."""
    frame = episodes.assign(episode_label=episodes["episode"].map(EPISODE_LABELS))
    bars = (
        alt.Chart(frame)
        .mark_bar(size=14)
        .encode(
            x=alt.X("start_date:T").title(None),
            x2="end_date:T",
            y=alt.Y("title:N").sort(field="start_date").title(None),
            color=_episode_colors(frame),
            tooltip=[
                alt.Tooltip("title:N", title="Episode"),
                alt.Tooltip("start_date:T", title="Start", format=DAY_FORMAT),
                alt.Tooltip("end_date:T", title="End", format=DAY_FORMAT),
                alt.Tooltip("format:N", title="Format"),
            ],
        )
    )
    points = bars.mark_point(filled=True, size=90).encode(x="start_date:T")
    chart = (bars + points).properties(width=CHART_WIDTH, height=180)
    return titled(chart, title, datasets, description=description)


def lines_over_episodes(
    frame: pd.DataFrame,
    episodes: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    title: str,
    description: str,
    datasets,
    y_title: str,
    series_title: str | None = None,
    x_domain: list | None = None,
    tooltip_format: str = ",.0f",
) -> alt.TopLevelMixin:
    """Lines per ``series`` (party colours when ``series`` is "party") over shaded bands for
    ``episodes`` (rows of the ``episodes`` dataset), a dashed rule at each episode's start
    (the only mark of a one-day episode). ``x_domain`` (two dates) limits the time axis;
    the legend sits below the plot, one entry a line, so that long names fit a phone."""
    require_columns(frame, "lines_over_episodes", x=x, y=y, series=series)
    bands_frame = episodes.assign(episode_label=episodes["episode"].map(EPISODE_LABELS))
    # The window as the scale's least and greatest value: a temporal "domain" compiles to
    # data references without data, on which Vega warns "Infinite extent for field data".
    x_scale = alt.Undefined
    if x_domain is not None:
        first, last = (pd.Timestamp(d) for d in x_domain)
        x_scale = alt.Scale(
            domainMin=alt.DateTime(year=first.year, month=first.month, date=first.day),
            domainMax=alt.DateTime(year=last.year, month=last.month, date=last.day),
        )
    x_axis = alt.X("start_date:T", scale=x_scale)
    tip = [alt.Tooltip("title:N", title="Episode")]
    bands = (
        alt.Chart(bands_frame)
        .mark_rect(opacity=0.18, clip=True)
        .encode(x=x_axis, x2="end_date:T", color=_episode_colors(bands_frame), tooltip=tip)
    )
    starts = (
        alt.Chart(bands_frame)
        .mark_rule(strokeDash=[4, 3], clip=True)
        .encode(
            x=x_axis,
            color=_episode_colors(bands_frame),
            tooltip=tip + [alt.Tooltip("start_date:T", title="Start", format=DAY_FORMAT)],
        )
    )
    color = alt.Color(f"{series}:N").title(series_title)
    color = color.legend(orient="bottom", direction="vertical", labelLimit=500)
    scale = _color_scale(series, None, frame[series].dropna())
    if scale is not None:
        color = color.scale(scale)
    drawn = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:T", scale=x_scale).title(None),
            y=alt.Y(f"{y}:Q").title(y_title),
            color=color,
            tooltip=[
                _tip(frame, series, series_title, datasets=datasets),
                alt.Tooltip(f"{x}:T", title="Date", format=date_format(frame, x, datasets)),
                alt.Tooltip(f"{y}:Q", title=y_title, format=tooltip_format),
            ],
        )
    )
    chart = (
        alt.layer(bands, starts, drawn)
        .resolve_scale(color="independent")
        .properties(width=CHART_WIDTH, height=CHART_HEIGHT - 40)
    )
    return titled(chart, title, datasets, description=description)


def ranked_bars(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    description: str,
    datasets,
    x_title: str,
    y_tooltip_title: str | None = None,
    subtitle: str | None = None,
) -> alt.TopLevelMixin:
    """Horizontal bars of ``x`` (a number) per ``y`` (a label), longest first. Keep
    ``x_title`` short (it must fit under a phone-wide plot); say more in ``subtitle``."""
    require_columns(frame, "ranked_bars", x=x, y=y)
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:Q").title(x_title).axis(tickMinStep=1),
            y=alt.Y(f"{y}:N").sort("-x").title(None),
            tooltip=[
                _tip(frame, y, y_tooltip_title, datasets=datasets),
                alt.Tooltip(f"{x}:Q", title=x_title, format=",.0f"),
            ],
        )
        .properties(width=CHART_WIDTH, height=32 * frame[y].nunique())
    )
    return titled(chart, title, datasets, subtitle=subtitle, description=description)


def stacked_shares(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    group: str,
    order: list[str],
    title: str,
    description: str,
    datasets,
    x_title: str,
    group_title: str | None = None,
    subtitle: str | None = None,
) -> alt.TopLevelMixin:
    """One horizontal bar per ``y``, split into the shares of each ``group`` (stacked to
    100%) in the order ``order``, each group in its colour of theme.SERIES_COLORS where it
    has one; ``x`` holds the counts. Keep ``x_title`` short."""
    require_columns(frame, "stacked_shares", x=x, y=y, group=group)
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:Q").stack("normalize").title(x_title).axis(format="%"),
            y=alt.Y(f"{y}:N").title(None),
            color=alt.Color(f"{group}:N")
            .sort(order)
            .title(group_title)
            .legend(orient="bottom", columns=3)
            .scale(_color_scale(group, None, frame[group].dropna()) or alt.Undefined),
            tooltip=[
                _tip(frame, y, datasets=datasets),
                _tip(frame, group, group_title, datasets=datasets),
                alt.Tooltip(f"{x}:Q", title="Events", format=",.0f"),
            ],
        )
        .properties(width=CHART_WIDTH, height=32 * frame[y].nunique())
    )
    return titled(chart, title, datasets, subtitle=subtitle, description=description)


def slopes(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    order: list[str],
    title: str,
    description: str,
    datasets,
    x_title: str,
    y_title: str,
    series_title: str | None = None,
    tooltip: dict[str, str] | None = None,
    tooltip_format: str = ",.1f",
) -> alt.TopLevelMixin:
    """A slope chart: for each ``series``, a line between its values of ``y`` at the points
    ``order`` of ``x`` (for example "start" and "end"). The legend sits below the plot and
    the width is set, so that the chart fits a phone's column."""
    require_columns(frame, "slopes", x=x, y=y, series=series)
    names = frame[series].dropna()
    colors = _color_scale(series, None, names) or alt.Scale(domain=sorted(names.unique()))
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:N").sort(order).title(x_title).axis(labelAngle=0),
            y=alt.Y(f"{y}:Q").title(y_title),
            color=alt.Color(f"{series}:N")
            .title(series_title)
            .legend(orient="bottom", direction="vertical")
            .scale(colors),
            # The points take a shape per series as well, for readers who cannot tell two
            # of the colours apart; with the same domain, one legend shows both.
            shape=alt.Shape(f"{series}:N")
            .title(series_title)
            .legend(orient="bottom", direction="vertical")
            .scale(domain=colors.domain),
            tooltip=[_tip(frame, series, series_title, datasets=datasets)]
            + [_tip(frame, c, t, datasets=datasets) for c, t in (tooltip or {}).items()]
            + [alt.Tooltip(f"{y}:Q", title=y_title, format=tooltip_format)],
        )
        .properties(width=CHART_WIDTH, height=CHART_HEIGHT - 40)
    )
    return titled(chart, title, datasets, description=description)
