from odoo import fields, models, tools
from odoo.tools import SQL


class SalesPerformanceEvaluationReport(models.Model):
    """Calibration: each evaluator's average final score against the
    company's, per evaluation cycle (evaluations outside any cycle together)."""

    _name = "sales.performance.evaluation.report"
    _description = "Evaluation Calibration by Manager"
    _auto = False
    _order = "difference desc"

    evaluator_id = fields.Many2one("res.users", string="Manager", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    cycle_id = fields.Many2one(
        "sales.performance.evaluation.cycle", string="Evaluation Cycle", readonly=True
    )
    evaluation_count = fields.Integer(string="Evaluations", readonly=True)
    average_score = fields.Float(
        string="Manager Average", readonly=True, aggregator="avg"
    )
    company_average = fields.Float(readonly=True, aggregator="avg")
    difference = fields.Float(
        readonly=True,
        aggregator="avg",
        help=(
            "Manager average minus company average: positive is lenient, negative is "
            "harsh."
        ),
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT m.id, m.evaluator_id, m.company_id, m.cycle_id,
                           m.evaluation_count, m.average_score, c.company_average,
                           m.average_score - c.company_average AS difference
                      FROM (
                            SELECT MIN(e.id) AS id, e.evaluator_id, e.company_id,
                                   e.cycle_id,
                                   COUNT(*) AS evaluation_count,
                                   AVG(e.final_score) AS average_score
                              FROM sales_performance_evaluation e
                             WHERE e.state = 'done' AND e.evaluator_id IS NOT NULL
                          GROUP BY e.evaluator_id, e.company_id, e.cycle_id
                           ) m
                      JOIN (
                            SELECT e.company_id, e.cycle_id,
                                   AVG(e.final_score) AS company_average
                              FROM sales_performance_evaluation e
                             WHERE e.state = 'done'
                          GROUP BY e.company_id, e.cycle_id
                           ) c ON c.company_id = m.company_id
                              AND c.cycle_id IS NOT DISTINCT FROM m.cycle_id
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
