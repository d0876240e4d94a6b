from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import JAN, IncentiveCommon


@tagged("post_install", "-at_install")
class TestTrainingEligibility(IncentiveCommon):
    """A plan requiring a certification holds the payout of salespeople whose
    employee has no valid certificate (the statements are still computed)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.course = cls.env["sales.performance.training.course"].create(
            {"name": "SP Compliance Certificate", "validity_months": 12}
        )
        Employee = cls.env["hr.employee"]
        cls.emp1 = Employee.create({"name": "Sp One", "user_id": cls.sp1.id})
        cls.emp2 = Employee.create({"name": "Sp Two", "user_id": cls.sp2.id})
        # sp3 has no employee.
        Record = cls.env["sales.performance.training.record"]
        # sp1: passed on 2030-01-15, expired on 2031-01-15.
        Record.create(
            {
                "employee_id": cls.emp1.id,
                "course_id": cls.course.id,
                "status": "passed",
                "date_completed": date(2030, 1, 15),
            }
        )
        # sp2: passed on 2030-06-01, valid until 2031-06-01.
        Record.create(
            {
                "employee_id": cls.emp2.id,
                "course_id": cls.course.id,
                "status": "passed",
                "date_completed": date(2030, 6, 1),
            }
        )

    def _statements(self, plan):
        return self._by_user(plan.generate_statements(*JAN))

    @freeze_time("2031-02-01")
    def test_missing_or_expired_certificate_holds_payout(self):
        plan = self._plan([self._commission("flat")], activate=False)
        plan.required_course_ids = self.course
        plan.action_activate()
        statements = self._statements(plan)
        self.assertIn("SP Compliance Certificate", statements[self.sp1].hold_reason)
        self.assertIn("expired", statements[self.sp1].hold_reason)
        self.assertFalse(statements[self.sp2].hold_reason)
        self.assertIn("No employee", statements[self.sp3].hold_reason)
        # The amounts are still computed (sp2: 120 % attainment, flat 8 % of
        # 120,000 = 9,600); only the payment is held.
        self.assertEqual(statements[self.sp2].amount_total, 9600.0)

    @freeze_time("2031-02-01")
    def test_plan_without_required_course_holds_nothing(self):
        statements = self._statements(self._plan([self._commission("flat")]))
        self.assertFalse(any(s.hold_reason for s in statements.values()))

    @freeze_time("2031-02-01")
    def test_renewed_certificate_releases_payout(self):
        plan = self._plan([self._commission("flat")], activate=False)
        plan.required_course_ids = self.course
        plan.action_activate()
        self.env["sales.performance.training.record"].create(
            {
                "employee_id": self.emp1.id,
                "course_id": self.course.id,
                "status": "passed",
                "date_completed": date(2031, 1, 20),
            }
        )
        self.assertFalse(self._statements(plan)[self.sp1].hold_reason)
