"""The demo organisation installed with demo data (Horizon Trading Co.).

The only test that reads demo records, on purpose: it checks what a visitor
of a demo database finds. Without demo data it is skipped, with a line
saying so.
"""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoOrganisation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref(
            "sales_performance.demo_company_horizon_demo", raise_if_not_found=False
        )

    def setUp(self):
        super().setUp()
        if not self.company:
            self.skipTest(
                "demo organisation not checked: the database was installed "
                "without demo data"
            )
        self.domain = [("company_id", "=", self.company.id)]

    def _count(self, model, domain=()):
        return (
            self.env[model]
            .with_context(active_test=False)
            .search_count(self.domain + list(domain))
        )

    def test_people_and_teams(self):
        teams = self.env["crm.team"].search(self.domain)
        self.assertEqual(len(teams), 3)
        self.assertTrue(all(teams.mapped("user_id")), "every team has a leader")
        salespeople = teams.member_ids
        self.assertGreaterEqual(len(salespeople), 12)
        self.assertFalse(salespeople & teams.user_id, "leaders lead, members sell")
        employees = self.env["hr.employee"].search([("user_id", "in", salespeople.ids)])
        self.assertEqual(len(employees), len(salespeople), "every one an employee")
        self.assertFalse(
            employees.filtered(lambda e: e.job_id.name == "Experienced Developer")
        )
        self.assertEqual(
            set(employees.job_id.mapped("name")),
            {"Account Executive", "Senior Account Executive"},
        )
        # each salesperson reports to their team leader
        for team in teams:
            members = employees.filtered(lambda e, t=team: e.user_id in t.member_ids)
            self.assertEqual(members.parent_id.user_id, team.user_id)
        self.assertEqual(len(set(salespeople.mapped("tz"))), 3)

    def test_twelve_months_of_documents(self):
        today = fields.Date.context_today(self.env.user)
        months = {today.replace(day=1) - relativedelta(months=n) for n in range(12)}
        Lead = self.env["crm.lead"].with_context(active_test=False)
        for model, field, domain in (
            ("crm.lead", "create_date", []),
            ("sale.order", "date_order", [("state", "=", "sale")]),
        ):
            groups = (
                self.env[model]
                .with_context(active_test=False)
                ._read_group(self.domain + domain, [f"{field}:month"], ["__count"])
            )
            seen = {day.date() if hasattr(day, "date") else day for day, _n in groups}
            self.assertLessEqual(months, seen, f"{model} in each of the 12 months")
        # opportunities in every stage, won and lost with reasons
        self.assertGreaterEqual(
            len(Lead.search(self.domain + [("active", "=", True)]).stage_id), 3
        )
        won = Lead.search_count(self.domain + [("won_status", "=", "won")])
        lost = Lead.search(self.domain + [("won_status", "=", "lost")])
        self.assertGreater(won, 50)
        self.assertGreater(len(lost), 30)
        self.assertEqual(len(lost.lost_reason_id), 3)
        # quotations, invoices, credit notes, payments partial and late
        self.assertTrue(self._count("sale.order", [("state", "in", ("draft", "sent"))]))
        Move = self.env["account.move"]
        invoices = Move.search(
            self.domain + [("move_type", "=", "out_invoice"), ("state", "=", "posted")]
        )
        self.assertGreater(len(invoices), 50)
        self.assertTrue(self._count("account.move", [("move_type", "=", "out_refund")]))
        payment_states = set(invoices.mapped("payment_state"))
        self.assertLessEqual({"partial", "not_paid"}, payment_states)
        self.assertTrue(payment_states & {"paid", "in_payment"})
        late = invoices.filtered(
            lambda m: any(
                partial.max_date > m.invoice_date_due
                for partial in m.line_ids.matched_credit_ids
            )
        )
        self.assertTrue(late, "some customers paid late")
        overdue = invoices.filtered(
            lambda m: m.amount_residual and m.invoice_date_due < today
        )
        self.assertTrue(overdue, "some invoices are overdue")
        # activities done and overdue
        Activity = self.env["mail.activity"].with_context(active_test=False)
        users = self.env["crm.team"].search(self.domain).member_ids
        self.assertTrue(
            Activity.search_count(
                [("user_id", "in", users.ids), ("date_done", "!=", False)]
            )
        )
        self.assertTrue(
            Activity.search_count(
                [
                    ("user_id", "in", users.ids),
                    ("active", "=", True),
                    ("date_deadline", "<", today),
                ]
            )
        )
        # profiles differ: the top performer wins more than the thin pipeline
        top = self.env.ref("sales_performance.demo_user_wangfang_demo")
        thin = self.env.ref("sales_performance.demo_user_liuyang_demo")
        self.assertGreater(
            Lead.search_count([("user_id", "=", top.id)]),
            2 * Lead.search_count([("user_id", "=", thin.id)]),
        )

    def test_targets(self):
        targets = self.env["sales.performance.target"].search(self.domain)
        self.assertEqual(
            set(targets.mapped("assignee_type")), {"user", "team", "company"}
        )
        self.assertLessEqual(
            {"draft", "active", "closed"}, set(targets.mapped("state"))
        )
        statuses = set(targets.mapped("status"))
        self.assertLessEqual({"achieved", "missed"}, statuses)
        self.assertGreaterEqual(len(statuses & {"on_track", "at_risk", "off_track"}), 2)
        # the year's confirmed sales: company -> teams -> salespeople, adding up
        sales = self.env.ref("sales_performance.metric_confirmed_sales")
        company_year = targets.filtered(
            lambda t: t.metric_id == sales and t.assignee_type == "company"
        )
        self.assertEqual(len(company_year), 1)
        self.assertEqual(len(company_year.child_ids), 3)
        self.assertAlmostEqual(
            company_year.target_value,
            sum(company_year.child_ids.child_ids.mapped("target_value")),
        )
        self.assertGreater(company_year.achieved_value, 0)

    def test_statements(self):
        statements = self.env["sales.performance.incentive.statement"].search(
            self.domain
        )
        self.assertLessEqual(
            {"paid", "approved", "confirmed", "draft"}, set(statements.mapped("state"))
        )
        paid = statements.filtered(lambda s: s.state == "paid")
        self.assertGreater(sum(paid.mapped("amount_total")), 0)
        self.assertTrue(paid.filtered(lambda s: s.signoff_state == "signed"))
        self.assertTrue(
            self.env["sales.performance.incentive.dispute"].search_count(self.domain)
        )

    def test_evaluations_and_training(self):
        evaluations = self.env["sales.performance.evaluation"].search(self.domain)
        self.assertEqual(len(evaluations.cycle_id), 2)
        self.assertLessEqual(
            {"draft", "self_assessment", "manager_review", "done"},
            set(evaluations.mapped("state")),
        )
        showcase = self.env.ref("sales_performance.demo_evaluation_showcase_demo")
        self.assertEqual(showcase.state, "done")
        kpis = showcase.line_ids.filtered(lambda line: line.kind == "kpi")
        self.assertTrue(kpis and all(kpis.mapped("has_target")))
        self.assertTrue(all(value > 0 for value in kpis.mapped("achieved_value")))
        self.assertTrue(showcase.manager_comment and showcase.development_notes)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "sales_performance.action_report_evaluation", showcase.ids
            )[0]
            .decode()
        )
        self.assertIn(showcase.employee_id.name, html)
        records = self.env["sales.performance.training.record"].search(self.domain)
        self.assertLessEqual(
            {"valid", "expiring"}, set(records.mapped("certificate_state"))
        )
        self.assertTrue(
            self.env["sales.performance.training.session"].search_count(
                self.domain + [("state", "=", "planned")]
            )
        )
        self.assertTrue(
            self._count("sales.performance.training.need", [("state", "=", "proposed")])
        )
