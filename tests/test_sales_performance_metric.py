"""Every built-in metric on data built here, against hand-computed values."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import APRIL, FEBRUARY, MARCH, TargetCommon


class MetricCase(TargetCommon):
    def _assignee_targets(self, metric, period=MARCH, users=None):
        """User targets for alice, bob and dave, team targets for both teams
        and a company target, all recomputed."""
        users = users or {
            "alice": self.user_alice,
            "bob": self.user_bob,
            "dave": self.user_dave,
        }
        targets = {
            name: self._target(metric, *period, user_id=user.id)
            for name, user in users.items()
        }
        targets["team_1"] = self._target(metric, *period, team_id=self.team_1.id)
        targets["team_2"] = self._target(metric, *period, team_id=self.team_2.id)
        targets["company"] = self._target(metric, *period)
        all_targets = self.Target.browse([t.id for t in targets.values()])
        all_targets.action_recompute()
        return targets

    def assertAchieved(self, targets, expected):
        actual = {name: targets[name].achieved_value for name in expected}
        for name, value in expected.items():
            self.assertAlmostEqual(
                actual[name], value, places=2, msg=f"{name}: {actual} != {expected}"
            )


@tagged("post_install", "-at_install")
class TestMetricWonRevenue(MetricCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        alice, bob, dave = cls.user_alice, cls.user_bob, cls.user_dave
        cls._won_lead(alice, cls.team_1, 1000.0, "2026-03-05 10:00:00")
        cls._won_lead(
            alice, cls.team_1, 250.5, "2026-03-31 23:00:00"
        )  # last day, UTC user
        cls._won_lead(alice, cls.team_1, 400.0, "2026-04-01 00:00:00")  # April
        cls._won_lead(alice, cls.team_1, 300.0, "2026-02-28 23:59:59")  # February
        # recorded on team 2, but Alice was in team 1 on that day: team credit
        # follows the team the salesperson belonged to on the document's date
        # (team history), not the record's team field
        cls._won_lead(alice, cls.team_2, 200.0, "2026-03-10 09:00:00")
        cls._won_lead(bob, cls.team_1, 700.0, "2026-03-15 12:00:00")
        cls._won_lead(dave, cls.team_2, 50.0, "2026-03-20 12:00:00")
        cls._won_lead(False, cls.team_1, 80.0, "2026-03-12 12:00:00")  # no salesperson
        cls._won_lead(
            cls.user_erin_b,
            cls.team_b,
            10000.0,
            "2026-03-10 12:00:00",
            company=cls.company_b,
        )
        # lost and open opportunities never count
        lost = cls._lead(bob, cls.team_1, 5000.0)
        lost.action_set_lost()
        lost.write({"date_closed": "2026-03-16 12:00:00"})
        cls._lead(bob, cls.team_1, 900.0, probability=50.0)
        # a won lead (not an opportunity) does not count either
        won_lead = cls._lead(bob, cls.team_1, 333.0, type="lead")
        won_lead.action_set_won()
        won_lead.write({"date_closed": "2026-03-16 12:00:00"})

    @freeze_time("2026-04-15 12:00:00")
    def test_won_revenue(self):
        targets = self._assignee_targets(self.metric_won_revenue)
        self.assertAchieved(
            targets,
            {
                "alice": 1000.0 + 250.5 + 200.0,
                "bob": 700.0,
                "dave": 50.0,
                "team_1": 1000.0 + 250.5 + 200.0 + 700.0 + 80.0,
                "team_2": 50.0,
                "company": 1000.0 + 250.5 + 200.0 + 700.0 + 50.0 + 80.0,
            },
        )
        company_b_target = self._target(
            self.metric_won_revenue, company_id=self.company_b.id, target_value=20000.0
        )
        company_b_target.action_recompute()
        self.assertEqual(company_b_target.achieved_value, 10000.0)
        self.assertEqual(company_b_target.attainment, 50.0)

    @freeze_time("2026-04-15 12:00:00")
    def test_won_count(self):
        targets = self._assignee_targets(self.metric_won_count)
        self.assertAchieved(
            targets,
            {"alice": 3, "bob": 1, "dave": 1, "team_1": 5, "team_2": 1, "company": 6},
        )

    @freeze_time("2026-04-15 12:00:00")
    def test_previous_and_next_periods(self):
        feb = self._assignee_targets(self.metric_won_revenue, FEBRUARY)
        self.assertAchieved(
            feb, {"alice": 300.0, "bob": 0.0, "team_1": 300.0, "company": 300.0}
        )
        apr = self._assignee_targets(self.metric_won_revenue, APRIL)
        self.assertAchieved(apr, {"alice": 400.0, "team_1": 400.0, "company": 400.0})
        # the previous comparable period of a March target is February
        march = self._target(self.metric_won_revenue, user_id=self.user_alice.id)
        self.assertEqual(march.previous_value, 300.0)

    @freeze_time("2026-04-15 12:00:00")
    def test_company_period_in_company_timezone(self):
        # a company target counts the days of the company's calendar time zone:
        # in Shanghai (+8) the lead closed 31 March 23:00 UTC is April's, the
        # one closed 28 February 23:59:59 UTC is March's
        self.company_a.resource_calendar_id.tz = "Asia/Shanghai"
        feb = self._target(self.metric_won_revenue, *FEBRUARY)
        mar = self._target(self.metric_won_revenue)
        apr = self._target(self.metric_won_revenue, *APRIL)
        (feb | mar | apr).action_recompute()
        self.assertEqual(feb.achieved_value, 0.0)
        self.assertEqual(
            mar.achieved_value, 1000.0 + 300.0 + 200.0 + 700.0 + 50.0 + 80.0
        )
        self.assertEqual(apr.achieved_value, 250.5 + 400.0)

    @freeze_time("2026-04-15 12:00:00")
    def test_period_boundaries_in_user_timezone(self):
        shanghai = self._new_user(
            "sp_shanghai",
            company=self.company_a,
            name="SP Shanghai",
            tz="Asia/Shanghai",
        )
        for user in (shanghai, self.user_carol):  # carol works in UTC
            self._won_lead(
                user, False, 10.0, "2026-02-28 15:59:59"
            )  # Feb 28 23:59:59 +8
            self._won_lead(user, False, 20.0, "2026-02-28 17:00:00")  # Mar 1 01:00 +8
            self._won_lead(
                user, False, 40.0, "2026-03-31 15:59:59"
            )  # Mar 31 23:59:59 +8
            self._won_lead(user, False, 80.0, "2026-03-31 16:00:00")  # Apr 1 00:00 +8
        targets = {}
        for name, period in (("feb", FEBRUARY), ("mar", MARCH), ("apr", APRIL)):
            for user in (shanghai, self.user_carol):
                targets[(user.login, name)] = self._target(
                    self.metric_won_revenue, *period, user_id=user.id
                )
        self.Target.browse([t.id for t in targets.values()]).action_recompute()
        self.assertEqual(targets[("sp_shanghai", "feb")].achieved_value, 10.0)
        self.assertEqual(targets[("sp_shanghai", "mar")].achieved_value, 20.0 + 40.0)
        self.assertEqual(targets[("sp_shanghai", "apr")].achieved_value, 80.0)
        self.assertEqual(targets[("sp_carol", "feb")].achieved_value, 10.0 + 20.0)
        self.assertEqual(targets[("sp_carol", "mar")].achieved_value, 40.0 + 80.0)
        self.assertEqual(targets[("sp_carol", "apr")].achieved_value, 0.0)


@tagged("post_install", "-at_install")
class TestMetricConfirmedSales(MetricCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        alice, bob, dave = cls.user_alice, cls.user_bob, cls.user_dave
        eur = cls.pricelist_eur
        cls.order_usd = cls._order(
            alice, cls.team_1, cls.customer_1, 1000.0, "2026-03-05 10:00:00"
        )
        # 1000 EUR at the rate of 10 March (2.0 EUR per USD) = 500 USD
        cls.order_eur = cls._order(
            alice,
            cls.team_1,
            cls.customer_2,
            1000.0,
            "2026-03-10 10:00:00",
            pricelist=eur,
        )
        # 300 EUR at the rate of 25 March (4.0) = 75 USD
        cls._order(
            bob, cls.team_1, cls.customer_3, 300.0, "2026-03-25 10:00:00", pricelist=eur
        )
        cls._order(
            bob, cls.team_1, cls.customer_3, 999.0, "2026-03-06 10:00:00", state="draft"
        )
        cls._order(
            bob,
            cls.team_1,
            cls.customer_3,
            888.0,
            "2026-03-07 10:00:00",
            state="cancel",
        )
        cls._order(dave, cls.team_2, cls.customer_4, 400.0, "2026-03-31 20:00:00")
        cls._order(dave, cls.team_2, cls.customer_4, 600.0, "2026-04-01 00:00:00")
        # February: 250 EUR at 1.25 = 200 USD
        cls._order(
            alice,
            cls.team_1,
            cls.customer_1,
            250.0,
            "2026-02-15 10:00:00",
            pricelist=eur,
        )
        cls._order(
            cls.user_erin_b,
            cls.team_b,
            cls.customer_1,
            5000.0,
            "2026-03-05 10:00:00",
            company=cls.company_b,
        )

    @freeze_time("2026-04-15 12:00:00")
    def test_confirmed_sales(self):
        # sanity of the fixture, not of the code under test
        self.assertEqual(self.order_eur.currency_id, self.eur)
        self.assertEqual(self.order_eur.amount_untaxed, 1000.0)
        targets = self._assignee_targets(self.metric_confirmed_sales)
        self.assertAchieved(
            targets,
            {
                "alice": 1000.0 + 500.0,
                "bob": 75.0,
                "dave": 400.0,
                "team_1": 1000.0 + 500.0 + 75.0,
                "team_2": 400.0,
                "company": 1000.0 + 500.0 + 75.0 + 400.0,
            },
        )
        # previous period actual of alice: February's 250 EUR at 1.25
        self.assertAlmostEqual(targets["alice"].previous_value, 200.0, places=2)

    @freeze_time("2026-04-15 12:00:00")
    def test_source_drill_down(self):
        target = self._target(self.metric_confirmed_sales, user_id=self.user_alice.id)
        action = target.action_view_sources()
        self.assertEqual(action["res_model"], "sale.order")
        orders = self.env["sale.order"].search(action["domain"])
        self.assertEqual(orders, self.order_usd | self.order_eur)


@tagged("post_install", "-at_install")
class TestMetricNewCustomers(MetricCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        alice, bob, dave = cls.user_alice, cls.user_bob, cls.user_dave
        # customer 1: first order in February (alice); a March order of its
        # contact (bob) does not make it new again
        cls._order(alice, cls.team_1, cls.customer_1, 100.0, "2026-02-10 10:00:00")
        cls._order(bob, cls.team_1, cls.contact_1, 100.0, "2026-03-05 10:00:00")
        # customer 2: first order in March (bob)
        cls._order(bob, cls.team_1, cls.customer_2, 100.0, "2026-03-08 10:00:00")
        # customer 3: draft and cancelled orders of alice do not count, the
        # first confirmed one is dave's
        cls._order(
            alice,
            cls.team_1,
            cls.customer_3,
            100.0,
            "2026-03-03 10:00:00",
            state="draft",
        )
        cls._order(
            alice,
            cls.team_1,
            cls.customer_3,
            100.0,
            "2026-03-04 10:00:00",
            state="cancel",
        )
        cls._order(dave, cls.team_2, cls.customer_3, 100.0, "2026-03-20 10:00:00")
        # customer 4: two March orders make one new customer, credited to the first
        cls._order(alice, cls.team_1, cls.customer_4, 100.0, "2026-03-12 10:00:00")
        cls._order(bob, cls.team_1, cls.customer_4, 100.0, "2026-03-25 10:00:00")

    @freeze_time("2026-04-15 12:00:00")
    def test_new_customers(self):
        targets = self._assignee_targets(self.metric_new_customers)
        self.assertAchieved(
            targets,
            {"alice": 1, "bob": 1, "dave": 1, "team_1": 2, "team_2": 1, "company": 3},
        )
        feb = self._assignee_targets(self.metric_new_customers, FEBRUARY)
        self.assertAchieved(feb, {"alice": 1, "bob": 0, "team_1": 1, "company": 1})

    @freeze_time("2026-04-15 12:00:00")
    def test_new_customers_of_several_periods_at_once(self):
        """Periods computed together (one query): each customer counts in
        the period of its first order only, whatever the periods asked with
        it (customer 1 orders in February and, through its contact, in
        March: new in February only; nobody orders in April)."""
        metric = self.metric_new_customers
        company = self.company_a.id

        def per_user(values):
            out = {}
            for (company_id, user_id, _team), value in values.items():
                if company_id == company and value:
                    out[user_id] = out.get(user_id, 0) + value
            return out

        alice, bob, dave = self.user_alice.id, self.user_bob.id, self.user_dave.id
        for periods in ([FEBRUARY, MARCH, APRIL], [MARCH, APRIL], [FEBRUARY]):
            values = metric._compute_values_multi(periods, "UTC", {company})
            expected = {
                FEBRUARY: {alice: 1},
                MARCH: {alice: 1, bob: 1, dave: 1},
                APRIL: {},
            }
            for period in periods:
                self.assertEqual(
                    per_user(values[period]), expected[period], (periods, period)
                )

    @freeze_time("2026-04-15 12:00:00")
    def test_new_customers_drill_down(self):
        target = self._target(self.metric_new_customers, user_id=self.user_bob.id)
        orders = self.env["sale.order"].search(target.action_view_sources()["domain"])
        self.assertEqual(orders.partner_id, self.customer_2)


@tagged("post_install", "-at_install")
class TestMetricActivitiesDone(MetricCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def done(user, when, count=1):
            with freeze_time(when):
                for _i in range(count):
                    activity = cls.customer_1.activity_schedule(
                        "mail.mail_activity_data_todo",
                        user_id=user.id,
                        summary="SP call",
                    )
                    activity.action_feedback(feedback="done")
                # date_done is computed at flush time: flush while time is frozen
                cls.env.flush_all()

        done(cls.user_alice, "2026-02-27 12:00:00")
        done(cls.user_alice, "2026-03-10 12:00:00", count=2)
        done(cls.user_bob, "2026-03-31 12:00:00")
        done(cls.user_dave, "2026-03-02 12:00:00")
        done(cls.user_leader, "2026-03-03 12:00:00")  # leads team 1, not a member
        done(cls.user_erin_b, "2026-03-03 12:00:00")  # company B
        done(cls.user_bob, "2026-04-01 12:00:00")
        # still to do: not counted
        cls.customer_2.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.user_alice.id
        )

    @freeze_time("2026-04-15 12:00:00")
    def test_activities_done(self):
        self.assertFalse(self.metric_activities_done.team_field_id)
        targets = self._assignee_targets(self.metric_activities_done)
        self.assertAchieved(
            targets,
            {
                "alice": 2,
                "bob": 1,
                "dave": 1,
                # no team field: a team achieves what its members achieve
                "team_1": 2 + 1,
                "team_2": 1,
                "company": 2 + 1 + 1 + 1,
            },
        )
        feb = self._assignee_targets(self.metric_activities_done, FEBRUARY)
        self.assertAchieved(feb, {"alice": 1, "team_1": 1, "company": 1})


@tagged("post_install", "-at_install")
class TestMetricInvoicedRevenue(MetricCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company_a, install_demo=False
        )
        alice, bob, dave = cls.user_alice, cls.user_bob, cls.user_dave
        cls._invoice(alice, cls.team_1, 1000.0, "2026-03-05")
        cls._invoice(alice, cls.team_1, 200.0, "2026-03-20", move_type="out_refund")
        # 300 EUR on 10 March at 2.0 EUR per USD = 150 USD
        cls._invoice(alice, cls.team_1, 300.0, "2026-03-10", currency=cls.eur)
        cls._invoice(bob, cls.team_1, 500.0, "2026-03-31")
        cls._invoice(bob, cls.team_1, 777.0, "2026-03-12", post=False)
        cls._invoice(bob, cls.team_1, 400.0, "2026-04-01")
        cls._invoice(dave, cls.team_2, 250.0, "2026-03-15")
        cls._invoice(dave, cls.team_2, 90.0, "2026-03-15", move_type="in_invoice")

    @classmethod
    def _invoice(
        cls,
        user,
        team,
        amount,
        invoice_date,
        move_type="out_invoice",
        currency=None,
        post=True,
    ):
        move = (
            cls.env["account.move"]
            .with_company(cls.company_a)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": cls.customer_1.id,
                    "invoice_date": invoice_date,
                    "invoice_user_id": user.id,
                    "team_id": team.id,
                    "company_id": cls.company_a.id,
                    "currency_id": (currency or cls.usd).id,
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
        )
        if post:
            move.action_post()
        return move

    @freeze_time("2026-04-15 12:00:00")
    def test_invoiced_revenue(self):
        targets = self._assignee_targets(self.metric_invoiced_revenue)
        self.assertAchieved(
            targets,
            {
                "alice": 1000.0 - 200.0 + 150.0,
                "bob": 500.0,
                "dave": 250.0,
                "team_1": 1000.0 - 200.0 + 150.0 + 500.0,
                "team_2": 250.0,
                "company": 1000.0 - 200.0 + 150.0 + 500.0 + 250.0,
            },
        )
        self.assertEqual(targets["alice"].attainment, 950.0)  # 950 of a 100 target
        apr = self._assignee_targets(
            self.metric_invoiced_revenue, (date(2026, 4, 1), date(2026, 4, 30))
        )
        self.assertAchieved(apr, {"bob": 400.0, "company": 400.0})
