from datetime import date, datetime

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..models import bulk
from .common import JAN, IncentiveCommon


@tagged("post_install", "-at_install", "sales_performance")
class TestBulkArrays(TransactionCase):
    """Array parameters are sent as the text of a PostgreSQL array: every
    value comes back from the database as it was given."""

    def _round_trip(self, values, sql_type):
        self.env.cr.execute(
            f"SELECT unnest(%s::{sql_type}[])", [bulk.array_literal(values)]
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def test_text_values_survive_quotes_and_separators(self):
        values = [
            "plain",
            'a "quoted" word',
            "back\\slash \\",
            "comma, {brace} and } more",
            "NULL",
            "",
            "line\nbreak\ttab",
            "中文 · → ✓",
            None,
        ]
        self.assertEqual(self._round_trip(values, "text"), values)

    def test_numbers_dates_and_booleans(self):
        self.assertEqual(
            self._round_trip([1, -7, None, 2**31 - 1], "int"), [1, -7, None, 2**31 - 1]
        )
        floats = [0.1, -1234567.891, 1e-12, 3.0, None]
        self.assertEqual(self._round_trip(floats, "float8"), floats)
        days = [date(2031, 1, 31), None, date(1999, 12, 1)]
        self.assertEqual(self._round_trip(days, "date"), days)
        moments = [datetime(2031, 1, 31, 23, 59, 58), None]
        self.assertEqual(self._round_trip(moments, "timestamp"), moments)
        self.assertEqual(
            self._round_trip([True, False, None], "bool"), [True, False, None]
        )
        self.assertEqual(bulk.array_literal([]), "{}")


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestBulkInsertFillsStoredFields(IncentiveCommon):
    """``bulk.insert`` applies no default, compute or related field: the
    generator gives every stored value itself. Statements and lines generated
    set-wise are compared with twins created through the ORM from the same
    input values (stored fields without default, compute or related, when not
    empty): every stored column the ORM fills must be filled by the set-wise
    path too, related ones with the same value. A stored field added later
    (a related or computed one, one with a default) that the generator
    forgets makes this test fail."""

    MODELS = (
        "sales.performance.incentive.statement",
        "sales.performance.incentive.statement.line",
    )
    SKIPPED = {"id", *bulk.LOG_ACCESS_FIELDS}

    def _columns(self, model):
        """The stored columns of ``model`` to compare."""
        return [
            field
            for fname, field in model._fields.items()
            if field.store
            and field.column_type
            and fname not in self.SKIPPED
            and not fname.startswith(("message_", "activity_"))
        ]

    @staticmethod
    def _is_input(field):
        """A value the caller gives: the ORM fills nothing in by itself."""
        return not (field.compute or field.related or field.default)

    def _rows(self, model, ids):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT * FROM %s WHERE id = ANY(%s) ORDER BY id",
                SQL.identifier(model._table),
                list(ids),
            )
        )
        return self.env.cr.dictfetchall()

    def _input_vals(self, model, row, **overrides):
        vals = {
            field.name: row[field.name]
            for field in self._columns(model)
            if self._is_input(field) and row[field.name] is not None
        }
        return dict(vals, **overrides)

    def _assert_filled_alike(self, model, bulk_row, orm_row):
        for field in self._columns(model):
            if orm_row[field.name] is None:
                continue
            self.assertIsNotNone(
                bulk_row[field.name],
                f"{model._name}.{field.name} is filled by the ORM "
                f"({orm_row[field.name]!r}) but left empty by bulk.insert",
            )
            if field.related:
                self.assertEqual(bulk_row[field.name], orm_row[field.name], f"{field}")

    def test_generated_records_fill_every_stored_field_the_orm_fills(self):
        plan = self._plan(
            [
                self._commission("marginal"),
                {
                    "kind": "bonus",
                    "metric_id": self.metric_won.id,
                    "tiers": [(100, 1000)],
                },
                {"kind": "spiff", "metric_id": self.metric_won_count.id, "amount": 100},
            ]
        )
        generated = plan.generate_statements(*JAN)
        Statement = self.env[self.MODELS[0]].sudo()
        Line = self.env[self.MODELS[1]].sudo().with_context(incentive_recompute=True)
        # what the ORM fills in by itself, and so what the comparison is about
        for model, fnames in (
            (Statement, {"name", "company_id", "currency_id", "state", "amount_total"}),
            (Line, {"sequence", "line_type", "user_id", "company_id", "state"}),
        ):
            filled = {f.name for f in self._columns(model) if not self._is_input(f)}
            self.assertLessEqual(fnames, filled)
        statement_rows = self._rows(Statement, generated.ids)
        line_rows = self._rows(Line, generated.line_ids.ids)
        self.assertEqual(len(statement_rows), 3)
        self.assertEqual({row["line_type"] for row in line_rows}, {"rule", "band"})
        # the twins take the place of the generated records (one statement
        # per salesperson, plan and period)
        generated.unlink()
        for statement_row in statement_rows:
            twin = Statement.create(self._input_vals(Statement, statement_row))
            lines = [
                row for row in line_rows if row["statement_id"] == statement_row["id"]
            ]
            self.assertTrue(lines)
            twin_lines = Line.create(
                [self._input_vals(Line, row, statement_id=twin.id) for row in lines]
            )
            (orm_row,) = self._rows(Statement, twin.ids)
            self._assert_filled_alike(Statement, statement_row, orm_row)
            for bulk_row, orm_row in zip(
                lines, self._rows(Line, twin_lines.ids), strict=True
            ):
                self._assert_filled_alike(Line, bulk_row, orm_row)
