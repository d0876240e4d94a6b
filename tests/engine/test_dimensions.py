"""Unit tests of engine/dimensions.py (no Odoo needed)."""

import pytest

from engine import dimensions

PATHS = {
    "product_category_id": "product_id.categ_id",
    "partner_category_id": "order_partner_id.commercial_partner_id.category_id",
    "source_id": "order_id.source_id",
}


def test_key_keeps_the_dimensions_set_in_a_fixed_order():
    # the order of DIMENSIONS, whatever the order of the mapping; empty
    # values are no dimension
    values = {"source_id": 4, "country_id": False, "product_category_id": 9}
    assert dimensions.key(values) == (("product_category_id", 9), ("source_id", 4))
    assert dimensions.key({"partner_segment": None}) == ()


def test_unsupported_names_the_missing_paths():
    key = (("product_category_id", 9), ("country_id", 3))
    assert dimensions.unsupported(key, PATHS) == ["country_id"]
    assert dimensions.unsupported((), PATHS) == []


def test_conditions_apply_each_dimension_with_its_operator():
    key = (("product_category_id", 9), ("partner_category_id", 5), ("source_id", 4))
    assert dimensions.conditions(key, PATHS) == [
        ("product_id.categ_id", "child_of", 9),
        ("order_partner_id.commercial_partner_id.category_id", "in", [5]),
        ("order_id.source_id", "=", 4),
    ]


def test_conditions_refuse_a_dimension_without_path():
    with pytest.raises(ValueError):
        dimensions.conditions((("medium_id", 2),), PATHS)


def test_covers_needs_every_parent_dimension_on_the_child():
    parent = (("product_category_id", 9),)
    assert dimensions.covers(parent, (("product_category_id", 9), ("country_id", 3)))
    assert not dimensions.covers(parent, ())
    assert not dimensions.covers(parent, (("product_category_id", 8),))
    # 8 is a child category of 9
    assert dimensions.covers(
        parent,
        (("product_category_id", 8),),
        lambda child, parent_: (child, parent_) == (8, 9),
    )
    assert dimensions.covers((), (("source_id", 1),))
