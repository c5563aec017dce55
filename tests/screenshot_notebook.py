"""Screenshots of a student notebook as JupyterLab shows it: the chapter's top, prose with
numbers, and its first exercise, in headless Chromium.

    .venv/bin/python -m tests.screenshot_notebook [chapters/new_start.ipynb]
    .venv/bin/python -m tests.screenshot_notebook chapters/compare.ipynb --run

Starts JupyterLab on 127.0.0.1 (no token, this machine only), opens the notebook, writes
``_build/screenshots/<name>-top.png``, ``-numbers.png`` (a paragraph with numbers from
the data and citations) and ``-exercise.png``, and stops JupyterLab. With ``--run`` it
also runs every cell and writes ``-chart.png`` (the first chart, drawn as its cell ran)
and ``-check.png`` (a check's feedback on the untouched scaffold), and prints how many
charts JupyterLab drew and any that it could not draw. The browser is offline: every
request to a host other than the local JupyterLab is refused and reported.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser_setup import find_chromium
from usrussia.print_edition import CHROMIUM_ARGS

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "_build" / "screenshots"
EXERCISE = re.compile(r"^Exercise \d+")
NUMBER = re.compile(r"\d,\d{3}")
# Chapters whose prose has no number in the thousands: a decimal, a percentage, a count.
ANY_NUMBER = re.compile(r"\d+\.\d|\d+%| \d{1,3} (?:of|rows|Obama|leaders|episodes|days|years)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"JupyterLab did not answer at {url}")


def run_and_capture(page, prefix: Path) -> list[Path]:
    """Run every cell (Run > Run All Cells), then capture the first chart as it is drawn
    and the first check's feedback on the untouched scaffold: ``<prefix>-chart.png`` and
    ``<prefix>-check.png``."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()
    # Done when the last code cell has its execution number (a failing cell stops the run,
    # and the wait times out).
    page.wait_for_function(
        "() => { const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];"
        " return prompts.length && /\\[\\d+\\]/.test(prompts[prompts.length - 1].textContent); }",
        timeout=300_000,
    )
    page.wait_for_timeout(2000)
    # JupyterLab draws each chart output with its own Vega; a spec it cannot run shows a
    # "Javascript Error" in the output instead.
    charts = page.locator(".jp-OutputArea-output.jp-RenderedVegaCommon5").count()
    drawn = page.locator(
        ".jp-OutputArea-output.jp-RenderedVegaCommon5 :is(canvas.marks, svg.marks)"
    ).count()
    failed = page.locator(".jp-OutputArea-output", has_text="Javascript Error").all_inner_texts()
    print(f"{drawn} of {charts} chart(s) drawn, {len(failed)} failed", file=sys.stderr)
    for text in failed:
        print(f"  {text.strip()}", file=sys.stderr)
    shots = []
    for part, selector in [
        ("chart", ".jp-OutputArea-output:has(svg.marks, canvas.marks, [id^='altair-viz'])"),
        ("check", ".jp-OutputArea-output:has-text('not right yet')"),
    ]:
        target = page.locator(selector).first
        if not target.count():
            print(f"no {part} output found", file=sys.stderr)
            continue
        target.evaluate("element => element.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(1000)
        shot = prefix.with_name(f"{prefix.name}-{part}.png")
        page.screenshot(path=str(shot))
        shots.append(shot)
    return shots


def screenshot(notebook: str = "chapters/new_start.ipynb", run: bool = False) -> list[Path]:
    port = free_port()
    # Render every cell at once (JupyterLab otherwise draws cells as they scroll into view).
    settings = OUT / "lab-settings"
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.write_text('{"windowingMode": "none"}')
    news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True, exist_ok=True)
    news.write_text('{"fetchNews": "false", "checkForUpdates": false}')
    lab = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "jupyter-lab"),
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
            "--allow-root",  # containers often run as root
            f"--ServerApp.root_dir={REPO}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={OUT / 'lab-workspaces'}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    OUT.mkdir(parents=True, exist_ok=True)
    name = Path(notebook).stem
    shots = [OUT / f"{name}-{part}.png" for part in ("top", "numbers", "exercise")]
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/lab")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            refused = []

            def offline(route):
                if route.request.url.startswith(base):
                    route.continue_()
                else:
                    refused.append(route.request.url)
                    route.abort()

            page.route("**/*", offline)
            page.goto(f"{base}/lab/tree/{notebook}?reset", wait_until="load")
            page.wait_for_selector(".jp-Notebook .jp-MarkdownOutput", timeout=60_000)
            page.wait_for_timeout(2000)
            page.screenshot(path=str(shots[0]))
            # A paragraph with numbers from the data (e.g. "1,800") and citations.
            numbers = page.locator(".jp-MarkdownOutput p", has_text=NUMBER)
            if not numbers.count():
                numbers = page.locator(".jp-MarkdownOutput p", has_text=ANY_NUMBER)
            for shot, target in zip(
                shots[1:],
                [
                    numbers.first,
                    page.locator(".jp-MarkdownOutput strong", has_text=EXERCISE).first,
                ],
                strict=True,
            ):
                target.evaluate("element => element.scrollIntoView({block: 'start'})")
                page.wait_for_timeout(1000)
                page.screenshot(path=str(shot))
            if run:
                shots += run_and_capture(page, OUT / name)
            browser.close()
            print(f"{len(refused)} request(s) to other hosts refused", file=sys.stderr)
            for url in refused:
                print(f"  {url}", file=sys.stderr)
    finally:
        lab.terminate()
        lab.wait(timeout=30)
    return shots


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m tests.screenshot_notebook",
        description=__doc__.split("\n\n")[0].replace("\n", " "),
    )
    parser.add_argument("notebook", nargs="?", help="default: chapters/new_start.ipynb")
    parser.add_argument("--run", action="store_true", help="run every cell; capture a chart")
    options = parser.parse_args()
    notebooks = [options.notebook] if options.notebook else []
    for path in screenshot(*notebooks, run=options.run):
        print(path)
