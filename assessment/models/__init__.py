from assessment.models.checklists import Checklist, ChecklistItem, ChecklistSection, DeductionRule
from assessment.models.rectifications import Rectification, RectificationFile
from assessment.models.rounds import RoundChecklist, SamplingRound
from assessment.models.spot_checks import Evidence, ItemResult, OccurrenceCount, SpotCheck

__all__ = [
    "Checklist",
    "ChecklistItem",
    "ChecklistSection",
    "DeductionRule",
    "Evidence",
    "ItemResult",
    "OccurrenceCount",
    "Rectification",
    "RectificationFile",
    "RoundChecklist",
    "SamplingRound",
    "SpotCheck",
]
