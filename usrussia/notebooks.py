"""Put each chapter's student notebook beside its source: ``chapters/<name>.ipynb``.

The notebooks are written by the book build (``usrussia.notebook_export``, from what
Sphinx made of each chapter), into ``_build/notebooks/student/``. This module copies them
into ``chapters/``, where the Binder and Colab buttons open them (sphinx-book-theme links
the ``.ipynb`` of the same name as a chapter when it exists). A test keeps the copies in
sync with the build.

It also copies the build's ``exercise_numbers.json`` (each exercise's label and its name
as the page shows it, "Exercise 4.3") into the package, where ``usrussia.check`` reads it
to name an exercise as the student sees it.

Run ``python -m usrussia.notebooks`` (``make notebooks``, which builds first).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from usrussia.check import EXERCISE_NUMBERS  # the package's copy, read by the checks

BOOK_ROOT = Path(__file__).resolve().parent.parent


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


def built_notebook(source: Path, root: Path = BOOK_ROOT) -> Path:
    """Where the book build writes a chapter's student notebook."""
    return root / "_build" / "notebooks" / "student" / f"{source.stem}.ipynb"


def built_exercise_numbers(root: Path = BOOK_ROOT) -> Path:
    """Where the book build writes the exercises' numbers."""
    return root / "_build" / "notebooks" / EXERCISE_NUMBERS.name


def package_exercise_numbers(root: Path = BOOK_ROOT) -> Path:
    """The copy in the package, which ``usrussia.check`` reads."""
    return root / "usrussia" / EXERCISE_NUMBERS.name


def copy_all(root: Path = BOOK_ROOT) -> list[Path]:
    """Copy every chapter's built student notebook to chapters/, and the exercises' numbers
    into the package; return the files changed."""
    missing = [s.stem for s in chapter_sources(root) if not built_notebook(s, root).is_file()]
    if missing:
        raise SystemExit(
            f"No built student notebook for {', '.join(missing)} in "
            f"{root / '_build' / 'notebooks' / 'student'}: build the book first (`make book`)."
        )
    if not built_exercise_numbers(root).is_file():
        raise SystemExit(f"No {built_exercise_numbers(root)}: build the book first (`make book`).")
    written = []
    copies = [(built_notebook(s, root), s.with_suffix(".ipynb")) for s in chapter_sources(root)]
    copies.append((built_exercise_numbers(root), package_exercise_numbers(root)))
    for built, target in copies:
        text = built.read_text(encoding="utf-8")
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


if __name__ == "__main__":
    changed = copy_all(Path(sys.argv[1]) if len(sys.argv) > 1 else BOOK_ROOT)
    print(f"{len(changed)} file(s) updated" + "".join(f"\n  {p}" for p in changed))
