from contextlib import contextmanager
from datetime import date

from odoo.fields import Command

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user


class EvaluationCommon(BaseCommon):
    """Users, employees (a three-level hierarchy), targets and a template."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        salesman = "base.group_user,sales_team.group_sale_salesman"
        cls.user_hr = mail_new_test_user(
            cls.env,
            login="sp_eval_hr",
            name="Hannah HR",
            groups="base.group_user,hr.group_hr_user",
        )
        cls.user_top = mail_new_test_user(
            cls.env, login="sp_eval_top", name="Tom Top", groups=salesman
        )
        cls.user_manager = mail_new_test_user(
            cls.env, login="sp_eval_manager", name="Mia Manager", groups=salesman
        )
        cls.user_employee = mail_new_test_user(
            cls.env, login="sp_eval_employee", name="Eve Employee", groups=salesman
        )
        cls.user_colleague = mail_new_test_user(
            cls.env, login="sp_eval_colleague", name="Carl Colleague", groups=salesman
        )
        cls.department = cls.env["hr.department"].create({"name": "SP Eval Sales"})
        cls.job = cls.env["hr.job"].create({"name": "SP Eval Account Executive"})
        Employee = cls.env["hr.employee"]
        cls.emp_top = Employee.create({"name": "Tom Top", "user_id": cls.user_top.id})
        cls.emp_manager = Employee.create(
            {
                "name": "Mia Manager",
                "user_id": cls.user_manager.id,
                "parent_id": cls.emp_top.id,
            }
        )
        cls.emp_employee = Employee.create(
            {
                "name": "Eve Employee",
                "user_id": cls.user_employee.id,
                "parent_id": cls.emp_manager.id,
                "department_id": cls.department.id,
                "job_id": cls.job.id,
            }
        )
        cls.emp_colleague = Employee.create(
            {
                "name": "Carl Colleague",
                "user_id": cls.user_colleague.id,
                "parent_id": cls.emp_top.id,
                "department_id": cls.department.id,
            }
        )
        cls.metric_won = cls.env.ref("sales_performance.metric_won_revenue")
        cls.metric_sales = cls.env.ref("sales_performance.metric_confirmed_sales")
        cls.competency_a = cls.env.ref(
            "sales_performance.evaluation_competency_product_knowledge"
        )
        cls.competency_b = cls.env.ref(
            "sales_performance.evaluation_competency_teamwork"
        )
        cls.date_from = date(2026, 1, 1)
        cls.date_to = date(2026, 3, 31)
        # Won revenue: two monthly targets in the period, one after it.
        cls._target(
            cls.metric_won, date(2026, 1, 1), date(2026, 1, 31), 10000.0, 9000.0
        )
        cls._target(
            cls.metric_won, date(2026, 2, 1), date(2026, 2, 28), 10000.0, 14000.0
        )
        cls._target(cls.metric_won, date(2026, 4, 1), date(2026, 4, 30), 50000.0, 1.0)
        # Confirmed sales: one quarterly target, 150 % achieved.
        cls._target(
            cls.metric_sales, date(2026, 1, 1), date(2026, 3, 31), 5000.0, 7500.0
        )
        cls.template = cls.env["sales.performance.evaluation.template"].create(
            {
                "name": "SP Eval Template",
                "job_ids": [Command.link(cls.job.id)],
                "line_ids": [
                    Command.create(
                        {"kind": "kpi", "metric_id": cls.metric_won.id, "weight": 40}
                    ),
                    Command.create(
                        {"kind": "kpi", "metric_id": cls.metric_sales.id, "weight": 20}
                    ),
                    Command.create(
                        {
                            "kind": "competency",
                            "competency_id": cls.competency_a.id,
                            "weight": 20,
                        }
                    ),
                    Command.create(
                        {
                            "kind": "competency",
                            "competency_id": cls.competency_b.id,
                            "weight": 20,
                        }
                    ),
                ],
            }
        )

    @classmethod
    def _target(
        cls, metric, date_from, date_to, target_value, achieved_value, user=None
    ):
        target = cls.env["sales.performance.target"].create(
            {
                "user_id": (user or cls.user_employee).id,
                "metric_id": metric.id,
                "company_id": cls.company.id,
                "date_from": date_from,
                "date_to": date_to,
                "target_value": target_value,
            }
        )
        target.sudo().write({"achieved_value": achieved_value})
        return target

    @classmethod
    def _evaluation(cls, employee=None, **vals):
        return cls.env["sales.performance.evaluation"].create(
            {
                "employee_id": (employee or cls.emp_employee).id,
                "date_from": cls.date_from,
                "date_to": cls.date_to,
                "template_id": cls.template.id,
                **vals,
            }
        )

    def _lines(self, evaluation):
        lines = evaluation.sudo().line_ids
        return {
            "won": lines.filtered(lambda ln: ln.metric_id == self.metric_won),
            "sales": lines.filtered(lambda ln: ln.metric_id == self.metric_sales),
            "competency_a": lines.filtered(
                lambda ln: ln.competency_id == self.competency_a
            ),
            "competency_b": lines.filtered(
                lambda ln: ln.competency_id == self.competency_b
            ),
        }

    @contextmanager
    def assertRaisesMessage(self, exception, text):
        """assertRaises (which rolls back to a savepoint) checking the message too."""
        with self.assertRaises(exception) as cm:
            yield cm
        self.assertIn(text, str(cm.exception))

    def _activities(self, evaluation, xmlid):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "sales.performance.evaluation"),
                ("res_id", "=", evaluation.id),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )
