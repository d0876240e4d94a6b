"""Yearly target sheets (Excel import and export, issue #16): the layout, the
parsing and validation of a sheet, and the plan of what an import changes.

One sheet per metric, one row per assignee (and dimension set), one column
per month of the year; the cells are the monthly targets::

    row 1   Metric    <metric name>    Metric ID    <id>
    row 2   Year      <year>
    row 3   Company   <company name>   Company ID   <id>
    row 4   (a note for the reader)
    row 5   column labels, for people (translated)
    row 6   column keys, for the import (hidden): salesperson, team,
            <dimension fields>, 2026-01 ... 2026-12, reason
    row 7+  the targets

A row with a salesperson (their login) is the salesperson's target (the team,
when given, is the team of a new target); a row with a team and no
salesperson is the team's target; a row with neither is the company's.

Rules (the wizard translates the problem codes into sentences):

* the whole sheet is read before anything is decided; every problem is
  reported with its row and column, and any problem means nothing is saved;
* an empty cell means "no change": it never overwrites a target, and creates
  none;
* a value is a finite number, 0 or more, at most ``MAX_VALUE``, rounded to
  the cent; text that reads as a number (" 1200.5 ") is accepted, booleans
  and dates are not;
* a month column outside the sheet's year, an unknown or repeated column, or
  two rows for the same assignee and dimensions are problems;
* a target that is not a draft is locked: changing its value needs a reason
  in the row's reason column (it is then revised, like Revise Target); a
  closed target never changes; an unchanged value is no change at all.

Nothing here imports ``odoo``: the wizard resolves names to records and
reads the existing targets, this module decides.
"""

import math
from datetime import date, datetime
from typing import NamedTuple

ROW_METRIC = 1
ROW_YEAR = 2
ROW_COMPANY = 3
ROW_NOTE = 4
ROW_LABELS = 5
ROW_KEYS = 6
FIRST_DATA_ROW = 7

KEY_SALESPERSON = "salesperson"
KEY_TEAM = "team"
KEY_REASON = "reason"

MAX_VALUE = 1e12
MAX_ROWS = 5000
MAX_SHEETS = 50
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024
MAX_REASON = 1000


class Problem(NamedTuple):
    """A problem of the file: its row (1-based, 0 for the whole sheet), its
    column letter ("" for the whole row), a code and its parameters."""

    sheet: str
    row: int
    column: str
    code: str
    params: dict


class SheetLine(NamedTuple):
    """A data row as read: names still to be resolved by the caller."""

    row: int
    salesperson: str | None
    team: str | None
    dimensions: dict  # {field name: text or None}
    values: dict  # {month: (value, column letter)}, filled cells only
    reason: str | None


class ParsedSheet(NamedTuple):
    title: str
    metric_name: str | None
    metric_id: int | None
    year: int | None
    company_name: str | None
    company_id: int | None
    columns: dict  # {key: column letter}
    lines: list
    problems: list


class ResolvedLine(NamedTuple):
    """A data row whose assignee and dimensions the caller resolved:
    ``key`` identifies the target (``("user", user id, dims)``, ``("team",
    team id, dims)`` or ``("company", dims)``), ``create_vals`` are what a new
    target of this row gets besides metric, period and value."""

    sheet: str
    row: int
    column: str  # the assignee's column, where a duplicate row is reported
    key: tuple
    values: dict
    reason: str | None
    create_vals: dict
    label: str


class Existing(NamedTuple):
    """A monthly target already saved."""

    id: int
    value: float
    state: str
    name: str


class Change(NamedTuple):
    sheet: str
    row: int
    column: str
    target_id: int
    name: str
    old: float
    new: float
    revise: bool
    reason: str | None


class Creation(NamedTuple):
    sheet: str
    row: int
    column: str
    line: ResolvedLine
    month: int
    value: float


class Plan(NamedTuple):
    creations: list
    changes: list
    unchanged: int
    problems: list


# ----------------------------------------------------------------------
# Layout
# ----------------------------------------------------------------------
def column_letter(index):
    """Excel letter of the 0-based column ``index`` (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def month_key(year, month):
    return "%04d-%02d" % (year, month)


def parse_month_key(text):
    """``(year, month)`` of a month column key "2026-01", else None."""
    if isinstance(text, (datetime, date)):
        return text.year, text.month
    if not isinstance(text, str):
        return None
    parts = text.strip().split("-")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    year, month = int(parts[0]), int(parts[1])
    if not (1900 <= year <= 9999 and 1 <= month <= 12):
        return None
    return year, month


def month_period(year, month):
    """First and last day of a month."""
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def column_keys(year, dimension_fields):
    """The keys of row 6, in order."""
    return (
        [KEY_SALESPERSON, KEY_TEAM]
        + list(dimension_fields)
        + [month_key(year, month) for month in range(1, 13)]
        + [KEY_REASON]
    )


def layout(metric, year, company, labels, rows, note=""):
    """The cells of a sheet, as a list of rows (lists of values).

    :param metric: ``(name, id)``; ``company``: ``(name, id)``
    :param labels: ``{"metric", "metric_id", "year", "company", "company_id",
        "salesperson", "team", "reason", <dimension field>: label}``: the
        dimension fields of the sheet are the other keys of ``labels``, in
        their order
    :param rows: ``[(salesperson, team, {dim: text}, {month: value})]``
    """
    fixed = {
        "metric",
        "metric_id",
        "year",
        "company",
        "company_id",
        KEY_SALESPERSON,
        KEY_TEAM,
        KEY_REASON,
    }
    dimension_fields = [key for key in labels if key not in fixed]
    keys = column_keys(year, dimension_fields)
    cells = [
        [labels["metric"], metric[0], labels["metric_id"], metric[1]],
        [labels["year"], year],
        [labels["company"], company[0], labels["company_id"], company[1]],
        [note],
        [labels[key] if key in labels else key for key in keys],
        keys,
    ]
    for salesperson, team, dimensions, values in rows:
        cells.append(
            [salesperson or None, team or None]
            + [dimensions.get(name) or None for name in dimension_fields]
            + [values.get(month) for month in range(1, 13)]
            + [None]
        )
    return cells


# ----------------------------------------------------------------------
# Parsing
# ----------------------------------------------------------------------
def _text(value):
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _integer(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def parse_number(value):
    """``(number rounded to the cent, None)`` for a filled cell, ``(None,
    None)`` for an empty one, ``(None, code)`` for a bad one (codes
    ``not_number``, ``not_finite``, ``negative``, ``too_large``)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool) or isinstance(value, (date, datetime)):
        return None, "not_number"
    if isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u00a0", "")
        try:
            number = float(text)
        except ValueError:
            return None, "not_number"
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        return None, "not_number"
    if not math.isfinite(number):
        return None, "not_finite"
    if number < 0:
        return None, "negative"
    if number > MAX_VALUE:
        return None, "too_large"
    return round(number, 2), None


def _cell(rows, row, column):
    """Value of the 1-based ``row`` and 0-based ``column``, None outside."""
    if row - 1 >= len(rows):
        return None
    values = rows[row - 1]
    return values[column] if column < len(values) else None


def _parse_header(rows, problem):
    metric_name = _text(_cell(rows, ROW_METRIC, 1))
    metric_id = _integer(_cell(rows, ROW_METRIC, 3))
    if metric_id is None and _text(_cell(rows, ROW_METRIC, 3)):
        problem(ROW_METRIC, "D", "bad_id", value=_text(_cell(rows, ROW_METRIC, 3)))
    if not metric_name and metric_id is None:
        problem(ROW_METRIC, "B", "metric_missing")
    year = _integer(_cell(rows, ROW_YEAR, 1))
    if year is None or not 1900 <= year <= 9999:
        problem(ROW_YEAR, "B", "year_invalid", value=_text(_cell(rows, ROW_YEAR, 1)))
        year = None
    company_name = _text(_cell(rows, ROW_COMPANY, 1))
    company_id = _integer(_cell(rows, ROW_COMPANY, 3))
    if company_id is None and _text(_cell(rows, ROW_COMPANY, 3)):
        problem(ROW_COMPANY, "D", "bad_id", value=_text(_cell(rows, ROW_COMPANY, 3)))
    return metric_name, metric_id, year, company_name, company_id


def _parse_columns(rows, year, dimension_fields, problem):
    """``({key: column index}, {column index: month})`` of the key row."""
    columns = {}
    months = {}
    key_cells = rows[ROW_KEYS - 1] if len(rows) >= ROW_KEYS else ()
    for index, raw in enumerate(key_cells):
        key = raw if isinstance(raw, (date, datetime)) else _text(raw)
        if key is None:
            continue
        letter = column_letter(index)
        period = parse_month_key(key)
        if period:
            if year is not None and period[0] != year:
                problem(
                    ROW_KEYS,
                    letter,
                    "period_outside_year",
                    period=month_key(*period),
                    year=year,
                )
                continue
            key = month_key(*period)
        elif key not in (KEY_SALESPERSON, KEY_TEAM, KEY_REASON, *dimension_fields):
            problem(ROW_KEYS, letter, "unknown_column", value=key)
            continue
        if key in columns:
            problem(
                ROW_KEYS,
                letter,
                "duplicate_column",
                value=key,
                first=column_letter(columns[key]),
            )
            continue
        columns[key] = index
        if period:
            months[index] = period[1]
    return columns, months


def _parse_line(row, values, columns, months, problem):
    def get(key):
        index = columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    line_values = {}
    for index, month in months.items():
        raw = values[index] if index < len(values) else None
        number, code = parse_number(raw)
        if code:
            problem(row, column_letter(index), code, value=_text(raw))
        elif number is not None:
            line_values[month] = (number, column_letter(index))
    reason = _text(get(KEY_REASON))
    if reason and len(reason) > MAX_REASON:
        problem(
            row, column_letter(columns[KEY_REASON]), "reason_too_long", limit=MAX_REASON
        )
    # a value in a column without a key would be lost: say so
    used = set(columns.values())
    for index, raw in enumerate(values):
        if index not in used and _text(raw) is not None:
            problem(row, column_letter(index), "cell_outside_columns")
    fixed = (KEY_SALESPERSON, KEY_TEAM, KEY_REASON)
    dimensions = {
        key: _text(get(key))
        for key in columns
        if key not in fixed and not parse_month_key(key)
    }
    return SheetLine(
        row,
        _text(get(KEY_SALESPERSON)),
        _text(get(KEY_TEAM)),
        dimensions,
        line_values,
        reason,
    )


def parse_sheet(title, rows, dimension_fields):
    """Read a sheet: its header, its columns and its data rows.

    :param rows: the sheet's cell values, a sequence of row tuples (row 1
        first), as ``openpyxl``'s ``iter_rows(values_only=True)`` gives them
    :param dimension_fields: the dimension fields a column may carry
    """
    problems = []

    def problem(row, column, code, **params):
        problems.append(Problem(title, row, column, code, params))

    rows = list(rows)
    metric_name, metric_id, year, company_name, company_id = _parse_header(
        rows, problem
    )
    columns, months = _parse_columns(rows, year, dimension_fields, problem)
    lines = []
    if KEY_SALESPERSON not in columns or KEY_TEAM not in columns:
        problem(ROW_KEYS, "", "layout")
    else:
        filled = [
            (FIRST_DATA_ROW + offset, values)
            for offset, values in enumerate(rows[FIRST_DATA_ROW - 1 :])
            if any(_text(v) is not None for v in values)
        ]
        if len(filled) > MAX_ROWS:
            problem(0, "", "too_many_rows", count=len(filled), limit=MAX_ROWS)
            filled = filled[:MAX_ROWS]
        lines = [
            _parse_line(row, values, columns, months, problem) for row, values in filled
        ]
    return ParsedSheet(
        title,
        metric_name,
        metric_id,
        year,
        company_name,
        company_id,
        {key: column_letter(index) for key, index in columns.items()},
        lines,
        problems,
    )


# ----------------------------------------------------------------------
# Plan
# ----------------------------------------------------------------------
def _cents(value):
    return round(value * 100)


def plan(lines, existing, covered=None):
    """What importing ``lines`` does.

    :param lines: ``ResolvedLine`` of every sheet of one metric and year
        (call once per metric and year)
    :param existing: ``{(key, month): Existing}``, the monthly targets saved
    :param covered: ``{key: [(first month, last month, name)]}``: saved
        targets of a key that are not monthly (a quarter, a year); a new
        monthly target inside one would overlap it
    """
    covered = covered or {}
    problems = []
    creations = []
    changes = []
    unchanged = 0
    first_row = {}
    for line in lines:
        if line.key in first_row:
            problems.append(
                Problem(
                    line.sheet,
                    line.row,
                    line.column,
                    "duplicate_row",
                    {"first": first_row[line.key], "label": line.label},
                )
            )
            continue
        first_row[line.key] = line.row
        for month, (value, column) in sorted(line.values.items()):
            saved = existing.get((line.key, month))
            if saved is None:
                blocking = [
                    name
                    for first, last, name in covered.get(line.key, ())
                    if first <= month <= last
                ]
                if blocking:
                    problems.append(
                        Problem(
                            line.sheet,
                            line.row,
                            column,
                            "covered",
                            {"target": blocking[0]},
                        )
                    )
                else:
                    creations.append(
                        Creation(line.sheet, line.row, column, line, month, value)
                    )
                continue
            if _cents(saved.value) == _cents(value):
                unchanged += 1
                continue
            if saved.state == "closed":
                problems.append(
                    Problem(
                        line.sheet,
                        line.row,
                        column,
                        "closed",
                        {"target": saved.name, "old": saved.value, "new": value},
                    )
                )
                continue
            locked = saved.state != "draft"
            if locked and not line.reason:
                problems.append(
                    Problem(
                        line.sheet,
                        line.row,
                        column,
                        "locked_no_reason",
                        {"target": saved.name, "old": saved.value, "new": value},
                    )
                )
                continue
            changes.append(
                Change(
                    line.sheet,
                    line.row,
                    column,
                    saved.id,
                    saved.name,
                    saved.value,
                    value,
                    locked,
                    line.reason,
                )
            )
    return Plan(creations, changes, unchanged, problems)


def sort_problems(problems):
    """Problems in reading order: sheet, row, column (A < B < ... < AA)."""
    return sorted(
        problems, key=lambda p: (p.sheet, p.row, len(p.column), p.column, p.code)
    )
