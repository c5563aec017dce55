"""Reproducibility across the whole book: every chapter re-executes when a dataset it
loads changes, and executing a notebook again gives the same charts and glued values."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jupytext
import pytest
from jupyter_cache import get_cache
from nbclient import NotebookClient

from tests.conftest import REPO
from tests.test_build import notebook_files
from usrussia import render, sphinx_ext
from usrussia.data import DEFAULT_DATA_DIR, dataset_names

NOTEBOOKS = notebook_files()


def loaded_datasets(source: Path) -> list[str]:
    return sphinx_ext.datasets_used(source.read_text(encoding="utf-8"), dataset_names())


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_dataset_a_notebook_loads_re_executes_it(tmp_path, name):
    source = REPO / f"{name}.md"
    used = loaded_datasets(source)
    if name.startswith("chapters/"):
        assert used, f"{name} loads no dataset"
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data, ignore=shutil.ignore_patterns("staging"))
    before = sphinx_ext.notebook_fingerprint(source, data)
    for dataset in used:
        csv = data / f"{dataset}.csv"
        original = csv.read_bytes()
        csv.write_bytes(original + b"\n")
        assert sphinx_ext.notebook_fingerprint(source, data) != before, (
            f"changing {dataset}.csv would not re-execute {name}"
        )
        csv.write_bytes(original)
    assert sphinx_ext.notebook_fingerprint(source, data) == before


GLUE_PREFIX = "application/papermill.record/"


def comparable_outputs(notebook) -> list[str]:
    """Chart specifications and glued values, in order (glued outputs carry their MIME
    types behind myst-nb's record prefix)."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = {k.removeprefix(GLUE_PREFIX): v for k, v in output.get("data", {}).items()}
            if render.CHART_MIME in data:
                found.append(json.dumps(data[render.CHART_MIME]["spec"], sort_keys=True))
            elif "scrapbook" in output.get("metadata", {}) and "text/plain" in data:
                found.append(data["text/plain"])
    return found


def execute_again(source: Path):
    """The notebook at ``source`` executed once more as the build executes it: without the
    students' scaffold and check cells, which the build does not run either."""
    again = jupytext.read(source)
    again.cells = [c for c in again.cells if "student" not in c.metadata.get("tags", [])]
    NotebookClient(
        again,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(source.parent)}},
    ).execute()
    return again


def test_a_second_execution_gives_the_same_charts_and_values(built_book, monkeypatch):
    monkeypatch.setenv(render.BOOK_BUILD_ENV, "1")
    cache = get_cache(str(REPO / "_build" / ".jupyter_cache"))
    records = {Path(r.uri).resolve(): r for r in cache.list_cache_records()}
    sources = [(REPO / f"{name}.md").resolve() for name in NOTEBOOKS]
    # Two at a time: each execution is one kernel, on one core.
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="again") as pool:
        executed = list(pool.map(execute_again, sources))
    compared = 0
    for name, source, again in zip(NOTEBOOKS, sources, executed, strict=True):
        built = cache.get_cache_bundle(records[source].pk).nb
        first, second = comparable_outputs(built), comparable_outputs(again)
        assert first == second, f"{name}: outputs differ between two executions"
        compared += len(first)
    assert compared > 50, f"only {compared} charts and values were compared"
