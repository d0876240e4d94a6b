from . import test_sales_performance_metric
from . import test_sales_performance_target
from . import test_sales_performance_target_allocate
from . import test_sales_performance_target_generate
from . import test_target_security
