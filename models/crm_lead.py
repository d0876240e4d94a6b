from odoo import api, fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "sales.performance.credit.split.mixin"]

    # The cockpit lists the deals whose expected closing moved out of the
    # period: it needs the history of this field, which Odoo does not track.
    date_deadline = fields.Date(tracking=True)

    @api.model_create_multi
    def create(self, vals_list):
        return self.env["sales.performance.recompute.queue"]._mark_created(
            super().create(vals_list)
        )

    # ------------------------------------------------------------------
    # Freshness: mark the groups whose figures may move
    # ------------------------------------------------------------------
    def write(self, vals):
        return self.env["sales.performance.recompute.queue"]._write_and_mark(
            self, vals, super().write
        )

    def unlink(self):
        return self.env["sales.performance.recompute.queue"]._unlink_and_mark(
            self, super().unlink
        )
