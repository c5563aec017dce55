"""Chapter pages side by side: this book against a peer built with Altair's own output.

    .venv/bin/python -m benchmarks.pages OURS_HTML PEER_HTML NPM_DIR

The peer is the same book built with ``USRUSSIA_RENDERER=html`` (Altair's "html"
renderer, which loads vega, vega-lite and vega-embed from cdn.jsdelivr.net). For a fair,
offline comparison its CDN requests are answered from local copies of those npm packages
(``NPM_DIR/vega``, ``NPM_DIR/vega-lite``, ``NPM_DIR/vega-embed``, each an unpacked
``npm pack``). Measured in headless Chromium at 1280x900, unthrottled and with the CPU
throttled 4x (CDP Emulation.setCPUThrottlingRate): the page's own bytes (everything but
the theme's shared _static assets) once every chart is interactive, the time from
navigation to the first chart visible (the page is scrolled to it as soon as it exists)
and to every chart interactive, and the layout shift of the article.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser_setup import find_chromium
from tests.conftest import QuietHandler
from usrussia.notebooks import chapter_sources
from usrussia.print_edition import CHROMIUM_ARGS

SHIFTS = """(() => { window.benchShift = 0;
  new PerformanceObserver(l => l.getEntries().forEach(e => {
    const inArticle = e.sources.some(s => { const n = s.node && (s.node.nodeType === 1 ?
      s.node : s.node.parentElement); return n && n.closest('.bd-article'); });
    if (!e.hadRecentInput && inArticle) window.benchShift += e.value;
  })).observe({type: 'layout-shift', buffered: true}); })()"""
OURS_FIRST = """() => { const i = document.querySelector('figure.usrussia-chart img');
  return i && i.complete && i.naturalWidth > 0; }"""
PEER_FIRST = "() => !!document.querySelector('.vega-embed svg, .vega-embed canvas')"
PEER_ALL = """() => { const all = document.querySelectorAll('div[id^="altair-viz"]');
  return all.length > 0 && [...all].every(d => d.querySelector('svg, canvas')); }"""
CDN = {"vega-embed@": "vega-embed", "vega-lite@": "vega-lite", "vega@": "vega"}


def serve(html_dir: Path):
    handler = functools.partial(QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def measure_page(browser, url: str, rate: int, peer: bool, npm: Path | None) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(SHIFTS)
    page = context.new_page()
    if peer:

        def from_npm(route):
            for marker, package in CDN.items():
                if marker in route.request.url:
                    build = npm / package / "package" / "build" / f"{package}.min.js"
                    return route.fulfill(path=str(build), content_type="text/javascript")
            return route.abort()

        page.route("https://cdn.jsdelivr.net/**", from_npm)
    sizes: dict[str, int] = {}

    def record(response):
        try:
            sizes[response.url] = len(response.body())
        except Exception:
            sizes[response.url] = 0

    page.on("response", record)
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    # The reader goes straight to the first chart (it is below the first screen).
    first_chart = page.wait_for_selector(
        'div[id^="altair-viz"]' if peer else "figure.usrussia-chart", state="attached"
    )
    first_chart.scroll_into_view_if_needed()
    page.wait_for_function(PEER_FIRST if peer else OURS_FIRST, timeout=120_000)
    first = time.perf_counter() - start
    if peer:
        page.wait_for_function(PEER_ALL, timeout=120_000)
    else:
        page.wait_for_load_state("load")
        page.evaluate("() => window.usrussiaCharts.drawAll()")
    interactive = time.perf_counter() - start
    page.wait_for_timeout(300)
    own = sum(n for u, n in sizes.items() if "/_static/" not in u or "/_static/usrussia/" in u)
    shift = page.evaluate("window.benchShift")
    context.close()
    return {"own": own, "first": first, "interactive": interactive, "shift": shift}


def main() -> None:
    ours, peer, npm = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    servers = [serve(ours), serve(peer)]
    pages = [f"chapters/{p.stem}" for p in chapter_sources()]
    print(
        "| Page | CPU | Own bytes (peer) | First chart visible (peer) "
        "| All charts interactive (peer) | Layout shift (peer) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS
        )
        for rate in (1, 4):
            for name in pages:
                a = measure_page(browser, f"{servers[0][1]}/{name}.html", rate, False, None)
                b = measure_page(browser, f"{servers[1][1]}/{name}.html", rate, True, npm)
                print(
                    f"| {name} | {rate}x | {a['own'] / 1e6:.2f} MB ({b['own'] / 1e6:.2f} MB, "
                    f"{a['own'] / b['own']:.2f}x) | {a['first']:.2f} s ({b['first']:.2f} s, "
                    f"{a['first'] / b['first']:.2f}x) | {a['interactive']:.2f} s "
                    f"({b['interactive']:.2f} s, {a['interactive'] / b['interactive']:.2f}x) "
                    f"| {a['shift']:.3f} ({b['shift']:.3f}) |",
                    flush=True,
                )
        browser.close()
    for server, _ in servers:
        server.shutdown()


if __name__ == "__main__":
    main()
