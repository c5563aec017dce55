"""Publish every chapter as a plain .ipynb that opens anywhere (Colab, Binder, Jupyter).

The MyST Markdown chapters are the source; Colab and a plain Jupyter show them as text.
``export_all`` writes ``chapters/<name>.ipynb`` beside each chapter with jupytext, with no
outputs and with one extra first cell that, in Colab only, fetches the book's helper
package and data. The launch buttons of sphinx-book-theme prefer an .ipynb of the same
name, so Binder and Colab open these. A test keeps them in sync with the sources.

Run ``python -m usrussia.notebooks`` (``make notebooks``) after editing a chapter.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat
import yaml

BOOK_ROOT = Path(__file__).resolve().parent.parent
SETUP_TAG = "colab-setup"

COLAB_SETUP = """# Setting up: in Google Colab this fetches the book's helper package and data.
# Anywhere else (Binder, a local Jupyter) it does nothing: the book is already there.
import sys

if "google.colab" in sys.modules:
    import importlib
    import os
    import subprocess

    book = "/content/{folder}"
    if not os.path.isdir(book):
        subprocess.run(["git", "clone", "--depth", "1", "{repository}", book], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", book], check=True)
    importlib.invalidate_caches()
    os.chdir(os.path.join(book, "chapters"))  # so that usrussia.load() finds data/
"""


def book_config(root: Path = BOOK_ROOT) -> dict:
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def chapter_sources(root: Path = BOOK_ROOT) -> list[Path]:
    """The notebook chapters listed in _toc.yml, in order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    entries = [e for part in toc.get("parts", []) for e in part.get("chapters", [])]
    entries += toc.get("chapters", [])
    paths = [root / f"{e['file']}.md" for e in entries if "file" in e]
    return [
        p
        for p in paths
        if p.parent.name == "chapters" and "kernelspec:" in p.read_text(encoding="utf-8")[:2000]
    ]


def to_notebook(source: Path, repository: str) -> nbformat.NotebookNode:
    """The chapter as an output-free notebook with the Colab set-up cell first."""
    notebook = jupytext.read(source)
    folder = repository.rstrip("/").rsplit("/", 1)[-1]
    setup = nbformat.v4.new_code_cell(
        COLAB_SETUP.format(folder=folder, repository=repository).strip(),
        metadata={"tags": [SETUP_TAG]},
    )
    notebook.cells.insert(0, setup)
    for index, cell in enumerate(notebook.cells):
        # Stable ids: the same source always gives the same file.
        cell["id"] = f"cell-{index}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    return notebook


def notebook_text(source: Path, repository: str) -> str:
    return nbformat.writes(to_notebook(source, repository)) + "\n"


def export_all(root: Path = BOOK_ROOT) -> list[Path]:
    """Write chapters/<name>.ipynb for every chapter; return the files written."""
    repository = book_config(root)["repository"]["url"]
    written = []
    for source in chapter_sources(root):
        target = source.with_suffix(".ipynb")
        text = notebook_text(source, repository)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


if __name__ == "__main__":
    changed = export_all(Path(sys.argv[1]) if len(sys.argv) > 1 else BOOK_ROOT)
    print(f"{len(changed)} notebook(s) updated" + "".join(f"\n  {p}" for p in changed))
