"""The cockpit: where a sales manager or a team leader starts the day.

``get_cockpit_data`` returns, for a period and the teams the caller may see,
the attainment and pacing of the company, the teams and the salespeople
(credited figures of their targets, with the trend over the last periods),
the drivers of each salesperson (pipeline coverage, win rate against the
previous period, sales cycle, activities done, stale opportunities) with a
diagnosis sentence, the funnel of the CRM stages (from Odoo's stage tracking),
the risks (stale opportunities, expected closings moved out of the period,
overdue activities, revenue concentration) and the revenue and win rate per
customer segment. Every figure carries the records behind it (model, domain).

What the caller sees: a sales performance administrator every team of the
allowed companies, a team leader the teams they lead (and their own figures),
a salesperson only themselves. Targets are read as the caller (record rules
apply); the other figures come from a fixed number of SQL queries restricted
to those salespeople and companies, whatever their number.
"""

import math
from collections import defaultdict
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

from ..engine import dimensions as target_dimensions
from ..engine import drivers, periods
from . import bulk, db_tuning

PERF_MANAGER = "sales_performance.group_sales_performance_manager"
TREND_PERIODS = 6
MAX_PERIOD_DAYS = 3 * 366
SEGMENTS = ("a", "b", "c")


class SalesPerformanceCockpit(models.AbstractModel):
    _name = "sales.performance.cockpit"
    _description = "Sales Performance Cockpit"

    # ------------------------------------------------------------------
    # Data API
    # ------------------------------------------------------------------
    @api.readonly
    @api.model
    def get_cockpit_data(self, date_from, date_to, team_ids=None, dimensions=None):
        """Everything the cockpit shows for ``[date_from, date_to]`` and the
        sales teams ``team_ids`` (default: all the teams the caller may see).

        ``dimensions`` (``{"product_category_id": id, "partner_segment": "a",
        ...}``) picks the targets narrowed by exactly those dimensions (see
        ``available_dimensions``); by default the targets on whole metrics.
        The attainment, pacing and gaps follow it; the pipeline, activity and
        risk figures are the whole business's.

        :returns: a dict with ``period``, ``company``, ``teams``, ``reps``,
            ``funnel``, ``risk``, ``segments`` and ``available_teams``; see
            the module docstring and the README.
        """
        date_from, date_to = self._cockpit_period(date_from, date_to)
        dimension_key = self._cockpit_dimension_key(dimensions)
        scope = self._cockpit_scope(team_ids)
        today = fields.Date.context_today(self)
        tz_name = periods.counting_tz(
            self.env.user.tz, self.env.company.resource_calendar_id.tz
        )
        previous = periods.previous_period(date_from, date_to)
        ctx = {
            "date_from": date_from,
            "date_to": date_to,
            "previous": previous,
            "today": today,
            "now": fields.Datetime.now(),
            "tz": tz_name,
            "bounds": self._bounds(date_from, date_to, tz_name),
            "previous_bounds": self._bounds(*previous, tz_name),
            "user_ids": scope["user_ids"],
            "company_ids": scope["company_ids"],
            "user_array": bulk.array_literal(scope["user_ids"]),
            "company_array": bulk.array_literal(scope["company_ids"]),
            "dimension_key": dimension_key,
        }
        self.env["crm.lead"].flush_model()
        self.env["mail.activity"].flush_model()
        self.env["mail.message"].flush_model()
        self.env["account.move"].flush_model()
        with db_tuning.jit_off(self.env.cr):
            targets = self._cockpit_targets(ctx, scope)
            closed = self._cockpit_closed(ctx)
            pipeline = self._cockpit_pipeline(ctx)
            activities = self._cockpit_activities_done(ctx)
            stale = self._cockpit_stale(ctx)
            overdue = self._cockpit_overdue(ctx)
            moved = self._cockpit_moved_out(ctx)
            revenue = self._cockpit_revenue(ctx)
            funnel = self._cockpit_funnel(ctx, scope)
        reps = self._cockpit_reps(ctx, scope, targets, closed, pipeline, activities)
        self._cockpit_add_stale(reps, stale, ctx)
        teams = self._cockpit_teams(ctx, scope, targets, reps)
        return {
            "period": {
                "date_from": fields.Date.to_string(date_from),
                "date_to": fields.Date.to_string(date_to),
                "previous_from": fields.Date.to_string(previous[0]),
                "previous_to": fields.Date.to_string(previous[1]),
                "stale_days": ctx["stale_days"],
            },
            "company": self._cockpit_company(targets, ctx),
            "teams": teams,
            "reps": reps,
            "funnel": funnel,
            "risk": self._cockpit_risk(ctx, stale, overdue, moved, revenue),
            "segments": self._cockpit_segments(ctx, closed, revenue),
            "available_teams": scope["available_teams"],
            "available_dimensions": targets["dimensions"],
            "dimensions": dict(dimension_key),
        }

    # ------------------------------------------------------------------
    # Input and scope
    # ------------------------------------------------------------------
    @api.model
    def _cockpit_dimension_key(self, dimensions):
        """The ``engine.dimensions`` key of the ``dimensions`` asked for, or
        a UserError for anything else than dimension fields and their
        values."""
        if not dimensions:
            return ()
        if not isinstance(dimensions, dict) or set(dimensions) - set(
            target_dimensions.TARGET_FIELDS
        ):
            raise UserError(
                self.env._(
                    "The cockpit filters targets by product category, customer "
                    "segment, country, customer tag, source and medium only."
                )
            )
        for fname, value in dimensions.items():
            if fname == "partner_segment":
                valid = value in (False, None, "a", "b", "c")
            else:
                valid = value in (False, None) or (
                    isinstance(value, int) and not isinstance(value, bool) and value > 0
                )
            if not valid:
                raise UserError(
                    self.env._(
                        "%(value)s is not a value of the dimension %(dimension)s.",
                        value=value,
                        dimension=fname,
                    )
                )
        return target_dimensions.key(dimensions)

    @api.model
    def _cockpit_period(self, date_from, date_to):
        try:
            start = fields.Date.to_date(date_from)
            end = fields.Date.to_date(date_to)
        except (TypeError, ValueError):
            start = end = None
        if not isinstance(start, date) or not isinstance(end, date):
            raise UserError(
                self.env._("The cockpit needs a period: two dates (YYYY-MM-DD).")
            )
        if end < start:
            raise UserError(self.env._("The period must end after it starts."))
        if (end - start).days > MAX_PERIOD_DAYS:
            raise UserError(
                self.env._(
                    "The cockpit shows at most %(days)s days at a time.",
                    days=MAX_PERIOD_DAYS,
                )
            )
        return start, end

    @api.model
    def _cockpit_scope(self, team_ids):
        """The teams and salespeople the caller may see, within
        ``team_ids``: administrators every team of the allowed companies,
        team leaders the teams they lead (and themselves), salespeople
        themselves only."""
        user = self.env.user
        company_ids = self.env.companies.ids
        if team_ids is not None and (
            not isinstance(team_ids, list | tuple)
            or not all(isinstance(t, int) and not isinstance(t, bool) for t in team_ids)
        ):
            raise UserError(self.env._("The teams must be given as a list of ids."))
        Team = self.env["crm.team"].sudo()
        company_domain = Domain("company_id", "in", [*company_ids, False])
        is_manager = user.has_group(PERF_MANAGER)
        if is_manager:
            visible = Team.search(company_domain)
            led = visible
        else:
            led = Team.search(company_domain & Domain("user_id", "=", user.id))
            member_of = Team.search(
                company_domain & Domain("crm_team_member_ids.user_id", "=", user.id)
            )
            visible = led | member_of
        # the fields shown, for all the visible teams at once
        visible.fetch(["name", "sequence", "user_id"])
        if team_ids:
            selected = visible.filtered(lambda team: team.id in set(team_ids))
            if len(selected) != len(set(team_ids)):
                raise AccessError(
                    self.env._(
                        "You can only look at the sales teams you lead or belong to."
                    )
                )
        else:
            selected = visible
        members = (
            self.env["crm.team.member"]
            .sudo()
            .search_fetch(
                [("crm_team_id", "in", (selected & led).ids)],
                ["user_id", "crm_team_id"],
            )
        )
        team_of = {}
        for member in members:
            team_of.setdefault(member.user_id.id, member.crm_team_id.id)
        if not (selected & led):
            # a salesperson (leading none of these teams) sees themselves
            own_team = (selected & user.sudo().crm_team_ids).sorted("id")
            team_of.setdefault(user.id, own_team[:1].id or False)
        return {
            "is_manager": is_manager,
            "user_ids": sorted(team_of),
            "team_of": team_of,
            "teams": selected.sorted(lambda t: (t.sequence, t.name or "", t.id)),
            "led": led,
            "company_ids": company_ids,
            "available_teams": [
                {"id": team.id, "name": team.name}
                for team in visible.sorted(lambda t: (t.sequence, t.name or "", t.id))
            ],
        }

    @api.model
    def _bounds(self, date_from, date_to, tz_name):
        return self.env["sales.performance.metric"]._utc_bounds(
            date_from, date_to, tz_name
        )

    @api.model
    def _trend_periods(self, date_from, date_to):
        """The period and the ``TREND_PERIODS - 1`` comparable periods
        before it, oldest first."""
        result = [(date_from, date_to)]
        for _index in range(TREND_PERIODS - 1):
            result.append(periods.previous_period(*result[-1]))
        return result[::-1]

    # ------------------------------------------------------------------
    # Reads: one query each, for every salesperson at once
    # ------------------------------------------------------------------
    @api.model
    def _cockpit_targets(self, ctx, scope):
        """The active and closed targets of the salespeople, the teams and
        the company overlapping the trend periods, read as the caller
        (record rules apply) with one grouped query."""
        trend = self._trend_periods(ctx["date_from"], ctx["date_to"])
        ctx["trend"] = trend
        team_ids = scope["teams"].ids
        assignee = Domain("user_id", "in", scope["user_ids"]) | (
            Domain("user_id", "=", False)
            & (Domain("team_id", "in", team_ids) | Domain("team_id", "=", False))
        )
        domain = (
            Domain("state", "in", ["active", "closed"])
            & Domain("company_id", "in", ctx["company_ids"])
            & Domain("date_to", ">=", trend[0][0])
            & Domain("date_from", "<=", ctx["date_to"])
            & assignee
        )
        Target = self.env["sales.performance.target"]
        # grouped in SQL on the rules-filtered query, read as plain ids (a
        # _read_group made records of every group's values: for the 46,200
        # groups of 1,000 salespeople this part took 0.82 s, now 0.41 s)
        query = Target._search(domain)
        group_sql = [
            Target._field_to_sql(query.table, fname, query)
            for fname in (
                "user_id",
                "team_id",
                "metric_id",
                "date_from",
                "date_to",
                *target_dimensions.TARGET_FIELDS,
            )
        ]

        def total(fname):
            return SQL(
                "SUM(%s)::float8", Target._field_to_sql(query.table, fname, query)
            )

        groups = self.env.execute_query(
            SQL(
                "SELECT %s, %s, %s, %s, array_agg(%s ORDER BY %s) FROM %s"
                " WHERE %s GROUP BY %s",
                SQL(", ").join(group_sql),
                total("target_value"),
                total("achieved_value"),
                total("expected_value"),
                SQL.identifier(query.table, "id"),
                SQL.identifier(query.table, "id"),
                query.from_clause,
                query.where_clause or SQL("TRUE"),
                SQL(", ").join(group_sql),
            )
        )
        Metric = self.env["sales.performance.metric"].sudo()
        metric_ids = set()
        rows = []
        # targets of different dimensions never add up: the rows of the
        # dimensions asked for, and the other dimension sets to choose from
        dimension_count = len(target_dimensions.TARGET_FIELDS)
        available = {}
        for group in groups:
            user_id, team_id, metric_id, start, end = group[:5]
            values = group[5 : 5 + dimension_count]
            target, achieved, expected, ids = group[5 + dimension_count :]
            key = target_dimensions.key(
                dict(zip(target_dimensions.TARGET_FIELDS, values, strict=True))
            )
            if key and key not in available:
                available[key] = values
            if key != ctx["dimension_key"]:
                continue
            metric_ids.add(metric_id)
            rows.append(
                {
                    "user_id": user_id or False,
                    "team_id": team_id or False,
                    "metric_id": metric_id,
                    "date_from": start,
                    "date_to": end,
                    "target": target or 0.0,
                    "achieved": achieved or 0.0,
                    "expected": expected or 0.0,
                    "ids": ids,
                }
            )
        metrics = Metric.browse(sorted(metric_ids))
        metrics.fetch(["name", "value_type", "pipeline_forecast", "sequence"])
        segments = dict(
            Target._fields["partner_segment"]._description_selection(self.env)
        )
        comodels = [
            Target._fields[fname].comodel_name
            for fname in target_dimensions.TARGET_FIELDS
        ]
        choices = []
        for key, values in available.items():
            labels = [
                self.env[comodel].sudo().browse(value).display_name
                if comodel
                else self.env._(
                    "Segment %(segment)s", segment=segments.get(value, value)
                )
                for comodel, value in zip(comodels, values, strict=True)
                if value
            ]
            choices.append({"key": dict(key), "name": " · ".join(labels)})
        choices.sort(key=lambda choice: choice["name"])
        return {
            "rows": rows,
            "metrics": {m.id: m for m in metrics},
            "dimensions": choices,
        }

    @api.model
    def _cockpit_closed(self, ctx):
        """Won and lost opportunities of the period and the previous period,
        per salesperson and customer segment, with the days from creation
        to won."""
        start, end = ctx["bounds"]
        prev_start, prev_end = ctx["previous_bounds"]
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.user_id, cp.sales_performance_segment,
                       l.won_status, l.date_closed >= %(start)s AS current,
                       count(*),
                       sum(EXTRACT(EPOCH FROM l.date_closed - l.create_date))
                           / 86400.0,
                       array_agg(l.id)
                  FROM crm_lead l
             LEFT JOIN res_partner p ON p.id = l.partner_id
             LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
                 WHERE l.type = 'opportunity'
                   AND l.won_status IN ('won', 'lost')
                   AND l.user_id = ANY(%(users)s::int[])
                   AND l.company_id = ANY(%(companies)s::int[])
                   AND ((l.date_closed >= %(start)s AND l.date_closed < %(end)s)
                        OR (l.date_closed >= %(prev_start)s
                            AND l.date_closed < %(prev_end)s))
              GROUP BY 1, 2, 3, 4
                """,
                start=start,
                end=end,
                prev_start=prev_start,
                prev_end=prev_end,
                users=ctx["user_array"],
                companies=ctx["company_array"],
            )
        )
        return [
            {
                "user_id": user_id,
                "segment": segment,
                "status": status,
                "current": current,
                "count": count,
                "days": days or 0.0,
                "ids": ids,
            }
            for user_id, segment, status, current, count, days, ids in rows
        ]

    @api.model
    def _cockpit_pipeline(self, ctx):
        """Open opportunities weighted by probability, expected to close in
        the rest of the period, per salesperson: ``{user: (amount, ids)}``."""
        first = max(ctx["today"], ctx["date_from"])
        if first > ctx["date_to"]:
            return {}
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.user_id,
                       sum(COALESCE(l.expected_revenue, 0)
                           * COALESCE(l.probability, 0) / 100.0),
                       array_agg(l.id)
                  FROM crm_lead l
                 WHERE l.type = 'opportunity' AND l.active
                   AND l.won_status = 'pending'
                   AND l.user_id = ANY(%(users)s::int[])
                   AND l.company_id = ANY(%(companies)s::int[])
                   AND l.date_deadline >= %(first)s AND l.date_deadline <= %(last)s
              GROUP BY l.user_id
                """,
                users=ctx["user_array"],
                companies=ctx["company_array"],
                first=first,
                last=ctx["date_to"],
            )
        )
        ctx["pipeline_from"] = first
        return {user_id: (amount or 0.0, ids) for user_id, amount, ids in rows}

    @api.model
    def _cockpit_activities_done(self, ctx):
        """Activities marked done in the period per salesperson."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT a.user_id, count(*)
                  FROM mail_activity a
                 WHERE NOT a.active AND a.date_done IS NOT NULL
                   AND a.date_done >= %(first)s AND a.date_done <= %(last)s
                   AND a.user_id = ANY(%(users)s::int[])
              GROUP BY a.user_id
                """,
                first=ctx["date_from"],
                last=ctx["date_to"],
                users=ctx["user_array"],
            )
        )
        return dict(rows)

    @api.model
    def _cockpit_stale(self, ctx):
        """Open opportunities with no message in their chatter (private
        notifications to an assignee do not count) and no activity created,
        done or due in the last ``stale_days`` days (nor planned after):
        ``[(lead, user)]``. The setting is the current company's."""
        stale_days = self.env.company.sales_performance_stale_days or 14
        ctx["stale_days"] = stale_days
        cutoff = ctx["now"] - timedelta(days=stale_days)
        ctx["stale_cutoff"] = cutoff
        return self.env.execute_query(
            SQL(
                """
                SELECT l.id, l.user_id
                  FROM crm_lead l
                 WHERE l.type = 'opportunity' AND l.active
                   AND l.won_status = 'pending'
                   AND l.user_id = ANY(%(users)s::int[])
                   AND l.company_id = ANY(%(companies)s::int[])
                   AND l.create_date < %(cutoff)s
                   AND NOT EXISTS (
                       SELECT 1 FROM mail_message m
                        WHERE m.model = 'crm.lead' AND m.res_id = l.id
                          AND m.message_type != 'user_notification'
                          AND m.date >= %(cutoff)s)
                   AND NOT EXISTS (
                       SELECT 1 FROM mail_activity a
                        WHERE a.res_model = 'crm.lead' AND a.res_id = l.id
                          AND (a.create_date >= %(cutoff)s
                               OR a.date_done >= %(cutoff_day)s
                               OR a.date_deadline >= %(cutoff_day)s))
              ORDER BY l.id
                """,
                users=ctx["user_array"],
                companies=ctx["company_array"],
                cutoff=cutoff,
                cutoff_day=cutoff.date(),
            )
        )

    @api.model
    def _cockpit_overdue(self, ctx):
        """Open activities of the salespeople past their deadline:
        ``{user: count}``."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT a.user_id, count(*)
                  FROM mail_activity a
                 WHERE a.active AND a.date_deadline < %(today)s
                   AND a.user_id = ANY(%(users)s::int[])
              GROUP BY a.user_id
                """,
                today=ctx["today"],
                users=ctx["user_array"],
            )
        )
        return dict(rows)

    @api.model
    def _cockpit_moved_out(self, ctx):
        """Open opportunities whose expected closing was in the period and was
        moved out of it (tracking of ``date_deadline``), and still is."""
        field = self.env["ir.model.fields"]._get("crm.lead", "date_deadline")
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT l.id
                  FROM mail_tracking_value v
                  JOIN mail_message m ON m.id = v.mail_message_id
                  JOIN crm_lead l ON l.id = m.res_id
                 WHERE m.model = 'crm.lead' AND v.field_id = %(field)s
                   AND v.old_value_datetime::date >= %(first)s
                   AND v.old_value_datetime::date <= %(last)s
                   AND (v.new_value_datetime IS NULL
                        OR v.new_value_datetime::date > %(last)s
                        OR v.new_value_datetime::date < %(first)s)
                   AND l.type = 'opportunity' AND l.active
                   AND l.won_status = 'pending'
                   AND l.user_id = ANY(%(users)s::int[])
                   AND l.company_id = ANY(%(companies)s::int[])
                   AND (l.date_deadline IS NULL OR l.date_deadline > %(last)s
                        OR l.date_deadline < %(first)s)
              ORDER BY l.id
                """,
                field=field.id,
                first=ctx["date_from"],
                last=ctx["date_to"],
                users=ctx["user_array"],
                companies=ctx["company_array"],
            )
        )
        return [lead_id for (lead_id,) in rows]

    @api.model
    def _cockpit_revenue(self, ctx):
        """Invoiced revenue (posted customer invoices less credit notes,
        untaxed, company currency) of the period per customer, with its
        segment: ``{customer: (segment, amount)}``."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.commercial_partner_id, p.sales_performance_segment,
                       sum(m.amount_untaxed_signed)
                  FROM account_move m
             LEFT JOIN res_partner p ON p.id = m.commercial_partner_id
                 WHERE m.move_type IN ('out_invoice', 'out_refund')
                   AND m.state = 'posted'
                   AND m.invoice_date >= %(first)s AND m.invoice_date <= %(last)s
                   AND m.invoice_user_id = ANY(%(users)s::int[])
                   AND m.company_id = ANY(%(companies)s::int[])
              GROUP BY 1, 2
                """,
                first=ctx["date_from"],
                last=ctx["date_to"],
                users=ctx["user_array"],
                companies=ctx["company_array"],
            )
        )
        return {partner: (segment, amount or 0.0) for partner, segment, amount in rows}

    # ------------------------------------------------------------------
    # Funnel
    # ------------------------------------------------------------------
    @api.model
    def _cockpit_funnel(self, ctx, scope):
        """Per stage: entered in the period, moved on by its end, median days,
        against the previous period; the worst drop is flagged."""
        prev_start = ctx["previous_bounds"][0]
        field = self.env["ir.model.fields"]._get("crm.lead", "stage_id")
        changes = self.env.execute_query(
            SQL(
                """
                SELECT m.res_id, m.date, v.old_value_integer, v.new_value_integer
                  FROM mail_tracking_value v
                  JOIN mail_message m ON m.id = v.mail_message_id
                  JOIN crm_lead l ON l.id = m.res_id
                 WHERE m.model = 'crm.lead' AND v.field_id = %(field)s
                   AND m.date >= %(start)s
                   AND l.type = 'opportunity'
                   AND l.user_id = ANY(%(users)s::int[])
                   AND l.company_id = ANY(%(companies)s::int[])
              ORDER BY m.res_id, m.date, v.id
                """,
                field=field.id,
                start=prev_start,
                users=ctx["user_array"],
                companies=ctx["company_array"],
            )
        )
        tracked = sorted({row[0] for row in changes})
        leads = self.env.execute_query(
            SQL(
                """
                SELECT l.id, l.create_date, l.stage_id, l.won_status, l.date_closed
                  FROM crm_lead l
                 WHERE l.type = 'opportunity'
                   AND l.user_id = ANY(%(users)s::int[])
                   AND l.company_id = ANY(%(companies)s::int[])
                   AND (l.create_date >= %(start)s OR l.id = ANY(%(tracked)s::int[]))
                """,
                start=prev_start,
                users=ctx["user_array"],
                companies=ctx["company_array"],
                tracked=bulk.array_literal(tracked),
            )
        )
        changes_of = defaultdict(list)
        for lead_id, when, old, new in changes:
            changes_of[lead_id].append((when, old, new))
        history = {}
        for lead_id, created, stage_id, status, closed in leads:
            lead_changes = changes_of.get(lead_id, [])
            events = []
            if created >= prev_start:
                first_stage = lead_changes[0][1] if lead_changes else stage_id
                events.append((created, first_stage))
            events += [(when, new) for when, _old, new in lead_changes]
            history[lead_id] = (events, closed if status == "won" else None)
        stages = (
            self.env["crm.stage"]
            .sudo()
            .search_fetch([], ["name", "sequence", "is_won"], order="sequence, id")
        )
        rank = {stage.id: position for position, stage in enumerate(stages)}
        current = drivers.funnel(history, rank, *ctx["bounds"])
        before = drivers.funnel(history, rank, *ctx["previous_bounds"])
        worst = drivers.worst_stage(
            {s: v["conversion"] for s, v in current.items()},
            {s: v["conversion"] for s, v in before.items()},
        )
        result = []
        for stage in stages:
            if stage.is_won or (stage.id not in current and stage.id not in before):
                continue
            now = current.get(stage.id, {})
            then = before.get(stage.id, {})
            entered_ids = now.get("entered_ids", [])
            result.append(
                {
                    "stage_id": stage.id,
                    "name": stage.name,
                    "entered": now.get("entered", 0),
                    "moved_on": now.get("moved_on", 0),
                    "conversion": _round(now.get("conversion")),
                    "median_days": _round(now.get("median_days")),
                    "entered_previous": then.get("entered", 0),
                    "conversion_previous": _round(then.get("conversion")),
                    "worst": stage.id == worst,
                    "action": self._records(
                        "crm.lead",
                        [("id", "in", entered_ids)],
                        self.env._("Entered %(stage)s in the period", stage=stage.name),
                        archived=True,
                    ),
                    "moved_on_action": self._records(
                        "crm.lead",
                        [("id", "in", now.get("moved_on_ids", []))],
                        self.env._("Moved on from %(stage)s", stage=stage.name),
                        archived=True,
                    ),
                }
            )
        return result

    # ------------------------------------------------------------------
    # Assembling
    # ------------------------------------------------------------------
    @api.model
    def _bucket(self, rows, date_from, date_to):
        """The target rows of one assignee for ``[date_from, date_to]``: those
        inside the period, else those containing it; then per metric the
        attainment (sum achieved / sum target) and pacing (sum achieved / sum
        expected by today), averaged over the metrics."""
        inside = [
            r for r in rows if r["date_from"] >= date_from and r["date_to"] <= date_to
        ]
        chosen = inside or [
            r for r in rows if r["date_from"] <= date_from and r["date_to"] >= date_to
        ]
        by_metric = defaultdict(lambda: [0.0, 0.0, 0.0])
        ids = []
        for row in chosen:
            sums = by_metric[row["metric_id"]]
            sums[0] += row["target"]
            sums[1] += row["achieved"]
            sums[2] += row["expected"]
            ids += row["ids"]
        attainments = [a / t * 100.0 for t, a, _e in by_metric.values() if t and t > 0]
        pacings = [a / e * 100.0 for t, a, e in by_metric.values() if e and e > 0]
        return {
            "attainment": _round(sum(attainments) / len(attainments))
            if attainments
            else None,
            "pacing": _round(sum(pacings) / len(pacings)) if pacings else None,
            "target_ids": sorted(ids),
            "by_metric": dict(by_metric),
        }

    @api.model
    def _assignee_figures(self, rows, ctx):
        """Attainment and pacing for the period, the trend over the last
        periods, and the action opening the targets."""
        figures = self._bucket(rows, ctx["date_from"], ctx["date_to"])
        trend = []
        for start, end in ctx["trend"]:
            bucket = self._bucket(rows, start, end)
            trend.append(
                {
                    "date_from": fields.Date.to_string(start),
                    "date_to": fields.Date.to_string(end),
                    "attainment": bucket["attainment"],
                }
            )
        figures["trend"] = trend
        figures["targets_action"] = self._records(
            "sales.performance.target",
            [("id", "in", figures["target_ids"])],
            self.env._("Targets"),
        )
        return figures

    @api.model
    def _cockpit_company(self, targets, ctx):
        rows = [r for r in targets["rows"] if not r["user_id"] and not r["team_id"]]
        return self._assignee_figures(rows, ctx)

    @api.model
    def _cockpit_reps(self, ctx, scope, targets, closed, pipeline, activities):
        rows_of = defaultdict(list)
        for row in targets["rows"]:
            if row["user_id"]:
                rows_of[row["user_id"]].append(row)
        won_lost = defaultdict(lambda: defaultdict(int))
        won_ids, lost_ids = defaultdict(list), defaultdict(list)
        cycle = defaultdict(float)
        for row in closed:
            key = (row["status"], row["current"])
            won_lost[row["user_id"]][key] += row["count"]
            if row["current"]:
                (won_ids if row["status"] == "won" else lost_ids)[row["user_id"]] += (
                    row["ids"]
                )
                if row["status"] == "won":
                    cycle[row["user_id"]] += row["days"]
        users = self.env["res.users"].sudo().browse(scope["user_ids"])
        users.fetch(["name"])
        start, end = ctx["bounds"]
        prev_start, prev_end = ctx["previous_bounds"]
        reps = []
        for user in users:
            uid = user.id
            figures = self._assignee_figures(rows_of[uid], ctx)
            counts = won_lost[uid]
            won, lost = counts[("won", True)], counts[("lost", True)]
            gap_target, gap_achieved = self._coverage_gap(figures, targets["metrics"])
            amount, pipe_ids = pipeline.get(uid, (0.0, []))
            user_leads = [("type", "=", "opportunity"), ("user_id", "=", uid)]
            closed_domain = [
                *user_leads,
                ("won_status", "in", ["won", "lost"]),
                ("date_closed", ">=", fields.Datetime.to_string(start)),
                ("date_closed", "<", fields.Datetime.to_string(end)),
            ]
            rep = {
                "user_id": uid,
                "name": user.name,
                "team_id": scope["team_of"].get(uid) or False,
                "attainment": figures["attainment"],
                "pacing": figures["pacing"],
                "trend": figures["trend"],
                "targets_action": figures["targets_action"],
                "gap": _round(gap_target - gap_achieved) if gap_target else None,
                "pipeline": _round(amount),
                "pipeline_coverage": _round(
                    drivers.coverage(amount, gap_target, gap_achieved)
                ),
                "pipeline_action": self._records(
                    "crm.lead", [("id", "in", sorted(pipe_ids))], self.env._("Pipeline")
                ),
                "won": won,
                "lost": lost,
                "win_rate": _round(drivers.win_rate(won, lost)),
                "win_rate_previous": _round(
                    drivers.win_rate(counts[("won", False)], counts[("lost", False)])
                ),
                "win_rate_action": self._records(
                    "crm.lead",
                    closed_domain,
                    self.env._("Won and lost in the period"),
                    archived=True,
                ),
                "win_rate_previous_action": self._records(
                    "crm.lead",
                    [
                        *user_leads,
                        ("won_status", "in", ["won", "lost"]),
                        ("date_closed", ">=", fields.Datetime.to_string(prev_start)),
                        ("date_closed", "<", fields.Datetime.to_string(prev_end)),
                    ],
                    self.env._("Won and lost in the previous period"),
                    archived=True,
                ),
                "cycle_days": _round(cycle[uid] / won) if won else None,
                "cycle_action": self._records(
                    "crm.lead",
                    [("id", "in", sorted(won_ids[uid]))],
                    self.env._("Won in the period"),
                ),
                "activities_done": activities.get(uid, 0),
                "activities_action": self._records(
                    "mail.activity",
                    [
                        ("user_id", "=", uid),
                        ("active", "=", False),
                        ("date_done", ">=", fields.Date.to_string(ctx["date_from"])),
                        ("date_done", "<=", fields.Date.to_string(ctx["date_to"])),
                    ],
                    self.env._("Activities done"),
                    archived=True,
                ),
            }
            reps.append(rep)
        return reps

    @api.model
    def _coverage_gap(self, figures, metrics):
        """Target and achievement of the pipeline-forecast amount metric
        (won revenue) the coverage is measured against: the first such
        metric the salesperson has a target on."""
        candidates = sorted(
            (metrics[m].sequence, m)
            for m in figures["by_metric"]
            if metrics[m].pipeline_forecast and metrics[m].value_type == "monetary"
        )
        if not candidates:
            return 0.0, 0.0
        target, achieved, _expected = figures["by_metric"][candidates[0][1]]
        return target, achieved

    @api.model
    def _cockpit_add_stale(self, reps, stale, ctx):
        """Stale counts per salesperson, then the diagnosis of each against
        the median of their team (all the salespeople shown without one)."""
        stale_of = defaultdict(list)
        for lead_id, user_id in stale:
            stale_of[user_id].append(lead_id)
        for rep in reps:
            ids = stale_of.get(rep["user_id"], [])
            rep["stale_count"] = len(ids)
            rep["stale_action"] = self._records(
                "crm.lead", [("id", "in", ids)], self.env._("Stale opportunities")
            )
        by_team = defaultdict(list)
        for rep in reps:
            by_team[rep["team_id"]].append(rep)
        for members in by_team.values():
            medians = drivers.team_medians(members)
            for rep in members:
                rep["diagnosis"] = drivers.diagnosis(rep, medians, self.env._)
                rep["weakest_driver"] = drivers.weakest_driver(rep, medians) or False
                rep["team_medians"] = {k: _round(v) for k, v in medians.items()}

    @api.model
    def _cockpit_teams(self, ctx, scope, targets, reps):
        rows_of = defaultdict(list)
        for row in targets["rows"]:
            if not row["user_id"] and row["team_id"]:
                rows_of[row["team_id"]].append(row)
        reps_of = defaultdict(list)
        for rep in reps:
            reps_of[rep["team_id"]].append(rep["user_id"])
        result = []
        for team in scope["teams"]:
            figures = self._assignee_figures(rows_of[team.id], ctx)
            result.append(
                {
                    "team_id": team.id,
                    "name": team.name,
                    "leader_id": team.user_id.id or False,
                    "user_ids": reps_of.get(team.id, []),
                    "attainment": figures["attainment"],
                    "pacing": figures["pacing"],
                    "trend": figures["trend"],
                    "targets_action": figures["targets_action"],
                }
            )
        return result

    @api.model
    def _cockpit_risk(self, ctx, stale, overdue, moved, revenue):
        today = fields.Date.to_string(ctx["today"])
        stale_ids = [lead_id for lead_id, _user in stale]
        share, top = drivers.concentration(
            {partner: amount for partner, (_segment, amount) in revenue.items()}
        )
        total = sum(amount for _segment, amount in revenue.values())
        period = [
            ("move_type", "in", ["out_invoice", "out_refund"]),
            ("state", "=", "posted"),
            ("invoice_date", ">=", fields.Date.to_string(ctx["date_from"])),
            ("invoice_date", "<=", fields.Date.to_string(ctx["date_to"])),
            ("invoice_user_id", "in", ctx["user_ids"]),
        ]
        partners = self.env["res.partner"].sudo().browse(top)
        partners.fetch(["name"])
        return {
            "stale_days": ctx["stale_days"],
            "stale_count": len(stale_ids),
            "stale_ids": stale_ids,
            "stale_action": self._records(
                "crm.lead",
                [("id", "in", stale_ids)],
                self.env._("Stale opportunities"),
            ),
            "moved_out_count": len(moved),
            "moved_out_ids": moved,
            "moved_out_action": self._records(
                "crm.lead",
                [("id", "in", moved)],
                self.env._("Expected closing moved out of the period"),
            ),
            "overdue_count": sum(overdue.values()),
            "overdue_action": self._records(
                "mail.activity",
                [("user_id", "in", ctx["user_ids"]), ("date_deadline", "<", today)],
                self.env._("Overdue activities"),
            ),
            "revenue": _round(total),
            "concentration": _round(share),
            "top_customers": [
                {
                    "partner_id": partner.id,
                    "name": partner.name,
                    "revenue": _round(revenue[partner.id][1]),
                }
                for partner in partners
            ],
            "concentration_action": self._records(
                "account.move",
                [*period, ("commercial_partner_id", "in", top)],
                self.env._("Invoices of the top 3 customers"),
            ),
            "revenue_action": self._records(
                "account.move", period, self.env._("Invoiced revenue")
            ),
        }

    @api.model
    def _cockpit_segments(self, ctx, closed, revenue):
        """Revenue and win rate per customer segment (A, B, C, none)."""
        amounts = defaultdict(float)
        for segment, amount in revenue.values():
            amounts[segment or False] += amount
        won, lost = defaultdict(int), defaultdict(int)
        for row in closed:
            if row["current"]:
                target = won if row["status"] == "won" else lost
                target[row["segment"] or False] += row["count"]
        labels = dict(
            self.env["res.partner"]
            ._fields["sales_performance_segment"]
            ._description_selection(self.env)
        )
        start, end = ctx["bounds"]
        result = []
        for segment in (*SEGMENTS, False):
            if segment is False and not (amounts[False] or won[False] or lost[False]):
                continue
            segment_domain = (
                ("sales_performance_segment", "=", segment)
                if segment
                else ("sales_performance_segment", "=", False)
            )
            result.append(
                {
                    "segment": segment,
                    "name": labels.get(segment) or self.env._("No segment"),
                    "revenue": _round(amounts[segment]),
                    "won": won[segment],
                    "lost": lost[segment],
                    "win_rate": _round(drivers.win_rate(won[segment], lost[segment])),
                    "revenue_action": self._records(
                        "account.move",
                        [
                            ("move_type", "in", ["out_invoice", "out_refund"]),
                            ("state", "=", "posted"),
                            (
                                "invoice_date",
                                ">=",
                                fields.Date.to_string(ctx["date_from"]),
                            ),
                            (
                                "invoice_date",
                                "<=",
                                fields.Date.to_string(ctx["date_to"]),
                            ),
                            ("invoice_user_id", "in", ctx["user_ids"]),
                            (
                                "commercial_partner_id." + segment_domain[0],
                                "=",
                                segment,
                            ),
                        ],
                        self.env._("Invoiced revenue of the segment"),
                    ),
                    "win_rate_action": self._records(
                        "crm.lead",
                        [
                            ("type", "=", "opportunity"),
                            ("user_id", "in", ctx["user_ids"]),
                            ("won_status", "in", ["won", "lost"]),
                            ("date_closed", ">=", fields.Datetime.to_string(start)),
                            ("date_closed", "<", fields.Datetime.to_string(end)),
                            (
                                "partner_id.commercial_partner_id." + segment_domain[0],
                                "=",
                                segment,
                            ),
                        ],
                        self.env._("Won and lost in the segment"),
                        archived=True,
                    ),
                }
            )
        return result

    @api.model
    def _records(self, model, domain, name, archived=False):
        """What the client needs to open the records behind a figure."""
        return {
            "model": model,
            "domain": domain,
            "name": name,
            "context": {"active_test": False} if archived else {},
        }


def _round(value, digits=1):
    """A figure for the screen: ``None`` stays ``None`` (no data), finite
    values are rounded."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return round(value, digits)
