import math
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.misc import format_amount

from ..engine import budget as budget_engine
from ..engine import pacing, payout
from . import period_overlap

# A budget above this is a typing error.
MAX_BUDGET = 1e12
FIGURES = (
    "accrued",
    "paid",
    "forecast",
    "difference",
    "consumed_pct",
    "over_budget",
    "figures_date",
)


class SalesPerformanceIncentiveBudget(models.Model):
    """What a plan may cost over a period, against what its statements
    accrued, paid and are forecast to cost (see ``engine.budget``)."""

    _name = "sales.performance.incentive.budget"
    _description = "Incentive Plan Budget"
    _inherit = ["mail.thread"]
    _order = "date_from desc, plan_id, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    plan_id = fields.Many2one(
        "sales.performance.incentive.plan",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id", store=True)
    date_from = fields.Date(string="Period Start", required=True, tracking=True)
    date_to = fields.Date(string="Period End", required=True, tracking=True)
    amount = fields.Monetary(string="Budget", required=True, tracking=True)
    accrued = fields.Monetary(
        compute="_compute_figures",
        store=True,
        help="Totals of the confirmed and approved statements whose period lies "
        "within the budget period (owed, not paid yet).",
    )
    paid = fields.Monetary(
        compute="_compute_figures",
        store=True,
        help="Totals of the paid statements whose period lies within the budget "
        "period.",
    )
    forecast = fields.Monetary(
        compute="_compute_figures",
        store=True,
        help="Every current statement of the budget period (draft, confirmed, "
        "approved, paid) plus, for the assignees without a statement of a period "
        "yet, the estimator's payout at their current pace.",
    )
    difference = fields.Monetary(
        compute="_compute_figures",
        store=True,
        help="Budget − forecast: negative when the plan is forecast over budget.",
    )
    consumed_pct = fields.Float(
        string="Consumed (%)",
        compute="_compute_figures",
        store=True,
        aggregator="avg",
        digits=(16, 2),
        help="(Accrued + paid) / budget × 100.",
    )
    over_budget = fields.Boolean(compute="_compute_figures", store=True)
    figures_date = fields.Datetime(
        string="Figures As Of", compute="_compute_figures", store=True
    )

    @api.depends("plan_id.name", "date_from", "date_to")
    def _compute_name(self):
        for budget in self:
            budget.name = "%s · %s → %s" % (
                budget.plan_id.name or "",
                budget.date_from or "",
                budget.date_to or "",
            )

    @api.depends(
        "plan_id",
        "plan_id.state",
        "date_from",
        "date_to",
        "amount",
        "plan_id.statement_ids.state",
        "plan_id.statement_ids.amount_total",
    )
    def _compute_figures(self):
        """All the budgets at once: one grouped read of the statements of
        their plans, and for each plan period lacking statements the
        estimator at pace (once per plan and period, whatever the number of
        budgets)."""
        now = fields.Datetime.now()
        budgets = self.filtered(
            lambda b: b.plan_id and b.date_from and b.date_to and b.currency_id
        )
        for budget in self - budgets:
            budget.update(dict.fromkeys(FIGURES, False))
        if not budgets:
            return
        plans = budgets.plan_id._origin.sudo()
        totals, users_with = self._statement_totals(
            plans,
            min(budgets.mapped("date_from")),
            max(budgets.mapped("date_to")),
        )
        today = fields.Date.context_today(self)
        pace_of = {}
        for budget in budgets:
            plan = budget.plan_id._origin.sudo()
            by_state = defaultdict(float)
            for (plan_id, first, last), states in totals.items():
                if plan_id == plan.id and budget_engine.within(
                    (first, last), budget.date_from, budget.date_to
                ):
                    for state, total in states.items():
                        by_state[state] += total
            pace = 0.0
            if plan.state in ("draft", "active"):
                for first, last in budget._plan_periods():
                    key = (plan.id, first, last)
                    if key not in pace_of:
                        pace_of[key] = plan._pace_estimate(
                            first, last, users_with.get(key, set()), today
                        )
                    pace += pace_of[key]
            currency = budget.currency_id
            result = budget_engine.figures(
                budget.amount, by_state, pace, currency.round
            )
            budget.update(
                {
                    **result._asdict(),
                    "over_budget": budget_engine.is_over(
                        budget.amount, result, currency.rounding / 2
                    ),
                    "figures_date": now,
                }
            )

    @api.model
    def _statement_totals(self, plans, date_from, date_to):
        """``({(plan id, first, last): {state: total}}, {(plan id, first,
        last): {user ids}})``: the totals of the non-cancelled statements of
        ``plans`` lying within the dates, by period and state, and who has a
        statement of each period (one grouped read)."""
        totals = defaultdict(lambda: defaultdict(float))
        users_with = defaultdict(set)
        if not plans:
            return totals, users_with
        groups = (
            self.env["sales.performance.incentive.statement"]
            .sudo()
            ._read_group(
                [
                    ("plan_id", "in", plans.ids),
                    ("date_from", ">=", date_from),
                    ("date_to", "<=", date_to),
                    ("state", "!=", "cancel"),
                ],
                ["plan_id", "date_from:day", "date_to:day", "state"],
                ["amount_total:sum", "user_id:array_agg"],
            )
        )
        for plan, first, last, state, total, user_ids in groups:
            totals[(plan.id, first, last)][state] += total
            users_with[(plan.id, first, last)].update(user_ids)
        return totals, users_with

    def _plan_periods(self):
        """The plan's periods (by its period type) lying within the budget
        period and overlapping the plan's validity."""
        self.ensure_one()
        plan = self.plan_id._origin.sudo()
        start = max(self.date_from, plan.date_from)
        end = min(self.date_to, plan.date_to)
        if start > end:
            return []
        return [
            period
            for period in plan._periods_between(start, end)
            if budget_engine.within(period, self.date_from, self.date_to)
        ]

    @api.constrains("date_from", "date_to", "amount", "plan_id")
    def _check_budget(self):
        for budget in self:
            if budget.date_from > budget.date_to:
                raise ValidationError(
                    self.env._(
                        "The budget of %(plan)s must end after it starts "
                        "(%(from)s → %(to)s).",
                        plan=budget.plan_id.name,
                        **{"from": budget.date_from, "to": budget.date_to},
                    )
                )
            amount = budget.amount
            if not math.isfinite(amount) or not 0 <= amount <= MAX_BUDGET:
                raise ValidationError(
                    self.env._(
                        "The amount of the budget of %(plan)s must be between 0 and "
                        "%(max)s.",
                        plan=budget.plan_id.name,
                        max=f"{MAX_BUDGET:,.0f}",
                    )
                )
        self.flush_model(["plan_id", "date_from", "date_to"])
        pair = period_overlap.first_overlap(self, SQL("o.plan_id = t.plan_id"))
        if pair:
            budget, other = pair
            raise ValidationError(
                self.env._(
                    "The plan %(plan)s already has a budget for %(from)s → %(to)s: "
                    "the budget periods of a plan do not overlap.",
                    plan=budget.plan_id.name,
                    **{"from": other.date_from, "to": other.date_to},
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_finite_amount(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_finite_amount(vals)
        return super().write(vals)

    def _check_finite_amount(self, vals):
        """NaN and infinity fail the currency rounding before any constraint:
        refuse them first, with the same sentence."""
        amount = vals.get("amount")
        if isinstance(amount, float) and not math.isfinite(amount):
            plan = self.env["sales.performance.incentive.plan"].browse(
                vals.get("plan_id")
            )
            raise ValidationError(
                self.env._(
                    "The amount of the budget of %(plan)s must be between 0 and "
                    "%(max)s.",
                    plan=", ".join((plan or self.plan_id).mapped("display_name")),
                    max=f"{MAX_BUDGET:,.0f}",
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_refresh_figures(self):
        self.env["res.users"]._sales_performance_check_incentive_admin()
        self._refresh_figures()
        return True

    def action_view_statements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_incentive_statement_action"
        )
        action["domain"] = [
            ("plan_id", "=", self.plan_id.id),
            ("date_from", ">=", self.date_from),
            ("date_to", "<=", self.date_to),
        ]
        action["context"] = {"default_plan_id": self.plan_id.id}
        return action

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------
    def _refresh_figures(self):
        """Have the figures recomputed (statements written in bulk, the pace
        of a new day): at the next read or flush."""
        for fname in FIGURES:
            self.env.add_to_compute(self._fields[fname], self)

    @api.model
    def _cron_refresh_figures(self):
        """Daily: the forecast of the budgets whose period is not over follows
        the pace of the day."""
        budgets = self.sudo().search(
            [("date_to", ">=", fields.Date.context_today(self))]
        )
        budgets._refresh_figures()
        budgets.flush_recordset()

    def _warning_text(self):
        """The over-budget figures, as one sentence (for administrators)."""
        self.ensure_one()
        currency = self.currency_id
        committed = self.accrued + self.paid
        return self.env._(
            "The plan %(plan)s is over its budget of %(amount)s for %(from)s → %(to)s "
            "by %(over)s: forecast %(forecast)s, accrued %(accrued)s, paid "
            "%(paid)s.",
            plan=self.plan_id.name,
            amount=format_amount(self.env, self.amount, currency),
            over=format_amount(
                self.env, max(self.forecast, committed) - self.amount, currency
            ),
            forecast=format_amount(self.env, self.forecast, currency),
            accrued=format_amount(self.env, self.accrued, currency),
            paid=format_amount(self.env, self.paid, currency),
            **{"from": self.date_from, "to": self.date_to},
        )

    def _chatter_text(self):
        """What the plan's and statements' chatter say (salespeople read it:
        no budget figure)."""
        self.ensure_one()
        return self.env._(
            "Over budget: the incentives of %(plan)s for %(from)s → %(to)s exceed "
            "its budget (see Incentives › Budgets).",
            plan=self.plan_id.name,
            **{"from": self.date_from, "to": self.date_to},
        )

    def _notification(self, title, figures, next_action=None):
        """A warning for the user who just took the plan over budget: the
        figures (``figures``: for incentive administrators) or the fact."""
        if figures:
            message = "\n".join(budget._warning_text() for budget in self)
        else:
            message = "\n".join(budget._chatter_text() for budget in self)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "title": title,
                "message": message,
                "sticky": True,
                "next": next_action
                or {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }


class SalesPerformanceIncentivePlan(models.Model):
    _inherit = "sales.performance.incentive.plan"

    budget_ids = fields.One2many(
        "sales.performance.incentive.budget",
        "plan_id",
        string="Budgets",
        groups="sales_performance.group_sales_performance_incentive_admin",
    )

    def _budgets_containing(self, date_from, date_to):
        """The budgets of the plans whose period contains ``date_from`` →
        ``date_to`` (sudo)."""
        return (
            self.env["sales.performance.incentive.budget"]
            .sudo()
            .search(
                [
                    ("plan_id", "in", self.ids),
                    ("date_from", "<=", date_from),
                    ("date_to", ">=", date_to),
                ]
            )
        )

    def _pace_estimate(self, date_from, date_to, excluded_user_ids, today):
        """What the assignees of the period without a statement yet (all but
        ``excluded_user_ids``) would earn at their current pace: the
        estimator's rule (achieved so far run to the end of their assigned
        days over the working days), one payout computation for them all."""
        self.ensure_one()
        plan = self.sudo()
        windows = plan._assignment_windows(date_from, date_to)
        users = self.env["res.users"].browse(
            [user_id for user_id in windows if user_id not in excluded_user_ids]
        )
        if not users:
            return 0.0
        version = plan._version_at(date_from)
        rules = version._rules() if version else plan._rules_snapshot()
        if not rules:
            return 0.0
        calendar = plan.company_id._sales_performance_calendar()
        payouts = plan._compute_payouts(users, date_from, date_to, rules, windows)
        total = 0.0
        for user_id, lines in payouts.items():
            first, last = windows.get(user_id, (date_from, date_to))
            for rule, base, target, _result in lines:
                pace_base = pacing.forecast_value(
                    base,
                    first,
                    last,
                    today,
                    calendar.weekdays,
                    holidays=calendar.holidays,
                )
                total += payout.compute_rule(rule, pace_base, target, self.env._).amount
        return total

    def generate_statements(self, date_from, date_to):
        """Generating statements that leave a plan over budget posts a note in
        its chatter (the figures in the budget's); it never blocks."""
        statements = super().generate_statements(date_from, date_to)
        budgets = self._budgets_containing(
            fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        )
        for budget in budgets.filtered("over_budget"):
            budget.plan_id.message_post(
                body=budget._chatter_text(),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            budget.message_post(
                body=self.env._(
                    "Statements generated for %(from)s → %(to)s: %(figures)s",
                    figures=budget._warning_text(),
                    **{"from": date_from, "to": date_to},
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return statements

    def action_refresh_budgets(self):
        self._check_admin()
        self.sudo().budget_ids._refresh_figures()
        return True


class SalesPerformanceIncentiveStatement(models.Model):
    _inherit = "sales.performance.incentive.statement"

    def _budgets(self, within=True):
        """The budgets (sudo) of the statements' plans whose period overlaps
        theirs, or (``within``) contains the period of one of them: one
        grouped read and one search, whatever the number of statements."""
        Budget = self.env["sales.performance.incentive.budget"].sudo()
        if not self:
            return Budget
        spans = self.sudo()._read_group(
            [("id", "in", self.ids)],
            ["plan_id"],
            ["date_from:min", "date_to:max"],
        )
        budgets = Budget.search(
            Domain.OR(
                [
                    Domain("plan_id", "=", plan.id)
                    & Domain("date_from", "<=", last)
                    & Domain("date_to", ">=", first)
                    for plan, first, last in spans
                ]
            )
        )
        if not within or not budgets:
            return budgets
        statements = self.sudo()
        return budgets.filtered(
            lambda b: any(
                s.plan_id == b.plan_id
                and budget_engine.within(
                    (s.date_from, s.date_to), b.date_from, b.date_to
                )
                for s in statements
            )
        )

    def _recompute_lines(self, created=None):
        # totals written in bulk: no ORM trigger reaches the budgets
        result = super()._recompute_lines(created)
        self._budgets(within=False)._refresh_figures()
        return result

    def _on_approved(self):
        """Approving statements of a plan over budget leaves a note in the
        statements', the plan's and the budget's chatter; it never blocks."""
        result = super()._on_approved()
        for budget in self._budgets().filtered("over_budget"):
            mine = self.filtered(
                lambda s, b=budget: s.plan_id == b.plan_id
                and budget_engine.within(
                    (s.date_from, s.date_to), b.date_from, b.date_to
                )
            )
            for statement in mine:
                statement.message_post(
                    body=self.env._(
                        "Approved while the plan is over budget. %(text)s",
                        text=budget._chatter_text(),
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            names = ", ".join(mine.mapped("name"))
            budget.plan_id.message_post(
                body=self.env._(
                    "Approved by %(user)s: %(statements)s. %(text)s",
                    user=self.env.user.name,
                    statements=names,
                    text=budget._chatter_text(),
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            budget.message_post(
                body=self.env._(
                    "Approved by %(user)s: %(statements)s. %(figures)s",
                    user=self.env.user.name,
                    statements=names,
                    figures=budget._warning_text(),
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return result

    def action_approve(self):
        result = super().action_approve()
        approved = self.filtered(lambda s: s.state == "approved")
        over = approved._budgets().filtered("over_budget")
        if not over:
            return result
        return over._notification(
            self.env._("Over budget"),
            self.env["res.users"]._sales_performance_is_incentive_admin(),
            next_action=result if isinstance(result, dict) else None,
        )
