"""The book as a course: one source for each chapter's times, titles that agree with the
narrative, numbering per chapter, and the comparison chapter and source-criticism lab with
the exercises an instructor assigns."""

from __future__ import annotations

import re

import pytest
import yaml

import usrussia
from tests.conftest import REPO
from usrussia.scaffold import episode_chapters

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
    assert {"reading_minutes", "exercise_minutes"} <= set(meta), (
        f"{name}: times not in front matter"
    )
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
    assert note_times("- **Reading (before class):** about 60 minutes\n- Lab: 40 minutes") == (
        60,
        40,
    )


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
        # Directive labels, and the figure names in code cells' mystnb metadata.
        labels = set(re.findall(r"^:(?:label|name): (\S+)", chapter.read_text(), re.M))
        labels |= set(re.findall(r"^\s+name: (\S+)", chapter.read_text(), re.M))
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
    assert f"{number}.1" in exercises, f"exercises numbered {sorted(set(exercises))}"
    assert all(n.startswith(f"{number}.") for n in figures + exercises)


def test_pages_outside_the_numbered_parts_have_no_numbers(built_book):
    for page in ["guides/instructor", "glossary", "appendix/data"]:
        html = (built_book.html / f"{page}.html").read_text(encoding="utf-8")
        assert not re.search(r'<h1>\s*<span class="section-number">', html), page


# --- The episodes dataset -------------------------------------------------------------------

# Each value column and the source columns that state it.
EPISODE_SOURCES = {
    "start_date": "dates_start",
    "end_date": "dates_end",
    "us_leader": "leaders",
    "russian_leader": "leaders",
    "other_parties": "leaders",
    "format": "leaders",
    "agreed": "agreed",
    "implemented": "implemented",
    "followed": "followed",
}


def unsourced_values(frame) -> list[str]:
    """Every (episode, column) whose value has no source title or no http(s) source URL,
    and every value column that no source column covers."""
    problems = []
    value_columns = [
        c for c in frame.columns if "_source_" not in c and c not in ("episode", "title")
    ]
    problems += [
        f"column {c} has no source columns" for c in value_columns if c not in EPISODE_SOURCES
    ]
    for _, row in frame.iterrows():
        for column, prefix in EPISODE_SOURCES.items():
            title, url = row.get(f"{prefix}_source_title"), row.get(f"{prefix}_source_url")
            if not isinstance(title, str) or not title.strip():
                problems.append(f"{row['episode']}.{column}: no source title")
            urls = url.split(" ; ") if isinstance(url, str) else [""]
            if not all(re.match(r"https?://\S+$", u) for u in urls):
                problems.append(f"{row['episode']}.{column}: no source URL")
    return problems


def test_episodes_dataset_has_one_row_per_episode_and_a_source_for_every_value():
    episodes = usrussia.load("episodes")
    assert sorted(episodes["episode"]) == sorted(
        ["reset", "minsk", "helsinki", "geneva", "new_start"]
    )
    assert (episodes["start_date"] <= episodes["end_date"]).all()
    assert not unsourced_values(episodes), unsourced_values(episodes)


def test_source_check_can_fail():
    episodes = usrussia.load("episodes")
    broken = episodes.copy()
    broken.loc[0, "agreed_source_url"] = "see above"
    broken["extra_fact"] = "x"
    problems = unsourced_values(broken)
    assert any("agreed" in p for p in problems) and any("extra_fact" in p for p in problems)


def test_episode_dates_agree_with_the_other_datasets():
    episodes = usrussia.load("episodes").set_index("episode")
    events = usrussia.load("timeline")
    reset = events.loc[events["episode"] == "reset", "date"]
    assert episodes.loc["reset", "start_date"] == reset.min()
    # The end is a choice (the cancelled summit), but it must be one of the reset's events.
    assert episodes.loc["reset", "end_date"] in set(reset)
    assert episodes.loc["reset", "end_date"].year == reset.max().year
    milestones = usrussia.load("new_start_milestones").set_index("milestone")["date"]
    assert episodes.loc["new_start", "start_date"] == milestones["Treaty signed in Prague"]
    assert episodes.loc["new_start", "end_date"] == milestones["Treaty expires"]
    summits = usrussia.load("summits")
    for name in ["helsinki", "geneva"]:
        start = episodes.loc[name, "start_date"]
        met = summits[summits["date"] == start]
        assert len(met) == 1, f"{name}: no leaders' meeting on {start:%Y-%m-%d}"
        assert met["us_president"].iloc[0] == episodes.loc[name, "us_leader"]
        assert met["russian_president"].iloc[0] == episodes.loc[name, "russian_leader"]


# --- The two new chapters -------------------------------------------------------------------

CODE_CELL = re.compile(r"```\{code-cell\} ipython3\n(.*?)\n```", re.S)


@pytest.mark.parametrize("name", NEW_CHAPTERS)
def test_new_chapter_has_four_exercises_each_with_a_solution_that_runs_code(name):
    text = chapter_source(name)
    exercises = re.findall(r"```\{exercise\}\n:label: (\S+)", text)
    assert len(exercises) >= 4, f"{len(exercises)} exercises"
    for label in exercises:
        body = re.search(
            rf"````\{{solution-start\}} {re.escape(label)}\n(.*?)````\{{solution-end\}}", text, re.S
        )
        assert body, f"{label}: no solution"
        assert CODE_CELL.search(body.group(1)), f"{label}: the solution has no code cell"
    for heading in ("## Perspectives", "## Key takeaways", "## Exercises", "Learning objectives"):
        assert heading in text, f"missing {heading}"
    assert "{include} ../instructor_notes/" + name + ".md" in text


@pytest.mark.parametrize("name", NEW_CHAPTERS)
def test_new_chapter_code_and_solutions_run_top_to_bottom(name, tmp_path):
    """Every code cell of the chapter, solutions included, in a fresh interpreter."""
    import subprocess
    import sys

    import jupytext

    notebook = jupytext.read(REPO / "chapters" / f"{name}.md")
    cells = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    script = tmp_path / f"{name}.py"
    script.write_text("\n\n".join(cells), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(script)], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]


def test_lab_states_each_commentarys_test_result_from_the_data():
    text = chapter_source("lab_commentary")
    for glued in (
        "lab_blog_verdict",
        "lab_blog_circular",
        "lab_weitz_verdict",
        "lab_valdai_verdict",
    ):
        assert "{glue:text}`" + glued + "`" in text, f"{glued} is not stated in the text"


def test_instructor_guide_lists_data_skills_for_every_chapter():
    guide = GUIDE.read_text(encoding="utf-8")
    skills = guide.split("## Data skills by chapter")[1].split("\n## ")[0]
    for name in TIMED_CHAPTERS:
        assert f"{{doc}}`../chapters/{name}`" in skills, f"{name} missing from the skills table"
    assert "{doc}`primer`" in skills


def guide_datasets(guide_text: str) -> dict[str, set[str]]:
    """The "Data used" column of the guide's first table, by chapter."""
    rows = re.findall(
        r"^\| \{doc\}`\.\./chapters/(\w+)` \|[^|]*\| \d+ min \| \d+ min \| ([^|]*) \|$",
        guide_text,
        re.M,
    )
    return {name: {d.strip() for d in listed.split(",") if d.strip()} for name, listed in rows}


def loaded_datasets(name: str) -> set[str]:
    return set(re.findall(r'usrussia\.load\("(\w+)"\)', chapter_source(name)))


def test_instructor_guide_lists_the_datasets_each_chapter_loads():
    listed = guide_datasets(GUIDE.read_text(encoding="utf-8"))
    assert set(listed) == set(TIMED_CHAPTERS)
    wrong = {n: (listed[n], loaded_datasets(n)) for n in listed if listed[n] != loaded_datasets(n)}
    assert not wrong, f"guide's Data used column vs the chapter's usrussia.load calls: {wrong}"


def test_dataset_column_check_can_fail():
    row = "| {doc}`../chapters/minsk` | any | 60 min | 45 min | timeline, limits |"
    assert (
        guide_datasets(row)
        == {"minsk": {"timeline", "limits"}}
        != {"minsk": loaded_datasets("minsk")}
    )


def skills_table() -> dict[str, list[str]]:
    """The exercise labels named in each row of the guide's data-skills table, by chapter."""
    section = GUIDE.read_text(encoding="utf-8").split("## Data skills by chapter")[1]
    rows = re.findall(
        r"^\| \{doc\}`(?:\.\./chapters/)?(\w+)` \|(.*)$", section.split("\n## ")[0], re.M
    )
    return {name: re.findall(r"\{numref\}`([\w-]+)`", row) for name, row in rows}


def exercise_labels(name: str) -> list[str]:
    return re.findall(r"`{3,4}\{exercise\}\n:label: (\S+)", chapter_source(name))


def skills_table_problems(table: dict[str, list[str]], chapters: dict[str, list[str]]) -> list[str]:
    """Exercises missing from their chapter's row of the skills table, and labels in a row
    that are not exercises of that chapter."""
    problems = []
    for name, labels in chapters.items():
        named = set(table.get(name, []))
        problems += [
            f"{name}: {label} is not in the skills table" for label in labels if label not in named
        ]
        problems += [
            f"{name}: the table names {label}, not an exercise of the chapter"
            for label in sorted(named - set(labels))
        ]
    return problems


def test_skills_table_names_every_exercise_of_its_chapter_and_no_other():
    chapters = {name: exercise_labels(name) for name in TIMED_CHAPTERS}
    assert all(chapters.values()), "a chapter has no exercises"
    assert not skills_table_problems(skills_table(), chapters)


def test_skills_table_check_can_fail():
    chapters = {name: exercise_labels(name) for name in TIMED_CHAPTERS}
    broken = dict(skills_table())
    broken["reset"] = [label for label in broken["reset"] if label != "reset-ex-trade"]
    broken["minsk"] = broken["minsk"] + ["minsk-ex-gone"]
    del broken["geneva"]
    problems = " ".join(skills_table_problems(broken, chapters))
    assert "reset-ex-trade" in problems and "minsk-ex-gone" in problems
    assert "geneva-ex-trade" in problems


# --- Charts draw every mark -------------------------------------------------------------------


def undrawn_colour_values(spec: dict) -> list[str]:
    """Values of a colour field that its explicit scale domain leaves out: Vega gives such
    marks no colour, so they vanish from the chart without an error."""
    import json

    datasets = spec.get("datasets", {})
    problems = []

    def walk(node: dict, data_name: str | None) -> None:
        data_name = (node.get("data") or {}).get("name", data_name)
        colour = (node.get("encoding") or {}).get("color") or {}
        domain = (colour.get("scale") or {}).get("domain")
        if isinstance(domain, list) and colour.get("field") and data_name in datasets:
            values = {row.get(colour["field"]) for row in datasets[data_name]}
            missing = values - set(domain)
            if missing:
                problems.append(f"{colour['field']}: {sorted(map(str, missing))} not in {domain}")
        for child in node.get("layer", []) + node.get("hconcat", []) + node.get("vconcat", []):
            walk(child, data_name)

    walk(json.loads(json.dumps(spec)), None)
    return problems


def test_colour_check_can_fail():
    spec = {
        "datasets": {"d": [{"episode": "reset"}]},
        "data": {"name": "d"},
        "encoding": {"color": {"field": "episode", "scale": {"domain": ["The reset"]}}},
    }
    assert undrawn_colour_values(spec)


def _chart_specs(node, mime: str) -> list[dict]:
    """Every Vega-Lite spec in a notebook's (or glue file's) outputs of the chart type."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == mime and isinstance(value, dict) and "spec" in value:
                found.append(value["spec"])
            else:
                found += _chart_specs(value, mime)
    elif isinstance(node, list):
        for item in node:
            found += _chart_specs(item, mime)
    return found


def test_every_coloured_mark_in_the_book_is_drawn(built_book):
    import json

    # The pages carry Vega compiled at build time; the Vega-Lite specs the chapters drew are
    # the chart outputs of the executed notebooks (and of glued values).
    from usrussia.render import CHART_MIME

    executed = built_book.root / "_build" / "jupyter_execute"
    specs = {}
    for path in sorted(executed.glob("**/*.ipynb")) + sorted(executed.glob("**/*.glue.json")):
        text = path.read_text(encoding="utf-8")
        specs[path.relative_to(executed).as_posix()] = _chart_specs(json.loads(text), CHART_MIME)
    assert specs.get("chapters/compare.ipynb") or specs.get("chapters/compare.glue.json"), (
        "no chart specs found for the comparison chapter"
    )
    problems = [
        f"{page}: {problem}"
        for page, page_specs in specs.items()
        for spec in page_specs
        for problem in undrawn_colour_values(spec)
    ]
    assert not problems, problems


# --- An open question in every episode chapter, answered in its instructor notes ----------

# The marker that starts an exercise's essay part (AUTHORING.md, "Exercises").
OPEN_QUESTION = "**Open question.**"
OPEN_QUESTION_CHAPTERS = [p.stem for p in episode_chapters(REPO)] + ["after_2022"]
# The comparison chapter is being converted elsewhere: its exercise says "An open question."
# without the marker. The test below fails once it carries the marker, so the set can shrink.
EXERCISE_BLOCK = re.compile(r"^`{3,4}\{exercise\}\n:label: (\S+)\n(.*?)^`{3,4}$", re.S | re.M)
MODEL_ANSWER_WORDS = 120


def open_questions(chapter_text: str) -> list[str]:
    """Labels of the exercises whose text carries the open-question marker."""
    return [label for label, body in EXERCISE_BLOCK.findall(chapter_text) if OPEN_QUESTION in body]


def model_answer(notes_text: str, label: str) -> str:
    """The notes' text from the first mention of the exercise inside a rubric titled
    "Model answer…" to the next rubric ("" if there is none)."""
    for section in re.split(r"^```\{rubric\} ", notes_text, flags=re.M)[1:]:
        title, _, body = section.partition("\n")
        mention = body.find(f"{{numref}}`{label}`")
        if title.startswith("Model answer") and mention >= 0:
            return body[mention:]
    return ""


def open_question_problems(chapter_text: str, notes_text: str) -> list[str]:
    """What keeps a chapter from having exactly one open question with a model answer in its
    notes that uses the chapter's evidence (another figure or exercise named by label)."""
    labels = open_questions(chapter_text)
    if len(labels) != 1:
        return [f"{len(labels)} exercises marked {OPEN_QUESTION}, expected one"]
    answer = model_answer(notes_text, labels[0])
    words = len(re.findall(r"[A-Za-z][A-Za-z'’-]*", answer))
    others = set(re.findall(r"\{numref\}`([\w-]+)`", answer)) - set(labels)
    problems = []
    if words < MODEL_ANSWER_WORDS:
        problems.append(
            f"{labels[0]}: the notes' model answer has {words} words "
            f"(a 'Model answer' rubric naming {{numref}}`{labels[0]}`, {MODEL_ANSWER_WORDS}+ words)"
        )
    if answer and not others:
        problems.append(f"{labels[0]}: the model answer names no figure or other exercise")
    return problems


def notes_source(name: str) -> str:
    return (REPO / "instructor_notes" / f"{name}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", OPEN_QUESTION_CHAPTERS)
def test_episode_chapter_has_an_open_question_with_a_model_answer(name):
    assert not open_question_problems(chapter_source(name), notes_source(name))


def test_open_question_check_can_fail():
    chapter = chapter_source("minsk")
    notes = notes_source("minsk")
    unmarked = chapter.replace(OPEN_QUESTION, "")
    assert open_question_problems(unmarked, notes) == [
        f"0 exercises marked {OPEN_QUESTION}, expected one"
    ]
    label = open_questions(chapter)[0]
    unanswered = notes.replace(f"{{numref}}`{label}`", "the essay")
    assert "words" in " ".join(open_question_problems(chapter, unanswered))
    short = "```{rubric} Model answer to the open question\n```\n\n{numref}`" + label + "` Yes.\n"
    assert len(open_question_problems(chapter, short)) == 2
