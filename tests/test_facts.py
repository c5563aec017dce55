"""usrussia.facts: each chapter's fact function gives every value its prose glues, and the
chapter glues them in one hidden cell; figures' text alternatives come from the data."""

from __future__ import annotations

import re

import pytest

import usrussia
from usrussia import facts
from usrussia.notebooks import chapter_sources

CHAPTERS = {path.stem: path for path in chapter_sources() if path.stem in facts.FACT_FUNCTIONS}


@pytest.fixture(scope="module", params=sorted(CHAPTERS))
def chapter(request):
    name = request.param
    return name, CHAPTERS[name].read_text(encoding="utf-8"), facts.FACT_FUNCTIONS[name]()


def test_fact_function_gives_every_glued_name(chapter):
    name, text, values = chapter
    used = set(re.findall(r"\{glue:text\}`([^`]+)`", text))
    assert used, f"{name}: the prose glues nothing"
    missing = sorted(used - set(values))
    assert not missing, f"{name}: facts.{name}() lacks {missing}"
    empty = [key for key in used if not isinstance(values[key], str) or not values[key].strip()]
    assert not empty, f"{name}: empty values for {empty}"


def test_chapter_glues_its_facts_in_one_hidden_cell(chapter):
    name, text, _ = chapter
    assert f"usrussia.glue_facts(usrussia.facts.{name}())" in text
    assert "glue(" not in text.replace("glue_facts(", ""), f"{name}: glue() outside the facts"


def test_every_figure_has_a_text_alternative_from_the_data(chapter):
    name, text, _ = chapter
    labels = re.findall(r"^    name: (\S+)$", text, re.M)
    if "mystnb:" not in text:
        pytest.skip(f"{name} draws no figures")  # the lab: tables and code, no chart
    assert labels, f"{name}: figures whose names the test cannot read"
    for label in labels:
        assert len(facts.describe(label)) > 60, f"{label}: description too short"
    with pytest.raises(KeyError):
        facts.describe(f"{name}-fig-no-such-figure")


def test_new_start_facts_agree_with_the_limits_table():
    limits = usrussia.load("new_start_limits").set_index("measure")["limit"]
    values = facts.new_start()
    assert values["warhead_limit"] == f"{int(limits['deployed_warheads']):,}"
    assert values["new_start_total_limit"] == f"{int(limits['total_launchers']):,}"
    assert facts.new_start_limits() == {k: int(v) for k, v in limits.items()}


def test_glue_facts_glues_each_value(monkeypatch):
    glued = {}
    monkeypatch.setattr(
        usrussia, "glue", lambda name, value, display=False: glued.update({name: value})
    )
    usrussia.glue_facts({"a": "1", "b": "two"})
    assert glued == {"a": "1", "b": "two"}
