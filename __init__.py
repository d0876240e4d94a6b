from . import models
from . import wizards


def _sales_performance_post_init(env):
    """Install: the current members of the sales teams get an open membership
    (since always), and the reconciliations made before the addon become
    collections, and the customers invoiced so far get their segment (the
    19.0.1.2.0 and 19.0.1.3.0 migrations do the same on upgrade)."""
    env["sales.performance.team.membership"]._init_from_teams()
    env["sales.performance.collection"]._init_from_reconciliations()
    env["res.partner"]._sales_performance_compute_segments()
