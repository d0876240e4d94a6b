"""The fixtures of every Odoo test of sales_performance, in one module.

``SalesPerformanceCommon`` is the root: the one user factory (``_new_user``),
the companies (``company``, the test company, and ``company_b``, the other
company of every multi-company test), the customers, and the builders of
companies and sales teams. The feature bases extend it and add their own
records: ``TargetCommon`` (targets and metrics), ``IncentiveCommon`` (plans
and statements), ``EvaluationCommon`` (appraisals), ``TrainingCommon``
(courses and records). ``pdf_text_and_fonts`` reads a rendered PDF.

Everything is built here: the tests never rely on demo data (and work whether
or not it is installed).
"""

import subprocess
import tempfile
import unicodedata
from contextlib import contextmanager
from datetime import date, datetime

from odoo import Command

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user

SALESMAN = "sales_team.group_sale_salesman"
SALES_MANAGER = "sales_team.group_sale_manager"
HR_OFFICER = "hr.group_hr_user"
PERF_USER = "sales_performance.group_sales_performance_user"
PERF_MANAGER = "sales_performance.group_sales_performance_manager"
INCENTIVE_ADMIN = "sales_performance.group_sales_performance_incentive_admin"
TRAINING_MANAGER = "sales_performance.group_sales_performance_training_manager"

# Target periods (2026) ...
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))
APRIL = (date(2026, 4, 1), date(2026, 4, 30))
# ... and incentive periods (2031, a year no demo record touches).
JAN = (date(2031, 1, 1), date(2031, 1, 31))
FEB = (date(2031, 2, 1), date(2031, 2, 28))


def pdf_text_and_fonts(pdf):
    """The text (pdftotext) and font list (pdffonts) of a rendered PDF."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", handle.name, "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        fonts = subprocess.run(
            ["pdffonts", handle.name], capture_output=True, check=True, text=True
        ).stdout
    # CJK fonts map some ideographs to Kangxi radicals in the text layer.
    return unicodedata.normalize("NFKC", text), fonts


class SalesPerformanceCommon(BaseCommon):
    """The root of the fixtures: the test company (``company``, in USD) and
    another company (``company_b``, in USD, days counted in UTC), four
    customers and a contact, and the builders of users, companies and teams.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # BaseCommon: cls.company is the test user's company, in USD
        cls.usd = cls._enable_currency("USD")
        cls.company_b = cls._new_company("SP Test Company B")

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

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------
    @classmethod
    def _new_user(cls, login, groups=SALESMAN, company=None, companies=None, **vals):
        """The one way the tests create a user: ``mail_new_test_user`` in
        ``company`` (the test company by default), allowed in ``companies``
        (``company`` alone by default), working in UTC unless ``tz`` is
        given. Other ``vals`` (name, password, lang, ...) go to the create;
        without a name the user is called "login (groups)"."""
        company = company or cls.company
        vals.setdefault("tz", "UTC")
        return mail_new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set((companies or company).ids)],
            **vals,
        )

    @classmethod
    def _new_company(cls, name, currency=None):
        """A company (in USD by default) the test user works in, whose
        working schedule counts days in UTC (company and team targets count
        days in the company's time zone: make it known)."""
        company = cls.env["res.company"].create(
            {"name": name, "currency_id": (currency or cls.usd).id}
        )
        cls.env.user.company_ids = [Command.link(company.id)]
        company.resource_calendar_id.tz = "UTC"
        return company

    @classmethod
    def _new_team(cls, name, leader=None, members=None, company=None):
        """A sales team of ``company`` (the test company by default)."""
        return cls.env["crm.team"].create(
            {
                "name": name,
                "company_id": (company or cls.company).id,
                "user_id": leader.id if leader else False,
                "member_ids": [Command.set(members.ids if members else [])],
            }
        )


class TargetCommon(SalesPerformanceCommon):
    """Targets and metrics: company A (in USD, with EUR at company-specific
    rates) and its two teams with their leaders and members, a salesperson
    and a team of company B, a sales performance manager of A, a product and
    an EUR pricelist."""

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

        cls.eur = cls._enable_currency("EUR")
        cls.company_a = cls._new_company("SP Test Company A")
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

        def user(login, name, groups=SALESMAN, company=None):
            return cls._new_user(
                login, groups, company=company or cls.company_a, name=name
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

        cls.team_1 = cls._new_team(
            "SP Team One",
            cls.user_leader,
            cls.user_alice | cls.user_bob | cls.user_carol,
            cls.company_a,
        )
        cls.team_2 = cls._new_team(
            "SP Team Two", cls.user_leader_2, cls.user_dave, cls.company_a
        )
        cls.team_b = cls._new_team(
            "SP Team B", members=cls.user_erin_b, company=cls.company_b
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


class IncentiveCommon(SalesPerformanceCommon):
    """Salespeople, a team and its leader, an incentive administrator, won
    opportunities and targets in January 2031 (a period no demo record
    touches), all in the test company. Expected payouts are computed by hand
    in the tests."""

    TIERS = [(0, 80, 2), (80, 100, 5), (100, None, 8)]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sp1 = cls._new_user("inc_sp1")
        cls.sp2 = cls._new_user("inc_sp2")
        cls.sp3 = cls._new_user("inc_sp3")
        cls.leader = cls._new_user("inc_leader")
        cls.outsider = cls._new_user("inc_outsider")
        cls.admin = cls._new_user("inc_admin", f"{SALESMAN},{INCENTIVE_ADMIN}")
        cls.team = cls._new_team(
            "Incentive Team", cls.leader, cls.sp1 | cls.sp2 | cls.sp3
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
                "company_id": (company or cls.company).id,
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
                "company_id": (company or cls.company).id,
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


class EvaluationCommon(SalesPerformanceCommon):
    """Appraisals: users and employees of the test company (a three-level
    hierarchy), targets of the period and a template."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_hr = cls._new_user("sp_eval_hr", HR_OFFICER, name="Hannah HR")
        cls.user_top = cls._new_user("sp_eval_top", name="Tom Top")
        cls.user_manager = cls._new_user("sp_eval_manager", name="Mia Manager")
        cls.user_employee = cls._new_user("sp_eval_employee", name="Eve Employee")
        cls.user_colleague = cls._new_user("sp_eval_colleague", name="Carl Colleague")
        cls.department = cls.env["hr.department"].create({"name": "SP Eval Sales"})
        cls.job = cls.env["hr.job"].create({"name": "SP Eval Account Executive"})
        Employee = cls.env["hr.employee"]
        cls.emp_top = Employee.create({"name": "Tom Top", "user_id": cls.user_top.id})
        cls.emp_manager = Employee.create(
            {
                "name": "Mia Manager",
                "user_id": cls.user_manager.id,
                "parent_id": cls.emp_top.id,
            }
        )
        cls.emp_employee = Employee.create(
            {
                "name": "Eve Employee",
                "user_id": cls.user_employee.id,
                "parent_id": cls.emp_manager.id,
                "department_id": cls.department.id,
                "job_id": cls.job.id,
            }
        )
        cls.emp_colleague = Employee.create(
            {
                "name": "Carl Colleague",
                "user_id": cls.user_colleague.id,
                "parent_id": cls.emp_top.id,
                "department_id": cls.department.id,
            }
        )
        cls.metric_won = cls.env.ref("sales_performance.metric_won_revenue")
        cls.metric_sales = cls.env.ref("sales_performance.metric_confirmed_sales")
        cls.competency_a = cls.env.ref(
            "sales_performance.evaluation_competency_product_knowledge"
        )
        cls.competency_b = cls.env.ref(
            "sales_performance.evaluation_competency_teamwork"
        )
        cls.date_from = date(2026, 1, 1)
        cls.date_to = date(2026, 3, 31)
        # Won revenue: two monthly targets in the period, one after it.
        cls._target(
            cls.metric_won, date(2026, 1, 1), date(2026, 1, 31), 10000.0, 9000.0
        )
        cls._target(
            cls.metric_won, date(2026, 2, 1), date(2026, 2, 28), 10000.0, 14000.0
        )
        cls._target(cls.metric_won, date(2026, 4, 1), date(2026, 4, 30), 50000.0, 1.0)
        # Confirmed sales: one quarterly target, 150 % achieved.
        cls._target(
            cls.metric_sales, date(2026, 1, 1), date(2026, 3, 31), 5000.0, 7500.0
        )
        cls.template = cls.env["sales.performance.evaluation.template"].create(
            {
                "name": "SP Eval Template",
                "job_ids": [Command.link(cls.job.id)],
                "line_ids": [
                    Command.create(
                        {"kind": "kpi", "metric_id": cls.metric_won.id, "weight": 40}
                    ),
                    Command.create(
                        {"kind": "kpi", "metric_id": cls.metric_sales.id, "weight": 20}
                    ),
                    Command.create(
                        {
                            "kind": "competency",
                            "competency_id": cls.competency_a.id,
                            "weight": 20,
                        }
                    ),
                    Command.create(
                        {
                            "kind": "competency",
                            "competency_id": cls.competency_b.id,
                            "weight": 20,
                        }
                    ),
                ],
            }
        )

    @classmethod
    def _target(
        cls, metric, date_from, date_to, target_value, achieved_value, user=None
    ):
        target = cls.env["sales.performance.target"].create(
            {
                "user_id": (user or cls.user_employee).id,
                "metric_id": metric.id,
                "company_id": cls.company.id,
                "date_from": date_from,
                "date_to": date_to,
                "target_value": target_value,
            }
        )
        target.sudo().write({"achieved_value": achieved_value})
        return target

    @classmethod
    def _evaluation(cls, employee=None, **vals):
        return cls.env["sales.performance.evaluation"].create(
            {
                "employee_id": (employee or cls.emp_employee).id,
                "date_from": cls.date_from,
                "date_to": cls.date_to,
                "template_id": cls.template.id,
                **vals,
            }
        )

    def _lines(self, evaluation):
        lines = evaluation.sudo().line_ids
        return {
            "won": lines.filtered(lambda ln: ln.metric_id == self.metric_won),
            "sales": lines.filtered(lambda ln: ln.metric_id == self.metric_sales),
            "competency_a": lines.filtered(
                lambda ln: ln.competency_id == self.competency_a
            ),
            "competency_b": lines.filtered(
                lambda ln: ln.competency_id == self.competency_b
            ),
        }

    @contextmanager
    def assertRaisesMessage(self, exception, text):
        """assertRaises (which rolls back to a savepoint) checking the message too."""
        with self.assertRaises(exception) as cm:
            yield cm
        self.assertIn(text, str(cm.exception))

    def _activities(self, evaluation, xmlid):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "sales.performance.evaluation"),
                ("res_id", "=", evaluation.id),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )


class TrainingCommon(SalesPerformanceCommon):
    """Training: a training manager, an HR officer, a line manager and two of
    their reports in the test company, a user and a training manager of
    company B, a course with a 12-month certificate and a planned session."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, groups=SALESMAN, company=None):
            return cls._new_user(login, groups, company=company, name=login)

        trainer = f"{SALESMAN},{TRAINING_MANAGER}"
        cls.user_trainer = user("sp_tr_trainer", trainer)
        cls.user_hr = user("sp_tr_hr", HR_OFFICER)
        cls.user_manager = user("sp_tr_manager")
        cls.user_employee = user("sp_tr_employee")
        cls.user_colleague = user("sp_tr_colleague")
        cls.user_other = user("sp_tr_other", company=cls.company_b)
        cls.user_other_trainer = user("sp_tr_other_trainer", trainer, cls.company_b)
        cls.job = cls.env["hr.job"].create({"name": "SP Training Account Executive"})
        Employee = cls.env["hr.employee"]
        cls.emp_manager = Employee.create(
            {"name": "Mia Manager", "user_id": cls.user_manager.id}
        )
        cls.emp_employee = Employee.create(
            {
                "name": "Eve Employee",
                "user_id": cls.user_employee.id,
                "parent_id": cls.emp_manager.id,
                "job_id": cls.job.id,
            }
        )
        cls.emp_colleague = Employee.create(
            {
                "name": "Carl Colleague",
                "user_id": cls.user_colleague.id,
                "parent_id": cls.emp_manager.id,
                "job_id": cls.job.id,
            }
        )
        cls.emp_other = Employee.create(
            {
                "name": "Otto Other",
                "user_id": cls.user_other.id,
                "company_id": cls.company_b.id,
            }
        )
        cls.course = cls.env["sales.performance.training.course"].create(
            {
                "name": "Consultative Selling",
                "duration_hours": 8.0,
                "validity_months": 12,
                "cost_per_participant": 300.0,
                "company_id": cls.company.id,
            }
        )
        cls.session = cls.env["sales.performance.training.session"].create(
            {
                "course_id": cls.course.id,
                "date_start": datetime(2036, 3, 2, 9),
                "date_end": datetime(2036, 3, 2, 17),
                "capacity": 2,
                "company_id": cls.company.id,
            }
        )

    @classmethod
    def _record(cls, employee=None, course=None, **vals):
        return cls.env["sales.performance.training.record"].create(
            {
                "employee_id": (employee or cls.emp_employee).id,
                "course_id": (course or cls.course).id,
                **vals,
            }
        )

    @classmethod
    def _passed(cls, employee=None, course=None, day=date(2026, 1, 15), **vals):
        vals.setdefault("hours", 8.0)
        return cls._record(
            employee, course, status="passed", date_completed=day, **vals
        )
