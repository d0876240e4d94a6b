"""Fixtures of the training tests: a training manager, an HR officer, a line
manager and two of their reports, an outsider of another company, a course
with a 12-month certificate and a planned session. No demo data is used."""

from datetime import date, datetime

from odoo import Command

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user

SALESMAN = "base.group_user,sales_team.group_sale_salesman"
TRAINING_MANAGER = "sales_performance.group_sales_performance_training_manager"


class TrainingCommon(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "SP Training B"})
        cls.env.user.company_ids = [Command.link(cls.company_b.id)]

        def user(login, groups=SALESMAN, company=None):
            company = company or cls.company
            return mail_new_test_user(
                cls.env,
                login=login,
                name=login,
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
                tz="UTC",
            )

        cls.user_trainer = user("sp_tr_trainer", SALESMAN + "," + TRAINING_MANAGER)
        cls.user_hr = user("sp_tr_hr", "base.group_user,hr.group_hr_user")
        cls.user_manager = user("sp_tr_manager")
        cls.user_employee = user("sp_tr_employee")
        cls.user_colleague = user("sp_tr_colleague")
        cls.user_other = user("sp_tr_other", company=cls.company_b)
        cls.user_other_trainer = user(
            "sp_tr_other_trainer", SALESMAN + "," + TRAINING_MANAGER, cls.company_b
        )
        cls.job = cls.env["hr.job"].create({"name": "SP Training Account Executive"})
        Employee = cls.env["hr.employee"]
        cls.emp_manager = Employee.create(
            {"name": "Mia Manager", "user_id": cls.user_manager.id}
        )
        cls.emp_employee = Employee.create(
            {
                "name": "Eve Employee",
                "user_id": cls.user_employee.id,
                "parent_id": cls.emp_manager.id,
                "job_id": cls.job.id,
            }
        )
        cls.emp_colleague = Employee.create(
            {
                "name": "Carl Colleague",
                "user_id": cls.user_colleague.id,
                "parent_id": cls.emp_manager.id,
                "job_id": cls.job.id,
            }
        )
        cls.emp_other = Employee.create(
            {
                "name": "Otto Other",
                "user_id": cls.user_other.id,
                "company_id": cls.company_b.id,
            }
        )
        cls.course = cls.env["sales.performance.training.course"].create(
            {
                "name": "Consultative Selling",
                "duration_hours": 8.0,
                "validity_months": 12,
                "cost_per_participant": 300.0,
                "company_id": cls.company.id,
            }
        )
        cls.session = cls.env["sales.performance.training.session"].create(
            {
                "course_id": cls.course.id,
                "date_start": datetime(2036, 3, 2, 9),
                "date_end": datetime(2036, 3, 2, 17),
                "capacity": 2,
                "company_id": cls.company.id,
            }
        )

    @classmethod
    def _record(cls, employee=None, course=None, **vals):
        return cls.env["sales.performance.training.record"].create(
            {
                "employee_id": (employee or cls.emp_employee).id,
                "course_id": (course or cls.course).id,
                **vals,
            }
        )

    @classmethod
    def _passed(cls, employee=None, course=None, day=date(2026, 1, 15), **vals):
        vals.setdefault("hours", 8.0)
        return cls._record(
            employee, course, status="passed", date_completed=day, **vals
        )
