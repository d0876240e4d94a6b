"""Markup that people type is shown as text, proven in a real browser.

A salesperson, a sales team, a target description, a dispute reason and an
evaluation cycle are named with HTML and ``<script>``; the tour
(static/tests/tours/sales_performance_markup_tour.js) opens their kanban
cards and forms in headless Chromium and checks that the text is displayed
literally and that no element or script of it made it into the page (the
PDFs and e-mails are checked in test_fuzz.py).
"""

import unittest

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import date_utils

from .common import (
    HR_OFFICER,
    INCENTIVE_ADMIN,
    JAN,
    PERF_MANAGER,
    SALES_MANAGER,
    IncentiveCommon,
)
from .test_tours import BROWSER_MISSING

# the names the tour looks for, literally (it checks the same strings)
USER_NAME = "Mallory <b class=sp_xss>Bold</b>"
TEAM_NAME = "Team <img src=x class=sp_xss onerror=window.spXss=1>"
DESCRIPTION = "Quota <script>window.spXss=1</script><i class=sp_xss>it</i>"
REASON = "Missing deal <img src=x class=sp_xss onerror=window.spXss=1>"
CYCLE_NAME = "Cycle <script>window.spXss=1</script><u class=sp_xss>u</u>"


@tagged("post_install", "-at_install", "sales_performance_tours")
@unittest.skipIf(BROWSER_MISSING, "browser tours did not run: %s" % BROWSER_MISSING)
class TestMarkupShownAsText(IncentiveCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.viewer = cls._new_user(
            "sp_markup_tour",
            f"{SALES_MANAGER},{PERF_MANAGER},{INCENTIVE_ADMIN},{HR_OFFICER}",
            name="SP Markup Viewer",
            password="sp_markup_tour",
            lang="en_US",
        )
        cls.sp1.name = USER_NAME
        cls.team.name = TEAM_NAME
        today = fields.Date.context_today(cls.viewer)
        # a team target of this month (the default filter of Sales Targets)
        cls.team_target = cls.env["sales.performance.target"].create(
            {
                "team_id": cls.team.id,
                "metric_id": cls.metric_won.id,
                "date_from": date_utils.start_of(today, "month"),
                "date_to": date_utils.end_of(today, "month"),
                "target_value": 1000,
                "description": DESCRIPTION,
            }
        )
        plan = cls._plan(
            [
                {
                    "kind": "commission",
                    "metric_id": cls.metric_won.id,
                    "basis": "attainment",
                    "mode": "flat",
                    "tiers": cls.TIERS,
                }
            ],
            users=cls.sp1,
        )
        statement = plan.generate_statements(*JAN)
        statement.with_user(cls.leader).action_confirm()
        statement.with_user(cls.leader).action_approve()
        cls.dispute = (
            cls.env["sales.performance.incentive.dispute"]
            .with_user(cls.sp1)
            .create({"statement_id": statement.id, "reason": REASON})
        )
        cls.cycle = cls.env["sales.performance.evaluation.cycle"].create(
            {"name": CYCLE_NAME, "date_from": JAN[0], "date_to": JAN[1]}
        )

    def test_markup_is_text_in_kanban_cards_and_forms(self):
        # stored as typed: the escaping is the views' job
        self.assertEqual(self.team_target.description, DESCRIPTION)
        self.assertEqual(self.dispute.reason, REASON)
        self.assertEqual(self.cycle.name, CYCLE_NAME)
        self.start_tour(
            "/odoo/action-sales_performance.sales_performance_target_action",
            "sales_performance_markup_tour",
            login="sp_markup_tour",
        )
