from odoo import fields, models


class SalesPerformanceIncentiveHold(models.Model):
    """What a commission payable on collection earned on one invoice, and
    what its statement paid of it; later statements release the rest as the
    customer pays, or forfeit it (release and forfeit lines reference the
    hold). Written by the statement computation only."""

    _name = "sales.performance.incentive.hold"
    _description = "Incentive Held on an Invoice"
    _order = "statement_id, invoice_id, id"
    _check_company_auto = True

    line_id = fields.Many2one(
        "sales.performance.incentive.statement.line",
        string="Commission Line",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    statement_id = fields.Many2one(
        related="line_id.statement_id", store=True, index=True, string="Statement"
    )
    user_id = fields.Many2one(related="line_id.user_id", store=True, index=True)
    plan_id = fields.Many2one(
        related="line_id.statement_id.plan_id", store=True, index=True
    )
    company_id = fields.Many2one(related="line_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="line_id.currency_id")
    invoice_id = fields.Many2one(
        "account.move", required=True, index=True, ondelete="restrict", readonly=True
    )
    date_due = fields.Date(string="Due Date", readonly=True)
    earned = fields.Monetary(readonly=True)
    payable = fields.Monetary(
        string="Paid with the Statement",
        readonly=True,
        help="What the commission line paid of it (the collected share then).",
    )
