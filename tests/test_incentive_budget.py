from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import FEB, INCENTIVE_ADMIN, JAN, SALES_MANAGER, SALESMAN, IncentiveCommon

Q1 = (date(2031, 1, 1), date(2031, 3, 31))
# Friday 14 February 2031: 10 of February's 20 working days are over
# (3-7 and 10-14 February; February 2031 starts on a Saturday).
TODAY = "2031-02-14 12:00:00"


class BudgetCommon(IncentiveCommon):
    """A flat commission plan (TIERS: the whole base at 2 % below 80 %, 5 %
    from 80 %, 8 % from 100 %) for sp1, sp2 and sp3.

    January 2031 (over by TODAY): sp1 90,000 of 100,000 (90 %): 4,500; sp2
    120,000 of 100,000 (120 %): 9,600; sp3 60,000 without a target: 0.
    February 2031: sp1 has won 45,000 of a 100,000 target by TODAY; sp2 and
    sp3 have no target (0)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._plan(
            [
                {
                    "kind": "commission",
                    "metric_id": cls.metric_won.id,
                    "basis": "attainment",
                    "mode": "flat",
                    "tiers": cls.TIERS,
                }
            ],
            name="Budgeted Plan",
        )
        cls._won_lead(cls.sp1, 45000, datetime(2031, 2, 5, 12))
        target = cls.env["sales.performance.target"].create(
            {
                "user_id": cls.sp1.id,
                "metric_id": cls.metric_won.id,
                "date_from": FEB[0],
                "date_to": FEB[1],
                "target_value": 100000,
            }
        )
        target.action_activate()
        cls.Budget = cls.env["sales.performance.incentive.budget"]

    def _budget(self, amount, period=Q1, plan=None):
        return self.Budget.create(
            {
                "plan_id": (plan or self.plan).id,
                "date_from": period[0],
                "date_to": period[1],
                "amount": amount,
            }
        )

    def _figures(self, budget):
        return {
            "accrued": budget.accrued,
            "paid": budget.paid,
            "forecast": budget.forecast,
            "difference": budget.difference,
        }

    @staticmethod
    def _notes(record, text):
        return record.message_ids.filtered(lambda m: text in (m.body or ""))


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveBudget(BudgetCommon):
    def test_figures_by_hand(self):
        with freeze_time(TODAY):
            budget = self._budget(20000)
            # no statement yet: January is over, its estimate is what was
            # achieved: 4,500 + 9,600 + 0 = 14,100; February at pace: sp1's
            # 45,000 in 10 of 20 working days run to 90,000 (90 %): 5 % =
            # 4,500; March has not started: 0. Forecast 18,600.
            self.assertEqual(
                self._figures(budget),
                {
                    "accrued": 0.0,
                    "paid": 0.0,
                    "forecast": 18600.0,
                    "difference": 1400.0,
                },
            )
            self.assertFalse(budget.over_budget)
            jan = self._by_user(self.plan.generate_statements(*JAN))
            self.assertEqual(
                [jan[u].amount_total for u in (self.sp1, self.sp2, self.sp3)],
                [4500.0, 9600.0, 0.0],
            )
            # the drafts replace January's estimate (same amounts)
            self.assertEqual(budget.forecast, 18600.0)
            self.assertEqual(budget.accrued, 0.0)
            (jan[self.sp1] | jan[self.sp2]).with_user(self.leader).action_confirm()
            # accrued: the confirmed 4,500 + 9,600
            self.assertEqual(budget.accrued, 14100.0)
            # under budget: approving returns no warning
            self.assertIs(jan[self.sp2].with_user(self.leader).action_approve(), True)
            self.assertEqual(budget.accrued, 14100.0)
            jan[self.sp2].with_user(self.admin).action_pay()
            # accrued 4,500 (sp1 confirmed), paid 9,600; consumed
            # (4,500 + 9,600) / 20,000 = 70.5 %
            self.assertEqual(
                self._figures(budget),
                {
                    "accrued": 4500.0,
                    "paid": 9600.0,
                    "forecast": 18600.0,
                    "difference": 1400.0,
                },
            )
            self.assertAlmostEqual(budget.consumed_pct, 70.5)
            # February's statements replace its pace: sp1 45,000 (45 %) at
            # 2 % = 900; forecast 14,100 + 900 = 15,000
            action = (
                self.env["sales.performance.incentive.generate"]
                .with_user(self.admin)
                .create(
                    {
                        "plan_ids": [Command.set(self.plan.ids)],
                        "date": date(2031, 2, 14),
                    }
                )
                .action_generate()
            )
            self.assertEqual(action["type"], "ir.actions.act_window")
            feb = self.plan.statement_ids.filtered(lambda s: s.date_from == FEB[0])
            self.assertEqual(sum(feb.mapped("amount_total")), 900.0)
            self.assertEqual(budget.forecast, 15000.0)
            self.assertEqual(budget.difference, 5000.0)
            # a cancelled statement no longer counts: sp1 has no January
            # statement any more, the estimator fills in its 4,500 again
            jan[self.sp1].with_user(self.leader).action_cancel()
            self.assertEqual(
                self._figures(budget),
                {
                    "accrued": 0.0,
                    "paid": 9600.0,
                    "forecast": 15000.0,
                    "difference": 5000.0,
                },
            )
            # a manual adjustment of a draft statement counts at once
            self.env["sales.performance.incentive.statement.line"].create(
                {
                    "statement_id": jan[self.sp3].id,
                    "name": "Key account bonus",
                    "amount": 700,
                }
            )
            self.assertEqual(budget.forecast, 15700.0)

    def test_statements_outside_the_budget_period_do_not_count(self):
        with freeze_time(TODAY):
            budget = self._budget(10000, period=FEB)
            # February alone: sp1's pace 4,500; January's 14,100 is outside
            self.assertEqual(budget.forecast, 4500.0)
            self.plan.generate_statements(*JAN)
            self.assertEqual(budget.forecast, 4500.0)
            # the report opens the statements of the budget period
            action = budget.action_view_statements()
            self.assertFalse(
                self.env["sales.performance.incentive.statement"].search(
                    action["domain"]
                )
            )

    def test_over_budget_warns_and_never_blocks(self):
        with freeze_time(TODAY):
            budget = self._budget(15000)
            # forecast 18,600 (see test_figures_by_hand): 3,600 over
            self.assertTrue(budget.over_budget)
            self.assertEqual(budget.difference, -3600.0)
            wizard = (
                self.env["sales.performance.incentive.generate"]
                .with_user(self.admin)
                .create({"plan_ids": [Command.set(self.plan.ids)], "date": JAN[0]})
            )
            action = wizard.action_generate()
            # the administrator is warned with the figures, then sees the
            # statements; nothing is blocked
            self.assertEqual(action["tag"], "display_notification")
            self.assertEqual(action["params"]["type"], "warning")
            self.assertIn("3,600.00", action["params"]["message"])
            self.assertIn("18,600.00", action["params"]["message"])
            self.assertEqual(
                action["params"]["next"]["res_model"],
                "sales.performance.incentive.statement",
            )
            jan = self._by_user(self.plan.statement_ids)
            self.assertEqual(len(jan), 3)
            # the plan's chatter records it (without the figures: salespeople
            # read the plan), the budget's chatter with them
            plan_notes = self._notes(self.plan, "Over budget")
            self.assertEqual(len(plan_notes), 1)
            self.assertNotIn("18,600", plan_notes.body)
            self.assertTrue(self._notes(budget, "18,600.00"))
            # approving while over budget: a warning for the team leader
            # (no figures), notes in the statement's and the plan's chatter
            statement = jan[self.sp2]
            statement.with_user(self.leader).action_confirm()
            result = statement.with_user(self.leader).action_approve()
            self.assertEqual(statement.state, "approved")
            self.assertEqual(result["params"]["type"], "warning")
            self.assertIn("exceed its budget", result["params"]["message"])
            self.assertNotIn("15,000", result["params"]["message"])
            self.assertTrue(
                self._notes(statement, "Approved while the plan is over budget")
            )
            approved_notes = self._notes(self.plan, "Approved by")
            self.assertEqual(len(approved_notes), 1)
            self.assertIn(self.leader.name, approved_notes.body)
            self.assertIn(statement.name, approved_notes.body)
            # an administrator approving sees the figures
            jan[self.sp1].with_user(self.leader).action_confirm()
            result = jan[self.sp1].with_user(self.admin).action_approve()
            self.assertEqual(jan[self.sp1].state, "approved")
            self.assertIn("3,600.00", result["params"]["message"])
            self.assertEqual(len(self._notes(self.plan, "Approved by")), 2)


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveBudgetInput(BudgetCommon):
    def _assert_refused(self, vals, text):
        count = self.Budget.search_count([])
        with self.assertRaises(ValidationError) as caught:
            self.Budget.create(
                {
                    "plan_id": self.plan.id,
                    "date_from": Q1[0],
                    "date_to": Q1[1],
                    "amount": 1000,
                    **vals,
                }
            )
        self.assertIn(text, str(caught.exception))
        self.assertEqual(self.Budget.search_count([]), count)

    def test_end_before_start(self):
        self._assert_refused(
            {"date_from": date(2031, 3, 31), "date_to": date(2031, 1, 1)},
            "must end after it starts",
        )

    def test_amount_is_a_sane_number(self):
        for bad in (-1.0, float("nan"), float("inf"), 1e13):
            self._assert_refused({"amount": bad}, "between 0 and")
        budget = self._budget(1000)
        with self.assertRaises(ValidationError):
            budget.amount = -5
        self.assertEqual(budget.amount, 1000.0)

    def test_one_budget_per_plan_and_period(self):
        self._budget(1000)
        self._assert_refused(
            {"date_from": date(2031, 3, 1), "date_to": date(2031, 6, 30)},
            "already has a budget",
        )
        # the next quarter is fine
        self._budget(1000, period=(date(2031, 4, 1), date(2031, 6, 30)))


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveBudgetSecurity(BudgetCommon):
    def test_salespeople_and_leaders_never_see_budgets(self):
        budget = self._budget(1000)
        for user in (self.sp1, self.leader):
            with self.assertRaises(AccessError):
                self.Budget.with_user(user).search([("plan_id", "=", self.plan.id)])
            with self.assertRaises(AccessError):
                budget.with_user(user).read(["amount"])
            with self.assertRaises(AccessError):
                self.Budget.with_user(user).create(
                    {
                        "plan_id": self.plan.id,
                        "date_from": date(2031, 4, 1),
                        "date_to": date(2031, 6, 30),
                        "amount": 1,
                    }
                )
            with self.assertRaises(AccessError):
                budget.with_user(user).amount = 1e6
            # the plan is readable, not its budgets
            self.plan.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                self.plan.with_user(user).read(["budget_ids"])
        self.assertEqual(budget.amount, 1000.0)

    def test_administrators_and_managers_manage_budgets(self):
        manager = self._new_user("bud_manager", f"{SALESMAN},{SALES_MANAGER}")
        for user in (self.admin, manager):
            budget = self.Budget.with_user(user).create(
                {
                    "plan_id": self.plan.id,
                    "date_from": date(2031, 4, 1),
                    "date_to": date(2031, 6, 30),
                    "amount": 5000,
                }
            )
            budget.amount = 6000
            self.assertEqual(budget.amount, 6000.0)
            self.assertTrue(budget.action_refresh_figures())
            budget.unlink()

    def test_multi_company(self):
        plan_b = self._plan(
            [self._commission("flat")],
            users=self.env["res.users"],
            company=self.company_b,
            activate=False,
        )
        budget_b = self._budget(1000, plan=plan_b)
        budget_a = self._budget(1000)
        self.assertEqual(budget_b.company_id, self.company_b)
        mine = [("id", "in", (budget_a | budget_b).ids)]
        self.assertEqual(self.Budget.with_user(self.admin).search(mine), budget_a)
        with self.assertRaises(AccessError):
            budget_b.with_user(self.admin).read(["amount"])
        admin_b = self._new_user(
            "bud_admin_b", f"{SALESMAN},{INCENTIVE_ADMIN}", company=self.company_b
        )
        self.assertEqual(self.Budget.with_user(admin_b).search(mine), budget_b)
