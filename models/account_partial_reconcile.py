from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        self.env["sales.performance.collection"]._record_partials(partials)
        return partials

    def unlink(self):
        self.env["sales.performance.collection"]._record_undone(self)
        return super().unlink()
