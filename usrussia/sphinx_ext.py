"""Sphinx extension for the book: offline charts and re-execution when data change.

Listed in ``_config.yml`` under ``sphinx.extra_extensions``. It

* marks the build as a book build, so notebooks use the offline chart renderer;
* renders the chart outputs (``ChartMimeRenderer``, a myst-nb MIME plugin);
* writes the chart JavaScript to ``_static/usrussia/`` of the built site, a folder that
  Jupyter Book does not add to every page; only pages with charts load it;
* copies ``data/`` into the built site so the Data appendix can link each CSV;
* re-executes a notebook when a dataset it loads or the helper package changes.
  jupyter-cache keys on code cells alone, so without this a corrected CSV would leave
  yesterday's chart in the published page;
* checks every dataset before any notebook runs, and stops the build with one plain report
  (file, line, column, value, what was expected) if one is wrong;
* reports a failing code cell by the line of the chapter's ``.md`` file, with the
  traceback once, and stops the build there;
* removes what an earlier build published for a page no longer in the book (a chapter
  taken out of ``_toc.yml`` or renamed): its HTML, its page sources and its notebooks.
  Sphinx's incremental build leaves them, so the old page would otherwise stay online
  until ``make clean``.
"""

from __future__ import annotations

import gc
import hashlib
import html
import json
import os
import posixpath
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import quote, unquote

from docutils import nodes

from usrussia import data, icon_fonts, render, spec_pack, stylesheets
from usrussia.files import write_atomically

PACKAGE_DIR = Path(__file__).resolve().parent
FINGERPRINT_FILE = "usrussia-inputs.json"


# --- Charts ------------------------------------------------------------------------------

# Prepared charts are cached beside the notebooks' execution cache (jupyter-cache), not in
# one build's doctrees: every edition and builder (the site, the student and instructor
# editions, the print editions) draws the same chart once.
CHART_CACHE_FOLDER = ".usrussia_chart_cache"


def chart_cache_path(app) -> Path:
    """Where prepared charts are cached: the folder that holds the execution cache."""
    return _cache_path(app).parent / CHART_CACHE_FOLDER


def _json_for_script(value: dict) -> str:
    # "</" inside a <script> element would end it early.
    return json.dumps(value, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")


def _builder_format(env) -> str | None:
    if env is None:
        return None
    app = getattr(env, "_app", None) or env.app
    return app.builder.format


def prepared_chart(spec: dict, cache_dir: Path | None) -> dict:
    """``render.prepare_chart(spec)``, cached on disk by the spec (and the versions that
    draw it), so that a rebuild does not compile or draw an unchanged chart again."""
    key = render.spec_key(spec)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    path = cache_dir / f"{digest}.json" if cache_dir else None
    if path and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    prepared = render.prepare_chart(spec)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(prepared))
    return prepared


class chart_picture(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """The static drawings of one chart, one ``nodes.image`` child per width (so Sphinx
    copies them and resolves their paths), written as one <picture> in HTML."""


def visit_chart_picture(self, node) -> None:
    sources = []
    for image in node.findall(nodes.image):
        uri = image["uri"]
        if uri in self.builder.images:
            uri = posixpath.join(self.builder.imgpath, quote(self.builder.images[uri]))
        sources.append((uri, image))
    *narrower, widest = sources
    parts = ['<picture class="usrussia-chart-picture">']
    for uri, image in narrower:
        parts.append(
            f'<source media="{html.escape(image["media"])}" srcset="{html.escape(uri)}"'
            f' width="{image["width"]}" height="{image["height"]}">'
        )
    uri, image = widest
    # The page's first chart is fetched at once, with the page's styles; the others when
    # the reader scrolls near them.
    loading = ' loading="lazy"' if getattr(self, "usrussia_chart_seen", False) else ""
    self.usrussia_chart_seen = True
    parts.append(
        f'<img src="{html.escape(uri)}" alt="{html.escape(image["alt"], quote=True)}"'
        f' class="usrussia-chart-static" width="{image["width"]}" height="{image["height"]}"'
        f'{loading} decoding="async">'
    )
    parts.append("</picture>")
    self.body.append("".join(parts))
    raise nodes.SkipNode


class chart_figure(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """One chart: its Vega spec (``spec``), id and whether it fits any width, around the
    ``chart_picture`` of its static drawings. In the site, the spec is a small script of
    its own next to the drawings (``<id>.vg.js``, loaded by charts.js with the Vega runtime
    when the chart nears the viewport, also from a page opened from disk, where a page may
    not fetch files), so that the page itself stays small; the one-page print edition
    keeps it inline. Either way the spec is packed (``spec_pack.pack_spec``) and charts.js
    unpacks it."""


SPEC_FILE_SUFFIX = ".vg.js"


def spec_script(chart_id: str, spec: dict) -> str:
    """The text of a chart's spec file: it hands the spec, packed (``spec_pack``), to
    charts.js."""
    packed = _json_for_script(spec_pack.pack_spec(spec))
    return f'window.usrussiaCharts.receiveSpec("{chart_id}",{packed});\n'


def visit_chart_figure(self, node) -> None:
    attributes = f' data-chart-id="{node["chart_id"]}" data-fits="{node["fits"]}"'
    inline = ""
    if self.builder.name == "singlehtml":
        packed = _json_for_script(spec_pack.pack_spec(node["spec"]))
        inline = f'<script type="application/json">{packed}</script>'
    else:
        name = f"{node['chart_id']}{SPEC_FILE_SUFFIX}"
        target = Path(self.builder.outdir) / self.builder.imagedir / name
        text = spec_script(node["chart_id"], node["spec"])
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        url = posixpath.join(self.builder.imgpath, quote(name))
        attributes += f' data-spec="{html.escape(url)}"'
    self.body.append(
        f'<figure class="usrussia-chart"{attributes}>{inline}'
        '<div class="usrussia-chart-view"'
        f' data-description="{html.escape(node["description"], quote=True)}">'
    )


def depart_chart_figure(self, node) -> None:
    self.body.append("</div></figure>")


class ChartMimeRenderer:
    """myst-nb plugin (entry point ``myst_nb.mime_renderers``) for the book's charts."""

    # First choice for every builder; handle_mime decides what each builder gets.
    mime_priority_overrides = [("*", render.CHART_MIME, 0)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        if data.mime_type != render.CHART_MIME:
            return None
        content = data.content
        description = content["description"]
        env = renderer.renderer.sphinx_env
        cache_dir = chart_cache_path(env.app) if env is not None else None
        prepared = prepared_chart(content["spec"], cache_dir)
        missing = render.missing_from_runtime(prepared["vega"])
        if missing:
            # A warning fails the strict build: the page could not draw this chart.
            renderer.logger.warning(
                f"chart {description[:80]!r} uses what the book's slim Vega runtime lacks: "
                f"{', '.join(missing)}. Add it in tools/vega-runtime (entry.js, or the edits in "
                "rollup.config.mjs) and run `make vega-runtime` (see its README.md).",
                subtype="chart",
                line=data.line,
            )
        images = []
        for drawing in prepared["static"]:
            svg = drawing["svg"].encode("utf-8")
            digest = hashlib.sha256(svg).hexdigest()
            uri = renderer.write_file([f"{digest}.svg"], svg, overwrite=False, exists_ok=True)
            image = nodes.image(uri=uri, alt=description, classes=["usrussia-chart-static"])
            image["width"], image["height"] = drawing["width"], drawing["height"]
            image["media"] = drawing["media"] or ""
            images.append(image)
        if _builder_format(env) != "html":
            widest = images[-1]
            del widest["width"], widest["height"]
            return [widest]
        renderer.add_js_file("usrussia-charts", render.SCRIPT_PATH, {"defer": "defer"})
        chart_id = hashlib.sha256(render.spec_key(content["spec"]).encode()).hexdigest()[:12]
        figure = chart_figure(
            spec=prepared["vega"],
            chart_id=chart_id,
            fits=str(prepared["fits"]).lower(),
            description=description,
        )
        picture = chart_picture()
        picture.extend(images)
        figure.append(picture)
        return [figure]


def write_static_assets(app, exception) -> None:
    """After an HTML build: the chart loader, the Vega runtime, the icon fonts cut down to
    the icons used, and the data for download."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for relative, text in (
        (render.SCRIPT_PATH, spec_pack.with_shared_config(render.loader_script(minified=True))),
        (render.RUNTIME_PATH, render.vega_runtime()),
    ):
        target = outdir / "_static" / relative
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    # The theme's icon fonts, cut down to the icons the site shows (0.27 MB → a few kB).
    icon_fonts.subset_icon_fonts(outdir)
    data_src = Path(app.srcdir) / "data"
    if data_src.is_dir():
        shutil.copytree(
            data_src,
            outdir / "data",
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("staging", "*.md"),
        )


# --- Pages no longer in the book ----------------------------------------------------------

PUBLISHED_FILE = "usrussia-published.json"


def page_outputs(app, docname: str) -> list[Path]:
    """The files an HTML build wrote for one page: its HTML, its copies under ``_sources/``
    and, for a chapter, its student and instructor notebooks."""
    from usrussia import notebook_export

    outdir = Path(app.outdir)
    files = [outdir / app.builder.get_target_uri(docname)]
    files += (outdir / "_sources").glob(f"{glob_escape(docname)}.*")
    name = notebook_export._chapter_name(app, docname)
    if name is not None:
        files.append(outdir / notebook_export.EXPORT_FOLDER / "instructor" / f"{name}.ipynb")
        files.append(notebook_export.student_notebook_dir(outdir) / f"{name}.ipynb")
    return [f for f in files if f.is_file()]


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def drop_pages_left_out(app, exception) -> None:
    """After an HTML build: delete the outputs of pages the previous build published and
    this one no longer has (listed in ``usrussia-published.json`` beside the doctrees).
    Only files a build wrote for a page are removed; sources are never touched."""
    if exception is not None or app.builder.name != "html":
        return
    root = Path(app.outdir).parent  # _build: holds html/ and notebooks/
    record = Path(app.doctreedir) / PUBLISHED_FILE
    published = {
        path.relative_to(root).as_posix()
        for docname in sorted(app.env.found_docs)
        for path in page_outputs(app, docname)
    }
    try:
        before = set(json.loads(record.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        before = set()
    for relative in sorted(before - published):
        (root / relative).unlink(missing_ok=True)
    write_atomically(record, json.dumps(sorted(published), indent=1) + "\n")


IMAGE_REFERENCE = re.compile(r"""_images/([^"'?#\s)]+)""")


def drop_unreferenced_images(app, exception) -> None:
    """After an HTML build: delete the files in ``_images`` that no page refers to. Sphinx
    copies each picture and chart drawing there but never removes one, so every earlier
    drawing of a changed chart, and the pictures of a page taken out, would be published
    with the site. Only the build's own copies are removed; sources are never touched."""
    if exception is not None or app.builder.name != "html":
        return
    outdir = Path(app.outdir)
    images = outdir / app.builder.imagedir
    if not images.is_dir():
        return
    referenced = set()
    for page in outdir.rglob("*.html"):
        found = IMAGE_REFERENCE.findall(page.read_text(encoding="utf-8", errors="replace"))
        referenced.update(unquote(name) for name in found)
    for path in images.iterdir():
        if path.is_file() and path.name not in referenced:
            path.unlink()


def cut_theme_stylesheets(app, exception) -> None:
    """After an HTML build, once every extension has written its files (connected last):
    the theme's and extensions' stylesheets cut down to the rules the site can use
    (``usrussia.stylesheets``; 0.56 MB → 0.17 MB), since a page's first paint matches each
    element against each of their rules. The uncut copies are kept in the build's cache
    (``UNCUT_FOLDER`` under the doctrees folder) for the tests to compare against."""
    if exception is not None or app.builder.format != "html":
        return
    stylesheets.cut_stylesheets(
        Path(app.outdir),
        own_static=Path(app.srcdir) / "_static",
        keep_uncut=Path(app.doctreedir) / UNCUT_FOLDER,
    )


UNCUT_FOLDER = "uncut-css"


# --- Page head ---------------------------------------------------------------------------

DESCRIPTION_LENGTH = 155
# Text in these is not a page's own summary (objectives box, notes, figures, code).
NOT_SUMMARY = (nodes.Admonition, nodes.Sequential, nodes.figure, nodes.literal_block, nodes.table)


def page_summary(doctree, fallback: str) -> str:
    """The page's first paragraph of prose, cut at a word to about 155 characters: the
    page's meta description for search engines and link previews."""
    for paragraph in doctree.findall(nodes.paragraph):
        ancestor, inside = paragraph.parent, False
        while ancestor is not None:
            if isinstance(ancestor, NOT_SUMMARY):
                inside = True
                break
            ancestor = ancestor.parent
        text = " ".join(paragraph.astext().split())
        # A paragraph led by a bold label ("Time and prerequisites.") is a note, not prose.
        labelled = len(paragraph) > 0 and isinstance(paragraph[0], nodes.strong)
        if inside or labelled or len(text) < 60:
            continue
        if len(text) > DESCRIPTION_LENGTH:
            text = text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return text
    return fallback


def add_meta_description(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: a ``<meta name="description">`` on every page."""
    book = context.get("docstitle") or app.config.html_title or app.config.project
    fallback = f"{context.get('title') or pagename}, in {book}"
    summary = page_summary(doctree, fallback) if doctree is not None else fallback
    tag = f'<meta name="description" content="{html.escape(summary, quote=True)}" />\n'
    context["metatags"] = context.get("metatags", "") + tag


# --- Re-execution when inputs change -----------------------------------------------------


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def package_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """The helper package's source files: a change to any of them can change any output."""
    return sorted(p for p in package_dir.rglob("*") if p.suffix in {".py", ".js"})


def datasets_used(source: str, names: list[str]) -> list[str]:
    """Datasets a notebook's source names as a string literal, e.g. load("trade").

    This over-approximates (any literal equal to a dataset's name counts), which can
    cost an extra execution but never leaves a stale page. A notebook that describes
    the whole data package (the Data appendix) calls a function named in ALL_DATA_CALLS.
    """
    if any(call in source for call in ALL_DATA_CALLS):
        return list(names)
    return [n for n in names if re.search(rf"[\"']{re.escape(n)}[\"']", source)]


ALL_DATA_CALLS = ("data_appendix(", "dataset_names(")


PACKAGE_KEY = "usrussia package"


def package_digest(package_dir: Path = PACKAGE_DIR) -> str:
    """A digest of the helper package's source files (see ``package_files``)."""
    digest = hashlib.sha256()
    for path in package_files(package_dir):
        digest.update(f"{path.relative_to(package_dir)}:{_file_digest(path)}\n".encode())
    return digest.hexdigest()


def notebook_fingerprint(source_path: Path, data_dir: Path, package_dir: Path = PACKAGE_DIR):
    """A digest of everything outside a notebook's code cells that its outputs depend on."""
    source = source_path.read_text(encoding="utf-8")
    digest = hashlib.sha256()
    digest.update(f"package:{package_digest(package_dir)}\n".encode())
    # New package versions can change any output, so they re-execute every notebook.
    requirements = data_dir.parent / "requirements.txt"
    if requirements.is_file():
        digest.update(f"requirements.txt:{_file_digest(requirements)}\n".encode())
    package_file = data_dir / "datapackage.json"
    if package_file.is_file():
        digest.update(f"datapackage.json:{_file_digest(package_file)}\n".encode())
        resources = json.loads(package_file.read_text(encoding="utf-8"))["resources"]
        paths = {res["name"]: res["path"] for res in resources}
        for name in datasets_used(source, sorted(paths)):
            csv_path = data_dir / paths[name]
            state = _file_digest(csv_path) if csv_path.is_file() else "missing"
            digest.update(f"{name}:{state}\n".encode())
    return digest.hexdigest()


def _is_notebook(path: Path) -> bool:
    if path.suffix == ".ipynb":
        return True
    if path.suffix != ".md":
        return False
    head = path.read_text(encoding="utf-8")[:2000]
    return head.startswith("---") and "kernelspec:" in head


def _cache_path(app) -> Path:
    configured = app.config.nb_execution_cache_path or ".jupyter_cache"
    return (Path(app.srcdir) / configured).resolve()


def forget_cached_outputs(cache_dir: Path, source_path: Path) -> int:
    """Drop jupyter-cache's executed copies of one notebook; return how many."""
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    removed = 0
    for record in cache.list_cache_records():
        if record.uri and Path(record.uri).resolve() == source_path.resolve():
            cache.remove_cache(record.pk)
            removed += 1
    return removed


def mark_stale_notebooks(app, env, added, changed, removed):
    """``env-get-outdated``: re-read and re-execute notebooks whose inputs changed."""
    if app.config.nb_execution_mode not in ("cache", "auto", "force"):
        return []
    cache_dir = _cache_path(app)
    record_file = cache_dir / FINGERPRINT_FILE
    previous = json.loads(record_file.read_text()) if record_file.is_file() else {}
    current, stale = {}, []
    data_dir = Path(app.srcdir) / "data"
    # Pages that are not notebooks are not executed, but the package still shapes them
    # (the bibliography's labels come from usrussia.sources and usrussia.bibstyle), so a
    # change to the package re-reads them too.
    current[PACKAGE_KEY] = package_digest()
    package_changed = previous.get(PACKAGE_KEY) != current[PACKAGE_KEY]
    for docname in sorted(env.found_docs):
        source_path = Path(env.doc2path(docname))
        if not _is_notebook(source_path):
            if package_changed and docname not in added and docname not in changed:
                stale.append(docname)
            continue
        key = str(source_path.resolve())
        current[key] = notebook_fingerprint(source_path, data_dir)
        if previous.get(key) == current[key]:
            continue
        if cache_dir.is_dir():
            forget_cached_outputs(cache_dir, source_path)
        if docname not in added and docname not in changed:
            stale.append(docname)
    # Sphinx copies the book's own _static files only when it writes a page, and writes
    # none when no page is out of date: an edit to _static/usrussia.css alone would never
    # reach the site. Re-writing the landing page is enough to copy them all.
    current[STATIC_KEY] = static_digest(Path(app.srcdir) / "_static")
    static_changed = previous.get(STATIC_KEY) != current[STATIC_KEY]
    if static_changed and not (stale or added or changed) and app.config.root_doc in env.found_docs:
        stale.append(app.config.root_doc)
    cache_dir.mkdir(parents=True, exist_ok=True)
    write_atomically(record_file, json.dumps(current, indent=1, sort_keys=True))
    return stale


STATIC_KEY = "book _static"


def static_digest(static_dir: Path) -> str:
    """A digest of the files in the book's own ``_static`` folder (names and contents);
    the digest of nothing when it does not exist."""
    digest = hashlib.sha256()
    if static_dir.is_dir():
        for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
            digest.update(
                f"{path.relative_to(static_dir).as_posix()}:{_file_digest(path)}\n".encode()
            )
    return digest.hexdigest()


def add_chart_script_to_single_page(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: the one-page build (for the PDF) gathers every chapter's
    charts into one page, but myst-nb only registers scripts for the page's own notebook."""
    if app.builder.name == "singlehtml":
        # The print edition's page: draw every chart at once, not as it scrolls into view.
        app.add_js_file(render.SCRIPT_PATH, defer="defer", **{"data-eager": "true"})


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: include each script once.

    sphinx-thebe's inline configuration script ends up twice in every page under
    Jupyter Book 1, and its second copy throws "THEBE_JS_URL has already been declared".
    """
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # Compare what the tag would say (an inline script has filename None or "").
        attributes = tuple(sorted(getattr(script, "attributes", {}).items()))
        key = (str(getattr(script, "filename", script) or ""), attributes)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


# Scripts that must run as the page is read: inline scripts after them use what they define
# (DOCUMENTATION_OPTIONS.pagename = …).
RUN_AT_ONCE = ("documentation_options.js",)


def defer_page_scripts(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: the extensions' scripts (copy buttons, toggles, tabs, the
    theme's) wait until the page is read instead of holding up its first paint; each
    starts its work when the document is ready, which a deferred script still sees. The
    order of the scripts is kept (deferred scripts run in order).

    Not on the search page: its template adds Sphinx's ``searchtools.js`` as a plain
    script after these, and it calls ``_ready`` from ``doctools.js`` as soon as it runs."""
    if pagename == "search":
        return
    deferred = []
    for script in context.get("script_files", []):
        filename = str(getattr(script, "filename", "") or "")
        attributes = dict(getattr(script, "attributes", {}) or {})
        if (
            filename
            and not filename.endswith(RUN_AT_ONCE)
            and not {"async", "defer"} & set(attributes)
            and hasattr(script, "priority")
        ):
            attributes["defer"] = "defer"
            script = type(script)(script.filename, priority=script.priority, **attributes)
        deferred.append(script)
    context["script_files"] = deferred


# --- Editions -------------------------------------------------------------------------

EDITION_ENV = "USRUSSIA_EDITION"
EDITIONS = ("public", "student", "instructor")


def current_edition() -> str:
    """Which edition to build: public (default), student (no solutions) or instructor."""
    edition = os.environ.get(EDITION_ENV, "public")
    if edition not in EDITIONS:
        raise ValueError(f"{EDITION_ENV}={edition!r}: expected one of {', '.join(EDITIONS)}")
    return edition


def configure_edition(app, config) -> None:
    """``config-inited``: tag the build with its edition and set what each one shows.

    Chapters hold instructor notes in ``{only} edition_instructor`` blocks. The student
    (assignment) edition also drops the page sources, which hold the solutions; its
    download, Binder and Colab buttons stay, as they serve the student notebooks, which
    have none (``usrussia.notebook_export``).
    """
    edition = current_edition()
    app.tags.add(f"edition_{edition}")
    if edition == "student":
        config.html_copy_source = False


def apply_edition_to_solutions(app, doctree) -> None:
    """``doctree-read``: remove solutions (student edition) or unfold them (instructor)."""
    from sphinx_exercise.nodes import solution_node

    edition = current_edition()
    for node in list(doctree.findall(solution_node)):
        if edition == "student":
            node.parent.remove(node)
        elif edition == "instructor":
            node["classes"] = [c for c in node["classes"] if c != "dropdown"]


def give_exercise_bodies_their_own_ids(app, doctree) -> None:
    """``doctree-read``: sphinx-exercise gives the body of every exercise the id
    "exercise-content" and of every solution "solution-content", so a page with several
    repeats them (invalid HTML; a link to one lands on the first). Each body's id is made
    from its exercise's or solution's own label instead."""
    from docutils import nodes

    shared = {"exercise-content", "solution-content"}
    for number, section in enumerate(doctree.findall(nodes.section), start=1):
        if not shared.intersection(section["ids"]):
            continue
        owner_ids = section.parent.get("ids", []) if section.parent else []
        kind = section["ids"][0]
        section["ids"] = [f"{owner_ids[0]}-content" if owner_ids else f"{kind}-{number}"]


def share_html_node_handlers(app) -> None:
    """``builder-inited``: give the one-page builder (the PDF's source) every node handler
    registered for "html". Sphinx falls back to the html handlers only for a builder with
    none of its own, and some extension registers singlehtml handlers, so nodes such as
    Jupyter Book's hidden cells and sphinx-design's card titles would otherwise be unknown.
    """
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node, visitors in handlers.get("html", {}).items():
        single.setdefault(node, visitors)


def fix_citation_list_roles(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: the bibliography's ARIA roles, as docutils writes them, fail
    axe (a "list" holding anchors, and the deprecated "doc-biblioentry"); plain
    containers say nothing false."""
    body = context.get("body")
    if body and "citation-list" in body:
        body = body.replace(
            '<div role="list" class="citation-list">', '<div class="citation-list">'
        )
        context["body"] = body.replace(' role="doc-biblioentry"', "")


# --- Author-facing errors: data checked first, failing cells located in the .md -----------


def _stop_build(report: str) -> None:
    """Print ``report`` as the last thing in the output and end the build with status 1.

    SystemExit passes through Sphinx's and Jupyter Book's handlers, which would otherwise
    add a Python traceback and Sphinx's "please report this bug" text to an author's error.
    """
    sys.stdout.flush()
    print("\n" + report.rstrip() + "\n", file=sys.stderr, flush=True)
    raise SystemExit(1)


def data_report(failures: list, root: Path) -> str:
    """The plain report of every failing dataset: one self-contained line per problem."""
    lines = ["The data check failed, so no notebook was run and nothing was built:", ""]
    for failure in failures:
        try:
            shown = failure.path.resolve().relative_to(root.resolve())
        except ValueError:
            shown = failure.path
        for problem in failure.problems[: data.MAX_REPORTED_PROBLEMS]:
            lines.append(f"{shown}, {problem}")
        hidden = len(failure.problems) - data.MAX_REPORTED_PROBLEMS
        if hidden > 0:
            lines.append(f"{shown}: … and {hidden} more problems")
    lines += ["", "Correct the file(s) above (the build changed nothing in data/) and build again."]
    return "\n".join(lines)


def check_data_first(app, config) -> None:
    """``config-inited``: validate every dataset before any notebook executes.

    The datasets are those the chapters' ``usrussia.load`` will read (``USRUSSIA_DATA`` or
    the book's ``data/``). Reads only; on failure the build stops with ``data_report``.
    """
    folder = Path(os.environ.get("USRUSSIA_DATA") or Path(app.srcdir) / "data")
    if not (folder / data.PACKAGE_FILE).is_file():
        return
    # Where the check records what it found valid; the kernels inherit it and do not
    # check those files again (data.VALIDATED_ENV).
    os.environ[data.VALIDATED_ENV] = str(Path(app.doctreedir) / "usrussia-validated")
    try:
        failures = data.check_package(folder)
    except data.DataError as error:  # datapackage.json itself does not parse
        failures = [error]
    if failures:
        _stop_build(data_report(failures, Path(app.srcdir)))


KERNEL_CONFIG = PACKAGE_DIR / "kernel_config" / "ipython_kernel_config.py"


def use_book_kernel_profile(app, config) -> None:
    """``config-inited``: the kernels that run the chapters use a profile of the book's own.

    Its one setting (``kernel_config/ipython_kernel_config.py``) drops ipykernel's
    "running over TCP without encryption" notice, printed once per chapter, which no
    author can act on (see the file). A profile of its own also keeps an author's personal
    IPython start-up files out of the build.
    """
    profile = Path(app.doctreedir).parent / "ipython" / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    target = profile / KERNEL_CONFIG.name
    wanted = KERNEL_CONFIG.read_text(encoding="utf-8")
    if not target.is_file() or target.read_text(encoding="utf-8") != wanted:
        target.write_text(wanted, encoding="utf-8")
    os.environ["IPYTHONDIR"] = str(profile.parent)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_FRAME = re.compile(r"Cell In\[(\d+)\], line (\d+)")
_NUMBERED_LINE = re.compile(r"^(-*>)?(\s*)(\d+)( .*|)$")


def _cell_source(message: str) -> str | None:
    """The failing cell's source, as nbclient quotes it in a CellExecutionError."""
    marker = "------------------\n"
    if message.count(marker) < 2:
        return None
    return message.split(marker, 2)[1].removesuffix("\n")


def locate_cell(text: str, cell_source: str, execution_count: int | None = None) -> int | None:
    """0-based index, in the .md ``text``, of the first line of the code cell whose source
    is ``cell_source``; with several identical cells, the ``execution_count``-th code cell
    decides. None if the cell cannot be found."""
    lines = text.splitlines()
    body = cell_source.splitlines()
    if not body:
        return None
    candidates = []
    fences = 0
    for index, line in enumerate(lines):
        if line.startswith("```{code-cell}"):
            fences += 1
        if lines[index : index + len(body)] == body and fences:
            candidates.append((index, fences))
    if not candidates:
        return None
    for index, fence_number in candidates:
        if execution_count is not None and fence_number == execution_count:
            return index
    return candidates[0][0]


def cell_error_report(source_path: Path, text: str, error: BaseException, root: Path) -> str:
    """A failing cell's error, located in the chapter's .md file ``text``: the traceback
    once, its frame of the cell numbered by the lines of the file, then one line saying
    where, which exception and its message. ``error`` is nbclient's CellExecutionError
    (anything else is reported with the file alone)."""
    try:
        shown = source_path.resolve().relative_to(root.resolve())
    except ValueError:
        shown = source_path
    message = _ANSI.sub("", str(error))
    ename = getattr(error, "ename", type(error).__name__)
    evalue = getattr(error, "evalue", "")
    traceback = _ANSI.sub("", getattr(error, "traceback", "") or message)
    cell_source = _cell_source(message)
    if cell_source is not None:
        # nbclient's message quotes the whole cell before the traceback: leave that out.
        traceback = message.split("------------------\n", 2)[2]
    frame = _CELL_FRAME.search(traceback)
    start = None
    if cell_source is not None and frame is not None:
        start = locate_cell(text, cell_source, int(frame.group(1)))
    where = str(shown)
    if start is not None:
        where = f"{shown}, line {start + int(frame.group(2))}"
        traceback = _renumber_cell_frame(traceback, frame, start, str(shown))
    summary = f"{where}: {ename}: {evalue}".rstrip(": ")
    return "\n".join(
        [
            f"A code cell failed in {where}; the build stopped there.",
            "",
            traceback.strip(),
            "",
            summary,
        ]
    )


def _renumber_cell_frame(traceback: str, frame, start: int, shown: str) -> str:
    """The traceback with the failing cell's frame given in lines of the .md file."""
    head, rest = traceback[: frame.start()], traceback[frame.end() :]
    line = start + int(frame.group(2))
    frame_lines, _, after = rest.partition("\n\n")
    renumbered = []
    for text_line in frame_lines.split("\n"):
        match = _NUMBERED_LINE.match(text_line)
        if match:
            arrow, gap, number, code = match.groups()
            text_line = f"{arrow or ''}{gap}{start + int(number)}{code}"
        renumbered.append(text_line)
    body = "\n".join(renumbered)
    return f"{head}File {shown}, line {line}{body}\n\n{after}"


def _chapter_parser():
    """myst-nb's notebook parser, reporting a failing cell by its line in the .md file."""
    from myst_nb.core.execute import ExecutionError
    from myst_nb.sphinx_ import Parser

    class ChapterParser(Parser):
        def parse(self, inputstring: str, document) -> None:
            try:
                super().parse(inputstring, document)
            except ExecutionError as error:
                cause = error.__cause__ or error
                env = getattr(document.settings, "env", None) or self.env
                source_path = Path(env.doc2path(env.docname))
                root = Path(env.srcdir)
                _stop_build(cell_error_report(source_path, inputstring, cause, root))

    return ChapterParser


def find_bibliography_plugins_once(app, config) -> None:
    """``config-inited``: pybtex looks up its plugins (styles, the plain-text backend) in
    the installed packages' entry points on every citation, about 25 ms a time in this
    environment: 20 s of each build. Each plugin the book uses is looked up once and kept
    in pybtex's store of runtime plugins, which it searches first."""
    from pybtex.plugin import find_plugin, register_plugin

    used = [
        ("pybtex.backends", "plaintext"),
        ("pybtex.style.formatting", config.bibtex_default_style),
        ("pybtex.style.formatting", config.bibtex_tooltips_style),
        ("pybtex.style.labels", "usrussia"),
        ("pybtex.style.sorting", "usrussia"),
    ]
    for group, name in used:
        register_plugin(group, name, find_plugin(group, name), force=True)


# Python's collector of reference cycles, as the build uses it: a full collection after
# 100 younger ones instead of 10. Docutils trees are cycles (each node points to its
# parent), and Sphinx unpickles a chapter's whole doctree for each {numref} into it, so
# with the default a build spent nearly a third of its time in full collections; a one-page
# build of the whole book took 28.8 s instead of 41.2 s, in 485 MB instead of 409 MB.
GC_THRESHOLDS = (700, 10, 100)


def setup(app):
    from usrussia import notebook_export

    # A build runs in a process of its own (jupyter-book's command), so this touches no
    # other program.
    gc.set_threshold(*GC_THRESHOLDS)
    notebook_export.setup(app)  # student and instructor notebooks from each chapter
    # Kernels started by the build inherit this, and so pick the offline renderer.
    os.environ[render.BOOK_BUILD_ENV] = "1"
    app.connect("config-inited", configure_edition)
    app.connect("config-inited", find_bibliography_plugins_once)
    # Before any notebook executes: the data are checked, the kernels' profile is set.
    app.connect("config-inited", check_data_first)
    app.connect("config-inited", use_book_kernel_profile)
    app.setup_extension("myst_nb")
    app.add_source_parser(_chapter_parser(), override=True)
    app.connect("doctree-read", apply_edition_to_solutions)
    app.connect("doctree-read", give_exercise_bodies_their_own_ids)
    app.connect("env-get-outdated", mark_stale_notebooks)
    app.connect("build-finished", write_static_assets)
    app.connect("build-finished", drop_pages_left_out)
    app.connect("build-finished", drop_unreferenced_images, priority=600)
    # After the theme rewrites pygments.css and myst-nb copies its CSS (build-finished too).
    app.connect("build-finished", cut_theme_stylesheets, priority=900)
    app.connect("html-page-context", add_chart_script_to_single_page)
    app.connect("html-page-context", fix_citation_list_roles)
    app.connect("html-page-context", add_meta_description)
    app.connect("builder-inited", share_html_node_handlers)
    handlers = (visit_chart_picture, None)
    app.add_node(chart_picture, html=handlers, singlehtml=handlers, dirhtml=handlers)
    handlers = (visit_chart_figure, depart_chart_figure)
    app.add_node(chart_figure, html=handlers, singlehtml=handlers, dirhtml=handlers)
    # Late priority: after the theme and myst-nb have added their scripts.
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("html-page-context", defer_page_scripts, priority=901)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
