import functools
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, float_compare, float_round

from ..engine import dimensions, figures, pacing, periods
from . import bulk, db_tuning, period_overlap

_logger = logging.getLogger(__name__)

# Fields only the recompute writes (never a user, whatever the group).
COMPUTED_FIELDS = {
    "achieved_value",
    "forecast_value",
    "previous_value",
    "expected_value",
    "attainment",
    "status",
    "rank",
    "last_computed",
}
# Fields that define a target: locked once it is active.
LOCKED_FIELDS = {
    "target_value",
    "metric_id",
    "date_from",
    "date_to",
    "user_id",
    "team_id",
    "company_id",
    "parent_id",
    *dimensions.TARGET_FIELDS,
}
# An incremental recompute of at most this many salespeople and teams per
# metric reads only what is credited to them (see _credited_assignees).
CREDITED_RESTRICTION_MAX = 100
STATUS_SELECTION = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("off_track", "Off Track"),
    ("achieved", "Achieved"),
    ("missed", "Missed"),
]


class SalesPerformanceTarget(models.Model):
    _name = "sales.performance.target"
    _description = "Sales Target"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, metric_id, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "user_id", "team_id", "metric_id"]

    name = fields.Char(compute="_compute_name", store=True)
    description = fields.Text(
        string="Specific Goal",
        help="What exactly is to be achieved, and how (the S of SMART).",
    )
    assignee_type = fields.Selection(
        [("user", "Salesperson"), ("team", "Sales Team"), ("company", "Company")],
        compute="_compute_assignee_type",
        store=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", index=True, tracking=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    metric_id = fields.Many2one(
        "sales.performance.metric",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        help="How the target is measured (the M of SMART).",
    )
    value_type = fields.Selection(related="metric_id.value_type")
    date_from = fields.Date(string="Start", required=True, index=True, tracking=True)
    date_to = fields.Date(string="End", required=True, index=True, tracking=True)
    target_value = fields.Float(string="Target", tracking=True, digits=(16, 2))
    achieved_value = fields.Float(
        string="Achieved", readonly=True, copy=False, digits=(16, 2)
    )
    attainment = fields.Float(
        string="Attainment (%)",
        compute="_compute_kpis",
        store=True,
        readonly=True,
        aggregator="avg",
    )
    expected_value = fields.Float(
        string="Expected by Today",
        compute="_compute_kpis",
        store=True,
        readonly=True,
        digits=(16, 2),
        help="The share of the target due by today, by working days of the period.",
    )
    forecast_value = fields.Float(
        string="Forecast",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Expected achievement at period end: the run rate, or for pipeline "
        "metrics the achievement plus open opportunities weighted by probability.",
    )
    status = fields.Selection(
        STATUS_SELECTION, compute="_compute_kpis", store=True, readonly=True, index=True
    )
    previous_value = fields.Float(
        string="Previous Period Actual",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="What the assignee achieved in the comparable period before this one.",
    )
    growth_required = fields.Float(
        string="Growth Asked (%)", compute="_compute_achievability", aggregator=False
    )
    achievability_warning = fields.Char(compute="_compute_achievability")
    rank = fields.Integer(
        readonly=True,
        copy=False,
        aggregator=False,
        help="Rank among the salespeople with a target on the same metric and "
        "period, by attainment.",
    )
    last_computed = fields.Datetime(
        string="Figures Changed On",
        readonly=True,
        copy=False,
        help="When a recompute last changed these figures. Active targets are "
        "recomputed every hour, and on demand with Recompute.",
    )
    parent_id = fields.Many2one(
        "sales.performance.target",
        string="Parent Target",
        index=True,
        ondelete="set null",
        check_company=True,
        help="The team or company target this one contributes to (the R of SMART).",
    )
    child_ids = fields.One2many(
        "sales.performance.target", "parent_id", string="Sub-targets"
    )
    children_total = fields.Float(
        string="Sub-targets Total",
        compute="_compute_rollup",
        store=True,
        digits=(16, 2),
    )
    rollup_gap = fields.Float(
        string="Roll-up Gap",
        compute="_compute_rollup",
        store=True,
        digits=(16, 2),
        help="Target minus the total of its sub-targets.",
    )
    rollup_mismatch = fields.Boolean(compute="_compute_rollup", store=True)
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    is_manager = fields.Boolean(compute="_compute_is_manager")

    _date_range = models.Constraint(
        "CHECK (date_from <= date_to)", "The period must end after it starts."
    )
    _target_positive = models.Constraint(
        "CHECK (target_value >= 0)", "A target cannot be negative."
    )
    _metric_period_idx = models.Index("(metric_id, date_from, date_to)")

    def init(self):
        db_tuning.set_fillfactor(self.env.cr, self._table, db_tuning.TARGET_FILLFACTOR)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("user_id", "team_id")
    def _compute_assignee_type(self):
        for target in self:
            target.assignee_type = (
                "user" if target.user_id else "team" if target.team_id else "company"
            )

    @api.depends(
        "user_id",
        "team_id",
        "company_id",
        "metric_id",
        "date_from",
        "date_to",
        *dimensions.TARGET_FIELDS,
    )
    def _compute_name(self):
        for target in self:
            who = (
                target.user_id.name
                or target.team_id.name
                or target.company_id.name
                or ""
            )
            period = ""
            if target.date_from and target.date_to:
                period = "%s → %s" % (target.date_from, target.date_to)
            target.name = " · ".join(
                p
                for p in (
                    who,
                    target.metric_id.name,
                    *target._dimension_names(),
                    period,
                )
                if p
            )

    @api.depends(
        "target_value",
        "achieved_value",
        "forecast_value",
        "date_from",
        "date_to",
        "state",
    )
    def _compute_kpis(self):
        today = fields.Date.context_today(self)
        calendars = {}
        for target in self:
            if not (target.date_from and target.date_to):
                target.attainment = target.expected_value = 0.0
                target.status = False
                continue
            company = target.company_id
            if company not in calendars:
                calendars[company] = company._sales_performance_calendar()
            kpis = figures.kpi_values(
                target.state,
                target.target_value,
                target.date_from,
                target.date_to,
                target.achieved_value,
                target.forecast_value,
                today,
                calendars[company],
            )
            target.attainment = kpis["attainment"]
            target.expected_value = kpis["expected_value"]
            target.status = kpis["status"]

    @api.depends("target_value", "previous_value", "company_id")
    def _compute_achievability(self):
        for target in self:
            growth = pacing.growth_required(target.target_value, target.previous_value)
            target.growth_required = (growth or 0.0) * 100.0
            limit = target.company_id.sales_performance_max_growth
            # at 2 decimals: 1300 over 1000 is 30 %, not 30.000000000000004 %
            too_much = growth is not None and (
                float_compare(growth * 100.0, limit, precision_digits=2) > 0
            )
            if too_much:
                target.achievability_warning = self.env._(
                    "This target asks for %(growth)s%% more than the previous period "
                    "(%(previous)s), above the %(limit)s%% considered achievable.",
                    growth=round(growth * 100.0, 1),
                    previous=round(target.previous_value, 2),
                    limit=round(limit, 1),
                )
            else:
                target.achievability_warning = False

    @api.depends("target_value", "child_ids.target_value", "child_ids.parent_id")
    def _compute_rollup(self):
        for target in self:
            total = sum(target.child_ids.mapped("target_value"))
            target.children_total = total
            target.rollup_gap = target.target_value - total if target.child_ids else 0.0
            target.rollup_mismatch = bool(
                target.child_ids
            ) and not target.currency_id.is_zero(target.rollup_gap)

    @api.depends_context("uid")
    def _compute_is_manager(self):
        is_admin = self.env.user.has_group(
            "sales_performance.group_sales_performance_manager"
        )
        for target in self:
            target.is_manager = is_admin or target._is_led_by(self.env.user)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("user_id", "team_id", "company_id", "parent_id")
    def _check_assignee(self):
        for target in self:
            company = target.company_id
            if target.user_id and company not in target.user_id.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work for %(company)s.",
                        user=target.user_id.name,
                        company=company.name,
                    )
                )
            if (
                target.user_id
                and target.team_id
                and target.user_id not in target.team_id.member_ids
                and target.user_id != target.team_id.user_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a member of the sales team %(team)s.",
                        user=target.user_id.name,
                        team=target.team_id.name,
                    )
                )
            if target.parent_id:
                if target.parent_id == target:
                    raise ValidationError(
                        self.env._("A target cannot be its own parent.")
                    )
                if target.parent_id.metric_id != target.metric_id:
                    raise ValidationError(
                        self.env._(
                            "A sub-target must measure the same metric as its parent."
                        )
                    )
        if self._has_cycle("parent_id"):
            raise ValidationError(self.env._("Targets cannot be their own ancestors."))

    @api.constrains(
        "user_id",
        "team_id",
        "company_id",
        "metric_id",
        "date_from",
        "date_to",
        *dimensions.TARGET_FIELDS,
    )
    def _check_overlap(self):
        """One target per assignee x metric x dimensions x period: a single
        query for the whole recordset, however many targets are checked (two
        targets narrowed by different dimensions, e.g. two product
        categories, are different targets)."""
        self.flush_model(
            [
                "user_id",
                "team_id",
                "company_id",
                "metric_id",
                "date_from",
                "date_to",
                *dimensions.TARGET_FIELDS,
            ]
        )
        same_dimensions = SQL(" AND ").join(
            SQL(
                "o.%s IS NOT DISTINCT FROM t.%s",
                SQL.identifier(fname),
                SQL.identifier(fname),
            )
            for fname in dimensions.TARGET_FIELDS
        )
        # one query per kind of assignee present (salesperson, team,
        # company): each joins on an indexed column, not on an OR of them
        kinds = (
            (self.filtered("user_id"), SQL("o.user_id = t.user_id")),
            (
                self.filtered(lambda target: not target.user_id and target.team_id),
                SQL("o.team_id = t.team_id AND o.user_id IS NULL"),
            ),
            (
                self.filtered(lambda target: not (target.user_id or target.team_id)),
                SQL("o.user_id IS NULL AND o.team_id IS NULL"),
            ),
        )
        pair = None
        for targets, same_assignee in kinds:
            pair = period_overlap.first_overlap(
                targets,
                SQL(
                    """o.metric_id = t.metric_id AND o.company_id = t.company_id
                       AND %s AND %s""",
                    same_assignee,
                    same_dimensions,
                ),
            )
            if pair:
                break
        if pair:
            target, other = pair
            raise ValidationError(
                self.env._(
                    "%(name)s overlaps %(other)s: an assignee has one target per "
                    "metric, dimensions and period.",
                    name=target.sudo().name,
                    other=other.sudo().name,
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_fields({key for vals in vals_list for key in vals})
        targets = super().create(vals_list)
        targets._recompute_batch(with_previous=True)
        return targets

    def write(self, vals):
        self._check_protected_fields(set(vals))
        if "state" in vals and not self.env.su:
            # a raw write of the state obeys the same rights as the buttons
            self._check_manager()
            reopening = vals["state"] == "draft" and any(
                t.state != "draft" for t in self
            )
            if reopening and not self.env.user.has_group(
                "sales_performance.group_sales_performance_manager"
            ):
                raise AccessError(
                    self.env._("Only a sales performance administrator can reopen.")
                )
        if set(vals) & LOCKED_FIELDS:
            locked = self.filtered(lambda t: t.state != "draft")
            if locked:
                reason = self.env.context.get("sales_performance_change_reason")
                if any(t.state == "closed" for t in locked):
                    raise UserError(self.env._("A closed target cannot be changed."))
                if not reason or set(vals) - {"target_value"}:
                    raise UserError(
                        self.env._(
                            "An active target is locked: a manager revises its value "
                            "with a reason (Revise Target), and its metric, assignee "
                            "and period do not change."
                        )
                    )
                locked._check_manager()
        res = super().write(vals)
        if {
            "metric_id",
            "date_from",
            "date_to",
            "user_id",
            "team_id",
            "company_id",
            *dimensions.TARGET_FIELDS,
        } & set(vals):
            self._recompute_batch(with_previous=True)
        return res

    def _check_protected_fields(self, fnames):
        """Computed figures are written by the recompute only, and a salesperson
        never sets their own target: their leader or a manager does."""
        if self.env.su:
            return
        if fnames & COMPUTED_FIELDS:
            raise AccessError(
                self.env._(
                    "Achievement figures are computed from the source documents and "
                    "cannot be written."
                )
            )

    def _check_manager(self):
        """Raise unless the current user manages every target of ``self``."""
        if self.env.su or self.env.user.has_group(
            "sales_performance.group_sales_performance_manager"
        ):
            return
        for target in self:
            if not target._is_led_by(self.env.user):
                raise AccessError(
                    self.env._(
                        "Only a sales manager or the leader of the team can do this "
                        "on %(name)s.",
                        name=target.name,
                    )
                )

    def _is_led_by(self, user):
        """True when this is a salesperson's target, not ``user``'s own, and
        ``user`` leads the target's team or a team of the salesperson."""
        self.ensure_one()
        return user._sales_performance_leads(self.user_id, self.team_id)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_activate(self):
        self._check_manager()
        for target in self:
            if target.state != "draft":
                raise UserError(
                    self.env._(
                        "Only draft targets can be activated: %(name)s",
                        name=target.name,
                    )
                )
        self.write({"state": "active"})
        self._recompute_batch()
        return True

    def action_close(self):
        self._check_manager()
        if any(t.state != "active" for t in self):
            raise UserError(self.env._("Only active targets can be closed."))
        self._recompute_batch()
        self.write({"state": "closed"})
        return True

    def action_reset_to_draft(self):
        self._check_manager()
        if any(t.state == "draft" for t in self):
            raise UserError(self.env._("These targets are already drafts."))
        if not self.env.user.has_group(
            "sales_performance.group_sales_performance_manager"
        ):
            raise AccessError(
                self.env._("Only a sales performance administrator can reopen.")
            )
        self.write({"state": "draft"})
        return True

    def action_recompute(self):
        """Recompute the achievement of the targets of this recordset (closed
        targets keep their final figures)."""
        self.check_access("read")
        self.sudo()._recompute_batch(with_previous=True)
        return True

    def action_open_revise(self):
        self.ensure_one()
        self._check_manager()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_target_revise_action"
        )
        action["context"] = {
            "default_target_id": self.id,
            "default_new_value": self.target_value,
        }
        return action

    def action_open_allocate(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_target_allocate_action"
        )
        action["context"] = {"default_parent_id": self.id}
        return action

    def action_view_sources(self):
        """The source documents that make up the achievement."""
        self.ensure_one()
        return self.metric_id._action_view_sources(self, self.name)

    def action_view_children(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_target_action"
        )
        action["domain"] = [("parent_id", "=", self.id)]
        action["context"] = {"default_parent_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Batched achievement computation
    # ------------------------------------------------------------------
    def _get_tz(self):
        """Time zone in which the period's days are counted: the
        salesperson's, else the team leader's, else the company's calendar's."""
        self.ensure_one()
        return periods.counting_tz(
            self.user_id.tz,
            self.team_id.user_id.tz,
            self.company_id.resource_calendar_id.tz,
        )

    @api.model
    def _cron_recompute(self):
        targets = self.search([("state", "=", "active")])
        _logger.info("Recomputing %s active sales targets", len(targets))
        targets._recompute_batch(with_previous=False)
        self.env["sales.performance.metric.change"].sudo()._compact()

    def _recompute_batch(self, with_previous=False, touched=None):
        """Recompute achieved, forecast, status (and optionally the previous
        period's actual) of all targets in ``self``.

        Targets are grouped by metric, period and time zone; each metric costs
        one query per time zone for all its periods (current and previous), plus
        one for the pipeline when the metric forecasts with it, whatever the
        number of targets. The targets are read with one query and written with
        one UPDATE; the figures of each row come from ``engine.figures``.

        :param touched: ``{target id: {local day}}``: the days changed
            documents may concern (the queue-driven recompute): only those
            days are read again, the others are taken from the days each
            target keeps (``engine.daily``); None: every day is read, and a
            target whose achievement changes loses its kept days
        """
        if not self:
            return
        rows, dimension_of = self._read_rows_with_dimensions()
        if not rows:
            return
        today = fields.Date.context_today(self)
        Metric = self.env["sales.performance.metric"].sudo()
        metrics = {
            metric.id: metric for metric in Metric.browse({r.metric_id for r in rows})
        }
        companies = self.env["res.company"].sudo().browse({r.company_id for r in rows})
        company_ids = set(companies.ids)
        calendars = {
            company.id: company._sales_performance_calendar() for company in companies
        }
        groups = defaultdict(list)
        for row in rows:
            key = (
                metrics[row.metric_id],
                row.date_from,
                row.date_to,
                row.tz,
                dimension_of.get(row.id, ()),
            )
            groups[key].append(row)
        previous_of = {}
        if with_previous:
            for key in groups:
                metric, date_from, date_to, tz_name, dimension_key = key
                prev_from, prev_to = periods.previous_period(date_from, date_to)
                previous_of[key] = (
                    metric,
                    prev_from,
                    prev_to,
                    tz_name,
                    dimension_key,
                )
        timeline = self.env["sales.performance.team.membership"]._timeline(company_ids)
        credited = self._credited_assignees(groups)
        if touched is None:
            indexes = self._compute_indexes(
                list(groups) + list(previous_of.values()),
                company_ids,
                timeline,
                credited=credited,
            )
            achieved_of, kept_days = None, []
        else:
            achieved_of, kept_days = self._daily_achieved(
                groups, touched, company_ids, timeline, credited
            )
            indexes = (
                self._compute_indexes(list(previous_of.values()), company_ids, timeline)
                if with_previous
                else {}
            )
        rounding = functools.partial(float_round, precision_digits=2)
        values, moved = [], []
        for key, members in groups.items():
            metric, date_from, date_to, _tz, dimension_key = key
            achieved = indexes[key] if achieved_of is None else None
            previous = indexes[previous_of[key]] if with_previous else None
            pipeline = None
            if metric.pipeline_forecast and today <= date_to:
                pipeline = figures.index(
                    metric._compute_pipeline(
                        date_from,
                        date_to,
                        today,
                        company_ids,
                        timeline,
                        dimension_key=dimension_key,
                    )
                )
            for row in members:
                new = figures.compute(
                    row,
                    achieved_of[row.id]
                    if achieved_of is not None
                    else figures.value_for(row, achieved),
                    pipeline and figures.value_for(row, pipeline),
                    previous and figures.value_for(row, previous),
                    today,
                    calendars[row.company_id],
                    rounding,
                )
                if new != row.stored:
                    values.append((row.id, *new))
                    if new.achieved != row.stored.achieved:
                        moved.append(row.id)
        self._write_computed(values, {row.rank_group for row in rows})
        Days = self.env["sales.performance.target.daily"]
        if kept_days:
            Days._keep(kept_days)
        if touched is None:
            # a full recompute that changes an achievement found what the
            # kept days did not: they are read again next time
            Days._forget(moved)

    @api.model
    def _credited_assignees(self, groups):
        """``{(metric, tz, dimension key): (user ids, team ids)}`` of the
        computations that only a few salespeople and teams need (an
        incremental recompute): their SQL reads only what is credited to
        them, which gives them the same figures (a salesperson's are the
        shares credited to them, a team's those credited to it). Not for
        company targets (everything counts) nor 'first records' metrics (the
        first record of a customer is found among all)."""
        assignees = defaultdict(lambda: (set(), set()))
        whole = set()
        for (metric, _from, _to, tz_name, dimension_key), members in groups.items():
            bucket = (metric, tz_name, dimension_key)
            if metric.computation == "first":
                whole.add(bucket)
                continue
            users, teams = assignees[bucket]
            for row in members:
                if row.user_id:
                    users.add(row.user_id)
                elif row.team_id:
                    teams.add(row.team_id)
                else:
                    whole.add(bucket)
        return {
            bucket: (users, teams)
            for bucket, (users, teams) in assignees.items()
            if bucket not in whole
            and len(users) + len(teams) <= CREDITED_RESTRICTION_MAX
        }

    def _read_rows(self):
        """The targets of ``self`` that are not closed, as ``engine.figures``
        rows, with one query: the period's days are counted in the time zone
        of ``_get_tz`` (salesperson, team leader, company schedule)."""
        return self._read_rows_with_dimensions()[0]

    def _read_rows_with_dimensions(self):
        """``(rows, {target id: dimension key})``: the rows of
        :meth:`_read_rows` and the ``engine.dimensions`` key of the targets
        narrowed by a dimension, from the same query."""
        self.env.flush_all()
        raw = self.env.execute_query(
            SQL(
                """
                SELECT t.id, t.metric_id, t.date_from, t.date_to, t.user_id,
                       t.team_id, t.company_id, t.target_value, t.state,
                       up.tz, lp.tz, cal.tz,
                       t.achieved_value::float8, t.forecast_value::float8,
                       t.previous_value::float8, t.attainment::float8,
                       t.expected_value::float8, t.status,
                       %s
                  FROM unnest(%s::int[]) AS x(id)
                  JOIN sales_performance_target t ON t.id = x.id
                  JOIN res_company c ON c.id = t.company_id
             LEFT JOIN resource_calendar cal ON cal.id = c.resource_calendar_id
             LEFT JOIN res_users u ON u.id = t.user_id
             LEFT JOIN res_partner up ON up.id = u.partner_id
             LEFT JOIN crm_team tm ON tm.id = t.team_id
             LEFT JOIN res_users lu ON lu.id = tm.user_id
             LEFT JOIN res_partner lp ON lp.id = lu.partner_id
                 WHERE t.state != 'closed'
                """,
                SQL(", ").join(
                    SQL.identifier("t", fname) for fname in dimensions.TARGET_FIELDS
                ),
                bulk.array_literal(self.ids),
            )
        )
        first_dimension = 18
        dimension_of = {}
        for r in raw:
            if any(r[first_dimension:]):
                dimension_of[r[0]] = dimensions.key(
                    dict(
                        zip(dimensions.TARGET_FIELDS, r[first_dimension:], strict=True)
                    )
                )
        # positional construction: one tuple per row, no unpacking (the
        # recompute reads 10,000s of rows)
        row, stored, tz = figures.TargetRow, figures.Figures, periods.counting_tz
        rows = [
            row(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                r[6],
                r[7] or 0.0,
                r[8],
                tz(r[9], r[10], r[11]),
                stored(r[12], r[13], r[14], r[15], r[16], r[17]),
            )
            for r in raw
        ]
        return rows, dimension_of

    def _web_read_group_groupby_formatter(self, groupby_spec, values):
        """Each distinct group value formatted once: a pivot of team x month
        over every target repeats each team once per month and each month
        once per team (2,525 groups on ``large``), and Odoo formats the
        label (babel) and parses the domain of every group anew."""
        formatter = super()._web_read_group_groupby_formatter(groupby_spec, values)
        formatted = {}

        def format_once(value):
            key = (type(value), value)
            try:
                result = formatted.get(key)
            except TypeError:  # not hashable: formatted as Odoo does
                return formatter(value)
            if result is None:
                label, domain = formatter(value)
                result = formatted[key] = (label, Domain(domain))
            return result

        return format_once

    @api.model
    def _fetch_metrics(self, metrics):
        """The definitions of ``metrics`` and of the fields they read, in one
        go, whatever the targets prefetch."""
        Metric = self.env["sales.performance.metric"].sudo()
        metrics = Metric.union(*(m.sudo() for m in metrics))
        metrics.fetch()
        fields_used = (
            metrics.date_field_id
            | metrics.user_field_id
            | metrics.team_field_id
            | metrics.sum_field_id
            | metrics.key_field_id
            | metrics.document_field_id
        )
        fields_used.fetch(["name", "model", "ttype", "relation"])

    @api.model
    def _compute_indexes(self, group_keys, company_ids, timeline=None, credited=None):
        """Indexed achievement (``engine.figures.index``) of each ``(metric, date_from,
        date_to, tz, dimension key)`` of ``group_keys`` (``(metric, date_from,
        date_to, tz)`` for no dimension): one query per metric, time zone and
        distinct dimension key for all its periods, whatever the number of
        targets.

        :param credited: ``{(metric, tz, dimension key): (user ids, team
            ids)}`` of the computations restricted to these assignees (see
            :meth:`_credited_assignees`)
        """
        periods_of = defaultdict(set)
        for group_key in group_keys:
            metric, date_from, date_to, tz_name, *rest = group_key
            dimension_key = rest[0] if rest else ()
            periods_of[(metric, tz_name, dimension_key)].add((date_from, date_to))
        self._fetch_metrics(m for m, _tz, _dims in periods_of)
        indexes = {}
        if timeline is None:
            timeline = self.env["sales.performance.team.membership"]._timeline(
                company_ids
            )
        with db_tuning.jit_off(self.env.cr):
            for (metric, tz_name, dimension_key), metric_periods in periods_of.items():
                by_period = metric._compute_values_multi(
                    sorted(metric_periods),
                    tz_name,
                    company_ids,
                    timeline,
                    dimension_key=dimension_key,
                    credited=(credited or {}).get((metric, tz_name, dimension_key)),
                )
                for (date_from, date_to), rows in by_period.items():
                    index = figures.index(rows)
                    indexes[(metric, date_from, date_to, tz_name, dimension_key)] = (
                        index
                    )
                    if not dimension_key:
                        indexes[(metric, date_from, date_to, tz_name)] = index
        return indexes

    def _write_computed(self, values, rank_groups):
        """One UPDATE for the targets whose figures changed, then the ranks of
        ``rank_groups`` {(metric id, date_from, date_to)} by a window query.

        :param values: ``[(id, achieved, forecast, previous, attainment,
            expected, status)]``
        """
        # Only the targets whose figures changed are written: an hourly
        # recompute leaves most rows (and their locks) alone, so users editing
        # targets are not held up. Seven array parameters, whatever the number
        # of targets; the SQL comparison guards against a concurrent write.
        if values:
            self._update_figures(values)
        if rank_groups:
            self._update_ranks(rank_groups)
        self.env["sales.performance.target"].invalidate_model(list(COMPUTED_FIELDS))

    def _update_figures(self, values):
        columns = list(zip(*values, strict=True))
        self.env.execute_query(
            SQL(
                """
                UPDATE sales_performance_target t
                   SET achieved_value = v.achieved, forecast_value = v.forecast,
                       previous_value = v.previous, attainment = v.attainment,
                       expected_value = v.expected, status = v.status,
                       last_computed = %s
                  FROM unnest(%s::int[], %s::float8[], %s::float8[], %s::float8[],
                              %s::float8[], %s::float8[], %s::varchar[])
                       AS v(id, achieved, forecast, previous, attainment, expected,
                            status)
                 WHERE t.id = v.id
                   AND (t.achieved_value::float8, t.forecast_value::float8,
                        t.previous_value::float8, t.attainment::float8,
                        t.expected_value::float8, t.status)
                       IS DISTINCT FROM
                       (v.achieved, v.forecast, v.previous, v.attainment, v.expected,
                        v.status)
                """,
                fields.Datetime.now(),
                *(bulk.array_literal(column) for column in columns),
            )
        )

    def _update_ranks(self, rank_groups):
        """Rank of the salespeople's targets within each (metric, period) of
        ``rank_groups``, by attainment then achievement."""
        metric_ids, starts, ends = zip(*sorted(rank_groups), strict=True)
        self.env.execute_query(
            SQL(
                """
                UPDATE sales_performance_target t
                   SET rank = r.rank
                  FROM (SELECT id, RANK() OVER (
                               PARTITION BY company_id, metric_id, date_from, date_to,
                                            %s
                               ORDER BY attainment DESC, achieved_value DESC) AS rank
                          FROM sales_performance_target p
                         WHERE p.user_id IS NOT NULL
                           AND (p.metric_id, p.date_from, p.date_to) IN (
                               SELECT * FROM unnest(%s::int[], %s::date[],
                                                    %s::date[]))) r
                 WHERE t.id = r.id AND t.rank IS DISTINCT FROM r.rank
                """,
                SQL(", ").join(
                    SQL.identifier("p", fname) for fname in dimensions.TARGET_FIELDS
                ),
                bulk.array_literal(metric_ids),
                bulk.array_literal(starts),
                bulk.array_literal(ends),
            )
        )

    # ------------------------------------------------------------------
    # Helpers for wizards and other capabilities
    # ------------------------------------------------------------------
    @api.model
    def _actual_for(
        self,
        metric,
        date_from,
        date_to,
        company,
        users=(),
        teams=(),
        dimension_key=(),
    ):
        """Achievement of ``users`` / ``teams`` on ``metric`` in a period,
        narrowed by ``dimension_key`` (an ``engine.dimensions`` key): ``{record:
        value}`` from one query (used by allocation and evaluations)."""
        achieved = figures.index(
            metric._compute_values(
                date_from,
                date_to,
                periods.counting_tz(company.resource_calendar_id.tz),
                {company.id},
                dimension_key=dimension_key,
            )
        )
        result = {
            user: achieved.by_user.get((company.id, user.id), 0.0) for user in users
        }
        for team in teams:
            result[team] = achieved.by_team.get((company.id, team.id), 0.0)
        return result
