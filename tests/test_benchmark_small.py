"""The benchmark's correctness check, inside the test suite: on a tiny data set
generated in the test transaction (tools/datagen.py), this addon's achievement,
a plain SQL GROUP BY and Odoo gamification's computation agree for every
salesperson x metric x month. No timing here: `make bench SIZE=...` times them.
"""

from odoo.tests import TransactionCase, tagged

from odoo.addons.sales_performance.tools import bench, datagen


@tagged("post_install", "-at_install")
class TestBenchmarkSmall(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))
        cls.data = datagen.generate(cls.env, "tiny", prefix="SPTEST")
        cls.targets = bench.create_targets(cls.env, cls.data)

    def test_data_is_consistent(self):
        """The generated records hold what Odoo itself would hold."""
        data = self.data
        orders = self.env["sale.order"].search([("user_id", "in", data.user_ids)])
        self.assertEqual(len(orders), data.size.orders)
        for order in orders[:20]:
            self.assertEqual(order.state, "sale")
            self.assertAlmostEqual(
                order.amount_untaxed, sum(order.order_line.mapped("price_subtotal"))
            )
            self.assertAlmostEqual(
                order.amount_total, order.amount_untaxed + order.amount_tax
            )
            self.assertEqual(order.currency_id, order.company_id.currency_id)
        moves = self.env["account.move"].search(
            [("invoice_user_id", "in", data.user_ids)]
        )
        self.assertEqual(len(moves), data.size.invoices)
        for move in moves[:20]:
            self.assertEqual(move.state, "posted")
            self.assertIn(move.move_type, ("out_invoice", "out_refund"))
            self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0.0)
            sign = 1 if move.move_type == "out_invoice" else -1
            self.assertAlmostEqual(
                move.amount_untaxed_signed, sign * move.amount_untaxed
            )
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("user_id", "in", data.user_ids)])
        )
        self.assertEqual(len(leads), data.size.opportunities)
        for lead in leads:
            if lead.won_status == "won":
                self.assertTrue(lead.active and lead.stage_id.is_won)
                self.assertEqual(lead.probability, 100)
            elif lead.won_status == "lost":
                self.assertFalse(lead.active)
                self.assertEqual(lead.probability, 0)
            else:
                self.assertTrue(lead.active)
                self.assertFalse(lead.stage_id.is_won)
        for user in self.env["res.users"].browse(data.user_ids):
            self.assertEqual(user.crm_team_ids.ids, [data.team_of_user[user.id]])

    def test_three_computations_agree(self):
        env, data = self.env, self.data
        self.targets._recompute_batch()
        addon = bench.addon_values(env, self.targets)
        floor = bench.sql_floor_values(env, data)
        for xmlid in bench.METRICS:
            self.assertTrue(
                any(v for (m, _u, _d), v in floor.items() if m == xmlid),
                "no data for %s: the check would prove nothing" % xmlid,
            )
        self.assertEqual(bench.compare(data, floor, addon), [])

        metrics = [x for x, spec in bench.GAMIFICATION.items() if spec]
        if "gamification.goal" in env:
            definitions, goals = bench.create_gamification(env, data)
            for batch in (False, True):
                bench.set_gamification_mode(env, definitions, goals, batch=batch)
                goals.update_goal()
                gamification = bench.gamification_values(env, definitions, goals)
                self.assertEqual(bench.compare(data, floor, gamification, metrics), [])
        else:
            # gamification is not a dependency: compute what its default mode
            # computes (its domains, date clauses and aggregates)
            gamification = bench.gamification_like_values(env, data)
            self.assertEqual(bench.compare(data, floor, gamification, metrics), [])

    def test_query_count_independent_of_salespeople(self):
        """A full recompute costs the same number of queries for all the
        salespeople as for half of them."""
        data = self.data
        half = self.targets.filtered(lambda t: t.user_id.id in data.user_ids[::2])
        _t, full_queries, _p = bench.measure(self.env, self.targets._recompute_batch)
        _t, half_queries, _p = bench.measure(self.env, half._recompute_batch)
        self.assertEqual(full_queries, half_queries)
