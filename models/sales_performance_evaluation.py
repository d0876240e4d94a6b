from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import SQL

from ..engine import scoring
from . import period_overlap
from .sales_performance_evaluation_private_mixin import HIDDEN_STATES

# Fields of an evaluation the evaluated employee may write, per state.
LINE_FIELDS = {"line_ids", "kpi_line_ids", "competency_line_ids"}
EMPLOYEE_FIELDS = {
    "self_assessment": {"self_comment"} | LINE_FIELDS,
    "done": {"employee_comment"},
}
# Fields only the manager (or HR) sees before the manager has submitted.
MANAGER_PRIVATE_FIELDS = (
    "final_score",
    "rating_id",
    "manager_comment",
    "development_notes",
)
# Technical fields that the chatter and the activities may write.
FREE_FIELD_PREFIXES = ("message_", "activity_", "website_message")

ACTIVITY_SELF = "sales_performance.mail_activity_type_evaluation_self_assessment"
ACTIVITY_REVIEW = "sales_performance.mail_activity_type_evaluation_review"
ACTIVITY_ACK = "sales_performance.mail_activity_type_evaluation_acknowledge"


class SalesPerformanceEvaluation(models.Model):
    _name = "sales.performance.evaluation"
    _description = "Performance Evaluation"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "sales.performance.evaluation.private.mixin",
    ]
    _private_fields = MANAGER_PRIVATE_FIELDS
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    employee_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    employee_user_id = fields.Many2one(
        "res.users",
        string="Employee User",
        related="employee_id.user_id",
        store=True,
        index=True,
    )
    evaluator_id = fields.Many2one(
        "res.users",
        compute="_compute_evaluator_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help=(
            "Who reviews the evaluation; by default the user of the employee's manager."
        ),
    )
    manager_id = fields.Many2one(
        "hr.employee",
        readonly=True,
        index=True,
        help="The employee's manager when the evaluation was created.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    department_id = fields.Many2one("hr.department", readonly=True, index=True)
    job_id = fields.Many2one("hr.job", string="Job Position", readonly=True, index=True)
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", readonly=True, index=True
    )
    template_id = fields.Many2one(
        "sales.performance.evaluation.template", check_company=True
    )
    cycle_id = fields.Many2one(
        "sales.performance.evaluation.cycle",
        string="Evaluation Cycle",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    date_from = fields.Date(string="Start", required=True, tracking=True)
    date_to = fields.Date(string="End", required=True, tracking=True)
    deadline = fields.Date(tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("self_assessment", "Self-assessment"),
            ("manager_review", "Manager Review"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many(
        "sales.performance.evaluation.line", "evaluation_id", string="Lines", copy=True
    )
    kpi_line_ids = fields.One2many(
        "sales.performance.evaluation.line",
        "evaluation_id",
        string="KPIs",
        domain=[("kind", "=", "kpi")],
    )
    competency_line_ids = fields.One2many(
        "sales.performance.evaluation.line",
        "evaluation_id",
        string="Competencies",
        domain=[("kind", "=", "competency")],
    )
    total_weight = fields.Float(compute="_compute_scores", store=True)
    final_score = fields.Float(
        compute="_compute_scores",
        store=True,
        aggregator="avg",
        digits=(16, 2),
    )
    rating_id = fields.Many2one(
        "sales.performance.evaluation.rating",
        compute="_compute_scores",
        store=True,
        index=True,
    )
    self_comment = fields.Text(string="Employee Self-assessment")
    manager_comment = fields.Text(string="Manager Comments")
    development_notes = fields.Text()
    employee_comment = fields.Text(string="Employee Acknowledgement Comment")
    acknowledged = fields.Boolean(readonly=True, copy=False, tracking=True)
    date_self_assessment = fields.Date(
        string="Self-assessment Started", readonly=True, copy=False
    )
    date_submitted = fields.Date(
        string="Self-assessment Submitted", readonly=True, copy=False
    )
    date_done = fields.Date(string="Completed", readonly=True, copy=False)
    date_acknowledged = fields.Date(string="Acknowledged On", readonly=True, copy=False)
    reminder_state = fields.Char(readonly=True, copy=False)
    late_reminder_state = fields.Char(
        readonly=True,
        copy=False,
        help="The step for which the cycle's late reminder was last sent.",
    )
    user_role = fields.Selection(
        [("hr", "HR Officer"), ("manager", "Manager"), ("employee", "Employee")],
        compute="_compute_user_role",
    )
    manager_visible = fields.Boolean(compute="_compute_user_role")
    missing_target_count = fields.Integer(compute="_compute_scores", store=True)

    _date_order = models.Constraint(
        "CHECK (date_from <= date_to)",
        "The evaluation period must end after it starts.",
    )

    @api.depends("employee_id", "date_from", "date_to")
    def _compute_name(self):
        for evaluation in self:
            evaluation.name = self.env._(
                "%(employee)s: %(date_from)s - %(date_to)s",
                employee=evaluation.employee_id.sudo().name or "",
                date_from=evaluation.date_from or "",
                date_to=evaluation.date_to or "",
            )

    @api.depends("employee_id")
    def _compute_evaluator_id(self):
        for evaluation in self:
            evaluation.evaluator_id = evaluation.employee_id.sudo().parent_id.user_id

    @api.depends(
        "line_ids.weight",
        "line_ids.score",
        "line_ids.kind",
        "line_ids.has_target",
        "line_ids.is_adjusted",
        "company_id",
    )
    def _compute_scores(self):
        Rating = self.env["sales.performance.evaluation.rating"].sudo()
        for evaluation in self:
            lines = evaluation.line_ids
            evaluation.total_weight = scoring.total_weight(lines.mapped("weight"))
            evaluation.final_score = scoring.final_score(
                [(line.weight, line.score) for line in lines]
            )
            evaluation.rating_id = Rating._band_for(
                evaluation.final_score, evaluation.company_id
            )
            evaluation.missing_target_count = len(
                lines.filtered(
                    lambda ln: ln.kind == "kpi"
                    and not ln.has_target
                    and not ln.is_adjusted
                )
            )

    @api.depends_context("uid")
    @api.depends("employee_id", "evaluator_id", "state")
    def _compute_user_role(self):
        for evaluation in self:
            if not evaluation._origin and not evaluation.employee_user_id:
                # A new evaluation being filled in: whoever creates it (HR or a
                # manager, checked on save) fills it in as the manager does.
                role = (
                    "hr" if self.env.user.has_group("hr.group_hr_user") else "manager"
                )
            else:
                role = evaluation._get_user_role()
            evaluation.user_role = role
            evaluation.manager_visible = (
                role in ("hr", "manager") or evaluation.state not in HIDDEN_STATES
            )

    @api.constrains("employee_id", "date_from", "date_to", "state")
    def _check_overlap(self):
        """One live evaluation per employee and period: a single query for the
        whole recordset, however many evaluations are checked."""
        self.flush_model(["employee_id", "date_from", "date_to", "state"])
        pair = period_overlap.first_overlap(
            self,
            SQL("o.employee_id = t.employee_id"),
            lambda alias: SQL("%s != 'cancel'", SQL.identifier(alias, "state")),
        )
        if pair:
            evaluation, other = pair[0].sudo(), pair[1].sudo()
            raise ValidationError(
                self.env._(
                    "%(employee)s already has an evaluation for an overlapping "
                    "period "
                    "(%(date_from)s - %(date_to)s).",
                    employee=evaluation.employee_id.name,
                    date_from=other.date_from,
                    date_to=other.date_to,
                )
            )

    @api.constrains("state", "line_ids")
    def _check_weights(self):
        for evaluation in self.filtered(lambda e: e.state not in ("draft", "cancel")):
            evaluation._check_weights_complete()

    @api.onchange("template_id")
    def _onchange_template_id(self):
        if self.template_id and self.state == "draft":
            self.line_ids = [
                Command.clear()
            ] + self.template_id._prepare_evaluation_lines()

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Employee = self.env["hr.employee"].sudo()
        for vals in vals_list:
            employee = Employee.browse(vals.get("employee_id"))
            if employee:
                vals.setdefault("department_id", employee.department_id.id)
                vals.setdefault("job_id", employee.job_id.id)
                vals.setdefault("manager_id", employee.parent_id.id)
                vals.setdefault("team_id", employee.user_id.sudo().sale_team_id.id)
                vals.setdefault("company_id", employee.company_id.id)
            if vals.get("template_id") and not vals.get("line_ids"):
                template = self.env["sales.performance.evaluation.template"].browse(
                    vals["template_id"]
                )
                vals["line_ids"] = template.sudo()._prepare_evaluation_lines()
        if not self.env.su:
            for vals in vals_list:
                self._check_create_right(vals)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._check_write_fields(set(vals))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_progress(self):
        if not self.env.su and any(e.state not in ("draft", "cancel") for e in self):
            raise UserError(
                self.env._("Only draft or cancelled evaluations can be deleted.")
            )

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------

    def _is_managed_by(self, user):
        """Whether ``user`` evaluates or manages the employee, even indirectly."""
        self.ensure_one()
        if self.evaluator_id == user:
            return True
        manager_employees = user.sudo().employee_ids
        employee = self.sudo().employee_id.parent_id
        seen = set()
        while employee and employee.id not in seen:
            if employee in manager_employees:
                return True
            seen.add(employee.id)
            employee = employee.parent_id
        return False

    def _get_user_role(self, user=None):
        self.ensure_one()
        user = user or self.env.user
        if user.has_group("hr.group_hr_user"):
            return "hr"
        if self.employee_user_id != user and self._is_managed_by(user):
            return "manager"
        if self.employee_user_id == user:
            return "employee"
        return False

    def _check_role(self, roles, message):
        if self.env.su:
            return
        for evaluation in self:
            if evaluation._get_user_role() not in roles:
                raise AccessError(message)

    @api.model
    def _check_create_right(self, vals):
        if self.env.user.has_group("hr.group_hr_user"):
            return
        probe = self.new({"employee_id": vals.get("employee_id")})
        if probe.employee_user_id == self.env.user or not probe._is_managed_by(
            self.env.user
        ):
            raise AccessError(
                self.env._(
                    "Only HR officers and managers can create evaluations of their "
                    "employees."
                )
            )

    def _check_write_fields(self, fnames):
        fnames = {f for f in fnames if not f.startswith(FREE_FIELD_PREFIXES)}
        if not fnames:
            return
        if "state" in fnames or "acknowledged" in fnames:
            raise UserError(
                self.env._("Use the buttons to move an evaluation through its steps.")
            )
        for evaluation in self:
            role = evaluation._get_user_role()
            if evaluation.state == "done" and role != "employee":
                raise UserError(
                    self.env._(
                        "The evaluation %(name)s is done and locked; an HR officer can "
                        "reopen it.",
                        name=evaluation.name,
                    )
                )
            if role in ("hr", "manager"):
                if role == "manager" and {"self_comment", "employee_comment"} & fnames:
                    raise AccessError(
                        self.env._("Only the employee writes their own comments.")
                    )
                continue
            allowed = (
                EMPLOYEE_FIELDS.get(evaluation.state, set())
                if role == "employee"
                else set()
            )
            if not fnames <= allowed:
                raise AccessError(
                    self.env._(
                        "You cannot change %(fields)s on the evaluation %(name)s at "
                        "this step.",
                        fields=", ".join(sorted(fnames - allowed)),
                        name=evaluation.name,
                    )
                )

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _check_weights_complete(self):
        for evaluation in self:
            if not evaluation.line_ids:
                raise ValidationError(
                    self.env._(
                        "The evaluation %(name)s has no lines.", name=evaluation.name
                    )
                )
            if not scoring.weights_complete(evaluation.line_ids.mapped("weight")):
                raise ValidationError(
                    self.env._(
                        "The weights of the evaluation %(name)s add up to %(total)s%%; "
                        "they must add up to 100%%.",
                        name=evaluation.name,
                        total=round(
                            scoring.total_weight(evaluation.line_ids.mapped("weight")),
                            2,
                        ),
                    )
                )

    def _check_targets(self):
        for evaluation in self:
            missing = evaluation.line_ids.filtered(
                lambda ln: ln.kind == "kpi" and not ln.has_target and not ln.is_adjusted
            )
            if missing:
                raise ValidationError(
                    self.env._(
                        "No target of %(employee)s in the period for: %(metrics)s. "
                        "Create the "
                        "targets and refresh the KPIs, remove these lines, or set "
                        "their score "
                        "with a justification.",
                        employee=evaluation.employee_id.sudo().name,
                        metrics=", ".join(missing.mapped("name")),
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_refresh_kpis(self):
        self._check_role(
            {"hr", "manager"},
            self.env._("Only the manager or an HR officer can refresh the KPIs."),
        )
        if any(e.state in ("done", "cancel") for e in self):
            raise UserError(
                self.env._("The KPIs of a done or cancelled evaluation are frozen.")
            )
        self.sudo().line_ids.filtered(lambda ln: ln.kind == "kpi")._refresh_kpi()
        return True

    def action_start_self_assessment(self):
        self._check_role(
            {"hr", "manager"},
            self.env._(
                "Only the employee's manager or an HR officer can start the evaluation."
            ),
        )
        if any(e.state != "draft" for e in self):
            raise UserError(
                self.env._("Only draft evaluations can start the self-assessment.")
            )
        self._check_weights_complete()
        self._check_targets()
        self.sudo().write(
            {
                "state": "self_assessment",
                "date_self_assessment": fields.Date.context_today(self),
            }
        )
        self._schedule_next_activity()
        return True

    def action_submit_self_assessment(self):
        self._check_role(
            {"hr", "employee"},
            self.env._(
                "Only the evaluated employee or an HR officer can submit the "
                "self-assessment."
            ),
        )
        for evaluation in self:
            if evaluation.state != "self_assessment":
                raise UserError(
                    self.env._("The evaluation is not at the self-assessment step.")
                )
            unrated = evaluation.line_ids.filtered(
                lambda ln: ln.kind == "competency" and not ln.self_rating
            )
            if unrated:
                raise ValidationError(
                    self.env._(
                        "Rate every competency before submitting: %(names)s.",
                        names=", ".join(unrated.mapped("name")),
                    )
                )
        self.sudo().write(
            {
                "state": "manager_review",
                "date_submitted": fields.Date.context_today(self),
            }
        )
        for cycle, evaluations in self.sudo().grouped("cycle_id").items():
            if cycle.deadline_manager:
                evaluations.write({"deadline": cycle.deadline_manager})
        self._schedule_next_activity()
        return True

    def action_done(self):
        self._check_role(
            {"hr", "manager"},
            self.env._(
                "Only the employee's manager or an HR officer can complete the "
                "evaluation."
            ),
        )
        for evaluation in self:
            if evaluation.state != "manager_review":
                raise UserError(
                    self.env._("The evaluation is not at the manager review step.")
                )
            unrated = evaluation.line_ids.filtered(
                lambda ln: ln.kind == "competency" and not ln.manager_rating
            )
            if unrated:
                raise ValidationError(
                    self.env._(
                        "Rate every competency before completing: %(names)s.",
                        names=", ".join(unrated.mapped("name")),
                    )
                )
        self._check_weights_complete()
        self._check_targets()
        self.sudo().write(
            {"state": "done", "date_done": fields.Date.context_today(self)}
        )
        self._log_adjustments()
        self._schedule_next_activity()
        return True

    def action_acknowledge(self, comment=None):
        self._check_role(
            {"employee"},
            self.env._("Only the evaluated employee can acknowledge the evaluation."),
        )
        if any(e.state != "done" for e in self):
            raise UserError(self.env._("Only a done evaluation can be acknowledged."))
        vals = {
            "acknowledged": True,
            "date_acknowledged": fields.Date.context_today(self),
        }
        if comment:
            vals["employee_comment"] = comment
        self.sudo().write(vals)
        self.sudo().activity_feedback([ACTIVITY_ACK])
        return True

    def action_cancel(self):
        self._check_role(
            {"hr", "manager"},
            self.env._(
                "Only the employee's manager or an HR officer can cancel the "
                "evaluation."
            ),
        )
        if any(e.state == "done" for e in self):
            raise UserError(
                self.env._("A done evaluation must be reopened before it is cancelled.")
            )
        self.sudo().write({"state": "cancel"})
        self.sudo().activity_unlink([ACTIVITY_SELF, ACTIVITY_REVIEW, ACTIVITY_ACK])
        return True

    def action_reopen(self, reason=None):
        if not self.env.su and not self.env.user.has_group("hr.group_hr_user"):
            raise AccessError(
                self.env._("Only an HR officer can reopen an evaluation.")
            )
        if not reason or not str(reason).strip():
            raise UserError(self.env._("Give the reason for reopening the evaluation."))
        for evaluation in self:
            if evaluation.state not in ("done", "cancel"):
                raise UserError(
                    self.env._("Only done or cancelled evaluations can be reopened.")
                )
            new_state = "manager_review" if evaluation.state == "done" else "draft"
            evaluation.sudo().write(
                {"state": new_state, "acknowledged": False, "date_acknowledged": False}
            )
            evaluation.message_post(
                body=self.env._("Evaluation reopened: %(reason)s", reason=reason),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        self.sudo().activity_unlink([ACTIVITY_ACK])
        self._schedule_next_activity()
        return True

    def action_open_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reopen Evaluation"),
            "res_model": "sales.performance.evaluation.reopen",
            "view_mode": "form",
            "target": "new",
            "context": {"default_evaluation_ids": self.ids},
        }

    def action_print(self):
        return self.env.ref("sales_performance.action_report_evaluation").report_action(
            self
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _log_adjustments(self):
        """Keep the manager's KPI adjustments and their justification in the
        chatter once the review is submitted (not before: the employee would
        read them there)."""
        for evaluation in self:
            for line in evaluation.line_ids.filtered("is_adjusted"):
                evaluation.message_post(
                    body=self.env._(
                        "KPI %(name)s: score adjusted from %(old)s to %(new)s. "
                        "Justification: %(reason)s",
                        name=line.name,
                        old=round(
                            scoring.kpi_score(line.attainment, line.score_cap), 2
                        ),
                        new=round(line.adjusted_score, 2),
                        reason=line.adjustment_reason,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _next_actor(self):
        """The user who acts next and the activity type they get."""
        self.ensure_one()
        if self.state == "self_assessment":
            return self.employee_user_id, ACTIVITY_SELF
        if self.state == "manager_review":
            return self.evaluator_id, ACTIVITY_REVIEW
        if self.state == "done" and not self.acknowledged:
            return self.employee_user_id, ACTIVITY_ACK
        return self.env["res.users"], False

    def _schedule_next_activity(self):
        today = fields.Date.context_today(self)
        for evaluation in self.sudo():
            evaluation.activity_feedback([ACTIVITY_SELF, ACTIVITY_REVIEW])
            user, activity_type = evaluation._next_actor()
            if user and activity_type:
                evaluation.activity_schedule(
                    activity_type,
                    date_deadline=max(evaluation.deadline or today, today),
                    user_id=user.id,
                )

    @api.model
    def _cron_send_deadline_reminders(self, days=3):
        """Remind the next actor once per step when the deadline is near or past."""
        today = fields.Date.context_today(self)
        limit = fields.Date.add(today, days=days)
        evaluations = self.sudo().search(
            [
                ("state", "in", ("self_assessment", "manager_review")),
                ("deadline", "!=", False),
                ("deadline", "<=", limit),
            ]
        )
        for evaluation in evaluations.filtered(lambda e: e.reminder_state != e.state):
            user, _activity_type = evaluation._next_actor()
            if user:
                evaluation.message_notify(
                    partner_ids=user.partner_id.ids,
                    subject=self.env._(
                        "Evaluation deadline: %(name)s", name=evaluation.name
                    ),
                    body=self.env._(
                        "The evaluation %(name)s is due on %(deadline)s and waits for "
                        "you.",
                        name=evaluation.name,
                        deadline=evaluation.deadline,
                    ),
                )
            evaluation.reminder_state = evaluation.state
        return True

    def _send_late_reminder(self):
        """Tell whoever acts next that their step of the cycle is late; once
        per step (``late_reminder_state``)."""
        for evaluation in self.sudo():
            cycle = evaluation.cycle_id
            if evaluation.state == "manager_review":
                user, deadline = evaluation.evaluator_id, cycle.deadline_manager
                body = self.env._(
                    "Your review of %(name)s was due on %(deadline)s (cycle "
                    "%(cycle)s).",
                    name=evaluation.name,
                    deadline=deadline,
                    cycle=cycle.name,
                )
            elif evaluation.state == "self_assessment":
                user, deadline = evaluation.employee_user_id, cycle.deadline_self
                body = self.env._(
                    "Your self-assessment %(name)s was due on %(deadline)s (cycle "
                    "%(cycle)s).",
                    name=evaluation.name,
                    deadline=deadline,
                    cycle=cycle.name,
                )
            else:
                user, deadline = evaluation.evaluator_id, cycle.deadline_self
                body = self.env._(
                    "The self-assessment of %(name)s was due on %(deadline)s but the "
                    "evaluation has not been started (cycle %(cycle)s).",
                    name=evaluation.name,
                    deadline=deadline,
                    cycle=cycle.name,
                )
            if user:
                evaluation.message_notify(
                    partner_ids=user.partner_id.ids,
                    subject=self.env._(
                        "Late evaluation step: %(name)s", name=evaluation.name
                    ),
                    body=body,
                )
                evaluation.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=deadline,
                    summary=self.env._("Late evaluation step"),
                    note=body,
                    user_id=user.id,
                )
            evaluation.late_reminder_state = evaluation.state

    def _get_report_lang(self):
        self.ensure_one()
        employee = self.sudo().employee_id
        return employee.lang or employee.user_id.lang or self.env.lang or "en_US"

    @api.model
    def _search_domain_for_period(self, employees, date_from, date_to):
        return Domain(
            [
                ("employee_id", "in", employees.ids),
                ("state", "!=", "cancel"),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
            ]
        )
