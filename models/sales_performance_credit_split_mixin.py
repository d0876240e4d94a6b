import json

from odoo import Command, api, fields, models

from .sales_performance_credit_split import SPLIT_MODELS


class SalesPerformanceCreditSplitMixin(models.AbstractModel):
    """Documents whose credit can be split between salespeople
    (opportunities, sales orders, customer invoices)."""

    _name = "sales.performance.credit.split.mixin"
    _description = "Document with a Credit Split"

    sales_performance_split_ids = fields.One2many(
        "sales.performance.credit.split",
        "res_id",
        string="Credit Split",
        domain=lambda self: [("res_model", "=", self._name)],
        copy=False,
        help="Who is credited with this document, and for how much. Without "
        "lines, 100% goes to the salesperson.",
    )
    sales_performance_split_count = fields.Integer(
        string="Credit Split Lines", compute="_compute_sales_performance_split_count"
    )

    sales_performance_credit_share = fields.Float(
        string="Credited Share (%)",
        compute="_compute_sales_performance_credit_share",
        digits=(16, 2),
        help="The share of this document credited to the target's assignee.",
    )

    @api.depends_context("sales_performance_shares")
    def _compute_sales_performance_credit_share(self):
        shares = json.loads(self.env.context.get("sales_performance_shares") or "{}")
        for record in self:
            record.sales_performance_credit_share = shares.get(str(record.id), 0.0)

    @api.depends("sales_performance_split_ids")
    def _compute_sales_performance_split_count(self):
        for record in self:
            record.sales_performance_split_count = len(
                record.sales_performance_split_ids
            )

    def _sales_performance_split_commands(self, commands):
        """The split commands with the document type set on new lines."""
        result = []
        for command in commands or ():
            if (
                isinstance(command, (list, tuple))
                and command
                and command[0] == Command.CREATE
            ):
                values = dict(command[2] or {}, res_model=self._name)
                result.append((Command.CREATE, command[1], values))
            else:
                result.append(command)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        has_split = any("sales_performance_split_ids" in vals for vals in vals_list)
        for vals in vals_list:
            if "sales_performance_split_ids" in vals:
                vals["sales_performance_split_ids"] = (
                    self._sales_performance_split_commands(
                        vals["sales_performance_split_ids"]
                    )
                )
        if not has_split:
            return super().create(vals_list)
        records = super(
            SalesPerformanceCreditSplitMixin,
            self.with_context(sales_performance_split_deferred=True),
        ).create(vals_list)
        self.env["sales.performance.credit.split"]._check_documents(
            {self._name: set(records.ids)}
        )
        return records.with_env(self.env)

    def write(self, vals):
        if "sales_performance_split_ids" not in vals:
            res = super().write(vals)
            user_field = SPLIT_MODELS.get(self._name)
            if user_field in vals:
                # the record rules follow the document's salesperson
                self.sudo().sales_performance_split_ids._compute_document_user_id()
            return res
        vals = dict(
            vals,
            sales_performance_split_ids=self._sales_performance_split_commands(
                vals["sales_performance_split_ids"]
            ),
        )
        res = super(
            SalesPerformanceCreditSplitMixin,
            self.with_context(sales_performance_split_deferred=True),
        ).write(vals)
        self.env["sales.performance.credit.split"]._check_documents(
            {self._name: set(self.ids)}
        )
        return res
