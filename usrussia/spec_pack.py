"""The chart specs that pages load, written small and read back exactly.

A page's chart specs (``_images/<id>.vg.js``, or inline in the one-page print edition) are
compiled Vega specs; most of their bytes are inline data written row by row (every row
repeating every column name), the theme's ``config`` (the same in every chart), and long
expressions that Vega-Lite writes more than once in a chart. ``pack_spec`` writes a spec
as charts.js reads it:

* inline data in columns: ``{"name": ..., "usrussiaColumns": {"keys": [names], "columns":
  [column, ...]}}`` in place of ``"values": [rows]``, each column a list of values, or,
  when shorter, ``{"distinct": [values], "index": [positions]}``. Only a dataset whose
  rows are all objects with the same columns in the same order is written so.
* the theme's config, when the chart's config is exactly it, as the string
  ``SHARED_CONFIG_PREFIX + digest``; charts.js holds that config once (``with_shared_config``
  writes it into the served charts.js).
* strings that occur more than once, written once in a table (``usrussiaPacked.strings``)
  and elsewhere as ``"~<index in base 36>"``: only when no string of the spec starts with
  ``~``, so that a reference cannot be mistaken for a text.
* ``$schema`` left out: neither Vega nor charts.js reads it.

``usrussiaPacked`` (``{"strings": [...]}``) marks a packed spec. ``unpack_spec`` is the
inverse (the same steps as ``unpackSpec`` in charts.js, which is what pages run; the
tests compare charts.js's result with the spec before packing): for every spec ``v``
without ``$schema``, ``unpack_spec(pack_spec(v)) == v``, with the same types (numbers,
``None``, date strings as written).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re

PACKED_KEY = "usrussiaPacked"
COLUMNS_KEY = "usrussiaColumns"
SHARED_CONFIG_PREFIX = "usrussia-theme-config:"
STRING_REF = "~"
NOT_READ_BY_RUNTIME = ("$schema",)
# The line of charts.js that ``with_shared_config`` fills in (spaces as in the source or
# taken out by the minifier).
SHARED_CONFIG_SLOT = re.compile(r"const SHARED_CONFIGS\s*=\s*\{\};")


def _dumps(value) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


@functools.lru_cache(maxsize=1)
def _shared_config_text() -> str:
    import vl_convert

    from usrussia import render, theme

    chart = {"data": {"values": []}, "mark": "point", **theme.theme_config()}
    vega = vl_convert.vegalite_to_vega(chart, vl_version=render.VEGA_LITE_VERSION)
    return _dumps(vega["config"])


def shared_config() -> dict:
    """The Vega ``config`` that the book's theme (``theme.theme_config``) compiles to, the
    same in every chart that does not configure itself: a new dict each call."""
    return json.loads(_shared_config_text())


def shared_config_digest(config: dict | None = None) -> str:
    """12 hex digits of the SHA-256 of ``config`` (default: ``shared_config()``) as JSON."""
    text = _shared_config_text() if config is None else _dumps(config)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def with_shared_config(script: str) -> str:
    """charts.js (``script``) with the theme's config written into it, keyed by its digest.
    Raises ``ValueError`` when the script lacks the line ``SHARED_CONFIG_SLOT``."""
    if len(SHARED_CONFIG_SLOT.findall(script)) != 1:
        raise ValueError("charts.js must hold the line 'const SHARED_CONFIGS = {};' once")
    table = _dumps({shared_config_digest(): shared_config()}).replace("</", "<\\/")
    return SHARED_CONFIG_SLOT.sub(lambda _: f"const SHARED_CONFIGS={table};", script)


# --- Packing ---------------------------------------------------------------------------


def _column(values: list):
    """A column as written: its values, or distinct values and positions when shorter."""
    distinct, positions, index = [], {}, []
    for value in values:
        key = json.dumps(value, separators=(",", ":"))  # key order kept: {"a","b"} != {"b","a"}
        if key not in positions:
            positions[key] = len(distinct)
            distinct.append(value)
        index.append(positions[key])
    coded = {"distinct": distinct, "index": index}
    return coded if len(_dumps(coded)) < len(_dumps(values)) else values


def _columns(rows) -> dict | None:
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        return None
    keys = list(rows[0])
    if not keys or any(list(row) != keys for row in rows):
        return None
    return {"keys": keys, "columns": [_column([row[k] for row in rows]) for k in keys]}


def string_values(node):
    """Every string value in a spec or part of one (dict keys left out), depth first."""
    if isinstance(node, dict):
        for value in node.values():
            yield from string_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from string_values(item)
    elif isinstance(node, str):
        yield node


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def _string_table(spec: dict) -> list[str]:
    """The strings worth writing once: those whose references and table entry together
    are shorter than their repeats."""
    counts: dict[str, int] = {}
    for text in string_values(spec):
        counts[text] = counts.get(text, 0) + 1
    table = []
    for text, count in counts.items():
        if count < 2:
            continue
        written = len(json.dumps(text))
        reference = len(json.dumps(STRING_REF + _base36(len(table))))
        if count * written > count * reference + written + 1:
            table.append(text)
    return table


def _replace_strings(node, references: dict):
    if isinstance(node, dict):
        return {key: _replace_strings(value, references) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_strings(item, references) for item in node]
    if isinstance(node, str):
        return references.get(node, node)
    return node


def pack_spec(vega: dict) -> dict:
    """``vega`` written small for charts.js (see the module's docstring); a new dict,
    ``vega`` untouched. Raises ``ValueError`` for a spec that already holds the keys
    packing uses."""
    if PACKED_KEY in vega:
        raise ValueError(f"the spec already has a {PACKED_KEY!r} key")
    packed = {key: value for key, value in vega.items() if key not in NOT_READ_BY_RUNTIME}
    if packed.get("config") == shared_config():
        packed["config"] = SHARED_CONFIG_PREFIX + shared_config_digest()
    data = []
    for entry in packed.get("data") or []:
        if isinstance(entry, dict) and COLUMNS_KEY in entry:
            raise ValueError(f"a dataset of the spec already has a {COLUMNS_KEY!r} key")
        columns = _columns(entry.get("values")) if isinstance(entry, dict) else None
        if columns is None:
            data.append(entry)
        else:
            data.append(
                {
                    (COLUMNS_KEY if key == "values" else key): (columns if key == "values" else v)
                    for key, v in entry.items()
                }
            )
    if "data" in packed:
        packed["data"] = data
    meta: dict = {}
    if not any(text.startswith(STRING_REF) for text in string_values(packed)):
        table = _string_table(packed)
        if table:
            references = {text: STRING_REF + _base36(i) for i, text in enumerate(table)}
            packed = _replace_strings(packed, references)
            meta["strings"] = table
    packed[PACKED_KEY] = meta
    return packed


# --- Unpacking (charts.js does the same: unpackSpec) ------------------------------------


def _expand_column(column) -> list:
    if isinstance(column, dict):
        return [column["distinct"][i] for i in column["index"]]
    return list(column)


def unpack_spec(packed: dict) -> dict:
    """The spec ``pack_spec`` was given, without ``NOT_READ_BY_RUNTIME``; a spec not packed
    is returned as it is. Raises ``ValueError`` for a config digest this book's theme
    does not have."""
    if PACKED_KEY not in packed:
        return packed
    meta = packed[PACKED_KEY]
    spec = {key: value for key, value in packed.items() if key != PACKED_KEY}
    table = meta.get("strings") or []
    if table:
        references = {STRING_REF + _base36(i): text for i, text in enumerate(table)}
        unknown = {t for t in string_values(spec) if t.startswith(STRING_REF)} - set(references)
        if unknown:
            raise ValueError(f"no string {sorted(unknown)[0]!r} in the spec's table")
        spec = _replace_strings(spec, references)
    if "data" in spec:
        data = []
        for entry in spec["data"]:
            if isinstance(entry, dict) and COLUMNS_KEY in entry:
                coded = entry[COLUMNS_KEY]
                columns = [_expand_column(c) for c in coded["columns"]]
                rows = [
                    dict(zip(coded["keys"], values, strict=True))
                    for values in zip(*columns, strict=True)
                ]
                entry = {
                    ("values" if key == COLUMNS_KEY else key): (rows if key == COLUMNS_KEY else v)
                    for key, v in entry.items()
                }
            data.append(entry)
        spec["data"] = data
    config = spec.get("config")
    if isinstance(config, str) and config.startswith(SHARED_CONFIG_PREFIX):
        digest = config[len(SHARED_CONFIG_PREFIX) :]
        if digest != shared_config_digest():
            raise ValueError(f"the spec names a theme config ({digest}) this book does not have")
        spec["config"] = shared_config()
    return spec
