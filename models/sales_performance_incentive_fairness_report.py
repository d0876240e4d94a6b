"""The Fairness report of an incentive plan in a period.

A regular model filled by an action (``_refresh``), not a SQL view: the
previous comparable actual of each target comes from the metric engine
(credited figures, each salesperson's time zone, the plan's currency), and
the medians and outlier flags from ``engine/fairness.py``, tested without a
database; a SQL view would have to repeat both in SQL. Refreshing a plan and
period replaces its rows (a handful of grouped queries for all salespeople).
"""

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import crediting, fairness
from ..engine.payout import fmt

FLAGS = [
    (fairness.HIGH, "Above 1.5 × the team median"),
    (fairness.LOW, "Below 0.67 × the team median"),
    (fairness.NORMAL, "In line with the team"),
]


class SalesPerformanceIncentiveFairnessReport(models.Model):
    _name = "sales.performance.incentive.fairness.report"
    _description = "Incentive Fairness"
    _order = "date_from desc, plan_id, team_id, attainment desc, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "sales.performance.incentive.plan",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_from = fields.Date(string="Period Start", required=True, readonly=True)
    date_to = fields.Date(string="Period End", required=True, readonly=True)
    statement_id = fields.Many2one(
        "sales.performance.incentive.statement",
        ondelete="cascade",
        readonly=True,
        index="btree_not_null",
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    metric_id = fields.Many2one(
        "sales.performance.metric", string="Target Metric", readonly=True
    )
    target_value = fields.Float(string="Target", digits=(16, 2), readonly=True)
    achieved_value = fields.Float(string="Achieved", digits=(16, 2), readonly=True)
    value_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_value_currency_id",
        help="The company's currency when the metric measures an amount, empty "
        "for counts: amounts then show their currency, counts a plain number.",
    )
    attainment = fields.Float(
        string="Attainment (%)", digits=(16, 2), aggregator="avg", readonly=True
    )
    at_target = fields.Boolean(string="At or Above Target", readonly=True)
    payout = fields.Monetary(readonly=True)
    pay_per_point = fields.Float(
        string="Pay per Attainment Point",
        digits=(16, 2),
        aggregator="avg",
        readonly=True,
    )
    previous_value = fields.Float(
        string="Previous Actual",
        digits=(16, 2),
        readonly=True,
        help="What the salesperson achieved on the same metric in the previous "
        "period of the same length.",
    )
    difficulty = fields.Float(
        digits=(16, 2),
        aggregator="avg",
        readonly=True,
        help="The target ÷ the previous comparable actual.",
    )
    team_share_at_target = fields.Float(
        string="Team at or Above Target (%)",
        digits=(16, 2),
        aggregator="avg",
        readonly=True,
    )
    team_difficulty_median = fields.Float(
        string="Team Median Difficulty", digits=(16, 2), aggregator=False, readonly=True
    )
    team_pay_median = fields.Float(
        string="Team Median Pay per Point",
        digits=(16, 2),
        aggregator=False,
        readonly=True,
    )
    difficulty_ratio = fields.Float(
        string="Difficulty ÷ Team Median",
        digits=(16, 2),
        aggregator=False,
        readonly=True,
    )
    pay_ratio = fields.Float(
        string="Pay per Point ÷ Team Median",
        digits=(16, 2),
        aggregator=False,
        readonly=True,
    )
    difficulty_flag = fields.Selection(FLAGS, readonly=True)
    pay_flag = fields.Selection(FLAGS, readonly=True)
    outlier = fields.Boolean(readonly=True, index=True)
    note = fields.Text(readonly=True)

    @api.depends("metric_id.value_type", "company_id")
    def _compute_value_currency_id(self):
        for row in self:
            row.value_currency_id = (
                row.company_id.currency_id
                if row.metric_id.value_type == "monetary"
                else False
            )

    # ------------------------------------------------------------------
    # Filling
    # ------------------------------------------------------------------
    @api.model
    def _refresh(self, plan, date_from, date_to):
        """Replace the rows of ``plan`` for the period with fresh figures of
        its statements (not cancelled); returns the new rows."""
        self.env["res.users"]._sales_performance_check_incentive_admin()
        plan.check_access("read")
        plan = plan.sudo()
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        Report = self.sudo()
        Report.search(
            [
                ("plan_id", "=", plan.id),
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
            ]
        ).unlink()
        statements = (
            self.env["sales.performance.incentive.statement"]
            .sudo()
            .search(
                [
                    ("plan_id", "=", plan.id),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                    ("state", "!=", "cancel"),
                ]
            )
        )
        if not statements:
            return self.browse()
        statements.fetch(["user_id", "amount_total"])
        users = statements.user_id
        metric, lines = self._target_lines(plan, statements)
        targets = self._period_targets(plan, metric, users, date_from, date_to)
        # the team of each salesperson on each day: one query for both uses
        timeline = self.env["sales.performance.team.membership"]._timeline(
            {plan.company_id.id}
        )
        previous = self._previous_actuals(
            plan, metric, users, date_from, date_to, timeline
        )
        teams = self._teams(users, date_to, timeline)
        rows = []
        for statement in statements:
            user_id = statement.user_id.id
            line = lines.get(statement.id)
            if line and line.target_value > 0:
                # the statement's own rule line (prorated target included)
                target, achieved = line.target_value, line.base
                attained = line.attainment
            else:
                # no target on the line: the targets of the period
                target, achieved = targets.get(
                    user_id, (None, line.base if line else None)
                )
                attained = None
            rows.append(
                fairness.Row(
                    key=statement.id,
                    team=teams.get(user_id),
                    target=target,
                    achieved=achieved,
                    previous_actual=previous.get(user_id),
                    payout=statement.amount_total,
                    attainment=attained,
                )
            )
        figures = fairness.analyse(rows)
        vals_list = []
        for row, statement in zip(rows, statements, strict=True):
            result = figures[row.key]
            vals_list.append(
                {
                    "plan_id": plan.id,
                    "company_id": plan.company_id.id,
                    "currency_id": plan.currency_id.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "statement_id": statement.id,
                    "user_id": statement.user_id.id,
                    "team_id": row.team or False,
                    "metric_id": metric.id or False,
                    "target_value": row.target or 0.0,
                    "achieved_value": row.achieved or 0.0,
                    "attainment": result.attainment or 0.0,
                    "at_target": result.at_target,
                    "payout": statement.amount_total,
                    "pay_per_point": result.pay_per_point or 0.0,
                    "previous_value": row.previous_actual or 0.0,
                    "difficulty": result.difficulty or 0.0,
                    "team_share_at_target": result.team_share_at_target or 0.0,
                    "team_difficulty_median": result.team_difficulty_median or 0.0,
                    "team_pay_median": result.team_pay_median or 0.0,
                    "difficulty_ratio": result.difficulty_ratio or 0.0,
                    "pay_ratio": result.pay_ratio or 0.0,
                    "difficulty_flag": result.difficulty_flag or False,
                    "pay_flag": result.pay_flag or False,
                    "outlier": result.outlier,
                    "note": self._note(result),
                }
            )
        return Report.create(vals_list).sudo(False)

    @api.model
    def _target_lines(self, plan, statements):
        """The plan's main target metric (the metric of the first rule, in
        order, whose lines have a target in the period; else of the first
        rule with a metric) and ``{statement id: its rule line}`` on it."""
        Line = self.env["sales.performance.incentive.statement.line"].sudo()
        lines = Line.search_fetch(
            [
                ("statement_id", "in", statements.ids),
                ("line_type", "=", "rule"),
                ("metric_id", "!=", False),
            ],
            ["statement_id", "metric_id", "target_value", "base", "attainment"],
            order="sequence, id",
        )
        with_target = lines.filtered(lambda line: line.target_value > 0)
        metric = (
            with_target[:1].metric_id
            or lines[:1].metric_id
            or plan.rule_ids.filtered("metric_id")[:1].metric_id
        )
        result = {}
        for line in lines:
            if line.metric_id != metric:
                continue
            current = result.get(line.statement_id.id)
            if not current or (line.target_value > 0 >= current.target_value):
                result[line.statement_id.id] = line
        return metric, result

    @api.model
    def _period_targets(self, plan, metric, users, date_from, date_to):
        """``{user id: (target, achieved)}``: the targets of the period on
        ``metric`` (one grouped read), in the plan's currency."""
        if not metric:
            return {}
        groups = (
            self.env["sales.performance.target"]
            .sudo()
            ._read_group(
                [
                    ("user_id", "in", users.ids),
                    ("metric_id", "=", metric.id),
                    ("company_id", "=", plan.company_id.id),
                    ("date_from", ">=", date_from),
                    ("date_to", "<=", date_to),
                    ("state", "in", ["active", "closed"]),
                ],
                ["user_id"],
                ["target_value:sum", "achieved_value:sum"],
            )
        )
        rate = plan._currency_rate(date_to) if metric.value_type == "monetary" else 1.0
        return {
            user.id: (target * rate, achieved * rate)
            for user, target, achieved in groups
        }

    @api.model
    def _previous_actuals(self, plan, metric, users, date_from, date_to, timeline):
        """``{user id: achieved}`` on ``metric`` in the previous period of the
        same length (one query per time zone)."""
        if not metric:
            return {}
        length = relativedelta(date_to + relativedelta(days=1), date_from)
        previous_from = date_from - length
        previous_to = date_from - relativedelta(days=1)
        return plan._achieved_by_user(
            metric.sudo(), previous_from, previous_to, users, timeline
        )

    @api.model
    def _teams(self, users, day, timeline):
        """``{user id: team id}``: the team each salesperson counted for on
        ``day`` (the team history ``timeline``), else their current sales
        team."""
        by_user = defaultdict(list)
        for segment in timeline:
            by_user[segment.user].append(segment)
        users.fetch(["sale_team_id"])
        return {
            user.id: crediting.team_on(by_user[user.id], user.id, day)
            or user.sale_team_id.id
            or None
            for user in users
        }

    def _note(self, result):
        """Why a row is flagged, in sentences."""
        sentences = []
        if result.difficulty_flag in (fairness.HIGH, fairness.LOW):
            sentences.append(
                self.env._(
                    "Target difficulty %(value)s is %(ratio)s × the team median "
                    "%(median)s.",
                    value=fmt(round(result.difficulty, 2)),
                    ratio=fmt(round(result.difficulty_ratio, 2)),
                    median=fmt(round(result.team_difficulty_median, 2)),
                )
            )
        if result.pay_flag in (fairness.HIGH, fairness.LOW):
            sentences.append(
                self.env._(
                    "Pay per attainment point %(value)s is %(ratio)s × the team "
                    "median %(median)s.",
                    value=fmt(round(result.pay_per_point, 2)),
                    ratio=fmt(round(result.pay_ratio, 2)),
                    median=fmt(round(result.team_pay_median, 2)),
                )
            )
        return " ".join(sentences) or False

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def action_open_compute(self):
        """The list's button: choose a plan and a period."""
        self.env["res.users"]._sales_performance_check_incentive_admin()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_incentive_fairness_compute_action"
        )

    @api.model
    def _action_for(self, plan, date_from, date_to):
        rows = self._refresh(plan, date_from, date_to)
        if not rows:
            raise UserError(
                self.env._(
                    "The plan %(plan)s has no statement for %(from)s → %(to)s: "
                    "generate them first.",
                    plan=plan.name,
                    **{"from": date_from, "to": date_to},
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_incentive_fairness_report_action"
        )
        action["domain"] = [
            ("plan_id", "=", plan.id),
            ("date_from", "=", fields.Date.to_string(date_from)),
            ("date_to", "=", fields.Date.to_string(date_to)),
        ]
        action["display_name"] = self.env._(
            "Fairness: %(plan)s, %(from)s → %(to)s",
            plan=plan.name,
            **{"from": date_from, "to": date_to},
        )
        return action


class SalesPerformanceIncentivePlan(models.Model):
    _inherit = "sales.performance.incentive.plan"

    def action_open_fairness(self):
        """The plan form's button: the Fairness report for a period."""
        self.ensure_one()
        self.env["res.users"]._sales_performance_check_incentive_admin()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_incentive_fairness_compute_action"
        )
        action["context"] = {"default_plan_id": self.id}
        return action
