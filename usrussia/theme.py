"""The book's one chart theme: colour-blind-safe colours, readable type and text colours.

Every chapter gets the same look by calling ``usrussia.setup()``, which registers and
enables this theme once. Colours come from the Okabe-Ito palette, which stays
distinguishable for the common forms of colour blindness; each party keeps one colour
throughout the book so that a reader never has to re-learn a legend.
"""

from __future__ import annotations

import altair as alt

THEME_NAME = "usrussia"

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

PARTY_COLORS = {
    "United States": OKABE_ITO["blue"],
    "Russia": OKABE_ITO["vermillion"],
}

EPISODE_LABELS = {
    "reset": "The reset",
    "minsk": "Minsk",
    "helsinki": "Helsinki",
    "geneva": "Geneva",
    "new_start": "New START",
    "none": "Other",
}

EPISODE_COLORS = {
    "reset": OKABE_ITO["bluish_green"],
    "minsk": OKABE_ITO["orange"],
    "helsinki": OKABE_ITO["reddish_purple"],
    "geneva": OKABE_ITO["sky_blue"],
    "new_start": OKABE_ITO["blue"],
    "none": "#8c8c8c",
}

# The plot width in Jupyter, Binder and Colab, and the chart's design width. In the built
# book every chart is drawn to its column's width instead (usrussia.render, charts.js).
CHART_WIDTH = 560
CHART_HEIGHT = 300
# Text colours for a light background (what Jupyter and the static drawings show; each at
# least 7:1 on white). In the built book charts.js replaces them, in both light and dark
# mode, by the page theme's own text colours, and raises any fixed colour a chart sets
# for text (ANNOTATION_COLOR or a chapter's own) to 4.5:1 against the page.
TEXT_COLOR = "#222832"
MUTED_TEXT_COLOR = "#4a5261"
ANNOTATION_COLOR = "#444444"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def party_scale() -> alt.Scale:
    """The colour scale that gives each party its fixed colour."""
    return alt.Scale(domain=list(PARTY_COLORS), range=list(PARTY_COLORS.values()))


def episode_scale(episodes: list[str] | None = None) -> alt.Scale:
    """The colour scale for the book's episodes, keyed by the labels shown to readers."""
    keys = episodes or list(EPISODE_COLORS)
    return alt.Scale(
        domain=[EPISODE_LABELS[k] for k in keys], range=[EPISODE_COLORS[k] for k in keys]
    )


def theme_config() -> dict:
    """The Vega-Lite config the theme applies to every chart."""
    categorical = [
        OKABE_ITO[k]
        for k in ("blue", "vermillion", "bluish_green", "orange", "sky_blue", "reddish_purple")
    ]
    return {
        "config": {
            "view": {
                "continuousWidth": CHART_WIDTH,
                "continuousHeight": CHART_HEIGHT,
                "stroke": None,
            },
            "font": FONT,
            "background": None,
            "title": {
                "fontSize": 16,
                "anchor": "start",
                # The headline starts at the chart's left edge, so it can use its width.
                "frame": "bounds",
                "color": TEXT_COLOR,
                "subtitleFontSize": 12,
                "subtitleColor": MUTED_TEXT_COLOR,
                "offset": 12,
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "gridOpacity": 0.5,
                "labelColor": TEXT_COLOR,
                "titleColor": TEXT_COLOR,
            },
            # Labels side by side keep a gap: where they would come closer, overlap removal
            # drops some rather than run them together ("19921994").
            "axisX": {"labelSeparation": 6},
            # Many bars on a narrow screen: drop the labels that would overlap.
            "axisDiscrete": {"labelOverlap": "greedy"},
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "orient": "bottom",
                "labelColor": TEXT_COLOR,
                "titleColor": TEXT_COLOR,
            },
            "header": {"labelFontSize": 13, "titleFontSize": 13},
            "text": {"fontSize": 12},
            "range": {"category": categorical},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 60, "filled": True},
        }
    }


def register() -> None:
    """Register the theme with Altair and make it the active one."""
    alt.theme.register(THEME_NAME, enable=True)(theme_config)
