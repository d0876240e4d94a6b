from . import sales_performance_target_generate
from . import sales_performance_target_allocate
from . import sales_performance_target_revise
from . import sales_performance_incentive_generate
from . import sales_performance_incentive_estimate
from . import sales_performance_incentive_whatif
from . import sales_performance_incentive_export
