"""The numbers each chapter's prose states, computed from the datasets.

One function per chapter returns ``{glue name: text}`` for every ``{glue:text}`` the
chapter uses; the chapter glues them all at once in its single hidden cell::

    usrussia.glue_facts(usrussia.facts.new_start())

``describe(label)`` gives the text alternative (for screen readers) of the figure with
that label, also computed from the data. Students' notebooks never need these: they only
put numbers into the book's sentences.
"""

from __future__ import annotations

from usrussia.facts import (
    _after_2022,
    _compare,
    _geneva,
    _helsinki,
    _minsk,
    _new_start,
    _overview,
    _reset,
)
from usrussia.facts._after_2022 import after_2022
from usrussia.facts._compare import compare
from usrussia.facts._geneva import geneva
from usrussia.facts._helsinki import helsinki
from usrussia.facts._lab_commentary import blog_check as lab_blog_check
from usrussia.facts._lab_commentary import lab_commentary
from usrussia.facts._minsk import MH17_DEATHS, minsk
from usrussia.facts._new_start import limits as new_start_limits
from usrussia.facts._new_start import new_start
from usrussia.facts._overview import overview
from usrussia.facts._reset import reset

__all__ = [
    "FACT_FUNCTIONS",
    "after_2022",
    "compare",
    "geneva",
    "helsinki",
    "lab_blog_check",
    "lab_commentary",
    "MH17_DEATHS",
    "describe",
    "minsk",
    "new_start",
    "new_start_limits",
    "overview",
    "reset",
]

# Chapter name -> its fact function; the chapter's figures' labels start with its name.
FACT_FUNCTIONS = {
    "after_2022": after_2022,
    "compare": compare,
    "geneva": geneva,
    "helsinki": helsinki,
    "lab_commentary": lab_commentary,
    "minsk": minsk,
    "new_start": new_start,
    "overview": overview,
    "reset": reset,
}
_DESCRIBERS = {
    "after_2022": _after_2022.describe,
    "compare": _compare.describe,
    "geneva": _geneva.describe,
    "helsinki": _helsinki.describe,
    "minsk": _minsk.describe,
    "new_start": _new_start.describe,
    "overview": _overview.describe,
    "reset": _reset.describe,
}


def describe(figure: str) -> str:
    """The text alternative of the figure labelled ``figure`` (e.g. "new_start-fig-warheads").

    Raises KeyError for a label no chapter draws.
    """
    for chapter, describer in sorted(_DESCRIBERS.items(), key=lambda kv: -len(kv[0])):
        prefixes = (chapter, f"fig-{chapter}", f"fig-{chapter.replace('_', '-')}")
        if figure.startswith(prefixes):
            return describer(figure)
    raise KeyError(f"No chapter draws a figure labelled {figure!r}")
