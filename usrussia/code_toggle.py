"""Accessible "Show code cell source" toggles for cells tagged ``hide-input``.

myst-nb writes ``<summary aria-label="Toggle hidden content">`` around the visible text
"Show code cell source". The label replaces the text for screen readers and does not
contain it, which axe reports as a serious violation (label-content-name-mismatch, WCAG
2.5.3): a voice-control user who says what they see cannot reach the toggle. This
extension renders the same ``<details>`` element without the aria-label, so the visible
text is the accessible name. Everything else (classes, prompts) is myst-nb's.
"""

from __future__ import annotations

from html import escape

from myst_nb.sphinx_ import HideCodeCellNode
from sphinx.application import Sphinx


def visit_hide_cell_input(self, node: HideCodeCellNode) -> None:
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n')
    self.body.append("<summary>\n")
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def depart_hide_cell_input(self, node: HideCodeCellNode) -> None:
    self.body.append("</details>\n")


def setup(app: Sphinx) -> dict:
    app.setup_extension("myst_nb")
    app.add_node(
        HideCodeCellNode, override=True, html=(visit_hide_cell_input, depart_hide_cell_input)
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
