from . import res_company
from . import res_config_settings
from . import sales_performance_metric
from . import sales_performance_target
from . import crm_team
