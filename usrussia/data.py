"""Load the book's datasets, checking every value against data/datapackage.json.

A teaching book on contested history must not show a number it cannot trace. So the loader
is strict: before a dataset is loaded, frictionless validates its CSV against the Table
Schema that ``datapackage.json`` gives for it (types, constraints, header, row lengths,
primary key, encoding), this module adds the few checks frictionless does not make, and
any problem stops the load with an error in plain words that names the file, the line,
the column, the value found and what was expected. No row is ever dropped or coerced.
``check_package`` runs the same checks over every dataset; the book's Sphinx extension
calls it before any notebook executes.
"""

from __future__ import annotations

import csv
import hashlib
import json
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

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

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
        """E.g. "line 48 is blank, …" or "line 4, column 'warheads': found 'many', …"."""
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if not where:
            return self.message
        joiner = " " if self.message.startswith(("is ", "has ", "repeats ")) else ": "
        return ", ".join(where) + joiner + self.message


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


def _parse_cell(text: str, field: dict) -> object:
    """The typed value of one cell that has passed validation; None for an empty cell."""
    kind = field.get("type", "string")
    if text == "":
        return None
    if kind in ("integer", "year"):
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "date":
        return date.fromisoformat(text)
    if kind == "boolean":
        return text in TRUE_VALUES
    return text


# --- Validation: frictionless does the Table Schema checks, reworded here --------------

TRUE_VALUES = ("true", "True", "TRUE", "1")

EXPECTED_TYPE = {
    "integer": "a whole number",
    "year": "a four-digit year",
    "number": "a number",
    "date": "a date as YYYY-MM-DD",
    "boolean": "true or false",
}
_CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)" is "(.*)"', re.S)
_SAME_ROW_AS = re.compile(r"row at position (\d+)")


def _expected_type(field: dict) -> str:
    return EXPECTED_TYPE.get(field.get("type", "string"), f"a {field.get('type')}")


def _type_problem(cell: str, field: dict) -> str:
    if field.get("type") == "date" and _ISO_DATE.match(cell):
        return f"found {cell!r}, which is not a real calendar date"
    return f"found {cell!r}, expected {_expected_type(field)}"


def _constraint_problem(cell: str, field: dict, note: str) -> str:
    match = _CONSTRAINT_NOTE.search(note or "")
    rule = match.group(1) if match else ""
    rules = field.get("constraints", {})
    if rule == "required":
        return "is empty, expected a value (the column is required)"
    if rule == "enum":
        allowed = ", ".join(repr(str(v)) for v in rules["enum"])
        return f"found {cell!r}, expected one of {allowed}"
    if rule == "minimum":
        return f"found {cell}, expected at least {rules['minimum']} (below the minimum)"
    if rule == "maximum":
        return f"found {cell}, expected at most {rules['maximum']} (above the maximum)"
    if rule == "maxLength":
        return f"found a text of {len(cell)} characters, expected at most {rules['maxLength']}"
    if rule == "minLength":
        return f"found a text of {len(cell)} characters, expected at least {rules['minLength']}"
    if rule == "pattern":
        return f"found {cell!r}, expected text matching the pattern {rules['pattern']!r}"
    return f"found {cell!r}: {note}"


def _encoding_problem(raw: bytes, err: UnicodeDecodeError, columns: list[str]) -> Problem:
    """Where the first byte that is not UTF-8 sits: its line and, if it can tell, column."""
    line_start = raw.rfind(b"\n", 0, err.start) + 1
    line = raw.count(b"\n", 0, err.start) + 1
    before = raw[line_start : err.start].decode("utf-8", errors="replace")
    cells_before = next(csv.reader([before]), [""])
    index = len(cells_before) - 1
    column = columns[index] if line > 1 and 0 <= index < len(columns) else None
    found = raw[err.start : err.start + 4].split(b"\n")[0]
    return Problem(
        f"has the byte(s) {found!r} that are not UTF-8 text; save the file as UTF-8",
        line=line,
        column=column,
    )


def _frictionless_problems(path: Path, res: dict) -> list[Problem]:
    """Validate one CSV against its Table Schema with frictionless; plain-worded problems."""
    from frictionless import Detector, Dialect, Resource, Schema, formats

    fields = {f["name"]: f for f in res["schema"]["fields"]}
    primary_key = res["schema"].get("primaryKey", [])
    if isinstance(primary_key, str):
        primary_key = [primary_key]
    table = Resource(
        path=path.name,
        basepath=str(path.parent),
        schema=Schema.from_descriptor(res["schema"]),
        encoding="utf-8",
        dialect=Dialect(controls=[formats.CsvControl(delimiter=",")]),
        detector=Detector(schema_sync=False),
    )
    report = table.validate()
    errors = [error for task in report.tasks for error in task.errors] + list(report.errors)
    labels = [e for e in errors if e.type in LABEL_ERRORS]
    if labels:
        # A wrong header makes every row look wrong: report the header alone.
        errors = labels
    problems: list[Problem] = []
    blank_rows = {e.row_number for e in errors if e.type == "blank-row"}
    rows_with_missing_cells = {e.row_number for e in errors if e.type == "missing-cell"}
    short_rows: dict[int, list[str]] = {}
    for error in errors:
        kind = error.type
        row = getattr(error, "row_number", None)
        name = getattr(error, "field_name", None) or None
        field = fields.get(name, {})
        cell = getattr(error, "cell", "")
        if kind == "missing-label":
            problems.append(Problem("is missing from the header (missing column)", 1, name))
        elif kind == "extra-label":
            label = getattr(error, "label", "") or name
            problems.append(
                Problem("is in the header but not described in datapackage.json", 1, label)
            )
        elif kind == "incorrect-label":
            if not any(p.line == 1 and "order" in p.message for p in problems):
                order = ", ".join(fields)
                problems.append(Problem(f"the columns are out of order: expected {order}", 1))
        elif kind in ("blank-label", "duplicate-label"):
            what = "blank" if kind == "blank-label" else "repeated"
            position = getattr(error, "field_number", "?")
            problems.append(Problem(f"header column number {position} is {what}", 1))
        elif kind == "blank-row":
            problems.append(
                Problem(f"is blank, expected a row of {len(fields)} values (delete the line)", row)
            )
        elif kind == "primary-key" and row not in blank_rows:
            values = dict(zip(fields, getattr(error, "cells", []), strict=False))
            key = ", ".join(values.get(c, "") for c in primary_key)
            first = _SAME_ROW_AS.search(error.note or "")
            where = f"; first seen on line {first.group(1)}" if first else ""
            problems.append(
                Problem(
                    f"repeats the key `{key}` ({', '.join(primary_key)}): duplicate key{where}",
                    row,
                    ", ".join(primary_key),
                )
            )
        elif kind == "missing-cell":
            short_rows.setdefault(row, []).append(name)
        elif kind == "extra-cell":
            count = len(getattr(error, "cells", []))
            problems.append(
                Problem(f"has {count} values, expected {len(fields)} (too many)", row, name)
            )
        elif kind == "type-error":
            problems.append(Problem(_type_problem(cell, field), row, name))
        elif kind == "constraint-error":
            if row in rows_with_missing_cells and cell in ("None", ""):
                continue  # reported once, as a short row
            problems.append(Problem(_constraint_problem(cell, field, error.note), row, name))
        elif kind == "unique-error":
            first = _SAME_ROW_AS.search(error.note or "")
            where = f"; first seen on line {first.group(1)}" if first else ""
            problems.append(
                Problem(f"found {cell!r} again, expected unique values{where}", row, name)
            )
        elif kind == "source-error" and "empty" in (error.note or ""):
            problems.append(Problem("the file is empty: expected a header row and data rows"))
        elif kind == "encoding-error":
            raw = path.read_bytes()
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as err:
                problems.append(_encoding_problem(raw, err, list(fields)))
        elif kind == "primary-key":
            continue
        else:
            problems.append(Problem(error.message, row, name))
    for row, missing in short_rows.items():
        count = len(fields) - len(missing)
        names = ", ".join(repr(m) for m in missing)
        problems.append(
            Problem(
                f"is short: has {count} values, expected {len(fields)} (no {names})",
                row,
                missing[0],
            )
        )
    return problems


LABEL_ERRORS = {"missing-label", "extra-label", "incorrect-label", "blank-label", "duplicate-label"}


def _own_problems(rows: list[list[str]], fields: list[dict]) -> list[Problem]:
    """What frictionless lets through: stray spaces around a value (it trims them)."""
    problems = []
    for line_number, cells in enumerate(rows, start=2):
        for field, cell in zip(fields, cells, strict=False):
            if cell != cell.strip():
                problems.append(
                    Problem(
                        f"found {cell!r}, expected no leading or trailing spaces",
                        line_number,
                        field["name"],
                    )
                )
    return problems


def problems_in(name: str, folder: Path | None = None) -> list[Problem]:
    """Every problem in one dataset, sorted by line; an empty list if it is valid.

    The Table Schema checks (types, constraints, header, row lengths, keys, encoding) are
    frictionless's; this adds what it does not check (stray spaces, a header without rows).
    """
    folder = Path(folder or data_dir())
    res = resource(name, folder)
    path = folder / res["path"]
    if not path.is_file():
        return [Problem(f"the file {res['path']} does not exist in {folder}")]
    problems = _frictionless_problems(path, res)
    # The rows can be read unless the file, its encoding or its header is wrong.
    if not any(p.line in (None, 1) for p in problems):
        try:
            rows = _rows(path)
        except UnicodeDecodeError:
            rows = None  # reported above, with its line
        if rows == []:
            problems.append(Problem("the file has a header but no data rows"))
        if rows:
            problems += _own_problems(rows, res["schema"]["fields"])
    return sorted(problems, key=lambda p: p.line or 0)


def _rows(path: Path) -> list[list[str]]:
    """The data rows of a CSV as text (the header left out)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))[1:]  # a quoted value may hold a line break


# --- Each version of a dataset is checked once ------------------------------------------

# A folder where the checks record the datasets they found valid. The book's Sphinx
# extension sets it before it checks every dataset, and the notebook kernels the build
# starts inherit it, so that a chapter does not check again what the build has just
# checked (importing frictionless alone takes most of a second per kernel).
VALIDATED_ENV = "USRUSSIA_VALIDATED_DIR"
_validated_here: set[str] = set()


def _checks_digest(path: Path, res: dict) -> str:
    """A digest of what a check's verdict depends on: the CSV's bytes, its description in
    datapackage.json, and the code of the checks (this module)."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(json.dumps(res, sort_keys=True).encode("utf-8"))
    digest.update(path.read_bytes())
    return digest.hexdigest()


def _known_valid(digest: str) -> bool:
    if digest in _validated_here:
        return True
    folder = os.environ.get(VALIDATED_ENV)
    return bool(folder) and (Path(folder) / digest).is_file()


def _remember_valid(digest: str) -> None:
    _validated_here.add(digest)
    folder = os.environ.get(VALIDATED_ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / digest).touch()


def validate(name: str, folder: Path | None = None) -> list[dict]:
    """Check a dataset against its schema; return its rows as typed dicts.

    Raises DataError listing every problem found (up to a limit), each with its line
    number in the CSV file (the header is line 1) and its column. A file whose exact
    bytes and description were already found valid (in this process, or by the book
    build's data check: ``VALIDATED_ENV``) is not checked again.
    """
    folder = Path(folder or data_dir())
    res = resource(name, folder)
    path = folder / res["path"]
    digest = _checks_digest(path, res) if path.is_file() else None
    if digest is None or not _known_valid(digest):
        problems = problems_in(name, folder)
        if problems:
            raise DataError(name, path, problems)
        _remember_valid(digest)
    fields = res["schema"]["fields"]
    return [
        {f["name"]: _parse_cell(cell, f) for f, cell in zip(fields, cells, strict=True)}
        for cells in _rows(path)
    ]


def check_package(folder: Path | None = None) -> list[DataError]:
    """Validate every dataset the package describes; one DataError per failing dataset."""
    folder = Path(folder or data_dir())
    failures = []
    for name in dataset_names(folder):
        problems = problems_in(name, folder)
        path = folder / resource(name, folder)["path"]
        if problems:
            failures.append(DataError(name, path, problems))
        else:
            _remember_valid(_checks_digest(path, resource(name, folder)))
    return failures


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
