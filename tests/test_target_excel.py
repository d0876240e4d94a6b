"""Excel export and import of targets (issue #16): the exported cells read back
with openpyxl, an import that changes, leaves alone and creates, the dry
run, bad rows that save nothing (named by row and column), locked targets
and the rights of salespeople and team leaders. Values by hand."""

import base64
import io
from datetime import date
from unittest.mock import patch

import openpyxl
from openpyxl.utils import get_column_letter

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.sales_performance.engine import target_sheet

from .common import TargetCommon

JAN = (date(2026, 1, 1), date(2026, 1, 31))
FEB = (date(2026, 2, 1), date(2026, 2, 28))
MAR = (date(2026, 3, 1), date(2026, 3, 31))
APR = (date(2026, 4, 1), date(2026, 4, 30))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))


@tagged("post_install", "-at_install")
class TestTargetExcel(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        metric = cls.metric_won_revenue
        team = cls.team_1
        cls.alice_jan = cls._target(
            metric, *JAN, user_id=cls.user_alice.id, team_id=team.id, target_value=100
        )
        cls.alice_feb = cls._target(
            metric, *FEB, user_id=cls.user_alice.id, team_id=team.id, target_value=200
        )
        cls.alice_mar = cls._target(
            metric, *MAR, user_id=cls.user_alice.id, team_id=team.id, target_value=300
        )
        cls.alice_mar.state = "active"
        cls.bob_jan = cls._target(
            metric, *JAN, user_id=cls.user_bob.id, team_id=team.id, target_value=50
        )
        # a quarter is not a monthly target: not a cell of the sheet
        cls.bob_q2 = cls._target(
            metric, *Q2, user_id=cls.user_bob.id, team_id=team.id, target_value=900
        )
        cls.dave_jan = cls._target(
            metric,
            *JAN,
            user_id=cls.user_dave.id,
            team_id=cls.team_2.id,
            target_value=40,
        )
        cls.team_feb = cls._target(metric, *FEB, team_id=team.id, target_value=1000)
        cls.company_apr = cls._target(metric, *APR, target_value=5000)
        # another metric, another year: not in the export of won revenue 2026
        cls._target(
            cls.metric_won_count, *JAN, user_id=cls.user_alice.id, target_value=3
        )
        cls._target(
            metric,
            date(2025, 1, 1),
            date(2025, 1, 31),
            user_id=cls.user_alice.id,
            target_value=77,
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _export(self, user=None, **vals):
        Export = self.env["sales.performance.target.export"]
        if user:
            Export = Export.with_user(user)
        wizard = Export.create(
            {
                "year": 2026,
                "company_id": self.company_a.id,
                "metric_ids": [(6, 0, self.metric_won_revenue.ids)],
                **vals,
            }
        )
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn("id=%s" % wizard.id, action["url"])
        self.assertTrue(wizard.file_name.endswith(".xlsx"))
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))

    @staticmethod
    def _columns(sheet):
        """{column key (row 6): 1-based column}"""
        return {
            cell.value: cell.column
            for cell in sheet[target_sheet.ROW_KEYS]
            if cell.value
        }

    def _row(self, sheet, salesperson=None, team=None):
        """The 1-based row of a salesperson (login) or of a team (no login)."""
        columns = self._columns(sheet)
        for row in range(target_sheet.FIRST_DATA_ROW, sheet.max_row + 1):
            login = sheet.cell(row, columns["salesperson"]).value
            team_name = sheet.cell(row, columns["team"]).value
            if salesperson and login == salesperson:
                return row
            if not salesperson and not login and team_name == team:
                return row
        self.fail("no row for %s / %s" % (salesperson, team))

    def _set(self, sheet, month_or_key, value, salesperson=None, team=None):
        columns = self._columns(sheet)
        key = (
            month_or_key
            if isinstance(month_or_key, str)
            else "2026-%02d" % month_or_key
        )
        sheet.cell(self._row(sheet, salesperson, team), columns[key]).value = value

    def _wizard(self, workbook, user=None, **context):
        output = io.BytesIO()
        workbook.save(output)
        Import = self.env["sales.performance.target.import"].with_context(**context)
        if user:
            Import = Import.with_user(user)
        return Import.create(
            {"file": base64.b64encode(output.getvalue()), "file_name": "plan.xlsx"}
        )

    def _targets(self):
        return self.Target.search([("company_id", "=", self.company_a.id)])

    # ------------------------------------------------------------------
    # Export
    # ------------------------------------------------------------------
    def test_export_cells_read_back(self):
        workbook = self._export(self.user_manager)
        self.assertEqual(len(workbook.worksheets), 1)
        sheet = workbook.worksheets[0]
        self.assertEqual(sheet["B1"].value, self.metric_won_revenue.name)
        self.assertEqual(sheet["D1"].value, self.metric_won_revenue.id)
        self.assertEqual(sheet["B2"].value, 2026)
        self.assertEqual(sheet["B3"].value, "SP Test Company A")
        self.assertEqual(sheet["D3"].value, self.company_a.id)
        self.assertTrue(sheet.row_dimensions[target_sheet.ROW_KEYS].hidden)
        columns = self._columns(sheet)
        months = ["2026-%02d" % m for m in range(1, 13)]
        self.assertEqual([k for k in columns if k.startswith("2026-")], months)
        self.assertEqual(
            list(columns)[:2] + list(columns)[-1:], ["salesperson", "team", "reason"]
        )
        # dimension columns: exactly those the target model has
        dims = [
            name
            for name in (
                "product_category_id",
                "partner_segment",
                "country_id",
                "partner_category_id",
                "source_id",
                "medium_id",
            )
            if name in self.Target._fields
        ]
        self.assertEqual(list(columns)[2:-13], dims)

        def cells(row):
            return [sheet.cell(row, columns[m]).value for m in months]

        empty = [None] * 12
        # the company first, then the teams, then the salespeople
        self.assertEqual(self._row(sheet), target_sheet.FIRST_DATA_ROW)
        self.assertEqual(cells(self._row(sheet)), [None] * 3 + [5000] + [None] * 8)
        team_row = self._row(sheet, team="SP Team One")
        self.assertEqual(cells(team_row), [None, 1000] + [None] * 10)
        self.assertEqual(cells(self._row(sheet, team="SP Team Two")), empty)
        alice = self._row(sheet, "sp_alice")
        self.assertEqual(cells(alice), [100, 200, 300] + [None] * 9)
        self.assertEqual(sheet.cell(alice, columns["team"]).value, "SP Team One")
        # Bob's quarter is not a month: his row shows January only
        self.assertEqual(cells(self._row(sheet, "sp_bob")), [50] + [None] * 11)
        dave = self._row(sheet, "sp_dave")
        self.assertEqual(cells(dave), [40] + [None] * 11)
        self.assertEqual(sheet.cell(dave, columns["team"]).value, "SP Team Two")
        # Carol has no target: an empty row to plan hers
        carol = self._row(sheet, "sp_carol")
        self.assertEqual(cells(carol), empty)
        self.assertGreater(alice, team_row)
        # Erin works for company B: not in company A's sheet
        logins = [
            sheet.cell(row, columns["salesperson"]).value
            for row in range(target_sheet.FIRST_DATA_ROW, sheet.max_row + 1)
        ]
        self.assertNotIn("sp_erin_b", logins)
        self.assertEqual(logins.count("sp_alice"), 1)

    def test_export_without_blank_rows_and_as_a_salesperson(self):
        sheet = self._export(self.user_manager, include_blank_rows=False).worksheets[0]
        logins = {
            sheet.cell(row, 1).value
            for row in range(target_sheet.FIRST_DATA_ROW, sheet.max_row + 1)
        }
        self.assertEqual(logins, {None, "sp_alice", "sp_bob", "sp_dave"})
        # Alice reads her own targets, her team's and the company's, never Bob's
        sheet = self._export(self.user_alice).worksheets[0]
        logins = [
            sheet.cell(row, 1).value
            for row in range(target_sheet.FIRST_DATA_ROW, sheet.max_row + 1)
        ]
        self.assertEqual([x for x in logins if x], ["sp_alice"])

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------
    def test_import_changes_two_leaves_an_empty_cell_and_creates_one(self):
        workbook = self._export(self.user_manager)
        sheet = workbook.worksheets[0]
        self._set(sheet, 1, 150, "sp_alice")
        self._set(sheet, 1, "80.5", "sp_bob")  # text that reads as a number
        self._set(sheet, 2, None, "sp_alice")  # emptied: 200 stays
        self._set(sheet, 3, 70, "sp_carol")
        before = len(self._targets())
        wizard = self._wizard(workbook, self.user_manager)
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(
            (wizard.created_count, wizard.changed_count, wizard.problem_count),
            (1, 2, 0),
        )
        self.assertEqual(self.alice_jan.target_value, 150.0)
        self.assertEqual(self.bob_jan.target_value, 80.5)
        self.assertEqual(self.alice_feb.target_value, 200.0)
        self.assertEqual(self.alice_mar.target_value, 300.0)
        self.assertEqual(self.bob_q2.target_value, 900.0)
        self.assertEqual(len(self._targets()), before + 1)
        carol = self.Target.search([("user_id", "=", self.user_carol.id)])
        self.assertEqual(len(carol), 1)
        self.assertRecordValues(
            carol,
            [
                {
                    "metric_id": self.metric_won_revenue.id,
                    "company_id": self.company_a.id,
                    "team_id": self.team_1.id,
                    "date_from": MAR[0],
                    "date_to": MAR[1],
                    "target_value": 70.0,
                    "state": "draft",
                }
            ],
        )

    def test_creations_are_one_create_call(self):
        workbook = self._export(self.user_manager)
        sheet = workbook.worksheets[0]
        for month in (5, 6, 7):
            self._set(sheet, month, 10 * month, "sp_carol")
        self._set(sheet, 5, 1, team="SP Team Two")
        wizard = self._wizard(workbook, self.user_manager)
        Target = type(self.Target)
        original = Target.create
        calls = []

        def counting_create(records, vals_list):
            calls.append(len(vals_list))
            return original(records, vals_list)

        with patch.object(Target, "create", counting_create):
            wizard.action_import()
        self.assertEqual(calls, [4])
        carol = self.Target.search([("user_id", "=", self.user_carol.id)])
        self.assertEqual(sorted(carol.mapped("target_value")), [50.0, 60.0, 70.0])
        team_2 = self.Target.search(
            [("team_id", "=", self.team_2.id), ("user_id", "=", False)]
        )
        self.assertEqual(team_2.target_value, 1.0)

    def test_dry_run_saves_nothing(self):
        workbook = self._export(self.user_manager)
        sheet = workbook.worksheets[0]
        self._set(sheet, 1, 150, "sp_alice")
        self._set(sheet, 3, 70, "sp_carol")
        before = self._targets()
        wizard = self._wizard(workbook, self.user_manager)
        wizard.action_check()
        self.assertEqual(wizard.state, "checked")
        self.assertEqual((wizard.created_count, wizard.changed_count), (1, 1))
        self.assertEqual(wizard.problem_count, 0)
        html = str(wizard.result_html)
        self.assertIn("100.00", html)
        self.assertIn("150.00", html)
        self.assertIn("2026-03", html)
        self.assertIn("SP Carol", html)
        self.assertEqual(self.alice_jan.target_value, 100.0)
        self.assertEqual(self._targets(), before)

    def test_bad_rows_save_nothing_and_are_named(self):
        workbook = self._export(self.user_manager)
        sheet = workbook.worksheets[0]
        columns = self._columns(sheet)
        letter = {key: get_column_letter(c) for key, c in columns.items()}
        alice, bob = self._row(sheet, "sp_alice"), self._row(sheet, "sp_bob")
        carol, dave = self._row(sheet, "sp_carol"), self._row(sheet, "sp_dave")
        self._set(sheet, 1, 999, "sp_carol")  # good, yet never saved
        self._set(sheet, 1, "lots", "sp_alice")
        self._set(sheet, 1, -5, "sp_bob")
        self._set(sheet, 1, "inf", "sp_dave")
        sheet.cell(dave, columns["2026-02"]).value = "nan"
        last = sheet.max_row + 1
        sheet.cell(last, columns["salesperson"]).value = "sp_nobody"
        sheet.cell(last, columns["2026-01"]).value = 10
        sheet.cell(last + 1, columns["team"]).value = "SP No Such Team"
        sheet.cell(last + 1, columns["2026-01"]).value = 10
        sheet.cell(last + 2, columns["salesperson"]).value = "sp_carol"  # twice
        sheet.cell(last + 2, columns["2026-06"]).value = 10
        # December replaced by a month of the next year
        sheet.cell(target_sheet.ROW_KEYS, columns["2026-12"]).value = "2027-01"
        wizard = self._wizard(workbook, self.user_manager)
        wizard.action_check()
        expected = [
            "row 6, column %s" % letter["2026-12"],
            "row %s, column %s" % (alice, letter["2026-01"]),
            "row %s, column %s" % (bob, letter["2026-01"]),
            "row %s, column %s" % (dave, letter["2026-01"]),
            "row %s, column %s" % (dave, letter["2026-02"]),
            "row %s, column %s" % (last, letter["salesperson"]),
            "row %s, column %s" % (last + 1, letter["team"]),
            "row %s, column %s" % (last + 2, letter["salesperson"]),
        ]
        self.assertEqual(wizard.problem_count, len(expected))
        html = str(wizard.result_html)
        for place in expected:
            self.assertIn(place, html)
        self.assertIn("lots is not a number", html)
        self.assertIn("-5 is negative", html)
        self.assertIn("inf is not a finite number", html)
        self.assertIn("2027-01 is outside the year 2026", html)
        self.assertIn("Unknown salesperson sp_nobody", html)
        self.assertIn("Unknown sales team SP No Such Team", html)
        self.assertIn("already has row %s" % carol, html)
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        message = str(caught.exception)
        self.assertIn("Nothing was imported", message)
        for place in expected:
            self.assertIn(place, message)
        self.assertEqual(self.alice_jan.target_value, 100.0)
        self.assertEqual(self.bob_jan.target_value, 50.0)
        self.assertFalse(self.Target.search([("user_id", "=", self.user_carol.id)]))

    def test_wrong_metric_company_and_not_xlsx(self):
        workbook = self._export(self.user_manager)
        sheet = workbook.worksheets[0]
        sheet["D1"] = self.metric_won_count.id  # the name says Won Revenue
        sheet["D3"] = self.company_b.id  # not a company of the manager
        self._set(sheet, 1, 150, "sp_alice")
        with self.assertRaises(UserError) as caught:
            self._wizard(workbook, self.user_manager).action_import()
        message = str(caught.exception)
        self.assertIn("row 1, column B", message)
        self.assertIn("wrong metric", message)
        self.assertIn("row 3, column D", message)
        self.assertEqual(self.alice_jan.target_value, 100.0)

        Import = self.env["sales.performance.target.import"].with_user(
            self.user_manager
        )
        not_xlsx = Import.create(
            {"file": base64.b64encode(b"salesperson;2026-01\n"), "file_name": "a.csv"}
        )
        with self.assertRaisesRegex(UserError, "not an Excel workbook"):
            not_xlsx.action_check()
        renamed = Import.create(
            {"file": base64.b64encode(b"PK not a zip"), "file_name": "a.xlsx"}
        )
        with self.assertRaisesRegex(UserError, "not an Excel workbook"):
            renamed.action_check()
        big = self._wizard(self._export(self.user_manager), self.user_manager)
        with (
            patch.object(target_sheet, "MAX_FILE_BYTES", 1024),
            self.assertRaisesRegex(UserError, "too big"),
        ):
            big.action_check()

    def test_locked_target_needs_a_reason_and_is_revised(self):
        workbook = self._export(self.user_manager)
        sheet = workbook.worksheets[0]
        self._set(sheet, 3, 350, "sp_alice")
        alice = self._row(sheet, "sp_alice")
        column = get_column_letter(self._columns(sheet)["2026-03"])
        with self.assertRaises(UserError) as caught:
            self._wizard(workbook, self.user_manager).action_import()
        self.assertIn("row %s, column %s" % (alice, column), str(caught.exception))
        self.assertIn("needs a reason", str(caught.exception))
        self.assertEqual(self.alice_mar.target_value, 300.0)

        self._set(sheet, "reason", "Key account <b>won</b>", "sp_alice")
        wizard = self._wizard(
            workbook, self.user_manager, tracking_disable=False, mail_notrack=False
        )
        wizard.action_check()
        self.assertIn("Key account &lt;b&gt;won&lt;/b&gt;", str(wizard.result_html))
        wizard.action_import()
        self.env.flush_all()
        self.cr.flush()  # the tracking values
        self.assertEqual(self.alice_mar.target_value, 350.0)
        self.assertEqual(self.alice_mar.state, "active")
        messages = self.alice_mar.message_ids
        revised = messages.filtered(lambda m: "Key account" in str(m.body))
        self.assertEqual(len(revised), 1)
        self.assertIn("from 300.0 to 350.0", str(revised.body))
        self.assertIn("&lt;b&gt;won", str(revised.body))  # escaped, not markup
        tracked = messages.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "target_value"
        )
        self.assertEqual(
            (tracked.old_value_float, tracked.new_value_float), (300.0, 350.0)
        )

    def test_closed_target_never_changes(self):
        self.alice_mar.state = "closed"
        workbook = self._export(self.user_manager)
        sheet = workbook.worksheets[0]
        self._set(sheet, 3, 350, "sp_alice")
        self._set(sheet, "reason", "Too late", "sp_alice")
        with self.assertRaisesRegex(UserError, "is closed"):
            self._wizard(workbook, self.user_manager).action_import()
        self.assertEqual(self.alice_mar.target_value, 300.0)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    def test_salesperson_cannot_import_over_others_targets(self):
        workbook = self._export(self.user_manager)
        sheet = workbook.worksheets[0]
        self._set(sheet, 1, 999, "sp_bob")
        bob = self._row(sheet, "sp_bob")
        with self.assertRaises(UserError) as caught:
            self._wizard(workbook, self.user_alice).action_import()
        self.assertIn("row %s, column A" % bob, str(caught.exception))
        self.assertIn("You may not set the targets of SP Bob", str(caught.exception))
        self.assertEqual(self.bob_jan.target_value, 50.0)
        # nor her own: her leader sets them
        self._set(sheet, 1, 50, "sp_bob")
        self._set(sheet, 1, 1, "sp_alice")
        with self.assertRaisesRegex(
            UserError, "You may not set the targets of SP Alice"
        ):
            self._wizard(workbook, self.user_alice).action_import()
        self.assertEqual(self.alice_jan.target_value, 100.0)

    def test_team_leader_imports_for_their_members_only(self):
        workbook = self._export(self.user_manager)
        sheet = workbook.worksheets[0]
        self._set(sheet, 1, 120, "sp_bob")
        self._set(sheet, 4, 30, "sp_carol")
        self._wizard(workbook, self.user_leader).action_import()
        self.assertEqual(self.bob_jan.target_value, 120.0)
        carol = self.Target.search([("user_id", "=", self.user_carol.id)])
        self.assertEqual((carol.target_value, carol.date_from), (30.0, APR[0]))
        # Dave is in the other team, and the team's own target is the manager's
        self._set(sheet, 1, 41, "sp_dave")
        self._set(sheet, 2, 1001, team="SP Team One")
        with self.assertRaises(UserError) as caught:
            self._wizard(workbook, self.user_leader).action_import()
        message = str(caught.exception)
        self.assertIn("You may not set the targets of SP Dave", message)
        self.assertIn("You may not set the targets of SP Team One", message)
        self.assertEqual(self.dave_jan.target_value, 40.0)
        self.assertEqual(self.team_feb.target_value, 1000.0)

    def test_dimension_columns_create_narrowed_targets(self):
        """The sheet carries the dimension fields of the target model: a row
        per salesperson and dimension; a dimension the metric cannot apply
        is a problem of its cell."""
        if "country_id" not in self.Target._fields:
            self.fail("the target dimensions (#16) are not installed")
        # won revenue (opportunities): by country and segment, no product
        self.metric_won_revenue.write(
            {
                "country_path": "country_id",
                "partner_segment_path": (
                    "partner_id.commercial_partner_id.sales_performance_segment"
                ),
                "product_category_path": False,
            }
        )
        belgium = self.env.ref("base.be")
        category = self.env["product.category"].create({"name": "SP Excel Cat"})
        self.alice_jan.country_id = belgium
        workbook = self._export(self.user_manager, include_blank_rows=False)
        sheet = workbook.worksheets[0]
        columns = self._columns(sheet)
        rows = [
            row
            for row in range(target_sheet.FIRST_DATA_ROW, sheet.max_row + 1)
            if sheet.cell(row, columns["salesperson"]).value == "sp_alice"
        ]
        # one row for Belgium (January), one without dimension (Feb, Mar)
        by_country = {sheet.cell(r, columns["country_id"]).value: r for r in rows}
        self.assertEqual(set(by_country), {belgium.name, None})
        jan = columns["2026-01"]
        self.assertEqual(sheet.cell(by_country[belgium.name], jan).value, 100)
        self.assertIsNone(sheet.cell(by_country[None], jan).value)
        # a new row: Alice in Belgium for the segment A in May
        new = sheet.max_row + 1
        sheet.cell(new, columns["salesperson"]).value = "sp_alice"
        sheet.cell(new, columns["country_id"]).value = belgium.name
        sheet.cell(new, columns["partner_segment"]).value = "A"
        sheet.cell(new, columns["2026-05"]).value = 55
        # ... and no product category
        sheet.cell(new + 1, columns["salesperson"]).value = "sp_bob"
        sheet.cell(new + 1, columns["product_category_id"]).value = category.name
        sheet.cell(new + 1, columns["2026-05"]).value = 5
        wizard = self._wizard(workbook, self.user_manager)
        wizard.action_check()
        column = get_column_letter(columns["product_category_id"])
        self.assertEqual(wizard.problem_count, 1)
        self.assertIn("row %s, column %s" % (new + 1, column), str(wizard.result_html))
        self.assertIn("cannot be narrowed by", str(wizard.result_html))
        for column_index in columns.values():
            sheet.cell(new + 1, column_index).value = None
        self._wizard(workbook, self.user_manager).action_import()
        created = self.Target.search(
            [("user_id", "=", self.user_alice.id), ("date_from", "=", date(2026, 5, 1))]
        )
        self.assertRecordValues(
            created,
            [{"country_id": belgium.id, "partner_segment": "a", "target_value": 55}],
        )
        self.assertFalse(
            self.Target.search([("product_category_id", "=", category.id)])
        )
