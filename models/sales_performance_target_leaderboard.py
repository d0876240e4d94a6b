"""The leaderboard of the salespeople's targets: rank in the team, gap to
the next rank and change since the previous period.

The company rank is stored on the target (``rank``, written by the
recompute's window query). What the leaderboard adds is derived from the
stored figures at read time, with two queries whatever the number of targets
shown: one reads every salesperson target of the (company, metric, period)
boards involved, the other the ranks of the previous period's targets.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine import dimensions, periods
from . import bulk

RANK_TRENDS = [
    ("up", "Up"),
    ("down", "Down"),
    ("same", "Same"),
    ("new", "New"),
]


class SalesPerformanceTarget(models.Model):
    _inherit = "sales.performance.target"

    value_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_value_currency_id",
        help="The company's currency when the metric measures an amount, empty "
        "for counts: amounts then show their currency, counts a plain number.",
    )
    team_rank = fields.Integer(
        compute="_compute_leaderboard",
        aggregator=False,
        help="Rank among the members of the same sales team with a target on the "
        "same metric and period, by attainment.",
    )
    rank_gap = fields.Float(
        string="Gap to Next Rank",
        compute="_compute_leaderboard",
        digits=(16, 2),
        aggregator=False,
        help="What is still to achieve to reach the attainment of the salesperson "
        "ranked just above (0 for the first).",
    )
    rank_gap_attainment = fields.Float(
        string="Gap to Next Rank (points)",
        compute="_compute_leaderboard",
        aggregator=False,
        help="Attainment points between this salesperson and the one ranked just "
        "above.",
    )
    previous_rank = fields.Integer(
        compute="_compute_leaderboard",
        aggregator=False,
        help="Rank of the same salesperson on the same metric in the previous "
        "period (0 without a target then).",
    )
    rank_change = fields.Integer(
        compute="_compute_leaderboard",
        aggregator=False,
        help="Places gained since the previous period (negative when lost).",
    )
    rank_trend = fields.Selection(
        RANK_TRENDS, compute="_compute_leaderboard", string="Trend"
    )
    rank_change_label = fields.Char(
        string="Change",
        compute="_compute_leaderboard",
        help="Places gained (▲) or lost (▼) since the previous period.",
    )

    @api.depends("metric_id.value_type", "currency_id")
    def _compute_value_currency_id(self):
        for target in self:
            target.value_currency_id = (
                target.currency_id if target.value_type == "monetary" else False
            )

    @api.depends(
        "rank", "attainment", "achieved_value", "target_value", "user_id", "team_id"
    )
    def _compute_leaderboard(self):
        boards = self._leaderboard_rows()
        previous = self._leaderboard_previous_ranks(boards)
        for target in self:
            row = boards.get(target.id)
            if not row:
                target.team_rank = target.previous_rank = target.rank_change = 0
                target.rank_gap = target.rank_gap_attainment = 0.0
                target.rank_trend = target.rank_change_label = False
                continue
            target.team_rank = row["team_rank"]
            target.rank_gap = row["gap"]
            target.rank_gap_attainment = row["gap_attainment"]
            before = previous.get(
                (
                    target.company_id.id,
                    target.metric_id.id,
                    target.user_id.id,
                    *periods.previous_period(target.date_from, target.date_to),
                    row["dimensions"],
                ),
                0,
            )
            target.previous_rank = before
            if not before or not target.rank:
                target.rank_change = 0
                target.rank_trend = "new"
                target.rank_change_label = self.env._("New")
            else:
                target.rank_change = before - target.rank
                target.rank_trend = (
                    "up"
                    if target.rank_change > 0
                    else "down"
                    if target.rank_change < 0
                    else "same"
                )
                target.rank_change_label = (
                    "▲ %s" % target.rank_change
                    if target.rank_change > 0
                    else "▼ %s" % -target.rank_change
                    if target.rank_change < 0
                    else "="
                )

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------
    def _leaderboard_keys(self):
        return {
            (t.company_id.id, t.metric_id.id, t.date_from, t.date_to)
            for t in self
            if t.id and t.user_id and t.metric_id and t.date_from and t.date_to
        }

    def _leaderboard_rows(self):
        """{target id: {team_rank, gap, gap_attainment, dimensions}} for the
        salesperson targets of ``self``, from the boards they belong to (the
        partition of ``rank``: company, metric, period and dimensions), read
        in one query (stored figures, whoever reads)."""
        keys = self._leaderboard_keys()
        if not keys:
            return {}
        self.flush_model(
            [
                "rank",
                "attainment",
                "achieved_value",
                "target_value",
                "user_id",
                "team_id",
            ]
        )
        companies, metrics, starts, ends = zip(*sorted(keys), strict=True)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT t.id, t.company_id, t.metric_id, t.date_from, t.date_to,
                       t.team_id, t.attainment::float8, t.achieved_value::float8,
                       t.target_value::float8, t.user_id, %s
                  FROM sales_performance_target t
                 WHERE t.user_id IS NOT NULL
                   AND (t.company_id, t.metric_id, t.date_from, t.date_to) IN (
                       SELECT * FROM unnest(%s::int[], %s::int[], %s::date[],
                                            %s::date[]))
                """,
                _dimension_columns(),
                bulk.array_literal(companies),
                bulk.array_literal(metrics),
                bulk.array_literal(starts),
                bulk.array_literal(ends),
            )
        )
        by_board = defaultdict(list)
        by_team = defaultdict(list)
        dims_of = {}
        for row in rows:
            target_id, company, metric, date_from, date_to, team = row[:6]
            dims = tuple(row[10:])
            dims_of[target_id] = dims
            by_board[(company, metric, date_from, date_to, dims)].append(row)
            if team:
                by_team[(company, metric, date_from, date_to, dims, team)].append(row)
        result = {}
        for board in by_board.values():
            for target_id, gap, gap_attainment in _gaps(board):
                result[target_id] = {
                    "gap": gap,
                    "gap_attainment": gap_attainment,
                    "team_rank": 0,
                    "dimensions": dims_of[target_id],
                }
        for team_board in by_team.values():
            for target_id, rank in _ranks(team_board):
                result[target_id]["team_rank"] = rank
        return result

    def _leaderboard_previous_ranks(self, boards):
        """{(company id, metric id, user id, date_from, date_to, dimensions):
        rank} of the previous period's salesperson targets, in one query;
        ``boards``: what ``_leaderboard_rows`` returned."""
        keys = {
            (company, metric, *periods.previous_period(date_from, date_to))
            for company, metric, date_from, date_to in self._leaderboard_keys()
        }
        if not keys or not boards:
            return {}
        self.flush_model(["rank", "user_id"])
        companies, metrics, starts, ends = zip(*sorted(keys), strict=True)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT t.company_id, t.metric_id, t.user_id, t.date_from,
                       t.date_to, t.rank, %s
                  FROM sales_performance_target t
                 WHERE t.user_id IS NOT NULL AND t.rank > 0
                   AND (t.company_id, t.metric_id, t.date_from, t.date_to) IN (
                       SELECT * FROM unnest(%s::int[], %s::int[], %s::date[],
                                            %s::date[]))
                """,
                _dimension_columns(),
                bulk.array_literal(companies),
                bulk.array_literal(metrics),
                bulk.array_literal(starts),
                bulk.array_literal(ends),
            )
        )
        previous = {}
        for row in rows:
            key = (*row[:5], tuple(row[6:]))
            previous[key] = min(previous.get(key, row[5]), row[5])
        return previous


def _dimension_columns():
    """The target's dimension columns (what ``rank`` is partitioned by
    besides company, metric and period), for a SELECT list."""
    return SQL(", ").join(
        SQL.identifier("t", fname) for fname in dimensions.TARGET_FIELDS
    )


def _order_key(row):
    """Best first: attainment, then achievement (the order of ``rank``)."""
    return (-(row[6] or 0.0), -(row[7] or 0.0))


def _ranks(rows):
    """(id, rank) by attainment then achievement, ties sharing their rank
    and the next rank skipping them (SQL ``RANK()``)."""
    ordered = sorted(rows, key=_order_key)
    result = []
    rank = 0
    previous_key = None
    for position, row in enumerate(ordered, start=1):
        key = _order_key(row)
        if key != previous_key:
            rank, previous_key = position, key
        result.append((row[0], rank))
    return result


def _gaps(rows):
    """(id, gap, gap in attainment points) of each row of one board: what it
    still has to achieve to draw level with the attainment of the closest
    salesperson ranked strictly above it (its own target times the
    attainment difference; 0 when level on attainment, as any more passes),
    the achievement difference without a target, 0 for the first ones."""
    ordered = sorted(rows, key=_order_key)
    result = []
    above = None  # the closest row with a strictly better order key
    current_key, current_best = None, None
    for row in ordered:
        key = _order_key(row)
        if key != current_key:
            above, current_key, current_best = current_best, key, row
        if above is None:
            result.append((row[0], 0.0, 0.0))
            continue
        attainment, achieved, target = row[6] or 0.0, row[7] or 0.0, row[8] or 0.0
        points = max((above[6] or 0.0) - attainment, 0.0)
        if target:
            # level on attainment: any more achievement passes (gap 0)
            gap = target * (above[6] or 0.0) / 100.0 - achieved
        else:
            # no target, no attainment: the achievement decides
            gap = (above[7] or 0.0) - achieved
        result.append((row[0], round(max(gap, 0.0), 2), round(points, 2)))
    return result
