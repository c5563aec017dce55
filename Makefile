# The README's two commands: `make book` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install whenever a requirements file or pyproject.toml changes.
INSTALLED := $(VENV)/.installed-book
TEST_INSTALLED := $(VENV)/.installed-test
BUILD_FLAGS := -W -n --keep-going

.PHONY: book test lint clean help

help:
	@echo "make book   set up .venv, build the book into _build/html"
	@echo "make test   set up .venv with test tools, run the whole test suite"
	@echo "make lint   ruff check and format check"
	@echo "make clean  remove _build (the execution cache too)"

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(TEST_INSTALLED): requirements-test.txt $(INSTALLED)
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

book: $(INSTALLED)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	@echo
	@echo "The book is built. Open $(CURDIR)/_build/html/index.html in a browser."

test: $(TEST_INSTALLED)
	$(BIN)/python -m tests.browser_setup
	$(BIN)/python -m pytest

lint: $(TEST_INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf _build
