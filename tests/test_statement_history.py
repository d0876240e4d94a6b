"""Statements do not slow down with history: the clawback check of a new
statement looks again only at the earlier periods whose documents changed
since the previous check (a fingerprint of each period's documents), and
still sees every late change, also one made in the same transaction. What
changed is read from the change log the freshness hooks keep
(``sales.performance.metric.change``), not from the documents themselves.

January 2031 (tests/common.py IncentiveCommon): sp1 wins 50,000 + 40,000 =
90,000 against a target of 100,000; a flat commission by attainment pays 5 %
in the 80-100 % band: 4,500. Losing the 40,000 deal takes back 40,000 x 5 % =
2,000.
"""

from datetime import date, datetime
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import FEB, JAN, PERF_MANAGER, SALESMAN, IncentiveCommon
from .test_migrations import _migration

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
        # February: January's figures were computed with its statement and
        # its documents did not change since: not read again
        feb, seen = self._generate_watching(FEB)
        self.assertNotIn(JAN, seen)
        self.assertIn(FEB, seen)
        feb.with_user(self.leader).action_confirm()
        feb.with_user(self.leader).action_approve()
        # March: neither January nor February changed since (February's
        # figures are those of its own statement)
        march, seen = self._generate_watching(MAR)
        self.assertEqual(set(seen), {MAR})
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

    def test_a_change_in_another_period_reads_only_that_period(self):
        self._approve(JAN)
        self._approve(FEB)
        # a deal won in February: January stays unchanged
        self._won_lead(self.sp1, 7000, datetime(2031, 2, 10, 12))
        march, seen = self._generate_watching(MAR)
        self.assertIn(FEB, seen)
        self.assertNotIn(JAN, seen)
        self.assertFalse(self._clawbacks(march))

    def test_the_log_keeps_one_row_a_day(self):
        Change = self.env["sales.performance.metric.change"]
        Queue = self.env["sales.performance.recompute.queue"]
        Queue._cron_recompute_dirty()
        day = date(2031, 1, 20)
        key = (self.metric_won.id, JAN[0], date(2031, 2, 1))
        stamp = Change._stamps([key])[key]
        # three changes of the 40,000 deal of 20 January, each committed and
        # taken by the scheduled action
        for revenue in (41000, 42000, 43000):
            self.lead_sp1_b.expected_revenue = revenue
            Queue._flush_marks()
            # not taken yet: the stamp sees the marks in the queue already
            queued = Change._stamps([key])[key]
            self.assertNotEqual(queued, stamp)
            Queue._cron_recompute_dirty()
            stamp = Change._stamps([key])[key]
            self.assertNotEqual(stamp, queued)
        rows = Change.search(
            [("metric_id", "=", self.metric_won.id), ("date", "=", day)]
        )
        self.assertGreaterEqual(len(rows), 3)
        self.assertEqual(set(rows.mapped("company_id")), {self.company.id})
        # the hourly recompute compacts the log: the latest row of the day is
        # kept, the stamp changes once
        Target = type(self.env["sales.performance.target"])
        with patch.object(Target, "_recompute_batch", autospec=True):
            self.env["sales.performance.target"]._cron_recompute()
        kept = Change.search(
            [("metric_id", "=", self.metric_won.id), ("date", "=", day)]
        )
        self.assertEqual(kept, rows.sorted("id")[-1:])
        self.assertNotEqual(Change._stamps([key])[key], stamp)
        # and stays what it is until the next change
        stamp = Change._stamps([key])[key]
        Change._compact()
        self.assertEqual(Change._stamps([key])[key], stamp)

    def test_1_6_0_upgrade_checks_the_whole_history_once(self):
        """Fingerprints stored by 19.0.1.5.0 hashed the documents: the
        migration clears them, the next statement checks every earlier
        period again, the one after only what changed."""
        self._approve(JAN)
        feb = self._approve(FEB)
        self.assertTrue(feb.clawback_fingerprint)
        migration = _migration("19.0.1.6.0", "post-migration.py")
        migration.migrate(self.env.cr, "19.0.1.5.0")
        self.env.invalidate_all()
        self.assertFalse(feb.clawback_fingerprint)
        march, seen = self._generate_watching(MAR)
        self.assertIn(JAN, seen)
        self.assertIn(FEB, seen)
        march.with_user(self.leader).action_confirm()
        march.with_user(self.leader).action_approve()
        _april, seen = self._generate_watching(APR)
        self.assertEqual(set(seen), {APR})
        # idempotent; a fresh install runs nothing
        migration.migrate(self.env.cr, "19.0.1.5.0")
        self.assertIsNone(migration.migrate(self.env.cr, None))

    def test_1_6_0_drops_the_foreign_keys_of_the_queue(self):
        """Until 19.0.1.5.0 the queue's columns were many2one fields with a
        foreign key each: the migration drops them, the rows stay."""
        cr = self.env.cr
        cr.execute(
            "ALTER TABLE sales_performance_recompute_queue ADD CONSTRAINT"
            " sp_test_queue_team_fkey FOREIGN KEY (team_id) REFERENCES crm_team(id)"
        )
        cr.execute(
            "INSERT INTO sales_performance_recompute_queue"
            " (metric_id, date, company_id, team_id) VALUES (%s, %s, %s, %s)"
            " RETURNING id",
            [self.metric_won.id, date(2031, 1, 5), self.company.id, self.team.id],
        )
        (row_id,) = cr.fetchone()
        migration = _migration("19.0.1.6.0", "pre-migration.py")
        self.assertEqual(migration.drop_foreign_keys(cr), ["sp_test_queue_team_fkey"])
        # no foreign key any more: an unknown team id is taken
        cr.execute(
            "INSERT INTO sales_performance_recompute_queue"
            " (metric_id, date, company_id, team_id) VALUES (%s, %s, %s, -1)",
            [self.metric_won.id, date(2031, 1, 5), self.company.id],
        )
        cr.execute(
            "SELECT team_id FROM sales_performance_recompute_queue WHERE id = %s",
            [row_id],
        )
        self.assertEqual(cr.fetchone(), (self.team.id,))
        self.assertEqual(migration.drop_foreign_keys(cr), [])
        self.assertIsNone(migration.migrate(cr, None))

    def test_the_log_is_read_by_managers_of_its_companies_only(self):
        Change = self.env["sales.performance.metric.change"]
        self.lead_sp1_b.expected_revenue = 41000
        self.env["sales.performance.recompute.queue"]._cron_recompute_dirty()
        self.env.cr.execute(
            "INSERT INTO sales_performance_metric_change (metric_id, date, company_id)"
            " VALUES (%s, %s, %s)",
            [self.metric_won.id, date(2031, 1, 20), self.company_b.id],
        )
        manager = self._new_user("sp_log_manager", f"{SALESMAN},{PERF_MANAGER}")
        with self.assertRaises(AccessError):
            Change.with_user(self.sp1).search([])
        rows = Change.with_user(manager).search([])
        self.assertTrue(rows)
        self.assertEqual(set(rows.mapped("company_id")), {self.company.id})
        with self.assertRaises(AccessError):
            rows.with_user(manager).unlink()
