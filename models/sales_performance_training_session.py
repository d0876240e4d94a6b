from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

TRAINING_MANAGER = "sales_performance.group_sales_performance_training_manager"


class SalesPerformanceTrainingSession(models.Model):
    _name = "sales.performance.training.session"
    _description = "Training Session"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    course_id = fields.Many2one(
        "sales.performance.training.course",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    date_start = fields.Datetime(string="Start", required=True, tracking=True)
    date_end = fields.Datetime(string="End", required=True, tracking=True)
    trainer = fields.Char()
    trainer_id = fields.Many2one("hr.employee", string="Internal Trainer")
    location = fields.Char(string="Location or Link")
    capacity = fields.Integer(help="Maximum number of attendees; 0 means no limit.")
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        default="planned",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    record_ids = fields.One2many(
        "sales.performance.training.record", "session_id", string="Attendees"
    )
    attendee_count = fields.Integer(compute="_compute_attendee_count")
    seats_available = fields.Integer(compute="_compute_attendee_count")

    @api.depends("course_id.name", "date_start")
    def _compute_name(self):
        for session in self:
            day = session.date_start and fields.Date.to_string(
                session.date_start.date()
            )
            session.name = " - ".join(p for p in (session.course_id.name, day) if p)

    @api.depends("record_ids", "capacity")
    def _compute_attendee_count(self):
        for session in self:
            count = len(session.sudo().record_ids)
            session.attendee_count = count
            session.seats_available = (
                max(session.capacity - count, 0) if session.capacity else 9999
            )

    @api.constrains("date_start", "date_end", "capacity")
    def _check_dates(self):
        for session in self:
            if session.date_end < session.date_start:
                raise ValidationError(
                    self.env._("A session cannot end before it starts.")
                )
            if session.capacity < 0:
                raise ValidationError(self.env._("The capacity cannot be negative."))

    @api.constrains("capacity", "record_ids")
    def _check_capacity(self):
        for session in self.sudo():
            if session.capacity and len(session.record_ids) > session.capacity:
                raise ValidationError(
                    self.env._(
                        "The session %(session)s is full (%(capacity)s seats).",
                        session=session.name,
                        capacity=session.capacity,
                    )
                )

    def _check_training_manager(self):
        if not (self.env.su or self.env.user.has_group(TRAINING_MANAGER)):
            raise AccessError(
                self.env._("Only a training manager or an HR officer can do this.")
            )

    def action_start(self):
        self._check_training_manager()
        if any(s.state != "planned" for s in self):
            raise UserError(self.env._("Only a planned session can start."))
        self.write({"state": "in_progress"})
        return True

    def action_cancel(self):
        self._check_training_manager()
        if any(s.state == "done" for s in self):
            raise UserError(self.env._("A done session cannot be cancelled."))
        self.write({"state": "cancel"})
        return True

    def action_close(self):
        """Close the session: every registration still open becomes a record
        of attendance (attended, with the course hours and the completion
        date), in one step. Results (passed/failed/absent) set on the lines
        before closing are kept."""
        self._check_training_manager()
        for session in self:
            if session.state not in ("planned", "in_progress"):
                raise UserError(
                    self.env._("Only a planned or running session can be closed.")
                )
            day = session.date_end.date()
            for record in session.record_ids:
                vals = {}
                if record.status == "registered":
                    vals["status"] = "attended"
                if record.status != "absent":
                    if not record.hours:
                        vals["hours"] = session.course_id.duration_hours
                    if not record.date_completed:
                        vals["date_completed"] = day
                if vals:
                    record.write(vals)
        self.write({"state": "done"})
        return True

    def action_register(self):
        """Register the current user's employee for the session."""
        self.ensure_one()
        employee = self.env.user.employee_id
        if not employee:
            raise UserError(self.env._("Your user is not linked to an employee."))
        self.env["sales.performance.training.record"].create(
            {"session_id": self.id, "employee_id": employee.id}
        )
        return True

    def _register(self, employee):
        """Register ``employee`` (manager side: accepted needs)."""
        self.ensure_one()
        return (
            self.env["sales.performance.training.record"]
            .sudo()
            .create({"session_id": self.id, "employee_id": employee.id})
        )
