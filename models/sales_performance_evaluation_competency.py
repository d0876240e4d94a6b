from odoo import fields, models


class SalesPerformanceEvaluationCompetency(models.Model):
    _name = "sales.performance.evaluation.competency"
    _description = "Evaluation Competency"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
