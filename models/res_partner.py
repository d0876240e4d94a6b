from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    sales_performance_segment = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")],
        string="Customer Segment",
        index=True,
        copy=False,
    )
