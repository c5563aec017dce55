"""The student notebook of every chapter (chapters/<name>.ipynb): in sync with the build,
free of MyST markup and of solutions, and runnable as a student would run it, in a fresh
environment made from requirements.txt alone and in one with the oldest versions the
helper package declares (as in Colab), from any working folder."""

from __future__ import annotations

import hashlib
import inspect
import json
import re
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from tests import ahead
from tests.conftest import REPO
from usrussia import check
from usrussia.notebooks import (
    built_exercise_numbers,
    built_notebook,
    chapter_sources,
    package_exercise_numbers,
)
from usrussia.render import NOTEBOOK_MIME
from usrussia.scaffold import FRONT_MATTER

CHAPTERS = chapter_sources()
IDS = [p.stem for p in CHAPTERS]

# MyST that must never reach a notebook: roles, directive fences, directive option lines,
# substitutions.
MYST_PATTERNS = {
    "role": re.compile(r"\{[a-z][\w:-]*\}`"),
    "directive fence": re.compile(r"^\s*(`{3,}|:{3,})\s*\{", re.MULTILINE),
    "option line": re.compile(r"^\s*:[\w-]+:(\s|$)", re.MULTILINE),
    "substitution": re.compile(r"\{\{[^}]*\}\}"),
}


def myst_left(text: str) -> list[str]:
    return [
        f"{kind}: {match.group(0)!r}"
        for kind, pattern in MYST_PATTERNS.items()
        for match in pattern.finditer(text)
    ]


def test_myst_detector_finds_markup():
    assert myst_left("As {cite:p}`key` says") and myst_left("```{admonition} X\n:class: tip\n")
    assert not myst_left("Plain text with a [link](https://example.org) and `code`.")


def read(path):
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("source", CHAPTERS, ids=IDS)
def test_notebook_is_in_sync_with_the_build(built_book, source):
    target = source.with_suffix(".ipynb")
    built = built_notebook(source, built_book.root)
    assert target.is_file(), f"{target.name} is missing: run `make notebooks`"
    assert target.read_text(encoding="utf-8") == built.read_text(encoding="utf-8"), (
        f"{target.name} is out of date with {source.name}: run `make notebooks`"
    )


def test_exercise_numbers_are_in_sync_with_the_build(built_book):
    built = built_exercise_numbers(built_book.root)
    target = package_exercise_numbers(built_book.root)
    assert target.is_file(), f"{target} is missing: run `make notebooks`"
    assert target.read_text(encoding="utf-8") == built.read_text(encoding="utf-8"), (
        f"{target.name} is out of date with the build: run `make notebooks`"
    )


EXERCISE_HEADING = re.compile(r"^\*\*(Exercise \d+\.\d+)\*\*", re.MULTILINE)
CHECK_CALL = re.compile(r"usrussia\.check\.(\w+)\(")
RAW_LABEL = re.compile(r"\b[a-z_]+-ex-[a-z_-]+")


def checks_under_headings(notebook) -> list[tuple[str | None, str]]:
    """(the last "Exercise N.M" heading above it, the check function) for each check cell."""
    heading, found = None, []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            headings = EXERCISE_HEADING.findall(cell.source)
            heading = headings[-1] if headings else heading
        else:
            found += [(heading, name) for name in CHECK_CALL.findall(cell.source)]
    return found


@pytest.mark.parametrize("source", CHAPTERS, ids=IDS)
def test_check_feedback_names_the_exercise_as_the_notebook_shows_it(source):
    """Every check cell's feedback on the untouched scaffold (``...`` for each answer) names
    the exercise as the heading above that cell does, and never by its internal label."""
    found = checks_under_headings(read(source.with_suffix(".ipynb")))
    assert found, f"{source.stem}.ipynb has no check cell"
    for heading, name in found:
        assert heading, f"{source.stem}: the check {name} has no exercise heading above it"
        checker = getattr(check, name)
        feedback = repr(checker(*[...] * len(inspect.signature(checker).parameters)))
        assert feedback.startswith(f"{heading}: "), (
            f"{source.stem}: {name} under {heading} says: {feedback.splitlines()[0]}"
        )
        assert not RAW_LABEL.search(feedback), f"{name} names a raw label: {feedback}"


def test_every_check_is_called_by_a_notebook():
    """So the test above reaches every check function."""
    called = {
        name
        for source in CHAPTERS
        for _, name in checks_under_headings(read(source.with_suffix(".ipynb")))
    }
    checks = {name for name, f in vars(check).items() if hasattr(f, "label")}
    assert checks <= called, f"no notebook calls {sorted(checks - called)}"


@pytest.mark.parametrize("source", CHAPTERS, ids=IDS)
def test_markdown_has_no_myst_markup(source):
    notebook = read(source.with_suffix(".ipynb"))
    problems = [
        f"cell {i}: {p}"
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown"
        for p in myst_left(cell.source)
    ]
    assert not problems, "\n".join(problems[:20])
    scripts = [i for i, c in enumerate(notebook.cells) if "<script" in c.source]
    assert not scripts, f"script elements from the page in markdown cells {scripts}"


def solution_code(source) -> list[str]:
    """The code cells inside the chapter's solutions (solution-start … solution-end)."""
    text = source.read_text(encoding="utf-8")
    blocks = re.findall(r"\{solution-start\}.*?\{solution-end\}", text, re.DOTALL)
    blocks += re.findall(r"`{3,}\{solution\}.*?\n`{3,}\n", text, re.DOTALL)
    cells = []
    for block in blocks:
        for code in re.findall(r"```\{code-cell\}[^\n]*\n(.*?)\n```", block, re.DOTALL):
            lines = [line for line in code.splitlines() if not line.startswith(":")]
            cells.append("\n".join(lines).strip())
    return [c for c in cells if c]


@pytest.mark.parametrize("source", CHAPTERS, ids=IDS)
def test_notebook_holds_no_solution(source):
    notebook = read(source.with_suffix(".ipynb"))
    code = [c.source.strip() for c in notebook.cells if c.cell_type == "code"]
    solutions = solution_code(source)
    assert solutions, f"{source.name}: no solutions found: the test would prove nothing"
    leaked = [s.splitlines()[0] for s in solutions if s in code]
    assert not leaked, f"{source.name}: solutions in the student notebook: {leaked}"
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "Solution to" not in text


@pytest.mark.parametrize("source", CHAPTERS, ids=IDS)
def test_instructor_notebook_has_the_solutions(built_book, source):
    path = built_book.html / "notebooks" / "instructor" / f"{source.stem}.ipynb"
    code = [c.source.strip() for c in read(path).cells if c.cell_type == "code"]
    missing = [s.splitlines()[0] for s in solution_code(source) if s not in code]
    assert not missing, f"{path.name} lacks solutions: {missing}"


# --- Running them ------------------------------------------------------------------------

RUN_NOTEBOOK = textwrap.dedent("""
    import json, re, sys, nbformat
    from nbclient import NotebookClient
    notebook = nbformat.read(sys.argv[1], as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": sys.argv[2]}}).execute()
    # Outside a book build and Colab, a chart is the Vega-Lite MIME type that JupyterLab
    # draws with its own Vega (usrussia.render): no HTML that could load a script from
    # another host, and small.
    outputs = [output.get("data", {})
               for cell in notebook.cells for output in cell.get("outputs", [])]
    charts = [data for data in outputs if __MIME__ in data]
    remote = sum(1 for data in outputs if "text/html" in data and (
        re.search(r"<script[^>]+src=.https?://", str(data["text/html"]))
        or "cdn.jsdelivr" in str(data["text/html"])))
    print(json.dumps({"charts": len(charts), "remote": remote,
                      "html_charts": sum("vegaEmbed" in str(d.get("text/html", ""))
                                         for d in outputs),
                      "largest": max((len(json.dumps(d)) for d in charts), default=0)}))
""").replace("__MIME__", repr(NOTEBOOK_MIME))

# A chart's output in a saved student notebook is its spec with its data (the "html"
# renderer's, with Vega inline, was about 920,000 characters).
LARGEST_CHART_OUTPUT = 150_000

# The first code cell alone, then every dataset: finds the data from this folder?
FIND_DATA = textwrap.dedent("""
    import json, sys, nbformat
    from nbclient import NotebookClient
    notebook = nbformat.read(sys.argv[1], as_version=4)
    first = next(c for c in notebook.cells if c.cell_type == "code")
    check = nbformat.v4.new_code_cell(
        "print(sum(len(usrussia.load(n)) for n in usrussia.dataset_names()))")
    notebook.cells = [first, check]
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": sys.argv[2]}}).execute()
    print(json.dumps({"rows": int(check.outputs[0]["text"])}))
""")


def run(python, script, notebook, cwd) -> dict:
    result = subprocess.run(
        [str(python), "-c", script, str(notebook), str(cwd)],
        capture_output=True,
        text=True,
        cwd=cwd,
    )
    assert result.returncode == 0, f"{notebook.name} failed in {cwd}:\n{result.stderr[-4000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


COMPILE = ["-m", "compileall", "-q", "-j", "0"]


def cached_venv(name: str, install: list[str], inputs: list[str]) -> Path:
    """The Python of a virtual environment under _build/ made by ``pip install`` with
    ``install`` (run in the book's folder) and compiled, made again when one of the files
    ``inputs``, ``install`` or the compiling changes, and kept between runs otherwise."""
    texts = [(REPO / f).read_text() for f in inputs]
    key = hashlib.sha256("".join([*texts, *install, *COMPILE]).encode()).hexdigest()[:12]
    # Hidden (a dot first): the build globs the source tree for pages, and skips hidden folders.
    venv = REPO / "_build" / f".{name}-venv-{key}"
    python = venv / "bin" / "python"
    if not (venv / ".complete").is_file():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        result = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--no-compile", *install],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        # Compiled once, on every core, as the Makefile compiles .venv (see there: a kernel
        # would otherwise compile what it imports anew where PYTHONDONTWRITEBYTECODE is set).
        subprocess.run([str(python), *COMPILE, str(venv / "lib")], check=True, capture_output=True)
        (venv / ".complete").touch()
    return python


def make_student_venv() -> Path:
    """A virtual environment with requirements.txt and nothing else (the book's own
    package in it is editable, so always the current one)."""
    inputs = ["requirements.txt", "pyproject.toml", "setup.py"]
    return cached_venv("student", ["-r", "requirements.txt"], inputs)


# The oldest versions pyproject.toml allows, as a Colab session has them, and the helper
# package installed the way Colab's set-up cell does it: `pip install .`, not editable.
OLDEST = ["pandas==2.2.*", "altair==5.5.*", "vl-convert-python==1.7.*"]
# What runs the notebooks, and jsonschema as Jupyter's own packages bring it to Colab
# (jupyter-events asks for its `format-nongpl` extra, with rfc3987-syntax since 4.25; not
# pinned here, unlike requirements.txt): tests/test_startup.py checks usrussia.startup in it.
RUNNER = ["ipykernel", "nbclient", "nbformat", "jsonschema[format-nongpl]"]


def make_oldest_venv() -> Path:
    """A virtual environment with the oldest declared versions."""
    # After the student's: both installs run setuptools in the book's folder (its
    # egg-info), which two at once could leave half-written.
    ahead.result("student venv", make_student_venv)
    python = cached_venv("oldest", [*OLDEST, *RUNNER, "."], ["pyproject.toml"])
    # Fresh data each run: reinstall the package itself (quick, no dependencies).
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", "."],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    return python


# Both take a minute or two of pip: tests/ahead.py starts them when these tests are chosen.
START_AT_COLLECTION = {"student venv": make_student_venv, "oldest venv": make_oldest_venv}


@pytest.fixture(scope="session")
def student_python():
    return ahead.result("student venv", make_student_venv)


@pytest.fixture(scope="session")
def oldest_python():
    return ahead.result("oldest venv", make_oldest_venv)


def page_figures(built_book, source) -> int:
    """The page's numbered figures (charts in solutions are not figures)."""
    page = (built_book.html / "chapters" / f"{source.stem}.html").read_text(encoding="utf-8")
    return page.count('<span class="caption-number">Fig')


@pytest.mark.parametrize("source", CHAPTERS, ids=IDS)
def test_each_figure_is_numbered_and_captioned_under_the_cell_that_draws_it(built_book, source):
    """The prose says "Fig. 5.2": the student must be able to tell which chart that is."""
    page = (built_book.html / "chapters" / f"{source.stem}.html").read_text(encoding="utf-8")
    numbers = re.findall(r'<span class="caption-number">(Fig\. [\d.]+)', page)
    cells = read(source.with_suffix(".ipynb")).cells
    captioned = [
        re.match(r"\*\*(Fig\. [\d.]+?)\.?\*\*", cell.source).group(1)
        for previous, cell in zip(cells, cells[1:], strict=False)
        if previous.cell_type == "code"
        and cell.cell_type == "markdown"
        and re.match(r"\*\*Fig\. [\d.]+?\.?\*\*", cell.source)
    ]
    assert [n.rstrip(".") for n in numbers] == captioned


# Session-wide: the tests that use it run in two groups (conftest: before and after the
# book's build), and the runs must not start again for the second.
@pytest.fixture(scope="session")
def notebook_runs(student_python, oldest_python, tmp_path_factory):
    """Every student notebook run as the three tests below run it, from its folder and from
    an unrelated one in the student's environment, and in the oldest versions': two runs
    at a time, since each is one kernel on one core. {(way, chapter): future of ``run``'s
    result}, submitted in the order the tests ask for them."""
    ways = {
        "its folder": (student_python, lambda source: source.parent),
        "an unrelated folder": (student_python, lambda _: tmp_path_factory.mktemp("elsewhere")),
        "the oldest versions": (oldest_python, lambda _: tmp_path_factory.mktemp("oldest")),
    }
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="notebook")
    runs = {
        (way, source.stem): pool.submit(
            run, python, RUN_NOTEBOOK, source.with_suffix(".ipynb"), folder(source)
        )
        for way, (python, folder) in ways.items()
        for source in CHAPTERS
    }
    yield runs
    pool.shutdown(cancel_futures=True)


@pytest.mark.parametrize("source", CHAPTERS, ids=IDS)
def test_notebook_runs_from_its_folder_and_draws_every_chart(notebook_runs, built_book, source):
    result = notebook_runs["its folder", source.stem].result()
    figures = page_figures(built_book, source)
    assert result["charts"] >= figures, (
        f"{source.stem}: the notebook draws {result['charts']} charts, the page {figures}"
    )
    assert result["remote"] == 0, f"{source.stem}: a chart loads its JavaScript from a CDN"
    assert result["html_charts"] == 0, f"{source.stem}: a chart carries Vega as HTML"
    assert result["largest"] < LARGEST_CHART_OUTPUT, (
        f"{source.stem}: a chart output of {result['largest']:,} characters"
    )


@pytest.mark.parametrize("source", CHAPTERS, ids=IDS)
def test_notebook_runs_from_an_unrelated_folder(notebook_runs, source):
    notebook_runs["an unrelated folder", source.stem].result()


def test_first_cell_finds_the_data_from_the_repository_root(student_python):
    # The whole notebooks run from chapters/ and from an unrelated folder above; from the
    # repository root only the data-finding part, to keep the suite fast.
    result = run(student_python, FIND_DATA, CHAPTERS[0].with_suffix(".ipynb"), REPO)
    assert result["rows"] > 0


@pytest.mark.parametrize("source", CHAPTERS, ids=IDS)
def test_notebook_runs_with_the_oldest_declared_versions(notebook_runs, source):
    """Installed non-editably and run outside the book: the data come with the package."""
    notebook_runs["the oldest versions", source.stem].result()


# --- Student cells, in a small book of one chapter ----------------------------------------

PRACTICE = (
    FRONT_MATTER
    + """
```{code-cell} ipython3
:tags: [remove-input]
import usrussia

usrussia.setup()
```

```{code-cell} ipython3
:tags: [remove-cell]
from usrussia import glue

glue("practice_count", f"{len(usrussia.load('timeline')):,}", display=False)
```

# Practice

The timeline holds {glue:text}`practice_count` events {cite:p}`reset-state2009geneva`.

## Exercises

```{exercise}
:label: practice-ex-count

Count the events of 2012.
```

```{code-cell} ipython3
:tags: [student]
events = usrussia.load("timeline")
answer = ...
raise RuntimeError("a student cell ran in the build")
```

````{solution-start} practice-ex-count
:class: dropdown
````

```{code-cell} ipython3
solved = 42
```

````{solution-end}
````
"""
)


def test_student_cells_are_not_run_or_shown_but_are_in_the_notebook(book_copy):
    from tests.conftest import build_book

    root = book_copy(["chapters/practice"])
    (root / "chapters" / "practice.md").write_text(PRACTICE, encoding="utf-8")
    build = build_book(root)
    assert build.returncode == 0, build.log[-4000:]  # the raising student cell did not run
    page = (build.html / "chapters" / "practice.html").read_text(encoding="utf-8")
    assert "a student cell ran" not in page and "answer = ..." not in page

    student = read(root / "_build" / "notebooks" / "student" / "practice.ipynb")
    sources = [(c.cell_type, c.source) for c in student.cells]
    exercise = next(i for i, (t, s) in enumerate(sources) if "Count the events" in s)
    scaffold = next(i for i, (t, s) in enumerate(sources) if "answer = ..." in s)
    assert scaffold == exercise + 1, "the scaffold does not follow its exercise"
    assert student.cells[scaffold].metadata["tags"] == ["student"]
    text = "\n".join(s for t, s in sources if t == "markdown")
    events = len(__import__("usrussia").load("timeline"))
    assert f"{events:,} events" in text and not myst_left(text)
    assert "bibliography.html#" in text, "the citation is not linked to the bibliography"
    assert not any("solved = 42" in s for t, s in sources)
    assert not any("glue(" in s for t, s in sources), "a remove-cell cell reached it"
    assert sources[1][0] == "code" and "usrussia.setup()" in sources[1][1]

    instructor = read(build.html / "notebooks" / "instructor" / "practice.ipynb")
    assert any("solved = 42" in c.source for c in instructor.cells)
