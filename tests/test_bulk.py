from datetime import date, datetime

from odoo.tests import TransactionCase, tagged

from ..models import bulk


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
