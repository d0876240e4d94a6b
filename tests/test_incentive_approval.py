from datetime import datetime
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import INCENTIVE_ADMIN, JAN, SALESMAN, IncentiveCommon

FINANCE = "account.group_account_manager"


class ApprovalCommon(IncentiveCommon):
    """A flat commission plan (TIERS: 2 % below 80 %, 5 % to 100 %, 8 % from
    100 %) whose route is "team leader for all, finance from 10,000".

    January 2031: sp1 wins 90,000 of 100,000 (90 %): 5 % = 4,500; sp2 wins
    120,000 + 5,000 = 125,000 of 100,000 (125 %): 8 % = 10,000, exactly the
    finance threshold (a level applies from its threshold on)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance_group = cls.env.ref(FINANCE)
        cls.finance = cls._new_user("apr_finance", f"{SALESMAN},{FINANCE}")
        cls._won_lead(cls.sp2, 5000, datetime(2031, 1, 16, 12))
        cls.plan = cls._plan(
            [
                {
                    "kind": "commission",
                    "metric_id": cls.metric_won.id,
                    "basis": "attainment",
                    "mode": "flat",
                    "tiers": cls.TIERS,
                }
            ],
            name="Routed Plan",
        )
        cls.plan.approval_level_ids = [
            Command.create(
                {"name": "Team leader", "sequence": 10, "approver_type": "team_leader"}
            ),
            Command.create(
                {
                    "name": "Finance",
                    "sequence": 20,
                    "group_id": cls.finance_group.id,
                    "amount_threshold": 10000,
                }
            ),
        ]
        cls.level_leader, cls.level_finance = cls.plan.approval_level_ids.sorted(
            "sequence"
        )
        statements = cls._by_user(cls.plan.generate_statements(*JAN))
        cls.st1, cls.st2 = statements[cls.sp1], statements[cls.sp2]
        (cls.st1 | cls.st2).with_user(cls.leader).action_confirm()

    def _approve(self, statement, user):
        return statement.with_user(user).action_approve()

    def _steps(self, statement):
        return [(a.level_id, a.user_id) for a in statement.approval_ids]


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveApproval(ApprovalCommon):
    def test_fixture_totals(self):
        self.assertEqual(self.st1.amount_total, 4500.0)
        self.assertEqual(self.st2.amount_total, 10000.0)
        self.assertEqual(self.level_finance.approver_type, "group")
        self.assertEqual(self.level_finance.company_id, self.plan.company_id)

    def test_below_threshold_one_step(self):
        """4,500 < 10,000: the team leader's step completes the route."""
        self.assertEqual(self.st1.next_approval_level_id, self.level_leader)
        self.assertTrue(self.st1.with_user(self.leader).can_approve)
        self.assertFalse(self.st1.with_user(self.finance).can_approve)
        with self.assertRaises(AccessError):
            self._approve(self.st1, self.finance)
        self._approve(self.st1, self.leader)
        self.assertEqual(self.st1.state, "approved")
        self.assertEqual(self.st1.approved_by_id, self.leader)
        self.assertEqual(self._steps(self.st1), [(self.level_leader, self.leader)])
        self.assertFalse(self.st1.next_approval_level_id)

    def test_above_threshold_two_steps_in_order(self):
        Statement = self.registry["sales.performance.incentive.statement"]
        original = Statement._on_approved
        approved_calls = []

        def spy(records):
            approved_calls.append(records.ids)
            return original(records)

        with patch.object(Statement, "_on_approved", spy):
            # finance cannot go first: the team leader's level is pending
            self.assertFalse(self.st2.with_user(self.finance).can_approve)
            with self.assertRaises(AccessError):
                self._approve(self.st2, self.finance)
            result = self._approve(self.st2, self.leader)
            self.assertEqual(result["params"]["type"], "success")
            self.assertIn("Finance", result["params"]["message"])
            self.assertEqual(self.st2.state, "confirmed")
            self.assertEqual(self.st2.next_approval_level_id, self.level_finance)
            self.assertFalse(approved_calls)
            # the leader does not qualify for the finance level
            self.assertFalse(self.st2.with_user(self.leader).can_approve)
            with self.assertRaises(AccessError):
                self._approve(self.st2, self.leader)
            # a route approver reads the statement and its lines to approve it
            self.assertEqual(self.st2.with_user(self.finance).amount_total, 10000.0)
            self.assertTrue(self.st2.line_ids.with_user(self.finance).read(["amount"]))
            self.assertTrue(self.st2.with_user(self.finance).can_approve)
            self._approve(self.st2, self.finance)
        self.assertEqual(self.st2.state, "approved")
        self.assertEqual(self.st2.approved_by_id, self.finance)
        # the accrual / budget hook ran once, at the last level
        self.assertEqual(approved_calls, [self.st2.ids])
        self.assertEqual(
            self._steps(self.st2),
            [(self.level_leader, self.leader), (self.level_finance, self.finance)],
        )
        # the chatter tells both steps, by whom (author and text) and when
        notes = self.st2.message_ids.filtered(
            lambda m: "Approved at the level" in (m.body or "")
        ).sorted("id")
        self.assertEqual(len(notes), 2)
        self.assertIn("Team leader", notes[0].body)
        self.assertIn(self.leader.name, notes[0].body)
        self.assertEqual(notes[0].author_id, self.leader.partner_id)
        self.assertIn("Finance", notes[1].body)
        self.assertIn(self.finance.name, notes[1].body)
        self.assertEqual(notes[1].author_id, self.finance.partner_id)
        for note, step in zip(notes, self.st2.approval_ids, strict=True):
            self.assertIn(str(step.date.year), note.body)
        # approved once and for all
        with self.assertRaises(UserError):
            self._approve(self.st2, self.finance)

    def test_same_person_never_approves_two_levels(self):
        self.leader.group_ids = [Command.link(self.finance_group.id)]
        self._approve(self.st2, self.leader)
        # the leader is in the finance group, yet approved the first level
        self.assertFalse(self.st2.with_user(self.leader).can_approve)
        with self.assertRaises(UserError) as caught:
            self._approve(self.st2, self.leader)
        self.assertIn("never approves two levels", str(caught.exception))
        self.assertEqual(self.st2.state, "confirmed")
        self.assertEqual(self._steps(self.st2), [(self.level_leader, self.leader)])

    def test_own_statement_refused(self):
        # sp2 is in the finance group: still not on their own statement
        self.sp2.group_ids = [Command.link(self.finance_group.id)]
        self._approve(self.st2, self.leader)
        self.assertFalse(self.st2.with_user(self.sp2).can_approve)
        with self.assertRaises(AccessError) as caught:
            self._approve(self.st2, self.sp2)
        self.assertIn("own incentive statement", str(caught.exception))
        self.assertEqual(self.st2.state, "confirmed")
        # a level naming one user: not on that user's own statement either
        self.level_finance.write({"group_id": False, "user_id": self.sp2.id})
        self.assertEqual(self.level_finance.approver_type, "user")
        with self.assertRaises(AccessError):
            self._approve(self.st2, self.sp2)
        self.assertEqual(len(self.st2.approval_ids), 1)

    def test_reset_to_draft_clears_the_steps(self):
        self._approve(self.st2, self.leader)
        self.st2.with_user(self.admin).action_draft()
        self.assertFalse(self.st2.approval_ids)
        Approval = self.env["sales.performance.incentive.approval"]
        cleared = Approval.with_context(active_test=False).search(
            [("statement_id", "=", self.st2.id)]
        )
        self.assertEqual(len(cleared), 1)
        self.assertFalse(cleared.active)
        self.assertIn("Approval steps cleared", self.st2.message_ids[:1].body)
        # confirmed again, the route starts from the team leader
        self.st2.with_user(self.leader).action_confirm()
        self.assertEqual(self.st2.next_approval_level_id, self.level_leader)
        self._approve(self.st2, self.leader)
        self._approve(self.st2, self.finance)
        self.assertEqual(self.st2.state, "approved")

    def test_cancel_clears_the_steps(self):
        self._approve(self.st2, self.leader)
        self.st2.with_user(self.leader).action_cancel()
        self.assertEqual(self.st2.state, "cancel")
        self.assertFalse(self.st2.approval_ids)

    def test_without_levels_one_step_as_before(self):
        plan = self._plan([self._commission("flat")], name="Plain Plan")
        statement = self._by_user(plan.generate_statements(*JAN))[self.sp1]
        statement.with_user(self.leader).action_confirm()
        self.assertFalse(statement.next_approval_level_id)
        self.assertTrue(statement.with_user(self.leader).can_approve)
        self.assertTrue(statement.with_user(self.leader).action_approve())
        self.assertEqual(statement.state, "approved")
        self.assertFalse(statement.approval_ids)

    def test_no_level_applies_one_step(self):
        """A route of "finance from 10,000" only: 4,500 needs the usual
        approver (team leader or administrator), no finance."""
        self.level_leader.unlink()
        self.assertFalse(self.st1.next_approval_level_id)
        with self.assertRaises(AccessError):
            self._approve(self.st1, self.finance)
        self._approve(self.st1, self.admin)
        self.assertEqual(self.st1.state, "approved")
        self.assertFalse(self.st1.approval_ids)
        # 10,000: finance alone
        self.assertEqual(self.st2.next_approval_level_id, self.level_finance)
        self._approve(self.st2, self.finance)
        self.assertEqual(self.st2.state, "approved")

    def test_a_named_user_level(self):
        self.level_finance.write({"group_id": False, "user_id": self.admin.id})
        self._approve(self.st2, self.leader)
        with self.assertRaises(AccessError):
            self._approve(self.st2, self.finance)
        self._approve(self.st2, self.admin)
        self.assertEqual(self.st2.state, "approved")


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveApprovalInput(ApprovalCommon):
    def _levels(self):
        return self.env["sales.performance.incentive.approval.level"].search_count(
            [("plan_id", "=", self.plan.id)]
        )

    def _assert_refused(self, vals, text):
        count = self._levels()
        with self.assertRaises(ValidationError) as caught:
            self.env["sales.performance.incentive.approval.level"].create(
                {"plan_id": self.plan.id, "name": "Director", **vals}
            )
        self.assertIn(text, str(caught.exception))
        self.assertEqual(self._levels(), count)

    def test_thresholds_must_increase(self):
        # after finance (10,000) at sequence 30, a level from 5,000
        self._assert_refused(
            {"sequence": 30, "approver_type": "team_leader", "amount_threshold": 5000},
            "must increase",
        )
        # an empty threshold after 10,000 is 0: refused as well
        self._assert_refused(
            {"sequence": 30, "user_id": self.admin.id}, "must increase"
        )
        # moving finance before the leader's level with its 10,000 is fine
        # (0 then 10,000), moving the leader after it is not
        with self.assertRaises(ValidationError):
            self.level_leader.sequence = 30
        self.assertEqual(self.level_leader.sequence, 10)
        # equal thresholds do not increase: a second level from 10,000 is refused
        self._assert_refused(
            {"sequence": 30, "user_id": self.admin.id, "amount_threshold": 10000},
            "must increase",
        )
        # a higher one is fine
        self.env["sales.performance.incentive.approval.level"].create(
            {
                "plan_id": self.plan.id,
                "name": "Director",
                "sequence": 30,
                "user_id": self.admin.id,
                "amount_threshold": 50000,
            }
        )
        self.assertEqual(self._levels(), 3)

    def test_level_needs_an_approver(self):
        self._assert_refused({"sequence": 30}, "needs an approver")
        self._assert_refused(
            {"sequence": 30, "approver_type": "group", "amount_threshold": 20000},
            "needs the group",
        )
        self._assert_refused(
            {"sequence": 30, "approver_type": "user", "amount_threshold": 20000},
            "needs its approver",
        )
        self._assert_refused(
            {
                "sequence": 30,
                "group_id": self.finance_group.id,
                "user_id": self.admin.id,
                "amount_threshold": 20000,
            },
            "not both",
        )
        with self.assertRaises(ValidationError):
            self.level_finance.group_id = False
        self.assertEqual(self.level_finance.group_id, self.finance_group)

    def test_threshold_is_a_sane_amount(self):
        for bad in (-1.0, float("nan"), float("inf"), 1e13):
            self._assert_refused(
                {"sequence": 30, "user_id": self.admin.id, "amount_threshold": bad},
                "between 0 and",
            )

    def test_approver_of_another_company_refused(self):
        stranger = self._new_user("apr_stranger", company=self.company_b)
        self._assert_refused(
            {"sequence": 30, "user_id": stranger.id, "amount_threshold": 20000},
            "internal user of the company",
        )


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveApprovalSecurity(ApprovalCommon):
    def test_salesperson_reads_but_never_changes_the_route(self):
        Level = self.env["sales.performance.incentive.approval.level"]
        self.assertEqual(
            Level.with_user(self.sp1).search([("plan_id", "=", self.plan.id)]),
            self.level_leader | self.level_finance,
        )
        with self.assertRaises(AccessError):
            Level.with_user(self.sp1).create(
                {"plan_id": self.plan.id, "name": "Me", "user_id": self.sp1.id}
            )
        with self.assertRaises(AccessError):
            self.level_finance.with_user(self.sp1).amount_threshold = 1e9
        with self.assertRaises(AccessError):
            self.level_finance.with_user(self.sp1).unlink()
        # a team leader neither
        with self.assertRaises(AccessError):
            self.level_finance.with_user(self.leader).amount_threshold = 0
        self.assertEqual(self.level_finance.amount_threshold, 10000.0)
        # an incentive administrator does
        self.level_finance.with_user(self.admin).amount_threshold = 20000
        self.assertEqual(self.level_finance.amount_threshold, 20000.0)

    def test_salesperson_cannot_approve_the_finance_level(self):
        self._approve(self.st2, self.leader)
        # a colleague (not in finance) cannot even read sp2's statement
        with self.assertRaises(AccessError):
            self._approve(self.st2, self.sp1)
        # the salesperson themselves neither
        with self.assertRaises(AccessError):
            self._approve(self.st2, self.sp2)
        # nor can they write the approval steps by hand
        with self.assertRaises(AccessError):
            self.env["sales.performance.incentive.approval"].with_user(self.sp2).create(
                {
                    "statement_id": self.st2.id,
                    "level_id": self.level_finance.id,
                    "user_id": self.sp2.id,
                }
            )
        self.assertEqual(self.st2.state, "confirmed")
        self.assertEqual(len(self.st2.approval_ids), 1)

    def test_who_reads_the_steps(self):
        self._approve(self.st2, self.leader)
        Approval = self.env["sales.performance.incentive.approval"]
        step = self.st2.approval_ids
        # the salesperson, the leader and the route's approvers read them
        mine = [("plan_id", "=", self.plan.id)]
        for user in (self.sp2, self.leader, self.finance, self.admin):
            self.assertEqual(Approval.with_user(user).search(mine), step, user.login)
        # a colleague does not
        self.assertFalse(Approval.with_user(self.sp1).search(mine))
        with self.assertRaises(AccessError):
            step.with_user(self.sp1).read(["user_id"])
        # nobody rewrites history, administrators included
        with self.assertRaises(AccessError):
            step.with_user(self.admin).user_id = self.admin

    def test_finance_does_not_read_drafts(self):
        statement = self._by_user(self.plan.statement_ids)[self.sp3]
        self.assertEqual(statement.state, "draft")
        with self.assertRaises(AccessError):
            statement.with_user(self.finance).read(["amount_total"])

    def test_multi_company(self):
        plan_b = self._plan(
            [self._commission("flat")],
            users=self.env["res.users"],
            company=self.company_b,
            activate=False,
        )
        plan_b.approval_level_ids = [
            Command.create({"name": "Leader B", "approver_type": "team_leader"})
        ]
        Level = self.env["sales.performance.incentive.approval.level"]
        self.assertFalse(
            Level.with_user(self.sp1).search([("plan_id", "=", plan_b.id)])
        )
        with self.assertRaises(AccessError):
            plan_b.approval_level_ids.with_user(self.sp1).read(["name"])
        other_admin = self._new_user(
            "apr_other_admin", f"{SALESMAN},{INCENTIVE_ADMIN}", company=self.company_b
        )
        self._approve(self.st2, self.leader)
        self.assertFalse(
            self.env["sales.performance.incentive.approval"]
            .with_user(other_admin)
            .search([])
        )
