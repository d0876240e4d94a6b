from odoo import api, models


class SalesPerformanceFreshnessMixin(models.AbstractModel):
    """The documents metrics count: their creation, the writes that can move a
    figure and their deletion mark the groups to recompute (see
    ``sales.performance.recompute.queue``)."""

    _name = "sales.performance.freshness.mixin"
    _description = "Sales Performance: marks figures to recompute"

    @api.model_create_multi
    def create(self, vals_list):
        return self.env["sales.performance.recompute.queue"]._mark_created(
            super().create(vals_list)
        )

    def write(self, vals):
        return self.env["sales.performance.recompute.queue"]._write_and_mark(
            self, vals, super().write
        )

    def unlink(self):
        return self.env["sales.performance.recompute.queue"]._unlink_and_mark(
            self, super().unlink
        )
