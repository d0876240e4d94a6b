"""Dimensions a target narrows its metric by (product category, customer
segment, country, customer tag, UTM source and medium).

A metric declares, for each dimension it supports, the path of the field on
its source records (e.g. ``product_id.categ_id`` on order lines); a target
sets a value for some dimensions. What is computed together shares a *key*:
the dimensions set on the target with their values, in a fixed order, so
that the recompute runs one query per metric, period group and distinct
key, never one per target.
"""

from typing import NamedTuple


class Dimension(NamedTuple):
    """A dimension: the target's field, the metric's path field, the model
    the path must end on (None for the segment selection) and the domain
    operator that applies a target's value."""

    field: str
    path_field: str
    comodel: str | None
    operator: str


DIMENSIONS = (
    Dimension(
        "product_category_id", "product_category_path", "product.category", "child_of"
    ),
    Dimension("partner_segment", "partner_segment_path", None, "="),
    Dimension("country_id", "country_path", "res.country", "="),
    Dimension(
        "partner_category_id", "partner_category_path", "res.partner.category", "in"
    ),
    Dimension("source_id", "source_path", "utm.source", "="),
    Dimension("medium_id", "medium_path", "utm.medium", "="),
)
TARGET_FIELDS = tuple(d.field for d in DIMENSIONS)
PATH_FIELDS = tuple(d.path_field for d in DIMENSIONS)
BY_FIELD = {d.field: d for d in DIMENSIONS}


def key(values):
    """The key of ``values`` (``{target field: value}``, a value being an id,
    a selection value, or empty): ``((field, value), ...)`` of the dimensions
    set, in the order of :data:`DIMENSIONS`; ``()`` without any."""
    return tuple(
        (dim.field, values[dim.field]) for dim in DIMENSIONS if values.get(dim.field)
    )


def unsupported(dimension_key, paths):
    """The target fields of ``dimension_key`` that have no path in ``paths``
    (``{target field: path}`` of a metric)."""
    return [field for field, _value in dimension_key if not paths.get(field)]


def conditions(dimension_key, paths):
    """Domain conditions ``(path, operator, value)`` applying
    ``dimension_key`` to a metric's records (``paths``: ``{target field:
    path}``). A customer tag is matched among the tags of the record's
    customer (``in``); a product category includes its child categories
    (``child_of``)."""
    missing = unsupported(dimension_key, paths)
    if missing:
        raise ValueError(f"no path for the dimensions {missing}")
    result = []
    for field, value in dimension_key:
        dim = BY_FIELD[field]
        result.append(
            (paths[field], dim.operator, [value] if dim.operator == "in" else value)
        )
    return result


def covers(parent_key, child_key, is_within=None):
    """True when a sub-target keyed ``child_key`` counts within its parent
    keyed ``parent_key``: every dimension of the parent is set on the child
    to the same value (for a product category: the same or, when
    ``is_within(child_value, parent_value)`` says so, a child category). The
    child may narrow further by other dimensions."""
    child = dict(child_key)
    for field, value in parent_key:
        if field not in child:
            return False
        if child[field] == value:
            continue
        if (
            field == "product_category_id"
            and is_within
            and is_within(child[field], value)
        ):
            continue
        return False
    return True
