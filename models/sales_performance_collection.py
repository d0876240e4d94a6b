import json

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import float_is_zero

COLLECTED_KINDS = [("collected", "Collected"), ("undone", "Undone")]


class SalesPerformanceCollection(models.Model):
    """Money received from customers against posted customer invoices (回款),
    one row per reconciliation with a payment or a bank statement line, and a
    negative row when that reconciliation is undone (in the period it is
    undone: what was collected in a closed period stays there)."""

    _name = "sales.performance.collection"
    _description = "Customer Collection"
    _order = "date desc, id desc"
    _check_company_auto = True

    invoice_id = fields.Many2one(
        "account.move", required=True, index=True, ondelete="cascade", readonly=True
    )
    partial_id = fields.Many2one(
        "account.partial.reconcile",
        string="Reconciliation",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    user_id = fields.Many2one(
        related="invoice_id.invoice_user_id",
        store=True,
        index=True,
        string="Salesperson",
    )
    team_id = fields.Many2one(related="invoice_id.team_id", store=True, index=True)
    company_id = fields.Many2one(
        related="invoice_id.company_id", store=True, index=True
    )
    partner_id = fields.Many2one(
        related="invoice_id.commercial_partner_id", store=True, string="Customer"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, index=True, readonly=True)
    kind = fields.Selection(COLLECTED_KINDS, required=True, readonly=True)
    amount = fields.Monetary(
        readonly=True, help="In company currency; negative when a collection is undone."
    )
    amount_untaxed = fields.Monetary(
        string="Untaxed Amount",
        readonly=True,
        help="The amount × the invoice's untaxed amount ÷ its total.",
    )

    sales_performance_credit_share = fields.Float(
        string="Credited Share (%)",
        compute="_compute_sales_performance_credit_share",
        digits=(16, 2),
        help="The share of this collection credited to the target's assignee.",
    )

    @api.depends_context("sales_performance_shares")
    def _compute_sales_performance_credit_share(self):
        shares = json.loads(self.env.context.get("sales_performance_shares") or "{}")
        for record in self:
            record.sales_performance_credit_share = shares.get(str(record.id), 0.0)

    @api.model
    def _is_invoice_line(self, line):
        move = line.move_id
        return move.move_type == "out_invoice" and move.state == "posted"

    @api.model
    def _is_money_line(self, line):
        """A payment's or a bank statement line's journal item (a credit note
        reconciled with an invoice brings no money)."""
        move = line.move_id
        return bool(move.origin_payment_id or move.statement_line_id)

    @api.model
    def _record_partials(self, partials):
        """Collection rows for the reconciliations ``partials`` that match a
        customer invoice with money (one create for all)."""
        known = set(
            self.sudo().search([("partial_id", "in", partials.ids)]).partial_id.ids
        )
        vals_list = []
        for partial in partials:
            if partial.id in known:
                continue
            sides = (partial.debit_move_id, partial.credit_move_id)
            invoice_line = next((s for s in sides if self._is_invoice_line(s)), None)
            if not invoice_line:
                continue
            other = partial.credit_move_id if invoice_line == sides[0] else sides[0]
            if not self._is_money_line(other):
                continue
            invoice = invoice_line.move_id
            company_currency = invoice.company_id.currency_id
            amount = partial.amount
            if float_is_zero(amount, precision_rounding=company_currency.rounding):
                continue
            total = invoice.amount_total_signed
            untaxed = (
                amount * invoice.amount_untaxed_signed / total if total else amount
            )
            vals_list.append(
                {
                    "invoice_id": invoice.id,
                    "partial_id": partial.id,
                    "date": partial.max_date,
                    "kind": "collected",
                    "amount": company_currency.round(amount),
                    "amount_untaxed": company_currency.round(untaxed),
                }
            )
        return self.sudo().create(vals_list)

    @api.model
    def _record_undone(self, partials):
        """Negative rows, dated today, for the collections of ``partials``
        (reconciliations being removed)."""
        collected = self.sudo().search(
            [("partial_id", "in", partials.ids), ("kind", "=", "collected")]
        )
        today = fields.Date.context_today(self)
        return self.sudo().create(
            [
                {
                    "invoice_id": row.invoice_id.id,
                    "date": max(today, row.date),
                    "kind": "undone",
                    "amount": -row.amount,
                    "amount_untaxed": -row.amount_untaxed,
                }
                for row in collected
            ]
        )

    @api.model
    def _init_from_reconciliations(self):
        """Install and upgrade: the reconciliations made before the addon."""
        Partial = self.env["account.partial.reconcile"].sudo()
        invoice_lines = Domain(
            "debit_move_id.move_id.move_type", "=", "out_invoice"
        ) | (Domain("credit_move_id.move_id.move_type", "=", "out_invoice"))
        self._record_partials(Partial.search(invoice_lines))
