"""Accruals in Accounting: the incentive expense and the accrued liability
of approved statements, and their settlement when paid.

- Approving a statement posts one journal entry in the plan's accrual journal
  (debit the expense account, credit the accrued liability account) for what
  its rule lines pay, plus one entry per clawback or adjustment line, dated
  at the end of the period (the first open day after a lock date), in the
  plan currency converted to the company currency at the rate of the period
  end. Negative amounts reverse the sides. A zero amount posts nothing.
- Paying it posts the settlement (debit the liability, credit the settlement
  account) for what the statement's entries left on the liability account,
  and reconciles them when the account is reconcilable.
- Cancelling an approved statement reverses its entries.
"""

from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

EXPENSE_TYPES = ("expense", "expense_other", "expense_direct_cost")
LIABILITY_TYPES = ("liability_current", "liability_payable")
SETTLEMENT_TYPES = (
    "asset_cash",
    "asset_current",
    "liability_current",
    "liability_payable",
    "liability_credit_card",
)
SETTLEMENT_JOURNAL_TYPES = ("general", "bank", "cash")
ACCOUNTING_GROUPS = (
    "account.group_account_readonly,account.group_account_invoice,"
    "sales_performance.group_sales_performance_incentive_admin"
)
# lines posted in an entry of their own (the rest is the statement's entry)
SEPARATE_LINE_TYPES = ("clawback", "adjustment")
ACCRUAL_FIELDS = ("accrual_journal_id", "expense_account_id", "liability_account_id")
SETTLEMENT_FIELDS = ("payment_journal_id", "payment_account_id")


def accounting_date(company, journal, day):
    """``day``, or the first day after the company's lock date for
    ``journal`` when ``day`` is locked."""
    lock = company._get_user_fiscal_lock_date(journal)
    if lock and day <= lock:
        return lock + timedelta(days=1)
    return day


class AccountMove(models.Model):
    _inherit = "account.move"

    sales_performance_statement_id = fields.Many2one(
        "sales.performance.incentive.statement",
        string="Incentive Statement",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
    )
    sales_performance_statement_line_id = fields.Many2one(
        "sales.performance.incentive.statement.line",
        string="Incentive Statement Line",
        readonly=True,
        ondelete="set null",
        # recomputing statements deletes their lines: without an index, each
        # deleted line scans account_move (bench medium: 23.5 s against 0.6 s)
        index="btree_not_null",
        help="The clawback or adjustment line this entry accrues on its own.",
    )
    sales_performance_entry_type = fields.Selection(
        [("accrual", "Incentive Accrual"), ("settlement", "Incentive Settlement")],
        string="Incentive Entry",
        readonly=True,
    )


class SalesPerformanceIncentivePlan(models.Model):
    _inherit = "sales.performance.incentive.plan"

    accrual_journal_id = fields.Many2one(
        "account.journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        tracking=True,
        help="Approving a statement posts its incentive expense and accrued "
        "liability in this journal. Leave the journal and both accounts empty "
        "to keep incentives out of the books.",
    )
    expense_account_id = fields.Many2one(
        "account.account",
        string="Incentive Expense Account",
        check_company=True,
        domain=[("account_type", "in", EXPENSE_TYPES)],
        tracking=True,
    )
    liability_account_id = fields.Many2one(
        "account.account",
        string="Accrued Liability Account",
        check_company=True,
        domain=[("account_type", "in", LIABILITY_TYPES)],
        tracking=True,
        help="Credited when a statement is approved, debited when it is paid: "
        "its balance is what the incentives still owe.",
    )
    payment_journal_id = fields.Many2one(
        "account.journal",
        string="Settlement Journal",
        check_company=True,
        domain=[("type", "in", SETTLEMENT_JOURNAL_TYPES)],
        tracking=True,
        help="Journal of the settlement entry posted when a statement is paid "
        "(the accrual journal when empty).",
    )
    payment_account_id = fields.Many2one(
        "account.account",
        string="Settlement Account",
        check_company=True,
        domain=[("account_type", "in", SETTLEMENT_TYPES)],
        tracking=True,
        help="Credited when a statement is paid: the payroll clearing account "
        "(salaries payable) or a bank account. When empty, the default account "
        "of the bank or cash settlement journal.",
    )

    @api.constrains(
        "company_id",
        "accrual_journal_id",
        "expense_account_id",
        "liability_account_id",
        "payment_journal_id",
        "payment_account_id",
    )
    def _check_accrual_settings(self):
        for plan in self:
            plan._check_accrual_companies()
            configured = [bool(plan[fname]) for fname in ACCRUAL_FIELDS]
            if not any(configured):
                if plan.payment_journal_id or plan.payment_account_id:
                    raise ValidationError(
                        self.env._(
                            "The plan %(plan)s has a settlement journal or account "
                            "but no accrual journal and accounts: set them too, or "
                            "clear the settlement.",
                            plan=plan.name,
                        )
                    )
                continue
            if not all(configured):
                raise ValidationError(
                    self.env._(
                        "Set the accrual journal, the incentive expense account and "
                        "the accrued liability account of the plan %(plan)s "
                        "together, or none of them.",
                        plan=plan.name,
                    )
                )
            plan._check_accrual_types()

    def _check_accrual_companies(self):
        """Journals and accounts of the plan's company only (accounts may be
        shared with it, or belong to its parent company)."""
        self.ensure_one()
        company = self.company_id
        for fname in ("accrual_journal_id", "payment_journal_id"):
            journal = self[fname].sudo()
            if journal and journal.company_id != company:
                raise ValidationError(
                    self.env._(
                        "The journal %(journal)s belongs to %(journal_company)s: "
                        "the plan %(plan)s of %(company)s can only use journals "
                        "of its own company.",
                        journal=journal.display_name,
                        journal_company=journal.company_id.display_name,
                        plan=self.name,
                        company=company.display_name,
                    )
                )
        for fname in (
            "expense_account_id",
            "liability_account_id",
            "payment_account_id",
        ):
            account = self[fname].sudo()
            if account and not account.filtered_domain(
                account._check_company_domain(company)
            ):
                raise ValidationError(
                    self.env._(
                        "The account %(account)s belongs to %(account_companies)s: "
                        "the plan %(plan)s of %(company)s can only use accounts of "
                        "its own company.",
                        account=account.display_name,
                        account_companies=", ".join(
                            account.company_ids.mapped("display_name")
                        ),
                        plan=self.name,
                        company=company.display_name,
                    )
                )

    def _check_accrual_types(self):
        self.ensure_one()
        env = self.env
        checks = (
            (self.expense_account_id, EXPENSE_TYPES, "expense"),
            (self.liability_account_id, LIABILITY_TYPES, "liability"),
            (self.payment_account_id, SETTLEMENT_TYPES, "settlement"),
        )
        for account, types, role in checks:
            if account and account.account_type not in types:
                if role == "expense":
                    message = env._(
                        "The incentive expense account of %(plan)s must be an "
                        "expense account: %(account)s is not.",
                        plan=self.name,
                        account=account.display_name,
                    )
                elif role == "liability":
                    message = env._(
                        "The accrued liability account of %(plan)s must be a "
                        "current liability or payable account: %(account)s is not.",
                        plan=self.name,
                        account=account.display_name,
                    )
                else:
                    message = env._(
                        "The settlement account of %(plan)s must be a bank, current "
                        "asset, current liability or payable account: %(account)s "
                        "is not.",
                        plan=self.name,
                        account=account.display_name,
                    )
                raise ValidationError(message)
        if self.accrual_journal_id.type != "general":
            raise ValidationError(
                env._(
                    "The accrual journal of %(plan)s must be a miscellaneous "
                    "(general) journal.",
                    plan=self.name,
                )
            )
        if self.payment_journal_id and (
            self.payment_journal_id.type not in SETTLEMENT_JOURNAL_TYPES
        ):
            raise ValidationError(
                env._(
                    "The settlement journal of %(plan)s must be a miscellaneous, "
                    "bank or cash journal.",
                    plan=self.name,
                )
            )
        if self.expense_account_id == self.liability_account_id:
            raise ValidationError(
                env._(
                    "The incentive expense and the accrued liability of %(plan)s "
                    "need two different accounts.",
                    plan=self.name,
                )
            )
        settlement = self._settlement_account()
        if not settlement:
            raise ValidationError(
                env._(
                    "The plan %(plan)s accrues incentives: set the settlement "
                    "account credited when a statement is paid (or a bank or cash "
                    "settlement journal with a default account).",
                    plan=self.name,
                )
            )
        if settlement == self.liability_account_id:
            raise ValidationError(
                env._(
                    "The settlement account of %(plan)s cannot be its accrued "
                    "liability account.",
                    plan=self.name,
                )
            )

    def write(self, vals):
        if "liability_account_id" in vals:
            changed = self.filtered(
                lambda plan: plan.liability_account_id.id
                != vals["liability_account_id"]
            )
            if changed and self.env["account.move"].sudo().search_count(
                [
                    ("sales_performance_statement_id.plan_id", "in", changed.ids),
                    ("state", "=", "posted"),
                ],
                limit=1,
            ):
                raise UserError(
                    self.env._(
                        "Incentives of this plan are already accrued on its "
                        "liability account: they are settled on that account, so "
                        "it cannot change. Start a new plan for another account."
                    )
                )
        return super().write(vals)

    def _accrues(self):
        """True when approving this plan's statements posts journal entries."""
        self.ensure_one()
        return bool(
            self.accrual_journal_id
            and self.expense_account_id
            and self.liability_account_id
        )

    def _settlement_journal(self):
        self.ensure_one()
        return self.payment_journal_id or self.accrual_journal_id

    def _settlement_account(self):
        self.ensure_one()
        if self.payment_account_id:
            return self.payment_account_id
        journal = self.payment_journal_id
        if journal.type in ("bank", "cash"):
            return journal.default_account_id
        return self.env["account.account"]


class SalesPerformanceIncentiveStatement(models.Model):
    _inherit = "sales.performance.incentive.statement"

    accrual_move_id = fields.Many2one(
        "account.move",
        string="Accrual Entry",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=ACCOUNTING_GROUPS,
        help="The journal entry posted when the statement was approved (expense "
        "debit, accrued liability credit). Clawback and adjustment lines have an "
        "entry each: see the journal entries of the statement.",
    )
    payment_move_id = fields.Many2one(
        "account.move",
        string="Settlement Entry",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=ACCOUNTING_GROUPS,
        help="The journal entry posted when the statement was paid (accrued "
        "liability debit, settlement account credit).",
    )
    account_move_ids = fields.One2many(
        "account.move",
        "sales_performance_statement_id",
        string="Journal Entries",
        groups=ACCOUNTING_GROUPS,
    )
    account_move_count = fields.Integer(
        compute="_compute_account_move_count", groups=ACCOUNTING_GROUPS
    )

    def _compute_account_move_count(self):
        counts = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [("sales_performance_statement_id", "in", self.ids)],
                ["sales_performance_statement_id"],
                ["__count"],
            )
        )
        for statement in self:
            statement.account_move_count = counts.get(statement, 0)

    # ------------------------------------------------------------------
    # Workflow hooks
    # ------------------------------------------------------------------
    def _on_approved(self):
        result = super()._on_approved()
        self._post_accruals()
        return result

    def _on_paid(self):
        result = super()._on_paid()
        self._post_settlements()
        return result

    def action_cancel(self):
        approved = self.filtered(lambda statement: statement.state == "approved")
        result = super().action_cancel()
        approved.sudo()._reverse_accruals()
        return result

    def action_view_account_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_journal_line"
        )
        action.update(
            {
                "domain": [("sales_performance_statement_id", "=", self.id)],
                "context": {"create": False, "search_default_posted": 0},
                "display_name": self.env._(
                    "Journal Entries of %(name)s", name=self.name
                ),
            }
        )
        moves = self.account_move_ids
        if len(moves) == 1:
            action.update(
                {
                    "view_mode": "form",
                    "views": [(False, "form")],
                    "res_id": moves.id,
                }
            )
        return action

    # ------------------------------------------------------------------
    # Entries
    # ------------------------------------------------------------------
    def _accrual_partner(self):
        """The salesperson's work contact: the work contact of their employee
        in the plan's company, else their own partner."""
        self.ensure_one()
        user = self.user_id.sudo()
        employee = user.employee_ids.filtered(
            lambda emp: emp.company_id == self.company_id and emp.work_contact_id
        )[:1]
        return employee.work_contact_id or user.partner_id

    def _entry_vals(
        self,
        entry_type,
        journal,
        day,
        debit_account,
        credit_account,
        amount,
        balance,
        label,
        line=None,
    ):
        """A journal entry of the statement: ``amount`` (plan currency) and
        ``balance`` (company currency) debited on ``debit_account`` and
        credited on ``credit_account``; negative values swap the sides."""
        self.ensure_one()
        partner = self._accrual_partner()
        common = {
            "name": label,
            "partner_id": partner.id,
            "currency_id": self.currency_id.id,
        }
        return {
            "move_type": "entry",
            "journal_id": journal.id,
            "company_id": self.company_id.id,
            "date": accounting_date(self.company_id, journal, day),
            "ref": self.name,
            "partner_id": partner.id,
            "currency_id": self.currency_id.id,
            "sales_performance_statement_id": self.id,
            "sales_performance_statement_line_id": line.id if line else False,
            "sales_performance_entry_type": entry_type,
            "line_ids": [
                Command.create(
                    {
                        **common,
                        "account_id": debit_account.id,
                        "amount_currency": amount,
                        "balance": balance,
                    }
                ),
                Command.create(
                    {
                        **common,
                        "account_id": credit_account.id,
                        "amount_currency": -amount,
                        "balance": -balance,
                    }
                ),
            ],
        }

    def _accrual_parts(self):
        """[(amount, line)]: what the statement's own entry accrues (line
        ``None``: rule, release and other computed lines), then each clawback
        and adjustment line; zero amounts left out."""
        self.ensure_one()
        currency = self.currency_id
        separate = self.line_ids.filtered(
            lambda line: line.line_type in SEPARATE_LINE_TYPES
        ).sorted(lambda line: (line.sequence, line.id))
        own = currency.round(self.amount_total - sum(separate.mapped("amount")))
        parts = [(own, None)] + [(line.amount, line) for line in separate]
        return [
            (amount, line) for amount, line in parts if not currency.is_zero(amount)
        ]

    def _post_accruals(self):
        """One entry per statement (and per clawback or adjustment line),
        created in one batch and posted together."""
        statements = self.filtered(
            lambda statement: statement.plan_id._accrues()
            and not statement.accrual_move_id
        )
        if not statements:
            return
        vals_list = []
        rates = {}  # one rate per currency, company and period end
        for statement in statements:
            plan = statement.plan_id
            company = statement.company_id
            key = (statement.currency_id, company, statement.date_to)
            if key not in rates:
                rates[key] = statement.currency_id._get_conversion_rate(
                    statement.currency_id, company.currency_id, company, key[2]
                )
            for amount, line in statement._accrual_parts():
                balance = company.currency_id.round(amount * rates[key])
                label = (
                    line.name
                    if line
                    else statement.env._(
                        "Incentive accrual: %(name)s", name=statement.name
                    )
                )
                vals_list.append(
                    statement._entry_vals(
                        "accrual",
                        plan.accrual_journal_id,
                        statement.date_to,
                        plan.expense_account_id,
                        plan.liability_account_id,
                        amount,
                        balance,
                        label,
                        line,
                    )
                )
        if not vals_list:
            return
        moves = self.env["account.move"].sudo().create(vals_list)
        moves.action_post()
        by_statement = moves.grouped("sales_performance_statement_id")
        for statement, entries in by_statement.items():
            # the statement's own entry first (created in that order)
            statement.accrual_move_id = entries[0]
            statement.message_post(
                body=self.env._(
                    "Accrued in Accounting: %(entries)s (%(amount)s %(currency)s).",
                    entries=", ".join(entries.mapped("name")),
                    amount=statement.amount_total,
                    currency=statement.currency_id.name,
                ),
            )

    def _liability_lines(self):
        """The posted lines of these statements' entries on their plans'
        liability accounts, grouped by statement."""
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search_fetch(
                Domain("move_id.sales_performance_statement_id", "in", self.ids)
                & Domain("parent_state", "=", "posted"),
                ["account_id", "balance", "amount_currency", "move_id", "reconciled"],
            )
        )
        return lines.grouped(lambda line: line.move_id.sales_performance_statement_id)

    def _post_settlements(self):
        """Clear what the statements' entries left on the liability account:
        one settlement entry each, created in one batch and posted together."""
        statements = self.filtered(
            lambda statement: statement.plan_id._accrues()
            and not statement.payment_move_id
        )
        if not statements:
            return
        by_statement = statements._liability_lines()
        vals_list, owners = [], []
        for statement in statements:
            plan = statement.plan_id
            lines = by_statement.get(statement, self.env["account.move.line"]).filtered(
                lambda line, p=plan: line.account_id == p.liability_account_id
            )
            company_currency = statement.company_id.currency_id
            # the accrual credited the liability (negative balance)
            balance = company_currency.round(-sum(lines.mapped("balance")))
            amount = statement.currency_id.round(-sum(lines.mapped("amount_currency")))
            if company_currency.is_zero(balance) and statement.currency_id.is_zero(
                amount
            ):
                continue
            label = (
                statement.env._(
                    "Incentive payment: %(name)s (%(ref)s)",
                    name=statement.name,
                    ref=statement.payment_ref,
                )
                if statement.payment_ref
                else statement.env._("Incentive payment: %(name)s", name=statement.name)
            )
            vals_list.append(
                statement._entry_vals(
                    "settlement",
                    plan._settlement_journal(),
                    statement.payment_date or fields.Date.context_today(statement),
                    plan.liability_account_id,
                    plan._settlement_account(),
                    amount,
                    balance,
                    label,
                )
            )
            owners.append((statement, lines))
        if not vals_list:
            return
        moves = self.env["account.move"].sudo().create(vals_list)
        moves.action_post()
        for (statement, lines), move in zip(owners, moves, strict=True):
            statement.payment_move_id = move
            account = statement.plan_id.liability_account_id
            if account.reconcile:
                to_reconcile = (lines | move.line_ids).filtered(
                    lambda line, a=account: line.account_id == a and not line.reconciled
                )
                to_reconcile.reconcile()
            statement.message_post(
                body=self.env._(
                    "Settlement posted in Accounting: %(entry)s.", entry=move.name
                ),
            )

    def _reverse_accruals(self):
        """Cancelled statements: reverse their posted accrual entries (on the
        entry's date, or the first open day after a lock date)."""
        moves = self.account_move_ids.filtered(
            lambda move: move.state == "posted"
            and move.sales_performance_entry_type == "accrual"
            and not move.reversed_entry_id
            and not move.reversal_move_ids
        )
        if not moves:
            return
        reversals = moves._reverse_moves(
            [
                {
                    "date": accounting_date(
                        move.company_id, move.journal_id, move.date
                    ),
                    "ref": self.env._(
                        "Reversal of %(ref)s: statement cancelled", ref=move.ref
                    ),
                }
                for move in moves
            ],
            cancel=True,
        )
        for statement, reversed_here in reversals.grouped(
            "sales_performance_statement_id"
        ).items():
            if reversed_here:
                statement.message_post(
                    body=self.env._(
                        "Accrual reversed in Accounting: %(entries)s.",
                        entries=", ".join(reversed_here.mapped("name")),
                    ),
                )
