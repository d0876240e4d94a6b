from odoo import models


class SalesPerformanceCockpit(models.AbstractModel):
    _name = "sales.performance.cockpit"
    _description = "Sales Performance Cockpit"
