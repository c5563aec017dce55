"""The theme's stylesheets, cut down to the rules the built site can use.

A chapter's first paint waits for every stylesheet in its head, and then for the browser
to match each element against each rule: pydata-sphinx-theme's CSS alone holds about 5,000
selectors (Bootstrap, and Font Awesome's rules for some 2,000 icons of which the site
shows about 30), sphinx-design's and myst-nb's another 1,300. After an HTML build,
``cut_stylesheets`` rewrites the copies in the built site (``_static/``; the theme's and
extensions' own files are never touched) to hold only the selectors that can match,
decided from the site's content the way PurgeCSS does it, conservatively:

* the *content* is every word (``[A-Za-z0-9_-]+``) of every built page and of every
  script the site runs (the scripts the pages load, and the book's own under
  ``_static/usrussia/``), so a class that a script adds (``show``, ``toggle-hidden``,
  ``dropdown-menu-dark``) counts as used because its name is written in the script;
* a selector is kept when every class, id and element name it requires is in the
  content (or matches ``SAFELIST``, for class names a script builds from parts); names
  inside ``:not()``, ``:is()``, ``:where()``, ``:has()`` and attribute selectors
  (``html[data-theme=dark]``) are not required, so nothing they guard is lost;
* a rule keeps its kept selectors; an ``@media``/``@supports`` block keeps its kept
  rules; ``@font-face``, ``@keyframes``, ``@page``, ``:root`` variables and every
  ``@media print`` block are kept whole;
* the book's own stylesheets (those in the source ``_static/``) are left as written.

Each page's link to a cut stylesheet gets a new ``?v=`` (the cut file's digest), so a
browser never keeps an earlier cut of the same file. CSS is parsed with tinycss2.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from usrussia.files import write_atomically

WORD = re.compile(r"[A-Za-z0-9_-]+")
# Names a script builds from parts rather than writes out: Bootstrap's
# `bs-${this.constructor.NAME}-auto` (tooltips and popovers).
SAFELIST = (re.compile(r"^bs-"),)
# Pseudo-classes whose arguments a selector does not require.
_NOT_REQUIRED = {"not", "is", "where", "has", "matches", "-webkit-any", "-moz-any"}
_NESTED_RULES = {"media", "supports", "layer", "container", "document", "-moz-document"}
_SCRIPT_SRC = re.compile(r"<script[^>]*\ssrc=\"([^\"]+)\"")
_LINK = re.compile(r"<link\b[^>]*>")
_HREF = re.compile(r"\shref=\"([^\"]+)\"")
_IMPORT = re.compile(r"@import\s+(?:url\()?[\"']?([^\"')]+)")
# The first line of a cut file. A rebuild in which Sphinx wrote nothing new leaves the cut
# files in place; they are not cut (or kept as "uncut") a second time.
CUT_MARK = "/* Cut to the rules this site can use (usrussia.stylesheets). */\n"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SOURCE_MAP = re.compile(r"/\*#\s*sourceMappingURL=[^*]*\*/")


class StylesheetError(ValueError):
    """A stylesheet that tinycss2 cannot parse: the cut stops rather than guess."""


def site_content(site: Path) -> set[str]:
    """Every word of every built page and of every script the site runs (the scripts a
    page names in ``<script src>``, and the book's own in ``_static/usrussia/``)."""
    words: set[str] = set()
    scripts: set[Path] = set((site / "_static" / "usrussia").rglob("*.js"))
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="ignore")
        words |= set(WORD.findall(text))
        for src in _SCRIPT_SRC.findall(text):
            if "://" not in src:
                scripts.add((page.parent / src.split("?")[0]).resolve())
    for script in scripts:
        if script.is_file():
            words |= set(WORD.findall(script.read_text(encoding="utf-8", errors="ignore")))
    return words


def required_names(selector: list) -> list[tuple[str, str]]:
    """``[("class", "fa-github"), ("id", "x"), ("type", "table"), …]``: the names a complex
    selector (a list of tinycss2 tokens, no top-level comma) needs to match anything."""
    names = []
    previous = None
    for token in selector:
        kind = token.type
        if kind == "ident" and previous is not None and previous.type == "literal":
            if previous.value == ".":
                names.append(("class", token.value))
            elif previous.value not in {":", "|"}:
                names.append(("type", token.lower_value))
        elif kind == "ident" and (previous is None or previous.type == "whitespace"):
            names.append(("type", token.lower_value))
        elif kind == "hash" and token.is_identifier:
            names.append(("id", token.value))
        # Functions (:not(), :is(), :nth-child() …) and [attribute] blocks: not required.
        previous = token
    return names


def selector_is_used(selector: list, content: set[str]) -> bool:
    """Whether every class, id and element name the selector requires is in ``content``
    (or in ``SAFELIST``); names the selector only tests in :not()/:is()/… are not
    required. Names outside ``[A-Za-z0-9_-]`` (escaped characters) are kept."""
    for kind, name in required_names(selector):
        if not WORD.fullmatch(name):
            continue
        if name in content or (kind == "type" and name in {"html", "body", "*"}):
            continue
        if kind == "class" and any(p.search(name) for p in SAFELIST):
            continue
        return False
    return True


def _split_selectors(prelude: list) -> list[list]:
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    selectors.append(current)
    return selectors


def _check(rule, path: Path) -> None:
    if rule.type == "error":
        raise StylesheetError(
            f"{path}: line {rule.source_line}, column {rule.source_column}: "
            f"tinycss2 cannot parse this stylesheet ({rule.message}); it is left uncut"
        )


def cut_rules(rules: list, content: set[str], path: Path) -> str:
    """The CSS text of ``rules`` (tinycss2 nodes) with only the selectors that can match."""
    import tinycss2

    out = []
    for rule in rules:
        _check(rule, path)
        if rule.type == "qualified-rule":
            kept = [s for s in _split_selectors(rule.prelude) if selector_is_used(s, content)]
            if kept:
                prelude = ",".join(tinycss2.serialize(s).strip() for s in kept)
                out.append(f"{prelude}{{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword == "charset":
            continue  # the cut file is ASCII, and its first line a comment
        elif rule.type == "at-rule":
            prelude = tinycss2.serialize(rule.prelude)
            nested = rule.lower_at_keyword in _NESTED_RULES and rule.content is not None
            if nested and "print" not in prelude.lower():
                inner = cut_rules(tinycss2.parse_rule_list(rule.content), content, path)
                if inner:
                    out.append(f"@{rule.at_keyword}{prelude}{{{inner}}}")
            else:
                out.append(rule.serialize())
        elif rule.type == "comment" and rule.value.lstrip().startswith("!"):
            out.append(rule.serialize())  # licence comments (/*! … */) stay
    return "".join(out)


def cut_stylesheet(css: str, content: set[str], path: Path = Path("<css>")) -> str:
    """A stylesheet's text with only the rules ``content`` can use (see the module's
    docstring); raises ``StylesheetError`` naming the line and column tinycss2 rejects."""
    import tinycss2

    rules = tinycss2.parse_stylesheet(_SOURCE_MAP.sub("", css))
    # tinycss2 writes escaped characters out ("\\f09b", an icon's code point, becomes the
    # character itself); written as escapes again, the file stays ASCII whatever charset
    # a server claims for it.
    cut = cut_rules(rules, content, path)
    return CUT_MARK + _NON_ASCII.sub(lambda m: f"\\{ord(m.group()):x} ", cut)


def _relative(url: str) -> bool:
    return not re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", url, re.IGNORECASE) and bool(url)


def _rebase(url: str, from_dir: Path, to_dir: Path) -> str:
    path, rest = re.match(r"([^?#]*)(.*)", url, re.DOTALL).groups()
    moved = os.path.relpath(os.path.normpath(from_dir / path), to_dir)
    return Path(moved).as_posix() + rest


def rebase_urls(css: str, from_dir: Path, to_dir: Path) -> str:
    """``css``, written for a file in ``from_dir``, with each relative ``url()`` rewritten
    to point at the same file from ``to_dir``."""
    import tinycss2
    from tinycss2.serializer import serialize_string_value, serialize_url

    def walk(nodes):
        for node in nodes or ():
            if node.type == "url" and _relative(node.value):
                node.value = _rebase(node.value, from_dir, to_dir)
                node.representation = f"url({serialize_url(node.value)})"
            elif node.type == "function" and node.lower_name == "url":
                for argument in node.arguments:
                    if argument.type == "string" and _relative(argument.value):
                        argument.value = _rebase(argument.value, from_dir, to_dir)
                        argument.representation = f'"{serialize_string_value(argument.value)}"'
            for part in ("prelude", "content", "arguments"):
                if isinstance(getattr(node, part, None), list):
                    walk(getattr(node, part))

    rules = tinycss2.parse_stylesheet(css)
    walk(rules)
    return tinycss2.serialize(rules)


def inline_imports(css: str, sheet: Path, static: Path) -> str:
    """``css``, the text of ``sheet``, with each ``@import`` of another stylesheet under
    ``static`` replaced by that stylesheet's rules (their relative ``url()``\\s rewritten
    for ``sheet``'s folder; inside ``@media`` when the import names media). An import is a
    request the browser makes only once the importing sheet has arrived, so it delays the
    first paint by a round trip. Imports of other hosts are left as written."""
    import tinycss2

    if "@import" not in css:
        return css
    out = []
    for rule in tinycss2.parse_stylesheet(css):
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            tokens = [t for t in rule.prelude if t.type not in ("whitespace", "comment")]
            first = tokens[0] if tokens else None
            if first is not None and first.type == "function" and first.lower_name == "url":
                first = next((a for a in first.arguments if a.type == "string"), None)
            target = first.value if first is not None and first.type in ("string", "url") else ""
            path = (sheet.parent / target.split("?")[0]).resolve() if target else None
            if path is not None and _relative(target) and static in path.parents and path.is_file():
                inner = inline_imports(path.read_text(encoding="utf-8"), path, static)
                inner = rebase_urls(inner.removeprefix(CUT_MARK), path.parent, sheet.parent)
                media = tinycss2.serialize(tokens[1:]).strip()
                out.append(f"@media {media}{{{inner}}}" if media else inner)
                continue
        out.append(rule.serialize())
    return "".join(out)


def linked_stylesheets(site: Path) -> set[Path]:
    """The stylesheets under the site's ``_static/`` that a built page links (and those
    they ``@import``)."""
    sheets = set()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="ignore")
        for tag in _LINK.findall(text):
            href = _HREF.search(tag)
            if 'rel="stylesheet"' not in tag or href is None:
                continue
            href = href.group(1)
            target = (page.parent / href.split("?")[0]).resolve()
            if "://" not in href and (site / "_static").resolve() in target.parents:
                sheets.add(target)
    for sheet in list(sheets):
        if sheet.is_file():
            for imported in _IMPORT.findall(sheet.read_text(encoding="utf-8")):
                if "://" not in imported:
                    sheets.add((sheet.parent / imported.split("?")[0]).resolve())
    return {sheet for sheet in sheets if sheet.is_file()}


def cut_stylesheets(
    site: Path, own_static: Path | None = None, keep_uncut: Path | None = None
) -> dict[str, tuple[int, int]]:
    """Cut every stylesheet the built site at ``site`` links from ``_static/``, except the
    book's own (those also in ``own_static``), to the rules its content can use; point each
    page's link at the cut file's digest. With ``keep_uncut``, a copy of each file before
    the cut is written there (same relative path). ``{path under _static: (bytes before,
    bytes after)}``; raises ``StylesheetError`` for a stylesheet tinycss2 cannot parse."""
    content = site_content(site)
    static = (site / "_static").resolve()
    sizes = {}
    digests = {}
    cuts: dict[Path, str] = {}
    for sheet in sorted(linked_stylesheets(site)):
        relative = sheet.relative_to(static)
        if own_static is not None and (own_static / relative).is_file():
            continue
        css = sheet.read_text(encoding="utf-8")
        if css.startswith(CUT_MARK):
            cut = css  # cut by an earlier build, and Sphinx wrote no new copy since
        else:
            cut = cut_stylesheet(css, content, sheet)
            if keep_uncut is not None:
                (keep_uncut / relative).parent.mkdir(parents=True, exist_ok=True)
                # Another build of the same edition may be reading them (usrussia.files).
                write_atomically(keep_uncut / relative, css)
            sheet.write_text(cut, encoding="utf-8")
            sizes[relative.as_posix()] = (len(css.encode()), len(cut.encode()))
        cuts[sheet] = cut
    # Each import of a stylesheet of the site is replaced by its (cut) rules.
    for sheet, cut in cuts.items():
        inlined = inline_imports(cut, sheet, static)
        if inlined != cut:
            sheet.write_text(inlined, encoding="utf-8")
        digests[sheet.relative_to(static).as_posix()] = hashlib.sha256(
            inlined.encode()
        ).hexdigest()[:12]
    if digests:
        names = "|".join(re.escape(n) for n in digests)
        link = re.compile(rf"(href=\"[^\"]*_static/({names}))(\?[^\"]*)?\"")
        for page in site.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            new = link.sub(lambda m: f'{m.group(1)}?v={digests[m.group(2)]}"', text)
            if new != text:
                page.write_text(new, encoding="utf-8")
    return sizes
