from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import EvaluationCommon

SELF = "sales_performance.mail_activity_type_evaluation_self_assessment"
REVIEW = "sales_performance.mail_activity_type_evaluation_review"
ACK = "sales_performance.mail_activity_type_evaluation_acknowledge"


@tagged("post_install", "-at_install")
class TestEvaluationWorkflow(EvaluationCommon):
    def test_defaults_as_of_creation(self):
        evaluation = self._evaluation()
        self.assertEqual(evaluation.evaluator_id, self.user_manager)
        self.assertEqual(evaluation.manager_id, self.emp_manager)
        self.assertEqual(evaluation.department_id, self.department)
        self.assertEqual(evaluation.job_id, self.job)
        self.assertEqual(evaluation.state, "draft")
        self.assertEqual(len(evaluation.line_ids), 4)

    def test_manager_creates_through_the_form(self):
        Evaluation = self.env["sales.performance.evaluation"].with_user(
            self.user_manager
        )
        with Form(Evaluation) as form:
            form.employee_id = self.emp_employee
            form.date_from = self.date_from
            form.date_to = self.date_to
            form.template_id = self.template
        evaluation = form.record
        self.assertEqual(evaluation.evaluator_id, self.user_manager)
        self.assertEqual(len(evaluation.line_ids), 4)
        self.assertAlmostEqual(evaluation.total_weight, 100.0)
        # The employee sees the draft read-only.
        form = Form(evaluation.with_user(self.user_employee))
        with self.assertRaises(AssertionError):
            form.date_to = self.date_from

    def test_whole_workflow_with_the_right_users(self):
        evaluation = self._evaluation(deadline="2026-04-15")
        as_manager = evaluation.with_user(self.user_manager)
        as_employee = evaluation.with_user(self.user_employee)
        lines = self._lines(evaluation)

        # The employee cannot start their own evaluation.
        with self.assertRaises(AccessError):
            as_employee.action_start_self_assessment()
        as_manager.action_start_self_assessment()
        self.assertEqual(evaluation.state, "self_assessment")
        self.assertTrue(evaluation.date_self_assessment)
        activity = self._activities(evaluation, SELF)
        self.assertEqual(activity.user_id, self.user_employee)

        # The employee rates the competencies (as the form does, through the parent).
        as_employee.write(
            {
                "self_comment": "I did well",
                "line_ids": [
                    Command.update(
                        lines["competency_a"].id,
                        {"self_rating": 5, "self_comment": "Know it"},
                    ),
                    Command.update(lines["competency_b"].id, {"self_rating": 4}),
                ],
            }
        )
        # The manager cannot submit for the employee nor rate yet.
        with self.assertRaises(AccessError):
            as_manager.action_submit_self_assessment()
        with self.assertRaises(UserError):
            lines["competency_a"].with_user(self.user_manager).write(
                {"manager_rating": 4}
            )
        as_employee.action_submit_self_assessment()
        self.assertEqual(evaluation.state, "manager_review")
        self.assertFalse(self._activities(evaluation, SELF))
        self.assertEqual(
            self._activities(evaluation, REVIEW).user_id, self.user_manager
        )

        # The manager rates; the employee does not see it before the manager submits.
        lines["competency_a"].with_user(self.user_manager).write(
            {"manager_rating": 4, "manager_comment": "Solid"}
        )
        lines["competency_b"].with_user(self.user_manager).write({"manager_rating": 3})
        as_manager.write(
            {"manager_comment": "Good quarter", "development_notes": "Training"}
        )
        seen = (
            lines["competency_a"]
            .with_user(self.user_employee)
            .read(["manager_rating", "manager_comment", "score", "self_rating"])[0]
        )
        self.assertFalse(seen["manager_rating"])
        self.assertFalse(seen["manager_comment"])
        self.assertFalse(seen["score"])
        self.assertEqual(seen["self_rating"], 5)
        seen = as_employee.read(["final_score", "rating_id", "manager_comment"])[0]
        self.assertFalse(seen["final_score"])
        self.assertFalse(seen["rating_id"])
        self.assertFalse(seen["manager_comment"])

        with self.assertRaises(AccessError):
            as_employee.action_done()
        as_manager.action_done()
        self.assertEqual(evaluation.state, "done")
        self.assertFalse(self._activities(evaluation, REVIEW))
        self.assertEqual(self._activities(evaluation, ACK).user_id, self.user_employee)
        # 46 + 24 + 16 + 12 = 98, now visible to the employee.
        seen = as_employee.read(["final_score"])[0]
        self.assertAlmostEqual(seen["final_score"], 98.0)
        self.assertEqual(
            lines["competency_a"]
            .with_user(self.user_employee)
            .read(["manager_rating"])[0]["manager_rating"],
            4,
        )

        as_employee.action_acknowledge("Thanks")
        self.assertTrue(evaluation.acknowledged)
        self.assertEqual(evaluation.employee_comment, "Thanks")
        self.assertFalse(self._activities(evaluation, ACK))

    def test_submit_needs_every_self_rating(self):
        evaluation = self._evaluation()
        evaluation.with_user(self.user_manager).action_start_self_assessment()
        with self.assertRaises(ValidationError):
            evaluation.with_user(self.user_employee).action_submit_self_assessment()
        self.assertEqual(evaluation.state, "self_assessment")

    def _done_evaluation(self):
        evaluation = self._evaluation()
        evaluation.action_start_self_assessment()
        evaluation.line_ids.filtered(lambda ln: ln.kind == "competency").write(
            {"self_rating": 3}
        )
        evaluation.action_submit_self_assessment()
        evaluation.line_ids.filtered(lambda ln: ln.kind == "competency").write(
            {"manager_rating": 5}
        )
        evaluation.action_done()
        return evaluation

    def test_done_is_locked_and_only_hr_reopens_with_a_reason(self):
        evaluation = self._done_evaluation()
        line = self._lines(evaluation)["competency_a"]
        with self.assertRaises(UserError):
            evaluation.with_user(self.user_manager).write(
                {"manager_comment": "Changed"}
            )
        with self.assertRaises(UserError):
            line.with_user(self.user_manager).write({"manager_rating": 1})
        with self.assertRaises(UserError):
            evaluation.with_user(self.user_hr).write({"development_notes": "x"})
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_manager).action_reopen("Wrong rating")
        with self.assertRaises(UserError):
            evaluation.with_user(self.user_hr).action_reopen("  ")
        with self.assertRaises(UserError):
            evaluation.with_user(self.user_manager).action_cancel()
        self.assertEqual(evaluation.state, "done")

        evaluation.with_user(self.user_hr).action_reopen(
            "Rating of teamwork was entered wrong"
        )
        self.assertEqual(evaluation.state, "manager_review")
        self.assertIn(
            "Rating of teamwork was entered wrong",
            "\n".join(evaluation.message_ids.mapped("body")),
        )
        self.assertEqual(
            self._activities(evaluation, REVIEW).user_id, self.user_manager
        )
        line.with_user(self.user_manager).write({"manager_rating": 4})
        evaluation.with_user(self.user_manager).action_done()
        self.assertEqual(evaluation.state, "done")

    def test_reopen_wizard(self):
        evaluation = self._done_evaluation()
        wizard = (
            self.env["sales.performance.evaluation.reopen"]
            .with_user(self.user_hr)
            .create(
                {
                    "evaluation_ids": [Command.set(evaluation.ids)],
                    "reason": "Appeal accepted",
                }
            )
        )
        wizard.action_reopen()
        self.assertEqual(evaluation.state, "manager_review")

    def test_delete_only_draft_or_cancelled(self):
        done = self._done_evaluation()
        with self.assertRaises(UserError):
            done.with_user(self.user_hr).unlink()
        draft = self._evaluation(date_from="2026-04-01", date_to="2026-06-30")
        with self.assertRaises(AccessError):
            draft.line_ids.with_user(self.user_employee).unlink()
        draft.with_user(self.user_manager).unlink()
        self.assertFalse(draft.exists())

    def test_cancel(self):
        evaluation = self._evaluation()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_employee).action_cancel()
        evaluation.with_user(self.user_manager).action_cancel()
        self.assertEqual(evaluation.state, "cancel")

    def test_deadline_reminder_once_per_step(self):
        today = __import__("odoo").fields.Date.today()
        evaluation = self._evaluation(deadline=today)
        evaluation.action_start_self_assessment()
        Message = self.env["mail.message"]
        before = Message.search_count(
            [("model", "=", evaluation._name), ("res_id", "=", evaluation.id)]
        )
        evaluation._cron_send_deadline_reminders()
        self.assertEqual(evaluation.reminder_state, "self_assessment")
        notified = Message.search(
            [("model", "=", evaluation._name), ("res_id", "=", evaluation.id)],
            order="id desc",
            limit=1,
        )
        self.assertGreater(
            Message.search_count(
                [("model", "=", evaluation._name), ("res_id", "=", evaluation.id)]
            ),
            before,
        )
        self.assertIn(self.user_employee.partner_id, notified.partner_ids)
        count = Message.search_count(
            [("model", "=", evaluation._name), ("res_id", "=", evaluation.id)]
        )
        evaluation._cron_send_deadline_reminders()
        self.assertEqual(
            Message.search_count(
                [("model", "=", evaluation._name), ("res_id", "=", evaluation.id)]
            ),
            count,
        )
