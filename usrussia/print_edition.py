"""The print editions: the one-page build of the book, laid out as a book and printed to
PDF by Chromium.

``make pdf`` builds the book twice with Sphinx's ``singlehtml`` builder, the public edition
(solutions printed open, with their code) and the assignment edition
(``USRUSSIA_EDITION=student``: no solutions), and prints each with this module:

1. ``print_document`` rewrites the one-page HTML into ``print.html`` beside it: a title
   page, a contents, then one ``<section class="print-chapter">`` per entry of ``_toc.yml``
   (its title an ``<h1>``, its sections ``<h2>``), each chapter on its own CSS named page,
   so that it starts a new page and its title is the running header (``@page`` margin
   boxes, Chromium 131+); the page number is in the footer (``_static/print.css``).
2. ``print_pdf`` opens it in headless Chromium with print media, waits until every chart
   is drawn and replaces each by a JPEG of itself at ``CHART_SCALE`` pixels per CSS pixel
   (about 290 dpi as printed), then prints twice. Chromium cannot put page numbers in a
   contents (no ``target-counter``), so the first print is read back with pypdf: the
   page of each chapter and section is that of its named destination (Chromium writes
   one for each target of the contents' links), the numbers go into the contents and the
   page is printed again, tagged (an accessible PDF). The contents has the same layout
   with and without its numbers (fixed-width slots); the second print's pages are
   checked against the first's, not assumed. The bookmarks are then written by pypdf
   from the chapters' and sections' titles and those pages.

Why this way: one Chromium print gives chapter breaks, running headers and page numbers
natively, so no PDF is split, merged or stamped, and a running chapter title needs no
template (Chromium's header templates cannot know the chapter). Chromium's own outline
(``outline=True``) was tried: it is built from the tagged text of each heading, so words
broken across lines run together and some headings are left out; pypdf's outline from
the same destinations is exact. The cost is one extra, untagged print.
"""

from __future__ import annotations

import argparse
import io
import logging
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

BOOK_ROOT = Path(__file__).resolve().parent.parent

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
JPEG_QUALITY = 0.92
# A4 less the side margins of _static/print.css (18 mm each), in CSS pixels (96 per inch):
# charts are drawn at the width of the printed column.
PRINT_COLUMN_PX = round((210 - 2 * 18) / 25.4 * 96)
PRINT_PAGE = "print.html"

EDITION_LABELS = {
    "public": "With the solutions to the exercises",
    "student": "Assignment edition: the exercises without their solutions",
}

WAIT_AND_FREEZE_CHARTS = """async ([scale, timeoutMs, JPEG_QUALITY]) => {
  const figures = [...document.querySelectorAll('figure.usrussia-chart')];
  for (const figure of figures) {
    // Charts may be drawn only when they come near the viewport.
    figure.scrollIntoView();
    const start = performance.now();
    while (!figure.dataset.rendered) {
      if (performance.now() - start > timeoutMs) {
        throw new Error('chart not drawn: ' + figure.dataset.chartId);
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    const view = figure.usrussiaView && figure.usrussiaView.view;
    if (!view) throw new Error('chart not drawn: ' + figure.dataset.chartId);
    const holder = figure.querySelector('.usrussia-chart-view');
    const width = holder.getBoundingClientRect().width;
    const image = document.createElement('img');
    // JPEG on white: Chromium embeds a JPEG as it is, where it re-compresses a PNG (which
    // makes printing several times slower); at this resolution the two look the same.
    const drawn = await view.toCanvas(scale);
    const canvas = document.createElement('canvas');
    canvas.width = drawn.width;
    canvas.height = drawn.height;
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(drawn, 0, 0);
    image.src = canvas.toDataURL('image/jpeg', JPEG_QUALITY);
    image.alt = (holder && holder.dataset.description) || '';
    image.className = 'usrussia-chart-print';
    await image.decode();
    image.style.width = Math.min(width || image.naturalWidth / scale,
                                 image.naturalWidth / scale) + 'px';
    image.style.maxWidth = '100%';
    figure.replaceChildren(image);
  }
  window.scrollTo(0, 0);
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  return figures.length;
}"""

FILL_PAGE_NUMBERS = """(numbers) => {
  for (const [anchor, number] of Object.entries(numbers)) {
    const slot = document.querySelector(`[data-page-of="${anchor}"]`);
    if (!slot) throw new Error('no contents entry for ' + anchor);
    slot.textContent = String(number);
  }
}"""


@dataclass
class Chapter:
    """One chapter of the printed book: its title, anchor and sections (title, anchor)."""

    docname: str
    title: str
    anchor: str
    part: str | None
    sections: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PrintResult:
    """What ``print_pdf`` printed: pages, charts, and the page (1-based) of each anchor."""

    output: Path
    pages: int
    charts: int
    page_of: dict[str, int]
    chapters: list[Chapter]
    seconds: float


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if shutil.which(candidate):
            return candidate
    return None


def toc_parts(root: Path = BOOK_ROOT) -> dict[str, str]:
    """Docname → part caption, from ``_toc.yml`` (an empty dict for a book without parts)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return {
        entry["file"]: part.get("caption", "")
        for part in toc.get("parts", [])
        for entry in part.get("chapters", [])
        if "file" in entry
    }


def _text(tag) -> str:
    return re.sub(r"\s+", " ", tag.get_text(" ", strip=True)).strip()


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def print_document(index: Path, edition: str = "public", root: Path = BOOK_ROOT):
    """Write ``print.html`` beside ``index`` (a ``singlehtml`` build's page) and return
    ``(path, chapters)``.

    Raises ``ValueError`` when the page is not a one-page build of this book (no article,
    or no chapter anchors ``<span id="document-…">``).
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    anchors = soup.select('span[id^="document-"]')
    if article is None or not anchors:
        raise ValueError(f"{index}: not a one-page (singlehtml) build of the book")
    for link in soup.select("a.headerlink"):
        link.decompose()
    for extra in soup.select(".jb-print-docs-body, .onlyprint"):
        extra.decompose()
    # Folded code (hide-input cells) is printed too: a closed <details> draws nothing in
    # print, whatever the print stylesheet says.
    for folded in soup.select("details"):
        folded["open"] = ""

    parts = toc_parts(root)
    chapters: list[Chapter] = []
    chapter_sections = []
    for number, anchor in enumerate(anchors, start=1):
        docname = anchor["id"].removeprefix("document-")
        nodes = []
        sibling = anchor.next_sibling
        while sibling is not None and not (
            getattr(sibling, "name", None) == "span"
            and str(sibling.get("id", "")).startswith("document-")
        ):
            nodes.append(sibling)
            sibling = sibling.next_sibling
        wrapper = soup.new_tag("section", attrs={"class": "print-chapter"})
        wrapper["data-docname"] = docname
        wrapper["style"] = f"page: chapter-{number}"
        for node in nodes:
            wrapper.append(node.extract())
        anchor.decompose()
        headings = wrapper.find_all(re.compile(r"^h[1-6]$"))
        if not headings:
            raise ValueError(f"{index}: {docname} has no heading")
        base = int(headings[0].name[1])
        chapter = Chapter(docname, _text(headings[0]), f"print-{number}", parts.get(docname))
        for position, heading in enumerate(headings):
            level = 1 if position == 0 else max(2, int(heading.name[1]) - base + 1)
            heading.name = f"h{level}"
            if level == 1:
                heading["id"] = chapter.anchor
            elif level == 2:
                heading["id"] = f"{chapter.anchor}-{len(chapter.sections) + 1}"
                chapter.sections.append((_text(heading), heading["id"]))
        chapters.append(chapter)
        chapter_sections.append(wrapper)

    # What is left of the landing page is the title page; its list of chapters is
    # replaced by the contents below.
    emptied = []
    for wrapper in soup.select(".toctree-wrapper"):
        emptied.append(wrapper.find_parent("section"))
        wrapper.decompose()
    for section in emptied:
        heading = section.find(re.compile(r"^h[1-6]$")) if section else None
        if heading is not None and _text(section) == _text(heading):
            section.decompose()
    title_page = soup.new_tag("section", attrs={"class": "print-title-page"})
    for node in list(article.children):
        if getattr(node, "name", None) != "script":
            title_page.append(node.extract())
    edition_line = soup.new_tag("p", attrs={"class": "print-edition-name"})
    edition_line.string = EDITION_LABELS[edition]
    first_heading = title_page.find("h1")
    if first_heading is not None:
        first_heading.insert_after(edition_line)
    else:
        title_page.insert(0, edition_line)

    article.insert(0, title_page)
    title_page.insert_after(_contents(soup, chapters))
    previous = title_page.find_next_sibling()
    for wrapper in chapter_sections:
        previous.insert_after(wrapper)
        previous = wrapper

    style = soup.new_tag("style", attrs={"media": "print"})
    style.string = "\n".join(
        f"@page chapter-{number} {{ @top-right {{ content: {_css_string(c.title)};"
        " font-family: sans-serif; font-size: 8pt; color: #444; } }"
        for number, c in enumerate(chapters, start=1)
    )
    soup.head.append(style)
    output = index.with_name(PRINT_PAGE)
    output.write_text(str(soup), encoding="utf-8")
    return output, chapters


def _contents(soup, chapters: list[Chapter]):
    nav = soup.new_tag("nav", attrs={"class": "print-contents", "aria-label": "Contents"})
    heading = soup.new_tag("h1", attrs={"id": "print-contents"})
    heading.string = "Contents"
    nav.append(heading)
    top = soup.new_tag("ol")
    nav.append(top)
    part = None
    for chapter in chapters:
        if chapter.part and chapter.part != part:
            part = chapter.part
            caption = soup.new_tag("li", attrs={"class": "print-part"})
            caption.string = part
            top.append(caption)
        item = soup.new_tag("li", attrs={"class": "print-contents-chapter"})
        item.append(_contents_line(soup, chapter.title, chapter.anchor))
        if chapter.sections:
            inner = soup.new_tag("ol")
            for title, anchor in chapter.sections:
                entry = soup.new_tag("li")
                entry.append(_contents_line(soup, title, anchor))
                inner.append(entry)
            item.append(inner)
        top.append(item)
    return nav


def _contents_line(soup, title: str, anchor: str):
    line = soup.new_tag("span", attrs={"class": "print-contents-line"})
    link = soup.new_tag("a", attrs={"href": f"#{anchor}"})
    link.string = title
    leader = soup.new_tag("span", attrs={"class": "print-contents-leader"})
    number = soup.new_tag("span", attrs={"class": "print-page-number"})
    number["data-page-of"] = anchor
    # A placeholder as wide as a page number, so that filling it in moves nothing.
    number.string = "000"
    line.extend([link, leader, number])
    return line


def pages_of_anchors(reader, anchors: list[str]) -> dict[str, int]:
    """The 1-based page of each anchor, from the PDF's named destinations (Chromium writes
    one for every element that a link of the page points at, as the contents' links do).
    Raises ``ValueError`` naming the anchors that have none."""
    destinations = reader.named_destinations
    missing = [a for a in anchors if f"/{a}" not in destinations and a not in destinations]
    if missing:
        raise ValueError(f"no destination in the printed PDF for: {', '.join(missing)}")
    return {
        anchor: reader.get_destination_page_number(
            destinations.get(f"/{anchor}") or destinations[anchor]
        )
        + 1
        for anchor in anchors
    }


def contents_anchors(chapters: list[Chapter]) -> list[str]:
    """Every anchor that the contents lists: each chapter, then its sections."""
    return [a for c in chapters for a in [c.anchor, *(anchor for _, anchor in c.sections)]]


def with_outline(reader, chapters: list[Chapter], page_of: dict[str, int], title: str):
    """The printed PDF (bytes) with bookmarks: the contents, each chapter and its sections.

    Chromium's own outline (``page.pdf(outline=True)``) is built from the tagged text of
    each heading: words broken across lines run together and some headings are missing,
    so the outline is written here from the chapters' titles instead."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/Title": title})
    first_chapter = min(page_of.values())
    contents_page = next(
        (
            number
            for number, page in enumerate(reader.pages[:first_chapter], start=1)
            if "Contents" in (page.extract_text() or "").splitlines()
        ),
        None,
    )
    if contents_page is not None:
        writer.add_outline_item(title="Contents", page_number=contents_page - 1)
    for chapter in chapters:
        parent = writer.add_outline_item(
            title=chapter.title, page_number=page_of[chapter.anchor] - 1
        )
        for section_title, anchor in chapter.sections:
            writer.add_outline_item(
                title=section_title, page_number=page_of[anchor] - 1, parent=parent
            )
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_OPTIONS = {
    "prefer_css_page_size": True,
    "print_background": True,
    "display_header_footer": False,
}


def print_pdf(
    page: Path,
    output: Path,
    edition: str = "public",
    timeout_ms: int = 120_000,
    browser=None,
) -> PrintResult:
    """Print ``page`` (a ``singlehtml`` build's ``index.html``) as the printed book.

    ``browser``: a Playwright Chromium already running (the tests pass theirs); else one
    is started for the job. Raises ``RuntimeError`` if a chart is not drawn within
    ``timeout_ms`` or the contents' page numbers do not settle.
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            try:
                return print_pdf(page, output, edition, timeout_ms, own)
            finally:
                own.close()

    from pypdf import PdfReader

    started = time.monotonic()
    document, chapters = print_document(page, edition)
    output.parent.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": PRINT_COLUMN_PX, "height": 1000}, color_scheme="light"
    )
    try:
        tab = context.new_page()
        tab.emulate_media(media="print", color_scheme="light")
        tab.goto(document.resolve().as_uri(), wait_until="load")
        tab.set_default_timeout(timeout_ms)
        charts = tab.evaluate(WAIT_AND_FREEZE_CHARTS, [CHART_SCALE, timeout_ms, JPEG_QUALITY])
        anchors = contents_anchors(chapters)

        def printed(tagged: bool):
            reader = PdfReader(io.BytesIO(tab.pdf(**PDF_OPTIONS, tagged=tagged)))
            return reader, pages_of_anchors(reader, anchors)

        # The first print only finds the pages: untagged, which is faster.
        _, page_of = printed(tagged=False)
        for _attempt in range(2):
            tab.evaluate(FILL_PAGE_NUMBERS, page_of)
            reader, pages_now = printed(tagged=True)
            if pages_now == page_of:
                break
            page_of = pages_now
        else:
            raise RuntimeError("the contents' page numbers move with every print")
        title = tab.evaluate(
            "() => (document.querySelector('.print-title-page h1') || document).textContent"
        )
        output.write_bytes(with_outline(reader, chapters, page_of, title.strip()))
    finally:
        context.close()
    return PrintResult(
        output, len(reader.pages), charts, page_of, chapters, time.monotonic() - started
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="the singlehtml build's index.html")
    parser.add_argument("output", type=Path, help="the PDF to write")
    parser.add_argument("--edition", choices=sorted(EDITION_LABELS), default="public")
    args = parser.parse_args(argv)
    # pypdf warns that Chromium's cross-reference table is short of a few objects, which
    # it repairs; the PDF is whole (the tests read it back).
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    result = print_pdf(args.page, args.output, args.edition)
    print(
        f"Printed {result.output}: {result.pages} pages, {len(result.chapters)} chapters,"
        f" {result.charts} charts, in {result.seconds:.0f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
