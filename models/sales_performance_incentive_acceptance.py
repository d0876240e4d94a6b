import base64

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

from ..engine import payout

ACTIVITY_TYPE = "sales_performance.mail_activity_type_incentive_acceptance"
# Worked examples of the plan document: the achieved value at these shares of
# a reference target (an amount, or a number of records for count metrics).
EXAMPLE_ATTAINMENTS = (80, 100, 120)
EXAMPLE_TARGET_AMOUNT = 100000.0
EXAMPLE_TARGET_COUNT = 20.0
# What only action_accept (or the publication) sets.
PROTECTED_FIELDS = {
    "version_id",
    "user_id",
    "state",
    "date_accepted",
    "attachment_id",
    "date_published",
}


class SalesPerformanceIncentiveAcceptance(models.Model):
    _name = "sales.performance.incentive.acceptance"
    _description = "Incentive Plan Acceptance"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_published desc, id desc"
    _check_company_auto = True
    # the salesperson may comment on their own acceptance (read is enough)
    _mail_post_access = "read"

    name = fields.Char(compute="_compute_name", store=True)
    version_id = fields.Many2one(
        "sales.performance.incentive.plan.version",
        string="Plan Version",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    plan_id = fields.Many2one(
        related="version_id.plan_id", store=True, index=True, string="Plan"
    )
    company_id = fields.Many2one(
        related="version_id.company_id", store=True, index=True, string="Company"
    )
    version = fields.Integer(related="version_id.version", string="Version")
    version_date_from = fields.Date(
        related="version_id.date_from", string="Effective From"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    state = fields.Selection(
        [("pending", "Pending"), ("accepted", "Accepted")],
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )
    date_published = fields.Datetime(
        string="Published On", readonly=True, default=fields.Datetime.now
    )
    date_accepted = fields.Datetime(
        string="Accepted On", readonly=True, copy=False, tracking=True
    )
    attachment_id = fields.Many2one(
        "ir.attachment",
        string="Accepted Document",
        readonly=True,
        copy=False,
        help="The plan document as it was when the salesperson accepted it.",
    )
    is_mine = fields.Boolean(compute="_compute_is_mine")

    _version_user_unique = models.UniqueIndex(
        "(version_id, user_id)",
        "A salesperson accepts each plan version once.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("version_id.display_name", "user_id.name")
    def _compute_name(self):
        for acceptance in self:
            acceptance.name = "%s · %s" % (
                acceptance.user_id.name or "",
                acceptance.version_id.display_name or "",
            )

    @api.depends_context("uid")
    def _compute_is_mine(self):
        for acceptance in self:
            acceptance.is_mine = acceptance.user_id == self.env.user

    # ------------------------------------------------------------------
    # CRUD: the acceptance is the salesperson's, recorded by action_accept
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            set(vals) & (PROTECTED_FIELDS - {"version_id", "user_id"})
            for vals in vals_list
        ):
            raise AccessError(
                self.env._(
                    "An acceptance is created pending: only the salesperson accepts it."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and set(vals) & PROTECTED_FIELDS:
            raise AccessError(
                self.env._(
                    "An acceptance changes only when its salesperson accepts the plan."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_pending(self):
        if any(acceptance.state == "accepted" for acceptance in self):
            raise UserError(
                self.env._(
                    "An accepted plan is the salesperson's consent: it cannot be "
                    "deleted."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_accept(self):
        """The salesperson accepts the plan version: the date is recorded, the
        plan document (in their language) attached, the activity marked as
        done and the chatter told; statements held for the missing acceptance
        are released."""
        self.check_access("read")
        for acceptance in self:
            if acceptance.user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "Only %(user)s can accept %(plan)s: nobody accepts a plan "
                        "for somebody else.",
                        user=acceptance.user_id.name,
                        plan=acceptance.version_id.display_name,
                    )
                )
            if acceptance.state == "accepted":
                raise UserError(
                    self.env._(
                        "%(plan)s was already accepted on %(date)s.",
                        plan=acceptance.version_id.display_name,
                        date=format_datetime(self.env, acceptance.date_accepted),
                    )
                )
        now = fields.Datetime.now()
        for acceptance in self.sudo():
            acceptance.write({"state": "accepted", "date_accepted": now})
            attachment = acceptance._attach_document()
            acceptance.attachment_id = attachment
            acceptance.activity_feedback(
                [ACTIVITY_TYPE],
                feedback=self.env._("Plan accepted."),
                only_automated=False,
            )
            acceptance.message_post(
                body=self.env._(
                    "%(user)s accepted %(plan)s.",
                    user=acceptance.user_id.name,
                    plan=acceptance.version_id.display_name,
                ),
                attachment_ids=attachment.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        self.sudo()._release_statement_holds()
        return True

    def action_print(self):
        """The plan document of the version, in the salesperson's language."""
        return self.env.ref(
            "sales_performance.action_report_incentive_plan_acceptance"
        ).report_action(self)

    def action_open_document(self):
        """Download the document attached when the plan was accepted."""
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(
                self.env._("The plan is not accepted yet: there is no signed copy.")
            )
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % self.attachment_id.id,
            "target": "self",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _attach_document(self):
        """Render the plan document of this (sudo) acceptance in the
        salesperson's language and keep it as an attachment of the
        acceptance."""
        self.ensure_one()
        lang = self.user_id.lang or self.env.lang or "en_US"
        report = self.env["ir.actions.report"].with_context(lang=lang)
        content, kind = report._render_qweb_pdf(
            "sales_performance.action_report_incentive_plan_acceptance", self.ids
        )
        # a PDF, except in tests without wkhtmltopdf rendering (HTML)
        is_pdf = kind == "pdf"
        filename = "%s - v%s - %s.%s" % (
            self.plan_id.name,
            self.version,
            self.user_id.name,
            "pdf" if is_pdf else "html",
        )
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename.replace("/", "-"),
                    "type": "binary",
                    "datas": base64.b64encode(content),
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/pdf" if is_pdf else "text/html",
                }
            )
        )

    def _schedule_activities(self):
        """One "accept your plan" activity per acceptance, for its
        salesperson, created in one batch; summary in their language."""
        if not self:
            return
        activity_type = self.env.ref(ACTIVITY_TYPE)
        model_id = self.env["ir.model"]._get_id(self._name)
        deadline = activity_type._get_date_deadline()
        self.user_id.partner_id.fetch(["lang"])
        vals_list = []
        for acceptance in self:
            env = self.with_context(lang=acceptance.user_id.lang or "en_US").env
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": acceptance.id,
                    "activity_type_id": activity_type.id,
                    "user_id": acceptance.user_id.id,
                    "date_deadline": deadline,
                    "automated": True,
                    "summary": env._(
                        "Read and accept %(plan)s",
                        plan=acceptance.version_id.display_name,
                    ),
                }
            )
        self.env["mail.activity"].sudo().create(vals_list)

    def _release_statement_holds(self):
        """Refresh the hold of the open statements computed with the versions
        just accepted (``self``, sudo): the acceptance no longer holds them;
        other holds stay. Draft statements get the same on their next
        recompute; amounts never change here."""
        Statement = self.env["sales.performance.incentive.statement"].sudo()
        statements = Statement.search(
            [
                ("version_id", "in", self.version_id.ids),
                ("user_id", "in", self.user_id.ids),
                ("state", "in", ("draft", "confirmed", "approved")),
                ("hold_reason", "!=", False),
            ]
        )
        accepted = {(a.version_id.id, a.user_id.id) for a in self}
        statements = statements.filtered(
            lambda s: (s.version_id.id, s.user_id.id) in accepted
        )
        groups = statements.grouped(lambda s: (s.plan_id, s.date_from, s.date_to))
        for (plan, date_from, date_to), members in groups.items():
            holds = plan._eligibility_holds(members.user_id, date_from, date_to)
            for statement in members:
                reason = holds.get(statement.user_id.id) or False
                if reason != statement.hold_reason:
                    statement.hold_reason = reason
                    if reason:
                        body = self.env._(
                            "Plan accepted: the payout stays held for another reason."
                        )
                    else:
                        body = self.env._("Plan accepted: the hold is lifted.")
                    statement._message_log(body=body)


class SalesPerformanceIncentivePlanVersion(models.Model):
    _inherit = "sales.performance.incentive.plan.version"

    acceptance_ids = fields.One2many(
        "sales.performance.incentive.acceptance", "version_id", string="Acceptances"
    )
    accepted_count = fields.Integer(compute="_compute_acceptance_counts")
    pending_count = fields.Integer(compute="_compute_acceptance_counts")

    def _compute_acceptance_counts(self):
        counts = {
            (version.id, state): count
            for version, state, count in self.env[
                "sales.performance.incentive.acceptance"
            ]
            .sudo()
            ._read_group(
                [("version_id", "in", self.ids)], ["version_id", "state"], ["__count"]
            )
        }
        for version in self:
            version.accepted_count = counts.get((version.id, "accepted"), 0)
            version.pending_count = counts.get((version.id, "pending"), 0)

    def action_publish(self):
        """Publish these versions to the salespeople assigned while they
        apply (see the plan's ``_publish_versions``)."""
        self.env["res.users"]._sales_performance_check_incentive_admin()
        acceptances = self.plan_id._publish_versions(self)
        return self._publish_notification(acceptances)

    def action_print(self):
        return self.env.ref(
            "sales_performance.action_report_incentive_plan"
        ).report_action(self)

    def _publish_notification(self, acceptances):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if acceptances else "info",
                "message": self.env._(
                    "%(count)s salespeople asked to accept the plan.",
                    count=len(acceptances),
                )
                if acceptances
                else self.env._(
                    "Every assignee has already received this version of the plan."
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _window(self):
        """``(first day, last day)`` this version applies to: from its date
        to the day before the next version (by date), else the plan's end."""
        self.ensure_one()
        later = self.plan_id.version_ids.filtered(
            lambda v: v.date_from > self.date_from
        )
        last = self.plan_id.date_to
        if later:
            last = min(later.mapped("date_from")) - relativedelta(days=1)
        return self.date_from, max(last, self.date_from)

    # ------------------------------------------------------------------
    # Plan document
    # ------------------------------------------------------------------
    def _document_rules(self):
        """The version's rules as the plan document shows them, in the
        language of the environment: a dict per rule (name, kind, metric,
        basis, mode, gate, cap, tiers, unit, worked examples)."""
        self.ensure_one()
        env = self.env
        Rule = env["sales.performance.incentive.rule"]
        kinds = dict(Rule._fields["kind"]._description_selection(env))
        bases = dict(Rule._fields["basis"]._description_selection(env))
        modes = dict(Rule._fields["mode"]._description_selection(env))
        rules = self._rules()
        metrics = (
            env["sales.performance.metric"]
            .sudo()
            .with_context(active_test=False)
            .browse({r["metric_id"] for r in rules if r.get("metric_id")})
            .exists()
        )
        metric_of = {metric.id: metric for metric in metrics}
        result = []
        for rule in rules:
            kind = rule.get("kind") or "commission"
            metric = metric_of.get(rule.get("metric_id"))
            on_attainment = kind == "bonus" or (
                kind in ("commission", "override")
                and (rule.get("basis") or "attainment") == "attainment"
            )
            result.append(
                {
                    "name": rule.get("name") or "",
                    "kind": kinds.get(kind, kind),
                    "metric": metric.name if metric else rule.get("metric") or "",
                    "basis": bases.get(rule.get("basis"), "")
                    if kind in ("commission", "override")
                    else "",
                    "mode": modes.get(rule.get("mode"), "")
                    if kind in ("commission", "override")
                    else "",
                    "gate": rule.get("gate") or 0.0,
                    "cap": rule.get("cap") or 0.0,
                    "amount": rule.get("amount") or 0.0,
                    "max_count": rule.get("max_count") or 0,
                    "is_bonus": kind == "bonus",
                    "is_spiff": kind == "spiff",
                    "unit": "%" if on_attainment else "",
                    "tiers": [
                        {
                            "lower": payout.fmt(tier.get("lower") or 0.0),
                            "upper": payout.fmt(tier["upper"])
                            if tier.get("upper")
                            else "∞",
                            "rate": payout.fmt(tier.get("rate") or 0.0),
                            "amount": tier.get("amount") or 0.0,
                        }
                        for tier in rule.get("tiers", ())
                    ],
                    "examples": self._document_examples(rule, metric),
                }
            )
        return result

    def _document_examples(self, rule, metric=None):
        """Worked examples of a rule (a snapshot dict): the payout the
        engine computes at 80, 100 and 120 % of a reference target, with its
        explanation in the language of the environment."""
        count_like = rule.get("kind") == "spiff" or (
            metric is not None and metric.value_type == "number"
        )
        target = EXAMPLE_TARGET_COUNT if count_like else EXAMPLE_TARGET_AMOUNT
        examples = []
        for share in EXAMPLE_ATTAINMENTS:
            base = target * share / 100.0
            result = payout.compute_rule(rule, base, target, self.env._)
            examples.append(
                {
                    "attainment": share,
                    "base": payout.fmt(base),
                    "target": payout.fmt(target),
                    "amount": result.amount,
                    "explanation": result.explanation,
                }
            )
        return examples


class SalesPerformanceIncentivePlan(models.Model):
    _inherit = "sales.performance.incentive.plan"

    require_acceptance = fields.Boolean(
        tracking=True,
        help="Payouts are held until the salesperson has accepted the version of "
        "the plan in force for the period.",
    )
    terms = fields.Text(
        string="Terms and Conditions",
        translate=True,
        help="Printed at the end of the plan document the salespeople accept.",
    )
    acceptance_count = fields.Integer(compute="_compute_acceptance_count")

    def _compute_acceptance_count(self):
        counts = dict(
            self.env["sales.performance.incentive.acceptance"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.acceptance_count = counts.get(plan, 0)

    def _current_version(self):
        """The latest version of the plan (highest number)."""
        self.ensure_one()
        return self.sudo().version_ids.sorted("version")[-1:].sudo(False)

    def action_publish(self):
        """Publish the current version of each plan to its assignees: one
        pending acceptance per salesperson (never twice) and an activity."""
        self._check_admin()
        versions = self.env["sales.performance.incentive.plan.version"]
        for plan in self:
            versions |= plan._current_version()
        acceptances = self._publish_versions(versions)
        return versions._publish_notification(acceptances)

    def action_view_acceptances(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_incentive_acceptance_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        return action

    def action_print_document(self):
        self.ensure_one()
        version = self._current_version()
        if not version:
            raise UserError(
                self.env._(
                    "The plan %(plan)s has no version yet: activate it first.",
                    plan=self.name,
                )
            )
        return version.action_print()

    def _eligibility_holds(self, users, date_from=None, date_to=None):
        """A plan that requires acceptance holds the payout of each
        salesperson who has not accepted the version in force on
        ``date_from`` (one search for all of ``users``); reasons merge with
        the other holds."""
        reasons = super()._eligibility_holds(users, date_from, date_to)
        if not self.require_acceptance or not users:
            return reasons
        version = self._version_at(date_from or fields.Date.context_today(self))
        accepted = set()
        if version:
            accepted = set(
                self.env["sales.performance.incentive.acceptance"]
                .sudo()
                .search_fetch(
                    [
                        ("version_id", "=", version.id),
                        ("user_id", "in", users.ids),
                        ("state", "=", "accepted"),
                    ],
                    ["user_id"],
                )
                .user_id.ids
            )
        users.partner_id.fetch(["lang"])
        for user in users:
            if user.id in accepted:
                continue
            env = self.with_context(lang=user.lang or self.env.lang or "en_US").env
            reason = env._(
                "Plan not accepted: the salesperson has not accepted version "
                "%(version)s of %(plan)s.",
                version=version.version if version else "-",
                plan=self.with_env(env).name,
            )
            reasons[user.id] = (
                " ".join((reasons[user.id], reason)) if reasons.get(user.id) else reason
            )
        return reasons

    def _publish_versions(self, versions):
        """Create the missing pending acceptances of ``versions`` (of the
        plans ``self``) for every salesperson assigned while each applies,
        with an activity for each; returns the new acceptances. Everything is
        checked before anything is created."""
        Acceptance = self.env["sales.performance.incentive.acceptance"]
        for plan in self:
            if plan.state != "active":
                raise UserError(
                    self.env._(
                        "Only an active plan can be published: %(plan)s is not active.",
                        plan=plan.name,
                    )
                )
        if not versions:
            raise UserError(
                self.env._("The plan has no version yet: activate it first.")
            )
        todo = []
        for version in versions:
            plan = version.plan_id
            users = plan._assignees(*version._window())
            if not users:
                raise UserError(
                    self.env._(
                        "The plan %(plan)s has nobody to publish version "
                        "%(version)s to: assign salespeople or sales teams first.",
                        plan=plan.name,
                        version=version.version,
                    )
                )
            todo.append((version, users))
        existing = {
            (a.version_id.id, a.user_id.id)
            for a in Acceptance.sudo().search_fetch(
                [("version_id", "in", versions.ids)], ["version_id", "user_id"]
            )
        }
        vals_list = [
            {"version_id": version.id, "user_id": user.id}
            for version, users in todo
            for user in users
            if (version.id, user.id) not in existing
        ]
        acceptances = Acceptance.create(vals_list)
        acceptances._schedule_activities()
        for version, _users in todo:
            created = acceptances.filtered(lambda a, v=version: a.version_id == v)
            if created:
                version.plan_id.message_post(
                    body=self.env._(
                        "Version %(version)s published: %(count)s salespeople are "
                        "asked to accept it.",
                        version=version.version,
                        count=len(created),
                    )
                )
        return acceptances


class SalesPerformanceIncentiveStatement(models.Model):
    _inherit = "sales.performance.incentive.statement"

    acceptance_id = fields.Many2one(
        "sales.performance.incentive.acceptance",
        compute="_compute_acceptance",
        string="Plan Acceptance",
    )
    acceptance_state = fields.Selection(
        [
            ("not_published", "Not published"),
            ("pending", "Not accepted yet"),
            ("accepted", "Accepted"),
        ],
        compute="_compute_acceptance",
        string="Plan Acceptance Status",
        help="Whether the salesperson has accepted the version of the plan the "
        "statement is computed with.",
    )
    require_acceptance = fields.Boolean(related="plan_id.require_acceptance")

    @api.depends("version_id", "user_id", "plan_id", "date_from")
    def _compute_acceptance(self):
        version_of = {}
        for statement in self:
            version = statement.version_id
            if not version and statement.plan_id and statement.date_from:
                version = statement.plan_id._version_at(statement.date_from)
            version_of[statement.id] = version.id
        acceptances = (
            self.env["sales.performance.incentive.acceptance"]
            .sudo()
            .search_fetch(
                [
                    ("version_id", "in", [v for v in version_of.values() if v]),
                    ("user_id", "in", self.user_id.ids),
                ],
                ["version_id", "user_id", "state"],
            )
        )
        by_key = {(a.version_id.id, a.user_id.id): a for a in acceptances}
        for statement in self:
            acceptance = by_key.get((version_of[statement.id], statement.user_id.id))
            statement.acceptance_id = acceptance.id if acceptance else False
            statement.acceptance_state = (
                acceptance.state if acceptance else "not_published"
            )
