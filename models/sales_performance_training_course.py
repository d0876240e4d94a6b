from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import training

TRAINING_MANAGER = "sales_performance.group_sales_performance_training_manager"


class SalesPerformanceTrainingCourse(models.Model):
    _name = "sales.performance.training.course"
    _description = "Training Course"
    _inherit = ["mail.thread"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
    )
    category = fields.Selection(
        [
            ("product", "Product Knowledge"),
            ("sales_skills", "Sales Skills"),
            ("compliance", "Compliance"),
            ("management", "Management"),
            ("other", "Other"),
        ],
        default="sales_skills",
        required=True,
    )
    description = fields.Html(translate=True)
    objectives = fields.Text(translate=True)
    duration_hours = fields.Float(string="Duration (Hours)", digits=(16, 2))
    delivery = fields.Selection(
        [
            ("classroom", "Classroom"),
            ("online", "Online"),
            ("on_the_job", "On the Job"),
        ],
        default="classroom",
        required=True,
    )
    provider = fields.Char(help="External provider (leave empty for internal).")
    trainer_id = fields.Many2one("hr.employee", string="Internal Trainer")
    cost_per_participant = fields.Monetary(currency_field="currency_id")
    competency_ids = fields.Many2many(
        "sales.performance.evaluation.competency",
        "sales_performance_training_course_competency_rel",
        "course_id",
        "competency_id",
        string="Competencies Developed",
    )
    metric_ids = fields.Many2many(
        "sales.performance.metric",
        "sales_performance_training_course_metric_rel",
        "course_id",
        "metric_id",
        string="Metrics Improved",
        help="KPIs the course should improve: a low attainment proposes the course, "
        "and the effectiveness report measures them.",
    )
    validity_months = fields.Integer(
        string="Certificate Validity (Months)",
        help="Months a passed course stays valid. Empty: no certificate.",
    )
    mandatory_job_ids = fields.Many2many(
        "hr.job",
        "sales_performance_training_course_job_rel",
        "course_id",
        "job_id",
        string="Mandatory for Job Positions",
    )
    mandatory_team_ids = fields.Many2many(
        "crm.team",
        "sales_performance_training_course_team_rel",
        "course_id",
        "team_id",
        string="Mandatory for Sales Teams",
    )
    session_ids = fields.One2many(
        "sales.performance.training.session", "course_id", string="Sessions"
    )
    record_ids = fields.One2many(
        "sales.performance.training.record", "course_id", string="Records"
    )
    session_count = fields.Integer(compute="_compute_counts")
    record_count = fields.Integer(compute="_compute_counts")
    effectiveness_periods = fields.Integer(
        string="Periods Before/After",
        default=3,
        help="Number of target periods compared before and after the training.",
    )
    effectiveness_ids = fields.One2many(
        "sales.performance.training.effectiveness",
        "course_id",
        readonly=True,
    )

    @api.constrains(
        "duration_hours",
        "cost_per_participant",
        "validity_months",
        "effectiveness_periods",
    )
    def _check_positive(self):
        for course in self:
            if course.duration_hours < 0 or course.cost_per_participant < 0:
                raise ValidationError(
                    self.env._(
                        "The duration and the cost of a course cannot be negative."
                    )
                )
            if course.validity_months < 0:
                raise ValidationError(
                    self.env._("The certificate validity cannot be negative.")
                )
            if course.effectiveness_periods < 1:
                raise ValidationError(
                    self.env._(
                        "Compare at least one period before and after the training."
                    )
                )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for course in self:
            course.currency_id = (course.company_id or self.env.company).currency_id

    def _compute_counts(self):
        sessions = dict(
            self.env["sales.performance.training.session"]._read_group(
                [("course_id", "in", self.ids)], ["course_id"], ["__count"]
            )
        )
        records = dict(
            self.env["sales.performance.training.record"]._read_group(
                [("course_id", "in", self.ids)], ["course_id"], ["__count"]
            )
        )
        for course in self:
            course.session_count = sessions.get(course, 0)
            course.record_count = records.get(course, 0)

    def _expiry_date(self, date_completed):
        self.ensure_one()
        return training.expiry_date(date_completed, self.validity_months) or False

    def _next_open_session(self):
        """The next planned session with a free seat, or an empty recordset."""
        self.ensure_one()
        sessions = (
            self.env["sales.performance.training.session"]
            .sudo()
            .search(
                [
                    ("course_id", "=", self.id),
                    ("state", "=", "planned"),
                    ("date_start", ">=", fields.Datetime.now()),
                ],
                order="date_start, id",
            )
        )
        return sessions.filtered(lambda s: s.seats_available > 0)[:1]

    def action_open_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_training_session_action"
        )
        action["domain"] = [("course_id", "=", self.id)]
        action["context"] = {"default_course_id": self.id}
        return action

    def action_open_records(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_training_record_action"
        )
        action["domain"] = [("course_id", "=", self.id)]
        action["context"] = {"default_course_id": self.id}
        return action

    def action_compute_effectiveness(self):
        self.env["sales.performance.training.effectiveness"]._refresh(self)
        return True
