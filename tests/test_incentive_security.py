from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import INCENTIVE_ADMIN, JAN, SALES_MANAGER, SALESMAN, IncentiveCommon


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveSecurity(IncentiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._plan(
            [
                {
                    "kind": "commission",
                    "metric_id": cls.metric_won.id,
                    "basis": "attainment",
                    "mode": "flat",
                    "tiers": cls.TIERS,
                }
            ]
        )
        statements = cls.plan.generate_statements(*JAN)
        cls.st = {s.user_id: s for s in statements}
        # sp1's and sp2's statements are confirmed (visible to them), sp3's is a draft
        (cls.st[cls.sp1] | cls.st[cls.sp2]).with_user(cls.leader).action_confirm()

    def test_salesperson_reads_only_own(self):
        Statement = self.env["sales.performance.incentive.statement"].with_user(
            self.sp1
        )
        self.assertEqual(Statement.search([]), self.st[self.sp1])
        self.assertEqual(Statement.search_count([]), 1)
        self.st[self.sp1].with_user(self.sp1).read(["amount_total"])
        with self.assertRaises(AccessError):
            self.st[self.sp2].with_user(self.sp1).read(["amount_total"])
        with self.assertRaises(AccessError):
            self.st[self.sp2].with_user(self.sp1).amount_total  # noqa: B018
        # grouped reads sum only their own statement
        groups = Statement._read_group([], ["user_id"], ["amount_total:sum"])
        self.assertEqual([(u, total) for u, total in groups], [(self.sp1, 4500.0)])
        # lines likewise
        Line = self.env["sales.performance.incentive.statement.line"].with_user(
            self.sp1
        )
        self.assertEqual(Line.search([]).statement_id, self.st[self.sp1])
        self.assertEqual(
            Line.search_count([("statement_id", "=", self.st[self.sp2].id)]), 0
        )
        with self.assertRaises(AccessError):
            self.st[self.sp2].line_ids.with_user(self.sp1).read(["amount"])
        # through the plan's one2many as well
        plan = self.plan.with_user(self.sp1)
        self.assertEqual(plan.statement_ids, self.st[self.sp1])
        self.assertEqual(plan.statement_count, 1)

    def test_salesperson_does_not_see_drafts(self):
        Statement = self.env["sales.performance.incentive.statement"].with_user(
            self.sp3
        )
        self.assertFalse(Statement.search([]))
        with self.assertRaises(AccessError):
            self.st[self.sp3].with_user(self.sp3).read(["amount_total"])

    def test_salesperson_cannot_change_statements_or_plans(self):
        with self.assertRaises(AccessError):
            self.st[self.sp1].with_user(self.sp1).write({"payment_ref": "x"})
        with self.assertRaises(AccessError):
            self.st[self.sp1].with_user(self.sp1).action_approve()
        with self.assertRaises(AccessError):
            self.plan.rule_ids[:1].with_user(self.sp1).write({"gate": 0})
        with self.assertRaises(AccessError):
            self.env["sales.performance.incentive.plan"].with_user(self.sp1).create(
                {"name": "Mine"}
            )
        with self.assertRaises(AccessError):
            self.plan.with_user(self.sp1).generate_statements(*JAN)
        # but they read the rules that apply to them
        self.assertTrue(self.plan.with_user(self.sp1).rule_ids.summary)

    def test_report_of_a_colleague_is_refused(self):
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.sp1)._render_qweb_html(
                "sales_performance.action_report_incentive_statement",
                self.st[self.sp2].ids,
            )

    def test_team_leader_reads_and_approves_members(self):
        Statement = self.env["sales.performance.incentive.statement"].with_user(
            self.leader
        )
        self.assertEqual(Statement.search([]), self.plan.statement_ids)
        self.st[self.sp1].with_user(self.leader).action_approve()
        self.assertEqual(self.st[self.sp1].state, "approved")
        # the outsider leads no team: sees nothing, approves nothing
        self.assertFalse(
            self.env["sales.performance.incentive.statement"]
            .with_user(self.outsider)
            .search([])
        )
        with self.assertRaises(AccessError):
            self.st[self.sp2].with_user(self.outsider).action_approve()

    def test_sales_manager_manages_plans(self):
        manager = self._new_user("inc_manager", SALES_MANAGER)
        self.assertTrue(
            manager.has_group(
                "sales_performance.group_sales_performance_incentive_admin"
            )
        )
        plan = (
            self.env["sales.performance.incentive.plan"]
            .with_user(manager)
            .create({"name": "Manager plan"})
        )
        self.assertEqual(plan.state, "draft")
        self.assertEqual(
            self.env["sales.performance.incentive.statement"]
            .with_user(manager)
            .search_count([("plan_id", "=", self.plan.id)]),
            3,
        )

    def test_multi_company(self):
        other_admin = self._new_user(
            "inc_other_admin", f"{SALESMAN},{INCENTIVE_ADMIN}", company=self.company_b
        )
        Statement = self.env["sales.performance.incentive.statement"].with_user(
            other_admin
        )
        self.assertFalse(Statement.search([]))
        with self.assertRaises(AccessError):
            self.st[self.sp1].with_user(other_admin).read(["amount_total"])
        self.assertFalse(
            self.env["sales.performance.incentive.plan"]
            .with_user(other_admin)
            .search([])
        )
