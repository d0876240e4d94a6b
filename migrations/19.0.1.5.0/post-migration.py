"""19.0.1.5.0: planning-grade targets (dimensions, proposals, ramps, Excel),
freshness of the figures, the statements' clawback fingerprint, the demo
organisation and the screens.

The built-in metrics are ``noupdate`` data: an upgrade creates the new line
metrics but leaves the existing ones as they were, without the field path of
each dimension they can now be narrowed by. Each path that is still empty is
filled from the addon's metric data file, so that installed databases can
narrow their targets like a fresh install; a path a user set is kept.
Targets have no dimension before this version: nothing to recompute. New
columns (clawback fingerprint, dimensions, proposals) start empty, which
means "check the whole history once", "whole metric" and "not a proposal".
Idempotent."""

from pathlib import Path

from lxml import etree

from odoo import SUPERUSER_ID, api

DATA = (
    Path(__file__).resolve().parents[2] / "data" / "sales_performance_metric_data.xml"
)
PATHS = (
    "product_category_path",
    "partner_segment_path",
    "country_path",
    "partner_category_path",
    "source_path",
    "medium_path",
)


def builtin_paths(data_file=DATA):
    """``{xml id: {path field: value}}`` of the metric data file."""
    result = {}
    for record in etree.parse(str(data_file)).getroot().iter("record"):
        if record.get("model") != "sales.performance.metric":
            continue
        values = {
            field.get("name"): (field.text or "").strip()
            for field in record.iter("field")
            if field.get("name") in PATHS and (field.text or "").strip()
        }
        if values:
            result[record.get("id")] = values
    return result


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Metric = env["sales.performance.metric"].with_context(active_test=False)
    for xml_id, values in builtin_paths().items():
        metric = env.ref(f"sales_performance.{xml_id}", raise_if_not_found=False)
        if not metric or metric._name != Metric._name:
            continue
        missing = {
            name: value
            for name, value in values.items()
            if name in metric._fields and not metric[name]
        }
        if missing:
            metric.write(missing)
