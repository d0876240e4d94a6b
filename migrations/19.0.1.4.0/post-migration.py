"""19.0.1.4.0: one evaluation cycle per distinct (company, legacy label) of
the evaluations, over the first start to the last end of its evaluations,
with their employees (and their template when they all share one); closed
when all its evaluations are done (cancelled ones left aside), else running.
The evaluations are linked to it. Idempotent: a cycle of the same name and
company is reused and evaluations already linked are left alone; the legacy
column is kept for reference. Passed training records get their resume line
and certification (hr_skills), as a record passed after the upgrade does;
idempotent as well (a record keeps one line)."""

from collections import defaultdict

from odoo import SUPERUSER_ID, api
from odoo.tools import sql

CONTEXT = {"tracking_disable": True, "mail_create_nolog": True}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
    env["sales.performance.training.record"].search(
        [("status", "=", "passed")]
    )._sync_resume()
    _cycles_from_labels(cr)


def _cycles_from_labels(cr):
    if not sql.column_exists(cr, "sales_performance_evaluation", "cycle_legacy"):
        return
    env = api.Environment(cr, SUPERUSER_ID, CONTEXT)
    cr.execute(
        """
        SELECT company_id, TRIM(cycle_legacy), id, employee_id, template_id,
               date_from, date_to, state
          FROM sales_performance_evaluation
         WHERE cycle_id IS NULL AND TRIM(COALESCE(cycle_legacy, '')) != ''
      ORDER BY company_id, TRIM(cycle_legacy), id
        """
    )
    groups = defaultdict(list)
    for company_id, label, *row in cr.fetchall():
        groups[company_id, label].append(row)
    Cycle = env["sales.performance.evaluation.cycle"]
    Evaluation = env["sales.performance.evaluation"]
    for (company_id, label), rows in groups.items():
        ids = [row[0] for row in rows]
        live = [row for row in rows if row[5] != "cancel"]
        all_done = bool(live) and all(row[5] == "done" for row in live)
        templates = {row[2] for row in rows}
        cycle = Cycle.search(
            [("company_id", "=", company_id), ("name", "=", label)], limit=1
        )
        if not cycle:
            cycle = Cycle.create(
                {
                    "name": label,
                    "company_id": company_id,
                    "date_from": min(row[3] for row in rows),
                    "date_to": max(row[4] for row in rows),
                    "template_id": templates.pop() if len(templates) == 1 else False,
                    "employee_ids": [(6, 0, sorted({row[1] for row in rows}))],
                    "state": "closed" if all_done else "running",
                }
            )
        Evaluation.browse(ids).write({"cycle_id": cycle.id})
