from odoo import fields, models


class SalesPerformanceEvaluationReopen(models.TransientModel):
    _name = "sales.performance.evaluation.reopen"
    _description = "Reopen Evaluations"

    evaluation_ids = fields.Many2many(
        "sales.performance.evaluation",
        "sales_performance_evaluation_reopen_rel",
        "wizard_id",
        "evaluation_id",
        string="Evaluations",
    )
    reason = fields.Text(required=True)

    def action_reopen(self):
        self.ensure_one()
        self.evaluation_ids.action_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
