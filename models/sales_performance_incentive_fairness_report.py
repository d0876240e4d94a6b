from odoo import fields, models


class SalesPerformanceIncentiveFairnessReport(models.Model):
    _name = "sales.performance.incentive.fairness.report"
    _description = "Incentive Fairness"

    plan_id = fields.Many2one("sales.performance.incentive.plan")
