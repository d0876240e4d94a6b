"""Pure-Python tests of engine/target_sheet.py (yearly target sheets): the
layout read back, every kind of bad cell with its row and column, and the
plan of an import (empty cells, locked targets, duplicates), by hand."""

import math
from datetime import date

import pytest

from engine import target_sheet as ts

LABELS = {
    "metric": "Metric",
    "metric_id": "Metric ID",
    "year": "Year",
    "company": "Company",
    "company_id": "Company ID",
    "salesperson": "Salesperson (login)",
    "team": "Sales Team",
    "country_id": "Country",
    "reason": "Reason",
}


def _sheet(rows, year=2026, dims=("country_id",)):
    """Header and key rows of a sheet of ``year`` followed by ``rows``."""
    labels = {k: v for k, v in LABELS.items() if k not in ("country_id",)}
    for name in dims:
        labels[name] = name
    cells = ts.layout(("Won Revenue", 7), year, ("ACME", 3), labels, [])
    return cells + [list(r) for r in rows]


# columns of the default sheet: A salesperson, B team, C country,
# D..O months 1..12, P reason
def _row(login=None, team=None, country=None, months=None, reason=None):
    values = [None] * 12
    for month, value in (months or {}).items():
        values[month - 1] = value
    return [login, team, country, *values, reason]


def test_column_letters():
    assert [ts.column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_month_period_and_keys():
    assert ts.month_period(2026, 2) == (date(2026, 2, 1), date(2026, 2, 28))
    assert ts.month_period(2028, 2) == (date(2028, 2, 1), date(2028, 2, 29))
    assert ts.month_period(2026, 12) == (date(2026, 12, 1), date(2026, 12, 31))
    assert ts.month_key(2026, 3) == "2026-03"
    assert ts.parse_month_key("2026-03") == (2026, 3)
    assert ts.parse_month_key(date(2026, 11, 1)) == (2026, 11)
    assert ts.parse_month_key("2026-13") is None
    assert ts.parse_month_key("March") is None


def test_layout_header_and_rows():
    labels = dict(LABELS)
    cells = ts.layout(
        ("Won Revenue", 7),
        2026,
        ("ACME", 3),
        labels,
        [("alice", "Team One", {"country_id": "Belgium"}, {1: 100.0, 12: 5.5})],
        note="hello",
    )
    assert cells[0] == ["Metric", "Won Revenue", "Metric ID", 7]
    assert cells[1] == ["Year", 2026]
    assert cells[2] == ["Company", "ACME", "Company ID", 3]
    assert cells[3] == ["hello"]
    assert cells[5][:3] == ["salesperson", "team", "country_id"]
    assert cells[5][3] == "2026-01" and cells[5][14] == "2026-12"
    assert cells[5][15] == "reason"
    assert cells[4][:3] == ["Salesperson (login)", "Sales Team", "Country"]
    assert cells[4][3] == "2026-01"
    assert cells[6] == ["alice", "Team One", "Belgium", 100.0] + [None] * 10 + [
        5.5,
        None,
    ]


def test_parse_reads_the_layout_back():
    cells = ts.layout(
        ("Won Revenue", 7),
        2026,
        ("ACME", 3),
        dict(LABELS),
        [
            ("alice", "Team One", {"country_id": "Belgium"}, {1: 100.0, 3: 0.0}),
            (None, "Team One", {}, {2: 250.0}),
        ],
    )
    sheet = ts.parse_sheet("Won", cells, ["country_id", "source_id"])
    assert sheet.problems == []
    assert (sheet.metric_name, sheet.metric_id, sheet.year) == ("Won Revenue", 7, 2026)
    assert (sheet.company_name, sheet.company_id) == ("ACME", 3)
    assert sheet.columns["salesperson"] == "A"
    assert sheet.columns["country_id"] == "C"
    assert sheet.columns["2026-03"] == "F"
    assert sheet.columns["reason"] == "P"
    first, second = sheet.lines
    assert first.row == 7 and second.row == 8
    assert first.salesperson == "alice" and first.team == "Team One"
    assert first.dimensions == {"country_id": "Belgium"}
    # a 0 is a value, an empty cell is not
    assert first.values == {1: (100.0, "D"), 3: (0.0, "F")}
    assert second.salesperson is None
    assert second.dimensions == {"country_id": None}
    assert second.values == {2: (250.0, "E")}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, (None, None)),
        ("  ", (None, None)),
        (12, (12.0, None)),
        (12.345, (12.35, None)),
        (" 1 200.5 ", (1200.5, None)),
        ("0", (0.0, None)),
        ("abc", (None, "not_number")),
        (True, (None, "not_number")),
        (date(2026, 1, 1), (None, "not_number")),
        (math.nan, (None, "not_finite")),
        ("nan", (None, "not_finite")),
        (math.inf, (None, "not_finite")),
        ("-inf", (None, "not_finite")),
        (-0.01, (None, "negative")),
        ("-5", (None, "negative")),
        (1e12, (1e12, None)),
        (1e12 + 1, (None, "too_large")),
    ],
)
def test_parse_number(value, expected):
    assert ts.parse_number(value) == expected


def test_every_bad_cell_is_reported_with_row_and_column():
    rows = [
        _row("alice", months={1: "abc", 2: -3, 3: math.nan, 4: 10}),
        _row(),  # an empty row is skipped, its number still counts
        _row("bob", months={12: "inf"}),
    ]
    cells = _sheet(rows)
    cells[8].append("stray")  # a value right of the reason column (Q)
    sheet = ts.parse_sheet("Won", cells, ["country_id"])
    found = [(p.row, p.column, p.code) for p in sheet.problems]
    assert found == [
        (7, "D", "not_number"),
        (7, "E", "negative"),
        (7, "F", "not_finite"),
        (9, "O", "not_finite"),
        (9, "Q", "cell_outside_columns"),
    ]
    # the good cell of the bad row is still read (every problem is reported)
    assert sheet.lines[0].values == {4: (10.0, "G")}
    assert [line.row for line in sheet.lines] == [7, 9]


def test_header_problems():
    cells = _sheet([])
    cells[0][3] = "seven"
    cells[1][1] = "next year"
    cells[2][3] = None
    sheet = ts.parse_sheet("S", cells, [])
    found = [(p.row, p.column, p.code) for p in sheet.problems]
    assert (1, "D", "bad_id") in found
    assert (2, "B", "year_invalid") in found
    # the country column is not a dimension of this database
    assert (6, "C", "unknown_column") in found
    assert sheet.company_id is None and sheet.company_name == "ACME"


def test_month_outside_the_year_and_duplicate_columns():
    cells = _sheet([_row("alice", months={1: 5})])
    cells[5][4] = "2025-12"  # E: February replaced by a month of 2025
    cells[5][6] = "2026-01"  # G: April replaced by a second January
    sheet = ts.parse_sheet("S", cells, ["country_id"])
    found = [(p.row, p.column, p.code, p.params) for p in sheet.problems]
    assert found == [
        (6, "E", "period_outside_year", {"period": "2025-12", "year": 2026}),
        (6, "G", "duplicate_column", {"value": "2026-01", "first": "D"}),
    ]
    assert "2025-12" not in sheet.columns


def test_a_sheet_without_the_key_row_is_not_a_target_sheet():
    sheet = ts.parse_sheet("Other", [["name", "value"], ["x", 1]], [])
    assert "layout" in [p.code for p in sheet.problems]
    assert sheet.lines == []


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(ts, "MAX_ROWS", 2)
    sheet = ts.parse_sheet("S", _sheet([_row("a"), _row("b"), _row("c")]), [])
    assert [(p.row, p.code) for p in sheet.problems if p.code == "too_many_rows"] == [
        (0, "too_many_rows")
    ]
    assert len(sheet.lines) == 2


def _line(row, key, values, reason=None):
    return ts.ResolvedLine(
        "S",
        row,
        "A",
        key,
        {m: (value, ts.column_letter(2 + m)) for m, value in values.items()},
        reason,
        {"user_id": key[1]},
        "user %s" % key[1],
    )


ALICE = ("user", 1, ())
BOB = ("user", 2, ())


def test_plan_creates_changes_and_leaves_the_rest():
    existing = {
        (ALICE, 1): ts.Existing(11, 100.0, "draft", "Alice Jan"),
        (ALICE, 2): ts.Existing(12, 200.0, "draft", "Alice Feb"),
        (ALICE, 3): ts.Existing(13, 300.0, "active", "Alice Mar"),
        (BOB, 1): ts.Existing(21, 50.0, "closed", "Bob Jan"),
    }
    lines = [
        # Jan changes, Feb equal to the cent, Mar empty (no change), Apr new
        _line(7, ALICE, {1: 150.0, 2: 200.004, 4: 400.0}),
        # Bob's closed January unchanged: nothing to say
        _line(8, BOB, {1: 50.0}),
    ]
    plan = ts.plan(lines, existing)
    assert plan.problems == []
    assert plan.unchanged == 2
    assert [(c.target_id, c.old, c.new, c.revise) for c in plan.changes] == [
        (11, 100.0, 150.0, False)
    ]
    assert [(c.row, c.month, c.value) for c in plan.creations] == [(7, 4, 400.0)]


def test_plan_locked_targets_need_a_reason_and_closed_ones_never_change():
    existing = {
        (ALICE, 3): ts.Existing(13, 300.0, "active", "Alice Mar"),
        (BOB, 3): ts.Existing(23, 300.0, "active", "Bob Mar"),
        (BOB, 1): ts.Existing(21, 50.0, "closed", "Bob Jan"),
    }
    lines = [
        _line(7, ALICE, {3: 350.0}),
        _line(8, BOB, {1: 60.0, 3: 320.0}, reason="New key account"),
    ]
    plan = ts.plan(lines, existing)
    assert [(p.row, p.column, p.code) for p in plan.problems] == [
        (7, "F", "locked_no_reason"),
        (8, "D", "closed"),
    ]
    assert plan.problems[0].params == {
        "target": "Alice Mar",
        "old": 300.0,
        "new": 350.0,
    }
    assert [(c.target_id, c.new, c.revise, c.reason) for c in plan.changes] == [
        (23, 320.0, True, "New key account")
    ]


def test_plan_duplicate_rows_and_months_covered_by_a_longer_target():
    lines = [
        _line(7, ALICE, {1: 10.0}),
        _line(9, ALICE, {2: 20.0}),
        _line(10, BOB, {2: 5.0, 5: 7.0}),
    ]
    covered = {BOB: [(1, 3, "Bob Q1")]}
    plan = ts.plan(lines, {}, covered)
    assert [(p.row, p.code, p.params.get("first")) for p in plan.problems] == [
        (9, "duplicate_row", 7),
        (10, "covered", None),
    ]
    assert [(c.row, c.month) for c in plan.creations] == [(7, 1), (10, 5)]


def test_problems_sort_in_reading_order():
    problems = [
        ts.Problem("S", 9, "AA", "x", {}),
        ts.Problem("S", 9, "B", "x", {}),
        ts.Problem("S", 7, "C", "x", {}),
    ]
    assert [(p.row, p.column) for p in ts.sort_problems(problems)] == [
        (7, "C"),
        (9, "B"),
        (9, "AA"),
    ]
