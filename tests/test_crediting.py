"""Crediting: collected revenue (回款), split credit through the document
chain, team history. Every expected figure is computed by hand in the
comments."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import APRIL, MARCH, TargetCommon


@tagged("post_install", "-at_install")
class TestCrediting(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company_a, install_demo=False
        )
        cls.metric_collected = cls.env.ref("sales_performance.metric_collected_revenue")
        cls.Split = cls.env["sales.performance.credit.split"]
        cls.tax_15 = cls.env["account.tax"].create(
            {
                "name": "SP 15 %",
                "amount": 15.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company_a.id,
            }
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _invoice(self, user, amount, invoice_date, taxes=None, move_type="out_invoice"):
        move = (
            self.env["account.move"]
            .with_company(self.company_a)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": self.customer_1.id,
                    "invoice_date": invoice_date,
                    "invoice_user_id": user.id,
                    "team_id": self.team_1.id,
                    "company_id": self.company_a.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "SP service",
                                "quantity": 1.0,
                                "price_unit": amount,
                                "tax_ids": [Command.set(taxes.ids if taxes else [])],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _pay(self, invoice, amount, day):
        wizard = (
            self.env["account.payment.register"]
            .with_company(self.company_a)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": day})
        )
        return wizard._create_payments()

    def _achieved(self, metric, period, **assignee):
        target = self._target(metric, *period, **assignee)
        target.action_recompute()
        return target.achieved_value

    # ------------------------------------------------------------------
    # collected revenue
    # ------------------------------------------------------------------
    @freeze_time("2026-05-10 12:00:00")
    def test_partial_payments_count_in_the_period_received(self):
        invoice = self._invoice(self.user_alice, 1000.0, "2026-03-02")
        self._pay(invoice, 400.0, date(2026, 3, 20))
        self._pay(invoice, 600.0, date(2026, 4, 5))
        self.assertEqual(invoice.payment_state, "paid")
        # March: 400 received; April: the remaining 600
        alice = {"user_id": self.user_alice.id}
        self.assertAlmostEqual(
            self._achieved(self.metric_collected, MARCH, **alice), 400
        )
        self.assertAlmostEqual(
            self._achieved(self.metric_collected, APRIL, **alice), 600
        )
        rows = self.env["sales.performance.collection"].search(
            [("invoice_id", "=", invoice.id)], order="date"
        )
        self.assertEqual(rows.mapped("amount"), [400.0, 600.0])

    def test_payment_undone_is_taken_back_when_undone(self):
        with freeze_time("2026-03-25 12:00:00"):
            invoice = self._invoice(self.user_alice, 1000.0, "2026-03-02")
            payment = self._pay(invoice, 400.0, date(2026, 3, 20))
        with freeze_time("2026-04-08 12:00:00"):
            receivable = payment.move_id.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            receivable.remove_move_reconcile()
            self.assertEqual(invoice.payment_state, "not_paid")
            alice = {"user_id": self.user_alice.id}
            # March keeps the 400 received then; April takes them back
            self.assertAlmostEqual(
                self._achieved(self.metric_collected, MARCH, **alice), 400
            )
            self.assertAlmostEqual(
                self._achieved(self.metric_collected, APRIL, **alice), -400
            )

    @freeze_time("2026-04-10 12:00:00")
    def test_credit_note_is_not_a_collection(self):
        invoice = self._invoice(self.user_alice, 1000.0, "2026-03-02")
        # a credit note reconciled with the invoice (a full reversal)
        invoice._reverse_moves(
            [{"date": date(2026, 3, 10), "invoice_date": date(2026, 3, 10)}],
            cancel=True,
        )
        self.assertEqual(invoice.payment_state, "reversed")
        alice = {"user_id": self.user_alice.id}
        self.assertAlmostEqual(self._achieved(self.metric_collected, MARCH, **alice), 0)
        self.assertFalse(
            self.env["sales.performance.collection"].search(
                [("invoice_id", "=", invoice.id)]
            )
        )

    @freeze_time("2026-04-10 12:00:00")
    def test_untaxed_share_of_collections(self):
        # 1,000 + 15 % tax = 1,150; 575 paid = half of it: untaxed share 500
        invoice = self._invoice(self.user_alice, 1000.0, "2026-03-02", self.tax_15)
        self.assertAlmostEqual(invoice.amount_total, 1150.0)
        self._pay(invoice, 575.0, date(2026, 3, 20))
        alice = {"user_id": self.user_alice.id}
        self.assertAlmostEqual(
            self._achieved(self.metric_collected, MARCH, **alice), 575
        )
        untaxed = self.metric_collected.copy(
            {"name": "Collected untaxed", "collected_untaxed": True}
        )
        self.assertAlmostEqual(self._achieved(untaxed, MARCH, **alice), 500)

    # ------------------------------------------------------------------
    # split credit
    # ------------------------------------------------------------------
    @freeze_time("2026-04-10 12:00:00")
    def test_split_follows_opportunity_order_invoice(self):
        alice, bob = self.user_alice, self.user_bob
        lead = self._lead(alice, self.team_1, 10000.0)
        lead.write(
            {
                "sales_performance_split_ids": [
                    Command.create({"user_id": alice.id, "percent": 60.0}),
                    Command.create(
                        {"user_id": bob.id, "percent": 40.0, "role": "Presales"}
                    ),
                ]
            }
        )
        lead.action_set_won()
        lead.write({"date_closed": datetime(2026, 3, 5, 12)})
        # an order created from the opportunity takes its split
        order_from_lead = self.env["sale.order"].create(
            {
                "partner_id": self.customer_1.id,
                "user_id": alice.id,
                "team_id": self.team_1.id,
                "company_id": self.company_a.id,
                "opportunity_id": lead.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1.0,
                            "price_unit": 2000.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order_from_lead.action_confirm()
        order_from_lead.date_order = datetime(2026, 3, 12, 12)
        self.assertEqual(
            sorted(order_from_lead.sales_performance_split_ids.mapped("percent")),
            [40.0, 60.0],
        )
        self.assertEqual(
            order_from_lead.sales_performance_split_ids.filtered(
                lambda s: s.user_id == bob
            ).role,
            "Presales",
        )
        invoice = order_from_lead._create_invoices()
        invoice.invoice_date = date(2026, 3, 15)
        invoice.action_post()
        self.assertEqual(
            sorted(invoice.sales_performance_split_ids.mapped("percent")), [40.0, 60.0]
        )
        # won revenue 10,000: Alice 6,000, Bob 4,000; confirmed sales and
        # invoiced revenue 2,000: Alice 1,200, Bob 800
        for metric, total in (
            (self.metric_won_revenue, 10000.0),
            (self.metric_confirmed_sales, 2000.0),
            (self.metric_invoiced_revenue, 2000.0),
        ):
            with self.subTest(metric=metric.name):
                self.assertAlmostEqual(
                    self._achieved(metric, MARCH, user_id=alice.id), total * 0.6
                )
                self.assertAlmostEqual(
                    self._achieved(metric, MARCH, user_id=bob.id), total * 0.4
                )
                # the team (both are in team 1) and the company count it once
                self.assertAlmostEqual(
                    self._achieved(metric, MARCH, team_id=self.team_1.id), total
                )
                self.assertAlmostEqual(self._achieved(metric, MARCH), total)
                self.Target.search([("metric_id", "=", metric.id)]).unlink()
        # editing the invoice's split leaves the order's alone
        invoice.write(
            {
                "sales_performance_split_ids": [
                    Command.clear(),
                    Command.create({"user_id": bob.id, "percent": 100.0}),
                ]
            }
        )
        self.assertEqual(
            sorted(order_from_lead.sales_performance_split_ids.mapped("percent")),
            [40.0, 60.0],
        )
        self.assertAlmostEqual(
            self._achieved(self.metric_invoiced_revenue, MARCH, user_id=bob.id), 2000.0
        )

    @freeze_time("2026-04-10 12:00:00")
    def test_drill_down_shows_the_credited_share(self):
        alice, bob = self.user_alice, self.user_bob
        split = self._order(alice, self.team_1, self.customer_1, 1000.0, "2026-03-10")
        split.write(
            {
                "sales_performance_split_ids": [
                    Command.create({"user_id": alice.id, "percent": 25.0}),
                    Command.create({"user_id": bob.id, "percent": 75.0}),
                ]
            }
        )
        own = self._order(bob, self.team_1, self.customer_1, 500.0, "2026-03-12")
        target = self._target(self.metric_confirmed_sales, user_id=bob.id)
        action = target.action_view_sources()
        orders = self.env["sale.order"].search(action["domain"])
        # Bob's own order (100 %) and his 75 % of Alice's: 500 + 750 = 1,250
        self.assertEqual(orders, split | own)
        shared = orders.with_context(**action["context"])
        self.assertEqual(
            {o: o.sales_performance_credit_share for o in shared},
            {split: 75.0, own: 100.0},
        )
        target.action_recompute()
        self.assertAlmostEqual(target.achieved_value, 1250.0)
        list_view = self.env["ir.ui.view"].browse(action["views"][0][0])
        self.assertIn("sales_performance_credit_share", list_view.arch_db)

    def test_invoice_from_orders_with_different_splits_is_weighted(self):
        alice, bob, carol = self.user_alice, self.user_bob, self.user_carol
        first = self._order(alice, self.team_1, self.customer_1, 600.0, "2026-03-10")
        first.write(
            {
                "sales_performance_split_ids": [
                    Command.create({"user_id": alice.id, "percent": 50.0}),
                    Command.create({"user_id": bob.id, "percent": 50.0}),
                ]
            }
        )
        second = self._order(carol, self.team_1, self.customer_1, 400.0, "2026-03-11")
        invoice = (first | second)._create_invoices()
        # 600 of 1,000 split 50/50 and 400 of Carol alone: 30 / 30 / 40
        shares = {s.user_id: s.percent for s in invoice.sales_performance_split_ids}
        self.assertEqual(shares, {alice: 30.0, bob: 30.0, carol: 40.0})

    def test_bad_splits_are_refused_and_nothing_is_saved(self):
        alice, bob = self.user_alice, self.user_bob
        lead = self._lead(alice, self.team_1, 1000.0)

        def split(*lines):
            lead.write(
                {
                    "sales_performance_split_ids": [Command.clear()]
                    + [Command.create(vals) for vals in lines]
                }
            )

        cases = [
            (
                "adds up",
                [
                    {"user_id": alice.id, "percent": 60.0},
                    {"user_id": bob.id, "percent": 30.0},
                ],
            ),
            (
                "more than 0",
                [
                    {"user_id": alice.id, "percent": 100.0},
                    {"user_id": bob.id, "percent": 0.0},
                ],
            ),
            (
                "more than 0",
                [
                    {"user_id": alice.id, "percent": 110.0},
                    {"user_id": bob.id, "percent": -10.0},
                ],
            ),
            (
                "twice",
                [
                    {"user_id": alice.id, "percent": 50.0},
                    {"user_id": alice.id, "percent": 50.0},
                ],
            ),
            (
                "do not work for",
                [
                    {"user_id": alice.id, "percent": 50.0},
                    {"user_id": self.user_erin_b.id, "percent": 50.0},
                ],
            ),
        ]
        for message, lines in cases:
            with self.subTest(message=message):
                with self.assertRaises(ValidationError) as caught:
                    split(*lines)
                self.assertIn(message, str(caught.exception))
                self.assertFalse(
                    self.Split.search(
                        [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
                    )
                )
        # within the ± 0.01 tolerance
        split(
            {"user_id": alice.id, "percent": 33.33},
            {"user_id": bob.id, "percent": 33.33},
            {"user_id": self.user_carol.id, "percent": 33.33},
        )
        self.assertEqual(len(lead.sales_performance_split_ids), 3)
        # a document type no metric measures
        with self.assertRaises(ValidationError) as caught:
            self.Split.create(
                {
                    "res_model": "res.partner",
                    "res_id": self.customer_1.id,
                    "user_id": alice.id,
                    "percent": 100.0,
                    "company_id": self.company_a.id,
                }
            )
        self.assertIn("No metric measures", str(caught.exception))

    def test_salesperson_reads_but_does_not_edit_splits(self):
        alice, bob = self.user_alice, self.user_bob
        lead = self._lead(alice, self.team_1, 1000.0)
        lead.write(
            {
                "sales_performance_split_ids": [
                    Command.create({"user_id": alice.id, "percent": 70.0}),
                    Command.create({"user_id": bob.id, "percent": 30.0}),
                ]
            }
        )
        other = self._lead(self.user_dave, self.team_2, 500.0)
        other.write(
            {
                "sales_performance_split_ids": [
                    Command.create({"user_id": self.user_dave.id, "percent": 50.0}),
                    Command.create({"user_id": self.user_carol.id, "percent": 50.0}),
                ]
            }
        )
        as_alice = self.Split.with_user(alice)
        visible = as_alice.search([("res_model", "=", "crm.lead")])
        # her own document's lines; not Dave's document, where she has no share
        self.assertEqual(visible, lead.sales_performance_split_ids)
        with self.assertRaises(AccessError):
            lead.sales_performance_split_ids.with_user(alice).write({"percent": 50.0})
        with self.assertRaises(AccessError):
            as_alice.create(
                {
                    "res_model": "crm.lead",
                    "res_id": lead.id,
                    "user_id": alice.id,
                    "percent": 100.0,
                    "company_id": self.company_a.id,
                }
            )
        # a sales manager edits them (through the document, so that the split
        # still adds up when both lines have changed)
        sales_admin = self._new_user(
            "sp_split_admin", "sales_team.group_sale_manager", company=self.company_a
        )
        bob_line = lead.sales_performance_split_ids.filtered(lambda s: s.user_id == bob)
        alice_line = lead.sales_performance_split_ids - bob_line
        lead.with_user(sales_admin).write(
            {
                "sales_performance_split_ids": [
                    Command.update(alice_line.id, {"percent": 55.0}),
                    Command.update(bob_line.id, {"percent": 45.0}),
                ]
            }
        )
        self.assertEqual(bob_line.percent, 45.0)

    # ------------------------------------------------------------------
    # team history
    # ------------------------------------------------------------------
    def test_mid_period_team_move_keeps_past_results(self):
        alice = self.user_alice
        with freeze_time("2026-03-16 09:00:00"):
            # Alice moves from team 1 to team 2 on 16 March
            self.team_1.member_ids = [Command.unlink(alice.id)]
            self.team_2.member_ids = [Command.link(alice.id)]
        memberships = self.env["sales.performance.team.membership"].search(
            [("user_id", "=", alice.id)], order="date_to"
        )
        self.assertEqual(
            sorted(
                (m.team_id.id, m.date_from or date.min, m.date_to or date.max)
                for m in memberships
            ),
            sorted(
                [
                    (self.team_1.id, date.min, date(2026, 3, 15)),
                    (self.team_2.id, date(2026, 3, 16), date.max),
                ]
            ),
        )
        # orders of 10 and 20 March, both recorded on team 2 afterwards
        self._order(alice, self.team_2, self.customer_1, 1000.0, "2026-03-10")
        self._order(alice, self.team_2, self.customer_1, 300.0, "2026-03-20")
        with freeze_time("2026-04-10 12:00:00"):
            # the team she was in on each order's date
            self.assertAlmostEqual(
                self._achieved(
                    self.metric_confirmed_sales, MARCH, team_id=self.team_1.id
                ),
                1000.0,
            )
            self.assertAlmostEqual(
                self._achieved(
                    self.metric_confirmed_sales, MARCH, team_id=self.team_2.id
                ),
                300.0,
            )
