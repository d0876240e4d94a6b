"""Migration scripts, run on rows written around the constraints they make
way for (the constraint is dropped inside the test transaction, which rolls
back with it)."""

import importlib.util
from datetime import date
from pathlib import Path

from odoo import Command
from odoo.tests import tagged

from .common import EvaluationCommon, TargetCommon, TrainingCommon

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _migration(version, name):
    path = MIGRATIONS / version / name
    spec = importlib.util.spec_from_file_location(f"sp_migration_{version}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigrationTraining(TrainingCommon):
    def test_1_1_0_detaches_duplicate_registrations(self):
        first = self._record(session_id=self.session.id)
        other = self._record()
        cr = self.env.cr
        cr.execute("DROP INDEX sales_performance_training_record_unique_session")
        cr.execute(
            "UPDATE sales_performance_training_record SET session_id = %s "
            "WHERE id = %s",
            [self.session.id, other.id],
        )
        migration = _migration("19.0.1.1.0", "pre-migration.py")
        migration.migrate(cr, "19.0.1.0.0")
        self.env.invalidate_all()
        # the later duplicate leaves the session, nothing is deleted
        self.assertEqual(first.session_id, self.session)
        self.assertTrue(other.exists())
        self.assertFalse(other.session_id)
        self.assertEqual(other.course_id, self.course)
        # a second run finds nothing to do
        migration.migrate(cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(first.session_id, self.session)


@tagged("post_install", "-at_install")
class TestMigrationEvaluation(EvaluationCommon):
    def test_1_1_0_swaps_reversed_evaluation_dates(self):
        evaluation = self._evaluation(
            date_from=date(2026, 1, 1), date_to=date(2026, 3, 31)
        )
        cr = self.env.cr
        cr.execute(
            "ALTER TABLE sales_performance_evaluation "
            "DROP CONSTRAINT sales_performance_evaluation_date_order"
        )
        cr.execute(
            "UPDATE sales_performance_evaluation SET date_from = %s, date_to = %s "
            "WHERE id = %s",
            [date(2026, 3, 31), date(2026, 1, 1), evaluation.id],
        )
        migration = _migration("19.0.1.1.0", "pre-migration.py")
        migration.migrate(cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(
            (evaluation.date_from, evaluation.date_to),
            (date(2026, 1, 1), date(2026, 3, 31)),
        )
        # a fresh install (no version) does nothing
        migration.migrate(cr, None)


@tagged("post_install", "-at_install")
class TestMigrationCrediting(TargetCommon):
    def test_1_2_0_fills_team_history_once(self):
        Membership = self.env["sales.performance.team.membership"]
        members = self.team_1.member_ids
        Membership.search([("team_id", "=", self.team_1.id)]).unlink()
        self.assertTrue(self.team_1.user_id)
        migration = _migration("19.0.1.2.0", "post-migration.py")
        migration.migrate(self.env.cr, "19.0.1.1.0")
        history = Membership.search(
            [("team_id", "=", self.team_1.id), ("role", "=", "member")]
        )
        # one open membership since always per current member
        self.assertEqual(history.user_id, members)
        self.assertEqual(set(history.mapped("date_from")), {False})
        self.assertEqual(set(history.mapped("date_to")), {False})
        migration.migrate(self.env.cr, "19.0.1.1.0")
        self.assertEqual(
            Membership.search_count(
                [("team_id", "=", self.team_1.id), ("role", "=", "member")]
            ),
            len(members),
        )
        # and its leader led it since always
        leader = Membership.search(
            [("team_id", "=", self.team_1.id), ("role", "=", "leader")]
        )
        self.assertEqual(leader.user_id, self.team_1.user_id)
        self.assertFalse(leader.date_from)


@tagged("post_install", "-at_install")
class TestMigrationGovernance(TargetCommon):
    def test_1_3_0_gives_invoiced_customers_their_segment(self):
        # a company of its own: its customers are ranked among themselves
        company = self._new_company("SP Migration Company")
        self.env["account.chart.template"].try_loading(
            "generic_coa", company=company, install_demo=False
        )
        today = date.today()
        big, small = (
            self.env["res.partner"].create({"name": name})
            for name in ("SP Migration Big", "SP Migration Small")
        )
        # 900 and 100 invoiced this month: big reaches 90 % of the revenue
        # first (A, the customer crossing 80 %), small starts at 90 % (B)
        for partner, amount in ((big, 900.0), (small, 100.0)):
            move = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_date": today,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Service",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            move.action_post()
        (big | small).sudo().write({"sales_performance_segment": False})
        migration = _migration("19.0.1.3.0", "post-migration.py")
        migration.migrate(self.env.cr, "19.0.1.2.0")
        self.env.invalidate_all()
        self.assertEqual(big.sales_performance_segment, "a")
        self.assertEqual(small.sales_performance_segment, "b")
        # a second run gives the same
        migration.migrate(self.env.cr, "19.0.1.2.0")
        self.env.invalidate_all()
        self.assertEqual((big | small).mapped("sales_performance_segment"), ["a", "b"])


@tagged("post_install", "-at_install")
class TestMigrationDimensions(TargetCommon):
    def test_1_5_0_fills_the_dimension_paths_of_builtin_metrics(self):
        """An upgraded database has the built-in metrics without dimension
        paths (noupdate data): the migration fills the empty ones from the
        data file and keeps a path set by hand."""
        won = self.env.ref("sales_performance.metric_won_revenue")
        invoiced = self.env.ref("sales_performance.metric_invoiced_revenue")
        self.env.cr.execute(
            "UPDATE sales_performance_metric SET country_path = NULL, "
            "source_path = NULL, medium_path = NULL, partner_segment_path = NULL, "
            "partner_category_path = NULL WHERE id IN %s",
            [(won.id, invoiced.id)],
        )
        self.env.cr.execute(
            "UPDATE sales_performance_metric SET country_path = %s WHERE id = %s",
            ["partner_shipping_id.country_id", invoiced.id],
        )
        self.env.invalidate_all()
        migration = _migration("19.0.1.5.0", "post-migration.py")
        migration.migrate(self.env.cr, "19.0.1.4.0")
        self.env.invalidate_all()
        self.assertEqual(won.country_path, "country_id")
        self.assertEqual(won.source_path, "source_id")
        self.assertEqual(won.medium_path, "medium_id")
        self.assertEqual(
            won.partner_segment_path,
            "partner_id.commercial_partner_id.sales_performance_segment",
        )
        self.assertEqual(invoiced.country_path, "partner_shipping_id.country_id")
        self.assertEqual(
            invoiced.partner_category_path, "commercial_partner_id.category_id"
        )
        # a second run changes nothing
        migration.migrate(self.env.cr, "19.0.1.4.0")
        self.env.invalidate_all()
        self.assertEqual(invoiced.country_path, "partner_shipping_id.country_id")
        # a fresh install runs nothing
        self.assertIsNone(migration.migrate(self.env.cr, None))
