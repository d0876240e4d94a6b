from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sales_performance_max_growth = fields.Float(
        related="company_id.sales_performance_max_growth", readonly=False
    )
    sales_performance_at_risk_ratio = fields.Float(
        related="company_id.sales_performance_at_risk_ratio", readonly=False
    )
    sales_performance_stale_days = fields.Integer(
        related="company_id.sales_performance_stale_days", readonly=False
    )
    # Customer satisfaction and 360° feedback
    sales_performance_csat_survey_id = fields.Many2one(
        related="company_id.sales_performance_csat_survey_id", readonly=False
    )
    sales_performance_csat_delay_days = fields.Integer(
        related="company_id.sales_performance_csat_delay_days", readonly=False
    )
    sales_performance_feedback_min_answers = fields.Integer(
        related="company_id.sales_performance_feedback_min_answers", readonly=False
    )
    # Training: thresholds of training needs and the certificate expiry
    # warning, kept in system parameters (one value for all companies)
    sales_performance_training_rating_threshold = fields.Float(
        string="Competency rating needing training",
        config_parameter="sales_performance.training_rating_threshold",
        default=2.0,
        help="A done evaluation proposes a training need for each competency rated "
        "at or below this rating.",
    )
    sales_performance_training_attainment_threshold = fields.Float(
        string="KPI attainment needing training",
        config_parameter="sales_performance.training_attainment_threshold",
        default=80.0,
        help="A done evaluation proposes a training need for each KPI whose "
        "attainment is below this percentage.",
    )
    sales_performance_training_expiry_warning_days = fields.Integer(
        string="Certificate expiry warning",
        config_parameter="sales_performance.training_expiry_warning_days",
        default=30,
        help="Certificates expiring within this many days are shown as expiring "
        "and get a renewal activity.",
    )

    @api.constrains(
        "sales_performance_training_rating_threshold",
        "sales_performance_training_attainment_threshold",
        "sales_performance_training_expiry_warning_days",
    )
    def _check_training_thresholds(self):
        for settings in self:
            rating = settings.sales_performance_training_rating_threshold
            attainment = settings.sales_performance_training_attainment_threshold
            days = settings.sales_performance_training_expiry_warning_days
            if rating < 0:
                raise ValidationError(
                    self.env._("The competency rating threshold cannot be negative.")
                )
            if attainment < 0:
                raise ValidationError(
                    self.env._("The KPI attainment threshold cannot be negative.")
                )
            if days < 0:
                raise ValidationError(
                    self.env._("The expiry warning cannot be negative.")
                )
