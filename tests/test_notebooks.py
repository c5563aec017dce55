"""The .ipynb edition of every chapter: in sync with its source, and runnable as a student
would run it, in a fresh environment made from requirements.txt alone."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO
from usrussia.notebooks import book_config, chapter_sources, notebook_text

CHAPTERS = chapter_sources()
REPOSITORY = book_config()["repository"]["url"]


@pytest.mark.parametrize("source", CHAPTERS, ids=lambda p: p.stem)
def test_notebook_is_in_sync_with_its_chapter(source):
    target = source.with_suffix(".ipynb")
    assert target.is_file(), f"{target.name} is missing: run `make notebooks`"
    assert target.read_text(encoding="utf-8") == notebook_text(source, REPOSITORY), (
        f"{target.name} is out of date with {source.name}: run `make notebooks`"
    )


@pytest.fixture(scope="module")
def student_python(tmp_path_factory):
    """A new virtual environment with requirements.txt and nothing else."""
    venv = tmp_path_factory.mktemp("student") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-r", "requirements.txt"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return python


RUN_NOTEBOOK = textwrap.dedent("""
    import sys, nbformat
    from nbclient import NotebookClient
    path = sys.argv[1]
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": sys.argv[2]}}).execute()
    print("ran", len(notebook.cells), "cells")
""")


@pytest.mark.parametrize("source", CHAPTERS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_in_a_fresh_environment(student_python, source):
    notebook = source.with_suffix(".ipynb")
    result = subprocess.run(
        [str(student_python), "-c", RUN_NOTEBOOK, str(notebook), str(source.parent)],
        capture_output=True,
        text=True,
        cwd=source.parent,
    )
    assert result.returncode == 0, f"{notebook.name} failed:\n{result.stderr[-4000:]}"


def test_launch_buttons_open_the_notebook(built_book):
    page = (built_book.html / "chapters" / f"{CHAPTERS[0].stem}.html").read_text()
    name = f"chapters/{CHAPTERS[0].stem}.ipynb"
    assert f"urlpath=lab/tree/{name}" in page, "the Binder button does not open the .ipynb"
    assert f"/blob/main/{name}" in page, "the Colab button does not open the .ipynb"
