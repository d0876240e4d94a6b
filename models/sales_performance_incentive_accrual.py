from odoo import fields, models


class SalesPerformanceIncentiveLiability(models.Model):
    _name = "sales.performance.incentive.liability"
    _description = "Incentive Liability"

    plan_id = fields.Many2one("sales.performance.incentive.plan")
