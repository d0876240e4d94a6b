"""The screens people use every day: the leaderboard's figures (rank in the
company and the team, gap to the next rank, change since the previous
period), the statement's totals per kind and band details under their rule
line, the lines of a statement that left draft locked for everybody, the
hours of a training record; and a browser tour over the leaderboard (list
and kanban) and the statement form. Every figure is computed by hand."""

import unittest
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import (
    FEBRUARY,
    INCENTIVE_ADMIN,
    JAN,
    MARCH,
    PERF_MANAGER,
    SALES_MANAGER,
    SALESMAN,
    EvaluationCommon,
    IncentiveCommon,
    SalesPerformanceCommon,
    TrainingCommon,
)
from .test_tours import BROWSER_MISSING


class LeaderboardCommon(SalesPerformanceCommon):
    """A company of its own with two teams, won revenue in February and
    March 2026 and monthly targets, computed by hand:

    March (targets 10,000 / 20,000 / 5,000 / 8,000):
      ann 12,000 (120 %), cat 6,000 (120 %), ben 15,000 (75 %), dan 2,000 (25 %)
      -> ranks ann 1, cat 2 (same attainment, less achieved), ben 3, dan 4
    February (targets 10,000 each, dan has none):
      ben 9,000 (90 %), cat 5,000 (50 %), ann 3,000 (30 %) -> ben 1, cat 2, ann 3
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.board_company = cls._new_company("SP Screens Company")

        def user(login, name):
            return cls._new_user(login, SALESMAN, company=cls.board_company, name=name)

        cls.ann = user("sp_scr_ann", "SP Scr Ann")
        cls.ben = user("sp_scr_ben", "SP Scr Ben")
        cls.cat = user("sp_scr_cat", "SP Scr Cat")
        cls.dan = user("sp_scr_dan", "SP Scr Dan")
        cls.leader = user("sp_scr_leader", "SP Scr Leader")
        cls.team_north = cls._new_team(
            "SP Scr North", cls.leader, cls.ann | cls.ben, cls.board_company
        )
        cls.team_south = cls._new_team(
            "SP Scr South", cls.leader, cls.cat | cls.dan, cls.board_company
        )
        cls.metric = env.ref("sales_performance.metric_won_revenue")
        stage = env["crm.stage"].create(
            {"name": "Won (screens)", "is_won": True, "sequence": 99}
        )
        for who, amount, closed in (
            (cls.ann, 12000, datetime(2026, 3, 10, 12)),
            (cls.ben, 15000, datetime(2026, 3, 11, 12)),
            (cls.cat, 6000, datetime(2026, 3, 12, 12)),
            (cls.dan, 2000, datetime(2026, 3, 13, 12)),
            (cls.ann, 3000, datetime(2026, 2, 10, 12)),
            (cls.ben, 9000, datetime(2026, 2, 11, 12)),
            (cls.cat, 5000, datetime(2026, 2, 12, 12)),
        ):
            lead = env["crm.lead"].create(
                {
                    "name": "Screens deal %s %s" % (who.login, amount),
                    "type": "opportunity",
                    "user_id": who.id,
                    "team_id": False,
                    "expected_revenue": amount,
                    "stage_id": stage.id,
                    "probability": 100,
                    "company_id": cls.board_company.id,
                }
            )
            lead.date_closed = closed
        Target = env["sales.performance.target"]

        def target(who, team, period, value):
            return {
                "user_id": who.id,
                "team_id": team.id,
                "metric_id": cls.metric.id,
                "company_id": cls.board_company.id,
                "date_from": period[0],
                "date_to": period[1],
                "target_value": value,
            }

        cls.march = Target.create(
            [
                target(cls.ann, cls.team_north, MARCH, 10000),
                target(cls.ben, cls.team_north, MARCH, 20000),
                target(cls.cat, cls.team_south, MARCH, 5000),
                target(cls.dan, cls.team_south, MARCH, 8000),
            ]
        )
        cls.february = Target.create(
            [
                target(cls.ann, cls.team_north, FEBRUARY, 10000),
                target(cls.ben, cls.team_north, FEBRUARY, 10000),
                target(cls.cat, cls.team_south, FEBRUARY, 10000),
            ]
        )
        (cls.march | cls.february).action_activate()
        # the same metric and period in another company ranks on its own
        cls.other = cls._new_user("sp_scr_other", SALESMAN, company=cls.company_b)
        cls.other_target = Target.create(
            {
                "user_id": cls.other.id,
                "metric_id": cls.metric.id,
                "company_id": cls.company_b.id,
                "date_from": MARCH[0],
                "date_to": MARCH[1],
                "target_value": 1,
            }
        )
        cls.other_target.action_activate()


@tagged("post_install", "-at_install", "sales_performance", "sales_performance_screens")
class TestScreensLeaderboard(LeaderboardCommon):
    def _by_user(self, targets):
        return {target.user_id: target for target in targets}

    def test_rank_gap_and_change(self):
        march = self._by_user(self.march)
        ann, ben, cat, dan = (
            march[u] for u in (self.ann, self.ben, self.cat, self.dan)
        )
        self.assertEqual(
            [(t.attainment, t.achieved_value) for t in (ann, ben, cat, dan)],
            [(120.0, 12000.0), (75.0, 15000.0), (120.0, 6000.0), (25.0, 2000.0)],
        )
        self.assertEqual([t.rank for t in (ann, cat, ben, dan)], [1, 2, 3, 4])
        # gap: what to add to reach the attainment of the rank above
        self.assertEqual(ann.rank_gap, 0.0)  # first
        self.assertEqual(cat.rank_gap, 0.0)  # level with ann on attainment
        self.assertEqual(cat.rank_gap_attainment, 0.0)
        self.assertEqual(ben.rank_gap, 9000.0)  # 20,000 x 120 % - 15,000
        self.assertEqual(ben.rank_gap_attainment, 45.0)  # 120 - 75
        self.assertEqual(dan.rank_gap, 4000.0)  # 8,000 x 75 % - 2,000
        self.assertEqual(dan.rank_gap_attainment, 50.0)
        # rank in the team
        self.assertEqual([t.team_rank for t in (ann, ben, cat, dan)], [1, 2, 1, 2])
        # since February: ann 3 -> 1, cat 2 -> 2, ben 1 -> 3, dan new
        self.assertEqual(
            [(t.previous_rank, t.rank_change, t.rank_trend) for t in (ann, cat, ben)],
            [(3, 2, "up"), (2, 0, "same"), (1, -2, "down")],
        )
        self.assertEqual((dan.previous_rank, dan.rank_trend), (0, "new"))
        self.assertEqual(
            [t.rank_change_label for t in (ann, cat, ben)], ["▲ 2", "=", "▼ 2"]
        )
        # amounts show the company's currency (won revenue is an amount)
        self.assertEqual(ann.value_currency_id, self.board_company.currency_id)
        # the other company's board is its own
        self.assertEqual(self.other_target.rank, 1)
        self.assertEqual(self.other_target.rank_gap, 0.0)
        self.assertEqual(self.other_target.previous_rank, 0)

    def test_figures_follow_a_recompute(self):
        # dan wins 10,000 more in March: 12,000 / 8,000 = 150 %, first
        lead = self.env["crm.lead"].create(
            {
                "name": "Screens late deal",
                "type": "opportunity",
                "user_id": self.dan.id,
                "expected_revenue": 10000,
                "stage_id": self.env["crm.stage"]
                .search([("name", "=", "Won (screens)")])
                .id,
                "probability": 100,
                "company_id": self.board_company.id,
            }
        )
        lead.date_closed = datetime(2026, 3, 20, 12)
        self.march.action_recompute()
        march = self._by_user(self.march)
        self.assertEqual(march[self.dan].rank, 1)
        self.assertEqual(march[self.ann].rank, 2)
        # ann: 10,000 x 150 % - 12,000
        self.assertEqual(march[self.ann].rank_gap, 3000.0)
        self.assertEqual(march[self.dan].team_rank, 1)
        self.assertEqual(march[self.cat].team_rank, 2)

    def test_a_dimension_is_a_board_of_its_own(self):
        # ann's March target on Belgian deals only: none won, ranked alone
        belgium = self.env.ref("base.be")
        # the built-in path (databases installed before dimensions lack it)
        self.metric.country_path = "country_id"
        target = self.env["sales.performance.target"].create(
            {
                "user_id": self.ann.id,
                "metric_id": self.metric.id,
                "company_id": self.board_company.id,
                "date_from": MARCH[0],
                "date_to": MARCH[1],
                "target_value": 1000,
                "country_id": belgium.id,
            }
        )
        target.action_activate()
        self.assertEqual((target.rank, target.rank_gap), (1, 0.0))
        self.assertEqual(target.rank_trend, "new")
        # the board of every country is unchanged
        march = self._by_user(self.march)
        self.assertEqual(march[self.ben].rank, 3)
        self.assertEqual(march[self.ben].rank_gap, 9000.0)
        self.assertEqual(march[self.ann].previous_rank, 3)

    def test_count_metric_has_no_currency(self):
        target = self.env["sales.performance.target"].create(
            {
                "user_id": self.ann.id,
                "metric_id": self.env.ref("sales_performance.metric_won_count").id,
                "company_id": self.board_company.id,
                "date_from": MARCH[0],
                "date_to": MARCH[1],
                "target_value": 3,
            }
        )
        self.assertFalse(target.value_currency_id)

    def test_leaderboard_views_render(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_performance.sales_performance_target_action_leaderboard"
        )
        modes = [mode for _view, mode in action["views"]]
        self.assertEqual(modes[:2], ["list", "kanban"])
        Target = self.env["sales.performance.target"]
        for view_id, mode in action["views"][:2]:
            arch = Target.get_views([(view_id, mode)])["views"][mode]["arch"]
            self.assertIn("rank_gap", arch)
            self.assertIn("rank_change_label", arch)
            self.assertIn("progressbar", arch)
        kanban = Target.get_views([(action["views"][1][0], "kanban")])["views"][
            "kanban"
        ]["arch"]
        self.assertIn("avatar_128", kanban)


@tagged("post_install", "-at_install", "sales_performance", "sales_performance_screens")
class TestScreensStatement(IncentiveCommon):
    """January 2031: sp2 wins 120,000 (target 100,000: 120 %) in one deal.
    Marginal commission 2 % / 5 % / 8 % -> 1,600 + 1,000 + 1,600 = 4,200;
    bonus 1,000 from 100 %; SPIFF 100 per deal won -> 100."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._new_user(
            "sp_scr_manager",
            f"{SALES_MANAGER},{PERF_MANAGER},{INCENTIVE_ADMIN}",
            name="SP Scr Manager",
        )
        cls.plan = cls._plan(
            [
                {"name": "Commission", **cls._commission(cls, "marginal")},
                {
                    "name": "Bonus",
                    "kind": "bonus",
                    "metric_id": cls.metric_won.id,
                    "tiers": [(100, 1000)],
                },
                {
                    "name": "SPIFF",
                    "kind": "spiff",
                    "metric_id": cls.metric_won_count.id,
                    "amount": 100,
                },
            ],
            users=cls.sp2,
        )
        cls.statement = cls.plan.generate_statements(*JAN)

    def _line(self, line_type, kind=None):
        return self.statement.line_ids.filtered(
            lambda line: line.line_type == line_type
            and (kind is None or line.kind == kind)
        )

    def test_totals_per_kind_and_band_details(self):
        statement = self.statement.with_user(self.manager)
        statement.line_ids = [Command.create({"name": "Welcome gift", "amount": 50.0})]
        self.assertEqual(
            (
                statement.amount_commission,
                statement.amount_bonus,
                statement.amount_spiff,
                statement.amount_override,
                statement.amount_clawback,
                statement.amount_collection,
                statement.amount_adjustment,
            ),
            (4200.0, 1000.0, 100.0, 0.0, 0.0, 0.0, 50.0),
        )
        # bands are part of the commission, not added again
        self.assertEqual(statement.amount_total, 5350.0)
        commission = self._line("rule", "commission")
        bands = self._line("band")
        self.assertEqual(commission.band_count, 3)
        self.assertEqual(commission.band_line_ids, bands)
        self.assertEqual(bands.mapped("amount"), [1600.0, 1000.0, 1600.0])
        self.assertEqual(bands.rule_line_id, commission)
        self.assertFalse(any(bands.mapped("is_payout")))
        for kind in ("bonus", "spiff"):
            line = self._line("rule", kind)
            self.assertEqual((line.band_count, line.band_line_ids.ids), (0, []))

    def test_confirmed_lines_are_read_only_for_everybody(self):
        self.statement.with_user(self.manager).line_ids = [
            Command.create({"name": "Welcome gift", "amount": 50.0})
        ]
        self.statement.with_user(self.manager).action_confirm()
        self.assertEqual(self.statement.state, "confirmed")
        adjustment = self._line("adjustment")
        commission = self._line("rule", "commission")
        as_manager = self.env(user=self.manager)
        Line = self.env["sales.performance.incentive.statement.line"]
        attempts = {
            "manager edits an adjustment": lambda: adjustment.with_env(
                as_manager
            ).write({"amount": 5000.0}),
            "manager edits with the recompute's context": lambda: commission.with_env(
                as_manager
            )
            .with_context(incentive_recompute=True)
            .write({"amount": 1.0}),
            "superuser edits": lambda: commission.sudo().write({"amount": 1.0}),
            "manager adds a line": lambda: Line.with_env(as_manager).create(
                {
                    "statement_id": self.statement.id,
                    "name": "Late extra",
                    "amount": 10.0,
                }
            ),
            "recompute context adds a line": lambda: Line.sudo()
            .with_context(incentive_recompute=True)
            .create(
                {
                    "statement_id": self.statement.id,
                    "line_type": "rule",
                    "name": "Sneaked in",
                    "amount": 10.0,
                }
            ),
            "manager deletes a line": lambda: adjustment.with_env(as_manager).unlink(),
            "recompute context deletes a line": lambda: commission.sudo()
            .with_context(incentive_recompute=True)
            .unlink(),
        }
        for what, attempt in attempts.items():
            with self.subTest(what), self.assertRaises(UserError):
                attempt()
        self.assertEqual(len(self.statement.line_ids), 7)  # 3 rules, 3 bands, 1
        self.assertEqual(adjustment.amount, 50.0)
        self.assertEqual(commission.amount, 4200.0)
        self.assertEqual(self.statement.amount_total, 5350.0)
        # reset to draft, the statement is editable again
        self.statement.with_user(self.manager).action_draft()
        adjustment.with_user(self.manager).write({"amount": 60.0})
        self.assertEqual(self.statement.amount_total, 5360.0)

    def test_statement_form_layout(self):
        arch = self.env["sales.performance.incentive.statement"].get_views(
            [(False, "form")]
        )["views"]["form"]["arch"]
        for fname in (
            "amount_commission",
            "amount_bonus",
            "amount_spiff",
            "band_count",
        ):
            self.assertIn('name="%s"' % fname, arch)
        line_arch = self.env["sales.performance.incentive.statement.line"].get_views(
            [(False, "form")]
        )["views"]["form"]["arch"]
        self.assertIn('name="band_line_ids"', line_arch)


@tagged("post_install", "-at_install", "sales_performance", "sales_performance_screens")
class TestScreensTrainingHours(TrainingCommon):
    """The course lasts 8 hours."""

    def test_hours_default_to_the_course_duration(self):
        # on creation, whatever the status but absent
        self.assertEqual(self._record().hours, 8.0)
        self.assertEqual(self._record(self.emp_colleague, status="passed").hours, 8.0)
        absent = self._record(self.emp_manager, status="absent")
        self.assertEqual(absent.hours, 0.0)
        # hours given are kept
        self.assertEqual(self._record(status="attended", hours=3.5).hours, 3.5)
        # marked attended / passed without hours
        absent.write({"status": "attended"})
        self.assertEqual(absent.hours, 8.0)
        record = self._record(
            self.emp_employee,
            course=self.course.copy({"name": "Negotiation", "duration_hours": 4}),
            hours=0.0,
            status="registered",
        )
        self.assertEqual(record.hours, 0.0)  # explicitly none at creation
        record.write({"status": "passed", "date_completed": date(2026, 1, 15)})
        self.assertEqual(record.hours, 4.0)
        # an explicit value written with the status wins
        other = self._record(self.emp_colleague, course=record.course_id, hours=2.0)
        other.write({"status": "passed", "hours": 1.5})
        self.assertEqual(other.hours, 1.5)


@tagged("post_install", "-at_install", "sales_performance_tours")
@unittest.skipIf(BROWSER_MISSING, "browser tours did not run: %s" % BROWSER_MISSING)
class TestScreensTour(LeaderboardCommon, HttpCase):
    """The sales manager opens the leaderboard (list and kanban) and a
    statement with its totals per kind and band details."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tour_manager = cls._new_user(
            "sp_scr_tour",
            f"{SALES_MANAGER},{PERF_MANAGER},{INCENTIVE_ADMIN}",
            company=cls.board_company,
            name="SP Scr Tour Manager",
            password="sp_scr_tour",
            lang="en_US",
        )
        won_count = cls.env.ref("sales_performance.metric_won_count")
        plan = cls.env["sales.performance.incentive.plan"].create(
            {
                "name": "SP Scr Plan",
                "company_id": cls.board_company.id,
                "period_type": "month",
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Marginal commission",
                            "kind": "commission",
                            "metric_id": cls.metric.id,
                            "basis": "attainment",
                            "mode": "marginal",
                            "tier_ids": [
                                Command.create({"lower": 0, "upper": 100, "rate": 2}),
                                Command.create({"lower": 100, "upper": 0, "rate": 5}),
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "name": "Deal SPIFF",
                            "kind": "spiff",
                            "metric_id": won_count.id,
                            "amount": 25,
                        }
                    ),
                ],
                "assignment_ids": [Command.create({"user_id": cls.ann.id})],
            }
        )
        plan.action_activate()
        cls.statement = plan.generate_statements(*MARCH)
        cls.statement.with_user(cls.tour_manager).action_confirm()

    def test_screens_tour(self):
        # ann, March: 12,000 on 10,000 -> 10,000 x 2 % + 2,000 x 5 % = 300,
        # one deal x 25 = 25
        self.assertEqual(
            (self.statement.amount_commission, self.statement.amount_spiff),
            (300.0, 25.0),
        )
        self.start_tour(
            "/odoo/action-sales_performance.sales_performance_target_action_leaderboard",
            "sales_performance_screens_tour",
            login="sp_scr_tour",
        )


@tagged("post_install", "-at_install")
class TestScreensEvaluationCurrency(EvaluationCommon):
    """KPI lines show amounts in the company's currency and counts as plain
    numbers (the form and the appraisal PDF)."""

    def test_kpi_amounts_have_their_currency(self):
        count = self.env.ref("sales_performance.metric_won_count")
        evaluation = self._evaluation()
        evaluation.line_ids = [
            Command.create({"kind": "kpi", "metric_id": count.id, "weight": 10})
        ]
        won = evaluation.line_ids.filtered(
            lambda line: line.metric_id == self.metric_won
        )
        deals = evaluation.line_ids.filtered(lambda line: line.metric_id == count)
        self.assertEqual(won.value_currency_id, evaluation.company_id.currency_id)
        self.assertFalse(deals.value_currency_id)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "sales_performance.action_report_evaluation", evaluation.ids
            )[0]
            .decode()
        )
        # the won revenue line's target and achievement, as amounts
        self.assertGreaterEqual(html.count("oe_currency_value"), 2)
        self.assertIn(evaluation.company_id.currency_id.symbol, html)
