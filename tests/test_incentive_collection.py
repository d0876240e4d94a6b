"""Commissions payable on collection (回款): payable, held, released and
forfeited amounts, computed by hand in the comments."""

from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import IncentiveCommon

JAN = (date(2031, 1, 1), date(2031, 1, 31))
FEB = (date(2031, 2, 1), date(2031, 2, 28))


@tagged("post_install", "-at_install")
class TestIncentiveCollection(IncentiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        cls.metric_invoiced = cls.env.ref("sales_performance.metric_invoiced_revenue")
        cls.customer = cls.env["res.partner"].create({"name": "SP Paying Customer"})
        # January: invoice A 10,000 and invoice B 5,000 of sp1, both due on
        # their date (immediate payment)
        cls.invoice_a = cls._invoice(10000.0, date(2031, 1, 10))
        cls.invoice_b = cls._invoice(5000.0, date(2031, 1, 5))

    @classmethod
    def _invoice(cls, amount, day):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": day,
                "invoice_date_due": day,
                "invoice_user_id": cls.sp1.id,
                "company_id": cls.company.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "SP service",
                            "quantity": 1.0,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _pay(self, invoice, amount, day):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": day})._create_payments()

    def _collection_plan(self):
        plan = self._plan(
            [
                {
                    "name": "Commission on collected invoices",
                    "kind": "commission",
                    "metric_id": self.metric_invoiced.id,
                    "basis": "amount",
                    "mode": "flat",
                    "payable_on_collection": True,
                    "tiers": [(0, None, 10.0)],
                }
            ],
            users=self.sp1,
        )
        plan.hold_days = 30
        return plan

    def _approve(self, statement):
        statement.with_user(self.admin).action_confirm()
        statement.with_user(self.admin).action_approve()

    def test_payable_held_released_and_forfeited(self):
        plan = self._collection_plan()
        self._pay(self.invoice_a, 4000.0, date(2031, 1, 20))
        january = plan.generate_statements(*JAN)
        line = january.line_ids.filtered(lambda line: line.line_type == "rule")
        # earned 10 % of 15,000 = 1,500: 1,000 on A, 500 on B; A is 40 % paid:
        # 400 payable, 1,100 held
        self.assertAlmostEqual(line.base, 15000.0)
        self.assertAlmostEqual(line.earned_amount, 1500.0)
        self.assertAlmostEqual(line.amount, 400.0)
        self.assertAlmostEqual(line.held_amount, 1100.0)
        self.assertAlmostEqual(january.amount_total, 400.0)
        self.assertIn("held until they pay", line.explanation)
        holds = self.env["sales.performance.incentive.hold"].search(
            [("line_id", "=", line.id)]
        )
        self.assertEqual(
            {h.invoice_id: (h.earned, h.payable) for h in holds},
            {self.invoice_a: (1000.0, 400.0), self.invoice_b: (500.0, 0.0)},
        )
        self._approve(january)
        # February: the customer pays the rest of A; B is still unpaid 30 days
        # after its due date (5 January + 30 days = 4 February)
        self._pay(self.invoice_a, 6000.0, date(2031, 2, 10))
        february = plan.generate_statements(*FEB)
        release = february.line_ids.filtered(lambda line: line.line_type == "release")
        forfeit = february.line_ids.filtered(lambda line: line.line_type == "forfeit")
        # A: 1,000 x 100 % - 400 paid = 600 released; B: 500 forfeited, 0 paid
        self.assertAlmostEqual(release.amount, 600.0)
        self.assertEqual(release.hold_id.invoice_id, self.invoice_a)
        self.assertIn(self.invoice_a.name, release.explanation)
        self.assertEqual(forfeit.amount, 0.0)
        self.assertEqual(forfeit.hold_id.invoice_id, self.invoice_b)
        self.assertIn("forfeited", forfeit.explanation)
        self.assertAlmostEqual(february.amount_total, 600.0)
        # recomputing the draft gives the same lines, never twice
        february.with_user(self.admin).action_recompute()
        self.assertEqual(
            len(february.line_ids.filtered(lambda line: line.line_type == "release")),
            1,
        )
        self._approve(february)
        # March: nothing left to release or forfeit
        march = plan.generate_statements(date(2031, 3, 1), date(2031, 3, 31))
        self.assertFalse(
            march.line_ids.filtered(
                lambda line: line.line_type in ("release", "forfeit")
            )
        )
        # the approved January statement never changed
        self.assertAlmostEqual(january.amount_total, 400.0)

    def test_commission_paid_on_a_credited_invoice_is_clawed_back(self):
        plan = self._collection_plan()
        self._pay(self.invoice_a, 10000.0, date(2031, 1, 20))
        january = plan.generate_statements(*JAN)
        line = january.line_ids.filtered(lambda line: line.line_type == "rule")
        # A fully paid: its 1,000 payable; B unpaid: 500 held
        self.assertAlmostEqual(line.amount, 1000.0)
        self._approve(january)
        # in February 2,500 of A is credited (the customer is refunded)
        refund = self.invoice_a._reverse_moves(
            [{"invoice_date": date(2031, 2, 3), "date": date(2031, 2, 3)}]
        )
        refund.invoice_line_ids.price_unit = 2500.0
        refund.action_post()
        february = plan.generate_statements(*FEB)
        back = february.line_ids.filtered(
            lambda line: line.line_type == "clawback" and line.hold_id
        )
        # 1,000 paid on A x 2,500 / 10,000 credited = 250 taken back
        self.assertAlmostEqual(back.amount, -250.0)
        self.assertEqual(back.hold_id.invoice_id, self.invoice_a)
        self.assertIn("credited", back.explanation)
        self._approve(february)
        # taken once: March takes nothing more back
        march = plan.generate_statements(date(2031, 3, 1), date(2031, 3, 31))
        self.assertFalse(
            march.line_ids.filtered(
                lambda line: line.line_type == "clawback" and line.hold_id
            )
        )

    def test_only_commissions_on_invoices_are_payable_on_collection(self):
        with self.assertRaises(ValidationError):
            self._plan(
                [
                    {
                        "name": "Won revenue on collection",
                        "kind": "commission",
                        "metric_id": self.metric_won.id,
                        "basis": "amount",
                        "payable_on_collection": True,
                        "tiers": [(0, None, 10.0)],
                    }
                ]
            )
        plan = self._collection_plan()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                plan.hold_days = -1
                plan.flush_recordset()
