"""The book's sources: types, state-funded outlets, forbidden hosts, labels and the mix.

The vocabulary, the outlet lists and the host patterns live once, in usrussia.sources.
"""

from __future__ import annotations

import re
from pathlib import Path

import pybtex.database
import pybtex.plugin
import pytest
from pybtex.backends.plaintext import Backend as PlainText

from usrussia import sources

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
ENTRIES = sources.entries()


def _who(entry) -> str:
    names = " ".join(str(p) for p in entry.persons.get("author", []))
    return f"{sources.clean(entry.fields.get('organization', ''))} {sources.clean(names)}"


# --- the source type of every entry -----------------------------------------------------


def _url(entry) -> str:
    return entry.fields.get("url", "")


def test_every_entry_has_a_url_and_access_date_or_is_a_printed_work():
    """Online sources carry their address and access date; a printed work (a chapter in a
    book) carries its publisher and pages instead."""
    problems = []
    for key, entry in ENTRIES.items():
        if _url(entry):
            if not entry.fields.get("urldate"):
                problems.append(f"{key}: a URL but no urldate")
        elif not (entry.fields.get("publisher") and entry.fields.get("pages")):
            problems.append(f"{key}: neither a URL nor a publisher and pages")
    assert not problems, "\n".join(problems)


def test_every_entry_has_a_valid_source_type():
    problems = []
    for key, entry in ENTRIES.items():
        try:
            sources.type_label(entry.fields)
        except ValueError as error:
            problems.append(f"{key}: {error}")
    assert not problems, "\n".join(problems)


def test_type_label_rejects_an_unknown_type_and_a_reproduction_of_nothing():
    with pytest.raises(ValueError, match="sourcetype 'blog'"):
        sources.type_label({"sourcetype": "blog"})
    with pytest.raises(ValueError, match="originaltype"):
        sources.type_label({"sourcetype": "reproduction"})
    assert sources.type_label({"sourcetype": "state-media-us"}) == (
        "state-funded media (United States)"
    )


def test_an_entry_on_a_state_funded_outlet_has_that_states_type():
    wrong = []
    for key, entry in ENTRIES.items():
        expected = sources.state_funded_type(_url(entry))
        if expected and entry.fields["sourcetype"] != expected:
            wrong.append(f"{key}: {entry.fields['sourcetype']}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_a_state_funded_outlets_text_carried_elsewhere_is_labelled_with_its_state():
    wrong = []
    for key, entry in ENTRIES.items():
        named = sources.named_state_outlet(_who(entry))
        fields = entry.fields
        if named and named not in (fields["sourcetype"], fields.get("originaltype")):
            wrong.append(f"{key}: names {named} but is {fields['sourcetype']}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.rferl.org/a/x.html", "state-media-us"),
        ("https://www.voanews.com/a/x", "state-media-us"),
        ("https://tass.com/politics/1", "state-media-ru"),
        ("https://en.ria.ru/x", "state-media-ru"),
        ("https://eng.belta.by/x", "state-media-by"),
        ("https://www.ukrinform.net/x", "state-media-ua"),
        ("https://www.reuters.com/x", None),
        ("https://www.bbc.co.uk/news/x", None),
    ],
)
def test_state_funded_outlets_of_every_state_are_recognised(url, expected):
    assert sources.state_funded_type(url) == expected


# --- forbidden hosts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://someone.blogspot.com/2015/01/x.html", "personal blog"),
        ("https://x.wordpress.com/y", "personal blog"),
        ("https://pledgetimes.com/x", "content farm or aggregator mirror"),
        ("https://en.wikipedia.org/wiki/X", "wiki or wiki mirror"),
        ("https://www.scribd.com/document/1", "document dump"),
        ("https://digital-staging.thehill.com/x", "staging, test or CDN host of an outlet"),
        ("https://stage.exportcompliancedaily.com/x", "staging, test or CDN host of an outlet"),
        ("https://github.com/someone/repo/blob/x/country.xlsx", "personal copy"),
        ("https://1190talkradio.iheart.com/x", "talk radio"),
        ("https://humboldtdems.com/x", "party or advocacy"),
        ("https://www.kremlin.ru/events/president/news/1", None),
        ("https://github.com/HistoryAtState/travels/blob/x/a.xml", None),
        ("https://thehill.com/x", None),
    ],
)
def test_forbidden_kinds_of_host_are_recognised(url, kind):
    found = sources.forbidden_kind(url)
    if kind is None:
        assert found is None
    else:
        assert found and found.startswith(kind)


def _forbidden_entries() -> dict[str, str]:
    return {
        key: f"{sources.host_of(_url(e))} ({sources.forbidden_kind(_url(e))})"
        for key, e in ENTRIES.items()
        if sources.forbidden_kind(_url(e))
    }


def test_no_entry_on_a_forbidden_host():
    """Every entry is cited at its publisher, a wire agency or a newspaper of record."""
    forbidden = _forbidden_entries()
    assert not forbidden, "entries on forbidden hosts:\n" + "\n".join(
        f"{key}: {where}" for key, where in forbidden.items()
    )


# --- wire stories read on another outlet --------------------------------------------------


def test_a_wire_story_read_on_another_host_is_labelled_a_reproduction():
    problems = sources.unlabelled_wire_reproductions(ENTRIES)
    assert not problems, "\n".join(problems)


def _bib_entries(tmp_path, text):
    bib = tmp_path / "refs.bib"
    bib.write_text(text, encoding="utf-8")
    return pybtex.database.parse_file(str(bib)).entries


def test_wire_check_names_an_unlabelled_reprint_and_accepts_the_agency_and_a_labelled_one(
    tmp_path,
):
    entries = _bib_entries(
        tmp_path,
        "@misc{reprint, title={T}, organization={Peoria Journal Star / Associated Press},"
        " year={2017}, url={https://www.pjstar.com/story/x}, sourcetype={news}}\n"
        "@misc{reuters, title={T}, author={{Reuters}}, year={2018},"
        " url={https://www.nationalpost.com/x}, sourcetype={news}}\n"
        "@misc{own, title={T}, organization={Associated Press}, year={2017},"
        " url={https://apnews.com/article/x}, sourcetype={news}}\n"
        "@misc{labelled, title={T}, organization={Associated Press (via 6abc.com)},"
        " year={2010}, url={http://6abc.com/archive/1/}, sourcetype={reproduction},"
        " originaltype={news}}\n"
        "@misc{paper, title={T}, organization={The Associated Press Stylebook Club},"
        " year={2010}, url={https://apnews.com/x}, sourcetype={news}}\n"
        "@misc{unrelated, title={T}, organization={Gallup}, year={2012},"
        " url={https://news.gallup.com/poll/1/x.aspx}, sourcetype={pollster}}\n"
        "@misc{carrierlabel, title={T}, author={{Milford Mirror / Associated Press}},"
        " year={2022}, url={https://www.milfordmirror.com/x}, sourcetype={reproduction},"
        " originaltype={news}}\n"
        "@misc{byline, title={T}, author={Isachenkov, Vladimir},"
        " organization={Associated Press (via USA Today)}, year={2019},"
        " url={https://www.usatoday.com/x}, sourcetype={reproduction}, originaltype={news}}\n",
    )
    problems = sources.unlabelled_wire_reproductions(entries)
    assert [line.split(":")[0] for line in problems] == ["reprint", "reuters", "carrierlabel"]
    assert "hosted on pjstar.com, sourcetype news" in problems[0]
    assert "hosted on nationalpost.com" in problems[1]
    assert "labelled 'Milford Mirror'" in problems[2]


# --- labels and the bibliography style --------------------------------------------------

LABEL = re.compile(r"^.+, (\d{4}|n\.d\.)([a-z]{1,2})?$")


def test_labels_are_author_year_and_unique_across_the_book():
    labels = sources.author_year_labels()
    assert set(labels) == set(ENTRIES)
    bad = [f"{k}: {v!r}" for k, v in labels.items() if not LABEL.match(v)]
    assert not bad, "\n".join(bad)
    seen: dict[str, str] = {}
    for key, label in labels.items():
        assert label not in seen, f"{key} and {seen[label]} share the label {label!r}"
        seen[label] = key


def test_labels_take_a_suffix_only_when_body_and_year_repeat(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{a, title={Beta}, organization={Office X}, year={2010}, url={https://x.gov/1},"
        " urldate={2026-01-01}, sourcetype={official-us}}\n"
        "@misc{b, title={Alpha}, organization={Office X}, year={2010}, url={https://x.gov/2},"
        " urldate={2026-01-01}, sourcetype={official-us}}\n"
        "@misc{c, title={Gamma}, author={Doe, Jane}, year={2011}, url={https://x.org/3},"
        " urldate={2026-01-01}, sourcetype={scholarly}}\n",
        encoding="utf-8",
    )
    assert sources.author_year_labels(bib) == {
        "b": "Office X, 2010a",
        "a": "Office X, 2010b",
        "c": "Doe, 2011",
    }


def _render(keys):
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", "usrussia")()
    database = pybtex.database.parse_file(str(sources.BIBFILE))
    return {
        entry.key: (entry.label, entry.text.render(PlainText()))
        for entry in style.format_bibliography(database, keys)
    }


def test_rendered_entry_keeps_capitals_and_shows_url_access_date_and_type():
    key = "overview-reuters2008georgia"
    label, text = _render([key])[key]
    entry = ENTRIES[key]
    assert label == sources.author_year_labels()[key]
    assert "Bush tells Russia to reverse course in Georgia" in text
    assert entry.fields["url"] in text
    assert f"(accessed {entry.fields['urldate']})" in text
    assert text.endswith("Source type: wire service or news outlet.")


def test_rendered_entry_names_every_author_and_does_not_repeat_the_label():
    key = "kristensen2024usnuclear"
    label, text = _render([key])[key]
    assert label == "Kristensen et al., 2024"
    assert text.startswith("Kristensen, H. M., Korda, M., Johns, E. & Knight, M.")
    assert "(2024)" not in text


def test_bibliography_is_sorted_by_author():
    rendered = _render(list(ENTRIES))
    labels = [label for label, _ in rendered.values()]
    bodies = [label.rpartition(", ")[0].casefold() for label in labels]
    assert bodies == sorted(bodies)


# --- the mix of sources -----------------------------------------------------------------


def test_cited_keys_reads_every_cite_role_once_in_order():
    text = "a {cite:p}`k1, k2` b {cite:t}`k3` c {cite}`k1` d {cite:ps}`k4`"
    assert sources.cited_keys(text) == ["k1", "k2", "k3", "k4"]


def test_type_counts_groups_types_and_names_a_missing_key():
    keys = ["overview-reuters2008georgia", "kristensen2024usnuclear", "rferl2012magnitsky"]
    assert sources.type_counts(keys) == {"state-media-us": 1, "news": 1, "scholarly": 1}
    with pytest.raises(KeyError, match="no-such-key"):
        sources.type_counts(["no-such-key"])


@pytest.mark.parametrize("chapter", sorted(p.stem for p in (REPO / "chapters").glob("*.md")))
def test_each_chapter_ends_with_its_source_mix_and_references(chapter):
    text = (REPO / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    tail = text[text.rindex("## References") :]
    assert "```{source-mix}" in tail
    assert ":filter: docname in docnames" in tail
    counts = sources.source_mix(chapter).counts
    assert sum(counts.values()) == len(sources.chapter_keys(chapter)) > 0


def test_mix_sentence_gives_counts_and_shares():
    sentence = sources.mix_sentence({"official-us": 3, "official-ru": 1})
    assert sentence == "4 sources: 3 U.S. official (75%); 1 Russian official (25%)."


def test_mix_says_whose_texts_the_reproductions_carry():
    keys = ["geneva-ktvb2022statement", "ap2010signing", "rferl2012magnitsky"]
    assert ENTRIES["geneva-ktvb2022statement"].fields["originaltype"] == "official-us"
    counts = sources.type_counts(keys)
    origins = sources.reproduction_origins(keys)
    assert counts == {"state-media-us": 1, "reproduction": 2}
    assert origins == {"official-us": 1, "news": 1}
    assert sources.mix_sentence(counts, origins) == (
        "3 sources: 1 U.S. state-funded media (33%); 2 reproductions (67%) carrying texts of: "
        "1 U.S. official, 1 wire and news."
    )


# --- the built book ---------------------------------------------------------------------


@pytest.mark.build
def test_in_text_citations_show_the_labels_of_the_list(built_book):
    html = (built_book.html / "chapters" / "reset.html").read_text(encoding="utf-8")
    labels = set(sources.author_year_labels().values())
    cited = re.findall(r'class="bibtex-citation"[^>]*>\(<a [^>]*>([^<]+)</a>', html)
    assert cited, "no parenthetical citations found"
    unknown = [c for c in cited if c.replace("&amp;", "&") not in labels]
    assert not unknown, unknown
    listed = re.findall(
        r'<span class="label"><span class="fn-bracket">\[</span>(?:<a [^>]*>)?([^<]+)', html
    )
    assert {c.replace("&amp;", "&") for c in cited} <= {x.replace("&amp;", "&") for x in listed}
    assert "Sources of this chapter by type:" in html


@pytest.mark.build
def test_reproducibility_and_bibliography_pages_show_the_books_mix(built_book):
    for page in ("reproducibility.html", "bibliography.html"):
        html = (built_book.html / page).read_text(encoding="utf-8")
        assert "Sources of the whole book by type:" in html, page


@pytest.mark.browser
@pytest.mark.parametrize("page", ["bibliography", "chapters/reset", "chapters/after_2022"])
def test_no_bibliography_label_widens_a_phone_screen(browser, site, page):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        tab = context.new_page()
        tab.goto(f"{site}/{page}.html", wait_until="load")
        assert tab.locator("div.citation").count() > 0
        # An element sticking out, or text (a long URL) overflowing its box.
        overflowing = tab.evaluate(
            """() => [...document.querySelectorAll('div.citation, div.citation *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                             || e.scrollWidth > e.clientWidth + 1)
                .map(e => e.outerHTML.slice(0, 120))"""
        )
        assert not overflowing, overflowing
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_a_reproduction_says_who_carried_it_and_whose_text_it_is():
    key = next(k for k, e in ENTRIES.items() if e.fields["sourcetype"] == "reproduction")
    _, text = _render([key])[key]
    carrier = sources.host_of(ENTRIES[key].fields["url"])
    assert f"As reproduced by {carrier}." in text
    assert "Source type: reproduction of a text by: " in text


# Pairs of keys for one source, cited from different chapters; merging them means changing
# citations in chapter prose (the lead's). This list may only shrink.
KNOWN_DUPLICATES: set[frozenset[str]] = set()


def _same_source(url: str) -> str:
    """The address without scheme or ``www.``; a White House page and its copy in the
    National Archives' administration archive (``bidenwhitehouse.archives.gov`` and the like)
    keep the same path, so they count as one source."""
    address = re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
    return re.sub(r"^[a-z]+whitehouse\.archives\.gov/", "whitehouse.gov/", address)


def test_one_entry_per_source():
    by_url: dict[str, set[str]] = {}
    for key, entry in ENTRIES.items():
        if _url(entry):
            by_url.setdefault(_same_source(_url(entry)), set()).add(key)
    duplicates = {frozenset(keys) for keys in by_url.values() if len(keys) > 1}
    assert duplicates <= KNOWN_DUPLICATES, f"new duplicates: {duplicates - KNOWN_DUPLICATES}"
    assert duplicates >= KNOWN_DUPLICATES, f"merged, drop: {KNOWN_DUPLICATES - duplicates}"


@pytest.mark.parametrize(
    ("organization", "body"),
    [
        ("Associated Press, as reproduced by BreakingNews.ie", "Associated Press"),
        ("Associated Press, as carried by 9News (Australia)", "Associated Press"),
        ("Associated Press (via 6abc.com)", "Associated Press"),
        ("U.S. Department of State, Bureau of Arms Control", "U.S. Department of State"),
    ],
)
def test_label_names_the_issuing_body_not_the_carrier(tmp_path, organization, body):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        f"@misc{{k, title={{T}}, organization={{{organization}}}, year={{2015}},"
        " url={https://x.org/1}, urldate={2026-01-01}, sourcetype={news}}\n",
        encoding="utf-8",
    )
    assert sources.author_year_labels(bib) == {"k": f"{body}, 2015"}
