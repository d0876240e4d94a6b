"""360° feedback on evaluations: requests, anonymity threshold, record
rules on the answers, the feedback line in the final score."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import HR_OFFICER, EvaluationCommon


class FeedbackCommon(EvaluationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sales_performance_feedback_min_answers = 3
        cls.colleagues = cls.env["res.users"]
        for index in range(1, 5):
            cls.colleagues |= cls._new_user(
                f"sp_fbk_colleague_{index}", name=f"Fay Colleague {index}"
            )
        cls.c1, cls.c2, cls.c3, cls.c4 = cls.colleagues
        Survey = cls.env["survey.survey"]
        cls.survey = Survey.create(
            {
                "title": "SP 360 Feedback",
                "access_mode": "token",
                "scoring_type": "scoring_without_answers",
                "question_and_page_ids": [
                    Command.create(
                        {
                            "title": "How well does the colleague cooperate?",
                            "question_type": "simple_choice",
                            "suggested_answer_ids": [
                                Command.create(
                                    {"value": "Excellent", "answer_score": 10}
                                ),
                                Command.create({"value": "Good", "answer_score": 8}),
                                Command.create({"value": "Fair", "answer_score": 6}),
                                Command.create({"value": "Poor", "answer_score": 4}),
                            ],
                        }
                    )
                ],
            }
        )
        cls.other_survey = Survey.create(
            {"title": "SP 360 Other", "access_mode": "token"}
        )
        cls.question = cls.survey.question_ids
        # best score 10: Excellent 100 %, Good 80 %, Fair 60 %, Poor 40 %
        cls.excellent, cls.good, cls.fair, cls.poor = (
            cls.question.suggested_answer_ids.sorted("answer_score", reverse=True)
        )
        cls.template_feedback = cls.env["sales.performance.evaluation.template"].create(
            {
                "name": "SP Eval Template with 360",
                "feedback_survey_id": cls.survey.id,
                "line_ids": [
                    Command.create(
                        {"kind": "kpi", "metric_id": cls.metric_won.id, "weight": 40}
                    ),
                    Command.create(
                        {
                            "kind": "competency",
                            "competency_id": cls.competency_a.id,
                            "weight": 30,
                        }
                    ),
                    Command.create({"kind": "feedback", "weight": 30}),
                ],
            }
        )

    def _feedback_evaluation(self, **vals):
        return self._evaluation(template_id=self.template_feedback.id, **vals)

    def _answers(self, evaluation):
        return (
            self.env["survey.user_input"]
            .sudo()
            .search([("sales_performance_evaluation_id", "=", evaluation.id)])
        )

    def _answer(self, evaluation, user, choice):
        answer = self._answers(evaluation).filtered(
            lambda a: a.partner_id == user.partner_id and a.state != "done"
        )
        self.assertEqual(len(answer), 1)
        answer._save_lines(self.question, choice.id)
        answer._mark_done()
        return answer


@tagged("post_install", "-at_install")
class TestEvaluationFeedback(FeedbackCommon):
    def test_survey_from_template_changeable_while_open(self):
        evaluation = self._feedback_evaluation()
        self.assertEqual(evaluation.feedback_survey_id, self.survey)
        line = evaluation.line_ids.filtered(lambda ln: ln.kind == "feedback")
        self.assertEqual(line.weight, 30)
        self.assertEqual(line.name, "360° Feedback")
        evaluation.with_user(self.user_manager).feedback_survey_id = self.other_survey
        self.assertEqual(evaluation.feedback_survey_id, self.other_survey)
        evaluation.action_cancel()
        with self.assertRaises(UserError):
            evaluation.feedback_survey_id = self.survey
        self.assertEqual(evaluation.feedback_survey_id, self.other_survey)

    def test_request_creates_invitations_and_queued_mails(self):
        evaluation = self._feedback_evaluation()
        evaluation.with_user(self.user_manager).action_request_feedback(
            [self.c1.id, self.c2.id]
        )
        answers = self._answers(evaluation)
        self.assertEqual(answers.partner_id, (self.c1 | self.c2).partner_id)
        self.assertEqual(set(answers.mapped("state")), {"new"})
        self.assertEqual(answers.survey_id, self.survey)
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("recipient_ids", "in", (self.c1 | self.c2).partner_id.ids)])
        )
        self.assertEqual(len(mails), 2)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        # each mail carries the colleague's own link
        for answer in answers:
            mail = mails.filtered(lambda m, a=answer: a.partner_id in m.recipient_ids)
            self.assertIn(answer.access_token, mail.body_html)
        # a recordset works as well; a second pending request is refused
        with self.assertRaises(UserError):
            evaluation.action_request_feedback(self.c1 | self.c3)
        self.assertEqual(len(self._answers(evaluation)), 2)
        evaluation.action_request_feedback(self.c3)
        self.assertEqual(len(self._answers(evaluation)), 3)

    def test_request_to_the_employee_refused_nothing_saved(self):
        evaluation = self._feedback_evaluation()
        with self.assertRaisesMessage(UserError, "evaluated employee"):
            evaluation.action_request_feedback([self.c1.id, self.user_employee.id])
        self.assertFalse(self._answers(evaluation))

    def test_request_bad_input(self):
        evaluation = self._feedback_evaluation()
        for bad in ([], "abc", [True], [self.c1.id, "x"], [10**9]):
            with self.assertRaises(UserError):
                evaluation.action_request_feedback(bad)
        other_company_user = self._new_user(
            "sp_fbk_other_company", company=self.company_b
        )
        with self.assertRaisesMessage(UserError, "does not work for"):
            evaluation.action_request_feedback([other_company_user.id])
        no_survey = self._evaluation(employee=self.emp_colleague)
        with self.assertRaisesMessage(UserError, "feedback survey"):
            no_survey.action_request_feedback([self.c1.id])
        evaluation.action_cancel()
        with self.assertRaisesMessage(UserError, "open"):
            evaluation.action_request_feedback([self.c1.id])
        self.assertFalse(self._answers(evaluation) | self._answers(no_survey))

    def test_only_manager_or_hr_request(self):
        evaluation = self._feedback_evaluation()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_employee).action_request_feedback(
                [self.c1.id]
            )
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_colleague).action_request_feedback(
                [self.c1.id]
            )
        self.assertFalse(self._answers(evaluation))

    def test_request_wizard(self):
        evaluation = self._feedback_evaluation()
        action = evaluation.with_user(self.user_manager).action_open_feedback_request()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.user_manager)
            .with_context(**action["context"])
            .create({"user_ids": [Command.set((self.c1 | self.c4).ids)]})
        )
        self.assertEqual(wizard.feedback_survey_id, self.survey)
        wizard.action_request()
        self.assertEqual(
            self._answers(evaluation).partner_id, (self.c1 | self.c4).partner_id
        )

    def test_feedback_line_weighs_in_final_score(self):
        evaluation = self._feedback_evaluation()
        evaluation.action_request_feedback(self.colleagues.ids)
        self._answer(evaluation, self.c1, self.good)  # 80 %
        self._answer(evaluation, self.c2, self.fair)  # 60 %
        evaluation.action_start_self_assessment()
        lines = evaluation.line_ids
        competency = lines.filtered(lambda ln: ln.kind == "competency")
        feedback = lines.filtered(lambda ln: ln.kind == "feedback")
        competency.with_user(self.user_employee).self_rating = 4
        evaluation.with_user(self.user_employee).action_submit_self_assessment()
        competency.with_user(self.user_manager).manager_rating = 4
        # (80 + 60) / 2 = 70 so far, but 2 answers < 3: it cannot be completed
        self.assertAlmostEqual(feedback.score, 70.0)
        with self.assertRaisesMessage(ValidationError, "at least 3"):
            evaluation.with_user(self.user_manager).action_done()
        self.assertEqual(evaluation.state, "manager_review")
        self._answer(evaluation, self.c3, self.excellent)  # 100 %
        # feedback (80 + 60 + 100) / 3 = 80
        self.assertAlmostEqual(feedback.score, 80.0)
        evaluation.with_user(self.user_manager).action_done()
        # won: (9000 + 14000) / (10000 + 10000) = 115 %; competency 4/5 = 80;
        # 40 % x 115 + 30 % x 80 + 30 % x 80 = 46 + 24 + 24 = 94
        self.assertAlmostEqual(evaluation.final_score, 94.0)
        # c4 never answered: the invitation is withdrawn, the score frozen
        self.assertEqual(len(self._answers(evaluation)), 3)
        self.assertEqual(set(self._answers(evaluation).mapped("state")), {"done"})
        as_employee = evaluation.with_user(self.user_employee)
        self.assertEqual(as_employee.feedback_count, 3)
        self.assertAlmostEqual(as_employee.feedback_score, 80.0)
        self.assertAlmostEqual(
            feedback.with_user(self.user_employee).read(["score"])[0]["score"], 80.0
        )
        # raising the threshold afterwards hides the line's score too
        self.company.sales_performance_feedback_min_answers = 4
        self.env.invalidate_all()
        self.assertFalse(
            feedback.with_user(self.user_employee).read(["score"])[0]["score"]
        )
        self.assertFalse(evaluation.with_user(self.user_employee).feedback_visible)


@tagged("post_install", "-at_install")
class TestEvaluationFeedbackAnonymity(FeedbackCommon):
    """As the evaluated employee: no figure below the threshold, the figures
    from it on, never the answers nor who gave them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.evaluation = cls._evaluation(template_id=cls.template_feedback.id)
        cls.evaluation.action_request_feedback(cls.colleagues.ids)

    def _as(self, user):
        return self.evaluation.with_user(user)

    def _assert_employee_reads_no_answer(self):
        Answer = self.env["survey.user_input"].with_user(self.user_employee)
        domain = [("sales_performance_evaluation_id", "=", self.evaluation.id)]
        self.assertFalse(Answer.search(domain))
        self.assertFalse(
            Answer.search([("partner_id", "in", self.colleagues.partner_id.ids)])
        )
        self.assertEqual(Answer.search_count(domain), 0)
        self.assertEqual(Answer._read_group(domain, aggregates=["__count"]), [(0,)])
        groups = Answer.formatted_read_group(domain, ["partner_id"], ["__count"])
        self.assertFalse(groups)
        for answer in self._answers(self.evaluation):
            with self.assertRaises(AccessError):
                answer.with_user(self.user_employee).read(
                    ["partner_id", "scoring_percentage"]
                )
        Line = self.env["survey.user_input.line"].with_user(self.user_employee)
        self.assertFalse(
            Line.search(
                [
                    (
                        "user_input_id.sales_performance_evaluation_id",
                        "=",
                        self.evaluation.id,
                    )
                ]
            )
        )
        with self.assertRaises(AccessError):
            self._as(self.user_employee).read(["feedback_input_ids"])

    def test_below_threshold_hidden(self):
        self._answer(self.evaluation, self.c1, self.good)  # 80 %
        self._answer(self.evaluation, self.c2, self.fair)  # 60 %
        employee = self._as(self.user_employee)
        self.assertFalse(employee.feedback_visible)
        self.assertEqual(employee.feedback_count, 0)
        self.assertEqual(employee.feedback_score, 0.0)
        values = employee.read(["feedback_count", "feedback_score"])[0]
        self.assertEqual((values["feedback_count"], values["feedback_score"]), (0, 0.0))
        # the manager sees 2 answers averaging (80 + 60) / 2 = 70
        manager = self._as(self.user_manager)
        self.assertTrue(manager.feedback_visible)
        self.assertEqual(manager.feedback_count, 2)
        self.assertAlmostEqual(manager.feedback_score, 70.0)
        self.assertEqual(manager.feedback_pending_count, 2)
        self._assert_employee_reads_no_answer()

    def test_above_threshold_visible(self):
        self._answer(self.evaluation, self.c1, self.good)  # 80 %
        self._answer(self.evaluation, self.c2, self.fair)  # 60 %
        self._answer(self.evaluation, self.c3, self.poor)  # 40 %
        employee = self._as(self.user_employee)
        self.assertTrue(employee.feedback_visible)
        # (80 + 60 + 40) / 3 = 60
        self.assertEqual(employee.feedback_count, 3)
        self.assertAlmostEqual(employee.feedback_score, 60.0)
        self._assert_employee_reads_no_answer()

    def test_employee_never_sees_answers_even_as_hr(self):
        self._answer(self.evaluation, self.c1, self.good)
        self.user_employee.group_ids = [Command.link(self.env.ref(HR_OFFICER).id)]
        Answer = self.env["survey.user_input"].with_user(self.user_employee)
        self.assertFalse(
            Answer.search(
                [("sales_performance_evaluation_id", "=", self.evaluation.id)]
            )
        )

    def test_hr_sees_who_answered_manager_only_figures(self):
        answer = self._answer(self.evaluation, self.c1, self.good)
        hr_answers = (
            self.env["survey.user_input"]
            .with_user(self.user_hr)
            .search([("sales_performance_evaluation_id", "=", self.evaluation.id)])
        )
        self.assertEqual(len(hr_answers), 4)
        self.assertEqual(answer.with_user(self.user_hr).partner_id, self.c1.partner_id)
        self.assertIn("res_model", self._as(self.user_hr).action_view_feedback())
        with self.assertRaises(AccessError):
            answer.with_user(self.user_manager).read(["partner_id"])
        with self.assertRaises(AccessError):
            self._as(self.user_manager).action_view_feedback()
        # the respondent reads their own answer, not the others'
        self.assertEqual(
            self.env["survey.user_input"]
            .with_user(self.c1)
            .search([("sales_performance_evaluation_id", "=", self.evaluation.id)]),
            answer,
        )
