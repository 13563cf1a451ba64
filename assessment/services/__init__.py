"""Every write of the assessment module that has a rule, by concept: checklists, rounds,
spot checks, rectifications. Views, importers, commands, seed_demo and tests call these."""

import unicodedata

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.forms import control_character_error

# The reason columns (adjustments, dismissed proposals) and ReasonForm hold 300 characters.
REASON_MAX_LENGTH = 300


class AssessmentError(DomainError):
    """A rule of the assessment module refused a write."""


def written_reason(reason, *, missing, code):
    """A reason as it is kept: stripped, given, storable, and no longer than its column."""
    reason = (reason or "").strip()
    # nothing visible: zero-width spaces and other format characters alone say nothing
    if not "".join(ch for ch in reason if unicodedata.category(ch) != "Cf").strip():
        raise AssessmentError(missing, code)
    if "\x00" in reason:  # PostgreSQL refuses NUL in text; forms refuse it the same way
        raise AssessmentError(_("Null characters are not allowed."), "reason_null")
    # a reason of invisible characters only was kept as an empty one (trial 9)
    problem = control_character_error(reason, multi_line=True)
    if problem:
        raise AssessmentError(problem, "reason_control_character")
    if len(reason) > REASON_MAX_LENGTH:
        raise AssessmentError(
            _("The reason may have at most %(limit)d characters; this one has %(count)d.")
            % {"limit": REASON_MAX_LENGTH, "count": len(reason)},
            "reason_too_long",
        )
    return reason
