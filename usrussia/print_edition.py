"""The print edition: the one-page build of the book, printed to PDF by Chromium.

``make pdf`` builds the book with Sphinx's ``singlehtml`` builder, then this module opens
that page in headless Chromium (Debian's, or Playwright's own), waits until every chart
is drawn, replaces each chart by a high-resolution PNG of itself (so print readers get a
fixed image with its caption, and the PDF holds one image per chart), and prints to A4.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

# Headless Chromium as this project runs it everywhere (tests, benchmarks, print): no
# background traffic to other hosts, no sandbox (CI runs as root).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Pixels per CSS pixel for the chart images: about 290 dpi at the printed size.
CHART_SCALE = 3

FREEZE_CHARTS = """async (scale) => {
  const figures = [...document.querySelectorAll('figure.usrussia-chart')];
  for (const figure of figures) {
    const view = figure.usrussiaView && figure.usrussiaView.view;
    if (!view) throw new Error('chart not drawn: ' + figure.dataset.chartId);
    const url = await view.toImageURL('png', scale);
    const image = document.createElement('img');
    image.src = url;
    image.alt = figure.querySelector('.usrussia-chart-view').dataset.description || '';
    image.className = 'usrussia-chart-print';
    image.style.width = '100%';
    image.style.maxWidth = '17cm';
    const target = figure.querySelector('.usrussia-chart-view');
    target.replaceChildren(image);
  }
  // Each chapter starts a new page (not the first heading: that would leave page 1 blank).
  [...document.querySelectorAll('h1')].slice(1).forEach(h => { h.style.breakBefore = 'page'; });
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  return figures.length;
}"""

PRINT_CSS = """
  .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header, .header-article,
  .bd-footer, .prev-next-area, .cell_input, .admonition.dropdown .toggle-button {
    display: none !important;
  }
  .bd-main .bd-content .bd-article-container { max-width: 100% !important; }
  figure.usrussia-chart, figure { break-inside: avoid; }
"""


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if shutil.which(candidate):
            return candidate
    return None


def print_pdf(page: Path, output: Path, timeout_ms: int = 120_000, browser=None) -> int:
    """Print ``page`` (the singlehtml index) to ``output``; return the number of charts.

    ``browser``: a Playwright Chromium already running (the tests pass theirs); else one
    is started for the job.
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            try:
                return print_pdf(page, output, timeout_ms, own)
            finally:
                own.close()

    output.parent.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1100, "height": 1400})
    try:
        tab = context.new_page()
        tab.goto(page.resolve().as_uri(), wait_until="load")
        tab.wait_for_function(
            "() => [...document.querySelectorAll('figure.usrussia-chart')]"
            ".every(f => f.dataset.rendered)",
            timeout=timeout_ms,
        )
        charts = tab.evaluate(FREEZE_CHARTS, CHART_SCALE)
        tab.add_style_tag(content=PRINT_CSS)
        tab.emulate_media(media="print")
        tab.pdf(
            path=str(output),
            format="A4",
            print_background=False,
            margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=(
                "<div style='font-size:8px;width:100%;text-align:center'>"
                "<span class='pageNumber'></span></div>"
            ),
        )
    finally:
        context.close()
    return charts


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    count = print_pdf(source, target)
    print(f"Printed {target} with {count} charts.")
