from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..engine import training

TRAINING_MANAGER = "sales_performance.group_sales_performance_training_manager"
# What an employee (or a manager) may write on a record without being a
# training manager: the certificate they upload.
SELF_FIELDS = {"certificate", "certificate_filename"}


class SalesPerformanceTrainingRecord(models.Model):
    _name = "sales.performance.training.record"
    _description = "Training Record"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_completed desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    employee_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    employee_user_id = fields.Many2one(
        related="employee_id.user_id", store=True, index=True, string="User"
    )
    company_id = fields.Many2one(
        related="employee_id.company_id", store=True, index=True, precompute=True
    )
    course_id = fields.Many2one(
        "sales.performance.training.course",
        required=True,
        index=True,
        ondelete="restrict",
        compute="_compute_course_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    session_id = fields.Many2one(
        "sales.performance.training.session",
        index=True,
        ondelete="restrict",
        help="Empty for self-paced or external training.",
    )
    status = fields.Selection(
        [
            ("registered", "Registered"),
            ("attended", "Attended"),
            ("passed", "Passed"),
            ("failed", "Failed"),
            ("absent", "Absent"),
        ],
        default="registered",
        required=True,
        tracking=True,
        index=True,
    )
    score = fields.Float(digits=(16, 2), tracking=True, help="From 0 to 100.")
    hours = fields.Float(
        digits=(16, 2),
        compute="_compute_hours",
        store=True,
        readonly=False,
        precompute=True,
        help="The course's duration unless told otherwise: set when the record "
        "is created and when it is marked attended, passed or failed without "
        "hours (never for an absence).",
    )
    date_completed = fields.Date(string="Completed On", tracking=True)
    date_expiry = fields.Date(
        string="Certificate Expiry",
        compute="_compute_date_expiry",
        store=True,
        readonly=False,
        tracking=True,
    )
    certificate_state = fields.Selection(
        [
            ("none", "No Certificate"),
            ("valid", "Valid"),
            ("expiring", "Expiring Soon"),
            ("expired", "Expired"),
        ],
        compute="_compute_certificate_state",
    )
    certificate = fields.Binary(attachment=True, copy=False)
    certificate_filename = fields.Char()
    need_id = fields.Many2one("sales.performance.training.need", readonly=True)
    expiry_notified = fields.Boolean(readonly=True, copy=False)

    _unique_session = models.UniqueIndex(
        "(employee_id, session_id)",
        "An employee is already registered for this session.",
    )

    @api.depends("employee_id.name", "course_id.name")
    def _compute_name(self):
        for record in self:
            record.name = " - ".join(
                p for p in (record.employee_id.name, record.course_id.name) if p
            )

    @api.depends("session_id")
    def _compute_course_id(self):
        for record in self:
            if record.session_id:
                record.course_id = record.session_id.course_id

    @api.depends("status", "course_id")
    def _compute_hours(self):
        for record in self:
            # absent: no hours; the others spent (or will spend) the course
            if not record.hours and record.status != "absent":
                record.hours = record.course_id.duration_hours
            else:
                record.hours = record.hours

    @api.depends("status", "date_completed", "course_id.validity_months")
    def _compute_date_expiry(self):
        for record in self:
            if record.status == "passed":
                record.date_expiry = record.course_id._expiry_date(
                    record.date_completed
                )
            else:
                record.date_expiry = False

    @api.depends("date_expiry", "status")
    def _compute_certificate_state(self):
        today = fields.Date.context_today(self)
        warn_days = self._expiry_warning_days()
        for record in self:
            if record.status != "passed":
                record.certificate_state = "none"
            else:
                record.certificate_state = training.certificate_state(
                    record.date_expiry, today, warn_days
                )

    @api.constrains("hours", "score")
    def _check_values(self):
        for record in self:
            if record.hours < 0:
                raise ValidationError(
                    self.env._("The hours of a training cannot be negative.")
                )
            if not training.valid_score(record.score):
                raise ValidationError(self.env._("A score must be between 0 and 100."))

    @api.constrains("session_id")
    def _check_capacity(self):
        self.session_id._check_capacity()

    @api.constrains("session_id", "course_id")
    def _check_session_course(self):
        for record in self.filtered("session_id"):
            if record.session_id.course_id != record.course_id:
                raise ValidationError(
                    self.env._("The session belongs to another course.")
                )

    # ------------------------------------------------------------------
    # CRUD: what people who are not training managers may do
    # ------------------------------------------------------------------
    def _is_training_manager(self):
        return self.env.su or self.env.user.has_group(TRAINING_MANAGER)

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_training_manager():
            own = self.env.user.employee_ids
            for vals in vals_list:
                session = self.env["sales.performance.training.session"].browse(
                    vals.get("session_id")
                )
                forbidden = set(vals) - {"employee_id", "session_id", "status"}
                if forbidden or vals.get("status", "registered") != "registered":
                    raise AccessError(
                        self.env._(
                            "Only a training manager can record the result of a "
                            "training."
                        )
                    )
                if vals.get("employee_id") not in own.ids:
                    raise AccessError(
                        self.env._("You can only register yourself for a session.")
                    )
                if not session or session.sudo().state != "planned":
                    raise UserError(
                        self.env._("You can only register for a planned session.")
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self._is_training_manager() and set(vals) - SELF_FIELDS:
            raise AccessError(
                self.env._(
                    "Only a training manager can record the result of a training."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_own_registration(self):
        if self._is_training_manager():
            return
        for record in self:
            if (
                record.employee_user_id != self.env.user
                or record.status != "registered"
                or record.session_id.sudo().state != "planned"
            ):
                raise AccessError(
                    self.env._(
                        "You can only cancel your own registration to a planned "
                        "session."
                    )
                )

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    @api.model
    def _expiry_warning_days(self):
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("sales_performance.training_expiry_warning_days", "30")
        )
        try:
            return int(param)
        except ValueError:
            return 30

    @api.model
    def _valid_certificates(self, employees, courses, day=None):
        """Passed records of ``employees`` for ``courses`` valid on ``day``."""
        day = day or fields.Date.context_today(self)
        records = self.sudo().search(
            [
                ("employee_id", "in", employees.ids),
                ("course_id", "in", courses.ids),
                ("status", "=", "passed"),
            ]
        )
        return records.filtered(
            lambda r: training.is_valid_certificate(
                r.date_expiry, day, has_validity=bool(r.course_id.validity_months)
            )
        )

    @api.model
    def _cron_notify_expiring(self):
        """Activities for the employee and the manager ahead of the expiry of
        a certificate (once per record)."""
        today = fields.Date.context_today(self)
        limit = fields.Date.add(today, days=self._expiry_warning_days())
        records = self.sudo().search(
            [
                ("status", "=", "passed"),
                ("date_expiry", "!=", False),
                ("date_expiry", ">=", today),
                ("date_expiry", "<=", limit),
                ("expiry_notified", "=", False),
            ]
        )
        activity_type = self.env.ref(
            "sales_performance.mail_activity_type_training_renewal",
            raise_if_not_found=False,
        )
        for record in records:
            employee = record.employee_id
            users = employee.user_id | employee.parent_id.user_id
            lang = employee.user_id.lang or self.env.lang or "en_US"
            summary = record.with_context(lang=lang).env._(
                "Certificate %(course)s expires on %(date)s",
                course=record.course_id.with_context(lang=lang).name,
                date=record.date_expiry,
            )
            for user in users:
                record.activity_schedule(
                    activity_type_id=activity_type.id if activity_type else False,
                    date_deadline=record.date_expiry,
                    summary=summary,
                    user_id=user.id,
                )
            record.expiry_notified = True
        return True
