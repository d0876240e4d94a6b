from odoo import fields, models


def _segment_field():
    """The customer's ABC segment on a document of that customer. Not
    stored: read from the commercial partner at search and group-by time (a
    related field Odoo turns into a join), so a weekly recompute never
    rewrites opportunities or orders."""
    return fields.Selection(
        string="Customer Segment",
        related="partner_id.commercial_partner_id.sales_performance_segment",
        help="ABC segment of the customer by invoiced revenue over the trailing "
        "12 months.",
    )


# Opportunities and orders take the segment here rather than in crm_lead.py
# and sale_order.py, which other work was changing when segments came in.
class CrmLead(models.Model):
    _inherit = "crm.lead"

    sales_performance_segment = _segment_field()


class SaleOrder(models.Model):
    _inherit = "sale.order"

    sales_performance_segment = _segment_field()
