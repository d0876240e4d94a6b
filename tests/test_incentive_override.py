"""The override rule: a team leader earns on the credited results of the
team(s) they lead. Figures by hand in the comments."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import IncentiveCommon

JAN = (date(2031, 1, 1), date(2031, 1, 31))


@tagged("post_install", "-at_install")
class TestIncentiveOverride(IncentiveCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the leader wins 10,000 herself (she is not a member of her team, but
        # the deal is recorded on it)
        lead = cls._won_lead(cls.leader, 10000, datetime(2031, 1, 12, 12))
        lead.team_id = cls.team

    def _override_plan(self, **extra):
        return self._plan(
            [
                {
                    "name": "Team override",
                    "kind": "override",
                    "metric_id": self.metric_won.id,
                    "basis": "amount",
                    "mode": "flat",
                    "tiers": [(0, None, 1.0)],
                    **extra,
                }
            ],
            users=self.leader | self.sp1,
        )

    def test_override_on_members_without_own_deals(self):
        plan = self._override_plan()
        statements = self._by_user(plan.generate_statements(*JAN))
        line = statements[self.leader].line_ids.filtered(
            lambda line: line.line_type == "rule"
        )
        # members: sp1 90,000 + sp2 120,000 + sp3 60,000 = 270,000; 1 % = 2,700
        self.assertAlmostEqual(line.base, 270000.0)
        self.assertAlmostEqual(line.amount, 2700.0)
        self.assertIn("Incentive Team", line.explanation)
        for name in (self.sp1.name, self.sp2.name, self.sp3.name):
            self.assertIn(name, line.explanation)
        self.assertNotIn(self.leader.name + " 10,000", line.explanation)
        # sp1 leads no team: nothing, and the line says why
        sp1_line = statements[self.sp1].line_ids.filtered(
            lambda line: line.line_type == "rule"
        )
        self.assertEqual(sp1_line.amount, 0.0)
        self.assertIn("leads no team", sp1_line.explanation)

    def test_override_with_own_deals(self):
        plan = self._override_plan(override_include_own=True)
        statement = self._by_user(plan.generate_statements(*JAN))[self.leader]
        line = statement.line_ids.filtered(lambda line: line.line_type == "rule")
        # 270,000 + her own 10,000 = 280,000; 1 % = 2,800
        self.assertAlmostEqual(line.base, 280000.0)
        self.assertAlmostEqual(line.amount, 2800.0)

    def test_override_for_a_named_user_on_named_teams(self):
        plan = self._override_plan(
            override_user_id=self.sp1.id, override_team_ids=[(6, 0, self.team.ids)]
        )
        statements = self._by_user(plan.generate_statements(*JAN))
        # sp1 earns on the Incentive Team without her own 90,000: sp2 120,000 +
        # sp3 60,000 + the leader's 10,000 (the leader is in no team, so her deal
        # counts for the team on its record) = 190,000; 1 % = 1,900
        line = statements[self.sp1].line_ids.filtered(
            lambda line: line.line_type == "rule"
        )
        self.assertAlmostEqual(line.base, 190000.0)
        self.assertAlmostEqual(line.amount, 1900.0)
        # the leader earns nothing from a rule named for somebody else
        leader_line = statements[self.leader].line_ids.filtered(
            lambda line: line.line_type == "rule"
        )
        self.assertEqual(leader_line.amount, 0.0)

    def test_override_follows_who_led_the_team_on_each_date(self):
        # the outsider takes the team over on 16 January 2031
        with freeze_time("2031-01-16 09:00:00"):
            self.team.user_id = self.outsider
        history = self.env["sales.performance.team.membership"].search(
            [("team_id", "=", self.team.id), ("role", "=", "leader")]
        )
        self.assertEqual(
            {(m.user_id, m.date_from, m.date_to) for m in history},
            {
                (self.leader, False, date(2031, 1, 15)),
                (self.outsider, date(2031, 1, 16), False),
            },
        )
        plan = self._plan(
            [
                {
                    "name": "Team override",
                    "kind": "override",
                    "metric_id": self.metric_won.id,
                    "basis": "amount",
                    "tiers": [(0, None, 1.0)],
                }
            ],
            users=self.leader | self.outsider,
        )
        statements = self._by_user(plan.generate_statements(*JAN))
        rule_line = {
            user: statement.line_ids.filtered(lambda line: line.line_type == "rule")
            for user, statement in statements.items()
        }
        # until 15 January: sp1 50,000 (10th) + sp2 120,000 (15th) = 170,000,
        # her own 10,000 (12th) left out: 1,700
        self.assertAlmostEqual(rule_line[self.leader].base, 170000.0)
        self.assertAlmostEqual(rule_line[self.leader].amount, 1700.0)
        # from 16 January: sp1 40,000 (20th) + sp3 60,000 (31st) = 100,000: 1,000
        self.assertAlmostEqual(rule_line[self.outsider].base, 100000.0)
        self.assertAlmostEqual(rule_line[self.outsider].amount, 1000.0)
