"""The Data appendix: every dataset with its description, sources, licence and coverage.

Generated from data/datapackage.json and the validated CSVs, so the appendix can never
describe a file that is not there or miss one that is.
"""

from __future__ import annotations

import platform
from html import escape
from importlib import metadata

from IPython.display import HTML

from usrussia.data import dataset_names, load, resource


def coverage(name: str) -> str:
    """The span of the dataset's first date or year column, and its row count."""
    frame = load(name)
    fields = resource(name)["schema"]["fields"]
    span = ""
    for field in fields:
        if field.get("type") == "date":
            span = (
                f"{frame[field['name']].min():%-d %B %Y} to {frame[field['name']].max():%-d %B %Y}"
            )
            break
        if field.get("type") == "year" or field["name"] == "year":
            span = f"{frame[field['name']].min()} to {frame[field['name']].max()}"
            break
    rows = f"{len(frame):,} rows"
    return f"{span}; {rows}" if span else rows


def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url, quote=True)}">{escape(text)}</a>'


def dataset_section(name: str, site_root: str) -> str:
    meta = resource(name)
    sources = "".join(
        f"<li>{_link(s['path'], s['title'])}"
        + (f" (retrieved {escape(s['retrieved'])})" if s.get("retrieved") else "")
        + "</li>"
        for s in meta.get("sources", [])
    )
    licences = "; ".join(
        _link(lic["path"], lic.get("title", lic["name"]))
        if lic.get("path")
        else escape(lic.get("title", lic["name"]))
        for lic in meta.get("licenses", [])
    )
    fields = "".join(
        "<tr>"
        f"<td><code>{escape(f['name'])}</code></td>"
        f"<td>{escape(f.get('type', 'string'))}</td>"
        f"<td>{escape(f.get('unit', ''))}</td>"
        f"<td>{escape(f.get('description', f.get('title', '')))}</td>"
        "</tr>"
        for f in meta["schema"]["fields"]
    )
    download = f"{site_root}data/{meta['path']}"
    return (
        f'<section class="dataset" id="dataset-{escape(name)}">'
        f"<h2>{escape(meta['title'])}</h2>"
        f"<p>{escape(meta.get('description', ''))}</p>"
        f"<dl><dt>Name</dt><dd><code>{escape(name)}</code> "
        f'(<code>usrussia.load("{escape(name)}")</code>)</dd>'
        f"<dt>Coverage</dt><dd>{escape(coverage(name))}</dd>"
        f"<dt>Download</dt><dd>{_link(download, 'CSV file: ' + meta['path'])}</dd>"
        f"<dt>Licence</dt><dd>{licences}</dd>"
        f"<dt>Sources</dt><dd><ul>{sources}</ul></dd></dl>"
        f"<table><caption>Columns of {escape(meta['path'])}</caption>"
        "<thead><tr><th>Column</th><th>Type</th><th>Unit</th><th>Meaning</th></tr></thead>"
        f"<tbody>{fields}</tbody></table></section>"
    )


def data_appendix(site_root: str = "../") -> HTML:
    """The appendix body for every dataset; ``site_root`` is the page's path to the root."""
    description = _link(f"{site_root}data/datapackage.json", "datapackage.json")
    intro = (
        f"<p>The book's {len(dataset_names())} datasets, as described in {description} "
        "(a Frictionless Data Package). Every chart and every number in the text is "
        "computed from these files when the book is built.</p>"
    )
    sections = "".join(dataset_section(name, site_root) for name in dataset_names())
    return HTML(f'<div class="usrussia-html">{intro}{sections}</div>')


# The packages whose versions decide what the book shows.
REPORTED_PACKAGES = [
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "jupyter-cache",
    "sphinx-exercise",
    "sphinxcontrib-bibtex",
    "pandas",
    "altair",
    "vl-convert-python",
    "jupytext",
    "ipykernel",
]


def environment_table() -> HTML:
    """Python and package versions of the environment that executed the notebooks."""
    rows = [("Python", platform.python_version())]
    rows += [(name, metadata.version(name)) for name in REPORTED_PACKAGES]
    body = "".join(f"<tr><td>{escape(n)}</td><td>{escape(v)}</td></tr>" for n, v in rows)
    return HTML(
        '<div class="usrussia-html"><table><caption>Software used to execute the notebooks'
        "</caption><thead><tr><th>Package</th><th>Version</th></tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )
