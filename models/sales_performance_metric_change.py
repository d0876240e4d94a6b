"""The (metric, day) groups whose documents changed, kept for the clawback
check of the incentive statements.

Every transaction that marks groups for recompute (see
``sales.performance.recompute.queue._flush_marks``) adds rows to the queue;
the scheduled action that takes them appends one row per (metric, day,
company) here, in the same statement. The rows are never updated (no row
lock for concurrent transactions of the same day to wait for); the hourly
recompute keeps the latest row of each group. The stamps read the queue
too: a change is seen before the scheduled action took it. A statement
remembers the rows of the periods it checked (their count and a hash of
their ids): a period is looked at again only when rows came or went since,
whatever the length of the history of documents.
"""

from odoo import api, fields, models
from odoo.tools import SQL


class SalesPerformanceMetricChange(models.Model):
    _name = "sales.performance.metric.change"
    _description = "Sales Performance Document Change"
    _order = "id"
    _log_access = False

    # plain ids, no foreign keys, as in the recompute queue the scheduled
    # action takes these rows from (sales.performance.recompute.queue)
    metric_id = fields.Integer(
        required=True,
        readonly=True,
        help="A sales.performance.metric id.",
    )
    date = fields.Date(required=True, readonly=True, help="The record's day (UTC).")
    company_id = fields.Integer(required=True, readonly=True, help="A res.company id.")

    _metric_date_idx = models.Index("(metric_id, date, id)")

    @api.model
    def _compact(self):
        """Keep the latest row of each (metric, day, company): a period's
        stamp changes once more (the rows went), its history stays one row a
        day. One statement, run by the scheduled action."""
        self.env.execute_query(
            SQL(
                """
                DELETE FROM %(table)s old
                 USING %(table)s new
                 WHERE new.metric_id = old.metric_id AND new.date = old.date
                   AND new.company_id = old.company_id AND new.id > old.id
                """,
                table=SQL.identifier(self._table),
            )
        )
        # the rows of metrics deleted since
        self.env.execute_query(
            SQL(
                """
                DELETE FROM %s c
                 WHERE NOT EXISTS (SELECT 1 FROM sales_performance_metric m
                                    WHERE m.id = c.metric_id)
                """,
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _stamps(self, periods):
        """``{(metric id, first day, last day): "count:hash"}`` of the rows of
        each period of ``periods`` (``[(metric id, first day, stop day
        excluded)]``), with one query whatever the history."""
        if not periods:
            return {}
        values = SQL(", ").join(
            SQL("(%s, %s, %s::date, %s::date)", index, metric_id, start, stop)
            for index, (metric_id, start, stop) in enumerate(periods)
        )
        # the rows of the log and the marks the scheduled action did not
        # take yet (it moves them here: the stamp changes once more)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.idx, count(c.tag),
                       coalesce(sum(hashtext(c.tag)::bigint), 0)
                  FROM (VALUES %s) AS p(idx, metric_id, start, stop)
             LEFT JOIN (SELECT id::text AS tag, metric_id, date FROM %s
                         UNION ALL
                        SELECT 'q' || id, metric_id, date
                          FROM sales_performance_recompute_queue) c
                    ON c.metric_id = p.metric_id
                   AND c.date >= p.start AND c.date < p.stop
              GROUP BY p.idx
                """,
                values,
                SQL.identifier(self._table),
            )
        )
        return {periods[index]: f"{count}:{digest}" for index, count, digest in rows}
