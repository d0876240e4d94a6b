"""Shared fixtures of the sales_performance Odoo tests.

Everything is built here, in two companies of our own: the tests never rely on
demo data (and work whether or not it is installed).
"""

from datetime import date

from odoo import Command

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user

SALESMAN = "sales_team.group_sale_salesman"
PERF_MANAGER = "sales_performance.group_sales_performance_manager"

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))
APRIL = (date(2026, 4, 1), date(2026, 4, 30))


class SalesPerformanceCommon(BaseCommon):
    """Two companies (A, B, both in USD), two teams in A with their leaders and
    members, a salesperson of B, a sales performance manager of A, customers,
    a product, and EUR with company-specific rates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Target = cls.env["sales.performance.target"]
        cls.metric_won_revenue = cls.env.ref("sales_performance.metric_won_revenue")
        cls.metric_won_count = cls.env.ref("sales_performance.metric_won_count")
        cls.metric_confirmed_sales = cls.env.ref(
            "sales_performance.metric_confirmed_sales"
        )
        cls.metric_invoiced_revenue = cls.env.ref(
            "sales_performance.metric_invoiced_revenue"
        )
        cls.metric_new_customers = cls.env.ref("sales_performance.metric_new_customers")
        cls.metric_activities_done = cls.env.ref(
            "sales_performance.metric_activities_done"
        )

        cls.usd = cls._enable_currency("USD")
        cls.eur = cls._enable_currency("EUR")
        cls.company_a = cls.env["res.company"].create(
            {"name": "SP Test Company A", "currency_id": cls.usd.id}
        )
        cls.company_b = cls.env["res.company"].create(
            {"name": "SP Test Company B", "currency_id": cls.usd.id}
        )
        cls.env.user.company_ids = [
            Command.link(cls.company_a.id),
            Command.link(cls.company_b.id),
        ]
        # Company and team targets count days in the company's time zone (the
        # calendar's, copied from the creating user): make it known.
        (cls.company_a | cls.company_b).resource_calendar_id.tz = "UTC"
        # Rates of our own company, so that no other rate (demo, other tests)
        # can change the expected conversions. 1 USD = <rate> EUR.
        cls.env["res.currency.rate"].create(
            [
                {
                    "currency_id": cls.usd.id,
                    "name": "2000-01-01",
                    "rate": 1.0,
                    "company_id": cls.company_a.id,
                },
                {
                    "currency_id": cls.eur.id,
                    "name": "2026-01-01",
                    "rate": 1.25,
                    "company_id": cls.company_a.id,
                },
                {
                    "currency_id": cls.eur.id,
                    "name": "2026-03-01",
                    "rate": 2.0,
                    "company_id": cls.company_a.id,
                },
                {
                    "currency_id": cls.eur.id,
                    "name": "2026-03-20",
                    "rate": 4.0,
                    "company_id": cls.company_a.id,
                },
            ]
        )

        def user(login, name, groups=SALESMAN, company=None, tz="UTC"):
            company = company or cls.company_a
            return mail_new_test_user(
                cls.env,
                login=login,
                name=name,
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
                tz=tz,
            )

        # Names sort the team members (res.users are ordered by name).
        cls.user_leader = user("sp_leader", "SP Leader One")
        cls.user_alice = user("sp_alice", "SP Alice")
        cls.user_bob = user("sp_bob", "SP Bob")
        cls.user_carol = user("sp_carol", "SP Carol")
        cls.user_leader_2 = user("sp_leader2", "SP Leader Two")
        cls.user_dave = user("sp_dave", "SP Dave")
        cls.user_erin_b = user("sp_erin_b", "SP Erin (B)", company=cls.company_b)
        cls.user_manager = user(
            "sp_manager", "SP Manager", groups=f"{SALESMAN},{PERF_MANAGER}"
        )

        Team = cls.env["crm.team"]
        cls.team_1 = Team.create(
            {
                "name": "SP Team One",
                "company_id": cls.company_a.id,
                "user_id": cls.user_leader.id,
                "member_ids": [
                    Command.set((cls.user_alice | cls.user_bob | cls.user_carol).ids)
                ],
            }
        )
        cls.team_2 = Team.create(
            {
                "name": "SP Team Two",
                "company_id": cls.company_a.id,
                "user_id": cls.user_leader_2.id,
                "member_ids": [Command.set(cls.user_dave.ids)],
            }
        )
        cls.team_b = Team.create(
            {
                "name": "SP Team B",
                "company_id": cls.company_b.id,
                "member_ids": [Command.set(cls.user_erin_b.ids)],
            }
        )

        Partner = cls.env["res.partner"]
        cls.customer_1 = Partner.create({"name": "SP Customer One", "is_company": True})
        cls.contact_1 = Partner.create(
            {"name": "SP Contact of One", "parent_id": cls.customer_1.id}
        )
        cls.customer_2 = Partner.create({"name": "SP Customer Two", "is_company": True})
        cls.customer_3 = Partner.create(
            {"name": "SP Customer Three", "is_company": True}
        )
        cls.customer_4 = Partner.create(
            {"name": "SP Customer Four", "is_company": True}
        )

        cls.product = cls.env["product.product"].create(
            {
                "name": "SP Consulting",
                "type": "service",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.pricelist_eur = cls.env["product.pricelist"].create(
            {
                "name": "SP EUR",
                "currency_id": cls.eur.id,
                "company_id": cls.company_a.id,
            }
        )

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------
    @classmethod
    def _target(cls, metric, date_from=MARCH[0], date_to=MARCH[1], **vals):
        """A target of company A on ``metric`` (March 2026 by default)."""
        return cls.Target.create(
            {
                "company_id": cls.company_a.id,
                "metric_id": metric.id,
                "date_from": date_from,
                "date_to": date_to,
                "target_value": 100.0,
                **vals,
            }
        )

    @classmethod
    def _lead(cls, user, team, revenue, company=None, **vals):
        return cls.env["crm.lead"].create(
            {
                "name": "SP Opportunity %s" % revenue,
                "type": "opportunity",
                "partner_id": cls.customer_1.id,
                "user_id": user.id if user else False,
                "team_id": team.id if team else False,
                "company_id": (company or cls.company_a).id,
                "expected_revenue": revenue,
                **vals,
            }
        )

    @classmethod
    def _won_lead(cls, user, team, revenue, closed_at, company=None):
        lead = cls._lead(user, team, revenue, company=company)
        lead.action_set_won()
        lead.write({"date_closed": closed_at})
        return lead

    @classmethod
    def _order(
        cls,
        user,
        team,
        partner,
        amount,
        order_date,
        state="sale",
        pricelist=None,
        company=None,
    ):
        vals = {
            "partner_id": partner.id,
            "user_id": user.id if user else False,
            "team_id": team.id if team else False,
            "company_id": (company or cls.company_a).id,
            "order_line": [
                Command.create(
                    {
                        "product_id": cls.product.id,
                        "product_uom_qty": 2.0,
                        "price_unit": amount / 2.0,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        order = (
            cls.env["sale.order"].with_company(company or cls.company_a).create(vals)
        )
        if state in ("sale", "cancel"):
            order.action_confirm()
        if state == "cancel":
            order._action_cancel()
        order.write({"date_order": order_date})
        return order

    def _values(self, target):
        target.invalidate_recordset()
        return {
            "achieved": target.achieved_value,
            "forecast": target.forecast_value,
            "expected": target.expected_value,
            "attainment": target.attainment,
            "status": target.status,
            "previous": target.previous_value,
            "rank": target.rank,
        }
