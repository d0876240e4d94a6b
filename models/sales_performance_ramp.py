"""Ramp schedules for new hires (issue #16): placeholder, filled by its feature."""

from odoo import fields, models


class SalesPerformanceRamp(models.Model):
    _name = "sales.performance.ramp"
    _description = "Sales Performance Ramp Schedule"

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
