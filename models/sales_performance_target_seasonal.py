"""Seasonal month breakdowns of a target (issue #16).

The allocation wizard's ``seasonal`` method splits a yearly or quarterly target
into monthly sub-targets of the same assignee. A month of such a breakdown
lies inside its parent's period: the overlap rule (one target per assignee,
metric and period) does not count the parent against its own months, and
``is_month_breakdown`` lets sums over an assignee's targets skip one of the
two levels.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..engine import dimensions
from . import period_overlap

OVERLAP_FIELDS = {
    "user_id",
    "team_id",
    "company_id",
    "metric_id",
    "date_from",
    "date_to",
    "parent_id",
}


def _overlap_constrains(model):
    """The fields of every ``_check_overlap`` of the model's classes (other
    modules may add dimensions), plus the parent."""
    names = set(OVERLAP_FIELDS)
    for cls in type(model).mro():
        method = cls.__dict__.get("_check_overlap")
        fnames = getattr(method, "_constrains", None)
        if fnames and not callable(fnames):
            names.update(fnames)
    return [name for name in names if name in model._fields]


class SalesPerformanceTarget(models.Model):
    _inherit = "sales.performance.target"

    @api.model
    def _summable_domain(self, date_from, date_to):
        """The targets that add up over ``[date_from, date_to]`` without
        counting anything twice: on the whole metric (a target narrowed by a
        dimension is part of another), agreed (not a proposal, nor refused),
        and a month of a seasonal split only when its parent target is not
        itself inside the range."""
        whole = Domain.AND(
            [Domain(name, "=", False) for name in dimensions.TARGET_FIELDS]
        )
        agreed = Domain("state", "not in", ["proposed", "refused"])
        months = (
            Domain("is_month_breakdown", "=", False)
            | Domain("parent_id.date_from", "<", date_from)
            | Domain("parent_id.date_to", ">", date_to)
        )
        return whole & agreed & months

    is_month_breakdown = fields.Boolean(
        string="Month of a Seasonal Split",
        compute="_compute_is_month_breakdown",
        store=True,
        help="A month of its parent target, for the same assignee (the seasonal "
        "split of a yearly or quarterly target).",
    )

    @api.depends(
        "parent_id",
        "parent_id.user_id",
        "parent_id.team_id",
        "parent_id.date_from",
        "parent_id.date_to",
        "user_id",
        "team_id",
        "date_from",
        "date_to",
    )
    def _compute_is_month_breakdown(self):
        for target in self:
            parent = target.parent_id
            target.is_month_breakdown = bool(
                parent
                and parent.user_id == target.user_id
                and (target.user_id or parent.team_id == target.team_id)
                and target.date_from
                and parent.date_from
                and parent.date_from <= target.date_from
                and target.date_to <= parent.date_to
                and (parent.date_from, parent.date_to)
                != (target.date_from, target.date_to)
            )

    @api.constrains(_overlap_constrains)
    def _check_overlap(self):
        """The months of a seasonal split are checked against every target but
        their parent; the others as before."""
        self.flush_model(["parent_id", "is_month_breakdown"])
        months = self.filtered("is_month_breakdown")
        super(SalesPerformanceTarget, self - months)._check_overlap()
        if not months:
            return
        same = [
            SQL(
                """o.metric_id = t.metric_id AND o.company_id = t.company_id
                   AND o.id IS DISTINCT FROM t.parent_id
                   AND ((t.user_id IS NOT NULL AND o.user_id = t.user_id)
                        OR (t.user_id IS NULL AND o.user_id IS NULL
                            AND o.team_id IS NOT DISTINCT FROM t.team_id))"""
            )
        ]
        for fname in dimensions.TARGET_FIELDS:
            field = self._fields.get(fname)
            if field and field.store and field.column_type:
                same.append(
                    SQL(
                        "o.%s IS NOT DISTINCT FROM t.%s",
                        SQL.identifier(fname),
                        SQL.identifier(fname),
                    )
                )
        pair = period_overlap.first_overlap(months, SQL(" AND ").join(same))
        if pair:
            target, other = pair
            raise ValidationError(
                self.env._(
                    "%(name)s overlaps %(other)s: an assignee has one target per "
                    "metric and period.",
                    name=target.sudo().name,
                    other=other.sudo().name,
                )
            )
