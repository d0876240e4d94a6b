"""The web client, proven in a real browser: one tour per role.

The tours (static/tests/tours/) run in headless Chromium through Odoo's
HttpCase. Every user and record they touch is built here; demo data is never
used. Without Chromium (or the websocket-client module) the whole class is
skipped with one visible line saying the browser tests did not run.
"""

import unittest
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import date_utils

from .common import (
    HR_OFFICER,
    PERF_MANAGER,
    PERF_USER,
    SALES_MANAGER,
    SALESMAN,
    SalesPerformanceCommon,
)


def _browser_missing():
    """Why the browser tours cannot run here, or an empty string."""
    try:
        import websocket  # noqa: F401, PLC0415
    except ImportError:
        return "the websocket-client Python module is not installed"
    from odoo.tests.common import _find_executable  # noqa: PLC0415

    try:
        _find_executable()
    except Exception:  # noqa: BLE001 (Odoo 19 raises SkipTest, older IOError)
        return (
            "no Chromium/Chrome executable found (install the Debian package "
            "`chromium`)"
        )
    return ""


BROWSER_MISSING = _browser_missing()


@tagged("post_install", "-at_install", "sales_performance_tours")
@unittest.skipIf(
    BROWSER_MISSING,
    "browser tours did not run: %s" % BROWSER_MISSING,
)
class TestSalesPerformanceTours(SalesPerformanceCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        today = fields.Date.context_today(env["res.users"])
        cls.month = (
            date_utils.start_of(today, "month"),
            date_utils.end_of(today, "month"),
        )
        cls.year = (
            date_utils.start_of(today, "year"),
            date_utils.end_of(today, "year"),
        )

        def user(login, name, *groups):
            # the tours log in with the login as password
            return cls._new_user(
                login, ",".join(groups), name=name, password=login, lang="en_US"
            )

        cls.user_sally = user("sp_tour_sally", "Sally Tourseller", SALESMAN)
        cls.user_olga = user("sp_tour_olga", "Olga Otherseller", SALESMAN)
        cls.user_leo = user("sp_tour_leo", "Leo Teamleader", SALESMAN)
        cls.user_hr = user("sp_tour_hr", "Hana HROfficer", HR_OFFICER, PERF_USER)
        cls.user_max = user(
            "sp_tour_max", "Max Salesmanager", SALES_MANAGER, PERF_MANAGER
        )
        cls.metric_won = env.ref("sales_performance.metric_won_revenue")
        cls.team = cls._new_team(
            "SP Tour Team", cls.user_leo, cls.user_sally | cls.user_olga
        )
        cls.won_stage = env["crm.stage"].create(
            {"name": "Won (tours)", "is_won": True, "sequence": 99}
        )
        lead = env["crm.lead"].create(
            {
                "name": "Tour Deal Sally",
                "type": "opportunity",
                "user_id": cls.user_sally.id,
                "team_id": cls.team.id,
                "expected_revenue": 6000,
                "stage_id": cls.won_stage.id,
                "probability": 100,
                "company_id": cls.company.id,
            }
        )
        lead.date_closed = fields.Datetime.to_datetime(cls.month[0])
        Target = env["sales.performance.target"]
        cls.target_sally = Target.create(
            {
                "user_id": cls.user_sally.id,
                "metric_id": cls.metric_won.id,
                "company_id": cls.company.id,
                "date_from": cls.month[0],
                "date_to": cls.month[1],
                "target_value": 12345,
            }
        )
        cls.target_olga = Target.create(
            {
                "user_id": cls.user_olga.id,
                "metric_id": cls.metric_won.id,
                "company_id": cls.company.id,
                "date_from": cls.month[0],
                "date_to": cls.month[1],
                "target_value": 54321,
            }
        )
        (cls.target_sally | cls.target_olga).action_activate()

    # ------------------------------------------------------------------
    # Salesperson
    # ------------------------------------------------------------------
    def test_salesperson_tour(self):
        plan = self.env["sales.performance.incentive.plan"].create(
            {
                "name": "Tour Commission Plan",
                "company_id": self.company.id,
                "period_type": "month",
                "date_from": self.year[0],
                "date_to": self.year[1],
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Commission on won revenue",
                            "kind": "commission",
                            "metric_id": self.metric_won.id,
                            "basis": "attainment",
                            "mode": "flat",
                            "tier_ids": [
                                Command.create({"lower": 0, "upper": 100, "rate": 2}),
                                Command.create({"lower": 100, "upper": 0, "rate": 5}),
                            ],
                        }
                    )
                ],
                "assignment_ids": [Command.create({"user_id": self.user_sally.id})],
            }
        )
        plan.action_activate()
        statement = plan.generate_statements(*self.month)
        statement.action_confirm()
        self.assertEqual(statement.user_id, self.user_sally)
        self.start_tour(
            "/odoo", "sales_performance_salesperson_tour", login="sp_tour_sally"
        )

    # ------------------------------------------------------------------
    # Team leader
    # ------------------------------------------------------------------
    def test_team_leader_tour(self):
        team_target = self.env["sales.performance.target"].create(
            {
                "team_id": self.team.id,
                "metric_id": self.env.ref(
                    "sales_performance.metric_confirmed_sales"
                ).id,
                "company_id": self.company.id,
                "date_from": self.month[0],
                "date_to": self.month[1],
                "target_value": 20000,
            }
        )
        team_target.action_activate()
        self.start_tour(
            "/odoo", "sales_performance_team_leader_tour", login="sp_tour_leo"
        )
        children = team_target.child_ids
        self.assertEqual(children.user_id, self.user_sally | self.user_olga)
        self.assertEqual(sum(children.mapped("target_value")), 20000)

    # ------------------------------------------------------------------
    # HR officer
    # ------------------------------------------------------------------
    def _evaluation_setup(self):
        env = self.env
        department = env["hr.department"].create({"name": "SP Tour Department"})
        job = env["hr.job"].create({"name": "SP Tour Account Executive"})
        manager = self._new_user("sp_tour_mia", name="Mia Reviewer")
        emp_manager = env["hr.employee"].create(
            {"name": "Mia Reviewer", "user_id": manager.id}
        )
        employee = env["hr.employee"].create(
            {
                "name": "Sally Tourseller",
                "user_id": self.user_sally.id,
                "parent_id": emp_manager.id,
                "department_id": department.id,
                "job_id": job.id,
            }
        )
        competency = env.ref("sales_performance.evaluation_competency_teamwork")
        env["sales.performance.evaluation.template"].create(
            {
                "name": "SP Tour Template",
                "job_ids": [Command.link(job.id)],
                "line_ids": [
                    Command.create(
                        {"kind": "kpi", "metric_id": self.metric_won.id, "weight": 60}
                    ),
                    Command.create(
                        {
                            "kind": "competency",
                            "competency_id": competency.id,
                            "weight": 40,
                        }
                    ),
                ],
            }
        )
        return manager, employee

    def test_hr_officer_tour(self):
        manager, employee = self._evaluation_setup()
        Evaluation = self.env["sales.performance.evaluation"]
        # 1. HR officer: creates the cycle with the wizard and starts the
        #    employee's self-assessment.
        self.start_tour(
            "/odoo", "sales_performance_hr_officer_tour", login="sp_tour_hr"
        )
        evaluation = Evaluation.search([("employee_id", "=", employee.id)])
        self.assertEqual(len(evaluation), 1)
        self.assertEqual(evaluation.cycle_id.name, "Tour Cycle")
        self.assertEqual(evaluation.state, "self_assessment")
        # 2. The employee rates herself, the manager reviews (other users).
        competency_line = evaluation.line_ids.filtered(
            lambda line: line.kind == "competency"
        )
        competency_line.with_user(self.user_sally).write(
            {"self_rating": 4, "self_comment": "Good team player"}
        )
        evaluation.with_user(self.user_sally).action_submit_self_assessment()
        competency_line.with_user(manager).write({"manager_rating": 3})
        self.assertEqual(evaluation.state, "manager_review")
        # 3. HR officer: completes the review and prints the appraisal.
        printed = []
        evaluation_class = type(Evaluation)
        original_print = evaluation_class.action_print

        def action_print(records):
            action = original_print(records)
            printed.append((records.ids, action))
            return action

        with patch.object(evaluation_class, "action_print", action_print):
            self.start_tour(
                "/odoo",
                "sales_performance_hr_officer_print_tour",
                login="sp_tour_hr",
                timeout=180,  # the PDF takes a while on a busy machine
            )
        self.assertEqual(evaluation.state, "done")
        self.assertEqual(len(printed), 1)
        ids, action = printed[0]
        self.assertEqual(ids, evaluation.ids)
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "sales_performance.report_evaluation")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "sales_performance.action_report_evaluation", evaluation.ids
            )
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    # ------------------------------------------------------------------
    # Sales manager
    # ------------------------------------------------------------------
    def test_sales_manager_tour(self):
        self.start_tour(
            "/odoo", "sales_performance_sales_manager_tour", login="sp_tour_max"
        )
        plan = self.env["sales.performance.incentive.plan"].search(
            [("name", "=", "Tour Manager Plan")]
        )
        self.assertEqual(plan.state, "active")
        # The validity defaults to the current year.
        self.assertEqual((plan.date_from, plan.date_to), self.year)
        self.assertEqual(len(plan.rule_ids.tier_ids), 2)
        statement = self.env["sales.performance.incentive.statement"].search(
            [("plan_id", "=", plan.id), ("user_id", "=", self.user_sally.id)]
        )
        self.assertEqual(statement.state, "approved")
        self.assertEqual(statement.approved_by_id, self.user_max)

    # ------------------------------------------------------------------
    # Chinese
    # ------------------------------------------------------------------
    def test_zh_cn_tour(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "sales_performance")]
        )._update_translations(["zh_CN"])
        self.user_sally.lang = "zh_CN"
        self.start_tour("/odoo", "sales_performance_zh_cn_tour", login="sp_tour_sally")
