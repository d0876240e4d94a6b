from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command

from ..engine import scoring


class SalesPerformanceEvaluationTemplate(models.Model):
    _name = "sales.performance.evaluation.template"
    _description = "Evaluation Template"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    job_ids = fields.Many2many(
        "hr.job",
        "sp_evaluation_template_job_rel",
        "template_id",
        "job_id",
        string="Job Positions",
    )
    team_ids = fields.Many2many(
        "crm.team",
        "sp_evaluation_template_team_rel",
        "template_id",
        "team_id",
        string="Sales Teams",
    )
    line_ids = fields.One2many(
        "sales.performance.evaluation.template.line",
        "template_id",
        string="Lines",
        copy=True,
    )
    total_weight = fields.Float(compute="_compute_total_weight")

    @api.depends("line_ids.weight")
    def _compute_total_weight(self):
        for template in self:
            template.total_weight = scoring.total_weight(
                template.line_ids.mapped("weight")
            )

    @api.constrains("line_ids")
    def _check_weights(self):
        for template in self.filtered("line_ids"):
            if not scoring.weights_complete(template.line_ids.mapped("weight")):
                raise ValidationError(
                    self.env._(
                        "The weights of the template %(name)s add up to %(total)s%%; "
                        "they must "
                        "add up to 100%%.",
                        name=template.name,
                        total=round(template.total_weight, 2),
                    )
                )

    def _prepare_evaluation_lines(self):
        self.ensure_one()
        return [
            Command.create(
                {
                    "sequence": line.sequence,
                    "kind": line.kind,
                    "name": line.name,
                    "weight": line.weight,
                    "metric_id": line.metric_id.id,
                    "competency_id": line.competency_id.id,
                    "score_cap": line.score_cap,
                }
            )
            for line in self.line_ids
        ]

    @api.model
    def _find_for_employee(self, employee, company):
        """The template of the employee's job, else of their sales team, else a generic
        one."""
        employee = employee.sudo()
        templates = self.search([("company_id", "in", (False, company.id))])
        team = employee.user_id.sale_team_id
        for matches in (
            templates.filtered(
                lambda t: employee.job_id and employee.job_id in t.job_ids
            ),
            templates.filtered(lambda t: team and team in t.team_ids),
            templates.filtered(lambda t: not t.job_ids and not t.team_ids),
        ):
            if matches:
                return matches[0]
        return self.browse()


class SalesPerformanceEvaluationTemplateLine(models.Model):
    _name = "sales.performance.evaluation.template.line"
    _description = "Evaluation Template Line"
    _order = "template_id, kind desc, sequence, id"

    template_id = fields.Many2one(
        "sales.performance.evaluation.template",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("kpi", "KPI"), ("competency", "Competency")],
        required=True,
        default="competency",
    )
    name = fields.Char(required=True)
    metric_id = fields.Many2one("sales.performance.metric")
    competency_id = fields.Many2one("sales.performance.evaluation.competency")
    weight = fields.Float(help="Weight of the line in percent of the final score.")
    score_cap = fields.Float(string="Cap", default=scoring.DEFAULT_CAP)

    @api.onchange("metric_id", "competency_id")
    def _onchange_name(self):
        for line in self:
            line.name = (line.metric_id or line.competency_id).display_name or line.name

    @api.model
    def _default_line_name(self, vals):
        # the same rule as the evaluation lines the template produces
        return self.env["sales.performance.evaluation.line"]._default_line_name(vals)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["name"] = self._default_line_name(vals)
        return super().create(vals_list)

    @api.constrains("kind", "metric_id", "weight")
    def _check_line(self):
        for line in self:
            if line.kind == "kpi" and not line.metric_id:
                raise ValidationError(
                    self.env._("The KPI line %(name)s needs a metric.", name=line.name)
                )
            if line.weight < 0 or line.weight > 100:
                raise ValidationError(
                    self.env._(
                        "A weight is a percentage from 0 to 100 (%(name)s).",
                        name=line.name,
                    )
                )
