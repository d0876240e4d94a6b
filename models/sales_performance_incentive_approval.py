import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.misc import format_datetime

from ..engine import approval

# A threshold above this is a typing error, not a statement total.
MAX_THRESHOLD = 1e12


class SalesPerformanceIncentiveApprovalLevel(models.Model):
    """A step of a plan's approval route: who approves (the salesperson's
    team leader, the members of a group or one user) and from which
    statement total."""

    _name = "sales.performance.incentive.approval.level"
    _description = "Incentive Approval Level"
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "sales.performance.incentive.plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    approver_type = fields.Selection(
        [
            ("team_leader", "Team Leader of the Salesperson"),
            ("group", "Members of a Group"),
            ("user", "A User"),
        ],
        string="Approver",
        compute="_compute_approver_type",
        store=True,
        readonly=False,
        precompute=True,
        help="Who approves at this level: the leader of a sales team of the "
        "salesperson, any member of the group, or the user.",
    )
    group_id = fields.Many2one("res.groups", ondelete="restrict")
    user_id = fields.Many2one(
        "res.users",
        ondelete="restrict",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    amount_threshold = fields.Monetary(
        string="From Total",
        help="The level approves the statements whose total reaches this amount; "
        "empty: every statement.",
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")

    @api.depends("group_id", "user_id")
    def _compute_approver_type(self):
        for level in self:
            if level.group_id:
                level.approver_type = "group"
            elif level.user_id:
                level.approver_type = "user"
            elif level.approver_type != "team_leader":
                level.approver_type = False

    @api.constrains("approver_type", "group_id", "user_id")
    def _check_approver(self):
        for level in self:
            if not level.approver_type:
                raise ValidationError(
                    self.env._(
                        "The approval level %(level)s needs an approver: the team "
                        "leader, a group or a user.",
                        level=level.name,
                    )
                )
            if level.group_id and level.user_id:
                raise ValidationError(
                    self.env._(
                        "The approval level %(level)s is approved by a group or by "
                        "a user, not both.",
                        level=level.name,
                    )
                )
            if level.approver_type == "group" and not level.group_id:
                raise ValidationError(
                    self.env._(
                        "The approval level %(level)s needs the group of its "
                        "approvers.",
                        level=level.name,
                    )
                )
            if level.approver_type == "user" and not level.user_id:
                raise ValidationError(
                    self.env._(
                        "The approval level %(level)s needs its approver.",
                        level=level.name,
                    )
                )
            if level.approver_type == "team_leader" and (
                level.group_id or level.user_id
            ):
                raise ValidationError(
                    self.env._(
                        "The approval level %(level)s is approved by the team "
                        "leader: it names no group or user.",
                        level=level.name,
                    )
                )
            user = level.user_id
            if user and (user.share or level.company_id not in user.company_ids):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot approve the level %(level)s: an approver is "
                        "an internal user of the company %(company)s.",
                        user=user.name,
                        level=level.name,
                        company=level.company_id.name,
                    )
                )

    @api.constrains("amount_threshold", "sequence", "plan_id")
    def _check_thresholds(self):
        for level in self:
            threshold = level.amount_threshold
            if not math.isfinite(threshold) or not 0 <= threshold <= MAX_THRESHOLD:
                raise ValidationError(
                    self.env._(
                        "The threshold of the approval level %(level)s must be an "
                        "amount between 0 and %(max)s.",
                        level=level.name,
                        max=f"{MAX_THRESHOLD:,.0f}",
                    )
                )
        for plan in self.plan_id:
            levels = plan.approval_level_ids.sorted(lambda lv: (lv.sequence, lv.id))
            index = approval.first_not_increasing(levels.mapped("amount_threshold"))
            if index is not None:
                raise ValidationError(
                    self.env._(
                        "The thresholds of the approval route of %(plan)s must "
                        "increase: %(level)s (from %(amount)s) comes after "
                        "%(previous)s (from %(previous_amount)s). Levels for every "
                        "total come first, then each threshold above the one "
                        "before.",
                        plan=plan.name,
                        level=levels[index].name,
                        amount=levels[index].amount_threshold,
                        previous=levels[index - 1].name,
                        previous_amount=levels[index - 1].amount_threshold,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_finite_threshold(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_finite_threshold(vals)
        return super().write(vals)

    def _check_finite_threshold(self, vals):
        """NaN and infinity fail the currency rounding before any constraint:
        refuse them first, with the same sentence."""
        threshold = vals.get("amount_threshold")
        if isinstance(threshold, float) and not math.isfinite(threshold):
            raise ValidationError(
                self.env._(
                    "The threshold of the approval level %(level)s must be an "
                    "amount between 0 and %(max)s.",
                    level=vals.get("name") or ", ".join(self.mapped("name")),
                    max=f"{MAX_THRESHOLD:,.0f}",
                )
            )

    def _approver_label(self):
        """Who approves at this level, for messages."""
        self.ensure_one()
        if self.approver_type == "group":
            return self.group_id.sudo().display_name
        if self.approver_type == "user":
            return self.user_id.sudo().name
        return self.env._("the salesperson's team leader")

    def _qualifies(self, user, statement):
        """True when ``user`` approves ``statement`` at this level (never the
        statement's salesperson)."""
        self.ensure_one()
        if not user or user == statement.user_id:
            return False
        if self.approver_type == "user":
            return self.user_id == user
        if self.approver_type == "group":
            return self.group_id in user.sudo().all_group_ids
        return user._sales_performance_leads(statement.user_id)


class SalesPerformanceIncentiveApproval(models.Model):
    """One step of a statement's approval route: who approved which level,
    and when. Steps of a statement reset to draft or cancelled are archived
    (the chatter keeps their history)."""

    _name = "sales.performance.incentive.approval"
    _description = "Incentive Statement Approval Step"
    _order = "statement_id, date, id"

    statement_id = fields.Many2one(
        "sales.performance.incentive.statement",
        required=True,
        index=True,
        ondelete="cascade",
    )
    level_id = fields.Many2one(
        "sales.performance.incentive.approval.level",
        required=True,
        ondelete="restrict",
    )
    user_id = fields.Many2one(
        "res.users", string="Approved By", required=True, ondelete="restrict"
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    active = fields.Boolean(default=True)
    salesperson_id = fields.Many2one(
        related="statement_id.user_id", string="Salesperson", store=True, index=True
    )
    plan_id = fields.Many2one(related="statement_id.plan_id", store=True, index=True)
    company_id = fields.Many2one(
        related="statement_id.company_id", store=True, index=True
    )
    amount_total = fields.Monetary(related="statement_id.amount_total")
    currency_id = fields.Many2one(related="statement_id.currency_id")

    _one_step_per_level = models.UniqueIndex(
        "(statement_id, level_id) WHERE active",
        "A level approves a statement once.",
    )


class SalesPerformanceIncentivePlan(models.Model):
    _inherit = "sales.performance.incentive.plan"

    approval_level_ids = fields.One2many(
        "sales.performance.incentive.approval.level",
        "plan_id",
        string="Approval Levels",
        copy=True,
    )


class SalesPerformanceIncentiveStatement(models.Model):
    _inherit = "sales.performance.incentive.statement"

    approval_ids = fields.One2many(
        "sales.performance.incentive.approval",
        "statement_id",
        string="Approvals",
        readonly=True,
    )
    next_approval_level_id = fields.Many2one(
        "sales.performance.incentive.approval.level",
        string="Awaiting Approval Of",
        compute="_compute_next_approval_level_id",
    )

    @api.depends("state", "amount_total", "approval_ids.level_id")
    def _compute_next_approval_level_id(self):
        for statement in self:
            statement.next_approval_level_id = (
                statement.sudo()._next_approval_level()
                if statement.state == "confirmed"
                else False
            )

    @api.depends_context("uid")
    def _compute_can_approve(self):
        result = super()._compute_can_approve()
        user = self.env.user
        for statement in self:
            if statement.state != "confirmed":
                continue
            level = statement.sudo()._next_approval_level()
            if level:
                statement.can_approve = (
                    level._qualifies(user, statement)
                    and user not in statement.sudo().approval_ids.user_id
                )
        return result

    # ------------------------------------------------------------------
    # Route
    # ------------------------------------------------------------------
    def _applicable_levels(self):
        """The levels of the plan's route that apply to the total, in order."""
        self.ensure_one()
        levels = self.plan_id.sudo().approval_level_ids.sorted(
            lambda lv: (lv.sequence, lv.id)
        )
        if not levels:
            return levels
        precision = (self.currency_id.rounding or 0.01) / 2
        keys = approval.applicable(
            [(level.id, level.amount_threshold) for level in levels],
            self.amount_total,
            precision,
        )
        return levels.filtered(lambda lv: lv.id in keys)

    def _next_approval_level(self):
        """The first applicable level not approved yet (empty when the route
        is complete or the plan has none)."""
        self.ensure_one()
        levels = self._applicable_levels()
        key = approval.next_pending(levels.ids, self.sudo().approval_ids.level_id.ids)
        return levels.browse(key) if key else levels.browse()

    def _approve_level(self):
        """Record the current user's approval of the next level of the route
        (after checking they qualify and approved no other level)."""
        self.ensure_one()
        user = self.env.user
        level = self._next_approval_level()
        if not self.env.su:
            if self.user_id == user:
                raise AccessError(
                    self.env._(
                        "Nobody approves or manages their own incentive statement."
                    )
                )
            if not level._qualifies(user, self):
                raise AccessError(
                    self.env._(
                        "%(name)s awaits the approval of the level %(level)s, by "
                        "%(approver)s: you cannot approve it.",
                        name=self.name,
                        level=level.name,
                        approver=level._approver_label(),
                    )
                )
            done = self.sudo().approval_ids.filtered(lambda a: a.user_id == user)
            if done:
                raise UserError(
                    self.env._(
                        "%(user)s already approved %(name)s at the level %(level)s: "
                        "the same person never approves two levels of a statement.",
                        user=user.name,
                        name=self.name,
                        level=done[0].level_id.name,
                    )
                )
        step = (
            self.env["sales.performance.incentive.approval"]
            .sudo()
            .create({"statement_id": self.id, "level_id": level.id, "user_id": user.id})
        )
        self.sudo().message_post(
            body=self.env._(
                "Approved at the level %(level)s by %(user)s on %(date)s.",
                level=level.name,
                user=user.name,
                date=format_datetime(self.env, step.date),
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return level

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def action_approve(self):
        """With an approval route, each call approves the next applicable
        level the current user qualifies for; the statement becomes approved
        (and ``_on_approved`` runs, once) at the last one. Without a route,
        or when no level applies to the total, the team leader or an
        incentive administrator approves in one step."""
        self.check_access("read")
        self._check_state(("confirmed",), "approve")
        routed = self.filtered(lambda s: s.sudo()._applicable_levels())
        results = []
        if self - routed:
            results.append(
                super(
                    SalesPerformanceIncentiveStatement, self - routed
                ).action_approve()
            )
        final = self.browse()
        waiting = []
        for statement in routed:
            level = statement._approve_level()
            following = statement._next_approval_level()
            if following:
                waiting.append((statement, level, following))
            else:
                final |= statement
        if final:
            # the route checked who approves: the base rules (team leader or
            # administrator) do not apply again; approved_by_id is the real user
            results.append(
                super(SalesPerformanceIncentiveStatement, final.sudo()).action_approve()
            )
        for result in results:
            if isinstance(result, dict):
                return result
        if waiting and not final:
            statement, level, following = waiting[0]
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "title": self.env._("Approval recorded"),
                    "message": self.env._(
                        "%(name)s is approved at the level %(level)s; it now awaits "
                        "the level %(next)s (%(approver)s).",
                        name=statement.name,
                        level=level.name,
                        next=following.name,
                        approver=following._approver_label(),
                    ),
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        return True

    def action_draft(self):
        result = super().action_draft()
        self._clear_approvals()
        return result

    def action_cancel(self):
        result = super().action_cancel()
        self._clear_approvals()
        return result

    def _clear_approvals(self):
        """Archive the approval steps of statements reset to draft or
        cancelled: the route starts again from its first level."""
        steps = self.sudo().approval_ids
        if not steps:
            return
        for statement in self.sudo().filtered("approval_ids"):
            statement.message_post(
                body=self.env._(
                    "Approval steps cleared (%(levels)s): the route starts again "
                    "from its first level.",
                    levels=", ".join(statement.approval_ids.level_id.mapped("name")),
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        steps.write({"active": False})
        # before a new step of the same level is inserted (unique while active)
        steps.flush_recordset(["active"])
