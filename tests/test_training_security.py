from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingSecurity(TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rec_employee = cls._passed()
        cls.rec_colleague = cls._passed(cls.emp_colleague)
        cls.rec_manager = cls._passed(cls.emp_manager)
        cls.rec_other = cls._passed(
            cls.emp_other, course=cls.course.copy({"company_id": cls.company_b.id})
        )
        cls.Record = cls.env["sales.performance.training.record"]

    def _visible(self, user):
        return self.Record.with_user(user).search([]) & (
            self.rec_employee | self.rec_colleague | self.rec_manager | self.rec_other
        )

    def test_employee_reads_only_own_records(self):
        self.assertEqual(self._visible(self.user_employee), self.rec_employee)
        with self.assertRaises(AccessError):
            self.rec_colleague.with_user(self.user_employee).read(["score"])

    def test_employee_registers_for_open_session(self):
        self.session.with_user(self.user_employee).action_register()
        record = self.session.record_ids
        self.assertEqual(record.employee_id, self.emp_employee)
        self.assertEqual(record.status, "registered")
        # ... can cancel that registration ...
        record.with_user(self.user_employee).unlink()
        self.assertFalse(self.session.record_ids)

    def test_employee_cannot_register_others_or_to_closed_session(self):
        Record = self.Record.with_user(self.user_employee)
        with self.assertRaises(AccessError):
            Record.create(
                {"employee_id": self.emp_colleague.id, "session_id": self.session.id}
            )
        self.session.action_cancel()
        with self.assertRaises(UserError):
            self.session.with_user(self.user_employee).action_register()
        self.assertFalse(self.session.record_ids)

    def test_employee_cannot_mark_own_record_passed(self):
        self.session.with_user(self.user_employee).action_register()
        record = self.session.record_ids
        with self.assertRaises(AccessError):
            record.with_user(self.user_employee).write({"status": "passed"})
        with self.assertRaises(AccessError):
            record.with_user(self.user_employee).write({"score": 100.0})
        with self.assertRaises(AccessError):
            self.Record.with_user(self.user_employee).create(
                {
                    "employee_id": self.emp_employee.id,
                    "course_id": self.course.id,
                    "status": "passed",
                }
            )
        self.assertEqual(record.status, "registered")
        # The certificate file is theirs to upload.
        record.with_user(self.user_employee).write(
            {"certificate_filename": "certificate.pdf"}
        )

    def test_employee_cannot_manage_sessions_or_courses(self):
        with self.assertRaises(AccessError):
            self.session.with_user(self.user_employee).action_close()
        with self.assertRaises(AccessError):
            self.course.with_user(self.user_employee).write({"name": "x"})
        with self.assertRaises(AccessError):
            self.env["sales.performance.training.course"].with_user(
                self.user_employee
            ).create({"name": "x"})

    def test_manager_reads_reports_records_only(self):
        self.assertEqual(
            self._visible(self.user_manager),
            self.rec_employee | self.rec_colleague | self.rec_manager,
        )
        with self.assertRaises(AccessError):
            self.rec_employee.with_user(self.user_manager).write({"status": "failed"})

    def test_training_manager_and_hr_manage_their_company(self):
        for user in (self.user_trainer, self.user_hr):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self._visible(user),
                    self.rec_employee | self.rec_colleague | self.rec_manager,
                )
                self.rec_colleague.with_user(user).write({"score": 75.0})
                session = (
                    self.env["sales.performance.training.session"]
                    .with_user(user)
                    .create(
                        {
                            "course_id": self.course.id,
                            "date_start": datetime(2036, 5, 1, 9),
                            "date_end": datetime(2036, 5, 1, 12),
                        }
                    )
                )
                session.action_close()
        self.assertEqual(self.rec_colleague.score, 75.0)

    def test_multi_company(self):
        self.assertEqual(self._visible(self.user_other_trainer), self.rec_other)
        self.assertEqual(self._visible(self.user_other), self.rec_other)
        with self.assertRaises(AccessError):
            self.rec_employee.with_user(self.user_other_trainer).read(["score"])
        with self.assertRaises(AccessError):
            self.session.with_user(self.user_other_trainer).read(["state"])

    def test_compliance_and_effectiveness_for_training_managers_only(self):
        for model in (
            "sales.performance.training.compliance",
            "sales.performance.training.effectiveness",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.user_employee).search([])
            self.env[model].with_user(self.user_trainer).search([])

    def test_course_of_another_company_is_hidden(self):
        course_b = self.rec_other.course_id
        Course = self.env["sales.performance.training.course"]
        self.assertNotIn(course_b, Course.with_user(self.user_trainer).search([]))
        self.assertIn(course_b, Course.with_user(self.user_other).search([]))
        # A course without company is shared.
        self.course.company_id = False
        self.assertIn(self.course, Course.with_user(self.user_other).search([]))
