"""Shared fixtures: the real book build, temporary copies of the book, and Chromium."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

from tests import ahead
from usrussia.print_edition import CHROMIUM_ARGS

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BUILD_FLAGS = ["-W", "-n", "--keep-going"]

# Within each of the two groups below: fast tests first (data, loader, helpers), then the
# builds, then the browser.
MODULE_ORDER = [
    "test_data",
    "test_loader",
    "test_charts",
    "test_extension",
    "test_stylesheets",
    "test_chapters_source",
    "test_build",
    "test_authoring",
    "test_reproducibility",
    "test_notebooks",
    "test_editions",
    "test_vega_runtime",
    "test_browser",
    "test_accessibility",
    "test_pdf",
]


def needs_the_book(item) -> bool:
    """Whether the test uses the real book's build (``built_book``, itself or through
    another fixture: pytest's ``fixturenames`` is the whole closure)."""
    return "built_book" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items):
    """The tests that do not need the real book's build run first, while it runs in the
    background (tests/ahead.py) on the other core: among them, the builds of small copies
    of the book. Then the tests that need it."""

    def rank(item):
        name = Path(str(item.fspath)).stem
        module = MODULE_ORDER.index(name) if name in MODULE_ORDER else len(MODULE_ORDER)
        return needs_the_book(item), module

    items.sort(key=rank)


# The test modules selected for this run, whose START_AFTER_BOOK_BUILD work the book's
# build starts (tests/ahead.py).
SELECTED_MODULES: list = []


def pytest_collection_finish(session):
    """Start the slow set-up of the selected tests in the background (tests/ahead.py):
    the real book's build first, then what the modules list."""
    if session.config.option.collectonly:
        return
    SELECTED_MODULES[:] = list(dict.fromkeys(item.module for item in session.items))
    if any("built_book" in getattr(item, "fixturenames", ()) for item in session.items):
        ahead.start("the book", build_real_book)
    ahead.start_listed(SELECTED_MODULES, "START_AT_COLLECTION")


@dataclass
class Build:
    root: Path
    returncode: int
    log: str

    @property
    def html(self) -> Path:
        return self.root / "_build" / "html"


def build_book(root: Path, *extra: str) -> Build:
    """Run the same build as `make book` on the book at ``root``."""
    result = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(root), *BUILD_FLAGS, *extra],
        cwd=root,
        capture_output=True,
        text=True,
    )
    log = result.stdout + result.stderr
    (root / "_build").mkdir(exist_ok=True)
    (root / "_build" / "last-build.log").write_text(log)
    return Build(root, result.returncode, log)


def build_real_book() -> Build:
    """The real book's build; once it has succeeded, the selected modules' work that
    needs its execution cache is started."""
    build = build_book(REPO)
    if build.returncode == 0:
        ahead.start_listed(SELECTED_MODULES, "START_AFTER_BOOK_BUILD")
    return build


def pytest_sessionfinish(session):
    """Drop background work that has not started (a run stopped early, by -x or a
    failure): no test will ask for it."""
    ahead.cancel_pending()


@pytest.fixture(scope="session")
def built_book() -> Build:
    """The real book, built once for the session (reusing the execution cache), started
    in the background when the tests were collected."""
    build = ahead.result("the book", build_real_book)
    assert build.returncode == 0, f"The book build failed:\n{build.log[-6000:]}"
    return build


COPY_IGNORE = shutil.ignore_patterns(
    ".venv", "_build", ".git", "tests", "benchmarks", "__pycache__", "*.egg-info", ".*cache"
)


# Pages every partial copy needs: chapters cite bibliography entries and link glossary
# terms, and the bibliography links the Data appendix.
REFERENCE_PAGES = ["glossary", "bibliography", "appendix/data"]


DOC_LINK = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`")


def linked_pages(destination: Path, pages: list[str]) -> list[str]:
    """Pages that ``pages`` link with {doc} but that are not among them (e.g. the primer
    named in a chapter's prerequisites), as paths from the book's root without suffix."""
    linked = set()
    for page in pages:
        source = destination / f"{page}.md"
        if not source.is_file():  # a page the test writes itself, after the copy
            continue
        for target in DOC_LINK.findall(source.read_text(encoding="utf-8")):
            resolved = (source.parent / target).resolve().relative_to(destination.resolve())
            linked.add(resolved.as_posix())
    return sorted(linked - set(pages))


def copy_book(destination: Path, chapters: list[str]) -> Path:
    """A copy of the book whose table of contents holds ``chapters`` and the reference pages;
    a page they link to is there too, as a one-line stand-in (its own links would pull in
    the whole book)."""
    shutil.copytree(REPO, destination, ignore=COPY_IGNORE)
    pages = [*chapters, *REFERENCE_PAGES]
    stand_ins = linked_pages(destination, pages)
    for page in stand_ins:
        (destination / f"{page}.md").write_text("# Left out of this partial copy\n")
    entries = "\n".join(f"  - file: {c}" for c in [*pages, *stand_ins])
    (destination / "_toc.yml").write_text(f"format: jb-book\nroot: index\nchapters:\n{entries}\n")
    # The real landing page links guides that a partial copy leaves out.
    (destination / "index.md").write_text(
        "# A partial copy of the book\n\n```{tableofcontents}\n```\n"
    )
    return destination


@pytest.fixture
def book_copy(tmp_path):
    return lambda chapters: copy_book(tmp_path / "book", chapters)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    from tests.browser_setup import HOW_TO_GET_ONE, find_chromium

    path = find_chromium()
    if not path:
        pytest.fail(HOW_TO_GET_ONE)
    return path


# --- The browser ---------------------------------------------------------------------

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHART_TIMEOUT_MS = 20_000


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(built_book):
    """The built site, served from 127.0.0.1 for the browser tests."""
    handler = functools.partial(QuietHandler, directory=str(built_book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser(chromium_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageVisit:
    """One page load, recording console errors, console warnings (Vega's among them:
    charts.js draws at Vega's warning level) and requests that left this machine."""

    def __init__(self, browser, url: str, color_scheme: str = "light"):
        self.context = browser.new_context(color_scheme=color_scheme)
        self.page = self.context.new_page()
        self.external: list[str] = []
        self.errors: list[str] = []
        self.warnings: list[str] = []
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
        elif message.type == "warning":
            self.warnings.append(message.text)

    def wait_for_charts(self) -> int:
        """Wait until every chart figure has drawn; return how many there are.

        Charts draw as they near the viewport; ``usrussiaCharts.drawAll`` (charts.js)
        draws the others too, as a reader scrolling through the page would."""
        count = self.page.locator("figure.usrussia-chart").count()
        if count:
            self.page.evaluate("() => window.usrussiaCharts && window.usrussiaCharts.drawAll()")
            self.page.wait_for_function(
                "() => [...document.querySelectorAll('figure.usrussia-chart')]"
                ".every(f => f.dataset.rendered)",
                timeout=CHART_TIMEOUT_MS,
            )
        return count

    def close(self):
        self.context.close()
