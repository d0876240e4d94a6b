import shutil
import unittest
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import TrainingCommon, pdf_text_and_fonts


@tagged("post_install", "-at_install")
class TestTrainingTranscript(TrainingCommon, HttpCase):
    """HttpCase: wkhtmltopdf fetches the report assets from the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._passed(day=date(2026, 2, 10), hours=8.0, score=92.5)
        cls._record(
            course=cls.course.copy(
                {"name": "Negotiation Basics", "validity_months": 0}
            ),
            status="failed",
            date_completed=date(2026, 3, 5),
            hours=4.0,
            score=41.0,
        )
        cls.report = cls.env.ref("sales_performance.action_report_training_transcript")

    def _skip_without_tools(self):
        if not shutil.which("pdftotext") or not shutil.which("wkhtmltopdf"):
            raise unittest.SkipTest(
                "wkhtmltopdf and pdftotext are needed to check the PDF"
            )

    def _pdf_text(self, employee):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(self.report, employee.ids)
        )
        self.assertEqual(kind, "pdf")
        return pdf_text_and_fonts(pdf)

    def test_report_bound_to_employee(self):
        self.assertEqual(self.report.model, "hr.employee")
        self.assertEqual(self.report.binding_model_id.model, "hr.employee")

    def test_html_content(self):
        html = self.report._render_qweb_html(self.report, self.emp_employee.ids)[
            0
        ].decode()
        self.assertIn("Training Transcript", html)
        self.assertIn("Consultative Selling", html)
        self.assertIn("Negotiation Basics", html)
        self.assertIn("92.50", html)
        self.assertIn("12.00", html)  # 8 + 4 hours
        self.assertIn("02/10/2027", html)  # expiry, 12 months after completion

    def test_pdf_in_english(self):
        self._skip_without_tools()
        text, _fonts = self._pdf_text(self.emp_employee)
        self.assertIn("Eve Employee", text)
        self.assertIn("Training Transcript", text)
        self.assertIn("Passed", text)
        self.assertIn("Failed", text)
        self.assertIn("02/10/2027", text)

    def test_pdf_in_chinese(self):
        self._skip_without_tools()
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_performance"], ["zh_CN"]
        )
        self.course.with_context(lang="zh_CN").name = "顾问式销售"
        self.emp_employee.write({"name": "王小明", "lang": "zh_CN"})
        text, fonts = self._pdf_text(self.emp_employee)
        self.assertIn("王小明", text)
        self.assertIn("培训记录表", text)
        self.assertIn("顾问式销售", text)
        self.assertIn("通过", text)
        self.assertIn("证书到期日", text)
        self.assertIn("CJK", fonts)

    def test_only_training_managers_print_others(self):
        with self.assertRaises(AccessError):
            self.report.with_user(self.user_colleague)._render_qweb_html(
                self.report, self.emp_employee.ids
            )
        html = (
            self.report.with_user(self.user_employee)
            ._render_qweb_html(self.report, self.emp_employee.ids)[0]
            .decode()
        )
        self.assertIn("Consultative Selling", html)
