"""The score pays: incentive rules of kind ``evaluation`` (issue #15).

January 2031 (IncentiveCommon): the commission rule pays sp1 5 % x 90,000 =
4,500 (90 % attainment, band [80, 100)), sp2 8 % x 120,000 = 9,600 (120 %),
sp3 nothing (no target). Expected figures are computed by hand below.
"""

from datetime import date

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import JAN, IncentiveCommon

# (from, to, amount, factor)
BANDS = [(0, 80, 0, 1.0), (80, 90, 1000, 1.2), (90, 0, 1500, 1.5)]


@tagged("post_install", "-at_install")
class TestIncentiveEvaluation(IncentiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"].sudo()
        cls.emp1, cls.emp2, cls.emp3 = (
            Employee.create(
                {"name": user.name, "user_id": user.id, "company_id": cls.company.id}
            )
            for user in (cls.sp1, cls.sp2, cls.sp3)
        )

    @classmethod
    def _evaluation(cls, employee, score, date_from, date_to, done=True):
        """An evaluation whose final score is ``score`` (one KPI line of
        weight 100 whose score is set by hand: 100 x score / 100 = score)."""
        evaluation = (
            cls.env["sales.performance.evaluation"]
            .sudo()
            .create(
                {
                    "employee_id": employee.id,
                    "company_id": cls.company.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "line_ids": [
                        Command.create(
                            {
                                "kind": "kpi",
                                "metric_id": cls.metric_won.id,
                                "weight": 100,
                                "is_adjusted": True,
                                "adjusted_score": score,
                                "adjustment_reason": "Set for the test",
                            }
                        )
                    ],
                }
            )
        )
        evaluation.write({"state": "done" if done else "manager_review"})
        return evaluation

    def _evaluation_plan(self, mode):
        plan = self._plan(
            [
                self._commission(name="Commission"),
                {
                    "name": "Score",
                    "kind": "evaluation",
                    "evaluation_mode": mode,
                    "sequence": 20,
                },
            ],
            activate=False,
        )
        rule = plan.rule_ids.filtered(lambda r: r.kind == "evaluation")
        rule.tier_ids = [
            Command.create(
                {"lower": lo, "upper": up, "amount": amount, "factor": factor}
            )
            for lo, up, amount, factor in BANDS
        ]
        plan.action_activate()
        return plan

    @staticmethod
    def _line(statement, kind):
        return statement.line_ids.filtered(
            lambda line: line.line_type == "rule" and line.kind == kind
        )

    def test_amount_bands(self):
        # sp1: done January evaluation, final score 87 -> band [80, 90): 1,000
        ev1 = self._evaluation(self.emp1, 87, date(2031, 1, 1), date(2031, 1, 31))
        # sp2: a done evaluation of December 2030 (another period) and an
        # evaluation of January not done yet: neither pays
        self._evaluation(self.emp2, 95, date(2030, 12, 1), date(2030, 12, 31))
        self._evaluation(self.emp2, 95, date(2031, 1, 1), date(2031, 1, 31), done=False)
        self.assertAlmostEqual(ev1.final_score, 87.0)
        plan = self._evaluation_plan("amount")
        statements = self._by_user(plan.generate_statements(*JAN))

        line1 = self._line(statements[self.sp1], "evaluation")
        self.assertEqual(line1.amount, 1000.0)
        self.assertEqual(line1.evaluation_id, ev1)
        self.assertIn(ev1.name, line1.name)
        self.assertEqual(line1.band, "[80, 90)")
        self.assertIn("87", line1.explanation)
        # 4,500 commission + 1,000 score bonus
        self.assertEqual(statements[self.sp1].amount_total, 5500.0)

        for user, commission in ((self.sp2, 9600.0), (self.sp3, 0.0)):
            line = self._line(statements[user], "evaluation")
            self.assertEqual(line.amount, 0.0)
            self.assertFalse(line.evaluation_id)
            self.assertIn("No done evaluation", line.explanation)
            self.assertIn("no done evaluation", line.name)
            self.assertEqual(statements[user].amount_total, commission)

    def test_multiplier(self):
        # sp1 87 -> factor 1.2: (1.2 - 1) x 4,500 = 900; total 4,500 x 1.2 = 5,400
        # sp2 92 -> factor 1.5: (1.5 - 1) x 9,600 = 4,800; total 14,400
        self._evaluation(self.emp1, 87, date(2031, 1, 1), date(2031, 1, 31))
        self._evaluation(self.emp2, 92, date(2031, 1, 1), date(2031, 1, 31))
        plan = self._evaluation_plan("multiplier")
        statements = self._by_user(plan.generate_statements(*JAN))

        sp1 = statements[self.sp1]
        self.assertEqual(self._line(sp1, "commission").amount, 4500.0)
        self.assertEqual(self._line(sp1, "evaluation").amount, 900.0)
        self.assertIn("4,500", self._line(sp1, "evaluation").explanation)
        self.assertEqual(sp1.amount_total, 5400.0)
        sp2 = statements[self.sp2]
        self.assertEqual(self._line(sp2, "evaluation").amount, 4800.0)
        self.assertEqual(sp2.amount_total, 14400.0)
        # sp3: no evaluation, nothing added
        self.assertEqual(self._line(statements[self.sp3], "evaluation").amount, 0.0)

    def test_latest_done_evaluation_of_the_period(self):
        # two done evaluations end in January: the one ending last (score 92,
        # band [90, inf): 1,500) pays, not the earlier one (score 85)
        self._evaluation(self.emp1, 85, date(2030, 12, 1), date(2031, 1, 10))
        latest = self._evaluation(self.emp1, 92, date(2031, 1, 11), date(2031, 1, 31))
        plan = self._evaluation_plan("amount")
        statement = self._by_user(plan.generate_statements(*JAN))[self.sp1]
        line = self._line(statement, "evaluation")
        self.assertEqual(line.evaluation_id, latest)
        self.assertEqual(line.amount, 1500.0)

    def test_one_query_for_all_salespeople(self):
        for employee, score in ((self.emp1, 87), (self.emp2, 92), (self.emp3, 70)):
            self._evaluation(employee, score, date(2031, 1, 1), date(2031, 1, 31))
        plan = self._evaluation_plan("amount")
        self.env.invalidate_all()
        users = self.sp1 | self.sp2 | self.sp3
        # the plan's company (cache invalidated), then one search for all three
        with self.assertQueryCount(2):
            found = plan._done_evaluations(users, *JAN)
        self.assertEqual(
            {user_id: ev.final_score for user_id, ev in found.items()},
            {self.sp1.id: 87.0, self.sp2.id: 92.0, self.sp3.id: 70.0},
        )

    def test_snapshot_and_summary(self):
        plan = self._evaluation_plan("multiplier")
        rule = plan.rule_ids.filtered(lambda r: r.kind == "evaluation")
        snapshot = rule._snapshot()
        self.assertEqual(snapshot["evaluation_mode"], "multiplier")
        self.assertEqual([t["factor"] for t in snapshot["tiers"]], [1.0, 1.2, 1.5])
        self.assertIn("× 1.20", rule.summary)
        # changing the mode of an active plan's rule updates its version
        rule.evaluation_mode = "amount"
        rules = plan.version_ids.sorted("version")[-1]._rules()
        self.assertEqual(
            next(r for r in rules if r["kind"] == "evaluation")["evaluation_mode"],
            "amount",
        )

    def test_bad_input(self):
        plan = self._evaluation_plan("multiplier")
        rule = plan.rule_ids.filtered(lambda r: r.kind == "evaluation")
        for factor in (-0.5, float("nan"), float("inf"), 11.0):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                rule.tier_ids[0].factor = factor
        with self.assertRaises(ValidationError), self.cr.savepoint():
            rule.gate = 50.0
        # overlapping score bands
        with self.assertRaises(ValidationError), self.cr.savepoint():
            rule.tier_ids = [Command.create({"lower": 85, "upper": 95, "factor": 1})]
        self.assertEqual(len(rule.tier_ids), 3)

    def test_salesperson_reads_only_own_line(self):
        self._evaluation(self.emp1, 87, date(2031, 1, 1), date(2031, 1, 31))
        plan = self._evaluation_plan("amount")
        statements = self._by_user(plan.generate_statements(*JAN))
        Line = self.env["sales.performance.incentive.statement.line"].with_user(
            self.sp2
        )
        visible = Line.search([("kind", "=", "evaluation")])
        self.assertNotIn(self._line(statements[self.sp1], "evaluation"), visible)
