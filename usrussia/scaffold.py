"""Start a new chapter: ``make chapter NAME=arms_control`` (or ``python -m usrussia.scaffold``).

Writes ``chapters/<name>.md`` from the template below, with the front matter, the set-up
cell and the sections AUTHORING.md asks for, a starter chart drawn from the timeline
dataset, and labels of its own (each prefixed with the chapter name, so that none
collides with another chapter's). It then adds the chapter to the "Episodes" part of
``_toc.yml``, after the last episode, which is how the build and the chapter tests find
it. It refuses a name that is taken or that is not a plain lower-case identifier, and
writes nothing in that case.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

BOOK_ROOT = Path(__file__).resolve().parent.parent
EPISODES_CAPTION = "Episodes"
VALID_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")

# The front matter that makes a .md file a MyST notebook (jupytext, kernel): every chapter
# starts with it.
FRONT_MATTER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""

# A new chapter's times, stated once in its front matter; the "Time and prerequisites"
# line, the Instructor guide and the instructor notes are checked against them.
STARTER_MINUTES = {"reading_minutes": 30, "exercise_minutes": 30}

TEMPLATE = (
    FRONT_MATTER.removesuffix("---\n")
    + "usrussia:\n"
    + "".join(f"  {key}: {value}\n" for key, value in STARTER_MINUTES.items())
    + "---\n"
    + """
```{{code-cell}} ipython3
:tags: [remove-input]
import usrussia

usrussia.setup()
```

```{{code-cell}} ipython3
:tags: [remove-cell]
# Numbers for the prose, glued here and shown with {{glue:text}}; once there are several,
# compute them in a function of usrussia.facts and glue them all at once (AUTHORING.md).
events = usrussia.load("timeline")
usrussia.glue("{name}_window_events", f"{{events['date'].dt.year.between(2009, 2013).sum()}}")
```

# {title}

```{{admonition}} Learning objectives
:class: tip

After this chapter you will be able to:

- (objective 1: "explain …")
- (objective 2: "compare …")
- (objective 3: "use the data to …")
- (objective 4)
```

**Time and prerequisites.** About {reading_minutes} minutes of reading and
{exercise_minutes} minutes of exercises. (Which chapters to read first; the times live in
the front matter.)

## Background

(The narrative, in sections with `##` headings. Every date, figure and quotation carries a
citation to an entry of references.bib; every number the data hold is computed in a cell
and glued, never typed. See AUTHORING.md.)

```{{code-cell}} ipython3
---
tags: [hide-input]
mystnb:
  figure:
    name: {name}-fig-timeline
    caption: |
      (The caption: what the reader should see in the chart.)
---
# The starter chart: the book's timeline in a window of years. Change the years, the
# title (the chart's finding) and the description (what a screen reader hears). A figure
# cell shows exactly one output, the chart.
first_year, last_year = 2009, 2013
events = usrussia.load("timeline")
window = events[events["date"].dt.year.between(first_year, last_year)]
usrussia.charts.timeline(
    window,
    title=f"{{len(window)}} dated events of {{first_year}}–{{last_year}} in the book's timeline",
    description=(
        f"Timeline of the U.S.-Russia events of {{first_year}} to {{last_year}} in the book's "
        "timeline dataset, one row per event category, coloured by episode."
    ),
    datasets=["timeline"],
)
```

The book's timeline holds {{glue:text}}`{name}_window_events` dated events of 2009–2013
({{numref}}`{name}-fig-timeline` shows them).

## Perspectives

(How Washington framed the episode and how Moscow framed it, each from its own statements,
quoted briefly and cited; opinion labelled as opinion.)

```{{admonition}} Reading sources
:class: note

(How to judge one partisan or advocacy source that this chapter uses.)
```

## Key takeaways

- (takeaway 1)
- (takeaway 2)
- (takeaway 3)
- (takeaway 4)

## Discussion questions

1. (question 1)
2. (question 2)
3. (question 3)

## Exercises

```{{exercise}}
:label: {name}-ex-open

**Open question.** (An essay question that the chapter's evidence can inform but not
settle. Its model answer goes in `instructor_notes/{name}.md`.) For a start: change the
window of {{numref}}`{name}-fig-timeline` to other years; which categories of events
dominate, and what does the book's choice of events leave out?
```

````{{solution-start}} {name}-ex-open
:class: dropdown
````

```{{code-cell}} ipython3
events = usrussia.load("timeline")
later = events[events["date"].dt.year.between(2014, 2018)]
later["category"].value_counts()
```

See the instructor notes for a model answer.

````{{solution-end}}
````

(At least two more exercises, each making the student change and run code: a `student`
cell with `...` where the student writes, then a check cell calling a function of
usrussia.check that you add; see AUTHORING.md, "Exercises".)

## Further reading

(Three to six annotated items, each cited.)

````{{only}} edition_instructor
```{{include}} ../instructor_notes/{name}.md
```
````

## References

```{{source-mix}}
```

```{{bibliography}}
:filter: docname in docnames
```
"""
)


class ScaffoldError(Exception):
    """The chapter cannot be made; the message says why, in words."""


def episode_chapters(root: Path = BOOK_ROOT) -> list[Path]:
    """The notebook chapters of the Episodes part of _toc.yml, in order (a subset of
    ``usrussia.notebooks.chapter_sources``)."""
    from usrussia.notebooks import chapter_sources

    toc = yaml.safe_load(_toc_text(root))
    files = {
        entry.get("file")
        for part in toc.get("parts", [])
        if part.get("caption") == EPISODES_CAPTION
        for entry in part.get("chapters", [])
    }
    return [p for p in chapter_sources(root) if f"chapters/{p.stem}" in files]


def check_name(name: str, root: Path = BOOK_ROOT) -> None:
    """Raise ScaffoldError unless ``name`` is a fresh, plain chapter name."""
    if not VALID_NAME.match(name):
        raise ScaffoldError(
            f"{name!r} is not a usable chapter name: use 2 to 40 lower-case letters, digits "
            "and underscores, starting with a letter (for example arms_control)."
        )
    existing = sorted(
        (p for p in (root / "chapters").glob(f"{name}.*") if p.suffix in (".md", ".ipynb")),
        key=lambda p: p.suffix != ".md",
    )
    if existing:
        raise ScaffoldError(
            f"A chapter named {name!r} exists already ({existing[0].relative_to(root)}): "
            "choose another name, or edit that chapter."
        )
    notes = root / "instructor_notes" / f"{name}.md"
    if notes.exists():
        raise ScaffoldError(
            f"{notes.relative_to(root)} exists already: choose another name, or move it away."
        )
    if re.search(rf"file:\s*chapters/{re.escape(name)}\s*$", _toc_text(root), re.M):
        raise ScaffoldError(f"_toc.yml already lists chapters/{name}: choose another name.")


def _toc_text(root: Path) -> str:
    return (root / "_toc.yml").read_text(encoding="utf-8")


NOTES_TEMPLATE = """\
```{{rubric}} Instructor notes: {title}
```

```{{rubric}} Suggested timing
```

- **Reading (before class):** about {reading_minutes} minutes, including the figures.
- **Lab (in class or as homework):** {exercise_minutes} minutes for the exercises.

```{{rubric}} Model answer to the open question
```

(A model answer to {{numref}}`{name}-ex-open`, about 150 words or more: it uses the
chapter's evidence, naming figures and exercises by label such as
{{numref}}`{name}-fig-timeline`; it gives each party's framing from the statements the
chapter cites, and marks its verdict as one defensible reading. See AUTHORING.md.)
"""


def _title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def chapter_text(name: str) -> str:
    """The new chapter's MyST source, its title made from its name."""
    return TEMPLATE.format(name=name, title=_title(name), **STARTER_MINUTES)


def notes_text(name: str) -> str:
    """The new chapter's instructor notes (``instructor_notes/<name>.md``), to be written."""
    return NOTES_TEMPLATE.format(name=name, title=_title(name), **STARTER_MINUTES)


def toc_with_chapter(toc: str, name: str) -> str:
    """``toc`` (the text of _toc.yml) with ``chapters/<name>`` after the last chapter of
    the Episodes part; comments and layout kept."""
    lines = toc.splitlines(keepends=True)
    caption = re.compile(rf"^(\s*)- caption:\s*{EPISODES_CAPTION}\s*$")
    start = next((i for i, line in enumerate(lines) if caption.match(line)), None)
    if start is None:
        raise ScaffoldError(f"_toc.yml has no part captioned {EPISODES_CAPTION!r}.")
    last_entry, indent = None, None
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if re.match(r"^\s*- caption:", line):
            break
        entry = re.match(r"^(\s*)- file:", line)
        if entry:
            last_entry, indent = index, entry.group(1)
    if last_entry is None:
        raise ScaffoldError(f"The {EPISODES_CAPTION!r} part of _toc.yml lists no chapter.")
    lines.insert(last_entry + 1, f"{indent}- file: chapters/{name}\n")
    updated = "".join(lines)
    yaml.safe_load(updated)  # still valid YAML
    return updated


def create_chapter(name: str, root: Path = BOOK_ROOT) -> Path:
    """Write ``chapters/<name>.md`` and ``instructor_notes/<name>.md``, list the chapter in
    _toc.yml; return the chapter's path.

    Raises ScaffoldError (and writes nothing) for a bad or taken name.
    """
    check_name(name, root)
    toc = toc_with_chapter(_toc_text(root), name)
    path = root / "chapters" / f"{name}.md"
    path.write_text(chapter_text(name), encoding="utf-8")
    (root / "instructor_notes" / f"{name}.md").write_text(notes_text(name), encoding="utf-8")
    (root / "_toc.yml").write_text(toc, encoding="utf-8")
    return path


def book_root(start: Path | None = None) -> Path:
    """The book being worked on: the folder with a _toc.yml at or above the working
    directory (so a copy of the book gets the chapter, not the installed package's book)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file() and (folder / "chapters").is_dir():
            return folder
    return BOOK_ROOT


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = book_root()
    if len(args) != 1:
        print("Usage: make chapter NAME=<name>  (for example NAME=arms_control)", file=sys.stderr)
        return 2
    try:
        path = create_chapter(args[0], root)
    except ScaffoldError as error:
        print(f"No chapter was made. {error}", file=sys.stderr)
        return 2
    print(f"Created {path.relative_to(root)} and listed it in _toc.yml (Episodes).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
