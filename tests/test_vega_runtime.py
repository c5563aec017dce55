"""The slim Vega runtime (usrussia/vendor/vega.min.js, tools/vega-runtime) draws every chart
of the built book in Chromium: each chart's compiled Vega spec, as its page loads it, is
parsed, run and drawn to SVG and to a canvas (what "Save as PNG" and the print edition
use), with every error Vega logs or throws counted as a failure (warnings are about a
chart's data, e.g. an empty extent, and draw the same with full Vega)."""

from __future__ import annotations

import pytest

from tests.test_build import built_chart_specs

HARNESS_PATH = "/vega-runtime-harness.html"
RUNTIME_PATH = "/_static/usrussia/vega.min.js"

# Draws each spec with window.vega; returns, per spec, what Vega logged or threw and the
# SVG it drew. Vega logs a dataflow error (an unknown mark, scale type or scheme) rather
# than throwing it, so the logger records everything at warning level and above.
DRAW_EVERY_SPEC = """
async (specs) => {
  const results = [];
  for (const spec of specs) {
    const problems = [], warnings = [];
    const logger = {
      level() { return this; },
      error(...args) { problems.push('error: ' + args.map(String).join(' ')); return this; },
      warn(...args) { warnings.push(args.map(String).join(' ')); return this; },
      info() { return this; },
      debug() { return this; },
    };
    let svg = '';
    try {
      const view = new vega.View(vega.parse(spec), {renderer: 'none', logger});
      await view.runAsync();
      svg = await view.toSVG();
      const canvas = await view.toCanvas();
      if (!canvas.width || !canvas.height) problems.push('error: an empty canvas');
      view.finalize();
    } catch (error) {
      problems.push('error: ' + error);
    }
    results.push({problems, warnings, svg});
  }
  return results;
}
"""


@pytest.fixture
def draw_with_runtime(site, browser):
    """Draws Vega specs with the built site's vega.min.js in Chromium, on a blank page of
    the site's origin; returns, one per spec, ``{"problems": [errors], "warnings": [str],
    "svg": str}``."""
    page = browser.new_page()
    page.route(
        f"{site}{HARNESS_PATH}",
        lambda route: route.fulfill(content_type="text/html", body="<!doctype html><body>"),
    )
    page.goto(f"{site}{HARNESS_PATH}")
    page.add_script_tag(url=f"{site}{RUNTIME_PATH}")
    yield lambda specs: page.evaluate(DRAW_EVERY_SPEC, specs)
    page.close()


def test_every_chart_of_the_book_draws_with_the_slim_vega_runtime(built_book, draw_with_runtime):
    charts = built_chart_specs(built_book)
    assert charts, "no chart found in the built pages"
    results = draw_with_runtime([vega for _, vega in charts])
    problems = [
        f"{chart}: {'; '.join(result['problems'])}"
        for (chart, _), result in zip(charts, results, strict=True)
        if result["problems"]
    ]
    assert not problems, "\n".join(problems)
    empty = [
        chart
        for (chart, _), result in zip(charts, results, strict=True)
        if "<path" not in result["svg"]
    ]
    assert not empty, f"drawn without a mark: {empty}"


# One Vega spec per kind of thing left out of the runtime (tools/vega-runtime/README.md):
# each must fail to draw, so that the drawing check above can fail.
LEFT_OUT = {
    "mark 'arc'": {"marks": [{"type": "arc", "encode": {"enter": {"outerRadius": {"value": 9}}}}]},
    "scale type 'log'": {
        "scales": [{"name": "s", "type": "log", "domain": [1, 10], "range": [0, 9]}],
        "marks": [{"type": "rect", "encode": {"enter": {"x": {"scale": "s", "value": 5}}}}],
    },
    "colour scheme 'viridis'": {
        "scales": [{"name": "s", "domain": [0, 1], "range": {"scheme": "viridis"}}],
        "marks": [{"type": "rect", "encode": {"enter": {"fill": {"scale": "s", "value": 1}}}}],
    },
    "function 'sampleNormal'": {"signals": [{"name": "s", "update": "sampleNormal()"}]},
    "data format 'csv'": {"data": [{"name": "d", "values": "a\n1", "format": {"type": "csv"}}]},
}


@pytest.mark.parametrize("left_out", sorted(LEFT_OUT))
def test_a_chart_using_what_the_runtime_left_out_fails_to_draw(left_out, draw_with_runtime):
    spec = {"$schema": "https://vega.github.io/schema/vega/v6.json", "width": 20, "height": 20}
    [result] = draw_with_runtime([{**spec, **LEFT_OUT[left_out]}])
    assert any(p.startswith("error:") for p in result["problems"]), (left_out, result)


def test_expressions_may_name_signals_beyond_ascii(draw_with_runtime):
    """The runtime's expression parser knows letters beyond ASCII from the browser's Unicode
    tables (rollup.config.mjs) rather than Vega's own copy: such names still parse."""
    spec = {
        "width": 20,
        "height": 20,
        "signals": [{"name": "größe_Ω", "value": 21}],
        "marks": [{"type": "text", "encode": {"enter": {"text": {"signal": "größe_Ω * 2"}}}}],
    }
    [result] = draw_with_runtime([spec])
    assert result["problems"] == [] and ">42</text>" in result["svg"], result
