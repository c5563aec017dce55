"""The chart specs pages load are written small (usrussia/spec_pack.py) and read back
exactly. charts.js's own unpacking is checked against the real build in test_browser.py
(test_every_charts_spec_unpacks_in_the_browser_to_the_spec_compiled_for_it)."""

from __future__ import annotations

import json

import pytest

from usrussia import render, spec_pack


def strictly_equal(a, b, where="spec") -> list[str]:
    """Differences between two JSON values, types included: a bool is not a number, a
    number not a string, null not a missing key; ints and floats compare by value, as
    JSON numbers do."""
    number = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        ok = type(a) is type(b) and a == b
    elif isinstance(a, number) and isinstance(b, number):
        ok = a == b
    elif isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{where}: keys {sorted(set(a) ^ set(b))} in one only"]
        return [d for key in a for d in strictly_equal(a[key], b[key], f"{where}.{key}")]
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items against {len(b)}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in strictly_equal(x, y, f"{where}[{i}]")
        ]
    else:
        ok = type(a) is type(b) and a == b
    return [] if ok else [f"{where}: {a!r} against {b!r}"]


def round_trip(vega: dict) -> dict:
    """Packed, written as the page's script writes it, read and unpacked."""
    from usrussia.sphinx_ext import _json_for_script

    return spec_pack.unpack_spec(json.loads(_json_for_script(spec_pack.pack_spec(vega))))


ROWS = [
    {"date": "2014-03-06", "n": 1, "share": 0.5, "flag": True, "note": None, "tags": ["a"]},
    {"date": "2014-03-06", "n": 1.0, "share": 1e-7, "flag": False, "note": "x", "tags": []},
    {"date": "2014-03-06T00:00:00", "n": 2, "share": -0.0, "flag": 1, "note": "x", "tags": ["a"]},
    {"date": "2015-01-01", "n": 2, "share": 12345678.9, "flag": 0, "note": "~x", "tags": {"k": 1}},
]


def test_a_spec_comes_back_exactly_with_its_types():
    vega = {
        "$schema": "https://vega.github.io/schema/vega/v6.json",
        "config": spec_pack.shared_config(),
        "description": "A chart. A chart.",
        "data": [
            {"name": "table", "values": ROWS},
            {"name": "ragged", "values": [{"a": 1}, {"a": 2, "b": 3}, {"b": 4, "a": 5}]},
            {"name": "plain", "values": [1, 2, "x"]},
            {"name": "empty", "values": []},
            {"name": "keyless", "values": [{}, {}]},
            {"name": "derived", "source": "table", "transform": [{"type": "filter", "expr": "1"}]},
        ],
        "marks": [{"type": "text", "encode": {"update": {"text": {"value": "A chart. A chart."}}}}],
    }
    expected = {k: v for k, v in vega.items() if k != "$schema"}
    assert not strictly_equal(round_trip(vega), expected)
    # The comparison itself tells a bool from a number and 1e-7 from 0.
    assert strictly_equal({"a": [True]}, {"a": [1]}) and strictly_equal(1e-7, 0)


def test_strings_that_repeat_are_written_once_unless_a_text_could_pass_for_a_reference():
    long = "isValid(datum['x']) && isFinite(+datum['x'])" * 3
    vega = {"marks": [{"type": "rect", "name": long}, {"type": "rect", "name": long}]}
    packed = spec_pack.pack_spec(vega)
    assert packed[spec_pack.PACKED_KEY]["strings"] == [long]
    assert json.dumps(packed).count(long) == 1
    assert not strictly_equal(round_trip(vega), vega)
    # A text starting with "~" would read as a reference: no string table then.
    vega["marks"].append({"type": "text", "name": "~0"})
    packed = spec_pack.pack_spec(vega)
    assert "strings" not in packed[spec_pack.PACKED_KEY]
    assert not strictly_equal(round_trip(vega), vega)


def test_inline_data_are_written_in_columns_and_a_repeated_value_once():
    rows = [{"category": "sanctions", "year": 2014 + i % 3} for i in range(50)]
    vega = {"data": [{"name": "events", "values": rows}]}
    packed = spec_pack.pack_spec(vega)
    columns = packed["data"][0][spec_pack.COLUMNS_KEY]
    assert columns["keys"] == ["category", "year"] and "values" not in packed["data"][0]
    assert columns["columns"][0]["distinct"] == ["sanctions"]
    assert len(json.dumps(packed)) < 0.5 * len(json.dumps(vega))
    assert not strictly_equal(round_trip(vega), vega)


def test_a_chart_that_sets_its_own_config_keeps_it_inline():
    config = spec_pack.shared_config()
    config["axis"]["labelFontSize"] = 20
    vega = {"config": config, "marks": []}
    assert isinstance(spec_pack.pack_spec(vega)["config"], dict)  # not the shared one
    assert not strictly_equal(round_trip(vega), vega)


def test_a_config_digest_the_book_does_not_have_is_an_error():
    packed = spec_pack.pack_spec({"config": spec_pack.shared_config()})
    assert packed["config"] == spec_pack.SHARED_CONFIG_PREFIX + spec_pack.shared_config_digest()
    packed["config"] = spec_pack.SHARED_CONFIG_PREFIX + "000000000000"
    with pytest.raises(ValueError, match="000000000000"):
        spec_pack.unpack_spec(packed)


def test_the_served_chart_loader_holds_the_theme_config_once():
    served = spec_pack.with_shared_config(render.loader_script(minified=True))
    assert spec_pack.shared_config_digest() in served
    assert served.count('"font":') == json.dumps(spec_pack.shared_config()).count('"font":')
    with pytest.raises(ValueError, match="SHARED_CONFIGS"):
        spec_pack.with_shared_config("const nothing = 1;")


def test_a_book_chart_comes_back_exactly_and_smaller():
    """A real chart of the book's kind (the theme's config, a tooltip, inline data); the
    built book's specs as a whole are measured in test_build.py."""
    from tests.test_charts import long_titled_chart
    from usrussia.sphinx_ext import _json_for_script

    vega = render.prepare_chart(long_titled_chart().to_dict())["vega"]
    expected = {k: v for k, v in vega.items() if k != "$schema"}
    assert not strictly_equal(round_trip(vega), expected)
    packed = _json_for_script(spec_pack.pack_spec(vega))
    assert len(packed) < 0.9 * len(_json_for_script(vega)), (
        len(packed),
        len(_json_for_script(vega)),
    )
