from . import test_incentive_payout
from . import test_incentive_statement
from . import test_incentive_security
