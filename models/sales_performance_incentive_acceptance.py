from odoo import fields, models


class SalesPerformanceIncentiveAcceptance(models.Model):
    _name = "sales.performance.incentive.acceptance"
    _description = "Incentive Plan Acceptance"

    version_id = fields.Many2one(
        "sales.performance.incentive.plan.version", required=True, ondelete="cascade"
    )
    user_id = fields.Many2one("res.users", required=True)
