"""The print edition (`make pdf`): one PDF with every chapter, every chart as an image."""

from __future__ import annotations

import re
import unicodedata

import pytest
from pypdf import PdfReader

from tests.conftest import REPO, build_book
from tests.test_build import notebook_files
from usrussia.print_edition import print_pdf


@pytest.fixture(scope="module")
def pdf(built_book, browser):
    build = build_book(REPO, "--builder", "singlehtml")
    assert build.returncode == 0, build.log[-4000:]
    page = REPO / "_build" / "singlehtml" / "index.html"
    charts_in_page = page.read_text(encoding="utf-8").count('<figure class="usrussia-chart"')
    output = REPO / "_build" / "pdf" / "book.pdf"
    charts_printed = print_pdf(page, output, browser=browser)
    reader = PdfReader(str(output))
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    # NFKC turns the typographic ligatures of the extracted text ("ﬁ") back into letters.
    text = unicodedata.normalize("NFKC", text)
    return reader, re.sub(r"\s+", " ", text), charts_in_page, charts_printed


def chapter_titles() -> list[str]:
    titles = []
    for name in notebook_files():
        if name.startswith("chapters/"):
            heading = re.search(r"^# (.+)$", (REPO / f"{name}.md").read_text(), re.M)
            titles.append(heading.group(1).strip())
    return titles


def test_pdf_has_every_chapter(pdf):
    reader, text, _, _ = pdf
    assert len(reader.pages) >= 60, f"only {len(reader.pages)} pages"
    missing = [t for t in chapter_titles() if t not in text]
    assert not missing, f"chapter titles missing from the PDF: {missing}"
    assert "Bibliography" in text


def test_every_chart_is_an_image_in_the_pdf(pdf):
    reader, text, charts_in_page, charts_printed = pdf
    assert charts_in_page >= 20 and charts_printed == charts_in_page
    images = sum(len(page.images) for page in reader.pages)
    assert images >= charts_in_page, f"{images} images for {charts_in_page} charts"
    assert "alt.Chart(" not in text and "<Chart:" not in text
    assert text.count("Fig.") >= len(chapter_titles()) * 2, "figure captions missing"
