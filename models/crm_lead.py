from odoo import fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = [
        "crm.lead",
        "sales.performance.credit.split.mixin",
        "sales.performance.freshness.mixin",
    ]

    # The cockpit lists the deals whose expected closing moved out of the
    # period: it needs the history of this field, which Odoo does not track.
    date_deadline = fields.Date(tracking=True)
