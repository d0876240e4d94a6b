from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingRecord(TrainingCommon):
    def test_certificate_expiry_from_course_validity(self):
        record = self._passed(day=date(2026, 1, 31))
        # 31 January + 12 months
        self.assertEqual(record.date_expiry, date(2027, 1, 31))
        self.course.validity_months = 1
        self.assertEqual(record.date_expiry, date(2026, 2, 28))
        attended = self._record(status="attended", date_completed=date(2026, 1, 31))
        self.assertFalse(attended.date_expiry)

    def test_course_without_validity_gives_no_certificate(self):
        course = self.course.copy({"validity_months": 0})
        record = self._passed(course=course)
        self.assertFalse(record.date_expiry)
        self.assertEqual(record.certificate_state, "none")

    @freeze_time("2026-12-20")
    def test_certificate_state(self):
        valid = self._passed(day=date(2026, 6, 1))  # expires 2027-06-01
        expiring = self._passed(day=date(2026, 1, 10))  # expires 2027-01-10
        expired = self._passed(day=date(2025, 12, 1))  # expired 2026-12-01
        self.assertEqual(valid.certificate_state, "valid")
        self.assertEqual(expiring.certificate_state, "expiring")
        self.assertEqual(expired.certificate_state, "expired")

    def test_session_end_before_start_is_refused(self):
        Session = self.env["sales.performance.training.session"]
        with self.assertRaises(ValidationError):
            Session.create(
                {
                    "course_id": self.course.id,
                    "date_start": datetime(2036, 3, 2, 9),
                    "date_end": datetime(2036, 3, 1, 17),
                }
            )
        self.assertFalse(
            Session.search(
                [("course_id", "=", self.course.id), ("id", "!=", self.session.id)]
            )
        )

    def test_double_registration_is_refused(self):
        """A unique index: the database refuses the second registration and
        Odoo's RPC layer shows the index's message (_sql_error_to_message)."""
        Record = self.env["sales.performance.training.record"]
        self._record(session_id=self.session.id)
        with self.assertRaises(IntegrityError) as caught, mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self._record(session_id=self.session.id)
                Record.flush_model()
        self.assertIn(
            "already registered", Record._sql_error_to_message(caught.exception)
        )
        # within one batch too; nothing of the batch is saved
        other = self.session.copy({"capacity": 10})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                Record.create(
                    [
                        {
                            "employee_id": employee.id,
                            "course_id": self.course.id,
                            "session_id": other.id,
                        }
                        for employee in (self.emp_colleague, self.emp_employee)
                        + (self.emp_colleague,)
                    ]
                )
                Record.flush_model()
        Record.invalidate_model()
        self.session.invalidate_recordset()
        other.invalidate_recordset()
        self.assertFalse(other.record_ids)
        self.assertEqual(len(self.session.record_ids), 1)
        # the same employee in two sessions, or without a session, is fine
        self._record(session_id=other.id)
        self._record()

    def test_over_capacity_registration_is_refused(self):
        self._record(session_id=self.session.id)
        self._record(self.emp_colleague, session_id=self.session.id)
        with self.assertRaises(ValidationError):
            self._record(self.emp_manager, session_id=self.session.id)
        self.assertEqual(len(self.session.record_ids), 2)
        self.assertEqual(self.session.seats_available, 0)

    def test_second_record_same_employee_and_session_is_refused(self):
        self._record(session_id=self.session.id)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self._record(session_id=self.session.id)
                self.env["sales.performance.training.record"].flush_model()
        self.session.invalidate_recordset()
        self.assertEqual(len(self.session.record_ids), 1)

    def test_negative_hours_or_cost_and_score_out_of_range_are_refused(self):
        Record = self.env["sales.performance.training.record"]
        for vals in ({"hours": -1.0}, {"score": -0.5}, {"score": 100.5}):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self._record(**vals)
        self.assertFalse(Record.search([("employee_id", "=", self.emp_employee.id)]))
        with self.assertRaises(ValidationError):
            self.course.copy({"cost_per_participant": -1.0})
        with self.assertRaises(ValidationError):
            self.course.copy({"duration_hours": -2.0})
        self.assertEqual(
            self.env["sales.performance.training.course"].search_count(
                [("name", "=", self.course.name)]
            ),
            1,
        )
        # The limits themselves are accepted.
        self.assertEqual(self._record(score=100.0, hours=0.0).score, 100.0)

    def test_closing_session_turns_registrations_into_records(self):
        eve = self._record(session_id=self.session.id)
        carl = self._record(
            self.emp_colleague, session_id=self.session.id, status="absent"
        )
        self.session.action_start()
        self.session.action_close()
        self.assertEqual(self.session.state, "done")
        self.assertEqual(eve.status, "attended")
        self.assertEqual(eve.hours, 8.0)
        self.assertEqual(eve.date_completed, date(2036, 3, 2))
        self.assertEqual(carl.status, "absent")
        self.assertFalse(carl.hours)
        eve.write({"status": "passed", "score": 88.0})
        self.assertEqual(eve.date_expiry, date(2037, 3, 2))

    @freeze_time("2026-06-30")
    def test_employee_hours_this_year(self):
        self._passed(day=date(2026, 1, 15), hours=8.0)
        self._record(status="attended", date_completed=date(2026, 5, 1), hours=3.5)
        self._record(status="attended", date_completed=date(2025, 12, 31), hours=7)
        self._record(status="registered")
        employee = self.emp_employee.with_user(self.user_hr)
        self.assertEqual(employee.sales_performance_training_hours_year, 11.5)
        self.assertEqual(employee.sales_performance_training_count, 4)
        profile = self.user_employee.with_user(self.user_employee)
        self.assertEqual(profile.sales_performance_training_hours_year, 11.5)
        self.assertEqual(profile.sales_performance_training_count, 4)
        action = profile.action_open_my_training()
        self.assertEqual(
            self.env["sales.performance.training.record"]
            .with_user(self.user_employee)
            .search_count(safe_eval(action["domain"], {"uid": self.user_employee.id})),
            4,
        )

    @freeze_time("2026-12-10")
    def test_expiry_scheduler_creates_activities_once(self):
        soon = self._passed(day=date(2026, 1, 5))  # expires 2027-01-05: 26 days
        self._passed(day=date(2026, 3, 1))  # expires 2027-03-01: too far
        self._passed(day=date(2025, 12, 1))  # already expired
        Record = self.env["sales.performance.training.record"]
        Record._cron_notify_expiring()
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "sales.performance.training.record"),
                (
                    "res_id",
                    "in",
                    Record.search([("employee_id", "=", self.emp_employee.id)]).ids,
                ),
            ]
        )
        self.assertEqual(set(activities.mapped("res_id")), {soon.id})
        self.assertEqual(activities.user_id, self.user_employee | self.user_manager)
        self.assertEqual(set(activities.mapped("date_deadline")), {date(2027, 1, 5)})
        self.assertEqual(
            activities.activity_type_id,
            self.env.ref("sales_performance.mail_activity_type_training_renewal"),
        )
        Record._cron_notify_expiring()
        self.assertEqual(len(soon.activity_ids), 2)

    def test_compliance_lists_missing_expired_and_expiring(self):
        # The view compares with the database's current date: dates relative
        # to today (a 12-month certificate obtained ~11 months and 10 days ago
        # expires in about 20 days).
        today = date.today()
        self.course.mandatory_job_ids = self.job
        self._passed(day=today - relativedelta(months=12, days=-20))
        self.env.flush_all()
        Compliance = self.env["sales.performance.training.compliance"]
        rows = Compliance.search([("course_id", "=", self.course.id)])
        found = {row.employee_id: row.compliance_state for row in rows}
        self.assertEqual(
            found,
            {self.emp_employee: "expiring", self.emp_colleague: "missing"},
        )
        self._passed(self.emp_colleague, day=today - relativedelta(months=13))
        self._passed(day=today - relativedelta(months=1))  # Eve renewed
        self.env.flush_all()
        Compliance.invalidate_model()
        rows = Compliance.search([("course_id", "=", self.course.id)])
        found = {row.employee_id: row.compliance_state for row in rows}
        self.assertEqual(
            found, {self.emp_employee: "valid", self.emp_colleague: "expired"}
        )
        # Mandatory for a sales team: its members too.
        team = self._new_team("SP Training Team", members=self.user_manager)
        self.course.write({"mandatory_job_ids": [(5,)], "mandatory_team_ids": team})
        self.env.flush_all()
        Compliance.invalidate_model()
        rows = Compliance.search([("course_id", "=", self.course.id)])
        self.assertEqual(rows.employee_id, self.emp_manager)
        self.assertEqual(rows.compliance_state, "missing")
