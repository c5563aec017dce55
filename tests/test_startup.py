"""What a notebook's kernel imports: no work at import time that the build does not use.

Each check runs in a fresh Python process (this one has long imported jsonschema), doing
what the build's kernels do: ``import usrussia``, ``usrussia.setup()`` and the appendix
pages' ``import usrussia.appendix``, with the book-build flag set. It runs in the
Colab-like environment of tests/test_notebooks.py, whose jsonschema is the newest and so
imports rfc3987-syntax (requirements.txt pins one from before that, so the book's own
environment never builds the grammars; usrussia.startup is for every other one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests import ahead
from tests.test_notebooks import make_oldest_venv
from usrussia import render, startup

IRI = startup.IRI_SYNTAX_PACKAGE

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


# Pip's minute, started when these tests are chosen (tests/ahead.py); shared with
# tests/test_notebooks.py under the same name.
START_AT_COLLECTION = {"oldest venv": make_oldest_venv}


@pytest.fixture(scope="module")
def colab_python():
    python = ahead.result("oldest venv", make_oldest_venv)
    found = subprocess.run(
        [str(python), "-c", f"import importlib.util as u; print(u.find_spec({IRI!r}) is not None)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "True", f"{IRI} is missing from {python}: nothing to check"
    return python


def run_python(python, code: str) -> str:
    environment = {**os.environ, render.BOOK_BUILD_ENV: "1"}
    result = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, env=environment
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_kernels_imports_leave_the_deferred_modules_unimported(colab_python):
    code = (
        KERNEL_IMPORTS + f"print(json.dumps([m for m in {DEFERRED_MODULES!r} if m in sys.modules]))"
    )
    imported = json.loads(run_python(colab_python, code))
    assert not imported, (
        f"`import usrussia`, `usrussia.setup()` and `import usrussia.appendix` imported "
        f"{', '.join(imported)}: a cost every notebook pays at start, which the build does "
        f"not use (see usrussia/startup.py)"
    )


def test_jsonschema_checks_iris_as_the_real_package_does_after_import_usrussia(colab_python):
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
    result = json.loads(run_python(colab_python, code))
    assert result["checked"] == result["real"]
    # The checks tell valid from invalid (the comparison above is not between two no-ops),
    # and the stand-in has given way to the real package.
    assert set(result["checked"]["iri"]) == {True, False}
    assert set(result["checked"]["iri-reference"]) == {True, False}
    assert result["module"] == "module"


def test_the_books_own_environment_builds_no_iri_grammar_on_import_altair():
    """requirements.txt pins jsonschema before 4.25, which imports rfc3987-syntax at once:
    in the book's environment, `import altair` (every kernel, every build) builds no Lark
    grammar, with or without usrussia first (benchmarks/README.md has the seconds)."""
    code = (
        "import json, sys\nimport altair\n"
        "print(json.dumps([m for m in ('rfc3987_syntax', 'lark') if m in sys.modules]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [], "import altair imported an IRI grammar"


# What every build process and every kernel imports.
IMPORTED_BY_EVERY_PROCESS = ("altair", "pandas", "ipykernel", "sphinx", "myst_nb")


@pytest.mark.parametrize("package", IMPORTED_BY_EVERY_PROCESS)
def test_the_books_own_environment_is_compiled_ahead(package):
    """`make book` compiles .venv once (the Makefile's COMPILE): where
    PYTHONDONTWRITEBYTECODE is set, Python keeps no bytecode of what it imports, and every
    process compiled the package again (seconds per kernel). Each module of the package,
    imported or not, has its bytecode beside it."""
    import importlib
    import importlib.util
    from pathlib import Path

    folder = Path(importlib.import_module(package).__file__).parent
    sources = sorted(folder.rglob("*.py"))
    missing = [
        path.relative_to(folder).as_posix()
        for path in sources
        if not Path(importlib.util.cache_from_source(str(path))).is_file()
    ]
    assert sources and not missing, (
        f"{len(missing)} of {len(sources)} modules of {package} have no bytecode, "
        f"e.g. {missing[:3]}: run `make book` again (it compiles .venv)"
    )
