"""Load the book's datasets, checking every value against data/datapackage.json.

A teaching book on contested history must not show a number it cannot trace. So the loader
is strict: each CSV is read as text, every cell is checked against the Table Schema that
``datapackage.json`` gives for it, and any problem stops the load with an error that names
the file, the line, the column and what was expected. No row is ever dropped or coerced.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

# The data live beside the package in the repository; USRUSSIA_DATA points elsewhere
# (the tests use it to load deliberately broken copies).
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "data"
# pyproject.toml installs a copy of data/ as the package usrussia.bookdata.
INSTALLED_DATA_DIR = Path(__file__).resolve().parent / "bookdata"
PACKAGE_FILE = "datapackage.json"

# How many problems one error message lists before it stops counting.
MAX_REPORTED_PROBLEMS = 20

_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")

PANDAS_DTYPES = {
    "integer": "Int64",
    "year": "Int64",
    "number": "Float64",
    "string": "string",
    "boolean": "boolean",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file, located as precisely as possible."""

    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class DataError(ValueError):
    """A dataset failed validation. ``dataset``, ``path`` and ``problems`` say where."""

    def __init__(self, dataset: str, path: Path | str, problems: list[Problem]):
        self.dataset = dataset
        self.path = Path(path)
        self.problems = problems
        first = problems[0] if problems else Problem("unknown problem")
        self.line = first.line
        self.column = first.column
        shown = problems[:MAX_REPORTED_PROBLEMS]
        lines = [f"Dataset '{dataset}' ({self.path}) is not valid:"]
        lines += [f"  - {p}" for p in shown]
        if len(problems) > len(shown):
            lines.append(f"  ... and {len(problems) - len(shown)} more problems")
        super().__init__("\n".join(lines))


def data_dir() -> Path:
    """The folder that holds datapackage.json and the CSV files.

    In order: the USRUSSIA_DATA environment variable; a ``data/`` folder with a
    datapackage.json in the working directory or above it (a notebook runs in
    ``chapters/``, so this finds the book's data in a clone, in Binder and in a copy of
    the book); the data beside this package (a clone or an editable install); the copy
    of the data installed with the package (``pip install .``, as Binder and Colab do).

    Raises FileNotFoundError, saying what to set, if none of these holds the data.
    """
    if os.environ.get("USRUSSIA_DATA"):
        return Path(os.environ["USRUSSIA_DATA"])
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / PACKAGE_FILE).is_file():
            return folder / "data"
    if (DEFAULT_DATA_DIR / PACKAGE_FILE).is_file():
        return DEFAULT_DATA_DIR
    if (INSTALLED_DATA_DIR / PACKAGE_FILE).is_file():
        return INSTALLED_DATA_DIR
    raise FileNotFoundError(
        f"The book's data were not found: no data/{PACKAGE_FILE} in {here} or a folder "
        f"above it, nor in {DEFAULT_DATA_DIR} or {INSTALLED_DATA_DIR}. Set the environment "
        "variable USRUSSIA_DATA to the book's data folder, e.g. in a notebook: "
        "import os; os.environ['USRUSSIA_DATA'] = '/path/to/the/book/data'"
    )


@cache
def _read_package(folder: Path) -> dict:
    path = folder / PACKAGE_FILE
    if not path.is_file():
        raise FileNotFoundError(f"No data package description at {path}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DataError(PACKAGE_FILE, path, [Problem(str(err), line=err.lineno)]) from err


def package(folder: Path | None = None) -> dict:
    """The parsed data package description (datapackage.json)."""
    return _read_package(Path(folder or data_dir()).resolve())


def dataset_names(folder: Path | None = None) -> list[str]:
    """Names of every dataset the package describes, in the order it lists them."""
    return [res["name"] for res in package(folder)["resources"]]


def resource(name: str, folder: Path | None = None) -> dict:
    """The package's description of one dataset."""
    for res in package(folder)["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(dataset_names(folder))
    raise KeyError(f"No dataset named '{name}' in {PACKAGE_FILE}. Known datasets: {known}")


def _parse_cell(text: str, field: dict) -> tuple[object, str | None]:
    """Return (value, problem) for one cell; value is None for an empty cell."""
    kind = field.get("type", "string")
    if text == "":
        return None, None
    if text != text.strip():
        return None, f"has leading or trailing spaces: {text!r}"
    if kind == "integer":
        if not _INTEGER.match(text):
            return None, f"expected a whole number, found {text!r}"
        return int(text), None
    if kind == "year":
        if not _YEAR.match(text):
            return None, f"expected a four-digit year, found {text!r}"
        return int(text), None
    if kind == "number":
        if not _NUMBER.match(text):
            return None, f"expected a number, found {text!r}"
        value = float(text)
        if not math.isfinite(value):
            return None, f"expected a finite number, found {text!r}"
        return value, None
    if kind == "date":
        if not _ISO_DATE.match(text):
            return None, f"expected a date as YYYY-MM-DD, found {text!r}"
        try:
            return date.fromisoformat(text), None
        except ValueError:
            return None, f"{text!r} is not a real calendar date"
    if kind == "boolean":
        if text not in ("true", "false"):
            return None, f"expected true or false, found {text!r}"
        return text == "true", None
    return text, None


def _check_constraints(value: object, text: str, field: dict) -> str | None:
    rules = field.get("constraints", {})
    kind = field.get("type", "string")

    def bound(key: str):
        limit = rules[key]
        return date.fromisoformat(limit) if kind == "date" else limit

    if "enum" in rules and text not in [str(v) for v in rules["enum"]]:
        return f"{text!r} is not one of the allowed values {rules['enum']}"
    if "minimum" in rules and value < bound("minimum"):
        return f"{text} is below the minimum {rules['minimum']}"
    if "maximum" in rules and value > bound("maximum"):
        return f"{text} is above the maximum {rules['maximum']}"
    if "pattern" in rules and not re.fullmatch(rules["pattern"], text):
        return f"{text!r} does not match the pattern {rules['pattern']!r}"
    if "minLength" in rules and len(text) < rules["minLength"]:
        return f"is shorter than {rules['minLength']} characters"
    if "maxLength" in rules and len(text) > rules["maxLength"]:
        return f"is longer than {rules['maxLength']} characters"
    return None


def validate(name: str, folder: Path | None = None) -> list[dict]:
    """Check a dataset against its schema; return its rows as typed dicts.

    Raises DataError listing every problem found (up to a limit), each with its line
    number in the CSV file (the header is line 1) and its column.
    """
    folder = Path(folder or data_dir())
    res = resource(name, folder)
    path = folder / res["path"]
    fields = res["schema"]["fields"]
    columns = [f["name"] for f in fields]

    def fail(*problems: Problem):
        raise DataError(name, path, list(problems))

    if not path.is_file():
        fail(Problem(f"the file {res['path']} does not exist in {folder}"))
    text = path.read_text(encoding="utf-8-sig")
    if not text.strip():
        fail(Problem("the file is empty: expected a header row and data rows"))

    reader = csv.reader(text.splitlines())
    header = next(reader)
    missing = [c for c in columns if c not in header]
    extra = [c for c in header if c not in columns]
    problems = [Problem("missing column", line=1, column=c) for c in missing]
    problems += [
        Problem("column not described in datapackage.json", line=1, column=c) for c in extra
    ]
    if not problems and header != columns:
        problems.append(Problem(f"columns are out of order: expected {columns}", line=1))
    if problems:
        fail(*problems)

    rows: list[dict] = []
    seen_keys: dict[tuple, int] = {}
    seen_unique: dict[str, dict[str, int]] = {c: {} for c in columns}
    primary_key = res["schema"].get("primaryKey", [])
    if isinstance(primary_key, str):
        primary_key = [primary_key]
    for line_number, cells in enumerate(reader, start=2):
        if len(cells) != len(columns):
            problems.append(
                Problem(f"has {len(cells)} values, expected {len(columns)}", line=line_number)
            )
            continue
        row = {}
        for field, cell in zip(fields, cells, strict=True):
            column = field["name"]
            value, problem = _parse_cell(cell, field)
            required = field.get("constraints", {}).get("required", False)
            if problem is None and value is None and (required or column in primary_key):
                problem = "is empty but a value is required"
            if problem is None and value is not None:
                problem = _check_constraints(value, cell, field)
            if problem is None and value is not None and field.get("constraints", {}).get("unique"):
                if cell in seen_unique[column]:
                    problem = f"{cell!r} repeats line {seen_unique[column][cell]}"
                seen_unique[column][cell] = line_number
            if problem:
                problems.append(Problem(problem, line=line_number, column=column))
            row[column] = value
        if primary_key:
            key = tuple(row[c] for c in primary_key)
            if key in seen_keys:
                problems.append(
                    Problem(
                        f"duplicate primary key {dict(zip(primary_key, key, strict=True))},"
                        f" first seen on line {seen_keys[key]}",
                        line=line_number,
                        column=", ".join(primary_key),
                    )
                )
            seen_keys.setdefault(key, line_number)
        rows.append(row)
    if not rows and not problems:
        problems.append(Problem("the file has a header but no data rows"))
    if problems:
        fail(*problems)
    return rows


def load(name: str, folder: Path | None = None) -> pd.DataFrame:
    """Load a dataset as a typed DataFrame, after validating every row.

    Dates become ``datetime64`` columns, integers nullable ``Int64``, numbers ``Float64``
    and text ``string``. The frame has exactly one row per data row in the file.
    """
    folder = Path(folder or data_dir())
    rows = validate(name, folder)
    fields = resource(name, folder)["schema"]["fields"]
    frame = pd.DataFrame(rows, columns=[f["name"] for f in fields])
    for field in fields:
        column, kind = field["name"], field.get("type", "string")
        if kind == "date":
            frame[column] = pd.to_datetime(frame[column])
        else:
            frame[column] = frame[column].astype(PANDAS_DTYPES.get(kind, "string"))
    frame.attrs["dataset"] = name
    return frame


def source_note(*names: str, folder: Path | None = None) -> str:
    """A one-line source credit for charts, built from the datasets' metadata."""
    credits: list[str] = []
    for name in names:
        meta = resource(name, folder)
        # A dataset drawn from many documents carries a short "credit"; otherwise the
        # titles of its sources are listed.
        candidates = (
            [meta["credit"]]
            if meta.get("credit")
            else [source["title"] for source in meta.get("sources", [])]
        )
        credits += [c for c in candidates if c not in credits]
    return "Source: " + "; ".join(credits) if credits else ""
