"""Addresses that were formed from a publisher's address pattern and never confirmed stay visible.

Session 2 replaced mirror copies by publisher addresses, several of them built from the
publisher's address pattern (a CRS product number, a canonical host in place of a staging or
CDN host, a White House archive host) and never opened. Each such entry carries an "Address
check" note; those that could not be confirmed say so ("no stored copy ... was found" or "not
confirmed"). This list may only shrink: open the address or replace it by a confirmed address
of the same text at its publisher, rewrite the note, and take the key out.
"""

from __future__ import annotations

from usrussia import sources

UNCONFIRMED_ADDRESSES = {
    "after_2022-ecd2025sanctions",
    "crs2011123",
    "crs2017caatsa",
    "crs2019r45415",
    "helsinki-crs2017ica",
    "helsinki-crs2019skripal",
    "new_start-thehill2023",
    "newsru2022ooncivilianlosses",
    "ohchr2022civiliancasualtiesjan",
    "reset-wh2010resetfactsheet",
    "reset-whfactsheet2009bpc",
}


def unconfirmed(entries) -> set[str]:
    """Keys whose note records an address check that did not confirm the address."""
    found = set()
    for key, entry in entries.items():
        note = entry.fields.get("note", "")
        if "Address check" in note and ("no stored copy" in note or "not confirmed" in note):
            found.add(key)
    return found


def test_unconfirmed_addresses_are_the_listed_ones():
    found = unconfirmed(sources.entries())
    new = found - UNCONFIRMED_ADDRESSES
    assert not new, f"unconfirmed addresses not listed here: {sorted(new)}"
    fixed = UNCONFIRMED_ADDRESSES - found
    assert not fixed, f"confirmed now, take out of UNCONFIRMED_ADDRESSES: {sorted(fixed)}"


def test_an_unconfirmed_address_is_recognised_by_its_note():
    class Entry:
        def __init__(self, note):
            self.fields = {"note": note}

    entries = {
        "a": Entry("Address check (2026-11-30): formed from a pattern; no stored copy was found."),
        "b": Entry("Address check (2026-11-30): confirmed by a stored copy at this address."),
        "c": Entry("No stored copy mentioned, but no address check either."),
    }
    assert unconfirmed(entries) == {"a"}
