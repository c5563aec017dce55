"""The book's bibliography style: author-year labels, titles as written, the source type.

A pybtex formatting style (``usrussia``), label style and sorting style, registered as
pybtex plugins in ``pyproject.toml`` and chosen in ``_config.yml``
(``bibtex_default_style: usrussia``). It is also a small Sphinx extension: when the
builder starts it reads the book's ``bibtex_bibfiles`` so that every bibliography (each
chapter's and the whole list) gives an entry the same label, ``Issuing body, 2010a``,
the label the in-text citation shows (``bibtex_reference_style: usrussia``).

An entry reads::

    [U.S. Department of State, 2010a] Title as written. Organization. Journal, volume
    (number), pages. https://... (accessed 2026-11-23). Source type: official (United
    States).

The label carries the issuing body and the year, so the entry does not repeat them.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

from docutils import nodes
from pybtex.richtext import Text
from pybtex.style.formatting import BaseStyle, toplevel
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import field, href, join, node, optional, sentence, tag
from sphinx.util.docutils import SphinxDirective
from sphinxcontrib.bibtex.style.referencing import (
    BaseReferenceStyle,
    BracketStyle,
    GroupReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.basic_label import (
    BasicLabelParentheticalReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.extra_author import ExtraAuthorReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_year import ExtraYearReferenceStyle
from sphinxcontrib.bibtex.style.template import entry_label, join2, post_text, pre_text, reference

from usrussia import sources

#: The bibliography files of the book being built (set when the Sphinx builder starts).
_BIBFILES: list[Path] = [sources.BIBFILE]


def labels() -> dict[str, str]:
    """``{key: label}`` for every entry of the book's bibliography files."""
    result: dict[str, str] = {}
    for bibfile in _BIBFILES:
        result.update(sources.author_year_labels(bibfile))
    return result


def _label(entry) -> str:
    known = labels().get(entry.key)
    if known:
        return known
    return f"{sources.issuing_body(entry)}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels ``Issuing body, year`` with a suffix decided once for the whole book."""

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield _label(entry)


class AuthorYearSortingStyle(BaseSortingStyle):
    """Sorted by issuing body (author), then year and suffix: the order of the labels."""

    def sorting_key(self, entry):
        label = _label(entry)
        body, _, year = label.rpartition(", ")
        return (body.casefold(), year, entry.fields.get("title", "").casefold())


@node
def source_type(children, data):
    """The entry's ``sourcetype`` in words (see :data:`usrussia.sources.SOURCE_TYPES`)."""
    assert not children
    return Text(sources.type_label(data["entry"].fields))


class Style(BaseStyle):
    """Author-year entries with titles as written, outlet, URL, access date and type."""

    default_label_style = "usrussia"
    default_sorting_style = "usrussia"

    def _template(self, e):
        authors = sources.full_authors(e)
        body = sources.issuing_body(e)
        organization = sources.clean(e.fields.get("organization", ""))
        parts = []
        if authors:
            parts.append(sentence[authors])
        parts.append(sentence[field("title")])
        if organization and organization != body:
            parts.append(sentence[organization])
        parts.append(
            optional[
                sentence[
                    join(sep=", ")[
                        tag("em")[field("journal")],
                        optional[join[field("volume"), optional["(", field("number"), ")"]]],
                        optional[field("pages")],
                    ]
                ]
            ]
        )
        # A chapter in a printed book: the book, its editor and its publisher.
        parts.append(
            optional[
                sentence[
                    join(sep=", ")[
                        join["In ", tag("em")[field("booktitle")]],
                        optional[join["edited by ", field("editor")]],
                        optional[join[field("address"), ": ", field("publisher")]],
                    ]
                ]
            ]
        )
        if e.fields.get("url"):
            parts.append(
                sentence[
                    join(sep=" ")[
                        href(field("url", raw=True))[field("url", raw=True)],
                        optional[join["(accessed ", field("urldate"), ")"]],
                    ]
                ]
            )
        if e.fields.get("sourcetype") == "reproduction":
            carrier = sources.host_of(e.fields.get("url", ""))
            parts.append(sentence[f"As reproduced by {carrier}"])
        parts.append(sentence[join["Source type: ", source_type]])
        return toplevel[tuple(parts)]

    def get_online_template(self, e):
        return self._template(e)

    def get_misc_template(self, e):
        return self._template(e)

    def get_article_template(self, e):
        return self._template(e)

    def get_book_template(self, e):
        return self._template(e)

    def get_report_template(self, e):
        return self._template(e)

    def get_incollection_template(self, e):
        return self._template(e)


class TooltipStyle(Style):
    """The hover title of an in-text citation: what is cited and what kind of source it is.

    ``Title as written. Organization. Source type: official (United States).`` The label
    the reader hovers over already gives the issuing body and year, and the full entry
    (address, access date) is one click away in the page's references, so the title
    attribute that every citation carries leaves them out (``bibtex_tooltips_style:
    usrussia-tooltip``): about a third of the full entry's length, on pages that cite a
    source a hundred times or more.
    """

    def _template(self, e):
        body = sources.issuing_body(e)
        organization = sources.clean(e.fields.get("organization", ""))
        parts = [sentence[field("title")]]
        if organization and organization != body:
            parts.append(sentence[organization])
        parts.append(sentence[join["Source type: ", source_type]])
        return toplevel[tuple(parts)]


# --- Sphinx: the bibliography files of the book, and the in-text reference style -------


def _bibfiles_from_config(app) -> None:
    _BIBFILES[:] = [Path(app.srcdir) / name for name in app.config.bibtex_bibfiles]


@node
def textual_label(children, data):
    """``Issuing body, 2010a`` -> ``Issuing body (2010a)``, for textual citations."""
    assert not children
    body, _, year = str(entry_label.format_data(data)).rpartition(", ")
    return Text(f"{body} ({year})")


@dataclass
class TextualLabelReferenceStyle(BaseReferenceStyle):
    """``{cite:t}`` -> ``Issuing body (2010a)``: the list's label, split for running text."""

    bracket: BracketStyle = dataclass_field(default_factory=BracketStyle)

    def role_names(self):
        return [f"{cap}t{full}" for cap in ["", "c"] for full in ["", "s"]]

    def outer(self, role_name, children):
        return self.bracket.outer(children, brackets=False, capfirst="c" in role_name)

    def inner(self, role_name):
        return join2(sep1=" ", sep2=", ")[pre_text, reference[textual_label], post_text]


@dataclass
class ReferenceStyle(GroupReferenceStyle):
    """``{cite:p}`` -> ``(Issuing body, 2010a)``; ``{cite:t}`` -> ``Issuing body (2010a)``.

    Both show the bibliography's own label, so the text and the list always match.
    """

    def __post_init__(self):
        self.styles.extend(
            [
                BasicLabelParentheticalReferenceStyle(
                    bracket=BracketStyle(left="(", right=")", sep="; ")
                ),
                TextualLabelReferenceStyle(bracket=BracketStyle(left="", right="", sep="; ")),
                ExtraAuthorReferenceStyle(),
                ExtraLabelReferenceStyle(),
                ExtraYearReferenceStyle(),
                ExtraEmptyReferenceStyle(),
            ]
        )
        super().__post_init__()


class SourceMixDirective(SphinxDirective):
    """``{source-mix}``: one line giving the mix of sources by type.

    Without an argument, of the page it is on (the keys its ``{cite}`` roles cite); with
    ``book``, of every page of the book. Computed when the page is built, from the
    ``sourcetype`` of each entry in the book's bibliography files; a key missing from them
    or an entry without a valid type stops the build with the page and key named.
    """

    optional_arguments = 1
    has_content = False

    def _keys(self) -> list[str]:
        env = self.env
        if self.arguments and self.arguments[0] == "book":
            docnames = sorted(env.found_docs)
        elif self.arguments:
            raise self.error(f"source-mix takes no argument or 'book', not {self.arguments[0]!r}")
        else:
            docnames = [env.docname]
        keys: dict[str, None] = {}
        for docname in docnames:
            path = Path(env.doc2path(docname))
            env.note_dependency(str(path))
            for key in sources.cited_keys(path.read_text(encoding="utf-8")):
                keys.setdefault(key, None)
        return list(keys)

    def run(self):
        for bibfile in _BIBFILES:
            self.env.note_dependency(str(bibfile))
        scope = "the whole book" if self.arguments else "this chapter"
        try:
            keys = self._keys()
            counts = sources.type_counts(keys, _BIBFILES[0])
            origins = sources.reproduction_origins(keys, _BIBFILES[0])
        except (KeyError, ValueError) as error:
            raise self.error(str(error)) from error
        paragraph = nodes.paragraph(classes=["usrussia-source-mix"])
        paragraph += nodes.strong(text=f"Sources of {scope} by type: ")
        paragraph += nodes.Text(sources.mix_sentence(counts, origins))
        if self.arguments:
            paragraph += nodes.Text(" " + self._listed_sentence(keys))
        return [paragraph]

    @staticmethod
    def _listed_sentence(cited: list[str]) -> str:
        """What the whole bibliography lists beyond the entries the pages cite."""
        listed = sources.entries(_BIBFILES[0])
        rest = [key for key in listed if key not in set(cited)]
        data_only = sources.dataset_source_keys(rest, _BIBFILES[0])
        uncited = len(rest) - len(data_only)
        return (
            f"The bibliography lists {len(listed)} entries: the {len(cited)} cited in the"
            f" book's pages, {len(data_only)} more that the datasets name as sources (see"
            f" the Data appendix), and {uncited} cited nowhere."
        )


def setup(app):
    """Sphinx extension: the book's bibliography files and the ``source-mix`` directive."""
    app.connect("builder-inited", _bibfiles_from_config)
    app.add_directive("source-mix", SourceMixDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
