from odoo import fields, models


class SalesPerformanceIncentiveFairness(models.Model):
    _name = "sales.performance.incentive.fairness"
    _description = "Incentive Fairness"

    plan_id = fields.Many2one("sales.performance.incentive.plan")
