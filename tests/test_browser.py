"""The built site in a real headless Chromium, with every request off this machine blocked.

Each page is loaded over HTTP from a server on 127.0.0.1; a request to any other host is
aborted and counted, so a page that needs the internet fails here as it would offline.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from coloraide import Color

from tests.conftest import PageVisit
from tests.test_build import toc_files


def chart_problems(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('figure.usrussia-chart')].flatMap((f, i) => {
            const view = f.querySelector('.usrussia-chart-view');
            const drawn = view && view.querySelector('svg, canvas');
            if (f.dataset.rendered !== 'true') return [`chart ${i + 1}: ${f.dataset.rendered}`];
            if (!drawn) return [`chart ${i + 1}: no SVG or canvas in its container`];
            const box = drawn.getBoundingClientRect();
            if (box.width < 50 || box.height < 30) return [`chart ${i + 1}: drawn too small`];
            return [];
        })"""
    )


PAGES = toc_files()


@pytest.mark.parametrize("page_name", PAGES)
def test_page_renders_offline_with_every_chart_drawn(browser, site, page_name):
    """Every page, loaded with no other host reachable: every chart drawn, and nothing in
    the console while they draw, neither an error nor a warning (Vega's, such as "Infinite
    extent for field", included)."""
    visit = PageVisit(browser, f"{site}/{page_name}.html")
    try:
        visit.wait_for_charts()
        problems = chart_problems(visit.page)
        assert not problems, f"{page_name}.html: " + "; ".join(problems)
        assert not visit.external, f"{page_name}.html requested other hosts: {visit.external}"
        assert not visit.errors, f"{page_name}.html console errors: {visit.errors}"
        assert not visit.warnings, f"{page_name}.html console warnings: {visit.warnings}"
    finally:
        visit.close()


def test_the_book_has_charts_and_they_draw(browser, site):
    """Guard against a vacuous pass: chapters must contain charts that draw."""
    total = 0
    for page_name in PAGES:
        visit = PageVisit(browser, f"{site}/{page_name}.html")
        total += visit.wait_for_charts()
        visit.close()
    assert total > 0, "no page of the book has a chart"


def test_every_charts_spec_unpacks_in_the_browser_to_the_spec_compiled_for_it(
    browser, site, built_book, chart_pages
):
    """The site's own charts.js reads each chart's packed spec file back to the Vega spec
    render.py compiled for it (the build's cache), ``$schema`` aside, with the same types:
    the charts are drawn from exactly the spec they were compiled to."""
    from tests.test_build import compiled_spec
    from tests.test_spec_pack import strictly_equal
    from usrussia import spec_pack

    checked, problems = 0, []
    for page_name in chart_pages:
        visit = PageVisit(browser, f"{site}/{page_name}.html")
        try:
            figures = visit.page.evaluate(
                """() => Promise.all([...document.querySelectorAll('figure.usrussia-chart')]
                    .map(async (f) =>
                        [f.dataset.chartId, await window.usrussiaCharts.specFor(f)]))"""
            )
            for chart_id, spec in figures:
                compiled = compiled_spec(built_book, chart_id)
                expected = {
                    k: v for k, v in compiled.items() if k not in spec_pack.NOT_READ_BY_RUNTIME
                }
                problems += [f"{page_name} {chart_id}: {d}" for d in strictly_equal(spec, expected)]
                checked += 1
            assert not visit.errors, f"{page_name}.html console errors: {visit.errors}"
        finally:
            visit.close()
    assert checked > 0, "no chart's spec was read"
    assert not problems, "\n".join(problems[:20])


def test_chart_page_opened_from_disk_draws_its_chart(browser, built_book):
    """Opening _build/html from disk with no network (file://) still shows the chart."""
    chart_pages = [
        p
        for p in PAGES
        if "usrussia-chart" in (built_book.html / f"{p}.html").read_text(encoding="utf-8")
    ]
    assert chart_pages, "no page has a chart"
    visit = PageVisit(browser, Path(built_book.html / f"{chart_pages[0]}.html").as_uri())
    try:
        assert visit.wait_for_charts() > 0
        assert not chart_problems(visit.page)
        assert not visit.external, visit.external
    finally:
        visit.close()


def test_charts_redraw_in_dark_mode(browser, site, built_book):
    chart_page = next(
        p
        for p in PAGES
        if "usrussia-chart" in (built_book.html / f"{p}.html").read_text(encoding="utf-8")
    )
    visit = PageVisit(browser, f"{site}/{chart_page}.html", color_scheme="dark")
    try:
        visit.page.evaluate("() => document.documentElement.dataset.theme = 'dark'")
        visit.wait_for_charts()
        assert not chart_problems(visit.page)
        assert not visit.errors, visit.errors
    finally:
        visit.close()


def test_a_chart_shows_its_tooltip_on_hover_and_saves_as_png_and_svg(browser, site, built_book):
    """The slim Vega runtime (SVG renderer only) still answers the pointer and exports."""
    chart_page = next(
        p
        for p in PAGES
        if "usrussia-chart" in (built_book.html / f"{p}.html").read_text(encoding="utf-8")
    )
    visit = PageVisit(browser, f"{site}/{chart_page}.html")
    page = visit.page
    try:
        visit.wait_for_charts()
        marks = page.locator(
            "figure.usrussia-chart .usrussia-chart-live svg :is(.mark-symbol, .mark-rect) path"
        )
        assert marks.count() > 0, "no point or bar drawn in the interactive charts"
        shown = ""
        for index in range(min(marks.count(), 40)):
            mark = marks.nth(index)
            if not mark.is_visible():
                continue
            mark.scroll_into_view_if_needed()
            mark.hover(force=True)
            tooltip = page.locator(".usrussia-chart-tooltip")
            if tooltip.count() and tooltip.is_visible():
                shown = tooltip.inner_text().strip()
                if shown:
                    break
        assert shown, f"{chart_page}.html: hovering over the marks showed no tooltip"
        figure = page.locator("figure.usrussia-chart").first
        figure.scroll_into_view_if_needed()
        for label, magic in (("Save as PNG", b"\x89PNG"), ("Save as SVG", b"<svg")):
            figure.locator(".usrussia-chart-actions summary").click()
            with page.expect_download() as download:
                figure.get_by_role("button", name=label).click()
            saved = Path(download.value.path()).read_bytes()
            assert saved.startswith(magic) and len(saved) > 1000, (label, saved[:40])
        assert not visit.errors, visit.errors
    finally:
        visit.close()


# --- Charts that fit, in both colour modes, drawn without moving the page -------------------

WIDTHS = [390, 768, 1280, 1920]

FIT_PROBLEMS = """() => {
  const problems = [];
  const html = document.documentElement;
  if (html.scrollWidth > html.clientWidth + 1) {
    problems.push(`the page scrolls sideways: ${html.scrollWidth} > ${html.clientWidth}`);
  }
  document.querySelectorAll('figure.usrussia-chart').forEach((figure, i) => {
    const name = `chart ${i + 1}`;
    // A chart inside a folded solution is not on screen; it is drawn when unfolded.
    if (!figure.getClientRects().length) return;
    const column = figure.parentElement.getBoundingClientRect();
    const svg = figure.querySelector('.usrussia-chart-live svg');
    if (!svg) { problems.push(`${name}: not drawn`); return; }
    const box = svg.getBoundingClientRect();
    if (box.width < 200) problems.push(`${name}: only ${box.width}px wide`);
    if (box.right > column.right + 1 || box.left < column.left - 1) {
      const sizes = `${Math.round(box.width)}px wide in a ${Math.round(column.width)}px column`;
      problems.push(`${name}: ${sizes}`);
    }
    // Every text (headline, source note, axes, legend, labels) inside the chart's box.
    svg.querySelectorAll('text').forEach(text => {
      const t = text.getBoundingClientRect();
      // Labels that Vega hides because they would overlap have opacity 0.
      if (!t.width || !text.textContent.trim() || getComputedStyle(text).opacity === '0') return;
      const outside = t.left < box.left - 1 || t.right > box.right + 1 ||
                      t.top < box.top - 1 || t.bottom > box.bottom + 1;
      if (outside) {
        problems.push(`${name}: text cut off: "${text.textContent.slice(0, 60)}"`);
      }
    });
  });
  return problems;
}"""


@pytest.fixture(scope="module")
def chart_pages(built_book):
    pages = [
        p
        for p in PAGES
        if "usrussia-chart" in (built_book.html / f"{p}.html").read_text(encoding="utf-8")
    ]
    assert pages, "no page has a chart"
    return pages


# Chart text that Vega shortened to its limit (titleLimit, labelLimit) ends in "…": a text
# drawn so that no text of the spec (titles, labels, data) is drawn in full.
TRUNCATED = """async () => {
  const problems = [];
  const figures = [...document.querySelectorAll('figure.usrussia-chart')];
  for (const [i, figure] of figures.entries()) {
    if (!figure.getClientRects().length || !figure.usrussiaSpec) continue;
    const texts = new Set();
    const collect = (node) => {
      if (typeof node === 'string') texts.add(node);
      else if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') Object.values(node).forEach(collect);
    };
    collect(await figure.usrussiaSpec);
    // Each line as drawn: a text of several lines has one <tspan> a line.
    figure.querySelectorAll('.usrussia-chart-live svg text').forEach((text) => {
      const lines = text.querySelectorAll('tspan');
      for (const line of lines.length ? lines : [text]) {
        const drawn = line.textContent;
        if (drawn.endsWith('\u2026') && !texts.has(drawn)) {
          problems.push(`chart ${i + 1}: text shortened to "${drawn}"`);
        }
      }
    });
  }
  return problems;
}"""


def drawn_pages(browser, site, pages, *, scheme="light", width=1280, open_solutions=False):
    """Each of ``pages`` loaded in turn in one browser context (``scheme``, ``width`` px
    wide, 900 px high), every solution opened if asked, every chart drawn: yields (page
    name, the Playwright page)."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        for page_name in pages:
            page.goto(f"{site}/{page_name}.html", wait_until="load")
            if open_solutions:
                page.evaluate(OPEN_EVERY_SOLUTION)
            page.evaluate("() => window.usrussiaCharts && window.usrussiaCharts.drawAll()")
            yield page_name, page
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, *WIDTHS])
def test_charts_fit_their_column_and_nothing_scrolls_sideways(browser, site, width):
    """At a small phone's, a phone's, a tablet's, a laptop's and a large screen's width, on
    every page: no chart wider than its column, no chart text cut off or shortened with "…"
    (a legend's or axis's title or label at Vega's limit), no sideways scroll of the page."""
    problems = []
    for page_name, page in drawn_pages(browser, site, PAGES, width=width):
        found = page.evaluate(TRUNCATED) + page.evaluate(FIT_PROBLEMS)
        problems += [f"{page_name} at {width}px: {p}" for p in found]
    assert not problems, "\n".join(problems[:30])


# Two labels of one axis closer than this (px) read as one ("19921994").
LABEL_GAP = 2

AXIS_LABEL_PROBLEMS = r"""([gap, overlaps]) => {
  const problems = [];
  const shown = (text) => {
    for (let n = text; n && n.tagName !== 'svg'; n = n.parentElement) {
      if (getComputedStyle(n).opacity === '0') return false;
    }
    return text.textContent.trim() && text.getBoundingClientRect().width > 0;
  };
  const day = 24 * 3600 * 1000;
  document.querySelectorAll('figure.usrussia-chart').forEach((figure, i) => {
    // Every solution is open: a chart not shown would go unchecked.
    if (!figure.getClientRects().length || getComputedStyle(figure).visibility === 'hidden') {
      problems.push(`chart ${i + 1}: not shown`);
      return;
    }
    const svg = figure.querySelector('.usrussia-chart-live svg');
    if (!svg) { problems.push(`chart ${i + 1}: not drawn`); return; }
    svg.querySelectorAll('g.role-axis').forEach(axis => {
      const about = axis.getAttribute('aria-label') || '';
      const texts = [...axis.querySelectorAll('g.role-axis-label text')].filter(shown);
      const labels = texts.map(t => t.textContent.trim());
      // A time axis spanning more than a year names at least one year.
      const from = /time scale with values from \w+, (.+?), [\d:]+ [AP]M to \w+, (.+?), /;
      const span = about.match(from);
      if (span && Date.parse(span[2]) - Date.parse(span[1]) > 366 * day &&
          !labels.some(label => /\b\d{4}\b/.test(label))) {
        problems.push(`chart ${i + 1}: a time axis of more than a year without a year: ` +
                      labels.join(' | '));
      }
      if (!overlaps) return;
      // No two labels of one axis overlap, nor stand closer than `gap` side by side. Each
      // label's ink is taken as its font size high (its box adds the line's leading).
      const boxes = texts.map(t => {
        const r = t.getBoundingClientRect();
        const trim = Math.max(0, (r.height - parseFloat(getComputedStyle(t).fontSize)) / 2);
        return {left: r.left, right: r.right, top: r.top + trim, bottom: r.bottom - trim};
      });
      for (let a = 0; a < boxes.length; a++) {
        for (let b = a + 1; b < boxes.length; b++) {
          const p = boxes[a], q = boxes[b];
          const across = Math.max(q.left - p.right, p.left - q.right);
          const down = Math.max(q.top - p.bottom, p.top - q.bottom);
          if (down < 0 && across < gap) {
            problems.push(`chart ${i + 1}: axis labels "${labels[a]}" and "${labels[b]}" ` +
                          `${across < 0 ? 'overlap' : 'touch'} (${across.toFixed(1)}px apart)`);
          }
        }
      }
    });
  });
  return problems;
}"""


# Solutions (sphinx-togglebutton) and dropdowns opened as a reader opens them.
OPEN_EVERY_SOLUTION = """() => {
  document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
  document.querySelectorAll('details').forEach(d => { d.open = true; });
}"""

# Widths at which no two axis labels may overlap (all of them, and 360 px, for the years).
LABEL_WIDTHS = [390, 768, 1280, 1920]


@pytest.mark.parametrize("width", [360, *LABEL_WIDTHS])
def test_axes_show_years_and_their_labels_never_run_together(browser, site, chart_pages, width):
    """On every chart page, with every solution opened: a time axis that spans more than a
    year shows at least one year (from 360 px on), and no two labels of an axis overlap or
    touch (at LABEL_WIDTHS)."""
    problems = []
    pages = drawn_pages(browser, site, chart_pages, width=width, open_solutions=True)
    for page_name, page in pages:
        found = page.evaluate(AXIS_LABEL_PROBLEMS, [LABEL_GAP, width in LABEL_WIDTHS])
        problems += [f"{page_name} at {width}px: {p}" for p in found]
    assert not problems, "\n".join(problems[:40])


# The colour arithmetic of the two contrast checks below (WCAG relative luminance): a CSS
# colour as {c: [r, g, b] in 0-1, a}, its luminance, and the opaque background behind a node.
COLOR_HELPERS = """
  const rgb = (color) => {
    const m = (color.match(/[\\d.]+/g) || ['0', '0', '0', '0']).map(Number);
    return {c: m.slice(0, 3).map(v => v / 255), a: m.length > 3 ? m[3] : 1};
  };
  const lum = (c) => {
    const [r, g, b] = c.map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (node) => {
    for (; node && node.nodeType === 1; node = node.parentElement) {
      const {c, a} = rgb(getComputedStyle(node).backgroundColor);
      if (a >= 0.5) return c;
    }
    return [1, 1, 1];
  };
"""
CONTRAST_PROBLEMS = (
    """() => {"""
    + COLOR_HELPERS
    + """  const problems = [];
  let checked = 0;
  document.querySelectorAll('figure.usrussia-chart').forEach((figure, i) => {
    const bg = background(figure);
    figure.querySelectorAll('.usrussia-chart-live svg text').forEach(text => {
      if (!text.textContent.trim()) return;
      const style = getComputedStyle(text);
      if (style.visibility === 'hidden' || style.display === 'none') return;
      let {c, a} = rgb(style.fill);
      a *= Number(style.fillOpacity) * Number(style.opacity);
      for (let g = text.parentElement; g && g.tagName !== 'svg'; g = g.parentElement) {
        a *= Number(getComputedStyle(g).opacity);
      }
      // Labels Vega hides because they would overlap (opacity 0) are not shown at all.
      if (a === 0) return;
      const seen = c.map((v, k) => v * a + bg[k] * (1 - a));
      const [x, y] = [lum(seen), lum(bg)].sort((p, q) => q - p);
      const ratio = (x + 0.05) / (y + 0.05);
      checked += 1;
      if (ratio < 4.5) {
        problems.push(`chart ${i + 1}: "${text.textContent.slice(0, 50)}" ${ratio.toFixed(2)}:1`);
      }
    });
  });
  return {problems, checked};
}"""
)


def results_on_chart_pages(browser, site, chart_pages, scheme, script):
    """(page name, result of ``script``) for every chart page in ``scheme`` at 1280 px,
    every chart drawn."""
    for page_name, page in drawn_pages(browser, site, chart_pages, scheme=scheme):
        assert page.evaluate("() => document.documentElement.dataset.theme") == scheme
        yield page_name, page.evaluate(script)


def contrast_problems(browser, site, chart_pages, scheme, check) -> tuple[list[str], int]:
    """Run ``check`` (CONTRAST_PROBLEMS or MARK_CONTRAST_PROBLEMS) on every chart page in
    ``scheme``, every chart drawn; (problems named by page, number of paints checked)."""
    problems, checked = [], 0
    for page_name, result in results_on_chart_pages(browser, site, chart_pages, scheme, check):
        checked += result["checked"]
        problems += [f"{page_name} ({scheme}): {p}" for p in result["problems"]]
    return problems, checked


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_chart_text_has_enough_contrast(browser, site, chart_pages, scheme):
    """WCAG 1.4.3 (4.5:1) for every text in every chart, in light and in dark mode: axe
    does not look inside SVG."""
    problems, checked = contrast_problems(browser, site, chart_pages, scheme, CONTRAST_PROBLEMS)
    assert checked > 100, f"only {checked} chart texts were checked"
    assert not problems, "\n".join(problems[:30])


# Every drawn mark (bars, lines, points, areas, rules, legend swatches, outlines): its
# fill and its stroke, as seen (opacity blended over the background), against the page
# behind the chart. Grid lines are left out: they are faint by design (1.5:1), not data.
MARK_CONTRAST_PROBLEMS = (
    """() => {"""
    + COLOR_HELPERS
    + """  const problems = [];
  let checked = 0;
  document.querySelectorAll('figure.usrussia-chart').forEach((figure, i) => {
    const bg = background(figure);
    const marks = figure.querySelectorAll(
      '.usrussia-chart-live svg :is(rect, path, line, circle, polygon, polyline)');
    marks.forEach(mark => {
      if (mark.closest('text, .role-axis-grid, .background, defs, clipPath')) return;
      const style = getComputedStyle(mark);
      if (style.visibility === 'hidden' || style.display === 'none') return;
      let opacity = Number(style.opacity);
      for (let g = mark.parentElement; g && g.tagName !== 'svg'; g = g.parentElement) {
        opacity *= Number(getComputedStyle(g).opacity);
      }
      const box = mark.getBoundingClientRect();
      if (opacity === 0 || (!box.width && !box.height)) return;
      const paints = [['fill', style.fill, Number(style.fillOpacity)]];
      if (style.stroke !== 'none' && parseFloat(style.strokeWidth) > 0) {
        paints.push(['stroke', style.stroke, Number(style.strokeOpacity)]);
      }
      for (const [kind, paint, paintOpacity] of paints) {
        if (paint === 'none' || paint.startsWith('url')) continue;
        let {c, a} = rgb(paint);
        a *= paintOpacity * opacity;
        // Translucent washes (a shaded period behind the data) are not marks to be seen
        // against the page on their own.
        if (a < 0.5) continue;
        const seen = c.map((v, k) => v * a + bg[k] * (1 - a));
        const [x, y] = [lum(seen), lum(bg)].sort((p, q) => q - p);
        const ratio = (x + 0.05) / (y + 0.05);
        checked += 1;
        if (ratio < 3) {
          const group = mark.closest('[class*="role-"]');
          const role = group ? group.getAttribute('class') : mark.tagName;
          problems.push(`chart ${i + 1}: ${kind} ${paint} of ${role} ${ratio.toFixed(2)}:1`);
        }
      }
    });
  });
  return {problems: [...new Set(problems)], checked};
}"""
)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_chart_mark_has_enough_contrast(browser, site, chart_pages, scheme):
    """WCAG 1.4.11 (3:1) for every bar, line, point, area, rule, outline and legend
    swatch in every chart, in light and in dark mode: a black bar or outline set in a
    chart's spec must not vanish on the dark page."""
    problems, checked = contrast_problems(
        browser, site, chart_pages, scheme, MARK_CONTRAST_PROBLEMS
    )
    assert checked > 500, f"only {checked} chart marks were checked"
    assert not problems, "\n".join(problems[:40])


# The series of each legend as the reader sees them: each swatch's fill (its stroke if it
# has no fill) after charts.js raised it to 3:1 for this mode, blended at the opacity it is
# drawn at over the page behind the chart, as sRGB channels 0-1.
LEGEND_COLORS = (
    """() => {"""
    + COLOR_HELPERS
    + r"""  const legends = [];
  document.querySelectorAll('figure.usrussia-chart').forEach((figure, i) => {
    const bg = background(figure);
    figure.querySelectorAll('.usrussia-chart-live svg g.role-legend').forEach(legend => {
      const entries = [];
      legend.querySelectorAll('.role-legend-symbol path').forEach(swatch => {
        const style = getComputedStyle(swatch);
        const filled = style.fill !== 'none' && rgb(style.fill).a > 0;
        let {c, a} = rgb(filled ? style.fill : style.stroke);
        a *= Number(filled ? style.fillOpacity : style.strokeOpacity) * Number(style.opacity);
        for (let g = swatch.parentElement; g && g.tagName !== 'svg'; g = g.parentElement) {
          a *= Number(getComputedStyle(g).opacity);
        }
        const label = swatch.closest('.role-legend-symbol').parentElement
          .querySelector('.role-legend-label text');
        // The swatch's form: its outline's commands with each number by its sign alone (a
        // circle, a square, a triangle pointing up and one pointing down differ; two
        // circles of any size do not), filled or not, and its dash.
        const sign = (n) => (Number(n) > 0 ? '+' : Number(n) < 0 ? '-' : '0');
        const outline = (swatch.getAttribute('d') || '')
          .replace(/-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?/g, sign);
        const form = [outline, filled ? 'filled' : 'outline', style.strokeDasharray].join(' ');
        entries.push([label ? label.textContent : '?', c.map((v, k) => v * a + bg[k] * (1 - a)),
                      form]);
      });
      if (entries.length > 1) legends.push({chart: i + 1, entries});
    });
  });
  return legends;
}"""
)

# The least CIEDE2000 difference between two series of one chart. CIEDE2000 (CIE 142-2001)
# is scaled so that about 1 is just noticeable between two large patches side by side.
# Szafir ("Modeling Color Difference for Visualization Design", IEEE TVCG 24(1), 2018) and
# Stone, Szafir & Setlur ("An Engineering Model for Color Difference as a Function of
# Size", IS&T Color and Imaging Conference 2014) measured that the difference needed grows
# as marks get smaller and thinner, so points, lines and bars need more than large patches;
# Szafir's figure 1 shows the marks she tested in two colours 10 apart (CIELAB). A legend's
# colour must be found again across the plot, not only noticed beside another, so 10 is the
# floor (CIEDE2000 gives a smaller number than CIELAB's distance for every pair of
# Okabe-Ito colours, so it is the stricter reading of that figure). The closest
# pair of the book's colours (the Okabe-Ito blue and sky blue at opacity 0.95 on white,
# after the 3:1 raise) differ by 11.2; in dark mode the closest pair differs by 19.9.
SERIES_DIFFERENCE = 10.0

# The colour visions a chart is read with: normal, the two red-green colour-vision
# deficiencies, protanopia and deuteranopia, and the blue-yellow one, tritanopia, each
# simulated at full severity by coloraide's default method for it: Viénot, Brettel and
# Mollon's of 1999 for the red-green pair (the paper coloraide's source names:
# vision.psychol.cam.ac.uk/jdmollon/papers/colourmaps.pdf), and for tritanopia Brettel,
# Viénot and Mollon's of 1997 ("Computerized simulation of color appearance for
# dichromats", J. Opt. Soc. Am. A 14(10)), whose two half-planes suit the blue-yellow axis.
VISIONS = ("normal", "protan", "deutan", "tritan")


def indistinct_series(legend: dict, minimum: float = SERIES_DIFFERENCE) -> list[str]:
    """Pairs of series of one legend (``{"chart", "entries": [[label, [r, g, b], form],
    ...]}``, channels 0-1 sRGB as drawn) that a reader cannot tell apart: under normal
    vision, colours less than ``minimum`` apart (CIEDE2000, via coloraide); under simulated
    protanopia, deuteranopia or tritanopia, the same, unless the two swatches differ in
    form (shape, fill or dash), which a reader sees whatever the colours."""
    problems = []
    for vision in VISIONS:
        seen = []
        for label, channels, *form in legend["entries"]:
            color = Color("srgb", channels)
            if vision != "normal":
                color = color.filter(vision).convert("srgb")
            seen.append((label, color, form))
        for (a, first, a_form), (b, second, b_form) in itertools.combinations(seen, 2):
            if vision != "normal" and a_form != b_form:
                continue
            if (difference := first.delta_e(second, method="2000")) < minimum:
                problems.append(
                    f"chart {legend['chart']}: {a!r} and {b!r} differ by {difference:.1f} "
                    f"(CIEDE2000, {vision} vision)"
                )
    return problems


def test_the_series_check_tells_close_colours_from_distinct_ones():
    """Blue against sky blue as drawn on white passes; blue against a blue a shade lighter
    (what a raise to 3:1 could make of two close colours) fails. Olive against orange
    passes in normal vision and fails under protanopia and deuteranopia, unless their
    shapes differ; the Okabe-Ito orange against reddish purple fails under tritanopia
    alone."""
    blue, sky_blue, lighter_blue = [0, 0.447, 0.698], [0.271, 0.565, 0.729], [0.1, 0.5, 0.75]
    assert not indistinct_series({"chart": 1, "entries": [["a", blue], ["b", sky_blue]]})
    found = indistinct_series({"chart": 1, "entries": [["a", blue], ["b", lighter_blue]]})
    assert len(found) == 4 and "'a' and 'b'" in found[0] and "normal vision" in found[0]
    olive, orange = [0.55, 0.6, 0.1], [0.85, 0.55, 0.1]  # 25.8 apart; 0.3 protan, 6.2 deutan
    same_form = [["a", olive, "MAAZ filled"], ["b", orange, "MAAZ filled"]]
    found = indistinct_series({"chart": 1, "entries": same_form})
    assert [p.rsplit(", ", 1)[1] for p in found] == ["protan vision)", "deutan vision)"]
    other_form = [["a", olive, "MAAZ filled"], ["b", orange, "MhvhZ filled"]]
    assert not indistinct_series({"chart": 1, "entries": other_form})
    okabe_orange, reddish_purple = [0.902, 0.624, 0], [0.8, 0.475, 0.655]  # 7.9 tritan
    found = indistinct_series({"chart": 1, "entries": [["a", okabe_orange], ["b", reddish_purple]]})
    assert [p.rsplit(", ", 1)[1] for p in found] == ["tritan vision)"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_series_of_every_chart_stay_distinguishable_in_both_modes(
    browser, site, chart_pages, scheme
):
    """After charts.js has raised every mark colour to 3:1 against this mode's page (which
    mixes colours towards black or white and so brings some closer together), any two
    series of one legend still differ by SERIES_DIFFERENCE (CIEDE2000) as drawn, and so
    under simulated protanopia, deuteranopia and tritanopia unless their legend swatches
    differ in form."""
    problems, checked = [], 0
    for page_name, legends in results_on_chart_pages(
        browser, site, chart_pages, scheme, LEGEND_COLORS
    ):
        for legend in legends:
            checked += len(legend["entries"])
            problems += [f"{page_name} ({scheme}): {p}" for p in indistinct_series(legend)]
    assert checked > 40, f"only {checked} legend entries were compared"
    assert not problems, "\n".join(problems)


# The plot (the data rectangle) of each interactive chart, against the same chart's static
# drawing at this width: the interactive redraw keeps the drawing's box, and must not buy
# room for its text by squashing the data.
PLOT_HEIGHTS = """async () => {
  const figures = [...document.querySelectorAll('figure.usrussia-chart')];
  const out = [];
  for (const [i, figure] of figures.entries()) {
    if (!figure.getClientRects().length) continue;
    const svg = figure.querySelector('.usrussia-chart-live svg');
    const img = figure.querySelector('img.usrussia-chart-static');
    // The root group's background is the first path Vega draws: the plot's rectangle.
    const live = svg && svg.querySelector('path.background');
    // The static drawing this screen shows: the first <source> whose media matches, as
    // the browser picks (its srcset may be held back by charts.js, in a data attribute).
    if (!img) continue;
    let url = img.currentSrc;
    if (!url) {
      const source = [...figure.querySelectorAll('picture source')].find(s =>
        !s.media || matchMedia(s.media).matches);
      url = source ? (source.srcset || source.dataset.usrussiaSrcset)
                   : (img.getAttribute('src') || img.dataset.usrussiaSrc);
      url = url && new URL(url.split(/\\s/)[0], location.href).href;
    }
    if (!live || !url) continue;
    const text = await (await fetch(url)).text();
    const size = text.match(/<svg[^>]*\\bwidth="([\\d.]+)"/);
    const plot = text.match(/<path d="M0,0h([\\d.]+)v([\\d.]+)h-/);
    if (!size || !plot) continue;
    const shown = figure.querySelector('.usrussia-chart-picture').getBoundingClientRect().width;
    out.push({chart: i + 1, live: live.getBoundingClientRect().height,
              fixed: Number(plot[2]) * shown / Number(size[1])});
  }
  return out;
}"""


def test_the_plot_of_every_chart_keeps_its_height_on_a_phone(browser, site, chart_pages):
    """At 390 px, each interactive chart's plot is at least 60% as tall as the plot of the
    static drawing it replaces (at the same width): a long axis title or a wrapped
    headline must not squash the data into a strip."""
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    problems, checked = [], 0
    try:
        for page_name in chart_pages:
            page.goto(f"{site}/{page_name}.html", wait_until="load")
            page.evaluate("() => window.usrussiaCharts.drawAll()")
            for row in page.evaluate(PLOT_HEIGHTS):
                if not row["fixed"]:
                    continue
                checked += 1
                floor = 0.6 * row["fixed"]
                if row["live"] < floor - 0.5:
                    problems.append(
                        f"{page_name} chart {row['chart']}: plot {row['live']:.0f}px high, "
                        f"static drawing's {row['fixed']:.0f}px"
                    )
    finally:
        context.close()
    assert checked > 20, f"only {checked} plots were measured"
    assert not problems, "\n".join(problems)


def test_glued_numbers_have_the_weight_of_their_sentence(browser, site, chart_pages):
    context = browser.new_context()
    page = context.new_page()
    mismatched, checked = [], 0
    try:
        for page_name in chart_pages:
            page.goto(f"{site}/{page_name}.html", wait_until="load")
            found = page.evaluate(
                """() => [...document.querySelectorAll('.bd-content span.pasted-text')].map(s =>
                    [s.textContent, getComputedStyle(s).fontWeight,
                     getComputedStyle(s.parentElement).fontWeight])"""
            )
            checked += len(found)
            mismatched += [f"{page_name}: {t!r} {a} vs {b}" for t, a, b in found if a != b]
    finally:
        context.close()
    assert checked > 20, f"only {checked} glued values found"
    assert not mismatched, "\n".join(mismatched[:20])


def test_without_javascript_every_chart_is_an_image_with_its_description(
    browser, site, chart_pages
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    problems, checked = [], 0
    try:
        for page_name in chart_pages:
            page.goto(f"{site}/{page_name}.html", wait_until="load")
            images = page.evaluate(
                """async () => {
                  const images = [...document.querySelectorAll('figure.usrussia-chart img')];
                  // Static drawings load lazily, as they near the viewport: load them all.
                  images.forEach(i => { i.loading = 'eager'; });
                  await Promise.all(images.map(i => i.decode().catch(() => null)));
                  return images.map(i => {
                    const box = i.getBoundingClientRect();
                    const column = i.closest('figure').parentElement.getBoundingClientRect();
                    return [i.alt, i.naturalWidth, box.width, box.height, column.width,
                            getComputedStyle(i).visibility];
                  });
                }"""
            )
            figures = page.locator("figure.usrussia-chart").count()
            if len(images) != figures:
                problems.append(f"{page_name}: {figures} charts but {len(images)} images")
            for alt, natural, width, height, column, visibility in images:
                checked += 1
                if len(alt) < 15 or not natural or visibility != "visible":
                    problems.append(f"{page_name}: image not shown or without description: {alt!r}")
                elif width > column + 1 or (width and height < 100):
                    problems.append(f"{page_name}: image {width}x{height} in a {column}px column")
    finally:
        context.close()
    assert checked > 10
    assert not problems, "\n".join(problems[:20])


# Shifts of the page's content (the article). The theme's sidebars move on their own
# (the "On this page" list unfolds the section being read), which is not the charts' doing.
SHIFTS = """() => {
  window.usrussiaShifts = [];
  const inArticle = (node) => {
    const element = node && (node.nodeType === 1 ? node : node.parentElement);
    return !!(element && element.closest('.bd-article'));
  };
  new PerformanceObserver(list => list.getEntries().forEach(e => {
    if (!e.hadRecentInput && e.sources.some(s => inArticle(s.node))) {
      window.usrussiaShifts.push(e.value);
    }
  })).observe({type: 'layout-shift', buffered: true});
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_charts_draw_without_layout_shift(browser, site, chart_pages, width):
    """The static drawing keeps each chart's box; scrolling through the page draws every
    interactive chart over it, and nothing on the page moves (layout-shift entries)."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_init_script(f"({SHIFTS})()")
    page = context.new_page()
    shifted = []
    try:
        for page_name in chart_pages:
            page.goto(f"{site}/{page_name}.html", wait_until="load")
            count = page.locator("figure.usrussia-chart").count()
            for i in range(count):
                figure = page.locator("figure.usrussia-chart").nth(i)
                if figure.is_visible():
                    figure.scroll_into_view_if_needed()
                    page.wait_for_function(
                        "(f) => f.dataset.rendered", arg=figure.element_handle(), timeout=20_000
                    )
            page.evaluate("() => window.usrussiaCharts.drawAll()")
            page.wait_for_timeout(100)
            total = page.evaluate("() => window.usrussiaShifts.reduce((a, b) => a + b, 0)")
            if total > 0:
                shifted.append(f"{page_name} at {width}px: layout shift {total:.4f}")
    finally:
        context.close()
    assert not shifted, "\n".join(shifted)


def test_charts_load_their_runtime_only_near_the_viewport(browser, site, chart_pages):
    """A chart page first paints the static drawings; the Vega runtime is fetched once,
    when a chart comes near the viewport, and the theme's fontawesome.js not at all."""
    visit = PageVisit(browser, f"{site}/{chart_pages[0]}.html")
    requests: list[str] = []
    try:
        visit.page.on("request", lambda r: requests.append(r.url))
        visit.page.reload(wait_until="load")
        visit.page.wait_for_timeout(300)
        first_screen = [u for u in requests if "vega" in u]
        assert not first_screen, f"runtime loaded before any chart was near: {first_screen}"
        visit.wait_for_charts()
        runtime = [u for u in requests if u.endswith("vega.min.js")]
        assert len(runtime) == 1, f"the Vega runtime was requested {len(runtime)} times"
        assert not [u for u in requests if "fontawesome.js" in u]
        assert not visit.errors, visit.errors
    finally:
        visit.close()


def test_one_search_box_a_favicon_and_a_description_on_every_page(browser, site, built_book):
    for page_name in PAGES:
        html = (built_book.html / f"{page_name}.html").read_text(encoding="utf-8")
        match = re.search(r'<meta name="description" content="([^"]{50,})"', html)
        assert match, f"{page_name}: no meta description of at least 50 characters"
        assert 'rel="icon"' in html, f"{page_name}: no favicon link"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{site}/{PAGES[0]}.html", wait_until="load")
        visible = page.evaluate(
            """() => [...document.querySelectorAll('.search-button-field, .search-button')]
                .filter(b => b.getBoundingClientRect().width > 0).length"""
        )
        assert visible == 1, f"{visible} search buttons visible at 1280 px"
        page.keyboard.press("Control+k")
        page.wait_for_selector("#pst-search-dialog[open]", timeout=5_000)
    finally:
        context.close()


def test_a_search_from_the_search_box_lists_the_pages_that_match(browser, site):
    """What a reader does: open the search box on a chapter, type a word, press Enter. The
    search page must list the pages holding it, with no script error on the way (its scripts
    run in order: searchtools.js needs doctools.js, which is deferred)."""
    visit = PageVisit(browser, f"{site}/{PAGES[0]}.html")
    try:
        visit.page.keyboard.press("Control+k")
        visit.page.wait_for_selector("#pst-search-dialog[open]", timeout=5_000)
        visit.page.keyboard.type("treaty")
        visit.page.keyboard.press("Enter")
        visit.page.wait_for_url("**/search.html?q=treaty*")
        results = visit.page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=15_000)
        titles = results.locator("a").first.inner_text()
        assert results.count() >= 3, f"only {results.count()} pages found for 'treaty'"
        assert titles.strip(), "a search result without a title"
        assert not visit.errors, visit.errors
        # Each result's summary is the page's own text, not the theme's print-only
        # contents list ("Contents 8.1. …") or the header's buttons ("Binder").
        visit.page.wait_for_selector("#search-results p.search-summary", timeout=30_000)
        summaries = visit.page.locator("#search-results li p.context").all_inner_texts()
        assert len(summaries) >= 3, f"only {len(summaries)} result summaries"
        not_text = [
            summary
            for summary in summaries
            if re.search(r"Contents \d+\.\d+\.", summary)
            or summary.strip(" .") in {"Binder", "Colab", "Repository", "Open issue", "Download"}
        ]
        assert not not_text, f"summaries from outside the text: {not_text[:3]}"
        # The search field's magnifier sits before the words typed, not over them.
        overlap = visit.page.evaluate(
            """() => [...document.querySelectorAll('form.bd-search')].map(form => {
                const icon = form.querySelector('.fa-magnifying-glass').getBoundingClientRect();
                const input = form.querySelector('input');
                const textStarts = input.getBoundingClientRect().left
                    + parseFloat(getComputedStyle(input).paddingLeft);
                return icon.right - textStarts; }).filter(px => px > 0)"""
        )
        assert not overlap, f"the magnifier covers the search text by {overlap} px"
    finally:
        visit.close()


ICON_CODE_POINTS = """() => {
  const points = new Set();
  for (const element of document.querySelectorAll('*')) {
    for (const pseudo of ['::before', '::after']) {
      const style = getComputedStyle(element, pseudo);
      if (!style.fontFamily.includes('Font Awesome') || !style.content.startsWith('"')) continue;
      for (const c of style.content.slice(1, -1)) {
        const point = c.codePointAt(0);
        if (point >= 0xe000 && point <= 0xf8ff) points.add(point);
      }
    }
  }
  return [...points];
}"""


def test_every_icon_on_every_page_is_in_the_cut_down_icon_fonts(browser, site, built_book):
    """The build cuts the theme's icon fonts down to the icons the site uses
    (usrussia.icon_fonts). Every icon glyph a page asks the browser for (icons, hidden
    ones too, and the theme's icons set in CSS) must still be in the fonts served."""
    from fontTools.ttLib import TTFont

    from usrussia.icon_fonts import FONT_FOLDER

    fonts = sorted((built_book.html / FONT_FOLDER).glob("*.woff2"))
    assert fonts, "the theme's icon fonts are missing from the site"
    in_fonts: set[int] = set()
    for font in fonts:
        assert font.stat().st_size < 20_000, f"{font.name} was not cut down"
        in_fonts |= set(TTFont(font).getBestCmap())
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    missing, asked = [], 0
    try:
        for page_name in PAGES:
            page.goto(f"{site}/{page_name}.html", wait_until="load")
            points = page.evaluate(ICON_CODE_POINTS)
            asked += len(points)
            missing += [f"{page_name}: U+{p:04X}" for p in sorted(set(points) - in_fonts)]
    finally:
        context.close()
    assert asked, "no page showed an icon: the check saw nothing"
    assert not missing, "icons missing from the cut-down fonts:\n" + "\n".join(missing)


# --- The cut stylesheets (usrussia.stylesheets) -------------------------------------------

STYLED = [
    "display", "position", "float", "visibility", "opacity", "z-index", "top", "left",
    "width", "height", "min-height", "max-width", "overflow-x", "overflow-y",
    "margin-top", "margin-right", "margin-bottom", "margin-left",
    "padding-top", "padding-right", "padding-bottom", "padding-left",
    "border-top-width", "border-bottom-width", "border-left-width", "border-right-width",
    "border-top-color", "border-left-color", "border-top-left-radius", "box-shadow",
    "color", "background-color", "background-image", "font-family", "font-size",
    "font-weight", "font-style", "line-height", "text-align", "text-decoration-line",
    "text-transform", "white-space", "list-style-type", "cursor", "transform",
    "flex-direction", "flex-wrap", "justify-content", "align-items", "gap",
    "grid-template-columns", "outline-style",
]  # fmt: skip
STYLE_OF_EVERY_ELEMENT = """(properties) => {
  const rows = [];
  const all = [...document.querySelectorAll('body *')];
  // What a folded solution holds (content-visibility: hidden) is not styled by the browser
  // until it is opened: asked for, its style is computed then, mid-transition. It is
  // compared in the print run, where every solution is open.
  const folded = all.filter(e => getComputedStyle(e).contentVisibility === 'hidden');
  for (const element of all) {
    // A chart's drawing is made by charts.js when it nears the viewport, not by the CSS.
    if (element.parentElement.closest('figure.usrussia-chart')) continue;
    // The chart tooltip exists only once a pointer has crossed a chart, which headless
    // Chromium may or may not report while a page loads; it is the book's, not the theme's.
    if (element.matches('.usrussia-chart-tooltip')) continue;
    if (folded.some(root => root !== element && root.contains(element))) continue;
    const style = getComputedStyle(element);
    const before = getComputedStyle(element, '::before');
    const after = getComputedStyle(element, '::after');
    rows.push([`${element.tagName.toLowerCase()}.${element.getAttribute('class') || ''}`
               + `#${element.id}`,
               ...properties.map(p => `${p}: ${style.getPropertyValue(p)}`),
               `::before ${before.content} ${before.fontFamily} ${before.display}`,
               `::after ${after.content} ${after.display}`]);
  }
  return rows;
}"""
# A chapter (charts, solutions, tabs, citations), the landing page and the search page
# with results drawn by its script.
CUT_CSS_PAGES = ["chapters/new_start.html", "index.html", "search.html?q=treaty"]


# True on a page without search results, or once Sphinx's searchtools.js has written its
# closing status ("Search finished, found …" or "Your search did not match …").
SEARCH_FINISHED = """() => {
  const results = document.querySelector('#search-results');
  if (!results) return true;
  const status = results.querySelector('p.search-summary');
  return !!status && /finished|did not match/.test(status.textContent);
}"""


def uncut_stylesheets(built_book) -> Path:
    from usrussia.sphinx_ext import UNCUT_FOLDER

    folder = built_book.root / "_build" / ".doctrees" / UNCUT_FOLDER
    assert (folder / "styles" / "pydata-sphinx-theme.css").is_file(), (
        "the build kept no uncut copy of the theme's stylesheet"
    )
    return folder


def styles_seen(
    browser, url: str, scheme: str, width: int, uncut: Path | None, media: str = "screen"
) -> list:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.emulate_media(media=media)
    if uncut is not None:

        def full_stylesheet(route):
            relative = route.request.url.split("/_static/", 1)[1].split("?")[0]
            if (uncut / relative).is_file():
                return route.fulfill(path=str(uncut / relative), content_type="text/css")
            return route.continue_()

        page.route("**/_static/**/*.css*", full_stylesheet)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(500)  # the deferred scripts' classes (toggles, tabs, search)
        # Sphinx's search lists its results one by one and fetches each page for the
        # summary under it: the page is compared once all are drawn, else the two
        # captures hold different numbers of results.
        if "search.html" in url:
            page.wait_for_function(SEARCH_FINISHED, timeout=20_000)
            page.wait_for_load_state("networkidle")
        return page.evaluate(STYLE_OF_EVERY_ELEMENT, STYLED)
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_cut_stylesheets_style_every_element_as_the_full_ones(
    browser, site, built_book, scheme
):
    """Each element of a chapter, the landing page and the search page (its results
    drawn) has the same computed style (layout, box, colours, fonts, icons) with the cut
    stylesheets as with the theme's full ones, at a phone's and a desktop's width, and the
    chapter when printed."""
    uncut = uncut_stylesheets(built_book)
    differences, compared = [], 0
    cases = [(width, "screen", name) for width in (390, 1280) for name in CUT_CSS_PAGES]
    for width, media, name in [*cases, (1000, "print", CUT_CSS_PAGES[0])]:
        cut = styles_seen(browser, f"{site}/{name}", scheme, width, None, media)
        full = styles_seen(browser, f"{site}/{name}", scheme, width, uncut, media)
        assert [row[0] for row in cut] == [row[0] for row in full], f"{name}: DOM differs"
        compared += len(cut)
        for cut_row, full_row in zip(cut, full, strict=True):
            for cut_value, full_value in zip(cut_row[1:], full_row[1:], strict=True):
                if cut_value != full_value:
                    differences.append(
                        f"{name} at {width} px ({media}), {cut_row[0][:60]}: "
                        f"{cut_value} (cut) vs {full_value.split(': ', 1)[-1]} (full)"
                    )
    assert compared > 1000, f"only {compared} elements compared"
    assert not differences, f"{len(differences)} differences:\n" + "\n".join(differences[:30])


def test_pages_link_the_cut_stylesheets(built_book):
    """Every page links the cut copy of each theme stylesheet, by the digest of what is
    served (so a browser never keeps an earlier cut), and the cut is real."""
    import hashlib

    uncut = uncut_stylesheets(built_book)
    static = built_book.html / "_static"
    theme = static / "styles" / "pydata-sphinx-theme.css"
    assert theme.stat().st_size < (uncut / "styles" / "pydata-sphinx-theme.css").stat().st_size / 2
    cut_files = [p.relative_to(uncut).as_posix() for p in uncut.rglob("*.css")]
    links = re.compile(r'href="[^"]*_static/([^"?]+\.css)\?v=([0-9a-f]+)"')
    pages = [p for p in built_book.html.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) > 10, f"only {len(pages)} pages"
    for page in pages:
        linked = dict(links.findall(page.read_text(encoding="utf-8")))
        page_name = page.relative_to(built_book.html)
        assert "styles/pydata-sphinx-theme.css" in linked, f"{page_name}: theme CSS not linked"
        for name, digest in linked.items():
            if name in cut_files:
                served = hashlib.sha256((static / name).read_bytes()).hexdigest()[:12]
                assert digest == served, f"{page_name}: {name}?v={digest} is not the cut file"


# Scroll through the page as a reader would, a screen at a time, then wait until no
# chart is still being drawn.
SCROLL_THROUGH = """async () => {
  for (let y = 0; y < document.documentElement.scrollHeight; y += 600) {
    window.scrollTo(0, y);
    await new Promise(resolve => setTimeout(resolve, 60));
  }
}"""
# Each chart's static drawings (the URLs the page names, given or held back by charts.js)
# and where the chart stood when the page had loaded.
CHART_DRAWINGS = """() => [...document.querySelectorAll('figure.usrussia-chart')].map(f => {
  const urls = [...f.querySelectorAll('source, img')].flatMap(e => [
    e.getAttribute('src'), e.getAttribute('srcset'),
    e.dataset.usrussiaSrc, e.dataset.usrussiaSrcset,
  ]).filter(Boolean).map(u => new URL(u, document.baseURI).href);
  return {top: f.getBoundingClientRect().top + window.scrollY, urls,
          shown: f.checkVisibility({visibilityProperty: true}),
          lazy: f.querySelector('img').getAttribute('loading') === 'lazy',
          held: f.querySelector('img').dataset.usrussiaSrc !== undefined};
})"""
# Every chart on screen (not folded in a closed solution) has been drawn, or given up.
SHOWN_SETTLED = """() => [...document.querySelectorAll('figure.usrussia-chart')]
  .every(f => f.dataset.rendered || !f.checkVisibility({visibilityProperty: true}))"""
# The distance (px) below the first screen beyond which charts.js draws a chart only once,
# interactive (FAR_AHEAD in charts.js).
FAR_AHEAD_PX = 1250
SECTIONED_CHAPTERS = 3


def test_charts_below_the_first_screen_are_drawn_once_without_layout_shift(
    browser, site, chart_pages
):
    """A chart well below the first screen is not drawn twice: its static SVG is never
    requested (before or after scrolling); the interactive chart is drawn in its box as
    the reader scrolls, every chart ends interactive, and nothing on the page moves."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(f"({SHIFTS})()")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    problems, held_back = [], 0
    try:
        for page_name in chart_pages[:SECTIONED_CHAPTERS]:
            requested.clear()
            page.goto(f"{site}/{page_name}.html", wait_until="load")
            page.wait_for_timeout(500)
            charts = page.evaluate(CHART_DRAWINGS)
            # The page's first chart is fetched with the page (not lazily), wherever it is.
            below = [
                c for c in charts if c["shown"] and c["lazy"] and c["top"] > 900 + FAR_AHEAD_PX
            ]
            early = [u for c in below for u in c["urls"] if u in requested]
            if early:
                problems.append(f"{page_name}: requested before scrolling: {early}")
            held_back += sum(c["held"] for c in below)
            page.evaluate(SCROLL_THROUGH)
            page.wait_for_function(SHOWN_SETTLED, timeout=60_000)
            # Charts in closed solutions too (drawn when opened), then all checked.
            page.evaluate("() => window.usrussiaCharts.drawAll()")
            problems += [f"{page_name}: {p}" for p in chart_problems(page)]
            twice = [u for c in below for u in c["urls"] if u in requested]
            if twice:
                problems.append(f"{page_name}: drawn twice, static SVG fetched: {twice}")
            shift = page.evaluate("() => window.usrussiaShifts.reduce((a, b) => a + b, 0)")
            if shift > 0:
                problems.append(f"{page_name}: layout shift {shift:.4f}")
    finally:
        context.close()
    assert held_back > 0, "no chart below the first screen was held back (its SVG not fetched)"
    assert not problems, "\n".join(problems)


BROKEN_RUNTIME = "window.vega = {parse() { throw new Error('broken chart'); }, View() {}};"


@pytest.mark.parametrize("failure", ["runtime blocked", "spec blocked", "drawing throws"])
def test_charts_below_the_first_screen_show_their_static_drawing_when_drawing_fails(
    browser, site, chart_pages, failure
):
    """With the Vega runtime or a chart's spec not loading, or drawing failing, every
    chart, held back or not, shows its static SVG after scrolling: a picture always."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    if failure == "runtime blocked":
        page.route("**/vega.min.js", lambda route: route.abort())
    elif failure == "spec blocked":
        page.route("**/*.vg.js", lambda route: route.abort())
    else:
        page.route(
            "**/vega.min.js",
            lambda route: route.fulfill(body=BROKEN_RUNTIME, content_type="text/javascript"),
        )
    problems, held_back = [], 0
    try:
        page_name = chart_pages[0]
        page.goto(f"{site}/{page_name}.html", wait_until="load")
        page.wait_for_timeout(300)
        held_back = sum(c["held"] for c in page.evaluate(CHART_DRAWINGS))
        page.evaluate(SCROLL_THROUGH)
        page.wait_for_function(SHOWN_SETTLED, timeout=30_000)
        shown = page.evaluate(
            """async () => {
              const images = [...document.querySelectorAll('figure.usrussia-chart img')]
                .filter(i => i.closest('figure').checkVisibility({visibilityProperty: true}));
              images.forEach(i => i.scrollIntoView());
              await Promise.all(images.map(i => i.decode().catch(() => null)));
              return images.map(i => [i.closest('figure').dataset.rendered, i.naturalWidth,
                                      getComputedStyle(i).visibility,
                                      Math.round(i.getBoundingClientRect().height)]);
            }"""
        )
        for index, (rendered, natural, visibility, height) in enumerate(shown, start=1):
            if rendered != "error" or not natural or visibility != "visible" or height < 100:
                problems.append(
                    f"{page_name} chart {index}: rendered={rendered}, image {natural}px wide, "
                    f"{visibility}, {height}px high"
                )
    finally:
        context.close()
    assert held_back > 0, "no chart was held back: nothing to put back"
    assert not problems, "\n".join(problems)


def test_printing_puts_every_held_back_drawing_back(browser, site, chart_pages):
    """Printing a chapter (beforeprint) gives every chart its static SVG back."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{site}/{chart_pages[0]}.html", wait_until="load")
        page.wait_for_timeout(300)
        assert any(c["held"] for c in page.evaluate(CHART_DRAWINGS)), "nothing held back"
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        without = page.evaluate(
            "() => [...document.querySelectorAll('figure.usrussia-chart img')]"
            ".filter(i => !i.getAttribute('src') || i.dataset.usrussiaSrc !== undefined).length"
        )
        assert without == 0, f"{without} chart images have no source when printing"
    finally:
        context.close()


def test_a_click_on_the_link_in_a_solutions_title_opens_the_solution(browser, site):
    """On a phone the "Exercise 8.1" link fills most of a solution's title bar: a tap on it
    must open the solution, as a tap elsewhere on the bar does, without a script error."""
    visit = PageVisit(browser, f"{site}/chapters/new_start.html")
    try:
        solution = visit.page.locator("div.solution.toggle").first
        solution.locator(".admonition-title a").click()
        visit.page.wait_for_timeout(300)
        classes = solution.get_attribute("class")
        assert "toggle-hidden" not in classes, f"the solution stayed shut: {classes}"
        assert not visit.errors, visit.errors
        solution.locator(".admonition-title a").click()  # and shuts it again
        visit.page.wait_for_timeout(300)
        assert "toggle-hidden" in solution.get_attribute("class")
        assert not visit.errors, visit.errors
    finally:
        visit.close()


# The hash of each link "On this page" marks as the section being read.
MARKED_SECTIONS = """() => [...document.querySelectorAll('#pst-page-toc-nav a.active')]
  .map(a => a.hash)"""


def test_on_this_page_marks_the_section_a_citation_jumps_to(browser, site):
    """A click on a citation jumps to its entry under the chapter's References, past every
    heading in between: "On this page" must then mark References, not the section the
    reader left; so too on a page opened at the entry's address."""
    visit = PageVisit(browser, f"{site}/chapters/reset.html")
    try:
        page = visit.page
        page.locator("#pst-page-toc-nav a[href='#what-the-reset-delivered']").click()
        page.wait_for_timeout(700)
        assert page.evaluate(MARKED_SECTIONS) == ["#what-the-reset-delivered"]
        citation = page.locator("#what-the-reset-delivered a.reference.internal[href^='#id']")
        entry = citation.first.get_attribute("href")
        inside = f"() => !!document.querySelector('#references {entry}')"
        assert page.evaluate(inside), f"{entry} is not an entry under References"
        citation.first.click()
        page.wait_for_timeout(700)
        assert page.evaluate("() => location.hash") == entry
        assert page.evaluate(MARKED_SECTIONS) == ["#references"]
        page.goto("about:blank")
        page.goto(f"{site}/chapters/reset.html{entry}", wait_until="load")
        page.wait_for_timeout(700)
        assert page.evaluate(MARKED_SECTIONS) == ["#references"]
        assert not visit.errors, visit.errors
    finally:
        visit.close()


def test_a_charts_save_menu_closes_with_escape_or_a_click_elsewhere(browser, site):
    visit = PageVisit(browser, f"{site}/chapters/new_start.html")
    try:
        visit.wait_for_charts()
        menu = visit.page.locator("details.usrussia-chart-actions").first
        for close in ("Escape", "click elsewhere"):
            menu.locator("summary").click()
            assert menu.get_attribute("open") is not None, "the save menu did not open"
            if close == "Escape":
                visit.page.keyboard.press("Escape")
            else:
                visit.page.locator("article.bd-article p").first.click()
            assert menu.get_attribute("open") is None, f"the save menu stayed open ({close})"
        assert not visit.errors, visit.errors
    finally:
        visit.close()


SOLUTION_HEIGHTS = """() => [...document.querySelectorAll('div.solution.dropdown')].map(
    s => Math.round(s.getBoundingClientRect().height))"""


def test_solutions_are_folded_from_the_first_paint_and_open_without_their_script(browser, site):
    """Solutions are folded before sphinx-togglebutton's script has run (it folds them at
    DOMContentLoaded), to the height they keep once it has: the page does not shrink under
    the reader. If that script never loads, every solution is shown open."""
    page_url = f"{site}/chapters/new_start.html"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    held = []
    page.route(
        "**/togglebutton.js*", lambda route: held.append(route)
    )  # answered only when the test says
    try:
        page.goto(page_url, wait_until="commit")
        page.wait_for_selector("footer", state="attached")  # the whole body is parsed
        page.wait_for_timeout(200)
        assert held, "the page did not request togglebutton.js"
        before = page.evaluate(SOLUTION_HEIGHTS)
        assert before, "new_start.html has no solutions"
        held[0].continue_()
        page.wait_for_load_state("load")
        page.wait_for_function(
            "() => document.querySelectorAll('div.solution.toggle-hidden').length > 0"
        )
        after = page.evaluate(SOLUTION_HEIGHTS)
        assert before == after, f"solutions' heights before the script {before}, after {after}"
        assert max(after) < 80, f"solutions are not folded: {after}"
    finally:
        context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.route("**/togglebutton.js*", lambda route: route.abort())
    try:
        page.goto(page_url, wait_until="load")
        page.wait_for_timeout(200)
        opened = page.evaluate(SOLUTION_HEIGHTS)
        assert min(opened) > 150, f"without the toggle script, solutions stay shut: {opened}"
    finally:
        context.close()


CODE_CELL_COLOURS = (
    """() => {"""
    + COLOR_HELPERS
    + """  const page = background(document.body);
  return [...document.querySelectorAll('div.cell_input div.highlight pre')]
    .filter(pre => pre.getClientRects().length)
    .map(pre => {
      const box = background(pre);
      const [x, y] = [lum(rgb(getComputedStyle(pre).color).c), lum(box)].sort((p, q) => q - p);
      return {pageDark: lum(page) < 0.2, boxDark: lum(box) < 0.2,
              ratio: (x + 0.05) / (y + 0.05)};
    });
}"""
)


def code_cells_at_first_paint(browser, url: str, scheme: str, javascript: bool) -> list:
    """The colours of a page's shown code cells as first painted: the theme's own script
    (which would set the colour scheme later) is held back while they are read."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme=scheme, java_script_enabled=javascript
    )
    page = context.new_page()
    held = []
    page.route("**/scripts/pydata-sphinx-theme.js*", lambda route: held.append(route))
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_selector("footer", state="attached")
        page.wait_for_timeout(200)
        assert held or not javascript, "the page did not request the theme's script"
        return page.evaluate(CODE_CELL_COLOURS)
    finally:
        for route in held:
            route.abort()
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_code_cells_are_in_the_pages_colour_scheme_from_the_first_paint(browser, site, scheme):
    """A reader whose system is in dark mode gets a dark page before the theme's deferred
    script has run, not a light page that turns dark; without JavaScript the page stays
    light and so do its code cells (myst-nb would follow the system). Code is readable
    (4.5:1) on its box either way."""
    for javascript in (True, False):
        cells = code_cells_at_first_paint(
            browser, f"{site}/chapters/reset.html", scheme, javascript
        )
        assert cells, "reset.html shows no code cell"
        expect_dark = scheme == "dark" and javascript
        how = f"{scheme} system, JavaScript {'on' if javascript else 'off'}"
        assert {cell["pageDark"] for cell in cells} == {expect_dark}, f"page, {how}"
        wrong = [cell for cell in cells if cell["boxDark"] != expect_dark]
        assert not wrong, f"{len(wrong)} of {len(cells)} code cells in the other scheme, {how}"
        unreadable = [round(cell["ratio"], 2) for cell in cells if cell["ratio"] < 4.5]
        assert not unreadable, f"code text contrast {unreadable}, {how}"
