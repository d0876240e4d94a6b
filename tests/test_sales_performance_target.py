"""Targets: pacing, forecast, status, achievability, roll-up, rank, lifecycle,
recompute (idempotence, cron, query count) and bad input."""

from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import APRIL, FEBRUARY, MARCH, TargetCommon

TODAY = "2026-03-10 12:00:00"  # Tuesday: 7 of March's 22 working days are over


@tagged("post_install", "-at_install")
class TestTargetKpis(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        alice, bob, dave = cls.user_alice, cls.user_bob, cls.user_dave
        cls._won_lead(alice, cls.team_1, 350.0, "2026-03-05 10:00:00")
        # open pipeline of alice: only what is expected to close between today
        # and the end of the period counts, weighted by probability
        cls._lead(
            alice, cls.team_1, 1000.0, probability=40.0, date_deadline="2026-03-20"
        )
        cls._lead(
            alice, cls.team_1, 2000.0, probability=50.0, date_deadline="2026-04-05"
        )
        cls._lead(
            alice, cls.team_1, 500.0, probability=50.0, date_deadline="2026-03-09"
        )
        cls._lead(bob, cls.team_1, 300.0, probability=10.0, date_deadline="2026-03-25")
        cls._order(alice, cls.team_1, cls.customer_1, 1000.0, "2026-03-03 10:00:00")
        cls._order(alice, cls.team_1, cls.customer_1, 400.0, "2026-03-09 10:00:00")
        cls._order(bob, cls.team_1, cls.customer_2, 245.0, "2026-03-04 10:00:00")
        cls._order(dave, cls.team_2, cls.customer_3, 500.0, "2026-03-06 10:00:00")
        cls._order(alice, cls.team_1, cls.customer_1, 1000.0, "2026-02-10 10:00:00")

    @freeze_time(TODAY)
    def test_pipeline_forecast_won_revenue(self):
        target = self._target(
            self.metric_won_revenue, user_id=self.user_alice.id, target_value=2200.0
        )
        target.action_recompute()
        self.assertEqual(target.achieved_value, 350.0)
        # 2200 x 7 / 22 working days
        self.assertAlmostEqual(target.expected_value, 700.0, places=2)
        # achieved + 1000 x 40 % (the lead due 20 March; not the one due in
        # April, nor the overdue one)
        self.assertAlmostEqual(target.forecast_value, 350.0 + 400.0, places=2)
        self.assertAlmostEqual(target.attainment, 350.0 / 2200.0 * 100.0, places=4)
        # 750 < 80 % of 2200 = 1760
        self.assertEqual(target.status, "off_track")

        team_target = self._target(
            self.metric_won_revenue, team_id=self.team_1.id, target_value=900.0
        )
        team_target.action_recompute()
        # alice's 400 + bob's 300 x 10 %
        self.assertAlmostEqual(
            team_target.forecast_value, 350.0 + 400.0 + 30.0, places=2
        )
        # 780 >= 80 % of 900 = 720
        self.assertEqual(team_target.status, "at_risk")

        company_target = self._target(self.metric_won_revenue, target_value=1000.0)
        company_target.action_recompute()
        self.assertAlmostEqual(company_target.forecast_value, 780.0, places=2)
        self.assertEqual(company_target.status, "off_track")  # 780 < 800

    @freeze_time(TODAY)
    def test_pipeline_forecast_won_count(self):
        target = self._target(
            self.metric_won_count, user_id=self.user_alice.id, target_value=2.0
        )
        target.action_recompute()
        self.assertEqual(target.achieved_value, 1.0)
        self.assertAlmostEqual(target.forecast_value, 1.4, places=2)  # 1 + 40 %
        self.assertAlmostEqual(target.expected_value, 2.0 * 7 / 22, places=2)
        self.assertEqual(target.status, "off_track")  # 1.4 < 1.6

    @freeze_time(TODAY)
    def test_run_rate_forecast_and_status(self):
        alice = self._target(
            self.metric_confirmed_sales, user_id=self.user_alice.id, target_value=4000.0
        )
        bob = self._target(
            self.metric_confirmed_sales, user_id=self.user_bob.id, target_value=900.0
        )
        dave = self._target(
            self.metric_confirmed_sales, user_id=self.user_dave.id, target_value=500.0
        )
        (alice | bob | dave).action_recompute()
        # alice: 1400 in 7 working days -> 200 a day x 22 = 4400 >= 4000
        self.assertEqual(alice.achieved_value, 1400.0)
        self.assertAlmostEqual(alice.forecast_value, 4400.0, places=2)
        self.assertAlmostEqual(alice.expected_value, 4000.0 * 7 / 22, places=2)
        self.assertAlmostEqual(alice.attainment, 35.0, places=4)
        self.assertEqual(alice.status, "on_track")
        # bob: 245 / 7 x 22 = 770, between 720 (80 %) and 900
        self.assertAlmostEqual(bob.forecast_value, 770.0, places=2)
        self.assertEqual(bob.status, "at_risk")
        # dave reached 500 already
        self.assertEqual(dave.status, "achieved")
        self.assertEqual(dave.attainment, 100.0)
        # with an at-risk threshold of 90 %, bob's 770 < 810 is off track
        self.company_a.sales_performance_at_risk_ratio = 90.0
        bob.action_recompute()
        self.assertEqual(bob.status, "off_track")

    @freeze_time(TODAY)
    def test_public_holidays_are_not_working_days(self):
        """Global time off of the company's working schedule (public holidays)
        leaves pacing: Monday 2 and Tuesday 3 March (before today) and Friday
        20 March are off, so 5 of March's 19 working days are over."""
        Leave = self.env["resource.calendar.leaves"]
        calendar = self.company_a.resource_calendar_id
        Leave.create(
            [
                {
                    "name": "Holiday",
                    "calendar_id": calendar.id,
                    "date_from": "2026-03-02 00:00:00",
                    "date_to": "2026-03-03 23:59:59",
                },
                {
                    "name": "Holiday",
                    "calendar_id": calendar.id,
                    "date_from": "2026-03-20 00:00:00",
                    "date_to": "2026-03-20 23:59:59",
                },
                # a person's time off is not a public holiday
                {
                    "name": "Alice off",
                    "calendar_id": calendar.id,
                    "resource_id": self.user_alice.employee_id.resource_id.id
                    or self.env["resource.resource"]
                    .create({"name": "Alice", "calendar_id": calendar.id})
                    .id,
                    "date_from": "2026-03-09 00:00:00",
                    "date_to": "2026-03-09 23:59:59",
                },
            ]
        )
        bob = self._target(
            self.metric_confirmed_sales, user_id=self.user_bob.id, target_value=1900.0
        )
        bob.action_recompute()
        # 1900 x 5 / 19 working days
        self.assertAlmostEqual(bob.expected_value, 500.0, places=2)
        # 245 in 5 working days: 49 a day x 19 = 931
        self.assertAlmostEqual(bob.forecast_value, 931.0, places=2)
        # the form's computed figures agree with the recompute
        bob.invalidate_recordset(["expected_value"])
        self.assertAlmostEqual(bob.expected_value, 500.0, places=2)

    @freeze_time(TODAY)
    def test_periods_before_and_after_today(self):
        past = self._target(
            self.metric_confirmed_sales,
            *FEBRUARY,
            user_id=self.user_bob.id,
            target_value=100.0,
        )
        future = self._target(
            self.metric_confirmed_sales,
            *APRIL,
            user_id=self.user_bob.id,
            target_value=100.0,
        )
        (past | future).action_recompute()
        self.assertEqual(past.achieved_value, 0.0)
        self.assertEqual(past.expected_value, 100.0)
        self.assertEqual(past.status, "missed")
        self.assertEqual(future.expected_value, 0.0)
        self.assertEqual(future.forecast_value, 0.0)
        self.assertEqual(future.status, "on_track")
        feb_alice = self._target(
            self.metric_confirmed_sales,
            *FEBRUARY,
            user_id=self.user_alice.id,
            target_value=1000.0,
        )
        self.assertEqual(feb_alice.achieved_value, 1000.0)
        self.assertEqual(feb_alice.forecast_value, 1000.0)  # period over: the actual
        self.assertEqual(feb_alice.status, "achieved")

    @freeze_time(TODAY)
    def test_previous_period_and_achievability(self):
        # February actual of alice: 1000
        ambitious = self._target(
            self.metric_confirmed_sales, user_id=self.user_alice.id, target_value=1400.0
        )
        self.assertEqual(ambitious.previous_value, 1000.0)
        self.assertAlmostEqual(ambitious.growth_required, 40.0, places=6)
        self.assertTrue(ambitious.achievability_warning)
        self.assertIn("40.0", ambitious.achievability_warning)
        # exactly the limit (30 %) is still achievable
        ambitious.target_value = 1300.0
        self.assertAlmostEqual(ambitious.growth_required, 30.0, places=6)
        self.assertFalse(ambitious.achievability_warning)
        ambitious.target_value = 1400.0
        self.company_a.sales_performance_max_growth = 50.0
        ambitious.invalidate_recordset(["achievability_warning"])
        self.assertFalse(ambitious.achievability_warning)
        # no previous actual: nothing to compare with, no warning
        bob = self._target(
            self.metric_confirmed_sales, user_id=self.user_bob.id, target_value=99999.0
        )
        self.assertEqual(bob.previous_value, 0.0)
        self.assertFalse(bob.achievability_warning)

    @freeze_time(TODAY)
    def test_rollup_mismatch(self):
        parent = self._target(
            self.metric_won_revenue, team_id=self.team_1.id, target_value=1000.0
        )
        self.assertFalse(parent.rollup_mismatch)
        self.assertEqual(parent.rollup_gap, 0.0)
        alice = self._target(
            self.metric_won_revenue,
            user_id=self.user_alice.id,
            team_id=self.team_1.id,
            parent_id=parent.id,
            target_value=400.0,
        )
        bob = self._target(
            self.metric_won_revenue,
            user_id=self.user_bob.id,
            team_id=self.team_1.id,
            parent_id=parent.id,
            target_value=500.0,
        )
        self.assertEqual(parent.child_ids, alice | bob)
        self.assertEqual(parent.children_total, 900.0)
        self.assertEqual(parent.rollup_gap, 100.0)
        self.assertTrue(parent.rollup_mismatch)
        bob.target_value = 600.0
        self.assertEqual(parent.children_total, 1000.0)
        self.assertEqual(parent.rollup_gap, 0.0)
        self.assertFalse(parent.rollup_mismatch)
        bob.target_value = 650.0
        self.assertEqual(parent.rollup_gap, -50.0)
        self.assertTrue(parent.rollup_mismatch)

    @freeze_time(TODAY)
    def test_rank(self):
        alice = self._target(
            self.metric_confirmed_sales, user_id=self.user_alice.id, target_value=3000.0
        )  # 1400 / 3000 = 46.7 %
        bob = self._target(
            self.metric_confirmed_sales, user_id=self.user_bob.id, target_value=300.0
        )
        # 245 / 300 = 81.7 %
        dave = self._target(
            self.metric_confirmed_sales, user_id=self.user_dave.id, target_value=1000.0
        )  # 500 / 1000 = 50 %
        team = self._target(self.metric_confirmed_sales, team_id=self.team_1.id)
        (alice | bob | dave | team).action_recompute()
        self.assertEqual((bob.rank, dave.rank, alice.rank), (1, 2, 3))
        self.assertFalse(team.rank)
        # alice overtakes everybody when her target falls (draft: editable)
        alice.target_value = 1000.0
        alice.action_recompute()
        self.assertEqual((alice.rank, bob.rank, dave.rank), (1, 2, 3))


@tagged("post_install", "-at_install")
class TestTargetLifecycle(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._order(
            cls.user_alice, cls.team_1, cls.customer_1, 1000.0, "2026-03-03 10:00:00"
        )

    @freeze_time(TODAY)
    def test_lifecycle_and_revision(self):
        target = self._target(
            self.metric_confirmed_sales,
            user_id=self.user_alice.id,
            team_id=self.team_1.id,
            target_value=3000.0,
        )
        self.assertEqual(target.state, "draft")
        target.target_value = 3100.0  # drafts are editable
        # a salesperson does not activate their own target
        with self.assertRaises(AccessError):
            target.with_user(self.user_alice).action_activate()
        target.with_user(self.user_manager).action_activate()
        self.assertEqual(target.state, "active")
        self.assertEqual(target.achieved_value, 1000.0)
        with self.assertRaises(UserError):
            target.with_user(self.user_manager).action_activate()

        # active: the value is locked, even for a manager
        with self.assertRaises(UserError):
            target.with_user(self.user_manager).write({"target_value": 5000.0})
        with self.assertRaises(UserError):
            target.write({"date_to": date(2026, 4, 30)})
        self.assertEqual(target.target_value, 3100.0)
        target.description = "Win the Shanghai accounts"  # not locked

        # revising needs a reason and a manager
        Revise = self.env["sales.performance.target.revise"]
        with self.assertRaises(AccessError):
            Revise.with_user(self.user_alice).create(
                {"target_id": target.id, "new_value": 10.0, "reason": "too hard"}
            ).action_revise()
        with self.assertRaises(UserError):
            Revise.create(
                {"target_id": target.id, "new_value": 10.0, "reason": "  "}
            ).action_revise()
        with self.assertRaises(UserError):
            Revise.create(
                {"target_id": target.id, "new_value": -1.0, "reason": "negative"}
            ).action_revise()
        self.assertEqual(target.target_value, 3100.0)

        Revise.with_user(self.user_manager).create(
            {
                "target_id": target.id,
                "new_value": 2500.0,
                "reason": "Territory split with Bob",
            }
        ).action_revise()
        self.assertEqual(target.target_value, 2500.0)
        self.assertEqual(target.attainment, 40.0)  # 1000 / 2500
        bodies = " ".join(target.message_ids.mapped("body"))
        self.assertIn("Territory split with Bob", bodies)
        self.assertIn("3100", bodies)
        self.assertIn("2500", bodies)

        # the team leader of alice may revise too
        Revise.with_user(self.user_leader).create(
            {"target_id": target.id, "new_value": 2000.0, "reason": "Leader's call"}
        ).action_revise()
        self.assertEqual(target.target_value, 2000.0)

        target.with_user(self.user_manager).action_close()
        self.assertEqual(target.state, "closed")
        # closed mid-period: judged as if the period were over
        self.assertEqual(target.status, "missed")  # 1000 of 2000
        self.assertEqual(target.expected_value, 2000.0)
        with self.assertRaises(UserError):
            target.with_context(sales_performance_change_reason="late").write(
                {"target_value": 1.0}
            )
        with self.assertRaises(UserError):
            Revise.create(
                {"target_id": target.id, "new_value": 1.0, "reason": "too late"}
            ).action_revise()
        self.assertEqual(target.target_value, 2000.0)
        # closed targets keep their final figures
        self._order(
            self.user_alice, self.team_1, self.customer_2, 700.0, "2026-03-04 10:00:00"
        )
        target.action_recompute()
        self.assertEqual(target.achieved_value, 1000.0)

        # only an administrator reopens
        with self.assertRaises(AccessError):
            target.with_user(self.user_leader).action_reset_to_draft()
        target.with_user(self.user_manager).action_reset_to_draft()
        self.assertEqual(target.state, "draft")

    @freeze_time(TODAY)
    def test_close_requires_active(self):
        target = self._target(self.metric_confirmed_sales, user_id=self.user_alice.id)
        with self.assertRaises(UserError):
            target.action_close()
        self.assertEqual(target.state, "draft")


@tagged("post_install", "-at_install")
class TestTargetRecompute(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._order(
            cls.user_alice, cls.team_1, cls.customer_1, 1000.0, "2026-03-03 10:00:00"
        )
        cls._order(
            cls.user_bob, cls.team_1, cls.customer_2, 300.0, "2026-03-04 10:00:00"
        )

    @freeze_time(TODAY)
    def test_recompute_twice_gives_same_values(self):
        targets = self.Target.browse()
        for user in (self.user_alice, self.user_bob, self.user_dave):
            targets |= self._target(
                self.metric_confirmed_sales, user_id=user.id, target_value=2000.0
            )
        targets |= self._target(self.metric_confirmed_sales, team_id=self.team_1.id)
        targets.action_recompute()
        first = [self._values(t) for t in targets]
        targets.action_recompute()
        second = [self._values(t) for t in targets]
        self.assertEqual(first, second)
        self.assertEqual([v["achieved"] for v in first], [1000.0, 300.0, 0.0, 1300.0])
        # live: a new order shows at the next recompute
        self._order(
            self.user_dave, self.team_2, self.customer_3, 50.0, "2026-03-05 10:00:00"
        )
        targets.action_recompute()
        self.assertEqual(
            targets.mapped("achieved_value"), [1000.0, 300.0, 50.0, 1300.0]
        )

    @freeze_time(TODAY)
    def test_recompute_keeps_pending_edits(self):
        target = self._target(
            self.metric_confirmed_sales, user_id=self.user_alice.id, target_value=2000.0
        )
        target.target_value = 4000.0  # not flushed yet when the recompute starts
        target.description = "Pending edit"
        target.action_recompute()
        target.invalidate_recordset()
        self.assertEqual(target.target_value, 4000.0)
        self.assertEqual(target.description, "Pending edit")
        self.assertEqual(target.achieved_value, 1000.0)
        self.assertEqual(target.attainment, 25.0)  # of the new value

    @freeze_time(TODAY)
    def test_cron_recomputes_active_targets(self):
        active = self._target(self.metric_confirmed_sales, user_id=self.user_alice.id)
        draft = self._target(self.metric_confirmed_sales, user_id=self.user_bob.id)
        active.action_activate()
        self.assertEqual((active.achieved_value, draft.achieved_value), (1000.0, 300.0))
        self._order(
            self.user_alice, self.team_1, self.customer_3, 200.0, "2026-03-06 10:00:00"
        )
        self._order(
            self.user_bob, self.team_1, self.customer_3, 200.0, "2026-03-06 10:00:00"
        )
        self.Target._cron_recompute()
        self.assertEqual(active.achieved_value, 1200.0)
        self.assertEqual(active.attainment, 1200.0)  # 1200 of a target of 100
        self.assertEqual(draft.achieved_value, 300.0)  # the cron leaves drafts alone
        # the scheduled action runs that method (not triggered here: it would
        # run in its own transaction, outside the test's)
        cron = self.env.ref("sales_performance.ir_cron_recompute_targets")
        self.assertEqual(cron.model_id.model, "sales.performance.target")
        self.assertEqual(cron.code.strip(), "model._cron_recompute()")
        self.assertTrue(cron.active)

    @freeze_time(TODAY)
    def test_query_count_does_not_grow_with_targets(self):
        users = self.env["res.users"].union(
            *(
                self._new_user(
                    f"sp_bulk_{i:02d}", company=self.company_a, name=f"SP Bulk {i:02d}"
                )
                for i in range(55)
            )
        )
        vals = [
            {
                "company_id": self.company_a.id,
                "metric_id": self.metric_confirmed_sales.id,
                "date_from": MARCH[0],
                "date_to": MARCH[1],
                "target_value": 100.0,
                "user_id": user.id,
            }
            for user in users
        ]
        few = self.Target.create(vals[:5])
        many = self.Target.create(vals[5:])
        self.assertEqual(len(many), 50)

        def count(targets):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            targets.action_recompute()
            return self.cr.sql_log_count - before

        count(few)  # warm caches (rules, metric definition)
        queries_few = count(few)
        queries_many = count(many)
        self.assertEqual(queries_few, queries_many)
        self.assertLess(queries_many, 30)


@tagged("post_install", "-at_install")
class TestTargetBadInput(TargetCommon):
    def assertNothingSaved(self, model, before):
        self.assertEqual(self.env[model].search_count([]), before)

    @freeze_time(TODAY)
    def test_period_end_before_start(self):
        before = self.Target.search_count([])
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._target(
                self.metric_won_revenue,
                date(2026, 3, 31),
                date(2026, 3, 1),
                user_id=self.user_alice.id,
            )
        self.assertNothingSaved("sales.performance.target", before)

    @freeze_time(TODAY)
    def test_negative_target(self):
        before = self.Target.search_count([])
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._target(
                self.metric_won_revenue, user_id=self.user_alice.id, target_value=-1.0
            )
        self.assertNothingSaved("sales.performance.target", before)

    @freeze_time(TODAY)
    def test_duplicate_overlapping_target(self):
        self._target(self.metric_won_revenue, user_id=self.user_alice.id)
        self._target(self.metric_won_revenue, team_id=self.team_1.id)
        self._target(self.metric_won_revenue)
        before = self.Target.search_count([])
        cases = [
            {"user_id": self.user_alice.id},
            # overlapping, not identical, period
            {
                "user_id": self.user_alice.id,
                "date_from": date(2026, 3, 31),
                "date_to": date(2026, 4, 30),
            },
            # the same salesperson within a team is still the same assignee
            {"user_id": self.user_alice.id, "team_id": self.team_1.id},
            {"team_id": self.team_1.id},
            {},  # a second company target
        ]
        for extra in cases:
            with self.subTest(extra=extra), self.assertRaises(ValidationError):
                self._target(self.metric_won_revenue, **extra)
        self.assertNothingSaved("sales.performance.target", before)
        # not overlapping: other metric, next period, other company
        self._target(self.metric_won_count, user_id=self.user_alice.id)
        self._target(self.metric_won_revenue, *APRIL, user_id=self.user_alice.id)
        self._target(self.metric_won_revenue, company_id=self.company_b.id)
        self.assertNothingSaved("sales.performance.target", before + 3)
        # moving a target onto another one is refused too
        april = self.Target.search(
            [("user_id", "=", self.user_alice.id), ("date_from", "=", APRIL[0])]
        )
        with self.assertRaises(ValidationError):
            april.write({"date_from": MARCH[0], "date_to": MARCH[1]})

    @freeze_time(TODAY)
    def test_user_not_member_of_team(self):
        before = self.Target.search_count([])
        with self.assertRaises(ValidationError):
            self._target(
                self.metric_won_revenue,
                user_id=self.user_dave.id,
                team_id=self.team_1.id,
            )
        self.assertNothingSaved("sales.performance.target", before)
        # the team's leader is accepted
        self._target(
            self.metric_won_revenue, user_id=self.user_leader.id, team_id=self.team_1.id
        )

    @freeze_time(TODAY)
    def test_company_mismatches(self):
        before = self.Target.search_count([])
        with self.assertRaises(ValidationError):
            self._target(self.metric_won_revenue, user_id=self.user_erin_b.id)
        with self.assertRaises(UserError):
            self._target(self.metric_won_revenue, team_id=self.team_b.id)
        other = self._target(self.metric_won_revenue, company_id=self.company_b.id)
        with self.assertRaises(UserError):
            self._target(
                self.metric_won_revenue, team_id=self.team_1.id, parent_id=other.id
            )
        self.assertNothingSaved("sales.performance.target", before + 1)

    @freeze_time(TODAY)
    def test_parent_of_another_metric(self):
        parent = self._target(self.metric_won_count, team_id=self.team_1.id)
        with self.assertRaises(ValidationError):
            self._target(
                self.metric_won_revenue, user_id=self.user_alice.id, parent_id=parent.id
            )
        self.assertFalse(parent.child_ids)


@tagged("post_install", "-at_install")
class TestCustomMetric(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Fields = cls.env["ir.model.fields"]
        cls.order_model = cls.env["ir.model"]._get("sale.order")
        cls.base_vals = {
            "name": "SP Orders",
            "model_id": cls.order_model.id,
            "computation": "count",
            "domain": "[('state', '=', 'sale')]",
            "date_field_id": Fields._get("sale.order", "date_order").id,
            "user_field_id": Fields._get("sale.order", "user_id").id,
            "team_field_id": Fields._get("sale.order", "team_id").id,
        }
        cls.Metric = cls.env["sales.performance.metric"]

    @freeze_time(TODAY)
    def test_custom_metric_counts(self):
        self._order(
            self.user_alice, self.team_1, self.customer_1, 10.0, "2026-03-03 10:00:00"
        )
        self._order(
            self.user_alice, self.team_1, self.customer_2, 20.0, "2026-03-04 10:00:00"
        )
        self._order(
            self.user_alice,
            self.team_1,
            self.customer_2,
            30.0,
            "2026-03-04 10:00:00",
            state="draft",
        )
        Fields = self.env["ir.model.fields"]
        count = self.Metric.create(self.base_vals)
        total = self.Metric.create(
            dict(
                self.base_vals,
                name="SP Orders total",
                computation="sum",
                sum_field_id=Fields._get("sale.order", "amount_total").id,
            )
        )
        self.assertEqual(total.value_type, "monetary")
        self.assertEqual(count.value_type, "number")
        t_count = self._target(count, user_id=self.user_alice.id)
        t_total = self._target(total, user_id=self.user_alice.id)
        self.assertEqual((t_count.achieved_value, t_total.achieved_value), (2.0, 30.0))

    def test_invalid_definitions(self):
        Fields = self.env["ir.model.fields"]
        before = self.Metric.with_context(active_test=False).search_count([])
        invalid = {
            # a field of another model: not a field of sale.order
            "foreign field": {
                "computation": "sum",
                "sum_field_id": Fields._get("crm.lead", "expected_revenue").id,
            },
            "not summable": {
                "computation": "sum",
                "sum_field_id": Fields._get("sale.order", "name").id,
            },
            "sum without field": {"computation": "sum"},
            "date field not a date": {
                "date_field_id": Fields._get("sale.order", "name").id
            },
            "first without key": {"computation": "first"},
            "pipeline on orders": {"pipeline_forecast": True},
            "unparsable domain": {"domain": "[('state', '=', "},
            "unknown field in domain": {"domain": "[('no_such_field', '=', 1)]"},
            "domain not a list": {"domain": "42"},
        }
        for label, extra in invalid.items():
            with self.subTest(label), self.assertRaises(ValidationError):
                self.Metric.create(dict(self.base_vals, **extra))
        self.assertEqual(
            self.Metric.with_context(active_test=False).search_count([]), before
        )
        # an existing metric cannot be broken either
        metric = self.Metric.create(self.base_vals)
        with self.assertRaises(ValidationError):
            metric.domain = "[('state', '=', "
        self.assertEqual(metric.domain, "[('state', '=', 'sale')]")


@tagged("post_install", "-at_install")
class TestTargetPivot(TargetCommon):
    """The pivot's groups (team x month) as the web client reads them: each
    distinct team and month is formatted once, every group keeps its own
    label and domain."""

    def test_team_month_groups_and_their_domains(self):
        sales = self.metric_confirmed_sales
        rows = [
            (self.user_alice, self.team_1, MARCH, 100.0),
            (self.user_alice, self.team_1, APRIL, 200.0),
            (self.user_bob, self.team_1, MARCH, 300.0),
            (self.user_dave, self.team_2, MARCH, 400.0),
        ]
        for user, team, (date_from, date_to), value in rows:
            self._target(
                sales,
                date_from,
                date_to,
                user_id=user.id,
                team_id=team.id,
                target_value=value,
            )
        domain = [
            ("team_id", "in", (self.team_1 | self.team_2).ids),
            ("metric_id", "=", sales.id),
        ]
        by_team_month, by_team, by_month, whole = (
            self.Target.formatted_read_grouping_sets(
                domain,
                [["team_id", "date_from:month"], ["team_id"], ["date_from:month"], []],
                ["target_value:sum", "__count"],
            )
        )
        one, two = self.team_1, self.team_2

        def cells(groups, *specs):
            return {
                tuple(group[spec][0] for spec in specs): (
                    group["__count"],
                    group["target_value:sum"],
                )
                for group in groups
            }

        march, april = "2026-03-01", "2026-04-01"
        # by hand: team one has alice's March (100) and April (200) and bob's
        # March (300); team two dave's March (400)
        self.assertEqual(
            cells(by_team_month, "team_id", "date_from:month"),
            {
                (one.id, march): (2, 400.0),
                (one.id, april): (1, 200.0),
                (two.id, march): (1, 400.0),
            },
        )
        self.assertEqual(
            cells(by_team, "team_id"), {(one.id,): (3, 600.0), (two.id,): (1, 400.0)}
        )
        self.assertEqual(
            cells(by_month, "date_from:month"),
            {(march,): (3, 800.0), (april,): (1, 200.0)},
        )
        self.assertEqual(
            (whole[0]["__count"], whole[0]["target_value:sum"]), (4, 1000.0)
        )
        # labels: the team's name, the month's
        labels = {g["team_id"] for g in by_team_month}
        self.assertEqual(
            labels, {(one.id, one.display_name), (two.id, two.display_name)}
        )
        self.assertEqual(
            {g["date_from:month"][1] for g in by_month}, {"March 2026", "April 2026"}
        )
        # every group's domain finds its own targets, and only them
        for group in by_team_month + by_team + by_month:
            found = self.Target.search(domain + group["__extra_domain"])
            self.assertEqual(len(found), group["__count"])
            self.assertEqual(
                sum(found.mapped("target_value")), group["target_value:sum"]
            )
