"""Benchmark data generator for ``sales_performance``.

Fills the current database (an ``odoo.api.Environment``) with realistic,
consistent sales data: salespeople in sales teams, customers (companies and
contacts), won / lost / open opportunities, confirmed sales orders with lines,
posted customer invoices and credit notes with their journal items, and done
activities, spread over the last ``months`` complete months; then what the
addon's crediting reads: the team history of the salespeople (everyone a
member of their team since always, 10 % of them moving to another team in the
middle of the history), credit splits (2 or 3 salespeople, shares adding up to
exactly 100 %) on 30 % of the opportunities, orders and invoices, and the
money collected on 70 % of the customer invoices (one or two collections each,
some partial).

The ORM creates what there are few of (users, teams, products); the bulk
(partners, opportunities, orders, lines, invoices, journal items, activities)
is inserted with ``INSERT ... SELECT`` over ``generate_series`` through the
Odoo cursor, with the columns Odoo itself stores for those records (company,
currency, state, amounts consistent with the lines, sequences...). The
collections are inserted as rows of ``sales_performance_collection`` without
the payments and reconciliations behind them (the collected revenue metric
reads that table only): the invoices stay unpaid in accounting.

Used by ``tools/bench.py`` in its own throwaway database: timings on the
small, medium and large sizes, and the correctness checks on the tiny size
(``bench.py --size tiny --check``, the ``bench`` stage of
``tools/run_tests.sh``). Not imported by the Odoo tests.
All amounts are in the company currency and all salespeople work in UTC, so
that Odoo gamification (which sums raw fields and counts days in UTC) can be
compared with this addon.
"""

import calendar
import logging
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

_logger = logging.getLogger(__name__)

TAX_RATE = 0.15  # the generic chart's default 15% sales tax
SPLIT_RATE = 0.3  # opportunities, orders and invoices with a credit split
COLLECTED_RATE = 0.7  # customer invoices with money collected
MOVE_RATE = 0.1  # salespeople who change team in the middle of the history
# the documents that carry a credit split: table, salesperson column, filter
SPLIT_DOCUMENTS = {
    "crm.lead": ("crm_lead", "user_id", "type = 'opportunity'"),
    "sale.order": ("sale_order", "user_id", "TRUE"),
    "account.move": (
        "account_move",
        "invoice_user_id",
        "move_type IN ('out_invoice', 'out_refund')",
    ),
}


@dataclass
class Size:
    name: str
    salespeople: int
    team_size: int
    months: int
    companies: int  # customer companies
    contacts: int  # contacts of those companies
    opportunities: int
    orders: int  # ~3 lines each (1 to 5)
    invoices: int  # 10% of them credit notes
    activities: int
    products: int = 40


SIZES = {
    # correctness checks only (tools/run_tests.sh, bench stage)
    "tiny": Size("tiny", 4, 2, 2, 30, 10, 120, 80, 80, 60, 5),
    # CI-friendly, seconds
    "small": Size("small", 10, 5, 3, 300, 100, 2_000, 1_500, 1_500, 1_000, 20),
    "medium": Size(
        "medium", 200, 10, 12, 20_000, 10_000, 100_000, 100_000, 100_000, 100_000
    ),
    "large": Size(
        "large", 1_000, 10, 24, 100_000, 50_000, 500_000, 500_000, 500_000, 500_000
    ),
}


@dataclass
class Dataset:
    """What the generator made (ids, periods)."""

    size: Size
    company_id: int
    user_ids: list
    team_ids: list
    team_of_user: dict
    months: list  # [(date_from, date_to)], oldest first
    counts: dict = field(default_factory=dict)
    # salespeople who changed team: {user id: (old team, new team, last day
    # in the old team)}; team_of_user holds their current (new) team
    moves: dict = field(default_factory=dict)

    @property
    def date_from(self):
        return self.months[0][0]

    @property
    def date_to(self):
        return self.months[-1][1]


def month_periods(months, today=None):
    """The last ``months`` complete calendar months before ``today``."""
    today = today or date.today()
    first = today.replace(day=1)
    periods = []
    for _i in range(months):
        first = (first - timedelta(days=1)).replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        periods.append((first, last))
    return list(reversed(periods))


def generate(env, size, seed=0.42, today=None, prefix="BENCH"):
    """Fill the database of ``env`` (superuser) with data of ``size`` (a key of
    ``SIZES`` or a ``Size``); returns a ``Dataset``. Does not commit."""
    size = SIZES[size] if isinstance(size, str) else size
    env = env(
        context=dict(
            env.context,
            tz="UTC",
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            no_reset_password=True,
            mail_create_nosubscribe=True,
        )
    )
    cr = env.cr
    cr.execute("SELECT setseed(%s)", [seed])
    company = env.company
    data = Dataset(
        size=size,
        company_id=company.id,
        user_ids=[],
        team_ids=[],
        team_of_user={},
        months=month_periods(size.months, today),
    )
    steps = [
        ("users and teams", _make_users_and_teams),
        ("products", _make_products),
        ("customers", _insert_partners),
        ("opportunities", _insert_leads),
        ("sales orders", _insert_orders),
        ("invoices", _insert_invoices),
        ("activities", _insert_activities),
        # appended last, so that the records above are drawn as before
        ("team history", _make_team_history),
        ("credit splits", _insert_splits),
        ("collections", _insert_collections),
    ]
    ctx = {"prefix": prefix}
    for label, step in steps:
        start = time.perf_counter()
        step(env, data, ctx)
        _logger.info(
            "datagen %s: %s in %.1fs", size.name, label, time.perf_counter() - start
        )
    env.invalidate_all()
    cr.execute(
        "ANALYZE res_partner, crm_lead, sale_order, sale_order_line, "
        "account_move, account_move_line, mail_activity, crm_team_member, "
        "sales_performance_team_membership, sales_performance_credit_split, "
        "sales_performance_collection"
    )
    return data


# ----------------------------------------------------------------------
# ORM part: the few hundred users, teams and products
# ----------------------------------------------------------------------
def _make_users_and_teams(env, data, ctx):
    size = data.size
    prefix = ctx["prefix"]
    group = env.ref("sales_team.group_sale_salesman")
    users = env["res.users"].create(
        [
            {
                "name": f"{prefix} Salesperson {i:04d}",
                "login": f"{prefix.lower()}.sales.{i:04d}@example.com",
                "email": f"{prefix.lower()}.sales.{i:04d}@example.com",
                "tz": "UTC",
                "company_id": data.company_id,
                "company_ids": [(6, 0, [data.company_id])],
                "group_ids": [(6, 0, [group.id])],
            }
            for i in range(1, size.salespeople + 1)
        ]
    )
    data.user_ids = users.ids
    chunks = [
        users[i : i + size.team_size] for i in range(0, len(users), size.team_size)
    ]
    teams = env["crm.team"].create(
        [
            {
                "name": f"{prefix} Team {n:03d}",
                "company_id": data.company_id,
                "user_id": members[0].id,
                "use_opportunities": True,
            }
            for n, members in enumerate(chunks, start=1)
        ]
    )
    env["crm.team.member"].create(
        [
            {"crm_team_id": team.id, "user_id": user.id}
            for team, members in zip(teams, chunks, strict=True)
            for user in members
        ]
    )
    data.team_ids = teams.ids
    data.team_of_user = {
        user.id: team.id
        for team, members in zip(teams, chunks, strict=True)
        for user in members
    }
    env.flush_all()


def _make_products(env, data, ctx):
    company = env["res.company"].browse(data.company_id)
    tax = company.account_sale_tax_id
    if not (
        tax.amount_type == "percent"
        and tax.amount == TAX_RATE * 100
        and not tax.price_include
    ):
        tax = (
            env["account.tax"]
            .search(
                [
                    ("company_id", "=", data.company_id),
                    ("type_tax_use", "=", "sale"),
                    ("amount_type", "=", "percent"),
                    ("amount", "=", TAX_RATE * 100),
                ]
            )
            .filtered(lambda t: not t.price_include)[:1]
        )
    if not tax:
        tax = env["account.tax"].create(
            {
                "name": "Bench 15%",
                "amount": TAX_RATE * 100,
                "type_tax_use": "sale",
                "company_id": data.company_id,
            }
        )
    products = env["product.product"].create(
        [
            {
                "name": f"{ctx['prefix']} Product {i:03d}",
                "type": "service" if i % 3 == 0 else "consu",
                "list_price": 20.0 + 37.5 * i,
                "invoice_policy": "order",
                "taxes_id": [(6, 0, tax.ids)],
            }
            for i in range(1, data.size.products + 1)
        ]
    )
    env.flush_all()
    ctx["tax"] = tax
    ctx["product_ids"] = products.ids
    ctx["uom_id"] = products[0].uom_id.id
    ctx["list_prices"] = products.mapped("list_price")


# ----------------------------------------------------------------------
# SQL part: the bulk
# ----------------------------------------------------------------------
def _salespeople_table(env, data):
    """A temporary table ``bench_sp(k, uid, tid)`` numbering the salespeople
    1..n with their team."""
    cr = env.cr
    cr.execute("DROP TABLE IF EXISTS bench_sp")
    cr.execute(
        "CREATE TEMP TABLE bench_sp AS SELECT k::int AS k, uid, tid "
        "FROM unnest(%s::int[], %s::int[]) WITH ORDINALITY AS t(uid, tid, k)",
        [data.user_ids, [data.team_of_user[u] for u in data.user_ids]],
    )


def _insert_partners(env, data, ctx):
    size = data.size
    cr = env.cr
    prefix = ctx["prefix"]
    uid = env.uid
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, is_company, type, active, lang,
               tz, email, customer_rank, supplier_rank, partner_share, employee,
               autopost_bills, color, create_uid, write_uid, create_date, write_date)
        SELECT %(prefix)s || ' Customer ' || lpad(g::text, 6, '0'),
               %(prefix)s || ' Customer ' || lpad(g::text, 6, '0'),
               TRUE, 'contact', TRUE, 'en_US', 'UTC',
               'customer' || g || '@' || lower(%(prefix)s) || '.example.com',
               1, 0, TRUE, FALSE, 'ask', 0, %(uid)s, %(uid)s,
               now() at time zone 'UTC', now() at time zone 'UTC'
          FROM generate_series(1, %(n)s) g
        RETURNING id
        """,
        {"prefix": prefix, "n": size.companies, "uid": uid},
    )
    company_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id, "
        "commercial_company_name = name WHERE id = ANY(%s)",
        [company_ids],
    )
    cr.execute("DROP TABLE IF EXISTS bench_company")
    cr.execute(
        "CREATE TEMP TABLE bench_company AS SELECT k::int AS k, pid "
        "FROM unnest(%s::int[]) WITH ORDINALITY AS t(pid, k)",
        [company_ids],
    )
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, parent_id, commercial_partner_id,
               commercial_company_name, is_company, type, active, lang, tz, email,
               customer_rank, supplier_rank, partner_share, employee, autopost_bills,
               color, create_uid, write_uid, create_date, write_date)
        SELECT 'Contact ' || g, c.name || ', Contact ' || g, c.id, c.id, c.name,
               FALSE, 'contact', TRUE, 'en_US', 'UTC',
               'contact' || g || '@' || lower(%(prefix)s) || '.example.com',
               1, 0, TRUE, FALSE, 'ask', 0, %(uid)s, %(uid)s,
               now() at time zone 'UTC', now() at time zone 'UTC'
          FROM (SELECT g, 1 + floor(random() * %(nc)s)::int AS k
                  FROM generate_series(1, %(n)s) g) r
          JOIN bench_company bc ON bc.k = r.k
          JOIN res_partner c ON c.id = bc.pid
        RETURNING id
        """,
        {"prefix": prefix, "n": size.contacts, "nc": size.companies, "uid": uid},
    )
    contact_ids = [row[0] for row in cr.fetchall()]
    # customers of orders: companies and their contacts, numbered 1..n
    cr.execute("DROP TABLE IF EXISTS bench_customer")
    cr.execute(
        "CREATE TEMP TABLE bench_customer AS SELECT k::int AS k, pid "
        "FROM unnest(%s::int[]) WITH ORDINALITY AS t(pid, k)",
        [company_ids + contact_ids],
    )
    cr.execute("CREATE INDEX ON bench_customer (k)")
    cr.execute("CREATE INDEX ON bench_company (k)")
    data.counts["partners"] = len(company_ids) + len(contact_ids)
    ctx["n_companies"] = len(company_ids)
    ctx["n_customers"] = len(company_ids) + len(contact_ids)


def _window(data):
    """Start (inclusive) and end (exclusive) of the generated history, as
    naive UTC timestamps, and its length in days."""
    start = data.date_from
    end = data.date_to + timedelta(days=1)
    return start, end, (end - start).days


def _insert_leads(env, data, ctx):
    size = data.size
    cr = env.cr
    _salespeople_table(env, data)
    start, _end, days = _window(data)
    won_stage = env["crm.stage"].search([("is_won", "=", True)], limit=1)
    other_stages = env["crm.stage"].search([("is_won", "=", False)])
    # r1 picks won (55%) / lost (30%) / open (15%)
    cr.execute("DROP TABLE IF EXISTS bench_lead")
    cr.execute(
        """
        CREATE TEMP TABLE bench_lead AS
        SELECT g, 1 + floor(random() * %(nsp)s)::int AS k,
               1 + floor(random() * %(ncomp)s)::int AS ck,
               random() AS r1,
               %(start)s::timestamp
                   + random() * (%(days)s * interval '1 day') AS closed,
               round((500 + random() * 49500)::numeric, 2) AS revenue,
               (10 + floor(random() * 8) * 10)::float8 AS open_probability,
               1 + floor(random() * %(nst)s)::int AS sk
          FROM generate_series(1, %(n)s) g
        """,
        {
            "nsp": len(data.user_ids),
            "ncomp": ctx["n_companies"],
            "start": start,
            "days": days,
            "n": size.opportunities,
            "nst": len(other_stages),
        },
    )
    cr.execute(
        """
        INSERT INTO crm_lead (name, type, active, user_id, team_id, company_id,
               partner_id, partner_name, email_from, stage_id, priority, color,
               expected_revenue, probability, automated_probability, prorated_revenue,
               won_status, date_open, date_closed, date_last_stage_update,
               date_deadline, day_open, day_close, create_uid, write_uid,
               create_date, write_date)
        SELECT %(prefix)s || ' Opportunity ' || l.g, 'opportunity',
               NOT (l.r1 >= 0.55 AND l.r1 < 0.85),
               sp.uid, sp.tid, %(company)s, c.id, c.name, c.email,
               CASE WHEN l.r1 < 0.55 THEN %(won_stage)s
                    ELSE (%(stages)s::int[])[l.sk] END,
               '0', 0, l.revenue,
               CASE WHEN l.r1 < 0.55 THEN 100 WHEN l.r1 < 0.85 THEN 0
                    ELSE l.open_probability END,
               CASE WHEN l.r1 < 0.55 THEN 100 WHEN l.r1 < 0.85 THEN 0
                    ELSE l.open_probability END,
               round(l.revenue * (CASE WHEN l.r1 < 0.55 THEN 100 WHEN l.r1 < 0.85 THEN 0
                    ELSE l.open_probability END)::numeric / 100, 2),
               CASE WHEN l.r1 < 0.55 THEN 'won' WHEN l.r1 < 0.85 THEN 'lost'
                    ELSE 'pending' END,
               l.closed - interval '20 days',
               CASE WHEN l.r1 < 0.85 THEN l.closed END,
               CASE WHEN l.r1 < 0.85 THEN l.closed
                    ELSE l.closed - interval '10 days' END,
               (CASE WHEN l.r1 < 0.85 THEN l.closed
                     ELSE %(today)s::timestamp + interval '15 days' END)::date,
               0, CASE WHEN l.r1 < 0.85 THEN 30 END,
               %(uid)s, %(uid)s, l.closed - interval '30 days', l.closed
          FROM bench_lead l
          JOIN bench_sp sp ON sp.k = l.k
          JOIN bench_company bc ON bc.k = l.ck
          JOIN res_partner c ON c.id = bc.pid
         ORDER BY l.g
        """,
        {
            "prefix": ctx["prefix"],
            "company": data.company_id,
            "won_stage": won_stage.id,
            "stages": other_stages.ids,
            "today": date.today(),
            "uid": env.uid,
        },
    )
    data.counts["opportunities"] = cr.rowcount


def _insert_orders(env, data, ctx):
    size = data.size
    cr = env.cr
    start, _end, days = _window(data)
    company = env["res.company"].browse(data.company_id)
    currency_id = company.currency_id.id
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM sale_order")
    base_id = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO sale_order (name, state, company_id, currency_id, currency_rate,
               partner_id, partner_invoice_id, partner_shipping_id, user_id, team_id,
               date_order, validity_date, invoice_status, amount_untaxed, amount_tax,
               amount_total, locked, require_signature, require_payment,
               prepayment_percent, create_uid, write_uid, create_date, write_date)
        SELECT %(prefix)s || '/S' || lpad(o.g::text, 7, '0'), 'sale', %(company)s,
               %(currency)s, 1.0, c.pid, c.pid, c.pid, sp.uid, sp.tid, o.d,
               (o.d + interval '30 days')::date, 'to invoice', 0, 0, 0,
               FALSE, FALSE, FALSE, 1.0, %(uid)s, %(uid)s, o.d, o.d
          FROM (SELECT g, 1 + floor(random() * %(nsp)s)::int AS k,
                       1 + floor(random() * %(ncust)s)::int AS ck,
                       date_trunc('second', %(start)s::timestamp
                                  + random() * (%(days)s * interval '1 day')) AS d
                  FROM generate_series(1, %(n)s) g) o
          JOIN bench_sp sp ON sp.k = o.k
          JOIN bench_customer c ON c.k = o.ck
         ORDER BY o.g
        """,
        {
            "prefix": ctx["prefix"],
            "company": data.company_id,
            "currency": currency_id,
            "nsp": len(data.user_ids),
            "ncust": ctx["n_customers"],
            "start": start,
            "days": days,
            "n": size.orders,
            "uid": env.uid,
        },
    )
    data.counts["orders"] = cr.rowcount
    cr.execute("DROP TABLE IF EXISTS bench_product")
    cr.execute(
        "CREATE TEMP TABLE bench_product AS SELECT k::int AS k, pid, price "
        "FROM unnest(%s::int[], %s::numeric[]) WITH ORDINALITY AS t(pid, price, k)",
        [ctx["product_ids"], ctx["list_prices"]],
    )
    # 1 to 5 lines per order (3 on average)
    cr.execute(
        """
        INSERT INTO sale_order_line (order_id, sequence, company_id, currency_id,
               order_partner_id, salesman_id, product_id, product_uom_id, state, name,
               product_uom_qty, price_unit, technical_price_unit, discount,
               price_subtotal, price_tax, price_total, price_reduce_taxexcl,
               price_reduce_taxinc, qty_delivered, qty_delivered_method, qty_invoiced,
               qty_to_invoice, untaxed_amount_invoiced, untaxed_amount_to_invoice,
               invoice_status, customer_lead, is_downpayment, is_expense,
               create_uid, write_uid, create_date, write_date)
        SELECT s.id, 10 * n, s.company_id, s.currency_id, s.partner_id, s.user_id,
               p.pid, %(uom)s, 'sale', pt.name->>'en_US', l.qty, p.price, p.price, 0,
               round(l.qty * p.price, 2),
               round(round(l.qty * p.price, 2) * %(rate)s, 2),
               round(l.qty * p.price, 2)
                   + round(round(l.qty * p.price, 2) * %(rate)s, 2),
               p.price, round(p.price * (1 + %(rate)s), 2), 0, 'manual', 0,
               l.qty, 0, round(l.qty * p.price, 2), 'to invoice', 0, FALSE, FALSE,
               s.create_uid, s.write_uid, s.create_date, s.write_date
          FROM sale_order s
          CROSS JOIN LATERAL generate_series(1, 1 + floor(random() * 5)::int
                                                   + 0 * s.id) n
          CROSS JOIN LATERAL (SELECT 1 + floor(random() * %(np)s)::int + 0 * n AS pk,
                                     (1 + floor(random() * 10))::numeric + 0 * n
                                         AS qty) l
          JOIN bench_product p ON p.k = l.pk
          JOIN product_product pp ON pp.id = p.pid
          JOIN product_template pt ON pt.id = pp.product_tmpl_id
         WHERE s.id > %(base)s
        """,
        {
            "uom": ctx["uom_id"],
            "rate": TAX_RATE,
            "np": len(ctx["product_ids"]),
            "base": base_id,
        },
    )
    data.counts["order_lines"] = cr.rowcount
    cr.execute(
        """
        INSERT INTO account_tax_sale_order_line_rel (sale_order_line_id, account_tax_id)
        SELECT l.id, %(tax)s FROM sale_order_line l WHERE l.order_id > %(base)s
        """,
        {"tax": ctx["tax"].id, "base": base_id},
    )
    cr.execute(
        """
        UPDATE sale_order s
           SET amount_untaxed = t.untaxed, amount_tax = t.tax,
               amount_total = t.untaxed + t.tax
          FROM (SELECT order_id, SUM(price_subtotal) AS untaxed, SUM(price_tax) AS tax
                  FROM sale_order_line WHERE order_id > %(base)s GROUP BY order_id) t
         WHERE s.id = t.order_id
        """,
        {"base": base_id},
    )


def _insert_invoices(env, data, ctx):
    size = data.size
    cr = env.cr
    start, _end, days = _window(data)
    company = env["res.company"].browse(data.company_id)
    currency_id = company.currency_id.id
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", data.company_id)], limit=1
    )
    Account = env["account.account"].with_company(company)
    income = journal.default_account_id or Account.search(
        [("account_type", "=", "income")], limit=1
    )
    receivable = Account.search([("account_type", "=", "asset_receivable")], limit=1)
    tax = ctx["tax"]
    tax_rep = tax.invoice_repartition_line_ids.filtered(
        lambda r: r.repartition_type == "tax"
    )[:1]
    refund_rep = tax.refund_repartition_line_ids.filtered(
        lambda r: r.repartition_type == "tax"
    )[:1]
    tax_account = tax_rep.account_id or income
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_move")
    base_id = cr.fetchone()[0]
    prefix = ctx["prefix"]
    # one product line per invoice: 90% invoices, 10% credit notes
    cr.execute(
        """
        INSERT INTO account_move (name, sequence_prefix, sequence_number, move_type,
               state, auto_post, journal_id, company_id, currency_id, partner_id,
               commercial_partner_id, invoice_partner_display_name, invoice_user_id,
               team_id, date, invoice_date, invoice_date_due, payment_state,
               invoice_currency_rate, amount_untaxed, amount_tax, amount_total,
               amount_residual, amount_untaxed_signed,
               amount_untaxed_in_currency_signed,
               amount_tax_signed, amount_total_signed, amount_total_in_currency_signed,
               amount_residual_signed, always_tax_exigible, checked, posted_before,
               made_sequence_gap, is_move_sent, is_manually_modified, create_uid,
               write_uid, create_date, write_date)
        SELECT v.prefix || lpad(v.seq::text, 6, '0'), v.prefix, v.seq, v.move_type,
               'posted', 'no', %(journal)s, %(company)s, %(currency)s, v.pid, v.pid,
               v.pname, v.uid, v.tid, v.d, v.d, v.d + 30, 'not_paid', 1.0,
               v.untaxed, v.tax, v.untaxed + v.tax, v.untaxed + v.tax,
               v.sign * v.untaxed, v.sign * v.untaxed, v.sign * v.tax,
               v.sign * (v.untaxed + v.tax), v.sign * (v.untaxed + v.tax),
               v.sign * (v.untaxed + v.tax), FALSE, TRUE, TRUE, FALSE, FALSE, FALSE,
               %(uid)s, %(uid)s, v.d, v.d
          FROM (SELECT i.*, sp.uid, sp.tid, c.id AS pid, c.name AS pname,
                       CASE WHEN i.move_type = 'out_invoice' THEN 1 ELSE -1 END AS sign,
                       CASE WHEN i.move_type = 'out_invoice' THEN 'INV/'
                            ELSE 'RINV/' END
                           || %(bprefix)s || '/' || extract(year FROM i.d) || '/'
                           AS prefix,
                       row_number() OVER (PARTITION BY i.move_type,
                                                       extract(year FROM i.d)
                                          ORDER BY i.d, i.g) AS seq,
                       round(round(i.untaxed_raw, 2) * %(rate)s, 2) AS tax,
                       round(i.untaxed_raw, 2) AS untaxed
                  FROM (SELECT g, 1 + floor(random() * %(nsp)s)::int AS k,
                               1 + floor(random() * %(ncomp)s)::int AS ck,
                               CASE WHEN random() < 0.9 THEN 'out_invoice'
                                    ELSE 'out_refund' END AS move_type,
                               (%(start)s::date + floor(random() * %(days)s)::int) AS d,
                               (100 + random() * 19900)::numeric AS untaxed_raw
                          FROM generate_series(1, %(n)s) g) i
                  JOIN bench_sp sp ON sp.k = i.k
                  JOIN bench_company bc ON bc.k = i.ck
                  JOIN res_partner c ON c.id = bc.pid) v
         ORDER BY v.d, v.g
        """,
        {
            "journal": journal.id,
            "company": data.company_id,
            "currency": currency_id,
            "uid": env.uid,
            "bprefix": prefix,
            "rate": TAX_RATE,
            "nsp": len(data.user_ids),
            "ncomp": ctx["n_companies"],
            "start": start,
            "days": days,
            "n": size.invoices,
        },
    )
    data.counts["invoices"] = cr.rowcount
    # journal items: product (income), tax, payment term (receivable); balance
    # is positive on the debit side, credit notes mirror invoices
    cr.execute(
        """
        INSERT INTO account_move_line (move_id, journal_id, company_id,
               company_currency_id, currency_id, account_id, partner_id, move_name,
               parent_state, display_type, date, invoice_date, date_maturity, sequence,
               name, product_id, product_uom_id, quantity, price_unit, price_subtotal,
               price_total, discount, debit, credit, balance, amount_currency,
               amount_residual, amount_residual_currency, tax_base_amount, tax_line_id,
               tax_group_id, tax_repartition_line_id, reconciled, is_storno,
               create_uid, write_uid, create_date, write_date)
        SELECT m.id, m.journal_id, m.company_id, m.currency_id, m.currency_id,
               x.account_id, m.partner_id, m.name, 'posted', x.display_type, m.date,
               m.invoice_date, x.date_maturity, x.sequence, x.name, x.product_id,
               x.uom_id, x.quantity, x.price_unit, x.price_subtotal, x.price_total, 0,
               GREATEST(x.balance, 0), GREATEST(-x.balance, 0), x.balance, x.balance,
               x.residual, x.residual, x.tax_base, x.tax_line_id, x.tax_group_id,
               x.rep_id, FALSE, FALSE, m.create_uid, m.write_uid, m.create_date,
               m.write_date
          FROM account_move m
          CROSS JOIN LATERAL (
              SELECT 'product' AS display_type, %(income)s AS account_id,
                     10 AS sequence,
                     %(product)s AS product_id, %(uom)s AS uom_id, 1.0 AS quantity,
                     m.amount_untaxed AS price_unit, m.amount_untaxed AS price_subtotal,
                     m.amount_total AS price_total, -m.amount_untaxed_signed AS balance,
                     0 AS residual, NULL::date AS date_maturity, %(pname)s AS name,
                     0 AS tax_base, NULL::int AS tax_line_id, NULL::int AS tax_group_id,
                     NULL::int AS rep_id
              UNION ALL
              SELECT 'tax', %(tax_account)s, 20, NULL, NULL, NULL, NULL,
                     NULL, NULL, -m.amount_tax_signed, 0, NULL, %(tax_name)s,
                     m.amount_untaxed, %(tax)s, %(tax_group)s,
                     CASE WHEN m.move_type = 'out_invoice' THEN %(rep)s
                          ELSE %(rrep)s END
              UNION ALL
              SELECT 'payment_term', %(receivable)s, 30, NULL, NULL, NULL, NULL,
                     NULL, NULL, m.amount_total_signed, m.amount_total_signed,
                     m.invoice_date_due, m.name, 0, NULL, NULL, NULL
          ) x
         WHERE m.id > %(base)s
        """,
        {
            "income": income.id,
            "product": ctx["product_ids"][0],
            "uom": ctx["uom_id"],
            "pname": f"{prefix} Product 001",
            "tax_account": tax_account.id,
            "tax_name": tax.name,
            "tax": tax.id,
            "tax_group": tax.tax_group_id.id,
            "rep": tax_rep.id,
            "rrep": refund_rep.id,
            "receivable": receivable.id,
            "base": base_id,
        },
    )
    data.counts["move_lines"] = cr.rowcount
    cr.execute(
        """
        INSERT INTO account_move_line_account_tax_rel (account_move_line_id,
               account_tax_id)
        SELECT l.id, %(tax)s FROM account_move_line l
         WHERE l.move_id > %(base)s AND l.display_type = 'product'
        """,
        {"tax": tax.id, "base": base_id},
    )


def _insert_activities(env, data, ctx):
    size = data.size
    cr = env.cr
    start, _end, days = _window(data)
    model_id = env["ir.model"]._get_id("crm.lead")
    types = env["mail.activity.type"].search(
        [("res_model", "in", (False, "crm.lead")), ("category", "=", "default")]
    ) or env["mail.activity.type"].search([], limit=1)
    cr.execute(
        "SELECT MIN(id), MAX(id) FROM crm_lead WHERE name LIKE %s",
        [ctx["prefix"] + " Opportunity %"],
    )
    lead_min, lead_max = cr.fetchone()
    cr.execute(
        """
        INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name,
               activity_type_id, summary, user_id, user_tz, date_deadline, date_done,
               active, automated, create_uid, write_uid, create_date, write_date)
        SELECT %(model_id)s, 'crm.lead', l.id, l.name, (%(types)s::int[])[a.tk],
               'Follow-up ' || a.g, sp.uid, 'UTC', a.d, a.d + a.late, FALSE, FALSE,
               %(uid)s, %(uid)s, a.d - 7, a.d + a.late
          FROM (SELECT g, 1 + floor(random() * %(nsp)s)::int AS k,
                       1 + floor(random() * %(nt)s)::int AS tk,
                       %(lead_min)s
                           + floor(random() * (%(lead_max)s - %(lead_min)s + 1))::int
                           AS lead_id,
                       (%(start)s::date + floor(random() * %(days)s)::int) AS d,
                       0 AS late
                  FROM generate_series(1, %(n)s) g) a
          JOIN bench_sp sp ON sp.k = a.k
          JOIN crm_lead l ON l.id = a.lead_id
        """,
        {
            "model_id": model_id,
            "types": types.ids,
            "uid": env.uid,
            "nsp": len(data.user_ids),
            "nt": len(types),
            "lead_min": lead_min,
            "lead_max": lead_max,
            "start": start,
            "days": days,
            "n": size.activities,
        },
    )
    data.counts["activities"] = cr.rowcount


# ----------------------------------------------------------------------
# Crediting: team history, credit splits, collections
# ----------------------------------------------------------------------
def _make_team_history(env, data, ctx):
    """Every salesperson a member of their team since always (the addon opens
    that membership when the sales team member is created: only what is
    missing is inserted); ``MOVE_RATE`` of them (never a team leader) move to
    another team: their first membership ends on a day in the middle of the
    history, the new one starts the next day, their sales team member row
    (Odoo's current membership) follows, and so does the team of their
    documents dated after the move."""
    cr = env.cr
    uid = env.uid
    start, _end, days = _window(data)
    cr.execute(
        """
        INSERT INTO sales_performance_team_membership (team_id, user_id, company_id,
               date_from, date_to, role, create_uid, write_uid, create_date,
               write_date)
        SELECT m.crm_team_id, m.user_id, t.company_id, NULL, NULL, 'member', %(uid)s,
               %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM crm_team_member m
          JOIN crm_team t ON t.id = m.crm_team_id
         WHERE m.active AND m.user_id = ANY(%(users)s)
           AND NOT EXISTS (SELECT 1 FROM sales_performance_team_membership x
                            WHERE x.user_id = m.user_id AND x.team_id = m.crm_team_id
                              AND x.role = 'member' AND x.date_to IS NULL)
        """,
        {"uid": uid, "users": data.user_ids},
    )
    if len(data.team_ids) < 2:
        return
    cr.execute("DROP TABLE IF EXISTS bench_team")
    cr.execute(
        "CREATE TEMP TABLE bench_team AS SELECT k::int AS k, tid "
        "FROM unnest(%s::int[]) WITH ORDINALITY AS t(tid, k)",
        [data.team_ids],
    )
    # the new team: one of the others; the last day in the old team: in the
    # middle half of the history
    cr.execute("DROP TABLE IF EXISTS bench_move")
    cr.execute(
        """
        CREATE TEMP TABLE bench_move AS
        SELECT c.uid, c.tid AS old_tid, nt.tid AS new_tid, c.last_day
          FROM (SELECT sp.uid, sp.tid, bt.k AS team_k, random() AS r,
                       %(start)s::date + (%(days)s / 4
                           + floor(random() * (%(days)s / 2)))::int AS last_day,
                       1 + floor(random() * (%(nt)s - 1))::int AS shift
                  FROM bench_sp sp
                  JOIN bench_team bt ON bt.tid = sp.tid
                  JOIN crm_team t ON t.id = sp.tid
                 WHERE t.user_id IS DISTINCT FROM sp.uid) c
          JOIN bench_team nt ON nt.k = 1 + (c.team_k - 1 + c.shift) %% %(nt)s
         ORDER BY c.r
         LIMIT %(n)s
        """,
        {
            "start": start,
            "days": days,
            "nt": len(data.team_ids),
            "n": max(1, round(MOVE_RATE * len(data.user_ids))),
        },
    )
    params = {"uid": uid}
    cr.execute(
        """
        UPDATE sales_performance_team_membership m
           SET date_to = mv.last_day, write_uid = %(uid)s,
               write_date = now() at time zone 'UTC'
          FROM bench_move mv
         WHERE m.user_id = mv.uid AND m.team_id = mv.old_tid AND m.date_to IS NULL
           AND m.role = 'member'
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO sales_performance_team_membership (team_id, user_id, company_id,
               date_from, date_to, role, create_uid, write_uid, create_date,
               write_date)
        SELECT mv.new_tid, mv.uid, t.company_id, mv.last_day + 1, NULL, 'member',
               %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM bench_move mv
          JOIN crm_team t ON t.id = mv.new_tid
        """,
        params,
    )
    cr.execute(
        """
        UPDATE crm_team_member m
           SET crm_team_id = mv.new_tid, write_uid = %(uid)s,
               write_date = now() at time zone 'UTC'
          FROM bench_move mv
         WHERE m.user_id = mv.uid AND m.crm_team_id = mv.old_tid
        """,
        params,
    )
    # a document takes the team of its salesperson when it is made
    cr.execute(
        """
        UPDATE crm_lead l SET team_id = mv.new_tid FROM bench_move mv
         WHERE l.user_id = mv.uid
           AND COALESCE(l.date_closed, l.create_date)::date > mv.last_day
        """
    )
    cr.execute(
        """
        UPDATE sale_order s SET team_id = mv.new_tid FROM bench_move mv
         WHERE s.user_id = mv.uid AND s.date_order::date > mv.last_day
        """
    )
    cr.execute(
        """
        UPDATE account_move m SET team_id = mv.new_tid FROM bench_move mv
         WHERE m.invoice_user_id = mv.uid AND m.invoice_date > mv.last_day
        """
    )
    cr.execute(
        "UPDATE bench_sp sp SET tid = mv.new_tid FROM bench_move mv "
        "WHERE sp.uid = mv.uid"
    )
    cr.execute("SELECT uid, old_tid, new_tid, last_day FROM bench_move ORDER BY uid")
    data.moves = {uid: (old, new, last) for uid, old, new, last in cr.fetchall()}
    for user_id, (_old, new, _last) in data.moves.items():
        data.team_of_user[user_id] = new
    data.counts["team_moves"] = len(data.moves)


def _insert_splits(env, data, ctx):
    """Credit splits on ``SPLIT_RATE`` of the opportunities, orders and
    invoices: 2 users (60 %) or 3, of the document's company, with shares of
    2 decimals adding up to exactly 100; the document's salesperson keeps the
    first share, except on 10 % of the splits (2 other salespeople)."""
    from odoo.tools import SQL

    cr = env.cr
    nsp = len(data.user_ids)
    if nsp < 2:
        return
    cr.execute("DROP TABLE IF EXISTS bench_split")
    cr.execute(
        """
        CREATE TEMP TABLE bench_split (res_model varchar, res_id int, owner int,
               company_id int, k int, users int, with_owner boolean, a int, b int,
               p1 numeric, f numeric, stamp timestamp)
        """
    )
    for model, (table, user_column, where) in SPLIT_DOCUMENTS.items():
        # a, b: the other salespeople, as distinct offsets from the owner
        cr.execute(
            SQL(
                """
                INSERT INTO bench_split
                SELECT %(model)s, d.id, sp.uid, d.company_id, sp.k,
                       CASE WHEN d.two THEN 2 ELSE 3 END,
                       d.r_owner < 0.9 OR %(nsp)s < 3, d.a,
                       d.b0 + (d.b0 >= d.a)::int,
                       round((CASE WHEN d.two THEN 40 + 40 * d.r_p1
                                   ELSE 34 + 32 * d.r_p1 END)::numeric, 2),
                       (0.3 + 0.4 * d.r_p2)::numeric, d.create_date
                  FROM (SELECT *,
                               -- without the owner: 2 others
                               r_users < 0.6 OR r_owner >= 0.9 OR %(nsp)s < 3
                                   AS two
                          FROM (SELECT id, company_id, create_date,
                                       %(user)s AS owner_id,
                                       random() AS r_pick, random() AS r_users,
                                       random() AS r_owner, random() AS r_p1,
                                       random() AS r_p2,
                                       1 + floor(random() * (%(nsp)s - 1))::int
                                           AS a,
                                       1 + floor(random()
                                                 * GREATEST(%(nsp)s - 2, 1))::int
                                           AS b0
                                  FROM %(table)s
                                 WHERE company_id = %(company)s
                                   AND %(user)s = ANY(%(users)s)
                                   AND %(where)s) r) d
                  JOIN bench_sp sp ON sp.uid = d.owner_id
                 WHERE d.r_pick < %(rate)s
                """,
                model=model,
                nsp=nsp,
                user=SQL.identifier(user_column),
                table=SQL.identifier(table),
                company=data.company_id,
                users=data.user_ids,
                where=SQL(where),
                rate=SPLIT_RATE,
            )
        )
        data.counts[f"split_{table}"] = cr.rowcount
    # slot 1: the owner (or the salesperson at offset b), 2: offset a, 3: b
    cr.execute(
        """
        INSERT INTO sales_performance_credit_split (res_model, res_id, user_id,
               percent, role, company_id, document_user_id, create_uid, write_uid,
               create_date, write_date)
        SELECT s.res_model, s.res_id, sp.uid, x.percent, x.role, s.company_id,
               s.owner, %(uid)s, %(uid)s, s.stamp, s.stamp
          FROM (SELECT s.*,
                       CASE WHEN s.users = 2 THEN 100 - s.p1
                            ELSE round((100 - s.p1) * s.f, 2) END AS p2
                  FROM bench_split s) s
         CROSS JOIN LATERAL (
              VALUES (1, CASE WHEN s.with_owner THEN 0 ELSE s.b END, s.p1,
                      CASE WHEN s.with_owner THEN 'Account manager'
                           ELSE 'Co-seller' END),
                     (2, s.a, s.p2, 'Co-seller'),
                     (3, s.b, 100 - s.p1 - s.p2, 'Presales')
         ) AS x(slot, off, percent, role)
          JOIN bench_sp sp ON sp.k = 1 + (s.k - 1 + x.off) %% %(nsp)s
         WHERE x.slot <= s.users
        """,
        {"uid": env.uid, "nsp": nsp},
    )
    data.counts["credit_splits"] = cr.rowcount


def _insert_collections(env, data, ctx):
    """Money collected on ``COLLECTED_RATE`` of the posted customer invoices
    (not on credit notes), in the company currency, on or after the invoice
    date and within the history: one collection of the whole total (60 %),
    one of a part (20 %), or two (20 %: a part, then the rest or a part of
    it)."""
    cr = env.cr
    _start, end, _days = _window(data)
    last = end - timedelta(days=1)
    cr.execute("DROP TABLE IF EXISTS bench_collect")
    cr.execute(
        """
        CREATE TEMP TABLE bench_collect AS
        SELECT c.*,
               CASE WHEN c.r_kind < 0.8 THEN 1 ELSE 2 END AS n,
               CASE WHEN c.r_kind < 0.6 THEN c.total
                    WHEN c.r_kind < 0.8 THEN round(c.total * (0.3 + 0.6 * c.r_f1), 2)
                    ELSE round(c.total * (0.2 + 0.6 * c.r_f1), 2) END AS a1,
               c.invoice_date + floor(c.r_d1 * LEAST(60, %(last)s::date
                                                     - c.invoice_date + 1))::int
                   AS d1
          FROM (SELECT id, invoice_user_id, team_id, company_id,
                       commercial_partner_id, invoice_date,
                       amount_total_signed AS total,
                       amount_untaxed_signed AS untaxed,
                       random() AS r_pick, random() AS r_kind,
                       random()::numeric AS r_f1, random()::numeric AS r_f2,
                       random() AS r_rest, random() AS r_d1, random() AS r_d2
                  FROM account_move
                 WHERE move_type = 'out_invoice' AND state = 'posted'
                   AND company_id = %(company)s
                   AND invoice_user_id = ANY(%(users)s)
                   AND invoice_date <= %(last)s) c
         WHERE c.r_pick < %(rate)s
        """,
        {
            "last": last,
            "company": data.company_id,
            "users": data.user_ids,
            "rate": COLLECTED_RATE,
        },
    )
    cr.execute(
        """
        INSERT INTO sales_performance_collection (invoice_id, user_id, team_id,
               company_id, partner_id, date, kind, amount, amount_untaxed,
               create_uid, write_uid, create_date, write_date)
        SELECT c.id, c.invoice_user_id, c.team_id, c.company_id,
               c.commercial_partner_id, x.day, 'collected', x.amount,
               round(x.amount * c.untaxed / c.total, 2), %(uid)s, %(uid)s,
               x.day, x.day
          FROM (SELECT c.*,
                       c.d1 + floor(c.r_d2 * LEAST(45, %(last)s::date - c.d1 + 1))::int
                           AS d2,
                       CASE WHEN c.r_rest < 0.7 THEN c.total - c.a1
                            ELSE round((c.total - c.a1) * (0.3 + 0.6 * c.r_f2), 2)
                       END AS a2
                  FROM bench_collect c) c
         CROSS JOIN LATERAL (VALUES (1, c.d1, c.a1), (2, c.d2, c.a2))
               AS x(slot, day, amount)
         WHERE x.slot <= c.n
         ORDER BY x.day, c.id, x.slot
        """,
        {"uid": env.uid, "last": last},
    )
    data.counts["collections"] = cr.rowcount
