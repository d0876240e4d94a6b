"""The queue-driven recompute reads only the days that changed.

Each target recomputed by the scheduled action that follows document
changes keeps the achievement of each day of its period (one row of
``sales.performance.target.daily``, see ``engine.daily``); the next run
reads again from the documents only the days its marks concern and takes
the other days as kept. The days live beside the targets, not on them: the
targets' rows (which lists, pivots and the cockpit scan) stay as narrow as
they were, and keeping days adds no row version to them.
"""

import json
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import daily, figures
from . import bulk, db_tuning


class SalesPerformanceTargetDaily(models.Model):
    _name = "sales.performance.target.daily"
    _description = "Sales Target Daily Figures"
    _log_access = False

    target_id = fields.Many2one(
        "sales.performance.target",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    figures = fields.Json(
        string="Daily Figures",
        readonly=True,
        help="The achievement of each day of the target's period and the "
        "layout it was computed for (engine.daily.Daily).",
    )

    _target_unique = models.Constraint(
        "UNIQUE (target_id)", "A target keeps one set of daily figures."
    )

    @api.model
    def _kept(self, target_ids):
        """``{target id: stored JSON}`` (one query)."""
        return dict(
            self.env.execute_query(
                SQL(
                    "SELECT target_id, figures FROM %s"
                    " WHERE target_id = ANY(%s::int[])",
                    SQL.identifier(self._table),
                    bulk.array_literal(target_ids),
                )
            )
        )

    @api.model
    def _keep(self, kept_days):
        """Keep ``[(target id, Daily)]`` (one statement)."""
        ids, texts = zip(
            *((tid, json.dumps(days.to_json())) for tid, days in kept_days),
            strict=True,
        )
        self.env.execute_query(
            SQL(
                """
                INSERT INTO %(table)s (target_id, company_id, figures)
                SELECT t.id, t.company_id, v.days::jsonb
                  FROM unnest(%(ids)s::int[], %(texts)s::text[]) AS v(id, days)
                  JOIN sales_performance_target t ON t.id = v.id
                    ON CONFLICT (target_id) DO UPDATE SET figures = EXCLUDED.figures
                """,
                table=SQL.identifier(self._table),
                ids=bulk.array_literal(ids),
                texts=bulk.array_literal(texts),
            )
        )

    @api.model
    def _forget(self, target_ids):
        """Drop the days kept for ``target_ids`` (read again next time)."""
        if target_ids:
            self.env.execute_query(
                SQL(
                    "DELETE FROM %s WHERE target_id = ANY(%s::int[])",
                    SQL.identifier(self._table),
                    bulk.array_literal(target_ids),
                )
            )


class SalesPerformanceTarget(models.Model):
    _inherit = "sales.performance.target"

    @api.model
    def _team_history_stamps(self, company_ids):
        """``{company id: stamp}`` of each company's team history: a team's
        kept days count the shares of its members of each day, read again
        when the history changes (one query)."""
        return dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT company_id,
                           md5(string_agg(concat_ws(',', id, user_id, team_id,
                                                    date_from, date_to, role),
                                          ';' ORDER BY id))
                      FROM sales_performance_team_membership
                     WHERE company_id = ANY(%s)
                  GROUP BY company_id
                    """,
                    sorted(company_ids),
                )
            )
        )

    @api.model
    def _daily_achieved(self, groups, touched, company_ids, timeline, credited):
        """``({row id: achieved}, [(target id, Daily)])``: the achievement of
        the rows of ``groups`` (see ``_recompute_batch``) from their kept
        days and the days of ``touched`` read again, and the days to keep
        (those that changed). A target without valid kept days (none yet,
        another layout, a full recompute changed it) has every day read; a
        period longer than ``engine.daily.MAX_DAYS`` is read whole. One
        query per metric, time zone and dimension key, as a full recompute."""
        row_ids = [row.id for members in groups.values() for row in members]
        stored = self.env["sales.performance.target.daily"]._kept(row_ids)
        team_stamps = self._team_history_stamps(company_ids)
        self._fetch_metrics(key[0] for key in groups)
        plans = []
        periods_of = defaultdict(set)
        empty = set()
        for (metric, date_from, date_to, tz, dimension_key), members in groups.items():
            computation = (metric, tz, dimension_key)
            if not daily.period_days(date_from, date_to):
                periods_of[computation].add((date_from, date_to))
                plans.extend(
                    (row, computation, None, None, None, None) for row in members
                )
                continue
            average = metric.computation == "average"
            onward = metric.computation == "first"
            stamp = metric.write_date and metric.write_date.isoformat()
            for row in members:
                key = daily.layout_key(
                    metric.id,
                    stamp,
                    date_from,
                    date_to,
                    tz,
                    dimension_key,
                    row.user_id,
                    row.team_id,
                    row.company_id,
                    team_stamps.get(row.company_id, ""),
                )
                kept = daily.Daily.from_json(stored.get(row.id))
                if kept is not None and not kept.valid_for(
                    key, date_from, date_to, average
                ):
                    kept = None
                days = daily.days_to_read(
                    date_from, date_to, kept, touched.get(row.id, empty), onward
                )
                periods_of[computation].update((day, day) for day in days)
                plans.append((row, computation, key, kept, days, average))
        indexes = {}
        with db_tuning.jit_off(self.env.cr):
            for computation, periods in periods_of.items():
                metric, tz, dimension_key = computation
                by_period = metric._compute_values_multi(
                    sorted(periods),
                    tz,
                    company_ids,
                    timeline,
                    dimension_key=dimension_key,
                    credited=credited.get(computation),
                )
                for period, rows in by_period.items():
                    indexes[(computation, period)] = figures.index(rows)
        achieved_of, kept_days = {}, []
        for row, computation, key, kept, days, average in plans:
            if key is None:
                period = (row.date_from, row.date_to)
                achieved_of[row.id] = figures.value_for(
                    row, indexes[(computation, period)]
                )
                continue
            read = {
                day: figures.value_for(row, indexes[(computation, (day, day))])
                for day in days
            }
            total, new = daily.merge(
                row.date_from, row.date_to, key, kept, read, average
            )
            achieved_of[row.id] = total
            if new != kept:
                kept_days.append((row.id, new))
        return achieved_of, kept_days
