from odoo import fields, models


class SalesPerformanceIncentiveDispute(models.Model):
    _name = "sales.performance.incentive.dispute"
    _description = "Incentive Statement Dispute"

    statement_id = fields.Many2one(
        "sales.performance.incentive.statement", required=True, ondelete="cascade"
    )
