from odoo import models


class SalesPerformanceTargetAllocate(models.TransientModel):
    _inherit = "sales.performance.target.allocate"

    def _allocation(self):
        """A target on an average metric (customer satisfaction) is not split
        into shares: every recipient gets the parent's average."""
        lines = super()._allocation()
        parent = self.parent_id
        if parent.metric_id.computation == "average":
            for line in lines:
                line["target_value"] = parent.target_value
        return lines
