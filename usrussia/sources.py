"""The book's sources: source types, state-funded outlets, forbidden hosts, source mix.

Every entry of ``references.bib`` carries a ``sourcetype`` field whose value is one of
:data:`SOURCE_TYPES`. This module holds, once, the controlled vocabulary, the list of
state-funded outlets by host (applied to every state alike), the patterns of hosts the
book never cites (personal blogs, content farms, aggregator mirrors, wikis, document
dumps, staging hosts ...), the author-year labels of the bibliography and the "mix of
sources by type" each chapter shows its readers.

The rule for state-funded media
-------------------------------
An outlet is *state-funded media* of a state when it is owned by that state or funded
mainly by appropriations from that state's budget, with its management appointed by that
state's government or by a body it appoints. The rule is applied alike to every state:
RFE/RL, Radio Farda, Current Time and VOA (U.S. Agency for Global Media, federal
appropriations) are U.S. state-funded media exactly as TASS, RIA Novosti, Sputnik, RT and
Rossiyskaya Gazeta are Russian ones. Public-service broadcasters funded by a licence fee
or by listeners and members (BBC, RTV Slovenija, NPR and its member stations) are news
outlets under the rule; Deutsche Welle (German federal budget) and Radio New Zealand
(Crown appropriation) are state-funded media of their states. Wire agencies that are
neither owned by nor mainly funded through a state budget (AP, Reuters, AFP, Interfax,
PTI) are news.

Command line: ``python -m usrussia.sources`` lists the hosts of ``references.bib`` by
count, with each host's source type or forbidden kind.
"""

from __future__ import annotations

import collections
import csv
import functools
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
BIBFILE = REPO / "references.bib"
CHAPTERS = REPO / "chapters"

#: The controlled vocabulary of ``sourcetype``: value -> the words a reader sees.
SOURCE_TYPES: dict[str, str] = {
    "official-us": "official (United States)",
    "official-ru": "official (Russia)",
    "official-ua": "official (Ukraine)",
    "official-de": "official (Germany)",
    "official-nl": "official (Netherlands)",
    "official-eu": "official (European Union or several European governments)",
    "intergovernmental": "intergovernmental body",
    "state-media-us": "state-funded media (United States)",
    "state-media-ru": "state-funded media (Russia)",
    "state-media-cn": "state-funded media (China)",
    "state-media-ir": "state-funded media (Iran)",
    "state-media-by": "state-funded media (Belarus)",
    "state-media-ua": "state-funded media (Ukraine)",
    "state-media-am": "state-funded media (Armenia)",
    "state-media-de": "state-funded media (Germany)",
    "state-media-nz": "state-funded media (New Zealand)",
    "state-media-tr": "state-funded media (Turkey)",
    "news": "wire service or news outlet",
    "pollster": "polling organization",
    "thinktank": "think tank, advocacy group or professional commentary",
    "scholarly": "scholarly",
    "reproduction": "reproduction (another publisher's text as carried by a news outlet)",
}

#: The order and short names of the groups in a chapter's source mix.
MIX_GROUPS: dict[str, str] = {
    "official-us": "U.S. official",
    "official-ru": "Russian official",
    "official-other": "other official",
    "intergovernmental": "intergovernmental",
    "state-media-ru": "Russian state-funded media",
    "state-media-us": "U.S. state-funded media",
    "state-media-other": "other state-funded media",
    "news": "wire and news",
    "reproduction": "reproductions",
    "pollster": "pollsters",
    "thinktank": "think tanks and advocacy",
    "scholarly": "scholarly",
}

#: State-funded outlets by host (a host matches itself and its subdomains).
STATE_FUNDED_HOSTS: dict[str, str] = {
    # United States (U.S. Agency for Global Media)
    "rferl.org": "state-media-us",
    "radiofarda.com": "state-media-us",
    "currenttime.tv": "state-media-us",
    "voanews.com": "state-media-us",
    # Russia
    "tass.com": "state-media-ru",
    "tass.ru": "state-media-ru",
    "ria.ru": "state-media-ru",
    "sputniknews.com": "state-media-ru",
    "sputnikglobe.com": "state-media-ru",
    "sputniknews.africa": "state-media-ru",
    "rt.com": "state-media-ru",
    "rg.ru": "state-media-ru",
    "rbth.com": "state-media-ru",
    "rapsinews.com": "state-media-ru",
    "russkiymir.ru": "state-media-ru",
    # China
    "xinhuanet.com": "state-media-cn",
    "news.cn": "state-media-cn",
    "chinaview.cn": "state-media-cn",
    "people.cn": "state-media-cn",
    "cgtn.com": "state-media-cn",
    "china.org.cn": "state-media-cn",
    "chinagate.cn": "state-media-cn",
    "chinadaily.com.cn": "state-media-cn",
    "chinadailyhk.com": "state-media-cn",
    # Turkey
    "aa.com.tr": "state-media-tr",
    # Iran
    "presstv.ir": "state-media-ir",
    "presstv.com": "state-media-ir",
    # Belarus
    "belta.by": "state-media-by",
    # Ukraine
    "ukrinform.net": "state-media-ua",
    "ukrinform.ua": "state-media-ua",
    "uatv.ua": "state-media-ua",
    # Armenia
    "armradio.am": "state-media-am",
    # Germany
    "dw.com": "state-media-de",
    # New Zealand
    "rnz.co.nz": "state-media-nz",
    "radionz.co.nz": "state-media-nz",
}

#: State-funded outlets by name, for entries that carry their text on another host
#: (a reproduction): the entry's ``originaltype`` must then be the outlet's type.
STATE_FUNDED_NAMES: dict[str, str] = {
    r"Radio Free Europe|RFE/RL|Radio Liberty|Radio Farda|Current Time": "state-media-us",
    r"Voice of America|\bVOA\b": "state-media-us",
    r"\bTASS\b|\bSputnik\b|RIA Novosti|\bRT\b|Rossiyskaya Gazeta|Voice of Russia": "state-media-ru",
    r"Xinhua|\bCGTN\b|People's Daily|China Daily": "state-media-cn",
    r"Anadolu": "state-media-tr",
    r"Press TV": "state-media-ir",
    r"\bBelTA\b": "state-media-by",
    r"Ukrinform": "state-media-ua",
    r"Deutsche Welle": "state-media-de",
}


def named_state_outlet(text: str) -> str | None:
    """``state-media-XX`` of the first state-funded outlet named in ``text``, else None."""
    for pattern, kind in STATE_FUNDED_NAMES.items():
        if re.search(pattern, text):
            return kind
    return None


#: Forbidden kinds of host, each with the patterns (regular expressions on the host name,
#: or on host and path for hosts such as github.com) that catch it.
FORBIDDEN_HOSTS: dict[str, tuple[str, ...]] = {
    "personal blog": (
        r"\.blogspot\.[a-z.]+$",
        r"\.wordpress\.com$",
        r"(^|\.)hotair\.com$",
        r"(^|\.)dailykos\.com$",
        r"(^|\.)askokorpela\.fi$",
        r"(^|\.)strategicstudyindia\.com$",
        r"^github\.com/navpil/",
    ),
    "content farm or aggregator mirror": (
        r"(^|\.)pledgetimes\.com$",
        r"(^|\.)urdupoint\.com$",
        r"(^|\.)telugubullet\.com$",
        r"(^|\.)lidtime\.com$",
        r"(^|\.)gulftrenddaily\.com$",
        r"(^|\.)londonlovesbusiness\.com$",
        r"(^|\.)poandpo\.com$",
        r"(^|\.)todaychina\.cc$",
        r"(^|\.)devdiscourse\.com$",
        r"(^|\.)digitaljournal\.com$",
        r"(^|\.)rationalreview\.com$",
        r"(^|\.)argentinashale\.com$",
        r"(^|\.)regtrends\.com$",
        r"(^|\.)salten\.cz$",
        r"(^|\.)elethos\.eu$",
        r"(^|\.)lapost\.us$",
        r"(^|\.)government-world\.com$",
        r"(^|\.)wnctimes\.com$",
        r"(^|\.)whitehousepressbriefings\.com$",
        r"(^|\.)scoop\.co\.nz$",
        r"(^|\.)devevil\.com$",
        r"(^|\.)econotimes\.com$",
        r"(^|\.)pressreader\.com$",
        r"(^|\.)movies\.yahoo\.com$",
        r"(^|\.)rusreality\.com$",
        r"(^|\.)globalsecurity\.org$",
        r"(^|\.)hukuki\.net$",
        r"(^|\.)securitynews\.ro$",
        r"(^|\.)elaws\.us$",
        r"(^|\.)justia\.com$",
        r"(^|\.)vlex\.com$",
        r"(^|\.)thefederalregister\.org$",
        r"(^|\.)sanctions\.org$",
        r"(^|\.)windowstorussia\.com$",
        r"(^|\.)atomicarchive\.com$",
        r"(^|\.)historyplace\.com$",
        r"(^|\.)everycrsreport\.com$",
        r"(^|\.)govtrack\.us$",
        r"(^|\.)uamission\.com$",
        r"(^|\.)moskow-city\.com$",
        r"(^|\.)news-pravda\.com$",
        r"(^|\.)news-front\.su$",
        r"(^|\.)standbynordic\.com$",
        r"(^|\.)insurereinsure\.com$",
        r"(^|\.)congressionalmonitor\.org$",
        r"(^|\.)russianamericanbusiness\.org$",
        r"(^|\.)beaufortcountynow\.com$",
        r"(^|\.)dcdecides\.com$",
        r"^github\.com/owid/",
        r"(^|\.)uaposition\.com$",
        r"(^|\.)uscybersecurity\.net$",
        r"(^|\.)abcnewsradioonline\.com$",
        r"(^|\.)newsru\.site$",
        r"(^|\.)europeansources\.info$",
    ),
    "party or advocacy site carrying another's text": (
        r"(^|\.)humboldtdems\.com$",
        r"(^|\.)defenddemocracy\.press$",
        r"(^|\.)luxembourgforum\.org$",
        r"(^|\.)iranwatch\.org$",
        r"(^|\.)legion\.org$",
        r"(^|\.)unpo\.org$",
        r"(^|\.)onlinejournal\.com$",
    ),
    "talk radio": (
        r"talkradio",
        r"(^|\.)ktbb\.com$",
    ),
    "wiki or wiki mirror": (
        r"(^|\.)wikipedia\.org$",
        r"(^|\.)owiki\.org$",
    ),
    "document dump": (
        r"(^|\.)scribd\.com$",
        r"(^|\.)docslib\.org$",
        r"(^|\.)slideshare\.net$",
        r"(^|\.)wikileaks\.org$",
        r"(^|\.)hsdl\.org$",
    ),
    "staging, test or CDN host of an outlet": (
        r"(^|[.-])stag(e|ing)[.-]",
        r"^digital-stag",
        r"^test\.",
        r"^admin\.",
        r"^acquiaprod\.",
        r"\.cdn\.arcpublishing\.com$",
        r"\.cloudapp\.net$",
        r"\.worldcdn\.net$",
    ),
    "personal copy of a publisher's file": (
        r"^github\.com/(?!HistoryAtState/)",
        r"(^|\.)githubusercontent\.com$",
    ),
}

#: Hosts that are a government's or an intergovernmental body's own publisher.
OFFICIAL_HOSTS: dict[str, str] = {
    "state.gov": "official-us",
    "usmission.gov": "official-us",
    "archives.gov": "official-us",
    "whitehouse.gov": "official-us",
    "govinfo.gov": "official-us",
    "gpo.gov": "official-us",
    "federalregister.gov": "official-us",
    "treasury.gov": "official-us",
    "commerce.gov": "official-us",
    "senate.gov": "official-us",
    "house.gov": "official-us",
    "congress.gov": "official-us",
    "census.gov": "official-us",
    "dtic.mil": "official-us",
    "defense.gov": "official-us",
    "justice.gov": "official-us",
    "dni.gov": "official-us",
    "github.com/HistoryAtState": "official-us",
    # The American Presidency Project (UC Santa Barbara) reproduces the Public Papers.
    "presidency.ucsb.edu": "official-us",
    "kremlin.ru": "official-ru",
    "mid.ru": "official-ru",
    "mfa.gov.ua": "official-ua",
    "president.gov.ua": "official-ua",
    "auswaertiges-amt.de": "official-de",
    "onderzoeksraad.nl": "official-nl",
    "un.org": "intergovernmental",
    "ohchr.org": "intergovernmental",
    "nato.int": "intergovernmental",
    "osce.org": "intergovernmental",
    "wto.org": "intergovernmental",
}

#: Think tanks, advocacy groups, law firms and data firms.
THINKTANK_HOSTS: tuple[str, ...] = (
    "fas.org",
    "armscontrol.org",
    "heritage.org",
    "rand.org",
    "cnas.org",
    "americanprogress.org",
    "russiamatters.org",
    "ucsusa.org",
    "valdaiclub.com",
    "russianforces.org",
    "asil.org",
    "unpo.org",
    "castellum.ai",
    "arnoldporter.com",
    "crowell.com",
    "davispolk.com",
    "gibsondunn.com",
    "friedfrank.com",
    "lexology.com",
    "natlawreview.com",
    "steamshipmutual.com",
    "bitdefender.in",
)

#: Polling organizations.
POLLSTER_HOSTS: tuple[str, ...] = ("gallup.com", "levada.ru")

#: Scholarly publishers and university projects.
SCHOLARLY_HOSTS: tuple[str, ...] = (
    "doi.org",
    "tandfonline.com",
    "peaceagreements.org",
    "europeansources.info",
)


def host_of(url: str) -> str:
    """Host name of ``url`` without ``www.`` (``"https://www.state.gov/x"`` -> ``"state.gov"``)."""
    host = (urlparse(url).hostname or "").lower()
    return host.removeprefix("www.")


def _matches(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def _host_and_path(url: str) -> str:
    parsed = urlparse(url)
    return host_of(url) + parsed.path


def forbidden_kind(url: str) -> str | None:
    """The forbidden kind of ``url``'s host (see :data:`FORBIDDEN_HOSTS`), or None if allowed."""
    host = host_of(url)
    host_path = _host_and_path(url)
    for kind, patterns in FORBIDDEN_HOSTS.items():
        for pattern in patterns:
            target = host_path if pattern.startswith("^github") else host
            if re.search(pattern, target):
                return kind
    return None


def state_funded_type(url: str) -> str | None:
    """``state-media-XX`` when ``url`` is on a state-funded outlet's host, else None."""
    host = host_of(url)
    for domain, kind in STATE_FUNDED_HOSTS.items():
        if _matches(host, domain):
            return kind
    return None


def host_type(url: str) -> str | None:
    """The source type that ``url``'s host implies, if the host alone decides it."""
    funded = state_funded_type(url)
    if funded:
        return funded
    host = host_of(url)
    host_path = _host_and_path(url)
    for domain, kind in OFFICIAL_HOSTS.items():
        if "/" in domain:
            if host_path.startswith(domain + "/"):
                return kind
        elif _matches(host, domain):
            return kind
    if any(_matches(host, d) for d in THINKTANK_HOSTS):
        return "thinktank"
    if any(_matches(host, d) for d in POLLSTER_HOSTS):
        return "pollster"
    if any(_matches(host, d) for d in SCHOLARLY_HOSTS):
        return "scholarly"
    return None


#: Wire agencies and syndicating networks by the name an entry credits, with the hosts that
#: are their own. A story credited to one of them but read on another host (a local paper or
#: station reprinting it) is a reproduction and must be labelled so.
WIRE_SERVICES: dict[str, tuple[str, ...]] = {
    r"Associated Press|\bAP\b": ("apnews.com", "ap.org"),
    r"Reuters": ("reuters.com",),
    r"Agence France-Presse|\bAFP\b": ("afp.com",),
    r"United Press International|\bUPI\b": ("upi.com",),
    r"\bInterfax\b": ("interfax.com", "interfax.ru", "interfax.com.ua"),
    r"\bBloomberg\b": ("bloomberg.com",),
    r"\bCNN\b": ("cnn.com",),
    r"\bNPR\b": ("npr.org",),
}


def credited_wire_service(text: str) -> str | None:
    """The key of :data:`WIRE_SERVICES` for the first wire service credited in ``text``.

    ``"Peoria Journal Star / Associated Press"`` gives the Associated Press's key; ``None``
    when no wire service is named.
    """
    for pattern in WIRE_SERVICES:
        if re.search(pattern, text):
            return pattern
    return None


def unlabelled_wire_reproductions(entries_by_key) -> list[str]:
    """Entries that credit a wire service but sit on another host without being labelled.

    ``entries_by_key`` maps keys to pybtex entries (as :func:`entries` returns). An entry
    credits a service when its organization or author names one; it is hosted elsewhere
    when its URL's host is none of that service's own hosts. Such an entry must have
    ``sourcetype = {reproduction}`` (rendered "As reproduced by <host>"), and when it carries
    the service's own story (``originaltype = {news}``, no personal author) its label must name
    the service, not the carrier ("Associated Press, as reproduced by the Peoria Journal Star"
    gives "Associated Press, 2017"). Returns one line per offending entry,
    ``"key: credits X, hosted on Y, ..."``; an empty list when all are labelled.
    """
    problems = []
    for key, entry in entries_by_key.items():
        names = " ".join(str(person) for person in entry.persons.get("author", []))
        credit = f"{clean(entry.fields.get('organization', ''))} {clean(names)}"
        service = credited_wire_service(credit)
        if service is None:
            continue
        host = host_of(entry.fields.get("url", ""))
        if not host or any(_matches(host, own) for own in WIRE_SERVICES[service]):
            continue
        sourcetype = entry.fields.get("sourcetype", "")
        where = f"{key}: credits {service.split('|')[0]}, hosted on {host}"
        if sourcetype != "reproduction":
            problems.append(f"{where}, sourcetype {sourcetype or 'missing'}")
            continue
        personal = any(p.first_names for p in entry.persons.get("author", []))
        body = issuing_body(entry)
        carries_own_story = entry.fields.get("originaltype") == "news" and not personal
        if carries_own_story and not re.search(service, body):
            problems.append(f"{where}, labelled {body!r} (the carrier, not the service)")
    return problems


# --- reading references.bib -------------------------------------------------------------


@functools.cache
def _database(path: str, mtime: float):
    import pybtex.database

    return pybtex.database.parse_file(path, bib_format="bibtex")


def entries(bibfile: Path = BIBFILE):
    """All entries of ``bibfile`` as a ``{key: pybtex Entry}`` mapping (cached per version)."""
    return _database(str(bibfile), bibfile.stat().st_mtime).entries


def _strip_braces(text: str) -> str:
    return text.replace("{", "").replace("}", "").replace("\\&", "&").strip()


def clean(text: str) -> str:
    """A BibTeX field as plain words: braces and ``\\&`` undone, spaces trimmed."""
    return _strip_braces(text)


def full_authors(entry) -> str:
    """``"Kristensen, H. M., Korda, M. & Johns, E."``: the persons among the authors, or ``""``.

    A corporate author (``{{U.S. Department of State}}``) is not a person: ``""``.
    """
    persons = [p for p in entry.persons.get("author", []) if p.first_names or p.middle_names]
    names = []
    for person in persons:
        initials = " ".join(
            f"{_strip_braces(n)[0]}." for n in person.first_names + person.middle_names
        )
        names.append(
            f"{_strip_braces(' '.join(person.prelast_names + person.last_names))}, {initials}"
        )
    if len(names) > 1:
        return ", ".join(names[:-1]) + " & " + names[-1]
    return names[0] if names else ""


def type_label(fields) -> str:
    """The words for an entry's ``sourcetype`` (and ``originaltype`` of a reproduction).

    Raises ValueError for a value outside :data:`SOURCE_TYPES`.
    """
    sourcetype = fields.get("sourcetype", "")
    if sourcetype not in SOURCE_TYPES:
        raise ValueError(f"sourcetype {sourcetype!r} is not one of {sorted(SOURCE_TYPES)}")
    if sourcetype == "reproduction":
        original = fields.get("originaltype", "")
        if original not in SOURCE_TYPES or original == "reproduction":
            raise ValueError(f"originaltype {original!r} of a reproduction is not valid")
        return f"reproduction of a text by: {SOURCE_TYPES[original]}"
    return SOURCE_TYPES[sourcetype]


def issuing_body(entry) -> str:
    """Who speaks in ``entry``: its authors' surnames, else its organization, cleaned.

    ``Kristensen, Hans M. and Korda, Matt and ...`` -> ``Kristensen et al.``; a corporate
    author ``{U.S. Department of State, Bureau of ...}`` -> ``U.S. Department of State``.
    """
    persons = entry.persons.get("author", [])
    if persons:
        first = persons[0]
        if first.first_names or first.middle_names:
            surname = _strip_braces(" ".join(first.prelast_names + first.last_names))
            if len(persons) == 1:
                return surname
            if len(persons) == 2:
                second = persons[1]
                return f"{surname} & {_strip_braces(' '.join(second.last_names))}"
            return f"{surname} et al."
        name = _strip_braces(str(first))
    else:
        name = _strip_braces(entry.fields.get("organization", "")) or _strip_braces(
            entry.fields.get("title", "")
        )
    # The issuing body, not its sub-unit or the channel that carried it.
    name = re.split(
        r" \(|,? via |; | / |,? as (?:reproduced|carried) |,? reproduced |,? excerpted "
        r"|, (?=Bureau|Office|U\.S\. Mission)",
        name,
    )[0]
    return name.strip(" ,")


@functools.cache
def _labels(path: str, mtime: float) -> dict[str, str]:
    database = _database(path, mtime)
    groups: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for key, entry in database.entries.items():
        groups[(issuing_body(entry), entry.fields.get("year", "n.d."))].append(key)
    labels = {}
    for (body, year), keys in groups.items():
        if len(keys) == 1:
            labels[keys[0]] = f"{body}, {year}"
            continue
        # Suffixes follow title order, as in an author-year reference list.
        keys.sort(key=lambda k: database.entries[k].fields.get("title", "").lower())
        for index, key in enumerate(keys):
            labels[key] = f"{body}, {year}{_suffix(index)}"
    return labels


def _suffix(index: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]


def author_year_labels(bibfile: Path = BIBFILE) -> dict[str, str]:
    """``{key: "Issuing body, 2010a"}``: one label per entry, unique across the book.

    The same label is shown in the text (``{cite:p}``) and in every bibliography, so a
    suffix (a, b, ...) is decided once for the whole file, never per chapter.
    """
    return _labels(str(bibfile), bibfile.stat().st_mtime)


# --- citations and source mix -----------------------------------------------------------

_CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def cited_keys(text: str) -> list[str]:
    """Keys cited with ``{cite:p}``/``{cite:t}``/... in MyST ``text``, first-cited first."""
    keys: dict[str, None] = {}
    for match in _CITE.finditer(text):
        for key in match.group(1).split(","):
            key = key.strip()
            if key:
                keys.setdefault(key, None)
    return list(keys)


def _mix_group(sourcetype: str) -> str:
    if sourcetype in MIX_GROUPS:
        return sourcetype
    if sourcetype.startswith("official-"):
        return "official-other"
    if sourcetype.startswith("state-media-"):
        return "state-media-other"
    raise ValueError(f"unknown source type {sourcetype!r}")


def type_counts(keys: Iterable[str], bibfile: Path = BIBFILE) -> dict[str, int]:
    """Counts of ``keys`` by mix group (see :data:`MIX_GROUPS`), in that order, zeros left out.

    Raises KeyError naming a key missing from ``bibfile`` and ValueError naming an entry
    without a valid ``sourcetype``.
    """
    database = entries(bibfile)
    counts: collections.Counter[str] = collections.Counter()
    for key in keys:
        if key not in database:
            raise KeyError(f"{bibfile.name}: no entry {key!r}")
        sourcetype = database[key].fields.get("sourcetype", "")
        if sourcetype not in SOURCE_TYPES:
            raise ValueError(f"{bibfile.name}: entry {key!r} has sourcetype {sourcetype!r}")
        counts[_mix_group(sourcetype)] += 1
    return {group: counts[group] for group in MIX_GROUPS if counts[group]}


def reproduction_origins(keys: Iterable[str], bibfile: Path = BIBFILE) -> dict[str, int]:
    """Counts of the reproductions among ``keys`` by the mix group of their ``originaltype``.

    ``{"official-us": 2, "news": 5}`` says two reproductions carry U.S. official texts.
    """
    database = entries(bibfile)
    counts: collections.Counter[str] = collections.Counter()
    for key in keys:
        fields = database[key].fields
        if fields.get("sourcetype") == "reproduction":
            counts[_mix_group(fields.get("originaltype", ""))] += 1
    return {group: counts[group] for group in MIX_GROUPS if counts[group]}


def chapter_keys(chapter: str) -> list[str]:
    """Keys cited in ``chapters/<chapter>.md`` (``chapter`` like ``"reset"``)."""
    path = CHAPTERS / f"{chapter}.md"
    if not path.exists():
        raise FileNotFoundError(f"no chapter {path}")
    return cited_keys(path.read_text(encoding="utf-8"))


def book_keys() -> list[str]:
    """Keys cited anywhere in the book's chapters, in chapter order, each once."""
    keys: dict[str, None] = {}
    for path in sorted(CHAPTERS.glob("*.md")):
        for key in cited_keys(path.read_text(encoding="utf-8")):
            keys.setdefault(key, None)
    return list(keys)


def dataset_source_keys(keys: Iterable[str], bibfile: Path = BIBFILE) -> list[str]:
    """Those of ``keys`` whose address (the entry's ``url``) a dataset gives as a source:
    a value of a ``source_url`` column (or one ending in ``_source_url``) of a CSV in the
    ``data/`` folder beside ``bibfile``, or a resource's source in its ``datapackage.json``.
    In the order given; a trailing slash does not count. Raises KeyError naming a key
    missing from ``bibfile``."""
    data_dir = bibfile.parent / "data"
    addresses: set[str] = set()
    package = data_dir / "datapackage.json"
    if package.is_file():
        for resource in json.loads(package.read_text(encoding="utf-8"))["resources"]:
            for source in resource.get("sources", []):
                addresses.add(source.get("path", "").strip().rstrip("/"))
    for path in sorted(data_dir.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for column, value in row.items():
                    if column and column.endswith("source_url") and value:
                        addresses.add(value.strip().rstrip("/"))
    database = entries(bibfile)
    found = []
    for key in keys:
        if key not in database:
            raise KeyError(f"{bibfile.name}: no entry {key!r}")
        if database[key].fields.get("url", "").strip().rstrip("/") in addresses:
            found.append(key)
    return found


def mix_sentence(counts: dict[str, int], origins: dict[str, int] | None = None) -> str:
    """``{"official-us": 3, "news": 2}`` -> ``"5 sources: 3 U.S. official (60%), 2 ..."``.

    ``origins`` (from :func:`reproduction_origins`) says whose texts the reproductions carry.
    """
    total = sum(counts.values())
    if not total:
        return "No sources cited."
    parts = []
    for group, n in counts.items():
        part = f"{n} {MIX_GROUPS[group]} ({n / total:.0%})"
        if group == "reproduction" and origins:
            whose = ", ".join(f"{m} {MIX_GROUPS[g]}" for g, m in origins.items())
            part += f" carrying texts of: {whose}"
        parts.append(part)
    return f"{total} sources: " + "; ".join(parts) + "."


class SourceMix:
    """A chapter's (or the book's) sources by type, shown as one line of HTML.

    ``counts`` maps mix groups (:data:`MIX_GROUPS`) to numbers of cited entries.
    """

    def __init__(self, counts: dict[str, int], scope: str, origins: dict[str, int] | None = None):
        self.counts = counts
        self.scope = scope
        self.origins = origins or {}

    def __str__(self) -> str:
        return f"Sources of {self.scope} by type: {mix_sentence(self.counts, self.origins)}"

    def _repr_markdown_(self) -> str:
        return f"**Sources of {self.scope} by type.** {mix_sentence(self.counts, self.origins)}"

    def _repr_html_(self) -> str:
        import html

        total = sum(self.counts.values()) or 1
        bar = "".join(
            f'<span class="usrussia-mix-{group}" style="flex:{n}" '
            f'title="{html.escape(MIX_GROUPS[group])}: {n}"></span>'
            for group, n in self.counts.items()
        )
        items = "".join(
            f'<li><span class="usrussia-mix-swatch usrussia-mix-{group}"></span>'
            f"{html.escape(MIX_GROUPS[group])}: {n} ({n / total:.0%})</li>"
            for group, n in self.counts.items()
        )
        return (
            '<div class="usrussia-html usrussia-source-mix">'
            f"<p><strong>Sources of {html.escape(self.scope)} by type</strong> "
            f"({sum(self.counts.values())} cited entries)</p>"
            f'<div class="usrussia-mix-bar" aria-hidden="true">{bar}</div>'
            f"<ul>{items}</ul></div>"
        )


def source_mix(chapter: str | None = None) -> SourceMix:
    """The mix of sources by type cited in ``chapters/<chapter>.md``, or the whole book.

    Computed at build time from the chapter's ``{cite}`` roles and the ``sourcetype`` of
    each entry in ``references.bib``. Displays as one line (HTML, Markdown or text).
    """
    if chapter is None:
        keys = book_keys()
        return SourceMix(type_counts(keys), "the whole book", reproduction_origins(keys))
    keys = chapter_keys(chapter)
    return SourceMix(type_counts(keys), "this chapter", reproduction_origins(keys))


def host_counts(bibfile: Path = BIBFILE) -> list[tuple[str, int]]:
    """``[(host, number of entries)]``, most entries first, for ``bibfile``."""
    counts = collections.Counter(
        host_of(e.fields.get("url", "")) for e in entries(bibfile).values()
    )
    return counts.most_common()


def main(argv: list[str] | None = None) -> int:
    """Print the hosts of references.bib by count with each one's type or forbidden kind."""
    database = entries()
    by_host: dict[str, list[str]] = collections.defaultdict(list)
    for key, entry in database.items():
        by_host[host_of(entry.fields.get("url", ""))].append(key)
    for host, count in host_counts():
        urls = [database[k].fields.get("url", "") for k in by_host[host]]
        kinds = {forbidden_kind(u) or host_type(u) or "-" for u in urls}
        print(f"{count:4d}  {host:45s} {', '.join(sorted(kinds))}")
    print(f"{len(database)} entries on {len(by_host)} hosts")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
