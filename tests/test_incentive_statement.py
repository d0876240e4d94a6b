import base64
import io
import json
import zipfile
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import FEB, JAN, IncentiveCommon


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveStatement(IncentiveCommon):
    def test_generation_is_idempotent(self):
        plan = self._plan([self._commission("flat")])
        first = plan.generate_statements(*JAN)
        self.assertEqual(len(first), 3)
        second = plan.generate_statements(*JAN)
        self.assertEqual(first, second)
        Statement = self.env["sales.performance.incentive.statement"]
        self.assertEqual(Statement.search_count([("plan_id", "=", plan.id)]), 3)
        # lines are replaced, not added
        self.assertEqual(
            len(second.line_ids.filtered(lambda line: line.line_type == "rule")), 3
        )

    def test_generated_rows_match_their_statement(self):
        """Statements and lines are written with set-based SQL: each row holds
        its own salesperson, the lines the values of their statement (record
        rules filter on them) and the chatter tells what happened."""
        plan = self._plan([self._commission("marginal")])
        statements = plan.generate_statements(*JAN)
        self.env.invalidate_all()
        Line = self.env["sales.performance.incentive.statement.line"]
        for statement in statements:
            self.assertEqual(
                statement.name,
                "%s · %s · 2031-01-01 → 2031-01-31"
                % (statement.user_id.name, plan.name),
            )
            self.assertEqual(statement.company_id, plan.company_id)
            self.assertEqual(statement.currency_id, plan.currency_id)
            self.assertEqual(statement.version_id, plan.version_ids[:1])
            self.assertEqual(statement.create_uid, self.env.user)
            self.assertTrue(statement.line_ids)
            for line in statement.line_ids:
                self.assertEqual(line.user_id, statement.user_id)
                self.assertEqual(line.company_id, statement.company_id)
                self.assertEqual(
                    (line.date_from, line.date_to, line.state), (*JAN, "draft")
                )
        self.assertEqual(
            Line.search([("user_id", "=", self.sp2.id)]),
            self._by_user(statements)[self.sp2].line_ids,
        )
        self.assertIn("3 statements generated", plan.message_ids[:1].body)
        sp1 = self._by_user(statements)[self.sp1]
        notes = sp1.message_ids
        # nothing changed: no note
        plan.generate_statements(*JAN)
        self.assertEqual(sp1.message_ids, notes)
        # a late deal: sp1 reaches 95,000 (95 %), 1,600 + 15 x 5 % = 2,350
        self._won_lead(self.sp1, 5000, datetime(2031, 1, 28, 12))
        self.assertEqual(sp1.amount_total, 2100.0)
        plan.generate_statements(*JAN)
        self.assertEqual(sp1.amount_total, 2350.0)
        note = sp1.message_ids - notes
        self.assertEqual(len(note), 1)
        self.assertIn("2,100", note.body)
        self.assertIn("2,350", note.body)

    def test_generation_wizard_and_team_assignment(self):
        plan = self._plan([self._commission("flat")], users=self.env["res.users"])
        plan.assignment_ids = [Command.create({"team_id": self.team.id})]
        wizard = (
            self.env["sales.performance.incentive.generate"]
            .with_user(self.admin)
            .create({"plan_ids": [Command.set(plan.ids)], "date": date(2031, 1, 17)})
        )
        action = wizard.action_generate()
        statements = self.env["sales.performance.incentive.statement"].search(
            action["domain"]
        )
        self.assertEqual(statements.user_id, self.sp1 | self.sp2 | self.sp3)
        self.assertEqual(set(statements.mapped("date_from")), {JAN[0]})
        self.assertEqual(set(statements.mapped("date_to")), {JAN[1]})

    def test_workflow_and_rights(self):
        plan = self._plan([self._commission("flat")])
        statement = self._by_user(plan.generate_statements(*JAN))[self.sp1]
        # the salesperson cannot confirm or approve their own statement
        with self.assertRaises(AccessError):
            statement.with_user(self.sp1).action_confirm()
        # a colleague who does not lead the team neither
        with self.assertRaises(AccessError):
            statement.with_user(self.outsider).action_confirm()
        statement.with_user(self.leader).action_confirm()
        self.assertEqual(statement.state, "confirmed")
        # confirmed statements are locked
        with self.assertRaises(UserError):
            statement.with_user(self.leader).action_recompute()
        with self.assertRaises(UserError):
            statement.line_ids[:1].with_user(self.admin).write({"amount": 1})
        # only an administrator resets a confirmed statement to draft
        with self.assertRaises(AccessError):
            statement.with_user(self.leader).action_draft()
        statement.with_user(self.admin).action_draft()
        self.assertEqual(statement.state, "draft")
        statement.with_user(self.leader).action_confirm()
        statement.with_user(self.leader).action_approve()
        self.assertEqual(statement.state, "approved")
        self.assertEqual(statement.approved_by_id, self.leader)
        with self.assertRaises(UserError):
            statement.with_user(self.admin).action_draft()
        # a team leader does not pay
        with self.assertRaises(AccessError):
            statement.with_user(self.leader).action_pay()
        statement.with_user(self.admin).action_pay(date(2031, 2, 25), "PAY-0001")
        self.assertEqual(statement.state, "paid")
        self.assertEqual(statement.payment_date, date(2031, 2, 25))
        self.assertEqual(statement.payment_ref, "PAY-0001")
        with self.assertRaises(UserError):
            statement.with_user(self.admin).action_cancel()

    def test_cancel_and_regenerate(self):
        plan = self._plan([self._commission("flat")])
        statement = self._by_user(plan.generate_statements(*JAN))[self.sp1]
        statement.with_user(self.leader).action_cancel()
        self.assertEqual(statement.state, "cancel")
        new = self._by_user(plan.generate_statements(*JAN))[self.sp1]
        self.assertNotEqual(new, statement)
        self.assertEqual(new.amount_total, 4500.0)

    def test_approved_figures_never_change_silently(self):
        plan = self._plan([self._commission("flat")])
        statement = self._by_user(plan.generate_statements(*JAN))[self.sp1]
        statement.with_user(self.leader).action_confirm()
        statement.with_user(self.leader).action_approve()
        # a late deal in January: regenerating does not touch the approved statement
        self._won_lead(self.sp1, 5000, datetime(2031, 1, 25, 12))
        again = self._by_user(plan.generate_statements(*JAN))[self.sp1]
        self.assertEqual(again, statement)
        self.assertEqual(statement.amount_total, 4500.0)
        with self.assertRaises(UserError):
            statement.sudo().write({"date_to": date(2031, 1, 30)})

    def test_manual_adjustment(self):
        plan = self._plan([self._commission("flat")])
        statement = self._by_user(plan.generate_statements(*JAN))[self.sp1]
        Line = self.env["sales.performance.incentive.statement.line"]
        with self.assertRaises(AccessError):
            Line.with_user(self.leader).create(
                {"statement_id": statement.id, "name": "Extra", "amount": 100}
            )
        Line.with_user(self.admin).create(
            {"statement_id": statement.id, "name": "Trade fair bonus", "amount": 250}
        )
        self.assertEqual(statement.amount_total, 4750.0)
        # adjustments survive a recompute
        statement.with_user(self.admin).action_recompute()
        self.assertEqual(statement.amount_total, 4750.0)
        statement.with_user(self.leader).action_confirm()
        with self.assertRaises(UserError):
            Line.with_user(self.admin).create(
                {"statement_id": statement.id, "name": "Late", "amount": -50}
            )

    def test_versioning(self):
        plan = self._plan([self._commission("flat")])
        self.assertEqual(plan.version, 1)
        jan = self._by_user(plan.generate_statements(*JAN))[self.sp1]
        self.assertEqual(jan.version, 1)
        # new rates effective from February: 5 % becomes 6 %
        plan.version_date = FEB[0]
        tier = plan.rule_ids.tier_ids.filtered(lambda t: t.lower == 80)
        tier.rate = 6
        self.assertEqual(plan.version, 2)
        self.assertEqual(len(plan.version_ids), 2)
        # January (draft) is recomputed with version 1: still 5 %
        jan.action_recompute()
        self.assertEqual(jan.version, 1)
        self.assertEqual(jan.amount_total, 4500.0)
        snapshot = json.loads(
            jan.line_ids.filtered(lambda line: line.line_type == "rule").rule_snapshot
        )
        self.assertEqual([t["rate"] for t in snapshot["tiers"]], [2.0, 5.0, 8.0])
        # February uses version 2: 90,000 in February at 90 % -> 6 %
        self.env["sales.performance.target"].create(
            {
                "user_id": self.sp1.id,
                "metric_id": self.metric_won.id,
                "date_from": FEB[0],
                "date_to": FEB[1],
                "target_value": 100000,
            }
        ).action_activate()
        self._won_lead(self.sp1, 90000, datetime(2031, 2, 10, 12))
        feb = self._by_user(plan.generate_statements(*FEB))[self.sp1]
        self.assertEqual(feb.version, 2)
        self.assertEqual(feb.amount_total, 5400.0)  # 90,000 x 6 %
        # a second edit effective on the same date does not add a version
        tier.rate = 6.5
        self.assertEqual(plan.version, 2)

    def test_clawback_after_lost_deal(self):
        plan = self._plan([self._commission("flat")])
        jan = self._by_user(plan.generate_statements(*JAN))[self.sp1]
        jan.with_user(self.leader).action_confirm()
        jan.with_user(self.leader).action_approve()
        jan.with_user(self.admin).action_pay()
        # the 40,000 deal is lost after the payment: January's base falls to 50,000
        open_stage = self.env["crm.stage"].create({"name": "Reopened", "sequence": 1})
        self.lead_sp1_b.write({"stage_id": open_stage.id})
        self.lead_sp1_b.action_set_lost()
        feb = self._by_user(plan.generate_statements(*FEB))[self.sp1]
        clawback = feb.line_ids.filtered(lambda line: line.line_type == "clawback")
        self.assertEqual(len(clawback), 1)
        jan_line = jan.line_ids.filtered(lambda line: line.line_type == "rule")
        self.assertEqual(clawback.origin_line_id, jan_line)
        # 40,000 less at the 5 % originally applied
        self.assertAlmostEqual(clawback.base, -40000.0)
        self.assertAlmostEqual(clawback.amount, -2000.0)
        self.assertAlmostEqual(feb.amount_total, -2000.0)
        # recomputing does not take it back twice
        feb.action_recompute()
        self.assertAlmostEqual(feb.amount_total, -2000.0)
        # once taken back in an approved statement, March has nothing to take
        feb.with_user(self.leader).action_confirm()
        feb.with_user(self.leader).action_approve()
        march = self._by_user(
            plan.generate_statements(date(2031, 3, 1), date(2031, 3, 31))
        )
        self.assertFalse(
            march[self.sp1].line_ids.filtered(lambda line: line.line_type == "clawback")
        )

    def test_bonus_clawback_when_attainment_falls_below_its_threshold(self):
        """A paid bonus is computed again with the rule it was paid with: sp2
        falls from 120 % to 0 % and gives the 1,000 back; sp1 falls from 90 %
        to 50 %, still above the 50 % threshold: nothing to take back."""
        bonus = {
            "kind": "bonus",
            "metric_id": self.metric_won.id,
            "tiers": [(100, 1000), (50, 400)],
        }
        plan = self._plan([bonus])
        jan = self._by_user(plan.generate_statements(*JAN))
        self.assertEqual(jan[self.sp2].amount_total, 1000.0)
        self.assertEqual(jan[self.sp1].amount_total, 400.0)
        for statement in jan.values():
            statement.with_user(self.leader).action_confirm()
            statement.with_user(self.leader).action_approve()
        open_stage = self.env["crm.stage"].create({"name": "Reopened", "sequence": 1})
        for lead in (self.lead_sp2, self.lead_sp1_b):
            lead.write({"stage_id": open_stage.id})
            lead.action_set_lost()
        feb = self._by_user(plan.generate_statements(*FEB))
        clawback = feb[self.sp2].line_ids.filtered(
            lambda line: line.line_type == "clawback"
        )
        self.assertEqual(len(clawback), 1)
        self.assertEqual(clawback.kind, "bonus")
        self.assertEqual(
            clawback.origin_line_id,
            jan[self.sp2].line_ids.filtered(lambda line: line.line_type == "rule"),
        )
        self.assertAlmostEqual(clawback.base, -120000.0)
        self.assertAlmostEqual(clawback.amount, -1000.0)
        self.assertIn("1,000", clawback.explanation)
        self.assertAlmostEqual(feb[self.sp2].amount_total, -1000.0)
        self.assertFalse(
            feb[self.sp1].line_ids.filtered(lambda line: line.line_type == "clawback")
        )
        # taken back once: a recompute does not take it twice
        feb[self.sp2].action_recompute()
        self.assertAlmostEqual(feb[self.sp2].amount_total, -1000.0)

    def test_clawback_after_credit_note(self):
        metric = self.env.ref("sales_performance.metric_invoiced_revenue")
        partner = self.customer_1
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_user_id": self.sp1.id,
                "invoice_date": date(2031, 1, 15),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": 10000,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        rule = {
            "kind": "commission",
            "metric_id": metric.id,
            "basis": "amount",
            "mode": "flat",
            "tiers": [(0, None, 5)],
        }
        plan = self._plan([rule], users=self.sp1)
        jan = plan.generate_statements(*JAN)
        self.assertEqual(jan.amount_total, 500.0)  # 10,000 x 5 %
        jan.with_user(self.leader).action_confirm()
        jan.with_user(self.leader).action_approve()
        # a credit note of 2,000 dated in January, issued after the approval
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": partner.id,
                "invoice_user_id": self.sp1.id,
                "invoice_date": date(2031, 1, 31),
                "reversed_entry_id": invoice.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": 2000,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        feb = plan.generate_statements(*FEB)
        clawback = feb.line_ids.filtered(lambda line: line.line_type == "clawback")
        self.assertEqual(
            clawback.origin_line_id,
            jan.line_ids.filtered(lambda line: line.line_type == "rule"),
        )
        self.assertAlmostEqual(clawback.base, -2000.0)
        self.assertAlmostEqual(clawback.amount, -100.0)  # 2,000 x 5 %
        self.assertIn("5%", clawback.explanation)
        self.assertEqual(jan.amount_total, 500.0)  # the approved figure did not move

    def test_report_lists_lines_and_explanations(self):
        plan = self._plan([self._commission("marginal")])
        statement = self._by_user(plan.generate_statements(*JAN))[self.sp2]
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "sales_performance.action_report_incentive_statement", statement.ids
        )
        html = html.decode()
        self.assertIn("inc_sp2", html)
        self.assertIn("Marginal tiers", html)
        self.assertIn("[100%, ∞)", html)
        self.assertIn("4,200", html)

    def test_payroll_export(self):
        plan = self._plan([self._commission("flat")])
        statements = plan.generate_statements(*JAN)
        for statement in statements:
            statement.with_user(self.leader).action_confirm()
            statement.with_user(self.leader).action_approve()
        wizard = (
            self.env["sales.performance.incentive.export"]
            .with_user(self.admin)
            .create({"date_from": JAN[0], "date_to": JAN[1]})
        )
        wizard.action_export()
        content = base64.b64decode(wizard.file_data)
        with zipfile.ZipFile(io.BytesIO(content)) as xlsx:
            shared = xlsx.read("xl/sharedStrings.xml").decode()
        self.assertIn("inc_sp1", shared)
        self.assertTrue(wizard.file_name.endswith(".xlsx"))
        with self.assertRaises(AccessError):
            self.env["sales.performance.incentive.export"].with_user(
                self.leader
            ).create({"date_from": JAN[0], "date_to": JAN[1]})

    def test_whatif_compares_with_paid(self):
        active = self._plan([self._commission("flat")], name="Current")
        statements = active.generate_statements(*JAN)
        for statement in statements:
            statement.with_user(self.leader).action_confirm()
            statement.with_user(self.leader).action_approve()
        draft = self._plan(
            [self._commission("marginal")], name="Proposal", activate=False
        )
        wizard = (
            self.env["sales.performance.incentive.whatif"]
            .with_user(self.admin)
            .create(
                {
                    "plan_id": draft.id,
                    "compare_plan_id": active.id,
                    "date_from": JAN[0],
                    "date_to": JAN[1],
                }
            )
        )
        wizard.action_run()
        by_user = {line.user_id: line for line in wizard.line_ids}
        # flat paid 4,500 / 9,600 / 0; marginal would pay 2,100 / 4,200 / 0
        self.assertAlmostEqual(by_user[self.sp1].amount_paid, 4500.0)
        self.assertAlmostEqual(by_user[self.sp1].amount_simulated, 2100.0)
        self.assertAlmostEqual(by_user[self.sp2].amount_simulated, 4200.0)
        self.assertAlmostEqual(wizard.amount_paid, 14100.0)
        self.assertAlmostEqual(wizard.amount_simulated, 6300.0)
        self.assertAlmostEqual(wizard.amount_difference, -7800.0)

    def test_estimator(self):
        plan = self._plan([self._commission("marginal")])
        estimate = (
            self.env["sales.performance.incentive.estimate"]
            .with_user(self.sp1)
            .create({"plan_id": plan.id, "date": date(2031, 1, 10), "attainment": 120})
        )
        # at 120 % of 100,000: 1,600 + 1,000 + 1,600
        self.assertAlmostEqual(estimate.amount_chosen, 4200.0)
        self.assertIn("[100%, ∞)", estimate.explanation)
        # a salesperson cannot estimate a colleague's payout
        other = (
            self.env["sales.performance.incentive.estimate"]
            .with_user(self.sp1)
            .create(
                {
                    "plan_id": plan.id,
                    "user_id": self.sp2.id,
                    "date": date(2031, 1, 10),
                    "attainment": 120,
                }
            )
        )
        self.assertFalse(other.amount_chosen)
        self.assertFalse(other.explanation)

    def test_drill_down_to_source_documents(self):
        plan = self._plan([self._commission("flat")])
        statement = self._by_user(plan.generate_statements(*JAN))[self.sp1]
        line = statement.line_ids.filtered(lambda line: line.line_type == "rule")
        action = line.action_view_sources()
        self.assertEqual(action["res_model"], "crm.lead")
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(action["domain"])
        )
        self.assertEqual(leads, self.lead_sp1_a | self.lead_sp1_b)
        self.assertAlmostEqual(sum(leads.mapped("expected_revenue")), line.base)

    def test_scheduled_generation_at_period_end(self):
        plan = self._plan([self._commission("flat")])
        with freeze_time("2031-02-01 06:00:00"):
            self.env["sales.performance.incentive.plan"]._cron_generate_statements()
        statements = plan.statement_ids
        self.assertEqual(len(statements), 3)
        self.assertEqual(set(statements.mapped("date_from")), {JAN[0]})
        self.assertEqual(self._by_user(statements)[self.sp2].amount_total, 9600.0)

    def test_held_payout_is_shown_and_not_paid(self):
        plan = self._plan([self._commission("flat")])
        Plan = type(self.env["sales.performance.incentive.plan"])
        with patch.object(
            Plan,
            "_eligibility_holds",
            lambda plan, users, date_from=None, date_to=None: {
                user.id: "Certification missing" if user == self.sp1 else False
                for user in users
            },
        ):
            statements = self._by_user(plan.generate_statements(*JAN))
        held = statements[self.sp1]
        self.assertEqual(held.hold_reason, "Certification missing")
        self.assertFalse(statements[self.sp2].hold_reason)
        held.with_user(self.leader).action_confirm()
        held.with_user(self.leader).action_approve()
        with self.assertRaises(UserError):
            held.with_user(self.admin).action_pay()
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "sales_performance.action_report_incentive_statement", held.ids
        )
        self.assertIn("Certification missing", html.decode())

    def test_payment_details_set_before_paying(self):
        plan = self._plan([self._commission("flat")])
        statement = self._by_user(plan.generate_statements(*JAN))[self.sp2]
        statement.with_user(self.leader).action_confirm()
        statement.with_user(self.leader).action_approve()
        with self.assertRaises(AccessError):
            statement.with_user(self.leader).write({"payment_ref": "X"})
        statement.with_user(self.admin).write(
            {"payment_ref": "BATCH-7", "payment_date": date(2031, 2, 28)}
        )
        statement.with_user(self.admin).action_pay()
        self.assertEqual(statement.payment_ref, "BATCH-7")
        self.assertEqual(statement.payment_date, date(2031, 2, 28))
        with self.assertRaises(UserError):
            statement.with_user(self.admin).write({"payment_ref": "other"})

    def test_salesperson_comments_on_own_statement(self):
        plan = self._plan([self._commission("flat")])
        statement = self._by_user(plan.generate_statements(*JAN))[self.sp1]
        statement.with_user(self.leader).action_confirm()
        statement.with_user(self.sp1).message_post(body="Is the March deal included?")
        self.assertIn("March deal", statement.message_ids[:1].body)

    def test_version_used_by_a_confirmed_statement_is_never_rewritten(self):
        plan = self._plan([self._commission("flat")])
        statements = self._by_user(plan.generate_statements(*JAN))
        confirmed, draft = statements[self.sp1], statements[self.sp2]
        confirmed.with_user(self.leader).action_confirm()
        v1 = confirmed.version_id
        # an edit effective on the same day as version 1
        plan.version_date = JAN[0]
        plan.rule_ids.tier_ids.filtered(lambda t: t.lower == 100).rate = 10
        self.assertEqual(plan.version, 2)
        self.assertEqual([t["rate"] for t in v1._rules()[0]["tiers"]], [2.0, 5.0, 8.0])
        self.assertEqual(confirmed.version_id, v1)
        self.assertEqual(confirmed.amount_total, 4500.0)
        # the draft is recomputed with version 2: 120,000 x 10 %
        draft.action_recompute()
        self.assertEqual(draft.version, 2)
        self.assertEqual(draft.amount_total, 12000.0)

    def test_chinese_explanations_and_report(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_performance"], ["zh_CN"], overwrite=True
        )
        self.sp2.lang = "zh_CN"
        plan = self._plan([self._commission("marginal", cap=3000)])
        statements = self._by_user(plan.generate_statements(*JAN))
        line = statements[self.sp2].line_ids.filtered(
            lambda line: line.line_type == "rule"
        )
        # 80,000 x 2 % + 20,000 x 5 % + 20,000 x 8 % = 4,200, capped at 3,000
        self.assertEqual(line.amount, 3000.0)
        self.assertIn("超额累进", line.explanation)
        self.assertIn("封顶", line.explanation)
        self.assertIn("4,200", line.explanation)
        # English stays English for an English-speaking salesperson
        english = statements[self.sp1].line_ids.filtered(
            lambda line: line.line_type == "rule"
        )
        self.assertIn("Marginal tiers", english.explanation)
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "sales_performance.action_report_incentive_statement",
            statements[self.sp2].ids,
        )
        html = html.decode()
        self.assertIn("提成结算单", html)
        self.assertIn("超额累进", html)
        self.assertIn("Noto Sans CJK SC", html)

    def test_estimator_at_current_pace(self):
        plan = self._plan([self._commission("marginal")])
        # 15 January 2031 (a Wednesday): 11 of January's 23 working days are
        # over; sp1's 90,000 run at 90,000 / 11 x 23 by the end of the month
        with freeze_time("2031-01-15 12:00:00"):
            estimate = (
                self.env["sales.performance.incentive.estimate"]
                .with_user(self.sp1)
                .create({"plan_id": plan.id, "date": date(2031, 1, 15)})
            )
            pace_base = 90000 / 11 * 23
            expected = 80000 * 0.02 + 20000 * 0.05 + (pace_base - 100000) * 0.08
            self.assertAlmostEqual(estimate.amount_pace, expected, places=2)
            # at the default 100 %: 1,600 + 1,000
            self.assertAlmostEqual(estimate.amount_chosen, 2600.0)
