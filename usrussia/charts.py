"""Chart builders used across chapters, in the book's theme, each with a source note.

Every builder takes the finding as ``title``, a ``description`` for screen readers and the
names of the datasets it draws on, from whose metadata the source note is made. Chapters
call these rather than repeating encodings, so a party has the same colour everywhere.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from usrussia.data import source_note
from usrussia.theme import (
    ANNOTATION_COLOR,
    CHART_HEIGHT,
    CHART_WIDTH,
    EPISODE_LABELS,
    episode_scale,
    party_scale,
)


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
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:T").title(x_title),
        y=alt.Y(f"{y}:Q").title(y_title).scale(zero=True),
        color=alt.Color("party:N").scale(party_scale()).title("Party"),
    )
    lines = base.mark_line(point=True).encode(
        tooltip=[
            alt.Tooltip("party:N", title="Party"),
            alt.Tooltip(f"{x}:T", title="Date", format="%-d %B %Y"),
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
            opacity=alt.condition(highlight, alt.value(0.95), alt.value(0.15)),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%-d %B %Y"),
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
    # entries select an episode.
    chart = (
        alt.layer(*layers, points)
        .resolve_legend(color="independent")
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
    encoding = {
        "x": alt.X(f"{x}:{x_type}").title(x_title),
        "y": alt.Y(f"{y}:Q").title(y_title),
        "tooltip": [
            alt.Tooltip(f"{x}:{x_type}", title=x_title or x),
            alt.Tooltip(f"{y}:Q", title=y_title, format=tooltip_format),
        ],
    }
    if color == "party":
        encoding["color"] = alt.Color("party:N").scale(party_scale()).title("Party")
        encoding["xOffset"] = "party:N"
    elif color:
        encoding["color"] = alt.Color(f"{color}:N")
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(**encoding)
        .properties(width=CHART_WIDTH, height=CHART_HEIGHT)
    )
    return titled(chart, title, datasets, description=description)
