"""Statement sign-off and disputes.

After approval the salesperson signs their statement off or disputes it (a
line or the whole statement). Incentive administrators resolve a dispute:
rejected with a resolution text, or accepted; an accepted dispute with an
amount becomes an explained adjustment line in the salesperson's next draft
statement of the same plan (an approved statement never changes). When that
statement does not exist yet, it takes the adjustment when it is generated
or recomputed.
"""

import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..engine.payout import fmt
from . import bulk

INCENTIVE_ADMIN = "sales_performance.group_sales_performance_incentive_admin"
ACTIVITY_DISPUTE = "sales_performance.mail_activity_type_incentive_dispute"
DISPUTE_SEQUENCE = "sales.performance.incentive.dispute"
# statements that can be signed off or disputed
DISPUTABLE_STATES = ("approved", "paid")
# a sane bound for an amount in dispute (in the statement's currency)
MAX_DISPUTE_AMOUNT = 1e9
# fields only the actions change (through the context key below)
ACTION_FIELDS = {
    "name",
    "statement_id",
    "user_id",
    "reason",
    "state",
    "resolved_by",
    "date_opened",
    "date_resolved",
}
RESOLUTION_FIELDS = {"line_id", "amount", "resolution"}
ACTION_CONTEXT = "incentive_dispute_action"


class SalesPerformanceIncentiveDispute(models.Model):
    _name = "sales.performance.incentive.dispute"
    _description = "Incentive Statement Dispute"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_opened desc, id desc"
    _check_company_auto = True
    # the salesperson comments on their own dispute (no write right needed)
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference",
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    statement_id = fields.Many2one(
        "sales.performance.incentive.statement",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    line_id = fields.Many2one(
        "sales.performance.incentive.statement.line",
        string="Disputed Line",
        index="btree_not_null",
        ondelete="restrict",
        domain="[('statement_id', '=', statement_id), ('line_type', '!=', 'band')]",
        tracking=True,
        help="Leave empty to dispute the statement as a whole.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
        help="The statement's salesperson, who opened the dispute.",
    )
    plan_id = fields.Many2one(
        related="statement_id.plan_id", store=True, index=True, string="Plan"
    )
    company_id = fields.Many2one(
        related="statement_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="statement_id.currency_id")
    date_from = fields.Date(related="statement_id.date_from", string="Period Start")
    date_to = fields.Date(related="statement_id.date_to", string="Period End")
    statement_amount = fields.Monetary(
        related="statement_id.amount_total", string="Statement Total"
    )
    line_amount = fields.Monetary(related="line_id.amount", string="Line Amount")
    reason = fields.Text(required=True, tracking=True)
    amount = fields.Monetary(
        tracking=True,
        help="What the salesperson claims (positive: owed to them, negative: "
        "overpaid); the administrator may correct it before accepting. An "
        "accepted dispute with an amount adjusts the next statement by it.",
    )
    state = fields.Selection(
        [("open", "Open"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        default="open",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    resolution = fields.Text(
        tracking=True, help="Why the dispute is accepted or rejected."
    )
    resolved_by = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    date_opened = fields.Date(
        string="Opened On",
        readonly=True,
        copy=False,
        index=True,
        default=fields.Date.context_today,
    )
    date_resolved = fields.Date(
        string="Resolved On", readonly=True, copy=False, tracking=True
    )
    age_days = fields.Integer(
        string="Age (days)",
        compute="_compute_age_days",
        help="Days the dispute is (or was) open.",
    )
    adjustment_line_ids = fields.One2many(
        "sales.performance.incentive.statement.line",
        "dispute_id",
        string="Adjustment Lines",
        readonly=True,
    )
    adjustment_line_id = fields.Many2one(
        "sales.performance.incentive.statement.line",
        string="Adjustment",
        compute="_compute_adjustment_line_id",
        help="The line of a later statement that pays the accepted amount.",
    )
    adjustment_statement_id = fields.Many2one(
        "sales.performance.incentive.statement",
        string="Adjusted In",
        compute="_compute_adjustment_line_id",
    )
    adjustment_pending = fields.Boolean(
        compute="_compute_adjustment_line_id",
        help="Accepted with an amount, waiting for the salesperson's next "
        "statement of the plan.",
    )
    can_resolve = fields.Boolean(compute="_compute_can_resolve")

    _open_per_line = models.UniqueIndex(
        "(line_id) WHERE state = 'open' AND line_id IS NOT NULL",
        "A statement line has one open dispute at a time.",
    )
    _open_per_statement = models.UniqueIndex(
        "(statement_id) WHERE state = 'open' AND line_id IS NULL",
        "A statement has one open dispute on it as a whole at a time.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("date_opened", "date_resolved")
    def _compute_age_days(self):
        today = fields.Date.context_today(self)
        for dispute in self:
            end = dispute.date_resolved or today
            dispute.age_days = (
                max((end - dispute.date_opened).days, 0) if dispute.date_opened else 0
            )

    @api.depends("state", "amount", "adjustment_line_ids", "adjustment_line_ids.state")
    def _compute_adjustment_line_id(self):
        for dispute in self:
            line = dispute._live_adjustment_lines()[:1]
            dispute.adjustment_line_id = line
            dispute.adjustment_statement_id = line.statement_id
            dispute.adjustment_pending = dispute._needs_adjustment()

    @api.depends_context("uid")
    def _compute_can_resolve(self):
        is_admin = self.env(su=False)[
            "res.users"
        ]._sales_performance_is_incentive_admin()
        for dispute in self:
            dispute.can_resolve = (
                is_admin
                and dispute.state == "open"
                and dispute.user_id != self.env.user
            )

    def _live_adjustment_lines(self):
        """The adjustment lines of the dispute in statements not cancelled."""
        self.ensure_one()
        return self.sudo().adjustment_line_ids.filtered(
            lambda line: line.statement_id.state != "cancel"
        )

    def _needs_adjustment(self):
        """Accepted with a non-zero amount and no adjustment line yet (or
        only in a cancelled statement)."""
        self.ensure_one()
        return (
            self.state == "accepted"
            and bool(self.currency_id)
            and not self.currency_id.is_zero(self.amount)
            and not self._live_adjustment_lines()
        )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("statement_id", "line_id")
    def _check_line(self):
        for dispute in self:
            if dispute.line_id and dispute.line_id.statement_id != dispute.statement_id:
                raise ValidationError(
                    self.env._(
                        "The disputed line %(line)s is not a line of %(statement)s.",
                        line=dispute.line_id.name,
                        statement=dispute.statement_id.name,
                    )
                )

    @api.constrains("statement_id", "user_id")
    def _check_user(self):
        for dispute in self:
            if dispute.user_id != dispute.statement_id.user_id:
                raise ValidationError(
                    self.env._(
                        "A dispute on %(statement)s is opened by its salesperson "
                        "%(user)s.",
                        statement=dispute.statement_id.name,
                        user=dispute.statement_id.user_id.name,
                    )
                )

    @api.constrains("amount")
    def _check_amount(self):
        for dispute in self:
            self._check_amount_value(dispute.amount)

    @api.model
    def _check_amount_value(self, amount):
        """An amount is a finite number within a sane bound (checked before
        the currency rounds it: rounding fails on NaN)."""
        try:
            amount = float(amount or 0.0)
        except (TypeError, ValueError):
            amount = math.nan
        if not math.isfinite(amount) or abs(amount) > MAX_DISPUTE_AMOUNT:
            raise ValidationError(
                self.env._(
                    "The amount of a dispute must be a number between "
                    "%(min)s and %(max)s.",
                    min=fmt(-MAX_DISPUTE_AMOUNT),
                    max=fmt(MAX_DISPUTE_AMOUNT),
                )
            )

    @api.constrains("reason")
    def _check_reason(self):
        for dispute in self:
            if not (dispute.reason or "").strip():
                raise ValidationError(self.env._("A dispute needs a reason."))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        """Only the statement's salesperson opens a dispute, on an approved or
        paid statement they have not signed off, one open dispute per line
        (and one on the statement as a whole) at a time."""
        Statement = self.env["sales.performance.incentive.statement"]
        Line = self.env["sales.performance.incentive.statement.line"]
        opening = set()
        for vals in vals_list:
            # malformed ids and values refused before they are browsed
            self._sales_performance_check_values(vals)
            if "amount" in vals:
                self._check_amount_value(vals["amount"])
            statement = Statement.browse(vals.get("statement_id")).exists()
            if not statement:
                raise ValidationError(self.env._("A dispute needs a statement."))
            if not self.env.su and statement.sudo().user_id != self.env.user:
                raise AccessError(
                    self.env._("Only the salesperson of a statement can dispute it.")
                )
            line = Line.sudo().browse(vals.get("line_id")).exists()
            statement.sudo()._check_disputable(line)
            statement.check_access("read")
            statement = statement.sudo()
            key = (statement.id, line.id)
            if key in opening:
                raise ValidationError(statement._open_dispute_error(line))
            opening.add(key)
            for fname in ("resolution", "resolved_by", "date_resolved"):
                vals.pop(fname, None)
            vals.update(
                user_id=statement.user_id.id,
                state="open",
                date_opened=fields.Date.context_today(self),
                name=self.env["ir.sequence"].sudo().next_by_code(DISPUTE_SEQUENCE)
                or self.env._("New"),
            )
        disputes = super().create(vals_list)
        disputes.sudo()._on_opened()
        return disputes

    def write(self, vals):
        if not self.env.context.get(ACTION_CONTEXT):
            business = {
                fname
                for fname in vals
                if not fname.startswith(("message_", "activity_"))
            }
            if (
                business
                and not self.env["res.users"]._sales_performance_is_incentive_admin()
            ):
                raise AccessError(
                    self.env._(
                        "A dispute changes through its actions (accept, reject) "
                        "or by an incentive administrator."
                    )
                )
            if business & ACTION_FIELDS:
                raise UserError(
                    self.env._(
                        "The salesperson, statement, reason, status and dates of "
                        "a dispute change through its actions only."
                    )
                )
            if business & RESOLUTION_FIELDS and any(
                dispute.state != "open" for dispute in self
            ):
                raise UserError(
                    self.env._(
                        "A resolved dispute keeps its line, amount and resolution."
                    )
                )
        if "amount" in vals:
            self._check_amount_value(vals["amount"])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "A dispute is never deleted: an administrator rejects it with a "
                "resolution instead."
            )
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_accept(self):
        """Accept the disputes: those with an amount adjust the salesperson's
        next draft statement of the plan (now, or when it is generated)."""
        self._check_resolver()
        for dispute in self:
            if dispute.statement_id.sudo().state == "cancel":
                raise UserError(
                    self.env._(
                        "%(statement)s is cancelled: reject the dispute %(dispute)s "
                        "instead.",
                        statement=dispute.statement_id.sudo().name,
                        dispute=dispute.name,
                    )
                )
        self._resolve("accepted")
        self.sudo()._settle_adjustments()
        self.sudo()._on_resolved()
        return True

    def action_reject(self):
        """Reject the disputes; each needs a resolution saying why."""
        self._check_resolver()
        missing = self.filtered(lambda d: not (d.resolution or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Say why the dispute %(dispute)s is rejected: fill in its "
                    "resolution first.",
                    dispute=missing[0].name,
                )
            )
        self._resolve("rejected")
        self.sudo()._on_resolved()
        return True

    def action_view_statement(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sales.performance.incentive.statement",
            "res_id": self.statement_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_adjustment(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sales.performance.incentive.statement",
            "res_id": self.adjustment_statement_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_resolver(self):
        """Incentive administrators resolve open disputes, never their own."""
        self.check_access("read")
        if not self.env["res.users"]._sales_performance_is_incentive_admin():
            raise AccessError(
                self.env._("Only an incentive administrator resolves a dispute.")
            )
        for dispute in self:
            if dispute.user_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "Nobody resolves their own dispute: %(dispute)s is yours.",
                        dispute=dispute.name,
                    )
                )
            if dispute.state != "open":
                raise UserError(
                    self.env._(
                        "The dispute %(dispute)s is already resolved.",
                        dispute=dispute.name,
                    )
                )

    def _resolve(self, state):
        self.sudo().with_context(**{ACTION_CONTEXT: True}).write(
            {
                "state": state,
                "resolved_by": self.env.user.id,
                "date_resolved": fields.Date.context_today(self),
            }
        )

    def _admins(self):
        """The incentive administrators of the dispute's company, except the
        salesperson who opened it."""
        self.ensure_one()
        group = self.env.ref(INCENTIVE_ADMIN)
        return group.sudo().all_user_ids.filtered(
            lambda user: not user.share
            and self.company_id in user.company_ids
            and user != self.user_id
        )

    def _on_opened(self):
        """``self`` (sudo) was just opened: an activity for each incentive
        administrator, a note on the statement, which is now disputed."""
        for dispute in self:
            for admin in dispute._admins():
                dispute.activity_schedule(
                    ACTIVITY_DISPUTE,
                    user_id=admin.id,
                    summary=self.env._(
                        "Resolve the dispute of %(user)s", user=dispute.user_id.name
                    ),
                )
            statement = dispute.statement_id
            statement.with_context(**{ACTION_CONTEXT: True}).write(
                {"signoff_state": "disputed"}
            )
            statement.message_post(
                body=self.env._(
                    "Dispute %(dispute)s opened on %(subject)s: %(reason)s",
                    dispute=dispute.name,
                    subject=dispute.line_id.name or statement.name,
                    reason=dispute.reason,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _on_resolved(self):
        """``self`` (sudo) was just resolved: the administrators' activities
        are done, the salesperson is told, the statement can be signed off
        again once no dispute on it is open."""
        for dispute in self:
            dispute.activity_feedback(
                [ACTIVITY_DISPUTE], feedback=dispute.resolution or False
            )
            params = {
                "dispute": dispute.name,
                "admin": self.env.user.name,
                "resolution": dispute.resolution or "-",
            }
            if dispute.state == "accepted":
                notice = self.env._(
                    "Your dispute %(dispute)s is accepted by %(admin)s. "
                    "Resolution: %(resolution)s",
                    **params,
                )
                note = self.env._(
                    "Dispute %(dispute)s is accepted by %(admin)s.", **params
                )
            else:
                notice = self.env._(
                    "Your dispute %(dispute)s is rejected by %(admin)s. "
                    "Resolution: %(resolution)s",
                    **params,
                )
                note = self.env._(
                    "Dispute %(dispute)s is rejected by %(admin)s.", **params
                )
            dispute.message_post(
                body=notice,
                partner_ids=dispute.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )
            dispute.statement_id.message_post(body=note, subtype_xmlid="mail.mt_note")
        statements = self.statement_id
        still_open = set(
            self.search(
                [("statement_id", "in", statements.ids), ("state", "=", "open")]
            ).statement_id.ids
        )
        statements.filtered(
            lambda s: s.id not in still_open and s.signoff_state == "disputed"
        ).with_context(**{ACTION_CONTEXT: True}).write({"signoff_state": "none"})

    def _settle_adjustments(self, within=None):
        """Adjustment lines for the accepted disputes of ``self`` (sudo) that
        need one: each in the earliest draft statement of its salesperson
        and plan after the disputed period; ``within``: only into these
        statements (those being recomputed). Returns the lines created."""
        Line = self.env["sales.performance.incentive.statement.line"].sudo()
        pending = self.filtered(lambda d: d._needs_adjustment())
        if not pending:
            return Line
        drafts = (
            self.env["sales.performance.incentive.statement"]
            .sudo()
            .search(
                [
                    ("state", "=", "draft"),
                    ("user_id", "in", pending.user_id.ids),
                    ("plan_id", "in", pending.plan_id.ids),
                ],
                order="date_from, id",
            )
        )
        by_owner = drafts.grouped(lambda s: (s.user_id, s.plan_id))
        vals_list, targets = [], []
        for dispute in pending:
            target = next(
                (
                    statement
                    for statement in by_owner.get(
                        (dispute.user_id, dispute.plan_id), ()
                    )
                    if statement.date_from > dispute.statement_id.date_to
                ),
                None,
            )
            if target is None or (within is not None and target not in within):
                continue
            vals_list.append(dispute._adjustment_vals(target))
            targets.append((dispute, target))
        if not vals_list:
            return Line
        lines = Line.with_context(incentive_recompute=True).create(vals_list)
        for (dispute, target), line in zip(targets, lines, strict=True):
            target.message_post(
                body=self.env._(
                    "Adjustment of %(amount)s from the accepted dispute %(dispute)s "
                    "on %(statement)s.",
                    amount=fmt(line.amount),
                    dispute=dispute.name,
                    statement=dispute.statement_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            dispute.message_post(
                body=self.env._(
                    "Adjustment of %(amount)s added to %(statement)s.",
                    amount=fmt(line.amount),
                    statement=target.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return lines

    def _adjustment_vals(self, target):
        """The explained adjustment line of the accepted dispute in the draft
        statement ``target``, in the salesperson's language."""
        self.ensure_one()
        env = self.with_context(lang=self.user_id.lang or self.env.lang or "en_US").env
        statement = self.statement_id
        amount = target.currency_id.round(self.amount)
        params = {
            "dispute": self.name,
            "statement": statement.name,
            "line": self.line_id.name,
            "amount": fmt(amount),
            "admin": self.resolved_by.name or "",
            "date": self.date_resolved or "",
            "reason": self.reason,
            "resolution": self.resolution or "-",
        }
        if self.line_id:
            name = env._("Dispute %(dispute)s: %(line)s", **params)
            explanation = env._(
                "Dispute %(dispute)s on the line %(line)s of %(statement)s, "
                "accepted by %(admin)s on %(date)s: %(amount)s. Reason: "
                "%(reason)s Resolution: %(resolution)s",
                **params,
            )
        else:
            name = env._("Dispute %(dispute)s: %(statement)s", **params)
            explanation = env._(
                "Dispute %(dispute)s on %(statement)s, accepted by %(admin)s on "
                "%(date)s: %(amount)s. Reason: %(reason)s Resolution: "
                "%(resolution)s",
                **params,
            )
        return {
            "statement_id": target.id,
            "line_type": "adjustment",
            "sequence": 950,
            "name": name,
            "amount": amount,
            "explanation": explanation,
            "dispute_id": self.id,
        }


class SalesPerformanceIncentiveStatement(models.Model):
    _inherit = "sales.performance.incentive.statement"

    signoff_state = fields.Selection(
        [
            ("none", "Not Signed Off"),
            ("signed", "Signed Off"),
            ("disputed", "Disputed"),
        ],
        string="Sign-off",
        default="none",
        copy=False,
        tracking=True,
        readonly=True,
        help="After approval, the salesperson signs the statement off or disputes it.",
    )
    signed_off_date = fields.Date(
        string="Signed Off On", readonly=True, copy=False, tracking=True
    )
    dispute_ids = fields.One2many(
        "sales.performance.incentive.dispute", "statement_id", string="Disputes"
    )
    dispute_count = fields.Integer(compute="_compute_dispute_count")
    can_sign_off = fields.Boolean(compute="_compute_can_sign_off")
    can_dispute = fields.Boolean(compute="_compute_can_sign_off")

    def _compute_dispute_count(self):
        counts = dict(
            self.env["sales.performance.incentive.dispute"]._read_group(
                [("statement_id", "in", self.ids)], ["statement_id"], ["__count"]
            )
        )
        for statement in self:
            statement.dispute_count = counts.get(statement, 0)

    @api.depends_context("uid")
    @api.depends("state", "user_id", "signoff_state")
    def _compute_can_sign_off(self):
        for statement in self:
            mine = (
                statement.user_id == self.env.user
                and statement.state in DISPUTABLE_STATES
            )
            statement.can_sign_off = mine and statement.signoff_state in (False, "none")
            statement.can_dispute = mine and statement.signoff_state != "signed"

    def write(self, vals):
        if "signoff_state" in vals or "signed_off_date" in vals:
            if not self.env.context.get(ACTION_CONTEXT):
                raise UserError(
                    self.env._(
                        "A statement is signed off or disputed by its salesperson "
                        "through its buttons only."
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_sign_off(self):
        """The salesperson accepts their approved (or paid) statement."""
        self.check_access("read")
        for statement in self:
            if statement.user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "Only the salesperson of %(statement)s signs it off.",
                        statement=statement.name,
                    )
                )
            statement._check_signable()
        self.sudo().with_context(**{ACTION_CONTEXT: True}).write(
            {
                "signoff_state": "signed",
                "signed_off_date": fields.Date.context_today(self),
            }
        )
        return True

    def action_open_dispute(self):
        """The dispute form, in a dialog, for this statement."""
        return self._action_open_dispute()

    def _action_open_dispute(self, line=None):
        """The dispute form, in a dialog, for this statement (or its
        ``line``)."""
        self.ensure_one()
        self.check_access("read")
        if self.user_id != self.env.user:
            raise AccessError(
                self.env._(
                    "Only the salesperson of a statement can dispute it: "
                    "%(statement)s is not yours.",
                    statement=self.name,
                )
            )
        self.sudo()._check_disputable(line)
        context = {"default_statement_id": self.id}
        if line:
            context["default_line_id"] = line.id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute"),
            "res_model": "sales.performance.incentive.dispute",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def action_view_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_incentive_dispute_action"
        )
        action["domain"] = [("statement_id", "=", self.id)]
        action["context"] = {"default_statement_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    def _check_signable(self):
        self.ensure_one()
        if self.state not in DISPUTABLE_STATES:
            raise UserError(
                self.env._(
                    "%(statement)s is not approved yet: only an approved or paid "
                    "statement is signed off.",
                    statement=self.name,
                )
            )
        if self.signoff_state == "signed":
            raise UserError(
                self.env._("%(statement)s is already signed off.", statement=self.name)
            )
        if self.signoff_state == "disputed":
            raise UserError(
                self.env._(
                    "%(statement)s has an open dispute: it is signed off once "
                    "the dispute is resolved.",
                    statement=self.name,
                )
            )

    def _check_disputable(self, line=None):
        """Raise unless the salesperson may open a dispute on ``self`` (sudo)
        or its ``line`` now."""
        self.ensure_one()
        if self.state not in DISPUTABLE_STATES:
            raise UserError(
                self.env._(
                    "%(statement)s is not approved yet: only an approved or paid "
                    "statement can be disputed.",
                    statement=self.name,
                )
            )
        if self.signoff_state == "signed":
            raise UserError(
                self.env._(
                    "%(statement)s is signed off: it can no longer be disputed.",
                    statement=self.name,
                )
            )
        if line and line.statement_id != self:
            raise ValidationError(
                self.env._(
                    "The disputed line %(line)s is not a line of %(statement)s.",
                    line=line.name,
                    statement=self.name,
                )
            )
        if line and line.line_type == "band":
            raise ValidationError(
                self.env._(
                    "Dispute the line %(line)s belongs to, not its band detail.",
                    line=line.name,
                )
            )
        if (
            self.env["sales.performance.incentive.dispute"]
            .sudo()
            .search_count(
                [
                    ("statement_id", "=", self.id),
                    ("line_id", "=", line.id if line else False),
                    ("state", "=", "open"),
                ],
                limit=1,
            )
        ):
            raise ValidationError(self._open_dispute_error(line))

    def _open_dispute_error(self, line):
        if line:
            return self.env._(
                "The line %(line)s of %(statement)s already has an open dispute.",
                line=line.name,
                statement=self.name,
            )
        return self.env._(
            "%(statement)s already has an open dispute on the statement as a whole.",
            statement=self.name,
        )

    # ------------------------------------------------------------------
    # Generation: accepted disputes whose next statement did not exist yet
    # ------------------------------------------------------------------
    @api.model
    def _create_generated(self, plan_users, date_from, date_to):
        created = super()._create_generated(plan_users, date_from, date_to)
        if created:
            # inserted in bulk: no ORM default
            bulk.update(created, [{"signoff_state": "none"}] * len(created))
        return created

    def _recompute_lines(self, created=None):
        """Before the lines are recomputed, each draft statement takes the
        adjustments of the accepted disputes waiting for it (they are manual
        adjustments: they stay and count in the total)."""
        # one query whatever the number of statements (no prefetch batches)
        self.sudo().fetch(["state", "user_id", "plan_id"])
        drafts = self.sudo().filtered(lambda s: s.state == "draft")
        if drafts:
            self.env["sales.performance.incentive.dispute"].sudo().search(
                [
                    ("state", "=", "accepted"),
                    ("amount", "!=", 0),
                    ("user_id", "in", drafts.user_id.ids),
                    ("plan_id", "in", drafts.plan_id.ids),
                ]
            )._settle_adjustments(within=drafts)
        return super()._recompute_lines(created)


class SalesPerformanceIncentiveStatementLine(models.Model):
    _inherit = "sales.performance.incentive.statement.line"

    dispute_id = fields.Many2one(
        "sales.performance.incentive.dispute",
        string="From Dispute",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The accepted dispute this adjustment pays.",
    )

    _one_adjustment_per_dispute = models.UniqueIndex(
        "(dispute_id) WHERE dispute_id IS NOT NULL AND state != 'cancel'",
        "An accepted dispute adjusts one statement only.",
    )

    def write(self, vals):
        if not self.env.context.get("incentive_recompute") and self.filtered(
            "dispute_id"
        ):
            raise UserError(
                self.env._(
                    "The adjustment of an accepted dispute changes through the "
                    "dispute only."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_dispute_adjustment(self):
        if not self.env.context.get("incentive_recompute") and self.filtered(
            "dispute_id"
        ):
            raise UserError(
                self.env._(
                    "The adjustment of an accepted dispute changes through the "
                    "dispute only."
                )
            )

    def action_open_dispute(self):
        """Dispute this line (from the statement's line list)."""
        self.ensure_one()
        self.check_access("read")
        return self.statement_id._action_open_dispute(line=self)
