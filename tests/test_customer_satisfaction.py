"""Customer satisfaction (客户满意度): the satisfaction survey sent about
confirmed orders, and the Customer Satisfaction metric (average score of the
completed answers credited to the salesperson) in targets and evaluations.

Every expected figure is computed by hand in the comments."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import MARCH, TargetCommon

TODAY = "2026-03-16 10:00:00"


@tagged("post_install", "-at_install")
class TestCustomerSatisfaction(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.metric_csat = cls.env.ref("sales_performance.metric_customer_satisfaction")
        cls.survey = cls.env["survey.survey"].create(
            {
                "title": "SP Satisfaction",
                "access_mode": "token",
                "scoring_type": "scoring_without_answers",
            }
        )
        cls.company_a.sales_performance_csat_survey_id = cls.survey
        cls.customer_1.email = "customer.one@example.com"
        cls.customer_2.email = "customer.two@example.com"
        cls.order_alice = cls._order(
            cls.user_alice, cls.team_1, cls.customer_1, 1000.0, datetime(2026, 3, 2)
        )
        cls.order_bob = cls._order(
            cls.user_bob, cls.team_1, cls.customer_2, 1000.0, datetime(2026, 3, 2)
        )
        cls.order_split = cls._order(
            cls.user_alice, cls.team_1, cls.customer_2, 1000.0, datetime(2026, 3, 3)
        )
        # the split order is credited 50 % to Alice and 50 % to Bob
        cls.order_split.sales_performance_split_ids = [
            Command.create({"user_id": cls.user_alice.id, "percent": 50.0}),
            Command.create({"user_id": cls.user_bob.id, "percent": 50.0}),
        ]
        cls.order_dave = cls._order(
            cls.user_dave, cls.team_2, cls.customer_1, 1000.0, datetime(2026, 3, 4)
        )
        answer = cls._answer
        answer(cls.order_alice, 80.0, datetime(2026, 3, 5, 9))
        answer(cls.order_alice, 90.0, datetime(2026, 3, 10, 9))
        answer(cls.order_bob, 60.0, datetime(2026, 3, 12, 9))
        answer(cls.order_split, 100.0, datetime(2026, 3, 20, 9))
        answer(cls.order_dave, 40.0, datetime(2026, 3, 15, 9))
        # none of these counts: not completed, a test entry, after March
        answer(cls.order_alice, 10.0, None, state="in_progress")
        answer(cls.order_alice, 0.0, datetime(2026, 3, 6, 9), test_entry=True)
        answer(cls.order_alice, 20.0, datetime(2026, 4, 2, 9))

    @classmethod
    def _answer(cls, order, score, end, state="done", test_entry=False):
        answer = cls.env["survey.user_input"].create(
            {
                "survey_id": cls.survey.id,
                "partner_id": order.partner_id.id,
                "state": state,
                "end_datetime": end,
                "test_entry": test_entry,
                "sales_performance_user_id": order.user_id.id,
                "sales_performance_order_id": order.id,
            }
        )
        # the score as the customer's answers would give it (stored compute)
        answer.flush_recordset()
        cls.env.cr.execute(
            "UPDATE survey_user_input SET scoring_percentage = %s WHERE id = %s",
            (score, answer.id),
        )
        answer.invalidate_recordset(["scoring_percentage"])
        return answer

    # ------------------------------------------------------------------
    # The metric
    # ------------------------------------------------------------------
    def test_metric_averages_credited_answers(self):
        values = self.metric_csat._compute_values(*MARCH, "UTC", {self.company_a.id})
        by_user = {}
        for (_company, user_id, _team), value in values.items():
            by_user[user_id] = by_user.get(user_id, 0.0) + value
        # Alice: 80 + 90 whole, 100 at 50 %: (80 + 90 + 50) / 2.5 = 88
        self.assertAlmostEqual(by_user[self.user_alice.id], 88.0)
        # Bob: 60 whole, 100 at 50 %: (60 + 50) / 1.5 = 73.33
        self.assertAlmostEqual(by_user[self.user_bob.id], 110.0 / 1.5)
        # Dave: 40
        self.assertAlmostEqual(by_user[self.user_dave.id], 40.0)
        actual = self.Target._actual_for(
            self.metric_csat,
            *MARCH,
            self.company_a,
            users=self.user_alice,
            teams=self.team_1 | self.team_2,
        )
        self.assertAlmostEqual(actual[self.user_alice], 88.0)
        # team one pools its members' answers: (80 + 90 + 60 + 50 + 50) / 4
        # = 82.5 (not 88 + 73.33 nor their average 80.67)
        self.assertAlmostEqual(actual[self.team_1], 82.5)
        self.assertAlmostEqual(actual[self.team_2], 40.0)

    @freeze_time(TODAY)
    def test_targets_compare_averages(self):
        alice = self._target(self.metric_csat, user_id=self.user_alice.id)
        team = self._target(self.metric_csat, team_id=self.team_1.id)
        company = self._target(self.metric_csat)
        (alice | team | company).write({"target_value": 85.0})
        (alice | team | company).action_activate()
        (alice | team | company)._recompute_batch()
        values = self._values(alice)
        # 88 / 85 = 103.53 %: achieved; expected is the target itself (an
        # average is not prorated by the 11 of 22 working days elapsed)
        self.assertAlmostEqual(values["achieved"], 88.0)
        self.assertAlmostEqual(values["attainment"], 88.0 / 85.0 * 100.0, places=2)
        self.assertAlmostEqual(values["expected"], 85.0)
        self.assertAlmostEqual(values["forecast"], 88.0)
        self.assertEqual(values["status"], "achieved")
        values = self._values(team)
        # team one: 82.5 / 85 = 97.06 %, forecast 82.5 >= 80 % of 85: at risk
        self.assertAlmostEqual(values["achieved"], 82.5)
        self.assertAlmostEqual(values["attainment"], 82.5 / 85.0 * 100.0, places=2)
        self.assertAlmostEqual(values["expected"], 85.0)
        self.assertEqual(values["status"], "at_risk")
        # the company: (330 + 40) / 5 = 74
        self.assertAlmostEqual(self._values(company)["achieved"], 74.0)

    @freeze_time(TODAY)
    def test_kept_days_pool_averages(self):
        """The queue-driven recompute keeps each day's total and weight:
        days read again pool with the kept ones (never an average of
        averages)."""
        alice = self._target(self.metric_csat, user_id=self.user_alice.id)
        team = self._target(self.metric_csat, team_id=self.team_1.id)
        company = self._target(self.metric_csat)
        targets = alice | team | company
        targets.action_activate()
        # nothing kept yet: every day is read, the figures of a full recompute
        targets._recompute_batch(touched={t.id: set() for t in targets})
        self.assertAlmostEqual(self._values(alice)["achieved"], 88.0)
        self.assertAlmostEqual(self._values(team)["achieved"], 82.5)
        self.assertAlmostEqual(self._values(company)["achieved"], 74.0)
        # a new answer of 30 for alice on March 25, only that day read again:
        # alice (80 + 90 + 50 + 30) / 3.5 = 71.43; team one (330 + 30) / 5 =
        # 72; the company (370 + 30) / 6 = 66.67
        self._answer(self.order_alice, 30.0, datetime(2026, 3, 25, 9))
        day = datetime(2026, 3, 25).date()
        targets._recompute_batch(touched={t.id: {day} for t in targets})
        self.assertAlmostEqual(self._values(alice)["achieved"], 250.0 / 3.5, places=2)
        self.assertAlmostEqual(self._values(team)["achieved"], 72.0)
        self.assertAlmostEqual(self._values(company)["achieved"], 400.0 / 6, places=2)
        after_queue = targets.mapped("achieved_value")
        targets._recompute_batch()
        targets.invalidate_recordset()
        self.assertEqual(targets.mapped("achieved_value"), after_queue)

    def test_allocation_and_rollup_average_not_sum(self):
        parent = self._target(
            self.metric_csat, team_id=self.team_1.id, target_value=85.0
        )
        wizard = self.env["sales.performance.target.allocate"].create(
            {"parent_id": parent.id}
        )
        wizard.action_allocate()
        # each of the 3 members is asked the team's average, not 85 / 3
        self.assertEqual(parent.child_ids.mapped("target_value"), [85.0] * 3)
        self.assertFalse(parent.rollup_mismatch)
        self.assertEqual(parent.children_total, 85.0)
        # 80, 85 and 90 average 85: consistent; 80, 85, 96 average 87: 2 over
        alice, bob, carol = parent.child_ids.sorted("id")
        alice.target_value, carol.target_value = 80.0, 90.0
        self.assertFalse(parent.rollup_mismatch)
        carol.target_value = 96.0
        self.assertAlmostEqual(parent.children_total, 87.0)
        self.assertAlmostEqual(parent.rollup_gap, -2.0)
        self.assertTrue(parent.rollup_mismatch)

    def test_evaluation_kpi_line(self):
        target = self._target(
            self.metric_csat, user_id=self.user_alice.id, target_value=80.0
        )
        target.action_activate()
        target._recompute_batch()
        employee = self.env["hr.employee"].create(
            {
                "name": "SP Alice",
                "user_id": self.user_alice.id,
                "company_id": self.company_a.id,
            }
        )
        template = self.env["sales.performance.evaluation.template"].create(
            {
                "name": "SP CSAT Template",
                "company_id": self.company_a.id,
                "line_ids": [
                    Command.create(
                        {"kind": "kpi", "metric_id": self.metric_csat.id, "weight": 100}
                    )
                ],
            }
        )
        evaluation = (
            self.env["sales.performance.evaluation"]
            .with_company(self.company_a)
            .create(
                {
                    "employee_id": employee.id,
                    "company_id": self.company_a.id,
                    "date_from": MARCH[0],
                    "date_to": MARCH[1],
                    "template_id": template.id,
                }
            )
        )
        line = evaluation.sudo().line_ids.filtered(lambda ln: ln.kind == "kpi")
        line._refresh_kpi()
        # 88 achieved on 80: 110 %
        self.assertEqual(line.target_value, 80.0)
        self.assertAlmostEqual(line.achieved_value, 88.0)
        self.assertAlmostEqual(line.attainment, 110.0)

    def test_drill_down_lists_the_credited_answers(self):
        target = self._target(self.metric_csat, user_id=self.user_alice.id)
        action = target.action_view_sources()
        self.assertEqual(action["res_model"], "survey.user_input")
        answers = self.env["survey.user_input"].search(action["domain"])
        # Alice's three March answers, the split one credited 50 %
        self.assertEqual(
            sorted(answers.mapped("scoring_percentage")), [80.0, 90.0, 100.0]
        )
        shares = (
            answers.with_context(**action["context"])
            .sudo()
            .mapped(lambda a: (a.scoring_percentage, a.sales_performance_credit_share))
        )
        self.assertEqual(sorted(shares), [(80.0, 100.0), (90.0, 100.0), (100.0, 50.0)])
        # Alice reads her credited answers (not Dave's)
        mine = (
            self.env["survey.user_input"]
            .with_user(self.user_alice)
            .search(action["domain"])
        )
        self.assertEqual(len(mine), 3)
        dave_answer = self.env["survey.user_input"].search(
            [("sales_performance_order_id", "=", self.order_dave.id)]
        )
        with self.assertRaises(AccessError):
            dave_answer.with_user(self.user_alice).read(["scoring_percentage"])
        with self.assertRaises(AccessError):
            mine[:1].with_user(self.user_alice).write({"state": "new"})

    def test_average_metric_needs_a_numeric_field(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.metric_csat.copy(
                {"sum_field_id": False, "name": "SP CSAT without field"}
            )

    # ------------------------------------------------------------------
    # Sending the survey
    # ------------------------------------------------------------------
    def _csat_mails(self, order):
        return self.env["mail.mail"].search(
            [
                ("subject", "ilike", order.name),
                ("recipient_ids", "in", order.partner_id.ids),
            ]
        )

    def test_send_survey(self):
        order = self._order(
            self.user_bob, self.team_1, self.customer_1, 500.0, datetime(2026, 3, 9)
        )
        order.action_sales_performance_send_survey()
        answer = order.sales_performance_csat_ids
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.survey_id, self.survey)
        self.assertEqual(answer.partner_id, self.customer_1)
        self.assertEqual(answer.sales_performance_user_id, self.user_bob)
        self.assertEqual(answer.state, "new")
        mail = self._csat_mails(order)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        # the mail carries the invitation's own link
        self.assertIn(answer.get_start_url().replace("&", "&amp;"), str(mail.body_html))
        self.assertTrue(order.sales_performance_csat_sent_date)
        # twice: the same invitation is sent again, no second one
        order.action_sales_performance_send_survey()
        self.assertEqual(order.sales_performance_csat_ids, answer)
        self.assertEqual(len(self._csat_mails(order)), 2)
        self.assertEqual(order.sales_performance_csat_count, 1)

    def test_send_survey_bad_cases(self):
        draft = self._order(
            self.user_bob,
            self.team_1,
            self.customer_1,
            500.0,
            datetime(2026, 3, 9),
            state="draft",
        )
        with self.assertRaises(UserError):
            draft.action_sales_performance_send_survey()
        self.assertFalse(draft.sales_performance_csat_ids)
        no_mail = self._order(
            self.user_bob, self.team_1, self.customer_3, 500.0, datetime(2026, 3, 9)
        )
        self.customer_3.email = False
        with self.assertRaises(UserError):
            no_mail.action_sales_performance_send_survey()
        self.assertFalse(no_mail.sales_performance_csat_ids)
        self.company_a.sales_performance_csat_survey_id = False
        with self.assertRaises(UserError):
            self.order_bob.action_sales_performance_send_survey()

    def _invoice(self, order, day):
        invoice = order._create_invoices()
        invoice.invoice_date = day
        invoice.action_post()
        return invoice

    def test_cron_sends_once_after_the_delay(self):
        self.env["account.chart.template"].try_loading(
            "generic_coa", company=self.company_a, install_demo=False
        )
        self.company_a.sales_performance_csat_delay_days = 7
        today = fields.Date.context_today(self.env["sale.order"])
        due = self._order(
            self.user_bob, self.team_1, self.customer_1, 500.0, datetime(2026, 3, 9)
        )
        self._invoice(due, today - timedelta(days=8))
        early = self._order(
            self.user_bob, self.team_1, self.customer_2, 500.0, datetime(2026, 3, 9)
        )
        self._invoice(early, today - timedelta(days=3))
        not_invoiced = self._order(
            self.user_bob, self.team_1, self.customer_2, 500.0, datetime(2026, 3, 9)
        )
        Order = self.env["sale.order"]
        Order._cron_send_satisfaction_surveys()
        # invoiced 8 days ago with a 7-day delay: sent; 3 days ago: not yet
        self.assertEqual(len(due.sales_performance_csat_ids), 1)
        self.assertEqual(len(self._csat_mails(due)), 1)
        self.assertFalse(early.sales_performance_csat_ids)
        self.assertFalse(not_invoiced.sales_performance_csat_ids)
        # the next run sends nothing again
        Order._cron_send_satisfaction_surveys()
        self.assertEqual(len(due.sales_performance_csat_ids), 1)
        self.assertEqual(len(self._csat_mails(due)), 1)
        # a delay of 0: only by hand
        self.company_a.sales_performance_csat_delay_days = 0
        with freeze_time(today + timedelta(days=30)):
            Order._cron_send_satisfaction_surveys()
        self.assertFalse(early.sales_performance_csat_ids)

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    def test_settings_bad_input(self):
        settings = (
            self.env["res.config.settings"].with_company(self.company_a).create({})
        )
        self.assertEqual(settings.sales_performance_csat_survey_id, self.survey)
        for field, value in (
            ("sales_performance_feedback_min_answers", 0),
            ("sales_performance_feedback_min_answers", -2),
            ("sales_performance_feedback_min_answers", 10**6),
            ("sales_performance_csat_delay_days", -1),
            ("sales_performance_csat_delay_days", 100000),
        ):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self.company_a.write({field: value})
        self.company_a.invalidate_recordset()
        self.assertEqual(self.company_a.sales_performance_feedback_min_answers, 3)
        self.assertEqual(self.company_a.sales_performance_csat_delay_days, 0)
        settings.sales_performance_feedback_min_answers = 5
        settings.sales_performance_csat_delay_days = 10
        settings.execute()
        self.assertEqual(self.company_a.sales_performance_feedback_min_answers, 5)
        self.assertEqual(self.company_a.sales_performance_csat_delay_days, 10)
