"""Propose My Targets wizard (issue #16): placeholder, filled by its feature."""

from odoo import fields, models


class SalesPerformanceTargetPropose(models.TransientModel):
    _name = "sales.performance.target.propose"
    _description = "Propose My Targets"

    date_from = fields.Date()
