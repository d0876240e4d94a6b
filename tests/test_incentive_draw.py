from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import FEB, JAN, IncentiveCommon

MAR = (date(2031, 3, 1), date(2031, 3, 31))
APR = (date(2031, 4, 1), date(2031, 4, 30))


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveDraw(IncentiveCommon):
    """A new hire's draw: 10 % commission on won revenue, so that the earned
    amounts are round numbers; every expected figure is computed by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hire = cls._new_user("inc_drw_hire", name="Drew Hire")
        cls.hire_2 = cls._new_user("inc_drw_hire2", name="Dana Hire")
        cls.draw_team = cls._new_team("Draw Team", cls.leader, cls.hire | cls.hire_2)
        # earned 10 % of 10,000 / 25,000 / 50,000 / 40,000 =
        # 1,000 / 2,500 / 5,000 / 4,000 in January to April
        for amount, day in (
            (10000, datetime(2031, 1, 12, 12)),
            (25000, datetime(2031, 2, 12, 12)),
            (50000, datetime(2031, 3, 12, 12)),
            (40000, datetime(2031, 4, 12, 12)),
        ):
            cls._won_lead(cls.hire, amount, day)

    def _draw_plan(self, users=None, **draw):
        plan = self._plan(
            [
                {
                    "name": "Commission",
                    "kind": "commission",
                    "metric_id": self.metric_won.id,
                    "basis": "amount",
                    "mode": "flat",
                    "tiers": [(0, None, 10.0)],
                }
            ],
            users=self.hire if users is None else users,
        )
        if draw:
            plan.assignment_ids.write(draw)
        return plan

    def _month(self, plan, period, user=None):
        statements = plan.generate_statements(*period)
        return self._by_user(statements)[user or self.hire]

    def _approve(self, statement):
        statement.with_user(self.admin).action_confirm()
        statement.with_user(self.admin).action_approve()
        self.assertEqual(statement.state, "approved")

    @staticmethod
    def _draw_lines(statement):
        return [
            (line.line_type, line.amount)
            for line in statement.line_ids.sorted("sequence")
            if line.line_type in ("draw", "draw_recovery")
        ]

    def test_new_hire_recoverable_draw(self):
        plan = self._draw_plan(
            draw_amount=3000.0, draw_type="recoverable", draw_months=3
        )
        # January, period 1 of 3: earned 1,000 < 3,000: top-up 2,000, pay
        # 3,000, balance 2,000
        january = self._month(plan, JAN)
        self.assertEqual(self._draw_lines(january), [("draw", 2000.0)])
        self.assertEqual(january.amount_total, 3000.0)
        self.assertEqual(january.draw_balance, 2000.0)
        top_up = january.line_ids.filtered(lambda line: line.line_type == "draw")
        self.assertEqual(top_up.name, "Draw top-up")
        self.assertEqual(top_up.base, 1000.0)
        self.assertEqual(
            top_up.explanation,
            "Draw 3,000 guaranteed for period 1 of 3: earned 1,000, topped up by "
            "2,000; recoverable balance 2,000.",
        )
        self._approve(january)
        # February, 2 of 3: earned 2,500: top-up 500, balance 2,000 + 500 = 2,500
        february = self._month(plan, FEB)
        self.assertEqual(self._draw_lines(february), [("draw", 500.0)])
        self.assertEqual(february.amount_total, 3000.0)
        self.assertEqual(february.draw_balance, 2500.0)
        self._approve(february)
        # March, 3 of 3: earned 5,000, 2,000 above the draw: recovered
        # min(2,500, 2,000) = 2,000; pay 3,000; balance 500
        march = self._month(plan, MAR)
        self.assertEqual(self._draw_lines(march), [("draw_recovery", -2000.0)])
        self.assertEqual(march.amount_total, 3000.0)
        self.assertEqual(march.draw_balance, 500.0)
        recovery = march.line_ids.filtered(
            lambda line: line.line_type == "draw_recovery"
        )
        self.assertEqual(recovery.name, "Draw recovery")
        self.assertEqual(
            recovery.explanation,
            "Draw recovery: 2,000 of the 2,500 balance recovered from the 2,000 "
            "earned above the draw 3,000 (period 3 of 3); balance 500.",
        )
        self._approve(march)
        # April, the draw is over: earned 4,000, recovered min(500, 4,000) =
        # 500 from all earnings; pay 3,500; balance 0
        april = self._month(plan, APR)
        self.assertEqual(self._draw_lines(april), [("draw_recovery", -500.0)])
        self.assertEqual(april.amount_total, 3500.0)
        self.assertEqual(april.draw_balance, 0.0)
        # recomputing April again gives the same (the balance comes from the
        # approved March, not from April itself)
        april.action_recompute()
        self.assertEqual((april.amount_total, april.draw_balance), (3500.0, 0.0))

    def test_balance_comes_from_approved_statements_only(self):
        plan = self._draw_plan(
            draw_amount=3000.0, draw_type="recoverable", draw_months=2
        )
        # January draft: 2,000 top-up; February computed before January is
        # approved carries nothing: 500 top-up, balance 500
        self._month(plan, JAN)
        february = self._month(plan, FEB)
        self.assertEqual(february.draw_balance, 500.0)
        # once January is approved, February recomputed carries its 2,000
        january = self._by_user(plan.generate_statements(*JAN))[self.hire]
        self._approve(january)
        february.action_recompute()
        self.assertEqual(february.draw_balance, 2500.0)
        self.assertEqual(february.amount_total, 3000.0)

    def test_non_recoverable_draw_keeps_no_balance(self):
        plan = self._draw_plan(
            draw_amount=3000.0, draw_type="non_recoverable", draw_months=3
        )
        # January: 1,000 + 2,000 top-up = 3,000, nothing owed
        january = self._month(plan, JAN)
        self.assertEqual(self._draw_lines(january), [("draw", 2000.0)])
        self.assertEqual((january.amount_total, january.draw_balance), (3000.0, 0.0))
        self.assertIn("(not recoverable)", january.line_ids[-1:].explanation)
        self._approve(january)
        # February: 2,500 + 500 = 3,000
        february = self._month(plan, FEB)
        self.assertEqual((february.amount_total, february.draw_balance), (3000.0, 0.0))
        self._approve(february)
        # March: 5,000 earned, above the draw, nothing recovered: a 0 line
        march = self._month(plan, MAR)
        self.assertEqual(self._draw_lines(march), [("draw", 0.0)])
        self.assertEqual(march.amount_total, 5000.0)
        self._approve(march)
        # April: the draw is over, no balance: no draw line, 4,000
        april = self._month(plan, APR)
        self.assertEqual(self._draw_lines(april), [])
        self.assertEqual(april.amount_total, 4000.0)

    def test_draw_counts_from_the_assignment_start_and_is_prorated(self):
        plan = self._draw_plan(
            draw_amount=3100.0, draw_type="recoverable", draw_months=1
        )
        # assigned from 17 January: 15 of 31 days, the draw 3,100 x 15 / 31 =
        # 1,500; the 10,000 won on 12 January does not count: earned 0,
        # top-up 1,500
        plan.assignment_ids.date_from = date(2031, 1, 17)
        january = self._month(plan, JAN)
        self.assertEqual(self._draw_lines(january), [("draw", 1500.0)])
        self.assertEqual(january.amount_total, 1500.0)
        self.assertEqual(january.draw_balance, 1500.0)
        self.assertIn(
            "Assigned from 2031-01-17 to 2031-01-31 (15 of 31 days): the draw 3,100 "
            "is prorated to 1,500.",
            january.line_ids.filtered(
                lambda line: line.line_type == "draw"
            ).explanation,
        )
        self._approve(january)
        # February is period 2: the 1-period draw is over; earned 2,500,
        # recovered min(1,500, 2,500) = 1,500; pay 1,000
        february = self._month(plan, FEB)
        self.assertEqual(self._draw_lines(february), [("draw_recovery", -1500.0)])
        self.assertEqual(february.amount_total, 1000.0)
        self.assertEqual(february.draw_balance, 0.0)

    def test_team_draw_applies_to_each_member_and_adjustments_count(self):
        plan = self._draw_plan(users=self.env["res.users"])
        plan.assignment_ids = [
            Command.create(
                {
                    "team_id": self.draw_team.id,
                    "draw_amount": 2000.0,
                    "draw_type": "recoverable",
                    "draw_months": 1,
                }
            )
        ]
        statements = self._by_user(plan.generate_statements(*JAN))
        # hire: earned 1,000, top-up 1,000; hire_2: earned 0, top-up 2,000
        self.assertEqual(self._draw_lines(statements[self.hire]), [("draw", 1000.0)])
        self.assertEqual(self._draw_lines(statements[self.hire_2]), [("draw", 2000.0)])
        self.assertEqual(statements[self.hire_2].amount_total, 2000.0)
        # a manual adjustment of 1,500 counts in what hire_2 earned: top-up
        # 2,000 - 1,500 = 500, total still 2,000, balance 500
        statement = statements[self.hire_2]
        self.env["sales.performance.incentive.statement.line"].with_user(
            self.admin
        ).create(
            {"statement_id": statement.id, "name": "Onboarding bonus", "amount": 1500}
        )
        statement.with_user(self.admin).action_recompute()
        self.assertEqual(self._draw_lines(statement), [("draw", 500.0)])
        self.assertEqual(
            (statement.amount_total, statement.draw_balance), (2000.0, 500.0)
        )
        # the plan's chatter tells who got which draw
        self.assertIn(
            "Draw for Draw Team: 2,000 (Recoverable), statement periods: 1.",
            "\n".join(plan.message_ids.mapped("body")),
        )

    def test_bad_draws_are_refused(self):
        plan = self._draw_plan()
        assignment = plan.assignment_ids
        for vals in (
            {"draw_amount": -100.0, "draw_months": 3},
            {"draw_amount": float("nan"), "draw_months": 3},
            {"draw_amount": float("inf"), "draw_months": 3},
            {"draw_amount": 2e9, "draw_months": 3},
            {"draw_amount": 1000.0, "draw_months": 0},
            {"draw_amount": 1000.0, "draw_months": -2},
        ):
            with self.subTest(vals=vals):
                with self.assertRaises(ValidationError), self.cr.savepoint():
                    assignment.with_user(self.admin).write(vals)
                assignment.invalidate_recordset()
                self.assertEqual(assignment.draw_amount, 0.0)
        # a negative draw on a new assignment is refused too: nothing saved
        with self.assertRaises(ValidationError), self.cr.savepoint():
            plan.with_user(self.admin).assignment_ids = [
                Command.create(
                    {"user_id": self.hire_2.id, "draw_amount": -1, "draw_months": 1}
                )
            ]
        self.assertEqual(plan.assignment_ids, assignment)

    def test_rights(self):
        plan = self._draw_plan(
            draw_amount=3000.0, draw_type="recoverable", draw_months=3
        )
        # the salesperson cannot give themselves a draw
        with self.assertRaises(AccessError):
            plan.assignment_ids.with_user(self.hire).write({"draw_amount": 9000.0})
        statement = self._month(plan, JAN)
        # nobody writes the balance by hand, not even an administrator
        with self.assertRaises(UserError):
            statement.with_user(self.admin).write({"draw_balance": 0.0})
        self._approve(statement)
        # the salesperson reads their own draw line once confirmed
        line = statement.with_user(self.hire).line_ids.filtered(
            lambda line: line.line_type == "draw"
        )
        self.assertEqual(line.amount, 2000.0)
        self.assertEqual(statement.with_user(self.hire).draw_balance, 2000.0)
