from odoo import api, fields, models


class SalesPerformanceEvaluationCalibrate(models.TransientModel):
    _name = "sales.performance.evaluation.calibrate"
    _description = "Calibrate an Evaluation"

    evaluation_id = fields.Many2one(
        "sales.performance.evaluation", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="evaluation_id.company_id")
    current_rating_id = fields.Many2one(
        "sales.performance.evaluation.rating",
        compute="_compute_current_rating_id",
    )
    rating_id = fields.Many2one(
        "sales.performance.evaluation.rating",
        string="New Rating",
        required=True,
        domain="['|', ('company_id', '=', company_id), ('company_id', '=', False)]",
    )
    reason = fields.Text(required=True)

    @api.depends("evaluation_id")
    def _compute_current_rating_id(self):
        for wizard in self:
            wizard.current_rating_id = wizard.evaluation_id.sudo().rating_id

    def action_calibrate(self):
        self.ensure_one()
        self.evaluation_id.action_calibrate(self.rating_id.id, self.reason)
        return {"type": "ir.actions.act_window_close"}
