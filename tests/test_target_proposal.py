"""Bottom-up target proposals (issue #16): a salesperson proposes their own
targets, their team leader or a manager approves (active, or draft), adjusts
with a reason or refuses with a reason; each step is in the chatter and
notifies the proposer; every bad input is refused with nothing saved."""

import math

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import APRIL, TargetCommon


@tagged("post_install", "-at_install")
class TestTargetProposal(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Propose = cls.env["sales.performance.target.propose"]
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _propose(self, user, lines, period=APRIL, **vals):
        wizard = self.Propose.with_user(user).create(
            {
                "company_id": self.company_a.id,
                "date_from": period[0],
                "date_to": period[1],
                "line_ids": [
                    (0, 0, {"metric_id": metric.id, "target_value": value})
                    for metric, value in lines
                ],
                **vals,
            }
        )
        wizard.action_propose()
        return self.Target.search(
            [("user_id", "=", user.id), ("date_from", "=", period[0])],
            order="metric_id",
        )

    def _notified(self, target, user):
        """Messages of ``target`` that notified ``user``."""
        return (
            self.env["mail.notification"]
            .search(
                [
                    ("mail_message_id", "in", target.message_ids.ids),
                    ("res_partner_id", "=", user.partner_id.id),
                ]
            )
            .mail_message_id
        )

    def _count(self):
        return self.Target.search_count([("company_id", "=", self.company_a.id)])

    # ------------------------------------------------------------------
    # the workflow
    # ------------------------------------------------------------------
    def test_propose_my_targets(self):
        proposals = self._propose(
            self.user_alice,
            [(self.metric_won_revenue, 5000.0), (self.metric_won_count, 12.0)],
            note="Two big renewals in April",
        )
        self.assertEqual(len(proposals), 2)
        by_metric = {t.metric_id: t for t in proposals}
        revenue = by_metric[self.metric_won_revenue]
        self.assertEqual(revenue.target_value, 5000.0)
        self.assertEqual(by_metric[self.metric_won_count].target_value, 12.0)
        for target in proposals:
            self.assertEqual(target.state, "proposed")
            self.assertEqual(target.user_id, self.user_alice)
            self.assertEqual(target.proposed_by_id, self.user_alice)
            self.assertEqual(target.team_id, self.team_1)
            self.assertEqual((target.date_from, target.date_to), APRIL)
            # the team leader is told and gets a To-Do to review it
            self.assertTrue(self._notified(target, self.user_leader))
            activity = target.activity_ids
            self.assertEqual(activity.user_id, self.user_leader)
            self.assertEqual(activity.activity_type_id, self.todo)
            self.assertIn(
                "Two big renewals in April",
                " ".join(target.message_ids.mapped("body")),
            )
        # the proposer reads their proposals
        self.assertEqual(
            self.Target.with_user(self.user_alice).search(
                [("proposed_by_id", "=", self.user_alice.id)]
            ),
            proposals,
        )

    def test_leader_approves_to_active(self):
        target = self._propose(self.user_alice, [(self.metric_won_revenue, 5000.0)])
        as_leader = target.with_user(self.user_leader)
        self.assertTrue(as_leader.can_review_proposal)
        self.assertFalse(target.with_user(self.user_alice).can_review_proposal)
        as_leader.action_approve_proposal()
        self.assertEqual(target.state, "active")
        self.assertEqual(target.target_value, 5000.0)
        notified = self._notified(target, self.user_alice)
        self.assertTrue(
            any("Proposal approved by SP Leader One" in m.body for m in notified)
        )
        # the review To-Do is done
        self.assertFalse(target.activity_ids)
        # approving twice is refused
        with self.assertRaises(UserError):
            as_leader.action_approve_proposal()

    def test_manager_approves_to_draft(self):
        target = self._propose(self.user_alice, [(self.metric_won_revenue, 5000.0)])
        as_manager = target.with_user(self.user_manager)
        as_manager.approve_to_draft = True
        as_manager.action_approve_proposal()
        self.assertEqual(target.state, "draft")
        self.assertTrue(
            any(
                "approved by SP Manager as a draft" in m.body
                for m in self._notified(target, self.user_alice)
            )
        )

    def test_leader_approves_to_draft(self):
        """A team leader cannot reopen targets to draft, but approving a
        proposal to draft is theirs to do."""
        target = self._propose(self.user_alice, [(self.metric_won_revenue, 5000.0)])
        target.with_user(self.user_leader).approve_to_draft = True
        target.with_user(self.user_leader).action_approve_proposal()
        self.assertEqual(target.state, "draft")

    def test_leader_adjusts_with_reason(self):
        target = self._propose(self.user_alice, [(self.metric_won_revenue, 5000.0)])
        action = target.with_user(self.user_leader).action_open_adjust_proposal()
        Revise = self.env["sales.performance.target.revise"].with_user(self.user_leader)
        # no reason: refused, nothing changes
        with self.assertRaises(UserError):
            Revise.with_context(**action["context"]).create(
                {"new_value": 6500.0, "reason": "   "}
            ).action_revise()
        self.assertEqual(target.target_value, 5000.0)
        Revise.with_context(**action["context"]).create(
            {"new_value": 6500.0, "reason": "The Q2 pipeline is bigger"}
        ).action_revise()
        self.assertEqual(target.target_value, 6500.0)
        self.assertEqual(target.state, "proposed")
        bodies = " ".join(self._notified(target, self.user_alice).mapped("body"))
        self.assertIn("The Q2 pipeline is bigger", bodies)
        self.assertIn("5000.0", bodies)
        self.assertIn("6500.0", bodies)
        # then approved at the adjusted value
        target.with_user(self.user_leader).action_approve_proposal()
        self.assertEqual((target.state, target.target_value), ("active", 6500.0))

    def test_refuse_with_reason_and_propose_again(self):
        target = self._propose(self.user_alice, [(self.metric_won_revenue, 5000.0)])
        wizard = (
            self.env["sales.performance.target.refuse"]
            .with_user(self.user_leader)
            .create({"target_id": target.id, "reason": "Too low <b>for April</b>"})
        )
        wizard.action_refuse()
        self.assertEqual(target.state, "refused")
        self.assertEqual(target.refuse_reason, "Too low <b>for April</b>")
        refusal = self._notified(target, self.user_alice).filtered(
            lambda m: "Proposal refused" in m.body
        )
        self.assertEqual(len(refusal), 1)
        # the reviewer's text is escaped, never rendered as markup
        self.assertIn("&lt;b&gt;for April&lt;/b&gt;", refusal.body)
        self.assertFalse(target.activity_ids)
        # proposing the same metric and period again reuses the refused one
        again = self._propose(self.user_alice, [(self.metric_won_revenue, 7000.0)])
        self.assertEqual(again, target)
        self.assertEqual((target.state, target.target_value), ("proposed", 7000.0))
        self.assertFalse(target.refuse_reason)
        self.assertEqual(target.activity_ids.user_id, self.user_leader)

    def test_propose_with_form(self):
        """The wizard as the salesperson fills it in."""
        with Form(self.Propose.with_user(self.user_alice)) as form:
            form.date_from, form.date_to = APRIL
            with form.line_ids.new() as line:
                line.metric_id = self.metric_won_revenue
                line.target_value = 4200.0
            wizard = form.save()
        self.assertEqual(wizard.user_id, self.user_alice)
        wizard.action_propose()
        target = self.Target.search([("proposed_by_id", "=", self.user_alice.id)])
        self.assertEqual((target.state, target.target_value), ("proposed", 4200.0))

    # ------------------------------------------------------------------
    # bad input: a clear error, nothing saved
    # ------------------------------------------------------------------
    def test_proposal_for_somebody_else(self):
        before = self._count()
        with self.assertRaises(AccessError):
            self.Target.with_user(self.user_alice).create(
                {
                    "state": "proposed",
                    "user_id": self.user_bob.id,
                    "company_id": self.company_a.id,
                    "metric_id": self.metric_won_revenue.id,
                    "date_from": APRIL[0],
                    "date_to": APRIL[1],
                    "target_value": 100.0,
                }
            )
        # nor through the wizard, even when its salesperson is forced
        wizard = self.Propose.with_user(self.user_alice).create(
            {
                "user_id": self.user_bob.id,
                "company_id": self.company_a.id,
                "date_from": APRIL[0],
                "date_to": APRIL[1],
                "line_ids": [
                    (0, 0, {"metric_id": self.metric_won_revenue.id, "target_value": 1})
                ],
            }
        )
        with self.assertRaises(AccessError):
            wizard.action_propose()
        # a leader proposing for a member is refused too: a proposal is the
        # salesperson's own
        with self.assertRaises(AccessError):
            self.Target.with_user(self.user_leader).create(
                {
                    "state": "proposed",
                    "user_id": self.user_alice.id,
                    "company_id": self.company_a.id,
                    "metric_id": self.metric_won_revenue.id,
                    "date_from": APRIL[0],
                    "date_to": APRIL[1],
                }
            )
        self.assertEqual(self._count(), before)

    def test_own_target_only_as_proposal(self):
        before = self._count()
        for state in ("draft", "active"):
            with self.assertRaises(AccessError):
                self.Target.with_user(self.user_alice).create(
                    {
                        "state": state,
                        "user_id": self.user_alice.id,
                        "company_id": self.company_a.id,
                        "metric_id": self.metric_won_revenue.id,
                        "date_from": APRIL[0],
                        "date_to": APRIL[1],
                        "target_value": 100.0,
                    }
                )
        self.assertEqual(self._count(), before)

    def test_author_cannot_edit_nor_approve(self):
        target = self._propose(self.user_alice, [(self.metric_won_revenue, 5000.0)])
        as_alice = target.with_user(self.user_alice)
        for vals in ({"target_value": 9.0}, {"description": "x"}, {"state": "active"}):
            with self.assertRaises(UserError):
                as_alice.write(vals)
        with self.assertRaises(UserError):
            as_alice.action_approve_proposal()
        with self.assertRaises(UserError):
            as_alice.action_refuse_proposal("I changed my mind")
        target.invalidate_recordset()
        self.assertEqual((target.state, target.target_value), ("proposed", 5000.0))

    def test_manager_cannot_approve_own_proposal(self):
        target = self._propose(self.user_manager, [(self.metric_won_revenue, 800.0)])
        self.assertEqual(target.state, "proposed")
        with self.assertRaises(UserError):
            target.with_user(self.user_manager).action_approve_proposal()
        self.assertEqual(target.state, "proposed")

    def test_refuse_without_reason(self):
        target = self._propose(self.user_alice, [(self.metric_won_revenue, 5000.0)])
        as_leader = target.with_user(self.user_leader)
        for reason in (None, "", "   \n", 42):
            with self.assertRaises(UserError):
                as_leader.action_refuse_proposal(reason)
        self.assertEqual(target.state, "proposed")
        self.assertFalse(target.refuse_reason)
        self.assertTrue(target.activity_ids)

    def test_other_team_leader_cannot_review(self):
        target = self._propose(self.user_alice, [(self.metric_won_revenue, 5000.0)])
        with self.assertRaises(AccessError):
            target.with_user(self.user_leader_2).action_approve_proposal()
        with self.assertRaises(AccessError):
            target.with_user(self.user_bob).action_refuse_proposal("No")
        self.assertEqual(target.state, "proposed")

    def test_bad_values(self):
        before = self._count()
        for value in (-1.0, math.nan, math.inf, 1e13):
            with self.assertRaises(UserError):
                self._propose(self.user_alice, [(self.metric_won_revenue, value)])
        with self.assertRaises(UserError):
            self._propose(
                self.user_alice,
                [(self.metric_won_revenue, 1.0), (self.metric_won_revenue, 2.0)],
            )
        with self.assertRaises(UserError):
            self._propose(self.user_alice, [])
        with self.assertRaises(UserError):
            self._propose(
                self.user_alice,
                [(self.metric_won_revenue, 1.0)],
                period=(APRIL[1], APRIL[0]),
            )
        self.assertEqual(self._count(), before)

    def test_proposal_overlapping_a_target(self):
        """The one-target-per-period rule holds for proposals."""
        self._target(self.metric_won_revenue, *APRIL, user_id=self.user_alice.id)
        before = self._count()
        with self.assertRaises(ValidationError):
            self._propose(self.user_alice, [(self.metric_won_revenue, 10.0)])
        self.assertEqual(self._count(), before)
