from odoo import models

from ..engine import training


class SalesPerformanceEvaluation(models.Model):
    _inherit = "sales.performance.evaluation"

    def action_done(self):
        result = super().action_done()
        self._create_training_needs()
        return result

    def _create_training_needs(self):
        """Training needs of done evaluations: a competency rated at or below
        the rating threshold, a KPI attainment below the attainment threshold,
        each proposing the active courses that develop it. Idempotent."""
        Need = self.env["sales.performance.training.need"].sudo()
        rating_threshold, attainment_threshold = Need._thresholds()
        Course = self.env["sales.performance.training.course"].sudo()
        existing = set(
            Need.search([("evaluation_id", "in", self.ids)]).evaluation_line_id.ids
        )
        vals_list = []
        for evaluation in self.sudo().filtered(lambda e: e.state == "done"):
            for line in evaluation.line_ids:
                if line.id in existing:
                    continue
                if line.kind == "competency" and line.competency_id:
                    if not training.competency_need(
                        line.manager_rating, rating_threshold
                    ):
                        continue
                    value = line.manager_rating
                    courses = Course.search(
                        [
                            ("competency_ids", "in", line.competency_id.ids),
                            ("company_id", "in", [evaluation.company_id.id, False]),
                        ]
                    )
                elif line.kind == "kpi" and line.metric_id and line.has_target:
                    if not training.kpi_need(line.attainment, attainment_threshold):
                        continue
                    value = line.attainment
                    courses = Course.search(
                        [
                            ("metric_ids", "in", line.metric_id.ids),
                            ("company_id", "in", [evaluation.company_id.id, False]),
                        ]
                    )
                else:
                    continue
                vals_list.append(
                    {
                        "employee_id": evaluation.employee_id.id,
                        "evaluation_id": evaluation.id,
                        "evaluation_line_id": line.id,
                        "kind": line.kind,
                        "competency_id": line.competency_id.id,
                        "metric_id": line.metric_id.id,
                        "value": value,
                        "proposed_course_ids": [(6, 0, courses.ids)],
                        "course_id": courses[:1].id,
                    }
                )
        return Need.create(vals_list)
