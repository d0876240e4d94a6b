"""The cockpit's data API (``sales.performance.cockpit.get_cockpit_data``)
against figures computed by hand, its record rules, its query count, and a
browser tour of the client action as a team leader.

Everything is built here, in a company of its own (no demo record counts).
The period is the current month (the pipeline is what is expected to close in
the rest of the period, so it depends on today); dates that must lie in the
past are written with SQL.
"""

import unittest
from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import date_utils

from .common import PERF_MANAGER, SALESMAN, SalesPerformanceCommon
from .test_tours import BROWSER_MISSING

ALL_LEADS = "sales_team.group_sale_salesman_all_leads"


class CockpitCommon(SalesPerformanceCommon):
    """Company "SP Cockpit Co" with team 1 (leader Lena, members Alice and
    Bob) and team 2 (leader Leo, member Carl), a manager, four customers and
    the figures of Alice and Bob in the current month:

    ========================  ============================  ================
    figure                    Alice                         Bob
    ========================  ============================  ================
    won-revenue target        10,000                        10,000
    won this month            4,000 (C1) + 2,000 (C3)       9,000 (C5)
    lost this month           1 (C1)                        0
    previous month            won 1, lost 3                 nothing
    days creation -> won      10 and 20                     5
    open pipeline this month  2,000 x 50 % + 1,000 x 60 %   3,000 x 50 %
    activities done           2 this month (1 last month)   0
    stale (14 days)           1 (S1; S2 has a recent        1 (S4)
                              message, S3 an activity due
                              5 days ago)
    invoices this month       C1 5,000, C2 3,000, C3 1,000  C5 400
                              C4 600
    ========================  ============================  ================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.co = cls._new_company("SP Cockpit Co")
        env["account.chart.template"].try_loading(
            "generic_coa", company=cls.co, install_demo=False
        )

        def user(login, name, groups=SALESMAN):
            return cls._new_user(
                login, groups, company=cls.co, name=name, password=login
            )

        cls.lena = user("sp_ckp_lena", "SP Lena Leader", f"{SALESMAN},{ALL_LEADS}")
        cls.alice = user("sp_ckp_alice", "SP Alice Seller")
        cls.bob = user("sp_ckp_bob", "SP Bob Seller")
        cls.leo = user("sp_ckp_leo", "SP Leo Leader", f"{SALESMAN},{ALL_LEADS}")
        cls.carl = user("sp_ckp_carl", "SP Carl Seller")
        cls.manager = user("sp_ckp_max", "SP Max Manager", f"{SALESMAN},{PERF_MANAGER}")
        cls.team_1 = cls._new_team(
            "SP Cockpit One", cls.lena, cls.alice | cls.bob, cls.co
        )
        cls.team_2 = cls._new_team("SP Cockpit Two", cls.leo, cls.carl, cls.co)

        cls.now = fields.Datetime.now()
        cls.today = fields.Date.context_today(cls.alice)
        cls.month = (
            date_utils.start_of(cls.today, "month"),
            date_utils.end_of(cls.today, "month"),
        )
        cls.prev_month = (
            date_utils.start_of(cls.month[0] - timedelta(days=1), "month"),
            cls.month[0] - timedelta(days=1),
        )
        cls.month_day = lambda n: datetime.combine(cls.month[0], time(12)) + timedelta(
            days=n - 1
        )
        cls.prev_day = lambda n: datetime.combine(
            cls.prev_month[0], time(12)
        ) + timedelta(days=n - 1)

        Partner = env["res.partner"]
        cls.c1, cls.c2, cls.c3, cls.c4, cls.c5 = Partner.create(
            [
                {"name": "SP Ckp Customer %s" % n, "is_company": True}
                for n in range(1, 6)
            ]
        )
        cls.stage_new, cls.stage_qual, cls.stage_prop, cls.stage_won = env[
            "crm.stage"
        ].create(
            [
                {"name": "SP Ckp New", "sequence": 901},
                {"name": "SP Ckp Qualified", "sequence": 902},
                {"name": "SP Ckp Proposition", "sequence": 903},
                {"name": "SP Ckp Won", "sequence": 904, "is_won": True},
            ]
        )

        # Alice: won, lost, pipeline, stale
        cls.w1 = cls._closed(cls.alice, 4000, cls.c1, cls.month_day(2), 10, "won")
        cls.w2 = cls._closed(cls.alice, 2000, cls.c3, cls.month_day(2), 20, "won")
        cls.l1 = cls._closed(cls.alice, 700, cls.c1, cls.month_day(2), 3, "lost")
        cls.w_prev = cls._closed(cls.alice, 800, cls.c2, cls.prev_day(3), 4, "won")
        cls.l_prev = [
            cls._closed(cls.alice, 100, cls.c2, cls.prev_day(3), 4, "lost")
            for _i in range(3)
        ]
        cls.p1 = cls._open(cls.alice, 2000, 50, cls.month[1])
        cls.p2 = cls._open(cls.alice, 1000, 60, cls.month[1])
        # expected next month: not in this period's pipeline
        cls.p3 = cls._open(cls.alice, 5000, 90, cls.month[1] + timedelta(days=5))
        cls.s1 = cls._open(cls.alice, 10, 10, False, age=30)
        cls.s2 = cls._open(cls.alice, 10, 10, False, age=30)
        cls.s3 = cls._open(cls.alice, 10, 10, False, age=30)
        # S2: a note three days ago; S3: an activity created 30 days ago, due
        # 5 days ago (overdue, so the opportunity is followed, not stale)
        message = cls.s2.message_post(body="Called the customer")
        cls._sql(
            "UPDATE mail_message SET date = %s WHERE id = %s",
            cls.now - timedelta(days=3),
            message.id,
        )
        cls.overdue = cls._activity(cls.s3, cls.alice, cls.today - timedelta(days=5))
        cls._sql(
            "UPDATE mail_activity SET create_date = %s WHERE id = %s",
            cls.now - timedelta(days=30),
            cls.overdue.id,
        )
        # activities: two done this month, one done last month
        done = [cls._activity(cls.p1, cls.alice, cls.today) for _i in range(3)]
        for activity in done:
            activity.action_done()
        cls._sql(
            "UPDATE mail_activity SET date_done = %s WHERE id = %s",
            cls.prev_month[0],
            done[2].id,
        )
        # Bob
        cls.wb = cls._closed(cls.bob, 9000, cls.c5, cls.month_day(2), 5, "won")
        cls.pb = cls._open(cls.bob, 3000, 50, cls.month[1])
        cls.s4 = cls._open(cls.bob, 10, 10, False, age=30)

        # invoices of the month
        cls.invoices = cls._invoice(cls.alice, cls.c1, 5000)
        cls.invoices |= cls._invoice(cls.alice, cls.c2, 3000)
        cls.invoices |= cls._invoice(cls.alice, cls.c3, 1000)
        cls.invoices |= cls._invoice(cls.alice, cls.c4, 600)
        cls.invoices |= cls._invoice(cls.bob, cls.c5, 400)
        (cls.c1 | cls.c2).sudo().sales_performance_segment = "a"
        cls.c3.sudo().sales_performance_segment = "b"
        cls.c4.sudo().sales_performance_segment = "c"

        # targets (created after the documents: the activation recomputes)
        metric = env.ref("sales_performance.metric_won_revenue")
        Target = env["sales.performance.target"]
        cls.target_alice, cls.target_bob, cls.target_team = Target.create(
            [
                {
                    "user_id": cls.alice.id,
                    "team_id": cls.team_1.id,
                    "metric_id": metric.id,
                    "company_id": cls.co.id,
                    "date_from": cls.month[0],
                    "date_to": cls.month[1],
                    "target_value": 10000,
                },
                {
                    "user_id": cls.bob.id,
                    "team_id": cls.team_1.id,
                    "metric_id": metric.id,
                    "company_id": cls.co.id,
                    "date_from": cls.month[0],
                    "date_to": cls.month[1],
                    "target_value": 10000,
                },
                {
                    "team_id": cls.team_1.id,
                    "metric_id": metric.id,
                    "company_id": cls.co.id,
                    "date_from": cls.month[0],
                    "date_to": cls.month[1],
                    "target_value": 30000,
                },
            ]
        )
        (cls.target_alice | cls.target_bob | cls.target_team).action_activate()

    # ------------------------------------------------------------------
    # builders
    # ------------------------------------------------------------------
    @classmethod
    def _sql(cls, query, *params):
        cls.env.flush_all()
        cls.env.cr.execute(query, params)
        cls.env.invalidate_all()

    @classmethod
    def _lead(cls, user, revenue, probability, **vals):
        return cls.env["crm.lead"].create(
            {
                "name": "SP Ckp %s %s" % (user.name, revenue),
                "type": "opportunity",
                "user_id": user.id,
                "team_id": user.sale_team_id.id,
                "company_id": cls.co.id,
                "expected_revenue": revenue,
                "probability": probability,
                "stage_id": cls.stage_new.id,
                **vals,
            }
        )

    @classmethod
    def _closed(cls, user, revenue, partner, closed_at, days, status):
        """An opportunity created ``days`` before ``closed_at``, won or lost
        then."""
        lead = cls._lead(user, revenue, 10, partner_id=partner.id)
        if status == "won":
            lead.write({"stage_id": cls.stage_won.id})
        else:
            lead.action_set_lost()
        cls._sql(
            "UPDATE crm_lead SET date_closed = %s, create_date = %s WHERE id = %s",
            closed_at,
            closed_at - timedelta(days=days),
            lead.id,
        )
        return lead

    @classmethod
    def _open(cls, user, revenue, probability, deadline, age=0):
        lead = cls._lead(user, revenue, probability, date_deadline=deadline)
        if age:
            cls._sql(
                "UPDATE crm_lead SET create_date = %s WHERE id = %s",
                cls.now - timedelta(days=age),
                lead.id,
            )
        return lead

    @classmethod
    def _activity(cls, lead, user, deadline):
        return cls.env["mail.activity"].create(
            {
                "res_model_id": cls.env["ir.model"]._get_id("crm.lead"),
                "res_id": lead.id,
                "user_id": user.id,
                "activity_type_id": cls.env.ref("mail.mail_activity_data_todo").id,
                "date_deadline": deadline,
            }
        )

    @classmethod
    def _invoice(cls, user, partner, amount):
        move = (
            cls.env["account.move"]
            .with_company(cls.co)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": cls.month[0],
                    "invoice_user_id": user.id,
                    "company_id": cls.co.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "SP Ckp service",
                                "quantity": 1.0,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _data(self, user, team_ids=None, period=None):
        period = period or self.month
        return (
            self.env["sales.performance.cockpit"]
            .with_user(user)
            .with_company(self.co)
            .get_cockpit_data(
                fields.Date.to_string(period[0]),
                fields.Date.to_string(period[1]),
                team_ids=team_ids,
            )
        )

    @staticmethod
    def _rep(data, user):
        return next(rep for rep in data["reps"] if rep["user_id"] == user.id)

    def _open_ids(self, action):
        """The records a figure opens, as its user would list them."""
        return (
            self.env[action["model"]]
            .with_context(**action["context"])
            .search(action["domain"])
            .ids
        )


@tagged("post_install", "-at_install")
class TestCockpitData(CockpitCommon):
    def test_drivers_of_a_salesperson(self):
        data = self._data(self.lena)
        alice = self._rep(data, self.alice)
        # attainment: 6,000 won of 10,000 = 60 %
        self.assertEqual(self.target_alice.achieved_value, 6000)
        self.assertEqual(alice["attainment"], 60.0)
        # pacing: 6,000 / expected by today
        expected = self.target_alice.expected_value
        self.assertEqual(
            alice["pacing"], round(6000 / expected * 100, 1) if expected else None
        )
        # coverage: 2,000 x 50 % + 1,000 x 60 % = 1,600 over the missing
        # 10,000 - 6,000 = 4,000 -> 40 %
        self.assertEqual(alice["pipeline"], 1600.0)
        self.assertEqual(alice["gap"], 4000.0)
        self.assertEqual(alice["pipeline_coverage"], 40.0)
        self.assertEqual(
            sorted(self._open_ids(alice["pipeline_action"])), (self.p1 | self.p2).ids
        )
        # win rate: 2 won / (2 won + 1 lost) = 66.7 %; previous month
        # 1 / (1 + 3) = 25 %
        self.assertEqual((alice["won"], alice["lost"]), (2, 1))
        self.assertEqual(alice["win_rate"], 66.7)
        self.assertEqual(alice["win_rate_previous"], 25.0)
        self.assertEqual(
            sorted(self._open_ids(alice["win_rate_action"])),
            sorted((self.w1 | self.w2 | self.l1).ids),
        )
        # cycle: (10 + 20) / 2 = 15 days
        self.assertEqual(alice["cycle_days"], 15.0)
        # activities: 2 done this month (the third was done last month)
        self.assertEqual(alice["activities_done"], 2)
        self.assertEqual(len(self._open_ids(alice["activities_action"])), 2)
        # stale: S1 only (S2 has a message 3 days ago, S3 an activity due
        # within the 14 days)
        self.assertEqual(alice["stale_count"], 1)
        self.assertEqual(self._open_ids(alice["stale_action"]), self.s1.ids)

    def test_bob_and_the_diagnosis_against_the_team_median(self):
        data = self._data(self.lena)
        alice, bob = self._rep(data, self.alice), self._rep(data, self.bob)
        # Bob: 9,000 of 10,000 = 90 %; pipeline 3,000 x 50 % = 1,500 over
        # 1,000 missing = 150 %; won 1 lost 0 = 100 %; cycle 5; 0 activities
        self.assertEqual(bob["attainment"], 90.0)
        self.assertEqual(bob["pipeline_coverage"], 150.0)
        self.assertEqual(bob["win_rate"], 100.0)
        self.assertIsNone(bob["win_rate_previous"])  # nothing closed
        self.assertEqual(bob["cycle_days"], 5.0)
        self.assertEqual(bob["activities_done"], 0)
        self.assertEqual(bob["stale_count"], 1)
        # team medians of two: coverage (40 + 150) / 2 = 95; win rate
        # (66.67 + 100) / 2 = 83.3; cycle (15 + 5) / 2 = 10; activities
        # (2 + 0) / 2 = 1; stale (1 + 1) / 2 = 1
        medians = alice["team_medians"]
        self.assertEqual(medians["pipeline_coverage"], 95.0)
        self.assertEqual(medians["win_rate"], 83.3)
        self.assertEqual(medians["cycle_days"], 10.0)
        self.assertEqual(medians["activities_done"], 1.0)
        self.assertEqual(medians["stale_count"], 1.0)
        # Alice: coverage (95 - 40) / 95 = 58 % short, win rate 20 % short,
        # cycle (15 - 10) / 10 = 50 % longer -> coverage is the weakest
        self.assertEqual(alice["weakest_driver"], "pipeline_coverage")
        self.assertEqual(
            alice["diagnosis"], "Pipeline covers 40 % of the gap; team median 95 %."
        )
        # Bob: activities (1 - 0) / 1 = 100 % short, nothing else short
        self.assertEqual(bob["weakest_driver"], "activities_done")
        self.assertEqual(bob["diagnosis"], "0 activities done; team median 1.")

    def test_team_and_company(self):
        data = self._data(self.lena)
        self.assertEqual([t["team_id"] for t in data["teams"]], self.team_1.ids)
        team = data["teams"][0]
        # the team target: 6,000 + 9,000 = 15,000 won of 30,000 = 50 %
        self.assertEqual(self.target_team.achieved_value, 15000)
        self.assertEqual(team["attainment"], 50.0)
        self.assertEqual(sorted(team["user_ids"]), sorted((self.alice | self.bob).ids))
        self.assertEqual(self._open_ids(team["targets_action"]), self.target_team.ids)
        # trend: six periods, oldest first, this month last
        self.assertEqual(len(team["trend"]), 6)
        self.assertEqual(team["trend"][-1]["attainment"], 50.0)
        self.assertEqual(
            team["trend"][-1]["date_from"], fields.Date.to_string(self.month[0])
        )
        self.assertIsNone(team["trend"][0]["attainment"])
        # no company target in this company
        self.assertIsNone(data["company"]["attainment"])

    def test_risk_and_concentration(self):
        data = self._data(self.lena)
        risk = data["risk"]
        self.assertEqual(risk["stale_days"], 14)
        self.assertEqual(risk["stale_count"], 2)  # S1 (Alice), S4 (Bob)
        self.assertEqual(sorted(risk["stale_ids"]), sorted((self.s1 | self.s4).ids))
        # overdue: the activity of S3, due 5 days ago
        self.assertEqual(risk["overdue_count"], 1)
        self.assertEqual(self._open_ids(risk["overdue_action"]), self.overdue.ids)
        # revenue 5,000 + 3,000 + 1,000 + 600 + 400 = 10,000; the top 3
        # customers (C1, C2, C3) make 9,000 of it = 90 %
        self.assertEqual(risk["revenue"], 10000.0)
        self.assertEqual(risk["concentration"], 90.0)
        self.assertEqual(
            [c["partner_id"] for c in risk["top_customers"]],
            [self.c1.id, self.c2.id, self.c3.id],
        )
        self.assertEqual(
            len(self._open_ids(risk["concentration_action"])), 3
        )  # one invoice each
        self.assertEqual(len(self._open_ids(risk["revenue_action"])), 5)

    def test_stale_days_setting(self):
        # 40 days: S1 and S4 (30 days old) are not stale any more
        self.co.sales_performance_stale_days = 40
        data = self._data(self.lena)
        self.assertEqual(data["risk"]["stale_count"], 0)
        self.assertEqual(data["period"]["stale_days"], 40)
        # 2 days: S2's note of 3 days ago is too old now: S1, S2, S4; S3's
        # activity due 5 days ago too -> S3 as well
        self.co.sales_performance_stale_days = 2
        data = self._data(self.lena)
        self.assertEqual(
            sorted(data["risk"]["stale_ids"]),
            sorted((self.s1 | self.s2 | self.s3 | self.s4).ids),
        )
        for days in (0, -3, 5000):
            with self.assertRaises(ValidationError), self.cr.savepoint():
                self.co.sales_performance_stale_days = days
        settings = self.env["res.config.settings"].with_company(self.co).create({})
        self.assertEqual(settings.sales_performance_stale_days, 2)

    def test_segments(self):
        data = self._data(self.lena)
        segments = {s["segment"]: s for s in data["segments"]}
        # revenue: A = C1 + C2 = 8,000; B = C3 = 1,000; C = C4 = 600;
        # no segment: C5 = 400
        self.assertEqual(segments["a"]["revenue"], 8000.0)
        self.assertEqual(segments["b"]["revenue"], 1000.0)
        self.assertEqual(segments["c"]["revenue"], 600.0)
        self.assertEqual(segments[False]["revenue"], 400.0)
        # win rate: A won W1 lost L1 = 50 %; B won W2 = 100 %; C nothing;
        # no segment: Bob's won WB = 100 %
        self.assertEqual(segments["a"]["win_rate"], 50.0)
        self.assertEqual(segments["b"]["win_rate"], 100.0)
        self.assertIsNone(segments["c"]["win_rate"])
        self.assertEqual(segments[False]["win_rate"], 100.0)
        self.assertEqual(len(self._open_ids(segments["a"]["revenue_action"])), 2)
        self.assertEqual(
            sorted(self._open_ids(segments["a"]["win_rate_action"])),
            sorted((self.w1 | self.l1).ids),
        )

    def test_moved_out_of_the_period(self):
        Lead = self.env["crm.lead"].with_context(
            tracking_disable=False, mail_notrack=False
        )
        # expected in the month, moved to 40 days after its end: counted
        moved = Lead.browse(self._open(self.alice, 500, 30, self.month[1]).id)
        # moved within the month: not counted
        inside = Lead.browse(self._open(self.alice, 500, 30, self.month[0]).id)
        # never expected in the month: not counted
        later = Lead.browse(
            self._open(self.alice, 500, 30, self.month[1] + timedelta(days=50)).id
        )
        # run the precommit hooks: a create without tracking discards the
        # tracking of its records until they run
        self.env.flush_all()
        self.cr.flush()
        moved.date_deadline = self.month[1] + timedelta(days=40)
        inside.date_deadline = self.month[1]
        later.date_deadline = self.month[1] + timedelta(days=60)
        self.env.flush_all()
        self.cr.flush()  # the tracking values
        data = self._data(self.lena)
        self.assertEqual(data["risk"]["moved_out_ids"], moved.ids)
        self.assertEqual(data["risk"]["moved_out_count"], 1)
        self.assertEqual(self._open_ids(data["risk"]["moved_out_action"]), moved.ids)

    def test_bad_input(self):
        Cockpit = self.env["sales.performance.cockpit"].with_user(self.manager)
        for date_from, date_to in [
            ("2026-03-31", "2026-03-01"),  # ends before it starts
            ("not a date", "2026-03-01"),
            (None, "2026-03-01"),
            ("2020-01-01", "2026-03-01"),  # more than three years
        ]:
            with self.assertRaises(UserError):
                Cockpit.get_cockpit_data(date_from, date_to)
        with self.assertRaises(UserError):
            Cockpit.get_cockpit_data("2026-03-01", "2026-03-31", team_ids="1")
        with self.assertRaises(UserError):
            Cockpit.get_cockpit_data("2026-03-01", "2026-03-31", team_ids=["1"])
        with self.assertRaises(AccessError):
            Cockpit.get_cockpit_data("2026-03-01", "2026-03-31", team_ids=[0])

    def test_readonly_route(self):
        method = type(self.env["sales.performance.cockpit"]).get_cockpit_data
        self.assertTrue(getattr(method, "_readonly", False))


@tagged("post_install", "-at_install")
class TestCockpitSecurity(CockpitCommon):
    def test_team_leader_sees_their_team_only(self):
        data = self._data(self.lena)
        self.assertEqual(
            sorted(rep["user_id"] for rep in data["reps"]),
            sorted((self.alice | self.bob).ids),
        )
        self.assertEqual([t["id"] for t in data["available_teams"]], self.team_1.ids)
        with self.assertRaises(AccessError):
            self._data(self.lena, team_ids=self.team_2.ids)
        data = self._data(self.leo)
        self.assertEqual([rep["user_id"] for rep in data["reps"]], self.carl.ids)
        self.assertEqual(data["risk"]["stale_count"], 0)
        self.assertEqual(data["risk"]["revenue"], 0.0)

    def test_salesperson_sees_themselves_only(self):
        data = self._data(self.alice)
        self.assertEqual([rep["user_id"] for rep in data["reps"]], self.alice.ids)
        # Bob's stale S4 and invoice of 400 are not Alice's
        self.assertEqual(data["risk"]["stale_ids"], self.s1.ids)
        self.assertEqual(data["risk"]["revenue"], 9600.0)
        # her own team is listed (its target is readable by its members) ...
        self.assertEqual([t["team_id"] for t in data["teams"]], self.team_1.ids)
        # ... even filtered on it she sees only herself; not the other team
        data = self._data(self.alice, team_ids=self.team_1.ids)
        self.assertEqual([rep["user_id"] for rep in data["reps"]], self.alice.ids)
        with self.assertRaises(AccessError):
            self._data(self.alice, team_ids=self.team_2.ids)
        # alone in her own "team" for the diagnosis: nothing below her median
        self.assertEqual(
            data["reps"][0]["diagnosis"], "No driver below the team median."
        )

    def test_manager_sees_every_team_of_the_company(self):
        data = self._data(self.manager)
        # the members of every team of the company (and of the teams without
        # a company, such as Odoo's own), never the leaders as such
        reps = {rep["user_id"] for rep in data["reps"]}
        self.assertTrue(set((self.alice | self.bob | self.carl).ids) <= reps)
        self.assertFalse(reps & set((self.lena | self.leo).ids))
        data = self._data(self.manager, team_ids=(self.team_1 | self.team_2).ids)
        reps = {rep["user_id"] for rep in data["reps"]}
        self.assertEqual(reps, set((self.alice | self.bob | self.carl).ids))
        data = self._data(self.manager)
        team_ids = {t["team_id"] for t in data["teams"]}
        self.assertTrue({self.team_1.id, self.team_2.id} <= team_ids)
        other = self._new_team("SP Ckp Other Co", company=self.company_b)
        self.assertNotIn(other.id, team_ids)
        with self.assertRaises(AccessError):
            self._data(self.manager, team_ids=other.ids)
        data = self._data(self.manager, team_ids=self.team_2.ids)
        self.assertEqual([rep["user_id"] for rep in data["reps"]], self.carl.ids)

    def test_query_count_does_not_depend_on_the_salespeople(self):
        def count(team_ids):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self._data(self.manager, team_ids=team_ids)
            return self.cr.sql_log_count - before

        one_team, two_teams = self.team_1.ids, (self.team_1 | self.team_2).ids
        # warm Odoo's caches (rules, groups, fields) with both calls first
        count(one_team)
        count(two_teams)
        two = count(one_team)  # Alice, Bob
        three = count(two_teams)  # Alice, Bob, Carl
        self.assertEqual(two, three)


@tagged("post_install", "-at_install")
class TestCockpitFunnel(CockpitCommon):
    """Stage changes written here (tracking on), dated with SQL, in a custom
    period of 21 days around today: P = [T - 10, T + 10] and the previous
    period Q = [T - 31, T - 11]; ``d(n)`` is T + n days at noon.

    Current period: L1 New d-9 -> Qualified d-7 -> Proposition d-3;
    L2 New d-8; L3 New d-6 -> Qualified d-2, lost d-1; L4 created in
    Qualified d-5 -> Won d-1; L7 (created in Q) -> Qualified d-5.
    Previous period: L5 New d-30 -> Qualified d-28 -> Proposition d-20;
    L6 New d-29 -> Qualified d-25 -> Proposition d-24; L7 New d-27.
    """

    def _d(self, n):
        return datetime.combine(self.today, time(12)) + timedelta(days=n)

    def _lead_at(self, stage, created):
        lead = self.Lead.create(
            {
                "name": "SP Ckp funnel",
                "type": "opportunity",
                "user_id": self.carl.id,
                "team_id": self.team_2.id,
                "company_id": self.co.id,
                "stage_id": stage.id,
            }
        )
        self._flush_tracking()
        self._sql(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s", created, lead.id
        )
        return lead

    def _move(self, lead, stage, when):
        lead.stage_id = stage
        self._flush_tracking()
        self._sql(
            """UPDATE mail_message SET date = %s
                WHERE id = (SELECT max(m.id) FROM mail_message m
                              JOIN mail_tracking_value v ON v.mail_message_id = m.id
                             WHERE m.model = 'crm.lead' AND m.res_id = %s)""",
            when,
            lead.id,
        )
        if stage.is_won:
            self._sql(
                "UPDATE crm_lead SET date_closed = %s WHERE id = %s", when, lead.id
            )

    def _flush_tracking(self):
        self.env.flush_all()
        self.cr.flush()

    def test_funnel(self):
        self.Lead = self.env["crm.lead"].with_context(
            tracking_disable=False, mail_notrack=False, mail_create_nolog=False
        )
        new, qual, prop, won = (
            self.stage_new,
            self.stage_qual,
            self.stage_prop,
            self.stage_won,
        )
        l1 = self._lead_at(new, self._d(-9))
        self._move(l1, qual, self._d(-7))
        self._move(l1, prop, self._d(-3))
        l2 = self._lead_at(new, self._d(-8))
        l3 = self._lead_at(new, self._d(-6))
        self._move(l3, qual, self._d(-2))
        l3.action_set_lost()
        l4 = self._lead_at(qual, self._d(-5))
        self._move(l4, won, self._d(-1))
        l5 = self._lead_at(new, self._d(-30))
        self._move(l5, qual, self._d(-28))
        self._move(l5, prop, self._d(-20))
        l6 = self._lead_at(new, self._d(-29))
        self._move(l6, qual, self._d(-25))
        self._move(l6, prop, self._d(-24))
        l7 = self._lead_at(new, self._d(-27))
        self._move(l7, qual, self._d(-5))

        period = (self.today - timedelta(days=10), self.today + timedelta(days=10))
        data = self._data(self.leo, period=period)
        funnel = {row["stage_id"]: row for row in data["funnel"]}
        # the won stage is where the funnel ends, not a row of it
        self.assertEqual(list(funnel), [new.id, qual.id, prop.id])
        # New: entered L1, L2, L3 (L7 entered in Q); moved on L1, L3 = 2 / 3;
        # days: L1 2, L3 4 -> median 3. Previous: L5, L6, L7 entered, L5 and
        # L6 moved on by the end of Q (L7 only in P) = 2 / 3
        self.assertEqual(
            (funnel[new.id]["entered"], funnel[new.id]["moved_on"]), (3, 2)
        )
        self.assertEqual(funnel[new.id]["conversion"], 66.7)
        self.assertEqual(funnel[new.id]["median_days"], 3.0)
        self.assertEqual(funnel[new.id]["conversion_previous"], 66.7)
        self.assertEqual(
            sorted(self._open_ids(funnel[new.id]["action"])), sorted((l1 | l2 | l3).ids)
        )
        # Qualified: entered L1 (d-7), L3 (d-2), L4 (created d-5), L7 (d-5) =
        # 4; moved on L1 (Proposition), L4 (won) = 2 / 4 = 50 %; days: L1 4,
        # L4 4 (L3 lost in it, L7 still there) -> 4. Previous: L5, L6 both
        # moved on = 100 %: the worst drop (50 points)
        self.assertEqual(
            (funnel[qual.id]["entered"], funnel[qual.id]["moved_on"]), (4, 2)
        )
        self.assertEqual(funnel[qual.id]["conversion"], 50.0)
        self.assertEqual(funnel[qual.id]["median_days"], 4.0)
        self.assertEqual(funnel[qual.id]["conversion_previous"], 100.0)
        self.assertTrue(funnel[qual.id]["worst"])
        self.assertEqual(
            sorted(self._open_ids(funnel[qual.id]["moved_on_action"])),
            sorted((l1 | l4).ids),
        )
        # Proposition: L1 entered, still there: 0 %; previous L5, L6: 0 %
        self.assertEqual(
            (funnel[prop.id]["entered"], funnel[prop.id]["moved_on"]), (1, 0)
        )
        self.assertEqual(funnel[prop.id]["conversion"], 0.0)
        self.assertIsNone(funnel[prop.id]["median_days"])
        self.assertEqual(funnel[prop.id]["entered_previous"], 2)
        self.assertFalse(funnel[new.id]["worst"] or funnel[prop.id]["worst"])
        # the lost L3 counts among the opportunities that entered Qualified
        self.assertIn(l3.id, self._open_ids(funnel[qual.id]["action"]))


@tagged("post_install", "-at_install")
@unittest.skipIf(BROWSER_MISSING, "browser tours did not run: %s" % BROWSER_MISSING)
class TestCockpitTour(CockpitCommon, HttpCase):
    def test_cockpit_tour(self):
        self.lena.lang = "en_US"
        self.start_tour("/odoo", "sales_performance_cockpit_tour", login="sp_ckp_lena")
