"""Customer segments (客户分级): ABC by invoiced revenue over the trailing 12
months, per company of the invoices. Expected segments computed by hand in the
comments (engine/segments.py has the rule)."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PERF_MANAGER, SALESMAN, TargetCommon

TODAY = date(2026, 6, 30)  # the window: 1 July 2025 .. 30 June 2026


@tagged("post_install", "-at_install")
class TestCustomerSegment(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company_a, install_demo=False
        )
        cls.tax_15 = cls.env["account.tax"].create(
            {
                "name": "SP Segment 15 %",
                "amount": 15.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company_a.id,
            }
        )
        Partner = cls.env["res.partner"]

        def customer(name):
            return Partner.create({"name": name, "is_company": True})

        cls.p1 = customer("SP Seg Big")
        cls.p2 = customer("SP Seg Exactly 80")
        cls.p2_contact = Partner.create(
            {"name": "SP Seg Buyer of 80", "parent_id": cls.p2.id}
        )
        cls.p3 = customer("SP Seg Exactly 95")
        cls.p4 = customer("SP Seg Small")
        cls.p5 = customer("SP Seg Draft Only")
        cls.p6 = customer("SP Seg Credited")
        cls.p7 = customer("SP Seg Lapsed")
        cls.p8 = customer("SP Seg Supplier")

        # Company A, from 1 July 2025 to 30 June 2026 (untaxed, USD):
        #   P1 500
        #   P2 350 - 50 credit note (to its contact) = 300
        #   P3 150 (+ 15 % tax, not counted)
        #   P4 30 on 1 July 2025 (first day) + 20 on 30 June 2026 (today) = 50
        #   total 1,000: P1 50 % (A), P2 cumulative 80 % exactly (A),
        #   P3 before 80 % (B), cumulative 95 % exactly (B), P4 before 95 % (C)
        # Not counted: P4 10,000 on 30 June 2025 (one day before the window),
        # P5 a draft of 1,000, P6 100 fully credited (net 0), P7 500 in 2024,
        # P8 a vendor bill of 900.
        cls._invoice(cls.p1, 500.0, "2026-03-10")
        cls._invoice(cls.p2, 350.0, "2025-12-01")
        cls._invoice(cls.p2_contact, 50.0, "2026-02-01", move_type="out_refund")
        cls._invoice(cls.p3, 150.0, "2026-05-05", taxes=cls.tax_15)
        cls._invoice(cls.p4, 30.0, "2025-07-01")
        cls._invoice(cls.p4, 20.0, "2026-06-30")
        cls._invoice(cls.p4, 10000.0, "2025-06-30")
        cls._invoice(cls.p5, 1000.0, "2026-04-01", post=False)
        cls._invoice(cls.p6, 100.0, "2026-01-15")
        cls._invoice(cls.p6, 100.0, "2026-01-20", move_type="out_refund")
        cls._invoice(cls.p7, 500.0, "2024-11-11")
        cls._invoice(cls.p8, 900.0, "2026-04-04", move_type="in_invoice")
        # P7 was A in an earlier run: it loses its segment
        cls.p7.sudo().sales_performance_segment = "a"

        cls.seg_manager = cls._new_user(
            "sp_seg_manager", f"{SALESMAN},{PERF_MANAGER}", company=cls.company_a
        )
        cls.seg_salesman = cls._new_user("sp_seg_salesman", company=cls.company_a)

    @classmethod
    def _invoice(
        cls,
        partner,
        amount,
        invoice_date,
        move_type="out_invoice",
        taxes=None,
        post=True,
        company=None,
    ):
        company = company or cls.company_a
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": invoice_date,
                    "company_id": company.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "SP segment service",
                                "quantity": 1.0,
                                "price_unit": amount,
                                "tax_ids": [Command.set(taxes.ids if taxes else [])],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    def _segments(self):
        partners = (
            self.p1
            | self.p2
            | self.p2_contact
            | self.p3
            | self.p4
            | self.p5
            | self.p6
            | self.p7
            | self.p8
        )
        partners.invalidate_recordset(["sales_performance_segment"])
        return {p.name: p.sales_performance_segment for p in partners}

    EXPECTED = {
        "SP Seg Big": "a",
        "SP Seg Exactly 80": "a",
        "SP Seg Buyer of 80": "a",  # a contact shows its company's segment
        "SP Seg Exactly 95": "b",
        "SP Seg Small": "c",
        "SP Seg Draft Only": False,
        "SP Seg Credited": False,
        "SP Seg Lapsed": False,
        "SP Seg Supplier": False,
    }

    def test_80_and_95_percent_boundaries(self):
        self.env["res.partner"]._sales_performance_compute_segments(today=TODAY)
        self.assertEqual(self._segments(), self.EXPECTED)

    def test_window_moves_with_today(self):
        # On 1 July 2026 the 30 of 1 July 2025 leaves the window: total 970,
        # P1 500 (51.5 %: A), P2 300 (before 51.5 %: A, cumulative 82.5 %),
        # P3 150 (before 82.5 %: B, cumulative 97.9 %), P4 20 (before 97.9 %: C)
        # -- the same segments. On 1 July 2025 (window 2 July 2024 .. 1 July
        # 2025) only P4 (10,000 + 30) and P7 (500 in November 2024) were
        # invoiced: total 10,530, P4 95.25 % (A), P7 before 95.25 % (C).
        Partner = self.env["res.partner"]
        Partner._sales_performance_compute_segments(today=date(2026, 7, 1))
        self.assertEqual(self._segments(), self.EXPECTED)
        Partner._sales_performance_compute_segments(today=date(2025, 7, 1))
        self.assertEqual(
            self._segments(),
            dict.fromkeys(self.EXPECTED, False)
            | {"SP Seg Small": "a", "SP Seg Lapsed": "c"},
        )

    def test_credit_note_moves_a_customer_down(self):
        # A credit note of 200 to P1 on 1 June 2026: P1 300, P2 300, P3 150,
        # P4 50, total 800. P1 and P2 tie at 300: the first starts at 0 % (A),
        # both A (cumulative 75 %); P3 before 75 % -> A too (crosses 80 %,
        # cumulative 93.75 %); P4 before 93.75 % -> B.
        self._invoice(self.p1, 200.0, "2026-06-01", move_type="out_refund")
        self.env["res.partner"]._sales_performance_compute_segments(today=TODAY)
        self.assertEqual(
            self._segments(),
            self.EXPECTED | {"SP Seg Exactly 95": "a", "SP Seg Small": "b"},
        )

    def test_ranked_per_company_best_segment_kept(self):
        # Company B invoices P4 alone (40): there P4 is A; in company A it
        # stays C. A customer ranked in several companies keeps its best
        # segment: A. P3 is not touched by company B (still B).
        self.env["account.chart.template"].try_loading(
            "generic_coa", company=self.company_b, install_demo=False
        )
        self._invoice(self.p4, 40.0, "2026-06-01", company=self.company_b)
        self.env["res.partner"]._sales_performance_compute_segments(today=TODAY)
        self.assertEqual(self._segments(), self.EXPECTED | {"SP Seg Small": "a"})

    @freeze_time("2026-06-30 09:00:00")
    def test_weekly_cron(self):
        cron = self.env.ref("sales_performance.ir_cron_customer_segments")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "weeks"))
        self.assertEqual(cron.name, "Sales Performance: customer segments")
        self.assertEqual(
            cron.code.strip(), "model._cron_compute_sales_performance_segments()"
        )
        # the scheduled action's code, in the test's transaction
        cron.ir_actions_server_id.run()
        self.assertEqual(self._segments(), self.EXPECTED)

    @freeze_time("2026-06-30 09:00:00")
    def test_recompute_on_demand_by_managers_only(self):
        action = self.env.ref("sales_performance.res_partner_action_recompute_segments")
        self.assertEqual(action.group_ids, self.env.ref(PERF_MANAGER), "managers only")
        Partner = self.env["res.partner"]
        with self.assertRaises(AccessError):
            Partner.with_user(
                self.seg_salesman
            ).action_sales_performance_recompute_segments()
        with self.assertRaises(AccessError):
            self.p1.with_user(self.seg_salesman).sales_performance_segment = "a"
        self.assertEqual(self._segments()["SP Seg Big"], False, "nothing computed")
        result = action.with_user(self.seg_manager).run()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(self._segments(), self.EXPECTED)

    def test_filters_and_group_by_on_customers_opportunities_orders(self):
        self.env["res.partner"]._sales_performance_compute_segments(today=TODAY)
        mine = self.p1 | self.p2 | self.p2_contact | self.p3 | self.p4 | self.p7
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search(
                [("id", "in", mine.ids), ("sales_performance_segment", "=", "a")]
            ),
            self.p1 | self.p2 | self.p2_contact,
        )
        # opportunities: of P2's contact (A), P3 (B), P7 (none)
        Lead = self.env["crm.lead"]
        leads = Lead.create(
            [
                {
                    "name": "SP seg lead %s" % p.name,
                    "type": "opportunity",
                    "partner_id": p.id,
                    "company_id": self.company_a.id,
                }
                for p in (self.p2_contact, self.p3, self.p7)
            ]
        )
        self.assertEqual(
            Lead.search(
                [("id", "in", leads.ids), ("sales_performance_segment", "=", "a")]
            ),
            leads[0],
        )
        self.assertEqual(
            dict(
                Lead._read_group(
                    [("id", "in", leads.ids)],
                    ["sales_performance_segment"],
                    ["__count"],
                )
            ),
            {"a": 1, "b": 1, False: 1},
        )
        # orders: P1 (A) twice, P4 (C)
        orders = (
            self._order(self.user_alice, self.team_1, self.p1, 100.0, "2026-06-01")
            | self._order(self.user_alice, self.team_1, self.p1, 200.0, "2026-06-02")
            | self._order(self.user_alice, self.team_1, self.p4, 300.0, "2026-06-03")
        )
        Order = self.env["sale.order"]
        self.assertEqual(
            dict(
                Order._read_group(
                    [("id", "in", orders.ids)],
                    ["sales_performance_segment"],
                    ["amount_untaxed:sum"],
                )
            ),
            {"a": 300.0, "c": 300.0},
        )
        # the search views offer the filters and the group-by
        for model, view in (
            ("res.partner", "base.view_res_partner_filter"),
            ("crm.lead", "crm.view_crm_case_opportunities_filter"),
            ("sale.order", "sale.view_sales_order_filter"),
        ):
            arch = self.env[model].get_view(self.env.ref(view).id, "search")["arch"]
            for name in (
                "sales_performance_segment_a",
                "sales_performance_segment_c",
                "group_sales_performance_segment",
            ):
                self.assertIn(f'name="{name}"', arch, f"{model}: {name}")
            self.assertTrue(
                self.env[model].fields_get(["sales_performance_segment"])[
                    "sales_performance_segment"
                ]["groupable"]
            )
