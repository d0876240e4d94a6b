"""The demo organisation: a sales company with a year of history.

Called once from ``demo/sales_performance_demo_generator.xml`` (so only in
databases installed with demo data). The plan (people, teams, a year of
deals, the wanted target statuses) comes from ``engine/demo_plan.py`` with a
seeded random generator; this model turns it into records through the ORM
and each feature's own methods (won/lost, confirm, invoice, register
payment, targets' recompute, statements' workflow, evaluation steps, session
close...). Only dates in the past are set afterwards, in SQL, in the
salespeople's time zones. Everything lives in its own company, *Horizon
Trading*, so core demo records and their tests are untouched.
"""

import logging
import random
import time
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL

from ..engine import demo_plan

_logger = logging.getLogger(__name__)

MODULE = "sales_performance"
COMPANY_XMLID = "demo_company_horizon_demo"

CUSTOMERS = {
    "key": [
        "Shanghai Lianhe Logistics",
        "Suzhou Jingwei Electronics",
        "Hangzhou Tianyuan Foods",
        "Nanjing Huaxin Pharma",
        "Ningbo Haigang Shipping",
        "Wuxi Boda Machinery",
        "Shenzhen Xinghe Retail",
        "Beijing Zhongke Systems",
        "Guangzhou Meida Textiles",
        "Chengdu Tianfu Hotels",
        "Xiamen Lvdao Tea",
        "Qingdao Haier Components",
    ],
    "mid": [
        "Brussels Office Partners",
        "Antwerp Diamond Logistics",
        "Rotterdam Port Services",
        "Lyon Bureautique",
        "Milano Arredo Ufficio",
        "Hamburg Handelshaus",
        "Utrecht Facility Group",
        "Ghent Print & Paper",
        "Lille Distribution",
        "Cologne Media House",
        "Luxembourg Fiduciaire",
        "Turin Engineering Works",
    ],
    "inside": [
        "Brooklyn Coworking",
        "Austin Dental Clinics",
        "Boston Legal Associates",
        "Miami Travel Desk",
        "Denver Outdoor Supply",
        "Seattle Coffee Roasters",
        "Chicago Architects Studio",
        "Atlanta Charter Schools",
        "Portland Bike Works",
        "Phoenix Solar Installers",
        "Toronto Accounting Group",
        "Monterrey Logistics",
    ],
}

PRODUCTS = [
    ("Ergonomic Workstation Package", 4800.0),
    ("Meeting Room Video Kit", 6500.0),
    ("Managed Print Service (year)", 9000.0),
    ("Office Fit-out Project", 18000.0),
]

ACTIVITY_TYPES = (
    "mail.mail_activity_data_call",
    "mail.mail_activity_data_email",
    "mail.mail_activity_data_todo",
)

QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
}

COMPETENCIES = (
    "evaluation_competency_product_knowledge",
    "evaluation_competency_customer_focus",
    "evaluation_competency_communication",
    "evaluation_competency_teamwork",
)


class SalesPerformanceDemo(models.AbstractModel):
    _name = "sales.performance.demo"
    _description = "Sales Performance Demo Organisation"

    @api.model
    def _generate_demo(self, seed=demo_plan.SEED):
        """Build the demo organisation once (a second call does nothing).
        Returns the demo company."""
        existing = self.env.ref(f"{MODULE}.{COMPANY_XMLID}", raise_if_not_found=False)
        if existing:
            return existing
        started = time.monotonic()
        builder = _DemoBuilder(self.sudo().env, seed)
        builder.run()
        _logger.info(
            "Sales Performance demo organisation built in %.1f s",
            time.monotonic() - started,
        )
        return builder.company


class _DemoBuilder:
    """The steps of the demo generation, sharing what they create."""

    def __init__(self, env, seed):
        self.env = env
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = fields.Date.context_today(env["res.users"])
        self.company = None
        self.users = {}
        self.employees = {}
        self.teams = {}
        self.person = {p[0]: p for p in demo_plan.PEOPLE}
        self.deals = demo_plan.plan_deals(self.today, seed)

    # ------------------------------------------------------------------
    def run(self):
        history = {
            "_leads",
            "_orders",
            "_invoices",
            "_payments",
            "_activities",
        }
        steps = [
            self._company,
            self._people,
            self._teams,
            self._customers,
            self._leads,
            self._orders,
            self._invoices,
            self._payments,
            self._activities,
            self._targets,
            self._proposals,
            self._incentives,
            self._evaluations,
            self._training,
            self._satisfaction,
            self._segments,
        ]
        for step in steps:
            env = self.env
            started = time.monotonic()
            quiet = step.__name__ in history
            if quiet:
                # a year of documents: no chatter tracking, no "assigned to
                # you" e-mails for every past document
                self.env = env(context=dict(env.context, **QUIET))
            step()
            if quiet:
                self.env = env
            self.env.flush_all()
            _logger.info(
                "demo organisation: %s in %.1f s",
                step.__name__.strip("_"),
                time.monotonic() - started,
            )

    def _xmlid(self, name, record):
        self.env["ir.model.data"].create(
            {
                "module": MODULE,
                "name": name,
                "model": record._name,
                "res_id": record.id,
                "noupdate": True,
            }
        )

    def _utc(self, day, person_key, hour=10):
        return demo_plan.local_to_utc(
            day, hour, demo_plan.person_tz(self.person[person_key])
        )

    # ------------------------------------------------------------------
    # Organisation
    # ------------------------------------------------------------------
    def _company(self):
        env = self.env
        usd = env.ref("base.USD")
        usd.active = True
        # the chart of accounts is loaded below, not guessed from the country
        company = (
            env["res.company"]
            .with_context(chart_template_load=True)
            .create(
                {
                    "name": "Horizon Trading Co.",
                    "currency_id": usd.id,
                    "country_id": env.ref("base.us").id,
                    "city": "Shanghai",
                }
            )
        )
        self.company = company
        self._xmlid(COMPANY_XMLID, company)
        company.resource_calendar_id.tz = "Asia/Shanghai"
        env["account.chart.template"].try_loading(
            "generic_coa", company=company, install_demo=False
        )
        # the administrator may switch to the demo company
        env.ref("base.user_admin").company_ids = [Command.link(company.id)]
        self.env = env(context=dict(env.context, allowed_company_ids=[company.id]))

    def _people(self):
        env = self.env
        company = self.company
        groups = {
            "salesperson": [
                "sales_team.group_sale_salesman",
                "sales_performance.group_sales_performance_user",
            ],
            "leader": [
                "sales_team.group_sale_salesman_all_leads",
                "sales_performance.group_sales_performance_user",
            ],
            "head": [
                "sales_team.group_sale_manager",
                "sales_performance.group_sales_performance_manager",
                "sales_performance.group_sales_performance_incentive_admin",
                "account.group_account_invoice",
            ],
            "hr": [
                "hr.group_hr_user",
                "sales_team.group_sale_salesman",
                "sales_performance.group_sales_performance_user",
                "sales_performance.group_sales_performance_training_manager",
            ],
        }
        # the people a visitor logs in as get their login as password
        with_password = {"helen", "grace", "lina", "wangfang"}
        vals_list = []
        for key, name, _team, role, _profile, _job, _hired in demo_plan.PEOPLE:
            vals = {
                "name": name,
                "login": key,
                "email": f"{key}@horizon-trading.example.com",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "tz": demo_plan.person_tz(self.person[key]),
                "group_ids": [
                    Command.set([env.ref(xmlid).id for xmlid in groups[role]])
                ],
            }
            if key in with_password:
                vals["password"] = key
            vals_list.append(vals)
        users = (
            env["res.users"]
            .with_context(no_reset_password=True, mail_create_nolog=True)
            .create(vals_list)
        )
        for person, user in zip(demo_plan.PEOPLE, users, strict=True):
            self.users[person[0]] = user
            self._xmlid(f"demo_user_{person[0]}_demo", user)
        jobs = env["hr.job"].create(
            [
                {"name": name, "company_id": company.id}
                for name in demo_plan.JOBS.values()
            ]
        )
        self.jobs = dict(zip(demo_plan.JOBS, jobs, strict=True))
        self._xmlid("demo_job_account_executive_demo", self.jobs["ae"])
        Department = env["hr.department"]
        sales = Department.create({"name": "Sales", "company_id": company.id})
        hr_dep = Department.create(
            {"name": "Human Resources", "company_id": company.id}
        )
        team_deps = {
            key: Department.create(
                {"name": name, "company_id": company.id, "parent_id": sales.id}
            )
            for key, name, _tz in demo_plan.TEAMS
        }
        Employee = env["hr.employee"]
        by_role = defaultdict(list)
        for person in demo_plan.PEOPLE:
            by_role[person[3]].append(person)
        head_vals = []
        for person in by_role["head"] + by_role["hr"]:
            head_vals.append(self._employee_vals(person, sales, hr_dep))
        for employee in Employee.create(head_vals):
            self.employees[self._key_of(employee)] = employee
        head = self.employees["helen"]
        sales.manager_id = head
        hr_dep.manager_id = self.employees["grace"]
        self.employees["grace"].parent_id = head
        leader_vals = [
            dict(
                self._employee_vals(person, team_deps[person[2]], hr_dep),
                parent_id=head.id,
            )
            for person in by_role["leader"]
        ]
        for employee in Employee.create(leader_vals):
            self.employees[self._key_of(employee)] = employee
        leader_of = {p[2]: self.employees[p[0]] for p in by_role["leader"]}
        for team_key, department in team_deps.items():
            department.manager_id = leader_of[team_key]
        seller_vals = [
            dict(
                self._employee_vals(person, team_deps[person[2]], hr_dep),
                parent_id=leader_of[person[2]].id,
            )
            for person in by_role["salesperson"]
        ]
        for employee in Employee.create(seller_vals):
            self.employees[self._key_of(employee)] = employee
        for key, employee in self.employees.items():
            self._xmlid(f"demo_employee_{key}_demo", employee)

    def _key_of(self, employee):
        return employee.user_id.login

    def _employee_vals(self, person, department, hr_dep):
        key, name, _team, role, _profile, job, _hired = person
        return {
            "name": name,
            "user_id": self.users[key].id,
            "company_id": self.company.id,
            "job_id": self.jobs[job].id,
            "job_title": demo_plan.JOBS[job],
            "department_id": (hr_dep if role == "hr" else department).id,
            "work_email": f"{key}@horizon-trading.example.com",
            "tz": demo_plan.person_tz(person),
        }

    def _teams(self):
        env = self.env
        teams = env["crm.team"].create(
            [
                {
                    "name": name,
                    "company_id": self.company.id,
                    "user_id": self.users[self._leader_key(key)].id,
                    "sequence": 100 + index,
                    "crm_team_member_ids": [
                        Command.create(
                            {"user_id": self.users[p[0]].id, "assignment_optout": True}
                        )
                        for p in demo_plan.salespeople()
                        if p[2] == key
                    ],
                }
                for index, (key, name, _tz) in enumerate(demo_plan.TEAMS)
            ]
        )
        for (key, _name, _tz), team in zip(demo_plan.TEAMS, teams, strict=True):
            self.teams[key] = team
            self._xmlid(f"demo_team_{key}_demo", team)

    def _leader_key(self, team_key):
        return next(
            p[0] for p in demo_plan.PEOPLE if p[2] == team_key and p[3] == "leader"
        )

    def _customers(self):
        env = self.env
        countries = {
            "key": env.ref("base.cn"),
            "mid": env.ref("base.be"),
            "inside": env.ref("base.us"),
        }
        vals_list = []
        for team_key, names in CUSTOMERS.items():
            for name in names:
                slug = "".join(c for c in name.lower() if c.isalnum())[:18]
                vals_list.append(
                    {
                        "name": name,
                        "is_company": True,
                        "company_id": self.company.id,
                        "country_id": countries[team_key].id,
                        "email": f"purchasing@{slug}.example.com",
                    }
                )
        term = env.ref("account.account_payment_term_30days", raise_if_not_found=False)
        if term:
            for vals in vals_list:
                vals["property_payment_term_id"] = term.id
        partners = env["res.partner"].with_company(self.company).create(vals_list)
        self.customers = defaultdict(list)
        for vals, partner in zip(vals_list, partners, strict=True):
            team_key = next(
                k for k, names in CUSTOMERS.items() if vals["name"] in names
            )
            self.customers[team_key].append(partner)
        # each salesperson owns a few accounts of their team's region
        self.accounts = {}
        for team_key in CUSTOMERS:
            pool = list(self.customers[team_key])
            members = [p[0] for p in demo_plan.salespeople() if p[2] == team_key]
            for index, key in enumerate(members):
                self.accounts[key] = pool[index :: len(members)]
        Product = env["product.product"].with_company(self.company)
        self.products = Product.create(
            [
                {
                    "name": name,
                    "type": "service",
                    "list_price": price,
                    "invoice_policy": "order",
                    "company_id": self.company.id,
                }
                for name, price in PRODUCTS
            ]
        )

    # ------------------------------------------------------------------
    # CRM, sales, invoicing
    # ------------------------------------------------------------------
    def _leads(self):
        env = self.env
        rng = self.rng
        Stage = env["crm.stage"]
        open_stages = Stage.search([("is_won", "=", False)], order="sequence")
        stage_of = {
            "new": open_stages[:1],
            "qualified": open_stages[1:2] or open_stages[:1],
            "proposition": open_stages[2:3] or open_stages[-1:],
        }
        vals_list = []
        for deal in self.deals:
            key = deal["person"]
            team_key = self.person[key][2]
            partner = rng.choice(self.accounts[key])
            product = rng.choice(self.products)
            deal["partner"] = partner
            deal["product"] = product
            vals = {
                "name": f"{partner.name}: {product.name}",
                "type": "opportunity",
                "partner_id": partner.id,
                "user_id": self.users[key].id,
                "team_id": self.teams[team_key].id,
                "company_id": self.company.id,
                "expected_revenue": deal["amount"],
                "probability": deal["probability"] or 20.0,
                "email_from": partner.email,
            }
            if deal["outcome"] == "open":
                vals["stage_id"] = stage_of[deal["stage"]].id
                vals["date_deadline"] = deal["expected_close"]
            else:
                vals["stage_id"] = stage_of["proposition"].id
                vals["date_deadline"] = deal["closed"]
            vals_list.append(vals)
        leads = (
            env["crm.lead"]
            .with_context(mail_create_nolog=True, mail_notrack=True)
            .create(vals_list)
        )
        for deal, lead in zip(self.deals, leads, strict=True):
            deal["lead"] = lead
        won = leads.browse([d["lead"].id for d in self.deals if d["outcome"] == "won"])
        won.action_set_won()
        reasons = [
            env.ref("crm.lost_reason_1"),
            env.ref("crm.lost_reason_2"),
            env.ref("crm.lost_reason_3"),
        ]
        for index, reason in enumerate(reasons):
            lost = leads.browse(
                [
                    d["lead"].id
                    for d in self.deals
                    if d["outcome"] == "lost" and d["lost_reason"] == index
                ]
            )
            if lost:
                lost.action_set_lost(lost_reason_id=reason.id)
        # the top performers share a few deals with their team leader
        splits = []
        for deal in self.deals:
            profile = self.person[deal["person"]][4]
            if deal["outcome"] == "won" and profile == "top" and rng.random() < 0.15:
                leader = self.users[self._leader_key(self.person[deal["person"]][2])]
                splits += [
                    {
                        "res_model": "crm.lead",
                        "res_id": deal["lead"].id,
                        "user_id": self.users[deal["person"]].id,
                        "percent": 80.0,
                        "role": "Account manager",
                        "company_id": self.company.id,
                    },
                    {
                        "res_model": "crm.lead",
                        "res_id": deal["lead"].id,
                        "user_id": leader.id,
                        "percent": 20.0,
                        "role": "Executive sponsor",
                        "company_id": self.company.id,
                    },
                ]
        if splits:
            env["sales.performance.credit.split"].create(splits)
        env.flush_all()
        for deal in self.deals:
            lead_id, key = deal["lead"].id, deal["person"]
            created = self._utc(deal["created"], key, deal["hour"])
            self.env.cr.execute(
                SQL(
                    "UPDATE crm_lead SET create_date = %s, date_open = %s, "
                    "date_last_stage_update = %s WHERE id = %s",
                    created,
                    created,
                    self._utc(deal["closed"] or deal["created"], key, deal["hour"]),
                    lead_id,
                )
            )
            if deal["closed"]:
                self.env.cr.execute(
                    SQL(
                        "UPDATE crm_lead SET date_closed = %s WHERE id = %s",
                        self._utc(deal["closed"], key, deal["hour"]),
                        lead_id,
                    )
                )
        env.invalidate_all()

    def _orders(self):
        env = self.env
        Order = env["sale.order"].with_company(self.company)
        has_opportunity = "opportunity_id" in Order._fields
        to_order = [d for d in self.deals if d["outcome"] == "won" or d["quotation"]]
        vals_list = []
        for deal in to_order:
            key = deal["person"]
            vals = {
                "partner_id": deal["partner"].id,
                "user_id": self.users[key].id,
                "team_id": self.teams[self.person[key][2]].id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": deal["product"].id,
                            "product_uom_qty": 1,
                            "price_unit": deal["amount"],
                        }
                    )
                ],
            }
            if has_opportunity:
                vals["opportunity_id"] = deal["lead"].id
            vals_list.append(vals)
        orders = Order.with_context(mail_create_nolog=True).create(vals_list)
        for deal, order in zip(to_order, orders, strict=True):
            deal["order"] = order
        confirmed = orders.browse(
            [d["order"].id for d in to_order if d["outcome"] == "won"]
        )
        confirmed.with_context(mail_notrack=True).action_confirm()
        sent = orders.browse(
            [d["order"].id for d in to_order if d["quotation"] and d["amount"] > 7000]
        )
        sent.write({"state": "sent"})
        env.flush_all()
        for deal in to_order:
            day = deal["closed"] or deal["created"] + timedelta(days=3)
            stamp = self._utc(min(day, self.today), deal["person"], deal["hour"])
            self.env.cr.execute(
                SQL(
                    "UPDATE sale_order SET date_order = %s, create_date = %s "
                    "WHERE id = %s",
                    stamp,
                    stamp,
                    deal["order"].id,
                )
            )
        env.invalidate_all()

    def _invoices(self):
        env = self.env
        invoiced = [d for d in self.deals if d["invoice"]]
        # the invoices of the orders, dated when they were issued (one create)
        vals_list = []
        for deal in invoiced:
            order = deal["order"]
            vals = order._prepare_invoice()
            vals["invoice_date"] = deal["invoice"]
            vals["invoice_line_ids"] = [
                Command.create(line._prepare_invoice_line(sequence=line.sequence))
                for line in order.order_line
            ]
            vals_list.append(vals)
        Move = env["account.move"].with_company(self.company)
        moves = Move.with_context(default_move_type="out_invoice").create(vals_list)
        for deal, move in zip(invoiced, moves, strict=True):
            deal["move"] = move
        moves.sorted(lambda m: (m.invoice_date, m.id)).action_post()
        # a few credit notes: a discount granted after delivery, or a full cancel
        refunds = [d for d in invoiced if d["refund"]]
        refund_vals = []
        for deal in refunds:
            move = deal["move"]
            day = min(deal["invoice"] + timedelta(days=14), self.today)
            deal["refund_date"] = day
            refund_vals.append(
                {
                    "move_type": "out_refund",
                    "partner_id": move.partner_id.id,
                    "invoice_user_id": move.invoice_user_id.id,
                    "team_id": move.team_id.id,
                    "company_id": self.company.id,
                    "invoice_date": day,
                    "reversed_entry_id": move.id,
                    "ref": f"Credit note for {move.name}",
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": deal["product"].id,
                                "quantity": 1,
                                "price_unit": round(deal["amount"] * deal["refund"], 2),
                                "tax_ids": [
                                    Command.set(move.invoice_line_ids[:1].tax_ids.ids)
                                ],
                            }
                        )
                    ],
                }
            )
        if refund_vals:
            credit_notes = (
                env["account.move"].with_company(self.company).create(refund_vals)
            )
            credit_notes.action_post()
            for deal, credit_note in zip(refunds, credit_notes, strict=True):
                deal["credit_note"] = credit_note
                lines = (deal["move"].line_ids | credit_note.line_ids).filtered(
                    lambda line: line.account_id.account_type == "asset_receivable"
                    and not line.reconciled
                )
                lines.reconcile()
        self.moves = moves

    def _payments(self):
        """Customer payments on their day, reconciled with their invoice (a
        partial payment pays half): created and posted in one batch."""
        env = self.env
        journal = env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "bank")], limit=1
        )
        method_line = journal.inbound_payment_method_line_ids[:1]
        if not method_line.payment_account_id:
            # the journal's receipts go through the Outstanding Receipts account
            method_line.payment_account_id = self.env.ref(
                f"account.{self.company.id}_account_journal_payment_debit_account_id"
            )
        paying = [
            d for d in self.deals if d.get("paid_on") and d["move"].amount_residual > 0
        ]
        paying.sort(key=lambda d: d["paid_on"])
        vals_list = []
        for deal in paying:
            move = deal["move"]
            amount = move.amount_residual
            if deal["payment"] == "partial":
                amount = move.currency_id.round(amount * 0.5)
            vals_list.append(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": move.commercial_partner_id.id,
                    "amount": amount,
                    "currency_id": move.currency_id.id,
                    "date": deal["paid_on"],
                    "journal_id": journal.id,
                    "payment_method_line_id": method_line.id,
                    "memo": move.name,
                    "company_id": self.company.id,
                }
            )
        payments = env["account.payment"].with_company(self.company).create(vals_list)
        payments.action_post()
        plan = [
            (payment.move_id.line_ids | deal["move"].line_ids).filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
                and not line.reconciled
            )
            for deal, payment in zip(paying, payments, strict=True)
        ]
        # one reconciliation plan for all the pairs (what reconcile() does
        # for one)
        env["account.move.line"]._reconcile_plan(plan)

    def _activities(self):
        env = self.env
        rng = self.rng
        types = [env.ref(xmlid) for xmlid in ACTIVITY_TYPES]
        model_id = env["ir.model"]._get_id("crm.lead")
        summaries = {
            types[0]: "Call to discuss the proposal",
            types[1]: "Send the updated quotation",
            types[2]: "Prepare the account review",
        }
        done_vals, done_days, open_vals = [], [], []
        for deal in self.deals:
            user = self.users[deal["person"]]
            lead = deal["lead"]
            kind = rng.choice(types)
            base = {
                "res_model_id": model_id,
                "res_id": lead.id,
                "activity_type_id": kind.id,
                "summary": summaries[kind],
                "user_id": user.id,
            }
            if deal["outcome"] == "open":
                # open deals: a next step, overdue for one in three
                late = rng.random() < 0.35
                days = -rng.randint(2, 12) if late else rng.randint(1, 14)
                open_vals.append(
                    dict(base, date_deadline=self.today + timedelta(days=days))
                )
            elif rng.random() < 0.6:
                day = deal["created"] + timedelta(
                    days=max(1, ((deal["closed"] - deal["created"]).days) // 2)
                )
                done_vals.append(dict(base, date_deadline=day))
                done_days.append(day)
        Activity = env["mail.activity"].with_context(mail_activity_quick_update=True)
        Activity.create(open_vals)
        done = Activity.create(done_vals)
        done.action_feedback(feedback="Done.")
        env.flush_all()
        for activity_id, day in zip(done.ids, done_days, strict=True):
            self.env.cr.execute(
                SQL(
                    "UPDATE mail_activity SET date_done = %s, create_date = %s "
                    "WHERE id = %s",
                    day,
                    day - timedelta(days=3),
                    activity_id,
                )
            )
        env.invalidate_all()

    # ------------------------------------------------------------------
    # Targets
    # ------------------------------------------------------------------
    def _targets(self):
        env = self.env
        Target = env["sales.performance.target"]
        won = env.ref("sales_performance.metric_won_revenue")
        sales = env.ref("sales_performance.metric_confirmed_sales")
        collected = env.ref("sales_performance.metric_collected_revenue")
        base = {"top": 32000, "steady": 11000, "thin": 6000, "new": 4500}
        rng = random.Random(self.seed + 1)
        this_month = self.today.replace(day=1)
        # 1. monthly won revenue, company -> team -> salesperson, a year long
        month_targets = Target
        self.monthly = {}
        for offset in range(demo_plan.MONTHS - 1, -2, -1):
            start = demo_plan.month_start(self.today, offset)
            end = start + relativedelta(months=1, days=-1)
            company_target = Target.create(
                {
                    "metric_id": won.id,
                    "company_id": self.company.id,
                    "date_from": start,
                    "date_to": end,
                    "target_value": 0,
                }
            )
            team_total = 0.0
            for team_key, team in self.teams.items():
                members = [
                    p
                    for p in demo_plan.salespeople()
                    if p[2] == team_key and demo_plan.hire_date(p, self.today) <= start
                ]
                values = {
                    p[0]: round(base[p[4]] * rng.uniform(0.9, 1.15) / 500) * 500
                    for p in members
                }
                team_target = Target.create(
                    {
                        "metric_id": won.id,
                        "company_id": self.company.id,
                        "team_id": team.id,
                        "date_from": start,
                        "date_to": end,
                        "target_value": sum(values.values()),
                        "parent_id": company_target.id,
                    }
                )
                team_total += sum(values.values())
                people = Target.create(
                    [
                        {
                            "metric_id": won.id,
                            "company_id": self.company.id,
                            "user_id": self.users[key].id,
                            "team_id": team.id,
                            "date_from": start,
                            "date_to": end,
                            "target_value": value,
                            "parent_id": team_target.id,
                            "description": "Close the opportunities of the month "
                            "and keep the pipeline three times the target.",
                        }
                        for key, value in values.items()
                    ]
                )
                for target in people:
                    self.monthly[(target.user_id.id, start)] = target
                month_targets |= team_target | people
            company_target.target_value = team_total
            month_targets |= company_target
        past = month_targets.filtered(lambda t: t.date_to < this_month)
        current = month_targets.filtered(lambda t: t.date_from == this_month)
        (past | current).action_activate()
        past.action_close()
        # 2. this year's confirmed sales: statuses from achieved to off track
        year_start = self.today.replace(month=1, day=1)
        year_end = self.today.replace(month=12, day=31)
        year_vals = [
            {
                "metric_id": sales.id,
                "company_id": self.company.id,
                "user_id": self.users[p[0]].id,
                "team_id": self.teams[p[2]].id,
                "date_from": year_start,
                "date_to": year_end,
                "target_value": 100000,
                "description": "Grow the confirmed sales of the year in the "
                "accounts of your region.",
            }
            for p in demo_plan.salespeople()
        ]
        yearly = Target.create(year_vals)
        for person, target in zip(demo_plan.salespeople(), yearly, strict=True):
            wanted = demo_plan.WANTED_STATUS[person[4]]
            target.target_value = demo_plan.target_for_status(
                target.achieved_value, target.forecast_value, wanted
            )
        company_year = Target.create(
            {
                "metric_id": sales.id,
                "company_id": self.company.id,
                "date_from": year_start,
                "date_to": year_end,
                "target_value": sum(yearly.mapped("target_value")),
                "description": "The company's confirmed sales plan for the year.",
            }
        )
        for team in self.teams.values():
            mine = yearly.filtered(lambda t, team=team: t.team_id == team)
            team_year = Target.create(
                {
                    "metric_id": sales.id,
                    "company_id": self.company.id,
                    "team_id": team.id,
                    "date_from": year_start,
                    "date_to": year_end,
                    "target_value": sum(mine.mapped("target_value")),
                    "parent_id": company_year.id,
                }
            )
            mine.write({"parent_id": team_year.id})
            yearly |= team_year
        yearly |= company_year
        yearly.action_activate()
        # 3. quarterly collections (回款) of the salespeople, for the KPIs
        quarter_vals = []
        for offset in (6, 3, 0):
            start, end = self._quarter(offset)
            for person in demo_plan.salespeople():
                if demo_plan.hire_date(person, self.today) > end:
                    continue
                quarter_vals.append(
                    {
                        "metric_id": collected.id,
                        "company_id": self.company.id,
                        "user_id": self.users[person[0]].id,
                        "date_from": start,
                        "date_to": end,
                        "target_value": base[person[4]] * 2,
                    }
                )
        quarterly = Target.create(quarter_vals)
        quarterly.action_activate()
        quarterly.filtered(lambda t: t.date_to < self.today).action_close()
        self.targets = month_targets | yearly | quarterly
        statuses = defaultdict(int)
        for target in yearly:
            statuses[target.status] += 1
        _logger.info("demo organisation: yearly target statuses %s", dict(statuses))

    def _proposals(self):
        """Two salespeople propose next month's number of won deals; their
        leader approves one, the other waits for review."""
        Target = self.env["sales.performance.target"]
        if not hasattr(Target, "action_approve_proposal"):
            return
        won_count = self.env.ref("sales_performance.metric_won_count")
        start = demo_plan.month_start(self.today, -1)
        end = start + relativedelta(months=1, days=-1)
        proposals = {}
        for key, value, why in (
            ("wangfang", 6, "Two fit-out projects are at proposal stage."),
            ("zhanglei", 4, "Renewals of Wuxi Boda and Ningbo Haigang."),
        ):
            user = self.users[key]
            proposals[key] = Target.with_user(user).create(
                {
                    "metric_id": won_count.id,
                    "company_id": self.company.id,
                    "user_id": user.id,
                    "team_id": self.teams["key"].id,
                    "date_from": start,
                    "date_to": end,
                    "target_value": value,
                    "state": "proposed",
                    "description": why,
                }
            )
        proposals["wangfang"].with_user(self.users["lina"]).action_approve_proposal()

    def _quarter(self, months_back):
        day = self.today - relativedelta(months=months_back)
        first = day.replace(day=1, month=(day.month - 1) // 3 * 3 + 1)
        return first, first + relativedelta(months=3, days=-1)

    # ------------------------------------------------------------------
    # Incentives
    # ------------------------------------------------------------------
    def _incentives(self):
        env = self.env
        won = env.ref("sales_performance.metric_won_revenue")
        new_customers = env.ref("sales_performance.metric_new_customers")
        first = demo_plan.month_start(self.today, demo_plan.MONTHS - 1)
        plan = env["sales.performance.incentive.plan"].create(
            {
                "name": "Horizon Sales Commission",
                "company_id": self.company.id,
                "period_type": "month",
                "date_from": first,
                "date_to": self.today.replace(month=12, day=31),
                "description": "Commission on won revenue by attainment band, a "
                "bonus for reaching the monthly target and 150 per new customer.",
                "rule_ids": [
                    Command.create(
                        {
                            "sequence": 10,
                            "name": "Commission on won revenue",
                            "kind": "commission",
                            "metric_id": won.id,
                            "basis": "attainment",
                            "mode": "marginal",
                            "gate": 40,
                            "cap": 20000,
                            "tier_ids": [
                                Command.create({"lower": 0, "upper": 80, "rate": 2}),
                                Command.create({"lower": 80, "upper": 100, "rate": 4}),
                                Command.create({"lower": 100, "upper": 0, "rate": 6}),
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 20,
                            "name": "Target bonus",
                            "kind": "bonus",
                            "metric_id": won.id,
                            "tier_ids": [
                                Command.create({"lower": 100, "amount": 500}),
                                Command.create({"lower": 120, "amount": 1000}),
                            ],
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 30,
                            "name": "New customer SPIFF",
                            "kind": "spiff",
                            "metric_id": new_customers.id,
                            "amount": 150,
                            "max_count": 10,
                        }
                    ),
                ],
                "assignment_ids": [
                    Command.create(
                        {
                            "user_id": self.users[p[0]].id,
                            "date_from": max(first, demo_plan.hire_date(p, self.today)),
                        }
                    )
                    for p in demo_plan.salespeople()
                ],
            }
        )
        self._xmlid("demo_incentive_plan_horizon_demo", plan)
        plan.action_activate()
        head = self.users["helen"]
        by_state = {}
        # paid, paid, approved, confirmed, draft: the five months before
        # this one; this month's live draft
        for offset, state in (
            (5, "paid"),
            (4, "paid"),
            (3, "approved"),
            (2, "confirmed"),
            (1, "draft"),
            (0, "draft"),
        ):
            start = demo_plan.month_start(self.today, offset)
            end = start + relativedelta(months=1, days=-1)
            statements = plan.generate_statements(start, end)
            if state != "draft":
                statements.with_user(head).action_confirm()
            if state in ("approved", "paid"):
                statements.with_user(head).action_approve()
            if state == "paid":
                statements.with_user(head).action_pay(
                    payment_date=end + timedelta(days=10),
                    payment_ref=f"PAYROLL/{start:%Y-%m}",
                )
            by_state[state] = statements
        # the salespeople sign off their paid statements, one disputes the
        # approved one of last month but one
        for statement in by_state["paid"].filtered(lambda s: s.user_id.login != "jan"):
            statement.with_user(statement.user_id).action_sign_off()
        approved = by_state["approved"]
        disputed = approved.filtered(lambda s: s.user_id.login == "lukas")[:1]
        if disputed:
            line = disputed.line_ids.filtered(
                lambda ln: ln.line_type != "band" and ln.amount
            )[:1]
            env["sales.performance.incentive.dispute"].with_user(
                disputed.user_id
            ).create(
                {
                    "statement_id": disputed.id,
                    "line_id": line.id or False,
                    "reason": "The Rotterdam Port Services deal was won on the last "
                    "day of the month but is not in my won revenue.",
                    "amount": 300,
                }
            )
        self.statements = by_state

    # ------------------------------------------------------------------
    # Evaluations
    # ------------------------------------------------------------------
    def _evaluations(self):
        env = self.env
        competencies = [env.ref(f"sales_performance.{xmlid}") for xmlid in COMPETENCIES]
        won = env.ref("sales_performance.metric_won_revenue")
        collected = env.ref("sales_performance.metric_collected_revenue")
        template = env["sales.performance.evaluation.template"].create(
            {
                "name": "Account Executive (quarterly)",
                "company_id": self.company.id,
                "job_ids": [Command.set([self.jobs["ae"].id, self.jobs["senior"].id])],
                "line_ids": [
                    Command.create(
                        {
                            "kind": "kpi",
                            "metric_id": won.id,
                            "weight": 40,
                            "score_cap": 120,
                            "sequence": 1,
                        }
                    ),
                    Command.create(
                        {
                            "kind": "kpi",
                            "metric_id": collected.id,
                            "weight": 20,
                            "score_cap": 120,
                            "sequence": 2,
                        }
                    ),
                ]
                + [
                    Command.create(
                        {
                            "kind": "competency",
                            "competency_id": competency.id,
                            "weight": 10,
                            "sequence": 3 + index,
                        }
                    )
                    for index, competency in enumerate(competencies)
                ],
            }
        )
        self._xmlid("demo_evaluation_template_horizon_demo", template)
        template.feedback_survey_id = self._feedback_survey()
        Cycle = env["sales.performance.evaluation.cycle"]
        cycles = {}
        for name, offset in (("previous", 6), ("last", 3)):
            start, end = self._quarter(offset)
            employees = env["hr.employee"].browse(
                [
                    self.employees[p[0]].id
                    for p in demo_plan.salespeople()
                    if demo_plan.hire_date(p, self.today) <= start
                ]
            )
            cycle = Cycle.create(
                {
                    "name": f"Q{(start.month - 1) // 3 + 1} {start.year} review",
                    "company_id": self.company.id,
                    "date_from": start,
                    "date_to": end,
                    "template_id": template.id,
                    "employee_ids": [Command.set(employees.ids)],
                    "deadline_self": end + timedelta(days=14),
                    "deadline_manager": end + timedelta(days=28),
                    "recurrence": "none",
                }
            )
            cycle.action_launch()
            cycle.evaluation_ids.action_refresh_kpis()
            cycles[name] = cycle
            self._xmlid(f"demo_evaluation_cycle_{name}_demo", cycle)
        rng = random.Random(self.seed + 2)
        # the quarter before last: every evaluation done, the cycle closed
        previous = cycles["previous"].evaluation_ids
        self._to_done(previous, rng)
        for evaluation in previous:
            if rng.random() < 0.8:
                evaluation.with_user(evaluation.employee_user_id).action_acknowledge(
                    "Thank you for the feedback."
                )
        cycles["previous"].action_close()
        # last quarter: every step at once
        last = cycles["last"].evaluation_ids.sorted(
            lambda e: e.employee_id.user_id.login
        )
        showcase = last.filtered(lambda e: e.employee_user_id.login == "wangfang")
        rest = last - showcase
        done = showcase | rest[:3]
        review = rest[3:6]
        self_assessment = rest[6:8]
        self._to_done(done, rng, showcase=showcase)
        self._to_step(review, rng, "manager_review")
        self._to_step(self_assessment, rng, "self_assessment")
        self._xmlid("demo_evaluation_showcase_demo", showcase)
        self._feedback(review, rng)
        self.cycles = cycles

    def _feedback_survey(self):
        choices = [
            Command.create({"value": value, "answer_score": score})
            for value, score in (
                ("Always", 10),
                ("Often", 7),
                ("Sometimes", 4),
                ("Rarely", 0),
            )
        ]
        survey = self.env["survey.survey"].create(
            {
                "title": "360° feedback on a colleague",
                "access_mode": "token",
                "scoring_type": "scoring_without_answers",
                "question_ids": [
                    Command.create(
                        {
                            "title": title,
                            "question_type": "simple_choice",
                            "suggested_answer_ids": choices,
                        }
                    )
                    for title in (
                        "Shares customer information and leads with the team",
                        "Keeps commitments to colleagues and customers",
                    )
                ],
            }
        )
        self._xmlid("demo_survey_feedback_demo", survey)
        return survey

    def _feedback(self, evaluations, rng):
        """Three teammates are asked for 360° feedback on each evaluation in
        manager review; two have answered."""
        for evaluation in evaluations:
            team_key = self.person[evaluation.employee_user_id.login][2]
            colleagues = [
                self.users[p[0]]
                for p in demo_plan.salespeople()
                if p[2] == team_key and p[0] != evaluation.employee_user_id.login
            ][:3]
            evaluation.action_request_feedback(self.env["res.users"].union(*colleagues))
            answers = self.env["survey.user_input"].search(
                [("sales_performance_evaluation_id", "=", evaluation.id)]
            )
            for answer in answers[:2]:
                for question in answer.survey_id.question_ids:
                    choices = question.suggested_answer_ids.sorted("answer_score")
                    answer._save_lines(question, rng.choice(choices[1:]).id)
                answer._mark_done()

    def _rate(self, evaluations, rng, who):
        for evaluation in evaluations:
            profile = self.person[evaluation.employee_user_id.login][4]
            centre = {"top": 4.4, "steady": 3.6, "thin": 2.9, "new": 3.0}[profile]
            lines = evaluation.line_ids.filtered(lambda ln: ln.kind == "competency")
            for line in lines:
                rating = max(1, min(5, round(rng.gauss(centre, 0.7))))
                line.write({f"{who}_rating": rating})

    def _to_step(self, evaluations, rng, step):
        if not evaluations:
            return
        evaluations.action_start_self_assessment()
        if step == "self_assessment":
            return
        self._rate(evaluations, rng, "self")
        for evaluation in evaluations:
            evaluation.self_comment = (
                "I kept my key accounts and opened new ones; I need more time on "
                "the follow-up of quotations."
            )
        evaluations.action_submit_self_assessment()

    def _to_done(self, evaluations, rng, showcase=None):
        self._to_step(evaluations, rng, "manager_review")
        self._rate(evaluations, rng, "manager")
        for evaluation in evaluations:
            evaluation.manager_comment = (
                "Reliable results on the quarter; keep qualifying earlier to "
                "shorten the sales cycle."
            )
        if showcase:
            lines = showcase.line_ids.filtered(lambda ln: ln.kind == "competency")
            for line, (self_rating, manager_rating, comment) in zip(
                lines,
                [
                    (5, 5, "Knows every product of the range and demos them well."),
                    (5, 5, "Her customers ask for her by name."),
                    (4, 4, "Clear proposals; could summarise more in meetings."),
                    (4, 5, "Coached Sun Mei through her first deals."),
                ],
                strict=False,
            ):
                line.write(
                    {
                        "self_rating": self_rating,
                        "manager_rating": manager_rating,
                        "manager_comment": comment,
                    }
                )
            showcase.write(
                {
                    "self_comment": "My best quarter: two large fit-out projects "
                    "won and every invoice of Hangzhou Tianyuan collected.",
                    "manager_comment": "Outstanding quarter: above target on won "
                    "revenue and collections, and a generous coach for the team.",
                    "development_notes": "Lead the Key Accounts playbook workshop; "
                    "Negotiation Masterclass next quarter.",
                }
            )
        evaluations.action_done()

    # ------------------------------------------------------------------
    # Training
    # ------------------------------------------------------------------
    def _training(self):
        env = self.env
        company = self.company
        Course = env["sales.performance.training.course"]
        teams = list(self.teams.values())
        competency = {
            xmlid: env.ref(f"sales_performance.{xmlid}") for xmlid in COMPETENCIES
        }
        courses = Course.create(
            [
                {
                    "name": "Horizon Product Academy",
                    "company_id": company.id,
                    "category": "product",
                    "delivery": "classroom",
                    "duration_hours": 16,
                    "cost_per_participant": 450,
                    "trainer_id": self.employees["lina"].id,
                    "objectives": "Present the range and run a convincing demo.",
                    "competency_ids": [
                        Command.link(
                            competency["evaluation_competency_product_knowledge"].id
                        )
                    ],
                },
                {
                    "name": "Consultative Selling Certificate",
                    "company_id": company.id,
                    "category": "sales_skills",
                    "delivery": "online",
                    "provider": "Sales Academy Ltd.",
                    "duration_hours": 12,
                    "cost_per_participant": 800,
                    "validity_months": 12,
                    "objectives": "Qualify needs, build value, close larger deals.",
                    "competency_ids": [
                        Command.link(
                            competency["evaluation_competency_customer_focus"].id
                        )
                    ],
                },
                {
                    "name": "Anti-bribery and Fair Selling",
                    "company_id": company.id,
                    "category": "compliance",
                    "delivery": "online",
                    "duration_hours": 2,
                    "validity_months": 24,
                    "mandatory_team_ids": [Command.set([t.id for t in teams])],
                },
                {
                    "name": "Negotiation Masterclass",
                    "company_id": company.id,
                    "category": "sales_skills",
                    "delivery": "classroom",
                    "duration_hours": 8,
                    "cost_per_participant": 600,
                    "competency_ids": [
                        Command.link(
                            competency["evaluation_competency_communication"].id
                        )
                    ],
                },
            ]
        )
        academy, consultative, compliance, negotiation = courses
        Session = env["sales.performance.training.session"]

        def stamp(months, day, hour, days=0):
            local = self.today + relativedelta(months=months, day=day, days=days)
            return demo_plan.local_to_utc(local, hour, "Asia/Shanghai")

        held = Session.create(
            [
                {
                    "course_id": academy.id,
                    "date_start": stamp(-4, 10, 9),
                    "date_end": stamp(-4, 11, 17),
                    "location": "Shanghai HQ, room Pudong",
                    "capacity": 12,
                },
                {
                    "course_id": consultative.id,
                    # passed a year ago less three weeks: expiring soon
                    "date_start": stamp(-12, self.today.day, 9, days=19),
                    "date_end": stamp(-12, self.today.day, 17, days=21),
                    "location": "https://academy.example.com/consultative",
                },
            ]
        )
        upcoming = Session.create(
            {
                "course_id": negotiation.id,
                "date_start": stamp(1, 12, 9),
                "date_end": stamp(1, 12, 17),
                "location": "Brussels office",
                "capacity": 10,
            }
        )
        Record = env["sales.performance.training.record"]
        seniors = [p[0] for p in demo_plan.salespeople() if p[4] != "new"]
        rng = random.Random(self.seed + 3)
        academy_people = seniors[::2]
        records = Record.create(
            [
                {"session_id": held[0].id, "employee_id": self.employees[key].id}
                for key in academy_people
            ]
            + [
                {"session_id": held[1].id, "employee_id": self.employees[key].id}
                for key in ("wangfang", "lukas", "emily", "zhanglei")
            ]
        )
        for record in records:
            failed = record.employee_id.user_id.login == "jan"
            record.write(
                {
                    "status": "failed" if failed else "passed",
                    "score": 52 if failed else rng.randint(75, 96),
                }
            )
        held.action_close()
        # the compliance course, online, at each one's pace
        compliance_vals = []
        for key in seniors:
            if key in ("liuyang", "jan"):
                continue  # not done yet: the compliance view shows them
            day = self.today - timedelta(days=rng.randint(30, 330))
            compliance_vals.append(
                {
                    "course_id": compliance.id,
                    "employee_id": self.employees[key].id,
                    "status": "passed",
                    "score": rng.randint(80, 100),
                    "hours": 2,
                    "date_completed": day,
                }
            )
        Record.create(compliance_vals)
        Record.create(
            [
                {"session_id": upcoming.id, "employee_id": self.employees[key].id}
                for key in ("sunmei", "carlos", "liuyang", "sophie")
            ]
        )

    # ------------------------------------------------------------------
    # Customer satisfaction, segments
    # ------------------------------------------------------------------
    def _satisfaction(self):
        env = self.env
        survey = env["survey.survey"].create(
            {
                "title": "How was your experience with Horizon Trading?",
                "access_mode": "token",
                "scoring_type": "scoring_without_answers",
                "question_ids": [
                    Command.create(
                        {
                            "title": title,
                            "question_type": "simple_choice",
                            "suggested_answer_ids": [
                                Command.create({"value": value, "answer_score": score})
                                for value, score in (
                                    ("Very satisfied", 10),
                                    ("Satisfied", 7),
                                    ("Neutral", 4),
                                    ("Dissatisfied", 0),
                                )
                            ],
                        }
                    )
                    for title in (
                        "How satisfied are you with your salesperson?",
                        "How satisfied are you with the delivery of your order?",
                    )
                ],
            }
        )
        self._xmlid("demo_survey_csat_demo", survey)
        self.company.sales_performance_csat_survey_id = survey
        rng = random.Random(self.seed + 4)
        surveyed = [
            d
            for d in self.deals
            if d["outcome"] == "won" and d.get("move") and rng.random() < 0.3
        ]
        orders = env["sale.order"].browse([d["order"].id for d in surveyed])
        answers = orders._sales_performance_send_csat()
        good_share = {"top": 0.85, "steady": 0.6, "thin": 0.45, "new": 0.5}
        answered = []
        for deal, answer in zip(surveyed, answers, strict=True):
            if rng.random() < 0.25:
                continue  # not answered yet
            good = good_share[self.person[deal["person"]][4]]
            for question in survey.question_ids:
                choices = question.suggested_answer_ids.sorted("answer_score")
                pick = choices[-1] if rng.random() < good else rng.choice(choices[:3])
                answer._save_lines(question, pick.id)
            answer._mark_done()
            answered.append((answer, deal))
        env.flush_all()
        for answer, deal in answered:
            day = min(deal["invoice"] + timedelta(days=rng.randint(3, 20)), self.today)
            self.env.cr.execute(
                SQL(
                    "UPDATE survey_user_input SET end_datetime = %s, create_date = %s "
                    "WHERE id = %s",
                    self._utc(day, deal["person"], 15),
                    self._utc(deal["invoice"], deal["person"], 9),
                    answer.id,
                )
            )
        env.invalidate_all()

    def _segments(self):
        self.env["res.partner"]._sales_performance_compute_segments(self.today)
