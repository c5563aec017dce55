"""Which inputs re-execute which notebook (unit level; test_build proves it end to end)."""

from __future__ import annotations

import json
import shutil

from usrussia import sphinx_ext
from usrussia.data import DEFAULT_DATA_DIR

NOTEBOOK = """---
kernelspec:
  name: python3
---
```{code-cell} ipython3
trade = usrussia.load("trade")
```
"""


def setup_book(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data, ignore=shutil.ignore_patterns("staging"))
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "module.py").write_text("VALUE = 1\n")
    notebook = tmp_path / "chapter.md"
    notebook.write_text(NOTEBOOK)
    return data, package, notebook


def fingerprint(notebook, data, package):
    return sphinx_ext.notebook_fingerprint(notebook, data, package_dir=package)


def test_datasets_used_finds_loaded_names_only():
    names = ["trade", "timeline", "new_start", "new_start_limits"]
    assert sphinx_ext.datasets_used('load("new_start_limits")', names) == ["new_start_limits"]
    assert sphinx_ext.datasets_used("x = load('trade')", names) == ["trade"]
    assert sphinx_ext.datasets_used("data_appendix()", names) == names


def test_changing_a_loaded_csv_changes_the_fingerprint(tmp_path):
    data, package, notebook = setup_book(tmp_path)
    before = fingerprint(notebook, data, package)
    (data / "trade.csv").write_text((data / "trade.csv").read_text().replace("2112.5", "2112.6"))
    assert fingerprint(notebook, data, package) != before


def test_changing_an_unrelated_csv_does_not(tmp_path):
    data, package, notebook = setup_book(tmp_path)
    before = fingerprint(notebook, data, package)
    (data / "stockpiles.csv").write_text((data / "stockpiles.csv").read_text() + "\n")
    assert fingerprint(notebook, data, package) == before


def test_changing_the_helper_package_or_schema_changes_every_fingerprint(tmp_path):
    data, package, notebook = setup_book(tmp_path)
    before = fingerprint(notebook, data, package)
    (package / "module.py").write_text("VALUE = 2\n")
    after_code = fingerprint(notebook, data, package)
    assert after_code != before
    described = json.loads((data / "datapackage.json").read_text())
    described["title"] += " (edited)"
    (data / "datapackage.json").write_text(json.dumps(described))
    assert fingerprint(notebook, data, package) != after_code


def test_only_notebooks_are_tracked(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Just prose\n")
    notebook = tmp_path / "nb.md"
    notebook.write_text(NOTEBOOK)
    assert not sphinx_ext._is_notebook(page)
    assert sphinx_ext._is_notebook(notebook)


def stand_in_app(root):
    """What ``mark_stale_notebooks`` reads of a Sphinx application: a book at ``root``
    whose execution cache is ``root/cache``."""
    from types import SimpleNamespace

    config = SimpleNamespace(
        nb_execution_mode="cache", nb_execution_cache_path="cache", root_doc="index"
    )
    return SimpleNamespace(srcdir=str(root), config=config)


def stand_in_env(root, docs: set[str]):
    """What ``mark_stale_notebooks`` reads of a Sphinx environment: ``docs``, as
    ``root/<doc>.md``."""
    from types import SimpleNamespace

    return SimpleNamespace(found_docs=docs, doc2path=lambda doc: root / f"{doc}.md")


def test_a_package_change_re_reads_pages_that_are_not_notebooks(tmp_path, monkeypatch):
    """The bibliography page's labels come from the package: a change must re-read it."""
    page = tmp_path / "bibliography.md"
    page.write_text("# Bibliography\n")
    app = stand_in_app(tmp_path)
    env = stand_in_env(tmp_path, {"bibliography"})
    digest = {"value": "first"}
    monkeypatch.setattr(sphinx_ext, "package_digest", lambda *args: digest["value"])

    assert sphinx_ext.mark_stale_notebooks(app, env, set(), set(), set()) == ["bibliography"]
    assert sphinx_ext.mark_stale_notebooks(app, env, set(), set(), set()) == []
    digest["value"] = "second"
    assert sphinx_ext.mark_stale_notebooks(app, env, set(), set(), set()) == ["bibliography"]
    assert sphinx_ext.mark_stale_notebooks(app, env, set(), {"bibliography"}, set()) == []


def test_an_edit_to_the_books_own_static_files_is_published(tmp_path):
    """Sphinx copies _static only when it writes a page: with no page out of date, an edited
    stylesheet must still make the build write one (the landing page), and only once."""
    (tmp_path / "index.md").write_text("# Home\n")
    static = tmp_path / "_static"
    static.mkdir()
    (static / "book.css").write_text("p { color: black; }\n")
    app = stand_in_app(tmp_path)
    env = stand_in_env(tmp_path, {"index"})

    sphinx_ext.mark_stale_notebooks(app, env, {"index"}, set(), set())  # the first build
    assert sphinx_ext.mark_stale_notebooks(app, env, set(), set(), set()) == []
    (static / "book.css").write_text("p { color: navy; }\n")
    assert sphinx_ext.mark_stale_notebooks(app, env, set(), set(), set()) == ["index"]
    assert sphinx_ext.mark_stale_notebooks(app, env, set(), set(), set()) == []
    (static / "new.js").write_text("// a new file\n")
    assert sphinx_ext.mark_stale_notebooks(app, env, set(), set(), set()) == ["index"]
    # A page already out of date makes Sphinx copy the files anyway: nothing is added.
    (static / "book.css").write_text("p { color: teal; }\n")
    assert sphinx_ext.mark_stale_notebooks(app, env, set(), {"index"}, set()) == []


def test_a_chart_the_slim_vega_runtime_cannot_draw_fails_the_build_with_its_name():
    """The chart renderer warns (a strict build fails) naming the chart and what the
    runtime lacks, here Vega's window transform (a running mean)."""
    import types

    import altair as alt
    import pandas as pd
    from myst_nb.core.render import MimeData

    from usrussia import render
    from usrussia.sphinx_ext import ChartMimeRenderer

    frame = pd.DataFrame({"year": [2020, 2021, 2022], "value": [1.0, 2.0, 4.0]})
    chart = (
        alt.Chart(frame, title="Running mean")
        .transform_window(mean="mean(value)", frame=[-1, 1])
        .mark_line()
        .encode(x="year:O", y="mean:Q")
    )
    warnings = []
    stub = types.SimpleNamespace(
        renderer=types.SimpleNamespace(sphinx_env=None),
        logger=types.SimpleNamespace(warning=lambda message, **_: warnings.append(message)),
        write_file=lambda path, content, **_: path[0],
    )
    content = render.book_renderer(chart.to_dict())[render.CHART_MIME]
    data = MimeData(render.CHART_MIME, content, line=7)
    assert ChartMimeRenderer.handle_mime(stub, data, inline=False)
    assert len(warnings) == 1 and "Running mean" in warnings[0], warnings
    assert "transform 'window'" in warnings[0] and "make vega-runtime" in warnings[0]


def test_two_builds_at_once_never_read_a_half_written_fingerprint_record(tmp_path):
    """Every build of the book (the web editions, the print editions) shares one execution
    cache and the record of its fingerprints: a build reading it while another writes it
    must find the whole old record or the whole new one, never a truncated file."""
    import threading

    (tmp_path / "index.md").write_text("# Home\n")
    app = stand_in_app(tmp_path)
    env = stand_in_env(tmp_path, {"index"})
    failures = []

    def build(times: int) -> None:
        for _ in range(times):
            try:
                sphinx_ext.mark_stale_notebooks(app, env, set(), set(), set())
            except ValueError as error:  # json.JSONDecodeError: a half-written record
                failures.append(error)

    builds = [threading.Thread(target=build, args=(300,)) for _ in range(3)]
    for thread in builds:
        thread.start()
    for thread in builds:
        thread.join()
    assert not failures, f"{len(failures)} of 900 reads found a half-written record"
