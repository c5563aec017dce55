"""One colour per meaning: a series drawn in several charts has one colour in all of them."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.test_build import built_chart_specs
from usrussia import theme


def _scales(node: dict):
    """Every scale of a compiled Vega spec, at any depth (layers and concatenations)."""
    yield from node.get("scales") or []
    for mark in node.get("marks") or []:
        if isinstance(mark, dict):
            yield from _scales(mark)


def _data_values(vega: dict, name: str) -> list[dict]:
    """The inline rows a named Vega data set derives from (following ``source``)."""
    by_name = {data["name"]: data for data in vega.get("data") or []}
    data = by_name.get(name, {})
    while "values" not in data and data.get("source") in by_name:
        data = by_name[data["source"]]
    return data.get("values") or []


def _domain(vega: dict, domain) -> list | None:
    """A colour scale's domain: the list it gives, or the values of the field it reads,
    in Vega's order when that is the data's sorted order; None when it cannot be read
    from the spec (a computed sort order)."""
    if isinstance(domain, list):
        return domain
    if not isinstance(domain, dict):
        return None
    if domain.get("sort") not in (True, None):
        return None
    fields = domain.get("fields") or [domain]
    values = []
    for ref in fields:
        rows = _data_values(vega, ref.get("data", ""))
        values += [row[ref["field"]] for row in rows if row.get(ref["field"]) is not None]
    unique = list(dict.fromkeys(values))
    return sorted(unique, key=str) if domain.get("sort") else unique


def series_colors(vega: dict) -> dict[str, str | None]:
    """{series name: colour} of every discrete colour scale of a compiled Vega spec, the
    colour as the spec gives it (before the page raises it to 3:1 contrast); None for a
    series whose colour cannot be read from the spec."""
    category = (vega.get("config") or {}).get("range", {}).get("category")
    found: dict[str, str | None] = {}
    for scale in _scales(vega):
        name = scale.get("name", "")
        if scale.get("type", "ordinal") != "ordinal" or not name.endswith(("color", "fill")):
            continue
        domain = _domain(vega, scale.get("domain"))
        colors = scale.get("range")
        if colors == "category":
            colors = category
        for i, series in enumerate(domain or []):
            readable = isinstance(colors, list) and colors
            found[str(series)] = colors[i % len(colors)].lower() if readable else None
    return found


def colour_disagreements(charts: list[tuple[str, dict]]) -> list[str]:
    """For each series name in two or more of ``charts`` ((chart name, Vega spec) pairs),
    a line naming it if its colours differ (or cannot be read) across them."""
    seen: dict[str, dict[str, str | None]] = defaultdict(dict)
    for chart, vega in charts:
        for series, color in series_colors(vega).items():
            seen[series][chart] = color
    problems = []
    for series, by_chart in sorted(seen.items()):
        if len(by_chart) > 1 and (len(set(by_chart.values())) > 1 or None in by_chart.values()):
            listed = "; ".join(
                f"{color or 'unreadable'} in {chart}" for chart, color in by_chart.items()
            )
            problems.append(f"{series!r}: {listed}")
    return problems


def test_a_series_has_one_colour_in_every_chart_of_the_book(built_book):
    """Putin, U.S. exports, Gallup's readings...: a series name that two charts draw is
    drawn in the same colour in both (theme.SERIES_COLORS), so a reader learns a legend
    once."""
    charts = built_chart_specs(built_book)
    named = [series for _, vega in charts for series in series_colors(vega)]
    shared = {series for series in named if named.count(series) > 1}
    assert len(shared) >= 5, f"only {len(shared)} series are drawn in more than one chart"
    problems = colour_disagreements(charts)
    assert not problems, "\n".join(problems)


def _chart(domain, colors) -> dict:
    return {"scales": [{"name": "color", "type": "ordinal", "domain": domain, "range": colors}]}


def test_a_series_in_two_colours_is_reported_and_one_colour_is_not():
    """The check itself: it finds a series in two colours, including one that takes a
    colour from the theme's category range by the sorted order of its data."""
    by_data = {
        "data": [
            {
                "name": "source",
                "values": [
                    {"flow": "U.S. imports from Russia"},
                    {"flow": "U.S. exports to Russia"},
                ],
            },
            {"name": "data_0", "source": "source"},
        ],
        "config": {"range": {"category": ["#0072B2", "#D55E00"]}},
        "scales": [
            {
                "name": "color",
                "type": "ordinal",
                "range": "category",
                "domain": {"data": "data_0", "field": "flow", "sort": True},
            }
        ],
    }
    assert series_colors(by_data) == {
        "U.S. exports to Russia": "#0072b2",
        "U.S. imports from Russia": "#d55e00",
    }
    green = _chart(["U.S. exports to Russia"], ["#009E73"])
    problems = colour_disagreements([("a", green), ("b", by_data)])
    assert len(problems) == 1 and "U.S. exports to Russia" in problems[0]
    same = _chart(["U.S. exports to Russia"], ["#009e73"])
    assert not colour_disagreements([("a", green), ("b", same)])


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Vladimir Putin", "Dmitry Medvedev"], ["Vladimir Putin", "Dmitry Medvedev"]),
        (
            ["Dmitry Medvedev", "Vladimir Putin", "An unknown"],
            ["Vladimir Putin", "Dmitry Medvedev", "An unknown"],
        ),
    ],
)
def test_the_series_scale_gives_registered_names_their_colour_others_a_spare_one(names, expected):
    scale = theme.series_scale(names).to_dict()
    assert scale["domain"] == expected
    for name, color in zip(scale["domain"], scale["range"], strict=True):
        if name in theme.SERIES_COLORS:
            assert color == theme.SERIES_COLORS[name]
        else:
            assert color in theme.CATEGORY_COLORS
            assert color not in [theme.SERIES_COLORS[n] for n in names if n in theme.SERIES_COLORS]
    assert theme.series_scale(["Nobody in the registry"]) is None
