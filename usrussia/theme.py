"""The book's one chart theme: colour-blind-safe colours, readable type and text colours.

Every chapter gets the same look by calling ``usrussia.setup()``, which registers and
enables this theme once. Colours come from the Okabe-Ito palette, which stays
distinguishable for the common forms of colour blindness; each party, and each series the
book draws in more than one chart (``SERIES_COLORS``), keeps one colour throughout the book
so that a reader never has to re-learn a legend.
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

# "Everything else" beside a highlighted group ("Other years"), and episodes' "Other". A
# mid grey as dark as this (5.7:1 on white, 3.2:1 on the dark page) stays apart from the
# Okabe-Ito green and purple for readers with red-green colour blindness too; the lighter
# #8c8c8c came within 6.8 CIEDE2000 of them under simulated deuteranopia.
NEUTRAL_COLOR = "#666666"

# One colour per meaning: a series with one of these names (as the data or the chapters
# name it) is drawn in this colour in every chart, by the builders of usrussia.charts
# (unless a chapter passes its own ``colors``). Names not listed here take the theme's
# category colours, as before. Colours repeat only between lists that no chart draws
# together (U.S. and Russian presidents).
SERIES_COLORS = {
    # Russian presidents, in order of office; Putin in Russia's colour.
    "Boris Yeltsin": OKABE_ITO["bluish_green"],
    "Vladimir Putin": PARTY_COLORS["Russia"],
    "Dmitry Medvedev": OKABE_ITO["reddish_purple"],
    # U.S. presidents.
    "Barack Obama": OKABE_ITO["bluish_green"],
    "Donald Trump": OKABE_ITO["reddish_purple"],
    # Biden in blue, not sky blue: raised to 3:1 on white, sky blue came within 5.8
    # CIEDE2000 of Trump's purple under simulated protanopia.
    "Joe Biden": OKABE_ITO["blue"],
    # U.S. goods trade with Russia.
    "U.S. exports to Russia": OKABE_ITO["bluish_green"],
    "U.S. imports from Russia": OKABE_ITO["orange"],
    # Surveys: the American public (Gallup) in the United States' colour, the Russian public
    # (Levada Center) in Russia's, under each name the chapters give the series.
    "Gallup": PARTY_COLORS["United States"],
    "Gallup: U.S. adults": PARTY_COLORS["United States"],
    "Gallup: favorable view of Russia": PARTY_COLORS["United States"],
    "U.S. adults favourable to Russia (Gallup)": PARTY_COLORS["United States"],
    "Levada Center": PARTY_COLORS["Russia"],
    "Levada Center: Russian adults": PARTY_COLORS["Russia"],
    "Levada Center: good attitude toward the United States": PARTY_COLORS["Russia"],
    "Russian adults with a good attitude to the U.S. (Levada)": PARTY_COLORS["Russia"],
    # U.S. sanctions instruments: presidential orders and laws.
    "Executive order": OKABE_ITO["sky_blue"],
    "Presidential executive order": OKABE_ITO["sky_blue"],
    "E.O. 14024 emergency (April 2021)": OKABE_ITO["sky_blue"],
    "Statute": OKABE_ITO["black"],
    "Law passed by Congress": OKABE_ITO["black"],
    "Other authority": NEUTRAL_COLOR,
    # Formats of presidential meetings (the summits dataset's ``format``). State visits in
    # black, not bluish green, which came within 1.0 CIEDE2000 of the margins' sky blue
    # under simulated tritanopia (stacked at opacity 0.95 on white, after the 3:1 raise).
    "meeting on the margins": OKABE_ITO["sky_blue"],
    "standalone summit": OKABE_ITO["orange"],
    "state or official visit": OKABE_ITO["black"],
    # Categories of the timeline's events, where a chart draws them as colours (the
    # compare chapter's shares). Diplomacy in reddish purple: the theme's next colour,
    # orange, came within 4.4 CIEDE2000 of sanctions' vermilion in that chart under
    # simulated deuteranopia, and sky blue within 2.4 of the summits' bluish green under
    # simulated tritanopia (tests/test_browser.py checks every pair in four visions).
    "treaty": OKABE_ITO["blue"],
    "sanctions": PARTY_COLORS["Russia"],
    "summit": OKABE_ITO["bluish_green"],
    "diplomacy": OKABE_ITO["reddish_purple"],
    "other": NEUTRAL_COLOR,
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
    "none": NEUTRAL_COLOR,
}

# One point shape per episode, beside its colour, where a chart draws episodes as points:
# raised to 3:1 on white, Helsinki's purple and Geneva's sky blue come within 5.8
# CIEDE2000 under simulated protanopia; the shapes tell the episodes apart for every
# reader. Each is one of Vega's symbol shapes, distinct in outline
# at the sizes the timelines use.
EPISODE_SHAPES = {
    "reset": "square",
    "minsk": "diamond",
    "helsinki": "triangle-up",
    "geneva": "triangle-down",
    "new_start": "cross",
    "none": "circle",
}

# The order in which series not in SERIES_COLORS take colours (the theme's "category").
CATEGORY_COLORS = [
    OKABE_ITO[k]
    for k in ("blue", "vermillion", "bluish_green", "orange", "sky_blue", "reddish_purple")
]

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


def series_scale(values) -> alt.Scale | None:
    """The colour scale for the series named ``values`` (an iterable of names, e.g. a
    column): the names in ``SERIES_COLORS`` in its order and colours, then the others,
    sorted, in the theme's category colours that those leave unused. None when no name is
    in ``SERIES_COLORS`` (the theme's default colours apply)."""
    names = set(values)
    known = [name for name in SERIES_COLORS if name in names]
    if not known:
        return None
    used = {SERIES_COLORS[name] for name in known}
    spare = [color for color in CATEGORY_COLORS if color not in used] or CATEGORY_COLORS
    others = sorted(str(name) for name in names - set(known))
    domain = known + others
    colors = [SERIES_COLORS[name] for name in known]
    colors += [spare[i % len(spare)] for i in range(len(others))]
    return alt.Scale(domain=domain, range=colors)


def series_color(name: str) -> str:
    """The one colour of series ``name`` (a key of ``SERIES_COLORS``), for a one-off
    chart's fixed mark colour. Raises ``KeyError`` for a name the registry lacks."""
    return SERIES_COLORS[name]


def _by_episode(values: dict[str, str], episodes: list[str] | None) -> alt.Scale:
    """A scale from the labels readers see ("The reset") to ``values`` (keyed by episode
    id), for ``episodes`` (ids, in legend order) or all of them."""
    keys = episodes or list(values)
    return alt.Scale(domain=[EPISODE_LABELS[k] for k in keys], range=[values[k] for k in keys])


def episode_scale(episodes: list[str] | None = None) -> alt.Scale:
    """The colour scale for the book's episodes, keyed by the labels shown to readers."""
    return _by_episode(EPISODE_COLORS, episodes)


def episode_shape_scale(episodes: list[str] | None = None) -> alt.Scale:
    """The point-shape scale for the book's episodes (``EPISODE_SHAPES``), with the same
    domain as ``episode_scale``, so that the two share one legend."""
    return _by_episode(EPISODE_SHAPES, episodes)


def theme_config() -> dict:
    """The Vega-Lite config the theme applies to every chart."""
    categorical = list(CATEGORY_COLORS)
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
