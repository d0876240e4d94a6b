import json
from collections import defaultdict
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..engine import clawback, collection
from ..engine.payout import fmt
from . import bulk

# Statement fields that never change once the statement left draft.
LOCKED_FIELDS = {"plan_id", "user_id", "date_from", "date_to", "line_ids", "version_id"}
LINE_TYPES = [
    ("rule", "Rule"),
    ("band", "Band detail"),
    ("clawback", "Clawback"),
    ("release", "Released on collection"),
    ("forfeit", "Forfeited (unpaid)"),
    ("adjustment", "Manual adjustment"),
]


class SalesPerformanceIncentiveStatement(models.Model):
    _name = "sales.performance.incentive.statement"
    _description = "Incentive Statement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, user_id, id desc"
    _check_company_auto = True
    # salespeople may comment on their own statement (no write right needed)
    _mail_post_access = "read"

    name = fields.Char(compute="_compute_name", store=True)
    plan_id = fields.Many2one(
        "sales.performance.incentive.plan",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, index=True
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id", store=True)
    date_from = fields.Date(string="Period Start", required=True, index=True)
    date_to = fields.Date(string="Period End", required=True, index=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("confirmed", "Confirmed"),
            ("approved", "Approved"),
            ("paid", "Paid"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    version_id = fields.Many2one(
        "sales.performance.incentive.plan.version",
        string="Plan Version",
        readonly=True,
        ondelete="restrict",
    )
    version = fields.Integer(related="version_id.version", string="Version")
    assigned_from = fields.Date(
        readonly=True,
        help="The salesperson is assigned to the plan for part of the period only: "
        "documents of the assigned days count; target, bonus amounts, amount "
        "bands and cap are prorated.",
    )
    assigned_to = fields.Date(readonly=True)
    line_ids = fields.One2many(
        "sales.performance.incentive.statement.line", "statement_id", string="Lines"
    )
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amount_total", store=True, tracking=True
    )
    hold_reason = fields.Char(
        string="Payout Held",
        readonly=True,
        help="Why the payout is held (e.g. a mandatory certification is missing).",
    )
    confirmed_date = fields.Date(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Date(readonly=True, copy=False)
    payment_date = fields.Date(copy=False, tracking=True)
    payment_ref = fields.Char(string="Payment Reference", copy=False, tracking=True)
    can_approve = fields.Boolean(compute="_compute_can_approve")
    is_admin = fields.Boolean(compute="_compute_can_approve")
    # what the documents of the earlier periods looked like when this
    # statement's clawback check ran (see _clawback_vals): the next check
    # skips the periods that have not changed since
    clawback_fingerprint = fields.Text(readonly=True, copy=False)

    _date_range = models.Constraint(
        "CHECK (date_from <= date_to)", "The period must end after it starts."
    )
    _unique_period = models.UniqueIndex(
        "(plan_id, user_id, date_from, date_to) WHERE (state != 'cancel')",
        "A salesperson has one statement per plan and period.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @staticmethod
    def _statement_name(user, plan, date_from, date_to):
        return "%s · %s · %s → %s" % (
            user.name or "",
            plan.name or "",
            date_from or "",
            date_to or "",
        )

    @api.depends("user_id", "plan_id", "date_from", "date_to")
    def _compute_name(self):
        for statement in self:
            statement.name = self._statement_name(
                statement.user_id,
                statement.plan_id,
                statement.date_from,
                statement.date_to,
            )

    @api.depends("line_ids.amount", "line_ids.line_type")
    def _compute_amount_total(self):
        for statement in self:
            statement.amount_total = (
                statement.currency_id.round(
                    sum(
                        line.amount
                        for line in statement.line_ids
                        if line.line_type != "band"
                    )
                )
                if statement.currency_id
                else 0.0
            )

    @api.depends_context("uid")
    def _compute_can_approve(self):
        is_admin = self.env(su=False)[
            "res.users"
        ]._sales_performance_is_incentive_admin()
        for statement in self:
            statement.is_admin = is_admin
            statement.can_approve = (
                is_admin and statement.user_id != self.env.user
            ) or statement._is_led_by(self.env.user)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    def _is_led_by(self, user):
        """True when ``user`` leads a sales team of the statement's
        salesperson (and is not that salesperson)."""
        self.ensure_one()
        return user._sales_performance_leads(self.user_id)

    def _check_approver(self):
        """Team leaders of the salesperson or incentive administrators; never
        the salesperson on their own statement."""
        if self.env.su:
            return
        is_admin = self.env["res.users"]._sales_performance_is_incentive_admin()
        for statement in self:
            if statement.user_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "Nobody approves or manages their own incentive statement."
                    )
                )
            if not (is_admin or statement._is_led_by(self.env.user)):
                raise AccessError(
                    self.env._(
                        "Only the salesperson's team leader or an incentive "
                        "administrator can do this on %(name)s.",
                        name=statement.name,
                    )
                )

    def _check_admin(self):
        self.env["res.users"]._sales_performance_check_incentive_admin()

    def _check_draft(self):
        """Only draft statements change (their lines and what defines them)."""
        for statement in self:
            if statement.state != "draft":
                raise UserError(
                    self.env._(
                        "%(name)s is locked: only draft statements change.",
                        name=statement.name,
                    )
                )

    def _check_state(self, states, action):
        """Raise unless every statement is in ``states``; ``action`` names
        what was attempted (confirm, approve, pay, cancel, draft, recompute)."""
        for statement in self:
            if statement.state not in states:
                raise UserError(statement._state_error(action))

    def _state_error(self, action):
        """Why ``action`` cannot be done on this statement, as one sentence."""
        self.ensure_one()
        params = {
            "name": self.name,
            "state": dict(self._fields["state"]._description_selection(self.env))[
                self.state
            ],
        }
        env = self.env
        if action == "confirm":
            return env._("%(name)s is %(state)s: it cannot be confirmed.", **params)
        if action == "approve":
            return env._("%(name)s is %(state)s: it cannot be approved.", **params)
        if action == "pay":
            return env._("%(name)s is %(state)s: it cannot be paid.", **params)
        if action == "cancel":
            return env._("%(name)s is %(state)s: it cannot be cancelled.", **params)
        if action == "draft":
            return env._(
                "%(name)s is %(state)s: it cannot be reset to draft.", **params
            )
        return env._("%(name)s is %(state)s: it cannot be recomputed.", **params)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        if not self.env["res.users"]._sales_performance_is_incentive_admin():
            business = {
                fname
                for fname in vals
                if not fname.startswith(("message_", "activity_"))
            }
            if business:
                raise AccessError(
                    self.env._(
                        "Statements change through their actions (confirm, approve, "
                        "pay, cancel) or by an incentive administrator."
                    )
                )
        if "payment_ref" in vals or "payment_date" in vals:
            if any(s.state in ("paid", "cancel") for s in self):
                raise UserError(
                    self.env._("A paid statement keeps its payment details.")
                )
        if set(vals) & LOCKED_FIELDS:
            self._check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(s.state not in ("draft", "cancel") for s in self):
            raise UserError(
                self.env._("Only draft or cancelled statements can be deleted.")
            )
        self.sudo()._forget_clawback_checks()

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def action_confirm(self):
        """Draft → confirmed: the salesperson sees it."""
        self.check_access("read")
        self._check_approver()
        self._check_state(("draft",), "confirm")
        self.sudo().write({"state": "confirmed", "confirmed_date": fields.Date.today()})
        return True

    def action_approve(self):
        self.check_access("read")
        self._check_approver()
        self._check_state(("confirmed",), "approve")
        self.sudo().write(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Date.today(),
            }
        )
        self.sudo()._on_approved()
        return True

    def _on_approved(self):
        """Hook: ``self`` (sudo) just became approved (accruals, budget)."""

    def _on_paid(self):
        """Hook: ``self`` (sudo) just became paid (settlement entries)."""

    def _extra_line_vals(self, vals_list):
        """Hook: more line vals for the draft statements ``self`` being
        recomputed, given the computed ``vals_list`` (e.g. draws)."""
        return []

    def action_pay(self, payment_date=None, payment_ref=None):
        self.check_access("read")
        self._check_admin()
        self._check_state(("approved",), "pay")
        held = self.filtered("hold_reason")
        if held:
            raise UserError(
                self.env._(
                    "The payout of %(name)s is held: %(reason)s",
                    name=held[0].name,
                    reason=held[0].hold_reason,
                )
            )
        for statement in self.sudo():
            statement.write(
                {
                    "state": "paid",
                    "payment_date": payment_date
                    or statement.payment_date
                    or fields.Date.context_today(statement),
                    "payment_ref": payment_ref or statement.payment_ref or False,
                }
            )
        self.sudo()._on_paid()
        return True

    def action_cancel(self):
        self.check_access("read")
        self._check_approver()
        self._check_state(("draft", "confirmed", "approved"), "cancel")
        if any(s.state == "approved" for s in self):
            self._check_admin()
        self.sudo()._forget_clawback_checks()
        self.sudo().write({"state": "cancel"})
        return True

    def _forget_clawback_checks(self):
        """``self`` is cancelled or deleted: the clawbacks it took will not be
        taken, so the next check of their salespeople's statements looks at
        the whole history again (also the way to ask for a full check)."""
        if self:
            self.env.execute_query(
                SQL(
                    "UPDATE %s SET clawback_fingerprint = NULL"
                    " WHERE user_id = ANY(%s) AND plan_id = ANY(%s)",
                    SQL.identifier(self._table),
                    self.user_id.ids,
                    self.plan_id.ids,
                )
            )
            self.invalidate_model(["clawback_fingerprint"])

    def action_draft(self):
        """Confirmed → draft, by an incentive administrator."""
        self.check_access("read")
        self._check_admin()
        self._check_approver()
        self._check_state(("confirmed",), "draft")
        self.sudo().write({"state": "draft"})
        return True

    def action_recompute(self):
        self.check_access("read")
        self._check_approver()
        self._check_state(("draft",), "recompute")
        self.sudo()._recompute_lines()
        return True

    def action_print(self):
        return self.env.ref(
            "sales_performance.action_report_incentive_statement"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------
    @api.model
    def _create_generated(self, plan_users, date_from, date_to):
        """Draft statements of the period for ``plan_users`` [(plan, user)],
        inserted in one statement (see ``bulk``): no creation message, the
        plan's chatter tells who generated how many."""
        if not plan_users:
            return self.browse()
        plans = self.env["sales.performance.incentive.plan"].union(
            *(plan for plan, _user in plan_users)
        )
        users = self.env["res.users"].union(*(user for _plan, user in plan_users))
        plans.fetch(["name", "company_id", "currency_id"])
        users.partner_id.fetch(["name"])
        ids = bulk.insert(
            self,
            [
                {
                    "plan_id": plan.id,
                    "user_id": user.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "company_id": plan.company_id.id,
                    "currency_id": plan.currency_id.id,
                    "state": "draft",
                    "amount_total": 0.0,
                    "name": self._statement_name(user, plan, date_from, date_to),
                }
                for plan, user in plan_users
            ],
        )
        plans.invalidate_recordset(["statement_ids"])
        for plan in plans:
            count = sum(1 for p, _user in plan_users if p == plan)
            plan.message_post(
                body=self.env._(
                    "%(count)s statements generated for %(from)s → %(to)s.",
                    count=count,
                    **{"from": date_from, "to": date_to},
                )
            )
        return self.browse(ids)

    def _recompute_lines(self, created=None):
        """Recompute the rule, band and clawback lines of draft statements
        (manual adjustments stay); ``created``: those just generated, whose
        chatter gets no note about their first total. Statements are grouped
        by plan and period: one achievement query per metric and group; the
        old lines go with one DELETE, the new ones come with one INSERT and
        the statements' totals with one UPDATE, whatever their number."""
        self.env.flush_all()
        # one query for the fields used below, whatever the number of records
        self.sudo().fetch(
            [
                "state",
                "plan_id",
                "user_id",
                "date_from",
                "date_to",
                "company_id",
                "currency_id",
                "amount_total",
            ]
        )
        statements = self.sudo().filtered(lambda s: s.state == "draft")
        if not statements:
            return
        statements.user_id.partner_id.fetch(["name", "lang"])
        Line = self.env["sales.performance.incentive.statement.line"].sudo()
        self.env.execute_query(
            SQL(
                "DELETE FROM %s WHERE statement_id = ANY(%s) AND line_type != %s",
                SQL.identifier(Line._table),
                statements.ids,
                "adjustment",
            )
        )
        Line.invalidate_model()
        statements.invalidate_recordset(["line_ids"])
        vals_list = []
        hold_specs = []
        header = {}
        groups = statements.grouped(lambda s: (s.plan_id, s.date_from, s.date_to))
        for (plan, date_from, date_to), members in groups.items():
            version = plan._version_at(date_from)
            rules = version._rules() if version else plan._rules_snapshot()
            windows = plan._assignment_windows(date_from, date_to)
            results = plan._compute_payouts(
                members.user_id, date_from, date_to, rules, windows
            )
            holds = plan._eligibility_holds(members.user_id, date_from, date_to)
            live_rule_ids = set(
                self.env["sales.performance.incentive.rule"]
                .sudo()
                .browse([rule["id"] for rule in rules if rule.get("id")])
                .exists()
                .ids
            )
            for statement in members:
                first, last = windows.get(statement.user_id.id, (date_from, date_to))
                partial = (first, last) != (date_from, date_to)
                header[statement.id] = {
                    "version_id": version.id,
                    "hold_reason": holds.get(statement.user_id.id) or False,
                    "assigned_from": partial and first,
                    "assigned_to": partial and last,
                }
                localized = statement.with_context(
                    lang=statement.user_id.lang or self.env.lang or "en_US"
                )
                for sequence, (rule, base, target, result) in enumerate(
                    results.get(statement.user_id.id, []), start=1
                ):
                    if result.holds:
                        # the rule line is the first of its vals
                        hold_specs.append((len(vals_list), result.holds))
                    vals_list += localized._line_vals(
                        sequence * 10, rule, base, target, result, live_rule_ids
                    )
        vals_list += statements._clawback_vals()
        vals_list += statements._release_vals()
        vals_list += statements._extra_line_vals(vals_list)
        related = {
            statement.id: {
                "user_id": statement.user_id.id,
                "company_id": statement.company_id.id,
                "date_from": statement.date_from,
                "date_to": statement.date_to,
                "state": statement.state,
            }
            for statement in statements
        }
        line_ids = bulk.insert(
            Line, [dict(vals, **related[vals["statement_id"]]) for vals in vals_list]
        )
        if hold_specs:
            self.env["sales.performance.incentive.hold"].sudo().create(
                [
                    {
                        "line_id": line_ids[index],
                        "invoice_id": invoice_id,
                        "earned": earned,
                        "payable": payable,
                        "date_due": date_due,
                    }
                    for index, holds in hold_specs
                    for invoice_id, earned, payable, date_due in holds
                ]
            )
        statements._write_totals(vals_list, header, created or self.browse())

    def _write_totals(self, vals_list, header, created):
        """Store the totals of the freshly computed statements ``self`` (their
        computed lines in ``vals_list`` plus the manual adjustments kept) with
        the ``header`` values {statement id: vals}, in one UPDATE; a note in
        the chatter of each statement whose total changed."""
        Line = self.env["sales.performance.incentive.statement.line"].sudo()
        totals = dict.fromkeys(self.ids, 0.0)
        for vals in vals_list:
            if vals["line_type"] != "band":
                totals[vals["statement_id"]] += vals["amount"] or 0.0
        for statement, amount in Line._read_group(
            [("statement_id", "in", self.ids), ("line_type", "=", "adjustment")],
            ["statement_id"],
            ["amount:sum"],
        ):
            totals[statement.id] += amount
        previous = {statement.id: statement.amount_total for statement in self}
        new_totals = {
            statement.id: statement.currency_id.round(totals[statement.id])
            if statement.currency_id
            else 0.0
            for statement in self
        }
        bulk.update(
            self,
            [
                dict(
                    header.get(statement.id, {}), amount_total=new_totals[statement.id]
                )
                for statement in self
            ],
        )
        self.invalidate_recordset(["line_ids"])
        changed = self.filtered(
            lambda s: s.currency_id
            and s.currency_id.compare_amounts(previous[s.id], new_totals[s.id])
            and s not in created
        )
        if changed:
            changed._message_log_batch(
                bodies={
                    statement.id: self.env._(
                        "Recomputed: the total went from %(old)s to %(new)s.",
                        old=fmt(previous[statement.id]),
                        new=fmt(new_totals[statement.id]),
                    )
                    for statement in changed
                }
            )

    def _line_vals(self, sequence, rule, base, target, result, live_rule_ids):
        self.ensure_one()
        rule_id = rule.get("id") if rule.get("id") in live_rule_ids else False
        common = {
            "statement_id": self.id,
            "rule_id": rule_id,
            "metric_id": rule.get("metric_id") or False,
            "kind": rule.get("kind"),
        }
        vals = [
            dict(
                common,
                sequence=sequence,
                line_type="rule",
                name=rule.get("name"),
                base=base,
                target_value=target or 0.0,
                attainment=result.attainment or 0.0,
                band=result.band,
                rate=result.rate,
                unit_amount=result.unit_amount,
                count=result.count,
                gate_applied=result.gate_applied,
                cap_applied=result.cap_applied,
                amount=self.currency_id.round(result.amount),
                earned_amount=self.currency_id.round(result.earned or 0.0),
                held_amount=self.currency_id.round(
                    (result.earned or 0.0) - result.amount if result.holds else 0.0
                ),
                explanation=result.explanation,
                rule_snapshot=json.dumps(rule, sort_keys=True),
            )
        ]
        if rule.get("kind") in ("commission", "override") and result.parts:
            for index, part in enumerate(result.parts, start=1):
                vals.append(
                    dict(
                        common,
                        sequence=sequence + index,
                        line_type="band",
                        name=self.env._("Band %(band)s", band=part.band),
                        base=part.base_part,
                        band=part.band,
                        rate=part.rate,
                        amount=self.currency_id.round(part.amount),
                        explanation=self.env._(
                            "%(rate)s%% of %(part)s in band %(band)s = %(amount)s",
                            rate=fmt(part.rate),
                            part=fmt(part.base_part),
                            band=part.band,
                            amount=fmt(part.amount),
                        ),
                    )
                )
        return vals

    def _clawback_fingerprints(self, periods):
        """``{key: stamp}`` of each ``(metric, date_from, date_to)`` of
        ``periods`` (key ``"metric:from:to"``) and of what every figure
        depends on (key ``"*"``: credit splits, team history, currency rates).
        A period's stamp is that of the change log of its days
        (``sales.performance.metric.change``: a document created, changed,
        moved to another period or deleted adds a row) and of its metric's
        last edit. Two queries, whatever the history of documents."""
        # this transaction's own changes are in the log too
        self.env["sales.performance.recompute.queue"].sudo()._flush_marks()
        one_day = timedelta(days=1)
        ranges = {}
        for metric, date_from, date_to in periods:
            # a day more on each side: the days of datetimes are counted in
            # the salesperson's time zone; a first record depends on every
            # earlier one
            start = date.min if metric.computation == "first" else date_from - one_day
            ranges[metric, date_from, date_to] = (
                metric.id,
                start,
                date_to + one_day + one_day,
            )
        logged = (
            self.env["sales.performance.metric.change"]
            .sudo()
            ._stamps(list(dict.fromkeys(ranges.values())))
        )
        stamps = {
            f"{metric.id}:{date_from}:{date_to}": (
                f"{logged[ranges[metric, date_from, date_to]]}:{metric.write_date}"
            )
            for metric, date_from, date_to in periods
        }
        tables = [
            self.env[model]._table
            for model in (
                "sales.performance.credit.split",
                "sales.performance.team.membership",
                "res.currency.rate",
            )
        ]
        (stamp,) = self.env.execute_query(
            SQL(
                "SELECT concat_ws(' ', %s)",
                SQL(", ").join(
                    SQL(
                        "(SELECT count(*) || ':' || coalesce(max(write_date)::text, '')"
                        " FROM %s)",
                        SQL.identifier(table),
                    )
                    for table in tables
                ),
            )
        )[0]
        stamps["*"] = stamp
        return stamps

    def _clawback_origins(self, origin_domain):
        """The origin lines to check again for the statements ``self``: only
        those of the periods whose documents changed since the previous
        check of the salesperson's statements (their fingerprint), all of
        them when there is no earlier check. Stores the new fingerprint on
        ``self``. Query count and work do not grow with the history when it
        does not change."""
        Line = self.env["sales.performance.incentive.statement.line"].sudo()
        periods = [
            (metric, date_from, date_to)
            for metric, date_from, date_to in Line._read_group(
                origin_domain, ["metric_id", "date_from:day", "date_to:day"]
            )
        ]
        # the statements' own periods too: once approved, their lines are
        # origins of the next check, which then only looks at them again
        # when their documents changed since these figures were computed
        own = {
            (rule.metric_id, statement.date_from, statement.date_to)
            for statement in self
            for rule in statement.plan_id.rule_ids
            if rule.kind in ("commission", "spiff", "bonus") and rule.metric_id
        }
        current = self._clawback_fingerprints(
            list(dict.fromkeys([*periods, *sorted(own - set(periods), key=repr)]))
        )
        self.env.execute_query(
            SQL(
                "UPDATE %s SET clawback_fingerprint = %s WHERE id = ANY(%s)",
                SQL.identifier(self._table),
                json.dumps(current, sort_keys=True),
                self.ids,
            )
        )
        self.invalidate_recordset(["clawback_fingerprint"])
        if not periods:
            return Line
        # the latest check of each salesperson and plan (cancelled statements
        # do not count: their clawbacks were not taken)
        previous = {}
        for user_id, plan_id, fingerprint in self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (user_id, plan_id) user_id, plan_id,
                       clawback_fingerprint
                  FROM %s
                 WHERE user_id = ANY(%s) AND plan_id = ANY(%s)
                   AND NOT (id = ANY(%s)) AND state != 'cancel'
                   AND clawback_fingerprint IS NOT NULL
              ORDER BY user_id, plan_id, id DESC
                """,
                SQL.identifier(self._table),
                self.user_id.ids,
                self.plan_id.ids,
                self.ids,
            )
        ):
            previous[(user_id, plan_id)] = json.loads(fingerprint)
        users_of = defaultdict(set)
        for statement in self:
            before = previous.get((statement.user_id.id, statement.plan_id.id), {})
            if before.get("*") != current["*"]:
                changed = frozenset(periods)
            else:
                changed = frozenset(
                    period
                    for period in periods
                    if before.get(f"{period[0].id}:{period[1]}:{period[2]}")
                    != current[f"{period[0].id}:{period[1]}:{period[2]}"]
                )
            if changed:
                users_of[changed].add(statement.user_id.id)
        if not users_of:
            return Line
        domains = [
            Domain("statement_id.user_id", "in", list(user_ids))
            & Domain.OR(
                Domain("metric_id", "=", metric.id)
                & Domain("date_from", "=", date_from)
                & Domain("date_to", "=", date_to)
                for metric, date_from, date_to in changed
            )
            for changed, user_ids in users_of.items()
        ]
        return Line.search(Domain(origin_domain) & Domain.OR(domains))

    def _clawback_vals(self):
        """Late changes: when the base of a line in an approved or paid
        statement has since gone down (credit note, cancelled or lost deal),
        the next draft statement gets the difference at the rate originally
        applied, referencing the original line. A bonus is computed again
        with the rule it was paid with: what was paid above it is taken
        back. Only the periods whose documents changed since the previous
        check are looked at again (``_clawback_origins``)."""
        origins = self._clawback_origins(
            [
                ("line_type", "=", "rule"),
                ("kind", "in", ["commission", "spiff", "bonus"]),
                ("metric_id", "!=", False),
                ("statement_id.state", "in", ["approved", "paid"]),
                ("statement_id.user_id", "in", self.user_id.ids),
                ("statement_id.plan_id", "in", self.plan_id.ids),
            ]
        )
        Line = self.env["sales.performance.incentive.statement.line"].sudo()
        if not origins:
            return []
        applied = defaultdict(lambda: [0.0, 0.0])
        for group_line, base, amount in Line._read_group(
            [
                ("origin_line_id", "in", origins.ids),
                ("statement_id.state", "!=", "cancel"),
                ("statement_id", "not in", self.ids),
            ],
            ["origin_line_id"],
            ["base:sum", "amount:sum"],
        ):
            applied[group_line.id] = [base, amount]
        current = {}
        # the days the original statement counted (its assignment window)
        origins.statement_id.fetch(["plan_id", "assigned_from", "assigned_to"])
        groups = origins.grouped(
            lambda line: (
                line.statement_id.plan_id,
                line.metric_id,
                line.statement_id.assigned_from or line.date_from,
                line.statement_id.assigned_to or line.date_to,
            )
        )
        timeline = self.env["sales.performance.team.membership"]._timeline(
            set(origins.statement_id.company_id.ids)
        )
        for (plan, metric, date_from, date_to), lines in groups.items():
            values = plan._achieved_by_user(
                metric, date_from, date_to, lines.user_id, timeline
            )
            for line in lines:
                current[line.id] = values.get(line.user_id.id, 0.0)
        # each statement looks at its own salesperson's lines of the plan only:
        # one pass over the history, whatever the number of statements
        by_owner = origins.grouped(
            lambda line: (line.user_id, line.statement_id.plan_id)
        )
        vals_list = []
        for statement in self:
            translate = statement.with_context(
                lang=statement.user_id.lang or self.env.lang or "en_US"
            ).env._
            for line in by_owner.get((statement.user_id, statement.plan_id), ()):
                if line.date_to >= statement.date_from:
                    continue
                origin = clawback.Origin(
                    kind=line.kind,
                    base=line.base,
                    amount=line.amount,
                    rate=line.rate,
                    unit_amount=line.unit_amount,
                    target=line.target_value or None,
                    rule=json.loads(line.rule_snapshot or "{}"),
                )
                if origin.rule.get("payable_on_collection"):
                    # paid per invoice as collected: its holds settle credits
                    # (see _release_vals), not the base of the period
                    continue
                done_base, done_amount = applied[line.id]
                taken = clawback.compute(
                    origin,
                    current[line.id],
                    done_base,
                    done_amount,
                    statement.currency_id.round,
                )
                if taken is None:
                    continue
                vals_list.append(
                    {
                        "statement_id": statement.id,
                        "sequence": 900,
                        "line_type": "clawback",
                        "rule_id": line.rule_id.id,
                        "metric_id": line.metric_id.id,
                        "kind": line.kind,
                        "origin_line_id": line.id,
                        "name": clawback.title(
                            line.name, line.date_from, line.date_to, translate
                        ),
                        "base": taken.difference,
                        "rate": line.rate,
                        "unit_amount": line.unit_amount,
                        "amount": taken.amount,
                        "explanation": clawback.explanation(
                            origin,
                            taken,
                            line.name,
                            line.date_from,
                            line.date_to,
                            translate,
                        ),
                    }
                )
        return vals_list

    def _release_vals(self):
        """Commissions held until collection: each draft statement releases,
        per invoice of an approved or paid earlier statement of its
        salesperson and plan, what became payable since (earned × the share
        collected by its period end − what was paid or released), or forfeits
        what is still held on an invoice unpaid the plan's hold days after
        its due date."""
        Hold = self.env["sales.performance.incentive.hold"].sudo()
        Line = self.env["sales.performance.incentive.statement.line"].sudo()
        holds = Hold.search(
            [
                ("statement_id.state", "in", ["approved", "paid"]),
                ("user_id", "in", self.user_id.ids),
                ("plan_id", "in", self.plan_id.ids),
            ]
        )
        if not holds:
            return []
        # per hold: released so far, forfeited, clawed back so far
        settled = defaultdict(lambda: [0.0, False, 0.0])
        for hold, line_type, amount in Line._read_group(
            [
                ("hold_id", "in", holds.ids),
                ("statement_id.state", "!=", "cancel"),
                ("statement_id", "not in", self.ids),
            ],
            ["hold_id", "line_type"],
            ["amount:sum"],
        ):
            if line_type == "forfeit":
                settled[hold.id][1] = True
            elif line_type == "clawback":
                settled[hold.id][2] += amount
            else:
                settled[hold.id][0] += amount
        holds.fetch(["invoice_id", "earned", "payable", "date_due", "line_id"])
        by_owner = holds.grouped(lambda h: (h.user_id, h.plan_id))
        # collection and credit status of all the invoices, once per period
        # end of the statements (not once per statement)
        shares_at, credited_at = {}, {}
        for day in set(self.mapped("date_to")):
            shares_at[day] = self.plan_id[:1]._collected_shares(
                set(holds.invoice_id.ids), day
            )
            credited_at[day] = self._credited_amounts(holds.invoice_id, day)
        vals_list = []
        for statement in self:
            mine = by_owner.get((statement.user_id, statement.plan_id), Hold)
            mine = mine.filtered(lambda h, s=statement: h.line_id.date_to < s.date_from)
            if not mine:
                continue
            shares = shares_at[statement.date_to]
            credited = credited_at[statement.date_to]
            env = statement.with_context(
                lang=statement.user_id.lang or self.env.lang or "en_US"
            ).env
            for hold in mine:
                released, forfeited, taken = settled[hold.id]
                paid = hold.payable + released
                back = statement.currency_id.round(
                    collection.credited_back(
                        paid,
                        credited.get(hold.invoice_id.id, 0.0),
                        hold.invoice_id.amount_total_signed,
                        taken,
                    )
                )
                if not statement.currency_id.is_zero(back):
                    vals_list.append(
                        statement._credited_back_vals(hold, back, paid, env)
                    )
                if forfeited:
                    continue
                share, _due = shares.get(hold.invoice_id.id, (0.0, False))
                amount = statement.currency_id.round(
                    collection.release(hold.earned, share, paid)
                )
                common = statement._hold_line_vals(hold)
                params = {
                    "invoice": hold.invoice_id.name,
                    "earned": fmt(hold.earned),
                    "from": hold.line_id.date_from,
                    "to": hold.line_id.date_to,
                }
                if not statement.currency_id.is_zero(amount):
                    vals_list.append(
                        dict(
                            common,
                            sequence=910,
                            line_type="release",
                            amount=amount,
                            name=env._("Released on collection: %(invoice)s", **params),
                            explanation=env._(
                                "%(invoice)s is %(share)s%% paid by %(day)s: of the "
                                "%(earned)s earned on it in %(from)s → %(to)s, "
                                "%(amount)s more is payable now (%(paid)s was paid "
                                "before).",
                                share=fmt(round(share * 100, 2)),
                                day=statement.date_to,
                                amount=fmt(amount),
                                paid=fmt(paid),
                                **params,
                            ),
                        )
                    )
                elif collection.is_forfeited(
                    hold.date_due,
                    statement.plan_id.hold_days,
                    statement.date_to,
                    share,
                ):
                    vals_list.append(
                        dict(
                            common,
                            sequence=920,
                            line_type="forfeit",
                            amount=0.0,
                            name=env._("Forfeited: %(invoice)s", **params),
                            explanation=env._(
                                "%(invoice)s is still unpaid %(days)s days after its "
                                "due date %(due)s: the %(held)s held of the "
                                "%(earned)s earned on it in %(from)s → %(to)s is "
                                "forfeited.",
                                days=statement.plan_id.hold_days,
                                due=hold.date_due,
                                held=fmt(hold.earned - paid),
                                **params,
                            ),
                        )
                    )
        return vals_list

    @api.model
    def _credited_amounts(self, invoices, day):
        """``{invoice id: credited amount}``: the posted credit notes of
        ``invoices`` dated up to ``day`` (one query)."""
        return {
            invoice.id: abs(total)
            for invoice, total in self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("reversed_entry_id", "in", invoices.ids),
                    ("move_type", "=", "out_refund"),
                    ("state", "=", "posted"),
                    ("invoice_date", "<=", day),
                ],
                ["reversed_entry_id"],
                ["amount_total_signed:sum"],
            )
        }

    def _hold_line_vals(self, hold):
        """What every line settling ``hold`` (release, forfeit, clawback of
        a credited invoice) takes from the commission line it settles."""
        self.ensure_one()
        return {
            "statement_id": self.id,
            "rule_id": hold.line_id.rule_id.id,
            "metric_id": hold.line_id.metric_id.id,
            "kind": hold.line_id.kind,
            "origin_line_id": hold.line_id.id,
            "hold_id": hold.id,
            "base": 0.0,
        }

    def _credited_back_vals(self, hold, amount, paid, env):
        """A clawback line: part of the commission paid on ``hold``'s invoice
        is taken back at the original rate, the invoice being credited."""
        self.ensure_one()
        return {
            **self._hold_line_vals(hold),
            "sequence": 905,
            "line_type": "clawback",
            "amount": amount,
            "name": env._("Credited: %(invoice)s", invoice=hold.invoice_id.name),
            "explanation": env._(
                "%(invoice)s was credited after its commission was paid: of the "
                "%(paid)s paid on it in %(from)s → %(to)s, %(amount)s is taken back "
                "at the rate originally applied.",
                invoice=hold.invoice_id.name,
                paid=fmt(paid),
                amount=fmt(-amount),
                **{"from": hold.line_id.date_from, "to": hold.line_id.date_to},
            ),
        }


class SalesPerformanceIncentiveStatementLine(models.Model):
    _name = "sales.performance.incentive.statement.line"
    _description = "Incentive Statement Line"
    _order = "statement_id, sequence, id"

    statement_id = fields.Many2one(
        "sales.performance.incentive.statement",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=500)
    line_type = fields.Selection(LINE_TYPES, default="adjustment", required=True)
    user_id = fields.Many2one(related="statement_id.user_id", store=True, index=True)
    company_id = fields.Many2one(
        related="statement_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="statement_id.currency_id")
    date_from = fields.Date(related="statement_id.date_from", store=True)
    date_to = fields.Date(related="statement_id.date_to", store=True)
    state = fields.Selection(related="statement_id.state", store=True)
    rule_id = fields.Many2one(
        "sales.performance.incentive.rule", ondelete="set null", index="btree_not_null"
    )
    metric_id = fields.Many2one("sales.performance.metric", ondelete="set null")
    kind = fields.Selection(
        [
            ("commission", "Commission"),
            ("bonus", "Bonus"),
            ("spiff", "SPIFF"),
            ("override", "Override"),
        ]
    )
    name = fields.Char(string="Description", required=True)
    base = fields.Float(digits=(16, 2))
    target_value = fields.Float(string="Target", digits=(16, 2))
    attainment = fields.Float(string="Attainment (%)", digits=(16, 2), aggregator=False)
    band = fields.Char()
    rate = fields.Float(string="Rate (%)", digits=(16, 4), aggregator=False)
    unit_amount = fields.Monetary(string="Fixed Amount", aggregator=False)
    count = fields.Float(string="Records Paid", digits=(16, 0))
    gate_applied = fields.Boolean(string="Gate Not Met")
    cap_applied = fields.Boolean(string="Capped")
    amount = fields.Monetary()
    explanation = fields.Text()
    rule_snapshot = fields.Text(readonly=True)
    origin_line_id = fields.Many2one(
        "sales.performance.incentive.statement.line",
        string="Adjusts",
        ondelete="restrict",
        index="btree_not_null",
    )
    earned_amount = fields.Monetary(
        string="Earned",
        help="Payable on collection: what the rule earned; the amount is what is "
        "payable now, the rest is held.",
    )
    held_amount = fields.Monetary(string="Held")
    hold_id = fields.Many2one(
        "sales.performance.incentive.hold",
        string="Held on Invoice",
        ondelete="restrict",
        index="btree_not_null",
        help="Release and forfeit lines: the held commission they settle.",
    )

    @api.constrains("line_type", "name", "amount")
    def _check_adjustment(self):
        for line in self:
            if line.line_type == "adjustment" and not (line.name or "").strip():
                raise ValidationError(self.env._("A manual adjustment needs a reason."))

    # ------------------------------------------------------------------
    # CRUD: lines change only on draft statements; manual adjustments by
    # incentive administrators
    # ------------------------------------------------------------------
    def _check_editable(self, statements):
        if self.env.context.get("incentive_recompute"):
            return
        statements._check_draft()
        if not self.env["res.users"]._sales_performance_is_incentive_admin():
            raise AccessError(
                self.env._(
                    "Only an incentive administrator adjusts a statement by hand."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        statements = self.env["sales.performance.incentive.statement"].browse(
            [vals["statement_id"] for vals in vals_list if vals.get("statement_id")]
        )
        if not self.env.context.get("incentive_recompute"):
            for vals in vals_list:
                vals["line_type"] = "adjustment"
            self._check_editable(statements)
        return super().create(vals_list)

    def write(self, vals):
        self._check_editable(self.statement_id)
        if not self.env.context.get("incentive_recompute") and any(
            line.line_type != "adjustment" for line in self
        ):
            raise UserError(
                self.env._("Computed lines change by recomputing the statement only.")
            )
        return super().write(vals)

    def unlink(self):
        self._check_editable(self.statement_id)
        return super().unlink()

    def action_view_sources(self):
        """The source documents behind the base of this line."""
        self.ensure_one()
        metric = self.metric_id.sudo()
        if not metric:
            raise UserError(self.env._("This line has no source documents."))
        statement = self.statement_id
        target = self.env["sales.performance.target"].new(
            {
                "user_id": statement.user_id.id,
                "company_id": statement.company_id.id,
                "metric_id": metric.id,
                "date_from": self.origin_line_id.date_from or statement.date_from,
                "date_to": self.origin_line_id.date_to or statement.date_to,
            }
        )
        return metric._action_view_sources(target, self.name)
