from odoo import fields, models


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
