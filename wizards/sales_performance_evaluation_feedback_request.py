from odoo import api, fields, models


class SalesPerformanceEvaluationFeedbackRequest(models.TransientModel):
    _name = "sales.performance.evaluation.feedback.request"
    _description = "Request 360° Feedback"

    evaluation_id = fields.Many2one(
        "sales.performance.evaluation", required=True, ondelete="cascade"
    )
    employee_user_id = fields.Many2one(related="evaluation_id.employee_user_id")
    company_id = fields.Many2one(related="evaluation_id.company_id")
    feedback_survey_id = fields.Many2one(
        "survey.survey",
        compute="_compute_feedback_survey_id",
        compute_sudo=True,
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Colleagues",
        domain="[('share', '=', False), ('id', '!=', employee_user_id), "
        "('company_ids', 'in', company_id)]",
        help="Each colleague gets a personal invitation by e-mail; the employee "
        "never sees who answered what.",
    )

    @api.depends("evaluation_id")
    def _compute_feedback_survey_id(self):
        for wizard in self:
            wizard.feedback_survey_id = wizard.evaluation_id.sudo().feedback_survey_id

    def action_request(self):
        self.ensure_one()
        self.evaluation_id.action_request_feedback(self.user_ids)
        return {"type": "ir.actions.act_window_close"}
