"""Show Altair charts offline in the built book, and normally everywhere else.

Altair's own HTML output loads vega, vega-lite and vega-embed from a public CDN. The built
book must not: its pages are read offline and must not trust a host we do not control. So
inside a book build every chart is emitted as one output of the book's own MIME type,
holding the Vega-Lite spec, a static SVG drawn by vl-convert and a text description.
``sphinx_ext.ChartMimeRenderer`` (a myst-nb plugin) turns that output into a <figure> that the
JavaScript bundle served from the book's own ``_static/`` draws, with the SVG kept in a
<noscript> for readers without JavaScript and for builds that run none.

In Jupyter, Binder or Colab (no book build) charts use Altair's "html" renderer: the
reader has asked for live execution there, so fetching vega from its CDN is expected.
"""

from __future__ import annotations

import os
from importlib import resources

import altair as alt
import vl_convert

CHART_MIME = "application/vnd.usrussia.chart+json"
RENDERER_NAME = "usrussia-book"
BOOK_BUILD_ENV = "USRUSSIA_BOOK_BUILD"
# Where the chart JavaScript lives in the built site, below _static/ (see sphinx_ext).
SCRIPT_PATH = "usrussia/charts.js"
VEGA_LITE_VERSION = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]


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
    """Draw the chart as SVG, without a browser, for print and no-JavaScript readers."""
    return vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION)


def book_renderer(spec: dict, **_metadata) -> dict:
    """Altair renderer used in book builds: spec, static SVG and description together."""
    description = describe(spec)
    return {
        CHART_MIME: {"spec": spec, "svg": static_svg(spec), "description": description},
        "text/plain": f"<Chart: {description}>",
    }


def enable_renderer() -> str:
    """Pick the renderer for where the notebook runs, and return its name."""
    if RENDERER_NAME not in alt.renderers.names():
        alt.renderers.register(RENDERER_NAME, book_renderer)
    name = RENDERER_NAME if in_book_build() else os.environ.get("USRUSSIA_RENDERER", "html")
    alt.renderers.enable(name)
    return name


def javascript_bundle() -> str:
    """vega, vega-lite and vega-embed with the book's chart-drawing code, in one script."""
    snippet = resources.files("usrussia").joinpath("charts.js").read_text(encoding="utf-8")
    bundle = vl_convert.javascript_bundle(snippet=snippet, vl_version=VEGA_LITE_VERSION)
    # The bundle declares top-level names (const _ ...) that would clash with other
    # classic scripts on the page; a function scope keeps them private. (A module script
    # would too, but browsers refuse modules on pages opened from disk.)
    return f"(() => {{\n{bundle}\n}})();\n"
