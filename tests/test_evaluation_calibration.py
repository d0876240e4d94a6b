from odoo.fields import Command
from odoo.tests import tagged

from .common import EvaluationCommon


@tagged("post_install", "-at_install")
class TestEvaluationCalibration(EvaluationCommon):
    def _done(self, employee, evaluator, rating, company):
        return self.env["sales.performance.evaluation"].create(
            {
                "employee_id": employee.id,
                "evaluator_id": evaluator.id,
                "company_id": company.id,
                "date_from": self.date_from,
                "date_to": self.date_to,
                "state": "done",
                "line_ids": [
                    Command.create(
                        {
                            "kind": "competency",
                            "competency_id": self.competency_a.id,
                            "weight": 100,
                            "manager_rating": rating,
                        }
                    )
                ],
            }
        )

    def test_manager_average_against_company(self):
        company = self.company_b
        Employee = self.env["hr.employee"].with_company(company)
        employees = [
            Employee.create({"name": name, "company_id": company.id})
            for name in ("Ann", "Bob", "Cid")
        ]
        # Mia rates Ann 5 (100); Tom rates Bob 3 (60) and Cid 4 (80).
        self._done(employees[0], self.user_manager, 5, company)
        self._done(employees[1], self.user_top, 3, company)
        self._done(employees[2], self.user_top, 4, company)
        self.env.flush_all()
        rows = self.env["sales.performance.evaluation.report"].search(
            [("company_id", "=", company.id)]
        )
        by_manager = {row.evaluator_id: row for row in rows}
        # Company average (100 + 60 + 80) / 3 = 80.
        self.assertAlmostEqual(by_manager[self.user_manager].average_score, 100.0)
        self.assertAlmostEqual(by_manager[self.user_manager].company_average, 80.0)
        self.assertAlmostEqual(by_manager[self.user_manager].difference, 20.0)
        self.assertEqual(by_manager[self.user_top].evaluation_count, 2)
        self.assertAlmostEqual(by_manager[self.user_top].average_score, 70.0)
        self.assertAlmostEqual(by_manager[self.user_top].difference, -10.0)

    def test_employee_form_history(self):
        first = self._evaluation()
        second = self._evaluation(date_from="2026-04-01", date_to="2026-06-30")
        self.assertEqual(self.emp_employee.sales_performance_evaluation_count, 2)
        self.assertEqual(
            self.emp_employee.sales_performance_evaluation_ids, first | second
        )
        action = self.emp_employee.action_open_sales_performance_evaluations()
        self.assertEqual(action["res_model"], "sales.performance.evaluation")
        self.assertEqual(
            self.env["sales.performance.evaluation"].search(action["domain"]),
            first | second,
        )
        self.assertEqual(self.emp_colleague.sales_performance_evaluation_count, 0)
