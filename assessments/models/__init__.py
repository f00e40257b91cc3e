from assessments.models.analysis import (
    ComponentTag,
    Indicator,
    PopulationGroup,
    Response,
    Threat,
)
from assessments.models.assessment import Answer, Assessment
from assessments.models.jobs import Job
from assessments.models.review import Comment, FrozenBrief, ReviewEvent
from assessments.models.teams import Membership, Team

__all__ = [
    "Answer",
    "Assessment",
    "Comment",
    "ComponentTag",
    "FrozenBrief",
    "Indicator",
    "Job",
    "Membership",
    "PopulationGroup",
    "Response",
    "ReviewEvent",
    "Team",
    "Threat",
]
