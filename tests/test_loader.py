"""The loader refuses bad data loudly, naming dataset, line and column, and loses nothing."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from usrussia.data import DataError, _read_package, load

SCHEMA = {
    "fields": [
        {
            "name": "date",
            "type": "date",
            "description": "As-of date",
            "constraints": {"required": True, "minimum": "2010-01-01"},
        },
        {
            "name": "party",
            "type": "string",
            "description": "Party",
            "constraints": {"required": True, "enum": ["United States", "Russia"]},
        },
        {
            "name": "warheads",
            "type": "integer",
            "description": "Warheads",
            "constraints": {"required": True, "minimum": 0, "maximum": 1550},
        },
        {
            "name": "share",
            "type": "number",
            "description": "A share, optional",
            "constraints": {"minimum": 0, "maximum": 100},
        },
        {"name": "year", "type": "year", "description": "Year"},
    ],
    "primaryKey": ["date", "party"],
}
GOOD_ROWS = [
    "date,party,warheads,share,year",
    "2018-02-05,United States,1350,50.5,2018",
    "2018-02-05,Russia,1444,,2018",
]


@pytest.fixture
def make_dataset(tmp_path):
    """Write a one-dataset package with the given CSV lines; return its folder."""

    def make(lines: list[str] | None, schema: dict = SCHEMA):
        folder = tmp_path / "data"
        folder.mkdir(exist_ok=True)
        package = {
            "name": "fixture",
            "resources": [
                {"name": "arms", "path": "arms.csv", "title": "Fixture", "schema": schema}
            ],
        }
        (folder / "datapackage.json").write_text(json.dumps(package))
        if lines is not None:
            (folder / "arms.csv").write_text("\n".join(lines) + "\n")
        _read_package.cache_clear()
        return folder

    return make


def refused(folder) -> DataError:
    with pytest.raises(DataError) as caught:
        load("arms", folder)
    return caught.value


def test_good_file_loads_typed_with_every_row(make_dataset):
    frame = load("arms", make_dataset(GOOD_ROWS))
    assert len(frame) == 2
    assert str(frame["date"].dtype).startswith("datetime64")
    assert str(frame["warheads"].dtype) == "Int64"
    assert str(frame["share"].dtype) == "Float64"
    assert frame.loc[1, "share"] is pd.NA
    assert frame.loc[0, "warheads"] == 1350


def test_missing_file_is_named(make_dataset):
    error = refused(make_dataset(None))
    assert "arms.csv does not exist" in str(error) and error.dataset == "arms"


def test_empty_file(make_dataset):
    folder = make_dataset([])
    (folder / "arms.csv").write_text("")
    assert "empty" in str(refused(folder))


def test_header_without_rows(make_dataset):
    assert "no data rows" in str(refused(make_dataset(GOOD_ROWS[:1])))


def test_missing_column(make_dataset):
    lines = [line.rsplit(",", 1)[0] for line in GOOD_ROWS]
    error = refused(make_dataset(lines))
    assert (error.line, error.column) == (1, "year")
    assert "line 1, column 'year' is missing from the header" in str(error)


def test_extra_column(make_dataset):
    lines = [GOOD_ROWS[0] + ",note"] + [row + ",x" for row in GOOD_ROWS[1:]]
    error = refused(make_dataset(lines))
    assert (error.line, error.column) == (1, "note")
    assert "not described in datapackage.json" in str(error)


def test_wrong_type_names_line_and_column(make_dataset):
    lines = [*GOOD_ROWS, "2019-03-01,Russia,many,1,2019"]
    error = refused(make_dataset(lines))
    assert (error.line, error.column) == (4, "warheads")
    assert "found 'many', expected a whole number" in str(error)


def test_impossible_date(make_dataset):
    error = refused(make_dataset([*GOOD_ROWS, "2019-24-10,Russia,10,1,2019"]))
    assert (error.line, error.column) == (4, "date")
    assert "found '2019-24-10', which is not a real calendar date" in str(error)


def test_out_of_range_value(make_dataset):
    error = refused(make_dataset([*GOOD_ROWS, "2019-03-01,Russia,1600,1,2019"]))
    assert (error.line, error.column) == (4, "warheads")
    assert "found 1600, expected at most 1550" in str(error)


def test_date_below_minimum(make_dataset):
    error = refused(make_dataset([*GOOD_ROWS, "2009-03-01,Russia,1,1,2009"]))
    assert (error.line, error.column) == (4, "date")
    assert "found 2009-03-01, expected at least 2010-01-01" in str(error)


def test_value_outside_enum(make_dataset):
    error = refused(make_dataset([*GOOD_ROWS, "2019-03-01,USSR,1,1,2019"]))
    assert (error.line, error.column) == (4, "party")
    assert "found 'USSR', expected one of 'United States', 'Russia'" in str(error)


def test_duplicate_primary_key_names_both_lines(make_dataset):
    error = refused(make_dataset([*GOOD_ROWS, "2018-02-05,Russia,1,1,2018"]))
    assert (error.line, error.column) == (4, "date, party")
    # The key as it reads in the CSV, not as Python values.
    assert "repeats the key `2018-02-05, Russia`" in str(error)
    assert "first seen on line 3" in str(error) and "datetime" not in str(error)


def test_required_value_missing(make_dataset):
    error = refused(make_dataset([*GOOD_ROWS, "2019-03-01,Russia,,1,2019"]))
    assert (error.line, error.column) == (4, "warheads")
    assert "is empty, expected a value" in str(error)


def test_short_row(make_dataset):
    error = refused(make_dataset([*GOOD_ROWS, "2019-03-01,Russia"]))
    assert (error.line, error.column) == (4, "warheads")
    assert len(error.problems) == 1, "a short row is reported once"
    assert "line 4, column 'warheads' is short: has 2 values, expected 5" in str(error)


def test_stray_spaces_are_not_trimmed_silently(make_dataset):
    error = refused(make_dataset([*GOOD_ROWS, "2019-03-01,Russia, 12,1,2019"]))
    assert (error.line, error.column) == (4, "warheads")
    assert "found ' 12', expected no leading or trailing spaces" in str(error)


def test_every_problem_is_reported_not_only_the_first(make_dataset):
    lines = [*GOOD_ROWS, "2019-03-01,Russia,x,1,2019", "2019-09-01,Russia,y,1,2019"]
    error = refused(make_dataset(lines))
    assert len(error.problems) == 2 and "line 5" in str(error)


def test_unknown_dataset_lists_the_known_ones(make_dataset):
    with pytest.raises(KeyError, match="Known datasets: arms"):
        load("nonexistent", make_dataset(GOOD_ROWS))


def test_broken_datapackage_json_is_named(make_dataset):
    folder = make_dataset(GOOD_ROWS)
    (folder / "datapackage.json").write_text('{"resources": [')
    _read_package.cache_clear()
    with pytest.raises(DataError, match="datapackage.json"):
        load("arms", folder)


def test_blank_line_is_called_blank(make_dataset):
    folder = make_dataset(GOOD_ROWS)
    (folder / "arms.csv").write_text("\n".join(GOOD_ROWS) + "\n\n")
    error = refused(folder)
    assert error.line == 4 and len(error.problems) == 1, str(error)
    assert "line 4 is blank" in str(error)


def test_long_row(make_dataset):
    error = refused(make_dataset([*GOOD_ROWS, "2019-03-01,Russia,1,1,2019,extra"]))
    assert error.line == 4 and "has 6 values, expected 5" in str(error)


def test_non_utf8_file_names_line_and_column(make_dataset):
    folder = make_dataset(GOOD_ROWS)
    text = "\n".join([*GOOD_ROWS, "2019-03-01,R\u00e9ssia,1,1,2019"]) + "\n"
    (folder / "arms.csv").write_bytes(text.encode("latin-1"))
    error = refused(folder)
    assert (error.line, error.column) == (4, "party")
    assert "not UTF-8" in str(error)


def test_bom_and_crlf_are_accepted(make_dataset):
    folder = make_dataset(GOOD_ROWS)
    (folder / "arms.csv").write_bytes(("\ufeff" + "\r\n".join(GOOD_ROWS) + "\r\n").encode())
    frame = load("arms", folder)
    assert list(frame.columns) == SCHEMA_COLUMNS and len(frame) == 2


def test_columns_out_of_order(make_dataset):
    lines = [",".join(reversed(row.split(","))) for row in GOOD_ROWS]
    error = refused(make_dataset(lines))
    assert error.line == 1 and "out of order" in str(error)
    assert len(error.problems) == 1, "a wrong header is reported alone, not row by row"


SCHEMA_COLUMNS = [f["name"] for f in SCHEMA["fields"]]


def test_stray_spaces_are_reported_beside_other_problems(make_dataset):
    lines = [*GOOD_ROWS, "2019-03-01,Russia,x,1,2019", "2019-09-01,Russia, 12,1,2019"]
    error = refused(make_dataset(lines))
    assert [(p.line, p.column) for p in error.problems] == [(4, "warheads"), (5, "warheads")]


class CheckedAgain(Exception):
    """Raised by a stand-in for the checks, to show that they ran."""


def _checks_run(*_args, **_kwargs):
    raise CheckedAgain


def test_a_file_found_valid_is_checked_again_only_once_it_changes(make_dataset, monkeypatch):
    from usrussia import data

    folder = make_dataset(GOOD_ROWS)
    monkeypatch.setattr(data, "_validated_here", set())
    monkeypatch.delenv(data.VALIDATED_ENV, raising=False)
    assert len(load("arms", folder)) == 2  # checked, and found valid
    monkeypatch.setattr(data, "problems_in", _checks_run)
    assert len(load("arms", folder)) == 2  # the same bytes: not checked again
    (folder / "arms.csv").write_text("\n".join(GOOD_ROWS[:2]) + "\n")
    with pytest.raises(CheckedAgain):
        load("arms", folder)


def test_kernels_of_a_build_trust_the_builds_check_of_the_same_bytes(
    make_dataset, monkeypatch, tmp_path
):
    """The build's data check records what it found valid (data.VALIDATED_ENV); a notebook
    kernel, a new process, then loads those files without checking them again."""
    from usrussia import data

    folder = make_dataset(GOOD_ROWS)
    monkeypatch.setenv(data.VALIDATED_ENV, str(tmp_path / "validated"))
    monkeypatch.setattr(data, "_validated_here", set())
    assert data.check_package(folder) == []
    monkeypatch.setattr(data, "_validated_here", set())  # as in a new process
    monkeypatch.setattr(data, "problems_in", _checks_run)
    assert len(load("arms", folder)) == 2
    # A description changed since the check: the file is checked again.
    described = json.loads((folder / "datapackage.json").read_text())
    described["resources"][0]["schema"]["fields"][2]["constraints"]["maximum"] = 1400
    (folder / "datapackage.json").write_text(json.dumps(described))
    _read_package.cache_clear()
    with pytest.raises(CheckedAgain):
        load("arms", folder)
