"""Who reads and writes which targets: salespeople, team leaders, managers,
across companies."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MARCH, TargetCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 12:00:00")
class TestTargetSecurity(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        metric = cls.metric_won_revenue
        cls.t_alice = cls._target(
            metric, user_id=cls.user_alice.id, team_id=cls.team_1.id
        )
        cls.t_bob = cls._target(metric, user_id=cls.user_bob.id, team_id=cls.team_1.id)
        cls.t_dave = cls._target(
            metric, user_id=cls.user_dave.id, team_id=cls.team_2.id
        )
        cls.t_leader = cls._target(metric, user_id=cls.user_leader.id)
        cls.t_team_1 = cls._target(metric, team_id=cls.team_1.id)
        cls.t_team_2 = cls._target(metric, team_id=cls.team_2.id)
        cls.t_company_a = cls._target(metric)
        cls.t_company_b = cls._target(metric, company_id=cls.company_b.id)
        cls.t_erin = cls._target(
            metric, company_id=cls.company_b.id, user_id=cls.user_erin_b.id
        )
        cls.all_targets = (
            cls.t_alice
            | cls.t_bob
            | cls.t_dave
            | cls.t_leader
            | cls.t_team_1
            | cls.t_team_2
            | cls.t_company_a
            | cls.t_company_b
            | cls.t_erin
        )

    def _visible(self, user):
        return self.Target.with_user(user).search([("id", "in", self.all_targets.ids)])

    def test_salesperson_reads_own_team_and_company_targets(self):
        self.assertEqual(
            self._visible(self.user_alice),
            self.t_alice | self.t_team_1 | self.t_company_a,
        )
        self.assertEqual(
            self._visible(self.user_dave),
            self.t_dave | self.t_team_2 | self.t_company_a,
        )
        self.assertEqual(
            self._visible(self.user_erin_b), self.t_erin | self.t_company_b
        )
        # and reads the figures of their own
        own = self.t_alice.with_user(self.user_alice)
        self.assertEqual(own.read(["target_value"])[0]["target_value"], 100.0)

    def test_salesperson_cannot_read_a_colleague(self):
        for target in (self.t_bob, self.t_leader, self.t_team_2, self.t_company_b):
            with self.subTest(target=target.name), self.assertRaises(AccessError):
                target.with_user(self.user_alice).read(["target_value"])
        self.assertFalse(
            self.Target.with_user(self.user_alice).search(
                [("user_id", "=", self.user_bob.id)]
            )
        )

    def test_salesperson_cannot_write_own_target(self):
        own = self.t_alice.with_user(self.user_alice)
        with self.assertRaises(AccessError):
            own.write({"target_value": 1.0})
        with self.assertRaises(AccessError):
            own.write({"achieved_value": 1000000.0})
        with self.assertRaises(AccessError):
            own.write({"state": "active"})
        with self.assertRaises(AccessError):
            own.unlink()
        with self.assertRaises(AccessError):
            self.Target.with_user(self.user_alice).create(
                {
                    "company_id": self.company_a.id,
                    "metric_id": self.metric_won_count.id,
                    "date_from": MARCH[0],
                    "date_to": MARCH[1],
                    "user_id": self.user_alice.id,
                    "target_value": 1.0,
                }
            )
        self.assertEqual(self.t_alice.target_value, 100.0)
        self.assertEqual(self.t_alice.achieved_value, 0.0)
        self.assertEqual(self.t_alice.state, "draft")

    def test_team_leader(self):
        self.assertEqual(
            self._visible(self.user_leader),
            self.t_alice
            | self.t_bob
            | self.t_leader
            | self.t_team_1
            | self.t_company_a,
        )
        member = self.t_alice.with_user(self.user_leader)
        member.write({"target_value": 250.0})
        self.assertEqual(self.t_alice.target_value, 250.0)
        member.action_activate()
        self.assertEqual(self.t_alice.state, "active")
        # leaders manage members' targets, not the computed figures
        with self.assertRaises(AccessError):
            member.write({"achieved_value": 1.0})
        # nor their own target, nor another team's salesperson
        with self.assertRaises(AccessError):
            self.t_leader.with_user(self.user_leader).write({"target_value": 1.0})
        with self.assertRaises(AccessError):
            self.t_dave.with_user(self.user_leader).read(["target_value"])
        with self.assertRaises(AccessError):
            self.t_dave.with_user(self.user_leader).write({"target_value": 1.0})
        with self.assertRaises(AccessError):
            self.t_dave.with_user(self.user_leader).action_activate()
        with self.assertRaises(AccessError):
            self.t_leader.with_user(self.user_leader).action_activate()
        with self.assertRaises(AccessError):
            self.env["sales.performance.target.revise"].with_user(
                self.user_leader
            ).create(
                {"target_id": self.t_leader.id, "new_value": 1.0, "reason": "mine"}
            ).action_revise()
        self.assertEqual(self.t_dave.target_value, 100.0)
        self.assertEqual(self.t_leader.target_value, 100.0)
        # a leader creates targets for their members
        self.Target.with_user(self.user_leader).create(
            {
                "company_id": self.company_a.id,
                "metric_id": self.metric_won_count.id,
                "date_from": MARCH[0],
                "date_to": MARCH[1],
                "user_id": self.user_bob.id,
                "team_id": self.team_1.id,
                "target_value": 3.0,
            }
        )

    def test_manager_sees_all_targets_of_allowed_companies(self):
        company_a_targets = self.all_targets - self.t_company_b - self.t_erin
        self.assertEqual(self._visible(self.user_manager), company_a_targets)
        with self.assertRaises(AccessError):
            self.t_company_b.with_user(self.user_manager).read(["target_value"])
        self.t_dave.with_user(self.user_manager).write({"target_value": 300.0})
        self.assertEqual(self.t_dave.target_value, 300.0)
        with self.assertRaises(AccessError):
            self.t_dave.with_user(self.user_manager).write({"achieved_value": 1.0})
        # allowed in company B too: sees B's targets only when B is enabled
        self.user_manager.company_ids = [Command.link(self.company_b.id)]
        self.assertEqual(self._visible(self.user_manager), self.all_targets)
        only_a = self.Target.with_user(self.user_manager).with_context(
            allowed_company_ids=self.company_a.ids
        )
        self.assertEqual(
            only_a.search([("id", "in", self.all_targets.ids)]), company_a_targets
        )

    def test_recompute_button_respects_read_access(self):
        self.t_alice.with_user(self.user_alice).action_recompute()
        with self.assertRaises(AccessError):
            self.t_bob.with_user(self.user_alice).action_recompute()

    def test_metrics_are_read_only_for_salespeople(self):
        metric = self.metric_won_revenue.with_user(self.user_alice)
        self.assertEqual(metric.name, "Won Revenue")
        with self.assertRaises(AccessError):
            metric.write({"domain": "[]"})
        with self.assertRaises(AccessError):
            metric.copy()
