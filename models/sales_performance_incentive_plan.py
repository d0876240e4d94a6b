import json
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import date_utils

from ..engine import collection, crediting, payout, periods, proration


class SalesPerformanceIncentivePlan(models.Model):
    _name = "sales.performance.incentive.plan"
    _description = "Incentive Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
    )
    period_type = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly"), ("year", "Yearly")],
        default="month",
        required=True,
        tracking=True,
    )
    date_from = fields.Date(
        string="Valid From",
        required=True,
        default=lambda self: date_utils.start_of(
            fields.Date.context_today(self), "year"
        ),
        tracking=True,
    )
    date_to = fields.Date(
        string="Valid To",
        required=True,
        default=lambda self: date_utils.end_of(fields.Date.context_today(self), "year"),
        tracking=True,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("archived", "Archived")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    assignment_ids = fields.One2many(
        "sales.performance.incentive.assignment",
        "plan_id",
        string="Assignees",
        copy=True,
    )
    rule_ids = fields.One2many(
        "sales.performance.incentive.rule", "plan_id", string="Rules", copy=True
    )
    version_ids = fields.One2many(
        "sales.performance.incentive.plan.version",
        "plan_id",
        string="Versions",
        copy=False,
    )
    version = fields.Integer(compute="_compute_version", string="Current Version")
    version_date = fields.Date(
        string="Changes Effective From",
        help="When rules of an active plan are edited, the new version of the plan "
        "applies to the periods starting on or after this date (today when empty). "
        "Older statements keep the version they were computed with.",
    )
    statement_ids = fields.One2many(
        "sales.performance.incentive.statement", "plan_id", string="Statements"
    )
    statement_count = fields.Integer(compute="_compute_statement_count")
    hold_days = fields.Integer(
        default=90,
        tracking=True,
        help="Commissions payable on collection: what is still held on an invoice "
        "unpaid this many days after its due date is forfeited.",
    )

    _date_range = models.Constraint(
        "CHECK (date_from <= date_to)", "The plan must end after it starts."
    )
    _hold_days_positive = models.Constraint(
        "CHECK (hold_days >= 0)", "The hold days cannot be negative."
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("version_ids.version")
    def _compute_version(self):
        for plan in self:
            plan.version = max(plan.version_ids.mapped("version"), default=0)

    def _compute_statement_count(self):
        counts = dict(
            self.env["sales.performance.incentive.statement"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.statement_count = counts.get(plan, 0)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    def _check_admin(self):
        self.env["res.users"]._sales_performance_check_incentive_admin()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_activate(self):
        self._check_admin()
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._(
                        "Only a draft plan can be activated: %(plan)s", plan=plan.name
                    )
                )
            if not plan.rule_ids:
                raise UserError(
                    self.env._("The plan %(plan)s has no rule to pay.", plan=plan.name)
                )
        self.write({"state": "active"})
        for plan in self:
            plan._register_version(plan.date_from)
        return True

    def action_archive_plan(self):
        self._check_admin()
        self.write({"state": "archived"})
        return True

    def action_reset_to_draft(self):
        self._check_admin()
        if self.sudo().statement_ids.filtered(lambda s: s.state != "cancel"):
            raise UserError(
                self.env._(
                    "A plan with statements cannot go back to draft: edit its rules to "
                    "create a new version instead."
                )
            )
        self.write({"state": "draft"})
        self.sudo().version_ids.unlink()
        return True

    def action_view_statements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_incentive_statement_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action

    def action_open_generate(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_incentive_generate_action"
        )
        action["context"] = {"default_plan_ids": self.ids}
        return action

    # ------------------------------------------------------------------
    # Versions
    # ------------------------------------------------------------------
    def _rules_snapshot(self):
        """The plan's current rules as plain dicts (what the engine reads)."""
        self.ensure_one()
        return [rule._snapshot() for rule in self.sudo().rule_ids]

    def _register_version(self, date_from=None):
        """Record the current rules as the version effective from
        ``date_from`` (the plan's "changes effective from" date, else today).
        Several edits effective on the same date make one version."""
        Version = self.env["sales.performance.incentive.plan.version"].sudo()
        for plan in self.sudo():
            effective = (
                date_from or plan.version_date or fields.Date.context_today(plan)
            )
            effective = max(effective, plan.date_from)
            snapshot = json.dumps(plan._rules_snapshot(), sort_keys=True)
            same_day = plan.version_ids.filtered(
                lambda v, d=effective: v.date_from == d
            ).sorted("version")[-1:]
            if same_day and same_day.rules_json == snapshot:
                continue
            used = (
                self.env["sales.performance.incentive.statement"]
                .sudo()
                .search_count(
                    [("version_id", "=", same_day.id), ("state", "!=", "draft")],
                    limit=1,
                )
            )
            if same_day and not used:
                # edits of the same day make one version, until a statement
                # left draft with it: then it is never rewritten
                same_day.rules_json = snapshot
                continue
            Version.create(
                {
                    "plan_id": plan.id,
                    "version": max(plan.version_ids.mapped("version"), default=0) + 1,
                    "date_from": effective,
                    "rules_json": snapshot,
                }
            )
            if plan.version_ids[:1] and len(plan.version_ids) > 1:
                plan.message_post(
                    body=self.env._(
                        "Rules changed: version %(version)s applies from %(date)s.",
                        version=plan.version,
                        date=effective,
                    )
                )

    def _version_at(self, date):
        """The version that applies to a period starting on ``date`` (the
        latest one effective by then)."""
        self.ensure_one()
        versions = self.sudo().version_ids.filtered(lambda v: v.date_from <= date)
        if not versions:
            versions = self.sudo().version_ids
        return versions.sorted(lambda v: (v.date_from, v.version))[-1:]

    # ------------------------------------------------------------------
    # Assignees and periods
    # ------------------------------------------------------------------
    def _assignees(self, date_from, date_to):
        """Salespeople assigned to the plan for (part of) the period."""
        windows = self._assignment_windows(date_from, date_to)
        return self.env["res.users"].browse(list(windows))

    def _assignment_windows(self, date_from, date_to):
        """``{user_id: (first day, last day)}``: the part of the period each
        assignee is assigned for (the whole period unless an assignment
        starts or ends inside it; several assignments of one salesperson
        span from the earliest start to the latest end)."""
        self.ensure_one()
        assignments = self.sudo().assignment_ids
        # one query per field for all assignments, teams and users
        assignments.fetch(["user_id", "team_id", "date_from", "date_to"])
        assignments.team_id.fetch(["member_ids"])
        windows = proration.merge_windows(
            [
                (a.date_from, a.date_to, (a.user_id or a.team_id.member_ids).ids)
                for a in assignments
            ],
            date_from,
            date_to,
        )
        users = self.env["res.users"].browse(list(windows))
        users.fetch(["company_ids"])
        return {
            user.id: windows[user.id]
            for user in users
            if self.company_id in user.company_ids
        }

    def _period_of(self, day):
        """The plan period (by its period type) that contains ``day``."""
        self.ensure_one()
        granularity = {"month": "month", "quarter": "quarter", "year": "year"}[
            self.period_type
        ]
        return date_utils.start_of(day, granularity), date_utils.end_of(
            day, granularity
        )

    def _periods_between(self, date_from, date_to):
        self.ensure_one()
        step = {"month": 1, "quarter": 3, "year": 12}[self.period_type]
        result = []
        start, _end = self._period_of(date_from)
        while start <= date_to:
            result.append(self._period_of(start))
            start += relativedelta(months=step)
        return result

    # ------------------------------------------------------------------
    # Statements
    # ------------------------------------------------------------------
    def generate_statements(self, date_from, date_to):
        """Create (or reuse) the statements of the period for every assignee
        of the plans, and recompute the draft ones. Returns the statements of
        the period; never duplicates one."""
        self._check_admin()
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        if date_from > date_to:
            raise UserError(self.env._("The period must end after it starts."))
        Statement = self.env["sales.performance.incentive.statement"].sudo()
        result = Statement
        missing = []
        for plan in self.sudo():
            if plan.state != "active":
                raise UserError(
                    self.env._(
                        "Statements are generated from active plans only: %(plan)s",
                        plan=plan.name,
                    )
                )
            if date_to < plan.date_from or date_from > plan.date_to:
                raise UserError(
                    self.env._(
                        "%(from)s → %(to)s is outside the validity of the plan "
                        "%(plan)s.",
                        plan=plan.name,
                        **{"from": date_from, "to": date_to},
                    )
                )
            users = plan._assignees(date_from, date_to)
            existing = Statement.search_fetch(
                [
                    ("plan_id", "=", plan.id),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                    ("state", "!=", "cancel"),
                ],
                ["user_id", "state"],
            )
            result |= existing
            missing += [(plan, user) for user in users - existing.user_id]
        created = Statement._create_generated(missing, date_from, date_to)
        result |= created
        result._recompute_lines(created)
        return result.sudo(False)

    @api.model
    def _cron_generate_statements(self):
        """Scheduled action: statements of the period that just ended."""
        today = fields.Date.context_today(self)
        for plan in self.search([("state", "=", "active")]):
            start, end = plan._period_of(today - relativedelta(days=1))
            if end < today and plan.date_from <= end and start <= plan.date_to:
                plan.generate_statements(start, end)

    def _compute_payouts(self, users, date_from, date_to, rules, windows=None):
        """Payout of ``rules`` (snapshot dicts) for ``users`` over a period:
        ``{user_id: [(rule, base, target, Payout)]}``.

        ``windows`` ({user_id: (first, last)}, see ``_assignment_windows``):
        a salesperson assigned for part of the period is paid for that part:
        documents of those days only, the target, bonus amounts, amount bands
        and cap prorated by the share of days.

        One achievement query per metric of the rules (and per distinct
        partial window) and one grouped read of the targets, whatever the
        number of salespeople.
        """
        self.ensure_one()
        company = self.company_id
        Metric = self.env["sales.performance.metric"].sudo()
        metric_ids = {rule["metric_id"] for rule in rules if rule.get("metric_id")}
        windows = windows or {}
        by_window = defaultdict(list)
        for user in users:
            by_window[windows.get(user.id, (date_from, date_to))].append(user.id)
        achieved = defaultdict(dict)
        timeline = self.env["sales.performance.team.membership"]._timeline({company.id})
        for metric in Metric.browse(sorted(metric_ids)):
            for (first, last), user_ids in by_window.items():
                achieved[metric.id].update(
                    self._achieved_by_user(
                        metric,
                        first,
                        last,
                        self.env["res.users"].browse(user_ids),
                        timeline,
                    )
                )
        overrides = self._override_bases(users, date_from, date_to, rules, timeline)
        invoice_values, collected = self._collection_basis(
            users, date_from, date_to, rules, timeline
        )
        shares = {
            user_id: proration.share(window, date_from, date_to)
            for user_id, window in windows.items()
        }
        targets = {}
        if metric_ids and users:
            groups = (
                self.env["sales.performance.target"]
                .sudo()
                ._read_group(
                    Domain.AND(
                        [
                            Domain("user_id", "in", users.ids),
                            Domain("metric_id", "in", list(metric_ids)),
                            Domain("company_id", "=", company.id),
                            Domain("date_from", ">=", date_from),
                            Domain("date_to", "<=", date_to),
                            Domain("state", "in", ["active", "closed"]),
                            self.env["sales.performance.target"]._summable_domain(
                                date_from, date_to
                            ),
                        ]
                    ),
                    ["user_id", "metric_id"],
                    ["target_value:sum"],
                )
            )
            rate = self._currency_rate(date_to)
            targets = {
                (user.id, metric.id): total
                * (rate if metric.value_type == "monetary" else 1.0)
                for user, metric, total in groups
            }
        result = {}
        lang_envs = {}
        for user in users:
            # explanations in the salesperson's language
            lang = user.lang or self.env.lang or "en_US"
            if lang not in lang_envs:
                lang_envs[lang] = self.with_context(lang=lang).env
            lang_env = lang_envs[lang]
            translate = lang_env._
            share = shares.get(user.id)
            lines = []
            for rule in rules:
                metric_id = rule.get("metric_id")
                base = (
                    achieved.get(metric_id, {}).get(user.id, 0.0) if metric_id else 0.0
                )
                target = targets.get((user.id, metric_id))
                override = None
                if rule.get("kind") == "override":
                    override = overrides.get(
                        (rule.get("id"), rule.get("name"), user.id)
                    )
                    base, target = (
                        (override[0], override[1]) if override else (0.0, None)
                    )
                applied = rule
                if share is not None:
                    target = proration.prorate_target(target, share)
                    applied = proration.prorate_rule(rule, share)
                result_rule = payout.compute_rule(applied, base, target, translate)
                if share is not None:
                    result_rule.explanation = " ".join(
                        (
                            proration.explanation(
                                windows[user.id], date_from, date_to, translate
                            ),
                            result_rule.explanation,
                        )
                    )
                if rule.get("payable_on_collection"):
                    self._hold_until_collected(
                        result_rule,
                        invoice_values.get(rule["metric_id"], {}).get(user.id, {}),
                        collected,
                        lang_env,
                    )
                if rule.get("kind") == "override":
                    result_rule.explanation = " ".join(
                        (
                            self._override_sentence(override, lang_env),
                            result_rule.explanation,
                        )
                    )
                # the rule as applied (prorated): what the line keeps
                lines.append((applied, base, target, result_rule))
            result[user.id] = lines
        return result

    def _collection_basis(self, users, date_from, date_to, rules, timeline):
        """For the rules payable on collection: each salesperson's credited
        amount per invoice (``{metric id: {user id: {invoice id: value}}}``,
        one query per metric) and the invoices' collection status at the end
        of the period (``{invoice id: (collected share, due date)}``, one
        grouped read)."""
        self.ensure_one()
        metric_ids = {r["metric_id"] for r in rules if r.get("payable_on_collection")}
        if not metric_ids or not users:
            return {}, {}
        tz_name = periods.counting_tz(self.company_id.resource_calendar_id.tz)
        values = {}
        for metric in self.env["sales.performance.metric"].sudo().browse(metric_ids):
            values[metric.id] = metric._credited_by_record(
                date_from, date_to, tz_name, self.company_id, users, timeline
            )
        invoice_ids = {
            invoice_id
            for by_user in values.values()
            for by_invoice in by_user.values()
            for invoice_id in by_invoice
        }
        return values, self._collected_shares(invoice_ids, date_to)

    def _collected_shares(self, invoice_ids, day):
        """``{invoice id: (collected share on ``day``, due date)}``."""
        if not invoice_ids:
            return {}
        paid = dict(
            self.env["sales.performance.collection"]
            .sudo()
            ._read_group(
                [("invoice_id", "in", list(invoice_ids)), ("date", "<=", day)],
                ["invoice_id"],
                ["amount:sum"],
            )
        )
        invoices = self.env["account.move"].sudo().browse(list(invoice_ids))
        invoices.fetch(["amount_total_signed", "invoice_date_due"])
        return {
            invoice.id: (
                collection.collected_share(
                    paid.get(invoice, 0.0), invoice.amount_total_signed
                ),
                invoice.invoice_date_due,
            )
            for invoice in invoices
        }

    def _hold_until_collected(self, result, values, collected, lang_env):
        """Make ``result`` (a commission Payout) payable on collection: what
        was earned is spread over its invoices, each payable by the share of
        it collected; ``result.holds`` keeps the detail."""
        earned = result.amount
        result.earned = earned
        result.holds = []
        payable_total = 0.0
        for invoice_id, part in collection.spread(earned, values).items():
            share, due = collected.get(invoice_id, (0.0, False))
            due_now, _held = collection.payable(part, share)
            payable_total += due_now
            result.holds.append((invoice_id, part, due_now, due))
        result.amount = payable_total
        result.explanation = " ".join(
            (
                result.explanation,
                lang_env._(
                    "Payable on collection: %(payable)s of the %(earned)s earned is "
                    "payable now, in proportion to what the customers paid of the "
                    "invoices; %(held)s is held until they pay.",
                    payable=payout.fmt(round(payable_total, 2)),
                    earned=payout.fmt(round(earned, 2)),
                    held=payout.fmt(round(earned - payable_total, 2)),
                ),
            )
        )

    def _override_bases(self, users, date_from, date_to, rules, timeline):
        """Base of each override rule for each of ``users`` who earns it:
        ``{(rule id, rule name, user id): (base, team target, teams, members)}``.

        A leader earns on the teams they led on each document's date (the
        leadership history, clipped to the period); a named earner on the
        rule's teams (or the teams they led). The credited figures of all
        those stretches come from one query per metric; the teams' targets
        from one grouped read."""
        self.ensure_one()
        override_rules = [r for r in rules if r.get("kind") == "override"]
        if not override_rules or not users:
            return {}
        company = self.company_id
        Team = self.env["crm.team"].sudo()
        leadership = self.env["sales.performance.team.membership"]._leadership(
            users, company, date_from, date_to
        )
        segments_of = {}
        for rule in override_rules:
            named = rule.get("override_user_id")
            teams = set(rule.get("override_team_ids") or ())
            for user in users:
                if named and named != user.id:
                    continue
                if named and teams:
                    segments = [(team, date_from, date_to) for team in sorted(teams)]
                else:
                    segments = [
                        segment
                        for segment in leadership.get(user.id, ())
                        if not teams or segment[0] in teams
                    ]
                if segments:
                    segments_of[(rule.get("id"), rule.get("name"), user.id)] = (
                        rule,
                        segments,
                    )
        tz_name = periods.counting_tz(company.resource_calendar_id.tz)
        stretches = defaultdict(set)
        for rule, segments in segments_of.values():
            stretches[rule["metric_id"]].update(
                (first, last) for _t, first, last in segments
            )
        values_of = {
            metric.id: metric._compute_values_multi(
                sorted(stretches[metric.id]), tz_name, {company.id}, timeline
            )
            for metric in self.env["sales.performance.metric"]
            .sudo()
            .browse(list(stretches))
        }
        result = {}
        for key, (rule, segments) in segments_of.items():
            by_period = values_of[rule["metric_id"]]
            credited = defaultdict(float)
            for team_id, first, last in segments:
                for (_company, user_id, team), value in by_period[
                    (first, last)
                ].items():
                    if team == team_id:
                        credited[(user_id, team)] += value
            teams = {team_id for team_id, _first, _last in segments}
            base, members = crediting.override_base(
                credited, teams, key[2], rule.get("override_include_own")
            )
            result[key] = (base, None, Team.browse(sorted(teams)), members)
        self._override_targets(result, override_rules, date_from, date_to)
        return result

    def _override_targets(self, bases, rules, date_from, date_to):
        """Fill the team targets of the override ``bases`` (the sum of the
        teams' targets on the rule's metric in the period): one grouped read."""
        metric_ids = {rule["metric_id"] for rule in rules}
        team_ids = {team.id for _b, _t, teams, _m in bases.values() for team in teams}
        if not team_ids:
            return
        groups = (
            self.env["sales.performance.target"]
            .sudo()
            ._read_group(
                Domain(
                    [
                        ("team_id", "in", list(team_ids)),
                        ("user_id", "=", False),
                        ("metric_id", "in", list(metric_ids)),
                        ("company_id", "=", self.company_id.id),
                        ("date_from", ">=", date_from),
                        ("date_to", "<=", date_to),
                        ("state", "in", ["active", "closed"]),
                    ]
                )
                & self.env["sales.performance.target"]._summable_domain(
                    date_from, date_to
                ),
                ["team_id", "metric_id"],
                ["target_value:sum"],
            )
        )
        team_targets = {(team.id, metric.id): total for team, metric, total in groups}
        metric_of = {
            (rule.get("id"), rule.get("name")): rule["metric_id"] for rule in rules
        }
        for key, (base, _target, teams, members) in bases.items():
            metric_id = metric_of[key[:2]]
            total = sum(team_targets.get((team.id, metric_id), 0.0) for team in teams)
            bases[key] = (base, total or None, teams, members)

    def _override_sentence(self, override, lang_env):
        """Which teams and members an override line counts, in one sentence."""
        if not override:
            return lang_env._("This salesperson leads no team counted by the rule.")
        _base, _target, teams, members = override
        users = self.env["res.users"].sudo().browse([u for u in members if u])
        names = {user.id: user.name for user in users}
        listed = "; ".join(
            "%s %s"
            % (names.get(user_id) or lang_env._("(no salesperson)"), payout.fmt(value))
            for user_id, value in sorted(members.items(), key=lambda item: -item[1])
        )
        return lang_env._(
            "Override on the results of %(teams)s: %(members)s.",
            teams=", ".join(teams.mapped("name")),
            members=listed or "-",
        )

    def _achieved_by_user(self, metric, date_from, date_to, users, timeline=None):
        """``{user_id: achieved value}`` of ``metric`` over the period, with
        the days counted in each salesperson's time zone like their targets:
        one query per distinct time zone, not per salesperson."""
        self.ensure_one()
        company = self.company_id
        company_tz = company.resource_calendar_id.tz
        result = {}
        users.partner_id.fetch(["tz"])
        by_tz = users.grouped(lambda u: periods.counting_tz(u.tz, company_tz))
        for tz_name, tz_users in by_tz.items():
            by_user = defaultdict(float)
            for (_company, user_id, _team), value in metric._compute_values(
                date_from, date_to, tz_name, {company.id}, timeline
            ).items():
                by_user[user_id] += value
            for user in tz_users:
                result[user.id] = by_user.get(user.id, 0.0)
        if metric.value_type == "monetary":
            rate = self._currency_rate(date_to)
            if rate != 1.0:
                result = {user_id: value * rate for user_id, value in result.items()}
        return result

    def _currency_rate(self, day):
        """Company currency → plan currency (amounts of monetary metrics and
        targets are in the company currency): one rate per plan and period."""
        self.ensure_one()
        company = self.company_id
        if self.currency_id == company.currency_id:
            return 1.0
        return company.currency_id._convert(
            1.0, self.currency_id, company, day, round=False
        )

    def _eligibility_holds(self, users, date_from=None, date_to=None):
        """Why the payout of each of ``users`` for the period is held: {user
        id: reason or False}. Hook for the training capability (a mandatory
        certification missing) and plan acceptance; nothing is held here."""
        self.ensure_one()
        return dict.fromkeys(users.ids, False)


class SalesPerformanceIncentiveAssignment(models.Model):
    _name = "sales.performance.incentive.assignment"
    _description = "Incentive Plan Assignment"
    _order = "plan_id, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "sales.performance.incentive.plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", index=True, check_company=True
    )
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")

    _assignee = models.Constraint(
        "CHECK ((user_id IS NULL) != (team_id IS NULL))",
        "An assignment is for a salesperson or a sales team (one of them).",
    )
    _date_range = models.Constraint(
        "CHECK (date_from IS NULL OR date_to IS NULL OR date_from <= date_to)",
        "The assignment must end after it starts.",
    )


class SalesPerformanceIncentivePlanVersion(models.Model):
    _name = "sales.performance.incentive.plan.version"
    _description = "Incentive Plan Version"
    _order = "plan_id, version desc"

    plan_id = fields.Many2one(
        "sales.performance.incentive.plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    version = fields.Integer(required=True)
    date_from = fields.Date(string="Effective From", required=True)
    rules_json = fields.Text(string="Rules Snapshot", readonly=True)
    rules_summary = fields.Text(compute="_compute_rules_summary")

    _plan_version_unique = models.UniqueIndex("(plan_id, version)")

    def _compute_display_name(self):
        for version in self:
            version.display_name = self.env._(
                "%(plan)s v%(version)s (from %(date)s)",
                plan=version.plan_id.name,
                version=version.version,
                date=version.date_from,
            )

    @api.depends("rules_json")
    def _compute_rules_summary(self):
        for version in self:
            version.rules_summary = "\n".join(
                rule.get("summary", rule.get("name", "")) for rule in version._rules()
            )

    def _rules(self):
        self.ensure_one()
        return json.loads(self.rules_json or "[]")
