from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import FEB, INCENTIVE_ADMIN, SALESMAN, IncentiveCommon


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveFairness(IncentiveCommon):
    """February 2031, 5 % of won revenue on every attainment (so that the
    payout is 5 % of the base); January (IncentiveCommon) is the previous
    comparable period: sp1 won 90,000, sp2 120,000, sp3 60,000.

    ==========  ==========  =========  ======  ==========  =======  ==========
    who         target      won        att.    payout      pay/pt   difficulty
    ==========  ==========  =========  ======  ==========  =======  ==========
    sp1         100,000     120,000    120 %   6,000       50       1.1111
    sp2         240,000     120,000    50 %    6,000       120      2.0
    sp3         30,000      30,000     100 %   1,500       15       0.5
    fair_b1     10,000      5,000      50 %    250         5        -
    fair_b2     10,000      8,000      80 %    400         5        -
    ==========  ==========  =========  ======  ==========  =======  ==========

    Team "Incentive Team": difficulty median 1.1111 (sp2 2.0 / 1.1111 = 1.8:
    high; sp3 0.5 / 1.1111 = 0.45: low), pay per point median 50 (sp2 2.4:
    high, sp3 0.3: low), at or above target 2 of 3 = 66.67 %. Team two:
    nothing before (no difficulty), pay per point 5 and 5 (normal), 0 % at
    target."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fair_b1 = cls._new_user("inc_fair_b1", name="Fair B1")
        cls.fair_b2 = cls._new_user("inc_fair_b2", name="Fair B2")
        cls.team_two = cls._new_team(
            "Fairness Team Two", cls.leader, cls.fair_b1 | cls.fair_b2
        )
        cls.admin_b = cls._new_user(
            "inc_fair_admin_b",
            f"{SALESMAN},{INCENTIVE_ADMIN}",
            company=cls.company_b,
        )
        feb = datetime(2031, 2, 10, 12)
        for user, won, target in (
            (cls.sp1, 120000, 100000),
            (cls.sp2, 120000, 240000),
            (cls.sp3, 30000, 30000),
            (cls.fair_b1, 5000, 10000),
            (cls.fair_b2, 8000, 10000),
        ):
            cls._won_lead(user, won, feb)
            cls.env["sales.performance.target"].create(
                {
                    "user_id": user.id,
                    "metric_id": cls.metric_won.id,
                    "date_from": FEB[0],
                    "date_to": FEB[1],
                    "target_value": target,
                }
            ).action_activate()
        cls.plan = cls._plan(
            [
                {
                    "name": "Five percent",
                    "kind": "commission",
                    "metric_id": cls.metric_won.id,
                    "basis": "attainment",
                    "mode": "flat",
                    "tiers": [(0, None, 5.0)],
                }
            ],
            users=cls.sp1 | cls.sp2 | cls.sp3 | cls.fair_b1 | cls.fair_b2,
        )
        cls.statements = cls.plan.generate_statements(*FEB)

    def _compute(self, user=None, day=date(2031, 2, 14)):
        wizard = (
            self.env["sales.performance.incentive.fairness.compute"]
            .with_user(user or self.admin)
            .create({"plan_id": self.plan.id, "date": day})
        )
        action = wizard.action_compute()
        return (
            self.env["sales.performance.incentive.fairness.report"]
            .with_user(user or self.admin)
            .search(action["domain"])
        )

    def test_figures_computed_by_hand(self):
        by_user = {s.user_id: s.amount_total for s in self.statements}
        self.assertEqual(
            [by_user[u] for u in (self.sp1, self.sp2, self.sp3)],
            [6000.0, 6000.0, 1500.0],
        )
        rows = {row.user_id: row for row in self._compute()}
        self.assertEqual(len(rows), 5)
        sp1, sp2, sp3 = rows[self.sp1], rows[self.sp2], rows[self.sp3]
        b1, b2 = rows[self.fair_b1], rows[self.fair_b2]
        # attainment from the statements' rule lines
        self.assertEqual(
            [r.attainment for r in (sp1, sp2, sp3, b1, b2)],
            [120.0, 50.0, 100.0, 50.0, 80.0],
        )
        self.assertEqual([r.payout for r in (sp1, sp2, sp3)], [6000.0, 6000.0, 1500.0])
        # pay per point: 6,000 / 120 = 50, 6,000 / 50 = 120, 1,500 / 100 = 15
        self.assertEqual(
            [r.pay_per_point for r in (sp1, sp2, sp3, b1, b2)],
            [50.0, 120.0, 15.0, 5.0, 5.0],
        )
        # previous comparable actual: January's won revenue
        self.assertEqual(
            [r.previous_value for r in (sp1, sp2, sp3, b1)],
            [90000.0, 120000.0, 60000.0, 0.0],
        )
        # difficulty: 100,000 / 90,000 = 1.11, 240,000 / 120,000 = 2,
        # 30,000 / 60,000 = 0.5; nothing achieved before: none
        self.assertAlmostEqual(sp1.difficulty, 1.11, places=2)
        self.assertEqual(
            (sp2.difficulty, sp3.difficulty, b1.difficulty), (2.0, 0.5, 0.0)
        )
        for row in (sp1, sp2, sp3):
            self.assertEqual(row.team_id, self.team)
            self.assertAlmostEqual(row.team_difficulty_median, 1.11, places=2)
            self.assertEqual(row.team_pay_median, 50.0)
            # sp1 and sp3 at or above target of 3: 66.67 %
            self.assertAlmostEqual(row.team_share_at_target, 66.67, places=2)
        # ratios to the team medians: 2 / 1.111 = 1.8, 0.5 / 1.111 = 0.45;
        # 120 / 50 = 2.4, 15 / 50 = 0.3
        self.assertAlmostEqual(sp2.difficulty_ratio, 1.8, places=2)
        self.assertAlmostEqual(sp3.difficulty_ratio, 0.45, places=2)
        self.assertEqual((sp2.pay_ratio, sp3.pay_ratio, sp1.pay_ratio), (2.4, 0.3, 1.0))
        # outliers on both sides
        self.assertEqual(
            (sp1.difficulty_flag, sp1.pay_flag, sp1.outlier),
            ("normal", "normal", False),
        )
        self.assertEqual(
            (sp2.difficulty_flag, sp2.pay_flag, sp2.outlier), ("high", "high", True)
        )
        self.assertEqual(
            (sp3.difficulty_flag, sp3.pay_flag, sp3.outlier), ("low", "low", True)
        )
        self.assertEqual(
            sp2.note,
            "Target difficulty 2 is 1.80 × the team median 1.11. Pay per attainment "
            "point 120 is 2.40 × the team median 50.",
        )
        self.assertEqual(
            (sp1.at_target, sp2.at_target, sp3.at_target), (True, False, True)
        )
        # team two: nothing before, no difficulty flag; 5 and 5: normal; 0 %
        self.assertEqual(b1.team_id, self.team_two)
        self.assertEqual((b1.difficulty_flag, b1.pay_flag), (False, "normal"))
        self.assertEqual((b1.team_share_at_target, b2.team_share_at_target), (0.0, 0.0))
        self.assertFalse(b1.outlier or b2.outlier)
        # the share per team, as the pivot reads it (average per team)
        shares = dict(
            self.env["sales.performance.incentive.fairness.report"]._read_group(
                [("plan_id", "=", self.plan.id)],
                ["team_id"],
                ["team_share_at_target:avg"],
            )
        )
        self.assertAlmostEqual(shares[self.team], 66.67, places=2)
        self.assertEqual(shares[self.team_two], 0.0)

    def test_refresh_replaces_the_rows_and_follows_the_payout(self):
        first = self._compute()
        # a manual adjustment of 6,000 doubles sp1's payout: 12,000 / 120 =
        # 100 per point, 100 / the new median (100) = 1: sp2 (120 / 100 =
        # 1.2) is no longer a pay outlier
        sp1 = self._by_user(self.statements)[self.sp1]
        self.env["sales.performance.incentive.statement.line"].with_user(
            self.admin
        ).create({"statement_id": sp1.id, "name": "Correction", "amount": 6000.0})
        second = self._compute()
        self.assertFalse(first.exists())
        self.assertEqual(len(second), 5)
        rows = {row.user_id: row for row in second}
        self.assertEqual(rows[self.sp1].pay_per_point, 100.0)
        self.assertEqual(rows[self.sp1].team_pay_median, 100.0)
        self.assertEqual(rows[self.sp2].pay_flag, "normal")
        # 15 / 100 = 0.15: still low
        self.assertEqual(rows[self.sp3].pay_flag, "low")

    def test_plan_button_and_bad_periods(self):
        action = self.plan.with_user(self.admin).action_open_fairness()
        self.assertEqual(
            action["res_model"], "sales.performance.incentive.fairness.compute"
        )
        self.assertEqual(action["context"], {"default_plan_id": self.plan.id})
        # no statement in March: a clear error, nothing computed
        with self.assertRaises(UserError):
            self._compute(day=date(2031, 3, 5))
        # outside the plan
        with self.assertRaises(UserError):
            self._compute(day=date(2032, 3, 5))
        with self.assertRaises(AccessError):
            self.plan.with_user(self.sp1).action_open_fairness()

    def test_salespeople_and_other_companies_cannot_read_it(self):
        rows = self._compute()
        Report = self.env["sales.performance.incentive.fairness.report"]
        # a salesperson reads nothing, not even their own row
        with self.assertRaises(AccessError):
            Report.with_user(self.sp1).search([])
        with self.assertRaises(AccessError):
            rows.with_user(self.sp1).read(["payout"])
        # a salesperson cannot compute it either
        with self.assertRaises(AccessError):
            self._compute(user=self.sp1)
        # an administrator of another company sees none of it
        self.assertFalse(
            Report.with_user(self.admin_b).search([("id", "in", rows.ids)])
        )
        with self.assertRaises(AccessError):
            rows[:1].with_user(self.admin_b).read(["payout"])
        # nobody edits the figures
        with self.assertRaises(AccessError):
            rows[:1].with_user(self.admin).write({"payout": 1.0})
