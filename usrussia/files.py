"""Files that several builds of the book share.

Every build (the web book, the student and instructor editions, the print editions) uses
the book's one execution cache folder, and the web and print builds of an edition share a
doctrees folder; an author or the tests may run two of them at once.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that a reader finds the old file or the new
    one, never a half-written one.

    The text goes to a temporary file beside ``path``, named by this process and thread,
    which then replaces ``path`` in one rename (atomic on POSIX and Windows). Raises
    ``OSError`` as ``Path.write_text`` does; no temporary file is left behind.
    """
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
