from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.orm.models import INSERT_BATCH_SIZE, UPDATE_BATCH_SIZE
from odoo.tests import tagged
from odoo.tools.constants import PREFETCH_MAX

from .common import FEB, JAN, IncentiveCommon


@tagged("post_install", "-at_install", "sales_performance", "incentive")
class TestIncentivePayout(IncentiveCommon):
    """Payouts of generated statements against figures computed by hand.

    January 2031: sp1 90,000 won (target 100,000: 90 %), sp2 120,000 (120 %),
    sp3 60,000 (no target). Tiers [0, 80) 2 %, [80, 100) 5 %, [100, ∞) 8 %.
    """

    def _lines(self, statement, line_type="rule"):
        return statement.line_ids.filtered(lambda line: line.line_type == line_type)

    def test_flat_tiers(self):
        plan = self._plan([self._commission("flat")])
        statements = self._by_user(plan.generate_statements(*JAN))
        # sp1: 90 % in [80, 100) -> 90,000 x 5 % = 4,500
        self.assertAlmostEqual(statements[self.sp1].amount_total, 4500.0)
        # sp2: 120 % in [100, inf) -> 120,000 x 8 % = 9,600
        self.assertAlmostEqual(statements[self.sp2].amount_total, 9600.0)
        # sp3 has no target: attainment bands pay nothing
        self.assertAlmostEqual(statements[self.sp3].amount_total, 0.0)
        line = self._lines(statements[self.sp1])
        self.assertAlmostEqual(line.base, 90000.0)
        self.assertAlmostEqual(line.target_value, 100000.0)
        self.assertAlmostEqual(line.attainment, 90.0)
        self.assertEqual(line.band, "[80%, 100%)")
        self.assertAlmostEqual(line.rate, 5.0)
        self.assertIn("4,500", line.explanation)
        self.assertIn("90%", line.explanation)
        self.assertIn("no target", self._lines(statements[self.sp3]).explanation)

    def test_marginal_tiers_with_band_detail(self):
        plan = self._plan([self._commission("marginal")])
        statements = self._by_user(plan.generate_statements(*JAN))
        # sp2: 80,000 x 2 % + 20,000 x 5 % + 20,000 x 8 % = 1,600 + 1,000 + 1,600
        self.assertAlmostEqual(statements[self.sp2].amount_total, 4200.0)
        bands = self._lines(statements[self.sp2], "band")
        self.assertEqual(bands.mapped("base"), [80000.0, 20000.0, 20000.0])
        self.assertEqual(bands.mapped("amount"), [1600.0, 1000.0, 1600.0])
        self.assertEqual(bands.mapped("rate"), [2.0, 5.0, 8.0])
        # sp1: 80,000 x 2 % + 10,000 x 5 % = 1,600 + 500
        self.assertAlmostEqual(statements[self.sp1].amount_total, 2100.0)

    def test_gate_and_cap(self):
        plan = self._plan([self._commission("marginal", gate=95, cap=3000)])
        statements = self._by_user(plan.generate_statements(*JAN))
        # sp1 at 90 % is below the 95 % gate
        line = self._lines(statements[self.sp1])
        self.assertTrue(line.gate_applied)
        self.assertEqual(statements[self.sp1].amount_total, 0.0)
        # sp2: 4,200 capped at 3,000
        line = self._lines(statements[self.sp2])
        self.assertTrue(line.cap_applied)
        self.assertEqual(statements[self.sp2].amount_total, 3000.0)
        self.assertIn("Cap", line.explanation)

    def test_amount_bands_need_no_target(self):
        rule = {
            "kind": "commission",
            "metric_id": self.metric_won.id,
            "basis": "amount",
            "mode": "marginal",
            "tiers": [(0, 50000, 1), (50000, None, 3)],
        }
        plan = self._plan([rule])
        statements = self._by_user(plan.generate_statements(*JAN))
        # sp3: 50,000 x 1 % + 10,000 x 3 % = 500 + 300
        self.assertAlmostEqual(statements[self.sp3].amount_total, 800.0)
        # sp2: 500 + 70,000 x 3 % = 2,600
        self.assertAlmostEqual(statements[self.sp2].amount_total, 2600.0)

    def test_bonus_highest_threshold(self):
        rule = {
            "kind": "bonus",
            "metric_id": self.metric_won.id,
            "tiers": [(100, 1000), (110, 2000), (85, 300)],
        }
        plan = self._plan([rule])
        statements = self._by_user(plan.generate_statements(*JAN))
        self.assertEqual(statements[self.sp2].amount_total, 2000.0)  # 120 %: 110 pays
        self.assertEqual(statements[self.sp1].amount_total, 300.0)  # 90 %: 85 pays
        self.assertEqual(statements[self.sp3].amount_total, 0.0)  # no target

    def test_spiff_count_and_maximum(self):
        spiff = {"kind": "spiff", "metric_id": self.metric_won_count.id, "amount": 300}
        plan = self._plan([dict(spiff, max_count=1)], name="Capped SPIFF")
        statements = self._by_user(plan.generate_statements(*JAN))
        # sp1 won 2 deals, at most 1 paid: 300
        self.assertEqual(statements[self.sp1].amount_total, 300.0)
        line = self._lines(statements[self.sp1])
        self.assertEqual(line.base, 2.0)
        self.assertEqual(line.count, 1.0)
        plan = self._plan([spiff], name="Open SPIFF")
        statements = self._by_user(plan.generate_statements(*JAN))
        self.assertEqual(statements[self.sp1].amount_total, 600.0)  # 2 x 300
        self.assertEqual(statements[self.sp2].amount_total, 300.0)  # 1 x 300

    def test_several_rules_add_up(self):
        plan = self._plan(
            [
                self._commission("flat"),
                {
                    "kind": "bonus",
                    "metric_id": self.metric_won.id,
                    "tiers": [(100, 1000)],
                },
                {"kind": "spiff", "metric_id": self.metric_won_count.id, "amount": 100},
            ]
        )
        statements = self._by_user(plan.generate_statements(*JAN))
        # sp2: 9,600 + 1,000 + 1 x 100
        self.assertAlmostEqual(statements[self.sp2].amount_total, 10700.0)
        # sp1: 4,500 + 0 + 2 x 100
        self.assertAlmostEqual(statements[self.sp1].amount_total, 4700.0)

    def test_empty_period(self):
        plan = self._plan([self._commission("flat")])
        statements = plan.generate_statements(*FEB)
        self.assertEqual(len(statements), 3)
        self.assertEqual(sum(statements.mapped("amount_total")), 0.0)

    def test_partial_period_assignment_is_prorated(self):
        """sp1 joins the plan on 16 January: 16 of 31 days. Only the 40,000
        deal of 20 January counts, against 100,000 x 16 / 31 = 51,612.90 of
        target: 77.5 %, band [0, 80) at 2 % = 800; the bonus reached at 70 %
        pays 1,000 x 16 / 31 = 516.13."""
        rules = [
            self._commission("flat"),
            {"kind": "bonus", "metric_id": self.metric_won.id, "tiers": [(70, 1000)]},
        ]
        plan = self._plan(rules, users=self.sp2)
        plan.write(
            {
                "assignment_ids": [
                    Command.create(
                        {"user_id": self.sp1.id, "date_from": date(2031, 1, 16)}
                    )
                ]
            }
        )
        statements = self._by_user(plan.generate_statements(*JAN))
        sp1 = statements[self.sp1]
        self.assertEqual(
            (sp1.assigned_from, sp1.assigned_to), (date(2031, 1, 16), JAN[1])
        )
        commission, bonus = self._lines(sp1).sorted("sequence")
        self.assertAlmostEqual(commission.base, 40000.0)
        self.assertAlmostEqual(commission.target_value, 100000.0 * 16 / 31, places=2)
        self.assertAlmostEqual(commission.attainment, 77.5)
        self.assertAlmostEqual(commission.amount, 800.0)
        self.assertIn("16 of 31 days", commission.explanation)
        self.assertAlmostEqual(bonus.amount, 516.13)
        self.assertAlmostEqual(sp1.amount_total, 1316.13)
        # sp2, assigned for the whole period: 120 % -> 9,600 + 1,000
        self.assertFalse(statements[self.sp2].assigned_from)
        self.assertAlmostEqual(statements[self.sp2].amount_total, 10600.0)
        # clawbacks look at the assigned days only
        sp1.with_user(self.leader).action_confirm()
        sp1.with_user(self.leader).action_approve()
        open_stage = self.env["crm.stage"].create({"name": "Reopened", "sequence": 1})
        self.lead_sp1_a.write({"stage_id": open_stage.id})  # 10 January
        self.lead_sp1_a.action_set_lost()
        feb = self._by_user(plan.generate_statements(*FEB))[self.sp1]
        self.assertFalse(self._lines(feb, "clawback"))
        self.lead_sp1_b.write({"stage_id": open_stage.id})  # 20 January
        self.lead_sp1_b.action_set_lost()
        feb.action_recompute()
        clawbacks = self._lines(feb, "clawback")
        # 40,000 at 2 % = 800 back; at 0 % the bonus is 0: 516.13 back
        self.assertEqual(sorted(clawbacks.mapped("amount")), [-800.0, -516.13])
        self.assertFalse(feb.assigned_from)

    def test_query_count_does_not_grow_with_salespeople(self):
        plan = self._plan([self._commission("marginal")])
        rules = plan._rules_snapshot()
        few = self.sp1
        many = self.sp1 | self.sp2 | self.sp3 | self.leader | self.outsider | self.admin
        # warm the caches
        plan._compute_payouts(many, *JAN, rules)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        plan._compute_payouts(few, *JAN, rules)
        few_queries = self.env.cr.sql_log_count - before
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        plan._compute_payouts(many, *JAN, rules)
        many_queries = self.env.cr.sql_log_count - before
        self.assertLessEqual(many_queries, few_queries + 2)

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    def _assert_invalid(self, rule, message):
        Rule = self.env["sales.performance.incentive.rule"]
        count = Rule.search_count([])
        with self.assertRaises(ValidationError) as caught:
            self._plan([rule], activate=False)
        self.assertIn(message, str(caught.exception))
        self.assertEqual(Rule.search_count([]), count)

    def test_invalid_rules(self):
        self._assert_invalid(
            self._commission(tiers=[(0, 80, 2), (70, None, 5)]), "overlap"
        )
        self._assert_invalid(self._commission(tiers=[(0, 80, 2), (90, None, 5)]), "gap")
        self._assert_invalid(self._commission(tiers=[(0, None, -2)]), "negative")
        self._assert_invalid(self._commission(cap=-10), "cap")
        self._assert_invalid(self._commission(gate=-1), "gate")
        self._assert_invalid(
            {"kind": "spiff", "metric_id": self.metric_won.id, "amount": 10}, "SPIFF"
        )
        self._assert_invalid(
            {"kind": "spiff", "metric_id": self.metric_won_count.id, "amount": -10},
            "negative",
        )
        self._assert_invalid({"kind": "commission", "tiers": [(0, None, 2)]}, "metric")

    def test_invalid_tier_edit_is_not_saved(self):
        plan = self._plan([self._commission()], activate=False)
        tier = plan.rule_ids.tier_ids.sorted("lower")[0]
        with self.assertRaises(ValidationError) as caught:
            tier.upper = 70
        self.assertIn("gap", str(caught.exception))
        self.assertEqual(tier.upper, 80)
        with self.assertRaises(ValidationError) as caught:
            tier.rate = -1
        self.assertIn("negative", str(caught.exception))
        self.assertEqual(tier.rate, 2)

    def test_generation_queries_do_not_grow_with_salespeople(self):
        """Generating statements, then recomputing them, costs the same number
        of queries for 3 salespeople as for 101, in ten plans: 30 statements
        against 1,010. No ORM setting is changed: 101 statements per plan and
        their lines are more rows than the ORM writes in one INSERT or UPDATE
        (INSERT_BATCH_SIZE, UPDATE_BATCH_SIZE: 100), and 1,010 statements more
        records than it reads in one query when a recordset is iterated
        without being fetched first (PREFETCH_MAX: 1,000). Statements or lines
        created or updated through the ORM (for all plans or plan by plan),
        or read in its prefetch batches, would cost the many more queries."""
        extras = self.env["res.users"].union(
            *(self._new_user("inc_extra_%02d" % index) for index in range(98))
        )
        rules = [
            self._commission("marginal"),
            {"kind": "bonus", "metric_id": self.metric_won.id, "tiers": [(100, 1000)]},
            {"kind": "spiff", "metric_id": self.metric_won_count.id, "amount": 100},
        ]
        few_users = self.sp1 | self.sp2 | self.sp3
        Plan = self.env["sales.performance.incentive.plan"]

        def plans(name, users):
            return Plan.union(
                *(
                    self._plan(rules, users=users, name="%s %s" % (name, index))
                    for index in range(10)
                )
            )

        # warm the caches (translations, rules snapshot) with throwaway plans
        warm_plans = plans("Warm", few_users)
        few_plans = plans("Few", few_users)
        many_plans = plans("Many", few_users | extras)
        self.env.flush_all()

        def count(function):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            function()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        count(lambda: warm_plans.generate_statements(*JAN))
        few = count(lambda: few_plans.generate_statements(*JAN))
        many = count(lambda: many_plans.generate_statements(*JAN))
        # the sizes that make the proof: beyond the ORM's batches
        statements = many_plans.statement_ids
        self.assertEqual(len(statements), 1010)
        self.assertEqual(len(few_plans.statement_ids), 30)
        per_plan = len(few_users | extras)
        self.assertGreater(per_plan, max(INSERT_BATCH_SIZE, UPDATE_BATCH_SIZE))
        self.assertGreater(len(statements), PREFETCH_MAX)
        self.assertGreater(len(statements.line_ids), len(statements))
        self.assertEqual(many, few, "generation")
        few = count(lambda: few_plans.generate_statements(*JAN))
        many = count(lambda: many_plans.generate_statements(*JAN))
        self.assertEqual(many, few, "recomputation")

    def test_period_outside_validity_is_refused(self):
        plan = self._plan([self._commission("flat")])
        with self.assertRaises(UserError):
            plan.generate_statements(date(2030, 12, 1), date(2030, 12, 31))
        draft = self._plan([self._commission("flat")], activate=False)
        with self.assertRaises(UserError):
            draft.generate_statements(*JAN)

    def test_plan_in_another_currency(self):
        # a plan currency worth half the company's: 1 company unit = 2 plan units
        other = self.setup_other_currency("EUR", rates=[("2030-01-01", 2.0)])
        if other == self.env.company.currency_id:
            other = self.setup_other_currency("USD", rates=[("2030-01-01", 2.0)])
        self.env["res.currency.rate"].search(
            [("currency_id", "=", self.env.company.currency_id.id)]
        ).unlink()
        rule = {
            "kind": "commission",
            "metric_id": self.metric_won.id,
            "basis": "amount",
            "mode": "marginal",
            "tiers": [(0, 100000, 1), (100000, None, 3)],
        }
        plan = self._plan([rule], activate=False)
        plan.currency_id = other
        plan.action_activate()
        statements = self._by_user(plan.generate_statements(*JAN))
        # sp1: 90,000 -> 180,000 in the plan currency: 100,000 x 1 % + 80,000 x 3 %
        line = statements[self.sp1].line_ids.filtered(lambda r: r.line_type == "rule")
        self.assertAlmostEqual(line.base, 180000.0)
        self.assertAlmostEqual(statements[self.sp1].amount_total, 3400.0)
        self.assertEqual(statements[self.sp1].currency_id, other)
