"""Helper package for the open teaching book on U.S.-Russia relations.

A chapter's first cell is::

    import usrussia
    usrussia.setup()

after which ``usrussia.load(name)`` returns a validated dataset from ``data/`` and the
builders in ``usrussia.charts`` draw it in the book's theme with a source note.
"""

from usrussia import charts, theme
from usrussia.data import DataError, dataset_names, load, resource, source_note
from usrussia.render import enable_renderer

__all__ = [
    "DataError",
    "charts",
    "dataset_names",
    "load",
    "resource",
    "setup",
    "source_note",
    "theme",
]


def setup() -> str:
    """Apply the book's chart theme and choose the chart renderer; return its name."""
    theme.register()
    return enable_renderer()
