"""Chapter pages side by side: this book against a peer built with Altair's own output.

    .venv/bin/python -m benchmarks.pages OURS_HTML PEER_HTML NPM_DIR [--runs N]

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

Each page is loaded ``--runs`` times (default 5) in each book, the two books alternating,
and each time is the median of the runs, with the slowest run beside it: one load on a
shared machine can be delayed by anything else running. For this book the table also
gives the time the first chart was painted, as Chromium's Element Timing API reports it
for the chart's static drawing (``renderTime``), which counts the frames Chromium defers
while the page is still loading; the peer draws its charts into a ``<canvas>`` or inline
SVG, which that API does not report, so it has no such column.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
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
# The paint time of each static drawing (this book only): Element Timing reports images
# that carry an `elementtiming` attribute, set here as each is parsed.
PAINTED = """(() => { window.benchPainted = null;
  new PerformanceObserver(l => l.getEntries().forEach(e => {
    if (window.benchPainted === null && e.identifier === 'first-chart') {
      window.benchPainted = e.renderTime || e.loadTime; }
  })).observe({type: 'element', buffered: true});
  new MutationObserver(changes => changes.forEach(c => c.addedNodes.forEach(n => {
    if (n.nodeType === 1 && n.matches('figure.usrussia-chart img.usrussia-chart-static')
        && !document.querySelector('[elementtiming="first-chart"]')) {
      n.setAttribute('elementtiming', 'first-chart'); }
  }))).observe(document, {subtree: true, childList: true}); })()"""
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
    if not peer:
        context.add_init_script(PAINTED)
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
    if not peer:
        page.wait_for_function("() => window.benchPainted !== null", timeout=120_000)
    timing = page.evaluate("window.bench")
    painted = page.evaluate("window.benchPainted || null")
    own = [n for u, n in sizes.items() if "/_static/" not in u or "/_static/usrussia/" in u]
    shift = page.evaluate("window.benchShift")
    context.close()
    return {
        "own": sum(n for n, _ in own),
        "own_gzip": sum(g for _, g in own),
        "first": timing["first"] / 1000,
        "painted": painted / 1000 if painted is not None else None,
        "interactive": timing["all"] / 1000,
        "shift": shift,
    }


def median_of(runs: list[dict]) -> dict:
    """Each measure's median over ``runs``, and its largest value (``max_<measure>``)."""
    result = {}
    for key in runs[0]:
        values = [run[key] for run in runs if run[key] is not None]
        result[key] = statistics.median(values) if values else None
        result[f"max_{key}"] = max(values) if values else None
    return result


def seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("ours", type=Path)
    parser.add_argument("peer", type=Path)
    parser.add_argument("npm", type=Path)
    parser.add_argument("--runs", type=int, default=5, help="loads of each page (default 5)")
    args = parser.parse_args()
    ours, peer, npm = args.ours, args.peer, args.npm
    servers = [serve(ours), serve(peer)]
    # The chapters with charts (a chapter without one has no chart to time).
    pages = [
        f"chapters/{p.stem}"
        for p in chapter_sources()
        if "usrussia-chart" in (ours / "chapters" / f"{p.stem}.html").read_text(encoding="utf-8")
    ]
    print(
        f"Times: the median of {args.runs} loads, then the slowest (max).\n\n"
        "| Page | CPU | Own bytes (peer) | Own bytes gzipped (peer) | First chart visible (peer) "
        "| First chart painted (Element Timing) "
        "| All charts interactive (peer) | Layout shift (peer) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS
        )
        for rate in (1, 4):
            for name in pages:
                runs_a, runs_b = [], []
                for _ in range(args.runs):
                    url_a, url_b = f"{servers[0][1]}/{name}.html", f"{servers[1][1]}/{name}.html"
                    runs_a.append(measure_page(browser, url_a, rate, False, None))
                    runs_b.append(measure_page(browser, url_b, rate, True, npm))
                a, b = median_of(runs_a), median_of(runs_b)
                print(
                    f"| {name} | {rate}x | {a['own'] / 1e6:.2f} MB ({b['own'] / 1e6:.2f} MB, "
                    f"{a['own'] / b['own']:.2f}x) | {a['own_gzip'] / 1e6:.2f} MB "
                    f"({b['own_gzip'] / 1e6:.2f} MB, {a['own_gzip'] / b['own_gzip']:.2f}x) "
                    f"| {a['first']:.2f} s, max {a['max_first']:.2f} ({b['first']:.2f} s, "
                    f"max {b['max_first']:.2f}; {a['first'] / b['first']:.2f}x) "
                    f"| {seconds(a['painted'])}, max {seconds(a['max_painted'])} "
                    f"| {a['interactive']:.2f} s ({b['interactive']:.2f} s, "
                    f"{a['interactive'] / b['interactive']:.2f}x) "
                    f"| {a['max_shift']:.3f} ({b['max_shift']:.3f}) |",
                    flush=True,
                )
        browser.close()
    for server, _ in servers:
        server.shutdown()


if __name__ == "__main__":
    main()
