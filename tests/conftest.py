"""Shared fixtures: the real book build, temporary copies of the book, and Chromium."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BUILD_FLAGS = ["-W", "-n", "--keep-going"]

# Fast tests first (data, loader, helpers), then the build, then the browser.
MODULE_ORDER = [
    "test_data",
    "test_loader",
    "test_charts",
    "test_extension",
    "test_chapters_source",
    "test_build",
    "test_browser",
]


def pytest_collection_modifyitems(items):
    def rank(item):
        name = Path(str(item.fspath)).stem
        return MODULE_ORDER.index(name) if name in MODULE_ORDER else len(MODULE_ORDER)

    items.sort(key=rank)


@dataclass
class Build:
    root: Path
    returncode: int
    log: str

    @property
    def html(self) -> Path:
        return self.root / "_build" / "html"


def build_book(root: Path, *extra: str) -> Build:
    """Run the same build as `make book` on the book at ``root``."""
    result = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(root), *BUILD_FLAGS, *extra],
        cwd=root,
        capture_output=True,
        text=True,
    )
    log = result.stdout + result.stderr
    (root / "_build").mkdir(exist_ok=True)
    (root / "_build" / "last-build.log").write_text(log)
    return Build(root, result.returncode, log)


@pytest.fixture(scope="session")
def built_book() -> Build:
    """The real book, built once for the session (reusing the execution cache)."""
    build = build_book(REPO)
    assert build.returncode == 0, f"The book build failed:\n{build.log[-6000:]}"
    return build


COPY_IGNORE = shutil.ignore_patterns(
    ".venv", "_build", ".git", "tests", "benchmarks", "__pycache__", "*.egg-info", ".*cache"
)


def copy_book(destination: Path, chapters: list[str]) -> Path:
    """A copy of the book whose table of contents holds only ``chapters``."""
    shutil.copytree(REPO, destination, ignore=COPY_IGNORE)
    entries = "\n".join(f"  - file: {c}" for c in chapters)
    (destination / "_toc.yml").write_text(f"format: jb-book\nroot: index\nchapters:\n{entries}\n")
    return destination


@pytest.fixture
def book_copy(tmp_path):
    return lambda chapters: copy_book(tmp_path / "book", chapters)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    from tests.browser_setup import HOW_TO_GET_ONE, find_chromium

    path = find_chromium()
    if not path:
        pytest.fail(HOW_TO_GET_ONE)
    return path
