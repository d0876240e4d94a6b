from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import EvaluationCommon


@tagged("post_install", "-at_install")
class TestEvaluationCreateWizard(EvaluationCommon):
    def _wizard(self, **vals):
        return (
            self.env["sales.performance.evaluation.create"]
            .with_user(self.user_hr)
            .create({"date_from": self.date_from, "date_to": self.date_to, **vals})
        )

    def _evaluations_of(self, employees):
        return self.env["sales.performance.evaluation"].search(
            [("employee_id", "in", employees.ids), ("date_from", "=", self.date_from)]
        )

    def test_departments_from_templates_skipping_existing(self):
        existing = self._evaluation(
            employee=self.emp_colleague,
            date_from=date(2026, 2, 1),
            date_to=date(2026, 2, 28),
        )
        result = self._wizard(
            department_ids=[Command.set(self.department.ids)],
            deadline=date(2026, 4, 15),
        ).action_create()
        self.assertEqual(result["params"]["type"], "success")
        self.assertIn("1 evaluations created, 1 skipped", result["params"]["message"])
        created = self._evaluations_of(self.emp_employee)
        self.assertEqual(len(created), 1)
        self.assertEqual(created.template_id, self.template)
        self.assertEqual(created.deadline, date(2026, 4, 15))
        self.assertEqual(
            sorted(created.line_ids.mapped("weight")), [20.0, 20.0, 20.0, 40.0]
        )
        self.assertEqual(
            self.env["sales.performance.evaluation"].search(
                [("employee_id", "=", self.emp_colleague.id)]
            ),
            existing,
        )
        # Running it again creates nothing more.
        result = self._wizard(
            department_ids=[Command.set(self.department.ids)]
        ).action_create()
        self.assertIn("0 evaluations created, 2 skipped", result["params"]["message"])
        self.assertEqual(result["params"]["type"], "warning")

    def test_job_positions_and_sales_teams(self):
        team = self._new_team("SP Eval Team", members=self.user_manager)
        self._wizard(job_ids=[Command.set(self.job.ids)]).action_create()
        self.assertEqual(len(self._evaluations_of(self.emp_employee)), 1)
        self._wizard(
            team_ids=[Command.set(team.ids)], template_id=self.template.id
        ).action_create()
        evaluation = self._evaluations_of(self.emp_manager)
        self.assertEqual(len(evaluation), 1)
        self.assertEqual(evaluation.evaluator_id, self.user_top)
        self.assertFalse(self._evaluations_of(self.emp_colleague))

    def test_needs_a_criterion_and_hr_rights(self):
        with self.assertRaises(UserError):
            self._wizard().action_create()
        with self.assertRaises(AccessError):
            self.env["sales.performance.evaluation.create"].with_user(
                self.user_employee
            ).create({"date_from": self.date_from, "date_to": self.date_to})
