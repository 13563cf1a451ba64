from assessment.models.checklists import Checklist, ChecklistItem, ChecklistSection, DeductionRule
from assessment.models.rectifications import Rectification, RectificationFile
from assessment.models.rounds import RoundChecklist, SamplingRound
from assessment.models.self_assessment import (
    Campaign,
    DismissedOverstatement,
    SelfAssessment,
    SelfEvidence,
    SelfItemResult,
    SelfOccurrenceCount,
)
from assessment.models.spot_checks import Evidence, ItemResult, OccurrenceCount, SpotCheck
from assessment.models.year_end import (
    Adjustment,
    AdjustmentEvidence,
    DismissedProposal,
    Indicator,
    IndicatorValue,
    PublishedResult,
    Scheme,
)

__all__ = [
    "Adjustment",
    "AdjustmentEvidence",
    "Campaign",
    "Checklist",
    "ChecklistItem",
    "ChecklistSection",
    "DeductionRule",
    "DismissedOverstatement",
    "DismissedProposal",
    "Evidence",
    "Indicator",
    "IndicatorValue",
    "ItemResult",
    "OccurrenceCount",
    "PublishedResult",
    "Rectification",
    "RectificationFile",
    "RoundChecklist",
    "SamplingRound",
    "Scheme",
    "SelfAssessment",
    "SelfEvidence",
    "SelfItemResult",
    "SelfOccurrenceCount",
    "SpotCheck",
]
