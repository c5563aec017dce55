"""What ``import usrussia`` does before it imports Altair: keep the kernel's start cheap.

Altair imports jsonschema, and jsonschema, when the optional package ``rfc3987_syntax`` is
installed (Jupyter's own dependencies bring it, through ``jsonschema[format-nongpl]``),
imports it at once to check the "iri" and "iri-reference" string formats. Importing
``rfc3987_syntax`` builds some forty Lark parsers of the RFC 3987 grammar: 1.2-1.5 s of CPU
in a plain process, and 2.3-4.8 s inside an IPython kernel (measured; see
``benchmarks/README.md``, "Notebook execution against the kernel-plus-imports floor").
Neither the book nor Altair ever checks an IRI (the Vega-Lite schema has no such format), so
every notebook paid that time for nothing.

``import_jsonschema_lightly`` imports jsonschema with a stand-in for ``rfc3987_syntax``
whose ``is_valid_syntax`` imports the real package the first time jsonschema checks an IRI,
then takes the stand-in out of ``sys.modules``. What jsonschema checks, and how, is
unchanged; only the moment the grammar is built moves, from the import to the first IRI.

The book's own environment (requirements.txt) pins jsonschema 4.24.1, from before it
imported ``rfc3987_syntax``, so there this does nothing; it is for Colab and any other
environment with a newer jsonschema (tests/test_startup.py checks it in such a one).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

# The package whose import builds the grammars, and the module that builds them.
IRI_SYNTAX_PACKAGE = "rfc3987_syntax"
IRI_SYNTAX_GRAMMARS = "rfc3987_syntax.syntax_helpers"


def _real_iri_syntax() -> types.ModuleType:
    """The installed ``rfc3987_syntax``, imported now (building its grammars)."""
    loaded = sys.modules.get(IRI_SYNTAX_PACKAGE)
    if isinstance(loaded, _DeferredIriSyntax):
        del sys.modules[IRI_SYNTAX_PACKAGE]
    return importlib.import_module(IRI_SYNTAX_PACKAGE)


def _is_valid_syntax(term: str, value: str) -> bool:
    """``rfc3987_syntax.is_valid_syntax``, importing the package on the first call."""
    return _real_iri_syntax().is_valid_syntax(term, value)


class _DeferredIriSyntax(types.ModuleType):
    """Stands in for ``rfc3987_syntax`` while jsonschema is imported. ``is_valid_syntax``
    defers the real import to its first call; any other name imports the real package at
    once, so a jsonschema that asks for more gets exactly what it asked for."""

    def __getattr__(self, name: str):
        if name.startswith("__"):  # the import system asks for __path__, __spec__ and such
            raise AttributeError(name)
        return getattr(_real_iri_syntax(), name)


def import_jsonschema_lightly() -> bool:
    """Import jsonschema without building the RFC 3987 grammars it may never use.

    Returns True if jsonschema was imported here with the deferred IRI checker; False (and
    does nothing) when jsonschema or ``rfc3987_syntax`` is already imported, or when
    ``rfc3987_syntax`` or jsonschema is not installed.
    """
    if "jsonschema" in sys.modules or IRI_SYNTAX_PACKAGE in sys.modules:
        return False
    if importlib.util.find_spec(IRI_SYNTAX_PACKAGE) is None:
        return False
    if importlib.util.find_spec("jsonschema") is None:
        return False
    stand_in = _DeferredIriSyntax(IRI_SYNTAX_PACKAGE, __doc__)
    stand_in.is_valid_syntax = _is_valid_syntax
    sys.modules[IRI_SYNTAX_PACKAGE] = stand_in
    try:
        importlib.import_module("jsonschema")
    finally:
        if sys.modules.get(IRI_SYNTAX_PACKAGE) is stand_in:
            del sys.modules[IRI_SYNTAX_PACKAGE]
    return True
