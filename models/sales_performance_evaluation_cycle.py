from odoo import fields, models


class SalesPerformanceEvaluationCycle(models.Model):
    _name = "sales.performance.evaluation.cycle"
    _description = "Evaluation Cycle"

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date()
    date_to = fields.Date()
    template_id = fields.Many2one("sales.performance.evaluation.template")
    employee_ids = fields.Many2many("hr.employee")
    deadline_self = fields.Date()
    deadline_manager = fields.Date()
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("calibration", "Calibration"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
    )
    evaluation_ids = fields.One2many("sales.performance.evaluation", "cycle_id")


class SalesPerformanceEvaluation(models.Model):
    _inherit = "sales.performance.evaluation"

    cycle_id = fields.Many2one(
        "sales.performance.evaluation.cycle",
        string="Evaluation Cycle",
        index="btree_not_null",
        ondelete="restrict",
    )
