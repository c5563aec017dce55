"""Helper package for the open teaching book on U.S.-Russia relations.

A chapter's first cell is::

    import usrussia
    usrussia.setup()

after which ``usrussia.load(name)`` returns a validated dataset from ``data/`` and the
builders in ``usrussia.charts`` draw it in the book's theme with a source note.
"""

# First, before Altair imports jsonschema: jsonschema without the IRI grammars it would
# build at once and the book never uses (see usrussia/startup.py).
from usrussia.startup import import_jsonschema_lightly

import_jsonschema_lightly()

# isort: split
from usrussia import charts, check, facts, theme  # noqa: E402
from usrussia.data import DataError, dataset_names, load, resource, source_note  # noqa: E402
from usrussia.render import enable_renderer  # noqa: E402

__all__ = [
    "DataError",
    "charts",
    "check",
    "dataset_names",
    "facts",
    "glue",
    "glue_facts",
    "load",
    "resource",
    "setup",
    "source_note",
    "theme",
]


def glue(name: str, value, display: bool = False) -> None:
    """Store a value for the book's prose ({glue:text}`name`), as myst-nb's glue does.

    Where myst-nb is not installed (a bare Colab session) the value is simply shown,
    so a chapter runs unchanged everywhere.
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        if display:
            from IPython.display import display as show

            show(value)
        return
    myst_glue(name, value, display=display)


def glue_facts(facts: dict[str, str]) -> None:
    """Glue every ``{name: text}`` of a chapter's facts (``usrussia.facts``) for its prose.

    Nothing is shown: the values appear only where the prose names them.
    """
    for name, text in facts.items():
        glue(name, text, display=False)


def setup() -> None:
    """Apply the book's chart theme and choose the chart renderer.

    Returns nothing, so a chapter's first cell shows no output.
    """
    theme.register()
    enable_renderer()
