"""Targets narrowed by product category, customer segment, country, customer
tag and channel (UTM source and medium). Every expected figure is computed by
hand in the comments, from the orders and invoices of company A in March
2026 built here (no demo record)."""

from datetime import date, datetime

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import FEBRUARY, MARCH, TargetCommon


@tagged("post_install", "-at_install")
class TestTargetDimension(TargetCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company_a, install_demo=False
        )
        # every user counts days in UTC: one time zone, one group per period
        (cls.user_alice | cls.user_bob | cls.user_carol | cls.user_dave).tz = "UTC"
        cls.metric_lines = cls.env.ref("sales_performance.metric_confirmed_sales_lines")
        cls.metric_invoice_lines = cls.env.ref(
            "sales_performance.metric_invoiced_revenue_lines"
        )
        Category = cls.env["product.category"]
        cls.furniture = Category.create({"name": "SP Furniture"})
        cls.chairs = Category.create(
            {"name": "SP Chairs", "parent_id": cls.furniture.id}
        )
        cls.services = Category.create({"name": "SP Services"})

        def product(name, category):
            return cls.env["product.product"].create(
                {
                    "name": name,
                    "type": "consu",
                    "categ_id": category.id,
                    "list_price": 1.0,
                    "taxes_id": [Command.clear()],
                }
            )

        cls.chair = product("SP Chair", cls.chairs)
        cls.desk = product("SP Desk", cls.furniture)
        cls.service = product("SP Service", cls.services)
        cls.key_account = cls.env["res.partner.category"].create(
            {"name": "SP Key Account"}
        )
        Partner = cls.env["res.partner"]
        cls.customer_fr = Partner.create(
            {
                "name": "SP Client France",
                "is_company": True,
                "country_id": cls.env.ref("base.fr").id,
                "category_id": [Command.link(cls.key_account.id)],
            }
        )
        cls.customer_de = Partner.create(
            {
                "name": "SP Kunde Deutschland",
                "is_company": True,
                "country_id": cls.env.ref("base.de").id,
            }
        )
        # segments are computed; the superuser sets them here
        cls.customer_fr.sales_performance_segment = "a"
        cls.customer_de.sales_performance_segment = "b"
        cls.newsletter = cls.env["utm.source"].create({"name": "SP Newsletter"})
        cls.email = cls.env["utm.medium"].create({"name": "SP Email"})

        # March: Alice sells o1 to France via the newsletter (chair 300,
        # service 100) and o2 to Germany (desk 500, chair 200); Bob sells o3
        # to France (chair 50); Dave sells o4 to Germany (service 600).
        # Not counted: a quotation of Alice (chair 1000) and her February
        # order (chair 999).
        cls.o1 = cls._order_lines(
            cls.user_alice,
            cls.customer_fr,
            [(cls.chair, 300.0), (cls.service, 100.0)],
            datetime(2026, 3, 5, 10),
            source_id=cls.newsletter.id,
            medium_id=cls.email.id,
        )
        cls.o2 = cls._order_lines(
            cls.user_alice,
            cls.customer_de,
            [(cls.desk, 500.0), (cls.chair, 200.0)],
            datetime(2026, 3, 12, 10),
        )
        cls.o3 = cls._order_lines(
            cls.user_bob, cls.customer_fr, [(cls.chair, 50.0)], datetime(2026, 3, 20, 9)
        )
        cls.o4 = cls._order_lines(
            cls.user_dave,
            cls.customer_de,
            [(cls.service, 600.0)],
            datetime(2026, 3, 21, 9),
            team=cls.team_2,
        )
        cls._order_lines(
            cls.user_alice,
            cls.customer_fr,
            [(cls.chair, 1000.0)],
            datetime(2026, 3, 22, 9),
            confirm=False,
        )
        cls._order_lines(
            cls.user_alice,
            cls.customer_fr,
            [(cls.chair, 999.0)],
            datetime(2026, 2, 10, 9),
        )

    @classmethod
    def _order_lines(cls, user, partner, lines, when, team=None, confirm=True, **vals):
        order = (
            cls.env["sale.order"]
            .with_company(cls.company_a)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "team_id": (team or cls.team_1).id,
                    "company_id": cls.company_a.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": 1.0,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for product, amount in lines
                    ],
                    **vals,
                }
            )
        )
        if confirm:
            order.action_confirm()
        order.write({"date_order": when})
        return order

    def _invoice(self, user, partner, lines, day, move_type="out_invoice"):
        move = (
            self.env["account.move"]
            .with_company(self.company_a)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": day,
                    "invoice_user_id": user.id,
                    "team_id": self.team_1.id,
                    "company_id": self.company_a.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "name": product.name,
                                "quantity": 1.0,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for product, amount in lines
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _achieved(self, metric=None, period=MARCH, **vals):
        target = self._target(metric or self.metric_lines, *period, **vals)
        target.action_recompute()
        return target.achieved_value

    # ------------------------------------------------------------------
    # achievement per dimension
    # ------------------------------------------------------------------
    def test_product_category_includes_child_categories(self):
        alice, bob = self.user_alice, self.user_bob
        # Furniture and its child Chairs: Alice 300 (o1) + 500 + 200 (o2) = 1000
        self.assertAlmostEqual(
            self._achieved(user_id=alice.id, product_category_id=self.furniture.id),
            1000.0,
        )
        # Chairs only: 300 + 200 = 500
        self.assertAlmostEqual(
            self._achieved(user_id=alice.id, product_category_id=self.chairs.id), 500.0
        )
        # Services: 100 (o1)
        self.assertAlmostEqual(
            self._achieved(user_id=alice.id, product_category_id=self.services.id),
            100.0,
        )
        # Bob's chairs: 50; Team One's furniture: 1000 + 50 = 1050
        self.assertAlmostEqual(
            self._achieved(user_id=bob.id, product_category_id=self.furniture.id), 50.0
        )
        self.assertAlmostEqual(
            self._achieved(
                team_id=self.team_1.id, product_category_id=self.furniture.id
            ),
            1050.0,
        )
        # the whole company in services: 100 (o1) + 600 (o4) = 700
        self.assertAlmostEqual(
            self._achieved(product_category_id=self.services.id), 700.0
        )
        # without dimension, the lines add up to the orders: Alice 400 + 700
        self.assertAlmostEqual(self._achieved(user_id=alice.id), 1100.0)

    def test_segment_country_tag_and_channel(self):
        alice = self.user_alice
        # o1 is France, segment A, key account, newsletter by email: 400;
        # o2 is Germany, segment B: 700
        for vals, expected in (
            ({"partner_segment": "a"}, 400.0),
            ({"partner_segment": "b"}, 700.0),
            ({"partner_segment": "c"}, 0.0),
            ({"country_id": self.env.ref("base.fr").id}, 400.0),
            ({"country_id": self.env.ref("base.de").id}, 700.0),
            ({"partner_category_id": self.key_account.id}, 400.0),
            ({"source_id": self.newsletter.id}, 400.0),
            ({"medium_id": self.email.id}, 400.0),
            # two dimensions: chairs sold in France = 300
            (
                {
                    "country_id": self.env.ref("base.fr").id,
                    "product_category_id": self.chairs.id,
                },
                300.0,
            ),
        ):
            with self.subTest(vals=vals):
                self.assertAlmostEqual(
                    self._achieved(user_id=alice.id, **vals), expected
                )
        # on the orders themselves (header metric): the same per country and
        # channel; France for the whole Team One = o1 400 + o3 50 = 450
        self.assertAlmostEqual(
            self._achieved(
                self.metric_confirmed_sales,
                user_id=alice.id,
                source_id=self.newsletter.id,
            ),
            400.0,
        )
        self.assertAlmostEqual(
            self._achieved(
                self.metric_confirmed_sales,
                team_id=self.team_1.id,
                country_id=self.env.ref("base.fr").id,
            ),
            450.0,
        )

    def test_line_metrics_are_credited_like_their_documents(self):
        alice, bob = self.user_alice, self.user_bob
        # o1 split 60 % Alice, 40 % Bob: Alice's furniture = 0.6 x 300 + 700
        # = 880, Bob's = 50 + 0.4 x 300 = 170; the header metric gives Alice
        # 0.6 x 400 + 700 = 940, as the lines without dimension
        self.o1.write(
            {
                "sales_performance_split_ids": [
                    Command.create({"user_id": alice.id, "percent": 60.0}),
                    Command.create({"user_id": bob.id, "percent": 40.0}),
                ]
            }
        )
        self.assertAlmostEqual(
            self._achieved(user_id=alice.id, product_category_id=self.furniture.id),
            880.0,
        )
        self.assertAlmostEqual(
            self._achieved(user_id=bob.id, product_category_id=self.furniture.id),
            170.0,
        )
        self.assertAlmostEqual(
            self._achieved(self.metric_confirmed_sales, user_id=alice.id), 940.0
        )
        self.assertAlmostEqual(self._achieved(user_id=alice.id), 940.0)
        # February counts on its own: the chair of 999
        self.assertAlmostEqual(
            self._achieved(
                period=FEBRUARY, user_id=alice.id, product_category_id=self.chairs.id
            ),
            999.0,
        )
        # the drill-down lists the lines of the category, with the share
        target = self.Target.search(
            [
                ("user_id", "=", alice.id),
                ("metric_id", "=", self.metric_lines.id),
                ("date_from", "=", MARCH[0]),
                ("product_category_id", "=", self.furniture.id),
            ]
        )
        action = target.action_view_sources()
        lines = self.env["sale.order.line"].search(action["domain"])
        self.assertEqual(sorted(lines.mapped("price_subtotal")), [200.0, 300.0, 500.0])

    def test_invoice_lines_by_product_category(self):
        alice = self.user_alice
        # invoice of March 10 (desk 500, chair 200) and credit note of
        # March 20 (chair 50): furniture 700 - 50 = 650, chairs 200 - 50 = 150,
        # services 0; the header metric gives 650 too
        self._invoice(
            alice,
            self.customer_de,
            [(self.desk, 500.0), (self.chair, 200.0)],
            date(2026, 3, 10),
        )
        self._invoice(
            alice,
            self.customer_de,
            [(self.chair, 50.0)],
            date(2026, 3, 20),
            "out_refund",
        )
        metric = self.metric_invoice_lines
        self.assertAlmostEqual(
            self._achieved(
                metric, user_id=alice.id, product_category_id=self.furniture.id
            ),
            650.0,
        )
        self.assertAlmostEqual(
            self._achieved(
                metric, user_id=alice.id, product_category_id=self.chairs.id
            ),
            150.0,
        )
        self.assertAlmostEqual(
            self._achieved(
                metric, user_id=alice.id, product_category_id=self.services.id
            ),
            0.0,
        )
        self.assertAlmostEqual(
            self._achieved(self.metric_invoiced_revenue, user_id=alice.id), 650.0
        )
        self.assertAlmostEqual(
            self._achieved(metric, user_id=alice.id, partner_segment="b"), 650.0
        )

    # ------------------------------------------------------------------
    # bad input, overlap, roll-up
    # ------------------------------------------------------------------
    def test_dimension_the_metric_does_not_support(self):
        count = self.Target.search_count([])
        # an order is not of one product category; activities have no customer
        for metric, vals in (
            (self.metric_confirmed_sales, {"product_category_id": self.chairs.id}),
            (self.metric_activities_done, {"country_id": self.env.ref("base.fr").id}),
            (self.metric_new_customers, {"source_id": self.newsletter.id}),
        ):
            with (
                self.subTest(metric=metric.name),
                self.assertRaises(ValidationError) as caught,
            ):
                self._target(metric, user_id=self.user_alice.id, **vals)
            self.assertIn("cannot be narrowed by", str(caught.exception))
        self.assertEqual(self.Target.search_count([]), count)
        # nor by writing the dimension afterwards
        target = self._target(self.metric_confirmed_sales, user_id=self.user_alice.id)
        with self.assertRaises(ValidationError) as caught:
            target.product_category_id = self.chairs
        self.assertIn("Product Category", str(caught.exception))
        target.invalidate_recordset()
        self.assertFalse(target.product_category_id)

    def test_metric_dimension_paths_are_checked(self):
        metric = self.metric_lines.copy({"name": "SP Lines Copy"})
        for path_field, path in (
            ("product_category_path", "product_id.no_such_field"),
            ("product_category_path", "order_partner_id"),
            ("country_path", "name.country_id"),
            ("partner_segment_path", "order_partner_id.country_id"),
        ):
            with self.subTest(path=path), self.assertRaises(ValidationError):
                metric[path_field] = path
        # a path in use by a target stays
        self._target(
            metric, user_id=self.user_alice.id, country_id=self.env.ref("base.fr").id
        )
        with self.assertRaises(ValidationError) as caught:
            metric.country_path = False
        self.assertIn("must keep its dimension paths", str(caught.exception))
        metric.invalidate_recordset()
        self.assertEqual(metric.country_path, "order_partner_id.country_id")

    def test_overlap_with_different_dimensions_is_allowed(self):
        alice = self.user_alice
        furniture = self._target(
            self.metric_lines, user_id=alice.id, product_category_id=self.furniture.id
        )
        services = self._target(
            self.metric_lines, user_id=alice.id, product_category_id=self.services.id
        )
        whole = self._target(self.metric_lines, user_id=alice.id)
        france = self._target(
            self.metric_lines, user_id=alice.id, country_id=self.env.ref("base.fr").id
        )
        self.assertEqual(len(furniture | services | whole | france), 4)
        with self.assertRaises(ValidationError) as caught:
            self._target(
                self.metric_lines,
                "2026-03-15",
                "2026-04-15",
                user_id=alice.id,
                product_category_id=self.furniture.id,
            )
        self.assertIn("overlaps", str(caught.exception))
        # ranks are among the targets of the same dimensions: Alice's 1000 of
        # furniture is first before Bob's 50, her 100 of services first alone
        bob_furniture = self._target(
            self.metric_lines,
            user_id=self.user_bob.id,
            product_category_id=self.furniture.id,
        )
        (furniture | services | bob_furniture).action_recompute()
        self.assertEqual((furniture.rank, bob_furniture.rank, services.rank), (1, 2, 1))
        self.assertIn("SP Furniture", furniture.name)

    def test_sub_targets_keep_their_parent_dimensions(self):
        parent = self._target(self.metric_lines, product_category_id=self.furniture.id)
        for vals in ({}, {"product_category_id": self.services.id}):
            with self.subTest(vals=vals), self.assertRaises(ValidationError) as caught:
                self._target(
                    self.metric_lines,
                    team_id=self.team_1.id,
                    parent_id=parent.id,
                    **vals,
                )
            self.assertIn("dimensions of its parent", str(caught.exception))
        # a child category, or a further dimension, counts within the parent
        chairs = self._target(
            self.metric_lines,
            team_id=self.team_1.id,
            parent_id=parent.id,
            product_category_id=self.chairs.id,
        )
        france = self._target(
            self.metric_lines,
            team_id=self.team_2.id,
            parent_id=parent.id,
            product_category_id=self.furniture.id,
            country_id=self.env.ref("base.fr").id,
        )
        self.assertEqual(parent.child_ids, chairs | france)

    def test_allocation_keeps_the_dimension(self):
        # company target of 1000 in furniture, allocated to the teams in
        # proportion to March: Team One sold 1050 of furniture, Team Two none
        # (Dave's 600 are services), so Team One gets 1000 and Team Two 0
        parent = self._target(
            self.metric_lines,
            target_value=1000.0,
            product_category_id=self.furniture.id,
        )
        wizard = (
            self.env["sales.performance.target.allocate"]
            .with_context(default_parent_id=parent.id)
            .create(
                {
                    "method": "actual",
                    "reference_date_from": MARCH[0],
                    "reference_date_to": MARCH[1],
                }
            )
        )
        by_team = {vals["team_id"]: vals for vals in wizard._allocation()}
        self.assertAlmostEqual(by_team[self.team_1.id]["weight"], 1050.0)
        self.assertAlmostEqual(by_team[self.team_2.id]["weight"], 0.0)
        self.assertAlmostEqual(by_team[self.team_1.id]["target_value"], 1000.0)
        wizard.action_allocate()
        children = parent.child_ids
        self.assertEqual(children.product_category_id, self.furniture)
        team_1 = children.filtered(lambda t: t.team_id == self.team_1)
        self.assertAlmostEqual(team_1.target_value, 1000.0)
        self.assertAlmostEqual(team_1.achieved_value, 1050.0)
        self.assertAlmostEqual(parent.rollup_gap, 0.0)
        # and a team's furniture target is allocated to its members: Alice
        # 1000, Bob 50 of a 2100 target -> 2000 and 100
        team_target = children.filtered(lambda t: t.team_id == self.team_1)
        team_target.target_value = 2100.0
        members = (
            self.env["sales.performance.target.allocate"]
            .with_context(default_parent_id=team_target.id)
            .create(
                {
                    "method": "actual",
                    "reference_date_from": MARCH[0],
                    "reference_date_to": MARCH[1],
                }
            )
        )
        by_user = {
            vals["user_id"]: vals["target_value"] for vals in members._allocation()
        }
        self.assertAlmostEqual(by_user[self.user_alice.id], 2000.0)
        self.assertAlmostEqual(by_user[self.user_bob.id], 100.0)
        members.action_allocate()
        self.assertEqual(team_target.child_ids.product_category_id, self.furniture)

    # ------------------------------------------------------------------
    # batching
    # ------------------------------------------------------------------
    def test_query_count_independent_of_the_number_of_targets(self):
        categories = self.furniture | self.chairs | self.services
        self.rugs = self.env["product.category"].create({"name": "SP Rugs"})
        categories |= self.rugs | self.env["product.category"].create(
            {"name": "SP Lamps", "parent_id": self.furniture.id}
        )

        def targets_for(users, categories=categories, period=MARCH):
            return self.Target.create(
                [
                    {
                        "company_id": self.company_a.id,
                        "metric_id": self.metric_lines.id,
                        "date_from": period[0],
                        "date_to": period[1],
                        "target_value": 100.0,
                        "user_id": user.id,
                        "product_category_id": category.id,
                    }
                    for user in users
                    for category in categories
                ]
            )

        def queries(targets):
            targets._recompute_batch()  # warm the caches
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            targets._recompute_batch()
            return self.env.cr.sql_log_count - before

        few = targets_for(self.user_alice | self.user_bob)
        many = targets_for(self.user_carol | self.user_dave) | few
        self.assertEqual((len(few), len(many)), (10, 20))
        self.assertEqual(queries(few), queries(many))
        # each further category costs its metric query (and the read of the
        # category's hierarchy), never a query per target: 4 users with one
        # category each (February, not to overlap) against 4 x 5
        one = targets_for(
            self.user_alice | self.user_bob | self.user_carol | self.user_dave,
            self.rugs,
            FEBRUARY,
        )
        self.assertLessEqual(queries(many) - queries(one), 4 * 2)
        alice_chairs = few.filtered(
            lambda t: t.user_id == self.user_alice
            and t.product_category_id == self.chairs
        )
        self.assertAlmostEqual(alice_chairs.achieved_value, 500.0)

    # ------------------------------------------------------------------
    # cockpit
    # ------------------------------------------------------------------
    def test_cockpit_filters_targets_by_dimension(self):
        whole = self._target(self.metric_lines, target_value=2000.0)
        furniture = self._target(
            self.metric_lines,
            target_value=1000.0,
            product_category_id=self.furniture.id,
        )
        (whole | furniture).action_activate()
        Cockpit = self.env["sales.performance.cockpit"].with_company(self.company_a)
        # by default the targets on whole metrics: never added to the
        # furniture target (2000, not 3000)
        data = Cockpit.get_cockpit_data(*MARCH)
        self.assertEqual(data["company"]["target_ids"], whole.ids)
        self.assertEqual(
            [choice["name"] for choice in data["available_dimensions"]],
            ["SP Furniture"],
        )
        key = data["available_dimensions"][0]["key"]
        self.assertEqual(key, {"product_category_id": self.furniture.id})
        data = Cockpit.get_cockpit_data(*MARCH, dimensions=key)
        self.assertEqual(data["company"]["target_ids"], furniture.ids)
        self.assertEqual(data["dimensions"], key)
        for bad in ({"name": 1}, {"product_category_id": "1; DROP"}, ["a"]):
            with self.subTest(bad=bad), self.assertRaises(UserError):
                Cockpit.get_cockpit_data(*MARCH, dimensions=bad)

    def test_recompute_of_a_few_assignees_stays_exact(self):
        # o3 (Bob's chair 50) split half to Alice: Alice's furniture is
        # 1000 + 25 = 1025, Bob's 25; Team One's stays 1000 + 50 = 1050
        self.o3.write(
            {
                "sales_performance_split_ids": [
                    Command.create({"user_id": self.user_alice.id, "percent": 50.0}),
                    Command.create({"user_id": self.user_bob.id, "percent": 50.0}),
                ]
            }
        )
        furniture = {"product_category_id": self.furniture.id}
        alice = self._target(self.metric_lines, user_id=self.user_alice.id, **furniture)
        bob = self._target(self.metric_lines, user_id=self.user_bob.id, **furniture)
        team = self._target(self.metric_lines, team_id=self.team_1.id, **furniture)
        groups = {
            (self.metric_lines, *MARCH, "UTC", tuple(furniture.items())): rows
            for rows in [(alice | team)._read_rows()]
        }
        # only what is credited to Alice or Team One is read for them
        self.assertEqual(
            self.Target._credited_assignees(groups),
            {
                (self.metric_lines, "UTC", tuple(furniture.items())): (
                    {self.user_alice.id},
                    {self.team_1.id},
                )
            },
        )
        self.env.cr.execute(
            "UPDATE sales_performance_target SET achieved_value = 0 WHERE id = ANY(%s)",
            [(alice | bob | team).ids],
        )
        self.env.invalidate_all()
        (alice | team)._recompute_batch()
        bob._recompute_batch()
        self.assertAlmostEqual(alice.achieved_value, 1025.0)
        self.assertAlmostEqual(bob.achieved_value, 25.0)
        self.assertAlmostEqual(team.achieved_value, 1050.0)
        # a company target needs everything: no restriction for it
        company = self._target(self.metric_lines, **furniture)
        groups = {
            (
                self.metric_lines,
                *MARCH,
                "UTC",
                tuple(furniture.items()),
            ): company._read_rows()
        }
        self.assertEqual(self.Target._credited_assignees(groups), {})
        self.assertAlmostEqual(company.achieved_value, 1050.0)
