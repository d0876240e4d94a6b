from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from ..engine import pacing, scoring

# Line fields the evaluated employee may write while it is their step.
EMPLOYEE_LINE_FIELDS = {"self_assessment": {"self_rating", "self_comment"}}
# Line fields hidden from the employee until the manager has submitted.
MANAGER_PRIVATE_LINE_FIELDS = (
    "manager_rating",
    "manager_comment",
    "score",
    "adjusted_score",
    "adjustment_reason",
    "is_adjusted",
)
# Fields that only change while the evaluation is a draft (the structure).
STRUCTURE_FIELDS = {
    "kind",
    "weight",
    "metric_id",
    "competency_id",
    "score_cap",
    "evaluation_id",
}


class SalesPerformanceEvaluationLine(models.Model):
    _name = "sales.performance.evaluation.line"
    _description = "Performance Evaluation Line"
    _inherit = ["sales.performance.evaluation.private.mixin"]
    _order = "evaluation_id, kind desc, sequence, id"
    _private_fields = MANAGER_PRIVATE_LINE_FIELDS
    _private_evaluation_path = "evaluation_id."

    evaluation_id = fields.Many2one(
        "sales.performance.evaluation", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="evaluation_id.company_id", store=True, index=True
    )
    employee_id = fields.Many2one(
        related="evaluation_id.employee_id", store=True, index=True
    )
    state = fields.Selection(related="evaluation_id.state")
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("kpi", "KPI"), ("competency", "Competency")],
        required=True,
        default="competency",
    )
    name = fields.Char(required=True)
    weight = fields.Float(help="Weight of the line in percent of the final score.")
    metric_id = fields.Many2one("sales.performance.metric")
    competency_id = fields.Many2one("sales.performance.evaluation.competency")
    target_value = fields.Float(string="Target", readonly=True, digits=(16, 2))
    achieved_value = fields.Float(string="Achieved", readonly=True, digits=(16, 2))
    value_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_value_currency_id",
        help="The company's currency when the metric measures an amount, empty "
        "for counts: amounts then show their currency, counts a plain number.",
    )
    attainment = fields.Float(
        readonly=True, digits=(16, 2), help="Achieved / target, in percent."
    )
    has_target = fields.Boolean(
        readonly=True,
        help="Whether the employee has a target for this metric in the period.",
    )
    score_cap = fields.Float(string="Cap", default=scoring.DEFAULT_CAP)
    is_adjusted = fields.Boolean(string="Adjusted")
    adjusted_score = fields.Float(digits=(16, 2))
    adjustment_reason = fields.Text(string="Justification")
    self_rating = fields.Integer(help="From 1 to 5.")
    self_comment = fields.Text()
    manager_rating = fields.Integer(help="From 1 to 5.")
    manager_comment = fields.Text()
    score = fields.Float(compute="_compute_score", store=True, digits=(16, 2))

    @api.onchange("metric_id", "competency_id")
    def _onchange_name(self):
        for line in self:
            line.name = (line.metric_id or line.competency_id).display_name or line.name

    @api.model
    def _default_line_name(self, vals):
        if vals.get("name"):
            return vals["name"]
        if vals.get("metric_id"):
            return (
                self.env["sales.performance.metric"]
                .browse(vals["metric_id"])
                .sudo()
                .display_name
            )
        if vals.get("competency_id"):
            return (
                self.env["sales.performance.evaluation.competency"]
                .browse(vals["competency_id"])
                .sudo()
                .display_name
            )
        return False

    @api.depends(
        "kind",
        "attainment",
        "score_cap",
        "is_adjusted",
        "adjusted_score",
        "manager_rating",
    )
    def _compute_score(self):
        for line in self:
            if line.kind == "kpi":
                line.score = (
                    line.adjusted_score
                    if line.is_adjusted
                    else scoring.kpi_score(line.attainment, line.score_cap)
                )
            else:
                line.score = scoring.competency_score(
                    line.manager_rating
                    if scoring.is_valid_rating(line.manager_rating)
                    else 0
                )

    @api.constrains("self_rating", "manager_rating")
    def _check_ratings(self):
        for line in self:
            for rating in (line.self_rating, line.manager_rating):
                if rating and not scoring.is_valid_rating(rating):
                    raise ValidationError(
                        self.env._(
                            "Ratings go from 1 to 5 (%(value)s given on %(name)s).",
                            value=rating,
                            name=line.name,
                        )
                    )

    @api.constrains("weight")
    def _check_weight(self):
        for line in self:
            if line.weight < 0 or line.weight > 100:
                raise ValidationError(
                    self.env._(
                        "A weight is a percentage from 0 to 100 (%(name)s).",
                        name=line.name,
                    )
                )

    @api.constrains("kind", "metric_id", "competency_id")
    def _check_kind(self):
        for line in self:
            if line.kind == "kpi" and not line.metric_id:
                raise ValidationError(
                    self.env._("The KPI line %(name)s needs a metric.", name=line.name)
                )

    @api.constrains("is_adjusted", "adjustment_reason", "adjusted_score")
    def _check_adjustment(self):
        for line in self.filtered("is_adjusted"):
            if line.kind != "kpi":
                raise ValidationError(self.env._("Only KPI scores can be adjusted."))
            if not (line.adjustment_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Adjusting the score of %(name)s needs a justification.",
                        name=line.name,
                    )
                )
            if line.adjusted_score < 0:
                raise ValidationError(
                    self.env._("An adjusted score cannot be negative.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            evaluations = self.env["sales.performance.evaluation"].browse(
                {
                    vals.get("evaluation_id")
                    for vals in vals_list
                    if vals.get("evaluation_id")
                }
            )
            for evaluation in evaluations:
                if evaluation._get_user_role() not in ("hr", "manager"):
                    raise AccessError(
                        self.env._(
                            "Only the manager or an HR officer can add evaluation "
                            "lines."
                        )
                    )
                if evaluation.state != "draft":
                    raise UserError(
                        self.env._("Lines can only be added to a draft evaluation.")
                    )
        for vals in vals_list:
            vals["name"] = self._default_line_name(vals)
        lines = super().create(vals_list)
        lines.filtered(lambda ln: ln.kind == "kpi").sudo()._refresh_kpi()
        return lines

    def write(self, vals):
        if not self.env.su:
            self._check_write_fields(set(vals))
        result = super().write(vals)
        if {"metric_id", "kind"} & set(vals):
            self.filtered(lambda ln: ln.kind == "kpi").sudo()._refresh_kpi()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_allowed(self):
        if not self.env.su:
            for evaluation in self.evaluation_id:
                if evaluation._get_user_role() not in ("hr", "manager"):
                    raise AccessError(
                        self.env._(
                            "Only the manager or an HR officer can remove evaluation "
                            "lines."
                        )
                    )
                if evaluation.state not in ("draft", "cancel"):
                    raise UserError(
                        self.env._("Lines can only be removed from a draft evaluation.")
                    )

    def _check_write_fields(self, fnames):
        for evaluation in self.evaluation_id:
            role = evaluation._get_user_role()
            state = evaluation.state
            if state in ("done", "cancel"):
                raise UserError(
                    self.env._(
                        "The evaluation %(name)s is %(state)s and locked.",
                        name=evaluation.name,
                        state=dict(
                            evaluation._fields["state"]._description_selection(self.env)
                        )[state],
                    )
                )
            if role in ("hr", "manager"):
                if {"self_rating", "self_comment"} & fnames:
                    raise AccessError(
                        self.env._("Only the employee gives their self-rating.")
                    )
                if state != "draft" and STRUCTURE_FIELDS & fnames:
                    raise UserError(
                        self.env._(
                            "The structure of an evaluation only changes while it is a "
                            "draft."
                        )
                    )
                if state == "self_assessment" and fnames - {"name"}:
                    raise UserError(
                        self.env._(
                            "The manager rates after the employee's self-assessment."
                        )
                    )
                continue
            allowed = (
                EMPLOYEE_LINE_FIELDS.get(state, set()) if role == "employee" else set()
            )
            if not fnames <= allowed:
                raise AccessError(
                    self.env._(
                        "You cannot change %(fields)s on the evaluation %(name)s.",
                        fields=", ".join(sorted(fnames - allowed)),
                        name=evaluation.name,
                    )
                )

    def _get_report_name(self):
        """The line's name in the report's language when it is the untouched
        name of its competency or metric, else the name as typed."""
        self.ensure_one()
        source = self.competency_id or self.metric_id
        if source:
            langs = [code for code, _name in self.env["res.lang"].get_installed()]
            if self.name in {source.with_context(lang=code).name for code in langs}:
                return source.name
        return self.name

    @api.depends("metric_id.value_type", "evaluation_id.company_id")
    def _compute_value_currency_id(self):
        for line in self:
            line.value_currency_id = (
                line.evaluation_id.company_id.currency_id
                if line.metric_id.value_type == "monetary"
                else False
            )

    def _refresh_kpi(self):
        """Take the employee's targets of the line's metric in the period, summed.

        One search for all the lines; a line without any target is flagged.
        """
        lines = self.filtered(lambda ln: ln.kind == "kpi" and ln.metric_id)
        if not lines:
            return
        evaluations = lines.evaluation_id
        Target = self.env["sales.performance.target"].sudo()
        by_key = defaultdict(lambda: Target)
        # per period of the evaluations: the targets that add up over it
        # (whole metric, agreed, a seasonal split counted once)
        for (date_from, date_to), members in evaluations.grouped(
            lambda e: (e.date_from, e.date_to)
        ).items():
            for target in Target.search(
                Domain("user_id", "in", members.employee_user_id.ids)
                & Domain("metric_id", "in", lines.metric_id.ids)
                & Domain("date_from", ">=", date_from)
                & Domain("date_to", "<=", date_to)
                & Target._summable_domain(date_from, date_to)
            ):
                by_key[target.user_id.id, target.metric_id.id, date_from, date_to] |= (
                    target
                )
        for line in lines:
            evaluation = line.evaluation_id
            matching = by_key[
                evaluation.employee_user_id.id,
                line.metric_id.id,
                evaluation.date_from,
                evaluation.date_to,
            ].filtered(lambda t, e=evaluation: t.company_id == e.company_id)
            target_value = sum(matching.mapped("target_value"))
            achieved_value = sum(matching.mapped("achieved_value"))
            line.write(
                {
                    "has_target": bool(matching),
                    "target_value": target_value,
                    "achieved_value": achieved_value,
                    "attainment": pacing.attainment(achieved_value, target_value),
                }
            )
