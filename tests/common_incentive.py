from datetime import date, datetime

from odoo import Command
from odoo.tests.common import new_test_user

from odoo.addons.base.tests.common import BaseCommon

JAN = (date(2031, 1, 1), date(2031, 1, 31))
FEB = (date(2031, 2, 1), date(2031, 2, 28))


class IncentiveCommon(BaseCommon):
    """Salespeople, a team and its leader, an incentive administrator, won
    opportunities and targets in January 2031 (a period no demo record
    touches). Expected payouts are computed by hand in the tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        salesman = "sales_team.group_sale_salesman"

        def user(login, groups=salesman):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                tz="UTC",
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )

        cls.sp1 = user("inc_sp1")
        cls.sp2 = user("inc_sp2")
        cls.sp3 = user("inc_sp3")
        cls.leader = user("inc_leader")
        cls.outsider = user("inc_outsider")
        cls.admin = user(
            "inc_admin",
            salesman + ",sales_performance.group_sales_performance_incentive_admin",
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Incentive Team",
                "user_id": cls.leader.id,
                "member_ids": [Command.set((cls.sp1 | cls.sp2 | cls.sp3).ids)],
            }
        )
        cls.metric_won = cls.env.ref("sales_performance.metric_won_revenue")
        cls.metric_won_count = cls.env.ref("sales_performance.metric_won_count")
        cls.won_stage = cls.env["crm.stage"].create(
            {"name": "Won (incentive tests)", "is_won": True, "sequence": 99}
        )
        # January 2031: sp1 wins 50,000 + 40,000 = 90,000 (target 100,000: 90 %),
        # sp2 wins 120,000 (target 100,000: 120 %), sp3 wins 60,000 (no target).
        cls.lead_sp1_a = cls._won_lead(cls.sp1, 50000, datetime(2031, 1, 10, 12))
        cls.lead_sp1_b = cls._won_lead(cls.sp1, 40000, datetime(2031, 1, 20, 12))
        cls.lead_sp2 = cls._won_lead(cls.sp2, 120000, datetime(2031, 1, 15, 12))
        cls.lead_sp3 = cls._won_lead(cls.sp3, 60000, datetime(2031, 1, 31, 12))
        Target = cls.env["sales.performance.target"]
        cls.targets = Target.create(
            [
                {
                    "user_id": u.id,
                    "metric_id": cls.metric_won.id,
                    "date_from": JAN[0],
                    "date_to": JAN[1],
                    "target_value": 100000,
                }
                for u in (cls.sp1, cls.sp2)
            ]
        )
        cls.targets.action_activate()

    @classmethod
    def _won_lead(cls, user, amount, when, company=None):
        lead = cls.env["crm.lead"].create(
            {
                "name": "Deal %s %s" % (user.login, amount),
                "type": "opportunity",
                "user_id": user.id,
                "team_id": False,
                "expected_revenue": amount,
                "stage_id": cls.won_stage.id,
                "probability": 100,
                "company_id": (company or cls.env.company).id,
            }
        )
        lead.date_closed = when
        return lead

    @classmethod
    def _plan(cls, rules, users=None, name="Test Plan", activate=True, company=None):
        """A monthly plan for 2031 with ``rules`` (vals dicts, tiers as tuples
        (lower, upper, rate) or for bonuses (threshold, amount))."""
        rule_vals = []
        for rule in rules:
            rule = dict(rule)
            tiers = rule.pop("tiers", [])
            if rule.get("kind") == "bonus":
                tier_cmds = [
                    Command.create({"lower": lo, "amount": amt}) for lo, amt in tiers
                ]
            else:
                tier_cmds = [
                    Command.create({"lower": lo, "upper": up or 0.0, "rate": rate})
                    for lo, up, rate in tiers
                ]
            rule_vals.append(
                Command.create({"name": "Rule", **rule, "tier_ids": tier_cmds})
            )
        users = users if users is not None else (cls.sp1 | cls.sp2 | cls.sp3)
        plan = cls.env["sales.performance.incentive.plan"].create(
            {
                "name": name,
                "company_id": (company or cls.env.company).id,
                "period_type": "month",
                "date_from": date(2031, 1, 1),
                "date_to": date(2031, 12, 31),
                "rule_ids": rule_vals,
                "assignment_ids": [Command.create({"user_id": u.id}) for u in users],
            }
        )
        if activate:
            plan.action_activate()
        return plan

    TIERS = [(0, 80, 2), (80, 100, 5), (100, None, 8)]

    def _commission(self, mode="flat", **extra):
        return {
            "kind": "commission",
            "metric_id": self.metric_won.id,
            "basis": "attainment",
            "mode": mode,
            "tiers": self.TIERS,
            **extra,
        }

    @staticmethod
    def _by_user(statements):
        return {s.user_id: s for s in statements}
