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
and to every chart interactive, timed in the page from navigation start, and the layout
shift of the article. Bytes are counted as the browser receives them from this
uncompressed server, and as a host that gzips text (GitHub Pages) would send them.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import sys
import threading
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
# Timed inside the page, from navigation start (performance.now()), by a check run at every
# animation frame, the same for both books: the first chart is scrolled into view as soon
# as it exists, and "visible" is the first frame in which its drawing is there to paint (our
# static SVG loaded, or the peer's vega-embed SVG or canvas). Until 2026-11-30 these times
# were taken in Python around Playwright calls, which added the driver's round trips
# (navigation request, polling) to every figure.
TIMING = """(peer) => { window.bench = {first: null, all: null};
  const FIRST = peer ? 'div[id^="altair-viz"]' : 'figure.usrussia-chart';
  let scrolled = false;
  const drawn = (chart) => peer ? !!chart.querySelector('svg, canvas') : (() => {
    const img = chart.querySelector('img'); return !!img && img.complete && img.naturalWidth > 0;
  })();
  const allInteractive = () => {
    const charts = [...document.querySelectorAll(FIRST)];
    return charts.length > 0 && charts.every(c => peer ? !!c.querySelector('svg, canvas')
      : c.dataset.rendered === 'true');
  };
  const frame = (now) => {
    const first = document.querySelector(FIRST);
    if (first && !scrolled) { first.scrollIntoView(); scrolled = true; }
    if (first && window.bench.first === null && drawn(first)) window.bench.first = now;
    if (window.bench.all === null && allInteractive()) window.bench.all = now;
    if (window.bench.first === null || window.bench.all === null) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  if (!peer) addEventListener('load', () => window.usrussiaCharts.drawAll());
}"""
COMPRESSED = ("text/", "javascript", "json", "svg", "xml")
CDN = {"vega-embed@": "vega-embed", "vega-lite@": "vega-lite", "vega@": "vega"}


def serve(html_dir: Path):
    handler = functools.partial(QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def measure_page(browser, url: str, rate: int, peer: bool, npm: Path | None) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(SHIFTS)
    context.add_init_script(f"({TIMING})({str(peer).lower()})")
    page = context.new_page()
    if peer:

        def from_npm(route):
            for marker, package in CDN.items():
                if marker in route.request.url:
                    build = npm / package / "package" / "build" / f"{package}.min.js"
                    return route.fulfill(path=str(build), content_type="text/javascript")
            return route.abort()

        page.route("https://cdn.jsdelivr.net/**", from_npm)
    sizes: dict[str, tuple[int, int]] = {}

    def record(response):
        try:
            body = response.body()
        except Exception:
            body = b""
        kind = response.headers.get("content-type", "")
        # What a host that compresses text (GitHub Pages: gzip) sends for it.
        sent = len(gzip.compress(body)) if any(t in kind for t in COMPRESSED) else len(body)
        sizes[response.url] = (len(body), sent)

    page.on("response", record)
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "() => window.bench.first !== null && window.bench.all !== null", timeout=120_000
    )
    page.wait_for_timeout(300)
    timing = page.evaluate("window.bench")
    own = [n for u, n in sizes.items() if "/_static/" not in u or "/_static/usrussia/" in u]
    shift = page.evaluate("window.benchShift")
    context.close()
    return {
        "own": sum(n for n, _ in own),
        "own_gzip": sum(g for _, g in own),
        "first": timing["first"] / 1000,
        "interactive": timing["all"] / 1000,
        "shift": shift,
    }


def main() -> None:
    ours, peer, npm = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    servers = [serve(ours), serve(peer)]
    # The chapters with charts (a chapter without one has no chart to time).
    pages = [
        f"chapters/{p.stem}"
        for p in chapter_sources()
        if "usrussia-chart" in (ours / "chapters" / f"{p.stem}.html").read_text(encoding="utf-8")
    ]
    print(
        "| Page | CPU | Own bytes (peer) | Own bytes gzipped (peer) | First chart visible (peer) "
        "| All charts interactive (peer) | Layout shift (peer) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
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
                    f"{a['own'] / b['own']:.2f}x) | {a['own_gzip'] / 1e6:.2f} MB "
                    f"({b['own_gzip'] / 1e6:.2f} MB, {a['own_gzip'] / b['own_gzip']:.2f}x) "
                    f"| {a['first']:.2f} s ({b['first']:.2f} s, "
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
