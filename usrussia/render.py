"""Show Altair charts offline in the built book, and normally everywhere else.

Altair's own HTML output loads vega, vega-lite and vega-embed from a public CDN. The built
book must not: its pages are read offline and must not trust a host we do not control. So
inside a book build every chart is emitted as one output of the book's own MIME type,
holding the Vega-Lite spec and a text description; the kernel does nothing else, so that
a chapter executes about as fast as its imports allow.

The Sphinx process then prepares each chart once, cached by its spec (``prepare_chart``):
the Vega-Lite spec is compiled to Vega (so the page needs only the Vega runtime, not the
Vega-Lite compiler), and static SVGs are drawn at a few widths (a phone's, a tablet's and
the desktop column's), with the headline wrapped to each width.
``sphinx_ext.ChartMimeRenderer`` turns that into a <figure> whose static SVG is painted
with the page; ``charts.js`` replaces it by the interactive chart, in the same box, when it
scrolls near the viewport.

Outside a book build the output depends on the frontend, chosen when ``usrussia.setup()``
runs:

* JupyterLab 4 and Notebook 7 (local, Binder) and VS Code draw the MIME type
  ``application/vnd.vega.v5+json`` themselves, with the Vega they bundle (JupyterLab 4.6:
  Vega 5.33, Vega-Lite 5.6): offline, with no request to another host. There each chart is
  compiled to Vega in the kernel (by vl-convert, with the Vega-Lite that Altair's spec
  names) and the output is that Vega spec, tens of kB (``notebook_renderer``). Not the
  Vega-Lite MIME type: Altair 6 writes Vega-Lite 6 specs, and JupyterLab's Vega-Lite 5.6
  fails on the layered charts with a selection ("Duplicate signal name"); Altair 6's own
  "mimetype" renderer names its output ``application/vnd.vegalite.v6.json``, which
  JupyterLab 4 does not draw at all.
* Google Colab draws no Vega-Lite MIME type, only HTML, and is online anyway: there charts
  use Altair's "html" renderer with its "inline" template (vega, vega-lite and vega-embed
  carried in the output, about 0.9 MB a chart, so even that makes no CDN request).
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
import sys
import textwrap
from importlib import resources

import altair as alt
import vl_convert

from usrussia import spec_pack

CHART_MIME = "application/vnd.usrussia.chart+json"
RENDERER_NAME = "usrussia-book"
# Outside a book build and Colab: the MIME type JupyterLab 4, Notebook 7 and VS Code draw
# with their own Vega 5 (which runs the Vega that vl-convert compiles).
NOTEBOOK_RENDERER_NAME = "usrussia-notebook"
NOTEBOOK_MIME = "application/vnd.vega.v5+json"
BOOK_BUILD_ENV = "USRUSSIA_BOOK_BUILD"
# Where the chart JavaScript lives in the built site, below _static/ (see sphinx_ext):
# a small loader on every page with charts, and the Vega runtime it loads when needed.
SCRIPT_PATH = "usrussia/charts.js"
RUNTIME_PATH = "usrussia/vega.min.js"
VEGA_LITE_VERSION = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]

# Static drawings: (total width in px, the media query under which the page shows it).
# The content column is 296-435 px wide below 500 px, up to 930 px on a tablet (no
# sidebar), and 620-790 px beside the sidebar from 960 px on.
# A phone's drawing is made near its column's width (296-355 px up to 419 px, 356-435 px
# up to 499 px), not scaled down from a wider one: scaled down, its text is smaller than
# the interactive chart's, which then needs more height than the drawing's box gives and
# takes it from the plot.
STATIC_VARIANTS = (
    (320, "(max-width: 419.98px)"),
    (380, "(max-width: 499.98px)"),
    (640, "(max-width: 959.98px)"),
    (720, None),
)
# Average advance of a character, in ems, used to wrap headlines for the static drawings.
# Generous, because the browser may draw the SVG with a wider fallback font (DejaVu Sans)
# than vl-convert measured; the interactive chart measures the real font instead.
CHAR_EM = {"title": 0.62, "subtitle": 0.58}
# What a chart's text must reach against its background (WCAG 1.4.3, normal text), and
# rules and other lines (WCAG 1.4.11, graphics).
TEXT_CONTRAST = 4.5
GRAPHIC_CONTRAST = 3.0
LIGHT_BACKGROUND = "#ffffff"
# Below this width (px), legends stack their entries (charts.js uses the same).
NARROW = 500
# Bump when the preparation changes: cached charts are then prepared again.
PREPARATION_VERSION = "13"


def in_book_build() -> bool:
    """True while the notebook runs inside a Jupyter Book build."""
    return os.environ.get(BOOK_BUILD_ENV) == "1"


def describe(spec: dict) -> str:
    """The chart's text alternative: its description, else its title."""
    if spec.get("description"):
        return str(spec["description"])
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(title)
    return str(title) if title else "Chart"


def static_svg(spec: dict) -> str:
    """Draw the chart as SVG at its own size, without a browser."""
    return vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION)


def book_renderer(spec: dict, **_metadata) -> dict:
    """Altair renderer used in book builds: the spec and its description.

    The static drawings are made by the Sphinx process (``prepare_chart``), not the kernel.
    """
    description = describe(spec)
    return {
        CHART_MIME: {"spec": spec, "description": description},
        "text/plain": f"<Chart: {description}>",
    }


def notebook_renderer(spec: dict, **_metadata) -> dict:
    """Altair renderer for JupyterLab, Notebook 7 and VS Code: the chart compiled to Vega,
    under the MIME type they draw with their own Vega, and the chart's description as text
    for any frontend that draws none. Raises ``ValueError`` (from vl-convert) for a spec it
    cannot compile."""
    vega = years_on_time_axes(vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE_VERSION))
    return {NOTEBOOK_MIME: vega, "text/plain": f"<Chart: {describe(spec)}>"}


def in_colab() -> bool:
    """True in a Google Colab kernel (which imports ``google.colab`` as it starts)."""
    return "google.colab" in sys.modules


def enable_renderer() -> str:
    """Pick the renderer for where the notebook runs, and return its name."""
    if RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(RENDERER_NAME, book_renderer)
    # USRUSSIA_RENDERER, when set, wins even in a book build: the benchmarks build a peer
    # of the book with Altair's own "html" output to compare against.
    chosen = os.environ.get("USRUSSIA_RENDERER")
    if chosen or in_book_build():
        name = chosen or RENDERER_NAME
        alt.renderers.enable(name)
        return name
    if in_colab():
        # Colab draws HTML only. The "inline" template carries vega, vega-lite and
        # vega-embed in the output itself (bundled by vl-convert): no CDN request.
        alt.renderers.enable("html", template="inline")
        return "html"
    if NOTEBOOK_RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(NOTEBOOK_RENDERER_NAME, notebook_renderer)
    alt.renderers.enable(NOTEBOOK_RENDERER_NAME)
    return NOTEBOOK_RENDERER_NAME


def loader_script(minified: bool = False) -> str:
    """The book's chart loader (``usrussia/charts.js``): its source, or, with ``minified``,
    as the built site serves it, comments and spaces taken out by rjsmin (about 40 → 26
    kB; tests/test_charts.py bounds the served size)."""
    text = resources.files("usrussia").joinpath("charts.js").read_text(encoding="utf-8")
    if not minified:
        return text
    import rjsmin  # only the book build needs it

    return rjsmin.jsmin(text)


def vega_runtime() -> str:
    """The Vega runtime (``usrussia/vendor/vega.min.js``, BSD-3-Clause): Vega built from npm
    with only what the book's charts use (``tools/vega-runtime``, ``make vega-runtime``), the
    same Vega version vl-convert draws the static charts with (a test checks this)."""
    return resources.files("usrussia").joinpath("vendor", "vega.min.js").read_text("utf-8")


def vega_runtime_manifest() -> dict:
    """What the slim Vega runtime contains (``usrussia/vendor/vega-runtime.json``, written by
    ``make vega-runtime`` from the bundle itself): ``{"vega": version, "sha256": of
    vega.min.js, "renderers", "marks", "transforms", "scales", "formats", "functions":
    [names], "packages": {npm name: version}, ...}``."""
    text = resources.files("usrussia").joinpath("vendor", "vega-runtime.json").read_text("utf-8")
    return json.loads(text)


# Where a Vega spec holds expressions (strings in the expression language).
_EXPRESSION_KEYS = frozenset({"signal", "update", "expr", "test", "init", "filter"})
_STRING_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_FUNCTION_CALL = re.compile(r"(?<![.\w$])([A-Za-z_$][\w$]*)\s*\(")


def _expression_functions(expression: str) -> set[str]:
    """Names called in one Vega expression (string literals left out)."""
    return set(_FUNCTION_CALL.findall(_STRING_LITERAL.sub("''", expression)))


# What vega_features lists, by its key in vega-runtime.json, and its name in words.
_FEATURE_WORDS = {
    "marks": "mark",
    "transforms": "transform",
    "scales": "scale type",
    "formats": "data format",
    "functions": "function",
    "schemes": "colour scheme",
    "curves": "line interpolation",
    "interpolators": "colour interpolation",
}


def vega_features(vega: dict) -> dict[str, set[str]]:
    """What a Vega spec asks of the runtime: ``{"marks", "transforms", "scales", "formats",
    "functions", "schemes", "curves", "interpolators": {names}}`` (mark types at any depth,
    transform types of its data and marks plus ``"projection"`` when it has projections,
    scale types with Vega's default ``"linear"``, data formats, the functions called in its
    expressions, named colour schemes in lower case, line interpolations such as
    ``"monotone"`` given as values or in the config, and scales' colour interpolations such
    as ``"hcl"``). Names the runtime needs whatever the spec (the parser's own operators) are
    not listed; names given by a signal cannot be known before drawing and are not listed."""
    features: dict[str, set[str]] = {key: set() for key in _FEATURE_WORDS}

    def visit(node, parent_key=None):
        if isinstance(node, dict):
            if node.get("projections"):
                features["transforms"].add("projection")
            for mark in node.get("marks") or []:
                if isinstance(mark, dict) and isinstance(mark.get("type"), str):
                    features["marks"].add(mark["type"])
            for scale in node.get("scales") or []:
                if isinstance(scale, dict):
                    kind = scale.get("type", "linear")
                    if isinstance(kind, str):
                        features["scales"].add(kind)
                    interpolation = scale.get("interpolate")
                    if isinstance(interpolation, dict):
                        interpolation = interpolation.get("type")
                    if isinstance(interpolation, str):
                        features["interpolators"].add(interpolation.lower())
            scheme = node.get("scheme")
            if isinstance(scheme, str):
                features["schemes"].add(scheme.lower())
            curve = node.get("interpolate")
            if isinstance(curve, dict) and parent_key != "scales":
                curve = curve.get("value")  # an encoding: {"value": "monotone"}
            if isinstance(curve, str) and parent_key != "scales":
                features["curves"].add(curve)
            for step in node.get("transform") or []:
                if isinstance(step, dict) and isinstance(step.get("type"), str):
                    features["transforms"].add(step["type"])
            data_format = node.get("format")
            if parent_key == "data" and isinstance(data_format, dict):
                kind = data_format.get("type")
                if isinstance(kind, str):
                    features["formats"].add(kind)
            for key, value in node.items():
                if key != "values":  # inline data: values, not marks or transforms
                    visit(value, key)
        elif isinstance(node, list):
            for item in node:
                visit(item, parent_key)

    visit(vega)
    for expression in _expressions(vega):
        features["functions"] |= _expression_functions(expression)
    return features


def missing_from_runtime(vega: dict, manifest: dict | None = None) -> list[str]:
    """What a Vega spec uses that the slim runtime lacks, in words (e.g. ``["transform
    'window'", "function 'geoArea'"]``); empty when the chart can be drawn. ``manifest``
    defaults to ``vega_runtime_manifest()``."""
    manifest = manifest if manifest is not None else vega_runtime_manifest()
    missing = []
    features = vega_features(vega)
    for kind, words in _FEATURE_WORDS.items():
        for name in sorted(features[kind] - set(manifest.get(kind, ()))):
            missing.append(f"{words} '{name}'")
    return missing


# --- Headlines ----------------------------------------------------------------------


def _lines(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(line) for line in value]


def headline_paragraphs(spec: dict) -> dict:
    """The chart's title and subtitle as paragraphs to wrap: ``{"title": [...],
    "subtitle": [...]}``. ``charts.titled`` records them in ``usermeta`` (its subtitle
    lines are pre-wrapped for Jupyter); otherwise each line of the spec is a paragraph."""
    meta = (spec.get("usermeta") or {}).get("usrussia") or {}
    title = spec.get("title")
    if isinstance(title, dict):
        text, subtitle = title.get("text"), title.get("subtitle")
    else:
        text, subtitle = title, None
    return {
        "title": _lines(meta.get("title", text)),
        "subtitle": _lines(meta.get("subtitle", subtitle)),
    }


def wrap_to_width(paragraphs: list[str], width: float, font_size: float, em: float) -> list:
    """Wrap each paragraph into lines of at most ``width`` px (estimated)."""
    chars = max(12, math.floor(width / (font_size * em)))
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, chars) or [""]
    return lines


def _font_size(config: dict, key: str, default: float) -> float:
    return float((config.get("title") or {}).get(key, default))


# --- Colours that stay readable -------------------------------------------------------

HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse_hex(color: str) -> tuple[float, float, float] | None:
    """``#rgb`` or ``#rrggbb`` as three channels 0-1; None for anything else."""
    match = HEX.match(color.strip()) if isinstance(color, str) else None
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))


def relative_luminance(rgb) -> float:
    """WCAG 2 relative luminance of an sRGB colour (channels 0-1)."""

    def channel(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first, second) -> float:
    """WCAG 2 contrast ratio of two colours (hex strings or channel triples)."""
    a = relative_luminance(parse_hex(first) if isinstance(first, str) else first)
    b = relative_luminance(parse_hex(second) if isinstance(second, str) else second)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def readable_color(color: str, background: str, minimum: float) -> str:
    """``color``, mixed towards black or white (whichever the background is not) just
    enough to reach ``minimum`` contrast with ``background``; unchanged if it already
    does or is not a hex colour."""
    rgb, bg = parse_hex(color), parse_hex(background)
    if rgb is None or bg is None or contrast_ratio(rgb, bg) >= minimum:
        return color
    target = 0.0 if relative_luminance(bg) > 0.18 else 1.0
    for step in range(1, 21):
        share = step / 20
        mixed = tuple(c + (target - c) * share for c in rgb)
        if contrast_ratio(mixed, bg) >= minimum:
            return "#" + "".join(f"{round(c * 255):02x}" for c in mixed)
    return "#000000" if target == 0.0 else "#ffffff"


def _walk_marks(marks):
    for mark in marks or []:
        yield mark
        yield from _walk_marks(mark.get("marks"))


def make_marks_readable(vega: dict, background: str) -> dict:
    """Raise fixed text colours to 4.5:1 and rule colours to 3:1 against ``background``
    (in place; returns ``vega``). ``charts.js`` does the same for the reader's mode."""
    for mark in _walk_marks(vega.get("marks")):
        kind = mark.get("type")
        if kind not in ("text", "rule"):
            continue
        channel, minimum = ("fill", TEXT_CONTRAST) if kind == "text" else ("stroke", 3.0)
        for encode_set in (mark.get("encode") or {}).values():
            value = encode_set.get(channel) if isinstance(encode_set, dict) else None
            if isinstance(value, dict) and isinstance(value.get("value"), str):
                value["value"] = readable_color(value["value"], background, minimum)
    return vega


# --- Time axes that always name their years -------------------------------------------

# Vega-Lite's default tick count for a continuous axis: ``ceil(<width signal>/40)``.
_DEFAULT_TICK_COUNT = re.compile(r"^ceil\(([A-Za-z_$][\w$]*)/40\)$")
_MS_PER_YEAR = 365.25 * 24 * 3600 * 1000
# From this span on (years), a time axis has a tick per year (or per 2, 5, 10... years).
YEAR_TICKS_FROM = 2
# The room (px) one year label takes on the axis: about 28 px of "2024" at 12 px, and a gap.
YEAR_LABEL_ROOM = 40


def _year_tick_count(scale: str, width: str) -> str:
    """A Vega expression for a time axis's ticks: every 1, 2, 5, 10, 20, 50 or 100 years
    (as many as ``width`` px give room for) when the scale's domain spans at least
    ``YEAR_TICKS_FROM`` years, else Vega-Lite's default count."""
    years = f"(span(domain('{scale}')) / {_MS_PER_YEAR:.0f})"
    per_label = f"({years} / max(1, floor({width} / {YEAR_LABEL_ROOM})))"
    step = " : ".join(f"{per_label} <= {s} ? {s}" for s in (1, 2, 5, 10, 20, 50)) + " : 100"
    return f"{years} >= {YEAR_TICKS_FROM} ? {{interval: 'year', step: {step}}} : ceil({width}/40)"


def years_on_time_axes(vega: dict) -> dict:
    """Make every time axis of a compiled Vega spec name its years, at any width.

    Vega's default labels name a year only at a January tick and the month elsewhere; on a
    wide chart the ticks come every quarter and overlap removal drops every other label,
    the Januaries with them, leaving "April October April October". So an axis whose
    domain spans ``YEAR_TICKS_FROM`` years or more gets a tick per year (or per 2, 5, 10...
    years on a narrow chart), labelled with the year; a shorter one keeps Vega's ticks and
    its first label carries the year ("April 2023"). Only axes left at Vega-Lite's default
    ticks and labels are changed (not one with its own ``values``, ``tickCount``,
    ``format`` or label text). In place, at any depth; returns ``vega``."""

    def visit(group: dict) -> None:
        time_scales = {
            scale["name"]: scale.get("type")
            for scale in group.get("scales") or []
            if isinstance(scale, dict) and scale.get("type") in ("time", "utc")
        }
        for axis in group.get("axes") or []:
            kind = time_scales.get(axis.get("scale"))
            count = axis.get("tickCount")
            default = (
                _DEFAULT_TICK_COUNT.match(count.get("signal", ""))
                if isinstance(count, dict)
                else None
            )
            if not kind or not default or "values" in axis or "format" in axis:
                continue
            axis["tickCount"] = {"signal": _year_tick_count(axis["scale"], default.group(1))}
            labels = axis.setdefault("encode", {}).setdefault("labels", {})
            update = labels.setdefault("update", {})
            if "text" in update or axis.get("labels") is False:
                continue
            to_text = "utcFormat" if kind == "utc" else "timeFormat"
            on_a_new_year = f"{to_text}(datum.value, '%m%d%H%M%S%L') === '0101000000000'"
            update["text"] = {
                "signal": f"datum.index === 0 && !({on_a_new_year}) ? datum.label + ' ' + "
                f"{to_text}(datum.value, '%Y') : datum.label"
            }
        for mark in group.get("marks") or []:
            if isinstance(mark, dict) and mark.get("type") == "group":
                visit(mark)

    visit(vega)
    return vega


def visible_color(color: str, background: str, alpha: float = 1.0) -> str:
    """``color`` as drawn at opacity ``alpha`` over ``background`` raised to 3:1 (WCAG
    1.4.11), mixed towards black or white just enough; unchanged if it already reaches it
    or is not a hex colour. charts.js's ``visibleMark`` does the same in the browser."""
    rgb, bg = parse_hex(color), parse_hex(background)
    if rgb is None or bg is None:
        return color

    def seen(channels):
        return tuple(c * alpha + b * (1 - alpha) for c, b in zip(channels, bg, strict=True))

    if contrast_ratio(seen(rgb), bg) >= GRAPHIC_CONTRAST:
        return color
    target = 0.0 if relative_luminance(bg) > 0.18 else 1.0
    for step in range(1, 21):
        mixed = tuple(c + (target - c) * step / 20 for c in rgb)
        if contrast_ratio(seen(mixed), bg) >= GRAPHIC_CONTRAST:
            return "#" + "".join(f"{round(c * 255):02x}" for c in mixed)
    return "#000000" if target == 0.0 else "#ffffff"


def _rules(entry) -> list:
    rules = entry if isinstance(entry, list) else [entry]
    return [rule for rule in rules if isinstance(rule, dict)]


def make_mark_colors_visible(vega: dict, background: str) -> dict:
    """Every opaque mark colour (fixed and conditional fills and strokes of bars, points,
    lines and areas, legend swatches, discrete colour scales' ranges and the theme's
    ``category`` range) raised to 3:1 against ``background`` at the opacity it is drawn
    at (in place; returns ``vega``). Translucent washes (opacity below 0.5) are left."""
    groups = [
        [s for s in (mark.get("encode") or {}).values() if isinstance(s, dict)]
        for mark in _walk_marks(vega.get("marks"))
        if mark.get("type") not in ("text", "rule", "group")
    ]
    for legend in vega.get("legends") or []:
        symbols = (legend.get("encode") or {}).get("symbols") or {}
        groups.append([s for s in symbols.values() if isinstance(s, dict)])
    scale_alpha: dict[str, float] = {}
    for sets in groups:
        for channel in ("fill", "stroke"):
            opacities = [
                rule["value"]
                for s in sets
                for key in (f"{channel}Opacity", "opacity")
                for rule in _rules(s.get(key))
                if isinstance(rule.get("value"), (int, float))
            ]
            alpha = max(opacities) if opacities else 1.0
            if alpha < 0.5:
                continue
            for s in sets:
                for rule in _rules(s.get(channel)):
                    if isinstance(rule.get("value"), str):
                        rule["value"] = visible_color(rule["value"], background, alpha)
                    if isinstance(rule.get("scale"), str):
                        name = rule["scale"]
                        scale_alpha[name] = min(scale_alpha.get(name, 1.0), alpha)
    range_alpha: dict[str, float] = {}
    for scale in vega.get("scales") or []:
        alpha = scale_alpha.get(scale.get("name"), 1.0)
        kind = scale.get("type", "ordinal")
        if isinstance(scale.get("range"), str):
            range_alpha[scale["range"]] = min(range_alpha.get(scale["range"], 1.0), alpha)
        elif (
            kind in ("ordinal", "point", "band")
            and isinstance(scale.get("range"), list)
            and all(parse_hex(c) for c in scale["range"])
        ):
            scale["range"] = [visible_color(c, background, alpha) for c in scale["range"]]
    ranges = (vega.get("config") or {}).get("range") or {}
    for name in ("category", "ordinal"):
        if isinstance(ranges.get(name), list) and all(parse_hex(c) for c in ranges[name]):
            alpha = range_alpha.get(name, 1.0)
            ranges[name] = [visible_color(c, background, alpha) for c in ranges[name]]
    return vega


# --- Preparation at build time -------------------------------------------------------------


def spec_key(spec: dict) -> str:
    """A stable text of the spec and everything its preparation depends on."""
    versions = f"{PREPARATION_VERSION}|{vl_convert.get_vega_version()}|{VEGA_LITE_VERSION}"
    return versions + "|" + json.dumps(spec, sort_keys=True, separators=(",", ":"))


def _sized_for(spec: dict, width: int) -> dict:
    """The Vega-Lite spec at a total width of ``width`` px, headline wrapped to fit."""
    sized = copy.deepcopy(spec)
    config = sized.get("config") or {}
    paragraphs = headline_paragraphs(spec)
    room = width - 12
    title = sized.get("title")
    title = dict(title) if isinstance(title, dict) else {"text": title or ""}
    title["text"] = wrap_to_width(
        paragraphs["title"], room, _font_size(config, "fontSize", 13), CHAR_EM["title"]
    )
    if paragraphs["subtitle"]:
        title["subtitle"] = wrap_to_width(
            paragraphs["subtitle"],
            room,
            _font_size(config, "subtitleFontSize", 12),
            CHAR_EM["subtitle"],
        )
    if any(title["text"]):
        sized["title"] = title
    if _is_single_view(sized):
        sized["width"] = width
        sized["autosize"] = {"type": "fit-x", "contains": "padding"}
    return sized


def fit_legends(vega: dict, width: int) -> dict:
    """Legends' titles and labels given the chart's width, so that Vega shortens none
    with "…" (its default limits are 180 and 160 px), and, below ``NARROW``, legends under
    the plot listing their entries in a column instead of a row that would run off the
    chart. In place; returns ``vega``. (charts.js does the same.)"""
    narrow = width < NARROW
    room = width - (90 if narrow else 130)
    size = float(((vega.get("config") or {}).get("legend") or {}).get("labelFontSize", 10))
    # A longer label (a value in the data) on two lines or more, as ``legend_lines`` holds.
    lines = {}
    for value in spec_pack.string_values([e.get("values") for e in vega.get("data") or []]):
        wrapped = wrap_to_width([value], room - 20, size, CHAR_EM["title"])
        if len(wrapped) > 1:
            lines[value] = wrapped
    legends = vega.get("legends") or []
    if legends:
        vega["signals"] = [*(vega.get("signals") or []), {"name": "usrussia_lines", "value": lines}]
    for legend in legends:
        legend["labelLimit"] = legend["titleLimit"] = room
        labels = legend.setdefault("encode", {}).setdefault("labels", {})
        text = {"signal": "usrussia_lines[datum.label] || datum.label"}
        labels["update"] = {**labels.get("update", {}), "text": text}
        if narrow:
            legend.update(orient="bottom", direction="vertical")
            legend.pop("columns", None)
    return vega


def _is_single_view(spec: dict) -> bool:
    """One view or a layer: the charts that can be sized to fit a width."""
    return not any(k in spec for k in ("hconcat", "vconcat", "concat", "facet", "repeat"))


def _svg_size(svg: str) -> tuple[int, int]:
    width = re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg)
    height = re.search(r'<svg[^>]*\bheight="([\d.]+)"', svg)
    return round(float(width.group(1))), round(float(height.group(1)))


# --- Static drawings, compact ---------------------------------------------------------

# What the browser needs to paint a drawing shown as an <img>: an image is announced by its
# alt text, so the marks' ARIA attributes and class names are never read there.
_UNREAD_ATTRIBUTE = re.compile(r'\s(?:aria-[a-z]+|role|class|pointer-events)="[^"]*"')
_DEFAULT_ATTRIBUTE = re.compile(r'\s(?:opacity|stroke-opacity|fill-opacity)="1"')
_GEOMETRY_ATTRIBUTE = re.compile(
    r'(\s(?:d|transform|x|y|x1|x2|y1|y2|dx|dy|width|height|points|viewBox)=")([^"]*)"'
)
_LONG_DECIMAL = re.compile(r"-?\d+\.\d{2,}")


def _tenth(match) -> str:
    value = round(float(match.group(0)), 1)
    return f"{value if value else 0.0:.1f}".removesuffix(".0")


def compact_svg(svg: str) -> str:
    """The same drawing in fewer bytes: without the ARIA attributes and class names that an
    SVG shown as an image never exposes, without attributes set to their default, and with
    coordinates to a tenth of a pixel (text, colours and fonts are untouched)."""
    svg = _UNREAD_ATTRIBUTE.sub("", svg)
    svg = _DEFAULT_ATTRIBUTE.sub("", svg)
    return _GEOMETRY_ATTRIBUTE.sub(
        lambda m: m.group(1) + _LONG_DECIMAL.sub(_tenth, m.group(2)) + '"', svg
    )


_PLAIN_NAME = re.compile(r"^[A-Za-z_$][\w$]*$")
# An expression that hands a whole data row on (a tooltip listing every field of ``datum``),
# once the uses that read only named fields are set aside: a truth test (``!datum``) and a
# Vega-Lite selection test, which reads the fields its selection names in the spec.
_WHOLE_DATUM = re.compile(r"(?<![\w$.])datum(?!\s*[.\[\w$])")
_NAMED_FIELDS_ONLY = re.compile(r"!\s*datum(?![\w$])|vlSelection\w*\([^()]*\)")


def drop_unread_fields(vega: dict) -> dict:
    """The Vega spec without the inline data's columns that nothing in the spec reads (a
    dataset's source notes and URLs that the chart neither draws nor shows in a tooltip).
    A column is kept when its name appears in a text of the spec outside the data values
    (a field name, an expression, a title: Vega names fields only in texts, never as an
    object's key, so a column named like a Vega property, ``description``, is not kept for
    that), when its name is not a plain identifier, and every column is kept when an
    expression reads a whole row (``datum`` alone). In place; returns ``vega``."""
    data = vega.get("data") or []
    rest = {key: value for key, value in vega.items() if key != "data"}
    rest["data"] = [
        {key: value for key, value in entry.items() if key != "values"}
        for entry in data
        if isinstance(entry, dict)
    ]
    text = "\n".join(spec_pack.string_values(rest))
    if any(_WHOLE_DATUM.search(_NAMED_FIELDS_ONLY.sub("", e)) for e in _expressions(rest)):
        return vega
    for entry in data:
        values = entry.get("values") if isinstance(entry, dict) else None
        if not isinstance(values, list):
            continue
        names = {name for row in values if isinstance(row, dict) for name in row}
        unread = {
            name
            for name in names
            if _PLAIN_NAME.match(name)
            and not re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", text)
        }
        if unread:
            entry["values"] = [
                {k: v for k, v in row.items() if k not in unread} if isinstance(row, dict) else row
                for row in values
            ]
    return vega


def _expressions(node):
    """Every expression string in a Vega spec (or part of one), inline data left out."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _EXPRESSION_KEYS and isinstance(value, str):
                yield value
            elif key != "values":
                yield from _expressions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _expressions(item)


def prepare_chart(spec: dict) -> dict:
    """Compile a Vega-Lite spec for the page and draw its static SVGs.

    Returns ``{"vega": <Vega spec for charts.js>, "fits": bool, "static": [{"width",
    "height", "media", "svg"}, ...]}`` with one static drawing per ``STATIC_VARIANTS``
    entry, narrowest first. ``fits`` says whether the chart can be sized to any width
    (single and layered views); other charts are scaled as a whole.
    Raises ``ValueError`` (from vl-convert) for a spec it cannot compile.
    """
    statics = []
    for width, media in STATIC_VARIANTS:
        vega = vl_convert.vegalite_to_vega(_sized_for(spec, width), vl_version=VEGA_LITE_VERSION)
        years_on_time_axes(vega)
        make_marks_readable(vega, LIGHT_BACKGROUND)
        make_mark_colors_visible(vega, LIGHT_BACKGROUND)
        fit_legends(vega, width)
        svg = compact_svg(vl_convert.vega_to_svg(vega))
        svg_width, svg_height = _svg_size(svg)
        statics.append({"width": svg_width, "height": svg_height, "media": media, "svg": svg})
    vega = vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE_VERSION)
    vega = drop_unread_fields(years_on_time_axes(vega))
    vega["usermeta"] = {"usrussia": headline_paragraphs(spec)}
    return {"vega": vega, "fits": _is_single_view(spec), "static": statics}
