# The assessment builders serve the security tests too.
from tests.assessment.conftest import checklist, inspector_b, spot_check  # noqa: F401
