from odoo import api, models


class SalesPerformanceTarget(models.Model):
    _inherit = "sales.performance.target"

    @api.depends(
        "target_value",
        "metric_id.computation",
        "child_ids.target_value",
        "child_ids.parent_id",
    )
    def _compute_rollup(self):
        """Sub-targets of an average metric (customer satisfaction) are
        averages too: they are compared by their average, never summed (a
        team target of 85 % is consistent with members' targets of 80 and
        90 %)."""
        averages = self.filtered(lambda t: t.metric_id.computation == "average")
        for target in averages:
            values = target.child_ids.mapped("target_value")
            mean = sum(values) / len(values) if values else 0.0
            target.children_total = mean
            target.rollup_gap = target.target_value - mean if values else 0.0
            target.rollup_mismatch = bool(values) and not target.currency_id.is_zero(
                target.rollup_gap
            )
        return super(SalesPerformanceTarget, self - averages)._compute_rollup()
