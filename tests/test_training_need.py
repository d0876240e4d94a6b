from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import EvaluationCommon


@tagged("post_install", "-at_install")
class TestTrainingNeed(EvaluationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Course = cls.env["sales.performance.training.course"]
        cls.course_knowledge = Course.create(
            {
                "name": "SP Product Academy",
                "competency_ids": [(6, 0, cls.competency_a.ids)],
            }
        )
        cls.course_closing = Course.create(
            {"name": "SP Closing Deals", "metric_ids": [(6, 0, cls.metric_won.ids)]}
        )
        cls.session = cls.env["sales.performance.training.session"].create(
            {
                "course_id": cls.course_knowledge.id,
                "date_start": datetime(2036, 1, 10, 9),
                "date_end": datetime(2036, 1, 10, 17),
                "capacity": 10,
            }
        )
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("sales_performance.training_rating_threshold", "2")
        # Won revenue reaches 115 % (see EvaluationCommon), confirmed sales 150 %.
        params.set_param("sales_performance.training_attainment_threshold", "120")

    def _done(self, rating_a, rating_b):
        evaluation = self._evaluation()
        evaluation.action_start_self_assessment()
        lines = self._lines(evaluation)
        (lines["competency_a"] | lines["competency_b"]).write({"self_rating": 3})
        evaluation.action_submit_self_assessment()
        lines["competency_a"].manager_rating = rating_a
        lines["competency_b"].manager_rating = rating_b
        evaluation.with_user(self.user_manager).action_done()
        return evaluation

    def _needs(self, evaluation):
        return self.env["sales.performance.training.need"].search(
            [("evaluation_id", "=", evaluation.id)]
        )

    def test_low_rating_and_low_attainment_propose_courses(self):
        evaluation = self._done(rating_a=2, rating_b=3)
        needs = self._needs(evaluation)
        by_kind = {need.kind: need for need in needs}
        self.assertEqual(len(needs), 2)
        competency = by_kind["competency"]
        self.assertEqual(competency.competency_id, self.competency_a)
        self.assertEqual(competency.value, 2)
        # (demo courses developing the same competency may be proposed too)
        self.assertIn(self.course_knowledge, competency.proposed_course_ids)
        self.assertNotIn(self.course_closing, competency.proposed_course_ids)
        kpi = by_kind["kpi"]
        self.assertEqual(kpi.metric_id, self.metric_won)
        self.assertAlmostEqual(kpi.value, 115.0)
        self.assertIn(self.course_closing, kpi.proposed_course_ids)
        self.assertNotIn(self.course_knowledge, kpi.proposed_course_ids)
        # Idempotent.
        evaluation._create_training_needs()
        self.assertEqual(len(self._needs(evaluation)), 2)

    def test_good_evaluation_proposes_nothing(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "sales_performance.training_attainment_threshold", "100"
        )
        self.assertFalse(self._needs(self._done(rating_a=3, rating_b=5)))

    def test_manager_accepts_registers_for_next_session(self):
        need = self._needs(self._done(rating_a=1, rating_b=4)).filtered(
            lambda n: n.kind == "competency"
        )
        need.with_user(self.user_manager).course_id = self.course_knowledge
        need.with_user(self.user_manager).action_accept()
        self.assertEqual(need.state, "accepted")
        self.assertEqual(need.record_id.session_id, self.session)
        self.assertEqual(need.record_id.employee_id, self.emp_employee)
        self.assertEqual(need.record_id.status, "registered")

    def test_accept_without_session_creates_record_to_complete(self):
        need = self._needs(self._done(rating_a=3, rating_b=4)).filtered(
            lambda n: n.kind == "kpi"
        )
        # The indirect manager decides too.
        need.with_user(self.user_top).course_id = self.course_closing
        need.with_user(self.user_top).action_accept()
        record = need.record_id
        self.assertEqual(record.course_id, self.course_closing)
        self.assertFalse(record.session_id)
        self.assertEqual(record.status, "registered")

    def test_dismiss_needs_a_reason(self):
        need = self._needs(self._done(rating_a=3, rating_b=4))
        as_manager = need.with_user(self.user_manager)
        with self.assertRaises(UserError):
            as_manager.action_dismiss()
        as_manager.action_dismiss("Already booked an external course")
        self.assertEqual(need.state, "dismissed")
        self.assertEqual(need.dismiss_reason, "Already booked an external course")
        self.assertFalse(need.record_id)

    def test_employee_and_colleague_cannot_decide(self):
        need = self._needs(self._done(rating_a=3, rating_b=4))
        need.with_user(self.user_employee).read(["state"])
        with self.assertRaises(AccessError):
            need.with_user(self.user_employee).action_accept()
        with self.assertRaises(AccessError):
            need.with_user(self.user_employee).action_dismiss("no")
        with self.assertRaises(AccessError):
            need.with_user(self.user_colleague).read(["state"])
        with self.assertRaises(AccessError):
            need.with_user(self.user_colleague).action_accept()
        self.assertEqual(need.state, "proposed")
        # HR officers (training managers) decide for anyone of their company.
        need.with_user(self.user_hr).action_dismiss("Covered by coaching")
        self.assertEqual(need.state, "dismissed")

    def test_thresholds_are_set_in_settings(self):
        """Settings › Sales Performance › Training writes the thresholds that
        needs and expiry warnings read; a negative value is refused and
        nothing is saved."""
        Need = self.env["sales.performance.training.need"]
        Record = self.env["sales.performance.training.record"]
        settings = self.env["res.config.settings"].create(
            {
                "sales_performance_training_rating_threshold": 3,
                "sales_performance_training_attainment_threshold": 90,
                "sales_performance_training_expiry_warning_days": 45,
            }
        )
        settings.execute()
        self.assertEqual(Need._thresholds(), (3.0, 90.0))
        self.assertEqual(Record._expiry_warning_days(), 45)
        # a new settings form shows the stored values
        shown = self.env["res.config.settings"].create({})
        self.assertEqual(shown.sales_performance_training_rating_threshold, 3.0)
        self.assertEqual(shown.sales_performance_training_expiry_warning_days, 45)
        for field in (
            "sales_performance_training_rating_threshold",
            "sales_performance_training_attainment_threshold",
            "sales_performance_training_expiry_warning_days",
        ):
            with self.assertRaises(ValidationError) as caught:
                self.env["res.config.settings"].create({field: -1})
            self.assertIn("negative", str(caught.exception))
        self.assertEqual(Need._thresholds(), (3.0, 90.0))
        self.assertEqual(Record._expiry_warning_days(), 45)
