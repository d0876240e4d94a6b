"""Extra figures of ``make bench``: targets by product category.

``run(env, data, targets, log)`` returns ``(fields, checks)``: ``fields`` are
``name=value`` pairs added to the BENCH line, ``checks`` are ``(label, diffs)``
agreement checks (an empty ``diffs`` list means OK).

The bench products are spread over 5 product categories under one root (the
first one with a child category, so that child categories are exercised);
every salesperson gets one target per category for each of the last 3 months
(on the order-line metric). The recompute of all of them and of half of them
is timed and its queries counted (the count does not depend on the number of
targets: one query per distinct category). Checks: a few cells against a
plain SQL sum of the credited order lines, and for every salesperson and
month the 5 categories add up to their target on the whole orders.
"""

import time

CATEGORIES = 5
MONTHS = 3
ROOT = "BENCH Dimensions"
TOLERANCE = 0.01


def _categories(env):
    """The root, its 5 categories and the child of the first one (created
    once, found again on a reused database)."""
    Category = env["product.category"]
    root = Category.search([("name", "=", ROOT), ("parent_id", "=", False)], limit=1)
    if not root:
        root = Category.create({"name": ROOT})
    categories = Category.search([("parent_id", "=", root.id)], order="name")
    if len(categories) < CATEGORIES:
        categories |= Category.create(
            [
                {"name": f"Line {i}", "parent_id": root.id}
                for i in range(len(categories) + 1, CATEGORIES + 1)
            ]
        )
    categories = categories.sorted("name")[:CATEGORIES]
    child = Category.search([("parent_id", "=", categories[0].id)], limit=1)
    if not child:
        child = Category.create({"name": "Sub-line", "parent_id": categories[0].id})
    return categories, child


def _spread_products(env, categories, child):
    """Product i goes to category i mod 5; every other product of the first
    category to its child category (one UPDATE)."""
    products = (
        env["product.product"]
        .with_context(active_test=False)
        .search([("name", "=like", "BENCH Product %")], order="id")
    )
    template_ids = products.product_tmpl_id.ids
    slots = [categories[i % CATEGORIES].id for i in range(len(template_ids))]
    slots = [
        child.id if slot == categories[0].id and index % 2 else slot
        for index, slot in enumerate(slots)
    ]
    env.flush_all()
    env.cr.execute(
        "UPDATE product_template t SET categ_id = v.categ_id"
        " FROM unnest(%s::int[], %s::int[]) AS v(id, categ_id) WHERE t.id = v.id",
        [template_ids, slots],
    )
    env.invalidate_all()
    return len(template_ids)


def _sql_cell(env, company_id, user_id, category, date_from, date_to, tz_name):
    """The credited order lines of ``user_id`` in ``category`` (with its
    children) over ``[date_from, date_to]`` counted in ``tz_name``: the split
    share when the order is split, else 100 % for the order's salesperson."""
    env.cr.execute(
        """
        SELECT COALESCE(SUM(l.price_subtotal * COALESCE(s.percent / 100.0, 1.0)), 0)
          FROM sale_order_line l
          JOIN sale_order o ON o.id = l.order_id
          JOIN product_product pp ON pp.id = l.product_id
          JOIN product_template pt ON pt.id = pp.product_tmpl_id
          JOIN product_category c ON c.id = pt.categ_id
     LEFT JOIN sales_performance_credit_split s
            ON s.res_model = 'sale.order' AND s.res_id = o.id
         WHERE o.state = 'sale' AND l.display_type IS NULL
           AND o.company_id = %(company)s
           AND c.parent_path LIKE %(path)s
           AND COALESCE(s.user_id, o.user_id) = %(user)s
           AND ((o.date_order AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s)::date
               BETWEEN %(start)s AND %(stop)s
        """,
        {
            "company": company_id,
            "path": category.parent_path + "%",
            "user": user_id,
            "tz": tz_name,
            "start": date_from,
            "stop": date_to,
        },
    )
    return float(env.cr.fetchone()[0])


def _recompute(env, targets):
    """(seconds, queries) of one recompute of ``targets`` from a cold cache."""
    env.flush_all()
    env.invalidate_all()
    count = env.cr.sql_log_count
    start = time.perf_counter()
    targets._recompute_batch()
    env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - count


def run(env, data, targets, log):
    metric = env.ref("sales_performance.metric_confirmed_sales_lines")
    categories, child = _categories(env)
    products = _spread_products(env, categories, child)
    Target = env["sales.performance.target"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    Target.search(
        [("metric_id", "=", metric.id), ("product_category_id", "in", categories.ids)]
    ).unlink()
    months = data.months[-MONTHS:]
    created = Target.create(
        [
            {
                "company_id": data.company_id,
                "user_id": user_id,
                "team_id": data.team_of_user[user_id],
                "metric_id": metric.id,
                "date_from": date_from,
                "date_to": date_to,
                "product_category_id": category.id,
                "target_value": 10_000.0,
            }
            for user_id in data.user_ids
            for category in categories
            for date_from, date_to in months
        ]
    )
    half = created.filtered(lambda t: t.user_id.id in set(data.user_ids[::2]))
    seconds, queries = _recompute(env, created)
    half_seconds, half_queries = _recompute(env, half)
    log(
        f"dimensions: {len(created)} targets by {CATEGORIES} product categories "
        f"({products} products): recompute {seconds:.3f}s, {queries} queries; "
        f"{len(half)} targets: {half_seconds:.3f}s, {half_queries} queries"
    )
    fields = {
        "dim_targets": len(created),
        "dim_s": f"{seconds:.3f}",
        "dim_queries": queries,
        "dim_half_queries": half_queries,
    }
    checks = [
        (
            "dimensions: queries independent of the number of targets",
            []
            if queries == half_queries
            else [
                f"{queries} queries for {len(created)}, {half_queries} for {len(half)}"
            ],
        )
    ]
    # a few cells against plain SQL
    diffs = []
    env.invalidate_all()
    sample_users = data.user_ids[:: max(1, len(data.user_ids) // 4)][:4]
    for target in created.filtered(lambda t: t.user_id.id in sample_users):
        expected = _sql_cell(
            env,
            data.company_id,
            target.user_id.id,
            target.product_category_id,
            target.date_from,
            target.date_to,
            target._get_tz(),
        )
        if abs(expected - target.achieved_value) > TOLERANCE:
            diffs.append(
                f"target {target.id}: addon {target.achieved_value:.2f}, "
                f"SQL {expected:.2f}"
            )
    checks.append(("dimensions: categories vs SQL on order lines", diffs))
    # the 5 categories cover every product: they add up to the whole orders
    whole = {
        (t.user_id.id, t.date_from): t.achieved_value
        for t in targets.filtered(
            lambda t: t.user_id
            and t.metric_id == env.ref("sales_performance.metric_confirmed_sales")
            and not t.has_dimension
            and (t.date_from, t.date_to) in months
        )
    }
    total = {}
    for target in created:
        key = (target.user_id.id, target.date_from)
        total[key] = total.get(key, 0.0) + target.achieved_value
    diffs = [] if whole else ["no salesperson target on the whole orders to compare"]
    diffs += [
        f"user {user_id} {day}: categories {total.get((user_id, day), 0.0):.2f}, "
        f"orders {value:.2f}"
        for (user_id, day), value in sorted(whole.items())
        if abs(total.get((user_id, day), 0.0) - value) > TOLERANCE * 5
    ]
    checks.append(("dimensions: 5 categories add up to the orders", diffs[:10]))
    return fields, checks
