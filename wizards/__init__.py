from . import sales_performance_target_generate
from . import sales_performance_target_allocate
from . import sales_performance_target_revise
