"""Student and instructor notebooks, exported from each chapter's resolved doctree.

The web page is the reference for what a chapter says, so the notebooks are written from
what Sphinx made of the chapter (on ``doctree-resolved``), not from its MyST text. That way
a glued number is already the number, a citation is already "Author (2020)", a figure
reference is "Fig. 23" and an exercise is "Exercise 5.1", exactly as on the page, and no
MyST role, directive fence or option line can reach the notebook. Prose becomes Markdown;
the chapter's code cells become code cells with their tags.

What goes in which notebook (the cell tags are described in AUTHORING.md):

* ``remove-cell`` cells compute numbers for the prose only: in neither notebook.
* the first code cell (``import usrussia; usrussia.setup()``) opens both notebooks, after
  a few lines that, in Google Colab only, fetch the book's helper package and data.
* ``hide-input`` chart cells and ordinary code cells: in both, where they stand.
* ``student`` cells (exercise scaffolds and check cells): in both; the book build neither
  runs them nor shows them (``source-read`` tags them ``skip-execution``; ``doctree-read``
  swaps them for an invisible placeholder that remembers their code).
* solutions: only in the instructor notebook.

Links to other pages (citations, glossary terms, other chapters) point at the published
web book, whose address is derived from ``repository.url`` (GitHub Pages) unless
``html.baseurl`` is set. Links within the page become plain text.

Files written by an HTML build (``_build`` below is the folder holding ``html/``):

* ``_build/notebooks/student/<chapter>.ipynb``: ``make notebooks`` copies these to
  ``chapters/`` (the Binder and Colab buttons open them there);
* ``_build/html/_sources/chapters/<chapter>.ipynb``: the student notebook again, which is
  what the page's download button serves;
* ``_build/html/notebooks/instructor/<chapter>.ipynb`` (not in the assignment edition);
* ``_build/notebooks/exercise_numbers.json``: every chapter exercise's label and its name
  as the page and the notebooks show it (``{"reset-ex-trade": "Exercise 4.1"}``), from
  Sphinx's numbering; ``make notebooks`` copies it into the package, where
  ``usrussia.check`` names each exercise by it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urljoin

import nbformat
from docutils import nodes

STUDENT_TAG = "student"
SKIP_TAG = "skip-execution"
CHAPTER_FOLDER = "chapters"
EXPORT_FOLDER = "notebooks"

COLAB_SETUP = """\
import sys

if "google.colab" in sys.modules:  # In Colab only: fetch the book's helper package and data.
    import os, subprocess

    if not os.path.isdir("/content/book"):
        subprocess.run(["git", "clone", "--depth", "1", "{repository}", "/content/book"])
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "/content/book"])
    os.environ["USRUSSIA_DATA"] = "/content/book/data"
"""


# --- Student cells: not run, not shown, kept for the notebook --------------------------


class student_cell(nodes.Element, nodes.Invisible):
    """Placeholder for a ``student`` code cell: no output in any builder."""


def _skip_node(self, node):
    raise nodes.SkipNode


_CELL_TAGS = re.compile(r"^(```+\{code-cell\}[^\n]*\n:tags:\s*\[)([^\]\n]*)(\])", re.MULTILINE)


def tag_student_cells_unexecuted(app, docname, source) -> None:
    """``source-read``: a ``student`` cell is also tagged ``skip-execution`` (in memory,
    never in the file), so the build's kernel does not run it."""

    def add_skip(match: re.Match) -> str:
        tags = [t.strip().strip("'\"") for t in match.group(2).split(",")]
        if STUDENT_TAG in tags and SKIP_TAG not in tags:
            return f"{match.group(1)}{match.group(2)}, {SKIP_TAG}{match.group(3)}"
        return match.group(0)

    source[0] = _CELL_TAGS.sub(add_skip, source[0])


def _tags(cell: nodes.Element) -> list[str]:
    return list((cell.get("cell_metadata") or {}).get("tags", []))


def _code_cells(doctree) -> list[nodes.container]:
    return [n for n in doctree.findall(nodes.container) if n.get("nb_element") == "cell_code"]


def hide_student_cells(app, doctree) -> None:
    """``doctree-read``: replace each ``student`` cell by an invisible placeholder."""
    for cell in _code_cells(doctree):
        if STUDENT_TAG in _tags(cell):
            placeholder = student_cell(cell_index=cell["cell_index"], tags=_tags(cell))
            cell.replace_self(placeholder)


# --- Markdown from docutils nodes ------------------------------------------------------

_ESCAPE = re.compile(r"([\\`*\[\]$<>|])")


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


class UnsupportedNode(ValueError):
    pass


class MarkdownWriter:
    """Inline and block Markdown for the nodes a chapter's prose uses."""

    def __init__(self, page_url: str, numbers):
        self.page_url = page_url
        self.numbers = numbers  # callable: node -> "Fig. 3" / "Exercise 5.1" / None

    # Inline -------------------------------------------------------------------------
    def inline(self, node) -> str:
        if isinstance(node, nodes.Text):
            return _escape(str(node).replace("\n", " "))
        if isinstance(node, nodes.emphasis):
            return self._wrap("*", node)
        if isinstance(node, nodes.strong):
            return self._wrap("**", node)
        if isinstance(node, nodes.literal):
            text = node.astext().replace("\n", " ")
            fence = "``" if "`" in text else "`"
            return f"{fence}{text}{fence}"
        if isinstance(node, nodes.reference):
            return self._link(node)
        if isinstance(node, nodes.math):
            return f"${node.astext()}$"
        if isinstance(node, nodes.image):
            return f"![{_escape(node.get('alt', ''))}]({node['uri']})"
        if isinstance(node, nodes.raw):
            return _raw_html(node)
        if isinstance(node, nodes.footnote_reference):
            return f"[{node.astext()}]"
        if isinstance(node, (nodes.target, nodes.comment, nodes.substitution_definition)):
            return ""
        if isinstance(node, (nodes.inline, nodes.TextElement, nodes.Inline)):
            return self.inlines(node)
        raise UnsupportedNode(f"no Markdown for inline node <{node.tagname}>")

    def inlines(self, node) -> str:
        return "".join(self.inline(child) for child in node.children)

    def _wrap(self, mark: str, node) -> str:
        inner = self.inlines(node)
        stripped = inner.strip()
        if not stripped:
            return inner
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        return f"{lead}{mark}{stripped}{mark}{trail}"

    def _link(self, node) -> str:
        text = self.inlines(node)
        if node.get("refid") or node.get("refuri", "").startswith("#"):
            return text  # a place on this page: the notebook has no such anchor
        uri = node.get("refuri", "")
        if not uri:
            return text
        if not re.match(r"^[a-z][a-z0-9+.-]*:", uri):
            uri = urljoin(self.page_url, uri)
        return f"[{text}]({uri})"

    # Blocks -------------------------------------------------------------------------
    def blocks(self, node) -> str:
        parts = [self.block(child) for child in node.children]
        return "\n\n".join(p for p in parts if p.strip())

    def block(self, node) -> str:
        if isinstance(node, nodes.paragraph):
            return self.inlines(node).strip()
        if isinstance(node, nodes.bullet_list):
            return self._list(node, lambda i: "-")
        if isinstance(node, nodes.enumerated_list):
            start = node.get("start", 1)
            return self._list(node, lambda i: f"{start + i}.")
        if isinstance(node, nodes.block_quote):
            return _quote(self.blocks(node))
        if isinstance(node, nodes.literal_block):
            language = node.get("language", "")
            language = "" if language in ("default", "none", "myst-ansi") else language
            return f"```{language}\n{node.astext().rstrip()}\n```"
        if isinstance(node, nodes.rubric):
            return f"**{self.inlines(node).strip()}**"
        if isinstance(node, nodes.admonition | nodes.Admonition):
            return self._admonition(node)
        if isinstance(node, nodes.definition_list):
            items = []
            for item in node.children:
                term = self.inlines(item.next_node(nodes.term))
                definition = self.blocks(item.next_node(nodes.definition))
                items.append(f"**{term.strip()}**\n: {definition}")
            return "\n\n".join(items)
        if isinstance(node, nodes.math_block):
            return f"$$\n{node.astext()}\n$$"
        if isinstance(node, nodes.caption):
            return self.inlines(node).strip()
        if isinstance(node, nodes.legend):
            return self.blocks(node)
        if isinstance(node, nodes.image):
            return self.inline(node)
        if isinstance(node, nodes.raw):
            return _raw_html(node)
        if isinstance(node, nodes.transition):
            return "---"
        if isinstance(node, (nodes.target, nodes.comment, nodes.substitution_definition)):
            return ""
        if isinstance(node, (nodes.container, nodes.compound, nodes.Structural)):
            return self.blocks(node)
        if isinstance(node, nodes.title):
            return f"**{self.inlines(node).strip()}**"
        if isinstance(node, nodes.citation):
            # An entry of the chapter's references: its label, then the entry as written.
            label = node.next_node(nodes.label)
            body = " ".join(
                self.inlines(child) if isinstance(child, nodes.paragraph) else self.blocks(child)
                for child in node.children
                if not isinstance(child, nodes.label)
            ).strip()
            head = f"**{label.astext()}** " if label is not None else ""
            return f"- {head}{body}"
        raise UnsupportedNode(f"no Markdown for block node <{node.tagname}>")

    def _list(self, node, marker) -> str:
        items = []
        for index, item in enumerate(node.children):
            mark = marker(index)
            body = self.blocks(item)
            pad = " " * (len(mark) + 1)
            lines = body.splitlines() or [""]
            text = f"{mark} {lines[0]}" + "".join(
                f"\n{pad}{line}" if line else "\n" for line in lines[1:]
            )
            items.append(text)
        return "\n".join(items)

    def _admonition(self, node) -> str:
        title_node = node.next_node(nodes.title) if node.children else None
        if title_node is not None and title_node.parent is node:
            title = self.inlines(title_node).strip()
            body_nodes = [c for c in node.children if c is not title_node]
        else:
            title = node.tagname.replace("_", " ").capitalize()
            body_nodes = list(node.children)
        body = "\n\n".join(p for p in (self.block(c) for c in body_nodes) if p.strip())
        return _quote(f"**{title}**\n\n{body}")


def _raw_html(node) -> str:
    """Raw HTML a chapter wrote, kept; scripts that extensions insert, dropped."""
    text = node.astext()
    if node.get("format") != "html" or "<script" in text:
        return ""
    return text


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


# --- From doctree to notebook ----------------------------------------------------------


def _is_solution(node) -> bool:
    return type(node).__name__ == "solution_node"


def _is_exercise(node) -> bool:
    return type(node).__name__ in ("exercise_node", "exercise_enumerable_node")


class NotebookBuilder:
    """Walks one chapter's resolved doctree and collects notebook cells."""

    def __init__(self, doctree, source_cells, writer, numbers, solutions):
        self.doctree = doctree
        self.source_cells = source_cells
        self.writer = writer
        self.numbers = numbers
        self.solutions = solutions
        self.cells: list[nbformat.NotebookNode] = []
        self.markdown: list[str] = []

    # Cells --------------------------------------------------------------------------
    def flush(self) -> None:
        text = "\n\n".join(m for m in self.markdown if m.strip()).strip()
        if text:
            self.cells.append(nbformat.v4.new_markdown_cell(text))
        self.markdown = []

    def code(self, index: int) -> None:
        cell = self.source_cells[index]
        tags = [t for t in cell.metadata.get("tags", []) if t != SKIP_TAG]
        source = cell.source.rstrip()
        self.flush()
        metadata = {"tags": tags} if tags else {}
        self.cells.append(nbformat.v4.new_code_cell(source, metadata=metadata))

    # Walk ---------------------------------------------------------------------------
    def walk(self, node, level: int = 0) -> None:
        for child in node.children:
            self.visit(child, level)

    def visit(self, node, level: int) -> None:
        writer = self.writer
        if isinstance(node, nodes.section):
            self.flush()
            self.walk(node, level + 1)
        elif isinstance(node, nodes.title) and isinstance(node.parent, nodes.section):
            self.flush()
            self.markdown.append(f"{'#' * max(level, 1)} {writer.inlines(node).strip()}")
        elif isinstance(node, student_cell) or (
            isinstance(node, nodes.container) and node.get("nb_element") == "cell_code"
        ):
            self.code(node["cell_index"])
            # A chart cell with myst-nb figure metadata holds its figure (number and
            # caption) inside the cell's output: the student sees it under the cell.
            for figure in node.findall(nodes.figure):
                self.figure_caption(figure)
        elif isinstance(node, nodes.figure):
            self.figure(node)
        elif _is_exercise(node):
            self.exercise(node)
        elif _is_solution(node):
            if self.solutions:
                self.exercise(node)
        elif isinstance(node, nodes.Invisible | nodes.target):
            pass
        else:
            self.markdown.append(writer.block(node))

    def figure(self, node) -> None:
        for child in node.children:
            if isinstance(child, nodes.caption | nodes.legend):
                continue
            if isinstance(child, nodes.container) and child.get("nb_element") == "cell_code":
                self.code(child["cell_index"])
            else:
                self.markdown.append(self.writer.block(child))
        self.figure_caption(node)

    def figure_caption(self, node) -> None:
        """A figure's number and caption (and legend) as Markdown: "**Fig. 5.1.** …"."""
        number = self.numbers(node)
        caption = node.next_node(nodes.caption)
        text = self.writer.inlines(caption).strip() if caption is not None else ""
        label = f"**{number}.** " if number else ""
        if text or label:
            self.markdown.append(f"{label}{text}")
        for legend in node.findall(nodes.legend):
            self.markdown.append(self.writer.blocks(legend))

    def exercise(self, node) -> None:
        self.flush()
        title_node = node.children[0] if node.children else None
        title = self.writer.inlines(title_node).strip() if title_node is not None else ""
        number = self.numbers(node)
        if _is_solution(node):
            heading = f"**Solution to {number or title}**" if number else f"**{title}**"
        else:
            heading = f"**{number}**" + (f" ({title})" if title and number else "")
            if not number:
                heading = f"**{title or 'Exercise'}**"
        self.markdown.append(heading)
        for child in node.children[1:]:
            if isinstance(child, nodes.section):  # sphinx-exercise wraps the body in one
                self.walk(child, 0)
            else:
                self.visit(child, 0)
        self.flush()

    def build(self, first_cell: str) -> nbformat.NotebookNode:
        setup_index = None
        for cell in _code_cells(self.doctree):
            setup_index = cell["cell_index"]
            break
        self.walk(self.doctree)
        self.flush()
        if setup_index is not None:
            # The set-up cell opens the notebook, with the Colab lines folded in.
            setup = self.source_cells[setup_index].source.strip()
            for cell in self.cells:
                if cell.cell_type == "code" and cell.source.rstrip() == setup:
                    self.cells.remove(cell)
                    break
            title_end = 1 if self.cells and self.cells[0].source.startswith("# ") else 0
            if title_end and "\n" in self.cells[0].source:
                head, rest = self.cells[0].source.split("\n", 1)
                self.cells[0:1] = [
                    nbformat.v4.new_markdown_cell(head),
                    nbformat.v4.new_markdown_cell(rest.strip()),
                ]
            self.cells.insert(title_end, nbformat.v4.new_code_cell(f"{first_cell}\n{setup}"))
        notebook = nbformat.v4.new_notebook(cells=self.cells)
        for number, cell in enumerate(notebook.cells):
            cell["id"] = f"cell-{number}"
        notebook.metadata = {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        }
        return notebook


# --- Sphinx events ---------------------------------------------------------------------


def _chapter_name(app, docname: str) -> str | None:
    """The chapter a page is, if it is a notebook chapter in ``chapters/``."""
    if not docname.startswith(f"{CHAPTER_FOLDER}/"):
        return None
    metadata = app.env.metadata.get(docname, {})
    if "kernelspec" not in metadata:
        return None
    return docname.split("/", 1)[1]


REPOSITORY_ENV = "USRUSSIA_REPOSITORY_URL"


def point_buttons_at_repository(app, config) -> None:
    """``config-inited``: USRUSSIA_REPOSITORY_URL (set by the Pages workflow to the
    repository it runs in) replaces ``repository.url`` for the page buttons (Binder,
    Colab, edit, issues), so that a fork's site opens the fork. The notebooks keep
    ``_config.yml``'s address, so that they do not change with who builds them."""
    options = dict(config.html_theme_options)
    app.usrussia_repository = options.get("repository_url", "").rstrip("/")
    override = os.environ.get(REPOSITORY_ENV, "").strip().rstrip("/")
    if override:
        options["repository_url"] = override
        config.html_theme_options = options


def repository_url(app) -> str:
    """The repository named in ``_config.yml`` (``repository.url``)."""
    return getattr(app, "usrussia_repository", "") or app.config.html_theme_options.get(
        "repository_url", ""
    ).rstrip("/")


def site_url(app) -> str:
    """The published web book: ``html_baseurl`` if set, else the GitHub Pages address."""
    base = (app.config.html_baseurl or "").strip()
    if base:
        return base.rstrip("/") + "/"
    match = re.match(r"https://github\.com/([^/]+)/([^/]+?)(\.git)?$", repository_url(app))
    if not match:
        return ""
    return f"https://{match.group(1)}.github.io/{match.group(2)}/"


def _numbers(app, docname: str):
    fignumbers = app.env.toc_fignumbers.get(docname, {})
    formats = app.config.numfig_format

    def number(node) -> str | None:
        kind = "exercise" if (_is_exercise(node) or _is_solution(node)) else "figure"
        if _is_solution(node):
            target = node.get("target_label")
            ids = [target] if target else []
        else:
            ids = node.get("ids", [])
        for node_id in ids:
            for figtype, table in fignumbers.items():
                if node_id in table and (figtype == kind or kind == "figure"):
                    value = ".".join(str(n) for n in table[node_id])
                    return formats.get(figtype, "%s") % value
        return None

    return number


def _read_source_cells(path: Path):
    from myst_nb.core.read import read_myst_markdown_notebook

    return read_myst_markdown_notebook(path.read_text(encoding="utf-8")).cells


def notebook_from_doctree(app, doctree, docname: str, solutions: bool):
    """The chapter's notebook (student, or instructor if ``solutions``)."""
    source_path = Path(app.env.doc2path(docname))
    if source_path.suffix == ".ipynb":
        source_cells = nbformat.read(source_path, as_version=4).cells
    else:
        source_cells = _read_source_cells(source_path)
    page_url = urljoin(site_url(app), f"{docname}.html")
    writer = MarkdownWriter(page_url, _numbers(app, docname))
    builder = NotebookBuilder(doctree, source_cells, writer, writer.numbers, solutions)
    first = COLAB_SETUP.format(repository=repository_url(app))
    return builder.build(first)


def notebook_text(notebook) -> str:
    return nbformat.writes(notebook) + "\n"


def _write_if_changed(path: Path, text: str) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def student_notebook_dir(outdir: Path) -> Path:
    return Path(outdir).parent / EXPORT_FOLDER / "student"


def export_notebooks(app, doctree, docname: str) -> None:
    """``doctree-resolved``: write the chapter's student and instructor notebooks."""
    if app.builder.name != "html":
        return
    name = _chapter_name(app, docname)
    if name is None:
        return
    from sphinx.util import logging

    from usrussia.sphinx_ext import current_edition

    try:
        student = notebook_from_doctree(app, doctree.deepcopy(), docname, solutions=False)
        instructor = notebook_from_doctree(app, doctree.deepcopy(), docname, solutions=True)
    except UnsupportedNode as err:
        logging.getLogger(__name__).warning(f"{docname}: student notebook: {err}")
        return
    outdir = Path(app.outdir)
    text = notebook_text(student)
    _write_if_changed(student_notebook_dir(outdir) / f"{name}.ipynb", text)
    # What the download button serves (the theme copies the executed notebook here first).
    app.usrussia_downloads = getattr(app, "usrussia_downloads", {})
    app.usrussia_downloads[docname] = text
    if current_edition() != "student":
        instructor_path = outdir / EXPORT_FOLDER / "instructor" / f"{name}.ipynb"
        _write_if_changed(instructor_path, notebook_text(instructor))


def exercise_numbers(app) -> dict[str, str]:
    """{exercise label: "Exercise 4.3"} for every exercise of the chapters in the book, as
    Sphinx numbers them (the numbers the pages and the exported notebooks show)."""
    numbers = {}
    form = app.config.numfig_format.get("exercise", "Exercise %s")
    for docname, tables in sorted(app.env.toc_fignumbers.items()):
        if docname not in app.env.found_docs or _chapter_name(app, docname) is None:
            continue
        for label, number in sorted(tables.get("exercise", {}).items()):
            numbers[label] = form % ".".join(str(n) for n in number)
    return numbers


def export_exercise_numbers(app, exception) -> None:
    """``build-finished``: write ``exercise_numbers.json`` beside the student notebooks."""
    if exception is not None or app.builder.name != "html":
        return
    import json

    from usrussia.check import EXERCISE_NUMBERS  # the package's copy: the same file name

    text = json.dumps(exercise_numbers(app), indent=1, sort_keys=True) + "\n"
    _write_if_changed(student_notebook_dir(Path(app.outdir)).parent / EXERCISE_NUMBERS.name, text)


def serve_student_notebook(app, pagename, templatename, context, doctree) -> None:
    """``html-page-context`` (after the theme): the download button's ``.ipynb`` is the
    student notebook; pages without one offer no notebook download and no launch links;
    a build without page sources (the assignment edition) offers none for download."""
    if app.builder.name != "html":
        return
    text = getattr(app, "usrussia_downloads", {}).get(pagename)
    if text is not None:
        _write_if_changed(Path(app.outdir) / "_sources" / f"{pagename}.ipynb", text)
    else:
        context.pop("ipynb_source", None)
    dropped = set()
    if text is None:
        dropped |= {"launch-buttons", "download-notebook-button"}
    if not app.config.html_copy_source:  # the assignment edition: no page sources
        dropped.add("download-source-button")
    buttons = []
    for button in context.get("header_buttons", []):
        if button.get("label") in dropped:
            continue
        if button.get("label") == "download-buttons":
            button = dict(button)
            button["buttons"] = [b for b in button["buttons"] if b.get("label") not in dropped]
        buttons.append(button)
    has_notebook_button = any(
        b.get("label") == "download-notebook-button"
        for group in buttons
        for b in group.get("buttons", [])
    )
    if text is not None and not has_notebook_button and "pathto" in context:
        # Without page sources the theme offers no download group: give the notebook one.
        buttons.append(
            {
                "type": "group",
                "tooltip": "Download this page",
                "icon": "fas fa-download",
                "label": "download-buttons",
                "buttons": [
                    {
                        "type": "link",
                        "url": f"{context['pathto']('_sources', 1)}/{pagename}.ipynb",
                        "text": ".ipynb",
                        "icon": "fas fa-code",
                        "tooltip": "Download notebook file",
                        "label": "download-notebook-button",
                    }
                ],
            }
        )
    if "header_buttons" in context:
        context["header_buttons"] = buttons


def setup(app) -> None:
    app.add_node(
        student_cell,
        **{
            fmt: (_skip_node, None)
            for fmt in ("html", "latex", "text", "man", "texinfo", "singlehtml")
        },
    )
    app.connect("config-inited", point_buttons_at_repository)
    app.connect("source-read", tag_student_cells_unexecuted)
    app.connect("doctree-read", hide_student_cells)
    app.connect("doctree-resolved", export_notebooks)
    app.connect("build-finished", export_exercise_numbers)
    app.connect("html-page-context", serve_student_notebook, priority=800)
