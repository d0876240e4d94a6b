import json

from odoo import api, fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    sales_performance_user_id = fields.Many2one(
        "res.users",
        string="Credited Salesperson",
        index="btree_not_null",
        help="Customer satisfaction: the salesperson of the order the answer is about.",
    )
    sales_performance_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        ondelete="set null",
    )
    sales_performance_evaluation_id = fields.Many2one(
        "sales.performance.evaluation",
        string="Evaluation (360° feedback)",
        index="btree_not_null",
        ondelete="cascade",
    )
    sales_performance_credit_share = fields.Float(
        string="Credited Share (%)",
        compute="_compute_sales_performance_credit_share",
        digits=(16, 2),
        help="The share of this answer credited to the target's assignee (the "
        "credit split of its order).",
    )

    @api.depends_context("sales_performance_shares")
    def _compute_sales_performance_credit_share(self):
        shares = json.loads(self.env.context.get("sales_performance_shares") or "{}")
        for answer in self:
            answer.sales_performance_credit_share = shares.get(str(answer.id), 0.0)
