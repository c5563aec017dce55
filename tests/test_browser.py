"""The built site in a real headless Chromium, with every request off this machine blocked.

Each page is loaded over HTTP from a server on 127.0.0.1; a request to any other host is
aborted and counted, so a page that needs the internet fails here as it would offline.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

from tests.test_build import toc_files

# Chromium as the environment notes advise: no background traffic, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHART_TIMEOUT_MS = 20_000


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built_book):
    handler = functools.partial(QuietHandler, directory=str(built_book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(chromium_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageVisit:
    """One page load, recording console errors and requests that left this machine."""

    def __init__(self, browser, url: str, color_scheme: str = "light"):
        self.context = browser.new_context(color_scheme=color_scheme)
        self.page = self.context.new_page()
        self.external: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.goto(url, wait_until="load")

    def _route(self, route):
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:", "file:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.errors.append(message.text)

    def wait_for_charts(self) -> int:
        """Wait until every chart figure has drawn; return how many there are."""
        count = self.page.locator("figure.usrussia-chart").count()
        if count:
            self.page.wait_for_function(
                "() => [...document.querySelectorAll('figure.usrussia-chart')]"
                ".every(f => f.dataset.rendered)",
                timeout=CHART_TIMEOUT_MS,
            )
        return count

    def close(self):
        self.context.close()


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
    visit = PageVisit(browser, f"{site}/{page_name}.html")
    try:
        visit.wait_for_charts()
        problems = chart_problems(visit.page)
        assert not problems, f"{page_name}.html: " + "; ".join(problems)
        assert not visit.external, f"{page_name}.html requested other hosts: {visit.external}"
        assert not visit.errors, f"{page_name}.html console errors: {visit.errors}"
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
