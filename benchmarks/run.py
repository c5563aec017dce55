"""Measure build speed, notebook execution time and page weight; print a table.

    .venv/bin/python -m benchmarks.run            # prints the table
    .venv/bin/python -m benchmarks.run --write    # also records it in benchmarks/README.md

Everything runs on a copy of the book in a temporary folder, so the measurements start
from a cold cache and leave the working tree alone. Targets (issue "Quality you can
measure"): a no-change rebuild takes at most a fifth of the cold build; a code edit
re-executes only its notebook; a chapter page (without the theme's shared assets) loads
under 1 MB; each notebook executes within 2x the time of a kernel that only imports
pandas and Altair.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from nbclient import NotebookClient

from tests.browser_setup import find_chromium
from tests.conftest import BIN, BUILD_FLAGS, REPO, QuietHandler, copy_book
from usrussia.notebooks import chapter_sources
from usrussia.print_edition import CHROMIUM_ARGS

README = Path(__file__).with_name("README.md")
EXECUTED = re.compile(r"(\S+\.md): Executed notebook")


def timed_build(book: Path) -> tuple[float, list[str]]:
    start = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(book), *BUILD_FLAGS],
        capture_output=True,
        text=True,
        cwd=book,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed:\n{(result.stdout + result.stderr)[-3000:]}")
    return elapsed, EXECUTED.findall(result.stdout + result.stderr)


def import_floor(runs: int = 3) -> float:
    """Seconds for a kernel to start and import pandas and Altair: the least a chapter costs."""
    times = []
    for _ in range(runs):
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell("import pandas\nimport altair")]
        start = time.perf_counter()
        NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
        times.append(time.perf_counter() - start)
    return min(times)


def execution_times(book: Path) -> dict[str, float]:
    cache = get_cache(str(book / "_build" / ".jupyter_cache"))
    return {
        Path(record.uri).stem: record.data.get("execution_seconds", float("nan"))
        for record in cache.list_cache_records()
    }


def page_weights(html_dir: Path, pages: list[str]) -> dict[str, tuple[int, int, float]]:
    """For each page: bytes it loads in all, bytes without the theme's shared assets, and
    seconds from navigation until every chart is drawn (headless Chromium)."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        for page_name in pages:
            context = browser.new_context()
            tab = context.new_page()
            sizes: dict[str, int] = {}

            def record(response, sizes=sizes):
                # Redirects and aborted requests have no body to count.
                with contextlib.suppress(Exception):
                    sizes[response.url] = len(response.body())

            tab.on("response", record)
            start = time.perf_counter()
            tab.goto(f"{base}/{page_name}.html", wait_until="load")
            tab.wait_for_function(
                "() => [...document.querySelectorAll('figure.usrussia-chart')]"
                ".every(f => f.dataset.rendered)",
                timeout=60_000,
            )
            drawn = time.perf_counter() - start
            tab.wait_for_load_state("networkidle")
            total = sum(sizes.values())
            own = sum(
                size
                for url, size in sizes.items()
                if "/_static/" not in url or "/_static/usrussia/" in url
            )
            results[page_name] = (total, own, drawn)
            context.close()
        browser.close()
    server.shutdown()
    return results


def measure() -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    chapters = [f"chapters/{p.stem}" for p in chapter_sources()]
    with tempfile.TemporaryDirectory() as folder:
        book = copy_book(Path(folder) / "book", [])
        shutil.copy(REPO / "_toc.yml", book / "_toc.yml")

        cold, executed = timed_build(book)
        rows.append(
            (
                "Cold build (executes every notebook)",
                f"{cold:.1f} s",
                f"{len(executed)} notebooks executed",
            )
        )
        unchanged, executed = timed_build(book)
        rows.append(
            (
                "Rebuild, nothing changed",
                f"{unchanged:.1f} s",
                f"{unchanged / cold:.0%} of cold (target ≤ 20%); {len(executed)} executed",
            )
        )
        first = book / f"{chapters[0]}.md"
        first.write_text(first.read_text() + "\nA sentence added for the benchmark.\n")
        prose, executed = timed_build(book)
        rows.append(
            (
                "Rebuild after a prose edit",
                f"{prose:.1f} s",
                f"{len(executed)} notebooks executed (target 0)",
            )
        )
        # A new code cell changes the notebook's code, as an author's edit would (an edit
        # at the top of a cell could land among its option lines).
        first.write_text(first.read_text() + "\n```{code-cell} ipython3\nbenchmark = 1\n```\n")
        code, executed = timed_build(book)
        rows.append(
            (
                "Rebuild after a code edit in one chapter",
                f"{code:.1f} s",
                f"{len(executed)} notebook(s) executed (target 1): "
                + ", ".join(Path(p).stem for p in executed),
            )
        )

        floor = import_floor()
        rows.append(("Kernel start + import pandas, Altair (floor)", f"{floor:.1f} s", ""))
        for name, seconds in sorted(execution_times(book).items()):
            rows.append(
                (
                    f"Execute {name}",
                    f"{seconds:.1f} s",
                    f"{seconds / floor:.1f}x the floor (target ≤ 2x)",
                )
            )

        if find_chromium():
            for page, (total, own, drawn) in page_weights(book / "_build/html", chapters).items():
                rows.append(
                    (
                        f"Page {page}",
                        f"{own / 1e6:.2f} MB",
                        f"without theme assets (target < 1 MB); {total / 1e6:.2f} MB "
                        f"in all; charts drawn {drawn:.2f} s after navigation",
                    )
                )
    return rows


def table(rows) -> str:
    lines = ["| Measure | Value | Note |", "| --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="record in benchmarks/README.md")
    args = parser.parse_args()
    result = table(measure())
    print(result)
    if args.write:
        header = README.read_text().split("## Results")[0] if README.exists() else ""
        README.write_text(
            f"{header}## Results\n\nMeasured {date.today():%Y-%m-%d} on {machine()}.\n\n{result}\n"
        )


if __name__ == "__main__":
    main()
