"""One source, three builds: public (solutions folded), student (no solutions) and
instructor (solutions open, instructor notes). Each must hold exactly what it should."""

from __future__ import annotations

import functools
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests import ahead
from tests.conftest import BIN, BUILD_FLAGS, REPO
from usrussia.notebooks import chapter_sources

SOLUTION = re.compile(r"````\{solution-start\}.*?````\n(.*?)````\{solution-end\}", re.S)
NOTES_DIR = REPO / "instructor_notes"


def solution_lines() -> list[str]:
    """Distinctive code lines from every solution in the chapters."""
    lines = []
    for source in chapter_sources():
        for block in SOLUTION.findall(source.read_text(encoding="utf-8")):
            code = [
                ln.strip()
                for ln in block.splitlines()
                if len(ln.strip()) > 25 and not ln.startswith(("```", ":"))
            ]
            lines += sorted(code, key=len)[-1:]
    return lines


def note_sentences() -> list[str]:
    """A distinctive phrase from each chapter's instructor notes: a run of plain words,
    so that Markdown markup and Sphinx's typographic quotes do not get in the way."""
    phrases = []
    for notes in sorted(NOTES_DIR.glob("*.md")):
        runs = re.findall(r"[A-Za-z][A-Za-z ,]{50,}", notes.read_text())
        phrases += [r.strip() for r in runs if "rubric" not in r][:1]
    return phrases


def all_text(html_dir: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="ignore")
        for p in html_dir.rglob("*")
        if p.is_file() and p.suffix in {".html", ".js", ".txt", ".md", ".ipynb"}
    )


def plain(text: str) -> str:
    """HTML text with tags and entities stripped, to search for source lines in it."""
    text = re.sub(r"<[^>]+>", "", text)
    for entity, char in (
        ("&quot;", '"'),
        ("&#39;", "'"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
    ):
        text = text.replace(entity, char)
    return text


def build_edition(edition: str) -> subprocess.CompletedProcess:
    """`make book-<edition>`: the edition built into _build/<edition>/_build/html."""
    return subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(REPO), *BUILD_FLAGS]
        + ["--path-output", str(REPO / "_build" / edition)],
        capture_output=True,
        text=True,
        env=dict(os.environ, USRUSSIA_EDITION=edition),
    )


# Started once the real book is built (tests/ahead.py): they reuse its executed notebooks.
START_AFTER_BOOK_BUILD = {
    f"{edition} edition": functools.partial(build_edition, edition)
    for edition in ("student", "instructor")
}


def built_edition(edition: str) -> Path:
    """The edition's site folder, built in the background once the real book was
    (``START_AFTER_BOOK_BUILD``), or now if it was not started; a failed build fails the
    test that asked, with the end of the build's output and errors."""
    name = f"{edition} edition"
    result = ahead.result(name, START_AFTER_BOOK_BUILD[name])
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"{edition} edition failed:\n{log[-4000:]}"
    return REPO / "_build" / edition / "_build" / "html"


@pytest.fixture(scope="module")
def editions(built_book):
    return {
        edition: plain(all_text(built_edition(edition))) for edition in ("student", "instructor")
    }


def test_there_are_solutions_and_notes_to_check():
    assert len(solution_lines()) >= 3, "the chapters should have solutions"
    assert note_sentences(), "instructor_notes/ should hold the chapters' notes"


def test_student_edition_has_no_solution_and_no_instructor_note(editions):
    text = editions["student"]
    leaked = [line for line in solution_lines() if line in text]
    assert not leaked, f"solution code in the assignment edition: {leaked[:3]}"
    assert "Solution to" not in text
    assert not [s for s in note_sentences() if s in text]
    assert "Exercise" in text


def test_instructor_edition_shows_solutions_open_and_notes(editions):
    text = editions["instructor"]
    missing = [line for line in solution_lines() if line not in text]
    assert not missing, f"solutions missing from the instructor edition: {missing[:3]}"
    missing_notes = [s for s in note_sentences() if plain(s) not in text]
    assert not missing_notes, f"instructor notes missing: {missing_notes[:2]}"
    html = (REPO / "_build/instructor/_build/html/chapters").glob("*.html")
    assert not any('class="solution dropdown' in p.read_text() for p in html)


def test_public_book_folds_solutions_and_leaves_out_instructor_notes(built_book):
    text = plain(all_text(built_book.html))
    assert not [s for s in note_sentences() if plain(s) in text], "instructor note leaked"
    pages = [p.read_text() for p in (built_book.html / "chapters").glob("*.html")]
    assert any("solution dropdown" in page for page in pages), "solutions are not folded"
