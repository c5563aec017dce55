"""The theme's icon fonts, cut down to the icons the built site uses.

pydata-sphinx-theme draws its icons (search, light/dark switch, menus, the GitHub
button …) with Font Awesome's fonts, which it ships whole: 0.27 MB of WOFF2 for the two
fonts a page asks for, about half of what a chapter page transfers from GitHub Pages, for
some twenty glyphs. After an HTML build, ``subset_icon_fonts`` rewrites the copies in the
built site (``_static/vendor/fontawesome/webfonts/``; the theme's own files are never
touched) to hold only the glyphs the site can show:

* every icon class (``fa-github``, ``fa-moon`` …) named in a built page or script, with
  the code point the theme's CSS gives it (``.fa-github:before{content:"\\f09b"}``);
* every code point the site's CSS uses in any other rule (the theme's icons in
  admonition titles, links and buttons, set through CSS variables).

The CSS and the file names stay as they are, so the theme works unchanged; an icon that
is in neither list would show as an empty box, and the browser test of the icons fails.
Subsetting is fontTools' (``fontTools.subset``), WOFF2 compression Brotli's.
"""

from __future__ import annotations

import re
from pathlib import Path

FONT_FOLDER = Path("_static") / "vendor" / "fontawesome" / "webfonts"
# The theme's icon-class rules: ".fa-github:before{content:"\f09b"}", aliases comma-joined.
_ICON_RULE = re.compile(
    r"((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:\"\\([0-9a-f]{2,5})\"\}"
)
_ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{4,5})\b")
_CLASS_IN_RULE = re.compile(r"\.(fa-[a-z0-9-]+):")


def icon_code_points(css: str) -> dict[str, int]:
    """``{"fa-github": 0xF09B, …}``: each icon class and its code point, from a CSS text."""
    points = {}
    for match in _ICON_RULE.finditer(css):
        for name in _CLASS_IN_RULE.findall(match.group(1)):
            points[name] = int(match.group(2), 16)
    return points


def other_code_points(css: str) -> set[int]:
    """The private-use code points a CSS text uses outside the icon-class rules (e.g. in
    ``--pst-icon-…`` variables and ``content:`` of the theme's own rules), written as
    escapes or as the characters themselves."""
    rest = _ICON_RULE.sub("", css)
    points = {int(h, 16) for h in _CSS_ESCAPE.findall(rest)}  # written as "\\f058"
    points |= {ord(c) for c in rest if 0xE000 <= ord(c) <= 0xF8FF}  # or as the character
    return {p for p in points if 0xE000 <= p <= 0xF8FF}


def used_code_points(site: Path) -> set[int]:
    """The code points of every icon the built site at ``site`` can show."""
    css = "\n".join(p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.css")))
    by_class = icon_code_points(css)
    named: set[str] = set()
    for path in site.rglob("*"):
        if path.suffix in {".html", ".js"} and path.is_file():
            named |= set(_ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return {by_class[n] for n in named if n in by_class} | other_code_points(css)


def subset_font(path: Path, code_points: set[int]) -> None:
    """Rewrite the font at ``path`` (WOFF2 or TrueType) with only ``code_points``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    options = subset.Options()
    options.flavor = "woff2" if path.suffix == ".woff2" else None
    options.layout_features = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=code_points)
    subsetter.subset(font)
    font.flavor = options.flavor
    font.save(path)


def subset_icon_fonts(site: Path) -> dict[str, tuple[int, int]]:
    """Cut the built site's icon fonts down to the icons it uses; ``{file: (bytes before,
    bytes after)}``. A site without the theme's fonts is left alone."""
    folder = site / FONT_FOLDER
    if not folder.is_dir():
        return {}
    code_points = used_code_points(site)
    sizes = {}
    for path in sorted(folder.glob("*")):
        if path.suffix not in {".woff2", ".ttf"}:
            continue
        before = path.stat().st_size
        subset_font(path, code_points)
        sizes[path.name] = (before, path.stat().st_size)
    return sizes
