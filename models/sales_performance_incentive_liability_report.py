from odoo import fields, models


class SalesPerformanceIncentiveLiabilityReport(models.Model):
    _name = "sales.performance.incentive.liability.report"
    _description = "Incentive Liability"

    plan_id = fields.Many2one("sales.performance.incentive.plan")
