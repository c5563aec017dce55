"""Lighthouse (mobile profile) on the built chapter pages, served gzip-compressed.

    .venv/bin/python -m benchmarks.lighthouse_run [html_dir]

Lighthouse is the npm package, installed once into benchmarks/lighthouse:
``npm install --prefix benchmarks/lighthouse lighthouse@12``; it drives Debian's Chromium
(``CHROME_PATH``) and works offline. The pages are served from 127.0.0.1 with gzip, as
GitHub Pages serves them.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.browser_setup import find_chromium
from usrussia.notebooks import chapter_sources

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
COMPRESSED = {".html", ".js", ".css", ".svg", ".json", ".txt", ".map"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, compressed when the browser accepts gzip (like GitHub Pages)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # Lighthouse closes connections it no longer needs


def serve(html_dir: Path):
    handler = functools.partial(GzipHandler, directory=str(html_dir))
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def lighthouse(url: str) -> dict:
    """Scores (0-100), total transfer bytes and LCP (s) of one page, mobile profile."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--only-categories=performance,accessibility,best-practices,seo",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": find_chromium() or "/usr/bin/chromium"},
            capture_output=True,
        )
        data = json.loads(report.read_text())
    scores = {k: round(v["score"] * 100) for k, v in data["categories"].items()}
    audits = data["audits"]
    return {
        **scores,
        "bytes": audits["total-byte-weight"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"] / 1000,
        "failed": [
            k
            for k, a in audits.items()
            if a.get("score") is not None
            and a["score"] < 1
            and a.get("scoreDisplayMode") == "binary"
        ],
    }


def main() -> None:
    html_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("_build/html")
    server, base = serve(html_dir)
    pages = ["index"] + [f"chapters/{p.stem}" for p in chapter_sources()]
    print("| Page | Performance | Accessibility | Best practices | SEO | Transfer | LCP | TBT |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    try:
        for page in pages:
            r = lighthouse(f"{base}/{page}.html")
            print(
                f"| {page} | {r['performance']} | {r['accessibility']} | {r['best-practices']} "
                f"| {r['seo']} | {r['bytes'] / 1e6:.2f} MB | {r['lcp']:.1f} s | {r['tbt']:.2f} s |"
                + (f" failed: {', '.join(r['failed'])}" if r["failed"] else ""),
                flush=True,
            )
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
