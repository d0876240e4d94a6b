from odoo import api, fields, models

from ..engine import scoring


class SalesPerformanceEvaluationRating(models.Model):
    _name = "sales.performance.evaluation.rating"
    _description = "Evaluation Rating Band"
    _order = "min_score desc, id"

    name = fields.Char(required=True, translate=True)
    min_score = fields.Float(
        string="Minimum Score",
        required=True,
        digits=(16, 2),
        help=(
            "A final score at or above this minimum (and below the next band) gets "
            "this rating."
        ),
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to use the band in every company."
    )

    _min_score_positive = models.Constraint(
        "CHECK (min_score >= 0)",
        "The minimum score of a rating band cannot be negative.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        bands = super().create(vals_list)
        bands._recompute_open_evaluations()
        return bands

    def write(self, vals):
        result = super().write(vals)
        if {"min_score", "active", "company_id"} & set(vals):
            self._recompute_open_evaluations()
        return result

    def unlink(self):
        result = super().unlink()
        self.browse()._recompute_open_evaluations()
        return result

    def _recompute_open_evaluations(self):
        """Open evaluations follow edited bands; done ones keep the rating they got."""
        evaluations = (
            self.env["sales.performance.evaluation"]
            .sudo()
            .search([("state", "not in", ("done", "cancel"))])
        )
        self.env.add_to_compute(evaluations._fields["rating_id"], evaluations)

    @api.model
    def _band_for(self, score, company):
        """The band of ``score``: the company's own bands when it has some, else the
        shared ones."""
        bands = (
            self.search([("company_id", "=", company.id)]) if company else self.browse()
        )
        if not bands:
            bands = self.search([("company_id", "=", False)])
        band_id = scoring.rating_band(
            score, [(band.min_score, band.id) for band in bands]
        )
        return self.browse(band_id)
