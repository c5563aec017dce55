"""The build's cut of the theme's stylesheets (usrussia.stylesheets), on small examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from usrussia.stylesheets import CUT_MARK, StylesheetError, cut_stylesheet, cut_stylesheets

CONTENT = {"used", "other", "table", "fa-github", "show"}


def kept(css: str) -> str:
    cut = cut_stylesheet(css, CONTENT)
    assert cut.startswith(CUT_MARK)
    return cut.removeprefix(CUT_MARK)


@pytest.mark.parametrize(
    "css",
    [
        ".used{color:red}",
        "table.used>.other{color:red}",
        "#other{color:red}",
        ".used:not(.unused){color:red}",  # names inside :not() are not required
        ".used:is(.unused, .missing)>table{color:red}",
        'html[data-theme="dark"] .used{color:red}',
        ":root{--pst-color:#fff}",
        "*{box-sizing:border-box}",
        '.fa-github:before{content:"\\f09b"}',  # (written back with a space)
        ".used.show{display:block}",  # a state a script adds, named in the script
        ".bs-tooltip-auto{margin:0}",  # built by Bootstrap from parts: SAFELIST
        '@font-face{font-family:"X";src:url(x.woff2)}',
        "@keyframes spin{from{transform:none}to{transform:rotate(1turn)}}",
        "@media print{.unused{display:none}}",  # print is kept whole
        ".sd-col-1\\/2{width:50%}",  # escaped characters: kept
    ],
)
def test_rules_the_content_can_use_are_kept_whole(css):
    assert kept(css).replace(" ", "") == css.replace(" ", "")
    assert kept(css).isascii()


@pytest.mark.parametrize(
    "css",
    [
        ".unused{color:red}",
        ".used .unused{color:red}",
        "#missing{color:red}",
        "dialog{color:red}",
        '.fa-gitlab:before{content:"\\f296"}',
        "@media (min-width:960px){.unused{color:red}}",  # an empty block goes too
    ],
)
def test_rules_no_element_can_match_are_dropped(css):
    assert kept(css) == ""


def test_a_rule_keeps_only_its_selectors_that_can_match():
    assert kept(".unused,.used>.other,dialog{color:red}") == ".used>.other{color:red}"
    assert kept("@media (min-width:960px){.used{color:red}.unused{top:0}}") == (
        "@media (min-width:960px){.used{color:red}}"
    )


def test_the_source_map_comment_goes_and_licence_comments_stay():
    css = "/*! Bootstrap licence */.used{color:red}/*# sourceMappingURL=x.css.map*/"
    assert kept(css) == "/*! Bootstrap licence */.used{color:red}"


def test_a_stylesheet_tinycss2_rejects_is_named_with_its_line():
    with pytest.raises(StylesheetError, match=r"bad\.css: line 2"):
        cut_stylesheet(".used{color:red}\n@media{.used{}} }", CONTENT, Path("bad.css"))


def test_a_site_gets_cut_copies_and_links_to_them(tmp_path):
    """A two-page site: the theme's sheet is cut to what the pages and their script use,
    the book's own sheet is left alone, the links carry the cut file's digest, the uncut
    copy is kept, and no source file is touched."""
    import hashlib

    site, own = tmp_path / "html", tmp_path / "src_static"
    (site / "_static" / "styles").mkdir(parents=True)
    own.mkdir()
    theme_css = ".a{color:red}.b{color:blue}.js-state{top:0}.nowhere{left:0}"
    (site / "_static" / "styles" / "theme.css").write_text(theme_css)
    (site / "_static" / "book.css").write_text(".nowhere{left:0}")
    (own / "book.css").write_text(".nowhere{left:0}")
    (site / "_static" / "app.js").write_text('el.classList.add("js-state")')
    head = (
        '<link href="_static/styles/theme.css?digest=1" rel="stylesheet" />'
        '<link rel="stylesheet" href="_static/book.css?v=2" />'
        '<script src="_static/app.js"></script>'
    )
    (site / "index.html").write_text(f"<html><head>{head}</head><p class='a'></p></html>")
    (site / "other.html").write_text(f"<html><head>{head}</head><p class='b'></p></html>")
    sizes = cut_stylesheets(site, own_static=own, keep_uncut=tmp_path / "uncut")
    cut = (site / "_static" / "styles" / "theme.css").read_text()
    assert cut == CUT_MARK + ".a{color:red}.b{color:blue}.js-state{top:0}"
    assert set(sizes) == {"styles/theme.css"}
    assert (site / "_static" / "book.css").read_text() == ".nowhere{left:0}"
    assert (tmp_path / "uncut" / "styles" / "theme.css").read_text() == theme_css
    digest = hashlib.sha256(cut.encode()).hexdigest()[:12]
    for page in ("index.html", "other.html"):
        text = (site / page).read_text()
        assert f"_static/styles/theme.css?v={digest}" in text
        assert "_static/book.css?v=2" in text
    # A rebuild in which Sphinx copied nothing anew: the cut files are left as they are,
    # and the uncut copies stay uncut.
    assert cut_stylesheets(site, own_static=own, keep_uncut=tmp_path / "uncut") == {}
    assert (site / "_static" / "styles" / "theme.css").read_text() == cut
    assert (tmp_path / "uncut" / "styles" / "theme.css").read_text() == theme_css


def test_an_imported_stylesheet_is_inlined_with_its_addresses_rewritten(tmp_path):
    """theme.css's ``@import "../basic.css"`` would cost the first paint a round trip: the
    cut theme.css holds basic.css's rules in its place, its ``url()``s pointing at the same
    files from styles/, and imports with media or of other hosts stay as they should."""
    site = tmp_path / "html"
    (site / "_static" / "styles").mkdir(parents=True)
    (site / "_static" / "basic.css").write_text(
        '.a{background:url(file.png)}.b{background:url("img/x.svg?v=1#i")}'
        ".c{background:url(data:image/png;base64,AA==)}.nowhere{left:0}"
    )
    (site / "_static" / "print-only.css").write_text(".a{color:black}")
    (site / "_static" / "styles" / "theme.css").write_text(
        '@import "../basic.css";@import url(../print-only.css) print;'
        '@import "https://example.org/x.css";.a{color:red}'
    )
    head = '<link href="_static/styles/theme.css?digest=1" rel="stylesheet" />'
    (site / "index.html").write_text(f"<html><head>{head}</head><p class='a b c'></p></html>")
    cut_stylesheets(site)
    theme = (site / "_static" / "styles" / "theme.css").read_text()
    assert theme == CUT_MARK + (
        '.a{background:url(../file.png)}.b{background:url("../img/x.svg?v=1#i")}'
        ".c{background:url(data:image/png;base64,AA==)}"
        "@media print{.a{color:black}}"
        '@import "https://example.org/x.css";.a{color:red}'
    )
