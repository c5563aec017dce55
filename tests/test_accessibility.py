"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on every built page, in light and dark mode, and
text alternatives on every chart. axe-core comes from the npm registry (tests/a11y)."""

from __future__ import annotations

import html as html_module
import re

import pytest

from tests.conftest import REPO, PageVisit
from tests.test_browser import PAGES

AXE = REPO / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}) x${v.nodes.length}: ` +
               v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | '));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make test` installs it with npm (tests/a11y).")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_name", PAGES)
def test_no_serious_accessibility_violations(browser, site, axe_source, page_name, scheme):
    visit = PageVisit(browser, f"{site}/{page_name}.html", color_scheme=scheme)
    try:
        visit.wait_for_charts()
        visit.page.add_script_tag(content=axe_source)
        violations = visit.page.evaluate(RUN_AXE, WCAG_TAGS)
        assert not violations, f"{page_name}.html ({scheme}):\n" + "\n".join(violations)
    finally:
        visit.close()


FILE_NAME = re.compile(r"\.(svg|png|jpe?g)$|^[0-9a-f]{16,}")


@pytest.mark.parametrize("page_name", PAGES)
def test_every_chart_has_a_meaningful_text_alternative(browser, site, built_book, page_name):
    html = (built_book.html / f"{page_name}.html").read_text(encoding="utf-8")
    figures = html.count('<figure class="usrussia-chart"')
    statics = [tag for tag in re.findall(r"<img\b[^>]*>", html) if "usrussia-chart-static" in tag]
    assert len(statics) == figures, f"{page_name}: {figures} charts, {len(statics)} static images"
    for tag in statics:
        alt = html_module.unescape(re.search(r'\balt="([^"]*)"', tag).group(1))
        assert len(alt) > 15 and not FILE_NAME.search(alt), f"weak static alt text: {alt!r}"
    if not figures:
        return
    visit = PageVisit(browser, f"{site}/{page_name}.html")
    try:
        visit.wait_for_charts()
        # vega-embed puts the chart's description on its wrapper, role graphics-document.
        labels = visit.page.evaluate(
            "() => [...document.querySelectorAll('.usrussia-chart-view [role=graphics-document]')]"
            ".map(node => node.getAttribute('aria-label') || '')"
        )
        assert labels, f"{page_name}: no drawn chart found"
        weak = [label for label in labels if len(label) < 15 or FILE_NAME.search(label)]
        assert not weak, f"{page_name}: charts without a real description: {weak}"
    finally:
        visit.close()


@pytest.mark.parametrize("page_name", PAGES)
def test_headings_do_not_skip_levels_and_images_have_alt_text(built_book, page_name):
    html = (built_book.html / f"{page_name}.html").read_text(encoding="utf-8")
    article = html.split('<article class="bd-article">')[-1].split("</article>")[0]
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", article)]
    assert levels and levels[0] == 1, f"{page_name}: the page does not start with one h1"
    skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert not skips, f"{page_name}: heading levels skip: {skips}"
    for image in re.findall(r"<img\b[^>]*>", article):
        alt = re.search(r'\balt="([^"]*)"', image)
        assert alt and alt.group(1).strip(), f"{page_name}: image without alt text: {image}"
