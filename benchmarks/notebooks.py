"""Each notebook's execution against the kernel-plus-imports floor, in the build's setting.

    .venv/bin/python -m benchmarks.notebooks [--runs 2] [--book .]

Needs a built book (`make book`): it runs the notebooks the build executed (those in
`_build/.jupyter_cache`) the way the build runs them, one fresh kernel each, through
jupyter-cache and nbclient, in the notebook's folder, with the build's environment: the
book-build flag (`USRUSSIA_BOOK_BUILD=1`), the book's kernel profile (`_build/ipython`) and
the build's record of the datasets it checked (`usrussia.data.VALIDATED_ENV`). Right before
each notebook it runs the floor, a kernel that starts and imports pandas and Altair, in the
same setting, so that both see the same load on the machine; each notebook gets ``--runs``
such pairs, interleaved with the other notebooks'. Prints a Markdown table of the median
seconds and the ratio to the floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

import jupytext
import nbformat
from jupyter_cache import get_cache
from jupyter_cache.executors.utils import single_nb_execution

from usrussia import data, render

FLOOR_SOURCE = "import pandas\nimport altair"
# The same imports without jsonschema's IRI checker, whose grammars (rfc3987_syntax) cost
# 1.2-1.5 s of CPU at import and which the book's kernels no longer build (usrussia.startup):
# the least that pandas and Altair can cost here, for a stricter ratio.
LIGHT_FLOOR_SOURCE = "import sys\nsys.modules['rfc3987_syntax'] = None\n" + FLOOR_SOURCE


def build_environment(book: Path) -> dict[str, str]:
    """The variables the book build gives its kernels (see usrussia.sphinx_ext)."""
    build = book / "_build"
    profile = build / "ipython"
    validated = build / ".doctrees" / "usrussia-validated"
    if not profile.is_dir() or not validated.is_dir():
        raise SystemExit(f"{build} has no built book: run `make book` first")
    return {
        render.BOOK_BUILD_ENV: "1",
        "IPYTHONDIR": str(profile),
        data.VALIDATED_ENV: str(validated),
    }


def executed_notebooks(book: Path) -> list[Path]:
    """The notebooks the last build executed, in the order of their source paths."""
    cache = get_cache(str(book / "_build" / ".jupyter_cache"))
    return sorted(Path(record.uri) for record in cache.list_cache_records())


def run_seconds(notebook: nbformat.NotebookNode, folder: Path) -> float:
    """Seconds to start a kernel and run every code cell, as the build does."""
    result = single_nb_execution(notebook, cwd=str(folder), timeout=180, allow_errors=False)
    if result.err is not None:
        raise SystemExit(f"a cell failed in {folder}:\n{result.exc_string}")
    return result.time


def floor_notebook(source: str = FLOOR_SOURCE) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return notebook


def measure(book: Path, runs: int) -> list[tuple[str, float, float, float]]:
    """``[(notebook, floor s, light floor s, notebook s)]``, medians over ``runs`` rounds
    (each round: the floor, the light floor, then the notebook, for every notebook)."""
    os.environ.update(build_environment(book))
    paths = executed_notebooks(book)
    times: dict[Path, list[list[float]]] = {path: [[], [], []] for path in paths}
    for _ in range(runs):
        for path in paths:
            floor, light, own = times[path]
            floor.append(run_seconds(floor_notebook(), path.parent))
            light.append(run_seconds(floor_notebook(LIGHT_FLOOR_SOURCE), path.parent))
            own.append(run_seconds(jupytext.read(path), path.parent))
    return [
        (str(path.relative_to(book).with_suffix("")), *map(statistics.median, times[path]))
        for path in paths
    ]


def table(rows: list[tuple[str, float, float, float]]) -> str:
    lines = [
        "| Notebook | Floor | Floor without the IRI grammars | Notebook | Ratio (stricter) |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {name} | {floor:.2f} s | {light:.2f} s | {own:.2f} s | "
        f"{own / floor:.2f}× ({own / light:.2f}×) |"
        for name, floor, light, own in rows
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="floor-notebook pairs per notebook")
    parser.add_argument("--book", type=Path, default=Path("."), help="the built book's folder")
    args = parser.parse_args()
    print(table(measure(args.book.resolve(), args.runs)))


if __name__ == "__main__":
    main()
