"""19.0.1.3.0: incentive governance (plan acceptance, sign-off and disputes,
approval routes, accruals, budgets, draws, fairness) and the cockpit. New
columns take their defaults from the ORM (sign-off state, draw type); nothing
existing is re-dated or re-posted: approved statements keep their amounts and
get no accrual entry backwards. Installed databases get their customer
segments at once, as a fresh install does, instead of at the first weekly
run. Idempotent: the segments are recomputed from the invoices each time."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.partner"]._sales_performance_compute_segments()
