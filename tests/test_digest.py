"""The weekly scorecard e-mail: the figures of one salesperson (their targets
and drivers from the cockpit) in English and in Chinese, the team table of a
team leader, the opt-out, and the batch (one cockpit call, queued mails).
Expected figures are computed by hand in the comments."""

from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from .common import MARCH, TargetCommon

TODAY = "2026-03-16 10:00:00"  # a Monday


@tagged("post_install", "-at_install")
class TestDigest(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Digest = cls.env["sales.performance.digest"]
        # March 2026, 22 working days; by Monday 16 March 11 are over
        # (2-6, 9-13, 16): 1,000 x 11 / 22 = 500 expected by today.
        with freeze_time("2026-03-01 09:00:00"):
            # Alice wins 400 + 200 = 600 (created 1 March, won 11 March:
            # cycle 10 days) and loses one: win rate 2 / 3 = 66.7 %.
            won = cls._won_lead(
                cls.user_alice, cls.team_1, 400.0, datetime(2026, 3, 11, 9)
            ) | cls._won_lead(
                cls.user_alice, cls.team_1, 200.0, datetime(2026, 3, 11, 9)
            )
            lost = cls._lead(cls.user_alice, cls.team_1, 300.0)
            lost.action_set_lost()
            lost.date_closed = datetime(2026, 3, 12, 9)
            # Dave (team two) wins 500 of 1,000: 50 %.
            won |= cls._won_lead(
                cls.user_dave, cls.team_2, 500.0, datetime(2026, 3, 11, 9)
            )
        # the database stamps create_date with its own clock: 1 March
        won.flush_recordset()
        cls.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET create_date = %s WHERE id = ANY(%s)",
                datetime(2026, 3, 1, 9),
                won.ids,
            )
        )
        won.invalidate_recordset(["create_date"])
        with freeze_time("2026-03-10 09:00:00"):
            # Alice's open pipeline: 800 x 50 % expected on 25 March = 400; what
            # is missing: 1,000 - 600 = 400 -> coverage 400 / 400 = 100 %.
            cls._lead(
                cls.user_alice,
                cls.team_1,
                800.0,
                probability=50.0,
                date_deadline=date(2026, 3, 25),
            )
        cls.targets = cls.Target
        for user, team in (
            (cls.user_alice, cls.team_1),
            (cls.user_bob, cls.team_1),
            (cls.user_dave, cls.team_2),
        ):
            cls.targets |= cls._target(
                cls.metric_won_revenue,
                user_id=user.id,
                team_id=team.id,
                target_value=1000.0,
            )
        with freeze_time(TODAY):
            cls.targets.action_activate()
            cls.targets.action_recompute()

    def _render(self, users):
        rendered = self.Digest._render_scorecards(*MARCH, users=users)
        return {user: values["body_html"] for user, values in rendered.items()}

    @freeze_time(TODAY)
    def test_salesperson_scorecard_in_english(self):
        body = self._render(self.user_alice)[self.user_alice]
        for text in (
            "Hello SP Alice",
            "Your targets",
            "Won Revenue",
            "1,000.00",  # goal
            "600.00",  # achieved
            "500.00",  # expected by today (see setUpClass)
            "60 %",  # attainment 600 / 1,000
            "On Track",  # forecast 600 + 400 = 1,000 reaches the target
            "120 %",  # pacing 600 / 500
            "Pipeline coverage",
            "100 %",  # 400 / 400
            "67 %",  # win rate 2 / 3 = 66.7 %, previous period: none
            "10.0",  # cycle days
            "No driver below the team median.",
            "No Weekly Scorecard",
        ):
            self.assertIn(text, body)
        # nobody else's figures in a salesperson's scorecard
        for name in ("SP Bob", "SP Carol", "SP Dave", "Your team"):
            self.assertNotIn(name, body)

    @freeze_time(TODAY)
    def test_salesperson_scorecard_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_performance"], ["zh_CN"], overwrite=True
        )
        self.user_alice.lang = "zh_CN"
        rendered = self.Digest._render_scorecards(*MARCH, users=self.user_alice)
        values = rendered[self.user_alice]
        self.assertEqual(values["subject"], "您的每周销售成绩单")
        body = values["body_html"]
        for text in (
            "SP Alice",
            "您的目标",
            "达成率",
            "进度",
            "进展正常",  # On Track
            "商机覆盖率",
            "赢单率",
            "销售周期（天）",
            "60 %",
            "100 %",
            "67 %",
            "1,000.00",
        ):
            self.assertIn(text, body)
        for english in ("Your targets", "Pipeline coverage", "Win rate", "On Track"):
            self.assertNotIn(english, body)

    @freeze_time(TODAY)
    def test_team_leader_gets_their_team_only(self):
        bodies = self._render(self.user_leader | self.user_leader_2)
        leader = bodies[self.user_leader]
        # team one: Alice 60 %, Bob 0 % (no pipeline for a gap of 1,000:
        # coverage 0 %), Carol (no target); the team median of the coverage
        # is that of Alice 100 % and Bob 0 %: 50 %, Bob's weakest driver.
        for text in (
            "Your team: SP Team One",
            "SP Alice",
            "SP Bob",
            "SP Carol",
            "60 %",
            "0 %",
            "Pipeline covers 0 % of the gap; team median 50 %.",
        ):
            self.assertIn(text, leader)
        self.assertNotIn("SP Dave", leader)
        self.assertNotIn("SP Team Two", leader)
        leader_2 = bodies[self.user_leader_2]
        self.assertIn("SP Dave", leader_2)
        self.assertIn("50 %", leader_2)  # 500 / 1,000
        for name in ("SP Alice", "SP Bob", "SP Carol", "SP Team One"):
            self.assertNotIn(name, leader_2)

    @freeze_time(TODAY)
    def test_weekly_cron_queues_one_batch_and_honours_opt_out(self):
        # Bob opts out in his own preferences
        self.user_bob.with_user(self.user_bob).write(
            {"sales_performance_digest_optout": True}
        )
        view = self.env.ref("sales_performance.res_users_view_form_simple_modif_digest")
        self.assertIn("sales_performance_digest_optout", view.arch)
        cron = self.env.ref("sales_performance.ir_cron_weekly_scorecard")
        self.assertEqual(cron.name, "Sales Performance: weekly scorecard")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "weeks"))
        Cockpit = type(self.env["sales.performance.cockpit"])
        real = Cockpit.get_cockpit_data
        with patch.object(
            Cockpit, "get_cockpit_data", autospec=True, side_effect=real
        ) as spy:
            cron.ir_actions_server_id.run()  # in the test's transaction
        self.assertEqual(spy.call_count, 1, "one cockpit call for every recipient")
        ours = (
            self.user_alice | self.user_bob | self.user_dave | self.user_leader
        ) | self.user_leader_2
        mails = self.env["mail.mail"].search(
            [("recipient_ids", "in", ours.partner_id.ids)]
        )
        self.assertEqual(
            mails.recipient_ids,
            (ours - self.user_bob).partner_id,
            "Bob opted out",
        )
        self.assertEqual(set(mails.mapped("state")), {"outgoing"}, "queued, not sent")
        self.assertEqual(len(mails), 4)
        # Bob still appears in his leader's team table
        leader_mail = mails.filtered(
            lambda m: m.recipient_ids == self.user_leader.partner_id
        )
        self.assertIn("SP Bob", leader_mail.body_html)
        self.assertEqual(leader_mail.subject, "Your weekly sales scorecard")
