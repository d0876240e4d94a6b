"""Statement sign-off and disputes (issue #13): the salesperson signs an
approved statement off or disputes it (a line or the whole statement); the
incentive administrators accept (an adjustment in the next statement) or
reject (with a resolution) it; nobody resolves their own."""

from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import FEB, INCENTIVE_ADMIN, JAN, SALESMAN, IncentiveCommon

ACTIVITY = "sales_performance.mail_activity_type_incentive_dispute"


class DisputeCommon(IncentiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_2 = cls._new_user("inc_dsp_admin2", f"{SALESMAN},{INCENTIVE_ADMIN}")
        # an incentive administrator of the other company only
        cls.admin_b = cls._new_user(
            "inc_dsp_admin_b", f"{SALESMAN},{INCENTIVE_ADMIN}", company=cls.company_b
        )
        # flat rates: sp1 90,000 of 100,000 (90 %) x 5 % = 4,500;
        # sp2 120,000 (120 %) x 8 % = 9,600; sp3 (no target) 0
        cls.plan = cls._plan([cls._commission_vals()])
        cls.Dispute = cls.env["sales.performance.incentive.dispute"]

    @classmethod
    def _commission_vals(cls):
        return {
            "kind": "commission",
            "metric_id": cls.metric_won.id,
            "basis": "attainment",
            "mode": "flat",
            "tiers": cls.TIERS,
        }

    def _approved_january(self):
        statements = self.plan.generate_statements(*JAN)
        by_user = self._by_user(statements)
        for statement in statements:
            statement.with_user(self.leader).action_confirm()
            statement.with_user(self.leader).action_approve()
        return by_user

    @staticmethod
    def _rule_line(statement):
        return statement.line_ids.filtered(lambda line: line.line_type == "rule")

    def _open(self, statement, user=None, **vals):
        return self.Dispute.with_user(user or statement.user_id).create(
            {
                "statement_id": statement.id,
                "reason": "The 5,000 deal of 28 January is missing.",
                **vals,
            }
        )


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveDispute(DisputeCommon):
    @freeze_time("2031-02-05")
    def test_sign_off(self):
        statements = self.plan.generate_statements(*JAN)
        jan = self._by_user(statements)[self.sp1]
        jan.with_user(self.leader).action_confirm()
        # confirmed, not approved yet: nothing to sign
        with self.assertRaisesRegex(UserError, "not approved yet"):
            jan.with_user(self.sp1).action_sign_off()
        jan.with_user(self.leader).action_approve()
        self.assertEqual(jan.signoff_state, "none")
        self.assertTrue(jan.with_user(self.sp1).can_sign_off)
        self.assertFalse(jan.with_user(self.leader).can_sign_off)
        # only the salesperson signs their statement off
        for user in (self.leader, self.admin, self.sp2):
            with self.assertRaises(AccessError):
                jan.with_user(user).action_sign_off()
        self.assertEqual(jan.signoff_state, "none")
        # and nobody sets the sign-off by hand
        with self.assertRaises(UserError):
            jan.with_user(self.admin).write({"signoff_state": "signed"})
        # (the test environment disables tracking: enable it here)
        jan.with_user(self.sp1).with_context(
            tracking_disable=False, mail_notrack=False
        ).action_sign_off()
        self.assertEqual(jan.signoff_state, "signed")
        self.assertEqual(jan.signed_off_date, date(2031, 2, 5))
        # tracked in the chatter, by the salesperson
        self.env.flush_all()
        self.cr.precommit.run()
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", jan._name),
                ("mail_message_id.res_id", "=", jan.id),
                ("field_id.name", "=", "signoff_state"),
            ]
        )
        self.assertEqual(tracked.mapped("new_value_char"), ["Signed Off"])
        self.assertEqual(tracked.mail_message_id.author_id, self.sp1.partner_id)
        with self.assertRaisesRegex(UserError, "already signed off"):
            jan.with_user(self.sp1).action_sign_off()
        # signed off: accepted as it is, no dispute any more
        with self.assertRaisesRegex(UserError, "signed off"):
            self._open(jan)
        self.assertFalse(jan.dispute_ids)
        self.assertEqual(jan.amount_total, 4500.0)

    @freeze_time("2031-03-05")
    def test_line_dispute_accepted_into_next_draft(self):
        jan = self._approved_january()[self.sp1]
        feb = self._by_user(self.plan.generate_statements(*FEB))[self.sp1]
        # sp1 has no deal and no target in February: 0
        self.assertEqual(feb.amount_total, 0.0)
        line = self._rule_line(jan)
        # the statement's line list opens the dispute form in a dialog
        action = line.with_user(self.sp1).action_open_dispute()
        self.assertEqual(action["target"], "new")
        self.assertEqual(
            action["context"],
            {"default_statement_id": jan.id, "default_line_id": line.id},
        )
        with Form(
            self.Dispute.with_user(self.sp1).with_context(**action["context"])
        ) as form:
            form.reason = "The 5,000 deal of 28 January is missing."
            form.amount = 250.0
        dispute = form.record
        self.assertEqual(dispute.statement_id, jan)
        self.assertEqual(dispute.line_id, line)
        self.assertEqual(dispute.user_id, self.sp1)
        self.assertEqual(dispute.state, "open")
        self.assertEqual(dispute.date_opened, date(2031, 3, 5))
        self.assertRegex(dispute.name, r"^DSP/2031/\d{4}$")
        self.assertEqual(jan.signoff_state, "disputed")
        self.assertEqual(jan.dispute_count, 1)
        self.assertTrue(
            jan.message_ids.filtered(lambda m: dispute.name in (m.body or ""))
        )
        # the administrators of the company get an activity, not the
        # salesperson nor the administrator of the other company
        activities = dispute.activity_ids
        self.assertEqual(activities.activity_type_id, self.env.ref(ACTIVITY))
        self.assertIn(self.admin, activities.user_id)
        self.assertIn(self.admin_2, activities.user_id)
        self.assertNotIn(self.sp1, activities.user_id)
        self.assertNotIn(self.admin_b, activities.user_id)
        # nobody signs off a disputed statement before its resolution
        with self.assertRaisesRegex(UserError, "open dispute"):
            jan.with_user(self.sp1).action_sign_off()

        dispute.with_user(self.admin).action_accept()
        self.assertEqual(dispute.state, "accepted")
        self.assertEqual(dispute.resolved_by, self.admin)
        self.assertEqual(dispute.date_resolved, date(2031, 3, 5))
        self.assertFalse(dispute.activity_ids)  # done
        # the approved statement never changes ...
        self.assertEqual(jan.amount_total, 4500.0)
        self.assertFalse(jan.line_ids.filtered("dispute_id"))
        # ... February takes the adjustment: 0 + 250 = 250
        adjustment = feb.line_ids.filtered("dispute_id")
        self.assertEqual(len(adjustment), 1)
        self.assertEqual(adjustment.line_type, "adjustment")
        self.assertEqual(adjustment.amount, 250.0)
        self.assertEqual(adjustment.dispute_id, dispute)
        self.assertEqual(dispute.adjustment_line_id, adjustment)
        self.assertEqual(dispute.adjustment_statement_id, feb)
        self.assertFalse(dispute.adjustment_pending)
        self.assertIn(dispute.name, adjustment.name)
        self.assertIn(dispute.name, adjustment.explanation)
        self.assertIn(jan.name, adjustment.explanation)
        self.assertIn(line.name, adjustment.explanation)
        self.assertEqual(feb.amount_total, 250.0)
        # the salesperson is told, the statement can be signed off again
        notice = dispute.message_ids.filtered(
            lambda m: self.sp1.partner_id in m.partner_ids
        )
        self.assertEqual(len(notice), 1)
        self.assertIn("accepted", notice.body)
        self.assertEqual(jan.signoff_state, "none")
        # recomputing or generating again never adds it twice
        feb.with_user(self.leader).action_recompute()
        self.plan.generate_statements(*FEB)
        self.assertEqual(len(feb.line_ids.filtered("dispute_id")), 1)
        self.assertEqual(feb.amount_total, 250.0)
        # the adjustment changes through the dispute only
        with self.assertRaises(UserError):
            adjustment.with_user(self.admin).write({"amount": 1000.0})
        with self.assertRaises(UserError):
            adjustment.with_user(self.admin).unlink()
        # a resolved dispute keeps its amount and cannot be resolved again
        with self.assertRaises(UserError):
            dispute.with_user(self.admin).write({"amount": 999.0})
        with self.assertRaises(UserError):
            dispute.with_user(self.admin_2).action_reject()
        self.assertEqual(dispute.amount, 250.0)
        jan.with_user(self.sp1).action_sign_off()
        self.assertEqual(jan.signoff_state, "signed")

    @freeze_time("2031-02-10")
    def test_accepted_before_next_statement_exists(self):
        jan = self._approved_january()[self.sp1]
        # the administrator corrects the claimed amount before accepting
        dispute = self._open(jan, amount=300.0)
        dispute.with_user(self.admin).write(
            {"amount": 275.5, "resolution": "The deal closed on 28 January."}
        )
        dispute.with_user(self.admin).action_accept()
        self.assertTrue(dispute.adjustment_pending)
        self.assertFalse(dispute.adjustment_line_id)
        self.assertEqual(jan.amount_total, 4500.0)
        statements = self._by_user(self.plan.generate_statements(*FEB))
        feb = statements[self.sp1]
        adjustment = feb.line_ids.filtered("dispute_id")
        self.assertEqual(adjustment.dispute_id, dispute)
        self.assertEqual(adjustment.amount, 275.5)
        self.assertIn(jan.name, adjustment.explanation)
        self.assertIn("The deal closed on 28 January.", adjustment.explanation)
        # 0 computed + 275.50 adjustment
        self.assertEqual(feb.amount_total, 275.5)
        self.assertFalse(dispute.adjustment_pending)
        self.assertEqual(dispute.adjustment_statement_id, feb)
        # other salespeople are not touched: sp2 has no February target, 0
        self.assertFalse(statements[self.sp2].line_ids.filtered("dispute_id"))
        self.assertEqual(statements[self.sp2].amount_total, 0.0)
        self.plan.generate_statements(*FEB)
        self.assertEqual(len(feb.line_ids.filtered("dispute_id")), 1)
        self.assertEqual(feb.amount_total, 275.5)
        # February is cancelled: the new February statement takes the
        # adjustment again (the cancelled one is never paid)
        feb.with_user(self.leader).action_cancel()
        self.assertTrue(dispute.adjustment_pending)
        new_feb = self._by_user(self.plan.generate_statements(*FEB))[self.sp1]
        self.assertNotEqual(new_feb, feb)
        self.assertEqual(new_feb.line_ids.filtered("dispute_id").amount, 275.5)
        self.assertEqual(new_feb.amount_total, 275.5)
        self.assertEqual(dispute.adjustment_statement_id, new_feb)

    @freeze_time("2031-02-10")
    def test_adjustment_goes_to_the_next_open_statement(self):
        """February is already confirmed: March, the next draft, takes it."""
        jan = self._approved_january()[self.sp1]
        feb = self._by_user(self.plan.generate_statements(*FEB))[self.sp1]
        feb.with_user(self.leader).action_confirm()
        dispute = self._open(jan, amount=-120.0, line_id=self._rule_line(jan).id)
        dispute.with_user(self.admin).action_accept()
        self.assertFalse(feb.line_ids.filtered("dispute_id"))
        self.assertTrue(dispute.adjustment_pending)
        march = self._by_user(
            self.plan.generate_statements(date(2031, 3, 1), date(2031, 3, 31))
        )[self.sp1]
        # an overpayment is taken back: 0 - 120 = -120
        self.assertEqual(march.amount_total, -120.0)
        self.assertEqual(dispute.adjustment_statement_id, march)

    @freeze_time("2031-02-10")
    def test_reject_needs_a_resolution(self):
        jan = self._approved_january()[self.sp1]
        dispute = self._open(jan, amount=500.0)
        with self.assertRaisesRegex(UserError, "resolution"):
            dispute.with_user(self.admin).action_reject()
        self.assertEqual(dispute.state, "open")
        dispute.with_user(self.admin).write({"resolution": "   "})
        with self.assertRaisesRegex(UserError, "resolution"):
            dispute.with_user(self.admin).action_reject()
        dispute.with_user(self.admin).write(
            {"resolution": "The deal closed in February: it counts there."}
        )
        dispute.with_user(self.admin).action_reject()
        self.assertEqual(dispute.state, "rejected")
        self.assertEqual(dispute.resolved_by, self.admin)
        self.assertFalse(dispute.activity_ids)
        self.assertFalse(dispute.adjustment_pending)
        feb = self._by_user(self.plan.generate_statements(*FEB))[self.sp1]
        self.assertFalse(feb.line_ids.filtered("dispute_id"))
        self.assertEqual(feb.amount_total, 0.0)
        notice = dispute.message_ids.filtered(
            lambda m: self.sp1.partner_id in m.partner_ids
        )
        self.assertIn("rejected", notice.body)
        self.assertIn("it counts there", notice.body)
        # rejected: a new dispute on the statement may be opened
        again = self._open(jan)
        self.assertEqual(again.state, "open")
        self.assertEqual(jan.dispute_count, 2)

    @freeze_time("2031-02-10")
    def test_accepted_without_amount(self):
        jan = self._approved_january()[self.sp1]
        dispute = self._open(jan)
        dispute.with_user(self.admin).action_accept()
        self.assertEqual(dispute.state, "accepted")
        self.assertFalse(dispute.adjustment_pending)
        feb = self._by_user(self.plan.generate_statements(*FEB))[self.sp1]
        self.assertFalse(feb.line_ids.filtered("dispute_id"))

    def test_views(self):
        """Administrators get the resolution buttons; salespeople sign off and
        dispute from the statement (and each of its lines)."""
        modes = [(False, "kanban"), (False, "list"), (False, "form"), (False, "search")]
        mine = self.Dispute.with_user(self.sp1).get_views(modes)["views"]
        admin = self.Dispute.with_user(self.admin).get_views(modes)["views"]
        self.assertIn('default_group_by="state"', admin["kanban"]["arch"])
        self.assertIn("age_days", admin["kanban"]["arch"])
        self.assertIn("action_accept", admin["form"]["arch"])
        self.assertIn("action_reject", admin["form"]["arch"])
        self.assertNotIn("action_accept", mine["form"]["arch"])
        self.assertNotIn("action_reject", mine["form"]["arch"])
        statement = self.env["sales.performance.incentive.statement"].with_user(
            self.sp1
        )
        arch = statement.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertEqual(arch.count('name="action_open_dispute"'), 2)
        self.assertIn('name="action_sign_off"', arch)
        self.assertIn('name="dispute_ids"', arch)
        menu = self.env.ref(
            "sales_performance.sales_performance_incentive_dispute_menu"
        )
        self.assertEqual(
            menu.parent_id,
            self.env.ref("sales_performance.sales_performance_incentive_menu"),
        )

    def test_age_days(self):
        with freeze_time("2031-02-05"):
            jan = self._approved_january()[self.sp1]
            dispute = self._open(jan)
            self.assertEqual(dispute.age_days, 0)
        with freeze_time("2031-03-10"):
            dispute.invalidate_recordset(["age_days"])
            # 23 days left in February + 10 in March = 33
            self.assertEqual(dispute.age_days, 33)
            self.assertEqual(
                self.Dispute.search_count(
                    [("id", "=", dispute.id), ("date_opened", "<", "2031-02-08")]
                ),
                1,
            )
            dispute.with_user(self.admin).write({"resolution": "Checked."})
            dispute.with_user(self.admin).action_reject()
        with freeze_time("2031-06-01"):
            dispute.invalidate_recordset(["age_days"])
            # resolved on 10 March: its age stays 33
            self.assertEqual(dispute.age_days, 33)

    @freeze_time("2031-02-10")
    def test_bad_input(self):
        by_user = self._approved_january()
        jan, jan_sp2 = by_user[self.sp1], by_user[self.sp2]
        count = self.Dispute.search_count([])
        # somebody else's statement
        with self.assertRaises(AccessError):
            self._open(jan, user=self.sp2)
        with self.assertRaises(AccessError):
            self._open(jan, user=self.leader)
        # the administrator does not dispute on behalf of the salesperson
        with self.assertRaises(AccessError):
            self._open(jan, user=self.admin)
        with self.assertRaises(AccessError):
            jan.with_user(self.sp2).action_open_dispute()
        # draft and confirmed statements: not yet
        feb = self._by_user(self.plan.generate_statements(*FEB))[self.sp1]
        with self.assertRaisesRegex(UserError, "not approved yet"):
            self._open(feb)
        feb.with_user(self.leader).action_confirm()
        with self.assertRaisesRegex(UserError, "not approved yet"):
            self._open(feb)
        with self.assertRaisesRegex(UserError, "not approved yet"):
            feb.with_user(self.sp1).action_open_dispute()
        # a line of another statement
        with self.assertRaises(ValidationError):
            self._open(jan, line_id=self._rule_line(jan_sp2).id)
        # amounts: finite and sane
        for amount in (float("nan"), float("inf"), -float("inf"), 1e12):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self._open(jan, amount=amount)
        # no reason
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._open(jan, reason="  ")
        self.assertEqual(self.Dispute.search_count([]), count)
        self.assertEqual(jan.signoff_state, "none")
        # one open dispute per line, one on the statement as a whole
        line = self._rule_line(jan)
        first = self._open(jan, line_id=line.id)
        with self.assertRaisesRegex(ValidationError, "already has an open dispute"):
            self._open(jan, line_id=line.id)
        with self.assertRaisesRegex(ValidationError, "already has an open dispute"):
            line.with_user(self.sp1).action_open_dispute()
        whole = self._open(jan)
        with self.assertRaisesRegex(ValidationError, "already has an open dispute"):
            self._open(jan)
        # two at once in one call neither
        with self.assertRaises(ValidationError):
            self.Dispute.with_user(self.sp2).create(
                [
                    {"statement_id": jan_sp2.id, "reason": "One"},
                    {"statement_id": jan_sp2.id, "reason": "Two"},
                ]
            )
        # the database refuses it too
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env.cr.execute(
                "INSERT INTO sales_performance_incentive_dispute "
                "(name, statement_id, user_id, company_id, plan_id, reason, state) "
                "SELECT name || '-copy', statement_id, user_id, company_id, plan_id, "
                "reason, state FROM sales_performance_incentive_dispute WHERE id = %s",
                [whole.id],
            )
        self.assertEqual(self.Dispute.search_count([]), count + 2)
        self.assertEqual((first | whole).mapped("state"), ["open", "open"])
        # the salesperson's amount stays finite at the administrator's too
        with self.assertRaises(ValidationError), self.cr.savepoint():
            first.with_user(self.admin).write({"amount": float("nan")})
        # the line of a dispute belongs to its statement
        with self.assertRaises(ValidationError), self.cr.savepoint():
            whole.with_user(self.admin).write({"line_id": self._rule_line(jan_sp2).id})
        # markup in the reason is text, escaped in the chatter
        jan_sp3 = by_user[self.sp3]
        marked = self._open(jan_sp3, reason="<b>bold</b><script>x()</script>")
        self.assertEqual(marked.reason, "<b>bold</b><script>x()</script>")
        note = jan_sp3.message_ids.filtered(lambda m: marked.name in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertNotIn("<script>", note.body)
        self.assertIn("&lt;script&gt;", note.body)


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveDisputeSecurity(DisputeCommon):
    @freeze_time("2031-02-10")
    def test_access(self):
        by_user = self._approved_january()
        jan = by_user[self.sp1]
        dispute = self._open(jan, amount=100.0)
        # another salesperson, the team leader: cannot read it
        for user in (self.sp2, self.leader, self.outsider):
            with self.assertRaises(AccessError):
                dispute.with_user(user).read(["reason"])
            self.assertFalse(
                self.Dispute.with_user(user).search([("id", "=", dispute.id)])
            )
        # the salesperson reads their own, sees it on the statement ...
        self.assertEqual(
            dispute.with_user(self.sp1).read(["reason"])[0]["id"], dispute.id
        )
        self.assertEqual(jan.with_user(self.sp1).dispute_ids, dispute)
        self.assertEqual(jan.with_user(self.sp1).dispute_count, 1)
        # ... but never changes nor deletes it after creation
        with self.assertRaises(AccessError):
            dispute.with_user(self.sp1).write({"amount": 10000.0})
        with self.assertRaises(AccessError):
            dispute.with_user(self.sp1).unlink()
        # and comments on it
        dispute.with_user(self.sp1).message_post(body="Any news?")
        # nor resolves it
        with self.assertRaises(AccessError):
            dispute.with_user(self.sp1).action_accept()
        with self.assertRaises(AccessError):
            dispute.with_user(self.leader).action_accept()
        # an administrator of another company does not see it
        with self.assertRaises(AccessError):
            dispute.with_user(self.admin_b).read(["reason"])
        with self.assertRaises(AccessError):
            dispute.with_user(self.admin_b).action_accept()
        # administrators change only what a resolution may change
        with self.assertRaises(UserError):
            dispute.with_user(self.admin).write({"state": "accepted"})
        with self.assertRaises(UserError):
            dispute.with_user(self.admin).write({"reason": "Rewritten"})
        with self.assertRaises(UserError):
            dispute.with_user(self.admin).unlink()
        self.assertEqual(dispute.state, "open")
        self.assertEqual(dispute.amount, 100.0)

    @freeze_time("2031-02-10")
    def test_nobody_resolves_their_own(self):
        """An incentive administrator who is also paid by the plan disputes
        their own statement: another administrator resolves it."""
        plan = self._plan(
            [self._commission_vals()], users=self.admin_2, name="Admin Plan"
        )
        own = plan.generate_statements(*JAN)
        own.with_user(self.admin).action_confirm()
        own.with_user(self.admin).action_approve()
        dispute = self._open(own)
        # the disputer gets no activity about their own dispute
        self.assertNotIn(self.admin_2, dispute.activity_ids.user_id)
        self.assertIn(self.admin, dispute.activity_ids.user_id)
        with self.assertRaisesRegex(AccessError, "Nobody resolves their own"):
            dispute.with_user(self.admin_2).action_accept()
        dispute.with_user(self.admin_2).invalidate_recordset(["can_resolve"])
        self.assertFalse(dispute.with_user(self.admin_2).can_resolve)
        with self.assertRaisesRegex(AccessError, "Nobody resolves their own"):
            dispute.with_user(self.admin_2).action_reject()
        self.assertEqual(dispute.state, "open")
        self.assertTrue(dispute.with_user(self.admin).can_resolve)
        dispute.with_user(self.admin).action_accept()
        self.assertEqual(dispute.state, "accepted")
        self.assertEqual(dispute.resolved_by, self.admin)
