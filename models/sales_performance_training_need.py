from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

TRAINING_MANAGER = "sales_performance.group_sales_performance_training_manager"


class SalesPerformanceTrainingNeed(models.Model):
    _name = "sales.performance.training.need"
    _description = "Training Need"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, ondelete="cascade"
    )
    employee_user_id = fields.Many2one(
        related="employee_id.user_id", store=True, index=True, string="User"
    )
    company_id = fields.Many2one(
        related="employee_id.company_id", store=True, index=True, precompute=True
    )
    evaluation_id = fields.Many2one(
        "sales.performance.evaluation", index=True, ondelete="cascade", readonly=True
    )
    evaluation_line_id = fields.Many2one(
        "sales.performance.evaluation.line", ondelete="set null", readonly=True
    )
    kind = fields.Selection(
        [("competency", "Competency"), ("kpi", "KPI")], required=True, readonly=True
    )
    competency_id = fields.Many2one(
        "sales.performance.evaluation.competency", readonly=True
    )
    metric_id = fields.Many2one("sales.performance.metric", readonly=True)
    value = fields.Float(
        string="Rating / Attainment",
        digits=(16, 2),
        readonly=True,
        help="The manager's rating (1-5) or the KPI attainment (percent).",
    )
    proposed_course_ids = fields.Many2many(
        "sales.performance.training.course",
        "sales_performance_training_need_course_rel",
        "need_id",
        "course_id",
        string="Proposed Courses",
        readonly=True,
    )
    course_id = fields.Many2one(
        "sales.performance.training.course",
        string="Chosen Course",
        domain="[('id', 'in', proposed_course_ids)]",
    )
    state = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("accepted", "Accepted"),
            ("dismissed", "Dismissed"),
        ],
        default="proposed",
        required=True,
        tracking=True,
        index=True,
    )
    dismiss_reason = fields.Text(tracking=True)
    record_id = fields.Many2one(
        "sales.performance.training.record", readonly=True, string="Training Record"
    )

    @api.depends("employee_id.name", "competency_id.name", "metric_id.name")
    def _compute_name(self):
        for need in self:
            subject = (need.competency_id or need.metric_id).name or ""
            need.name = " - ".join(p for p in (need.employee_id.name, subject) if p)

    def _check_can_decide(self):
        """The employee's manager (any level above) or a training manager."""
        if self.env.su or self.env.user.has_group(TRAINING_MANAGER):
            return
        own = self.env.user.employee_ids
        for need in self.sudo():
            managers = self.env["hr.employee"]
            parent = need.employee_id.parent_id
            while parent and parent not in managers:
                managers |= parent
                parent = parent.parent_id
            if not own or not (managers & own) or need.employee_id in own:
                raise AccessError(
                    self.env._(
                        "Only the employee's manager or a training manager can "
                        "decide on a training need."
                    )
                )

    def write(self, vals):
        if not self.env.su:
            self._check_can_decide()
        return super().write(vals)

    def action_accept(self):
        """Register the employee for the next open session of the chosen (or
        first proposed) course; without one, create a record to complete."""
        self._check_can_decide()
        for need in self.sudo():
            if need.state != "proposed":
                raise UserError(self.env._("This need is already decided."))
            course = need.course_id or need.proposed_course_ids[:1]
            if not course:
                raise UserError(self.env._("Choose a course first."))
            session = course._next_open_session()
            vals = {
                "employee_id": need.employee_id.id,
                "course_id": course.id,
                "need_id": need.id,
            }
            if session:
                vals["session_id"] = session.id
            record = self.env["sales.performance.training.record"].sudo().create(vals)
            need.write(
                {"state": "accepted", "course_id": course.id, "record_id": record.id}
            )
        return True

    def action_dismiss(self, reason=None):
        self._check_can_decide()
        for need in self.sudo():
            reason = reason or need.dismiss_reason
            if not reason:
                raise UserError(self.env._("Give a reason to dismiss the need."))
            if need.state != "proposed":
                raise UserError(self.env._("This need is already decided."))
            need.write({"state": "dismissed", "dismiss_reason": reason})
        return True

    @api.model
    def _thresholds(self):
        params = self.env["ir.config_parameter"].sudo()
        try:
            rating = float(
                params.get_param("sales_performance.training_rating_threshold", "2")
            )
            attainment = float(
                params.get_param(
                    "sales_performance.training_attainment_threshold", "80"
                )
            )
        except ValueError:
            rating, attainment = 2.0, 80.0
        return rating, attainment
