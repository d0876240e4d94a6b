"""The wizard creating a year of monthly or quarterly targets."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import TargetCommon

MONTHS_2027 = [
    (date(2027, 1, 1), date(2027, 1, 31)),
    (date(2027, 2, 1), date(2027, 2, 28)),
    (date(2027, 3, 1), date(2027, 3, 31)),
    (date(2027, 4, 1), date(2027, 4, 30)),
    (date(2027, 5, 1), date(2027, 5, 31)),
    (date(2027, 6, 1), date(2027, 6, 30)),
    (date(2027, 7, 1), date(2027, 7, 31)),
    (date(2027, 8, 1), date(2027, 8, 31)),
    (date(2027, 9, 1), date(2027, 9, 30)),
    (date(2027, 10, 1), date(2027, 10, 31)),
    (date(2027, 11, 1), date(2027, 11, 30)),
    (date(2027, 12, 1), date(2027, 12, 31)),
]
QUARTERS_2028 = [
    (date(2028, 1, 1), date(2028, 3, 31)),
    (date(2028, 4, 1), date(2028, 6, 30)),
    (date(2028, 7, 1), date(2028, 9, 30)),
    (date(2028, 10, 1), date(2028, 12, 31)),
]


@tagged("post_install", "-at_install")
@freeze_time("2026-11-20 12:00:00")
class TestTargetGenerate(TargetCommon):
    def _wizard(self, **vals):
        return (
            self.env["sales.performance.target.generate"]
            .with_user(self.user_manager)
            .create(
                {
                    "company_id": self.company_a.id,
                    "year": 2027,
                    "period_type": "month",
                    "assignee_type": "user",
                    "metric_id": self.metric_won_revenue.id,
                    "target_value": 1000.0,
                    **vals,
                }
            )
        )

    def _periods(self, targets):
        return sorted(
            zip(targets.mapped("date_from"), targets.mapped("date_to"), strict=True)
        )

    def test_monthly_targets_for_salespeople(self):
        wizard = self._wizard(user_ids=[(6, 0, (self.user_alice | self.user_bob).ids)])
        action = wizard.action_generate()
        targets = self.Target.search(action["domain"])
        self.assertEqual(len(targets), 24)
        for user in (self.user_alice, self.user_bob):
            mine = targets.filtered(lambda t, user=user: t.user_id == user)
            self.assertEqual(self._periods(mine), MONTHS_2027)
        self.assertEqual(set(targets.mapped("target_value")), {1000.0})
        self.assertEqual(set(targets.mapped("state")), {"draft"})
        self.assertEqual(targets.company_id, self.company_a)
        self.assertEqual(targets.metric_id, self.metric_won_revenue)
        self.assertFalse(targets.team_id)

    def test_quarterly_targets_for_teams_leap_year(self):
        wizard = self._wizard(
            year=2028,
            period_type="quarter",
            assignee_type="team",
            team_ids=[(6, 0, (self.team_1 | self.team_2).ids)],
        )
        targets = self.Target.search(wizard.action_generate()["domain"])
        self.assertEqual(len(targets), 8)
        for team in (self.team_1, self.team_2):
            mine = targets.filtered(lambda t, team=team: t.team_id == team)
            self.assertEqual(self._periods(mine), QUARTERS_2028)
        self.assertFalse(targets.user_id)
        # skipping existing ones works for teams too
        self.Target.search(
            [("id", "in", targets.ids), ("date_from", "!=", date(2028, 4, 1))]
        ).unlink()
        wizard = self._wizard(
            year=2028,
            period_type="quarter",
            assignee_type="team",
            team_ids=[(6, 0, (self.team_1 | self.team_2).ids)],
        )
        again = self.Target.search(wizard.action_generate()["domain"])
        self.assertEqual(len(again), 6)
        self.assertNotIn(date(2028, 4, 1), again.mapped("date_from"))

    def test_monthly_company_targets(self):
        wizard = self._wizard(year=2028, assignee_type="company", target_value=5000.0)
        targets = self.Target.search(wizard.action_generate()["domain"])
        self.assertEqual(len(targets), 12)
        self.assertFalse(targets.user_id or targets.team_id)
        self.assertIn((date(2028, 2, 1), date(2028, 2, 29)), self._periods(targets))

    def test_skip_existing(self):
        existing = self._target(
            self.metric_won_revenue,
            date(2027, 3, 1),
            date(2027, 3, 31),
            user_id=self.user_alice.id,
            target_value=42.0,
        )
        before = self.Target.search_count([])
        # without skipping, the overlap is refused and nothing is created
        wizard = self._wizard(
            user_ids=[(6, 0, (self.user_alice | self.user_bob).ids)],
            skip_existing=False,
        )
        with self.assertRaises(ValidationError):
            wizard.action_generate()
        self.assertEqual(self.Target.search_count([]), before)

        wizard = self._wizard(user_ids=[(6, 0, (self.user_alice | self.user_bob).ids)])
        targets = self.Target.search(wizard.action_generate()["domain"])
        self.assertEqual(len(targets), 23)
        alice = targets.filtered(lambda t: t.user_id == self.user_alice)
        self.assertEqual(len(alice), 11)
        self.assertNotIn((date(2027, 3, 1), date(2027, 3, 31)), self._periods(alice))
        self.assertEqual(existing.target_value, 42.0)
        # a second run has nothing left to create
        with self.assertRaises(UserError):
            self._wizard(
                user_ids=[(6, 0, (self.user_alice | self.user_bob).ids)]
            ).action_generate()
        # another metric is another target
        wizard = self._wizard(
            user_ids=[(6, 0, self.user_alice.ids)], metric_id=self.metric_won_count.id
        )
        self.assertEqual(
            len(self.Target.search(wizard.action_generate()["domain"])), 12
        )

    def test_bad_input(self):
        with self.assertRaises(UserError):
            self._wizard(target_value=-5.0)
        with self.assertRaises(UserError):
            self._wizard(year=1999)
        with self.assertRaises(UserError):
            self._wizard().action_generate()  # no salespeople chosen
        with self.assertRaises(UserError):
            self._wizard(assignee_type="team").action_generate()
        # a salesperson of company B cannot get targets in company A
        before = self.Target.search_count([])
        with self.assertRaises(ValidationError):
            self._wizard(
                user_ids=[(6, 0, (self.user_alice | self.user_erin_b).ids)]
            ).action_generate()
        self.assertEqual(self.Target.search_count([]), before)

    def test_salesperson_cannot_generate(self):
        with self.assertRaises(AccessError):
            self.env["sales.performance.target.generate"].with_user(
                self.user_alice
            ).create(
                {
                    "company_id": self.company_a.id,
                    "year": 2027,
                    "metric_id": self.metric_won_revenue.id,
                    "target_value": 1.0,
                    "user_ids": [(6, 0, self.user_alice.ids)],
                }
            )
