from . import test_evaluation_scoring
from . import test_evaluation_workflow
from . import test_evaluation_security
from . import test_evaluation_wizard
from . import test_evaluation_report
from . import test_evaluation_calibration
