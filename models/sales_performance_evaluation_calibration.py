from odoo import fields, models


class SalesPerformanceEvaluationCalibration(models.Model):
    _name = "sales.performance.evaluation.calibration"
    _description = "Evaluation Calibration Log"

    evaluation_id = fields.Many2one(
        "sales.performance.evaluation", required=True, ondelete="cascade"
    )
