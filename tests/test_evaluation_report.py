import shutil
import unittest

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common import EvaluationCommon, pdf_text_and_fonts
from .test_evaluation_feedback import FeedbackCommon


@tagged("post_install", "-at_install")
class TestEvaluationReport(EvaluationCommon, HttpCase):
    """HttpCase: wkhtmltopdf fetches the report assets from the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        evaluation = cls._evaluation()
        evaluation.action_start_self_assessment()
        competencies = evaluation.line_ids.filtered(lambda ln: ln.kind == "competency")
        competencies.write({"self_rating": 4})
        evaluation.action_submit_self_assessment()
        competencies.filtered(
            lambda ln: ln.competency_id == cls.competency_a
        ).manager_rating = 4
        competencies.filtered(
            lambda ln: ln.competency_id == cls.competency_b
        ).manager_rating = 3
        evaluation.action_done()
        cls.evaluation = evaluation
        cls.report = cls.env.ref("sales_performance.action_report_evaluation")

    def _pdf_text(self, evaluation):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(self.report, evaluation.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf_text_and_fonts(pdf)

    def _skip_without_tools(self):
        if not shutil.which("pdftotext") or not shutil.which("wkhtmltopdf"):
            raise unittest.SkipTest(
                "wkhtmltopdf and pdftotext are needed to check the PDF"
            )

    def test_html_content(self):
        # 40 % x 115 + 20 % x 120 + 20 % x 80 + 20 % x 60 = 98
        html = self.report._render_qweb_html(self.report, self.evaluation.ids)[
            0
        ].decode()
        self.assertIn("Eve Employee", html)
        self.assertIn("98.00", html)
        self.assertIn("Noto Sans CJK SC", html)
        for label in ("Key Performance Indicators", "Competencies", "Signature"):
            self.assertIn(label, html)

    def test_pdf_in_english(self):
        self._skip_without_tools()
        self.emp_employee.lang = "en_US"
        text, _fonts = self._pdf_text(self.evaluation)
        self.assertIn("Eve Employee", text)
        self.assertIn("98.00", text)
        self.assertIn("Performance Appraisal", text)
        self.assertIn("Good", text)

    def test_pdf_in_chinese(self):
        self._skip_without_tools()
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_performance"], ["zh_CN"]
        )
        self.emp_employee.write({"name": "王小明", "lang": "zh_CN"})
        text, fonts = self._pdf_text(self.evaluation)
        self.assertIn("王小明", text)
        self.assertIn("98.00", text)
        self.assertIn("绩效考核表", text)
        self.assertIn("最终得分", text)
        self.assertIn("良好", text)
        self.assertIn("产品知识", text)  # the competency, in the employee's language
        self.assertIn("CJK", fonts)

    def test_batch(self):
        other = self._evaluation(
            employee=self.emp_colleague,
            template_id=False,
            line_ids=[
                Command.create(
                    {
                        "kind": "competency",
                        "competency_id": self.competency_a.id,
                        "weight": 100,
                    }
                )
            ],
        )
        other.action_start_self_assessment()
        other.line_ids.filtered(lambda ln: ln.kind == "competency").write(
            {"self_rating": 5}
        )
        other.action_submit_self_assessment()
        other.line_ids.filtered(lambda ln: ln.kind == "competency").write(
            {"manager_rating": 5}
        )
        other.action_done()
        html = self.report._render_qweb_html(
            self.report, (self.evaluation | other).ids
        )[0].decode()
        self.assertIn("Eve Employee", html)
        self.assertIn("Carl Colleague", html)

    def test_employee_cannot_print_before_done(self):
        evaluation = self._evaluation(employee=self.emp_colleague)
        from odoo.exceptions import AccessError

        with self.assertRaises(AccessError):
            self.report.with_user(self.user_colleague)._render_qweb_html(
                self.report, evaluation.ids
            )


@tagged("post_install", "-at_install")
class TestEvaluationReportFeedback(FeedbackCommon, HttpCase):
    """The appraisal shows the 360° feedback score and count, hidden under
    the anonymity threshold when the employee prints it."""

    def _done_evaluation_with_feedback(self):
        evaluation = self._feedback_evaluation()
        evaluation.action_request_feedback(self.colleagues[:3].ids)
        self._answer(evaluation, self.c1, self.good)  # 80 %
        self._answer(evaluation, self.c2, self.fair)  # 60 %
        self._answer(evaluation, self.c3, self.excellent)  # 100 %
        evaluation.action_start_self_assessment()
        competency = evaluation.line_ids.filtered(lambda ln: ln.kind == "competency")
        competency.self_rating = 4
        evaluation.action_submit_self_assessment()
        competency.manager_rating = 4
        evaluation.action_done()
        return evaluation

    def _html(self, evaluation, user):
        report = self.env.ref("sales_performance.action_report_evaluation")
        return (
            report.with_user(user)._render_qweb_html(report, evaluation.ids)[0].decode()
        )

    def test_feedback_in_appraisal(self):
        evaluation = self._done_evaluation_with_feedback()
        # feedback (80 + 60 + 100) / 3 = 80.00 from 3 colleagues;
        # final 40 % x 115 + 30 % x 80 + 30 % x 80 = 94.00
        for user in (self.user_employee, self.user_manager):
            html = self._html(evaluation, user)
            self.assertIn("360° Feedback", html)
            self.assertRegex(html, r"Feedback Score:</strong>\s*<span>80\.00</span>")
            self.assertRegex(html, r"answered:</strong>\s*<span>3</span>")
            self.assertIn("94.00", html)
            for colleague in self.colleagues:
                self.assertNotIn(colleague.name, html)
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "sales_performance.action_report_evaluation", evaluation.ids
            )
        )
        text, _fonts = pdf_text_and_fonts(pdf)
        self.assertIn("360° Feedback", text)
        self.assertIn("Feedback Score: 80.00", text)

    def test_feedback_hidden_below_threshold_for_the_employee(self):
        evaluation = self._done_evaluation_with_feedback()
        self.company.sales_performance_feedback_min_answers = 4
        self.env.invalidate_all()
        html = self._html(evaluation, self.user_employee)
        self.assertNotIn("Feedback Score:", html)
        self.assertRegex(html, r"shown once at least\s*<span>4</span>")
        self.assertIn("Feedback Score:", self._html(evaluation, self.user_manager))


@tagged("post_install", "-at_install")
class TestEvaluationReportCalibration(FeedbackCommon, HttpCase):
    """The appraisal shows the 9-box cell and the calibration changes."""

    def test_nine_box_and_calibrations_in_appraisal(self):
        cycle = self.env["sales.performance.evaluation.cycle"].create(
            {
                "name": "SP 2026 Q1",
                "company_id": self.company.id,
                "date_from": self.date_from,
                "date_to": self.date_to,
                "state": "running",
            }
        )
        evaluation = self._feedback_evaluation(cycle_id=cycle.id)
        evaluation.action_request_feedback(self.colleagues[:3].ids)
        for colleague in self.colleagues[:3]:
            self._answer(evaluation, colleague, self.good)  # 80 % each
        evaluation.action_start_self_assessment()
        competency = evaluation.line_ids.filtered(lambda ln: ln.kind == "competency")
        competency.self_rating = 4
        evaluation.action_submit_self_assessment()
        competency.manager_rating = 4
        evaluation.action_done()
        # 40 % x 115 + 30 % x 80 + 30 % x 80 = 94: band Good (90), a medium
        # performance (1); high potential (2): 3 x 2 + 1 + 1 = cell 8
        evaluation.sudo().potential = "high"
        self.assertEqual(evaluation.nine_box, 8)
        good = self.env.ref("sales_performance.evaluation_rating_good")
        meets = self.env.ref("sales_performance.evaluation_rating_meets")
        if hasattr(cycle, "action_start_calibration"):
            cycle.action_start_calibration()
        else:
            cycle.state = "calibration"
        evaluation.with_user(self.user_hr).action_calibrate(
            meets.id, "Aligned with the team's <b>distribution</b>"
        )
        self.assertEqual(evaluation.rating_id, meets)
        self.assertEqual(evaluation.calibration_ids.rating_before_id, good)
        report = self.env.ref("sales_performance.action_report_evaluation")
        html = (
            report.with_user(self.user_employee)
            ._render_qweb_html(report, evaluation.ids)[0]
            .decode()
        )
        self.assertRegex(
            html, r"9-Box Cell:</strong>\s*<span>8</span> - <span>Future Star"
        )
        self.assertIn("Calibration Changes", html)
        self.assertRegex(html, r"<span>Hannah HR</span>")
        # the reason is escaped, never markup
        self.assertIn(
            "Aligned with the team&#39;s &lt;b&gt;distribution&lt;/b&gt;", html
        )
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, evaluation.ids)
        )
        text, _fonts = pdf_text_and_fonts(pdf)
        self.assertIn("9-Box Cell: 8 - Future Star", text)
        self.assertIn("Calibration Changes", text)
        for label in ("Good", "Meets"):
            self.assertIn(label, text)
