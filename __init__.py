from . import models
from . import wizards


def _sales_performance_post_init(env):
    """Install: the current members of the sales teams get an open membership
    (since always), and the reconciliations made before the addon become
    collections (the 19.0.1.2.0 migration does the same on upgrade)."""
    env["sales.performance.team.membership"]._init_from_teams()
    env["sales.performance.collection"]._init_from_reconciliations()
