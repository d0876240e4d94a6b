from odoo import fields, models


class SalesPerformanceIncentiveBudget(models.Model):
    _name = "sales.performance.incentive.budget"
    _description = "Incentive Plan Budget"

    plan_id = fields.Many2one(
        "sales.performance.incentive.plan", required=True, ondelete="cascade"
    )
