"""Every way from a page into a running notebook: Binder, Colab, the download button,
Thebe (switched off), JupyterLab's viewer for the .md sources, and forks' buttons."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from urllib.parse import unquote

import nbformat
import pytest
import yaml

from tests.conftest import REPO
from usrussia.notebook_export import REPOSITORY_ENV, point_buttons_at_repository
from usrussia.notebooks import book_config, chapter_sources

CHAPTERS = {p.stem for p in chapter_sources()}
BINDER = re.compile(
    r'href="https://mybinder\.org/v2/gh/[^/]+/[^/]+/[^?"]+\?urlpath=lab/tree/([^"]+)"'
)
COLAB = re.compile(
    r'href="https://colab\.research\.google\.com/github/[^/]+/[^/]+/blob/[^/]+/([^"]+)"'
)
DOWNLOAD = re.compile(r'href="((?:\.\./)*_sources/[^"]+\.ipynb)"')


def pages(built_book):
    return sorted(built_book.html.rglob("*.html"))


def test_launch_links_name_student_notebooks_that_exist(built_book):
    seen = 0
    for page in pages(built_book):
        html = page.read_text(encoding="utf-8")
        relative = page.relative_to(built_book.html).with_suffix("").as_posix()
        for kind, pattern in (("Binder", BINDER), ("Colab", COLAB)):
            for target in pattern.findall(html):
                seen += 1
                target = unquote(target)
                # Binder and Colab open .ipynb; a .md would open as text in Colab.
                assert target.endswith(".ipynb"), f"{relative}: {kind} opens {target}"
                assert (REPO / target).is_file(), f"{relative}: {kind} opens missing {target}"
                assert target == f"{relative}.ipynb", f"{relative}: {kind} opens {target}"
    assert seen >= 2 * len(CHAPTERS), "fewer launch links than chapters: none were found?"


def test_only_chapter_pages_have_launch_links(built_book):
    for page in pages(built_book):
        html = page.read_text(encoding="utf-8")
        relative = page.relative_to(built_book.html).with_suffix("").as_posix()
        is_chapter = relative.startswith("chapters/") and page.stem in CHAPTERS
        has_links = bool(BINDER.search(html) or COLAB.search(html))
        assert has_links == is_chapter, f"{relative}: launch links {has_links}"


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_download_button_serves_the_student_notebook(built_book, chapter):
    page = built_book.html / "chapters" / f"{chapter}.html"
    links = DOWNLOAD.findall(page.read_text(encoding="utf-8"))
    assert links, f"{chapter}: no .ipynb download"
    served = (page.parent / links[0]).resolve()
    text = served.read_text(encoding="utf-8")
    assert text == (REPO / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8")
    assert "application/vnd.usrussia" not in text  # the book's private chart type


def test_non_chapter_pages_offer_no_notebook_download(built_book):
    for page in pages(built_book):
        if page.parent.name == "chapters" and page.stem in CHAPTERS:
            continue
        assert not DOWNLOAD.search(page.read_text(encoding="utf-8")), page.name


def test_thebe_is_off_on_every_page(built_book):
    """Thebe is switched off (see _config.yml): no page offers Live Code."""
    assert book_config()["launch_buttons"]["thebe"] is False
    for page in pages(built_book):
        html = page.read_text(encoding="utf-8")
        assert "launch-thebe" not in html and "initThebe" not in html, page.name


def test_jupyterlab_opens_md_sources_as_notebooks():
    settings = json.loads(
        (REPO / ".jupyter" / "labconfig" / "default_setting_overrides.json").read_text()
    )
    viewers = settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == viewers["myst"] == "Jupytext Notebook"
    makefile = (REPO / "Makefile").read_text()
    assert "etc/jupyter/labconfig" in makefile, "make's environment lacks the setting"
    requirements = (REPO / "requirements.txt").read_text()
    for package in ("jupyterlab==", "nbconvert==", "jupytext=="):
        assert package in requirements


def test_pages_workflow_points_buttons_at_its_own_repository():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "book.yml").read_text())
    env = workflow["jobs"]["test-and-build"]["env"]
    assert "${{ github.repository }}" in env[REPOSITORY_ENV]


def config_with(url):
    return SimpleNamespace(html_theme_options={"repository_url": url, "path_to_docs": ""})


def test_repository_override_changes_the_buttons_not_the_notebooks(monkeypatch):
    app = SimpleNamespace()
    config = config_with("https://github.com/us-russia-book/us-russia-relations")
    monkeypatch.setenv(REPOSITORY_ENV, "https://github.com/a-fork/us-russia-relations")
    point_buttons_at_repository(app, config)
    assert config.html_theme_options["repository_url"].startswith("https://github.com/a-fork/")
    assert app.usrussia_repository == "https://github.com/us-russia-book/us-russia-relations"

    monkeypatch.delenv(REPOSITORY_ENV)
    config = config_with("https://github.com/us-russia-book/us-russia-relations")
    point_buttons_at_repository(app, config)
    assert config.html_theme_options["repository_url"].startswith(
        "https://github.com/us-russia-book/"
    )


def test_assignment_edition_keeps_buttons_that_serve_the_student_notebook(built_book):
    from tests.test_editions import built_edition
    from tests.test_notebooks import solution_code

    chapter = "reset"
    page = built_edition("student") / "chapters" / f"{chapter}.html"
    html = page.read_text(encoding="utf-8")
    assert BINDER.findall(html) == COLAB.findall(html) == [f"chapters/{chapter}.ipynb"]
    assert "_sources/chapters/reset.md" not in html, "a page source it does not have"
    served = nbformat.read(page.parent / DOWNLOAD.findall(html)[0], as_version=4)
    code = [cell.source.strip() for cell in served.cells if cell.cell_type == "code"]
    solutions = solution_code(REPO / "chapters" / f"{chapter}.md")
    assert code and solutions and not [s for s in solutions if s in code]
