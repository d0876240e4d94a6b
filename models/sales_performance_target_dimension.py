from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import dimensions
from .res_partner import SEGMENT_SELECTION


class SalesPerformanceTarget(models.Model):
    """Targets narrowed by product category, customer segment, country,
    customer tag and channel (UTM source and medium); see
    ``engine.dimensions``. The recompute, overlap rule and ranks of
    ``sales_performance_target.py`` take the dimensions into account."""

    _inherit = "sales.performance.target"

    product_category_id = fields.Many2one(
        "product.category",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        help="Only what is sold in this product category and its child "
        "categories counts.",
    )
    partner_segment = fields.Selection(
        SEGMENT_SELECTION,
        string="Customer Segment",
        tracking=True,
        help="Only what is sold to customers of this ABC segment counts.",
    )
    country_id = fields.Many2one(
        "res.country",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        help="Only what is sold to customers of this country counts.",
    )
    partner_category_id = fields.Many2one(
        "res.partner.category",
        string="Customer Tag",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        help="Only what is sold to customers with this tag counts.",
    )
    source_id = fields.Many2one(
        "utm.source",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        help="Only what comes through this UTM source (channel) counts.",
    )
    medium_id = fields.Many2one(
        "utm.medium",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        help="Only what comes through this UTM medium (channel) counts.",
    )
    has_dimension = fields.Boolean(
        string="Narrowed by Dimension",
        compute="_compute_has_dimension",
        search="_search_has_dimension",
    )
    metric_dimensions = fields.Char(
        related="metric_id.supported_dimensions", string="Metric Dimensions"
    )

    @api.depends(*dimensions.TARGET_FIELDS)
    def _compute_has_dimension(self):
        for target in self:
            target.has_dimension = bool(target._dimension_key())

    def _search_has_dimension(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        domain = [
            "|",
            "|",
            "|",
            "|",
            "|",
            *((fname, "!=", False) for fname in dimensions.TARGET_FIELDS),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    def _dimension_key(self):
        """The ``engine.dimensions`` key of this target (``()`` without
        dimension)."""
        self.ensure_one()
        return dimensions.key(
            {
                fname: (
                    self[fname].id
                    if isinstance(self[fname], models.BaseModel)
                    else self[fname]
                )
                for fname in dimensions.TARGET_FIELDS
            }
        )

    def _dimension_vals(self):
        """The dimension fields of this target as values for a create/write
        (the sub-targets of an allocation keep them)."""
        self.ensure_one()
        return {
            fname: (
                self[fname].id
                if isinstance(self[fname], models.BaseModel)
                else self[fname]
            )
            for fname in dimensions.TARGET_FIELDS
        }

    def _dimension_names(self):
        """The dimensions of this target as short labels (for its name)."""
        self.ensure_one()
        labels = []
        segments = dict(
            self._fields["partner_segment"]._description_selection(self.env)
        )
        for fname in dimensions.TARGET_FIELDS:
            value = self[fname]
            if not value:
                continue
            if fname == "partner_segment":
                labels.append(
                    self.env._(
                        "Segment %(segment)s", segment=segments.get(value, value)
                    )
                )
            else:
                labels.append(value.display_name)
        return labels

    @api.constrains("metric_id", "parent_id", *dimensions.TARGET_FIELDS)
    def _check_dimensions(self):
        """A target narrows its metric only by dimensions the metric supports,
        and a sub-target counts within its parent's dimensions."""
        for target in self:
            key = target._dimension_key()
            if key and target.metric_id:
                target.metric_id.sudo()._check_dimension_key(
                    key, name=target.sudo().name
                )
            parent = target.parent_id
            if parent and not dimensions.covers(
                parent._dimension_key(),
                key,
                lambda child, ancestor: bool(
                    self.env["product.category"]
                    .sudo()
                    .search_count(
                        [("id", "=", child), ("id", "child_of", ancestor)], limit=1
                    )
                ),
            ):
                raise ValidationError(
                    self.env._(
                        "The sub-target %(name)s must keep the dimensions of its "
                        "parent %(parent)s (%(dimensions)s).",
                        name=target.sudo().name,
                        parent=parent.sudo().name,
                        dimensions=", ".join(parent._dimension_names()),
                    )
                )
