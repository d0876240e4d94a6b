"""Evaluation cycles: one campaign of evaluations (a period, a template, the
participants and the deadlines of each step), launched, calibrated and closed
by HR; a recurring cycle plans the next one when it closes."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

RECURRENCE_MONTHS = {"quarterly": 3, "half_yearly": 6, "yearly": 12}
# How far the deadlines may lie after the end of the cycle.
MAX_DEADLINE_DAYS = 366
# Evaluation states that count in the progress (cancelled ones do not).
OPEN_STATES = ("draft", "self_assessment", "manager_review")


class SalesPerformanceEvaluationCycle(models.Model):
    _name = "sales.performance.evaluation.cycle"
    _description = "Evaluation Cycle"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    date_from = fields.Date(string="Start", required=True, tracking=True)
    date_to = fields.Date(string="End", required=True, tracking=True)
    template_id = fields.Many2one(
        "sales.performance.evaluation.template",
        check_company=True,
        tracking=True,
        help="The template every evaluation of the cycle is created from.",
    )
    employee_ids = fields.Many2many(
        "hr.employee",
        "sales_performance_evaluation_cycle_employee_rel",
        "cycle_id",
        "employee_id",
        string="Participants",
        check_company=True,
    )
    deadline_self = fields.Date(
        string="Self-assessment Deadline",
        tracking=True,
        help="Employees are reminded once when their self-assessment is late.",
    )
    deadline_manager = fields.Date(
        string="Manager Review Deadline",
        tracking=True,
        help="Managers are reminded once when their review is late.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("calibration", "Calibration"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    recurrence = fields.Selection(
        [
            ("none", "None"),
            ("quarterly", "Quarterly"),
            ("half_yearly", "Half-yearly"),
            ("yearly", "Yearly"),
        ],
        default="none",
        required=True,
        tracking=True,
        help="When the cycle closes, the next one is planned (in draft) with the "
        "dates shifted by this period.",
    )
    evaluation_ids = fields.One2many(
        "sales.performance.evaluation", "cycle_id", string="Evaluations"
    )
    previous_cycle_id = fields.Many2one(
        "sales.performance.evaluation.cycle",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    employee_count = fields.Integer(
        string="Participants Count", compute="_compute_employee_count"
    )
    evaluation_count = fields.Integer(
        compute="_compute_progress", store=True, string="Evaluations Count"
    )
    done_count = fields.Integer(
        compute="_compute_progress", store=True, string="Done Evaluations"
    )
    late_count = fields.Integer(
        string="Late Evaluations", compute="_compute_late_count"
    )
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Share of the cycle's evaluations (cancelled ones left out) that are "
        "done.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("employee_ids")
    def _compute_employee_count(self):
        for cycle in self:
            cycle.employee_count = len(cycle.employee_ids)

    @api.depends("evaluation_ids.state")
    def _compute_progress(self):
        """Counts of all cycles in one grouped query."""
        counts = {}
        if self.ids:
            for cycle, state, count in (
                self.env["sales.performance.evaluation"]
                .sudo()
                ._read_group(
                    [("cycle_id", "in", self.ids), ("state", "!=", "cancel")],
                    groupby=["cycle_id", "state"],
                    aggregates=["__count"],
                )
            ):
                total, done = counts.get(cycle.id, (0, 0))
                counts[cycle.id] = (
                    total + count,
                    done + (count if state == "done" else 0),
                )
        for cycle in self:
            total, done = counts.get(cycle.id, (0, 0))
            cycle.evaluation_count = total
            cycle.done_count = done
            cycle.progress = 100.0 * done / total if total else 0.0

    def _late_domain(self, today=None):
        """Evaluations of these cycles whose current step is past its deadline."""
        today = today or fields.Date.context_today(self)
        return Domain("cycle_id", "in", self.ids) & Domain.OR(
            [
                Domain("state", "in", ("draft", "self_assessment"))
                & Domain("cycle_id.deadline_self", "<", today),
                Domain("state", "=", "manager_review")
                & Domain("cycle_id.deadline_manager", "<", today),
            ]
        )

    def _compute_late_count(self):
        counts = {}
        if self.ids:
            counts = dict(
                self.env["sales.performance.evaluation"]
                .sudo()
                ._read_group(
                    self._late_domain()
                    & Domain("cycle_id.state", "in", ("running", "calibration")),
                    groupby=["cycle_id"],
                    aggregates=["__count"],
                )
            )
        for cycle in self:
            cycle.late_count = counts.get(cycle, 0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("date_from", "date_to", "deadline_self", "deadline_manager")
    def _check_dates(self):
        for cycle in self:
            if cycle.date_to < cycle.date_from:
                raise ValidationError(
                    self.env._(
                        "The evaluation cycle %(name)s must end after it starts.",
                        name=cycle.name,
                    )
                )
            latest = cycle.date_to + timedelta(days=MAX_DEADLINE_DAYS)
            for deadline, label in (
                (cycle.deadline_self, self.env._("self-assessment deadline")),
                (cycle.deadline_manager, self.env._("manager review deadline")),
            ):
                if deadline and not cycle.date_from <= deadline <= latest:
                    raise ValidationError(
                        self.env._(
                            "The %(deadline)s of the cycle %(name)s must lie between "
                            "the start of the cycle (%(date_from)s) and one year "
                            "after its end (%(latest)s).",
                            deadline=label,
                            name=cycle.name,
                            date_from=cycle.date_from,
                            latest=latest,
                        )
                    )
            if (
                cycle.deadline_self
                and cycle.deadline_manager
                and cycle.deadline_manager < cycle.deadline_self
            ):
                raise ValidationError(
                    self.env._(
                        "The manager review deadline of the cycle %(name)s cannot be "
                        "before its self-assessment deadline.",
                        name=cycle.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        locked = {"date_from", "date_to", "template_id", "company_id", "employee_ids"}
        if locked & set(vals) and any(c.state != "draft" for c in self):
            raise UserError(
                self.env._(
                    "The period, template, participants and company of a launched "
                    "cycle are fixed; reset it to draft first."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_launched(self):
        if any(cycle.state != "draft" for cycle in self):
            raise UserError(self.env._("Only draft evaluation cycles can be deleted."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_state(self, states, message):
        if any(cycle.state not in states for cycle in self):
            raise UserError(message)

    def _check_launchable(self):
        """Everything that must hold before evaluations are created."""
        Evaluation = self.env["sales.performance.evaluation"].sudo()
        for cycle in self:
            if not cycle.template_id:
                raise UserError(
                    self.env._(
                        "Choose the evaluation template of the cycle %(name)s before "
                        "launching it.",
                        name=cycle.name,
                    )
                )
            if not cycle.employee_ids:
                raise UserError(
                    self.env._(
                        "Add the participants of the cycle %(name)s before launching "
                        "it.",
                        name=cycle.name,
                    )
                )
            overlapping = Evaluation.search(
                Evaluation._search_domain_for_period(
                    cycle.employee_ids, cycle.date_from, cycle.date_to
                )
                & Domain("cycle_id", "!=", cycle.id),
                order="date_from, id",
            )
            if overlapping:
                raise UserError(
                    self.env._(
                        "These participants are already evaluated for a period "
                        "overlapping the cycle %(name)s (%(date_from)s - "
                        "%(date_to)s): %(evaluations)s. Remove them from the cycle "
                        "or cancel those evaluations.",
                        name=cycle.name,
                        date_from=cycle.date_from,
                        date_to=cycle.date_to,
                        evaluations="; ".join(
                            self.env._(
                                "%(employee)s in %(cycle)s (%(date_from)s - "
                                "%(date_to)s)",
                                employee=evaluation.employee_id.name,
                                cycle=evaluation.cycle_id.name
                                or self.env._("no cycle"),
                                date_from=evaluation.date_from,
                                date_to=evaluation.date_to,
                            )
                            for evaluation in overlapping
                        ),
                    )
                )

    def _prepare_evaluation_vals(self):
        self.ensure_one()
        lines = self.template_id.sudo()._prepare_evaluation_lines()
        return [
            {
                "employee_id": employee.id,
                "company_id": self.company_id.id,
                "cycle_id": self.id,
                "template_id": self.template_id.id,
                "date_from": self.date_from,
                "date_to": self.date_to,
                "deadline": self.deadline_self or self.deadline_manager,
                "line_ids": list(lines),
            }
            for employee in self.employee_ids
        ]

    def action_launch(self):
        """Create one draft evaluation per participant from the template, over
        the cycle's period, with the deadline of the first step."""
        self._launch()
        return True

    def _launch(self):
        """:meth:`action_launch`, returning the evaluations it created."""
        self._check_state(
            {"draft"}, self.env._("Only draft evaluation cycles can be launched.")
        )
        self._check_launchable()
        Evaluation = self.env["sales.performance.evaluation"]
        evaluations = Evaluation
        for cycle in self:
            created = Evaluation.create(cycle._prepare_evaluation_vals())
            cycle.state = "running"
            cycle.message_post(
                body=self.env._(
                    "Cycle launched: %(count)s evaluations created.",
                    count=len(created),
                ),
                subtype_xmlid="mail.mt_note",
            )
            evaluations |= created
        return evaluations

    def action_start_self_assessments(self):
        """Start the self-assessment of every draft evaluation of the cycle
        that is ready (weights complete, targets found); report the others."""
        self._check_state(
            {"running"},
            self.env._("Self-assessments are started while the cycle is running."),
        )
        started = not_ready = self.env["sales.performance.evaluation"]
        for evaluation in self.evaluation_ids.filtered(lambda e: e.state == "draft"):
            try:
                with self.env.cr.savepoint():
                    evaluation.action_start_self_assessment()
                started |= evaluation
            except (UserError, ValidationError):
                not_ready |= evaluation
        message = self.env._(
            "%(started)s self-assessments started, %(waiting)s not ready (missing "
            "targets or incomplete weights): %(names)s",
            started=len(started),
            waiting=len(not_ready),
            names=", ".join(not_ready.sudo().employee_id.mapped("name")) or "-",
        )
        for cycle in self:
            cycle.message_post(body=message, subtype_xmlid="mail.mt_note")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Self-assessments"),
                "message": message,
                "type": "warning" if not_ready else "success",
                "sticky": False,
            },
        }

    def action_start_calibration(self):
        self._check_state(
            {"running"},
            self.env._("Only a running cycle can move to calibration."),
        )
        self.state = "calibration"
        return True

    def action_close(self):
        self._check_state(
            {"running", "calibration"},
            self.env._("Only a running cycle or one in calibration can be closed."),
        )
        for cycle in self:
            still_open = cycle.evaluation_ids.filtered(lambda e: e.state in OPEN_STATES)
            if still_open:
                raise UserError(
                    self.env._(
                        "The cycle %(name)s still has %(count)s evaluations in "
                        "progress (%(employees)s); complete or cancel them before "
                        "closing it.",
                        name=cycle.name,
                        count=len(still_open),
                        employees=", ".join(
                            still_open.sudo().employee_id.mapped("name")
                        ),
                    )
                )
        self.state = "closed"
        for cycle in self.filtered(lambda c: c.recurrence != "none"):
            cycle._create_next_cycle()
        return True

    def action_reset_to_draft(self):
        """Back to draft while nothing has started: the draft evaluations go."""
        self._check_state(
            {"running"}, self.env._("Only a running cycle can be reset to draft.")
        )
        started = self.evaluation_ids.filtered(lambda e: e.state != "draft")
        if started:
            raise UserError(
                self.env._(
                    "Evaluations of this cycle have already started (%(employees)s); "
                    "it cannot go back to draft.",
                    employees=", ".join(started.sudo().employee_id.mapped("name")),
                )
            )
        self.evaluation_ids.sudo().unlink()
        self.state = "draft"
        return True

    def action_open_evaluations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_evaluation_action"
        )
        action["domain"] = [("cycle_id", "=", self.id)]
        action["context"] = {
            "default_cycle_id": self.id,
            "search_default_group_state": 1,
        }
        return action

    def action_open_late_evaluations(self):
        action = self.action_open_evaluations()
        action["domain"] = list(self._late_domain())
        return action

    def action_open_employees(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Participants"),
            "res_model": "hr.employee",
            "view_mode": "list,form",
            "domain": [("id", "in", self.employee_ids.ids)],
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _shift(self, date_from, date_to, months):
        """The next period: the start moves by ``months``; a period ending on
        a month's last day ends on the last day of the shifted month."""
        next_from = date_from + relativedelta(months=months)
        next_to = date_to + timedelta(days=1) + relativedelta(months=months)
        return next_from, next_to - timedelta(days=1)

    def _create_next_cycle(self):
        self.ensure_one()
        existing = self.search([("previous_cycle_id", "=", self.id)], limit=1)
        if existing:
            return existing
        months = RECURRENCE_MONTHS[self.recurrence]
        date_from, date_to = self._shift(self.date_from, self.date_to, months)

        def offset(deadline):
            return deadline and date_to + (deadline - self.date_to)

        new = self.create(
            {
                "name": self.env._(
                    "%(name)s (next: %(date_from)s - %(date_to)s)",
                    name=self.name,
                    date_from=date_from,
                    date_to=date_to,
                ),
                "company_id": self.company_id.id,
                "date_from": date_from,
                "date_to": date_to,
                "template_id": self.template_id.id,
                "employee_ids": [fields.Command.set(self.employee_ids.ids)],
                "deadline_self": offset(self.deadline_self),
                "deadline_manager": offset(self.deadline_manager),
                "recurrence": self.recurrence,
                "previous_cycle_id": self.id,
            }
        )
        self.message_post(
            body=self.env._("Next cycle planned: %(name)s.", name=new.name),
            subtype_xmlid="mail.mt_note",
        )
        return new

    @api.model
    def _cron_remind_late_steps(self):
        """Remind, once per step, whoever's step of a running cycle is late:
        the employee after the self-assessment deadline, the manager after the
        review deadline (and the manager of an evaluation still in draft
        after the self-assessment deadline, since the employee cannot start)."""
        Evaluation = self.env["sales.performance.evaluation"].sudo()
        cycles = self.sudo().search([("state", "in", ("running", "calibration"))])
        late = Evaluation.search(cycles._late_domain())
        late = late.filtered(lambda e: e.late_reminder_state != e.state)
        for evaluation in late:
            evaluation._send_late_reminder()
        return len(late)
