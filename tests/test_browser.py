"""The built site in a real headless Chromium, with every request off this machine blocked.

Each page is loaded over HTTP from a server on 127.0.0.1; a request to any other host is
aborted and counted, so a page that needs the internet fails here as it would offline.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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
