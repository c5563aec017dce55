"""What a notebook's kernel imports: no work at import time that the build does not use.

Each check runs in a fresh Python process (this one has long imported jsonschema), doing
what the build's kernels do: ``import usrussia``, ``usrussia.setup()`` and the appendix
pages' ``import usrussia.appendix``, with the book-build flag set.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from usrussia import render, startup

# Modules the kernels must not import until a cell needs them: the RFC 3987 grammars that
# jsonschema would build at once (1.2-4.8 s; usrussia.startup), and frictionless, which
# only the first check of a dataset needs (usrussia.data).
DEFERRED_MODULES = (startup.IRI_SYNTAX_GRAMMARS, "lark", "frictionless")

KERNEL_IMPORTS = """
import json, sys
import usrussia
usrussia.setup()
import usrussia.appendix
"""


def run_python(code: str) -> str:
    environment = {**os.environ, render.BOOK_BUILD_ENV: "1"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.skipif(
    importlib.util.find_spec(startup.IRI_SYNTAX_PACKAGE) is None,
    reason="rfc3987_syntax is not installed, so jsonschema builds no IRI grammars",
)
def test_the_kernels_imports_leave_the_deferred_modules_unimported():
    code = (
        KERNEL_IMPORTS + f"print(json.dumps([m for m in {DEFERRED_MODULES!r} if m in sys.modules]))"
    )
    imported = json.loads(run_python(code))
    assert not imported, (
        f"`import usrussia`, `usrussia.setup()` and `import usrussia.appendix` imported "
        f"{', '.join(imported)}: a cost every notebook pays at start, which the build does "
        f"not use (see usrussia/startup.py)"
    )


@pytest.mark.skipif(
    importlib.util.find_spec(startup.IRI_SYNTAX_PACKAGE) is None,
    reason="rfc3987_syntax is not installed: jsonschema checks no IRI either way",
)
def test_jsonschema_checks_iris_as_the_real_package_does_after_import_usrussia():
    values = [
        "https://www.state.gov/new-start/",
        "http://example.com/ü",
        "urn:isbn:0451450523",
        "not an iri",
        "a b",
        "#fragment",
        "../relative/path",
        "http://[::1",
    ]
    code = KERNEL_IMPORTS + (
        "import jsonschema\n"
        "checker = jsonschema.FormatChecker()\n"
        f"values = {values!r}\n"
        "checked = {f: [checker.conforms(v, f) for v in values]"
        " for f in ('iri', 'iri-reference')}\n"
        "import rfc3987_syntax\n"
        "real = {f: [rfc3987_syntax.is_valid_syntax(f.replace('-', '_'), v) for v in values]"
        " for f in ('iri', 'iri-reference')}\n"
        "print(json.dumps({'checked': checked, 'real': real,"
        " 'module': type(sys.modules['rfc3987_syntax']).__name__}))\n"
    )
    result = json.loads(run_python(code))
    assert result["checked"] == result["real"]
    # The checks tell valid from invalid (the comparison above is not between two no-ops),
    # and the stand-in has given way to the real package.
    assert set(result["checked"]["iri"]) == {True, False}
    assert set(result["checked"]["iri-reference"]) == {True, False}
    assert result["module"] == "module"
