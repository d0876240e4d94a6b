from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_performance_max_growth = fields.Float(
        related="company_id.sales_performance_max_growth", readonly=False
    )
    sales_performance_at_risk_ratio = fields.Float(
        related="company_id.sales_performance_at_risk_ratio", readonly=False
    )
