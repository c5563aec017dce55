"""Each episode chapter meets the book's counts, read from its source: objectives,
narrative length, charts, exercises with solutions, perspectives, and references that
resolve (citation keys, glossary terms)."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import REPO
from usrussia.notebooks import chapter_sources
from usrussia.scaffold import episode_chapters

# Read from _toc.yml, so that a new chapter is checked like the others.
EPISODES = [path.stem for path in episode_chapters(REPO)]
ALL_CHAPTERS = [path.stem for path in chapter_sources(REPO)]
CODE_CELL = re.compile(r"```\{code-cell\}.*?\n```", re.S)
CAPTION = re.compile(r"^    caption: \|\n((?:      .*\n|\n)+)", re.M)
BIB_KEYS = set(re.findall(r"@\w+\{([^,\s]+),", (REPO / "references.bib").read_text()))
GLOSSARY = (REPO / "glossary.md").read_text().split("```{glossary}")[1]
TERMS = {t.strip().lower() for t in re.findall(r"^(\S[^\n]*)\n  ", GLOSSARY, re.M)}


def source(name: str) -> str:
    return (REPO / "chapters" / f"{name}.md").read_text(encoding="utf-8")


def narrative_words(text: str) -> int:
    """Words of prose before the exercises, figure captions included: code, directives'
    option lines and role markup left out."""
    body = text.split("## Exercises")[0]
    # A figure's caption is prose the reader reads, written in its cell's metadata.
    body = CODE_CELL.sub(lambda cell: "\n".join(CAPTION.findall(cell.group(0))), body)
    body = re.sub(r"^:[\w-]+:.*$", "", body, flags=re.M)
    body = re.sub(r"\{[\w:-]+\}`[^`]*`", "", body)
    body = re.sub(r"[`*#>|]", " ", body)
    return len(re.findall(r"[A-Za-z][A-Za-z'’.-]*", body))


@pytest.mark.parametrize("name", EPISODES)
def test_episode_chapter_has_what_an_instructor_assigns(name):
    text = source(name)
    assert "Learning objectives" in text, "no learning objectives"
    # An episode's narrative is the long read; the chapter comparing the episodes
    # (front matter `usrussia: kind: comparison`) draws on theirs and is shorter.
    meta = yaml.safe_load(text.split("---")[1]).get("usrussia", {})
    floor = 1500 if meta.get("kind") == "comparison" else 2500
    assert narrative_words(text) >= floor, f"narrative has {narrative_words(text)} words"
    figures = re.findall(r"^mystnb:\n  figure:\n", text, re.M)
    assert len(figures) >= 3, "fewer than three charts"
    exercises = re.findall(r"```\{exercise\}\n:label: (\S+)", text)
    solutions = re.findall(r"````\{solution-start\} (\S+)", text)
    assert len(exercises) >= 3, "fewer than three exercises"
    assert set(exercises) <= set(solutions), f"exercises without solutions: {exercises}"
    for heading in (
        "## Perspectives",
        "## Key takeaways",
        "## Discussion questions",
        "## Further reading",
    ):
        assert heading in text, f"missing section {heading}"
    assert re.search(r"\{admonition\} Reading sources", text), "no Reading sources box"
    assert "Washington" in text and "Moscow" in text


@pytest.mark.parametrize("name", ALL_CHAPTERS)
def test_citations_and_terms_resolve(name):
    text = source(name)
    cited = {
        k.strip() for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", text) for k in group.split(",")
    }
    assert cited, "the chapter cites nothing"
    assert not cited - BIB_KEYS, f"unknown citation keys: {sorted(cited - BIB_KEYS)}"
    terms = {
        re.sub(r"\s*<[^>]+>$", "", t).strip().lower()
        for t in re.findall(r"\{term\}`([^`]+)`", text)
    }
    terms = {re.sub(r"^.*<(.+)>$", r"\1", t) for t in terms}
    assert not terms - TERMS, f"terms not in the glossary: {sorted(terms - TERMS)}"
    # Glued values are checked on the built pages (test_build): names may be made in loops.


def test_chapters_are_read_from_the_table_of_contents():
    assert {"reset", "new_start"} <= set(EPISODES) and len(EPISODES) >= 5
    assert set(EPISODES) < set(ALL_CHAPTERS) and "overview" in ALL_CHAPTERS


def test_narrative_count_ignores_code():
    sample = "Two words.\n```{code-cell} ipython3\nmany words of code here\n```\n"
    assert narrative_words(sample) == 2
