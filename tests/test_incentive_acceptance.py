import base64
import shutil
import unittest
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.sales_performance.models import sales_performance_incentive_plan

from .common import (
    FEB,
    INCENTIVE_ADMIN,
    JAN,
    SALESMAN,
    IncentiveCommon,
    pdf_text_and_fonts,
)

ACTIVITY_TYPE = "sales_performance.mail_activity_type_incentive_acceptance"


class AcceptanceCommon(IncentiveCommon):
    """A flat commission plan (bands 0-80 % at 2 %, 80-100 % at 5 %, from
    100 % at 8 %) assigned to sp1 and sp2 directly and to a team whose only
    member is sp3."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Acceptance = cls.env["sales.performance.incentive.acceptance"]
        cls.acc_team = cls._new_team("Acceptance Team", members=cls.sp3)

    def _acceptance_plan(self, **vals):
        plan = self._plan(
            [dict(self._commission("flat"), name="Won revenue commission")],
            users=self.sp1 | self.sp2,
        )
        plan.write(
            {
                "assignment_ids": [Command.create({"team_id": self.acc_team.id})],
                "terms": "Payouts are made with the salary of the following month.",
                **vals,
            }
        )
        return plan

    def _acceptances(self, plan):
        return self.Acceptance.search([("plan_id", "=", plan.id)])

    def _of(self, acceptances, user):
        return acceptances.filtered(lambda a: a.user_id == user)


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveAcceptance(AcceptanceCommon):
    # ------------------------------------------------------------------
    # Publication
    # ------------------------------------------------------------------
    def test_publish_once_per_assignee_with_an_activity(self):
        plan = self._acceptance_plan()
        plan.with_user(self.admin).action_publish()
        acceptances = self._acceptances(plan)
        # sp1 and sp2 directly, sp3 through the team
        self.assertEqual(acceptances.user_id, self.sp1 | self.sp2 | self.sp3)
        self.assertEqual(set(acceptances.mapped("state")), {"pending"})
        self.assertEqual(acceptances.version_id, plan.version_ids)
        self.assertEqual(acceptances.company_id, self.company)
        activity_type = self.env.ref(ACTIVITY_TYPE)
        for acceptance in acceptances:
            self.assertEqual(acceptance.activity_ids.activity_type_id, activity_type)
            self.assertEqual(acceptance.activity_ids.user_id, acceptance.user_id)
        self.assertIn("3 salespeople", plan.message_ids[0].body)
        # republishing creates nothing new, for nobody
        result = plan.with_user(self.admin).action_publish()
        self.assertEqual(self._acceptances(plan), acceptances)
        self.assertEqual(len(acceptances.activity_ids), 3)
        self.assertEqual(result["params"]["type"], "info")
        # a salesperson joining the team later is asked on the next publication
        self.acc_team.member_ids = [Command.link(self.outsider.id)]
        plan.with_user(self.admin).action_publish()
        self.assertEqual(
            self._acceptances(plan).user_id,
            self.sp1 | self.sp2 | self.sp3 | self.outsider,
        )

    def test_new_version_needs_a_new_acceptance(self):
        plan = self._acceptance_plan()
        plan.with_user(self.admin).action_publish()
        v1 = plan.version_ids
        self._of(self._acceptances(plan), self.sp1).with_user(self.sp1).action_accept()
        # the top band pays 10 % from February: version 2
        plan.version_date = FEB[0]
        plan.rule_ids.tier_ids.filtered(lambda t: t.lower == 100).rate = 10
        v2 = plan.version_ids - v1
        self.assertEqual(v2.version, 2)
        plan.with_user(self.admin).action_publish()
        acceptances = self._acceptances(plan)
        self.assertEqual(len(acceptances), 6)
        mine = self._of(acceptances, self.sp1)
        self.assertEqual(
            {(a.version_id, a.state) for a in mine},
            {(v1, "accepted"), (v2, "pending")},
        )
        # version 1 applies to January, version 2 from February
        self.assertEqual(v1._window(), JAN)
        self.assertEqual(v2._window(), (FEB[0], plan.date_to))

    def test_publish_bad_input(self):
        draft = self._plan([self._commission("flat")], activate=False)
        with self.assertRaisesRegex(UserError, "active"):
            draft.with_user(self.admin).action_publish()
        nobody = self._plan([self._commission("flat")], users=self.env["res.users"])
        with self.assertRaisesRegex(UserError, "nobody"):
            nobody.with_user(self.admin).action_publish()
        archived = self._acceptance_plan()
        archived.action_archive_plan()
        with self.assertRaisesRegex(UserError, "active"):
            archived.with_user(self.admin).action_publish()
        # several plans at once: one bad plan, nothing published for the good one
        good = self._acceptance_plan()
        with self.assertRaises(UserError):
            (good | nobody).with_user(self.admin).action_publish()
        self.assertFalse(
            self.Acceptance.search(
                [("plan_id", "in", (draft | nobody | archived | good).ids)]
            )
        )
        # only incentive administrators publish
        with self.assertRaises(AccessError):
            good.with_user(self.leader).action_publish()
        self.assertFalse(self._acceptances(good))

    # ------------------------------------------------------------------
    # Acceptance
    # ------------------------------------------------------------------
    def test_accept_records_date_document_activity_and_chatter(self):
        plan = self._acceptance_plan()
        plan.with_user(self.admin).action_publish()
        acceptance = self._of(self._acceptances(plan), self.sp1)
        with freeze_time("2031-01-05 09:30:00"):
            acceptance.with_user(self.sp1).action_accept()
        self.assertEqual(acceptance.state, "accepted")
        self.assertEqual(acceptance.date_accepted, datetime(2031, 1, 5, 9, 30))
        document = acceptance.attachment_id
        self.assertEqual(
            (document.res_model, document.res_id), (acceptance._name, acceptance.id)
        )
        self.assertIn("Test Plan - v1", document.name)
        # outside a test the document is the PDF; here the report renders its
        # HTML (see TestIncentiveAcceptanceReport for the PDF)
        content = base64.b64decode(document.datas).decode()
        self.assertIn("Won revenue commission", content)
        self.assertIn("Accepted by:", content)
        # the activity is done, its feedback in the chatter
        self.assertFalse(acceptance.activity_ids)
        bodies = " ".join(acceptance.message_ids.mapped("body"))
        self.assertIn("Plan accepted.", bodies)
        posted = acceptance.message_ids.filtered(lambda m: m.attachment_ids)
        self.assertEqual(posted.attachment_ids, document)
        self.assertEqual(posted.author_id, self.sp1.partner_id)
        self.assertIn("accepted", posted.body)
        # the other acceptances stay pending, with their activity
        others = self._acceptances(plan) - acceptance
        self.assertEqual(set(others.mapped("state")), {"pending"})
        self.assertEqual(len(others.activity_ids), 2)

    def test_accept_bad_input(self):
        plan = self._acceptance_plan()
        plan.with_user(self.admin).action_publish()
        acceptances = self._acceptances(plan)
        mine = self._of(acceptances, self.sp1)
        # somebody else, even an administrator, never accepts for sp1
        for user in (self.admin, self.sp2):
            with self.assertRaises(AccessError):
                mine.with_user(user).action_accept()
        self.assertEqual(mine.state, "pending")
        self.assertFalse(mine.date_accepted)
        # a batch with somebody else's acceptance accepts nothing
        with self.assertRaises(AccessError):
            (mine | self._of(acceptances, self.sp2)).with_user(self.sp1).action_accept()
        self.assertEqual(mine.state, "pending")
        with freeze_time("2031-01-05 09:30:00"):
            mine.with_user(self.sp1).action_accept()
        with freeze_time("2031-01-06 10:00:00"):
            with self.assertRaisesRegex(UserError, "already accepted"):
                mine.with_user(self.sp1).action_accept()
        self.assertEqual(mine.date_accepted, datetime(2031, 1, 5, 9, 30))
        self.assertEqual(
            len(
                self.env["ir.attachment"].search(
                    [("res_model", "=", mine._name), ("res_id", "=", mine.id)]
                )
            ),
            1,
        )
        # an acceptance is never forged, nor deleted once accepted
        other = self._of(acceptances, self.sp2)
        with self.assertRaises(AccessError):
            other.with_user(self.admin).write({"state": "accepted"})
        with self.assertRaises(AccessError):
            self.Acceptance.with_user(self.admin).create(
                {
                    "version_id": plan.version_ids.id,
                    "user_id": self.outsider.id,
                    "state": "accepted",
                }
            )
        with self.assertRaises(UserError):
            mine.with_user(self.admin).unlink()
        self.assertEqual(other.state, "pending")

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    def test_salesperson_reads_only_own_acceptances(self):
        plan = self._acceptance_plan()
        plan.with_user(self.admin).action_publish()
        acceptances = self._acceptances(plan)
        mine = self._of(acceptances, self.sp1)
        theirs = self._of(acceptances, self.sp2)
        self.assertEqual(self.Acceptance.with_user(self.sp1).search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.sp1).read(["state"])
        # a team leader does not read the members' acceptances either
        self.assertFalse(self.Acceptance.with_user(self.leader).search([]))
        # salespeople neither create nor change acceptances
        with self.assertRaises(AccessError):
            mine.with_user(self.sp1).write({"date_accepted": "2031-01-01 00:00:00"})
        with self.assertRaises(AccessError):
            self.Acceptance.with_user(self.sp1).create(
                {"version_id": plan.version_ids.id, "user_id": self.sp1.id}
            )
        # the administrator reads them all, the salesperson prints their own
        self.assertEqual(
            self.Acceptance.with_user(self.admin).search([("plan_id", "=", plan.id)]),
            acceptances,
        )
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.sp1)
            ._render_qweb_html(
                "sales_performance.action_report_incentive_plan_acceptance", mine.ids
            )
        )
        self.assertIn("Won revenue commission", html.decode())
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.sp1)._render_qweb_html(
                "sales_performance.action_report_incentive_plan_acceptance",
                theirs.ids,
            )

    def test_other_company_acceptances_are_invisible(self):
        sp_b = self._new_user("acc_sp_b", company=self.company_b)
        admin_a = self._new_user("acc_admin_a", f"{SALESMAN},{INCENTIVE_ADMIN}")
        plan_b = self._plan(
            [self._commission("flat")], users=sp_b, company=self.company_b
        )
        plan_b.action_publish()
        acceptance_b = self._acceptances(plan_b)
        self.assertEqual(acceptance_b.user_id, sp_b)
        self.assertEqual(acceptance_b.company_id, self.company_b)
        self.assertFalse(
            self.Acceptance.with_user(admin_a).search([("id", "=", acceptance_b.id)])
        )
        with self.assertRaises(AccessError):
            acceptance_b.with_user(admin_a).read(["state"])

    # ------------------------------------------------------------------
    # Statements
    # ------------------------------------------------------------------
    def test_statement_held_until_the_version_in_force_is_accepted(self):
        plan = self._acceptance_plan(require_acceptance=True)
        plan.with_user(self.admin).action_publish()
        statements = self._by_user(plan.generate_statements(*JAN))
        statement = statements[self.sp2]
        # 120,000 against 100,000: 120 % in the top band, 8 % of 120,000
        self.assertEqual(statement.amount_total, 9600.0)
        self.assertEqual(statement.acceptance_state, "pending")
        self.assertIn("Plan not accepted", statement.hold_reason)
        self.assertIn("version 1 of Test Plan", statement.hold_reason)
        statement.with_user(self.leader).action_confirm()
        statement.with_user(self.leader).action_approve()
        with self.assertRaisesRegex(UserError, "held"):
            statement.with_user(self.admin).action_pay()
        # accepting lifts the hold of the open statement, amount untouched
        self._of(self._acceptances(plan), self.sp2).with_user(self.sp2).action_accept()
        statement.invalidate_recordset()
        self.assertEqual(statement.acceptance_state, "accepted")
        self.assertFalse(statement.hold_reason)
        self.assertEqual(statement.amount_total, 9600.0)
        self.assertIn("hold is lifted", statement.message_ids[0].body)
        statement.with_user(self.admin).action_pay()
        self.assertEqual(statement.state, "paid")
        # sp1 has not accepted: still held after a recompute of the draft
        draft = statements[self.sp1]
        draft.action_recompute()
        self.assertIn("Plan not accepted", draft.hold_reason)
        # ... and accepts: a recompute of the draft keeps it free
        self._of(self._acceptances(plan), self.sp1).with_user(self.sp1).action_accept()
        draft.action_recompute()
        self.assertFalse(draft.hold_reason)
        # 90,000 against 100,000: 90 %, band 80-100 % at 5 %
        self.assertEqual(draft.amount_total, 4500.0)

    def test_statement_of_a_new_version_needs_its_acceptance(self):
        plan = self._acceptance_plan(require_acceptance=True)
        plan.with_user(self.admin).action_publish()
        self._of(self._acceptances(plan), self.sp2).with_user(self.sp2).action_accept()
        plan.version_date = FEB[0]
        plan.rule_ids.tier_ids.filtered(lambda t: t.lower == 100).rate = 10
        january = self._by_user(plan.generate_statements(*JAN))[self.sp2]
        february = self._by_user(plan.generate_statements(*FEB))[self.sp2]
        self.assertEqual(january.version, 1)
        self.assertFalse(january.hold_reason)
        self.assertEqual(january.acceptance_state, "accepted")
        self.assertEqual(february.version, 2)
        self.assertEqual(february.acceptance_state, "not_published")
        self.assertIn("version 2", february.hold_reason)

    def test_statement_shows_missing_acceptance_without_holding(self):
        plan = self._acceptance_plan()
        plan.with_user(self.admin).action_publish()
        statements = self._by_user(plan.generate_statements(*JAN))
        self.assertEqual(statements[self.sp2].acceptance_state, "pending")
        self.assertFalse(statements[self.sp2].hold_reason)
        # the salesperson sees it on the confirmed statement too
        statements[self.sp2].with_user(self.leader).action_confirm()
        self.assertEqual(
            statements[self.sp2].with_user(self.sp2).acceptance_state, "pending"
        )

    def test_acceptance_hold_merges_with_other_holds(self):
        plan = self._acceptance_plan(require_acceptance=True)
        plan.with_user(self.admin).action_publish()
        base = sales_performance_incentive_plan.SalesPerformanceIncentivePlan
        with patch.object(
            base,
            "_eligibility_holds",
            lambda plan, users, date_from=None, date_to=None: {
                user.id: "Certification missing." if user == self.sp1 else False
                for user in users
            },
        ):
            statements = self._by_user(plan.generate_statements(*JAN))
        self.assertEqual(
            statements[self.sp1].hold_reason,
            "Certification missing. Plan not accepted: the salesperson has not "
            "accepted version 1 of Test Plan.",
        )
        self.assertEqual(
            statements[self.sp2].hold_reason,
            "Plan not accepted: the salesperson has not accepted version 1 of "
            "Test Plan.",
        )

    # ------------------------------------------------------------------
    # Plan document
    # ------------------------------------------------------------------
    def test_plan_document_rules_examples_and_terms(self):
        plan = self._acceptance_plan(
            description="Commission on the revenue of the deals you win."
        )
        version = plan.version_ids
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "sales_performance.action_report_incentive_plan", version.ids
        )
        html = html.decode()
        for text in (
            "Incentive Plan",
            "Test Plan",
            "Won revenue commission",
            "Commission on the revenue of the deals you win.",
            "Payouts are made with the salary of the following month.",
            "Worked Examples",
        ):
            self.assertIn(text, html)
        # the bands: [0, 80) 2 %, [80, 100) 5 %, [100, ∞) 8 %
        rules = version._document_rules()
        self.assertEqual(
            [(t["lower"], t["upper"], t["rate"]) for t in rules[0]["tiers"]],
            [("0", "80", "2"), ("80", "100", "5"), ("100", "∞", "8")],
        )
        # worked examples on a reference target of 100,000:
        # 80 % → 80,000 in band [80, 100) at 5 % = 4,000
        # 100 % → 100,000 in band [100, ∞) at 8 % = 8,000
        # 120 % → 120,000 x 8 % = 9,600
        examples = rules[0]["examples"]
        self.assertEqual(
            [(e["attainment"], e["base"], e["amount"]) for e in examples],
            [
                (80, "80,000", 4000.0),
                (100, "100,000", 8000.0),
                (120, "120,000", 9600.0),
            ],
        )
        for amount in ("4,000.00", "8,000.00", "9,600.00"):
            self.assertIn(amount, html)
        self.assertIn("Flat tiers: 80%", html)

    def test_plan_document_of_bonus_and_spiff(self):
        plan = self._plan(
            [
                {
                    "name": "Quarter bonus",
                    "kind": "bonus",
                    "metric_id": self.metric_won.id,
                    "tiers": [(100, 1000), (110, 2500)],
                },
                {
                    "name": "New logo SPIFF",
                    "kind": "spiff",
                    "metric_id": self.metric_won_count.id,
                    "amount": 50,
                    "max_count": 20,
                },
            ]
        )
        bonus, spiff = plan.version_ids._document_rules()
        # bonus at 80 % → nothing, 100 % → 1,000, 120 % → the 110 % threshold: 2,500
        self.assertEqual(
            [e["amount"] for e in bonus["examples"]], [0.0, 1000.0, 2500.0]
        )
        # SPIFF on a reference of 20 records: 16, 20 and 24 (at most 20 paid) x 50
        self.assertEqual([e["base"] for e in spiff["examples"]], ["16", "20", "24"])
        self.assertEqual(
            [e["amount"] for e in spiff["examples"]], [800.0, 1000.0, 1000.0]
        )


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveAcceptanceReport(AcceptanceCommon, HttpCase):
    """The plan document as a PDF, in English and in Chinese (HttpCase:
    wkhtmltopdf fetches the report assets from the test server)."""

    def setUp(self):
        super().setUp()
        if not shutil.which("pdftotext") or not shutil.which("wkhtmltopdf"):
            raise unittest.SkipTest(
                "wkhtmltopdf and pdftotext are needed to check the PDF"
            )

    def _published(self):
        plan = self._acceptance_plan()
        plan.with_user(self.admin).action_publish()
        return plan, self._acceptances(plan)

    def _pdf(self, report, records):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        return pdf_text_and_fonts(pdf)

    def test_pdf_in_english(self):
        plan, acceptances = self._published()
        text, _fonts = self._pdf(
            "sales_performance.action_report_incentive_plan_acceptance",
            self._of(acceptances, self.sp1),
        )
        for expected in (
            "Incentive Plan",
            "Test Plan",
            "Won revenue commission",
            "Worked Examples",
            "9,600.00",  # 120 % of the 100,000 reference target at 8 %
            "Terms and Conditions",
            "Payouts are made with the salary of the following month.",
        ):
            self.assertIn(expected, text)

    def test_pdf_in_chinese_and_accepted_copy(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_performance"], ["zh_CN"], overwrite=True
        )
        self.sp2.lang = "zh_CN"
        plan, acceptances = self._published()
        plan.with_context(lang="zh_CN").terms = "提成随次月工资发放。"
        acceptance = self._of(acceptances, self.sp2)
        text, fonts = self._pdf(
            "sales_performance.action_report_incentive_plan_acceptance", acceptance
        )
        for expected in (
            "提成方案",
            "计算示例",
            "达成率",
            "档位",
            "条款",
            "提成随次月工资发放。",
        ):
            self.assertIn(expected, text)
        self.assertIn("9,600.00", text)
        self.assertIn("CJK", fonts)
        # the English salesperson's document stays English
        english, _fonts = self._pdf(
            "sales_performance.action_report_incentive_plan_acceptance",
            self._of(acceptances, self.sp1),
        )
        self.assertIn("Worked Examples", english)
        self.assertNotIn("计算示例", english)
        # accepting attaches the PDF, in Chinese
        acceptance.with_user(self.sp2).with_context(
            force_report_rendering=True
        ).action_accept()
        pdf = base64.b64decode(acceptance.attachment_id.datas)
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(acceptance.attachment_id.mimetype, "application/pdf")
        accepted_text, _fonts = pdf_text_and_fonts(pdf)
        self.assertIn("提成方案", accepted_text)
        self.assertIn(self.sp2.name, accepted_text)
