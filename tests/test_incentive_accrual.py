"""Accruals in Accounting: the journal entries of approved, paid and
cancelled statements (accounts, sides and amounts computed by hand in the
comments), the Incentive Liability report against the account balance, the
plan's accounting settings and who reads them.

January 2031 (IncentiveCommon): sp1 wins 90,000 on a 100,000 target (90 %),
sp2 wins 120,000 on a 100,000 target (120 %), sp3 wins 60,000 without a
target. Flat commission on attainment: 2 % below 80 %, 5 % from 80 %, 8 %
from 100 %.
"""

from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import FEB, INCENTIVE_ADMIN, JAN, SALESMAN, IncentiveCommon

ACCOUNT_READONLY = "account.group_account_readonly"


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentiveAccrual(IncentiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        Account = cls.env["account.account"].with_company(cls.company)
        cls.expense_account = Account.create(
            {
                "code": "SP6110",
                "name": "SP Sales Commissions",
                "account_type": "expense",
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        cls.liability_account = Account.create(
            {
                "code": "SP2190",
                "name": "SP Accrued Commissions",
                "account_type": "liability_current",
                "reconcile": True,
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        cls.clearing_account = Account.create(
            {
                "code": "SP2191",
                "name": "SP Payroll Clearing",
                "account_type": "liability_current",
                "company_ids": [Command.set(cls.company.ids)],
            }
        )
        cls.journal = cls.env["account.journal"].create(
            {
                "name": "SP Incentive Accruals",
                "code": "SPINC",
                "type": "general",
                "company_id": cls.company.id,
            }
        )
        cls.company_currency = cls.company.currency_id
        # sp2 has an employee whose work contact is not their user's partner
        cls.sp2_work_contact = cls.env["res.partner"].create(
            {"name": "SP2 Work Address"}
        )
        employee = cls.env["hr.employee"].create(
            {
                "name": "SP2 Employee",
                "user_id": cls.sp2.id,
                "company_id": cls.company.id,
            }
        )
        employee.work_contact_id = cls.sp2_work_contact
        cls.accountant = cls._new_user(
            "inc_accountant", f"{SALESMAN},{ACCOUNT_READONLY}"
        )
        cls.accountant_b = cls._new_user(
            "inc_accountant_b",
            f"{SALESMAN},{ACCOUNT_READONLY},{INCENTIVE_ADMIN}",
            company=cls.company_b,
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _accounting(self, plan, **extra):
        plan.write(
            {
                "accrual_journal_id": self.journal.id,
                "expense_account_id": self.expense_account.id,
                "liability_account_id": self.liability_account.id,
                "payment_account_id": self.clearing_account.id,
                **extra,
            }
        )
        return plan

    def _approve(self, statements):
        statements.with_user(self.leader).action_confirm()
        statements.with_user(self.leader).action_approve()

    def _lines(self, move):
        """{account: (debit, credit, amount_currency, partner)} of an entry."""
        return {
            line.account_id: (
                line.debit,
                line.credit,
                line.amount_currency,
                line.partner_id,
            )
            for line in move.line_ids
        }

    def _liability_balance(self):
        """The balance of the liability account, from the journal items."""
        groups = self.env["account.move.line"]._read_group(
            [
                ("account_id", "=", self.liability_account.id),
                ("parent_state", "=", "posted"),
            ],
            aggregates=["balance:sum"],
        )
        return groups[0][0] or 0.0

    def _report(self, plan):
        """The report rows of ``plan``, read again from the view (as each
        request of the web client does)."""
        Report = self.env["sales.performance.incentive.liability.report"]
        Report.invalidate_model()
        return Report.search([("plan_id", "=", plan.id)])

    def _lose_deal(self, lead):
        open_stage = self.env["crm.stage"].create({"name": "Reopened", "sequence": 1})
        lead.write({"stage_id": open_stage.id})
        lead.action_set_lost()

    # ------------------------------------------------------------------
    # Accrual, settlement, reversal
    # ------------------------------------------------------------------
    def test_approval_posts_one_accrual_per_statement(self):
        plan = self._accounting(self._plan([self._commission("flat")]))
        statements = self._by_user(plan.generate_statements(*JAN))
        st1, st2, st3 = statements[self.sp1], statements[self.sp2], statements[self.sp3]
        # sp1: 90 % -> 5 % x 90,000 = 4,500; sp2: 120 % -> 8 % x 120,000 = 9,600;
        # sp3: no target, no attainment: 0
        self.assertEqual(
            (st1.amount_total, st2.amount_total, st3.amount_total),
            (4500.0, 9600.0, 0.0),
        )
        Move = self.registry["account.move"]
        create, post = Move.create, Move.action_post
        created, posted = [], []

        def spy_create(records, vals_list):
            created.append(len(vals_list))
            return create(records, vals_list)

        def spy_post(records):
            posted.append(len(records))
            return post(records)

        with (
            patch.object(Move, "create", spy_create),
            patch.object(Move, "action_post", spy_post),
        ):
            self._approve(st1 | st2 | st3)
        # the two entries (sp3 pays nothing: no entry) in one create, one post
        self.assertEqual((created, posted), ([2], [2]))

        move1 = st1.accrual_move_id
        self.assertEqual(move1.state, "posted")
        self.assertEqual(move1.journal_id, self.journal)
        self.assertEqual(move1.date, date(2031, 1, 31))
        self.assertEqual(move1.ref, st1.name)
        self.assertEqual(move1.partner_id, self.sp1.partner_id)
        self.assertEqual(move1.sales_performance_statement_id, st1)
        self.assertEqual(move1.sales_performance_entry_type, "accrual")
        # expense debit 4,500, accrued liability credit 4,500
        self.assertEqual(
            self._lines(move1),
            {
                self.expense_account: (4500.0, 0.0, 4500.0, self.sp1.partner_id),
                self.liability_account: (0.0, 4500.0, -4500.0, self.sp1.partner_id),
            },
        )
        # sp2 is an employee: the entry is on their work contact
        self.assertEqual(st2.accrual_move_id.partner_id, self.sp2_work_contact)
        self.assertEqual(
            self._lines(st2.accrual_move_id),
            {
                self.expense_account: (9600.0, 0.0, 9600.0, self.sp2_work_contact),
                self.liability_account: (0.0, 9600.0, -9600.0, self.sp2_work_contact),
            },
        )
        self.assertFalse(st3.accrual_move_id)
        self.assertEqual(st3.account_move_count, 0)
        self.assertEqual(st1.account_move_count, 1)
        self.assertTrue(any(move1.name in message.body for message in st1.message_ids))
        # the smart button opens the entry
        action = st1.action_view_account_moves()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("account.move", move1.id)
        )
        # the liability account owes 4,500 + 9,600 = 14,100 (credit)
        self.assertAlmostEqual(self._liability_balance(), -14100.0)

    def test_payment_settles_the_liability(self):
        plan = self._accounting(self._plan([self._commission("flat")], users=self.sp1))
        statement = plan.generate_statements(*JAN)
        self._approve(statement)
        statement.with_user(self.admin).action_pay(
            payment_date=date(2031, 2, 5), payment_ref="PAYROLL-2031-01"
        )
        payment = statement.payment_move_id
        self.assertEqual(payment.state, "posted")
        self.assertEqual(payment.sales_performance_entry_type, "settlement")
        self.assertEqual(payment.journal_id, self.journal)  # no settlement journal
        self.assertEqual(payment.date, date(2031, 2, 5))
        self.assertEqual(payment.ref, statement.name)
        self.assertIn("PAYROLL-2031-01", payment.line_ids[0].name)
        # liability debit 4,500, payroll clearing credit 4,500
        self.assertEqual(
            self._lines(payment),
            {
                self.liability_account: (4500.0, 0.0, 4500.0, self.sp1.partner_id),
                self.clearing_account: (0.0, 4500.0, -4500.0, self.sp1.partner_id),
            },
        )
        # accrual and settlement are reconciled on the liability account: 0 owed
        liability_lines = (statement.accrual_move_id | payment).line_ids.filtered(
            lambda line: line.account_id == self.liability_account
        )
        self.assertTrue(all(liability_lines.mapped("reconciled")))
        self.assertAlmostEqual(self._liability_balance(), 0.0)
        self.assertEqual(statement.account_move_count, 2)

    def test_bank_journal_settles_on_its_account(self):
        bank = self.env["account.journal"].create(
            {
                "name": "SP Payroll Bank",
                "code": "SPBNK",
                "type": "bank",
                "company_id": self.company.id,
            }
        )
        plan = self._accounting(
            self._plan([self._commission("flat")], users=self.sp2),
            payment_account_id=False,
            payment_journal_id=bank.id,
        )
        statement = plan.generate_statements(*JAN)
        self._approve(statement)
        statement.with_user(self.admin).action_pay(payment_date=date(2031, 2, 5))
        payment = statement.payment_move_id
        self.assertEqual(payment.journal_id, bank)
        # 9,600: liability debit, bank credit
        self.assertEqual(
            self._lines(payment),
            {
                self.liability_account: (9600.0, 0.0, 9600.0, self.sp2_work_contact),
                bank.default_account_id: (0.0, 9600.0, -9600.0, self.sp2_work_contact),
            },
        )

    def test_clawback_and_adjustment_post_entries_of_their_own(self):
        plan = self._accounting(self._plan([self._commission("flat")], users=self.sp1))
        jan = plan.generate_statements(*JAN)
        self._approve(jan)
        jan.with_user(self.admin).action_pay(payment_date=date(2031, 2, 5))
        # the 40,000 deal is lost: February takes back 40,000 x 5 % = 2,000
        self._lose_deal(self.lead_sp1_b)
        feb = plan.generate_statements(*FEB)
        clawback = feb.line_ids.filtered(lambda line: line.line_type == "clawback")
        self.assertAlmostEqual(clawback.amount, -2000.0)
        # an accepted dispute of 300 is added by hand
        adjustment = (
            self.env["sales.performance.incentive.statement.line"]
            .with_user(self.admin)
            .create(
                {
                    "statement_id": feb.id,
                    "name": "Dispute: deal credited to the wrong month",
                    "amount": 300.0,
                }
            )
        )
        # February: no rule pays (no target), -2,000 + 300 = -1,700
        self.assertAlmostEqual(feb.amount_total, -1700.0)
        self._approve(feb)
        moves = feb.account_move_ids
        self.assertEqual(len(moves), 2)
        by_line = {move.sales_performance_statement_line_id: move for move in moves}
        self.assertEqual(set(by_line), {clawback, adjustment})
        # the clawback reverses the sides: liability debit, expense credit 2,000
        self.assertEqual(
            self._lines(by_line[clawback]),
            {
                self.expense_account: (0.0, 2000.0, -2000.0, self.sp1.partner_id),
                self.liability_account: (2000.0, 0.0, 2000.0, self.sp1.partner_id),
            },
        )
        self.assertEqual(
            self._lines(by_line[adjustment]),
            {
                self.expense_account: (300.0, 0.0, 300.0, self.sp1.partner_id),
                self.liability_account: (0.0, 300.0, -300.0, self.sp1.partner_id),
            },
        )
        self.assertEqual(by_line[clawback].ref, feb.name)
        self.assertEqual(by_line[clawback].date, date(2031, 2, 28))
        self.assertIn(feb.accrual_move_id, moves)

        # the report: January accrued 4,500 and paid 4,500; February accrued
        # -1,700 (owed back by sp1), nothing paid
        report = {row.date_from: row for row in self._report(plan)}
        self.assertEqual(
            {
                day: (row.accrued, row.paid, row.outstanding, row.user_id)
                for day, row in report.items()
            },
            {
                JAN[0]: (4500.0, 4500.0, 0.0, self.sp1),
                FEB[0]: (-1700.0, 0.0, -1700.0, self.sp1),
            },
        )
        # outstanding in total: -1,700 = -(balance of the liability account):
        # -4,500 + 4,500 + 2,000 - 300 = 1,700 (debit)
        balance = self._liability_balance()
        self.assertAlmostEqual(balance, 1700.0)
        self.assertAlmostEqual(sum(report[d].outstanding for d in report), -balance)

        # paying February (sp1 repays 1,700 through payroll) clears it
        feb.with_user(self.admin).action_pay(payment_date=date(2031, 3, 5))
        self.assertEqual(
            self._lines(feb.payment_move_id),
            {
                self.liability_account: (0.0, 1700.0, -1700.0, self.sp1.partner_id),
                self.clearing_account: (1700.0, 0.0, 1700.0, self.sp1.partner_id),
            },
        )
        self.assertAlmostEqual(self._liability_balance(), 0.0)
        report_feb = self._report(plan).filtered(lambda row: row.date_from == FEB[0])
        self.assertEqual(
            (report_feb.accrued, report_feb.paid, report_feb.outstanding),
            (-1700.0, -1700.0, 0.0),
        )

    def test_cancelled_approved_statement_reverses_its_accrual(self):
        plan = self._accounting(self._plan([self._commission("flat")], users=self.sp1))
        statement = plan.generate_statements(*JAN)
        self._approve(statement)
        accrual = statement.accrual_move_id
        statement.with_user(self.admin).action_cancel()
        self.assertEqual(statement.state, "cancel")
        reversal = accrual.reversal_move_ids
        self.assertEqual(len(reversal), 1)
        self.assertEqual(reversal.state, "posted")
        self.assertEqual(reversal.sales_performance_statement_id, statement)
        self.assertEqual(reversal.date, date(2031, 1, 31))
        self.assertEqual(
            self._lines(reversal),
            {
                self.expense_account: (0.0, 4500.0, -4500.0, self.sp1.partner_id),
                self.liability_account: (4500.0, 0.0, 4500.0, self.sp1.partner_id),
            },
        )
        self.assertAlmostEqual(self._liability_balance(), 0.0)
        row = self._report(plan)
        self.assertEqual((row.accrued, row.paid, row.outstanding), (0.0, 0.0, 0.0))
        self.assertEqual(row.state, "cancel")

    def test_plan_without_accounting_posts_nothing(self):
        plan = self._plan([self._commission("flat")], users=self.sp1)
        statement = plan.generate_statements(*JAN)
        self._approve(statement)
        statement.with_user(self.admin).action_pay()
        self.assertFalse(statement.accrual_move_id)
        self.assertFalse(statement.payment_move_id)
        self.assertFalse(self._report(plan))

    def test_foreign_currency_plan_converted_at_the_period_end(self):
        eur = self._enable_currency("EUR")
        # 1 USD = <rate> EUR, rates of the test company only
        self.env["res.currency.rate"].create(
            [
                {
                    "currency_id": eur.id,
                    "name": day,
                    "rate": rate,
                    "company_id": self.company.id,
                }
                for day, rate in (
                    ("2031-01-15", 2.0),
                    ("2031-01-31", 1.6),
                    ("2031-02-10", 4.0),
                )
            ]
        )
        bonus = {
            "kind": "bonus",
            "metric_id": self.metric_won.id,
            "tiers": [(100, 1000), (50, 400)],
        }
        plan = self._plan([bonus], users=self.sp2, name="EUR Bonus", activate=False)
        plan.currency_id = eur
        plan.action_activate()
        self._accounting(plan)
        statement = plan.generate_statements(*JAN)
        # 120 % attainment: the 1,000 EUR bonus
        self.assertEqual(statement.amount_total, 1000.0)
        self._approve(statement)
        move = statement.accrual_move_id
        self.assertEqual(move.currency_id, eur)
        # 1,000 EUR at the 31 January rate (1.6 EUR per USD) = 625.00 USD
        self.assertEqual(
            self._lines(move),
            {
                self.expense_account: (625.0, 0.0, 1000.0, self.sp2_work_contact),
                self.liability_account: (0.0, 625.0, -1000.0, self.sp2_work_contact),
            },
        )
        # paid on 15 February (rate 4.0): the settlement clears the 625 accrued
        statement.with_user(self.admin).action_pay(payment_date=date(2031, 2, 15))
        self.assertEqual(
            self._lines(statement.payment_move_id),
            {
                self.liability_account: (625.0, 0.0, 1000.0, self.sp2_work_contact),
                self.clearing_account: (0.0, 625.0, -1000.0, self.sp2_work_contact),
            },
        )
        self.assertAlmostEqual(self._liability_balance(), 0.0)
        row = self._report(plan)
        self.assertEqual((row.accrued, row.paid, row.outstanding), (625.0, 625.0, 0.0))
        self.assertEqual(row.currency_id, self.company_currency)

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------
    def test_accounts_and_journals_of_another_company_are_refused(self):
        plan = self._plan([self._commission("flat")], users=self.sp1)
        foreign_account = (
            self.env["account.account"]
            .with_company(self.company_b)
            .create(
                {
                    "code": "SPB6110",
                    "name": "SP B Commissions",
                    "account_type": "expense",
                    "company_ids": [Command.set(self.company_b.ids)],
                }
            )
        )
        foreign_journal = self.env["account.journal"].create(
            {
                "name": "SP B Accruals",
                "code": "SPBAC",
                "type": "general",
                "company_id": self.company_b.id,
            }
        )
        with self.assertRaises(ValidationError) as cm:
            self._accounting(plan, expense_account_id=foreign_account.id)
        self.assertIn("SP B Commissions", str(cm.exception))
        self.assertIn("its own company", str(cm.exception))
        with self.assertRaises(ValidationError) as cm:
            self._accounting(plan, accrual_journal_id=foreign_journal.id)
        self.assertIn("SP B Accruals", str(cm.exception))
        # nothing saved
        plan.invalidate_recordset()
        self.assertFalse(plan.expense_account_id | plan.liability_account_id)
        self.assertFalse(plan.accrual_journal_id)
        # a new plan with them is not created either
        Plan = self.env["sales.performance.incentive.plan"]
        with self.assertRaises(ValidationError):
            Plan.create(
                {
                    "name": "SP foreign accounts",
                    "company_id": self.company.id,
                    "accrual_journal_id": self.journal.id,
                    "expense_account_id": foreign_account.id,
                    "liability_account_id": self.liability_account.id,
                    "payment_account_id": self.clearing_account.id,
                }
            )
        self.assertFalse(Plan.search([("name", "=", "SP foreign accounts")]))

    def test_incomplete_or_wrong_settings_are_refused(self):
        plan = self._plan([self._commission("flat")], users=self.sp1)
        # all three or none
        with self.assertRaises(ValidationError) as cm:
            plan.write({"accrual_journal_id": self.journal.id})
        self.assertIn("together, or none of them", str(cm.exception))
        # an expense account that is not an expense account
        with self.assertRaises(ValidationError) as cm:
            self._accounting(plan, expense_account_id=self.clearing_account.id)
        self.assertIn("must be an expense account", str(cm.exception))
        # no settlement account (and a general journal has no default one)
        with self.assertRaises(ValidationError) as cm:
            self._accounting(plan, payment_account_id=False)
        self.assertIn("settlement account", str(cm.exception))
        # a settlement without accruals
        with self.assertRaises(ValidationError):
            plan.write({"payment_account_id": self.clearing_account.id})
        plan.invalidate_recordset()
        self.assertFalse(plan.accrual_journal_id | plan.payment_journal_id)
        self.assertFalse(plan.payment_account_id)

    def test_liability_account_is_kept_once_accrued(self):
        plan = self._accounting(self._plan([self._commission("flat")], users=self.sp1))
        other = self.liability_account.copy({"code": "SP2192"})
        plan.liability_account_id = other  # nothing accrued yet: allowed
        plan.liability_account_id = self.liability_account
        self._approve(plan.generate_statements(*JAN))
        with self.assertRaises(UserError):
            plan.liability_account_id = other
        plan.invalidate_recordset()
        self.assertEqual(plan.liability_account_id, self.liability_account)
        # the expense account may change: later entries use the new one
        plan.expense_account_id = self.expense_account.copy({"code": "SP6111"})

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def test_who_reads_the_liability_and_the_entries(self):
        plan = self._accounting(self._plan([self._commission("flat")], users=self.sp1))
        statement = plan.generate_statements(*JAN)
        self._approve(statement)
        move = statement.accrual_move_id
        Report = self.env["sales.performance.incentive.liability.report"]
        domain = [("plan_id", "=", plan.id)]
        # the salesperson and their team leader: no report, no entry
        for user in (self.sp1, self.leader):
            with self.assertRaises(AccessError):
                Report.with_user(user).search(domain)
        with self.assertRaises(AccessError):
            move.with_user(self.sp1).read(["name"])
        mine = statement.with_user(self.sp1)
        self.assertEqual(mine.amount_total, 4500.0)  # they read their statement
        with self.assertRaises(AccessError):
            mine.read(["accrual_move_id"])
        with self.assertRaises(AccessError):
            mine.read(["payment_move_id"])
        # the incentive administrator and an accountant read it
        for user in (self.admin, self.accountant):
            row = Report.with_user(user).search(domain)
            self.assertEqual((row.accrued, row.outstanding), (4500.0, 4500.0))
        self.assertEqual(move.with_user(self.accountant).ref, statement.name)
        # an accountant of another company does not see this company's rows
        self.assertFalse(
            Report.with_user(self.accountant_b)
            .with_company(self.company_b)
            .search(domain)
        )
        # nobody writes the report
        with self.assertRaises(AccessError):
            Report.with_user(self.admin).search(domain).write({"accrued": 0.0})
