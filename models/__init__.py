from . import res_company
from . import res_config_settings
from . import sales_performance_metric
from . import sales_performance_target
from . import crm_team
from . import sales_performance_incentive_plan
from . import sales_performance_incentive_rule
from . import sales_performance_incentive_statement
