from . import sales_performance_target_generate
from . import sales_performance_target_allocate
from . import sales_performance_target_revise
from . import sales_performance_evaluation_create
from . import sales_performance_evaluation_reopen
