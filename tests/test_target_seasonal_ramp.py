"""Seasonal allocation and ramps of new hires (issue #16). Every expected
figure is computed by hand in the test."""

from datetime import date, datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import TargetCommon

Q1_2026 = (date(2026, 1, 1), date(2026, 3, 31))
YEAR_2026 = (date(2026, 1, 1), date(2026, 12, 31))


@tagged("post_install", "-at_install")
class TestTargetSeasonal(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Allocate = cls.env["sales.performance.target.allocate"]

    def _allocate(self, parent, year=2025, user=None):
        wizard = self.Allocate.with_user(user or self.user_manager).create(
            {"parent_id": parent.id, "method": "seasonal", "reference_year": year}
        )
        wizard.action_allocate()
        return wizard, parent.child_ids.sorted("date_from")

    def test_quarter_by_the_assignees_months(self):
        # Alice won 1000 in January, 3000 in February and 2000 in March 2025;
        # other years and months do not count.
        for amount, when in (
            (1000.0, datetime(2025, 1, 15, 10)),
            (3000.0, datetime(2025, 2, 10, 10)),
            (2000.0, datetime(2025, 3, 5, 10)),
            (9000.0, datetime(2024, 2, 10, 10)),
            (9000.0, datetime(2025, 4, 1, 10)),
        ):
            self._won_lead(self.user_alice, self.team_1, amount, when)
        parent = self._target(
            self.metric_won_revenue,
            *Q1_2026,
            user_id=self.user_alice.id,
            team_id=self.team_1.id,
            target_value=10000.0,
        )
        wizard, months = self._allocate(parent)
        # 10000 x 1/6 = 1666.666.., x 3/6 = 5000, x 2/6 = 3333.333..: the
        # missing cent goes to January (largest remainder .67 over .33)
        self.assertEqual(months.mapped("target_value"), [1666.67, 5000.0, 3333.33])
        self.assertEqual(
            [(m.date_from, m.date_to) for m in months],
            [
                (date(2026, 1, 1), date(2026, 1, 31)),
                (date(2026, 2, 1), date(2026, 2, 28)),
                (date(2026, 3, 1), date(2026, 3, 31)),
            ],
        )
        for month in months:
            self.assertEqual(month.user_id, self.user_alice)
            self.assertEqual(month.team_id, self.team_1)
            self.assertEqual(month.metric_id, self.metric_won_revenue)
            self.assertEqual(month.state, "draft")
            self.assertTrue(month.is_month_breakdown)
        self.assertFalse(parent.rollup_mismatch)
        self.assertEqual(parent.children_total, 10000.0)
        self.assertIn("SP Alice", wizard.seasonal_note)
        self.assertIn(
            "Split over 3 months", " ".join(parent.message_ids.mapped("body"))
        )
        # the months are the assignee's targets for their periods: another
        # target of Alice on January still overlaps
        with self.assertRaises(ValidationError):
            self._target(
                self.metric_won_revenue,
                date(2026, 1, 1),
                date(2026, 1, 31),
                user_id=self.user_alice.id,
            )
        # allocating again creates nothing more
        with self.assertRaises(UserError):
            self._allocate(parent)

    def test_dimension_narrows_the_weights_and_the_months(self):
        france, belgium = self.env.ref("base.fr"), self.env.ref("base.be")
        for amount, when, country in (
            (100.0, datetime(2025, 1, 15, 10), france),
            (300.0, datetime(2025, 2, 15, 10), france),
            (5000.0, datetime(2025, 3, 15, 10), belgium),
        ):
            lead = self._lead(
                self.user_alice, self.team_1, amount, country_id=country.id
            )
            lead.action_set_won()
            lead.date_closed = when
        parent = self._target(
            self.metric_won_revenue,
            *Q1_2026,
            user_id=self.user_alice.id,
            country_id=france.id,
            target_value=800.0,
        )
        _wizard, months = self._allocate(parent)
        # French deals only: 800 x 100/400, x 300/400, March 0
        self.assertEqual(months.mapped("target_value"), [200.0, 600.0, 0.0])
        self.assertEqual(months.country_id, france)
        # a Belgian January target of Alice is another target; a French one
        # overlaps the French January
        self._target(
            self.metric_won_revenue,
            date(2026, 1, 1),
            date(2026, 1, 31),
            user_id=self.user_alice.id,
            country_id=belgium.id,
        )
        with self.assertRaises(ValidationError):
            self._target(
                self.metric_won_revenue,
                date(2026, 1, 1),
                date(2026, 1, 31),
                user_id=self.user_alice.id,
                country_id=france.id,
            )

    def test_company_fallback_when_the_assignee_has_none(self):
        # Bob sold nothing in 2025; the company (Carol, Dave) sold 100 in
        # January and 300 in March.
        self._won_lead(self.user_carol, self.team_1, 100.0, datetime(2025, 1, 20, 9))
        self._won_lead(self.user_dave, self.team_2, 300.0, datetime(2025, 3, 20, 9))
        parent = self._target(
            self.metric_won_revenue,
            *Q1_2026,
            user_id=self.user_bob.id,
            target_value=1000.0,
        )
        wizard, months = self._allocate(parent)
        # 1000 x 100/400, 0, 1000 x 300/400
        self.assertEqual(months.mapped("target_value"), [250.0, 0.0, 750.0])
        self.assertIn("company", wizard.seasonal_note)
        self.assertIn("SP Bob has none", wizard.seasonal_note)

    def test_year_of_the_company_target(self):
        # the company sold 100 in January 2025 and 200 in July 2025
        self._won_lead(self.user_alice, self.team_1, 100.0, datetime(2025, 1, 2, 9))
        self._won_lead(self.user_dave, self.team_2, 200.0, datetime(2025, 7, 30, 9))
        parent = self._target(self.metric_won_revenue, *YEAR_2026, target_value=1200.0)
        _wizard, months = self._allocate(parent)
        self.assertEqual(len(months), 12)
        expected = [0.0] * 12
        expected[0], expected[6] = 400.0, 800.0
        self.assertEqual(months.mapped("target_value"), expected)
        self.assertFalse(any(months.mapped("user_id")))
        self.assertFalse(any(months.mapped("team_id")))

    def test_count_metric_in_whole_units(self):
        # won opportunities: 1 in January, 2 in February, 0 in March 2025
        for when in (
            datetime(2025, 1, 3, 9),
            datetime(2025, 2, 3, 9),
            datetime(2025, 2, 4, 9),
        ):
            self._won_lead(self.user_alice, self.team_1, 10.0, when)
        parent = self._target(
            self.metric_won_count,
            *Q1_2026,
            user_id=self.user_alice.id,
            target_value=10.0,
        )
        _wizard, months = self._allocate(parent)
        # 10 x 1/3 = 3.33 -> 3, 10 x 2/3 = 6.67 -> 6 + the remaining unit = 7
        self.assertEqual(months.mapped("target_value"), [3.0, 7.0, 0.0])

    def test_no_reference_data_anywhere(self):
        parent = self._target(
            self.metric_won_revenue,
            *Q1_2026,
            user_id=self.user_bob.id,
            target_value=1000.0,
        )
        wizard = self.Allocate.with_user(self.user_manager).create(
            {"parent_id": parent.id, "method": "seasonal", "reference_year": 2019}
        )
        with self.assertRaisesRegex(UserError, "No reference data.*Equally"):
            wizard.action_allocate()
        self.assertFalse(parent.child_ids)
        # the screen says so and proposes equal months for a salesperson...
        preview = self.Allocate.with_user(self.user_manager).new(
            {"parent_id": parent.id, "method": "seasonal", "reference_year": 2019}
        )
        result = preview._onchange_preview()
        self.assertIn("No reference data", result["warning"]["message"])
        self.assertEqual(preview.method, "seasonal")
        self.assertEqual(
            preview.line_ids.mapped("target_value"), [333.34, 333.33, 333.33]
        )
        self.assertIn("equal", preview.seasonal_note)
        # ... and the equal split among the members for a team target
        team_parent = self._target(
            self.metric_won_revenue, *Q1_2026, team_id=self.team_2.id
        )
        preview = self.Allocate.with_user(self.user_manager).new(
            {"parent_id": team_parent.id, "method": "seasonal", "reference_year": 2019}
        )
        result = preview._onchange_preview()
        self.assertIn("No reference data", result["warning"]["message"])
        self.assertEqual(preview.method, "equal")
        self.assertEqual(preview.line_ids.user_id, self.user_dave)
        self.assertEqual(preview.line_ids.target_value, 100.0)

    def test_bad_periods_and_years(self):
        month = self._target(
            self.metric_won_revenue, user_id=self.user_bob.id, target_value=100.0
        )
        wizard = self.Allocate.with_user(self.user_manager).create(
            {"parent_id": month.id, "method": "seasonal", "reference_year": 2025}
        )
        with self.assertRaisesRegex(UserError, "whole months"):
            wizard.action_allocate()
        quarter = self._target(
            self.metric_won_revenue,
            *Q1_2026,
            user_id=self.user_carol.id,
            target_value=100.0,
        )
        for year in (0, 1899, 3000):
            wizard = self.Allocate.with_user(self.user_manager).create(
                {"parent_id": quarter.id, "method": "seasonal", "reference_year": year}
            )
            with self.assertRaises(UserError):
                wizard.action_allocate()
        self.assertFalse((month | quarter).child_ids)

    def test_leader_of_another_team_cannot_split(self):
        self._won_lead(self.user_alice, self.team_1, 100.0, datetime(2025, 1, 2, 9))
        parent = self._target(
            self.metric_won_revenue, *Q1_2026, user_id=self.user_alice.id
        )
        with self.assertRaises(AccessError):
            self._allocate(parent, user=self.user_leader_2)
        self.assertFalse(parent.child_ids)


@tagged("post_install", "-at_install")
class TestTargetRamp(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ramp = cls.env["sales.performance.ramp"]
        cls.ramp = cls.Ramp.create(
            {
                "name": "SP New Account Executive",
                "percentages": "25/50/75/100",
                "company_id": cls.company_a.id,
            }
        )
        cls.employee_alice = cls.env["hr.employee"].create(
            {
                "name": "SP Alice",
                "user_id": cls.user_alice.id,
                "company_id": cls.company_a.id,
                "ramp_id": cls.ramp.id,
                "sales_start_date": date(2026, 3, 10),
            }
        )

    def _generate(self, users, period_type="month", value=1000.0, **vals):
        wizard = (
            self.env["sales.performance.target.generate"]
            .with_user(self.user_manager)
            .create(
                {
                    "company_id": self.company_a.id,
                    "year": 2026,
                    "period_type": period_type,
                    "assignee_type": "user",
                    "user_ids": [(6, 0, users.ids)],
                    "metric_id": self.metric_won_revenue.id,
                    "target_value": value,
                    **vals,
                }
            )
        )
        wizard.action_generate()
        return self.Target.search(
            [("company_id", "=", self.company_a.id), ("user_id", "in", users.ids)],
            order="user_id, date_from",
        )

    def test_ramp_on_the_employee_month_by_month(self):
        targets = self._generate(self.user_alice | self.user_bob)
        alice = targets.filtered(lambda t: t.user_id == self.user_alice)
        bob = targets.filtered(lambda t: t.user_id == self.user_bob)
        # Alice starts on 10 March: January and February are not hers; March
        # 25 %, April 50 %, May 75 %, then the full 1000
        self.assertEqual([t.date_from.month for t in alice], list(range(3, 13)))
        self.assertEqual(
            alice.mapped("target_value"), [250.0, 500.0, 750.0] + [1000.0] * 7
        )
        self.assertIn(
            "25.0% of the full target",
            " ".join(alice[0].message_ids.mapped("body")),
        )
        # Bob has no ramp: twelve months at 1000
        self.assertEqual(bob.mapped("target_value"), [1000.0] * 12)

    def test_ramp_of_the_wizard_by_quarter(self):
        fast = self.Ramp.create(
            {
                "name": "SP Fast",
                "percentages": "50/100",
                "company_id": self.company_a.id,
            }
        )
        self.employee_alice.sales_start_date = date(2026, 2, 1)
        targets = self._generate(
            self.user_alice, period_type="quarter", value=3000.0, ramp_id=fast.id
        )
        # Q1: January 0, February 50, March 100 -> half of 3000; then 3000
        self.assertEqual(
            targets.mapped("target_value"), [1500.0, 3000.0, 3000.0, 3000.0]
        )

    def test_start_date_from_the_contract(self):
        self.employee_alice.sales_start_date = False
        self.employee_alice.contract_date_start = date(2026, 11, 5)
        targets = self._generate(self.user_alice)
        # November 25 %, December 50 %
        self.assertEqual(targets.mapped("target_value"), [250.0, 500.0])

    def test_bad_percentages(self):
        before = self.Ramp.search_count([])
        for bad in ("", "  ", "25/150", "-5/100", "25//100", "a/b", "nan", "1e2"):
            with self.assertRaises(ValidationError):
                self.Ramp.create(
                    {
                        "name": "SP Bad",
                        "percentages": bad,
                        "company_id": self.company_a.id,
                    }
                )
        with self.assertRaises(ValidationError):
            self.ramp.percentages = "50/101"
        self.assertEqual(self.Ramp.search_count([]), before)
        self.assertEqual(self.ramp.percentages, "25/50/75/100")
        self.assertEqual(self.ramp.month_count, 4)

    def test_ramp_access(self):
        other = self.Ramp.create(
            {
                "name": "SP Ramp of B",
                "percentages": "50",
                "company_id": self.company_b.id,
            }
        )
        # salespeople read the ramps of their companies, never change them
        visible = self.Ramp.with_user(self.user_alice).search([])
        self.assertIn(self.ramp, visible)
        self.assertNotIn(other, visible)
        with self.assertRaises(AccessError):
            self.Ramp.with_user(self.user_alice).create(
                {
                    "name": "SP Mine",
                    "percentages": "10",
                    "company_id": self.company_a.id,
                }
            )
        with self.assertRaises(AccessError):
            self.ramp.with_user(self.user_alice).percentages = "100"
        with self.assertRaises(AccessError):
            other.with_user(self.user_manager).read(["name"])
        # the manager manages those of their company
        self.ramp.with_user(self.user_manager).percentages = "50/100"
        self.assertEqual(self.ramp.month_count, 2)


@tagged("post_install", "-at_install")
class TestTargetSums(TestTargetSeasonal):
    """What evaluations and incentive plans add up over a period
    (``_summable_domain``): a seasonal split counts once, targets narrowed
    by a dimension and proposals do not add to the whole-metric target."""

    def test_a_split_target_counts_once(self):
        self._won_lead(self.user_alice, self.team_1, 1000.0, datetime(2025, 1, 15))
        self._won_lead(self.user_alice, self.team_1, 3000.0, datetime(2025, 2, 15))
        parent = self._target(
            self.metric_won_revenue,
            *Q1_2026,
            user_id=self.user_alice.id,
            team_id=self.team_1.id,
            target_value=8000.0,
        )
        _wizard, months = self._allocate(parent)
        # 8000 x 1/4 and x 3/4; nothing in March
        self.assertEqual(months.mapped("target_value"), [2000.0, 6000.0, 0.0])
        country = self.env.ref("base.fr")
        narrowed = self._target(
            self.metric_won_revenue,
            *Q1_2026,
            user_id=self.user_alice.id,
            team_id=self.team_1.id,
            target_value=500.0,
            country_id=country.id,
        )
        Target = self.env["sales.performance.target"]

        def summed(date_from, date_to):
            found = Target.search(
                [
                    ("user_id", "=", self.user_alice.id),
                    ("metric_id", "=", self.metric_won_revenue.id),
                    ("date_from", ">=", date_from),
                    ("date_to", "<=", date_to),
                    *Target._summable_domain(date_from, date_to),
                ]
            )
            return found, sum(found.mapped("target_value"))

        # over the quarter: the quarter's 8000, not 8000 + its months
        found, total = summed(*Q1_2026)
        self.assertEqual(found, parent)
        self.assertEqual(total, 8000.0)
        self.assertNotIn(narrowed, found)
        # over February: February's 6000
        found, total = summed(date(2026, 2, 1), date(2026, 2, 28))
        self.assertEqual(found, months[1])
        self.assertEqual(total, 6000.0)
        # over the year: the quarter once
        found, total = summed(date(2026, 1, 1), date(2026, 12, 31))
        self.assertEqual(total, 8000.0)
        # a proposal does not count until approved
        self.env.cr.execute(
            "UPDATE sales_performance_target SET state = 'proposed' WHERE id = %s",
            [parent.id],
        )
        self.env.invalidate_all()
        found, total = summed(*Q1_2026)
        self.assertFalse(found)
