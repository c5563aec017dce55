"""The print editions (`make pdf`): the public edition with every solution and its code,
and the assignment edition without solutions; bookmarks, contents with page numbers,
chapters on new pages, running headers, and no line of code, output or table cut."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from tests import ahead
from tests.conftest import BIN, BUILD_FLAGS, REPO, build_book
from usrussia.notebooks import chapter_sources
from usrussia.print_edition import PRINT_PAGE, print_pdf

PDF_DIR = REPO / "_build" / "pdf"
# The right edge of the printed column: A4 (595 pt) less the 18 mm margin of print.css.
RIGHT_EDGE_PT = 595.28 - 18 / 25.4 * 72
# The first 2 cm of each page's printed area (print.css: 20 mm top margin), in points.
TOP_OF_PAGE_PT = (57, 57)
SOLUTION = re.compile(r"````\{solution-start\}.*?````\n(.*?)````\{solution-end\}", re.S)
CODE_CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.S)


class Printed:
    """A printed edition: the PDF, its pages' text, and the page it was printed from."""

    def __init__(self, result, page: Path):
        self.result = result
        self.page = page
        self.reader = PdfReader(str(result.output))
        self.pages = pdf_text(result.output).split("\f")[: len(self.reader.pages)]
        self.inside = pdf_text(result.output, right_edge=RIGHT_EDGE_PT)
        self.tops = pdf_text(result.output, band=TOP_OF_PAGE_PT).split("\f")
        self.html = BeautifulSoup(page.with_name(PRINT_PAGE).read_text("utf-8"), "html.parser")

    @property
    def text(self) -> str:
        return squeeze("\n".join(self.pages))


def pdf_text(pdf: Path, right_edge: float | None = None, band: tuple | None = None) -> str:
    """The PDF's text by poppler's pdftotext in the order it was drawn (Chromium draws
    each page's running header and page number first), pages separated by form feeds; with
    ``right_edge`` (points), only the text left of that edge: what the reader can see;
    with ``band`` (top, height in points), only the text in that band of each page."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: `apt-get install poppler-utils` (.ci/run does)")
    crop = []
    if right_edge:
        crop = ["-x", "0", "-y", "0", "-W", str(int(right_edge)), "-H", "2000"]
    if band:
        crop = ["-x", "0", "-y", str(band[0]), "-W", "2000", "-H", str(band[1])]
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", *crop, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    # NFKC turns the typographic ligatures of the extracted text ("\ufb01") back into letters.
    return unicodedata.normalize("NFKC", result.stdout)


def squeeze(text: str) -> str:
    """Text without any whitespace: line wrapping, indentation and extraction spacing
    differ between the HTML and the PDF, the characters themselves must not. Symbols
    such as emoji are left out: the print font may have no glyph for them."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "So")


def print_public() -> tuple:
    """`make pdf`'s public edition: the one-page build and its PDF, printed by a Chromium
    of its own (as `make pdf` prints it). The build's log is returned if it fails."""
    build = build_book(REPO, "--builder", "singlehtml")
    if build.returncode:
        return build.log, None
    page = REPO / "_build" / "singlehtml" / "index.html"
    return page, print_pdf(page, PDF_DIR / "book.pdf")


def print_assignment() -> tuple:
    """`make pdf`'s assignment edition, as ``print_public`` does the public one."""
    # The student edition's web build (test_editions) writes the same environment
    # (_build/student/_build/.doctrees): one build at a time.
    ahead.wait_if_started("student edition")
    out = REPO / "_build" / "student"
    result = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(REPO), *BUILD_FLAGS, "--builder"]
        + ["singlehtml", "--path-output", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "USRUSSIA_EDITION": "student"},
    )
    if result.returncode:
        return (result.stdout + result.stderr)[-4000:], None
    page = out / "_build" / "singlehtml" / "index.html"
    return page, print_pdf(page, PDF_DIR / "book-assignment.pdf", "student")


# Started once the real book is built (tests/ahead.py): they reuse its executed notebooks.
START_AFTER_BOOK_BUILD = {
    "public print edition": print_public,
    "assignment print edition": print_assignment,
}


def printed(name: str) -> Printed:
    page, result = ahead.result(name, START_AFTER_BOOK_BUILD[name])
    assert result, f"{name}: the build failed:\n{page[-4000:]}"
    return Printed(result, page)


@pytest.fixture(scope="module")
def public(built_book) -> Printed:
    return printed("public print edition")


@pytest.fixture(scope="module")
def assignment(built_book) -> Printed:
    """The assignment edition, built as `make pdf` builds it."""
    return printed("assignment print edition")


def chapter_titles() -> list[str]:
    """The title of every notebook chapter in _toc.yml, from its source."""
    titles = []
    for source in chapter_sources():
        heading = re.search(r"^# (.+)$", source.read_text(encoding="utf-8"), re.M)
        titles.append(heading.group(1).strip())
    return titles


def solution_code() -> list[str]:
    """The code of every solution's code cells in the chapters, one string per solution."""
    solutions = []
    for source in chapter_sources():
        for block in SOLUTION.findall(source.read_text(encoding="utf-8")):
            code = "\n".join(CODE_CELL.findall(block))
            code = "\n".join(ln for ln in code.splitlines() if not ln.startswith(":"))
            solutions.append(code)
    return solutions


def outline(reader) -> list[tuple[str, int, int]]:
    """Top-level bookmarks as (title, 1-based page, number of child bookmarks)."""
    entries, items = [], list(reader.outline)
    for position, item in enumerate(items):
        if isinstance(item, list):
            continue
        children = items[position + 1] if position + 1 < len(items) else None
        children = len(children) if isinstance(children, list) else 0
        entries.append((item.title, reader.get_destination_page_number(item) + 1, children))
    return entries


def body_lines(page_text: str) -> list[str]:
    return [line.strip() for line in page_text.splitlines() if line.strip()]


def test_outline_has_every_chapter_and_its_sections(public):
    # Chapters are numbered ("8. New START …"): compare titles without the number.
    marks = {
        re.sub(r"^\d+\.\s+", "", title): (page, children)
        for title, page, children in outline(public.reader)
    }
    missing = [t for t in chapter_titles() if t not in marks]
    assert not missing, f"chapters without a bookmark: {missing}"
    assert len(public.reader.pages) >= 60, f"only {len(public.reader.pages)} pages"
    for title in chapter_titles():
        page, sections = marks[title]
        assert sections >= 4, f"{title}: {sections} section bookmarks"
        # The bookmark leads to the page where the chapter's title stands.
        top = [re.sub(r"^\d+\.?\s+", "", line) for line in body_lines(public.pages[page - 1])[:3]]
        assert title in top, (title, page)
    assert "Bibliography" in marks and "Contents" in marks


def test_chapters_start_on_a_new_page_with_running_headers(public):
    starts = sorted((page, title) for title, page, _ in outline(public.reader)[1:])
    assert len(starts) >= len(chapter_titles()), f"bookmarks: {starts}"
    ends = [page for page, _ in starts[1:]] + [len(public.pages) + 1]
    for (start, title), end in zip(starts, ends, strict=True):
        # Nothing of the previous chapter on the page: its title is at the top.
        assert squeeze(public.tops[start - 1]).startswith(squeeze(title)), (
            f"{title} does not open page {start}: {public.tops[start - 1][:80]!r}"
        )
        for number in range(start, end):
            header, footer = body_lines(public.pages[number - 1])[:2]
            assert header == title, f"page {number}: header {header!r}, not {title!r}"
            assert footer == str(number), f"page {number}: page number {footer!r}"


def test_contents_gives_each_chapter_its_page(public):
    contents = "\n".join(public.pages[1:6])
    assert len(outline(public.reader)) > len(chapter_titles())
    for title, page, _ in outline(public.reader)[1:]:
        listed = re.search(rf"^{re.escape(title)} (\d+)$", contents, re.M)
        assert listed, f"{title} has no page number in the contents"
        assert int(listed.group(1)) == page, f"{title}: listed p. {listed.group(1)}, is {page}"


def test_every_solution_is_printed_with_its_code(public):
    solutions = solution_code()
    assert len(solutions) >= 20
    missing = [code for code in solutions if squeeze(code) not in public.text]
    assert not missing, f"{len(missing)} solutions printed without their code:\n{missing[0]}"


def code_and_tables(html: BeautifulSoup) -> list[str]:
    """Every line of every code block (inputs and outputs) and every table cell's text."""
    texts = []
    for block in html.select("article pre"):
        texts += [ln for ln in block.get_text().splitlines() if ln.strip()]
    for cell in html.select("article table td, article table th"):
        texts.append(cell.get_text(" ", strip=True))
    return [t for t in texts if squeeze(t)]


def lines_cut(inside: str, html: BeautifulSoup) -> list[str]:
    """Lines of code, output or table cells whose text is not all in ``inside``, the text
    inside the printed column."""
    inside = squeeze(inside)
    return [t for t in code_and_tables(html) if squeeze(t) not in inside]


def test_no_line_of_code_output_or_table_is_cut(public):
    texts = code_and_tables(public.html)
    assert len(texts) >= 300, f"only {len(texts)} code lines and table cells found"
    cut = lines_cut(public.inside, public.html)
    assert not cut, f"{len(cut)} lines cut at the page edge, e.g. {cut[:3]}"


def test_a_cut_line_would_be_found(browser, tmp_path):
    """The check above fails for a page whose code does not wrap."""
    long_line = "x = " + " + ".join(f"value_{n}" for n in range(40))
    html = (
        "<html><body><article><pre style='white-space: pre; overflow: hidden'>"
        f"{long_line}</pre><pre>short_line = 1</pre></article></body></html>"
    )
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.set_content(html)
        tab.pdf(path=str(tmp_path / "cut.pdf"), format="A4", margin={"left": "18mm"})
    finally:
        context.close()
    inside = pdf_text(tmp_path / "cut.pdf", right_edge=RIGHT_EDGE_PT)
    assert lines_cut(inside, BeautifulSoup(html, "html.parser")) == [long_line]


def image_count(page) -> int:
    """Image objects drawn on a page (counted, not decoded: decoding all takes minutes)."""
    objects = page.get("/Resources", {}).get("/XObject", {})
    return sum(1 for ref in objects.values() if ref.get_object().get("/Subtype") == "/Image")


def test_every_chart_is_an_image_in_the_pdf(public):
    charts_in_page = public.result.charts
    assert charts_in_page >= 20
    images = sum(image_count(page) for page in public.reader.pages)
    assert images >= charts_in_page, f"{images} images for {charts_in_page} charts"
    # No chart printed as its Python representation instead of a picture.
    assert "alt.Chart(...)" not in public.text and "<Chart:" not in public.text
    assert public.text.count("Fig.") >= len(chapter_titles()) * 2, "figure captions missing"


def test_the_print_editions_charts_are_drawn_from_their_compiled_specs(public, browser, built_book):
    """The one-page edition keeps each chart's spec inline, packed as the site's are; the
    charts.js it loads reads every one back to the spec render.py compiled."""
    from tests.test_build import compiled_spec
    from tests.test_spec_pack import strictly_equal
    from usrussia import spec_pack

    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(public.page.as_uri(), wait_until="load")
        figures = page.evaluate(
            """() => Promise.all([...document.querySelectorAll('figure.usrussia-chart')]
                .map(async (f) => [f.dataset.chartId, await window.usrussiaCharts.specFor(f)]))"""
        )
    finally:
        context.close()
    assert len(figures) >= 20, "the print edition's charts were not found"
    problems = []
    for chart_id, spec in figures:
        compiled = compiled_spec(built_book, chart_id)
        expected = {k: v for k, v in compiled.items() if k not in spec_pack.NOT_READ_BY_RUNTIME}
        problems += [f"{chart_id}: {d}" for d in strictly_equal(spec, expected)]
    assert not problems, "\n".join(problems[:20])


def test_assignment_edition_has_the_exercises_and_no_solution(assignment, public):
    assert [t for t, _, _ in outline(assignment.reader)] == [
        t for t, _, _ in outline(public.reader)
    ]
    assert "Solutionto" not in assignment.text
    exercises = len(re.findall(r"Exercise\d+", assignment.text))
    assert exercises >= len(solution_code()), f"only {exercises} exercises printed"
    leaked = [code for code in solution_code() if squeeze(code) in assignment.text]
    assert not leaked, f"{len(leaked)} solutions in the assignment edition:\n{leaked[0]}"
    assert "Assignmentedition" in assignment.text
    assert len(assignment.reader.pages) < len(public.reader.pages)
