"""Statements do not slow down with history: the clawback check of a new
statement looks again only at the earlier periods whose documents changed
since the previous check (a fingerprint of each period's documents), and
still sees every late change, also one made in the same transaction.

January 2031 (tests/common.py IncentiveCommon): sp1 wins 50,000 + 40,000 =
90,000 against a target of 100,000; a flat commission by attainment pays 5 %
in the 80-100 % band: 4,500. Losing the 40,000 deal takes back 40,000 x 5 % =
2,000.
"""

from datetime import date
from unittest.mock import patch

from odoo.tests import tagged

from .common import FEB, JAN, IncentiveCommon

MAR = (date(2031, 3, 1), date(2031, 3, 31))
APR = (date(2031, 4, 1), date(2031, 4, 30))


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestStatementHistory(IncentiveCommon):
    def setUp(self):
        super().setUp()
        self.plan = self._plan([self._commission("flat")], users=self.sp1)
        self.Plan = type(self.plan)

    def _approve(self, period):
        statement = self.plan.generate_statements(*period)
        statement.with_user(self.leader).action_confirm()
        statement.with_user(self.leader).action_approve()
        return statement

    def _generate_watching(self, period):
        """The statement of ``period`` and the periods whose achievement the
        generation computed (its own and those of the clawback check)."""
        seen = []
        original = self.Plan._achieved_by_user

        def spy(plan, metric, date_from, date_to, users, timeline=None):
            seen.append((date_from, date_to))
            return original(plan, metric, date_from, date_to, users, timeline)

        with patch.object(self.Plan, "_achieved_by_user", spy):
            statement = self.plan.generate_statements(*period)
        return statement, seen

    def _lose_40k(self):
        stage = self.env["crm.stage"].create({"name": "Reopened", "sequence": 1})
        self.lead_sp1_b.write({"stage_id": stage.id})
        self.lead_sp1_b.action_set_lost()

    @staticmethod
    def _clawbacks(statement):
        return statement.line_ids.filtered(lambda line: line.line_type == "clawback")

    def test_unchanged_periods_are_not_read_again(self):
        jan = self._approve(JAN)
        self.assertEqual(jan.amount_total, 4500.0)
        # February: January was never checked, it is
        feb, seen = self._generate_watching(FEB)
        self.assertIn(JAN, seen)
        feb.with_user(self.leader).action_confirm()
        feb.with_user(self.leader).action_approve()
        # March: January did not change since February's check, February is new
        march, seen = self._generate_watching(MAR)
        self.assertNotIn(JAN, seen)
        self.assertIn(FEB, seen)
        self.assertFalse(self._clawbacks(march))
        # recomputing the draft statement looks at the same periods again
        with patch.object(self.Plan, "_achieved_by_user", autospec=True) as spy:
            spy.return_value = {}
            march.action_recompute()
        periods = {(call.args[2], call.args[3]) for call in spy.call_args_list}
        self.assertNotIn(JAN, periods)

    def test_a_late_change_is_still_taken_back(self):
        self._approve(JAN)
        self._approve(FEB)
        self.plan.generate_statements(*MAR).with_user(self.leader).action_confirm()
        # in the same transaction as March's check: January's 40,000 is lost
        self._lose_40k()
        april, seen = self._generate_watching(APR)
        self.assertIn(JAN, seen)
        clawback = self._clawbacks(april)
        self.assertEqual(len(clawback), 1)
        self.assertAlmostEqual(clawback.base, -40000.0)
        self.assertAlmostEqual(clawback.amount, -2000.0)
        self.assertEqual(clawback.origin_line_id.statement_id.date_from, JAN[0])

    def test_a_cancelled_clawback_is_looked_for_again(self):
        self._approve(JAN)
        self._lose_40k()
        feb = self.plan.generate_statements(*FEB)
        self.assertAlmostEqual(self._clawbacks(feb).amount, -2000.0)
        # March counts February's clawback as taken: nothing more
        march = self._approve(MAR)
        self.assertFalse(self._clawbacks(march))
        # February is cancelled: its clawback is not taken, April takes it
        feb.with_user(self.leader).action_cancel()
        april = self.plan.generate_statements(*APR)
        clawback = self._clawbacks(april)
        self.assertEqual(len(clawback), 1)
        self.assertAlmostEqual(clawback.amount, -2000.0)

    def test_a_deleted_document_changes_the_fingerprint(self):
        jan = self._approve(JAN)
        self._approve(FEB)
        march = self.plan.generate_statements(*MAR)
        self.assertFalse(self._clawbacks(march))
        before = march.clawback_fingerprint
        self.assertTrue(before)
        self.lead_sp1_b.unlink()
        march.action_recompute()
        self.assertNotEqual(march.clawback_fingerprint, before)
        clawback = self._clawbacks(march)
        self.assertEqual(len(clawback), 1)
        self.assertEqual(clawback.origin_line_id.statement_id, jan)
        self.assertAlmostEqual(clawback.amount, -2000.0)
