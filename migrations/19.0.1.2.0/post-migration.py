"""19.0.1.2.0: crediting. Installed databases get the team history of their
current sales team members (members since always) and the collections of the
reconciliations made so far, as a fresh install does. Idempotent: members with
an open membership and reconciliations already recorded are skipped."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["sales.performance.team.membership"]._init_from_teams()
    env["sales.performance.collection"]._init_from_reconciliations()
