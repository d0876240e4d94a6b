"""Freshness: document changes mark the (metric, day, salesperson, team,
company) groups they may move, the scheduled action recomputes the targets
of those groups only, and its figures are the full recompute's."""

import json
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.sales_performance.engine import daily
from odoo.addons.sales_performance.models.sales_performance_recompute_queue import (
    AFTER_KEY,
    FRESHNESS_OFF,
    MARKS_KEY,
    SEEN_KEY,
    TRIGGERED_KEY,
)

from .common import APRIL, FEBRUARY, TargetCommon


@tagged("post_install", "-at_install")
class TestFreshness(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Queue = cls.env["sales.performance.recompute.queue"]
        cls.metric_confirmed_sales_lines = cls.env.ref(
            "sales_performance.metric_confirmed_sales_lines"
        )
        cls.metric_invoiced_revenue_lines = cls.env.ref(
            "sales_performance.metric_invoiced_revenue_lines"
        )
        sales = cls.metric_confirmed_sales
        cls.t_alice = cls._target(sales, user_id=cls.user_alice.id)
        cls.t_bob = cls._target(sales, user_id=cls.user_bob.id)
        cls.t_dave = cls._target(sales, user_id=cls.user_dave.id)
        cls.t_team_1 = cls._target(sales, team_id=cls.team_1.id)
        cls.t_team_2 = cls._target(sales, team_id=cls.team_2.id)
        cls.t_company = cls._target(sales)
        cls.t_alice_feb = cls._target(
            sales, FEBRUARY[0], FEBRUARY[1], user_id=cls.user_alice.id
        )
        cls.t_won_bob = cls._target(cls.metric_won_revenue, user_id=cls.user_bob.id)
        cls.t_invoiced_alice = cls._target(
            cls.metric_invoiced_revenue, user_id=cls.user_alice.id
        )
        cls.t_activities_alice = cls._target(
            cls.metric_activities_done, user_id=cls.user_alice.id
        )
        cls.sales_targets = (
            cls.t_alice
            | cls.t_bob
            | cls.t_dave
            | cls.t_team_1
            | cls.t_team_2
            | cls.t_company
            | cls.t_alice_feb
        )
        cls.all_targets = (
            cls.sales_targets
            | cls.t_won_bob
            | cls.t_invoiced_alice
            | cls.t_activities_alice
        )
        cls.all_targets.action_activate()
        cls.open_stage = cls.env["crm.stage"].create(
            {"name": "SP Reopened", "is_won": False, "sequence": 1}
        )
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company_a, install_demo=False
        )

    def setUp(self):
        super().setUp()
        self._clear()

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _clear(self):
        self.env.flush_all()
        self.env.cr.precommit.data.pop(MARKS_KEY, None)
        self.env.cr.precommit.data.pop(AFTER_KEY, None)
        self.env.cr.precommit.data.pop(SEEN_KEY, None)
        self.env.cr.execute("DELETE FROM sales_performance_recompute_queue")
        self.env.cr.precommit.data.pop(TRIGGERED_KEY, None)

    def _marks(self):
        """The marks of company A: {(metric, day, user, team)}, those of the
        transaction inserted first (as its commit does), with the users of
        the documents' credit splits (as the scheduled action takes them)."""
        self.env.flush_all()
        self.Queue._flush_marks()
        marks = self.env.execute_query(
            self.Queue._with_split_users(SQL("sales_performance_recompute_queue"))
        )
        return {
            (metric_id, day, user_id, team_id)
            for metric_id, day, company_id, user_id, team_id in marks
            if company_id == self.company_a.id
        }

    def _draft_order(self, user, team, amount, partner=None):
        return (
            self.env["sale.order"]
            .with_company(self.company_a)
            .create(
                {
                    "partner_id": (partner or self.customer_1).id,
                    "user_id": user.id,
                    "team_id": team.id if team else False,
                    "company_id": self.company_a.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 1.0,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )

    def _stored(self, targets):
        self.env.invalidate_all()
        return {t.id: (t.achieved_value, t.attainment, t.status) for t in targets}

    def _spoil(self, targets, value=999.0):
        """Store a wrong achievement on ``targets``: a target the scheduled
        action leaves alone keeps it."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sales_performance_target SET achieved_value = %s"
            " WHERE id = ANY(%s)",
            [value, targets.ids],
        )
        self.env.invalidate_all()

    def _assert_equals_full_recompute(self):
        """The figures after the scheduled action are those of a full
        recompute (the hourly safety net)."""
        after_queue = self._stored(self.all_targets)
        self.Target._cron_recompute()
        self.assertEqual(after_queue, self._stored(self.all_targets))

    # ------------------------------------------------------------------
    # Orders
    # ------------------------------------------------------------------
    def test_order_confirmed_and_cancelled(self):
        sales = self.metric_confirmed_sales.id
        first = self.metric_new_customers.id
        lines = self.metric_confirmed_sales_lines.id
        with freeze_time("2026-03-10 12:00:00"):
            order = self._draft_order(self.user_alice, self.team_1, 300.0)
            # a quotation counts for no metric: nothing to mark
            self.assertEqual(self._marks(), set())
            order.action_confirm()
            self.env.flush_all()
        day = date(2026, 3, 10)
        self.assertEqual(
            self._marks(),
            {
                (sales, day, self.user_alice.id, self.team_1.id),
                (first, day, self.user_alice.id, self.team_1.id),
                (lines, day, self.user_alice.id, self.team_1.id),
            },
        )
        # only alice's, team 1's and the company's March targets are recomputed
        untouched = self.t_bob | self.t_dave | self.t_team_2 | self.t_alice_feb
        self._spoil(untouched)
        self.Queue._cron_recompute_dirty()
        self.assertEqual(self._marks(), set())
        self.env.invalidate_all()
        self.assertEqual(self.t_alice.achieved_value, 300.0)
        self.assertEqual(self.t_team_1.achieved_value, 300.0)
        self.assertEqual(self.t_company.achieved_value, 300.0)
        self.assertEqual(untouched.mapped("achieved_value"), [999.0] * 4)
        self.Target._cron_recompute()
        self.assertEqual(untouched.mapped("achieved_value"), [0.0] * 4)

        self._clear()
        with freeze_time("2026-03-12 12:00:00"):
            order._action_cancel()
        self.assertEqual(
            self._marks(),
            {
                (sales, day, self.user_alice.id, self.team_1.id),
                (first, day, self.user_alice.id, self.team_1.id),
                (lines, day, self.user_alice.id, self.team_1.id),
            },
        )
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(self.t_alice.achieved_value, 0.0)
        self.assertEqual(self.t_company.achieved_value, 0.0)
        self._assert_equals_full_recompute()

    def test_marks_of_a_rolled_back_savepoint_are_dropped(self):
        """The marks wait for the commit: a record a savepoint rolled back
        since (an order of a new team) leaves no mark, and nothing makes the
        commit fail (the queue has no foreign keys)."""
        sales = self.metric_confirmed_sales.id
        with freeze_time("2026-03-10 12:00:00"):
            kept = self._draft_order(self.user_alice, self.team_1, 100.0)
            kept.action_confirm()
            with self.assertRaises(RuntimeError), self.env.cr.savepoint():
                team = self.env["crm.team"].create(
                    {"name": "Short-lived", "company_id": self.company_a.id}
                )
                order = self._draft_order(self.user_alice, team, 200.0)
                order.action_confirm()
                self.env.flush_all()
                raise RuntimeError("roll back")
            self.env.invalidate_all()
        marks = self._marks()
        day = date(2026, 3, 10)
        self.assertIn((sales, day, self.user_alice.id, self.team_1.id), marks)
        self.assertEqual({mark[3] for mark in marks}, {self.team_1.id})

    def test_salesperson_change_marks_old_and_new(self):
        with freeze_time("2026-03-10 12:00:00"):
            order = self._draft_order(self.user_alice, self.team_1, 200.0)
            order.action_confirm()
        self.Queue._cron_recompute_dirty()
        self._clear()
        order.write({"user_id": self.user_dave.id, "team_id": self.team_2.id})
        day = date(2026, 3, 10)
        sales = self.metric_confirmed_sales.id
        self.assertIn((sales, day, self.user_alice.id, self.team_1.id), self._marks())
        self.assertIn((sales, day, self.user_dave.id, self.team_2.id), self._marks())
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(self.t_alice.achieved_value, 0.0)
        self.assertEqual(self.t_dave.achieved_value, 200.0)
        self.assertEqual(self.t_team_1.achieved_value, 0.0)
        self.assertEqual(self.t_team_2.achieved_value, 200.0)
        self.assertEqual(self.t_company.achieved_value, 200.0)
        self._assert_equals_full_recompute()

    def test_order_without_team_credits_the_team_of_the_day(self):
        """No team on the order: the mark has none, and the scheduled action
        finds the salesperson's team on that day (team history)."""
        with freeze_time("2026-03-11 12:00:00"):
            order = self._draft_order(self.user_dave, False, 250.0)
            order.action_confirm()
        day = date(2026, 3, 11)
        self.assertIn(
            (self.metric_confirmed_sales.id, day, self.user_dave.id, None),
            self._marks(),
        )
        self._spoil(self.t_team_1)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(self.t_dave.achieved_value, 250.0)
        self.assertEqual(self.t_team_2.achieved_value, 250.0)
        self.assertEqual(self.t_company.achieved_value, 250.0)
        # team 1 is neither the order's nor dave's: left alone
        self.assertEqual(self.t_team_1.achieved_value, 999.0)
        self.Target._cron_recompute()
        self.assertEqual(self.t_team_1.achieved_value, 0.0)

    def test_irrelevant_write_marks_nothing(self):
        with freeze_time("2026-03-10 12:00:00"):
            order = self._draft_order(self.user_alice, self.team_1, 200.0)
            order.action_confirm()
            lead = self._lead(self.user_bob, self.team_1, 100.0)
            lead.action_set_won()
        self._clear()
        order.write({"note": "<p>Call the customer back</p>"})
        order.write({"client_order_ref": "PO-42"})
        lead.write({"description": "<p>Notes</p>"})
        # a watched field on a record no metric counts: nothing either
        open_lead = self._lead(self.user_bob, self.team_1, 100.0)
        self._clear()
        open_lead.write({"expected_revenue": 500.0})
        self.assertEqual(self._marks(), set())

    def test_hooks_switched_off(self):
        with freeze_time("2026-03-10 12:00:00"):
            order = self._draft_order(self.user_alice, self.team_1, 200.0)
            self._clear()
            order.with_context(**{FRESHNESS_OFF: True}).action_confirm()
        self.assertEqual(self._marks(), set())

    def test_a_record_created_and_changed_is_marked_as_committed(self):
        """Created, then confirmed in the same transaction: its group is
        taken at commit, as it is then (the draft in between never counted);
        the groups before a record's first write are kept, and later writes
        of the transaction add none of their intermediate states."""
        sales = self.metric_confirmed_sales.id
        day = date(2026, 3, 10)
        with freeze_time("2026-03-10 12:00:00"):
            order = self._draft_order(self.user_alice, self.team_1, 200.0)
            order.with_context(**{FRESHNESS_OFF: True}).action_confirm()
            self.assertIn(
                (sales, day, self.user_alice.id, self.team_1.id), self._marks()
            )
            self._clear()
            # bob, then carol, then bob again: alice (before) and bob (after)
            # only, carol was never committed
            order.user_id = self.user_bob
            order.user_id = self.user_carol
            order.user_id = self.user_bob
            users = {user for metric, _d, user, _t in self._marks() if metric == sales}
        self.assertEqual(users, {self.user_alice.id, self.user_bob.id})

    # ------------------------------------------------------------------
    # Opportunities, invoices, activities, collections, splits
    # ------------------------------------------------------------------
    def test_opportunity_won_revenue_changed_lost(self):
        won = self.metric_won_revenue.id
        count = self.metric_won_count.id
        day = date(2026, 3, 12)
        expected = {
            (won, day, self.user_bob.id, self.team_1.id),
            (count, day, self.user_bob.id, self.team_1.id),
        }
        with freeze_time("2026-03-12 12:00:00"):
            lead = self._lead(self.user_bob, self.team_1, 500.0)
            self.assertEqual(self._marks(), set())
            lead.action_set_won()
            self.env.flush_all()
        self.assertEqual(self._marks(), expected)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(self.t_won_bob.achieved_value, 500.0)

        # the revenue is summed by the won revenue metric only: the count of
        # won deals watches no revenue
        self._clear()
        lead.write({"expected_revenue": 700.0})
        self.assertEqual(self._marks(), {(won, day, self.user_bob.id, self.team_1.id)})
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(self.t_won_bob.achieved_value, 700.0)

        # a won deal cannot be lost (crm): it is reopened, then lost
        self._clear()
        lead.stage_id = self.open_stage
        self.assertEqual(self._marks(), expected)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(self.t_won_bob.achieved_value, 0.0)
        self._clear()
        lead.action_set_lost()
        # not counted before, not counted after: nothing to mark
        self.assertEqual(self._marks(), set())
        self._assert_equals_full_recompute()

    def test_invoice_posted_and_reset(self):
        invoiced = self.metric_invoiced_revenue.id
        invoice = (
            self.env["account.move"]
            .with_company(self.company_a)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer_2.id,
                    "invoice_user_id": self.user_alice.id,
                    "team_id": self.team_1.id,
                    "company_id": self.company_a.id,
                    "invoice_date": date(2026, 3, 15),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "SP work",
                                "quantity": 1.0,
                                "price_unit": 400.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        self.assertEqual(self._marks(), set())
        invoice.action_post()
        lines = self.metric_invoiced_revenue_lines.id
        day = date(2026, 3, 15)
        expected = {
            (invoiced, day, self.user_alice.id, self.team_1.id),
            (lines, day, self.user_alice.id, self.team_1.id),
        }
        self.assertEqual(self._marks(), expected)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(self.t_invoiced_alice.achieved_value, 400.0)

        self._clear()
        invoice.button_draft()
        self.assertEqual(self._marks(), expected)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(self.t_invoiced_alice.achieved_value, 0.0)
        self._assert_equals_full_recompute()

    def test_activity_done(self):
        activities = self.metric_activities_done.id
        with freeze_time("2026-03-20 09:00:00"):
            activity = self.customer_3.activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.user_alice.id
            )
            self.env.flush_all()
            self.assertEqual(self._marks(), set())
            activity.action_feedback(feedback="done")
            self.env.flush_all()
        # no team field on activities: the team is the salesperson's (cron)
        self.assertEqual(
            self._marks(), {(activities, date(2026, 3, 20), self.user_alice.id, None)}
        )
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(self.t_activities_alice.achieved_value, 1.0)
        self._assert_equals_full_recompute()

    def test_collection_marks_its_group(self):
        """A reconciliation records a collection (account_partial_reconcile):
        its creation and its undoing mark the collection metric's group."""
        metric = self.env.ref("sales_performance.metric_collected_revenue")
        invoice = (
            self.env["account.move"]
            .with_company(self.company_a)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer_2.id,
                    "invoice_user_id": self.user_alice.id,
                    "team_id": self.team_1.id,
                    "company_id": self.company_a.id,
                    "invoice_date": date(2026, 3, 1),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "SP",
                                "price_unit": 100.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        self._clear()
        self.env["sales.performance.collection"].sudo().create(
            {
                "invoice_id": invoice.id,
                "date": date(2026, 3, 21),
                "kind": "collected",
                "amount": 100.0,
                "amount_untaxed": 100.0,
            }
        )
        self.assertEqual(
            self._marks(),
            {(metric.id, date(2026, 3, 21), self.user_alice.id, self.team_1.id)},
        )

    def test_credit_split_edited(self):
        sales = self.metric_confirmed_sales.id
        day = date(2026, 3, 10)
        with freeze_time("2026-03-10 12:00:00"):
            order = self._draft_order(self.user_alice, self.team_1, 1000.0)
            order.action_confirm()
        self.Queue._cron_recompute_dirty()
        self._clear()
        Split = self.env["sales.performance.credit.split"]
        lines = Split.create(
            [
                {
                    "res_model": "sale.order",
                    "res_id": order.id,
                    "user_id": user.id,
                    "percent": percent,
                    "company_id": self.company_a.id,
                }
                for user, percent in ((self.user_alice, 60.0), (self.user_bob, 40.0))
            ]
        )
        marks = {m for m in self._marks() if m[0] == sales}
        self.assertEqual(
            marks,
            {
                (sales, day, self.user_alice.id, self.team_1.id),
                (sales, day, self.user_bob.id, self.team_1.id),
            },
        )
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(self.t_alice.achieved_value, 600.0)
        self.assertEqual(self.t_bob.achieved_value, 400.0)
        # bob's share goes to dave: bob (the old user) is marked too
        self._clear()
        lines.filtered(
            lambda line: line.user_id == self.user_bob
        ).user_id = self.user_dave
        marks = {m for m in self._marks() if m[0] == sales}
        self.assertIn((sales, day, self.user_bob.id, self.team_1.id), marks)
        self.assertIn((sales, day, self.user_dave.id, self.team_1.id), marks)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(self.t_bob.achieved_value, 0.0)
        self.assertEqual(self.t_dave.achieved_value, 400.0)
        # dave is in team 2 (team history): team 2's target gets his share
        self.assertEqual(self.t_team_2.achieved_value, 400.0)
        self._assert_equals_full_recompute()

    # ------------------------------------------------------------------
    # Kept days: the scheduled action reads the changed days only
    # ------------------------------------------------------------------
    def _daily(self, target):
        """The days ``target`` keeps (``engine.daily.Daily``), or None."""
        self.env.flush_all()
        kept = self.env["sales.performance.target.daily"]._kept(target.ids)
        return daily.Daily.from_json(kept.get(target.id))

    def _set_kept_day(self, target, day, value):
        """Make ``target`` keep ``value`` for ``day`` (what the documents do
        not say): a day the scheduled action does not read again keeps it."""
        kept = self._daily(target)
        values = list(kept.values)
        values[(day - target.date_from).days] = value
        self.env.cr.execute(
            "UPDATE sales_performance_target_daily SET figures = %s"
            " WHERE target_id = %s",
            [json.dumps(kept._replace(values=tuple(values)).to_json()), target.id],
        )

    def _confirm(self, when, user, amount, partner=None):
        with freeze_time(when):
            order = self._draft_order(user, self.team_1, amount, partner)
            order.action_confirm()
            self.env.flush_all()
        return order

    def test_queue_reads_only_the_changed_days(self):
        self._confirm("2026-03-10 12:00:00", self.user_alice, 300.0)
        self.Queue._cron_recompute_dirty()
        # the first run reads every day of March and keeps them
        kept = self._daily(self.t_alice)
        self.assertEqual(len(kept.values), 31)
        self.assertEqual(kept.values[9], 300.0)  # March 10
        self.assertEqual(sum(kept.values), 300.0)
        self.assertEqual(sum(self._daily(self.t_team_1).values), 300.0)
        # March 3 now says 50 (no document does): it is not read again
        self._set_kept_day(self.t_alice, date(2026, 3, 3), 50.0)
        self._clear()
        self._confirm("2026-03-20 12:00:00", self.user_alice, 200.0)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        # March 19 to 21 read again (the marked day and a day either side),
        # the other days as kept: 300 + 200 + 50
        self.assertEqual(self.t_alice.achieved_value, 550.0)
        kept = self._daily(self.t_alice)
        self.assertEqual((kept.values[2], kept.values[19]), (50.0, 200.0))
        # the team's and the company's days were right: 500
        self.assertEqual(self.t_team_1.achieved_value, 500.0)
        self.assertEqual(self.t_company.achieved_value, 500.0)
        # the hourly recompute reads every record: 500, and a target whose
        # achievement it changes loses its kept days; the others keep theirs
        self.Target._cron_recompute()
        self.env.invalidate_all()
        self.assertEqual(self.t_alice.achieved_value, 500.0)
        self.assertIsNone(self._daily(self.t_alice))
        self.assertEqual(sum(self._daily(self.t_team_1).values), 500.0)
        # the next change reads every day of alice's target again
        self._clear()
        self._confirm("2026-03-25 12:00:00", self.user_alice, 100.0)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(self.t_alice.achieved_value, 600.0)
        kept = self._daily(self.t_alice)
        self.assertEqual(kept.values[2], 0.0)
        self.assertEqual(sum(kept.values), 600.0)
        self._assert_equals_full_recompute()

    def test_a_period_longer_than_a_year_is_read_whole(self):
        # 2026-01-01 .. 2027-06-30: 546 days, more than engine.daily keeps
        # (on the order lines metric: bob has a March target on the orders)
        long = self._target(
            self.metric_confirmed_sales_lines,
            date(2026, 1, 1),
            date(2027, 6, 30),
            user_id=self.user_bob.id,
        )
        long.action_activate()
        self._confirm("2026-03-10 12:00:00", self.user_bob, 300.0)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(long.achieved_value, 300.0)
        self.assertEqual(self.t_bob.achieved_value, 300.0)
        # bob's March target keeps its days, the long one none
        self.assertIsNone(self._daily(long))
        self.assertEqual(sum(self._daily(self.t_bob).values), 300.0)
        self._clear()
        self._confirm("2026-11-20 12:00:00", self.user_bob, 50.0)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(long.achieved_value, 350.0)
        after_queue = long.achieved_value
        long._recompute_batch()
        self.env.invalidate_all()
        self.assertEqual(long.achieved_value, after_queue)

    def test_kept_days_follow_the_metric_definition(self):
        self._confirm("2026-03-10 12:00:00", self.user_alice, 300.0)
        self.Queue._cron_recompute_dirty()
        self._set_kept_day(self.t_alice, date(2026, 3, 3), 50.0)
        # the metric is edited: the days kept for its former definition are
        # not used, every day is read again
        self.metric_confirmed_sales.write({"sequence": 77})
        self._clear()
        self._confirm("2026-03-20 12:00:00", self.user_alice, 200.0)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(self.t_alice.achieved_value, 500.0)
        self.assertEqual(self._daily(self.t_alice).values[2], 0.0)

    def test_kept_days_of_a_team_follow_its_history(self):
        self._confirm("2026-03-10 12:00:00", self.user_dave, 300.0)
        self._confirm("2026-03-10 12:00:00", self.user_alice, 10.0)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        # dave is in team 2 (team history): the order counts for team 2
        self.assertEqual(self.t_team_2.achieved_value, 300.0)
        self._set_kept_day(self.t_team_2, date(2026, 3, 3), 50.0)
        self._set_kept_day(self.t_alice, date(2026, 3, 3), 50.0)
        # the team history changes: the team's days are read again, a
        # salesperson's days do not depend on it
        erin = self.env["res.users"].create(
            {
                "name": "SP Erin",
                "login": "sp_erin",
                "company_id": self.company_a.id,
                "company_ids": [Command.set(self.company_a.ids)],
            }
        )
        self.env["sales.performance.team.membership"].create(
            {
                "user_id": erin.id,
                "team_id": self.team_2.id,
                "company_id": self.company_a.id,
                "date_from": date(2026, 3, 28),
            }
        )
        self._clear()
        self._confirm("2026-03-20 12:00:00", self.user_dave, 200.0)
        self._confirm("2026-03-20 12:00:00", self.user_alice, 10.0)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        # team 2: 300 + 200, every day read again; alice: 10 + 10 + the 50
        # kept for March 3
        self.assertEqual(self.t_team_2.achieved_value, 500.0)
        self.assertEqual(self.t_alice.achieved_value, 70.0)

    def test_kept_days_of_new_customers_move_with_the_first_order(self):
        metric = self.metric_new_customers
        t_alice = self._target(metric, user_id=self.user_alice.id)
        t_bob = self._target(metric, user_id=self.user_bob.id)
        t_april = self._target(metric, *APRIL, user_id=self.user_bob.id)
        targets = t_alice | t_bob | t_april
        targets.action_activate()
        customer = self.env["res.partner"].create(
            {"name": "SP Fresh Customer", "is_company": True}
        )
        first = self._confirm("2026-03-05 12:00:00", self.user_alice, 100.0, customer)
        self._confirm("2026-03-20 12:00:00", self.user_bob, 100.0, customer)
        self._confirm("2026-04-02 12:00:00", self.user_bob, 100.0, customer)
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        # the customer's first order is alice's (March 5)
        self.assertEqual(targets.mapped("achieved_value"), [1.0, 0.0, 0.0])
        self.assertEqual(self._daily(t_alice).values[4], 1.0)
        self.assertEqual(sum(self._daily(t_bob).values), 0.0)
        # cancelled: bob's order of March 20 is the first now; every day from
        # March 4 on is read again (bob's days too), April's too
        self._clear()
        with freeze_time("2026-03-22 12:00:00"):
            first._action_cancel()
        self.Queue._cron_recompute_dirty()
        self.env.invalidate_all()
        self.assertEqual(targets.mapped("achieved_value"), [0.0, 1.0, 0.0])
        self.assertEqual(self._daily(t_bob).values[19], 1.0)
        after_queue = targets.mapped("achieved_value")
        targets._recompute_batch()
        self.env.invalidate_all()
        self.assertEqual(targets.mapped("achieved_value"), after_queue)

    # ------------------------------------------------------------------
    # Trigger, access
    # ------------------------------------------------------------------
    def test_trigger_once_per_transaction(self):
        """Two orders confirmed in one transaction: at its commit, one INSERT
        of their marks and one trigger of the scheduled action (a trigger
        row, as ir.cron._trigger() makes, and the cron workers woken up
        after the commit)."""
        cron = self.env.ref("sales_performance.ir_cron_recompute_dirty_targets")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        with freeze_time(datetime(2026, 3, 10, 12)):
            orders = self._draft_order(
                self.user_alice, self.team_1, 10.0
            ) | self._draft_order(self.user_bob, self.team_1, 20.0)
            orders[0].action_confirm()
            orders[1].action_confirm()
            self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before)
            self.env.flush_all()
            self.env.cr.precommit.run()
            triggers = Trigger.search([("cron_id", "=", cron.id)])
            self.assertEqual(len(triggers), before + 1)
            self.assertEqual(
                triggers.sorted("id")[-1].call_at, datetime(2026, 3, 10, 12)
            )
        # the cron workers are woken up after the commit
        self.assertIn(
            "_notifydb",
            [getattr(f, "__name__", "") for f in self.env.cr.postcommit._funcs],
        )
        metrics = (
            self.metric_confirmed_sales
            | self.metric_new_customers
            | self.metric_confirmed_sales_lines
        )
        self.assertEqual(
            self._marks(),
            {
                (metric.id, date(2026, 3, 10), user.id, self.team_1.id)
                for metric in metrics
                for user in (self.user_alice, self.user_bob)
            },
        )

    def test_an_inactive_scheduled_action_is_not_triggered(self):
        cron = self.env.ref("sales_performance.ir_cron_recompute_dirty_targets")
        cron.active = False
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search_count([("cron_id", "=", cron.id)])
        with freeze_time(datetime(2026, 3, 10, 12)):
            self._draft_order(self.user_alice, self.team_1, 10.0).action_confirm()
            self.assertTrue(self._marks())
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), before)

    def test_queue_access(self):
        with freeze_time("2026-03-10 12:00:00"):
            self._draft_order(self.user_alice, self.team_1, 10.0).action_confirm()
        self.env.flush_all()
        self.Queue._flush_marks()
        with self.assertRaises(AccessError):
            self.Queue.with_user(self.user_alice).search([])
        marks = self.Queue.with_user(self.user_manager).search([])
        self.assertTrue(marks)
        self.assertEqual(set(marks.mapped("company_id")), {self.company_a.id})
        with self.assertRaises(AccessError):
            marks.with_user(self.user_manager).unlink()

    def test_kept_days_access(self):
        self._confirm("2026-03-10 12:00:00", self.user_alice, 300.0)
        self.Queue._cron_recompute_dirty()
        Days = self.env["sales.performance.target.daily"]
        with self.assertRaises(AccessError):
            Days.with_user(self.user_alice).search([])
        kept = Days.with_user(self.user_manager).search([])
        self.assertIn(self.t_alice, kept.target_id)
        self.assertEqual(set(kept.company_id.ids), {self.company_a.id})
        with self.assertRaises(AccessError):
            kept.with_user(self.user_manager).write({"figures": {}})
        # another company's days are not the manager's
        other = Days.sudo().create(
            {"target_id": self.t_bob.id, "company_id": self.company_b.id}
        )
        self.assertNotIn(other, Days.with_user(self.user_manager).search([]))
        self.assertIn(other, Days.sudo().search([]))
