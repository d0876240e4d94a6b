"""The wizard allocating a team target to its members."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import FEBRUARY, TargetCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 12:00:00")
class TestTargetAllocate(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # February actuals (the reference period): alice 300, bob 100, carol 200
        cls._won_lead(cls.user_alice, cls.team_1, 300.0, "2026-02-05 10:00:00")
        cls._won_lead(cls.user_bob, cls.team_1, 100.0, "2026-02-06 10:00:00")
        cls._won_lead(cls.user_carol, cls.team_1, 200.0, "2026-02-07 10:00:00")
        cls.members = cls.user_alice | cls.user_bob | cls.user_carol

    def _allocate(self, parent, user=None, **vals):
        Wizard = self.env["sales.performance.target.allocate"]
        if user:
            Wizard = Wizard.with_user(user)
        wizard = Wizard.create({"parent_id": parent.id, **vals})
        wizard.action_allocate()
        return parent.child_ids

    def _by_user(self, children):
        return {child.user_id: child.target_value for child in children}

    def test_equal_split(self):
        parent = self._target(
            self.metric_won_revenue, team_id=self.team_1.id, target_value=100.0
        )
        children = self._allocate(parent)
        self.assertEqual(children.user_id, self.members)
        self.assertEqual(sorted(children.mapped("target_value")), [33.33, 33.33, 33.34])
        self.assertEqual(round(sum(children.mapped("target_value")), 2), 100.0)
        self.assertEqual(set(children.mapped("state")), {"draft"})
        self.assertEqual(children.team_id, self.team_1)
        self.assertEqual(children.metric_id, self.metric_won_revenue)
        self.assertEqual(set(children.mapped("date_from")), {date(2026, 3, 1)})
        self.assertEqual(set(children.mapped("date_to")), {date(2026, 3, 31)})
        self.assertFalse(parent.rollup_mismatch)
        self.assertEqual(parent.rollup_gap, 0.0)
        # allocating again finds nobody left
        with self.assertRaises(UserError):
            self._allocate(parent)
        self.assertEqual(len(parent.child_ids), 3)

    def test_equal_split_of_a_count(self):
        parent = self._target(
            self.metric_won_count, team_id=self.team_1.id, target_value=100.0
        )
        children = self._allocate(parent)
        self.assertEqual(sorted(children.mapped("target_value")), [33.0, 33.0, 34.0])

    def test_split_in_proportion_to_actuals(self):
        parent = self._target(
            self.metric_won_revenue, team_id=self.team_1.id, target_value=1000.0
        )
        children = self._allocate(
            parent,
            method="actual",
            reference_date_from=FEBRUARY[0],
            reference_date_to=FEBRUARY[1],
        )
        # 1000 x 300/600, 1000 x 100/600 = 166.666.., 1000 x 200/600 = 333.333..
        self.assertEqual(
            self._by_user(children),
            {self.user_alice: 500.0, self.user_bob: 166.67, self.user_carol: 333.33},
        )
        self.assertFalse(parent.rollup_mismatch)

    def test_proportional_without_actuals_is_equal(self):
        parent = self._target(
            self.metric_won_revenue, team_id=self.team_1.id, target_value=90.0
        )
        children = self._allocate(
            parent,
            method="actual",
            reference_date_from=date(2025, 1, 1),
            reference_date_to=date(2025, 1, 31),
        )
        self.assertEqual(set(children.mapped("target_value")), {30.0})

    def test_default_reference_period_and_preview(self):
        parent = self._target(
            self.metric_won_revenue, team_id=self.team_1.id, target_value=1000.0
        )
        form = Form(
            self.env["sales.performance.target.allocate"].with_context(
                default_parent_id=parent.id
            )
        )
        self.assertEqual(form.reference_date_from, FEBRUARY[0])
        self.assertEqual(form.reference_date_to, FEBRUARY[1])
        form.method = "actual"
        self.assertEqual(len(form.line_ids), 3)
        previews = sorted(
            (form.line_ids.edit(i).weight, form.line_ids.edit(i).target_value)
            for i in range(3)
        )
        self.assertEqual(previews, [(100.0, 166.67), (200.0, 333.33), (300.0, 500.0)])
        wizard = form.save()
        wizard.action_allocate()
        self.assertEqual(
            sorted(parent.child_ids.mapped("target_value")), [166.67, 333.33, 500.0]
        )

    def test_team_leader_allocates(self):
        parent = self._target(
            self.metric_won_revenue, team_id=self.team_1.id, target_value=100.0
        )
        children = self._allocate(parent, user=self.user_leader)
        self.assertEqual(children.user_id, self.members)
        self.assertEqual(round(sum(children.mapped("target_value")), 2), 100.0)

    def test_salesperson_cannot_allocate(self):
        parent = self._target(
            self.metric_won_revenue, team_id=self.team_1.id, target_value=100.0
        )
        self.assertTrue(parent.with_user(self.user_alice).read(["target_value"]))
        with self.assertRaises(AccessError):
            self._allocate(parent, user=self.user_alice)
        self.assertFalse(parent.child_ids)

    def test_bad_input(self):
        user_target = self._target(self.metric_won_revenue, user_id=self.user_alice.id)
        with self.assertRaises(UserError):
            self._allocate(user_target)
        parent = self._target(
            self.metric_won_revenue, team_id=self.team_1.id, target_value=100.0
        )
        with self.assertRaises(UserError):
            self._allocate(
                parent,
                method="actual",
                reference_date_from=date(2026, 2, 28),
                reference_date_to=date(2026, 2, 1),
            )
        with self.assertRaises(UserError):
            self.env["sales.performance.target.allocate"].create(
                {
                    "parent_id": parent.id,
                    "method": "actual",
                    "reference_date_from": False,
                }
            ).action_allocate()
        empty_team = self._new_team("SP Empty", company=self.company_a)
        empty = self._target(self.metric_won_revenue, team_id=empty_team.id)
        with self.assertRaises(UserError):
            self._allocate(empty)
        self.assertFalse(parent.child_ids)
