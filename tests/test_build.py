"""The strict build: zero warnings, every notebook executed, failures named, cache used."""

from __future__ import annotations

import html
import json
import posixpath
import re

import yaml
from jupyter_cache import get_cache

from tests.conftest import REPO, build_book
from usrussia import charts, render, spec_pack
from usrussia.sphinx_ext import CHART_CACHE_FOLDER, SPEC_FILE_SUFFIX, _json_for_script


def toc_files() -> list[str]:
    """Every document in _toc.yml, without suffix."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))
            for part in entry.get("parts", []):
                walk(part.get("chapters", []))

    walk(toc.get("chapters", []))
    for part in toc.get("parts", []):
        walk(part["chapters"])
    return files


def notebook_files() -> list[str]:
    return [
        f
        for f in toc_files()
        if "kernelspec:" in (REPO / f"{f}.md").read_text(encoding="utf-8")[:2000]
    ]


def test_book_builds_without_a_single_warning(built_book):
    # Sphinx's warnings read "WARNING: ..."; the kernel's own log lines ("WARNING |") are
    # not the book's and are left out.
    warnings = [line for line in built_book.log.splitlines() if "WARNING:" in line]
    assert not warnings, "The build printed warnings:\n" + "\n".join(warnings)
    for name in toc_files():
        assert (built_book.html / f"{name}.html").is_file(), f"{name}.html was not built"


def test_every_notebook_was_executed_and_cached(built_book):
    cache = get_cache(str(REPO / "_build" / ".jupyter_cache"))
    cached = {rec.uri for rec in cache.list_cache_records()}
    for name in notebook_files():
        source = str((REPO / f"{name}.md").resolve())
        assert source in cached, f"{name}.md has no executed copy in the cache"
    html = (built_book.html / f"{notebook_files()[0]}.html").read_text()
    assert "cell_output" in html, "notebook outputs are missing from the page"


def test_a_failing_cell_fails_the_build_and_names_notebook_and_cell(book_copy):
    book = book_copy(["chapters/new_start"])
    chapter = book / "chapters" / "new_start.md"
    chapter.write_text(
        chapter.read_text()
        + "\n```{code-cell} ipython3\nraise RuntimeError('deliberate failure for the test')\n```\n"
    )
    build = build_book(book)
    assert build.returncode != 0, "a notebook with a raising cell built successfully"
    assert "new_start.md" in build.log, "the failure message does not name the notebook"
    assert "deliberate failure for the test" in build.log, "the error is not shown"
    assert "raise RuntimeError" in build.log, "the failing cell's source is not shown"
    assert not (book / "_build" / "html" / "reports").exists(), "tracebacks were published"


def _executed(log: str) -> list[str]:
    return re.findall(r"(\S+\.md): Executed notebook", log)


def test_cache_is_reused_and_a_data_change_reexecutes(book_copy):
    book = book_copy(["chapters/new_start"])
    first = build_book(book)
    assert first.returncode == 0, first.log[-4000:]
    assert any(p.endswith("new_start.md") for p in _executed(first.log))

    # A prose edit: Sphinx re-reads the page, but the notebook is not executed again.
    chapter = book / "chapters" / "new_start.md"
    chapter.write_text(chapter.read_text() + "\nAn added sentence of prose.\n")
    second = build_book(book)
    assert second.returncode == 0, second.log[-4000:]
    assert not _executed(second.log), "an unchanged notebook was executed again"
    assert "Using cached notebook" in second.log

    # A data change: the notebook that loads the file must run again with the new value.
    csv = book / "data" / "new_start_limits.csv"
    csv.write_text(csv.read_text().replace(",1550,", ",1234,"))
    third = build_book(book)
    assert third.returncode == 0, third.log[-4000:]
    assert any(p.endswith("new_start.md") for p in _executed(third.log)), (
        "changing a dataset did not re-execute the notebook that loads it"
    )
    page = (book / "_build" / "html" / "chapters" / "new_start.html").read_text()
    assert "1,234" in page, "the built page does not show the changed value"


def test_every_glued_value_was_inserted(built_book):
    """A missing glue key is a build warning; this also catches a value glued as nothing."""
    for name in notebook_files():
        page = (built_book.html / f"{name}.html").read_text(encoding="utf-8")
        assert "{glue" not in page, f"{name}: a glue reference was left unrendered"
        assert '<span class="pasted-text"></span>' not in page, f"{name}: an empty glued value"


def test_a_page_taken_out_of_the_toc_is_no_longer_published(book_copy):
    """Taking a chapter out of _toc.yml (or renaming it) removes what the last build
    published for it (its page, its page sources, its notebooks, its pictures) without
    `make clean`; the other pages and every source stay. A book of two short pages keeps
    this fast."""
    from usrussia.scaffold import FRONT_MATTER

    book = book_copy([])
    chapter = book / "chapters" / "leaving.md"
    chapter.write_text(
        FRONT_MATTER + "\n# Leaving\n\nA chapter about to leave the book.\n\n"
        "![A picture of its own](leaving-picture.svg)\n"
    )
    (book / "chapters" / "leaving-picture.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n'
    )
    (book / "stays.md").write_text("# Stays\n\nA page that stays in the book.\n")
    toc = book / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: index\nchapters:\n  - file: stays\n  - file: chapters/leaving\n"
    )
    first = build_book(book)
    assert first.returncode == 0, first.log[-4000:]
    outputs = [
        first.html / "chapters" / "leaving.html",
        first.html / "_sources" / "chapters" / "leaving.md",
        first.html / "_sources" / "chapters" / "leaving.ipynb",
        first.html / "notebooks" / "instructor" / "leaving.ipynb",
        book / "_build" / "notebooks" / "student" / "leaving.ipynb",
    ]
    # The chapter's picture, as Sphinx copied it, goes with it.
    pictures = re.findall(r'src="../(_images/[^"]+)"', outputs[0].read_text(encoding="utf-8"))
    assert pictures, "the first build published no picture for the chapter"
    outputs += [first.html / picture for picture in pictures]
    missing = [str(p.relative_to(book)) for p in outputs if not p.is_file()]
    assert not missing, f"the first build did not write {missing}"

    toc.write_text(toc.read_text().replace("  - file: chapters/leaving\n", ""))
    second = build_book(book)
    assert second.returncode == 0, second.log[-4000:]
    left = [str(p.relative_to(book)) for p in outputs if p.exists()]
    assert not left, f"still published after the chapter left the toc: {left}"
    for page in ("index", "stays"):
        assert (second.html / f"{page}.html").is_file(), f"{page}.html was removed"
    assert (second.html / "_sources" / "stays.md").is_file(), "a kept page's source was removed"
    assert chapter.is_file(), "the chapter's source was removed"


CHART_FIGURE = re.compile(
    r'<figure class="usrussia-chart"[^>]*data-spec="([^"]+)"[^>]*>'
    r'<div class="usrussia-chart-view" data-description="([^"]*)"'
)


def built_chart_specs(built_book) -> list[tuple[str, dict]]:
    """(page and chart description, Vega spec) of every chart the built pages load: each
    ``_images/<id>.vg.js`` as pages load it (packed, usrussia.spec_pack) and unpacked as
    charts.js unpacks it."""
    charts = []
    for name in toc_files():
        page = built_book.html / f"{name}.html"
        for spec_path, description in CHART_FIGURE.findall(page.read_text(encoding="utf-8")):
            script = (page.parent / html.unescape(spec_path)).read_text(encoding="utf-8")
            packed = json.loads(script[script.index(",") + 1 : script.rindex(")")])
            vega = spec_pack.unpack_spec(packed)
            charts.append((f"{name}: {html.unescape(description)[:70]!r}", vega))
    return charts


def test_every_chart_of_the_book_uses_only_what_the_slim_vega_runtime_has(built_book):
    """Each chart's compiled Vega spec (the _images/<id>.vg.js its page loads) against what
    usrussia/vendor/vega.min.js contains (vega-runtime.json): a chart that needs a transform,
    mark, scale type, format or function left out of the runtime would not draw."""
    manifest = render.vega_runtime_manifest()
    charts = built_chart_specs(built_book)
    problems = [
        f"{chart} needs {', '.join(missing)}"
        for chart, vega in charts
        if (missing := render.missing_from_runtime(vega, manifest))
    ]
    assert charts, "no chart found in the built pages"
    assert not problems, "\n".join(problems)


DATUM_FIELD = re.compile(r'datum\["((?:[^"\\]|\\.)*)"\]')
DATE_CALL = re.compile(r'(?:timeFormat|utcFormat)\(datum\["(?:[^"\\]|\\.)*"\],\s*"([^"]*)"\)')
NUMBER_CALL = re.compile(r'(?<![\w.])format\(datum\["(?:[^"\\]|\\.)*"\],\s*"([^"]*)"\)')
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def tooltip_entries(signal: str) -> list[tuple[str | None, str]]:
    """(title, expression) of each field of a compiled tooltip, ``{"Title": expr, ...}``
    as Vega-Lite writes it; ``[(None, signal)]`` for any other expression (``datum``,
    every field of the row under its column name)."""
    body = signal.strip()
    if not (body.startswith("{") and body.endswith("}")):
        return [(None, body)]
    entries, depth, quote, start = [], 0, None, 1
    for i in range(1, len(body) - 1):
        char = body[i]
        if quote:
            quote = None if char == quote and body[i - 1] != "\\" else quote
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            entries.append(body[start:i])
            start = i + 1
    entries.append(body[start:-1])
    parsed = []
    for entry in entries:
        key = re.match(r'\s*("(?:[^"\\]|\\.)*")\s*:', entry)
        parsed.append((json.loads(key.group(1)), entry[key.end() :]) if key else (None, entry))
    return parsed


def tooltip_problems(vega: dict) -> list[str]:
    """What is wrong with the tooltips of a compiled chart: a field shown under its column
    name (or under no title), a date not in the book's style ("5 February 2026", or
    "February 2014" for a field known by the month), a number without thousands
    separators (a year excepted)."""
    columns, date_columns = set(), set()
    for entry in vega.get("data") or []:
        for row in entry.get("values") or [] if isinstance(entry, dict) else []:
            if isinstance(row, dict):
                columns |= set(row)
                date_columns |= {k for k, v in row.items() if ISO_DATE.match(str(v))}
    tooltips = []

    def visit(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "tooltip" and isinstance(value, dict):
                    tooltips.append(value.get("signal") or json.dumps(value))
                elif key != "values":
                    visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(vega.get("marks"))
    problems = []
    for signal in tooltips:
        for title, expression in tooltip_entries(signal):
            fields = DATUM_FIELD.findall(expression)
            field = fields[0] if fields else expression.strip()
            base = re.sub(r"^(sum|mean|count|max|min|median)_", "", field)
            title = title or ""
            if re.fullmatch(r"[a-z0-9_]*", title) or title in columns or title == base:
                problems.append(f"field {field!r} shown under the title {title!r}")
            for date_format in DATE_CALL.findall(expression):
                if date_format not in (charts.DAY_FORMAT, charts.MONTH_FORMAT):
                    problems.append(f"{title!r}: date format {date_format!r}")
            if not DATE_CALL.search(expression) and field in date_columns:
                problems.append(f"{title!r}: a date shown as it is stored, not in words")
            for number_format in NUMBER_CALL.findall(expression):
                year = number_format == "d" and "year" in title.lower()
                if "," not in number_format and not year:
                    problems.append(f"{title!r}: number format {number_format!r}, no separators")
    return problems


def test_every_charts_tooltips_name_their_fields_in_words_and_dates_in_the_books_style(
    built_book,
):
    """Every tooltip field of every chart the built pages load: titled in words (not the
    column's name), dates as "5 February 2026" (or "February 2014" for data known by the
    month: charts.MONTH_PRECISION), numbers with thousands separators."""
    charts_checked = tooltips_seen = 0
    problems = []
    for chart, vega in built_chart_specs(built_book):
        charts_checked += 1
        tooltips_seen += json.dumps(vega.get("marks")).count('"tooltip"')
        problems += [f"{chart}: {problem}" for problem in tooltip_problems(vega)]
    assert charts_checked and tooltips_seen, "no chart with a tooltip found in the built pages"
    assert not problems, "\n".join(problems)


def test_the_tooltip_check_finds_column_names_raw_dates_and_bare_numbers():
    """tooltip_problems on tooltips as Vega-Lite compiles them, good and bad."""
    good = (
        '{"Date": timeFormat(datum["date"], "%-d %B %Y"), "Per cent": '
        'format(datum["percent"], ",.0f"), "Year": format(datum["year"], "d")}'
    )
    bad = (
        '{"date": timeFormat(datum["date"], "%b %d, %Y"), "Percent": format(datum["percent"], '
        '""), "Survey": datum["when"], "Month": timeFormat(datum["d"], "%B %d")}'
    )
    data = [{"name": "d", "values": [{"when": "2014-02-01T00:00:00", "percent": 5}]}]
    assert (
        tooltip_problems({"marks": [{"encode": {"update": {"tooltip": {"signal": good}}}}]}) == []
    )
    found = tooltip_problems(
        {"data": data, "marks": [{"encode": {"update": {"tooltip": {"signal": bad}}}}]}
    )
    assert len(found) == 5, found
    raw_row = {"marks": [{"encode": {"update": {"tooltip": {"signal": "datum"}}}}]}
    assert tooltip_problems(raw_row), "a tooltip of the whole row passed"


STATIC_DRAWING = re.compile(r"_images/([0-9a-f]+\.svg)")
SHORTENED_TEXT = re.compile(r">([^<]*\u2026)</(?:text|tspan)>")


def test_no_static_drawing_has_a_text_shortened_with_an_ellipsis(built_book):
    """The static SVGs every page shows (one per screen width, 320 to 720 px): no legend
    title or label, no axis title, shortened by Vega with "…" at its limit (render.
    fit_legends gives legends the width and wraps long labels)."""
    drawings = set()
    for name in toc_files():
        page = (built_book.html / f"{name}.html").read_text(encoding="utf-8")
        drawings |= set(STATIC_DRAWING.findall(page))
    shortened = [
        f"{drawing}: {text!r}"
        for drawing in sorted(drawings)
        for text in SHORTENED_TEXT.findall(
            (built_book.html / "_images" / drawing).read_text(encoding="utf-8")
        )
    ]
    assert drawings, "no static drawing found in the built pages"
    assert not shortened, "\n".join(shortened)


SPEC_FILE = re.compile(r'<figure class="usrussia-chart"[^>]*data-spec="([^"]+)"')


def compiled_spec(built_book, chart_id: str) -> dict:
    """The Vega spec render.prepare_chart compiled for a chart of the built book, before
    packing: the build's cache of prepared charts, named by the digest whose first 12
    digits are the chart's id."""
    cached = list((built_book.root / "_build" / CHART_CACHE_FOLDER).glob(f"{chart_id}*.json"))
    assert len(cached) == 1, f"chart {chart_id}: {len(cached)} cached preparations"
    return json.loads(cached[0].read_text(encoding="utf-8"))["vega"]


def test_the_chart_specs_each_page_loads_are_smaller_than_compiled(built_book):
    """Each chapter page's chart spec files together (as served, packed by spec_pack) at
    most 85% of the same specs written as compiled (29-50% smaller when packing was
    written: the bound leaves room for a new chart, not for packing that stopped working);
    and they unpack to those specs."""
    from tests.test_spec_pack import strictly_equal

    rows, pages = [], 0
    for name in toc_files():
        page = built_book.html / f"{name}.html"
        packed_bytes = compiled_bytes = 0
        for spec_path in SPEC_FILE.findall(page.read_text(encoding="utf-8")):
            path = page.parent / html.unescape(spec_path)
            chart_id = path.name.removesuffix(SPEC_FILE_SUFFIX)
            script = path.read_text(encoding="utf-8")
            compiled = compiled_spec(built_book, chart_id)
            unpacked = spec_pack.unpack_spec(json.loads(script[script.index(",") + 1 : -3]))
            expected = {k: v for k, v in compiled.items() if k not in spec_pack.NOT_READ_BY_RUNTIME}
            assert not strictly_equal(unpacked, expected), (name, chart_id)
            packed_bytes += len(script.encode("utf-8"))
            compiled_text = (
                f'window.usrussiaCharts.receiveSpec("{chart_id}",{_json_for_script(compiled)});\n'
            )
            compiled_bytes += len(compiled_text.encode("utf-8"))
        if compiled_bytes:
            pages += 1
            rows.append((name, packed_bytes, compiled_bytes))
    assert pages > 0, "no page loads a chart spec"
    heavy = [r for r in rows if r[1] > 0.85 * r[2]]
    assert not heavy, "pages whose specs are not 15% smaller than compiled: " + "; ".join(
        f"{n}: {p / 1000:.1f} kB against {c / 1000:.1f} kB" for n, p, c in heavy
    )


def test_the_bibliographys_counts_add_up_to_the_list_it_shows(built_book):
    """The bibliography's summary line counts what the page lists: the entries the pages
    cite (by type), those the datasets name as sources, and those cited nowhere."""
    page = (built_book.html / "bibliography.html").read_text(encoding="utf-8")
    shown = len(re.findall(r'<div class="citation"', page))
    text = re.sub(r"<[^>]+>", "", page)
    by_type = re.search(r"Sources of the whole book by type: (\d+) sources", text)
    listed = re.search(
        r"The bibliography lists (\d+) entries: the (\d+) cited in the book.s pages, (\d+) more"
        r" that the datasets name as sources \(see the Data appendix\), and (\d+) cited nowhere",
        text,
    )
    assert by_type and listed, "the bibliography's summary line is missing"
    total, cited, from_data, nowhere = (int(n) for n in listed.groups())
    assert total == shown, f"the line says {total} entries, the page lists {shown}"
    assert cited + from_data + nowhere == total
    assert cited == int(by_type.group(1)), "the two counts of cited entries differ"


def test_every_citations_hover_title_is_its_title_and_source_type(built_book):
    """The title attribute each in-text citation carries (sphinxcontrib-bibtex's tooltip,
    style ``usrussia-tooltip``) is the entry's title and source type, not the whole entry:
    the address and access date are in the list it links to, one click away."""
    from usrussia import sources

    entries = sources.entries()
    by_label = {label: key for key, label in sources.author_year_labels().items()}
    cited = re.compile(r'<span class="bibtex-citation"[^>]*>(.*?)</span>', re.S)
    link = re.compile(
        r'<a class="reference internal" href="([^"#]*)#(id\d+)" title="([^"]*)">([^<]+)</a>'
    )
    listed = re.compile(r'<div class="citation" id="(id\d+)">.*?<p>(.*?)</p>', re.S)
    pages = {
        p.relative_to(built_book.html).as_posix(): p.read_text(encoding="utf-8")
        for p in built_book.html.rglob("*.html")
    }
    full = {
        (name, i): html.unescape(re.sub(r"<[^>]+>", "", text))
        for name, page in pages.items()
        for i, text in listed.findall(page)
    }
    links = checked = 0
    for name, page in sorted(pages.items()):
        for span in cited.findall(page):
            links += span.count("<a ")
            for href, target, title, label in link.findall(span):
                label, title = html.unescape(label), html.unescape(title)
                where = f"{name}: the citation {label!r}"
                # A textual citation shows "Body (2018b)" for the list's "Body, 2018b".
                entry = entries[by_label[re.sub(r"^(.*) \((.+)\)$", r"\1, \2", label)]]
                assert "http" not in title and "(accessed" not in title, f"{where}: {title!r}"
                suffix = f" Source type: {sources.type_label(entry.fields)}."
                assert title.endswith(suffix), f"{where}: {title!r} does not end with the type"
                page_of_list = (
                    posixpath.normpath(posixpath.join(posixpath.dirname(name), href))
                    if href
                    else name
                )
                assert title[: -len(suffix)] in full[page_of_list, target], (
                    f"{where}: {title!r} is not the title of the entry it links to"
                )
                checked += 1
    assert links > 0 and checked == links, f"{links - checked} of {links} citations unchecked"


def test_no_page_repeats_an_id_and_each_exercise_body_is_named_by_its_exercise(built_book):
    """An id is unique in its page (HTML; a link to a repeated one lands on the first).
    sphinx-exercise names every exercise's and solution's body alike; the build names
    each by its own label."""
    from collections import Counter

    pages = sorted(built_book.html.rglob("*.html"))
    repeated = {}
    bodies = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        counts = Counter(re.findall(r'\sid="([^"]+)"', text))
        twice = sorted(name for name, count in counts.items() if count > 1)
        if twice:
            repeated[page.relative_to(built_book.html).as_posix()] = twice[:5]
        for label in re.findall(r'<section id="([^"]+)-content">', text):
            bodies += 1
            assert f'id="{label}"' in text, f"{page.name}: body {label}-content has no owner"
    assert len(pages) > 10
    assert bodies > 40, f"only {bodies} exercise and solution bodies found"
    assert not repeated, f"ids used more than once: {repeated}"
