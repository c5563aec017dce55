"""The book as a course: one source for each chapter's times, titles that agree with the
narrative, numbering per chapter, and the comparison chapter and source-criticism lab with
the exercises an instructor assigns."""

from __future__ import annotations

import re

import pytest
import yaml

import usrussia
from tests.conftest import REPO

TIMED_CHAPTERS = [
    "overview",
    "reset",
    "minsk",
    "helsinki",
    "geneva",
    "new_start",
    "compare",
    "lab_commentary",
    "after_2022",
]
NEW_CHAPTERS = ["compare", "lab_commentary"]
GUIDE = REPO / "guides" / "instructor.md"


def chapter_source(name: str) -> str:
    return (REPO / "chapters" / f"{name}.md").read_text(encoding="utf-8")


def front_matter(text: str) -> dict:
    """The YAML block between the first two `---` lines of a MyST notebook."""
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, "no front matter"
    return yaml.safe_load(match.group(1)) or {}


def chapter_times(name: str) -> tuple[int, int]:
    """(reading, exercise) minutes from the chapter's front matter: the one place they live."""
    meta = front_matter(chapter_source(name)).get("usrussia", {})
    assert {"reading_minutes", "exercise_minutes"} <= set(meta), f"{name}: times not in front matter"
    return int(meta["reading_minutes"]), int(meta["exercise_minutes"])


def stated_times(text: str) -> tuple[int, int]:
    """The two numbers of minutes in a chapter's "Time and prerequisites" line."""
    line = re.search(r"\*\*Time and prerequisites\.\*\*(.{0,200})", text, re.S)
    assert line, "no 'Time and prerequisites' line"
    minutes = re.findall(r"(\d+) minutes", line.group(1))
    assert len(minutes) >= 2, f"the line states {minutes}"
    return int(minutes[0]), int(minutes[1])


def guide_times() -> dict[str, tuple[int, int]]:
    """Reading and lab minutes per chapter from the Instructor guide's table."""
    rows = re.findall(
        r"^\| \{doc\}`\.\./chapters/(\w+)` \|[^|]*\| (\d+) min \| (\d+) min \|",
        GUIDE.read_text(encoding="utf-8"),
        re.M,
    )
    return {name: (int(reading), int(lab)) for name, reading, lab in rows}


def note_times(text: str) -> tuple[int, int]:
    """The first numbers of minutes on the instructor notes' Reading and Lab lines."""
    reading = re.search(r"Reading[^:]*:\**\s*(?:about\s+)?(\d+)", text)
    lab = re.search(r"Lab[^:]*:\**\s*(?:about\s+)?(\d+)", text)
    assert reading and lab, "the notes' timing has no Reading or Lab line"
    return int(reading.group(1)), int(lab.group(1))


# --- Times and titles ---------------------------------------------------------------------


@pytest.mark.parametrize("name", TIMED_CHAPTERS)
def test_chapter_text_states_the_times_of_its_front_matter(name):
    assert stated_times(chapter_source(name)) == chapter_times(name)


def test_instructor_guide_table_has_every_chapters_times():
    table = guide_times()
    expected = {name: chapter_times(name) for name in TIMED_CHAPTERS}
    assert table == expected, f"guide {table} != front matter {expected}"


@pytest.mark.parametrize("name", TIMED_CHAPTERS)
def test_instructor_notes_give_the_same_times(name):
    notes = (REPO / "instructor_notes" / f"{name}.md").read_text(encoding="utf-8")
    assert note_times(notes) == chapter_times(name)


def test_time_checks_can_fail():
    text = "**Time and prerequisites.** About 75 minutes to read and 45 minutes for the exercises."
    assert stated_times(text) == (75, 45) != (60, 45)
    assert note_times("- **Reading (before class):** about 60 minutes\n- Lab: 40 minutes") == (60, 40)


def test_reset_title_spans_the_years_its_events_run_to():
    title = re.search(r"^# The reset \((\d{4})–(\d{4})\)", chapter_source("reset"), re.M)
    assert title, "the reset chapter's title has no year range"
    events = usrussia.load("timeline")
    years = events.loc[events["episode"] == "reset", "date"].dt.year
    assert (int(title.group(1)), int(title.group(2))) == (years.min(), years.max())
    overview = chapter_source("overview")
    assert f"The reset ({title.group(1)}–{title.group(2)})" in overview
    notes = (REPO / "instructor_notes" / "reset.md").read_text(encoding="utf-8")
    assert f"The reset ({title.group(1)}–{title.group(2)})" in notes


# --- Instructor notes refer to figures and exercises by label ------------------------------


@pytest.mark.parametrize("path", sorted((REPO / "instructor_notes").glob("*.md")), ids=str)
def test_instructor_notes_refer_by_label_never_by_number(path):
    text = path.read_text(encoding="utf-8")
    typed = re.findall(r"\b(?:[Ff]ig(?:ure|\.)|[Ee]xercises?|[Tt]able)s? \d+(?:\.\d+)?\b", text)
    assert not typed, f"numbers typed in: {typed}; use {{numref}}`label`"
    chapter = REPO / "chapters" / f"{path.stem}.md"
    if chapter.exists():
        labels = set(re.findall(r"^:(?:label|name): (\S+)", chapter.read_text(), re.M))
        referred = set(re.findall(r"\{(?:numref|ref)\}`(?:[^`<]*<)?([\w-]+)>?`", text))
        assert referred <= labels, f"labels not in the chapter: {referred - labels}"


# --- Numbering by chapter -------------------------------------------------------------------


def chapter_number(html: str) -> str:
    """The section number Sphinx gave the page's title ("7." for the seventh chapter)."""
    match = re.search(r'<h1>\s*<span class="section-number">(\d+)\.\s*</span>', html)
    assert match, "the chapter title carries no number: is its part `numbered` in _toc.yml?"
    return match.group(1)


@pytest.mark.parametrize("name", ["new_start", "compare", "lab_commentary"])
def test_figures_and_exercises_are_numbered_within_their_chapter(built_book, name):
    html = (built_book.html / "chapters" / f"{name}.html").read_text(encoding="utf-8")
    number = chapter_number(html)
    figures = re.findall(r'<span class="caption-number">Fig\. ([\d.]+)', html)
    exercises = re.findall(r"Exercise ([\d.]+)", html)
    if name != "lab_commentary":
        assert figures, "no numbered figures"
        assert figures[0] == f"{number}.1", f"first figure is Fig. {figures[0]}"
    assert exercises and exercises[0] == f"{number}.1", f"first exercise is {exercises[:1]}"
    assert all(n.startswith(f"{number}.") for n in figures + exercises)


def test_pages_outside_the_numbered_parts_have_no_numbers(built_book):
    for page in ["guides/instructor", "glossary", "appendix/data"]:
        html = (built_book.html / f"{page}.html").read_text(encoding="utf-8")
        assert not re.search(r'<h1>\s*<span class="section-number">', html), page
