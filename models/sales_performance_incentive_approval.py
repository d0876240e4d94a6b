from odoo import fields, models


class SalesPerformanceIncentiveApprovalLevel(models.Model):
    _name = "sales.performance.incentive.approval.level"
    _description = "Incentive Approval Level"

    plan_id = fields.Many2one(
        "sales.performance.incentive.plan", required=True, ondelete="cascade"
    )


class SalesPerformanceIncentiveApproval(models.Model):
    _name = "sales.performance.incentive.approval"
    _description = "Incentive Statement Approval Step"

    statement_id = fields.Many2one(
        "sales.performance.incentive.statement", required=True, ondelete="cascade"
    )
