"""The Sales Performance dashboard of the Dashboards app: its spreadsheet
parses and every model, field, selection value, pivot, list and menu it
names exists (a renamed field would otherwise break it at run time only)."""

import json
import re

from odoo.tests import tagged

from .common import PERF_MANAGER, SalesPerformanceCommon


@tagged("post_install", "-at_install")
class TestSalesPerformanceDashboard(SalesPerformanceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref(
            "sales_performance.spreadsheet_dashboard_sales_performance"
        )
        cls.data = json.loads(cls.dashboard.spreadsheet_data)

    def _check_path(self, model, path):
        """Walk ``path`` (``a.b.c``, ``date:month``) from ``model``; return
        the last field."""
        field = None
        for name in path.split(":")[0].split("."):
            self.assertIn(name, self.env[model]._fields, f"{model}.{name} ({path})")
            field = self.env[model]._fields[name]
            model = field.comodel_name or model
        return field

    def _check_domain(self, model, domain):
        for leaf in domain:
            if isinstance(leaf, list):
                field = self._check_path(model, leaf[0])
                if field.type == "selection":
                    values = leaf[2] if isinstance(leaf[2], list) else [leaf[2]]
                    keys = [k for k, _label in field._description_selection(self.env)]
                    for value in values:
                        self.assertIn(value, keys, f"{model}.{leaf[0]} = {value}")
        # and the domain runs
        self.env[model].search_count(domain)

    def test_dashboard_record(self):
        self.assertEqual(self.dashboard.name, "Sales Performance")
        self.assertEqual(
            self.dashboard.dashboard_group_id,
            self.env.ref("spreadsheet_dashboard.spreadsheet_dashboard_group_sales"),
        )
        self.assertIn(self.env.ref(PERF_MANAGER), self.dashboard.group_ids)
        self.assertTrue(self.dashboard.is_published)

    def test_data_sources_name_real_models_and_fields(self):
        data = self.data
        filters = {f["id"]: f for f in data["globalFilters"]}
        self.assertEqual(
            {f["label"] for f in filters.values()},
            {"Period", "Sales Team", "Salesperson"},
        )
        for gfilter in filters.values():
            if gfilter["type"] == "relation":
                self.assertIn(gfilter["modelName"], self.env)

        def check_matching(model, matching):
            for filter_id, match in matching.items():
                self.assertIn(filter_id, filters)
                field = self._check_path(model, match["chain"])
                expected = {"date": ("date", "datetime"), "relation": ("many2one",)}
                self.assertIn(field.type, expected[filters[filter_id]["type"]])

        # pivots: attainment by team and month, top salespeople, invoiced, collected
        pivots = data["pivots"]
        self.assertEqual(
            {p["model"] for p in pivots.values()},
            {
                "sales.performance.target",
                "account.move",
                "sales.performance.collection",
            },
        )
        for pivot in pivots.values():
            model = pivot["model"]
            for dim in pivot["rows"] + pivot["columns"]:
                self._check_path(model, dim["fieldName"])
            for measure in pivot["measures"]:
                field = self._check_path(model, measure["fieldName"])
                self.assertIn(field.type, ("float", "monetary", "integer"))
            self._check_domain(model, pivot["domain"])
            check_matching(model, pivot["fieldMatching"])
        # lists: the at-risk targets
        for lst in data["lists"].values():
            for fname in lst["columns"] + [o["name"] for o in lst["orderBy"]]:
                self._check_path(lst["model"], fname)
            self._check_domain(lst["model"], lst["domain"])
            check_matching(lst["model"], lst["fieldMatching"])
        # charts on Odoo data
        figures = [fig for sheet in data["sheets"] for fig in sheet["figures"]]
        odoo_charts = [
            f["data"] for f in figures if f["data"]["type"].startswith("odoo_")
        ]
        self.assertEqual(len(odoo_charts), 3)
        for chart in odoo_charts:
            model = chart["metaData"]["resModel"]
            for group in chart["metaData"]["groupBy"]:
                self._check_path(model, group)
            self._check_path(model, chart["metaData"]["measure"])
            self._check_domain(model, chart["searchParams"]["domain"])
            check_matching(model, chart["fieldMatching"])
        for xmlid in data["chartOdooMenusReferences"].values():
            self.assertTrue(self.env.ref(xmlid))

    def test_formulas_use_existing_pivots_lists_and_measures(self):
        cells = {
            ref: content
            for sheet in self.data["sheets"]
            for ref, content in sheet["cells"].items()
        }
        pivots, lists = self.data["pivots"], self.data["lists"]
        used_pivots = set()
        for content in cells.values():
            for pivot_id, measure in re.findall(
                r'PIVOT\.VALUE\((\d+),\s*"([^"]+)"', content
            ):
                self.assertIn(
                    measure, [m["fieldName"] for m in pivots[pivot_id]["measures"]]
                )
                used_pivots.add(pivot_id)
            for pivot_id in re.findall(r"=PIVOT\((\d+)", content):
                self.assertIn(pivot_id, pivots)
                used_pivots.add(pivot_id)
            for list_id, fname in re.findall(
                r'ODOO\.LIST(?:\.HEADER)?\((\d+),\s*(?:\d+,\s*)?"([^"]+)"', content
            ):
                self.assertIn(fname, lists[list_id]["columns"])
        self.assertEqual(used_pivots, set(pivots), "every pivot is shown")
        # scorecards point at cells that hold a formula
        for sheet in self.data["sheets"]:
            for fig in sheet["figures"]:
                if fig["data"]["type"] == "scorecard":
                    sheet_name, ref = fig["data"]["keyValue"].split("!")
                    self.assertEqual(sheet_name, sheet["name"])
                    self.assertTrue(cells[ref].startswith("="))
