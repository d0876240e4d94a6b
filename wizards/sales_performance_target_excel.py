"""Excel export and import of targets (issue #16): placeholder, filled by its feature."""

from odoo import fields, models


class SalesPerformanceTargetExport(models.TransientModel):
    _name = "sales.performance.target.export"
    _description = "Export Targets to Excel"

    year = fields.Integer()


class SalesPerformanceTargetImport(models.TransientModel):
    _name = "sales.performance.target.import"
    _description = "Import Targets from Excel"

    file = fields.Binary()
