"""Make sure the browser tests have a Chromium, or say plainly how to get one.

Run by `make test` before pytest. A system Chromium (Debian's `chromium`, which
.ci/run installs) is used when present; otherwise Playwright's own build is fetched.
If neither can be had, the browser tests fail with the message below: they never skip.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

SYSTEM_CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")

HOW_TO_GET_ONE = (
    "No Chromium for the browser tests. On Debian or Ubuntu: "
    "`sudo apt-get install chromium chromium-driver`; elsewhere: "
    "`.venv/bin/playwright install chromium` (needs internet access)."
)


def system_chromium() -> str | None:
    for path in SYSTEM_CHROMIUM_PATHS:
        if shutil.which(path):
            return path
    return None


def playwright_chromium() -> str | None:
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:
        return None
    return path if path and shutil.which(path) else None


def find_chromium() -> str | None:
    return system_chromium() or playwright_chromium()


def main() -> int:
    if find_chromium():
        return 0
    print("No system Chromium found; trying Playwright's own download.")
    subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=False)
    if not find_chromium():
        print(HOW_TO_GET_ONE)
    # Never fail here: the browser tests report the missing browser themselves.
    return 0


if __name__ == "__main__":
    sys.exit(main())
