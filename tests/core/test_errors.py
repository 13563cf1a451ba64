"""Every refusal of a domain rule is a core.errors.DomainError with a message and a code."""

from assessment.services import AssessmentError
from core.errors import DomainError
from core.years import YearLocked
from training.services import TrainingError


def test_each_module_error_is_a_domain_error_with_message_and_code():
    for error in (AssessmentError("不行", "nope"), TrainingError("不行", "nope")):
        assert isinstance(error, DomainError)
        assert (error.message, error.code, str(error)) == ("不行", "nope", "不行")
    locked = YearLocked(2025)
    assert isinstance(locked, DomainError)
    assert locked.code == "year_locked"
    assert locked.year == 2025
    assert "2025" in locked.message and str(locked) == locked.message
