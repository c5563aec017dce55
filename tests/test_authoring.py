"""What an author meets: a new chapter in one command, data errors read once, cell errors
located in the .md file, and a quiet build. Every build here runs on a temporary copy."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, build_book, copy_book
from usrussia import data, scaffold, sphinx_ext
from usrussia.notebooks import chapter_sources

NEW_CHAPTER = "arms_control"
WARNING_LINE = re.compile(r"WARNING|warning:")
SPHINX_NOISE = ("Traceback (most recent call last)", "sphinx-doc/sphinx/issues", "Exception")

# A table of contents with the parts the scaffold expects, holding only what a test needs.
SMALL_TOC = """\
format: jb-book
root: index
parts:
  - caption: Episodes
    chapters:
      - file: glossary
  - caption: Reference
    chapters:
      - file: bibliography
      - file: appendix/data
"""


def tail(log: str, lines: int = 30) -> str:
    return "\n".join(log.rstrip().splitlines()[-lines:])


def snapshot(root: Path) -> dict[str, bytes]:
    """The bytes of every source an author owns: data/ and chapters/."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for folder in ("data", "chapters")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


# --- Data errors: the report of the check that runs before any notebook ----------------

COLUMNS = [
    "date",
    "party",
    "deployed_launchers",
    "deployed_warheads",
    "total_launchers",
    "source_title",
    "source_url",
]


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(text.splitlines()))


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _set_cell(text: str, line: int, column: str, value: str) -> str:
    rows = _rows(text)
    rows[line - 1][COLUMNS.index(column)] = value
    return _csv(rows)


def _break(kind: str, text: str) -> bytes:
    """new_start.csv broken in one way (its line 2 is 2011-02-05, Russia)."""
    rows = _rows(text)
    if kind == "text_in_number":
        return _set_cell(text, 3, "deployed_warheads", "many").encode()
    if kind == "impossible_date":
        return _set_cell(text, 3, "date", "2011-02-30").encode()
    if kind == "duplicate_key":
        return _csv([*rows, rows[1]]).encode()
    if kind == "missing_column":
        return _csv([row[:-1] for row in rows]).encode()
    if kind == "extra_column":
        return _csv([rows[0] + ["note"]] + [row + ["x"] for row in rows[1:]]).encode()
    if kind == "blank_line":
        return (_csv(rows) + "\n").encode()
    if kind == "short_row":
        return (_csv(rows) + "2026-02-05,Russia\n").encode()
    if kind == "non_utf8":
        return _set_cell(text, 3, "party", "R\u00fcssia").encode("latin-1", errors="replace")
    if kind == "empty":
        return b""
    raise ValueError(kind)


# kind: (fragment the report must hold once, line, column or None)
CASES = {
    "text_in_number": ("found 'many', expected a whole number", 3, "deployed_warheads"),
    "impossible_date": ("found '2011-02-30', which is not a real calendar date", 3, "date"),
    "duplicate_key": ("repeats the key `2011-02-05, Russia`", 48, "date, party"),
    "missing_column": ("is missing from the header", 1, "source_url"),
    "extra_column": ("is in the header but not described in datapackage.json", 1, "note"),
    "blank_line": ("line 48 is blank", 48, None),
    "short_row": ("is short: has 2 values, expected 7", 48, "deployed_launchers"),
    "non_utf8": ("that are not UTF-8 text", 3, "party"),
    "empty": ("the file is empty", None, None),
}


@pytest.fixture
def data_copy(tmp_path):
    folder = tmp_path / "book" / "data"
    shutil.copytree(REPO / "data", folder)
    data._read_package.cache_clear()
    return folder


def test_the_real_data_pass_the_check():
    assert data.check_package(REPO / "data") == []


@pytest.mark.parametrize("kind", CASES)
def test_bad_data_is_reported_once_in_words(kind, data_copy):
    original = (data_copy / "new_start.csv").read_text(encoding="utf-8")
    assert original.count("\n") == 47, "the cases below expect new_start.csv's 47 lines"
    (data_copy / "new_start.csv").write_bytes(_break(kind, original))
    failures = data.check_package(data_copy)
    report = sphinx_ext.data_report(failures, data_copy.parent)
    fragment, line, column = CASES[kind]
    lines = report.splitlines()
    assert len(lines) <= 30, report
    problem_lines = [text for text in lines if text.startswith("data/")]
    assert len(problem_lines) == 1, f"expected one problem, reported:\n{report}"
    (problem,) = problem_lines
    assert problem.startswith("data/new_start.csv"), problem
    assert fragment in problem, problem
    if line is not None:
        assert f"line {line}" in problem, problem
    if column is not None:
        assert f"column '{column}'" in problem, problem
    assert "datetime" not in report and "{" not in report, "Python internals in the report"


def test_the_check_reads_only(data_copy):
    (data_copy / "new_start.csv").write_text("date,party\n\n")
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    assert data.check_package(data_copy)
    assert {p.name: p.read_bytes() for p in data_copy.iterdir()} == before


@pytest.mark.build
@pytest.mark.parametrize("kind", ["blank_line", "duplicate_key"])
def test_a_build_with_bad_data_stops_before_any_notebook(kind, tmp_path):
    book = copy_book(tmp_path / "book", ["chapters/new_start"])
    csv_path = book / "data" / "new_start.csv"
    csv_path.write_bytes(_break(kind, csv_path.read_text(encoding="utf-8")))
    before = snapshot(book)
    build = build_book(book)
    assert build.returncode != 0, "the build succeeded on broken data"
    end = tail(build.log)
    fragment, line, _ = CASES[kind]
    assert end.count(fragment) == 1 and f"data/new_start.csv, line {line}" in end, end
    assert "Executing notebook" not in build.log, "a notebook ran before the data check"
    assert build.log.count(fragment) == 1, "the problem is reported more than once"
    for noise in SPHINX_NOISE:
        assert noise not in build.log, f"{noise!r} in the output:\n{end}"
    assert snapshot(book) == before, "the failing build changed data/ or chapters/"


# --- Cell errors, located in the .md file -------------------------------------------------


class FakeCellError(Exception):
    """What nbclient raises for a failing cell: message, ename, evalue, traceback."""

    def __init__(self, source: str, cell_traceback: str):
        message = (
            "An error occurred while executing the following cell:\n------------------\n"
            f"{source}\n------------------\n\n\n{cell_traceback}\n"
        )
        super().__init__(message)
        self.traceback, self.ename, self.evalue = message, "KeyError", "'nope'"


def test_a_cell_error_is_given_by_its_line_in_the_md_file():
    text = (
        "# T\n\n```{code-cell} ipython3\nx = 1\n```\n\n"
        "```{code-cell} ipython3\n:tags: [remove-cell]\nframe = {}\nframe['nope']\n```\n"
    )
    cell_traceback = (
        "\x1b[0;31mKeyError\x1b[0m   Traceback (most recent call last)\n"
        "Cell \x1b[0;32mIn[2], line 2\x1b[0m\n      1 frame = {}\n----> 2 frame['nope']\n\n"
        "KeyError: 'nope'"
    )
    error = FakeCellError("frame = {}\nframe['nope']", cell_traceback)
    report = sphinx_ext.cell_error_report(Path("/b/chapters/x.md"), text, error, Path("/b"))
    assert text.splitlines()[10 - 1] == "frame['nope']"
    assert report.splitlines()[-1] == "chapters/x.md, line 10: KeyError: 'nope'"
    assert "File chapters/x.md, line 10" in report and "----> 10 frame['nope']" in report
    assert "      9 frame = {}" in report, "the cell's other lines keep the file's numbers"
    assert report.count("Traceback") == 1 and "Cell In" not in report
    assert "\x1b[" not in report


# --- A new chapter in one command ----------------------------------------------------------


@pytest.fixture(scope="module")
def scaffolded_book(tmp_path_factory):
    """A small copy of the book, a chapter made by the one command, and its build."""
    book = copy_book(tmp_path_factory.mktemp("authoring") / "book", [])
    (book / "_toc.yml").write_text(SMALL_TOC)
    made = subprocess.run(
        [sys.executable, "-m", "usrussia.scaffold", NEW_CHAPTER],
        cwd=book,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    return book, build_book(book)


@pytest.mark.build
def test_a_new_chapter_builds_without_a_warning(scaffolded_book):
    book, build = scaffolded_book
    assert build.returncode == 0, tail(build.log, 60)
    warnings = [line for line in build.log.splitlines() if WARNING_LINE.search(line)]
    assert not warnings, "\n".join(warnings)
    page = (book / "_build" / "html" / "chapters" / f"{NEW_CHAPTER}.html").read_text()
    assert "usrussia-chart" in page, "the starter chart is missing"
    assert f'id="{NEW_CHAPTER.replace("_", "-")}-fig-timeline"' in page  # Sphinx's id
    # Listed after the last episode, not in another part.
    toc = (book / "_toc.yml").read_text()
    assert f"      - file: glossary\n      - file: chapters/{NEW_CHAPTER}\n" in toc


@pytest.mark.build
def test_a_new_chapter_is_checked_by_the_chapter_tests(scaffolded_book):
    book, _ = scaffolded_book
    assert book / "chapters" / f"{NEW_CHAPTER}.md" in chapter_sources(book)
    assert [p.stem for p in scaffold.episode_chapters(book)] == [NEW_CHAPTER]
    shutil.copytree(REPO / "tests", book / "tests", ignore=shutil.ignore_patterns("a11y"))
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "tests/test_chapters_source.py"],
        cwd=book,
        capture_output=True,
        text=True,
    )
    assert f"test_episode_chapter_has_what_an_instructor_assigns[{NEW_CHAPTER}]" in (
        collected.stdout
    ), collected.stdout + collected.stderr
    assert f"test_citations_and_terms_resolve[{NEW_CHAPTER}]" in collected.stdout


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Arms Control", "not a usable chapter name"),
        ("../evil", "not a usable chapter name"),
        ("reset", "exists already"),
    ],
)
def test_scaffold_refuses_a_bad_or_taken_name_and_writes_nothing(name, reason, tmp_path):
    book = tmp_path / "book"
    shutil.copytree(REPO / "chapters", book / "chapters")
    shutil.copy(REPO / "_toc.yml", book / "_toc.yml")
    before = {p: p.read_bytes() for p in book.rglob("*") if p.is_file()}
    made = subprocess.run(
        [sys.executable, "-m", "usrussia.scaffold", name], cwd=book, capture_output=True, text=True
    )
    assert made.returncode == 2 and reason in made.stderr, made.stderr
    assert {p: p.read_bytes() for p in book.rglob("*") if p.is_file()} == before


def test_the_new_chapter_goes_last_among_the_episodes():
    toc = (REPO / "_toc.yml").read_text()
    updated = scaffold.toc_with_chapter(toc, NEW_CHAPTER)
    episodes = updated.split("caption: Episodes")[1].split("- caption:")[0]
    assert episodes.rstrip().endswith(f"- file: chapters/{NEW_CHAPTER}"), episodes
    assert updated.replace(f"      - file: chapters/{NEW_CHAPTER}\n", "") == toc


@pytest.mark.build
def test_a_raising_cell_is_named_by_its_md_line(scaffolded_book):
    """Last of the module: it breaks the shared copy's chapter."""
    book, _ = scaffolded_book
    chapter = book / "chapters" / f"{NEW_CHAPTER}.md"
    text = chapter.read_text()
    cell = "```{code-cell} ipython3\nwindow = {}\nwindow['missing']\n```\n"
    chapter.write_text(text + "\n" + cell)
    failing_line = len(text.splitlines()) + 4
    assert chapter.read_text().splitlines()[failing_line - 1] == "window['missing']"
    before = snapshot(book)
    build = build_book(book)
    assert build.returncode != 0
    end = tail(build.log)
    where = f"chapters/{NEW_CHAPTER}.md, line {failing_line}"
    assert f"{where}: KeyError: 'missing'" in end, end
    assert f"File {where}" in build.log
    assert build.log.count("Traceback") == 1, "the traceback is printed more than once"
    assert "sphinx-doc/sphinx/issues" not in build.log
    assert snapshot(book) == before, "the failing build changed data/ or chapters/"


# --- The real book's build -------------------------------------------------------------------


@pytest.mark.build
def test_the_book_builds_without_a_warning_line(built_book):
    warnings = [line for line in built_book.log.splitlines() if WARNING_LINE.search(line)]
    assert not warnings, "\n".join(warnings[:10])
    assert "not in toc" not in built_book.log, "files left out of the book without names"


def test_the_kernel_profile_drops_only_the_tcp_notice():
    import logging
    import runpy

    runpy.run_path(str(sphinx_ext.KERNEL_CONFIG))
    kernel_log = logging.getLogger("IPKernelApp")

    def record(message: str) -> logging.LogRecord:
        return kernel_log.makeRecord("IPKernelApp", logging.WARNING, "", 0, message, (), None)

    notice = "Kernel is running over TCP without encryption. All communication (...)"
    assert not kernel_log.filter(record(notice))
    assert kernel_log.filter(record("Parent appears to have exited, shutting down."))


def test_a_new_chapter_states_its_times_once_and_comes_with_notes_for_its_open_question():
    """The template meets the course's rules from the start: times in the front matter and
    the same in the text and the notes; an open question whose notes await a model answer."""
    from tests.test_course import note_times, open_questions, stated_times

    text = scaffold.chapter_text("arms_control")
    notes = scaffold.notes_text("arms_control")
    front_matter = yaml.safe_load(text.split("---\n")[1])["usrussia"]
    times = (front_matter["reading_minutes"], front_matter["exercise_minutes"])
    assert stated_times(text) == times == note_times(notes)
    assert open_questions(text) == ["arms_control-ex-open"]
    assert "{numref}`arms_control-ex-open`" in notes
    assert "{include} ../instructor_notes/arms_control.md" in text
