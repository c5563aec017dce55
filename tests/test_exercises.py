"""Chapters as students run them: charts drawn in view, exercises that can be checked.

Each chapter (from _toc.yml) is run in-process without its hidden fact cell
(``remove-cell``), as the student notebook runs it. For every exercise the untouched
scaffold must fail its check and the instructor solution must pass it. Every numbered
figure is drawn by a visible ``hide-input`` cell whose last expression is a chart.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import jupytext
import pandas as pd
import pytest
import vl_convert

from usrussia import check
from usrussia.data import load
from usrussia.facts import new_start_limits
from usrussia.notebooks import chapter_sources
from usrussia.render import VEGA_LITE_VERSION

# Every chapter follows the students' contract (facts module, scaffold and check cells).
CHAPTERS = {path.stem: path for path in chapter_sources()}
EPISODES = ["reset", "minsk", "helsinki", "geneva", "new_start"]
EXERCISE = re.compile(r"`{3,4}\{exercise\}\n:label: (\S+)")
# An exercise's essay part starts with this marker (AUTHORING.md). Only such an exercise may
# be written, without student cells: its model answer is in the instructor notes.
OPEN_QUESTION = "**Open question.**"


@dataclass
class Exercise:
    label: str
    text: str
    scaffold: str = ""
    check: str = ""
    solution: list[str] = field(default_factory=list)


@dataclass
class Chapter:
    """A chapter's code cells in order, as (kind, source), and its exercises by label."""

    cells: list[tuple[str, str]]
    exercises: dict[str, Exercise]
    figures: list[tuple[str, str]]  # (figure name, cell source)


def written(exercise: Exercise) -> bool:
    """An exercise with no scaffold and no check cell: an essay, not code."""
    return not exercise.scaffold and not exercise.check


def coded(chapter: Chapter) -> dict[str, Exercise]:
    """The chapter's exercises that have student cells, in order: their checks are numbered."""
    return {label: ex for label, ex in chapter.exercises.items() if not written(ex)}


def tags(cell) -> list[str]:
    return list(cell.metadata.get("tags", []))


def parse(path: Path) -> Chapter:
    notebook = jupytext.read(path)
    cells, exercises, figures = [], {}, []
    current, in_solution = None, False
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            found = EXERCISE.search(cell.source)
            if found:
                current = exercises[found[1]] = Exercise(found[1], cell.source)
            # One markdown cell can close a solution and open the next: the later one counts.
            start, end = cell.source.rfind("{solution-start}"), cell.source.rfind("{solution-end}")
            if start != end:
                in_solution = start > end
            continue
        if "remove-cell" in tags(cell):
            cells.append(("removed", cell.source))
        elif "student" in tags(cell):
            kind = "check" if "usrussia.check." in cell.source else "scaffold"
            setattr(current, kind, cell.source)
            cells.append((kind, cell.source))
        elif in_solution:
            current.solution.append(cell.source)
            cells.append(("solution", cell.source))
        else:
            cells.append(("page", cell.source))
        figure = cell.metadata.get("mystnb", {}).get("figure")
        if figure:
            assert "hide-input" in tags(cell), f"figure {figure.get('name')} is not hide-input"
            figures.append((figure["name"], cell.source))
    return Chapter(cells, exercises, figures)


def run(source: str, namespace: dict):
    """Execute a cell and return the value of its last expression (None if none)."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(tree, "<cell>", "exec"), namespace)
        if last is not None:
            return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
    return None


@pytest.fixture(scope="module", params=sorted(CHAPTERS))
def ran(request):
    """Run the chapter as the student notebook does; record checks and figure outputs."""
    chapter = parse(CHAPTERS[request.param])
    namespace: dict = {}
    outcomes: dict[str, dict[str, check.Feedback]] = {}
    charts: dict[str, object] = {}
    figure_sources = {source: name for name, source in chapter.figures}
    label_of_check = {ex.check: label for label, ex in chapter.exercises.items()}
    stage = {}
    for kind, source in chapter.cells:
        if kind == "removed":
            continue
        if kind == "check":
            label = label_of_check[source]
            outcomes.setdefault(label, {})["scaffold"] = run(source, namespace)
            stage[label] = source
            continue
        value = run(source, namespace)
        if source in figure_sources:
            charts[figure_sources[source]] = value
        if kind == "solution":
            label = next(lb for lb, ex in chapter.exercises.items() if source in ex.solution)
            if label in stage and source == chapter.exercises[label].solution[-1]:
                outcomes[label]["solution"] = run(stage[label], namespace)
    return request.param, chapter, outcomes, charts


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_student_cells_run_without_solutions_or_hidden_cells(name):
    """As in the student notebook: no solution and no fact cell, and every cell runs."""
    namespace: dict = {}
    for kind, source in parse(CHAPTERS[name]).cells:
        if kind in ("page", "scaffold", "check"):
            value = run(source, namespace)
            if kind == "check":
                assert isinstance(value, check.Feedback) and not value


def test_every_exercise_has_a_scaffold_and_a_check(ran):
    name, chapter, _, _ = ran
    assert coded(chapter), f"{name} has no exercises with code"
    for label, exercise in chapter.exercises.items():
        if written(exercise):
            assert OPEN_QUESTION in exercise.text, f"{label}: no student cells, no open question"
    for number, (label, exercise) in enumerate(coded(chapter).items(), start=1):
        assert "..." in exercise.scaffold, f"{label}: the scaffold has no ... to fill in"
        assert f"usrussia.check.{name}_{number}(" in exercise.check, f"{label}: no check cell"
        assert exercise.solution, f"{label}: no solution"


def test_scaffold_fails_and_solution_passes_its_check(ran):
    name, chapter, outcomes, _ = ran
    for label in coded(chapter):
        scaffold, solution = outcomes[label]["scaffold"], outcomes[label]["solution"]
        assert isinstance(scaffold, check.Feedback) and not scaffold, f"{label}: {scaffold!r}"
        assert isinstance(solution, check.Feedback) and solution, f"{label}: {solution!r}"


def test_every_figure_is_drawn_by_its_visible_cell(ran):
    name, chapter, _, charts = ran
    text = CHAPTERS[name].read_text(encoding="utf-8")
    assert "{glue:figure}" not in text, "a figure exists only as a glued value"
    referenced = set(re.findall(r"\{numref\}`([^`]+)`", text))
    names = [figure for figure, _ in chapter.figures]
    # {numref} may name a figure or an exercise; anything else is a figure not drawn here.
    unknown = referenced - set(names) - set(chapter.exercises)
    assert not unknown, f"numref to no figure or exercise: {unknown}"
    assert len(names) == len(set(names)), "two figures share a name"
    for figure, chart in charts.items():
        assert isinstance(chart, alt.TopLevelMixin), f"{figure}: its cell shows no chart"
        chart.to_dict()  # a chart that fails validation would fail to render


def fits_any_width(chart) -> bool:
    """Can the book's chart script size the chart to its column? As charts.js decides: a
    numeric width, no layout (concat, facet) and no width or height derived from a band
    step (a chart sized by its categories keeps its own width, wider than a phone)."""
    vega = vl_convert.vegalite_to_vega(chart.to_dict(), vl_version=VEGA_LITE_VERSION)
    derived = any(
        s.get("name") in ("width", "height") and s.get("update") for s in vega.get("signals", [])
    )
    return not derived and not vega.get("layout") and isinstance(vega.get("width"), int | float)


def test_every_figure_can_be_fitted_to_its_column(ran):
    name, _, _, charts = ran
    wide = [figure for figure, chart in charts.items() if not fits_any_width(chart)]
    assert not wide, f"{name}: charts that keep their own width on a phone: {wide}"


def test_fit_check_catches_a_chart_sized_by_its_categories():
    frame = {"values": [{"point": "start", "y": 1}, {"point": "end", "y": 2}]}
    by_step = alt.Chart(frame).mark_line().encode(x="point:N", y="y:Q")
    assert not fits_any_width(by_step)
    assert fits_any_width(by_step.properties(width=300))


def test_figure_cells_are_short(ran):
    _, chapter, _, _ = ran
    for figure, source in chapter.figures:
        lines = len(source.strip().splitlines())
        assert lines <= 16, f"{figure}: {lines} lines of chart code"


def test_at_most_one_hidden_cell(ran):
    name, chapter, _, _ = ran
    removed = [source for kind, source in chapter.cells if kind == "removed"]
    assert len(removed) <= 1, f"{name} has {len(removed)} remove-cell cells"
    assert all(len(source.splitlines()) <= 3 for source in removed)


LIMIT_NUMBERS = {f"{v:,}" for v in new_start_limits().values()} | {
    str(v) for v in new_start_limits().values()
}
LIMIT_PATTERN = re.compile(
    r"(?<![\d,.])(" + "|".join(map(re.escape, LIMIT_NUMBERS)) + r")(?![\d,])"
)
PLACEHOLDER = re.compile(r"write your finding|your finding here", re.I)
STRING_TITLE = re.compile(r"title=\(?\s*\"([^\"]*)\"")


def test_solutions_type_no_limit_and_no_placeholder_title(ran):
    """Limits come from new_start_limits; a title states a finding, not a placeholder, and
    a title typed as a plain string carries no number other than a year."""
    _, chapter, _, _ = ran
    for label, exercise in chapter.exercises.items():
        code = "\n".join(exercise.solution)
        assert not LIMIT_PATTERN.search(code), f"{label}: a New START limit typed into code"
        assert not LIMIT_PATTERN.search(exercise.text), f"{label}: the exercise types a limit"
        assert not PLACEHOLDER.search(code), f"{label}: a placeholder title"
        for title in STRING_TITLE.findall(code):
            # Years and the numbers of executive orders ("E.O. 14024") name things.
            numbers = re.findall(r"(?<!E\.O\. )(?<!Order )\b\d+(?:[,.]\d+)*", title)
            typed = [n for n in numbers if not re.fullmatch(r"(19|20)\d\d", n)]
            assert not typed, f"{label}: the title types {typed}; compute it from the data"


def test_scaffolds_do_not_give_the_solution_away(ran):
    """No line of a solution longer than a short assignment appears in the student cells."""
    _, chapter, _, _ = ran
    for label, exercise in coded(chapter).items():
        student = exercise.scaffold + exercise.check
        solution_lines = {ln.strip() for ln in "\n".join(exercise.solution).splitlines()}
        given = [ln for ln in solution_lines if len(ln) > 40 and ln in student]
        longest = max(solution_lines, key=len)
        assert longest not in student, f"{label}: the scaffold holds {longest!r}"
        assert len(given) < len([ln for ln in solution_lines if len(ln) > 40]), label


@pytest.mark.parametrize("name", EPISODES)
def test_episode_has_a_primary_source_and_a_cross_chapter_exercise(name):
    """Issue 11: each episode chapter tests a quoted statement against the data and uses
    another chapter's data, each marked as such in its exercise text."""
    texts = [ex.text for ex in parse(CHAPTERS[name]).exercises.values()]
    assert any("**Test a primary source.**" in text and "{cite:" in text for text in texts)
    assert any("**Use another chapter's data.**" in text for text in texts)


def test_checks_reject_a_wrong_answer_in_words():
    feedback = check.new_start_4(1, 2)
    assert not feedback and "check your steps" in repr(feedback)
    assert not check.new_start_1("not a table")
    assert "Could not read" in repr(check.new_start_3(42)) or not check.new_start_3(42)


def test_title_check_catches_a_number_the_data_do_not_give():
    chart = alt.Chart({"values": [{"x": 1, "y": 700}]}).mark_point().properties(title="Up 50%")
    results = check.title_checks(chart, {700.0})
    assert not all(ok for ok, _ in results)


CHECKS = [
    getattr(check, name)
    for name in dir(check)
    if callable(getattr(check, name)) and hasattr(getattr(check, name), "label")
]


@pytest.mark.parametrize("wrong", [None, 42, "text", [], {}])
def test_no_check_raises_or_passes_on_nonsense(wrong):
    assert len(CHECKS) >= 25
    for checker in CHECKS:
        arity = checker.__wrapped__.__code__.co_argcount
        feedback = checker(*[wrong] * arity)
        assert isinstance(feedback, check.Feedback) and not feedback, checker.__name__
        # Named as the student sees it, whatever the answer: "Exercise 4.3: ...".
        assert re.match(r"Exercise \d+\.\d+: ", repr(feedback)), repr(feedback)
        assert repr(feedback).startswith(f"{check.exercise_name(checker.label)}: ")


def test_rating_check_judges_only_what_the_data_decide():
    """The lab's fact/interpretation/spin check: statement 1 must be a fact (the summits data
    record the meeting), 2 and 3 cannot be facts; it says in words what it cannot judge."""
    reason = "a reason of more than five words here"
    rows = [
        {"statement": 1, "rating": "fact", "why": reason},
        {"statement": 2, "rating": "spin", "why": reason},
        {"statement": 3, "rating": "interpretation", "why": reason},
    ]
    passed = check.lab_commentary_5(rows)
    assert passed and "cannot judge" in repr(passed)
    all_facts = check.lab_commentary_5([{**row, "rating": "fact"} for row in rows])
    assert not all_facts and "Statement 2 and 3" in repr(all_facts)
    not_a_fact = check.lab_commentary_5([{**rows[0], "rating": "spin"}, *rows[1:]])
    assert not not_a_fact and "it is a fact" in repr(not_a_fact)
    assert not check.lab_commentary_5(rows[:2])


def test_comparison_checks_say_what_is_wrong():
    eps = load("episodes")
    eps["days"] = (eps["end_date"] - eps["start_date"]).dt.days  # the last day not counted
    by_format = eps.groupby("format")["days"].agg(["mean", "count"])
    feedback = check.compare_1(by_format)
    assert not feedback and "plus one" in repr(feedback)
    short = check.compare_5(eps.assign(days=eps["days"] + 1), eps.shape[0], "Too short.")
    assert not short and "at least 80 words" in repr(short)


def test_a_one_value_series_where_a_number_is_expected_gets_words_not_a_type_error():
    one_value = pd.Series([0.7], index=[2014])
    feedback = repr(check.minsk_1(one_value))
    assert ".item()" in feedback and "TypeError" not in feedback, feedback
    several = repr(check.minsk_1(pd.Series([0.7, 0.2])))
    assert "of 2 values" in several, several
