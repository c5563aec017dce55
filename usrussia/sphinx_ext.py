"""Sphinx extension for the book: offline charts and re-execution when data change.

Listed in ``_config.yml`` under ``sphinx.extra_extensions``. It

* marks the build as a book build, so notebooks use the offline chart renderer;
* renders the chart outputs (``ChartMimeRenderer``, a myst-nb MIME plugin);
* writes the chart JavaScript to ``_static/usrussia/`` of the built site, a folder that
  Jupyter Book does not add to every page; only pages with charts load it;
* copies ``data/`` into the built site so the Data appendix can link each CSV;
* re-executes a notebook when a dataset it loads or the helper package changes.
  jupyter-cache keys on code cells alone, so without this a corrected CSV would leave
  yesterday's chart in the published page.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from pathlib import Path

from docutils import nodes

from usrussia import render

PACKAGE_DIR = Path(__file__).resolve().parent
FINGERPRINT_FILE = "usrussia-inputs.json"


# --- Charts ------------------------------------------------------------------------------


def _json_for_script(value: dict) -> str:
    # "</" inside a <script> element would end it early.
    return json.dumps(value, separators=(",", ":"), sort_keys=True).replace("</", "<\\/")


def _builder_format(env) -> str | None:
    if env is None:
        return None
    app = getattr(env, "_app", None) or env.app
    return app.builder.format


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
        svg = content["svg"].encode("utf-8")
        digest = hashlib.sha256(svg).hexdigest()
        uri = renderer.write_file([f"{digest}.svg"], svg, overwrite=False, exists_ok=True)
        image = nodes.image(uri=uri, alt=description, classes=["usrussia-chart-static"])
        if _builder_format(renderer.renderer.sphinx_env) != "html":
            return [image]
        renderer.add_js_file("usrussia-charts", render.SCRIPT_PATH, {"defer": "defer"})
        opening = (
            f'<figure class="usrussia-chart" data-chart-id="{digest[:12]}">'
            f'<script type="application/json">{_json_for_script(content["spec"])}</script>'
            '<div class="usrussia-chart-view"'
            f' data-description="{html.escape(description, quote=True)}"></div>'
            "<noscript>"
        )
        return [
            nodes.raw("", opening, format="html"),
            image,
            nodes.raw("", "</noscript></figure>", format="html"),
        ]


def write_static_assets(app, exception) -> None:
    """After an HTML build: the chart script and a copy of the data for download."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    script = outdir / "_static" / render.SCRIPT_PATH
    bundle = render.javascript_bundle()
    if not script.is_file() or script.read_text(encoding="utf-8") != bundle:
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text(bundle, encoding="utf-8")
    data_src = Path(app.srcdir) / "data"
    if data_src.is_dir():
        shutil.copytree(
            data_src,
            outdir / "data",
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("staging", "*.md"),
        )


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


def notebook_fingerprint(source_path: Path, data_dir: Path, package_dir: Path = PACKAGE_DIR):
    """A digest of everything outside a notebook's code cells that its outputs depend on."""
    source = source_path.read_text(encoding="utf-8")
    digest = hashlib.sha256()
    for path in package_files(package_dir):
        digest.update(f"{path.relative_to(package_dir)}:{_file_digest(path)}\n".encode())
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
    for docname in sorted(env.found_docs):
        source_path = Path(env.doc2path(docname))
        if not _is_notebook(source_path):
            continue
        key = str(source_path.resolve())
        current[key] = notebook_fingerprint(source_path, data_dir)
        if previous.get(key) == current[key]:
            continue
        if cache_dir.is_dir():
            forget_cached_outputs(cache_dir, source_path)
        if docname not in added and docname not in changed:
            stale.append(docname)
    cache_dir.mkdir(parents=True, exist_ok=True)
    record_file.write_text(json.dumps(current, indent=1, sort_keys=True))
    return stale


def add_chart_script_to_single_page(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context``: the one-page build (for the PDF) gathers every chapter's
    charts into one page, but myst-nb only registers scripts for the page's own notebook."""
    if app.builder.name == "singlehtml":
        app.add_js_file(render.SCRIPT_PATH, defer="defer")


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


def setup(app):
    from usrussia import notebook_export

    notebook_export.setup(app)  # student and instructor notebooks from each chapter
    # Kernels started by the build inherit this, and so pick the offline renderer.
    os.environ[render.BOOK_BUILD_ENV] = "1"
    app.connect("config-inited", configure_edition)
    app.connect("doctree-read", apply_edition_to_solutions)
    app.connect("env-get-outdated", mark_stale_notebooks)
    app.connect("build-finished", write_static_assets)
    app.connect("html-page-context", add_chart_script_to_single_page)
    app.connect("html-page-context", fix_citation_list_roles)
    app.connect("builder-inited", share_html_node_handlers)
    # Late priority: after the theme and myst-nb have added their scripts.
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
