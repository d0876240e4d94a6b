"""Draws and guarantees: the assignment's draw settings, and the statement
lines that top a statement up to the draw and recover a recoverable draw's
balance (the rule itself is ``engine/draw.py``)."""

import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..engine import draw, proration
from ..engine.payout import fmt
from . import bulk

# A draw larger than this is a typing error, not a guarantee.
MAX_DRAW = 1e9
MAX_DRAW_MONTHS = 120
DRAW_FIELDS = ("draw_amount", "draw_type", "draw_months")


class SalesPerformanceIncentiveAssignment(models.Model):
    _inherit = "sales.performance.incentive.assignment"

    currency_id = fields.Many2one(related="plan_id.currency_id")
    draw_amount = fields.Monetary(
        string="Draw",
        help="While the draw applies, each statement of the salesperson (of each "
        "member for a team) pays at least this amount.",
    )
    draw_type = fields.Selection(
        [
            ("recoverable", "Recoverable"),
            ("non_recoverable", "Non-recoverable"),
        ],
        default="recoverable",
        required=True,
        help="Recoverable: what tops a statement up to the draw is a balance "
        "recovered from later earnings above the draw (and from all earnings once "
        "the draw period is over), never below zero pay. Non-recoverable: a "
        "guarantee, nothing is recovered.",
    )
    draw_months = fields.Integer(
        string="Draw Periods",
        help="How many statement periods the draw applies, counted from the "
        "assignment's start (the plan's start when the assignment has none).",
    )

    @api.constrains("draw_amount", "draw_months")
    def _check_draw(self):
        for assignment in self:
            amount = assignment.draw_amount or 0.0
            self._check_draw_amount(amount)
            months = assignment.draw_months or 0
            if months < 0 or months > MAX_DRAW_MONTHS:
                raise ValidationError(
                    self.env._(
                        "The draw periods must be between 0 and %(max)s.",
                        max=MAX_DRAW_MONTHS,
                    )
                )
            if amount > 0 and not months:
                raise ValidationError(
                    self.env._(
                        "A draw needs the number of statement periods it applies."
                    )
                )

    def _check_draw_amount(self, amount):
        """A draw is a finite amount between 0 and :data:`MAX_DRAW` (checked
        before the ORM rounds it: a NaN cannot even be rounded)."""
        try:
            value = float(amount or 0.0)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or value < 0 or value > MAX_DRAW:
            raise ValidationError(
                self.env._(
                    "The draw must be an amount between 0 and %(max)s: %(amount)s "
                    "is not.",
                    max=fmt(MAX_DRAW),
                    amount=amount,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "draw_amount" in vals:
                self._check_draw_amount(vals["draw_amount"])
        assignments = super().create(vals_list)
        assignments.filtered("draw_amount")._log_draw()
        return assignments

    def write(self, vals):
        if "draw_amount" in vals:
            self._check_draw_amount(vals["draw_amount"])
        result = super().write(vals)
        if any(fname in vals for fname in DRAW_FIELDS):
            self._log_draw()
        return result

    def _log_draw(self):
        """A note in the plan's chatter: who gets which draw (money never
        changes silently)."""
        for assignment in self:
            assignee = assignment.user_id.name or assignment.team_id.name or ""
            if not assignment.draw_amount:
                body = self.env._("No draw for %(assignee)s.", assignee=assignee)
            else:
                body = self.env._(
                    "Draw for %(assignee)s: %(amount)s (%(type)s), statement "
                    "periods: %(months)s.",
                    assignee=assignee,
                    amount=fmt(assignment.draw_amount),
                    type=dict(
                        self._fields["draw_type"]._description_selection(self.env)
                    )[assignment.draw_type],
                    months=assignment.draw_months,
                )
            assignment.plan_id.sudo().message_post(body=body)


class SalesPerformanceIncentiveStatement(models.Model):
    _inherit = "sales.performance.incentive.statement"

    draw_balance = fields.Monetary(
        readonly=True,
        copy=False,
        help="The recoverable draw balance after this statement: what the draw "
        "topped up and is still to be recovered from later earnings.",
    )

    def write(self, vals):
        if "draw_balance" in vals:
            raise UserError(
                self.env._(
                    "The draw balance follows from the statement lines: recompute "
                    "the statement instead."
                )
            )
        return super().write(vals)

    def _extra_line_vals(self, vals_list):
        extra = super()._extra_line_vals(vals_list)
        return extra + self._draw_line_vals(vals_list + extra)

    def _draw_line_vals(self, vals_list):
        """The draw lines of the draft statements ``self`` (top-up, recovery)
        from their computed ``vals_list`` and kept adjustments; stores each
        statement's balance after it (one UPDATE)."""
        if not self:
            return []
        settings = self._draw_settings()
        carried = self._draw_carried()
        if not settings and not any(carried.values()):
            # no draw and nothing to recover (a draw removed leaves none)
            bulk.update(self, [{"draw_balance": 0.0}] * len(self))
            return []
        earned = dict.fromkeys(self.ids, 0.0)
        for vals in vals_list:
            if vals["line_type"] != "band" and vals["statement_id"] in earned:
                earned[vals["statement_id"]] += vals.get("amount") or 0.0
        Line = self.env["sales.performance.incentive.statement.line"].sudo()
        for statement, amount in Line._read_group(
            [("statement_id", "in", self.ids), ("line_type", "=", "adjustment")],
            ["statement_id"],
            ["amount:sum"],
        ):
            earned[statement.id] += amount
        result = []
        balances = []
        for statement in self:
            setting = settings.get(statement.id)
            balance = carried.get(statement.id, 0.0)
            if not setting and statement.currency_id.is_zero(balance):
                balances.append(0.0)
                continue
            env = statement.with_context(
                lang=statement.user_id.lang or self.env.lang or "en_US"
            ).env
            amount, kind, number, months, applies, prefix = setting or (
                0.0,
                "recoverable",
                None,
                0,
                False,
                "",
            )
            outcome = draw.compute(
                earned[statement.id],
                amount,
                kind,
                applies,
                balance,
                number,
                months,
                env._,
                statement.currency_id.round,
            )
            balances.append(outcome.balance)
            for index, line in enumerate(outcome.lines):
                explanation = line.explanation
                if prefix and line.kind == draw.TOP_UP:
                    explanation = " ".join((prefix(env), explanation))
                result.append(
                    {
                        "statement_id": statement.id,
                        "sequence": 950 + index,
                        "line_type": line.kind,
                        "name": env._("Draw top-up")
                        if line.kind == draw.TOP_UP
                        else env._("Draw recovery"),
                        "base": earned[statement.id],
                        "amount": line.amount,
                        "explanation": explanation,
                    }
                )
        bulk.update(self, [{"draw_balance": balance} for balance in balances])
        return result

    def _draw_settings(self):
        """``{statement id: (draw, type, period number, periods, applies,
        prefix)}`` for the statements whose salesperson has a draw on the
        plan in the period: the salesperson's own assignment before a team's,
        the latest started first. The draw is prorated for a salesperson
        assigned for part of the period; ``prefix`` (a callable of the
        salesperson's env) then says so."""
        # one query, whatever the number of assignments
        assignments = (
            self.env["sales.performance.incentive.assignment"]
            .sudo()
            .search_fetch(
                [("plan_id", "in", self.plan_id.ids), ("draw_amount", ">", 0)],
                [
                    "plan_id",
                    "user_id",
                    "team_id",
                    "date_from",
                    "date_to",
                    "draw_amount",
                    "draw_type",
                    "draw_months",
                ],
            )
        )
        if not assignments:
            return {}
        assignments.team_id.fetch(["member_ids"])
        result = {}
        groups = self.grouped(lambda s: (s.plan_id, s.date_from, s.date_to))
        for (plan, date_from, date_to), statements in groups.items():
            candidates = assignments.filtered(
                lambda a, p=plan, f=date_from, t=date_to: a.plan_id == p
                and (not a.date_from or a.date_from <= t)
                and (not a.date_to or a.date_to >= f)
            ).sorted(
                lambda a, p=plan: (bool(a.user_id), a.date_from or p.date_from, a.id),
                reverse=True,
            )
            if not candidates:
                continue
            windows = None
            for statement in statements:
                user = statement.user_id
                assignment = next(
                    (
                        a
                        for a in candidates
                        if a.user_id == user or user in a.team_id.member_ids
                    ),
                    None,
                )
                if not assignment:
                    continue
                start = assignment.date_from or plan.date_from
                first_period = plan._period_of(start)[0]
                number = (
                    len(plan._periods_between(start, date_from))
                    if date_from >= first_period
                    else None
                )
                months = assignment.draw_months
                applies = bool(number) and number <= months
                amount = assignment.draw_amount
                prefix = ""
                if applies:
                    if windows is None:
                        windows = plan._assignment_windows(date_from, date_to)
                    window = windows.get(user.id, (date_from, date_to))
                    share = proration.share(window, date_from, date_to)
                    if share is not None:
                        full = amount
                        amount = statement.currency_id.round(full * share)
                        prefix = self._draw_prorated_sentence(
                            window, date_from, date_to, full, amount
                        )
                result[statement.id] = (
                    amount,
                    assignment.draw_type,
                    number,
                    months,
                    applies,
                    prefix,
                )
        return result

    @staticmethod
    def _draw_prorated_sentence(window, date_from, date_to, full, amount):
        def sentence(env):
            return env._(
                "Assigned from %(first)s to %(last)s (%(days)s of %(total)s days): "
                "the draw %(full)s is prorated to %(amount)s.",
                first=window[0],
                last=window[1],
                days=proration.period_days(*window),
                total=proration.period_days(date_from, date_to),
                full=fmt(full),
                amount=fmt(amount),
            )

        return sentence

    def _draw_carried(self):
        """``{statement id: balance}``: the draw balance after the latest
        approved or paid earlier statement of the same salesperson and plan;
        one query per distinct period start of ``self`` (one in practice)."""
        result = {}
        for date_from, statements in self.grouped("date_from").items():
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT DISTINCT ON (user_id, plan_id)
                           user_id, plan_id, draw_balance
                      FROM %(table)s
                     WHERE user_id = ANY(%(users)s)
                       AND plan_id = ANY(%(plans)s)
                       AND state IN ('approved', 'paid')
                       AND date_to < %(day)s
                  ORDER BY user_id, plan_id, date_to DESC, id DESC
                    """,
                    table=SQL.identifier(self._table),
                    users=statements.user_id.ids,
                    plans=statements.plan_id.ids,
                    day=date_from,
                )
            )
            balance_of = {
                (user_id, plan_id): balance or 0.0 for user_id, plan_id, balance in rows
            }
            for statement in statements:
                result[statement.id] = balance_of.get(
                    (statement.user_id.id, statement.plan_id.id), 0.0
                )
        return result


class SalesPerformanceIncentiveStatementLine(models.Model):
    _inherit = "sales.performance.incentive.statement.line"

    line_type = fields.Selection(
        selection_add=[
            ("draw", "Draw top-up"),
            ("draw_recovery", "Draw recovery"),
        ],
        ondelete={"draw": "cascade", "draw_recovery": "cascade"},
    )
